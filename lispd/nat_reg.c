/* SPDX-License-Identifier: MIT */
/*
 * An xTR behind a NAT registers through the RTRs its Map-Server named
 * (draft-ietf-lisp-nat-traversal): nobody can reach it with a
 * Map-Request or a data packet unless it opened the way, so
 *
 *  - its Map-Register (P: the Map-Server answers for it; I: our xTR-ID,
 *    by which the RTR keeps our binding; M) names the RTRs as our
 *    locators, is signed with the Map-Server's key, and goes in an ECM
 *    with the R bit, inner IP from our RLOC to the Map-Server, inside a
 *    LISP data packet from our port 4341 to each RTR's (a
 *    Data-Map-Register, sent by the kernel: it owns port 4341).  The
 *    NAT binding the RTR learns from it is the one our data uses both
 *    ways;
 *  - it is sent every info-request-interval, a new message each time:
 *    the registration's refresh and the keepalive of that binding;
 *  - the Map-Notify comes back from the RTR inside a data packet (a
 *    Data-Map-Notify, punted by the kernel); it acknowledges the
 *    registration when it echoes its nonce and verifies with the
 *    Map-Server's key, as a plain Map-Notify does;
 *  - everything we send goes to the RTRs: a catch-all map-cache entry
 *    (0.0.0.0/0, and ::/0 for IPv6 EIDs) with a fixed source port.
 */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "log.h"
#include "event.h"
#include "conf.h"
#include "kernel.h"
#include "net.h"
#include "stats.h"
#include "register.h"
#include "tenant.h"
#include "nat.h"

struct nat_reg {
	struct tenant		*t;
	struct registration	 reg;
	int			 nrtr;		/* 0: not through RTRs */
	struct laddr		 rtr[LISP_MAX_RTR];
};

static bool
reg_build(struct registration *r, struct lisp_mapreg *m)
{
	struct nat_reg			*nr = r->owner;
	const struct tenant_conf	*tc = nr->t->conf;
	struct lisp_rec			*rec;
	int				 i, j;

	if (!nr->nrtr)
		return false;
	m->flags |= LISP_MREG_P | LISP_MREG_I;
	memcpy(m->xtr_id, register_xtr_id(), sizeof(m->xtr_id));
	for (i = 0; i < tc->ndb && i < LISP_MAX_RECORDS; i++) {
		rec = &m->rec[m->nrec++];
		memset(rec, 0, sizeof(*rec));
		rec->ttl = record_ttl();
		rec->auth = true;
		rec->mlen = tc->db[i].eid.plen;
		prefix_to_lisp(&tc->db[i].eid, &rec->eid);
		for (j = 0; j < nr->nrtr; j++) {
			rec->loc[j].priority = 1;
			rec->loc[j].weight = (uint8_t)(100 / nr->nrtr);
			rec->loc[j].mpriority = 255;
			rec->loc[j].flags = LISP_LOC_R;
			laddr_to_lisp(&nr->rtr[j], &rec->loc[j].addr);
		}
		rec->nloc = (uint8_t)nr->nrtr;
	}
	return m->nrec > 0;
}

/* m in an ECM (R) in an IP packet to one RTR: a Data-Map-Register. */
static int
send_to_rtr(struct nat_reg *nr, const struct laddr *rtr, const uint8_t *msg,
    size_t len)
{
	uint8_t		ecm[LISPD_MSG_MAX], out[LISPD_MSG_MAX];
	struct laddr	self;
	struct lisp_ecm	e;
	int		n;

	if (net_local_addr(rtr, &self) ||
	    self.family != nr->reg.peer->addr.family)
		return -1;
	memset(&e, 0, sizeof(e));
	e.flags = LISP_ECM_R;
	e.ipver = self.family == AF_INET ? 4 : 6;
	e.ttl = 64;
	memcpy(e.src, self.a, 16);
	memcpy(e.dst, nr->reg.peer->addr.a, 16);
	e.sport = e.dport = LISP_CONTROL_PORT;
	e.msg = msg;
	e.msg_len = len;
	if ((n = lisp_ecm_encode(ecm, sizeof(ecm), &e)) < 0)
		return -1;
	/* The outer one: from us to the RTR, which the kernel punts. */
	e.flags = 0;
	memcpy(e.dst, rtr->a, 16);
	e.msg = ecm;
	e.msg_len = (size_t)n;
	if ((n = lisp_udp_encode(out, sizeof(out), &e)) < 0)
		return -1;
	return kernel_ctrl_send(nr->t->iid, rtr, 0, out, (size_t)n);
}

static int
reg_send(struct registration *r, struct lisp_mapreg *m)
{
	struct nat_reg	*nr = r->owner;
	uint8_t		 buf[LISPD_MSG_MAX];
	int		 i, n, sent = 0;

	if ((n = register_encode(r->peer, m, buf, sizeof(buf))) < 0)
		return -1;
	for (i = 0; i < nr->nrtr; i++)
		if (!send_to_rtr(nr, &nr->rtr[i], buf, (size_t)n))
			sent++;
	if (!sent)
		return -1;
	stats[ST_NAT_REG_TX]++;
	return 0;
}

static const struct registration_ops nat_reg_ops = {
	.build = reg_build,
	.send = reg_send,
};

struct nat_reg *
nat_reg_new(struct tenant *t, const struct mserver *ms)
{
	struct nat_reg	*nr;

	if (!(nr = calloc(1, sizeof(*nr))))
		fatalx("out of memory");
	nr->t = t;
	registration_init(&nr->reg, ms, 0, &nat_reg_ops, nr);
	return nr;
}

void
nat_reg_free(struct nat_reg *nr)
{
	if (!nr)
		return;
	registration_stop(&nr->reg);
	free(nr);
}

/* Everything to the RTRs, from our port 4341 (the NAT's binding). */
static void
catch_all(const struct nat_reg *nr)
{
	const struct tenant_conf *tc = nr->t->conf;
	struct kmap	m;
	bool		v6 = false;
	int		i;

	for (i = 0; i < tc->ndb; i++)
		v6 |= tc->db[i].eid.family == AF_INET6;
	memset(&m, 0, sizeof(m));
	m.eid.iid = nr->t->iid;
	m.eid.family = AF_INET;
	m.ttl = TTL_DEFAULT * 60;
	m.rloc_flags = LISP_RLOC_F_FIXED_SPORT;
	for (i = 0; i < nr->nrtr; i++) {
		m.rloc[i].addr = nr->rtr[i];
		m.rloc[i].priority = 1;
		m.rloc[i].weight = (uint8_t)(100 / nr->nrtr);
	}
	m.nrloc = nr->nrtr;
	if (kernel_map_replace(&m))
		log_warnx("%s: catch-all entry to the RTRs not installed",
		    tenant_name(nr->t));
	m.eid.family = AF_INET6;
	if (v6 && kernel_map_replace(&m))
		log_warnx("%s: catch-all IPv6 entry to the RTRs not installed",
		    tenant_name(nr->t));
}

void
nat_reg_refresh(struct nat_reg *nr, const struct laddr *rtr, int nrtr)
{
	char	a[ADDRSTRLEN];

	if (nrtr > LISP_MAX_RTR)
		nrtr = LISP_MAX_RTR;
	if (nrtr && (nrtr != nr->nrtr ||
	    memcmp(rtr, nr->rtr, (size_t)nrtr * sizeof(*rtr))))
		log_info("%s: behind a NAT, registering with %s through %d "
		    "RTR(s)", tenant_name(nr->t), addr_fmt(&nr->reg.peer->addr,
		    a, sizeof(a)), nrtr);
	if (nrtr)
		memcpy(nr->rtr, rtr, (size_t)nrtr * sizeof(*rtr));
	nr->nrtr = nrtr;
	if (!nrtr) {
		registration_stop(&nr->reg);
		return;
	}
	/* Again each time: a flushed or expired entry comes back. */
	catch_all(nr);
	registration_start(&nr->reg);
}

bool
nat_reg_active(const struct nat_reg *nr)
{
	return nr && nr->nrtr > 0;
}

bool
nat_reg_take_notify(struct nat_reg *nr, const uint8_t *buf, size_t len,
    const struct lisp_mapreg *m)
{
	struct registration	*r = &nr->reg;
	char			 a[ADDRSTRLEN];
	bool			 first = !r->acked;
	int			 err;

	if (!m->nonce || (m->nonce != r->nonce && m->nonce != r->acked_nonce))
		return false;
	if ((err = lisp_auth_verify(buf, len, r->peer->key,
	    strlen(r->peer->key)))) {
		log_peer_warnx(refuse(ST_MREG_AUTH), "Data-Map-Notify: %s",
		    lisp_strerror(-err));
		return true;
	}
	stats[ST_MNOT_RX]++;
	if (registration_acked(r, &r->peer->addr, m->nonce) && first)
		log_info("%s: registered with map-server %s through an RTR",
		    tenant_name(nr->t), addr_fmt(&r->peer->addr, a,
		    sizeof(a)));
	return true;
}

void
nat_reg_show(json_object *row, const struct nat_reg *nr)
{
	json_object	*o;

	if (!nat_reg_active(nr))
		return;
	o = json_object_new_object();
	registration_show(o, &nr->reg);
	json_object_object_add(row, "rtr-registration", o);
}
