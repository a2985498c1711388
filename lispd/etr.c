/* SPDX-License-Identifier: MIT */
/*
 * ETR (RFC 9301 sections 5.6, 5.7, 8.1, 8.2): put the database-mappings
 * in the kernel so that it decapsulates for them, keep them registered
 * with each Map-Server (register.c), and answer Map-Requests for them.
 */
#include <errno.h>
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
#include "stats.h"
#include "register.h"
#include "tenant.h"
#include "etr.h"
#include "mr.h"
#include "nat.h"

/* A tenant's: its registrations, one per map-server. */
struct etr_state {
	struct registration	*regs;
	int			 nregs;
};

static struct lisp_mapreg	 mreg;
static struct lisp_rec		 recs[LISP_MAX_RECORDS];
static const struct etr_hooks	*hooks;		/* the site gateway's */

/* The database-mapping or dynamic EID serving p, into *out. */
static bool
etr_mapping(const struct prefix *p, struct dbmap *out)
{
	const struct tenant	*t = tenant_of(p);
	int			 i;

	if (!t || !t->etr)
		return false;
	for (i = 0; i < t->conf->ndb; i++)
		if (prefix_covers(&t->conf->db[i].eid, p)) {
			*out = t->conf->db[i];
			return true;
		}
	return hooks && hooks->owns && hooks->owns(p, out);
}

bool
etr_owns(const struct prefix *p)
{
	struct dbmap	d;

	return etr_mapping(p, &d);
}

/* A database-mapping as an EID record: our locators, L and R set. */
void
etr_record(const struct dbmap *d, struct lisp_rec *rec)
{
	int	i;

	memset(rec, 0, sizeof(*rec));
	rec->ttl = record_ttl();
	rec->auth = true;
	rec->mlen = d->eid.plen;
	prefix_to_lisp(&d->eid, &rec->eid);
	for (i = 0; i < d->nrloc; i++) {
		struct lisp_loc *l = &rec->loc[rec->nloc++];

		l->priority = d->rloc[i].priority;
		l->weight = d->rloc[i].weight;
		l->mpriority = 255;
		l->mweight = 0;
		l->flags = LISP_LOC_L | LISP_LOC_R;
		laddr_to_lisp(&d->rloc[i].addr, &l->addr);
	}
}

/* Every database-mapping, in one Map-Register. */
static bool
db_build(struct registration *r, struct lisp_mapreg *m)
{
	const struct tenant_conf *tc = ((struct tenant *)r->owner)->conf;
	int			 i;

	/* Behind a NAT, or not yet known: through the RTRs (nat_reg.c). */
	if (!nat_xtr_direct_ok(r->owner, r->peer))
		return false;
	for (i = 0; i < tc->ndb && i < LISP_MAX_RECORDS; i++)
		etr_record(&tc->db[i], &m->rec[m->nrec++]);
	return m->nrec > 0;
}

static void
db_sent(struct registration *r, const struct lisp_mapreg *m)
{
	char	a[ADDRSTRLEN];

	log_debug("%s: Map-Register to %s (%d records)",
	    tenant_name(r->owner), addr_fmt(&r->peer->addr, a, sizeof(a)),
	    m->nrec);
}

static const struct registration_ops db_ops = {
	.build = db_build,
	.sent = db_sent,
};

/*
 * Prefixes the kernel has and the configuration no longer: removed once
 * the dump is over, as a request in the middle of a dump would read the
 * dump's end as its own and leave the dump waiting for it forever.
 */
#define STALE_MAX	256

struct stale {
	const struct tenant_conf *tc;	/* NULL: the tenant is gone */
	int			 n;
	struct prefix		 p[STALE_MAX];
};

static void
db_seen(const struct prefix *p, void *arg)
{
	struct stale			*st = arg;
	const struct tenant_conf	*tc = st->tc;
	int				 i;

	for (i = 0; tc && i < tc->ndb; i++)
		if (prefix_eq(&tc->db[i].eid, p))
			return;
	for (i = 0; tc && i < tc->ndyn; i++)
		if (prefix_eq(&tc->dyn[i].eid, p) && tc->dyn[i].nrloc)
			return;
	/* Ours from an older configuration: the kernel must forget it. */
	if (st->n < STALE_MAX)
		st->p[st->n++] = *p;
}

/* The device's database as tc has it (NULL: none of it). */
static void
db_sync(const struct tenant *t, const struct tenant_conf *tc)
{
	struct stale	*st;
	char		 s[PREFIXSTRLEN];
	int		 i, err;

	if (!t->ifindex || !(st = calloc(1, sizeof(*st))))
		return;
	st->tc = tc;
	kernel_db_dump(t->iid, db_seen, st);
	for (i = 0; i < st->n; i++) {
		log_info("database: removing %s, no longer configured",
		    prefix_fmt(&st->p[i], s, sizeof(s)));
		kernel_db_del(&st->p[i]);
	}
	free(st);
	for (i = 0; tc && i < tc->ndb; i++) {
		err = kernel_db_add(&tc->db[i].eid);
		if (err && err != -EEXIST)
			log_warnx("database: %s not installed",
			    prefix_fmt(&tc->db[i].eid, s, sizeof(s)));
	}
}

/*
 * A box of many tenants registers them REGISTER_PACE_MS apart, not all
 * at once: a thousand first Map-Registers in one burst, and their
 * retransmissions a second later, overflow a Map-Server's socket.
 */
#define REGISTER_PACE_MS	2

static void
etr_start(struct tenant *t, unsigned int delay_ms)
{
	const struct tenant_conf *tc = t->conf;
	struct etr_state	*e;
	int			 i;

	db_sync(t, tc);
	if (!(e = calloc(1, sizeof(*e))) ||
	    !(e->regs = calloc((size_t)tc->nms + 1, sizeof(*e->regs))))
		fatal("etr_start");
	e->nregs = tc->nms;
	t->etr = e;
	for (i = 0; i < e->nregs; i++) {
		registration_init(&e->regs[i], &tc->ms[i], 0, &db_ops, t);
		/* Register at once, then every minute (dynamic EIDs alone
		 * are registered one by one, by gateway.c). */
		if (tc->ndb)
			registration_start_in(&e->regs[i], delay_ms);
	}
}

/* The kernel database stays: the data plane keeps decapsulating. */
static void
etr_stop(struct tenant *t)
{
	int	i;

	if (!t->etr)
		return;
	for (i = 0; i < t->etr->nregs; i++)
		registration_stop(&t->etr->regs[i]);
	free(t->etr->regs);
	free(t->etr);
	t->etr = NULL;
}

/*
 * Tell every Map-Server of a tenant that its database-mappings are gone
 * (records with TTL 0), rather than leave them registered until they
 * time out there.
 */
static void
etr_withdraw(const struct tenant *t)
{
	const struct tenant_conf *tc = t->conf;
	struct lisp_mapreg	*m;
	char			 a[ADDRSTRLEN];
	int			 i, j;

	for (i = 0; i < tc->nms && tc->ndb; i++) {
		m = register_msg();
		m->nonce = nonce_new();		/* no M: nothing to wait for */
		for (j = 0; j < tc->ndb && j < LISP_MAX_RECORDS; j++) {
			etr_record(&tc->db[j], &m->rec[m->nrec]);
			m->rec[m->nrec++].ttl = 0;
		}
		if (!register_send(&tc->ms[i], m))
			log_info("%s: %d database-mappings withdrawn from %s",
			    tenant_name(t), m->nrec, addr_fmt(&tc->ms[i].addr,
			    a, sizeof(a)));
	}
}

/* The roles have stopped (a reload): what the tenant registered goes. */
void
etr_forget(struct tenant *t)
{
	etr_withdraw(t);
	etr_stop(t);
	db_sync(t, NULL);
}

void
etr_init(void)
{
	struct tenant	*t;
	unsigned int	 n = 0;

	TENANT_FOREACH(t)
		etr_start(t, REGISTER_PACE_MS * n++);
}

void
etr_shutdown(void)
{
	struct tenant	*t;

	TENANT_FOREACH(t)
		etr_stop(t);
	hooks = NULL;
}

void
etr_set_hooks(const struct etr_hooks *h)
{
	hooks = h;
}

static void
etr_send_notify_ack(const struct pkt *pkt, const struct mserver *ms,
    const struct lisp_mapreg *m)
{
	struct lisp_mapreg	*ack = &mreg;
	uint8_t			 buf[LISPD_MSG_MAX];
	int			 n, err;

	*ack = *m;
	ack->type = LISP_MSG_NOTIFY_ACK;
	n = lisp_mapnotify_ack_encode(buf, sizeof(buf), ack);
	if (n < 0 || (err = lisp_auth_sign(buf, (size_t)n, ms->key,
	    strlen(ms->key))) < 0)
		return;
	if (net_send(&pkt->src, pkt->sport, buf, (size_t)n) == 0)
		stats[ST_MNOT_ACK_TX]++;
}

/*
 * The registration a Map-Notify from a Map-Server is about: the one
 * whose nonce it echoes; unsolicited, the one of its records' tenant.
 * Tenants may register with one Map-Server under different keys.
 */
static struct registration *
notify_registration(const struct pkt *pkt, const struct lisp_mapreg *m)
{
	struct registration	*r, *any = NULL, *own = NULL;
	struct tenant		*t;
	struct prefix		 p;
	bool			 iid;
	int			 i;

	iid = m->nrec && !prefix_from_lisp(&m->rec[0].eid, m->rec[0].mlen,
	    &p);
	TENANT_FOREACH(t) {
		for (i = 0; t->etr && i < t->etr->nregs; i++) {
			r = &t->etr->regs[i];
			if (!addr_eq(&r->peer->addr, &pkt->src))
				continue;
			if (m->nonce && (m->nonce == r->nonce ||
			    m->nonce == r->acked_nonce))
				return r;
			if (iid && p.iid == t->iid && !own)
				own = r;
			if (!any)
				any = r;
		}
	}
	return own ? own : any;
}

void
etr_handle_notify(const struct pkt *pkt, const uint8_t *buf, size_t len,
    const struct lisp_mapreg *m)
{
	struct registration	*r;
	char			 a[ADDRSTRLEN];
	bool			 first;
	int			 err;

	stats[ST_MNOT_RX]++;
	addr_fmt(&pkt->src, a, sizeof(a));
	r = notify_registration(pkt, m);
	if (!r) {
		log_peer_warnx(refuse(ST_RX_UNEXPECTED),
		    "Map-Notify from %s, not a map-server of ours", a);
		return;
	}
	if ((err = lisp_auth_verify(buf, len, r->peer->key,
	    strlen(r->peer->key)))) {
		log_peer_warnx(refuse(ST_MREG_AUTH), "Map-Notify from %s: %s",
		    a, lisp_strerror(-err));
		return;
	}
	if (hooks && hooks->notify_acked && hooks->notify_acked(pkt, m))
		return;
	first = !r->acked;
	if (registration_acked(r, &pkt->src, m->nonce)) {
		if (first)
			log_info("registered with map-server %s", a);
		return;
	}
	/* A Map-Notify for a retransmission we no longer wait for. */
	if (m->nonce && m->nonce == r->acked_nonce)
		return;
	/* Unsolicited: the Map-Server tells us our mapping changed. */
	log_peer_info("map-notify-received",
	    "unsolicited Map-Notify from %s (%d records)", a, m->nrec);
	if (hooks && hooks->moved)
		hooks->moved(pkt, m);
	etr_send_notify_ack(pkt, r->peer, m);
}

/*
 * A Map-Request for one of our EIDs: plain, SMR-invoked (s, through the
 * mapping system) or an RLOC probe (P, straight to one of our locators)
 * gets the mapping.  A probe's reply has P, echoes the nonce (the
 * codec copies it) and marks the locator that was probed with p.
 */
void
etr_handle_request(const struct pkt *pkt, const struct lisp_mapreq *req)
{
	struct dbmap	d;
	struct prefix	eid;
	struct laddr	probed;
	char		s[PREFIXSTRLEN], a[ADDRSTRLEN];
	bool		probe = req->flags & LISP_MREQ_P;
	int		i;

	/* An SMR is for the ITR in us (packet.c); D: no reply wanted. */
	if (req->flags & (LISP_MREQ_S | LISP_MREQ_D)) {
		refuse(ST_RX_UNEXPECTED);
		log_debug("SMR or D-bit Map-Request to the ETR ignored");
		return;
	}
	if (prefix_from_lisp(&req->rec[0].eid, req->rec[0].mlen, &eid) ||
	    !etr_mapping(&eid, &d)) {
		refuse(ST_RX_UNEXPECTED);
		return;
	}
	etr_record(&d, &recs[0]);
	if (probe) {
		stats[ST_PROBE_RX]++;
		/* Which of ours was probed: the one toward the prober. */
		if (pkt->dst.family)
			probed = pkt->dst;
		else if (net_local_addr(&pkt->src, &probed))
			probed.family = 0;
		for (i = 0; i < recs[0].nloc; i++) {
			struct laddr l;

			if (!laddr_from_lisp(&recs[0].loc[i].addr, &l) &&
			    addr_eq(&l, &probed))
				recs[0].loc[i].flags |= LISP_LOC_P;
		}
	}
	if (mr_send_reply_flags(pkt, req, probe ? LISP_MREP_P : 0, recs,
	    1) != 0)
		return;
	if (probe)
		stats[ST_PROBE_REPLY_TX]++;
	log_debug("%sMap-Reply for %s to %s", probe ? "probe " :
	    req->flags & LISP_MREQ_SMR_INVOKED ? "SMR-invoked " : "",
	    prefix_fmt(&eid, s, sizeof(s)), addr_fmt(&pkt->src, a, sizeof(a)));
}

/*
 * Solicit-Map-Requests (RFC 9301 6.1): remembered per (ITR, EID) so
 * that one ITR hears about one EID at most every SMR_INTERVAL_MS,
 * whatever the kernel raises; the oldest memory makes room.
 */
#define SMR_INTERVAL_MS	3000
#define SMR_SLOTS	256

struct smr_sent {
	struct laddr	 itr;
	struct prefix	 eid;
	uint64_t	 at;
};

static struct smr_sent	smr_sent[SMR_SLOTS];

static bool
smr_rate_ok(const struct laddr *itr, const struct prefix *eid)
{
	struct smr_sent	*old = &smr_sent[0];
	uint64_t	 now = ev_now_ms();
	int		 i;

	for (i = 0; i < SMR_SLOTS; i++) {
		struct smr_sent *x = &smr_sent[i];

		if (x->at && addr_eq(&x->itr, itr) &&
		    prefix_eq(&x->eid, eid)) {
			if (now - x->at < SMR_INTERVAL_MS)
				return false;
			old = x;
			break;
		}
		if (x->at < old->at)
			old = x;
	}
	old->itr = *itr;
	old->eid = *eid;
	old->at = now ? now : 1;
	return true;
}

void
etr_send_smr(uint32_t iid, const struct laddr *eid, const struct laddr *seid,
    const struct laddr *itr_rloc)
{
	struct lisp_mapreq smr;		/* 10 kB */
	uint8_t		 buf[LISPD_MSG_MAX];
	struct prefix	 away, src;
	struct laddr	 rloc;
	char		 e[PREFIXSTRLEN], a[ADDRSTRLEN];
	int		 n;

	prefix_host(&away, iid, eid);
	prefix_host(&src, iid, seid);
	prefix_fmt(&away, e, sizeof(e));
	addr_fmt(itr_rloc, a, sizeof(a));
	if (!smr_rate_ok(itr_rloc, &away)) {
		stats[ST_SMR_RATELIMIT]++;
		log_debug("SMR for %s to %s: sent one less than %d s ago", e,
		    a, SMR_INTERVAL_MS / 1000);
		return;
	}
	if (net_local_addr(itr_rloc, &rloc)) {
		log_warn("SMR for %s: no route to %s", e, a);
		return;
	}
	/* S and D: the ITR asks the mapping system, it never answers us. */
	memset(&smr, 0, sizeof(smr));
	smr.flags = LISP_MREQ_S | LISP_MREQ_D;
	smr.nonce = nonce_new();
	prefix_to_lisp(&away, &smr.seid);
	smr.nitr = 1;
	laddr_to_lisp(&rloc, &smr.itr[0]);
	smr.nrec = 1;
	smr.rec[0].mlen = src.plen;
	prefix_to_lisp(&src, &smr.rec[0].eid);
	n = lisp_mapreq_encode(buf, sizeof(buf), &smr);
	if (n < 0) {
		log_warnx("SMR encode: %s", lisp_strerror(-n));
		return;
	}
	if (net_send(itr_rloc, LISP_CONTROL_PORT, buf, (size_t)n))
		return;
	stats[ST_SMR_TX]++;
	log_info("SMR for %s sent to ITR %s", e, a);
}

static void
show_tenant(json_object *arr, const struct tenant *t)
{
	const struct tenant_conf *tc = t->conf;
	const struct etr_state	*e = t->etr;
	char			 s[PREFIXSTRLEN];
	int			 i, j;

	for (i = 0; i < tc->ndb; i++) {
		json_object	*o = json_object_new_object();
		json_object	*rl = json_object_new_array(), *reg;

		json_object_object_add(o, "iid", json_object_new_int64(t->iid));
		json_object_object_add(o, "eid", json_object_new_string(
		    prefix_fmt(&tc->db[i].eid, s, sizeof(s))));
		for (j = 0; j < tc->db[i].nrloc; j++) {
			json_object *r = json_object_new_object();

			json_object_object_add(r, "address",
			    json_object_new_string(addr_fmt(
			    &tc->db[i].rloc[j].addr, s, sizeof(s))));
			json_object_object_add(r, "priority", json_object_new_int(
			    tc->db[i].rloc[j].priority));
			json_object_object_add(r, "weight", json_object_new_int(
			    tc->db[i].rloc[j].weight));
			json_object_array_add(rl, r);
		}
		json_object_object_add(o, "rlocs", rl);
		reg = json_object_new_array();
		for (j = 0; j < e->nregs; j++) {
			json_object *m = json_object_new_object();

			json_object_object_add(m, "map-server",
			    json_object_new_string(addr_fmt(
			    &e->regs[j].peer->addr, s, sizeof(s))));
			json_object_object_add(m, "registered",
			    json_object_new_boolean(e->regs[j].acked != 0));
			if (e->regs[j].acked)
				json_object_object_add(m, "last-notify",
				    json_object_new_int64((int64_t)(ev_now() -
				    e->regs[j].acked)));
			json_object_array_add(reg, m);
		}
		json_object_object_add(o, "registration", reg);
		json_object_array_add(arr, o);
	}
}

json_object *
etr_show(void)
{
	json_object	*arr = json_object_new_array();
	struct tenant	*t;

	TENANT_FOREACH(t)
		if (t->etr)
			show_tenant(arr, t);
	return arr;
}

void
etr_show_registrations(json_object *arr)
{
	const struct tenant	*t;
	char			 s[PREFIXSTRLEN];
	int			 i, j;

	TENANT_FOREACH(t)
		for (i = 0; t->etr && i < t->conf->ndb; i++)
			for (j = 0; j < t->etr->nregs; j++) {
				json_object *o = json_object_new_object();

				json_object_object_add(o, "iid",
				    json_object_new_int64(t->iid));
				json_object_object_add(o, "eid",
				    json_object_new_string(prefix_fmt(
				    &t->conf->db[i].eid, s, sizeof(s))));
				json_object_object_add(o, "kind",
				    json_object_new_string("database"));
				registration_show(o, &t->etr->regs[j]);
				json_object_array_add(arr, o);
			}
}
