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

#include "lispd.h"

struct fhr_host {
	TAILQ_ENTRY(fhr_host) entry;
	char		 policy[DYNEID_NAME_MAX];
	struct prefix	 eid;
	struct timer	 timer;
	uint64_t	 nonce;
	unsigned int	 backoff;	/* s; 0 once acknowledged */
	time_t		 acked;
};

static TAILQ_HEAD(, fhr_host)	fhosts = TAILQ_HEAD_INITIALIZER(fhosts);
static struct lisp_mapreg	emsg;
static uint8_t			ebuf[2048];

static const struct dyneid_conf *
fhr_policy(const char *name)
{
	int	i;

	for (i = 0; conf && i < conf->ndyn; i++)
		if (!strcmp(conf->dyn[i].name, name) &&
		    conf->dyn[i].gateway.addr.family)
			return &conf->dyn[i];
	return NULL;
}

static struct fhr_host *
fhr_find(const struct prefix *eid)
{
	struct fhr_host	*f;

	TAILQ_FOREACH(f, &fhosts, entry)
		if (prefix_eq(&f->eid, eid))
			return f;
	return NULL;
}

static void
fhr_free(struct fhr_host *f)
{
	timer_del(&f->timer);
	TAILQ_REMOVE(&fhosts, f, entry);
	free(f);
}

/* The EID-notify for eid: ttl 0 withdraws it. */
static void
eid_notify_send(const struct dyneid_conf *d, const struct prefix *eid,
    uint64_t nonce, bool withdraw)
{
	const struct mserver	*gw = &d->gateway;
	struct lisp_rec		*rec = &emsg.rec[0];
	struct laddr		 self;
	char			 a[ADDRSTRLEN], p[PREFIXSTRLEN];
	int			 n, err;

	memset(&emsg, 0, sizeof(emsg));
	emsg.type = LISP_MSG_REGISTER;
	emsg.flags = LISP_MREG_E | (withdraw ? 0 : LISP_MREG_M);
	emsg.nonce = nonce;
	emsg.key_id = gw->key_id;
	emsg.alg_id = gw->alg;
	emsg.auth_len = (uint16_t)lisp_auth_len(gw->alg, false);
	emsg.nrec = 1;
	rec->ttl = withdraw ? 0 : TTL_DEFAULT;
	rec->auth = true;
	rec->mlen = eid->plen;
	prefix_to_lisp(eid, &rec->eid);
	/* Our address towards the gateway: where the host is reached. */
	if (!net_local_addr(&gw->addr, &self)) {
		struct lisp_loc *l = &rec->loc[rec->nloc++];

		l->priority = 1;
		l->weight = 100;
		l->mpriority = 255;
		l->flags = LISP_LOC_L | LISP_LOC_R;
		laddr_to_lisp(&self, &l->addr);
	}
	n = lisp_mapreg_encode(ebuf, sizeof(ebuf), &emsg);
	if (n < 0 || (err = lisp_auth_sign(ebuf, (size_t)n, gw->key,
	    strlen(gw->key))) < 0) {
		log_warnx("EID-notify: cannot encode");
		return;
	}
	if (net_send(&gw->addr, LISP_CONTROL_PORT, ebuf, (size_t)n) == 0) {
		stats[ST_MREG_TX]++;
		log_info("dynamic-eid %s: EID-notify %s%s to gateway %s",
		    d->name, prefix_fmt(eid, p, sizeof(p)),
		    withdraw ? " withdrawn" : "",
		    addr_fmt(&gw->addr, a, sizeof(a)));
	}
}

/* Refresh, or send again while the gateway has not answered. */
static void
fhr_timer(void *arg)
{
	struct fhr_host			*f = arg;
	const struct dyneid_conf	*d = fhr_policy(f->policy);

	if (!d) {
		fhr_free(f);
		return;
	}
	if (!f->backoff) {
		f->nonce = nonce_new();
		f->backoff = 1;
	} else if ((f->backoff *= 2) > REGISTER_BACKOFF_MAX)
		f->backoff = REGISTER_BACKOFF_MAX;
	eid_notify_send(d, &f->eid, f->nonce, false);
	timer_add(&f->timer, (uint64_t)f->backoff * 1000);
}

void
fhr_host_up(const struct dyneid_conf *d, const struct prefix *eid)
{
	struct fhr_host	*f = fhr_find(eid);

	if (!f) {
		if (!(f = calloc(1, sizeof(*f))))
			return;
		f->eid = *eid;
		timer_set(&f->timer, fhr_timer, f);
		TAILQ_INSERT_TAIL(&fhosts, f, entry);
	}
	snprintf(f->policy, sizeof(f->policy), "%s", d->name);
	f->backoff = 0;
	f->acked = 0;
	fhr_timer(f);		/* now: the gateway is waiting for it */
}

void
fhr_host_down(const struct dyneid_conf *d, const struct prefix *eid,
    bool withdraw)
{
	struct fhr_host	*f = fhr_find(eid);

	if (withdraw)
		eid_notify_send(d, eid, nonce_new(), true);
	if (f)
		fhr_free(f);
}

bool
fhr_is_gateway(const struct laddr *a)
{
	int	i;

	for (i = 0; conf && (conf->roles & ROLE_FHR) && i < conf->ndyn; i++)
		if (addr_eq(&conf->dyn[i].gateway.addr, a))
			return true;
	return false;
}

void
fhr_handle_notify(const struct pkt *pkt, const uint8_t *buf, size_t len,
    const struct lisp_mapreg *m)
{
	const struct mserver	*gw = NULL;
	struct fhr_host		*f;
	struct prefix		 eid;
	char			 a[ADDRSTRLEN], p[PREFIXSTRLEN];
	int			 i, n, err;

	stats[ST_MNOT_RX]++;
	addr_fmt(&pkt->src, a, sizeof(a));
	for (i = 0; i < conf->ndyn; i++)
		if (addr_eq(&conf->dyn[i].gateway.addr, &pkt->src) &&
		    !lisp_auth_verify(buf, len, conf->dyn[i].gateway.key,
		    strlen(conf->dyn[i].gateway.key)))
			gw = &conf->dyn[i].gateway;
	if (!gw) {
		log_peer_warnx(refuse(ST_MREG_AUTH),
		    "Map-Notify from gateway %s does not authenticate", a);
		return;
	}
	TAILQ_FOREACH(f, &fhosts, entry)
		if (f->backoff && m->nonce == f->nonce) {
			if (!f->acked)
				log_info("dynamic-eid %s: %s acknowledged by "
				    "gateway %s", f->policy,
				    prefix_fmt(&f->eid, p, sizeof(p)), a);
			f->acked = ev_now();
			f->backoff = 0;
			timer_add(&f->timer,
			    (uint64_t)register_interval() * 1000);
			return;
		}
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
	n = notify_encode(ebuf, sizeof(ebuf), LISP_MSG_NOTIFY_ACK, m->nonce,
	    &(struct mserver){ .key = gw->key, .key_id = m->key_id,
	    .alg = m->alg_id }, m->rec, m->nrec);
	if (n > 0 && (err = net_send(&pkt->src, pkt->sport, ebuf,
	    (size_t)n)) == 0)
		stats[ST_MNOT_ACK_TX]++;
}

void
fhr_shutdown(void)
{
	while (!TAILQ_EMPTY(&fhosts))
		fhr_free(TAILQ_FIRST(&fhosts));
}
