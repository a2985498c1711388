/* SPDX-License-Identifier: MIT */
/*
 * Dynamic EIDs: hosts of a dynamic-eid prefix that come and go (LISP
 * host mobility, the seed scenario).
 *
 * A host is found here by the kernel (EID_DETECTED on a watched
 * interface) or reported by a first-hop router in an EID-notify (a
 * Map-Register with the E bit, signed with the dynamic-eid's
 * eid-notify-key).  A site gateway registers each host, as a /32 or
 * /128 more-specific of the prefix, with every Map-Server and keeps it
 * registered while the host lives.  When a Map-Server's Map-Notify says
 * another site now registers it, the host moved away: it is forgotten
 * here (and by the first-hop router that reported it), and an away
 * entry sends what still arrives for it on to the new site, soliciting
 * the sender's ITR to ask again (SMR).
 */
#include <errno.h>
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
#include "dyneid.h"
#include "etr.h"
#include "fhr.h"
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
#define RECHECK_HOLD	60		/* s before a host claimed back is probed again */
#define RECHECK_WINDOW	5		/* s a probed host has to answer */
#define RECHECK_MEMORY	64		/* hosts probed lately, remembered */

struct dyn_host {
	TAILQ_ENTRY(dyn_host) entry;
	char		 policy[DYNEID_NAME_MAX];
	struct prefix	 eid;
	bool		 notified;	/* by a first-hop router */
	int		 ifindex;	/* found here: where */
	uint8_t		 mac[6];
	uint8_t		 detect;
	struct laddr	 fhr;		/* notified: by whom */
	uint16_t	 fhr_port;
	uint8_t		 fhr_key_id;
	uint8_t		 fhr_alg;
	time_t		 since;
	time_t		 last;		/* detected or notified last */
	struct timer	 hold;		/* notified: refresh deadline */
	int		 nreg;
	struct registration *reg;	/* one per Map-Server */
};

struct dyn_away {
	TAILQ_ENTRY(dyn_away) entry;
	char		 policy[DYNEID_NAME_MAX];
	struct kmap	 map;		/* the kernel's away entry */
	struct laddr	 told_by;	/* the Map-Server */
	time_t		 since;
	struct timer	 expire;
};

/* A host that left, until the mapping system says where it went. */
struct dyn_chase {
	TAILQ_ENTRY(dyn_chase) entry;
	char		 policy[DYNEID_NAME_MAX];
	struct prefix	 eid;
	struct timer	 timer;
	unsigned int	 tries;
};

struct seen_nonce {
	uint64_t	 nonce;
	time_t		 when;
};

static TAILQ_HEAD(, dyn_host)	hosts = TAILQ_HEAD_INITIALIZER(hosts);
static TAILQ_HEAD(, dyn_away)	aways = TAILQ_HEAD_INITIALIZER(aways);
static TAILQ_HEAD(, dyn_chase)	chases = TAILQ_HEAD_INITIALIZER(chases);
static struct seen_nonce	seen[NONCE_MEMORY];
static unsigned int		seen_next;
static struct lisp_mapreg	msg;		/* an EID-notify received */
static uint8_t			obuf[9216];

static const char *const detect_names[] = {
	[LISP_DETECT_UNSPEC] = "unknown", [LISP_DETECT_ROUTED] = "routed",
	[LISP_DETECT_ARP] = "arp", [LISP_DETECT_ND] = "nd",
};

static const char *
detect_name(uint8_t d)
{
	return d <= LISP_DETECT_MAX ? detect_names[d] : "unknown";
}

static const struct dyneid_conf *
policy_named(const char *name)
{
	int	i;

	for (i = 0; conf && i < conf->ndyn; i++)
		if (!strcmp(conf->dyn[i].name, name))
			return &conf->dyn[i];
	return NULL;
}

static const struct dyneid_conf *
policy_covering(const struct prefix *eid)
{
	int	i;

	for (i = 0; conf && i < conf->ndyn; i++)
		if (prefix_covers(&conf->dyn[i].eid, eid))
			return &conf->dyn[i];
	return NULL;
}

/* This lispd registers the policy's hosts: it is their site gateway. */
static bool
is_gateway(const struct dyneid_conf *d)
{
	return d && (conf->roles & ROLE_ETR) && d->nrloc;
}

static struct dyn_host *
host_find(const struct prefix *eid)
{
	struct dyn_host	*h;

	TAILQ_FOREACH(h, &hosts, entry)
		if (prefix_eq(&h->eid, eid))
			return h;
	return NULL;
}

static struct dyn_away *
away_find(const struct prefix *eid)
{
	struct dyn_away	*a;

	TAILQ_FOREACH(a, &aways, entry)
		if (prefix_eq(&a->map.eid, eid))
			return a;
	return NULL;
}

static void
host_stop(struct dyn_host *h)
{
	int	i;

	timer_del(&h->hold);
	for (i = 0; i < h->nreg; i++)
		registration_stop(&h->reg[i]);
	free(h->reg);
	h->reg = NULL;
	h->nreg = 0;
}

static void
host_free(struct dyn_host *h)
{
	host_stop(h);
	TAILQ_REMOVE(&hosts, h, entry);
	free(h);
}

/* ---- registering hosts with the Map-Servers (site gateway) ---- */

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

	return host_record(policy_named(h->policy), &h->eid, false, m);
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

/* Register h with every Map-Server now, and keep it registered. */
static void
host_register(struct dyn_host *h)
{
	int	i;

	if (!h->reg) {
		h->reg = calloc((size_t)conf->nms + 1, sizeof(*h->reg));
		if (!h->reg)
			return;
		h->nreg = conf->nms;
		for (i = 0; i < h->nreg; i++)
			registration_init(&h->reg[i], &conf->ms[i], 0,
			    &host_ops, h);
	}
	/* At once, not at the next turn of the loop: a move is timed. */
	for (i = 0; i < h->nreg; i++)
		registration_start(&h->reg[i]);
}

bool
dyneid_notify_acked(const struct pkt *pkt, const struct lisp_mapreg *m)
{
	struct dyn_host	*h;
	char		 a[ADDRSTRLEN], p[PREFIXSTRLEN];
	bool		 first;
	int		 i;

	TAILQ_FOREACH(h, &hosts, entry)
		for (i = 0; i < h->nreg; i++) {
			first = !h->reg[i].acked;
			if (!registration_acked(&h->reg[i], &pkt->src,
			    m->nonce))
				continue;
			if (first)
				log_info("dynamic-eid %s: %s registered with "
				    "map-server %s", h->policy,
				    prefix_fmt(&h->eid, p, sizeof(p)),
				    addr_fmt(&pkt->src, a, sizeof(a)));
			return true;
		}
	return false;
}

/* ---- away entries (the old site) ---- */

static void
away_free(struct dyn_away *a, bool kernel)
{
	if (kernel)
		kernel_map_del(&a->map.eid);
	timer_del(&a->expire);
	TAILQ_REMOVE(&aways, a, entry);
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
		if (!(a = calloc(1, sizeof(*a))))
			return;
		timer_set(&a->expire, away_expire, a);
		TAILQ_INSERT_TAIL(&aways, a, entry);
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

/* ---- hosts that left (site gateway) ---- */

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
	struct dyn_chase *c;

	TAILQ_FOREACH(c, &chases, entry)
		if (prefix_eq(&c->eid, eid))
			return c;
	return NULL;
}

static void
chase_free(struct dyn_chase *c)
{
	timer_del(&c->timer);
	TAILQ_REMOVE(&chases, c, entry);
	free(c);
}

static void
chase_cancel(const struct prefix *eid)
{
	struct dyn_chase *c = chase_find(eid);

	if (c)
		chase_free(c);
}

static void
chase_timer(void *arg)
{
	struct dyn_chase *c = arg;
	char		 p[PREFIXSTRLEN];

	if (c->tries >= CHASE_TRIES || !is_gateway(policy_named(c->policy))) {
		log_info("dynamic-eid %s: %s left; no other site registers "
		    "it", c->policy, prefix_fmt(&c->eid, p, sizeof(p)));
		chase_free(c);
		return;
	}
	/* Rate-limited or already asked: the next try asks. */
	itr_locate(&c->eid);
	timer_add(&c->timer, 1000ull << ++c->tries);
}

static void
chase_start(const struct dyneid_conf *d, const struct prefix *eid)
{
	struct dyn_chase *c = chase_find(eid);

	if (!conf->nmr)
		return;
	if (!c) {
		if (!(c = calloc(1, sizeof(*c))))
			return;
		timer_set(&c->timer, chase_timer, c);
		TAILQ_INSERT_TAIL(&chases, c, entry);
	}
	snprintf(c->policy, sizeof(c->policy), "%s", d->name);
	c->eid = *eid;
	c->tries = 0;
	timer_add(&c->timer, 1000);
}

void
dyneid_located(const struct prefix *eid, const struct lisp_rec *rec,
    const struct laddr *from)
{
	struct dyn_chase	*c = chase_find(eid);
	const struct dyneid_conf *d;

	if (!c || !(d = policy_named(c->policy)) || !is_gateway(d))
		return;
	/* Not registered yet, or still our old registration: ask again. */
	if (!rec->nloc || rec_is_ours(d, rec) || host_find(eid))
		return;
	away_install(d, eid, rec, "Map-Reply from", from);
}

/*
 * A host this gateway registered left: withdraw it from the Map-Servers
 * (Record TTL 0; a Map-Server that does not take withdrawals lets it
 * lapse in 3 minutes) and find out where it went.
 */
static void
host_left(struct dyn_host *h)
{
	const struct dyneid_conf *d = policy_named(h->policy);
	struct prefix		 eid = h->eid;
	char			 p[PREFIXSTRLEN];
	int			 i, n = 0;

	host_free(h);
	if (!is_gateway(d))
		return;
	for (i = 0; i < conf->nms; i++) {
		struct lisp_mapreg *m = register_msg();

		m->nonce = nonce_new();		/* no M: nothing to wait for */
		if (host_record(d, &eid, true, m) &&
		    !register_send(&conf->ms[i], m))
			n++;
	}
	if (n)
		log_info("dynamic-eid %s: %s withdrawn from %d map-server%s",
		    d->name, prefix_fmt(&eid, p, sizeof(p)), n,
		    n == 1 ? "" : "s");
	chase_start(d, &eid);
}

/* ---- hosts found here ---- */

static void	notified_expire(void *);

static struct dyn_host *
host_get(const struct dyneid_conf *d, const struct prefix *eid, bool *fresh)
{
	struct dyn_host	*h = host_find(eid);

	*fresh = !h;
	if (h)
		return h;
	if (!(h = calloc(1, sizeof(*h))))
		return NULL;
	snprintf(h->policy, sizeof(h->policy), "%s", d->name);
	h->eid = *eid;
	h->since = ev_now();
	timer_set(&h->hold, notified_expire, h);
	TAILQ_INSERT_TAIL(&hosts, h, entry);
	return h;
}

/*
 * Hosts probed lately because another site claimed them (recheck).  The
 * other site's registration may have been stale by the time it landed
 * (it had not found the host gone yet, as when a move races a
 * Map-Server's restart), and nothing else would bring the host back here
 * before it next spoke.  One that answered is not probed again within
 * RECHECK_HOLD: a host answering at both sites (a LAN extended without
 * isolation) would otherwise be taken back and forth without end.
 */
static struct {
	struct prefix	 eid;
	time_t		 probed;
	time_t		 reclaimed;	/* answered the probe; 0: not */
}			 rechecks[RECHECK_MEMORY];
static unsigned int	 rechecks_next;

static int
recheck_find(const struct prefix *eid)
{
	int	i;

	for (i = 0; i < RECHECK_MEMORY; i++)
		if (rechecks[i].probed && prefix_eq(&rechecks[i].eid, eid))
			return i;
	return -1;
}

/* Whether the host another site claims is probed first; if so, noted. */
static bool
recheck_allowed(const struct prefix *eid)
{
	time_t	now = ev_now();
	int	i = recheck_find(eid);

	if (i >= 0 && rechecks[i].reclaimed &&
	    now - rechecks[i].reclaimed < RECHECK_HOLD)
		return false;
	if (i < 0) {
		i = (int)rechecks_next;
		rechecks_next = (rechecks_next + 1) % RECHECK_MEMORY;
	}
	rechecks[i].eid = *eid;
	rechecks[i].probed = now ? now : 1;
	rechecks[i].reclaimed = 0;
	return true;
}

/* Detected: if just after a recheck, the host answered it, and is ours. */
static bool
recheck_answered(const struct prefix *eid)
{
	time_t	now = ev_now();
	int	i = recheck_find(eid);

	if (i < 0 || rechecks[i].reclaimed ||
	    now - rechecks[i].probed > RECHECK_WINDOW)
		return false;
	rechecks[i].reclaimed = now ? now : 1;
	return true;
}

void
dyneid_detected(const struct khost *k)
{
	const struct dyneid_conf *d = policy_named(k->policy);
	struct dyn_host		*h;
	char			 p[PREFIXSTRLEN], ifn[IF_NAMESIZE];
	bool			 fresh;

	if (!d) {
		log_debug("host of unknown dynamic-eid policy %s", k->policy);
		return;
	}
	if (!(h = host_get(d, &k->eid, &fresh)))
		return;
	if (h->notified)
		route_host_del(&h->eid);
	h->notified = false;
	h->ifindex = k->ifindex;
	memcpy(h->mac, k->mac, sizeof(h->mac));
	h->detect = k->detect;
	h->last = ev_now();
	timer_del(&h->hold);
	if (!if_indextoname((unsigned int)k->ifindex, ifn))
		snprintf(ifn, sizeof(ifn), "ifindex %d", k->ifindex);
	log_info("dynamic-eid %s: %s detected on %s (mac "
	    "%02x:%02x:%02x:%02x:%02x:%02x, %s)%s", d->name,
	    prefix_fmt(&k->eid, p, sizeof(p)), ifn, k->mac[0], k->mac[1],
	    k->mac[2], k->mac[3], k->mac[4], k->mac[5], detect_name(k->detect),
	    recheck_answered(&k->eid) ? ": still here, claimed back" : "");
	/* The messages that move traffic first, then the local state. */
	if ((conf->roles & ROLE_FHR) && d->gateway.addr.family)
		fhr_host_up(d, &k->eid);
	if (is_gateway(d))
		host_register(h);
	away_cancel(&k->eid);
	if ((conf->roles & ROLE_FHR) && d->gateway.addr.family)
		route_host_add(&k->eid, NULL, k->ifindex);
}

void
dyneid_gone(const struct khost *k)
{
	const struct dyneid_conf *d = policy_named(k->policy);
	struct dyn_host		*h = host_find(&k->eid);
	char			 p[PREFIXSTRLEN];

	if (!h || h->notified)
		return;
	log_info("dynamic-eid %s: %s silent for %llu s, gone", h->policy,
	    prefix_fmt(&h->eid, p, sizeof(p)),
	    (unsigned long long)(k->idle_ms / 1000));
	if (d && (conf->roles & ROLE_FHR) && d->gateway.addr.family) {
		route_host_del(&h->eid);
		fhr_host_down(d, &h->eid, true);
	}
	host_left(h);
}

/*
 * A host this router holds moved to another site (or, on a first-hop
 * router, its gateway said so): forget it and the routes to it.  One it
 * found itself is probed by the kernel first: detected again (and so
 * claimed again) if it still answers here.
 */
static void
host_forget(struct dyn_host *h)
{
	const struct dyneid_conf *d = policy_named(h->policy);
	char			 p[PREFIXSTRLEN];
	bool			 recheck;

	if (h->notified)
		route_host_del(&h->eid);
	else {
		recheck = recheck_allowed(&h->eid);
		log_info("dynamic-eid %s: %s %s", h->policy,
		    prefix_fmt(&h->eid, p, sizeof(p)), recheck ?
		    "probed in case it is still here" : "claimed back "
		    "within a minute already: not probed again");
		kernel_host_del(h->policy, &h->eid, recheck);
		if (d && (conf->roles & ROLE_FHR) && d->gateway.addr.family) {
			route_host_del(&h->eid);
			fhr_host_down(d, &h->eid, false);
		}
	}
	host_free(h);
}

void
dyneid_forget(const struct prefix *eid)
{
	struct dyn_host	*h = host_find(eid);

	if (h)
		host_forget(h);
}

void
dyneid_moved(const struct pkt *pkt, const struct lisp_mapreg *m)
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
		d = policy_covering(&eid);
		if (!is_gateway(d) || rec_is_ours(d, rec))
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
			host_forget(h);
		}
	}
}

bool
dyneid_owns(const struct prefix *eid, struct dbmap *out)
{
	const struct dyneid_conf *d;
	struct dyn_host		*h = host_find(eid);

	if (!h || !(d = policy_named(h->policy)) || !is_gateway(d))
		return false;
	if (out) {
		memset(out, 0, sizeof(*out));
		out->eid = h->eid;
		out->nrloc = d->nrloc;
		memcpy(out->rloc, d->rloc, sizeof(out->rloc));
	}
	return true;
}

/* ---- EID-notify from first-hop routers (site gateway) ---- */

static void
notified_expire(void *arg)
{
	struct dyn_host	*h = arg;
	char		 p[PREFIXSTRLEN], a[ADDRSTRLEN];

	log_info("dynamic-eid %s: %s not refreshed by first-hop router %s, "
	    "dropped", h->policy, prefix_fmt(&h->eid, p, sizeof(p)),
	    addr_fmt(&h->fhr, a, sizeof(a)));
	route_host_del(&h->eid);
	host_left(h);
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
			route_host_del(eid);
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
	timer_add(&h->hold, (uint64_t)NOTIFIED_HOLD * 1000);
	if (!moved)
		return;
	log_info("dynamic-eid %s: %s notified by first-hop router %s",
	    d->name, p, a);
	host_register(h);
	route_host_add(eid, &pkt->src, 0);
	away_cancel(eid);
}

void
dyneid_eid_notify(const struct pkt *pkt, const uint8_t *buf, size_t len)
{
	const struct dyneid_conf *d = NULL;
	struct prefix		 eid;
	struct mserver		 auth;
	char			 why[128], p[PREFIXSTRLEN];
	int			 i, n, err, fresh;

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
		di = policy_covering(&eid);
		if (!di || !di->notify_key || !is_gateway(di) ||
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
	n = notify_encode(obuf, sizeof(obuf), LISP_MSG_NOTIFY, msg.nonce,
	    &auth, msg.rec, msg.nrec);
	if (n > 0 && net_send(&pkt->src, pkt->sport, obuf, (size_t)n) == 0)
		stats[ST_MNOT_TX]++;
}

/* ---- start, stop, show ---- */

static void
stale_policy(const char *name, void *arg)
{
	(void)arg;
	if (!policy_named(name)) {
		log_info("dynamic-eid policy %s: no longer configured", name);
		kernel_dyn_del(name);
	}
}

static void
adopt_host(const struct khost *k, void *arg)
{
	(void)arg;
	if (policy_named(k->policy))
		dyneid_detected(k);
}

static void
policy_install(const struct dyneid_conf *d)
{
	int	ifindex[DYNEID_MAX_IFACES], i, n = 0;
	char	p[PREFIXSTRLEN];

	if (is_gateway(d)) {
		int err = kernel_db_add(&d->eid);

		if (err && err != -EEXIST)
			log_warnx("dynamic-eid %s: %s not in the database",
			    d->name, prefix_fmt(&d->eid, p, sizeof(p)));
	}
	if (!d->nif)
		return;
	for (i = 0; i < d->nif; i++) {
		ifindex[n] = (int)if_nametoindex(d->ifname[i]);
		if (!ifindex[n])
			log_warnx("dynamic-eid %s: interface %s: no such "
			    "interface, not watched", d->name, d->ifname[i]);
		else
			n++;
	}
	if (n && !kernel_dyn_set(d, ifindex, n))
		log_info("dynamic-eid %s: watching %d interface%s for hosts "
		    "of %s", d->name, n, n == 1 ? "" : "s",
		    prefix_fmt(&d->eid, p, sizeof(p)));
}

void
dyneid_init(void)
{
	struct dyn_host	*h, *t;
	int		 i;

	route_init();
	/* Hosts kept over a reload: those of vanished policies go. */
	for (h = TAILQ_FIRST(&hosts); h; h = t) {
		const struct dyneid_conf *d = policy_named(h->policy);

		t = TAILQ_NEXT(h, entry);
		if (!d || !prefix_covers(&d->eid, &h->eid)) {
			if (h->notified)
				route_host_del(&h->eid);
			host_free(h);
			continue;
		}
		if (h->notified)
			timer_add(&h->hold, (uint64_t)NOTIFIED_HOLD * 1000);
		if (is_gateway(d))
			host_register(h);
	}
	fhr_init();
	kernel_dyn_dump(stale_policy, NULL);
	for (i = 0; i < conf->ndyn; i++)
		policy_install(&conf->dyn[i]);
	/* A restart: the kernel still knows the hosts it found. */
	kernel_host_dump(adopt_host, NULL);
}

void
dyneid_shutdown(bool reload)
{
	struct dyn_host	*h;
	struct dyn_away	*a;
	struct dyn_chase *c;

	TAILQ_FOREACH(h, &hosts, entry)
		host_stop(h);
	fhr_shutdown(reload);
	if (reload)
		return;
	while ((h = TAILQ_FIRST(&hosts)))
		host_free(h);
	/* Away entries stay in the kernel until their TTL: keep going. */
	while ((a = TAILQ_FIRST(&aways)))
		away_free(a, false);
	while ((c = TAILQ_FIRST(&chases)))
		chase_free(c);
	notify_flush();
	route_close();
}

struct idle_arg {
	struct json_object	*o;
	const struct prefix	*eid;
};

static void
idle_of(const struct khost *k, void *arg)
{
	struct idle_arg	*ia = arg;

	if (prefix_eq(&k->eid, ia->eid))
		json_object_object_add(ia->o, "idle-ms",
		    json_object_new_int64((int64_t)k->idle_ms));
}

static const char *
mac_fmt(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
	    m[3], m[4], m[5]);
	return buf;
}

struct json_object *
dyneid_show(void)
{
	struct json_object	*arr = json_object_new_array(), *o;
	struct dyn_host		*h;
	struct dyn_away		*a;
	time_t			 now = ev_now();
	char			 p[PREFIXSTRLEN], s[ADDRSTRLEN], ifn[IF_NAMESIZE];
	int			 i, nreg;

	TAILQ_FOREACH(h, &hosts, entry) {
		o = json_object_new_object();
		json_object_object_add(o, "policy",
		    json_object_new_string(h->policy));
		json_object_object_add(o, "eid", json_object_new_string(
		    prefix_fmt(&h->eid, p, sizeof(p))));
		json_object_object_add(o, "state", json_object_new_string(
		    h->notified ? "notified" : "local"));
		if (h->notified)
			json_object_object_add(o, "first-hop-router",
			    json_object_new_string(addr_fmt(&h->fhr, s,
			    sizeof(s))));
		else {
			struct idle_arg ia = { o, &h->eid };

			if (!if_indextoname((unsigned int)h->ifindex, ifn))
				snprintf(ifn, sizeof(ifn), "%d", h->ifindex);
			json_object_object_add(o, "interface",
			    json_object_new_string(ifn));
			json_object_object_add(o, "mac", json_object_new_string(
			    mac_fmt(h->mac, s, sizeof(s))));
			json_object_object_add(o, "detected-by",
			    json_object_new_string(detect_name(h->detect)));
			kernel_host_dump(idle_of, &ia);
		}
		json_object_object_add(o, "uptime",
		    json_object_new_int64(now - h->since));
		json_object_object_add(o, "last-update",
		    json_object_new_int64(now - h->last));
		for (i = nreg = 0; i < h->nreg; i++)
			nreg += h->reg[i].acked != 0;
		json_object_object_add(o, "registered",
		    json_object_new_boolean(h->nreg && nreg == h->nreg));
		json_object_array_add(arr, o);
	}
	TAILQ_FOREACH(a, &aways, entry) {
		o = json_object_new_object();
		json_object_object_add(o, "policy",
		    json_object_new_string(a->policy));
		json_object_object_add(o, "eid", json_object_new_string(
		    prefix_fmt(&a->map.eid, p, sizeof(p))));
		json_object_object_add(o, "state",
		    json_object_new_string("away"));
		json_object_object_add(o, "rloc", json_object_new_string(
		    addr_fmt(&a->map.rloc[0].addr, s, sizeof(s))));
		json_object_object_add(o, "told-by", json_object_new_string(
		    addr_fmt(&a->told_by, s, sizeof(s))));
		json_object_object_add(o, "uptime",
		    json_object_new_int64(now - a->since));
		json_object_array_add(arr, o);
	}
	return arr;
}
