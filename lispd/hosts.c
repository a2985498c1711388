/* SPDX-License-Identifier: MIT */
/*
 * Dynamic EIDs: the hosts of a dynamic-eid prefix that come and go
 * (LISP host mobility; the first-hop router's EID-notify is the E bit
 * of RFC 9301 5.6).
 *
 * The kernel watches a policy's interfaces and reports each host it
 * finds there (EID_DETECTED) and each that falls silent (EID_GONE); a
 * first-hop router reports the hosts it found (the site gateway,
 * gateway.c, puts them in this table too).  The roles that serve the
 * hosts listen: the site gateway registers them with the Map-Servers,
 * the first-hop router tells its gateway.  A host that moved to another
 * site is forgotten here; one found here is first probed by the kernel,
 * in case the other site's claim was stale.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <json-c/json.h>

#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "kernel.h"
#include "register.h"
#include "tenant.h"
#include "hosts.h"

#define RECHECK_HOLD	60		/* s before a host claimed back is probed again */
#define RECHECK_WINDOW	5		/* s a probed host has to answer */
#define RECHECK_MEMORY	64		/* hosts probed lately, remembered */

static const struct dyneid_listener *listeners[DYNEID_LISTENERS];

static const char *const detect_names[] = {
	[LISP_DETECT_UNSPEC] = "unknown", [LISP_DETECT_ROUTED] = "routed",
	[LISP_DETECT_ARP] = "arp", [LISP_DETECT_ND] = "nd",
};

static const char *
detect_name(uint8_t d)
{
	return d <= LISP_DETECT_MAX ? detect_names[d] : "unknown";
}

void
dyneid_listen(const struct dyneid_listener *l)
{
	int	i;

	for (i = 0; i < DYNEID_LISTENERS; i++)
		if (!listeners[i] || listeners[i] == l) {
			listeners[i] = l;
			return;
		}
	fatalx("dyneid_listen: more than %d listeners", DYNEID_LISTENERS);
}

static void
found(const struct dyneid_conf *d, struct dyn_host *h)
{
	int	i;

	for (i = 0; i < DYNEID_LISTENERS && listeners[i]; i++)
		listeners[i]->found(d, h);
}

static void
lost(const struct dyneid_conf *d, const struct prefix *eid, bool withdraw)
{
	int	i;

	for (i = 0; i < DYNEID_LISTENERS && listeners[i]; i++)
		listeners[i]->lost(d, eid, withdraw);
}

/* Policy names are the kernel's keys: one per box, whatever tenant. */
const struct dyneid_conf *
dyneid_policy(const char *name)
{
	const struct tenant	*t;
	int			 i;

	TENANT_FOREACH(t)
		for (i = 0; i < t->conf->ndyn; i++)
			if (!strcmp(t->conf->dyn[i].name, name))
				return &t->conf->dyn[i];
	return NULL;
}

const struct dyneid_conf *
dyneid_covering(const struct prefix *eid)
{
	const struct tenant	*t = tenant_of(eid);
	int			 i;

	for (i = 0; t && i < t->conf->ndyn; i++)
		if (prefix_covers(&t->conf->dyn[i].eid, eid))
			return &t->conf->dyn[i];
	return NULL;
}

bool
dyneid_gateway(const struct dyneid_conf *d)
{
	return d && (conf->roles & ROLE_ETR) && d->nrloc;
}

bool
dyneid_fhr(const struct dyneid_conf *d)
{
	return d && (conf->roles & ROLE_FHR) && d->gateway.addr.family;
}

struct dyn_host *
host_find(const struct prefix *eid)
{
	const struct tenant	*t = tenant_of(eid);
	struct dyn_host		*h;

	if (!t || !t->hosts)
		return NULL;
	TAILQ_FOREACH(h, t->hosts, entry)
		if (prefix_eq(&h->eid, eid))
			return h;
	return NULL;
}

/*
 * The table of a host's route: the VRF of the interface a first-hop
 * router found it on, or of its tenant's lisp device for a host a
 * gateway was told of (ifindex 0); main when not in a VRF.  Two
 * tenants' hosts of one address so never take each other's route.
 */
static void
host_table(const struct prefix *eid, int ifindex, struct route_table *rt)
{
	const struct tenant	*t = tenant_of(eid);

	route_table_of(ifindex ? ifindex : t ? t->ifindex : 0, rt);
}

int
host_route_add(const struct prefix *eid, const struct laddr *via,
    int ifindex)
{
	struct route_table	rt;

	host_table(eid, via ? 0 : ifindex, &rt);
	return route_host_add(eid, via, ifindex, &rt);
}

int
host_route_del(const struct prefix *eid, int ifindex)
{
	struct route_table	rt;

	host_table(eid, ifindex, &rt);
	return route_host_del(eid, &rt);
}

bool
dyneid_foreach(bool (*fn)(struct dyn_host *, void *), void *arg)
{
	const struct tenant	*t;
	struct dyn_host		*h, *next;

	TENANT_FOREACH(t) {
		if (!t->hosts)
			continue;
		for (h = TAILQ_FIRST(t->hosts); h; h = next) {
			next = TAILQ_NEXT(h, entry);
			if (fn(h, arg))
				return true;
		}
	}
	return false;
}

struct dyn_host *
host_get(const struct dyneid_conf *d, const struct prefix *eid, bool *fresh)
{
	struct tenant	*t = tenant_of(eid);
	struct dyn_host	*h = host_find(eid);

	*fresh = !h;
	if (h)
		return h;
	if (!t)
		return NULL;
	if (!t->hosts) {
		if (!(t->hosts = calloc(1, sizeof(*t->hosts))))
			return NULL;
		TAILQ_INIT(t->hosts);
	}
	if (!(h = calloc(1, sizeof(*h))))
		return NULL;
	h->t = t;
	snprintf(h->policy, sizeof(h->policy), "%s", d->name);
	h->eid = *eid;
	h->since = ev_now();
	TAILQ_INSERT_TAIL(t->hosts, h, entry);
	return h;
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

void
host_free(struct dyn_host *h)
{
	host_stop(h);
	TAILQ_REMOVE(h->t->hosts, h, entry);
	free(h);
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
	const struct dyneid_conf *d = dyneid_policy(k->policy);
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
		host_route_del(&h->eid, 0);
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
	found(d, h);
	if (dyneid_fhr(d))
		host_route_add(&k->eid, NULL, k->ifindex);
}

void
dyneid_gone(const struct khost *k)
{
	const struct dyneid_conf *d = dyneid_policy(k->policy);
	struct dyn_host		*h = host_find(&k->eid);
	struct prefix		 eid;
	char			 p[PREFIXSTRLEN];

	if (!h || h->notified)
		return;
	eid = h->eid;
	log_info("dynamic-eid %s: %s silent for %llu s, gone", h->policy,
	    prefix_fmt(&eid, p, sizeof(p)),
	    (unsigned long long)(k->idle_ms / 1000));
	if (dyneid_fhr(d))
		host_route_del(&eid, h->ifindex);
	host_free(h);
	if (d)
		lost(d, &eid, true);
}

/*
 * A host this router holds moved to another site (or, on a first-hop
 * router, its gateway said so): forget it and the routes to it.  One it
 * found itself is probed by the kernel first: detected again (and so
 * claimed again) if it still answers here.
 */
void
dyneid_forget(const struct prefix *eid)
{
	struct dyn_host		*h = host_find(eid);
	const struct dyneid_conf *d;
	struct prefix		 e;
	char			 p[PREFIXSTRLEN];
	bool			 recheck;

	if (!h)
		return;
	d = dyneid_policy(h->policy);
	e = h->eid;
	if (h->notified) {
		host_route_del(&e, 0);
		host_free(h);
		return;
	}
	recheck = recheck_allowed(&e);
	log_info("dynamic-eid %s: %s %s", h->policy, prefix_fmt(&e, p,
	    sizeof(p)), recheck ? "probed in case it is still here" :
	    "claimed back within a minute already: not probed again");
	kernel_host_del(h->policy, &e, recheck);
	if (dyneid_fhr(d))
		host_route_del(&e, h->ifindex);
	host_free(h);
	if (d)
		lost(d, &e, false);
}

bool
dyneid_owns(const struct prefix *eid, struct dbmap *out)
{
	const struct dyneid_conf *d;
	struct dyn_host		*h = host_find(eid);

	if (!h || !(d = dyneid_policy(h->policy)) || !dyneid_gateway(d))
		return false;
	if (out) {
		memset(out, 0, sizeof(*out));
		out->eid = h->eid;
		out->nrloc = d->nrloc;
		memcpy(out->rloc, d->rloc, sizeof(out->rloc));
	}
	return true;
}

/* ---- start, stop, show ---- */

static void
stale_policy(const char *name, void *arg)
{
	(void)arg;
	if (!dyneid_policy(name)) {
		log_info("dynamic-eid policy %s: no longer configured", name);
		kernel_dyn_del(name);
	}
}

static void
adopt_host(const struct khost *k, void *arg)
{
	(void)arg;
	if (dyneid_policy(k->policy))
		dyneid_detected(k);
}

static void
policy_install(const struct dyneid_conf *d)
{
	int	ifindex[DYNEID_MAX_IFACES], i, n = 0;
	char	p[PREFIXSTRLEN];

	if (dyneid_gateway(d)) {
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

/* A host kept over a reload: resumed, or gone with its policy. */
static bool
host_resume(struct dyn_host *h, void *arg)
{
	const struct dyneid_conf *d = dyneid_policy(h->policy);
	int			 j;

	(void)arg;
	if (!d || !prefix_covers(&d->eid, &h->eid)) {
		if (h->notified)
			host_route_del(&h->eid, 0);
		host_free(h);
		return false;
	}
	for (j = 0; j < DYNEID_LISTENERS && listeners[j]; j++)
		if (listeners[j]->resume)
			listeners[j]->resume(d, h);
	return false;
}

/* After the listeners: the hosts the kernel still knows are found again. */
void
dyneid_init(void)
{
	const struct tenant *tn;
	int		 i;

	route_init();
	dyneid_foreach(host_resume, NULL);
	kernel_dyn_dump(stale_policy, NULL);
	TENANT_FOREACH(tn)
		for (i = 0; i < tn->conf->ndyn; i++)
			policy_install(&tn->conf->dyn[i]);
	/* A restart: the kernel still knows the hosts it found. */
	kernel_host_dump(adopt_host, NULL);
}

static bool
host_stop_cb(struct dyn_host *h, void *arg)
{
	(void)arg;
	host_stop(h);
	return false;
}

/* All of a tenant's hosts freed (withdraw: their routes too). */
static void
hosts_free(struct tenant *t, bool withdraw)
{
	struct dyn_host	*h;

	if (!t->hosts)
		return;
	while ((h = TAILQ_FIRST(t->hosts))) {
		if (withdraw && h->notified)
			host_route_del(&h->eid, 0);
		host_free(h);
	}
	free(t->hosts);
	t->hosts = NULL;
}

void
dyneid_forget_tenant(struct tenant *t)
{
	hosts_free(t, true);
}

/* reload: the hosts stay, their registrations stopped, for dyneid_init(). */
void
dyneid_shutdown(bool reload)
{
	struct tenant	*t;

	dyneid_foreach(host_stop_cb, NULL);
	if (reload)
		return;
	TENANT_FOREACH(t)
		hosts_free(t, false);
	memset(listeners, 0, sizeof(listeners));
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

static bool
show_host(struct dyn_host *h, void *arg)
{
	struct json_object	*arr = arg, *o;
	time_t			 now = ev_now();
	char			 p[PREFIXSTRLEN], s[ADDRSTRLEN], ifn[IF_NAMESIZE];
	int			 i, nreg;

	o = json_object_new_object();
	json_object_object_add(o, "policy", json_object_new_string(h->policy));
	json_object_object_add(o, "eid", json_object_new_string(
	    prefix_fmt(&h->eid, p, sizeof(p))));
	json_object_object_add(o, "state", json_object_new_string(
	    h->notified ? "notified" : "local"));
	if (h->notified)
		json_object_object_add(o, "first-hop-router",
		    json_object_new_string(addr_fmt(&h->fhr, s, sizeof(s))));
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
	return false;
}

struct json_object *
dyneid_show(void)
{
	struct json_object	*arr = json_object_new_array();

	dyneid_foreach(show_host, arr);
	return arr;
}
