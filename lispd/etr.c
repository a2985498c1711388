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
#include "dyneid.h"
#include "etr.h"
#include "mr.h"

static struct registration	*regs;		/* one per map-server */
static int			 nregs;
static struct lisp_mapreg	 mreg;
static struct lisp_rec		 recs[LISP_MAX_RECORDS];
static uint8_t			 obuf[9216];

/* The database-mapping or dynamic EID serving p, into *out. */
static bool
etr_mapping(const struct prefix *p, struct dbmap *out)
{
	int	i;

	for (i = 0; conf && i < conf->ndb; i++)
		if (prefix_covers(&conf->db[i].eid, p)) {
			*out = conf->db[i];
			return true;
		}
	return dyneid_owns(p, out);
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
	int	i;

	(void)r;
	for (i = 0; i < conf->ndb && i < LISP_MAX_RECORDS; i++)
		etr_record(&conf->db[i], &m->rec[m->nrec++]);
	return m->nrec > 0;
}

static void
db_sent(struct registration *r, const struct lisp_mapreg *m)
{
	char	a[ADDRSTRLEN];

	log_debug("Map-Register to %s (%d records)",
	    addr_fmt(&r->peer->addr, a, sizeof(a)), m->nrec);
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

static struct prefix	stale[STALE_MAX];
static int		nstale;

static void
db_seen(const struct prefix *p, void *arg)
{
	int	i;

	(void)arg;
	for (i = 0; i < conf->ndb; i++)
		if (prefix_eq(&conf->db[i].eid, p))
			return;
	for (i = 0; i < conf->ndyn; i++)
		if (prefix_eq(&conf->dyn[i].eid, p) && conf->dyn[i].nrloc)
			return;
	/* Ours from an older configuration: the kernel must forget it. */
	if (nstale < STALE_MAX)
		stale[nstale++] = *p;
}

void
etr_init(void)
{
	char	s[PREFIXSTRLEN];
	int	i, err;

	nstale = 0;
	kernel_db_dump(db_seen, NULL);
	for (i = 0; i < nstale; i++) {
		log_info("database: removing %s, no longer configured",
		    prefix_fmt(&stale[i], s, sizeof(s)));
		kernel_db_del(&stale[i]);
	}
	for (i = 0; i < conf->ndb; i++) {
		err = kernel_db_add(&conf->db[i].eid);
		if (err && err != -EEXIST)
			log_warnx("database: %s not installed",
			    prefix_fmt(&conf->db[i].eid, s, sizeof(s)));
	}
	nregs = conf->nms;
	regs = calloc((size_t)nregs + 1, sizeof(*regs));
	if (!regs)
		fatal("etr_init");
	for (i = 0; i < nregs; i++) {
		registration_init(&regs[i], &conf->ms[i], 0, &db_ops, NULL);
		/* Register at once, then every minute (dynamic EIDs alone
		 * are registered one by one, by dyneid.c). */
		if (conf->ndb)
			registration_start(&regs[i]);
	}
}

/* The kernel database stays: the data plane keeps decapsulating. */
void
etr_shutdown(void)
{
	int	i;

	for (i = 0; i < nregs; i++)
		registration_stop(&regs[i]);
	free(regs);
	regs = NULL;
	nregs = 0;
}

static void
etr_send_notify_ack(const struct pkt *pkt, const struct mserver *ms,
    const struct lisp_mapreg *m)
{
	struct lisp_mapreg	*ack = &mreg;
	int			 n, err;

	*ack = *m;
	ack->type = LISP_MSG_NOTIFY_ACK;
	n = lisp_mapnotify_ack_encode(obuf, sizeof(obuf), ack);
	if (n < 0 || (err = lisp_auth_sign(obuf, (size_t)n, ms->key,
	    strlen(ms->key))) < 0)
		return;
	if (net_send(&pkt->src, pkt->sport, obuf, (size_t)n) == 0)
		stats[ST_MNOT_ACK_TX]++;
}

void
etr_handle_notify(const struct pkt *pkt, const uint8_t *buf, size_t len,
    const struct lisp_mapreg *m)
{
	struct registration	*r = NULL;
	char			 a[ADDRSTRLEN];
	bool			 first;
	int			 i, err;

	stats[ST_MNOT_RX]++;
	addr_fmt(&pkt->src, a, sizeof(a));
	for (i = 0; i < nregs; i++)
		if (addr_eq(&regs[i].peer->addr, &pkt->src))
			r = &regs[i];
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
	if (dyneid_notify_acked(pkt, m))
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
	dyneid_moved(pkt, m);
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
	static struct lisp_mapreq smr;
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
	n = lisp_mapreq_encode(obuf, sizeof(obuf), &smr);
	if (n < 0) {
		log_warnx("SMR encode: %s", lisp_strerror(-n));
		return;
	}
	if (net_send(itr_rloc, LISP_CONTROL_PORT, obuf, (size_t)n))
		return;
	stats[ST_SMR_TX]++;
	log_info("SMR for %s sent to ITR %s", e, a);
}

json_object *
etr_show(void)
{
	json_object	*arr = json_object_new_array();
	char		 s[PREFIXSTRLEN];
	int		 i, j;

	for (i = 0; conf && i < conf->ndb; i++) {
		json_object	*o = json_object_new_object();
		json_object	*rl = json_object_new_array(), *reg;

		json_object_object_add(o, "eid", json_object_new_string(
		    prefix_fmt(&conf->db[i].eid, s, sizeof(s))));
		for (j = 0; j < conf->db[i].nrloc; j++) {
			json_object *r = json_object_new_object();

			json_object_object_add(r, "address",
			    json_object_new_string(addr_fmt(
			    &conf->db[i].rloc[j].addr, s, sizeof(s))));
			json_object_object_add(r, "priority", json_object_new_int(
			    conf->db[i].rloc[j].priority));
			json_object_object_add(r, "weight", json_object_new_int(
			    conf->db[i].rloc[j].weight));
			json_object_array_add(rl, r);
		}
		json_object_object_add(o, "rlocs", rl);
		reg = json_object_new_array();
		for (j = 0; j < nregs; j++) {
			json_object *m = json_object_new_object();

			json_object_object_add(m, "map-server",
			    json_object_new_string(addr_fmt(&regs[j].peer->addr,
			    s, sizeof(s))));
			json_object_object_add(m, "registered",
			    json_object_new_boolean(regs[j].acked != 0));
			if (regs[j].acked)
				json_object_object_add(m, "last-notify",
				    json_object_new_int64((int64_t)(ev_now() -
				    regs[j].acked)));
			json_object_array_add(reg, m);
		}
		json_object_object_add(o, "registration", reg);
		json_object_array_add(arr, o);
	}
	return arr;
}
