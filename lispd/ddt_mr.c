/* SPDX-License-Identifier: MIT */
/*
 * The DDT Map-Resolver (RFC 8111 7.3, 8.1, 8.2): an ITR's Map-Request
 * is resolved by following Map-Referrals from the configured roots (or
 * the longest referral cache match) until a DDT Map-Server says MS-ACK:
 * it has sent the request on to the ETR, whose Map-Reply goes straight
 * to the ITR.  Holes and unregistered space get a negative Map-Reply
 * from us.  Each DDT Map-Request is the ITR's Map-Request in an ECM with
 * the D bit and the ITR's inner header, so the ETR's (or proxy's) reply
 * reaches the port the ITR asked from.
 *
 * A pending request tries each RLOC of its referral set DDT_TRIES times,
 * one every DDT_TIMEOUT_MS, before it is dropped unanswered (7.3.2).  A
 * referral must be more specific than the last one followed (7.3.4) and
 * one request follows at most DDT_MAX_REFERRALS; a loop, or
 * NOT-AUTHORITATIVE, from a cached referral starts again from the roots
 * without that entry, and from the roots drops the request.
 *
 * An SMR-invoked Map-Request means the mapping moved, perhaps to a
 * Map-Server under another delegation (a host's /32 delegated away from
 * its site's prefix): cached Map-Server entries, good for a day, may
 * send it to the old site's Map-Server, which still MS-ACKs the site's
 * covering prefix.  Such a request starts at the longest cached
 * NODE-REFERRAL instead (the roots without one), so the DDT node above
 * the Map-Servers names the current delegation, which is cached.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <json-c/json.h>

#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "eidtab.h"
#include "packet.h"
#include "net.h"
#include "stats.h"
#include "ddt.h"
#include "mr.h"

struct refc {
	struct et_node		 node;
	TAILQ_ENTRY(refc)	 entry;
	struct prefix		 eid;
	uint8_t			 act;		/* LISP_REF_* */
	uint64_t		 expires;	/* ev_now_ms() */
	uint64_t		 hits;
	int			 nref;
	struct laddr		 ref[LISP_MAX_RLOCS];
};

struct pending {
	TAILQ_ENTRY(pending)	 entry;
	struct pkt		 pkt;		/* how the ITR's request came */
	struct lisp_mapreq	*mreq;
	uint8_t			*msg;
	size_t			 len;
	struct prefix		 eid;
	bool			 from_root;
	bool			 cached;	/* started from cache entry used */
	struct prefix		 used;
	bool			 have_last;	/* a referral followed */
	struct prefix		 last;
	int			 depth;
	int			 nref, cur, tries;
	struct laddr		 ref[LISP_MAX_RLOCS];
	struct timer		 timer;
};

static struct eidtab		cache;
static TAILQ_HEAD(, refc)	cache_list = TAILQ_HEAD_INITIALIZER(cache_list);
static int			ncache;
static struct timer		sweep_timer;
static TAILQ_HEAD(, pending)	pend = TAILQ_HEAD_INITIALIZER(pend);
static int			npend;
static bool			up;
static struct lisp_mapreferral	mref;	/* 100 kB */

static void
cache_del(struct refc *c)
{
	et_remove(&cache, &c->node);
	TAILQ_REMOVE(&cache_list, c, entry);
	ncache--;
	free(c);
}

/* Entries nobody looks up again expire here, making room. */
static void
sweep(void *arg)
{
	struct refc	*c, *next;
	uint64_t	 now = ev_now_ms();

	(void)arg;
	for (c = TAILQ_FIRST(&cache_list); c; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->expires <= now)
			cache_del(c);
	}
	timer_add(&sweep_timer, DDT_SWEEP_MS);
}

void
ddt_mr_init(void)
{
	if (!up) {
		et_init(&cache);
		timer_set(&sweep_timer, sweep, NULL);
		timer_add(&sweep_timer, DDT_SWEEP_MS);
	}
	up = true;
}

/* The longest unexpired match; expired ones on the way are dropped. */
static struct refc *
cache_lookup(const struct prefix *eid)
{
	struct et_node	*n;
	struct refc	*c;

	while ((n = et_longest(&cache, eid)) != NULL) {
		c = et_entry(n, struct refc, node);
		if (c->expires > ev_now_ms())
			return c;
		cache_del(c);
	}
	return NULL;
}

static void
cache_add(const struct prefix *eid, const struct lisp_referral_rec *r)
{
	struct et_node	*n;
	struct refc	*c;
	int		 i;

	if (r->incomplete || r->rec.ttl == 0)
		return;
	if ((n = et_exact(&cache, eid)) != NULL)
		c = et_entry(n, struct refc, node);
	else {
		/*
		 * Full (a DDT node naming a /32 hole per EID): not cached.
		 * Size 0 caches nothing: every request from the roots.
		 */
		if (ncache >= conf->ddt_cache_size) {
			stats[ST_REFERRAL_CACHE_FULL]++;
			return;
		}
		if (!(c = calloc(1, sizeof(*c))))
			return;
		c->eid = *eid;
		if (et_insert(&cache, &c->node, eid)) {
			free(c);
			return;
		}
		TAILQ_INSERT_TAIL(&cache_list, c, entry);
		ncache++;
	}
	c->act = r->rec.act;
	c->expires = ev_now_ms() + (uint64_t)r->rec.ttl * 60000;
	c->nref = 0;
	for (i = 0; i < r->rec.nloc && c->nref < LISP_MAX_RLOCS; i++)
		if (!laddr_from_lisp(&r->rec.loc[i].addr, &c->ref[c->nref]))
			c->nref++;
}

static void
pending_free(struct pending *p)
{
	timer_del(&p->timer);
	TAILQ_REMOVE(&pend, p, entry);
	npend--;
	free(p->mreq);
	free(p->msg);
	free(p);
}

void
ddt_mr_shutdown(void)
{
	while (!TAILQ_EMPTY(&pend))
		pending_free(TAILQ_FIRST(&pend));
	while (!TAILQ_EMPTY(&cache_list))
		cache_del(TAILQ_FIRST(&cache_list));
	timer_del(&sweep_timer);
	if (up)
		et_free(&cache);
	up = false;
}

/* The ITR's Map-Request, in an ECM with the D bit, to ref[cur]. */
static void
send_request(struct pending *p)
{
	struct lisp_ecm	e;
	const struct laddr *isrc = p->pkt.ecm ? &p->pkt.isrc : &p->pkt.src;
	const struct laddr *idst = p->pkt.ecm ? &p->pkt.idst : &p->ref[p->cur];
	uint8_t		buf[LISPD_MSG_MAX];
	int		n;

	memset(&e, 0, sizeof(e));
	e.flags = LISP_ECM_D;
	if (isrc->family != idst->family)
		idst = isrc;
	e.ipver = isrc->family == AF_INET ? 4 : 6;
	e.ttl = 64;
	memcpy(e.src, isrc->a, 16);
	memcpy(e.dst, idst->a, 16);
	e.sport = p->pkt.ecm ? p->pkt.isport : p->pkt.sport;
	e.dport = LISP_CONTROL_PORT;
	e.msg = p->msg;
	e.msg_len = p->len;
	p->tries++;
	timer_add(&p->timer, DDT_TIMEOUT_MS);
	if ((n = lisp_ecm_encode(buf, sizeof(buf), &e)) < 0) {
		log_warnx("DDT ECM encode: %s", lisp_strerror(-n));
		return;
	}
	if (net_send(&p->ref[p->cur], LISP_CONTROL_PORT, buf, (size_t)n) == 0)
		stats[ST_DDT_MREQ_TX]++;
}

static void
set_refs(struct pending *p, const struct laddr *ref, int nref)
{
	p->nref = nref < LISP_MAX_RLOCS ? nref : LISP_MAX_RLOCS;
	memcpy(p->ref, ref, (size_t)p->nref * sizeof(*ref));
	p->cur = 0;
	p->tries = 0;
}

static void
from_roots(struct pending *p)
{
	p->from_root = true;
	p->cached = false;
	p->have_last = false;
	set_refs(p, conf->ddt_root, conf->nddt_root);
	send_request(p);
}

/* All RLOCs tried DDT_TRIES times: dropped, unanswered (7.3.2). */
static void
timeout(void *arg)
{
	struct pending	*p = arg;
	char		 s[PREFIXSTRLEN];

	if (p->tries >= p->nref * DDT_TRIES) {
		stats[ST_DDT_MREQ_GIVEUP]++;
		log_info("DDT: no answer for %s from its %d referral(s)",
		    prefix_fmt(&p->eid, s, sizeof(s)), p->nref);
		pending_free(p);
		return;
	}
	stats[ST_DDT_MREQ_RETRY]++;
	p->cur = p->tries % p->nref;
	send_request(p);
}

static void
negative_reply(struct pending *p, const struct prefix *np, uint32_t ttl)
{
	struct lisp_rec	rec;

	memset(&rec, 0, offsetof(struct lisp_rec, loc));
	rec.ttl = ttl;
	rec.act = LISP_ACT_NATIVE_FWD;
	rec.mlen = np->plen;
	prefix_to_lisp(np, &rec.eid);
	if (mr_send_reply(&p->pkt, p->mreq, &rec, 1) == 0)
		stats[ST_NEGATIVE]++;
}

/* The longest unexpired NODE-REFERRAL covering eid, or NULL. */
static struct refc *
cache_lookup_node(const struct prefix *eid)
{
	struct refc	*c;
	struct prefix	 above = *eid;

	while ((c = cache_lookup(&above)) != NULL && c->act != LISP_REF_NODE) {
		if (c->eid.plen == 0)
			return NULL;
		above = c->eid;
		above.plen--;
		prefix_mask(&above);
	}
	return c;
}

/*
 * Start (8.1): the longest referral cache match, else the roots; an
 * SMR-invoked request, the longest cached DDT node (see the top).
 */
static void
resolve(struct pending *p)
{
	struct refc	*c;
	bool		 negative;
	uint64_t	 left;

	if (p->mreq->flags & LISP_MREQ_SMR_INVOKED)
		c = cache_lookup_node(&p->eid);
	else
		c = cache_lookup(&p->eid);

	negative = c && (c->act == LISP_REF_HOLE ||
	    c->act == LISP_REF_MS_NOT_REG);
	/* A positive referral without an address we can use: the roots. */
	if (!c || (!negative && c->nref == 0)) {
		from_roots(p);
		return;
	}
	c->hits++;
	stats[ST_REFERRAL_CACHED]++;
	if (negative) {
		left = (c->expires - ev_now_ms() + 59999) / 60000;
		negative_reply(p, &c->eid, (uint32_t)left);
		pending_free(p);
		return;
	}
	p->from_root = false;
	p->cached = true;
	p->used = c->eid;
	p->have_last = false;
	set_refs(p, c->ref, c->nref);
	send_request(p);
}

static struct pending *
pending_find(const struct prefix *eid, const struct laddr *itr)
{
	struct pending	*p;

	TAILQ_FOREACH(p, &pend, entry)
		if (prefix_eq(&p->eid, eid) && addr_eq(&p->pkt.src, itr))
			return p;
	return NULL;
}

static int
keep_request(struct pending *p, const uint8_t *msg, size_t len,
    const struct lisp_mapreq *mreq)
{
	uint8_t			*m = malloc(len);
	struct lisp_mapreq	*q = malloc(sizeof(*q));

	if (!m || !q) {
		free(m);
		free(q);
		return -1;
	}
	memcpy(m, msg, len);
	memcpy(q, mreq, sizeof(*q));
	free(p->msg);
	free(p->mreq);
	p->msg = m;
	p->len = len;
	p->mreq = q;
	return 0;
}

void
ddt_mr_request(const struct pkt *pkt, const uint8_t *msg, size_t len,
    const struct lisp_mapreq *mreq)
{
	struct pending	*p;
	struct prefix	 eid;

	/* An ITR asks for one EID at a time; the first record is it. */
	if (prefix_from_lisp(&mreq->rec[0].eid, mreq->rec[0].mlen, &eid)) {
		refuse(ST_RX_UNEXPECTED);
		return;
	}
	/* Asked again while pending: the new nonce from now on (8.1). */
	if ((p = pending_find(&eid, &pkt->src)) != NULL) {
		if (keep_request(p, msg, len, mreq) == 0)
			p->pkt = *pkt;
		return;
	}
	if (npend >= DDT_MAX_PENDING || !(p = calloc(1, sizeof(*p))))
		return;
	if (keep_request(p, msg, len, mreq)) {
		free(p);
		return;
	}
	p->pkt = *pkt;
	p->eid = eid;
	timer_set(&p->timer, timeout, p);
	TAILQ_INSERT_TAIL(&pend, p, entry);
	npend++;
	resolve(p);
}

static struct pending *
pending_by_nonce(uint64_t nonce, const struct laddr *from)
{
	struct pending	*p;
	int		 i;

	TAILQ_FOREACH(p, &pend, entry)
		if (p->mreq->nonce == nonce)
			for (i = 0; i < p->nref; i++)
				if (addr_eq(&p->ref[i], from))
					return p;
	return NULL;
}

/* A loop, or a stale cached referral: again from the roots, once. */
static void
restart(struct pending *p, const char *why)
{
	struct et_node	*n;
	char		 s[PREFIXSTRLEN];

	log_info("DDT: %s for %s%s", why, prefix_fmt(&p->eid, s, sizeof(s)),
	    p->from_root ? ", dropped" : ", again from the roots");
	if (p->from_root) {
		pending_free(p);
		return;
	}
	if (p->cached && (n = et_exact(&cache, &p->used)) != NULL)
		cache_del(et_entry(n, struct refc, node));
	from_roots(p);
}

/* NODE-REFERRAL, MS-REFERRAL: more specific than the last, or a loop. */
static void
follow(struct pending *p, const struct prefix *rp,
    const struct lisp_referral_rec *r)
{
	struct laddr	ref[LISP_MAX_RLOCS];
	int		i, n = 0;

	for (i = 0; i < r->rec.nloc && n < LISP_MAX_RLOCS; i++)
		if (!laddr_from_lisp(&r->rec.loc[i].addr, &ref[n]))
			n++;
	if (!n || (p->have_last && (rp->plen <= p->last.plen ||
	    !prefix_covers(&p->last, rp))) || p->depth >= DDT_MAX_REFERRALS) {
		stats[ST_REFERRAL_LOOP]++;
		restart(p, "referral loop or dead end");
		return;
	}
	cache_add(rp, r);
	p->have_last = true;
	p->last = *rp;
	p->depth++;
	set_refs(p, ref, n);
	send_request(p);
}

/*
 * A hole (or unregistered space) named by a prefix that does not hold
 * the EID asked: Open Overlay Router 1.3's DELEGATION-HOLE does this
 * (11.2.4.0/22 for 10.2.7.1).  The answer stands for the EID alone, not
 * cached; any other referral that does not hold the EID is refused.
 */
static void
negative_elsewhere(const struct pkt *pkt, struct pending *p,
    const struct prefix *rp, const struct lisp_referral_rec *r)
{
	char	a[ADDRSTRLEN], s[PREFIXSTRLEN], e[PREFIXSTRLEN];

	if (r->rec.act != LISP_REF_HOLE && r->rec.act != LISP_REF_MS_NOT_REG) {
		refuse(ST_RX_UNEXPECTED);
		return;
	}
	log_peer_warnx("map-referral-wrong-prefix",
	    "Map-Referral from %s: %s for %s, asked %s: negative for %s only",
	    addr_fmt(&pkt->src, a, sizeof(a)),
	    lisp_referral_action_name(r->rec.act),
	    prefix_fmt(rp, s, sizeof(s)), prefix_fmt(&p->eid, e, sizeof(e)), e);
	negative_reply(p, &p->eid, r->rec.ttl);
	pending_free(p);
}

void
ddt_mr_referral(const struct pkt *pkt, const uint8_t *buf, size_t len)
{
	const struct lisp_referral_rec *r;
	struct pending	*p;
	struct prefix	 rp;
	char		 a[ADDRSTRLEN];
	int		 err;

	if ((err = lisp_mapreferral_decode(buf, len, &mref)) < 0) {
		log_peer_warnx(refuse_malformed(err),
		    "malformed Map-Referral from %s: %s",
		    addr_fmt(&pkt->src, a, sizeof(a)), lisp_strerror(-err));
		return;
	}
	stats[ST_REFERRAL_RX]++;
	if (!(p = pending_by_nonce(mref.nonce, &pkt->src))) {
		refuse(ST_REFERRAL_NONCE);
		return;
	}
	r = &mref.rec[0];
	if (!mref.nrec || prefix_from_lisp(&r->rec.eid, r->rec.mlen, &rp)) {
		refuse(ST_RX_UNEXPECTED);
		return;
	}
	if (r->rec.act != LISP_REF_NOT_AUTH && !prefix_covers(&rp, &p->eid)) {
		negative_elsewhere(pkt, p, &rp, r);
		return;
	}
	log_debug("Map-Referral from %s: %s", addr_fmt(&pkt->src, a,
	    sizeof(a)), lisp_referral_action_name(r->rec.act));
	switch (r->rec.act) {
	case LISP_REF_NODE:
	case LISP_REF_MS:
		follow(p, &rp, r);
		break;
	case LISP_REF_MS_ACK:
		cache_add(&rp, r);
		pending_free(p);
		break;
	case LISP_REF_MS_NOT_REG:
		/* Another Map-Server of the set may have the registration. */
		if (p->cur + 1 < p->nref) {
			p->cur++;
			send_request(p);
			break;
		}
		cache_add(&rp, r);
		negative_reply(p, &rp, r->rec.ttl);
		pending_free(p);
		break;
	case LISP_REF_HOLE:
		cache_add(&rp, r);
		negative_reply(p, &rp, r->rec.ttl);
		pending_free(p);
		break;
	case LISP_REF_NOT_AUTH:
		restart(p, "not authoritative");
		break;
	default:
		refuse(ST_RX_UNEXPECTED);
		break;
	}
}

struct json_object *
ddt_mr_show(void)
{
	struct json_object	*arr = json_object_new_array(), *o, *refs;
	struct refc		*c, *next;
	char			 s[PREFIXSTRLEN], a[ADDRSTRLEN];
	uint64_t		 now = ev_now_ms();
	int			 i;

	for (c = TAILQ_FIRST(&cache_list); c; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->expires <= now) {
			cache_del(c);
			continue;
		}
		o = json_object_new_object();
		json_object_object_add(o, "eid", json_object_new_string(
		    prefix_fmt(&c->eid, s, sizeof(s))));
		json_object_object_add(o, "action", json_object_new_string(
		    lisp_referral_action_name(c->act)));
		json_object_object_add(o, "expires", json_object_new_int64(
		    (int64_t)((c->expires - now) / 1000)));
		json_object_object_add(o, "hits",
		    json_object_new_int64((int64_t)c->hits));
		refs = json_object_new_array();
		for (i = 0; i < c->nref; i++)
			json_object_array_add(refs, json_object_new_string(
			    addr_fmt(&c->ref[i], a, sizeof(a))));
		json_object_object_add(o, "referrals", refs);
		json_object_array_add(arr, o);
	}
	return arr;
}
