/* SPDX-License-Identifier: MIT */
/*
 * SMR and RLOC probing, both ends, with the kernel and the network
 * replaced by recorders:
 *   - the ETR sends an SMR (S and D bits, away EID as source EID, the
 *     ITR's EID as record) at most every 3 s per ITR and EID;
 *   - an ITR asks the map-resolver again (s bit, ECM) for an SMR'd EID
 *     it caches, never acts on the SMR's own content, rate-limits per
 *     EID and ignores (counts) SMRs for EIDs it does not cache;
 *   - the ETR answers probes with P, the nonce and p on the probed
 *     locator, answers SMR-invoked requests, and nothing it does not own;
 *   - the ITR marks a locator down after 3 unanswered probes, up again
 *     at the first answer, and ignores probe replies it did not ask for.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "tap.h"
#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "kernel.h"
#include "net.h"
#include "packet.h"
#include "stats.h"
#include "publish.h"
#include "etr.h"
#include "itr.h"
#include "ms.h"
#include "tenant.h"
#include "nat.h"
#include "daemon.h"

struct lispd_conf *conf;

/* ---- recorders ---- */

static int		 necm, nsend, ninstall;
static struct lisp_mapreq last_ecm;	/* what went to the map-resolver */
static struct laddr	 last_ecm_to;
static uint8_t		 sent[16][2048];	/* what net_send sent, in order */
static size_t		 sent_len[16];
static struct laddr	 sent_to[16];
static struct kmap	 last_install;

int kernel_map_replace(const struct kmap *m)
{ last_install = *m; ninstall++; return 0; }
int kernel_map_del(const struct prefix *p) { (void)p; return 0; }
int kernel_map_get(const struct prefix *p, struct kmap *m)
{ (void)p; (void)m; return -ENOENT; }
int kernel_map_dump(uint32_t iid, void (*cb)(const struct kmap *, void *),
    void *arg)
{ (void)iid; (void)cb; (void)arg; return 0; }
int kernel_db_add(const struct prefix *p) { (void)p; return 0; }
int kernel_db_del(const struct prefix *p) { (void)p; return 0; }
int kernel_db_dump(uint32_t iid, void (*cb)(const struct prefix *, void *),
    void *arg)
{ (void)iid; (void)cb; (void)arg; return 0; }

/* Tenant N on device 4 + N. */
static int
attach_iid(const struct tenant_conf *tc, uint32_t *iid, int *ifindex)
{
	*iid = tc->iid;
	*ifindex = 4 + (int)tc->iid;
	return 0;
}

/* One tenant, instance-id 0, on device 4. */
static int
attach(const struct tenant_conf *tc, uint32_t *iid, int *ifindex)
{
	(void)tc;
	*iid = 0;
	*ifindex = 4;
	return 0;
}

#define TC	(&conf->tenant[0])

/* Map-Server side of mr.c: nothing registered. */
const struct lisp_rec *ms_lookup(const struct prefix *eid, bool *proxy,
    struct laddr *etr, const struct site **site, const struct site_eid **se)
{ (void)eid; (void)proxy; (void)etr; *site = NULL; *se = NULL; return NULL; }
bool ms_registered_within(const struct prefix *p) { (void)p; return false; }
bool ms_site_within(const struct prefix *p) { (void)p; return false; }
bool ms_warming_up(void) { return false; }
/* No nat-traversal here: the ETR registers directly. */
bool nat_xtr_direct_ok(const struct tenant *t, const struct mserver *m)
{ (void)t; (void)m; return true; }
void pub_subscribe(const struct pkt *pkt, const struct lisp_mapreq *m,
    const struct lisp_rec *r) { (void)pkt; (void)m; (void)r; }

int net_local_addr(const struct laddr *dst, struct laddr *src)
{ (void)dst; return addr_parse("192.0.2.1", src); }
int net_send_ecm(const struct laddr *to, const struct laddr *isrc,
    const struct laddr *idst, uint16_t isport, const void *msg, size_t len)
{
	(void)isrc; (void)idst; (void)isport;
	assert_int_equal(lisp_mapreq_decode(msg, len, &last_ecm), 0);
	last_ecm_to = *to;
	necm++;
	return 0;
}
int net_send(const struct laddr *to, uint16_t port, const void *buf,
    size_t len)
{
	assert_int_equal(port, LISP_CONTROL_PORT);
	assert_true(len <= sizeof(sent[0]));
	if (nsend < 16) {
		memcpy(sent[nsend], buf, len);
		sent_len[nsend] = len;
		sent_to[nsend] = *to;
	}
	nsend++;
	return 0;
}

/* ---- helpers ---- */

static bool
is(const struct laddr *l, const char *s)
{
	struct laddr	a = A(s);

	return addr_eq(l, &a);
}

static struct lisp_mapreply	rep;
static struct lisp_mapreq	req, dec;

/* Let the jittered probe timer run until n messages were sent. */
static void
until_sent(int n)
{
	int	k;

	for (k = 0; k < 40 && nsend < n; k++)
		advance(500);
	assert_int_equal(nsend, n);
}

/* Answer the last ECM Map-Request: eid/mlen at the given locators. */
static void
answer(const char *eid, int mlen, const char *r0, const char *r1)
{
	struct pkt	pkt;
	struct laddr	e = A(eid), r;

	memset(&pkt, 0, sizeof(pkt));
	pkt.src = A("192.0.2.2");
	memset(&rep, 0, sizeof(rep));
	rep.nonce = last_ecm.nonce;
	rep.nrec = 1;
	rep.rec[0].ttl = 60;
	rep.rec[0].mlen = (uint8_t)mlen;
	laddr_to_lisp(&e, &rep.rec[0].eid);
	r = A(r0);
	rep.rec[0].loc[rep.rec[0].nloc].priority = 1;
	laddr_to_lisp(&r, &rep.rec[0].loc[rep.rec[0].nloc++].addr);
	if (r1) {
		r = A(r1);
		rep.rec[0].loc[rep.rec[0].nloc].priority = 1;
		laddr_to_lisp(&r, &rep.rec[0].loc[rep.rec[0].nloc++].addr);
	}
	itr_handle_reply(&pkt, &rep);
}

/* Cache 10.2.0.0/24 the way a miss does. */
static void
cache_site2(const char *r0, const char *r1)
{
	struct laddr	s = A("10.1.0.1"), d = A("10.2.0.1");

	itr_handle_miss(0, &s, &d);
	answer("10.2.0.0", 24, r0, r1);
}

/* An SMR from 192.0.2.2 saying away EID seid; our EID 10.1.0.1. */
static void
smr(const char *seid, bool with_mapping)
{
	struct pkt	pkt;
	struct laddr	s = A(seid), e = A("10.1.0.1"), bad;

	memset(&pkt, 0, sizeof(pkt));
	pkt.src = A("192.0.2.2");
	pkt.sport = LISP_CONTROL_PORT;
	memset(&req, 0, sizeof(req));
	req.flags = LISP_MREQ_S | LISP_MREQ_D;
	req.nonce = 77;
	laddr_to_lisp(&s, &req.seid);
	req.nitr = 1;
	laddr_to_lisp(&pkt.src, &req.itr[0]);
	req.nrec = 1;
	req.rec[0].mlen = 32;
	laddr_to_lisp(&e, &req.rec[0].eid);
	if (with_mapping) {
		/* A mapping riding on the SMR must not be believed. */
		req.flags |= LISP_MREQ_M;
		bad = A("203.0.113.66");
		req.reply.mlen = 24;
		laddr_to_lisp(&s, &req.reply.eid);
		req.reply.nloc = 1;
		laddr_to_lisp(&bad, &req.reply.loc[0].addr);
	}
	itr_handle_smr(&pkt, &req);
}

static int
setup(void **state)
{
	(void)state;
	conf = calloc(1, sizeof(*conf));
	conf->roles = ROLE_ITR | ROLE_ETR;
	conf->ntenant = 1;
	conf->tenant = calloc(1, sizeof(*conf->tenant));
	TC->nmr = 1;
	TC->mr = calloc(1, sizeof(*TC->mr));
	TC->mr[0] = A("198.51.100.1");
	TC->ndb = 1;
	TC->db = calloc(1, sizeof(*TC->db));
	assert_int_equal(prefix_parse("10.1.0.0/24", &TC->db[0].eid, NULL),
	    0);
	TC->db[0].nrloc = 2;
	TC->db[0].rloc[0].addr = A("192.0.2.1");
	TC->db[0].rloc[1].addr = A("192.0.2.11");
	conf->rloc_probing = true;
	conf->probe_interval = 10;
	necm = nsend = ninstall = 0;
	memset(stats, 0, sizeof(stats));
	clock_ms += 3600 * 1000;
	ev_set_clock(clock_ms);
	assert_int_equal(tenants_sync(conf, attach, NULL), 0);
	itr_init();
	etr_init();
	return 0;
}

/* The roles stopped, the tenants and setup()'s tenant gone. */
static void
roles_drop(void)
{
	itr_shutdown();
	etr_shutdown();
	tenants_free(NULL);
	free(TC->mr);
	free(TC->db);
	free(conf->tenant);
	conf->tenant = NULL;
}

static int
teardown(void **state)
{
	(void)state;
	roles_drop();
	free(conf);
	conf = NULL;
	return 0;
}

static void
decode_sent(int i, struct lisp_mapreq *m)
{
	assert_true(i < nsend);
	assert_int_equal(lisp_mapreq_decode(sent[i], sent_len[i], m), 0);
}

/* ---- SMR: ETR side ---- */

static void
t_smr_send(void **state)
{
	struct laddr	away = A("10.1.0.5"), seid = A("10.2.0.1");
	struct laddr	itr = A("192.0.2.2"), itr2 = A("192.0.2.3"), l;
	struct prefix	p;

	(void)state;
	etr_send_smr(0, &away, &seid, &itr);
	assert_int_equal(nsend, 1);
	assert_true(addr_eq(&sent_to[0], &itr));
	decode_sent(0, &dec);
	assert_true(dec.flags & LISP_MREQ_S);
	assert_true(dec.flags & LISP_MREQ_D);
	assert_false(dec.flags & LISP_MREQ_SMR_INVOKED);
	assert_int_equal(laddr_from_lisp(&dec.seid, &l), 0);
	assert_true(addr_eq(&l, &away));
	assert_int_equal(prefix_from_lisp(&dec.rec[0].eid, dec.rec[0].mlen,
	    &p), 0);
	assert_int_equal(p.plen, 32);
	assert_memory_equal(p.a, seid.a, 4);
	assert_int_equal(laddr_from_lisp(&dec.itr[0], &l), 0);
	assert_true(is(&l, "192.0.2.1"));
	assert_int_equal(stats[ST_SMR_TX], 1);

	/* Same ITR and EID within 3 s: not again; another ITR: yes. */
	advance(2999);
	etr_send_smr(0, &away, &seid, &itr);
	assert_int_equal(nsend, 1);
	assert_int_equal(stats[ST_SMR_RATELIMIT], 1);
	etr_send_smr(0, &away, &seid, &itr2);
	assert_int_equal(nsend, 2);
	advance(1);
	etr_send_smr(0, &away, &seid, &itr);
	assert_int_equal(nsend, 3);
}

/* ---- SMR: ITR side ---- */

static void
t_smr_cached(void **state)
{
	struct laddr	l;
	struct prefix	p;
	uint64_t	nonce;

	(void)state;
	cache_site2("192.0.2.2", NULL);
	assert_int_equal(ninstall, 1);
	assert_int_equal(necm, 1);
	smr("10.2.0.1", true);
	assert_int_equal(stats[ST_SMR_RX], 1);
	/* Through the map-resolver, with s; the SMR's mapping unused. */
	assert_int_equal(necm, 2);
	assert_true(addr_eq(&last_ecm_to, &TC->mr[0]));
	assert_true(last_ecm.flags & LISP_MREQ_SMR_INVOKED);
	assert_false(last_ecm.flags & (LISP_MREQ_S | LISP_MREQ_P));
	assert_int_equal(ninstall, 1);
	assert_int_equal(prefix_from_lisp(&last_ecm.rec[0].eid,
	    last_ecm.rec[0].mlen, &p), 0);
	assert_int_equal(p.plen, 32);
	assert_int_equal(laddr_from_lisp(&last_ecm.seid, &l), 0);
	assert_true(is(&l, "10.1.0.1"));
	nonce = last_ecm.nonce;
	assert_int_not_equal(nonce, 77);

	/* The mapping system's answer replaces the entry. */
	answer("10.2.0.0", 24, "192.0.2.3", NULL);
	assert_int_equal(ninstall, 2);
	assert_int_equal(last_install.eid.plen, 24);
	assert_int_equal(last_install.nrloc, 1);
	assert_true(is(&last_install.rloc[0].addr, "192.0.2.3"));
}

static void
t_smr_rate_limit(void **state)
{
	(void)state;
	cache_site2("192.0.2.2", NULL);
	smr("10.2.0.1", false);
	assert_int_equal(necm, 2);
	/* Still pending, then answered but within 3 s: no new request. */
	smr("10.2.0.1", false);
	answer("10.2.0.0", 24, "192.0.2.3", NULL);
	advance(2000);
	smr("10.2.0.1", false);
	assert_int_equal(necm, 2);
	assert_int_equal(stats[ST_SMR_RATELIMIT], 2);
	advance(1000);
	smr("10.2.0.1", false);
	assert_int_equal(necm, 3);
}

static void
t_smr_uncached(void **state)
{
	(void)state;
	cache_site2("192.0.2.2", NULL);
	smr("10.9.0.1", true);
	assert_int_equal(stats[ST_SMR_RX], 1);
	assert_int_equal(stats[ST_SMR_UNCACHED], 1);
	assert_int_equal(necm, 1);
	assert_int_equal(ninstall, 1);
	assert_int_equal(nsend, 0);
}

/* ---- probes: ETR side ---- */

static void
etr_probe(const char *eid, const char *probed, uint32_t flags)
{
	struct pkt	pkt;
	struct laddr	e = A(eid);

	memset(&pkt, 0, sizeof(pkt));
	pkt.src = A("192.0.2.2");
	pkt.sport = LISP_CONTROL_PORT;
	if (probed)
		pkt.dst = A(probed);
	memset(&req, 0, sizeof(req));
	req.flags = flags;
	req.nonce = 0x1122334455667788ull;
	req.nitr = 1;
	laddr_to_lisp(&pkt.src, &req.itr[0]);
	req.nrec = 1;
	req.rec[0].mlen = 32;
	laddr_to_lisp(&e, &req.rec[0].eid);
	etr_handle_request(&pkt, &req);
}

static void
t_etr_probe_reply(void **state)
{
	(void)state;
	etr_probe("10.1.0.1", "192.0.2.11", LISP_MREQ_P);
	assert_int_equal(nsend, 1);
	assert_int_equal(lisp_mapreply_decode(sent[0], sent_len[0], &rep), 0);
	assert_true(rep.flags & LISP_MREP_P);
	assert_true(rep.nonce == 0x1122334455667788ull);
	assert_int_equal(rep.nrec, 1);
	assert_int_equal(rep.rec[0].nloc, 2);
	assert_false(rep.rec[0].loc[0].flags & LISP_LOC_P);
	assert_true(rep.rec[0].loc[1].flags & LISP_LOC_P);
	assert_int_equal(stats[ST_PROBE_REPLY_TX], 1);

	/* SMR-invoked: an ordinary reply. */
	etr_probe("10.1.0.1", NULL, LISP_MREQ_SMR_INVOKED);
	assert_int_equal(nsend, 2);
	assert_int_equal(lisp_mapreply_decode(sent[1], sent_len[1], &rep), 0);
	assert_false(rep.flags & LISP_MREP_P);
	assert_int_equal(rep.nrec, 1);

	/* Not ours, or an SMR: nothing. */
	etr_probe("10.9.0.1", NULL, LISP_MREQ_P);
	etr_probe("10.1.0.1", NULL, LISP_MREQ_S);
	assert_int_equal(nsend, 2);
}

/* A site gateway's host (etr_hooks.owns): answered as our mapping. */
static int	nowns;

static bool
gateway_owns(const struct prefix *p, struct dbmap *out)
{
	struct prefix	host;

	nowns++;
	assert_int_equal(prefix_parse("10.9.0.1/32", &host, NULL), 0);
	if (!prefix_eq(p, &host))
		return false;
	memset(out, 0, sizeof(*out));
	out->eid = host;
	out->nrloc = 1;
	out->rloc[0].addr = A("192.0.2.99");
	return true;
}

static void
t_etr_hooks_owns(void **state)
{
	static const struct etr_hooks hooks = { .owns = gateway_owns };
	struct laddr	l;

	(void)state;
	etr_probe("10.9.0.1", NULL, LISP_MREQ_SMR_INVOKED);
	assert_int_equal(nsend, 0);
	etr_set_hooks(&hooks);
	etr_probe("10.9.0.1", NULL, LISP_MREQ_SMR_INVOKED);
	assert_int_equal(nowns, 1);
	assert_int_equal(nsend, 1);
	assert_int_equal(lisp_mapreply_decode(sent[0], sent_len[0], &rep), 0);
	assert_int_equal(rep.nrec, 1);
	assert_int_equal(rep.rec[0].mlen, 32);
	assert_int_equal(rep.rec[0].nloc, 1);
	assert_int_equal(laddr_from_lisp(&rep.rec[0].loc[0].addr, &l), 0);
	assert_true(is(&l, "192.0.2.99"));
	/* The database-mappings come first; then no hook after shutdown. */
	etr_probe("10.1.0.1", NULL, LISP_MREQ_SMR_INVOKED);
	assert_int_equal(nowns, 1);
	etr_shutdown();
	etr_probe("10.9.0.1", NULL, LISP_MREQ_SMR_INVOKED);
	assert_int_equal(nowns, 1);
	assert_int_equal(nsend, 2);
}

/* ---- probes: ITR side ---- */

static void
probe_answer(int i)
{
	struct pkt	pkt;

	decode_sent(i, &dec);
	memset(&pkt, 0, sizeof(pkt));
	pkt.src = sent_to[i];
	memset(&rep, 0, sizeof(rep));
	rep.flags = LISP_MREP_P;
	rep.nonce = dec.nonce;
	itr_handle_reply(&pkt, &rep);
}

static void
t_probe_down_up(void **state)
{
	struct pkt	pkt;
	int		round, base;

	(void)state;
	cache_site2("192.0.2.2", "192.0.2.12");
	assert_int_equal(nsend, 0);
	until_sent(2);
	decode_sent(0, &dec);
	assert_true(dec.flags & LISP_MREQ_P);
	assert_true(is(&sent_to[0], "192.0.2.2"));
	assert_true(is(&sent_to[1], "192.0.2.12"));
	assert_int_equal(ninstall, 1);

	/* .2 answers every round, .12 never: down after the third miss. */
	for (round = 0; round < 3; round++) {
		base = nsend - 2;
		probe_answer(base);
		until_sent(base + 4);
	}
	assert_int_equal(ninstall, 2);
	assert_int_equal(last_install.down, 2u);
	assert_int_equal(stats[ST_RLOC_DOWN], 1);

	/* An answer from nobody we probed changes nothing. */
	memset(&pkt, 0, sizeof(pkt));
	pkt.src = A("192.0.2.12");
	memset(&rep, 0, sizeof(rep));
	rep.flags = LISP_MREP_P;
	rep.nonce = 12345;
	itr_handle_reply(&pkt, &rep);
	assert_int_equal(ninstall, 2);
	assert_int_equal(stats[ST_MREP_NONCE], 1);

	/* .12 answers: up again. */
	probe_answer(nsend - 1);
	assert_int_equal(ninstall, 3);
	assert_int_equal(last_install.down, 0u);
	assert_int_equal(stats[ST_RLOC_UP], 1);
	assert_int_equal(stats[ST_PROBE_REPLY_RX], 4);
}

/* Many tenants' first Map-Registers: paced, not one burst. */
static void
t_register_paced(void **state)
{
	int	i;

	(void)state;
	roles_drop();
	conf->ntenant = 3;
	conf->tenant = calloc(3, sizeof(*conf->tenant));
	for (i = 0; i < 3; i++) {
		struct tenant_conf *tc = &conf->tenant[i];

		tc->iid = (uint32_t)i;
		tc->iid_given = true;
		tc->ndb = 1;
		tc->db = calloc(1, sizeof(*tc->db));
		tc->db[0].eid = P("10.1.0.0/24");
		tc->db[0].eid.iid = (uint32_t)i;
		tc->db[0].nrloc = 1;
		tc->db[0].rloc[0].addr = A("192.0.2.1");
		tc->nms = 1;
		tc->ms = calloc(1, sizeof(*tc->ms));
		tc->ms[0].addr = A("198.51.100.1");
		tc->ms[0].key = strdup("k");
		tc->ms[0].alg = LISP_ALG_SHA256_128;
	}
	assert_int_equal(tenants_sync(conf, attach_iid, NULL), 0);
	nsend = 0;
	etr_init();
	assert_int_equal(nsend, 1);		/* the first tenant at once */
	advance(1);
	assert_int_equal(nsend, 1);
	advance(1);
	assert_int_equal(nsend, 2);		/* the next 2 ms later */
	advance(2);
	assert_int_equal(nsend, 3);
	etr_shutdown();
	tenants_free(NULL);
	/* What teardown frees is left: tenant 0's db, the array. */
	for (i = 0; i < 3; i++) {
		free(conf->tenant[i].ms[0].key);
		free(conf->tenant[i].ms);
		if (i)
			free(conf->tenant[i].db);
	}
}

/* The state lispctl show registration gives ms's row. */
static const char *
etr_reg_state(const char *ms)
{
	json_object	*arr = json_object_new_array();

	etr_show_registrations(arr);
	return row_field(arr, "map-server", ms, NULL, NULL, "state");
}

/* Map-Server ms acknowledges sent[i], signed with key. */
static void
notify_from(const char *ms, int i, const char *key)
{
	static struct lisp_mapreg	m;
	static uint8_t			b[2048];
	struct pkt			pkt = from(ms);
	int				n;

	assert_int_equal(lisp_mapreg_decode(sent[i], sent_len[i], &m), 0);
	m.type = LISP_MSG_NOTIFY;
	n = lisp_mapnotify_encode(b, sizeof(b), &m);
	assert_true(n > 0);
	assert_int_equal(lisp_auth_sign(b, (size_t)n, key, strlen(key)), 0);
	assert_int_equal(lisp_mapnotify_decode(b, (size_t)n, &m), 0);
	etr_handle_notify(&pkt, b, (size_t)n, &m);
}

/*
 * Two Map-Servers: the database-mappings are registered with each
 * under its key and its own nonce; one's Map-Notify acknowledges its
 * own registration only, and the other is retransmitted alone.
 */
static void
t_register_each_ms(void **state)
{
	static struct lisp_mapreg	m1, m2;

	(void)state;
	etr_shutdown();
	TC->nms = 2;
	TC->ms = calloc(2, sizeof(*TC->ms));
	TC->ms[0].addr = A("198.51.100.1");
	TC->ms[0].key = "k1";
	TC->ms[0].alg = LISP_ALG_SHA256_128;
	TC->ms[1].addr = A("198.51.100.2");
	TC->ms[1].key = "k2";
	TC->ms[1].alg = LISP_ALG_SHA256_128;
	nsend = 0;
	etr_init();
	assert_int_equal(nsend, 2);
	assert_true(is(&sent_to[0], "198.51.100.1"));
	assert_true(is(&sent_to[1], "198.51.100.2"));
	assert_int_equal(lisp_auth_verify(sent[0], sent_len[0], "k1", 2), 0);
	assert_int_equal(lisp_auth_verify(sent[1], sent_len[1], "k2", 2), 0);
	assert_int_equal(lisp_mapreg_decode(sent[0], sent_len[0], &m1), 0);
	assert_int_equal(lisp_mapreg_decode(sent[1], sent_len[1], &m2), 0);
	assert_true(m1.nonce != m2.nonce);
	assert_string_equal(etr_reg_state("198.51.100.1"), "not-registered");
	notify_from("198.51.100.2", 1, "k2");
	assert_string_equal(etr_reg_state("198.51.100.1"), "not-registered");
	assert_string_equal(etr_reg_state("198.51.100.2"), "registered");
	/* Only the first is sent again, with its nonce. */
	advance(1000);
	assert_int_equal(nsend, 3);
	assert_true(is(&sent_to[2], "198.51.100.1"));
	assert_int_equal(lisp_mapreg_decode(sent[2], sent_len[2], &m2), 0);
	assert_true(m2.nonce == m1.nonce);
	notify_from("198.51.100.1", 2, "k1");
	assert_string_equal(etr_reg_state("198.51.100.1"), "registered");
	advance(30 * 1000);
	assert_int_equal(nsend, 3);
	etr_shutdown();
	free(TC->ms);
	TC->ms = NULL;
	TC->nms = 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_smr_send, setup, teardown),
		cmocka_unit_test_setup_teardown(t_smr_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(t_smr_rate_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(t_smr_uncached, setup, teardown),
		cmocka_unit_test_setup_teardown(t_etr_probe_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(t_register_paced, setup, teardown),
		cmocka_unit_test_setup_teardown(t_register_each_ms, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_etr_hooks_owns, setup, teardown),
		cmocka_unit_test_setup_teardown(t_probe_down_up, setup, teardown),
	};

	log_init(true, 0);
	return TAP_RUN("smr", tests);
}
