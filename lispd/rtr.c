/* SPDX-License-Identifier: MIT */
/*
 * The RTR (re-encapsulating tunnel router, draft-ietf-lisp-nat-traversal):
 * the xTRs behind NATs register through us, and we forward their data
 * in the kernel's fast path, to the address and port their NAT gave
 * them.
 *
 * An xTR sends its Map-Register in an ECM with the R bit inside a LISP
 * data packet from its port 4341 to ours (a Data-Map-Register); the
 * kernel punts it (ctrl-punt) with the outer source address and port:
 * the NAT's binding of exactly the 5-tuple our data must go back on.
 * We relay the Map-Register, unchanged, to the Map-Server the ECM names
 * - only one of our configured map-servers: we are no open relay - and
 * remember {nonce -> binding} for a few seconds.  Only when that
 * Map-Server's Map-Notify echoes the nonce (it authenticated the
 * registration with the site's key) is the binding committed: each EID
 * prefix's map-cache entry names the NAT's address and port, with a
 * fixed source port.  A new port is thus taken only after a fresh
 * exchange the Map-Server accepted; a nonce seen before is refused, as
 * the Map-Server would answer a replay again.  The Map-Notify goes on
 * to the xTR inside a data packet (a Data-Map-Notify), which also
 * confirms the binding works in our direction.
 *
 * The xTR repeats this every info-request-interval; a binding not
 * refreshed for three intervals is gone with its map-cache entries.
 *
 * Open Overlay Router's xTRs send the ECM straight to our control port
 * instead, from their data port: the binding is then the message's
 * source, and the Map-Notify goes back from our control port with a
 * LISP data header in front (instance-id 0xffffff), as OOR's RTR does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "log.h"
#include "event.h"
#include "conf.h"
#include "kernel.h"
#include "net.h"
#include "packet.h"
#include "stats.h"
#include "tenant.h"
#include "nat.h"
#include "nat_conf.h"

#define RTR_EIDS	8	/* EID prefixes of one xTR we install */
#define RTR_PENDING	256	/* relayed Map-Registers awaiting a Map-Notify */
#define RTR_PENDING_MS	5000	/* how long they wait */
#define RTR_NONCES	64	/* nonces a binding remembers: > 3 min at 3 s */
#define RTR_TTL		86400	/* s: the entries go when the binding does */
#define LISP_DATA_HLEN	8	/* a LISP data header (RFC 9300 5.1) */
#define RTR_REGISTER_S	60	/* s: how often OOR's xTRs re-register */

/* What one Data-Map-Register told us, until its Map-Notify. */
struct rtr_reg {
	uint64_t	 nonce;		/* 0: a free slot */
	uint64_t	 at;		/* ms */
	uint32_t	 iid;
	uint8_t		 xtr_id[16];
	struct laddr	 ms;		/* relayed to */
	struct laddr	 nat;		/* the outer source: the NAT's binding */
	uint16_t	 nat_port;
	struct laddr	 priv;		/* the ECM's inner source: the xTR's RLOC */
	struct laddr	 self;		/* our address, as the xTR sent to it */
	bool		 socket;	/* OOR's form: on the control socket */
	int		 neid;
	struct prefix	 eid[RTR_EIDS];
};

/* One xTR registered through us. */
struct rtr_binding {
	struct rtr_reg	 reg;		/* the last one committed */
	time_t		 since;		/* this address and port first */
	time_t		 last;		/* last refresh */
	uint64_t	 refreshes;
	int		 next;
	uint64_t	 nonce[RTR_NONCES];	/* seen: a replay is refused */
};

static struct rtr_reg		 pending[RTR_PENDING];
static struct rtr_binding	*bindings;
static unsigned int		 nbind;
static struct timer		 age_timer;
static struct lisp_mapreg	 mreg;		/* too big for the stack */

static unsigned int
interval(void)
{
	return conf->info_interval ? conf->info_interval : NAT_INFO_INTERVAL;
}

static struct rtr_binding *
binding_of(uint32_t iid, const uint8_t *xtr_id)
{
	unsigned int	i;

	for (i = 0; i < nbind; i++)
		if (bindings[i].reg.iid == iid &&
		    !memcmp(bindings[i].reg.xtr_id, xtr_id, 16))
			return &bindings[i];
	return NULL;
}

static bool
nonce_known(uint64_t nonce)
{
	unsigned int	i, j;

	for (i = 0; i < RTR_PENDING; i++)
		if (pending[i].nonce == nonce)
			return true;
	for (i = 0; i < nbind; i++)
		for (j = 0; j < RTR_NONCES; j++)
			if (bindings[i].nonce[j] == nonce)
				return true;
	return false;
}

/* A free pending slot, expired ones freed; NULL: all busy. */
static struct rtr_reg *
pending_slot(void)
{
	uint64_t	now = ev_now_ms();
	struct rtr_reg	*free_one = NULL;
	int		i;

	for (i = 0; i < RTR_PENDING; i++) {
		if (pending[i].nonce && now - pending[i].at > RTR_PENDING_MS)
			pending[i].nonce = 0;
		if (!pending[i].nonce && !free_one)
			free_one = &pending[i];
	}
	return free_one;
}

static bool
is_map_server(const struct tenant *t, const struct laddr *a)
{
	int	i;

	for (i = 0; i < t->conf->nms; i++)
		if (addr_eq(&t->conf->ms[i].addr, a))
			return true;
	return false;
}

static void
laddr_of(uint8_t ipver, const uint8_t *a, struct laddr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = ipver == 4 ? AF_INET : AF_INET6;
	memcpy(out->a, a, ipver == 4 ? 4 : 16);
}

/*
 * The Map-Register in e, from the NAT binding nat:port, for t: relayed
 * when it names one of our map-servers and an xTR-ID, and is new.
 */
static void
relay(struct tenant *t, const struct lisp_ecm *e, const struct laddr *nat,
    uint16_t nat_port, const struct laddr *self, bool socket)
{
	struct rtr_reg	*r;
	struct prefix	 p;
	char		 a[ADDRSTRLEN], m[ADDRSTRLEN];
	int		 i, err;

	addr_fmt(nat, a, sizeof(a));
	if ((err = lisp_mapreg_decode(e->msg, e->msg_len, &mreg)) < 0) {
		log_peer_warnx(refuse_malformed(err),
		    "Data-Map-Register from %s port %u: %s", a, nat_port,
		    lisp_strerror(-err));
		return;
	}
	if (!(mreg.flags & LISP_MREG_I) || !(mreg.flags & LISP_MREG_M) ||
	    !mreg.nonce) {
		log_peer_warnx(refuse(ST_RTR_REFUSED), "Data-Map-Register "
		    "from %s port %u: no xTR-ID, nonce or M bit", a, nat_port);
		return;
	}
	if (nonce_known(mreg.nonce)) {
		log_peer_warnx(refuse(ST_RTR_REPLAY), "Data-Map-Register from "
		    "%s port %u: nonce seen before, not relayed", a, nat_port);
		return;
	}
	if (!(r = pending_slot())) {
		log_peer_warnx(refuse(ST_RTR_REFUSED), "Data-Map-Register from "
		    "%s port %u: %d awaiting Map-Notifies already", a,
		    nat_port, RTR_PENDING);
		return;
	}
	memset(r, 0, sizeof(*r));
	for (i = 0; i < mreg.nrec && r->neid < RTR_EIDS; i++)
		if (!prefix_from_lisp(&mreg.rec[i].eid, mreg.rec[i].mlen, &p) &&
		    p.iid == t->iid)
			r->eid[r->neid++] = p;
	if (!r->neid) {
		log_peer_warnx(refuse(ST_RTR_REFUSED), "Data-Map-Register from "
		    "%s port %u: no EID of instance-id %u", a, nat_port,
		    t->iid);
		return;
	}
	laddr_of(e->ipver, e->dst, &r->ms);
	laddr_of(e->ipver, e->src, &r->priv);
	r->nat = *nat;
	r->nat_port = nat_port;
	r->self = *self;
	r->socket = socket;
	r->iid = t->iid;
	memcpy(r->xtr_id, mreg.xtr_id, 16);
	if (net_send(&r->ms, LISP_CONTROL_PORT, e->msg, e->msg_len))
		return;
	r->nonce = mreg.nonce;
	r->at = ev_now_ms();
	stats[ST_RTR_RELAYED]++;
	log_debug("Data-Map-Register from %s port %u relayed to %s", a,
	    nat_port, addr_fmt(&r->ms, m, sizeof(m)));
}

/* The ECM e from nat port sport: to t's map-server, or refused. */
static void
take(struct tenant *t, const struct lisp_ecm *e, const struct laddr *nat,
    uint16_t sport, const struct laddr *self, bool socket)
{
	struct laddr	ms;
	char		a[ADDRSTRLEN], b[ADDRSTRLEN];

	addr_fmt(nat, a, sizeof(a));
	laddr_of(e->ipver, e->dst, &ms);
	if (!t || !(e->flags & LISP_ECM_R) ||
	    lisp_msg_type(e->msg, e->msg_len) != LISP_MSG_REGISTER) {
		log_peer_warnx(refuse(ST_RTR_REFUSED), "ECM from %s port %u: "
		    "not a Map-Register for an RTR", a, sport);
		return;
	}
	if (!is_map_server(t, &ms)) {
		log_peer_warnx(refuse(ST_RTR_REFUSED), "Data-Map-Register from "
		    "%s port %u: %s is not a map-server of ours", a, sport,
		    addr_fmt(&ms, b, sizeof(b)));
		return;
	}
	relay(t, e, nat, sport, self, socket);
}

void
rtr_handle_ctrl(uint32_t iid, const struct laddr *srloc, uint16_t sport,
    const struct lisp_ecm *in)
{
	struct lisp_ecm	e;
	struct laddr	self;
	char		a[ADDRSTRLEN];
	int		err;

	if ((err = lisp_ecm_decode(in->msg, in->msg_len, &e)) < 0) {
		log_peer_warnx(refuse_malformed(err), "ECM in a data packet "
		    "from %s port %u: %s", addr_fmt(srloc, a, sizeof(a)),
		    sport, lisp_strerror(-err));
		return;
	}
	laddr_of(in->ipver, in->dst, &self);
	take(tenant_by_iid(iid), &e, srloc, sport, &self, false);
}

void
rtr_handle_ecm(const struct pkt *pkt, const struct lisp_ecm *e)
{
	struct tenant	*t, *found = NULL;
	struct laddr	 ms, self;

	/* The tenant that relays to that map-server. */
	laddr_of(e->ipver, e->dst, &ms);
	TENANT_FOREACH(t)
		if (!found && t->ifindex && is_map_server(t, &ms))
			found = t;
	self = pkt->dst;
	if (!self.family && net_local_addr(&pkt->src, &self))
		return;
	take(found, e, &pkt->src, pkt->sport, &self, true);
}

/* p's map-cache entry: to the xTR through its NAT, from our 4341. */
static void
entry_install(const struct rtr_reg *r, const struct prefix *p)
{
	struct kmap	m;
	char		s[PREFIXSTRLEN];

	memset(&m, 0, sizeof(m));
	m.eid = *p;
	m.ttl = RTR_TTL;
	m.nrloc = 1;
	m.rloc[0].addr = r->nat;
	m.rloc[0].priority = 1;
	m.rloc[0].weight = 100;
	m.port[0] = r->nat_port;
	m.rloc_flags = LISP_RLOC_F_FIXED_SPORT;
	if (kernel_map_replace(&m))
		log_warnx("RTR: map-cache entry for %s not installed",
		    prefix_fmt(p, s, sizeof(s)));
}

static bool
has_eid(const struct rtr_reg *r, const struct prefix *p)
{
	int	i;

	for (i = 0; i < r->neid; i++)
		if (prefix_eq(&r->eid[i], p))
			return true;
	return false;
}

static void
binding_drop(struct rtr_binding *b)
{
	int	i;

	for (i = 0; i < b->reg.neid; i++)
		kernel_map_del(&b->reg.eid[i]);
	*b = bindings[--nbind];
}

/* The Map-Server accepted r: the binding is now r's. */
static bool
commit(const struct rtr_reg *r)
{
	struct rtr_binding	*b = binding_of(r->iid, r->xtr_id);
	char			 a[ADDRSTRLEN], c[ADDRSTRLEN];
	int			 i;

	if (!b) {
		if (nbind >= conf->rtr_max_xtrs) {
			log_peer_warnx(refuse(ST_RTR_FULL), "RTR: %u xTRs "
			    "registered already (rtr-max-xtrs), %s refused",
			    nbind, addr_fmt(&r->nat, a, sizeof(a)));
			return false;
		}
		b = &bindings[nbind++];
		memset(b, 0, sizeof(*b));
		b->since = ev_now();
		log_info("RTR: xTR %s registered through NAT %s port %u",
		    addr_fmt(&r->priv, a, sizeof(a)),
		    addr_fmt(&r->nat, c, sizeof(c)), r->nat_port);
	} else if (!addr_eq(&b->reg.nat, &r->nat) ||
	    b->reg.nat_port != r->nat_port) {
		stats[ST_NAT_CHANGED]++;
		log_info("RTR: xTR %s now through NAT %s port %u, was port %u",
		    addr_fmt(&r->priv, a, sizeof(a)),
		    addr_fmt(&r->nat, c, sizeof(c)), r->nat_port,
		    b->reg.nat_port);
		b->since = ev_now();
	}
	for (i = 0; i < b->reg.neid; i++)
		if (!has_eid(r, &b->reg.eid[i]))
			kernel_map_del(&b->reg.eid[i]);
	for (i = 0; i < r->neid; i++)
		entry_install(r, &r->eid[i]);
	b->reg = *r;
	b->last = ev_now();
	b->refreshes++;
	b->nonce[b->next] = r->nonce;
	b->next = (b->next + 1) % RTR_NONCES;
	return true;
}

/* The Map-Notify on to the xTR, inside a data packet through its NAT. */
static void
notify_forward(const struct rtr_reg *r, const uint8_t *buf, size_t len)
{
	uint8_t		out[LISPD_MSG_MAX];
	struct lisp_ecm	u;
	int		n;

	memset(&u, 0, sizeof(u));
	u.ipver = r->priv.family == AF_INET ? 4 : 6;
	u.ttl = 64;
	memcpy(u.src, r->self.a, 16);
	memcpy(u.dst, r->priv.a, 16);
	u.sport = u.dport = LISP_CONTROL_PORT;
	u.msg = buf;
	u.msg_len = len;
	if (r->self.family != r->priv.family ||
	    (n = lisp_udp_encode(out + LISP_DATA_HLEN, sizeof(out) -
	    LISP_DATA_HLEN, &u)) < 0)
		return;
	if (r->socket) {
		/* A data header: I bit, instance-id 0xffffff (OOR's). */
		memset(out, 0, LISP_DATA_HLEN);
		out[0] = 0x08;
		out[4] = out[5] = out[6] = 0xff;
		if (net_send(&r->nat, r->nat_port, out,
		    (size_t)n + LISP_DATA_HLEN))
			return;
	} else if (kernel_ctrl_send(r->iid, &r->nat, r->nat_port,
	    out + LISP_DATA_HLEN, (size_t)n))
		return;
	stats[ST_RTR_NOTIFY_TX]++;
}

bool
rtr_handle_notify(const struct pkt *pkt, const uint8_t *buf, size_t len,
    const struct lisp_mapreg *m)
{
	struct rtr_reg	r;
	int		i;

	for (i = 0; i < RTR_PENDING; i++)
		if (pending[i].nonce && pending[i].nonce == m->nonce &&
		    addr_eq(&pending[i].ms, &pkt->src))
			break;
	if (i == RTR_PENDING)
		return false;
	r = pending[i];
	pending[i].nonce = 0;
	if (ev_now_ms() - r.at > RTR_PENDING_MS)
		return true;		/* too late: the xTR sends another */
	stats[ST_MNOT_RX]++;
	if (commit(&r))
		notify_forward(&r, buf, len);
	return true;
}

/*
 * Three refreshes missed and a binding is gone. Ours refresh every
 * info-request-interval; OOR's xTRs only with their Map-Register, once
 * a minute, which a short interval here must not cut short.
 */
static time_t
binding_life(const struct rtr_binding *b)
{
	unsigned int	every = interval();

	if (b->reg.socket && every < RTR_REGISTER_S)
		every = RTR_REGISTER_S;
	return 3 * (time_t)every;
}

static void
age(void *arg)
{
	time_t		now = ev_now();
	unsigned int	i;
	char		a[ADDRSTRLEN];

	(void)arg;
	for (i = 0; i < nbind; ) {
		if (now - bindings[i].last <= binding_life(&bindings[i])) {
			i++;
			continue;
		}
		log_info("RTR: xTR %s not refreshed for %lld s, binding gone",
		    addr_fmt(&bindings[i].reg.priv, a, sizeof(a)),
		    (long long)binding_life(&bindings[i]));
		binding_drop(&bindings[i]);
	}
	timer_add(&age_timer, (uint64_t)interval() * 1000);
}

void
rtr_init(void)
{
	struct rtr_binding	*nb;

	/* A reload keeps the bindings: the kernel keeps their entries. */
	if (!(nb = realloc(bindings, (conf->rtr_max_xtrs + 1) * sizeof(*bindings))))
		fatalx("out of memory");
	bindings = nb;
	while (nbind > conf->rtr_max_xtrs)
		binding_drop(&bindings[nbind - 1]);
	timer_set(&age_timer, age, NULL);
	timer_add(&age_timer, (uint64_t)interval() * 1000);
}

void
rtr_shutdown(void)
{
	timer_del(&age_timer);
}

json_object *
rtr_show(json_object *arr)
{
	const struct rtr_binding *b;
	json_object	*o, *e;
	char		 s[PREFIXSTRLEN];
	unsigned int	 i;
	int		 j;

	for (i = 0; i < nbind; i++) {
		b = &bindings[i];
		o = json_object_new_object();
		json_object_object_add(o, "role", json_object_new_string("rtr"));
		json_object_object_add(o, "iid",
		    json_object_new_int64(b->reg.iid));
		for (j = 0; j < 16; j++)
			snprintf(s + 2 * j, 3, "%02x", b->reg.xtr_id[j]);
		json_object_object_add(o, "xtr-id", json_object_new_string(s));
		e = json_object_new_array();
		for (j = 0; j < b->reg.neid; j++)
			json_object_array_add(e, json_object_new_string(
			    prefix_fmt(&b->reg.eid[j], s, sizeof(s))));
		json_object_object_add(o, "eids", e);
		json_object_object_add(o, "nat", json_object_new_string(
		    addr_fmt(&b->reg.nat, s, sizeof(s))));
		json_object_object_add(o, "port",
		    json_object_new_int(b->reg.nat_port));
		json_object_object_add(o, "private", json_object_new_string(
		    addr_fmt(&b->reg.priv, s, sizeof(s))));
		json_object_object_add(o, "map-server", json_object_new_string(
		    addr_fmt(&b->reg.ms, s, sizeof(s))));
		json_object_object_add(o, "binding-age", json_object_new_int64(
		    (int64_t)(ev_now() - b->since)));
		json_object_object_add(o, "last-refresh", json_object_new_int64(
		    (int64_t)(ev_now() - b->last)));
		json_object_object_add(o, "refreshes", json_object_new_int64(
		    (int64_t)b->refreshes));
		json_object_array_add(arr, o);
	}
	return arr;
}
