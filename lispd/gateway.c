/* SPDX-License-Identifier: MIT */
/*
 * The site gateway of dynamic EIDs (LISP host mobility): the ETR that
 * registers each host of a dynamic-eid prefix, as a /32 or /128
 * more-specific, with every Map-Server (RFC 9301 8.2) and keeps it
 * registered while the host lives.  Its hosts are found by the kernel
 * (hosts.c) or reported by a first-hop router in an EID-notify (a
 * Map-Register with the E bit, RFC 9301 5.6, signed with the
 * dynamic-eid's eid-notify-key).
 *
 * When a Map-Server's Map-Notify (5.7) says another site now registers
 * a host, it moved away: it is forgotten (and by the first-hop router
 * that reported it), and an away entry sends what still arrives for it
 * on to the new site, soliciting the sender's ITR to ask again (SMR,
 * 6.1).  A host that left without such a Map-Notify is withdrawn and
 * chased: the mapping system is asked where it went.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <json-c/json.h>

#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "kernel.h"
#include "net.h"
#include "packet.h"
#include "stats.h"
#include "register.h"
#include "notify.h"
#include "etr.h"
#include "tenant.h"
#include "gateway.h"
#include "hosts.h"
#include "itr.h"

/*
 * A notified host not refreshed for 3 intervals is dropped; the first-hop
 * router may refresh at the default interval however fast we register.
 */
#define NOTIFIED_HOLD	(3 * (register_interval() > REGISTER_INTERVAL ? \
			      register_interval() : REGISTER_INTERVAL))
#define NONCE_MEMORY	64		/* EID-notify nonces remembered */
#define RETRANSMIT_AGE	120		/* s a repeated nonce is a resend */
#define CHASE_TRIES	7		/* asked after 1, 2, 4 ... 64 s */

struct dyn_away {
	TAILQ_ENTRY(dyn_away) entry;
	struct tenant	*t;
	char		 policy[DYNEID_NAME_MAX];
	struct kmap	 map;		/* the kernel's away entry */
	struct laddr	 told_by;	/* the Map-Server */
	time_t		 since;
	struct timer	 expire;
};

/* A host that left, until the mapping system says where it went. */
struct dyn_chase {
	TAILQ_ENTRY(dyn_chase) entry;
	struct tenant	*t;
	char		 policy[DYNEID_NAME_MAX];
	struct prefix	 eid;
	struct timer	 timer;
	unsigned int	 tries;
};

struct seen_nonce {
	uint64_t	 nonce;
	time_t		 when;
};

/* A tenant's: its hosts gone elsewhere, and those being looked for. */
struct gateway_state {
	TAILQ_HEAD(, dyn_away)	aways;
	TAILQ_HEAD(, dyn_chase)	chases;
};

/* Shared: the EID-notify nonces seen, whoever's (replays). */
static struct seen_nonce	seen[NONCE_MEMORY];
static unsigned int		seen_next;
static struct lisp_mapreg	msg;		/* an EID-notify received */

/* The gateway state of eid's tenant, made on first use (make). */
static struct gateway_state *
state_of(const struct prefix *eid, bool make)
{
	struct tenant	*t = tenant_of(eid);

	if (!t || (!t->gw && !make))
		return NULL;
	if (!t->gw) {
		if (!(t->gw = calloc(1, sizeof(*t->gw))))
			return NULL;
		TAILQ_INIT(&t->gw->aways);
		TAILQ_INIT(&t->gw->chases);
	}
	return t->gw;
}

static struct dyn_away *
away_find(const struct prefix *eid)
{
	struct gateway_state	*g = state_of(eid, false);
	struct dyn_away		*a;

	if (!g)
		return NULL;
	TAILQ_FOREACH(a, &g->aways, entry)
		if (prefix_eq(&a->map.eid, eid))
			return a;
	return NULL;
}

/* ---- registering hosts with the Map-Servers ---- */

/* The host's record: the policy's locators, a Record TTL 0 withdraws. */
static bool
host_record(const struct dyneid_conf *d, const struct prefix *eid,
    bool withdraw, struct lisp_mapreg *m)
{
	struct dbmap	db;

	if (!d)
		return false;
	memset(&db, 0, sizeof(db));
	db.eid = *eid;
	db.nrloc = d->nrloc;
	memcpy(db.rloc, d->rloc, sizeof(db.rloc));
	etr_record(&db, &m->rec[0]);
	if (withdraw)
		m->rec[0].ttl = 0;
	m->nrec = 1;
	return true;
}

static bool
host_build(struct registration *r, struct lisp_mapreg *m)
{
	struct dyn_host	*h = r->owner;

	return host_record(dyneid_policy(h->policy), &h->eid, false, m);
}

static void
host_sent(struct registration *r, const struct lisp_mapreg *m)
{
	struct dyn_host	*h = r->owner;
	char		 a[ADDRSTRLEN], p[PREFIXSTRLEN];

	(void)m;
	if (!r->acked && r->backoff == 1)
		log_info("dynamic-eid %s: %s Map-Register to %s", h->policy,
		    prefix_fmt(&h->eid, p, sizeof(p)),
		    addr_fmt(&r->peer->addr, a, sizeof(a)));
}

static const struct registration_ops host_ops = {
	.build = host_build,
	.sent = host_sent,
};

/* The Map-Servers and resolvers of the tenant an EID is in. */
static const struct tenant_conf *
tenant_conf_of(const struct prefix *eid)
{
	const struct tenant	*t = tenant_of(eid);

	return t ? t->conf : NULL;
}

/* Register h with every Map-Server of its tenant now, and keep it so. */
static void
host_register(struct dyn_host *h)
{
	const struct tenant_conf *tc = tenant_conf_of(&h->eid);
	int			 i;

	if (!tc)
		return;
	if (!h->reg) {
		h->reg = calloc((size_t)tc->nms + 1, sizeof(*h->reg));
		if (!h->reg)
			return;
		h->nreg = tc->nms;
		for (i = 0; i < h->nreg; i++)
			registration_init(&h->reg[i], &tc->ms[i], 0,
			    &host_ops, h);
	}
	/* At once, not at the next turn of the loop: a move is timed. */
	for (i = 0; i < h->nreg; i++)
		registration_start(&h->reg[i]);
}

struct acked_arg {
	const struct pkt	*pkt;
	uint64_t		 nonce;
};

/* Does this Map-Notify acknowledge one of h's registrations? */
static bool
host_acked(struct dyn_host *h, void *arg)
{
	const struct acked_arg	*aa = arg;
	char			 a[ADDRSTRLEN], p[PREFIXSTRLEN];
	bool			 first;
	int			 i;

	for (i = 0; i < h->nreg; i++) {
		first = !h->reg[i].acked;
		if (!registration_acked(&h->reg[i], &aa->pkt->src, aa->nonce))
			continue;
		if (first)
			log_info("dynamic-eid %s: %s registered with "
			    "map-server %s", h->policy,
			    prefix_fmt(&h->eid, p, sizeof(p)),
			    addr_fmt(&aa->pkt->src, a, sizeof(a)));
		return true;
	}
	return false;
}

/* A Map-Notify from a Map-Server: one of the hosts' registrations (true)? */
static bool
host_notify_acked(const struct pkt *pkt, const struct lisp_mapreg *m)
{
	struct acked_arg	aa = { pkt, m->nonce };

	return dyneid_foreach(host_acked, &aa);
}

/* ---- away entries (the old site) ---- */

static void
away_free(struct dyn_away *a, bool kernel)
{
	if (kernel)
		kernel_map_del(&a->map.eid);
	timer_del(&a->expire);
	TAILQ_REMOVE(&a->t->gw->aways, a, entry);
	free(a);
}

static void
away_expire(void *arg)
{
	struct dyn_away	*a = arg;
	char		 p[PREFIXSTRLEN];

	log_info("dynamic-eid %s: away entry %s expired", a->policy,
	    prefix_fmt(&a->map.eid, p, sizeof(p)));
	away_free(a, true);
}

/*
 * Send what still arrives for eid to where rec says it is now; the
 * kernel solicits each ITR that sends here to ask again.
 */
static void	chase_cancel(const struct prefix *);

static void
away_install(const struct dyneid_conf *d, const struct prefix *eid,
    const struct lisp_rec *rec, const char *how, const struct laddr *from)
{
	struct dyn_away	*a = away_find(eid);
	struct kmap	 m;
	char		 p[PREFIXSTRLEN], r[ADDRSTRLEN], s[ADDRSTRLEN];
	int		 i;

	memset(&m, 0, sizeof(m));
	m.eid = *eid;
	m.action = LISP_ACTION_NONE;
	m.flags = LISP_MAP_F_AWAY;
	m.ttl = rec->ttl ? rec->ttl * 60 : TTL_DEFAULT * 60;
	for (i = 0; i < rec->nloc && m.nrloc < LISP_MAX_RLOCS; i++) {
		struct rloc *rl = &m.rloc[m.nrloc];

		if (laddr_from_lisp(&rec->loc[i].addr, &rl->addr) ||
		    rec->loc[i].priority == 255)
			continue;
		rl->priority = rec->loc[i].priority;
		rl->weight = rec->loc[i].weight;
		m.nrloc++;
	}
	prefix_fmt(eid, p, sizeof(p));
	if (!m.nrloc) {
		log_info("dynamic-eid %s: %s moved away, no usable locator "
		    "to send its traffic on", d->name, p);
		return;
	}
	if (kernel_map_replace(&m))
		return;
	if (!a) {
		struct gateway_state *g = state_of(eid, true);

		if (!g || !(a = calloc(1, sizeof(*a))))
			return;
		a->t = tenant_of(eid);
		timer_set(&a->expire, away_expire, a);
		TAILQ_INSERT_TAIL(&g->aways, a, entry);
	}
	snprintf(a->policy, sizeof(a->policy), "%s", d->name);
	a->map = m;
	a->told_by = *from;
	a->since = ev_now();
	timer_add(&a->expire, (uint64_t)m.ttl * 1000);
	chase_cancel(eid);
	log_info("dynamic-eid %s: %s moved away to %s (%s %s); "
	    "away entry installed", d->name, p,
	    addr_fmt(&m.rloc[0].addr, r, sizeof(r)), how,
	    addr_fmt(from, s, sizeof(s)));
}

/* The host is here again: traffic for it must stop going elsewhere. */
static void
away_cancel(const struct prefix *eid)
{
	struct dyn_away	*a = away_find(eid);
	char		 p[PREFIXSTRLEN];

	chase_cancel(eid);
	if (!a)
		return;
	log_info("dynamic-eid %s: %s is back, away entry removed", a->policy,
	    prefix_fmt(eid, p, sizeof(p)));
	away_free(a, true);
}

/* Does rec (from a Map-Notify or a Map-Reply) name one of our locators? */
static bool
rec_is_ours(const struct dyneid_conf *d, const struct lisp_rec *rec)
{
	struct laddr	a;
	int		i, j;

	for (i = 0; i < rec->nloc; i++) {
		if (laddr_from_lisp(&rec->loc[i].addr, &a))
			continue;
		for (j = 0; j < d->nrloc; j++)
			if (addr_eq(&a, &d->rloc[j].addr))
				return true;
	}
	return false;
}

/* ---- hosts that left ---- */

/*
 * A host left this site without a Map-Server saying that another site
 * registered it: the new site may not have registered it yet, or the
 * Map-Server restarted and forgot who registered it before.  Ask the
 * mapping system where it is after 1, 2, 4 ... 64 s; once another site
 * has it, an away entry sends on what still arrives here and solicits
 * the ITRs that send it (SMR), as the Map-Notify would have.
 */
static struct dyn_chase *
chase_find(const struct prefix *eid)
{
	struct gateway_state	*g = state_of(eid, false);
	struct dyn_chase	*c;

	if (!g)
		return NULL;
	TAILQ_FOREACH(c, &g->chases, entry)
		if (prefix_eq(&c->eid, eid))
			return c;
	return NULL;
}

static void
chase_free(struct dyn_chase *c)
{
	timer_del(&c->timer);
	TAILQ_REMOVE(&c->t->gw->chases, c, entry);
	free(c);
}

static void
chase_cancel(const struct prefix *eid)
{
	struct dyn_chase *c = chase_find(eid);

	if (c)
		chase_free(c);
}

/*
 * itr_locate()'s answer: where eid is registered now.  By eid, not by
 * its chase (arg), which may have ended before the answer came.
 */
static void
chase_located(const struct prefix *eid, const struct lisp_rec *rec,
    const struct laddr *from, void *arg)
{
	struct dyn_chase	*c = chase_find(eid);
	const struct dyneid_conf *d;

	(void)arg;
	if (!c || !(d = dyneid_policy(c->policy)) || !dyneid_gateway(d))
		return;
	/* Not registered yet, or still our old registration: ask again. */
	if (!rec->nloc || rec_is_ours(d, rec) || host_find(eid))
		return;
	away_install(d, eid, rec, "Map-Reply from", from);
}

static void
chase_timer(void *arg)
{
	struct dyn_chase *c = arg;
	char		 p[PREFIXSTRLEN];

	if (c->tries >= CHASE_TRIES ||
	    !dyneid_gateway(dyneid_policy(c->policy))) {
		log_info("dynamic-eid %s: %s left; no other site registers "
		    "it", c->policy, prefix_fmt(&c->eid, p, sizeof(p)));
		chase_free(c);
		return;
	}
	/* Rate-limited or already asked: the next try asks. */
	itr_locate(&c->eid, chase_located, NULL);
	timer_add(&c->timer, 1000ull << ++c->tries);
}

static void
chase_start(const struct dyneid_conf *d, const struct prefix *eid)
{
	const struct tenant_conf *tc = tenant_conf_of(eid);
	struct dyn_chase *c = chase_find(eid);

	if (!tc || !tc->nmr)
		return;
	if (!c) {
		struct gateway_state *g = state_of(eid, true);

		if (!g || !(c = calloc(1, sizeof(*c))))
			return;
		c->t = tenant_of(eid);
		timer_set(&c->timer, chase_timer, c);
		TAILQ_INSERT_TAIL(&g->chases, c, entry);
	}
	snprintf(c->policy, sizeof(c->policy), "%s", d->name);
	c->eid = *eid;
	c->tries = 0;
	timer_add(&c->timer, 1000);
}

/*
 * A host of this gateway left: withdraw it from the Map-Servers (Record
 * TTL 0; a Map-Server that does not take withdrawals lets it lapse in 3
 * minutes) and find out where it went.
 */
static void
host_withdraw(const struct dyneid_conf *d, const struct prefix *eid)
{
	const struct tenant_conf *tc = tenant_conf_of(eid);
	char	p[PREFIXSTRLEN];
	int	i, n = 0;

	if (!dyneid_gateway(d) || !tc)
		return;
	for (i = 0; i < tc->nms; i++) {
		struct lisp_mapreg *m = register_msg();

		m->nonce = nonce_new();		/* no M: nothing to wait for */
		if (host_record(d, eid, true, m) &&
		    !register_send(&tc->ms[i], m))
			n++;
	}
	if (n)
		log_info("dynamic-eid %s: %s withdrawn from %d map-server%s",
		    d->name, prefix_fmt(eid, p, sizeof(p)), n,
		    n == 1 ? "" : "s");
	chase_start(d, eid);
}

static void
host_left(struct dyn_host *h)
{
	const struct dyneid_conf *d = dyneid_policy(h->policy);
	struct prefix		 eid = h->eid;

	host_free(h);
	host_withdraw(d, &eid);
}

/* An unsolicited Map-Notify: hosts of ours that another site registers. */
static void
host_moved(const struct pkt *pkt, const struct lisp_mapreg *m)
{
	const struct dyneid_conf *d;
	struct dyn_host		*h;
	struct prefix		 eid;
	int			 i;

	for (i = 0; i < m->nrec; i++) {
		const struct lisp_rec *rec = &m->rec[i];

		if (prefix_from_lisp(&rec->eid, rec->mlen, &eid) ||
		    eid.plen != addr_bits(eid.family))
			continue;
		d = dyneid_covering(&eid);
		if (!dyneid_gateway(d) || rec_is_ours(d, rec))
			continue;
		/* First what keeps the traffic flowing, then the cleanup. */
		away_install(d, &eid, rec, "Map-Notify from", &pkt->src);
		if ((h = host_find(&eid))) {
			if (h->notified) {
				struct mserver auth = {
					.key = d->notify_key,
					.key_id = h->fhr_key_id,
					.alg = h->fhr_alg,
				};
				char a[ADDRSTRLEN], p[PREFIXSTRLEN];

				if (d->notify_key &&
				    !notify_reliable(&h->fhr, h->fhr_port,
				    &auth, rec, 1))
					log_info("dynamic-eid %s: %s moved "
					    "away, Map-Notify to first-hop "
					    "router %s", d->name,
					    prefix_fmt(&eid, p, sizeof(p)),
					    addr_fmt(&h->fhr, a, sizeof(a)));
			}
			dyneid_forget(&eid);
		}
	}
}

/* ---- EID-notify from first-hop routers ---- */

static void
notified_expire(void *arg)
{
	struct dyn_host	*h = arg;
	char		 p[PREFIXSTRLEN], a[ADDRSTRLEN];

	log_info("dynamic-eid %s: %s not refreshed by first-hop router %s, "
	    "dropped", h->policy, prefix_fmt(&h->eid, p, sizeof(p)),
	    addr_fmt(&h->fhr, a, sizeof(a)));
	host_route_del(&h->eid, 0);
	host_left(h);
}

/* A notified host's refresh deadline, from now. */
static void
hold_add(struct dyn_host *h)
{
	if (h->hold.cb != notified_expire)
		timer_set(&h->hold, notified_expire, h);
	timer_add(&h->hold, (uint64_t)NOTIFIED_HOLD * 1000);
}

/* A resend of a recent EID-notify (true), or a replay of an old one. */
static int
nonce_check(uint64_t nonce, time_t now)
{
	unsigned int	i;

	for (i = 0; i < NONCE_MEMORY; i++)
		if (seen[i].when && seen[i].nonce == nonce)
			return now - seen[i].when <= RETRANSMIT_AGE ? 1 : -1;
	seen[seen_next].nonce = nonce;
	seen[seen_next].when = now;
	seen_next = (seen_next + 1) % NONCE_MEMORY;
	return 0;
}

/* stat: the reason's counter; ST_RX_BAD: malformed, err the codec's. */
static void
eid_notify_reject(const struct pkt *pkt, const char *why, int stat, int err)
{
	const char	*key;
	char		 a[ADDRSTRLEN];

	key = stat == ST_RX_BAD ? refuse_malformed(err) : refuse(stat);
	log_peer_warnx(key, "EID-notify from %s refused: %s",
	    addr_fmt(&pkt->src, a, sizeof(a)), why);
}

/* Apply one verified record; false when it names no host of d. */
static void
eid_notify_record(const struct pkt *pkt, const struct dyneid_conf *d,
    const struct prefix *eid, const struct lisp_rec *rec)
{
	struct dyn_host	*h = host_find(eid);
	char		 p[PREFIXSTRLEN], a[ADDRSTRLEN];
	bool		 fresh, moved;

	prefix_fmt(eid, p, sizeof(p));
	addr_fmt(&pkt->src, a, sizeof(a));
	if (!rec->ttl) {
		if (h && h->notified && addr_eq(&h->fhr, &pkt->src)) {
			log_info("dynamic-eid %s: %s withdrawn by first-hop "
			    "router %s", d->name, p, a);
			host_route_del(eid, 0);
			host_left(h);
		}
		return;
	}
	if (!(h = host_get(d, eid, &fresh)))
		return;
	moved = fresh || !h->notified || !addr_eq(&h->fhr, &pkt->src);
	h->notified = true;
	h->fhr = pkt->src;
	h->fhr_port = pkt->sport;
	h->fhr_key_id = msg.key_id;
	h->fhr_alg = msg.alg_id;
	h->last = ev_now();
	hold_add(h);
	if (!moved)
		return;
	log_info("dynamic-eid %s: %s notified by first-hop router %s",
	    d->name, p, a);
	host_register(h);
	host_route_add(eid, &pkt->src, 0);
	away_cancel(eid);
}

void
gateway_eid_notify(const struct pkt *pkt, const uint8_t *buf, size_t len)
{
	const struct dyneid_conf *d = NULL;
	struct prefix		 eid;
	struct mserver		 auth;
	char			 why[128], p[PREFIXSTRLEN];
	int			 i, n, err, fresh;
	uint8_t			 out[LISPD_MSG_MAX];

	if ((err = lisp_mapreg_decode(buf, len, &msg)) < 0) {
		snprintf(why, sizeof(why), "malformed: %s", lisp_strerror(-err));
		eid_notify_reject(pkt, why, ST_RX_BAD, err);
		return;
	}
	if (!(conf->roles & ROLE_ETR) || !msg.nrec) {
		eid_notify_reject(pkt, "not a site gateway, or no records",
		    ST_MREG_REJECT, 0);
		return;
	}
	/* Every record a host of one dynamic-eid that takes EID-notifies. */
	for (i = 0; i < msg.nrec; i++) {
		const struct dyneid_conf *di;

		if (prefix_from_lisp(&msg.rec[i].eid, msg.rec[i].mlen, &eid) ||
		    eid.plen != addr_bits(eid.family)) {
			eid_notify_reject(pkt, "a record is not an IPv4 or "
			    "IPv6 host", ST_MREG_REJECT, 0);
			return;
		}
		di = dyneid_covering(&eid);
		if (!di || !di->notify_key || !dyneid_gateway(di) ||
		    (d && di != d)) {
			snprintf(why, sizeof(why), "%s is in no dynamic-eid "
			    "with an eid-notify-key",
			    prefix_fmt(&eid, p, sizeof(p)));
			eid_notify_reject(pkt, why, ST_MREG_REJECT, 0);
			return;
		}
		d = di;
	}
	if ((err = lisp_auth_verify(buf, len, d->notify_key,
	    strlen(d->notify_key)))) {
		snprintf(why, sizeof(why), "%s", lisp_strerror(-err));
		eid_notify_reject(pkt, why, ST_MREG_AUTH, 0);
		return;
	}
	fresh = nonce_check(msg.nonce, ev_now());
	if (fresh < 0) {
		eid_notify_reject(pkt, "replayed nonce", ST_MREG_REPLAY, 0);
		return;
	}
	stats[ST_MREG_RX]++;
	if (!fresh)
		for (i = 0; i < msg.nrec; i++) {
			prefix_from_lisp(&msg.rec[i].eid, msg.rec[i].mlen,
			    &eid);
			eid_notify_record(pkt, d, &eid, &msg.rec[i]);
		}
	if (!(msg.flags & LISP_MREG_M))
		return;
	/* The Map-Notify that the first-hop router waits for. */
	auth.key = d->notify_key;
	auth.key_id = msg.key_id;
	auth.alg = msg.alg_id;
	n = notify_encode(out, sizeof(out), LISP_MSG_NOTIFY, msg.nonce,
	    &auth, msg.rec, msg.nrec);
	if (n > 0 && net_send(&pkt->src, pkt->sport, out, (size_t)n) == 0)
		stats[ST_MNOT_TX]++;
}

/* ---- the host table's events ---- */

static void
host_found(const struct dyneid_conf *d, struct dyn_host *h)
{
	if (dyneid_gateway(d))
		host_register(h);
	away_cancel(&h->eid);
}

static void
host_lost(const struct dyneid_conf *d, const struct prefix *eid,
    bool withdraw)
{
	if (withdraw)
		host_withdraw(d, eid);
}

static void
host_resume(const struct dyneid_conf *d, struct dyn_host *h)
{
	if (h->notified)
		hold_add(h);
	if (dyneid_gateway(d))
		host_register(h);
}

static const struct dyneid_listener gateway_listener = {
	.found = host_found,
	.lost = host_lost,
	.resume = host_resume,
};

/* The ETR's Map-Notifies and Map-Requests, for the hosts. */
static const struct etr_hooks gateway_etr = {
	.owns = dyneid_owns,
	.notify_acked = host_notify_acked,
	.moved = host_moved,
};

/* ---- start, stop, show ---- */

void
gateway_init(void)
{
	dyneid_listen(&gateway_listener);
	etr_set_hooks(&gateway_etr);
}

/* A tenant's away entries and chases (the kernel's, kernel: deleted). */
static void
state_free(struct tenant *t, bool kernel)
{
	struct dyn_away		*a;
	struct dyn_chase	*c;

	if (!t->gw)
		return;
	while ((a = TAILQ_FIRST(&t->gw->aways)))
		away_free(a, kernel);
	while ((c = TAILQ_FIRST(&t->gw->chases)))
		chase_free(c);
	free(t->gw);
	t->gw = NULL;
}

void
gateway_forget_tenant(struct tenant *t)
{
	state_free(t, t->ifindex != 0);
}

void
gateway_shutdown(bool reload)
{
	struct tenant	*t;

	if (reload)
		return;
	/* Away entries stay in the kernel until their TTL: keep going. */
	TENANT_FOREACH(t)
		state_free(t, false);
	notify_flush();
}

void
gateway_show(struct json_object *arr)
{
	const struct tenant	*t;
	struct json_object	*o;
	struct dyn_away		*a;
	time_t			 now = ev_now();
	char			 p[PREFIXSTRLEN], s[ADDRSTRLEN];

	TENANT_FOREACH(t) {
		if (!t->gw)
			continue;
		TAILQ_FOREACH(a, &t->gw->aways, entry) {
			o = json_object_new_object();
			json_object_object_add(o, "policy",
			    json_object_new_string(a->policy));
			json_object_object_add(o, "eid", json_object_new_string(
			    prefix_fmt(&a->map.eid, p, sizeof(p))));
			json_object_object_add(o, "state",
			    json_object_new_string("away"));
			json_object_object_add(o, "rloc", json_object_new_string(
			    addr_fmt(&a->map.rloc[0].addr, s, sizeof(s))));
			json_object_object_add(o, "told-by",
			    json_object_new_string(addr_fmt(&a->told_by, s,
			    sizeof(s))));
			json_object_object_add(o, "uptime",
			    json_object_new_int64(now - a->since));
			json_object_array_add(arr, o);
		}
	}
}

static bool
show_host_regs(struct dyn_host *h, void *arg)
{
	char	p[PREFIXSTRLEN];
	int	i;

	for (i = 0; i < h->nreg; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "iid",
		    json_object_new_int64(h->eid.iid));
		json_object_object_add(o, "eid", json_object_new_string(
		    prefix_fmt(&h->eid, p, sizeof(p))));
		json_object_object_add(o, "kind",
		    json_object_new_string("dynamic-eid"));
		json_object_object_add(o, "policy",
		    json_object_new_string(h->policy));
		registration_show(o, &h->reg[i]);
		json_object_array_add(arg, o);
	}
	return false;
}

void
gateway_show_registrations(struct json_object *arr)
{
	dyneid_foreach(show_host_regs, arr);
}
