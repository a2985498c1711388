/* SPDX-License-Identifier: MIT */
/*
 * The xTR's side of NAT discovery (draft-ermagan-lisp-nat-traversal,
 * section 5): a tenant with nat-traversal sends each of its
 * map-servers an Info-Request for its first EID-prefix, signed with
 * that map-server's key, at once and every info-request-interval
 * seconds - often enough that the NAT keeps the binding of our control
 * port while the xTR is otherwise quiet.  The Info-Reply says the
 * address and port the NAT gave us and the RTRs we may use; we are
 * behind a NAT when that is not our own address and port 4342.
 *
 * A reply is taken only when it answers one of the two requests last
 * sent to that map-server (its nonce) and verifies with its key; its
 * nonce is then used up.  So a new translated address or port - the
 * NAT rebooted, its binding expired - is learned from a fresh,
 * authenticated exchange only, never from a replayed or forged reply.
 *
 * Behind a NAT, with RTRs named, the tenant registers through them
 * (nat_reg.c) at each interval, after its Info-Request; until then it
 * does not register directly (a registration with its private RLOC
 * would be useless behind a NAT).
 */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "log.h"
#include "event.h"
#include "conf.h"
#include "packet.h"
#include "stats.h"
#include "net.h"
#include "tenant.h"
#include "nat.h"

/* What one map-server told us. */
struct nat_peer {
	const struct mserver *ms;	/* the tenant's conf: reload restarts */
	uint64_t	 nonce[2];	/* outstanding, newest first; 0: none */
	bool		 known;		/* a reply taken */
	struct laddr	 global;	/* the NAT's address and port for us */
	uint16_t	 port;
	struct laddr	 local;		/* ours, towards the map-server */
	struct laddr	 ms_rloc;	/* as the reply says; family 0: none */
	int		 nrtr;
	struct laddr	 rtr[LISP_MAX_RTR];
	time_t		 since;		/* this binding first seen */
	time_t		 last;		/* last reply taken */
	uint64_t	 sent, taken;
	struct nat_reg	*reg;		/* registration through the RTRs */
};

struct nat_state {
	struct tenant	*t;
	struct timer	 timer;
	int		 npeer;
	struct nat_peer	*peer;
};

static struct lisp_info	msg;		/* too big for the stack */

static unsigned int
interval(void)
{
	return conf->info_interval ? conf->info_interval : 20;
}

static void
request_send(struct nat_state *ns, struct nat_peer *np)
{
	const struct tenant_conf *tc = ns->t->conf;
	const struct mserver	*ms = np->ms;
	uint8_t			 out[LISPD_MSG_MAX];
	int			 n;

	memset(&msg, 0, sizeof(msg));
	msg.nonce = nonce_new();
	msg.key_id = ms->key_id;
	msg.alg_id = ms->alg;
	msg.auth_len = (uint16_t)lisp_auth_len(ms->alg, ms->full_hmac);
	msg.mlen = tc->db[0].eid.plen;
	prefix_to_lisp(&tc->db[0].eid, &msg.eid);
	n = lisp_info_encode(out, sizeof(out), &msg);
	if (n < 0 || lisp_auth_sign(out, (size_t)n, ms->key,
	    strlen(ms->key))) {
		log_warnx("iid %u: Info-Request cannot be encoded", ns->t->iid);
		return;
	}
	np->nonce[1] = np->nonce[0];
	np->nonce[0] = msg.nonce;
	if (net_send(&ms->addr, LISP_CONTROL_PORT, out, (size_t)n))
		return;
	np->sent++;
	stats[ST_INFO_TX]++;
}

static bool
behind_nat(const struct nat_peer *np)
{
	return !addr_eq(&np->global, &np->local) ||
	    np->port != LISP_CONTROL_PORT;
}

/* Through the RTRs when behind a NAT that has them; else not. */
static void
reg_refresh(struct nat_peer *np)
{
	if (np->known && behind_nat(np))
		nat_reg_refresh(np->reg, np->rtr, np->nrtr);
	else
		nat_reg_refresh(np->reg, NULL, 0);
}

static void
tick(void *arg)
{
	struct nat_state	*ns = arg;
	int			 i;

	for (i = 0; i < ns->npeer; i++) {
		request_send(ns, &ns->peer[i]);
		reg_refresh(&ns->peer[i]);
	}
	timer_add(&ns->timer, (uint64_t)interval() * 1000);
}

void
nat_xtr_init(void)
{
	struct nat_state	*ns;
	struct tenant		*t;
	int			 i;

	TENANT_FOREACH(t) {
		if (!t->conf->nat_traversal || t->nat)
			continue;
		if (!(ns = calloc(1, sizeof(*ns))) ||
		    !(ns->peer = calloc((size_t)t->conf->nms,
		    sizeof(*ns->peer))))
			fatalx("out of memory");
		ns->t = t;
		ns->npeer = t->conf->nms;
		for (i = 0; i < ns->npeer; i++) {
			ns->peer[i].ms = &t->conf->ms[i];
			ns->peer[i].reg = nat_reg_new(t, &t->conf->ms[i]);
		}
		t->nat = ns;
		timer_set(&ns->timer, tick, ns);
		tick(ns);
	}
}

void
nat_xtr_shutdown(void)
{
	struct tenant	*t;
	int		 i;

	TENANT_FOREACH(t) {
		if (!t->nat)
			continue;
		timer_del(&t->nat->timer);
		for (i = 0; i < t->nat->npeer; i++)
			nat_reg_free(t->nat->peer[i].reg);
		free(t->nat->peer);
		free(t->nat);
		t->nat = NULL;
	}
}

/* The peer a request with this nonce went to; its slot in *slot. */
static struct nat_peer *
peer_of(uint64_t nonce, struct nat_state **nsp, int *slot)
{
	struct tenant	*t;
	int		 i, j;

	if (!nonce)
		return NULL;
	TENANT_FOREACH(t)
		for (i = 0; t->nat && i < t->nat->npeer; i++)
			for (j = 0; j < 2; j++)
				if (t->nat->peer[i].nonce[j] == nonce) {
					*nsp = t->nat;
					*slot = j;
					return &t->nat->peer[i];
				}
	return NULL;
}

/* An address of the NAT LCAF; family 0 for AFI 0. */
static int
ip_laddr(const struct lisp_ip *ip, struct laddr *a)
{
	struct lisp_addr	la;

	memset(&la, 0, sizeof(la));
	la.afi = ip->afi;
	la.ip = *ip;
	memset(a, 0, sizeof(*a));
	return ip->afi == LISP_AFI_NONE ? -1 : laddr_from_lisp(&la, a);
}

static void
reply_take(struct nat_state *ns, struct nat_peer *np)
{
	struct laddr	g;
	char		a[ADDRSTRLEN], b[ADDRSTRLEN], c[ADDRSTRLEN];
	bool		first = !np->known;
	int		i;

	(void)ip_laddr(&msg.nat.global_etr, &g);
	if (!np->known || !addr_eq(&g, &np->global) ||
	    np->port != msg.nat.etr_port) {
		if (np->known) {
			stats[ST_NAT_CHANGED]++;
			log_info("iid %u: map-server %s: NAT binding now %s "
			    "port %u, was %s port %u", ns->t->iid,
			    addr_fmt(&np->ms->addr, a, sizeof(a)),
			    addr_fmt(&g, b, sizeof(b)), msg.nat.etr_port,
			    addr_fmt(&np->global, c, sizeof(c)), np->port);
		}
		np->since = ev_now();
	}
	np->known = true;
	np->global = g;
	np->port = msg.nat.etr_port;
	(void)ip_laddr(&msg.nat.ms, &np->ms_rloc);
	if (net_local_addr(&np->ms->addr, &np->local))
		memset(&np->local, 0, sizeof(np->local));
	np->nrtr = 0;
	for (i = 0; i < msg.nat.nrtr; i++)
		if (!ip_laddr(&msg.nat.rtr[i], &np->rtr[np->nrtr]))
			np->nrtr++;
	np->last = ev_now();
	np->taken++;
	/* The first answer: register now, not an interval later. */
	if (first)
		reg_refresh(np);
}

void
nat_xtr_handle_reply(const struct pkt *pkt, const uint8_t *buf, size_t len)
{
	struct nat_state	*ns = NULL;
	struct nat_peer		*np;
	char			 a[ADDRSTRLEN];
	int			 err, slot = 0;

	if ((err = lisp_info_decode(buf, len, &msg)) < 0) {
		log_peer_warnx(refuse_malformed(err),
		    "malformed Info-Reply from %s port %u: %s",
		    addr_fmt(&pkt->src, a, sizeof(a)), pkt->sport,
		    lisp_strerror(-err));
		return;
	}
	if ((np = peer_of(msg.nonce, &ns, &slot)) == NULL) {
		log_peer_warnx(refuse(ST_INFO_REPLY_NONCE),
		    "Info-Reply from %s: answers no Info-Request of ours",
		    addr_fmt(&pkt->src, a, sizeof(a)));
		return;
	}
	if ((err = lisp_auth_verify(buf, len, np->ms->key,
	    strlen(np->ms->key)))) {
		log_peer_warnx(refuse(ST_INFO_REPLY_AUTH),
		    "Info-Reply from %s: %s", addr_fmt(&pkt->src, a,
		    sizeof(a)), lisp_strerror(-err));
		return;
	}
	np->nonce[slot] = 0;		/* used up: a replay is refused */
	stats[ST_INFO_REPLY_RX]++;
	reply_take(ns, np);
}

bool
nat_xtr_direct_ok(const struct tenant *t, const struct mserver *ms)
{
	int	i;

	if (!t->conf->nat_traversal)
		return true;
	for (i = 0; t->nat && i < t->nat->npeer; i++)
		if (addr_eq(&t->nat->peer[i].ms->addr, &ms->addr))
			return t->nat->peer[i].known &&
			    !behind_nat(&t->nat->peer[i]);
	return false;
}

bool
nat_xtr_handle_notify(const uint8_t *buf, size_t len,
    const struct lisp_mapreg *m)
{
	struct tenant	*t;
	int		 i;

	TENANT_FOREACH(t)
		for (i = 0; t->nat && i < t->nat->npeer; i++)
			if (nat_reg_take_notify(t->nat->peer[i].reg, buf, len,
			    m))
				return true;
	return false;
}

static void
show_peer(json_object *arr, const struct nat_state *ns,
    const struct nat_peer *np)
{
	json_object	*o = json_object_new_object(), *r;
	char		 a[ADDRSTRLEN];
	int		 i;

	json_object_object_add(o, "iid", json_object_new_int64(ns->t->iid));
	json_object_object_add(o, "map-server", json_object_new_string(
	    addr_fmt(&np->ms->addr, a, sizeof(a))));
	json_object_object_add(o, "state", json_object_new_string(
	    !np->known ? "unknown" : behind_nat(np) ? "behind-nat" :
	    "no-nat"));
	json_object_object_add(o, "sent", json_object_new_int64(
	    (int64_t)np->sent));
	json_object_object_add(o, "replies", json_object_new_int64(
	    (int64_t)np->taken));
	if (np->known) {
		json_object_object_add(o, "private", json_object_new_string(
		    addr_fmt(&np->local, a, sizeof(a))));
		json_object_object_add(o, "translated", json_object_new_string(
		    addr_fmt(&np->global, a, sizeof(a))));
		json_object_object_add(o, "port",
		    json_object_new_int(np->port));
		json_object_object_add(o, "binding-age", json_object_new_int64(
		    (int64_t)(ev_now() - np->since)));
		json_object_object_add(o, "last-reply", json_object_new_int64(
		    (int64_t)(ev_now() - np->last)));
		r = json_object_new_array();
		for (i = 0; i < np->nrtr; i++)
			json_object_array_add(r, json_object_new_string(
			    addr_fmt(&np->rtr[i], a, sizeof(a))));
		json_object_object_add(o, "rtrs", r);
		nat_reg_show(o, np->reg);
	}
	json_object_array_add(arr, o);
}

json_object *
nat_xtr_show(void)
{
	json_object	*arr = json_object_new_array();
	struct tenant	*t;
	int		 i;

	TENANT_FOREACH(t)
		for (i = 0; t->nat && i < t->nat->npeer; i++)
			show_peer(arr, t->nat, &t->nat->peer[i]);
	return arr;
}
