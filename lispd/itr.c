/* SPDX-License-Identifier: MIT */
/*
 * ITR and PITR (RFC 9301 sections 5.3, 5.4, 6): a kernel MISS becomes
 * an ECM Map-Request to a map-resolver, retransmitted after 1, 2 and
 * 4 s; 8 s after the last it is given up and the EID held down for
 * MREQ_HOLDDOWN s.  With several map-resolvers each of these is a
 * round that asks them all in turn, 1 s apart (RFC 9301 5.3's rate per
 * EID), those that answer first (resolvers.c): one that is silent costs
 * the request 1 s, and the packets the kernel holds for it stay held.
 * A Map-Reply with the nonce of an outstanding request is installed in
 * the kernel map-cache, which releases the packets it held, and removed
 * again when its TTL runs out.
 *
 * Only records covering the EID we asked for are installed: the nonce
 * is the sole proof that a reply answers us, and a record for another
 * prefix would let whoever answers rewrite any part of the cache.
 *
 * An SMR (6.1) for an EID we cache makes us ask the mapping system
 * again, with the s bit; what the SMR itself says is never used.
 * RLOC probing is in itr_probe.c.
 *
 * An entry that carries traffic is asked for again shortly before its
 * TTL runs out (refresh_lead_ms), so that the answer replaces it in
 * place and no packet misses; an idle one just expires.  A negative
 * answer to that refresh leaves it to its TTL (refresh_denied).
 *
 * With subscribe (RFC 9437) each Map-Request also subscribes; the
 * Map-Server's publications are taken in itr_sub.c.
 */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "kernel.h"
#include "net.h"
#include "packet.h"
#include "register.h"
#include "stats.h"
#include "tenant.h"
#include "resolvers.h"
#include "itr.h"
#include "itr_int.h"

#define SMR_INTERVAL_MS	3000	/* per EID, RFC 9301 6.1 */
#define REFRESH_LEAD_MAX	30000	/* ms before expiry, at most */
#define REFRESH_IDLE_MAX	60000	/* ms idle: no longer in use */
#define REFRESH_RETRY_MS	5000	/* after a negative answer to one */

/* Shared by all tenants: the map-resolvers' load. */
static uint64_t			 bucket_ms;	/* token bucket, in ms */

/* MREQ_RATE a second, bursts of as many. */
static bool
itr_rate_ok(void)
{
	return ev_bucket_take(&bucket_ms, MREQ_RATE);
}

void
itr_pend_free(struct mreq_pend *p)
{
	timer_del(&p->timer);
	TAILQ_REMOVE(&p->t->itr->pending, p, entry);
	free(p);
}

/*
 * An ECM'd Map-Request for eid to map-resolver mr: with
 * subscribe, the N bit and our xTR-ID (RFC 9437).  0, or -1.
 */
int
itr_request_send(const struct laddr *mr, const struct prefix *eid, const struct laddr *seid, uint64_t nonce,
    uint32_t flags, bool subscribe)
{
	struct laddr		 rloc, isrc, idst;
	char			 a[ADDRSTRLEN];
	int			 n;
	struct lisp_mapreq	 req;		/* 10 kB */
	uint8_t			 buf[LISPD_MSG_MAX];

	if (net_local_addr(mr, &rloc)) {
		log_warn("no route to map-resolver %s", addr_fmt(mr, a,
		    sizeof(a)));
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.nonce = nonce;
	req.flags = flags;
	if (conf->roles & ROLE_PITR)
		req.flags |= LISP_MREQ_PITR;
	else
		laddr_to_lisp(seid, &req.seid);
	req.nitr = 1;
	laddr_to_lisp(&rloc, &req.itr[0]);
	req.nrec = 1;
	req.rec[0].mlen = eid->plen;
	prefix_to_lisp(eid, &req.rec[0].eid);
	if (subscribe) {
		req.flags |= LISP_MREQ_I;
		req.rec[0].notify = true;
		memcpy(req.xtr_id, register_xtr_id(), sizeof(req.xtr_id));
	}
	n = lisp_mapreq_encode(buf, sizeof(buf), &req);
	if (n < 0) {
		log_warnx("Map-Request encode: %s", lisp_strerror(-n));
		return -1;
	}
	/* Inner header: our RLOC to the EID, or EID to EID across families. */
	idst.family = eid->family;
	memcpy(idst.a, eid->a, 16);
	isrc = rloc.family == idst.family ? rloc : *seid;
	if (isrc.family != idst.family) {	/* no EID: unspecified */
		memset(&isrc, 0, sizeof(isrc));
		isrc.family = idst.family;
	}
	return net_send_ecm(mr, &isrc, &idst, LISP_CONTROL_PORT, buf,
	    (size_t)n) ? -1 : 0;
}

static int
itr_send_request(struct mreq_pend *p)
{
	const struct laddr	*mr = &p->t->conf->mr[p->mr];
	char			 a[ADDRSTRLEN], s[PREFIXSTRLEN];

	if (itr_request_send(mr, &p->eid, &p->seid, p->nonce,
	    p->smr ? LISP_MREQ_SMR_INVOKED : 0, p->subscribe))
		return -1;
	resolver_sent(mr);
	if (p->subscribe && !p->tries)
		stats[ST_SUB_TX]++;
	stats[p->tries++ ? ST_MREQ_RETRY : ST_MREQ_TX]++;
	log_debug("%sMap-Request for %s to %s (try %d)",
	    p->smr ? "SMR-invoked " : "", prefix_fmt(&p->eid, s, sizeof(s)),
	    addr_fmt(mr, a, sizeof(a)), p->tries);
	return 0;
}

/*
 * Send p to the next map-resolver of its round (one we cannot send to
 * is passed over at once); the ms to wait for the answer, 0 when every
 * round is over.
 */
static uint64_t
pend_ask(struct mreq_pend *p)
{
	const struct tenant_conf *tc = p->t->conf;
	int			 i;

	if ((i = resolver_pick(tc->mr, tc->nmr, p->asked)) < 0) {
		if (p->round >= MREQ_RETRIES)
			return 0;
		p->round++;
		p->asked = 0;
		i = resolver_pick(tc->mr, tc->nmr, 0);
	}
	while (i >= 0) {
		p->mr = i;
		p->asked |= 1u << i;
		if (itr_send_request(p) == 0)
			break;
		resolver_unanswered(&tc->mr[i]);
		p->mr = -1;
		i = resolver_pick(tc->mr, tc->nmr, p->asked);
	}
	/* Another one to ask this round: 1 s; else the round's backoff. */
	if (resolver_pick(tc->mr, tc->nmr, p->asked) >= 0)
		return 1000;
	return 1000ull << p->round;
}

/* The map-resolver p was last sent to, if it is still configured. */
static const struct laddr *
pend_resolver(const struct mreq_pend *p)
{
	return p->mr >= 0 && p->mr < p->t->conf->nmr ?
	    &p->t->conf->mr[p->mr] : NULL;
}

static void
pend_timer(void *arg)
{
	struct mreq_pend	*p = arg;
	const struct laddr	*mr = pend_resolver(p);
	uint64_t		 wait;
	char			 s[PREFIXSTRLEN];

	if (p->holddown) {
		itr_pend_free(p);
		return;
	}
	if (mr)
		resolver_unanswered(mr);
	/* A locate request is asked again by its caller, if at all. */
	if (p->located) {
		itr_pend_free(p);
		return;
	}
	if (!(wait = pend_ask(p))) {
		stats[ST_MREQ_GIVEUP]++;
		log_info("no Map-Reply for %s, holding down %d s",
		    prefix_fmt(&p->eid, s, sizeof(s)), MREQ_HOLDDOWN);
		p->holddown = true;
		timer_add(&p->timer, MREQ_HOLDDOWN * 1000);
		return;
	}
	timer_add(&p->timer, wait);
}

static struct mreq_pend *
pend_find(struct tenant *t, const struct prefix *eid)
{
	struct mreq_pend	*p;

	TAILQ_FOREACH(p, &t->itr->pending, entry)
		if (prefix_eq(&p->eid, eid))
			return p;
	return NULL;
}

/* Ask the map-resolvers about eid, retransmitting until answered. */
static struct mreq_pend *
pend_start(struct tenant *t, const struct prefix *eid,
    const struct laddr *seid, bool smr, bool subscribe)
{
	struct mreq_pend	*p;

	if (!itr_rate_ok()) {
		stats[ST_MREQ_RATELIMIT]++;
		return NULL;
	}
	if (!(p = calloc(1, sizeof(*p))))
		return NULL;
	p->t = t;
	p->eid = *eid;
	p->seid = *seid;
	p->smr = smr;
	p->subscribe = subscribe;
	p->nonce = nonce_new();
	p->mr = -1;
	timer_set(&p->timer, pend_timer, p);
	TAILQ_INSERT_TAIL(&t->itr->pending, p, entry);
	timer_add(&p->timer, pend_ask(p));
	return p;
}

/*
 * Ask the mapping system once where eid is now, for a site gateway
 * whose host left (gateway.c): the answer goes to done, not into the
 * map-cache.
 */
int
itr_locate(const struct prefix *eid, void (*done)(const struct prefix *,
    const struct lisp_rec *, const struct laddr *, void *), void *arg)
{
	struct tenant		*t = tenant_of(eid);
	struct laddr		 none = { 0 };
	struct mreq_pend	*p;

	if (!done || !t || !t->itr || !t->conf->nmr || pend_find(t, eid))
		return -1;
	if (!(p = pend_start(t, eid, &none, false, false)))
		return -1;
	p->located = done;
	p->located_arg = arg;
	return 0;
}

void
itr_handle_miss(uint32_t iid, const struct laddr *seid,
    const struct laddr *deid)
{
	struct tenant		*t = tenant_by_iid(iid);
	struct prefix		 eid;

	/* A tenant without the role (a reload is under way). */
	if (!t || !t->itr)
		return;
	stats[ST_MISS]++;
	prefix_host(&eid, iid, deid);
	/* The kernel repeats a miss for every held packet: ask once. */
	if (pend_find(t, &eid))
		return;
	pend_start(t, &eid, seid, false, t->conf->subscribe);
}

static struct mc_entry *
mc_find(struct tenant *t, const struct prefix *p)
{
	struct mc_entry	*e;

	TAILQ_FOREACH(e, &t->itr->cache, entry)
		if (prefix_eq(&e->m.eid, p))
			return e;
	return NULL;
}

/* The most specific entry covering p. */
static struct mc_entry *
mc_lookup(struct tenant *t, const struct prefix *p)
{
	struct mc_entry	*e, *best = NULL;

	TAILQ_FOREACH(e, &t->itr->cache, entry)
		if (prefix_covers(&e->m.eid, p) &&
		    (!best || e->m.eid.plen > best->m.eid.plen))
			best = e;
	return best;
}

void
itr_mc_free(struct mc_entry *e)
{
	timer_del(&e->timer);
	TAILQ_REMOVE(&e->t->itr->cache, e, entry);
	free(e);
}

static void
mc_expire(struct mc_entry *e)
{
	char		 s[PREFIXSTRLEN];

	log_debug("map-cache %s expired", prefix_fmt(&e->m.eid, s,
	    sizeof(s)));
	stats[ST_EXPIRE]++;
	kernel_map_del(&e->m.eid);
	itr_mc_free(e);
}

/* How long before its expiry an entry of ttl s is asked for again. */
static uint64_t
refresh_lead_ms(uint32_t ttl)
{
	uint64_t	lead = (uint64_t)ttl * 100;	/* a tenth */

	if (lead < 1000)
		lead = 1000;
	return lead > REFRESH_LEAD_MAX ? REFRESH_LEAD_MAX : lead;
}

/* Used lately: idle for less than half its TTL, and than a minute. */
static bool
mc_in_use(const struct mc_entry *e)
{
	struct kmap	k;
	uint64_t	max = (uint64_t)e->m.ttl * 500;

	if (max > REFRESH_IDLE_MAX)
		max = REFRESH_IDLE_MAX;
	return !kernel_map_get(&e->m.eid, &k) && k.idle_ms < max;
}

/* Run the timer of e at its refresh time, or at its expiry. */
static void
mc_arm(struct mc_entry *e)
{
	uint64_t	now = ev_now_ms(), lead = refresh_lead_ms(e->m.ttl);
	uint64_t	left = e->expires_ms > now ? e->expires_ms - now : 0;

	e->refresh_asked = left <= lead;
	timer_add(&e->timer, e->refresh_asked ? left : left - lead);
}

static void
mc_timer(void *arg)
{
	struct mc_entry	*e = arg;
	struct mreq_pend *p;
	struct laddr	 none = { 0 };
	char		 s[PREFIXSTRLEN];

	if (e->refresh_asked) {
		mc_expire(e);
		return;
	}
	/* The answer replaces it (mc_install); none: it expires. */
	if (mc_in_use(e) && !pend_find(e->t, &e->m.eid) &&
	    (p = pend_start(e->t, &e->m.eid, &none, false,
	    e->t->conf->subscribe))) {
		p->refresh = true;
		stats[ST_REFRESH]++;
		log_debug("map-cache %s: in use, asking again before it "
		    "expires", prefix_fmt(&e->m.eid, s, sizeof(s)));
	}
	mc_arm(e);
}

/* Put m in the kernel and keep it for ttl seconds from now. */
static void
mc_install(struct tenant *t, const struct kmap *m, uint32_t ttl, bool petr)
{
	struct loc_state loc[LISP_MAX_RLOCS];
	struct mc_entry	*e;
	struct kmap	 k = *m;
	char		 s[PREFIXSTRLEN];
	int		 i, j;

	/* A locator the new mapping keeps keeps what probing learned. */
	memset(loc, 0, sizeof(loc));
	k.down = 0;
	if ((e = mc_find(t, &m->eid)))
		for (i = 0; i < k.nrloc; i++)
			for (j = 0; j < e->m.nrloc; j++)
				if (addr_eq(&k.rloc[i].addr,
				    &e->m.rloc[j].addr)) {
					loc[i] = e->loc[j];
					if (e->m.down & (1u << j))
						k.down |= 1u << i;
				}
	if (kernel_map_replace(&k))
		return;
	stats[ST_INSTALL]++;
	if (!(e = mc_find(t, &m->eid))) {
		if (!(e = calloc(1, sizeof(*e))))
			return;
		e->t = t;
		timer_set(&e->timer, mc_timer, e);
		TAILQ_INSERT_TAIL(&t->itr->cache, e, entry);
	}
	e->m = k;
	memcpy(e->loc, loc, sizeof(loc));
	e->petr = petr;
	e->installed = ev_now();
	e->expires = e->installed + ttl;
	e->expires_ms = ev_now_ms() + (uint64_t)ttl * 1000;
	mc_arm(e);
	log_debug("map-cache %s installed, %u RLOCs, ttl %u s",
	    prefix_fmt(&m->eid, s, sizeof(s)), m->nrloc, ttl);
}

void
itr_install(struct tenant *t, const struct lisp_rec *rec,
    const struct prefix *eid)
{
	const struct tenant_conf *tc = t->conf;
	struct kmap	m;
	int		i;
	bool		petr = false;

	memset(&m, 0, sizeof(m));
	m.eid = *eid;
	m.ttl = rec->ttl * 60;
	for (i = 0; i < rec->nloc && m.nrloc < LISP_MAX_RLOCS; i++) {
		struct rloc *r = &m.rloc[m.nrloc];

		if (laddr_from_lisp(&rec->loc[i].addr, &r->addr))
			continue;
		r->priority = rec->loc[i].priority;
		r->weight = rec->loc[i].weight;
		m.nrloc++;
	}
	if (!m.nrloc) {
		m.action = rec->act;
		/* Not LISP: through a proxy-ETR when we have one (RFC 6832). */
		if (rec->act == LISP_ACT_NATIVE_FWD && tc->npetr) {
			m.action = LISP_ACTION_NONE;
			for (i = 0; i < tc->npetr && i < LISP_MAX_RLOCS; i++)
				m.rloc[m.nrloc++] = tc->petr[i];
			petr = true;
		}
		if (m.action == LISP_ACTION_NONE && !m.nrloc)
			m.action = LISP_ACTION_NATIVE_FORWARD;
		if (m.action > LISP_ACTION_MAX)
			m.action = LISP_ACTION_DROP;
	}
	mc_install(t, &m, m.ttl, petr);
}

/* Host EID of an SMR's source EID field, with its instance-id. */
static int
smr_eid(const struct lisp_addr *l, struct prefix *p)
{
	if (!prefix_from_lisp(l, 32, p) && p->family == AF_INET)
		return 0;
	return prefix_from_lisp(l, 128, p);
}

void
itr_handle_smr(const struct pkt *pkt, const struct lisp_mapreq *req)
{
	struct tenant	*t;
	struct mc_entry	*e;
	struct prefix	 eid, src;
	struct laddr	 seid = { 0 };
	char		 a[ADDRSTRLEN], s[PREFIXSTRLEN];

	stats[ST_SMR_RX]++;
	addr_fmt(&pkt->src, a, sizeof(a));
	if (smr_eid(&req->seid, &eid)) {
		log_peer_warnx(refuse(ST_RX_UNEXPECTED),
		    "SMR from %s without an IPv4/IPv6 source EID", a);
		return;
	}
	prefix_fmt(&eid, s, sizeof(s));
	/*
	 * Not cached: we learn it when we next send there (6.1).  The
	 * instance-id says whose cache: one tenant's SMR is no other's.
	 */
	t = tenant_of(&eid);
	if (!t || !t->itr || !(e = mc_lookup(t, &eid)) || e->petr) {
		log_peer_info(refuse(ST_SMR_UNCACHED),
		    "SMR from %s for %s: not in the map-cache, ignored", a, s);
		return;
	}
	if (pend_find(t, &eid) || (e->smr_ms &&
	    ev_now_ms() - e->smr_ms < SMR_INTERVAL_MS)) {
		refuse(ST_SMR_RATELIMIT);
		log_debug("SMR from %s for %s: asked less than %d s ago", a, s,
		    SMR_INTERVAL_MS / 1000);
		return;
	}
	e->smr_ms = ev_now_ms();
	/* Our EID the SMR names becomes the request's source EID. */
	if (req->nrec && !smr_eid(&req->rec[0].eid, &src)) {
		seid.family = src.family;
		memcpy(seid.a, src.a, sizeof(seid.a));
	}
	log_peer_info("smr-received",
	    "SMR from %s for %s: asking the mapping system again", a, s);
	pend_start(t, &eid, &seid, true, t->conf->subscribe);
}

/*
 * A negative answer to the refresh of an entry with locators.  The
 * entry's TTL still holds, and a Map-Server that has just restarted
 * has none of its site's registrations until the ETRs register again:
 * so a refresh never cuts an entry short.  It stays until it expires,
 * asked for again every REFRESH_RETRY_MS; a positive answer replaces
 * it, and once it has expired a new miss learns whatever is true then.
 */
static bool
refresh_denied(const struct mreq_pend *p, const struct lisp_rec *rec)
{
	struct mc_entry	*e = mc_find(p->t, &p->eid);
	uint64_t	 now = ev_now_ms();
	char		 s[PREFIXSTRLEN];

	if (rec->nloc || !e || !e->m.nrloc || e->petr)
		return false;
	stats[ST_REFRESH_NEGATIVE]++;
	log_debug("map-cache %s: refresh answered negatively, kept until "
	    "it expires", prefix_fmt(&e->m.eid, s, sizeof(s)));
	if (e->expires_ms > now + REFRESH_RETRY_MS) {
		e->refresh_asked = false;
		timer_add(&e->timer, REFRESH_RETRY_MS);
	}
	return true;
}

/* An answer to p for eid: into the map-cache, subscribed if p was. */
void
itr_reply_install(struct mreq_pend *p, const struct lisp_rec *rec,
    const struct prefix *eid)
{
	struct mc_entry	*e;

	itr_install(p->t, rec, eid);
	if (!(e = mc_find(p->t, eid)))
		return;
	/* TTL 0: use for the held packets, keep no longer. */
	if (rec->ttl == 0) {
		mc_expire(e);
		return;
	}
	if (p->subscribe && prefix_covers(eid, &p->eid))
		itr_sub_start(e, p);
}

/*
 * A record with locators none of which we can encapsulate to (all of
 * LCAF types the codec skips: NAT traversal, Geo ...).  Its ACT field
 * means nothing then (RFC 9301 5.4): it is no answer, neither a
 * mapping nor a negative one, and must not become natively-forward.
 */
bool
itr_no_usable_locator(const struct lisp_rec *rec)
{
	struct laddr	a;
	int		i;

	if (!rec->nloc && !rec->nloc_skipped)
		return false;
	for (i = 0; i < rec->nloc; i++)
		if (!laddr_from_lisp(&rec->loc[i].addr, &a))
			return false;
	return true;
}

void
itr_handle_reply(const struct pkt *pkt, const struct lisp_mapreply *rep)
{
	struct tenant		*t;
	struct mreq_pend	*p = NULL;
	struct prefix		 eid;
	char			 a[ADDRSTRLEN], s[PREFIXSTRLEN];
	int			 i, nused = 0, nunusable = 0;

	if (rep->flags & LISP_MREP_P) {
		itr_probe_reply(pkt, rep);
		return;
	}
	/* The nonce finds the request, and so the tenant that asked. */
	TENANT_FOREACH(t) {
		if (!t->itr)
			continue;
		TAILQ_FOREACH(p, &t->itr->pending, entry)
			if (!p->holddown && p->nonce == rep->nonce)
				break;
		if (p)
			break;
	}
	if (!p) {
		refuse(ST_MREP_NONCE);
		log_debug("Map-Reply from %s with an unknown nonce",
		    addr_fmt(&pkt->src, a, sizeof(a)));
		return;
	}
	if (pend_resolver(p))
		resolver_answered(pend_resolver(p));
	if (p->located) {
		for (i = 0; i < rep->nrec; i++)
			if (!prefix_from_lisp(&rep->rec[i].eid,
			    rep->rec[i].mlen, &eid) &&
			    prefix_covers(&eid, &p->eid))
				p->located(&p->eid, &rep->rec[i], &pkt->src,
				    p->located_arg);
		itr_pend_free(p);
		return;
	}
	for (i = 0; i < rep->nrec; i++) {
		const struct lisp_rec *rec = &rep->rec[i];

		if (prefix_from_lisp(&rec->eid, rec->mlen, &eid) ||
		    !prefix_covers(&eid, &p->eid)) {
			log_peer_warnx("map-reply-received",
			    "Map-Reply from %s: record does not cover "
			    "%s, ignored", addr_fmt(&pkt->src, a, sizeof(a)),
			    prefix_fmt(&p->eid, s, sizeof(s)));
			continue;
		}
		if (itr_no_usable_locator(rec)) {
			log_peer_warnx(refuse(ST_MREP_NO_LOCATOR),
			    "Map-Reply from %s for %s: no locator we can use "
			    "(%d of an LCAF type skipped), asking again",
			    addr_fmt(&pkt->src, a, sizeof(a)),
			    prefix_fmt(&eid, s, sizeof(s)), rec->nloc_skipped);
			nunusable++;
			continue;
		}
		nused++;
		if (p->refresh && refresh_denied(p, rec))
			continue;
		itr_reply_install(p, rec, &eid);
	}
	/* Nothing usable: as unanswered, retransmitted and held down. */
	if (nunusable && !nused)
		return;
	itr_pend_free(p);
}

/*
 * Entries that expired while no lispd ran.  Deleting one from inside
 * the dump would be a request in the middle of the dump, which reads
 * the dump's end as its own: so after it.
 */
#define ADOPT_EXPIRED_MAX	1024

struct adopt {
	struct tenant	*t;
	bool		 forget;	/* the tenant is gone: delete all */
	int		 n, nexpired;
	struct prefix	 expired[ADOPT_EXPIRED_MAX];
};

/* A learned entry of an earlier lispd: keep it for what its TTL has left. */
void
itr_adopt(struct tenant *t, const struct kmap *m)
{
	struct mc_entry	*e;
	int		 i;

	if (!(e = calloc(1, sizeof(*e))))
		return;
	e->t = t;
	e->m = *m;
	for (i = 0; i < m->nrloc; i++)
		e->loc[i].missed = m->down & (1u << i) ? PROBE_MISSES : 0;
	timer_set(&e->timer, mc_timer, e);
	TAILQ_INSERT_TAIL(&t->itr->cache, e, entry);
	e->installed = ev_now() - m->age;
	e->expires = e->installed + m->ttl;
	e->expires_ms = ev_now_ms() + (uint64_t)(m->ttl - m->age) * 1000;
	mc_arm(e);
}

static void
adopt_cb(const struct kmap *m, void *arg)
{
	struct adopt	*a = arg;

	if (m->flags & LISP_MAP_F_STATIC)
		return;
	/* Expired, or no longer ours: deleted after the dump. */
	if (a->forget || m->ttl <= m->age) {
		if (a->nexpired < ADOPT_EXPIRED_MAX)
			a->expired[a->nexpired++] = m->eid;
		return;
	}
	itr_adopt(a->t, m);
	a->n++;
}

/* What the kernel holds of a tenant's learned entries, after the dump. */
static void
adopt_all(struct tenant *t, bool forget)
{
	struct adopt	*a;
	int		 i;

	if (!t->ifindex || !(a = calloc(1, sizeof(*a))))
		return;
	a->t = t;
	a->forget = forget;
	kernel_map_dump(t->iid, adopt_cb, a);
	for (i = 0; i < a->nexpired; i++)
		kernel_map_del(&a->expired[i]);
	if (a->n)
		log_info("%s: map-cache: adopted %d entries from the kernel",
		    tenant_name(t), a->n);
	free(a);
}

static void
itr_start(struct tenant *t)
{
	if (t->itr)
		return;
	if (!(t->itr = calloc(1, sizeof(*t->itr))))
		fatal("itr_start");
	TAILQ_INIT(&t->itr->pending);
	TAILQ_INIT(&t->itr->cache);
	adopt_all(t, false);
}

/* Entries stay in the kernel: the next itr_start() adopts them. */
static void
itr_stop(struct tenant *t)
{
	if (!t->itr)
		return;
	while (!TAILQ_EMPTY(&t->itr->pending))
		itr_pend_free(TAILQ_FIRST(&t->itr->pending));
	while (!TAILQ_EMPTY(&t->itr->cache))
		itr_mc_free(TAILQ_FIRST(&t->itr->cache));
	free(t->itr);
	t->itr = NULL;
}

void
itr_forget(struct tenant *t)
{
	itr_stop(t);
	adopt_all(t, true);
}

void
itr_init(void)
{
	struct tenant	*t;

	TENANT_FOREACH(t)
		itr_start(t);
	itr_probe_init();
}

void
itr_shutdown(void)
{
	struct tenant	*t;

	itr_probe_shutdown();
	TENANT_FOREACH(t)
		itr_stop(t);
}

static void
show_tenant(json_object *arr, const struct tenant *t)
{
	struct mc_entry	*e;
	time_t		 now = ev_now();
	char		 s[PREFIXSTRLEN];
	int		 i;

	TAILQ_FOREACH(e, &t->itr->cache, entry) {
		json_object *o = json_object_new_object(), *rl;

		json_object_object_add(o, "iid", json_object_new_int64(t->iid));
		json_object_object_add(o, "eid", json_object_new_string(
		    prefix_fmt(&e->m.eid, s, sizeof(s))));
		json_object_object_add(o, "action",
		    json_object_new_int(e->m.action));
		json_object_object_add(o, "ttl", json_object_new_int64(e->m.ttl));
		json_object_object_add(o, "expires", json_object_new_int64(
		    (int64_t)(e->expires - now)));
		if (e->petr)
			json_object_object_add(o, "proxy-etr",
			    json_object_new_boolean(1));
		rl = json_object_new_array();
		for (i = 0; i < e->m.nrloc; i++) {
			json_object *r = json_object_new_object();

			json_object_object_add(r, "address", json_object_new_string(
			    addr_fmt(&e->m.rloc[i].addr, s, sizeof(s))));
			json_object_object_add(r, "priority",
			    json_object_new_int(e->m.rloc[i].priority));
			json_object_object_add(r, "weight",
			    json_object_new_int(e->m.rloc[i].weight));
			json_object_object_add(r, "state", json_object_new_string(
			    e->m.down & (1u << i) ? "down" : "up"));
			if (e->loc[i].answered)
				json_object_object_add(r, "rtt-ms",
				    json_object_new_int64(e->loc[i].rtt_ms));
			if (e->loc[i].missed)
				json_object_object_add(r, "probes-missed",
				    json_object_new_int(e->loc[i].missed));
			json_object_array_add(rl, r);
		}
		json_object_object_add(o, "rlocs", rl);
		json_object_array_add(arr, o);
	}
}

json_object *
itr_show(void)
{
	json_object	*arr = json_object_new_array();
	struct tenant	*t;

	TENANT_FOREACH(t)
		if (t->itr)
			show_tenant(arr, t);
	return arr;
}
