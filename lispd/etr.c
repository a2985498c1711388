/* SPDX-License-Identifier: MIT */
/*
 * ETR (RFC 9301 sections 5.6, 5.7, 8.1, 8.2): put the database-mappings
 * in the kernel so that it decapsulates for them, register them with
 * each Map-Server every minute asking for a Map-Notify and retransmit
 * (1 s, doubling to 1 minute) until it comes, and answer Map-Requests
 * for them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "lispd.h"

struct etr_ms {
	struct timer	 timer;
	const struct mserver *ms;
	uint64_t	 nonce;		/* of the unacknowledged Map-Register */
	uint64_t	 acked_nonce;	/* of the last acknowledged one */
	unsigned int	 backoff;	/* s, 0 when acknowledged */
	time_t		 acked;		/* last Map-Notify, 0: never */
	uint64_t	 sent;
};

static struct etr_ms		*ems;
static int			 nems;
static struct lisp_mapreg	 mreg;
static struct lisp_rec		 recs[LISP_MAX_RECORDS];
static uint8_t			 obuf[9216];

bool
etr_owns(const struct prefix *p)
{
	int	i;

	for (i = 0; conf && i < conf->ndb; i++)
		if (prefix_covers(&conf->db[i].eid, p))
			return true;
	return false;
}

/* A database-mapping as an EID record: our locators, L and R set. */
static void
etr_record(const struct dbmap *d, struct lisp_rec *rec)
{
	int	i;

	memset(rec, 0, sizeof(*rec));
	rec->ttl = TTL_DEFAULT;
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

static void
etr_send_register(struct etr_ms *e)
{
	char	a[ADDRSTRLEN];
	int	i, n, err;

	memset(&mreg, 0, sizeof(mreg));
	mreg.type = LISP_MSG_REGISTER;
	mreg.flags = LISP_MREG_M | (e->ms->proxy_reply ? LISP_MREG_P : 0);
	/* A retransmission is the original Map-Register (5.6). */
	if (!e->nonce)
		e->nonce = nonce_new();
	mreg.nonce = e->nonce;
	mreg.key_id = e->ms->key_id;
	mreg.alg_id = e->ms->alg;
	mreg.auth_len = (uint16_t)lisp_auth_len(e->ms->alg, false);
	for (i = 0; i < conf->ndb && i < LISP_MAX_RECORDS; i++)
		etr_record(&conf->db[i], &mreg.rec[mreg.nrec++]);
	n = lisp_mapreg_encode(obuf, sizeof(obuf), &mreg);
	if (n < 0) {
		log_warnx("Map-Register encode: %s", lisp_strerror(-n));
		return;
	}
	if ((err = lisp_auth_sign(obuf, (size_t)n, e->ms->key,
	    strlen(e->ms->key))) < 0) {
		log_warnx("Map-Register sign: %s", lisp_strerror(-err));
		return;
	}
	if (net_send(&e->ms->addr, LISP_CONTROL_PORT, obuf, (size_t)n) == 0) {
		stats[ST_MREG_TX]++;
		e->sent++;
		log_debug("Map-Register to %s (%d records)",
		    addr_fmt(&e->ms->addr, a, sizeof(a)), mreg.nrec);
	}
}

/* Periodic register, or retransmission while no Map-Notify came. */
static void
register_timer(void *arg)
{
	struct etr_ms	*e = arg;

	if (!e->backoff) {
		e->nonce = 0;		/* a new period: a new message */
		e->backoff = 1;
	} else if (e->backoff < REGISTER_BACKOFF_MAX)
		e->backoff *= 2;
	if (e->backoff > REGISTER_BACKOFF_MAX)
		e->backoff = REGISTER_BACKOFF_MAX;
	etr_send_register(e);
	timer_add(&e->timer, (uint64_t)e->backoff * 1000);
}

static void
db_seen(const struct prefix *p, void *arg)
{
	char	s[PREFIXSTRLEN];
	int	i;

	(void)arg;
	for (i = 0; i < conf->ndb; i++)
		if (prefix_eq(&conf->db[i].eid, p))
			return;
	/* Ours from an older configuration: the kernel must forget it. */
	log_info("database: removing %s, no longer configured",
	    prefix_fmt(p, s, sizeof(s)));
	kernel_db_del(p);
}

void
etr_init(void)
{
	char	s[PREFIXSTRLEN];
	int	i, err;

	kernel_db_dump(db_seen, NULL);
	for (i = 0; i < conf->ndb; i++) {
		err = kernel_db_add(&conf->db[i].eid);
		if (err && err != -EEXIST)
			log_warnx("database: %s not installed",
			    prefix_fmt(&conf->db[i].eid, s, sizeof(s)));
	}
	nems = conf->nms;
	ems = calloc((size_t)nems + 1, sizeof(*ems));
	if (!ems)
		fatal("etr_init");
	for (i = 0; i < nems; i++) {
		ems[i].ms = &conf->ms[i];
		timer_set(&ems[i].timer, register_timer, &ems[i]);
		/* Register at once, then every minute. */
		timer_add(&ems[i].timer, 0);
	}
}

/* The kernel database stays: the data plane keeps decapsulating. */
void
etr_shutdown(void)
{
	int	i;

	for (i = 0; i < nems; i++)
		timer_del(&ems[i].timer);
	free(ems);
	ems = NULL;
	nems = 0;
}

static void
etr_send_notify_ack(const struct pkt *pkt, const struct etr_ms *e,
    const struct lisp_mapreg *m)
{
	struct lisp_mapreg	*ack = &mreg;
	int			 n, err;

	*ack = *m;
	ack->type = LISP_MSG_NOTIFY_ACK;
	n = lisp_mapnotify_ack_encode(obuf, sizeof(obuf), ack);
	if (n < 0 || (err = lisp_auth_sign(obuf, (size_t)n, e->ms->key,
	    strlen(e->ms->key))) < 0)
		return;
	if (net_send(&pkt->src, pkt->sport, obuf, (size_t)n) == 0)
		stats[ST_MNOT_ACK_TX]++;
}

void
etr_handle_notify(const struct pkt *pkt, const uint8_t *buf, size_t len,
    const struct lisp_mapreg *m)
{
	struct etr_ms	*e = NULL;
	char		 a[ADDRSTRLEN];
	int		 i, err;

	stats[ST_MNOT_RX]++;
	addr_fmt(&pkt->src, a, sizeof(a));
	for (i = 0; i < nems; i++)
		if (addr_eq(&ems[i].ms->addr, &pkt->src))
			e = &ems[i];
	if (!e) {
		stats[ST_RX_UNEXPECTED]++;
		log_warnx("Map-Notify from %s, not a map-server of ours", a);
		return;
	}
	if ((err = lisp_auth_verify(buf, len, e->ms->key,
	    strlen(e->ms->key)))) {
		stats[ST_MREG_AUTH]++;
		log_warnx("Map-Notify from %s: %s", a, lisp_strerror(-err));
		return;
	}
	if (e->backoff && m->nonce == e->nonce) {
		if (!e->acked)
			log_info("registered with map-server %s", a);
		e->acked = ev_now();
		e->acked_nonce = e->nonce;
		e->backoff = 0;
		e->nonce = 0;
		timer_add(&e->timer, REGISTER_INTERVAL * 1000);
		return;
	}
	/* A Map-Notify for a retransmission we no longer wait for. */
	if (m->nonce && m->nonce == e->acked_nonce)
		return;
	/* Unsolicited: the Map-Server tells us our mapping changed. */
	log_info("unsolicited Map-Notify from %s (%d records)", a, m->nrec);
	etr_send_notify_ack(pkt, e, m);
}

void
etr_handle_request(const struct pkt *pkt, const struct lisp_mapreq *req)
{
	struct prefix	eid;
	char		s[PREFIXSTRLEN];
	int		i;

	/* SMRs and probes would be answered here too; not yet. */
	if (req->flags & (LISP_MREQ_S | LISP_MREQ_P)) {
		stats[ST_RX_UNEXPECTED]++;
		log_debug("SMR/probe Map-Request ignored");
		return;
	}
	if (prefix_from_lisp(&req->rec[0].eid, req->rec[0].mlen, &eid))
		return;
	for (i = 0; i < conf->ndb; i++)
		if (prefix_covers(&conf->db[i].eid, &eid))
			break;
	if (i == conf->ndb)
		return;
	etr_record(&conf->db[i], &recs[0]);
	if (mr_send_reply(pkt, req, recs, 1) == 0)
		log_debug("Map-Reply for %s", prefix_fmt(&eid, s, sizeof(s)));
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
		for (j = 0; j < nems; j++) {
			json_object *m = json_object_new_object();

			json_object_object_add(m, "map-server",
			    json_object_new_string(addr_fmt(&ems[j].ms->addr, s,
			    sizeof(s))));
			json_object_object_add(m, "registered",
			    json_object_new_boolean(ems[j].acked != 0));
			if (ems[j].acked)
				json_object_object_add(m, "last-notify",
				    json_object_new_int64((int64_t)(ev_now() -
				    ems[j].acked)));
			json_object_array_add(reg, m);
		}
		json_object_object_add(o, "registration", reg);
		json_object_array_add(arr, o);
	}
	return arr;
}
