/* SPDX-License-Identifier: MIT */
/*
 * Map-Server (RFC 9301 sections 5.6, 5.7, 8.2, 8.3): sites and their
 * keys from the configuration, registrations learned from Map-Registers
 * and dropped three minutes after the last one, Map-Notify on request,
 * and an unsolicited Map-Notify to the previous registrant when an EID's
 * RLOC set changes under it.
 *
 * Scale: registrations are found by prefix in an eidtab (eidtab.h: a
 * hash for the exact prefix a Map-Register names, hash probes per
 * prefix length or a trie for the longest match a Map-Request needs),
 * and kept on a list in expiry order, so expiry looks only at what
 * expires.  The configured site prefixes get an
 * eidtab of their own.  A registration keeps its locators, not a whole
 * struct lisp_rec: its EID record is rebuilt when asked for, with the
 * EID in its canonical encoding (prefix_to_lisp()).
 *
 * Replay: a Map-Register is authenticated but carries no timestamp, so
 * a captured one could be sent again later to bring back a stale RLOC
 * set or keep a dead ETR registered.  Each site remembers the nonces it
 * accepted in the last registration period; a Map-Register with one of
 * them is not applied again (it still gets its Map-Notify, so an ETR
 * retransmitting the same message stops).  Nonce 0 (no Map-Notify
 * wanted) cannot be checked this way.
 */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "net.h"
#include "packet.h"
#include "stats.h"
#include "ms.h"
#include "eidtab.h"

#define NONCE_WINDOW		64
#define NOTIFY_RETRIES		3

struct ms_reg {
	struct et_node	 node;		/* in regtab, by eid */
	TAILQ_ENTRY(ms_reg) by_expiry;
	const struct site *site;
	struct prefix	 eid;
	struct laddr	 etr;		/* the registrant */
	uint16_t	 etr_port;
	bool		 proxy;
	uint8_t		 key_id, alg;	/* what the registrant uses */
	/* The EID record as registered, less its EID. */
	bool		 auth;
	uint8_t		 act;
	uint8_t		 nloc, nloc_skipped;
	uint16_t	 version;
	uint32_t	 ttl;
	struct lisp_loc	*loc;
	time_t		 first, last, expires;
	uint64_t	 count;
	bool		 has_xtr_id;	/* the Map-Register's I bit */
	uint8_t		 xtr_id[16];
};

/* A configured site EID-prefix, in sitetab. */
struct ms_site_eid {
	struct et_node		 node;
	const struct site	*site;
	const struct site_eid	*se;
};

struct ms_site {
	uint64_t	 nonce[NONCE_WINDOW];
	time_t		 nonce_time[NONCE_WINDOW];
	unsigned int	 next;
};

/* An unsolicited Map-Notify waiting for its Map-Notify-Ack. */
struct ms_notify {
	TAILQ_ENTRY(ms_notify) entry;
	struct timer	 timer;
	struct laddr	 to;
	uint16_t	 port;
	uint64_t	 nonce;
	int		 tries;
	size_t		 len;
	uint8_t		 msg[];
};

TAILQ_HEAD(ms_reg_list, ms_reg);

static struct eidtab	 regtab;
static bool		 regtab_ready;
static time_t		 started;	/* with no registrations */
static struct ms_reg_list by_expiry = TAILQ_HEAD_INITIALIZER(by_expiry);
static TAILQ_HEAD(, ms_notify) notifies = TAILQ_HEAD_INITIALIZER(notifies);
static struct eidtab	 sitetab;
static struct ms_site_eid *site_eids;
static struct ms_site	*site_state;
static struct timer	 expire_timer;
static void		(*change_fn)(const struct prefix *);

static struct lisp_mapreg	mreg;		/* too big for the stack */
static struct lisp_mapreg	mnot;

static int
site_index(const struct site *s)
{
	return (int)(s - conf->site);
}

/*
 * The configured site EID-prefix covering p, if any.  A prefix given
 * by two sites belongs to the first (sitetab_build()).
 */
static const struct site_eid *
site_find(const struct prefix *p, const struct site **sitep)
{
	struct et_node		*n = et_longest(&sitetab, p);
	struct ms_site_eid	*e;

	if (!n)
		return NULL;
	e = et_entry(n, struct ms_site_eid, node);
	*sitep = e->site;
	return e->se;
}

static void
sitetab_build(void)
{
	int	i, j, n = 0;

	et_init(&sitetab);
	for (i = 0; i < conf->nsite; i++)
		n += conf->site[i].neid;
	if (!(site_eids = calloc((size_t)n + 1, sizeof(*site_eids))))
		fatal("ms_init");
	n = 0;
	for (i = 0; i < conf->nsite; i++)
		for (j = 0; j < conf->site[i].neid; j++) {
			struct ms_site_eid *e = &site_eids[n];

			e->site = &conf->site[i];
			e->se = &conf->site[i].eid[j];
			if (et_insert(&sitetab, &e->node, &e->se->eid) == 0)
				n++;
			else if (!et_exact(&sitetab, &e->se->eid))
				fatal("ms_init");
		}
}

static void
sitetab_free(void)
{
	struct ms_site_eid	*e;
	size_t			 i, n = sitetab.count;

	for (i = 0, e = site_eids; i < n; i++, e++)
		et_remove(&sitetab, &e->node);
	et_free(&sitetab);
	free(site_eids);
	site_eids = NULL;
}

static struct ms_reg *
reg_find(const struct prefix *p)
{
	struct et_node	*n = et_exact(&regtab, p);

	return n ? et_entry(n, struct ms_reg, node) : NULL;
}

/* Keep by_expiry sorted; refreshes go at or near the tail. */
static void
reg_queue(struct ms_reg *r)
{
	struct ms_reg	*o;

	TAILQ_FOREACH_REVERSE(o, &by_expiry, ms_reg_list, by_expiry)
		if (o->expires <= r->expires)
			break;
	if (o)
		TAILQ_INSERT_AFTER(&by_expiry, o, r, by_expiry);
	else
		TAILQ_INSERT_HEAD(&by_expiry, r, by_expiry);
}

/* The registration is gone: its subscribers hear of it. */
static void
reg_free(struct ms_reg *r, bool publish)
{
	struct prefix	eid = r->eid;

	et_remove(&regtab, &r->node);
	TAILQ_REMOVE(&by_expiry, r, by_expiry);
	free(r->loc);
	free(r);
	if (publish && change_fn)
		change_fn(&eid);
}

/* The registration's EID record, as an ITR would get it. */
static void
reg_record(const struct ms_reg *r, struct lisp_rec *rec)
{
	memset(rec, 0, offsetof(struct lisp_rec, loc));
	rec->ttl = r->ttl;
	rec->mlen = r->eid.plen;
	rec->act = r->act;
	rec->auth = r->auth;
	rec->version = r->version;
	prefix_to_lisp(&r->eid, &rec->eid);
	rec->nloc = r->nloc;
	rec->nloc_skipped = r->nloc_skipped;
	if (r->nloc)
		memcpy(rec->loc, r->loc, r->nloc * sizeof(r->loc[0]));
}

/* Take rec's locators and flags; -1 (and r unchanged) without memory. */
static int
reg_set_record(struct ms_reg *r, const struct lisp_rec *rec)
{
	struct lisp_loc	*loc = r->loc;

	if (rec->nloc != r->nloc) {
		loc = rec->nloc ? calloc(rec->nloc, sizeof(*loc)) : NULL;
		if (rec->nloc && !loc)
			return -1;
		free(r->loc);
		r->loc = loc;
	}
	if (rec->nloc)
		memcpy(r->loc, rec->loc, rec->nloc * sizeof(*loc));
	r->nloc = rec->nloc;
	r->nloc_skipped = rec->nloc_skipped;
	r->ttl = rec->ttl;
	r->act = rec->act;
	r->auth = rec->auth;
	r->version = rec->version;
	return 0;
}

static bool
nonce_seen(const struct site *s, uint64_t nonce, time_t now)
{
	struct ms_site	*st = &site_state[site_index(s)];
	int		 i;

	if (!nonce)
		return false;
	for (i = 0; i < NONCE_WINDOW; i++)
		if (st->nonce[i] == nonce &&
		    now - st->nonce_time[i] < REGISTER_TIMEOUT)
			return true;
	return false;
}

static void
nonce_remember(const struct site *s, uint64_t nonce, time_t now)
{
	struct ms_site	*st = &site_state[site_index(s)];

	if (!nonce)
		return;
	st->nonce[st->next] = nonce;
	st->nonce_time[st->next] = now;
	st->next = (st->next + 1) % NONCE_WINDOW;
}

/* Same locators in the same order: what an ITR would install. */
static bool
rlocs_equal(const struct ms_reg *a, const struct lisp_rec *b)
{
	int	i;

	if (a->nloc != b->nloc)
		return false;
	for (i = 0; i < a->nloc; i++) {
		const struct lisp_loc *x = &a->loc[i], *y = &b->loc[i];

		if (x->priority != y->priority || x->weight != y->weight ||
		    memcmp(&x->addr, &y->addr, sizeof(x->addr)))
			return false;
	}
	return true;
}

/*
 * Encode and sign a Map-Notify (or -Ack) with key into buf, of
 * LISPD_MSG_MAX bytes; length or -1.
 * auth_len 0 is the algorithm's RFC (truncated) length; an answer to a
 * Map-Register uses the registrant's: RFC 6833 peers (Open Overlay
 * Router) sign with the whole HMAC and refuse any other length.
 * The answer to a Map-Register with the I bit copies its xTR-ID and
 * Site-ID (RFC 9301 5.7: the fields are copied), under the Map-Notify's
 * own I bit; reg is NULL for an unsolicited one.
 */
static int
notify_build(uint8_t *buf, uint8_t type, uint64_t nonce, uint8_t key_id,
    uint8_t alg, uint16_t auth_len, const char *key,
    const struct lisp_rec *recs, int nrec, const struct lisp_mapreg *reg)
{
	int	n, i;

	/* Not the whole struct: its 32 records are over 100 kB. */
	memset(&mnot, 0, offsetof(struct lisp_mapreg, rec));
	memset(mnot.xtr_id, 0, sizeof(mnot.xtr_id));
	mnot.site_id = 0;
	if (reg != NULL && (reg->flags & LISP_MREG_I)) {
		mnot.flags = LISP_MNOT_I;
		memcpy(mnot.xtr_id, reg->xtr_id, sizeof(mnot.xtr_id));
		mnot.site_id = reg->site_id;
	}
	mnot.type = type;
	mnot.nonce = nonce;
	mnot.key_id = key_id;
	mnot.alg_id = alg;
	mnot.auth_len = auth_len ? auth_len :
	    (uint16_t)lisp_auth_len(alg, false);
	mnot.nrec = (uint8_t)nrec;
	for (i = 0; i < nrec; i++)
		lisp_rec_copy(&mnot.rec[i], &recs[i]);
	n = lisp_mapnotify_encode(buf, LISPD_MSG_MAX, &mnot);
	if (n < 0) {
		log_warnx("Map-Notify encode: %s", lisp_strerror(-n));
		return -1;
	}
	if ((i = lisp_auth_sign(buf, (size_t)n, key, strlen(key))) < 0) {
		log_warnx("Map-Notify sign: %s", lisp_strerror(-i));
		return -1;
	}
	return n;
}

static void
notify_free(struct ms_notify *n)
{
	timer_del(&n->timer);
	TAILQ_REMOVE(&notifies, n, entry);
	free(n);
}

static void
notify_retransmit(void *arg)
{
	struct ms_notify	*n = arg;
	char			 a[ADDRSTRLEN];

	if (n->tries++ >= NOTIFY_RETRIES) {
		log_info("no Map-Notify-Ack from %s, giving up",
		    addr_fmt(&n->to, a, sizeof(a)));
		notify_free(n);
		return;
	}
	net_send(&n->to, n->port, n->msg, n->len);
	stats[ST_MNOT_TX]++;
	timer_add(&n->timer, 1000ull << n->tries);
}

/*
 * The RLOC set of reg changed under the ETR that registered it before:
 * tell it, so that it can tell its ITRs (RFC 9301 5.7, 8.2).  This
 * Map-Notify is unsolicited, so it is retransmitted until acknowledged.
 */
static void
ms_notify_previous(const struct ms_reg *old, const struct lisp_rec *rec)
{
	struct ms_notify	*n;
	uint8_t			 buf[LISPD_MSG_MAX];
	char			 a[ADDRSTRLEN], p[PREFIXSTRLEN];
	uint64_t		 nonce = nonce_new();
	int			 len;

	len = notify_build(buf, LISP_MSG_NOTIFY, nonce, old->key_id,
	    old->alg, 0, old->site->key, rec, 1, NULL);
	if (len < 0 || !(n = calloc(1, sizeof(*n) + (size_t)len)))
		return;
	n->to = old->etr;
	n->port = old->etr_port;
	n->nonce = nonce;
	n->len = (size_t)len;
	memcpy(n->msg, buf, (size_t)len);
	timer_set(&n->timer, notify_retransmit, n);
	TAILQ_INSERT_TAIL(&notifies, n, entry);
	log_info("%s: RLOC set changed, Map-Notify to previous registrant %s",
	    prefix_fmt(&old->eid, p, sizeof(p)),
	    addr_fmt(&old->etr, a, sizeof(a)));
	net_send(&n->to, n->port, n->msg, n->len);
	stats[ST_MNOT_TX]++;
	timer_add(&n->timer, 1000);
}

void
ms_handle_notify_ack(const struct pkt *pkt, const uint8_t *buf, size_t len)
{
	struct ms_notify	*n;
	char			 a[ADDRSTRLEN];
	int			 err;

	stats[ST_MNOT_ACK_RX]++;
	err = lisp_mapnotify_decode(buf, len, &mnot);
	if (err < 0 || mnot.type != LISP_MSG_NOTIFY_ACK) {
		err = err < 0 ? err : -LISP_E_TYPE;
		log_peer_warnx(refuse_malformed(err),
		    "malformed Map-Notify-Ack from %s: %s",
		    addr_fmt(&pkt->src, a, sizeof(a)), lisp_strerror(-err));
		return;
	}
	TAILQ_FOREACH(n, &notifies, entry)
		if (n->nonce == mnot.nonce && addr_eq(&n->to, &pkt->src))
			break;
	if (!n) {
		refuse(ST_MNOT_ACK_NONCE);
		log_debug("Map-Notify-Ack with an unknown nonce");
		return;
	}
	/* Signed with the same key as the Map-Notify we sent, if genuine. */
	{
		const struct site	*s = NULL;
		struct prefix		 p;

		if (!mnot.nrec ||
		    prefix_from_lisp(&mnot.rec[0].eid, mnot.rec[0].mlen, &p) ||
		    !site_find(&p, &s) ||
		    lisp_auth_verify(buf, len, s->key, strlen(s->key))) {
			log_peer_warnx(refuse(ST_MREG_AUTH),
			    "Map-Notify-Ack from %s does not authenticate",
			    addr_fmt(&pkt->src, a, sizeof(a)));
			return;
		}
	}
	notify_free(n);
}

/* Is a, a locator's address, one of our rtr-address? */
static bool
is_rtr(const struct lisp_addr *a)
{
	struct lisp_addr	r;
	int			i;

	for (i = 0; i < conf->nrtr; i++) {
		memset(&r, 0, sizeof(r));
		laddr_to_lisp(&conf->rtr[i], &r);
		if (r.afi == a->afi && r.ip.afi == a->ip.afi &&
		    !memcmp(r.ip.addr, a->ip.addr, sizeof(r.ip.addr)))
			return true;
	}
	return false;
}

/*
 * A Map-Register one of our RTRs relayed is of an xTR behind a NAT:
 * nothing but the RTRs reaches it.  Open Overlay Router lists its
 * private RLOC beside them, at the same priority; an ITR hashing a
 * flow onto it would lose that flow.  The copy keeps it (show site)
 * with priority 255, never used.
 */
const struct lisp_rec *
ms_relayed_record(const struct pkt *pkt, const struct lisp_rec *rec)
{
	static struct lisp_rec	copy;
	struct lisp_addr	src;
	int			i;

	memset(&src, 0, sizeof(src));
	laddr_to_lisp(&pkt->src, &src);
	if (!is_rtr(&src))
		return rec;
	lisp_rec_copy(&copy, rec);
	for (i = 0; i < copy.nloc; i++)
		if (!is_rtr(&copy.loc[i].addr))
			copy.loc[i].priority = 255;
	return &copy;
}

/* One EID record of an authenticated Map-Register from site s. */
static bool
register_record(const struct pkt *pkt, const struct site *s,
    const struct lisp_rec *rec, bool proxy, time_t now)
{
	const struct site	*s2 = NULL;
	const struct site_eid	*se;
	struct ms_reg		*r;
	struct prefix		 p;
	char			 ps[PREFIXSTRLEN], ss[PREFIXSTRLEN];
	char			 a[ADDRSTRLEN];
	bool			 changed = false;

	if (prefix_from_lisp(&rec->eid, rec->mlen, &p)) {
		log_peer_warnx(refuse(ST_MREG_REJECT),
		    "Map-Register from %s: EID record not IPv4/IPv6",
		    addr_fmt(&pkt->src, a, sizeof(a)));
		return false;
	}
	se = site_find(&p, &s2);
	if (!se || s2 != s) {
		log_peer_warnx(refuse(ST_MREG_REJECT),
		    "Map-Register from %s: %s is not site %s's",
		    addr_fmt(&pkt->src, a, sizeof(a)),
		    prefix_fmt(&p, ps, sizeof(ps)), s->name);
		return false;
	}
	if (se->eid.plen != p.plen && !se->more_specifics) {
		log_peer_warnx(refuse(ST_MREG_REJECT),
		    "Map-Register from %s: %s is more specific than "
		    "site %s's %s without accept-more-specifics",
		    addr_fmt(&pkt->src, a, sizeof(a)),
		    prefix_fmt(&p, ps, sizeof(ps)), s->name,
		    prefix_fmt(&se->eid, ss, sizeof(ss)));
		return false;
	}

	r = reg_find(&p);
	/*
	 * Record TTL 0: the registrant withdraws it (lispd's site gateway,
	 * for a host that left).  Only the ETR that registered it may.
	 */
	if (!rec->ttl) {
		prefix_fmt(&p, ps, sizeof(ps));
		addr_fmt(&pkt->src, a, sizeof(a));
		if (r && addr_eq(&r->etr, &pkt->src)) {
			stats[ST_MREG_WITHDRAWN]++;
			log_info("site %s: %s withdrawn by %s", s->name, ps, a);
			reg_free(r, true);
		} else
			log_info("site %s: withdrawal of %s by %s ignored: %s",
			    s->name, ps, a, r ? "another ETR registered it" :
			    "not registered");
		return true;
	}
	if (!r) {
		if (!(r = calloc(1, sizeof(*r))) || reg_set_record(r, rec) ||
		    et_insert(&regtab, &r->node, &p)) {
			log_warn("site %s: %s", s->name,
			    prefix_fmt(&p, ps, sizeof(ps)));
			if (r)
				free(r->loc);
			free(r);
			return false;
		}
		r->site = s;
		r->eid = p;
		r->first = now;
		log_info("site %s: %s registered by %s", s->name,
		    prefix_fmt(&p, ps, sizeof(ps)),
		    addr_fmt(&pkt->src, a, sizeof(a)));
	} else {
		changed = !rlocs_equal(r, rec);
		if (changed && !addr_eq(&r->etr, &pkt->src))
			ms_notify_previous(r, rec);
		if (reg_set_record(r, rec)) {
			log_warn("site %s: %s", s->name,
			    prefix_fmt(&p, ps, sizeof(ps)));
			return false;
		}
		TAILQ_REMOVE(&by_expiry, r, by_expiry);
	}
	changed = changed || !r->count;
	r->etr = pkt->src;
	r->etr_port = pkt->sport;
	r->proxy = proxy;
	r->has_xtr_id = mreg.flags & LISP_MREG_I;
	memcpy(r->xtr_id, mreg.xtr_id, sizeof(r->xtr_id));
	r->key_id = mreg.key_id;
	r->alg = mreg.alg_id;
	r->last = now;
	/* registration-timeout; 0 in a hand-made conf: the RFC's. */
	r->expires = now + (conf->registration_timeout ?
	    (time_t)conf->registration_timeout : REGISTER_TIMEOUT);
	r->count++;
	reg_queue(r);
	if (changed && change_fn)
		change_fn(&r->eid);
	return true;
}

void
ms_handle_register(const struct pkt *pkt, const uint8_t *buf, size_t len,
    time_t now)
{
	static struct lisp_rec	 ok[LISP_MAX_RECORDS];
	uint8_t			 out[LISPD_MSG_MAX];
	const struct site	*s = NULL;
	struct prefix		 p;
	char			 a[ADDRSTRLEN];
	int			 err, i, n, nok = 0;

	stats[ST_MREG_RX]++;
	/* Addresses are formatted only to log: this is the busy path. */
	if ((err = lisp_mapreg_decode(buf, len, &mreg)) < 0) {
		log_peer_warnx(refuse_malformed(err),
		    "malformed Map-Register from %s: %s",
		    addr_fmt(&pkt->src, a, sizeof(a)),
		    lisp_strerror(-err));
		return;
	}
	/* The first record names the site, and so the key. */
	if (!mreg.nrec ||
	    prefix_from_lisp(&mreg.rec[0].eid, mreg.rec[0].mlen, &p) ||
	    !site_find(&p, &s)) {
		log_peer_warnx(refuse(ST_MREG_REJECT),
		    "Map-Register from %s: no site for its EID",
		    addr_fmt(&pkt->src, a, sizeof(a)));
		return;
	}
	if ((err = lisp_auth_verify(buf, len, s->key, strlen(s->key)))) {
		log_peer_warnx(refuse(ST_MREG_AUTH),
		    "Map-Register from %s for site %s: %s",
		    addr_fmt(&pkt->src, a, sizeof(a)), s->name,
		    lisp_strerror(-err));
		return;
	}
	if (nonce_seen(s, mreg.nonce, now)) {
		/* Answered as before; only the records we would take. */
		log_peer_info(refuse(ST_MREG_REPLAY),
		    "Map-Register from %s for site %s: nonce already "
		    "accepted, not applied again",
		    addr_fmt(&pkt->src, a, sizeof(a)), s->name);
		for (i = 0; i < mreg.nrec; i++) {
			const struct site *s2 = NULL;
			const struct site_eid *se;

			if (!prefix_from_lisp(&mreg.rec[i].eid,
			    mreg.rec[i].mlen, &p) &&
			    (se = site_find(&p, &s2)) && s2 == s &&
			    (se->eid.plen == p.plen || se->more_specifics))
				lisp_rec_copy(&ok[nok++], &mreg.rec[i]);
		}
	} else {
		nonce_remember(s, mreg.nonce, now);
		for (i = 0; i < mreg.nrec; i++)
			if (register_record(pkt, s,
			    ms_relayed_record(pkt, &mreg.rec[i]),
			    mreg.flags & LISP_MREG_P, now))
				lisp_rec_copy(&ok[nok++], &mreg.rec[i]);
	}
	/* Nothing taken: no Map-Notify, the ETR keeps trying and logs. */
	if (!(mreg.flags & LISP_MREG_M) || !nok)
		return;
	/* The Map-Notify carries the records registered, as sent. */
	n = notify_build(out, LISP_MSG_NOTIFY, mreg.nonce, mreg.key_id,
	    mreg.alg_id, mreg.auth_len, s->key, ok, nok, &mreg);
	if (n > 0 && !net_send(&pkt->src, pkt->sport, out, (size_t)n))
		stats[ST_MNOT_TX]++;
}

void
ms_expire(time_t now)
{
	struct ms_reg	*r;
	char		 p[PREFIXSTRLEN];

	while ((r = TAILQ_FIRST(&by_expiry)) && r->expires <= now) {
		log_info("site %s: registration of %s expired",
		    r->site->name, prefix_fmt(&r->eid, p, sizeof(p)));
		reg_free(r, true);
	}
}

const struct lisp_rec *
ms_lookup(const struct prefix *eid, bool *proxy, struct laddr *etr,
    const struct site **site, const struct site_eid **se)
{
	static struct lisp_rec	 rec;
	struct et_node		*n;
	struct ms_reg		*r;

	*site = NULL;
	*se = site_find(eid, site);
	if (!(n = et_longest(&regtab, eid)))
		return NULL;
	r = et_entry(n, struct ms_reg, node);
	*proxy = r->proxy;
	*etr = r->etr;
	reg_record(r, &rec);
	return &rec;
}

void
ms_on_change(void (*fn)(const struct prefix *))
{
	change_fn = fn;
}

bool
ms_record_of(const struct prefix *p, struct lisp_rec *rec)
{
	struct ms_reg	*r = reg_find(p);

	if (!r)
		return false;
	reg_record(r, rec);
	return true;
}

const struct site *
ms_xtr_site(uint32_t iid, const uint8_t xtr_id[16], uint8_t *key_id,
    uint8_t *alg)
{
	struct ms_reg	*r;

	/* The newest registrations are at the tail. */
	TAILQ_FOREACH_REVERSE(r, &by_expiry, ms_reg_list, by_expiry)
		if (r->has_xtr_id && r->eid.iid == iid &&
		    !memcmp(r->xtr_id, xtr_id, sizeof(r->xtr_id))) {
			*key_id = r->key_id;
			*alg = r->alg;
			return r->site;
		}
	return NULL;
}

bool
ms_registered_within(const struct prefix *p)
{
	return et_any_within(&regtab, p);
}

const struct site *
ms_site_of(const struct prefix *p)
{
	const struct site	*s = NULL;

	return site_find(p, &s) ? s : NULL;
}

bool
ms_site_within(const struct prefix *p)
{
	return et_any_within(&sitetab, p);
}

/*
 * A registration made before we started would still be valid for one
 * registration timeout: until then a site's ETR may simply not have
 * registered again yet, and "not registered" is not known.
 */
bool
ms_warming_up(void)
{
	return ev_now() < started + (conf->registration_timeout ?
	    (time_t)conf->registration_timeout : REGISTER_TIMEOUT);
}

static void
expire_tick(void *arg)
{
	(void)arg;
	ms_expire(ev_now());
	timer_add(&expire_timer, 1000);
}

/*
 * After a reload, registrations kept by ms_shutdown(true) still point
 * at the old configuration's sites: move them to the site of the same
 * name if it still takes their prefix, drop the others.
 */
static void
ms_rebind(void)
{
	const struct site_eid	*se;
	const struct site	*s;
	struct ms_reg		*r, *next;
	char			 p[PREFIXSTRLEN];

	for (r = TAILQ_FIRST(&by_expiry); r; r = next) {
		next = TAILQ_NEXT(r, by_expiry);
		s = NULL;
		se = site_find(&r->eid, &s);
		if (se && !strcmp(s->name, r->site->name) &&
		    (se->eid.plen == r->eid.plen || se->more_specifics)) {
			r->site = s;
			continue;
		}
		log_info("site %s: %s dropped, no longer configured",
		    r->site->name, prefix_fmt(&r->eid, p, sizeof(p)));
		reg_free(r, true);
	}
}

void
ms_init(void)
{
	/* Kept registrations stay in regtab over a reload. */
	if (!regtab_ready) {
		et_init(&regtab);
		started = ev_now();
	}
	regtab_ready = true;
	sitetab_build();
	ms_rebind();
	site_state = calloc((size_t)conf->nsite + 1, sizeof(*site_state));
	if (!site_state)
		fatal("ms_init");
	timer_set(&expire_timer, expire_tick, NULL);
	timer_add(&expire_timer, 1000);
}

/*
 * keep: a reload; the registrations stay for ms_init() to move to the
 * new configuration's sites, which must happen before the old one is
 * freed.  The replay window starts afresh.
 */
void
ms_shutdown(bool keep)
{
	struct ms_reg	*r;

	while (!keep && (r = TAILQ_FIRST(&by_expiry)))
		reg_free(r, false);
	if (!keep) {
		et_free(&regtab);
		regtab_ready = false;
	}
	while (!TAILQ_EMPTY(&notifies))
		notify_free(TAILQ_FIRST(&notifies));
	timer_del(&expire_timer);
	sitetab_free();
	free(site_state);
	site_state = NULL;
}

json_object *
ms_show(void)
{
	json_object	*arr = json_object_new_array();
	struct ms_reg	*r;
	time_t		 now = ev_now();
	char		 s[PREFIXSTRLEN];
	int		 i;

	TAILQ_FOREACH(r, &by_expiry, by_expiry) {
		json_object	*o = json_object_new_object(), *locs;

		json_object_object_add(o, "site",
		    json_object_new_string(r->site->name));
		json_object_object_add(o, "eid", json_object_new_string(
		    prefix_fmt(&r->eid, s, sizeof(s))));
		json_object_object_add(o, "registrant", json_object_new_string(
		    addr_fmt(&r->etr, s, sizeof(s))));
		json_object_object_add(o, "proxy-reply",
		    json_object_new_boolean(r->proxy));
		json_object_object_add(o, "registrations",
		    json_object_new_int64((int64_t)r->count));
		json_object_object_add(o, "last", json_object_new_int64(
		    (int64_t)(now - r->last)));
		json_object_object_add(o, "expires", json_object_new_int64(
		    (int64_t)(r->expires - now)));
		locs = json_object_new_array();
		for (i = 0; i < r->nloc; i++) {
			json_object	*l = json_object_new_object();
			struct laddr	 la;

			if (laddr_from_lisp(&r->loc[i].addr, &la))
				continue;
			json_object_object_add(l, "address",
			    json_object_new_string(addr_fmt(&la, s, sizeof(s))));
			json_object_object_add(l, "priority",
			    json_object_new_int(r->loc[i].priority));
			json_object_object_add(l, "weight",
			    json_object_new_int(r->loc[i].weight));
			json_object_array_add(locs, l);
		}
		json_object_object_add(o, "rlocs", locs);
		json_object_array_add(arr, o);
	}
	return arr;
}
