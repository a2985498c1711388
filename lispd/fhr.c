/* SPDX-License-Identifier: MIT */
/*
 * First-hop router (LISP multihop mobility): the default gateway of the
 * hosts, routed hops away from the site gateway that encapsulates.  It
 * tells that gateway of each host it detects with an EID-notify: a
 * Map-Register with the E bit (RFC 9301 5.6), signed with the key of the
 * dynamic-eid's eid-notify section, sent again until the gateway's
 * Map-Notify and refreshed every minute while the host lives.  When the
 * gateway says the host moved to another site, it is forgotten here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "core.h"
#include "log.h"
#include "conf.h"
#include "net.h"
#include "packet.h"
#include "stats.h"
#include "register.h"
#include "notify.h"
#include "tenant.h"
#include "fhr.h"
#include "hosts.h"

struct fhr_host {
	TAILQ_ENTRY(fhr_host) entry;
	struct tenant	*t;
	char		 policy[DYNEID_NAME_MAX];
	struct prefix	 eid;
	struct registration reg;	/* with the policy's gateway */
};

/* A tenant's: the hosts this router told the gateway of. */
struct fhr_state {
	TAILQ_HEAD(, fhr_host)	hosts;
};

static const struct dyneid_conf *
fhr_policy(const char *name)
{
	const struct dyneid_conf *d = dyneid_policy(name);

	return d && d->gateway.addr.family ? d : NULL;
}

/* The policy of any tenant whose gateway a is and, with a key, says so. */
static const struct dyneid_conf *
fhr_gateway(const struct laddr *a, const uint8_t *buf, size_t len)
{
	const struct tenant	*t;
	const struct dyneid_conf *d;
	int			 i;

	TENANT_FOREACH(t)
		for (i = 0; i < t->conf->ndyn; i++) {
			d = &t->conf->dyn[i];
			if (!addr_eq(&d->gateway.addr, a))
				continue;
			if (!buf || !lisp_auth_verify(buf, len, d->gateway.key,
			    strlen(d->gateway.key)))
				return d;
		}
	return NULL;
}

static struct fhr_host *
fhr_find(const struct prefix *eid)
{
	const struct tenant	*t = tenant_of(eid);
	struct fhr_host		*f;

	if (!t || !t->fhr)
		return NULL;
	TAILQ_FOREACH(f, &t->fhr->hosts, entry)
		if (prefix_eq(&f->eid, eid))
			return f;
	return NULL;
}

static void
fhr_free(struct fhr_host *f)
{
	registration_stop(&f->reg);
	TAILQ_REMOVE(&f->t->fhr->hosts, f, entry);
	free(f);
}

/* The host whose EID-notify a gateway's Map-Notify acknowledges. */
static bool
fhr_acked(const struct laddr *gw, uint64_t nonce)
{
	const struct tenant	*t;
	struct fhr_host		*f;
	char			 a[ADDRSTRLEN], p[PREFIXSTRLEN];
	bool			 first;

	TENANT_FOREACH(t) {
		if (!t->fhr)
			continue;
		TAILQ_FOREACH(f, &t->fhr->hosts, entry) {
			first = !f->reg.acked;
			if (!registration_acked(&f->reg, gw, nonce))
				continue;
			if (first)
				log_info("dynamic-eid %s: %s acknowledged by "
				    "gateway %s", f->policy, prefix_fmt(&f->eid,
				    p, sizeof(p)), addr_fmt(gw, a, sizeof(a)));
			return true;
		}
	}
	return false;
}

/* Every host of every tenant, in turn; fn may free the one it gets. */
static void
fhr_foreach(void (*fn)(struct fhr_host *, void *), void *arg)
{
	const struct tenant	*t;
	struct fhr_host		*f, *next;

	TENANT_FOREACH(t) {
		if (!t->fhr)
			continue;
		for (f = TAILQ_FIRST(&t->fhr->hosts); f; f = next) {
			next = TAILQ_NEXT(f, entry);
			fn(f, arg);
		}
	}
}

/* The EID-notify's record for eid: ttl 0 withdraws it. */
static void
eid_notify_record(const struct dyneid_conf *d, const struct prefix *eid,
    bool withdraw, struct lisp_mapreg *m)
{
	struct lisp_rec	*rec = &m->rec[0];
	struct laddr	 self;

	m->flags |= LISP_MREG_E;
	m->nrec = 1;
	memset(rec, 0, sizeof(*rec));
	rec->ttl = withdraw ? 0 : TTL_DEFAULT;
	rec->auth = true;
	rec->mlen = eid->plen;
	prefix_to_lisp(eid, &rec->eid);
	/* Our address towards the gateway: where the host is reached. */
	if (!net_local_addr(&d->gateway.addr, &self)) {
		struct lisp_loc *l = &rec->loc[rec->nloc++];

		l->priority = 1;
		l->weight = 100;
		l->mpriority = 255;
		l->flags = LISP_LOC_L | LISP_LOC_R;
		laddr_to_lisp(&self, &l->addr);
	}
}

static void
eid_notify_log(const struct dyneid_conf *d, const struct prefix *eid,
    bool withdraw)
{
	char	a[ADDRSTRLEN], p[PREFIXSTRLEN];

	log_info("dynamic-eid %s: EID-notify %s%s to gateway %s", d->name,
	    prefix_fmt(eid, p, sizeof(p)), withdraw ? " withdrawn" : "",
	    addr_fmt(&d->gateway.addr, a, sizeof(a)));
}

static bool
fhr_build(struct registration *r, struct lisp_mapreg *m)
{
	struct fhr_host			*f = r->owner;
	const struct dyneid_conf	*d = fhr_policy(f->policy);

	if (!d)
		return false;
	eid_notify_record(d, &f->eid, false, m);
	return true;
}

static void
fhr_sent(struct registration *r, const struct lisp_mapreg *m)
{
	struct fhr_host			*f = r->owner;
	const struct dyneid_conf	*d = fhr_policy(f->policy);

	(void)m;
	if (d)
		eid_notify_log(d, &f->eid, false);
}

static const struct registration_ops fhr_ops = {
	.build = fhr_build,
	.sent = fhr_sent,
};

static void
fhr_host_up(const struct dyneid_conf *d, const struct prefix *eid)
{
	struct tenant	*t = tenant_of(eid);
	struct fhr_host	*f = fhr_find(eid);

	if (!f) {
		if (!t)
			return;
		if (!t->fhr) {
			if (!(t->fhr = calloc(1, sizeof(*t->fhr))))
				return;
			TAILQ_INIT(&t->fhr->hosts);
		}
		if (!(f = calloc(1, sizeof(*f))))
			return;
		f->t = t;
		f->eid = *eid;
		TAILQ_INSERT_TAIL(&t->fhr->hosts, f, entry);
	} else
		registration_stop(&f->reg);
	snprintf(f->policy, sizeof(f->policy), "%s", d->name);
	registration_init(&f->reg, &d->gateway, LISP_MREG_E, &fhr_ops, f);
	registration_start(&f->reg);	/* now: the gateway is waiting */
}

static void
fhr_host_down(const struct dyneid_conf *d, const struct prefix *eid,
    bool withdraw)
{
	struct fhr_host		*f = fhr_find(eid);
	struct lisp_mapreg	*m;

	if (withdraw) {
		m = register_msg();
		m->nonce = nonce_new();		/* no M: nothing to wait for */
		eid_notify_record(d, eid, true, m);
		if (!register_send(&d->gateway, m))
			eid_notify_log(d, eid, true);
	}
	if (f)
		fhr_free(f);
}

/* The host table's events: tell the gateway of its hosts. */
static void
fhr_found(const struct dyneid_conf *d, struct dyn_host *h)
{
	if (dyneid_fhr(d))
		fhr_host_up(d, &h->eid);
}

static void
fhr_lost(const struct dyneid_conf *d, const struct prefix *eid, bool withdraw)
{
	if (dyneid_fhr(d))
		fhr_host_down(d, eid, withdraw);
}

static const struct dyneid_listener fhr_listener = {
	.found = fhr_found,
	.lost = fhr_lost,
};

bool
fhr_is_gateway(const struct laddr *a)
{
	return conf && (conf->roles & ROLE_FHR) && fhr_gateway(a, NULL, 0);
}

void
fhr_handle_notify(const struct pkt *pkt, const uint8_t *buf, size_t len,
    const struct lisp_mapreg *m)
{
	const struct dyneid_conf *d;
	const struct mserver	*gw = NULL;
	struct prefix		 eid;
	char			 a[ADDRSTRLEN], p[PREFIXSTRLEN];
	int			 i, n, err;
	uint8_t			 out[LISPD_MSG_MAX];

	stats[ST_MNOT_RX]++;
	addr_fmt(&pkt->src, a, sizeof(a));
	if ((d = fhr_gateway(&pkt->src, buf, len)))
		gw = &d->gateway;
	if (!gw) {
		log_peer_warnx(refuse(ST_MREG_AUTH),
		    "Map-Notify from gateway %s does not authenticate", a);
		return;
	}
	if (fhr_acked(&pkt->src, m->nonce))
		return;
	/* Unsolicited: these hosts now live at another site. */
	for (i = 0; i < m->nrec; i++) {
		if (prefix_from_lisp(&m->rec[i].eid, m->rec[i].mlen, &eid) ||
		    !fhr_find(&eid))
			continue;
		log_info("dynamic-eid: %s moved away (Map-Notify from "
		    "gateway %s), forgotten here",
		    prefix_fmt(&eid, p, sizeof(p)), a);
		dyneid_forget(&eid);
	}
	n = notify_encode(out, sizeof(out), LISP_MSG_NOTIFY_ACK, m->nonce,
	    &(struct mserver){ .key = gw->key, .key_id = m->key_id,
	    .alg = m->alg_id }, m->rec, m->nrec);
	if (n > 0 && (err = net_send(&pkt->src, pkt->sport, out,
	    (size_t)n)) == 0)
		stats[ST_MNOT_ACK_TX]++;
}

/*
 * reload: the hosts stay, their registrations stopped, for fhr_init()
 * to bind to the new configuration's gateways before anything runs.
 */
static void
fhr_stop_cb(struct fhr_host *f, void *arg)
{
	bool	reload = *(bool *)arg;

	if (reload)
		registration_stop(&f->reg);
	else
		fhr_free(f);
}

static void
state_free(struct tenant *t)
{
	while (t->fhr && !TAILQ_EMPTY(&t->fhr->hosts))
		fhr_free(TAILQ_FIRST(&t->fhr->hosts));
	free(t->fhr);
	t->fhr = NULL;
}

void
fhr_forget_tenant(struct tenant *t)
{
	state_free(t);
}

void
fhr_shutdown(bool reload)
{
	struct tenant	*t;

	fhr_foreach(fhr_stop_cb, &reload);
	if (!reload)
		TENANT_FOREACH(t)
			state_free(t);
}

/*
 * Before dyneid_init(): listens to the host table.  After a reload,
 * hosts of a policy gone go, the others carry on.
 */
static void
fhr_resume(struct fhr_host *f, void *arg)
{
	const struct dyneid_conf *d = fhr_policy(f->policy);

	(void)arg;
	if (!d || !prefix_covers(&d->eid, &f->eid))
		fhr_free(f);
	else
		registration_resume(&f->reg, &d->gateway);
}

void
fhr_init(void)
{
	dyneid_listen(&fhr_listener);
	fhr_foreach(fhr_resume, NULL);
}
