/* SPDX-License-Identifier: MIT */
/*
 * ITR and PITR (RFC 9301 sections 5.3, 5.4, 6): a kernel MISS becomes
 * an ECM Map-Request to a map-resolver, retransmitted after 1, 2 and
 * 4 s; 8 s after the last it is given up and the EID held down for
 * MREQ_HOLDDOWN s.  A Map-Reply with the nonce of an outstanding
 * request is installed in the kernel map-cache, which releases the
 * packets it held, and removed again when its TTL runs out.
 *
 * Only records covering the EID we asked for are installed: the nonce
 * is the sole proof that a reply answers us, and a record for another
 * prefix would let whoever answers rewrite any part of the cache.
 */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "lispd.h"

struct mreq_pend {
	TAILQ_ENTRY(mreq_pend) entry;
	struct timer	 timer;
	struct prefix	 eid;		/* the host that missed */
	struct laddr	 seid;
	uint64_t	 nonce;
	int		 tries;
	bool		 holddown;	/* unanswered: wait before asking again */
};

struct mc_entry {
	TAILQ_ENTRY(mc_entry) entry;
	struct timer	 timer;
	struct kmap	 m;
	time_t		 installed;
	time_t		 expires;
	bool		 petr;		/* negative, sent to the proxy-ETRs */
};

static TAILQ_HEAD(, mreq_pend) pending = TAILQ_HEAD_INITIALIZER(pending);
static TAILQ_HEAD(, mc_entry) cache = TAILQ_HEAD_INITIALIZER(cache);
static struct lisp_mapreq	 mreq;
static uint8_t			 obuf[4096];
static uint64_t			 bucket_ms;	/* token bucket, in ms */

/* MREQ_RATE a second, bursts of as many. */
static bool
itr_rate_ok(void)
{
	uint64_t	now = ev_now_ms(), per = 1000 / MREQ_RATE;

	if (bucket_ms + 1000 < now)
		bucket_ms = now - 1000;
	if (bucket_ms + per > now)
		return false;
	bucket_ms += per;
	return true;
}

static void
pend_free(struct mreq_pend *p)
{
	timer_del(&p->timer);
	TAILQ_REMOVE(&pending, p, entry);
	free(p);
}

static int
itr_send_request(struct mreq_pend *p)
{
	const struct laddr	*mr = &conf->mr[p->tries % conf->nmr];
	struct laddr		 rloc, isrc, idst;
	char			 a[ADDRSTRLEN], s[PREFIXSTRLEN];
	int			 n;

	if (net_local_addr(mr, &rloc)) {
		log_warn("no route to map-resolver %s", addr_fmt(mr, a,
		    sizeof(a)));
		return -1;
	}
	memset(&mreq, 0, sizeof(mreq));
	mreq.nonce = p->nonce;
	if (conf->roles & ROLE_PITR)
		mreq.flags |= LISP_MREQ_PITR;
	else
		laddr_to_lisp(&p->seid, &mreq.seid);
	mreq.nitr = 1;
	laddr_to_lisp(&rloc, &mreq.itr[0]);
	mreq.nrec = 1;
	mreq.rec[0].mlen = p->eid.plen;
	prefix_to_lisp(&p->eid, &mreq.rec[0].eid);
	n = lisp_mapreq_encode(obuf, sizeof(obuf), &mreq);
	if (n < 0) {
		log_warnx("Map-Request encode: %s", lisp_strerror(-n));
		return -1;
	}
	/* Inner header: our RLOC to the EID, or EID to EID across families. */
	idst.family = p->eid.family;
	memcpy(idst.a, p->eid.a, 16);
	isrc = rloc.family == idst.family ? rloc : p->seid;
	if (net_send_ecm(mr, &isrc, &idst, LISP_CONTROL_PORT, obuf,
	    (size_t)n))
		return -1;
	stats[p->tries ? ST_MREQ_RETRY : ST_MREQ_TX]++;
	log_debug("Map-Request for %s to %s (try %d)",
	    prefix_fmt(&p->eid, s, sizeof(s)), addr_fmt(mr, a, sizeof(a)),
	    p->tries + 1);
	return 0;
}

static void
pend_timer(void *arg)
{
	struct mreq_pend	*p = arg;
	char			 s[PREFIXSTRLEN];

	if (p->holddown) {
		pend_free(p);
		return;
	}
	if (p->tries >= MREQ_RETRIES) {
		stats[ST_MREQ_GIVEUP]++;
		log_info("no Map-Reply for %s, holding down %d s",
		    prefix_fmt(&p->eid, s, sizeof(s)), MREQ_HOLDDOWN);
		p->holddown = true;
		timer_add(&p->timer, MREQ_HOLDDOWN * 1000);
		return;
	}
	p->tries++;
	itr_send_request(p);
	timer_add(&p->timer, 1000ull << p->tries);
}

void
itr_handle_miss(int ifindex, uint32_t iid, const struct laddr *seid,
    const struct laddr *deid)
{
	struct mreq_pend	*p;
	struct prefix		 eid;

	if (ifindex != kernel_ifindex())
		return;
	stats[ST_MISS]++;
	prefix_host(&eid, iid, deid);
	/* The kernel repeats a miss for every held packet: ask once. */
	TAILQ_FOREACH(p, &pending, entry)
		if (prefix_eq(&p->eid, &eid))
			return;
	if (!itr_rate_ok()) {
		stats[ST_MREQ_RATELIMIT]++;
		return;
	}
	if (!(p = calloc(1, sizeof(*p))))
		return;
	p->eid = eid;
	p->seid = *seid;
	p->nonce = nonce_new();
	timer_set(&p->timer, pend_timer, p);
	TAILQ_INSERT_TAIL(&pending, p, entry);
	itr_send_request(p);
	timer_add(&p->timer, 1000);
}

static struct mc_entry *
mc_find(const struct prefix *p)
{
	struct mc_entry	*e;

	TAILQ_FOREACH(e, &cache, entry)
		if (prefix_eq(&e->m.eid, p))
			return e;
	return NULL;
}

static void
mc_free(struct mc_entry *e)
{
	timer_del(&e->timer);
	TAILQ_REMOVE(&cache, e, entry);
	free(e);
}

static void
mc_expire(void *arg)
{
	struct mc_entry	*e = arg;
	char		 s[PREFIXSTRLEN];

	log_debug("map-cache %s expired", prefix_fmt(&e->m.eid, s,
	    sizeof(s)));
	stats[ST_EXPIRE]++;
	kernel_map_del(&e->m.eid);
	mc_free(e);
}

/* Put m in the kernel and keep it for ttl seconds from now. */
static void
mc_install(const struct kmap *m, uint32_t ttl, bool petr)
{
	struct mc_entry	*e;
	char		 s[PREFIXSTRLEN];

	if (kernel_map_replace(m))
		return;
	stats[ST_INSTALL]++;
	if (!(e = mc_find(&m->eid))) {
		if (!(e = calloc(1, sizeof(*e))))
			return;
		timer_set(&e->timer, mc_expire, e);
		TAILQ_INSERT_TAIL(&cache, e, entry);
	}
	e->m = *m;
	e->petr = petr;
	e->installed = ev_now();
	e->expires = e->installed + ttl;
	timer_add(&e->timer, (uint64_t)ttl * 1000);
	log_debug("map-cache %s installed, %u RLOCs, ttl %u s",
	    prefix_fmt(&m->eid, s, sizeof(s)), m->nrloc, ttl);
}

static void
itr_install(const struct lisp_rec *rec, const struct prefix *eid)
{
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
		if (rec->act == LISP_ACT_NATIVE_FWD && conf->npetr) {
			m.action = LISP_ACTION_NONE;
			for (i = 0; i < conf->npetr && i < LISP_MAX_RLOCS; i++)
				m.rloc[m.nrloc++] = conf->petr[i];
			petr = true;
		}
		if (m.action == LISP_ACTION_NONE && !m.nrloc)
			m.action = LISP_ACTION_NATIVE_FORWARD;
		if (m.action > LISP_ACTION_MAX)
			m.action = LISP_ACTION_DROP;
	}
	mc_install(&m, m.ttl, petr);
}

void
itr_handle_reply(const struct pkt *pkt, const struct lisp_mapreply *rep)
{
	struct mreq_pend	*p;
	struct prefix		 eid;
	char			 a[ADDRSTRLEN], s[PREFIXSTRLEN];
	int			 i;

	TAILQ_FOREACH(p, &pending, entry)
		if (!p->holddown && p->nonce == rep->nonce)
			break;
	if (!p) {
		stats[ST_MREP_NONCE]++;
		log_debug("Map-Reply from %s with an unknown nonce",
		    addr_fmt(&pkt->src, a, sizeof(a)));
		return;
	}
	for (i = 0; i < rep->nrec; i++) {
		const struct lisp_rec *rec = &rep->rec[i];

		if (prefix_from_lisp(&rec->eid, rec->mlen, &eid) ||
		    !prefix_covers(&eid, &p->eid)) {
			log_warnx("Map-Reply from %s: record does not cover "
			    "%s, ignored", addr_fmt(&pkt->src, a, sizeof(a)),
			    prefix_fmt(&p->eid, s, sizeof(s)));
			continue;
		}
		/* TTL 0: use for the held packets, keep no longer. */
		itr_install(rec, &eid);
		if (rec->ttl == 0 && mc_find(&eid))
			mc_expire(mc_find(&eid));
	}
	pend_free(p);
}

/* A learned entry of an earlier lispd: keep it for what its TTL has left. */
void
itr_adopt(const struct kmap *m)
{
	struct mc_entry	*e;

	if (m->flags & LISP_MAP_F_STATIC)
		return;
	if (m->ttl <= m->age) {
		kernel_map_del(&m->eid);
		return;
	}
	if (!(e = calloc(1, sizeof(*e))))
		return;
	e->m = *m;
	timer_set(&e->timer, mc_expire, e);
	TAILQ_INSERT_TAIL(&cache, e, entry);
	e->installed = ev_now() - m->age;
	e->expires = e->installed + m->ttl;
	timer_add(&e->timer, (uint64_t)(m->ttl - m->age) * 1000);
}

static void
adopt_cb(const struct kmap *m, void *arg)
{
	(void)arg;
	itr_adopt(m);
}

void
itr_init(void)
{
	int	n = 0;
	struct mc_entry *e;

	kernel_map_dump(adopt_cb, NULL);
	TAILQ_FOREACH(e, &cache, entry)
		n++;
	if (n)
		log_info("map-cache: adopted %d entries from the kernel", n);
}

/* Entries stay in the kernel: the next itr_init() adopts them. */
void
itr_shutdown(void)
{
	while (!TAILQ_EMPTY(&pending))
		pend_free(TAILQ_FIRST(&pending));
	while (!TAILQ_EMPTY(&cache))
		mc_free(TAILQ_FIRST(&cache));
}

json_object *
itr_show(void)
{
	json_object	*arr = json_object_new_array();
	struct mc_entry	*e;
	time_t		 now = ev_now();
	char		 s[PREFIXSTRLEN];
	int		 i;

	TAILQ_FOREACH(e, &cache, entry) {
		json_object *o = json_object_new_object(), *rl;

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
			json_object_array_add(rl, r);
		}
		json_object_object_add(o, "rlocs", rl);
		json_object_array_add(arr, o);
	}
	return arr;
}
