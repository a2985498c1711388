/* SPDX-License-Identifier: MIT */
/*
 * Dynamic EIDs with the kernel, the routing table and the network
 * replaced by recorders.  A site gateway: an EID-notify from its
 * first-hop router routes and registers the host and is answered; a
 * wrong key, a host outside the prefix, a replayed nonce change nothing;
 * a Map-Server's Map-Notify naming another site's locator forgets the
 * host, tells the first-hop router and installs an away entry.  A
 * first-hop router: a detected host is notified to the gateway (E bit,
 * signed), resent until the Map-Notify, and forgotten when the gateway
 * says it moved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>

#include "tap.h"
#include "core.h"
#include "event.h"
#include "conf.h"
#include "tenant.h"
#include "kernel.h"
#include "net.h"
#include "packet.h"
#include "stats.h"
#include "notify.h"
#include "etr.h"
#include "fhr.h"
#include "gateway.h"
#include "hosts.h"
#include "itr.h"
#include "daemon.h"

/* ---- recorders ---- */

struct sent {
	struct laddr	to;
	uint16_t	port;
	size_t		len;
	uint8_t		buf[2048];
};

static struct sent	sent[16];
static int		nsent;
static int		nroute_add, nroute_del, nhost_del, nhost_recheck, nmap;
static int		nmapdel;
static struct laddr	route_via;
static uint32_t		route_tbl;	/* of the last route added */
static struct kmap	last_map;

int kernel_map_replace(const struct kmap *m) { last_map = *m; nmap++; return 0; }
int kernel_map_del(const struct prefix *p) { (void)p; nmapdel++; return 0; }
int kernel_db_add(const struct prefix *p) { (void)p; return 0; }
int kernel_dyn_set(const struct dyneid_conf *d, const int *i, int n)
{ (void)d; (void)i; (void)n; return 0; }
int kernel_dyn_del(const char *n) { (void)n; return 0; }
int kernel_dyn_dump(void (*cb)(const char *, void *), void *a)
{ (void)cb; (void)a; return 0; }
int kernel_host_del(const char *p, const struct prefix *e, bool r)
{ (void)p; (void)e; nhost_del++; nhost_recheck += r; return 0; }
int kernel_host_dump(void (*cb)(const struct khost *, void *), void *a)
{ (void)cb; (void)a; return 0; }
int route_init(void) { return 0; }
void route_close(void) {}
/* Device d is in the VRF of table 1000 + d. */
void route_table_of(int d, struct route_table *rt)
{ rt->table = d ? 1000 + (uint32_t)d : 254; rt->vrf = d; }
int route_host_add(const struct prefix *e, const struct laddr *via, int i,
    const struct route_table *rt)
{
	(void)e; (void)i;
	memset(&route_via, 0, sizeof(route_via));
	if (via)
		route_via = *via;
	route_tbl = rt->table;
	nroute_add++;
	return 0;
}
int route_host_del(const struct prefix *e, const struct route_table *rt)
{ (void)e; (void)rt; nroute_del++; return 0; }
int net_local_addr(const struct laddr *dst, struct laddr *src)
{ (void)dst; return addr_parse("10.10.0.2", src); }
int net_send(const struct laddr *to, uint16_t port, const void *buf,
    size_t len)
{
	struct sent *s = &sent[nsent++ % 16];

	assert_true(len <= sizeof(s->buf));
	s->to = *to;
	s->port = port;
	s->len = len;
	memcpy(s->buf, buf, len);
	return 0;
}
/* itr.c's: which EIDs the gateway asked the mapping system about, and
 * where the answer goes (locate()). */
static int		nlocate;
static struct prefix	located;
static void		(*located_cb)(const struct prefix *,
			    const struct lisp_rec *, const struct laddr *,
			    void *);
static void		*located_arg;
int itr_locate(const struct prefix *eid, void (*done)(const struct prefix *,
    const struct lisp_rec *, const struct laddr *, void *), void *arg)
{
	located = *eid;
	located_cb = done;
	located_arg = arg;
	nlocate++;
	return 0;
}
/* etr.c's: the hooks the gateway gives the ETR (Map-Notify, ownership). */
static const struct etr_hooks	*etr;
void etr_set_hooks(const struct etr_hooks *h) { etr = h; }
/* etr.c's job, reduced to what a registration record needs here. */
void etr_record(const struct dbmap *d, struct lisp_rec *rec)
{
	int	i;

	memset(rec, 0, sizeof(*rec));
	rec->ttl = TTL_DEFAULT;
	rec->mlen = d->eid.plen;
	prefix_to_lisp(&d->eid, &rec->eid);
	for (i = 0; i < d->nrloc; i++) {
		rec->loc[i].priority = d->rloc[i].priority;
		rec->loc[i].weight = d->rloc[i].weight;
		laddr_to_lisp(&d->rloc[i].addr, &rec->loc[i].addr);
	}
	rec->nloc = (uint8_t)d->nrloc;
}

/* ---- helpers ---- */

/* The answer to the gateway's last itr_locate(), as itr.c gives it. */
static void
locate(const struct prefix *eid, const struct lisp_rec *rec,
    const struct laddr *from)
{
	assert_non_null(located_cb);
	located_cb(eid, rec, from, located_arg);
}

static struct lisp_mapreg	m;
static uint8_t			buf[2048];

/* The tenant's device: none needed, the kernel is a stub. */
static int
attach(const struct tenant_conf *tc, uint32_t *iid, int *ifindex)
{
	(void)tc;
	(void)iid;
	*ifindex = 4;
	return 0;
}

static void
load(const char *text)
{
	conf = conf_from_text(text);
	assert_int_equal(tenants_sync(conf, attach, NULL), 0);
}

static const char gateway_conf[] =
	"roles = { itr, etr }\n"
	"map-server 192.0.2.10 { key = \"ms-key\" }\n"
	"map-resolver = { 192.0.2.10 }\n"
	"dynamic-eid vlan1300 {\n"
	"  eid-prefix = \"10.13.0.0/24\"\n"
	"  rloc 192.0.2.1 { priority = 1 weight = 100 }\n"
	"  eid-notify-key = \"fhr-key\"\n"
	"}\n";

static const char fhr_conf[] =
	"roles = { first-hop-router }\n"
	"dynamic-eid vlan1300 {\n"
	"  eid-prefix = \"10.13.0.0/24\"\n"
	"  interfaces = { \"lo\" }\n"
	"  eid-notify 10.10.0.1 { key = \"fhr-key\" }\n"
	"}\n";

/* The dynamic-EID roles, started and stopped as lispd.c does. */
static void
start(void)
{
	fhr_init();
	gateway_init();
	dyneid_init();
}

static void
stop(void)
{
	gateway_shutdown(false);
	fhr_shutdown(false);
	dyneid_shutdown(false);
}

static void
reset(void)
{
	memset(stats, 0, sizeof(uint64_t) * ST__MAX);
	nsent = nroute_add = nroute_del = nhost_del = nmap = nmapdel = 0;
	nhost_recheck = 0;
	nlocate = 0;
}

static int
setup_gateway(void **state)
{
	(void)state;
	ev_set_clock(clock_ms);
	load(gateway_conf);
	start();
	reset();
	return 0;
}

static int
setup_fhr(void **state)
{
	(void)state;
	ev_set_clock(clock_ms);
	load(fhr_conf);
	start();
	reset();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	stop();
	tenants_free(NULL);
	conf_free(conf);
	conf = NULL;
	return 0;
}

/* An EID-notify for eid (ttl minutes) signed with key. */
static size_t
eid_notify(const char *eid, uint32_t ttl, uint64_t nonce, const char *key)
{
	struct prefix	p = P(eid);
	int		n;

	memset(&m, 0, sizeof(m));
	m.type = LISP_MSG_REGISTER;
	m.flags = LISP_MREG_E | LISP_MREG_M;
	m.nonce = nonce;
	m.key_id = 0;
	m.alg_id = LISP_ALG_SHA256_128;
	m.auth_len = (uint16_t)lisp_auth_len(m.alg_id, false);
	m.nrec = 1;
	m.rec[0].ttl = ttl;
	m.rec[0].mlen = p.plen;
	prefix_to_lisp(&p, &m.rec[0].eid);
	m.rec[0].nloc = 1;
	m.rec[0].loc[0].priority = 1;
	m.rec[0].loc[0].weight = 100;
	{
		struct laddr fhr = A("10.10.0.2");

		laddr_to_lisp(&fhr, &m.rec[0].loc[0].addr);
	}
	n = lisp_mapreg_encode(buf, sizeof(buf), &m);
	assert_true(n > 0);
	assert_int_equal(lisp_auth_sign(buf, (size_t)n, key, strlen(key)), 0);
	return (size_t)n;
}

/* A Map-Notify from src for eid with one locator, signed with key. */
static size_t
map_notify(const char *eid, const char *rloc, uint64_t nonce,
    const char *key)
{
	struct prefix	p = P(eid);
	struct laddr	r = A(rloc);
	struct mserver	auth = { .key = (char *)key, .key_id = 0,
				 .alg = LISP_ALG_SHA256_128 };
	struct lisp_rec	rec;
	int		n;

	memset(&rec, 0, sizeof(rec));
	rec.ttl = 1440;
	rec.mlen = p.plen;
	prefix_to_lisp(&p, &rec.eid);
	rec.nloc = 1;
	rec.loc[0].priority = 1;
	rec.loc[0].weight = 100;
	laddr_to_lisp(&r, &rec.loc[0].addr);
	n = notify_encode(buf, sizeof(buf), LISP_MSG_NOTIFY, nonce, &auth,
	    &rec, 1);
	assert_true(n > 0);
	assert_int_equal(lisp_mapnotify_decode(buf, (size_t)n, &m), 0);
	return (size_t)n;
}

static int
count_hosts(const char *state)
{
	struct json_object	*arr = dyneid_show();
	int			 i, n = 0;

	gateway_show(arr);		/* as control.c shows them */

	for (i = 0; i < (int)json_object_array_length(arr); i++) {
		struct json_object *o = json_object_array_get_idx(arr, i), *s;

		if (json_object_object_get_ex(o, "state", &s) &&
		    !strcmp(json_object_get_string(s), state))
			n++;
	}
	json_object_put(arr);
	return n;
}

/* ---- site gateway ---- */

static void
t_eid_notify_registers(void **state)
{
	struct pkt	fhr = from("10.10.0.2");
	struct laddr	ms = A("192.0.2.10");
	size_t		len = eid_notify("10.13.0.14/32", 1440, 77, "fhr-key");
	struct prefix	eid = P("10.13.0.14/32"), e2;

	(void)state;
	gateway_eid_notify(&fhr, buf, len);
	assert_int_equal(stats[ST_MREG_RX], 1);
	assert_int_equal(count_hosts("notified"), 1);
	assert_int_equal(nroute_add, 1);
	assert_true(addr_eq(&route_via, &fhr.src));
	/* In the table of the tenant's device (4), not main. */
	assert_int_equal(route_tbl, 1004);
	/* Registered with the Map-Server at once, before anything else... */
	assert_int_equal(nsent, 2);
	assert_true(addr_eq(&sent[0].to, &ms));
	assert_int_equal(lisp_mapreg_decode(sent[0].buf, sent[0].len, &m), 0);
	assert_true(m.flags & LISP_MREG_M);
	assert_int_equal(m.nrec, 1);
	assert_int_equal(prefix_from_lisp(&m.rec[0].eid, m.rec[0].mlen, &e2), 0);
	assert_true(prefix_eq(&e2, &eid));
	assert_int_equal(lisp_auth_verify(sent[0].buf, sent[0].len, "ms-key",
	    6), 0);
	/* ... and the FHR is answered with a signed Map-Notify, same nonce. */
	assert_true(addr_eq(&sent[1].to, &fhr.src));
	assert_int_equal(lisp_mapnotify_decode(sent[1].buf, sent[1].len, &m), 0);
	assert_int_equal(m.type, LISP_MSG_NOTIFY);
	assert_true(m.nonce == 77);
	assert_int_equal(lisp_auth_verify(sent[1].buf, sent[1].len, "fhr-key",
	    7), 0);
	assert_true(dyneid_owns(&eid, NULL));
	assert_true(etr->owns(&eid, NULL));	/* the ETR's hook */
	assert_int_equal(lisp_mapreg_decode(sent[0].buf, sent[0].len, &m), 0);
	advance(0);
	assert_int_equal(nsent, 2);
	/* No Map-Notify: sent again after 2 s (1 s, doubling). */
	advance(1000);
	assert_int_equal(nsent, 3);
	/* The Map-Server's Map-Notify with that nonce stops it. */
	{
		uint64_t	nonce = m.nonce;
		struct pkt	msp = from("192.0.2.10");

		map_notify("10.13.0.14/32", "192.0.2.1", nonce, "ms-key");
		assert_true(etr->notify_acked(&msp, &m));
	}
	advance(30000);
	assert_int_equal(nsent, 3);
	/* The FHR's refresh is answered and re-arms the hold timer without
	 * disturbing the registration's own timer. */
	len = eid_notify("10.13.0.14/32", 1440, 78, "fhr-key");
	gateway_eid_notify(&fhr, buf, len);
	assert_int_equal(nsent, 4);
	advance(31000);		/* the minute's refresh */
	assert_int_equal(nsent, 5);
	assert_int_equal(lisp_mapreg_decode(sent[4].buf, sent[4].len, &m), 0);
	{
		struct pkt	msp = from("192.0.2.10");
		uint64_t	nonce = m.nonce;

		map_notify("10.13.0.14/32", "192.0.2.1", nonce, "ms-key");
		assert_true(etr->notify_acked(&msp, &m));
	}
	/* Refreshed by the FHR every minute, registered every minute. */
	for (int i = 0; i < 5; i++) {
		struct pkt msp;

		len = eid_notify("10.13.0.14/32", 1440, 200 + (uint64_t)i,
		    "fhr-key");
		gateway_eid_notify(&fhr, buf, len);
		advance(60000);
		assert_int_equal(lisp_mapreg_decode(sent[(nsent - 1) % 16].buf,
		    sent[(nsent - 1) % 16].len, &m), 0);
		assert_int_equal(m.type, LISP_MSG_REGISTER);
		map_notify("10.13.0.14/32", "192.0.2.1", m.nonce, "ms-key");
		msp = from("192.0.2.10");
		assert_true(etr->notify_acked(&msp, &m));
	}
	assert_int_equal(count_hosts("notified"), 1);
}

static const char gateway2_conf[] =
	"roles = { itr, etr }\n"
	"map-server 192.0.2.10 { key = \"ms-key\" }\n"
	"map-server 192.0.2.11 { key = \"ms2-key\" }\n"
	"map-resolver = { 192.0.2.10, 192.0.2.11 }\n"
	"dynamic-eid vlan1300 {\n"
	"  eid-prefix = \"10.13.0.0/24\"\n"
	"  rloc 192.0.2.1 { priority = 1 weight = 100 }\n"
	"  eid-notify-key = \"fhr-key\"\n"
	"}\n";

static int
setup_gateway2(void **state)
{
	(void)state;
	ev_set_clock(clock_ms);
	load(gateway2_conf);
	start();
	reset();
	return 0;
}

/* The state lispctl show registration gives eid's row with map-server ms. */
static const char *
reg_state(const char *eid, const char *ms)
{
	struct json_object	*arr = json_object_new_array();

	gateway_show_registrations(arr);
	return row_field(arr, "eid", eid, "map-server", ms, "state");
}

/*
 * Two Map-Servers: the host is registered with each, under each one's
 * key and nonce; one's Map-Notify acknowledges its own registration
 * only, the other is retransmitted alone, and lispctl show registration
 * has a line for each with its state.
 */
static void
t_register_each_ms(void **state)
{
	struct pkt	fhr = from("10.10.0.2"), msp;
	struct laddr	ms1 = A("192.0.2.10"), ms2 = A("192.0.2.11");
	size_t		len = eid_notify("10.13.0.14/32", 1440, 1077, "fhr-key");
	uint64_t	nonce1, nonce2;

	(void)state;
	gateway_eid_notify(&fhr, buf, len);
	assert_int_equal(nsent, 3);		/* two Map-Registers, then */
	assert_true(addr_eq(&sent[0].to, &ms1));	/* the FHR's answer */
	assert_true(addr_eq(&sent[1].to, &ms2));
	assert_int_equal(lisp_auth_verify(sent[0].buf, sent[0].len, "ms-key",
	    6), 0);
	assert_int_equal(lisp_auth_verify(sent[1].buf, sent[1].len, "ms2-key",
	    7), 0);
	assert_int_equal(lisp_mapreg_decode(sent[0].buf, sent[0].len, &m), 0);
	nonce1 = m.nonce;
	assert_int_equal(lisp_mapreg_decode(sent[1].buf, sent[1].len, &m), 0);
	nonce2 = m.nonce;
	assert_true(nonce1 != nonce2);
	assert_string_equal(reg_state("10.13.0.14/32", "192.0.2.10"),
	    "not-registered");
	assert_string_equal(reg_state("10.13.0.14/32", "192.0.2.11"),
	    "not-registered");
	/* The second's Map-Notify: its registration only. */
	map_notify("10.13.0.14/32", "192.0.2.1", nonce2, "ms2-key");
	msp = from("192.0.2.11");
	assert_true(etr->notify_acked(&msp, &m));
	/* The first's nonce from the second acknowledges nothing. */
	map_notify("10.13.0.14/32", "192.0.2.1", nonce1, "ms2-key");
	assert_false(etr->notify_acked(&msp, &m));
	assert_string_equal(reg_state("10.13.0.14/32", "192.0.2.10"),
	    "not-registered");
	assert_string_equal(reg_state("10.13.0.14/32", "192.0.2.11"),
	    "registered");
	/* The first, unanswered, is sent again (its nonce), alone. */
	advance(1000);
	assert_int_equal(nsent, 4);
	assert_true(addr_eq(&sent[3].to, &ms1));
	assert_int_equal(lisp_mapreg_decode(sent[3].buf, sent[3].len, &m), 0);
	assert_true(m.nonce == nonce1);
	advance(2000);
	assert_int_equal(nsent, 5);
	assert_true(addr_eq(&sent[4].to, &ms1));
	map_notify("10.13.0.14/32", "192.0.2.1", nonce1, "ms-key");
	msp = from("192.0.2.10");
	assert_true(etr->notify_acked(&msp, &m));
	assert_string_equal(reg_state("10.13.0.14/32", "192.0.2.10"),
	    "registered");
	advance(30000);
	assert_int_equal(nsent, 5);
}

static void
t_eid_notify_refused(void **state)
{
	struct pkt	fhr = from("10.10.0.2");
	size_t		len;

	(void)state;
	len = eid_notify("10.13.0.14/32", 1440, 1, "wrong-key");
	gateway_eid_notify(&fhr, buf, len);
	assert_int_equal(stats[ST_MREG_AUTH], 1);
	len = eid_notify("10.99.0.14/32", 1440, 2, "fhr-key");
	gateway_eid_notify(&fhr, buf, len);
	assert_int_equal(stats[ST_MREG_REJECT], 1);
	len = eid_notify("10.13.0.0/25", 1440, 3, "fhr-key");
	gateway_eid_notify(&fhr, buf, len);
	assert_int_equal(stats[ST_MREG_REJECT], 2);
	/* Truncated: malformed, counted. */
	len = eid_notify("10.13.0.14/32", 1440, 4, "fhr-key");
	gateway_eid_notify(&fhr, buf, len - 3);
	assert_int_equal(stats[ST_RX_BAD], 1);
	/* Nothing changed, nothing sent. */
	assert_int_equal(count_hosts("notified"), 0);
	assert_int_equal(nroute_add, 0);
	assert_int_equal(nsent, 0);
	assert_int_equal(stats[ST_MREG_RX], 0);
}

static void
t_eid_notify_replay(void **state)
{
	struct pkt	fhr = from("10.10.0.2");
	size_t		len = eid_notify("10.13.0.15/32", 1440, 99, "fhr-key");
	uint8_t		copy[2048];

	(void)state;
	memcpy(copy, buf, len);
	gateway_eid_notify(&fhr, copy, len);
	assert_int_equal(count_hosts("notified"), 1);
	/* A resend (lost Map-Notify) is answered again, nothing else. */
	advance(5000);
	nsent = 0;
	nroute_add = 0;
	gateway_eid_notify(&fhr, copy, len);
	assert_int_equal(nsent, 1);
	assert_int_equal(nroute_add, 0);
	/* The withdraw removes it; the same old message minutes later is a
	 * replay and must not bring the host back. */
	len = eid_notify("10.13.0.15/32", 0, 100, "fhr-key");
	gateway_eid_notify(&fhr, buf, len);
	assert_int_equal(count_hosts("notified"), 0);
	advance(200 * 1000);
	len = eid_notify("10.13.0.15/32", 1440, 99, "fhr-key");
	gateway_eid_notify(&fhr, buf, len);
	assert_int_equal(stats[ST_MREG_REPLAY], 1);
	assert_int_equal(count_hosts("notified"), 0);
}

static void
t_moved_away(void **state)
{
	struct pkt	fhr = from("10.10.0.2"), msp = from("192.0.2.10");
	struct laddr	dc2 = A("192.0.2.2");
	size_t		len = eid_notify("10.13.0.16/32", 1440, 5, "fhr-key");
	struct prefix	eid = P("10.13.0.16/32");

	(void)state;
	gateway_eid_notify(&fhr, buf, len);
	advance(0);
	nsent = 0;
	/* Our own locator in the Map-Notify: nothing moved. */
	map_notify("10.13.0.16/32", "192.0.2.1", 1234, "ms-key");
	etr->moved(&msp, &m);
	assert_int_equal(count_hosts("notified"), 1);
	assert_int_equal(nmap, 0);
	/* DC-2's locator: moved away. */
	map_notify("10.13.0.16/32", "192.0.2.2", 1235, "ms-key");
	etr->moved(&msp, &m);
	assert_int_equal(count_hosts("notified"), 0);
	assert_int_equal(count_hosts("away"), 1);
	assert_int_equal(nroute_del, 1);
	assert_false(dyneid_owns(&eid, NULL));
	assert_int_equal(nmap, 1);
	assert_true(last_map.flags & LISP_MAP_F_AWAY);
	assert_true(prefix_eq(&last_map.eid, &eid));
	assert_int_equal(last_map.nrloc, 1);
	assert_true(addr_eq(&last_map.rloc[0].addr, &dc2));
	/* The first-hop router is told, until it acknowledges. */
	assert_int_equal(nsent, 1);
	assert_true(addr_eq(&sent[0].to, &fhr.src));
	assert_int_equal(lisp_mapnotify_decode(sent[0].buf, sent[0].len, &m), 0);
	assert_int_equal(lisp_auth_verify(sent[0].buf, sent[0].len, "fhr-key",
	    7), 0);
	advance(1000);
	assert_int_equal(nsent, 2);
	{
		struct mserver	auth = { .key = "fhr-key", .key_id = 0,
					 .alg = LISP_ALG_SHA256_128 };
		int		n = notify_encode(buf, sizeof(buf),
				    LISP_MSG_NOTIFY_ACK, m.nonce, &auth, m.rec, 1);

		assert_true(n > 0);
		assert_true(notify_ack_input(&fhr, buf, (size_t)n));
	}
	advance(60000);
	assert_int_equal(nsent, 2);
	/* Back again: the away entry goes. */
	len = eid_notify("10.13.0.16/32", 1440, 6, "fhr-key");
	gateway_eid_notify(&fhr, buf, len);
	assert_int_equal(count_hosts("away"), 0);
	assert_int_equal(nmapdel, 1);
}

/*
 * The FHR withdraws a host and no Map-Notify says where it went (the
 * Map-Server restarted): the gateway withdraws the registration and asks
 * the mapping system until another site has it, then installs the away
 * entry.
 */
static void
t_left_located(void **state)
{
	struct pkt	fhr = from("10.10.0.2"), dc2 = from("192.0.2.2");
	struct laddr	ms = A("192.0.2.10");
	struct prefix	eid = P("10.13.0.17/32");
	struct lisp_rec	rec;
	size_t		len = eid_notify("10.13.0.17/32", 1440, 7, "fhr-key");

	(void)state;
	gateway_eid_notify(&fhr, buf, len);
	advance(0);
	nsent = 0;
	len = eid_notify("10.13.0.17/32", 0, 8, "fhr-key");
	gateway_eid_notify(&fhr, buf, len);
	assert_int_equal(count_hosts("notified"), 0);
	/* Withdrawn from the Map-Server: Record TTL 0, signed, no M bit. */
	assert_true(nsent >= 1);
	assert_true(addr_eq(&sent[0].to, &ms));
	assert_int_equal(lisp_mapreg_decode(sent[0].buf, sent[0].len, &m), 0);
	assert_int_equal(m.rec[0].ttl, 0);
	assert_false(m.flags & LISP_MREG_M);
	assert_int_equal(lisp_auth_verify(sent[0].buf, sent[0].len, "ms-key",
	    6), 0);
	/* Asked after 1 s, again after 2 more. */
	assert_int_equal(nlocate, 0);
	advance(1000);
	assert_int_equal(nlocate, 1);
	assert_true(prefix_eq(&located, &eid));
	advance(2000);
	assert_int_equal(nlocate, 2);
	/* A negative answer, or our own old registration: nothing yet. */
	memset(&rec, 0, sizeof(rec));
	rec.ttl = 1;
	rec.mlen = 32;
	prefix_to_lisp(&eid, &rec.eid);
	locate(&eid, &rec, &dc2.src);
	rec.nloc = 1;
	rec.loc[0].priority = 1;
	rec.loc[0].weight = 100;
	{
		struct laddr us = A("192.0.2.1");

		laddr_to_lisp(&us, &rec.loc[0].addr);
	}
	locate(&eid, &rec, &dc2.src);
	assert_int_equal(nmap, 0);
	/* DC-2 has it: the away entry, and no more asking. */
	laddr_to_lisp(&dc2.src, &rec.loc[0].addr);
	rec.ttl = 1440;
	locate(&eid, &rec, &dc2.src);
	assert_int_equal(nmap, 1);
	assert_true(last_map.flags & LISP_MAP_F_AWAY);
	assert_true(addr_eq(&last_map.rloc[0].addr, &dc2.src));
	assert_int_equal(count_hosts("away"), 1);
	advance(200 * 1000);
	assert_int_equal(nlocate, 2);
	/* An answer nobody asked for changes nothing. */
	locate(&eid, &rec, &dc2.src);
	assert_int_equal(nmap, 1);
}

/* A host that left and went nowhere: asked about 7 times, then let be. */
static void
t_left_nowhere(void **state)
{
	struct pkt	fhr = from("10.10.0.2");
	size_t		len = eid_notify("10.13.0.18/32", 1440, 9, "fhr-key");

	(void)state;
	gateway_eid_notify(&fhr, buf, len);
	len = eid_notify("10.13.0.18/32", 0, 10, "fhr-key");
	gateway_eid_notify(&fhr, buf, len);
	for (int i = 0; i < 600; i++)
		advance(1000);
	assert_int_equal(nlocate, 7);
	assert_int_equal(nmap, 0);
}

/* ---- first-hop router ---- */

/* What the kernel says of a host it found on vlan1300's interface. */
static void
fhr_khost(struct khost *k, const char *eid, uint8_t detect)
{
	memset(k, 0, sizeof(*k));
	snprintf(k->policy, sizeof(k->policy), "vlan1300");
	k->eid = P(eid);
	k->ifindex = 1;
	k->detect = detect;
}

/*
 * full-hmac on a map-server (or eid-notify) section: the gateway's
 * Map-Register for a host, and the first-hop router's EID-notify, carry
 * the whole HMAC as the ETR's does (RFC 6833 peers need it).
 */
static void
t_full_hmac(void **state)
{
	static const char gw_full[] =
		"roles = { itr, etr }\n"
		"map-server 192.0.2.10 { key = \"ms-key\" "
		"algorithm = \"hmac-sha-1-96\" full-hmac = true }\n"
		"map-resolver = { 192.0.2.10 }\n"
		"dynamic-eid vlan1300 {\n"
		"  eid-prefix = \"10.13.0.0/24\"\n"
		"  rloc 192.0.2.1 { priority = 1 weight = 100 }\n"
		"  eid-notify-key = \"fhr-key\"\n"
		"}\n";
	static const char fhr_full[] =
		"roles = { first-hop-router }\n"
		"dynamic-eid vlan1300 {\n"
		"  eid-prefix = \"10.13.0.0/24\"\n"
		"  interfaces = { \"lo\" }\n"
		"  eid-notify 10.10.0.1 { key = \"fhr-key\" full-hmac = true }\n"
		"}\n";
	struct pkt	fhr = from("10.10.0.2");
	struct khost	k;
	size_t		len;

	(void)state;
	ev_set_clock(clock_ms);
	load(gw_full);
	start();
	reset();
	len = eid_notify("10.13.0.14/32", 1440, 9001, "fhr-key");
	gateway_eid_notify(&fhr, buf, len);
	assert_true(nsent >= 1);
	assert_int_equal(lisp_mapreg_decode(sent[0].buf, sent[0].len, &m), 0);
	assert_int_equal(m.alg_id, LISP_ALG_SHA1_96);
	assert_int_equal(m.auth_len, 20);
	assert_int_equal(lisp_auth_verify(sent[0].buf, sent[0].len, "ms-key",
	    6), 0);
	stop();
	tenants_free(NULL);
	conf_free(conf);

	load(fhr_full);
	start();
	reset();
	fhr_khost(&k, "10.13.0.14/32", LISP_DETECT_ROUTED);
	dyneid_detected(&k);
	assert_int_equal(nsent, 1);
	assert_int_equal(lisp_mapreg_decode(sent[0].buf, sent[0].len, &m), 0);
	assert_true(m.flags & LISP_MREG_E);
	assert_int_equal(m.auth_len, 32);
	assert_int_equal(lisp_auth_verify(sent[0].buf, sent[0].len, "fhr-key",
	    7), 0);
}

static void
t_fhr_notifies(void **state)
{
	struct khost	k;
	struct pkt	gw = from("10.10.0.1");
	uint64_t	nonce;

	(void)state;
	fhr_khost(&k, "10.13.0.14/32", LISP_DETECT_ROUTED);
	dyneid_detected(&k);
	assert_int_equal(count_hosts("local"), 1);
	assert_int_equal(nroute_add, 1);
	/* In the table of the interface it was found on (1). */
	assert_int_equal(route_tbl, 1001);
	advance(0);
	assert_int_equal(nsent, 1);
	assert_true(addr_eq(&sent[0].to, &gw.src));
	assert_int_equal(lisp_mapreg_decode(sent[0].buf, sent[0].len, &m), 0);
	assert_true(m.flags & LISP_MREG_E);
	assert_true(m.flags & LISP_MREG_M);
	assert_int_equal(lisp_auth_verify(sent[0].buf, sent[0].len, "fhr-key",
	    7), 0);
	nonce = m.nonce;
	advance(1000);
	assert_int_equal(nsent, 2);	/* resent: no answer yet */
	/* The same message: one record, one locator, the same nonce. */
	assert_int_equal(lisp_mapreg_decode(sent[1].buf, sent[1].len, &m), 0);
	assert_int_equal(m.nrec, 1);
	assert_int_equal(m.rec[0].nloc, 1);
	assert_true(m.nonce == nonce);
	/* The gateway's answer: refreshed only a minute later. */
	map_notify("10.13.0.14/32", "10.10.0.2", nonce, "fhr-key");
	fhr_handle_notify(&gw, buf, 0, &m);	/* length 0: fails auth */
	assert_int_equal(stats[ST_MREG_AUTH], 1);
	advance(2000);
	assert_int_equal(nsent, 3);
	{
		size_t len = map_notify("10.13.0.14/32", "10.10.0.2", nonce,
		    "fhr-key");

		fhr_handle_notify(&gw, buf, len, &m);
	}
	advance(30000);
	assert_int_equal(nsent, 3);
	/* Unsolicited: the host moved away; forgotten and acknowledged. */
	{
		size_t len = map_notify("10.13.0.14/32", "192.0.2.2", 4242,
		    "fhr-key");

		fhr_handle_notify(&gw, buf, len, &m);
	}
	assert_int_equal(count_hosts("local"), 0);
	assert_int_equal(nhost_del, 1);
	assert_int_equal(nhost_recheck, 1);	/* the kernel probes it */
	assert_int_equal(nroute_del, 1);
	assert_int_equal(nsent, 4);
	assert_int_equal(lisp_mapnotify_decode(sent[3].buf, sent[3].len, &m), 0);
	assert_int_equal(m.type, LISP_MSG_NOTIFY_ACK);
	assert_true(m.nonce == 4242);
	advance(120000);
	assert_int_equal(nsent, 4);	/* no more EID-notifies for it */
}

/*
 * A host said to have moved away is probed (kernel_host_del's recheck)
 * each time, except within RECHECK_HOLD of answering such a probe: one
 * answering at two sites would be taken back and forth without end.
 */
static void
t_fhr_recheck_held(void **state)
{
	/* ms after each claim, and whether that claim was probed */
	static const struct { int after; bool probed; } steps[] = {
		{ 10000, true },	/* not answered in time: moved */
		{ 1000, true },		/* answered at once: claimed back */
		{ 61000, false },	/* held */
		{ 0, true },		/* the hold is over */
	};
	struct khost	k;
	struct pkt	gw = from("10.10.0.1");
	size_t		len;
	int		i, probes = 0;

	(void)state;
	fhr_khost(&k, "10.13.0.77/32", LISP_DETECT_ROUTED);
	for (i = 0; i < (int)(sizeof(steps) / sizeof(steps[0])); i++) {
		dyneid_detected(&k);
		assert_int_equal(count_hosts("local"), 1);
		len = map_notify("10.13.0.77/32", "192.0.2.2", 4243 + i,
		    "fhr-key");
		fhr_handle_notify(&gw, buf, len, &m);
		assert_int_equal(count_hosts("local"), 0);
		assert_int_equal(nhost_del, i + 1);
		probes += steps[i].probed;
		assert_int_equal(nhost_recheck, probes);
		advance(steps[i].after);
	}
}

static void
t_fhr_gone_withdraws(void **state)
{
	struct khost	k;

	(void)state;
	fhr_khost(&k, "10.13.0.20/32", 0);
	dyneid_detected(&k);
	advance(0);
	nsent = 0;
	k.idle_ms = 300000;
	dyneid_gone(&k);
	assert_int_equal(count_hosts("local"), 0);
	assert_int_equal(nsent, 1);
	assert_int_equal(lisp_mapreg_decode(sent[0].buf, sent[0].len, &m), 0);
	assert_true(m.flags & LISP_MREG_E);
	assert_int_equal(m.rec[0].ttl, 0);
	advance(120000);
	assert_int_equal(nsent, 1);
}

static const char gw_tenants[] =
	"roles = { itr, etr }\n"
	"map-server 192.0.2.10 { key = \"ms-key\" }\n"
	"map-resolver = { 192.0.2.10 }\n"
	"instance-id 1 { interface = l1\n"
	"  dynamic-eid vm1 { eid-prefix = 10.13.0.0/24 interfaces = { lo }\n"
	"    rloc 192.0.2.1 { } } }\n"
	"instance-id 2 { interface = l2\n"
	"  dynamic-eid vm2 { eid-prefix = 10.13.0.0/24 interfaces = { lo }\n"
	"    rloc 192.0.2.1 { } } }\n";

/*
 * The same host address in two tenants: two hosts, each registered in
 * its instance-id; one gone leaves the other.
 */
static void
t_tenants(void **state)
{
	struct prefix	 p1 = P("[1]10.13.0.14/32"), p2 = P("[2]10.13.0.14/32");
	struct khost	 k;
	struct prefix	 got;

	(void)state;
	ev_set_clock(clock_ms);
	load(gw_tenants);
	start();
	reset();
	memset(&k, 0, sizeof(k));
	snprintf(k.policy, sizeof(k.policy), "vm1");
	k.eid = p1;
	k.ifindex = 1;
	dyneid_detected(&k);
	snprintf(k.policy, sizeof(k.policy), "vm2");
	k.eid = p2;
	dyneid_detected(&k);
	assert_non_null(host_find(&p1));
	assert_non_null(host_find(&p2));
	assert_ptr_not_equal(host_find(&p1), host_find(&p2));
	/* Each registered in its own instance-id. */
	assert_int_equal(nsent, 2);
	assert_int_equal(lisp_mapreg_decode(sent[0].buf, sent[0].len, &m), 0);
	assert_int_equal(prefix_from_lisp(&m.rec[0].eid, 32, &got), 0);
	assert_true(prefix_eq(&got, &p1));
	assert_int_equal(lisp_mapreg_decode(sent[1].buf, sent[1].len, &m), 0);
	assert_int_equal(prefix_from_lisp(&m.rec[0].eid, 32, &got), 0);
	assert_true(prefix_eq(&got, &p2));
	/* Tenant 1's host goes silent: tenant 2's stays. */
	snprintf(k.policy, sizeof(k.policy), "vm1");
	k.eid = p1;
	dyneid_gone(&k);
	assert_null(host_find(&p1));
	assert_non_null(host_find(&p2));
	teardown(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_tenants),
		cmocka_unit_test_setup_teardown(t_eid_notify_registers,
		    setup_gateway, teardown),
		cmocka_unit_test_setup_teardown(t_register_each_ms,
		    setup_gateway2, teardown),
		cmocka_unit_test_setup_teardown(t_eid_notify_refused,
		    setup_gateway, teardown),
		cmocka_unit_test_setup_teardown(t_eid_notify_replay,
		    setup_gateway, teardown),
		cmocka_unit_test_setup_teardown(t_moved_away,
		    setup_gateway, teardown),
		cmocka_unit_test_setup_teardown(t_left_located,
		    setup_gateway, teardown),
		cmocka_unit_test_setup_teardown(t_left_nowhere,
		    setup_gateway, teardown),
		cmocka_unit_test_setup_teardown(t_fhr_notifies,
		    setup_fhr, teardown),
		cmocka_unit_test_setup_teardown(t_fhr_recheck_held,
		    setup_fhr, teardown),
		cmocka_unit_test_setup_teardown(t_fhr_gone_withdraws,
		    setup_fhr, teardown),
		cmocka_unit_test_teardown(t_full_hmac, teardown),
	};

	return TAP_RUN("dynamic EIDs: gateway and first-hop router", tests);
}
