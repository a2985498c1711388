/* SPDX-License-Identifier: MIT */
/*
 * DDT without sockets (RFC 8111): a DDT node's Map-Referral for each
 * kind of EID (7.1), a DDT Map-Server's MS-ACK and MS-NOT-REGISTERED
 * (7.2), and the DDT Map-Resolver's pending requests (7.3): referrals
 * followed and cached, failover to the next referral RLOC, negative
 * Map-Replies for holes, loops, NOT-AUTHORITATIVE, expiry.  net_send()
 * is a recorder; the test plays every DDT node the resolver asks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>

#include "tap.h"
#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "net.h"
#include "packet.h"
#include "stats.h"
#include "ddt.h"
#include "ms.h"
#include "daemon.h"

#define SENT_MAX	8

static struct {
	struct laddr	to;
	uint16_t	port;
	size_t		len;
	uint8_t		buf[2048];
} sent[SENT_MAX];
static int	nsent;

int
net_send(const struct laddr *to, uint16_t port, const void *buf, size_t len)
{
	int	i = nsent < SENT_MAX ? nsent++ : SENT_MAX - 1;

	sent[i].to = *to;
	sent[i].port = port;
	sent[i].len = len < sizeof(sent[i].buf) ? len : sizeof(sent[i].buf);
	memcpy(sent[i].buf, buf, sent[i].len);
	return 0;
}

/* The Map-Server's forward to an ETR: recorded with its inner message. */
int
net_send_ecm(const struct laddr *to, const struct laddr *isrc,
    const struct laddr *idst, uint16_t isport, const void *msg, size_t len)
{
	(void)isrc;
	(void)idst;
	(void)isport;
	return net_send(to, 0, msg, len);
}

int
net_local_addr(const struct laddr *dst, struct laddr *src)
{
	(void)dst;
	return addr_parse("192.0.2.200", src);
}

static struct lisp_mapreferral	ref;
static struct lisp_mapreq	mq;
static struct lisp_mapreply	rp;
static uint8_t			msg[1024];
static size_t			msg_len;

static void
load(const char *text)
{
	conf = conf_from_text(text);
	clock_ms += 3600 * 1000;
	ev_set_clock(clock_ms);
	memset(stats, 0, sizeof(stats));
	nsent = 0;
}

static int
teardown(void **state)
{
	(void)state;
	ddt_mr_shutdown();
	ms_shutdown(false);
	conf_free(conf);
	conf = NULL;
	return 0;
}

/* The ITR's Map-Request for eid, ITR-RLOC 192.0.2.50, nonce. */
static void
mk_request(const char *eid, uint64_t nonce)
{
	struct prefix	e = P(eid);
	struct laddr	itr = A("192.0.2.50");
	int		n;

	memset(&mq, 0, sizeof(mq));
	mq.nonce = nonce;
	mq.nitr = 1;
	laddr_to_lisp(&itr, &mq.itr[0]);
	mq.nrec = 1;
	mq.rec[0].mlen = e.plen;
	prefix_to_lisp(&e, &mq.rec[0].eid);
	n = lisp_mapreq_encode(msg, sizeof(msg), &mq);
	assert_true(n > 0);
	msg_len = (size_t)n;
}

/* An ECM from src, inner 192.0.2.50:61000 -> the EID, D bit or not. */
static struct pkt
ecm_from(const char *src, bool ddt)
{
	struct pkt	p = from(src);

	p.ecm = true;
	p.ddt = ddt;
	p.isrc = A("192.0.2.50");
	p.idst = A("10.0.0.1");
	p.isport = 61000;
	return p;
}

/* A DDT node's or Map-Server's answer to a DDT Map-Request for eid. */
static const struct lisp_referral_rec *
ask_node(const char *eid)
{
	struct pkt	p = ecm_from("192.0.2.40", true);

	mk_request(eid, 77);
	nsent = 0;
	ddt_handle_request(&p, msg, msg_len, &mq);
	assert_true(nsent >= 1);
	assert_true(addr_eq(&sent[0].to, &p.src));
	assert_int_equal(sent[0].port, LISP_CONTROL_PORT);
	assert_int_equal(lisp_mapreferral_decode(sent[0].buf, sent[0].len,
	    &ref), 0);
	assert_true(ref.nonce == 77);
	assert_int_equal(ref.nrec, 1);
	return &ref.rec[0];
}

static const char *
loc(const struct lisp_rec *r, int i)
{
	static char	s[ADDRSTRLEN];
	struct laddr	a;

	assert_int_equal(laddr_from_lisp(&r->loc[i].addr, &a), 0);
	return addr_fmt(&a, s, sizeof(s));
}

static const char node_conf[] =
	"roles = { ddt-node }\n"
	"ddt-authoritative-prefix = { \"10.0.0.0/8\" }\n"
	"ddt-delegation \"10.1.0.0/16\" {\n"
	"  delegation-type = map-server\n"
	"  deleg-nodes = { 192.0.2.1, 192.0.2.2 }\n"
	"}\n"
	"ddt-delegation \"10.2.0.0/16\" { deleg-nodes = { 192.0.2.3 } }\n"
	"ddt-delegation \"[7]10.0.0.0/8\" { deleg-nodes = { 192.0.2.4 } }\n";

static void
t_node(void **state)
{
	const struct lisp_referral_rec *r;

	(void)state;
	load(node_conf);
	r = ask_node("10.1.2.3/32");
	assert_int_equal(r->rec.act, LISP_REF_MS);
	assert_string_equal(rec_prefix(&r->rec), "10.1.0.0/16");
	assert_int_equal(r->rec.ttl, DDT_TTL_NODE);
	assert_false(r->incomplete);
	assert_true(r->rec.auth);
	assert_int_equal(r->rec.nloc, 2);
	assert_string_equal(loc(&r->rec, 0), "192.0.2.1");
	assert_string_equal(loc(&r->rec, 1), "192.0.2.2");

	r = ask_node("10.2.9.9/32");
	assert_int_equal(r->rec.act, LISP_REF_NODE);
	assert_string_equal(loc(&r->rec, 0), "192.0.2.3");
	/* A delegation in another instance-id: a hint outside 10/8's iid. */
	r = ask_node("[7]10.5.0.1/32");
	assert_int_equal(r->rec.act, LISP_REF_NODE);
	assert_string_equal(rec_prefix(&r->rec), "[7]10.0.0.0/8");

	/* Holes: the least specific prefix with no delegation inside. */
	r = ask_node("10.200.0.1/32");
	assert_int_equal(r->rec.act, LISP_REF_HOLE);
	assert_string_equal(rec_prefix(&r->rec), "10.128.0.0/9");
	assert_int_equal(r->rec.ttl, DDT_TTL_HOLE);
	assert_int_equal(r->rec.nloc, 0);
	assert_false(r->incomplete);
	assert_string_equal(rec_prefix(&ask_node("10.3.0.1/32")->rec),
	    "10.3.0.0/16");

	/* Outside its authority: the EID asked, TTL 0, incomplete. */
	r = ask_node("11.0.0.1/32");
	assert_int_equal(r->rec.act, LISP_REF_NOT_AUTH);
	assert_string_equal(rec_prefix(&r->rec), "11.0.0.1/32");
	assert_int_equal(r->rec.ttl, 0);
	assert_true(r->incomplete);
	assert_int_equal(stats[ST_DDT_MREQ_RX], 6);
	assert_int_equal(stats[ST_REFERRAL_TX], 6);
}

/* A site's ETR registers prefix eid with RLOC 192.0.2.9 (key "ka"). */
static void
register_site(const char *eid)
{
	static struct lisp_mapreg g;
	struct pkt	p = from("192.0.2.9");
	struct prefix	e = P(eid);
	struct laddr	rloc = A("192.0.2.9");
	uint8_t		b[512];
	int		n;

	memset(&g, 0, sizeof(g));
	g.type = LISP_MSG_REGISTER;
	g.nonce = 1;
	g.alg_id = LISP_ALG_SHA1_96;
	g.auth_len = (uint16_t)lisp_auth_len(g.alg_id, false);
	g.nrec = 1;
	g.rec[0] = (struct lisp_rec){ .ttl = 1440, .mlen = e.plen, .nloc = 1 };
	prefix_to_lisp(&e, &g.rec[0].eid);
	g.rec[0].loc[0] = (struct lisp_loc){ .priority = 1, .weight = 100 };
	laddr_to_lisp(&rloc, &g.rec[0].loc[0].addr);
	n = lisp_mapreg_encode(b, sizeof(b), &g);
	assert_true(n > 0);
	assert_int_equal(lisp_auth_sign(b, (size_t)n, "ka", 2), 0);
	ms_handle_register(&p, b, (size_t)n, ev_now());
}

static void
t_map_server(void **state)
{
	const struct lisp_referral_rec *r;
	struct laddr	etr = A("192.0.2.9");

	(void)state;
	load("roles = { map-server }\n"
	    "ddt-authoritative-prefix = { \"10.0.0.0/8\" }\n"
	    "site a {\n"
	    "  key = ka\n"
	    "  eid-prefix 10.1.0.0/16 { accept-more-specifics = true }\n"
	    "}\n");
	ms_init();
	register_site("10.1.5.0/24");

	/* Registered: MS-ACK, and the request goes on to the ETR. */
	r = ask_node("10.1.5.1/32");
	assert_int_equal(r->rec.act, LISP_REF_MS_ACK);
	assert_string_equal(rec_prefix(&r->rec), "10.1.0.0/16");
	assert_int_equal(r->rec.ttl, DDT_TTL_REGISTERED);
	assert_true(r->incomplete);		/* no peers listed */
	assert_int_equal(r->rec.nloc, 1);
	assert_string_equal(loc(&r->rec, 0), "192.0.2.200");
	assert_int_equal(nsent, 2);
	assert_true(addr_eq(&sent[1].to, &etr));
	assert_int_equal(sent[1].len, msg_len);
	assert_memory_equal(sent[1].buf, msg, msg_len);

	/* The site's, not registered: around what is, 1 minute. */
	r = ask_node("10.1.200.1/32");
	assert_int_equal(nsent, 1);
	assert_int_equal(r->rec.act, LISP_REF_MS_NOT_REG);
	assert_string_equal(rec_prefix(&r->rec), "10.1.128.0/17");
	assert_int_equal(r->rec.ttl, DDT_TTL_NOT_REG);
	assert_true(r->incomplete);

	/* No site's: a hole of its authority, or not its authority. */
	r = ask_node("10.9.0.1/32");
	assert_int_equal(r->rec.act, LISP_REF_HOLE);
	assert_string_equal(rec_prefix(&r->rec), "10.0.0.0/8");
	assert_int_equal(ask_node("12.0.0.1/32")->rec.act, LISP_REF_NOT_AUTH);
}

/* ---- the DDT Map-Resolver ---- */

static const char mr_conf[] =
	"roles = { map-resolver }\n"
	"ddt-root-addresses = { 192.0.2.100 }\n";

/* The ITR 192.0.2.50 asks the resolver for eid (flags: SMR-invoked). */
static void
itr_asks_flags(const char *eid, uint64_t nonce, uint32_t flags)
{
	struct pkt	p = ecm_from("192.0.2.50", false);

	mk_request(eid, nonce);
	if (flags) {
		mq.flags |= flags;
		msg_len = (size_t)lisp_mapreq_encode(msg, sizeof(msg), &mq);
	}
	nsent = 0;
	ddt_mr_request(&p, msg, msg_len, &mq);
}

static void
itr_asks(const char *eid, uint64_t nonce)
{
	itr_asks_flags(eid, nonce, 0);
}

/* The one DDT Map-Request sent: to whom, with the D bit, the ITR's. */
static void
expect_ddt_request(int i, const char *to)
{
	struct lisp_ecm	e;
	struct laddr	a = A(to);
	char		s[ADDRSTRLEN];

	assert_true(nsent > i);
	if (!addr_eq(&sent[i].to, &a))
		fail_msg("DDT Map-Request to %s, wanted %s",
		    addr_fmt(&sent[i].to, s, sizeof(s)), to);
	assert_int_equal(sent[i].port, LISP_CONTROL_PORT);
	assert_int_equal(lisp_ecm_decode(sent[i].buf, sent[i].len, &e), 0);
	assert_int_equal(e.flags, LISP_ECM_D);
	assert_memory_equal(e.src, "\xc0\x00\x02\x32", 4);
	assert_int_equal(e.sport, 61000);
	assert_int_equal(e.msg_len, msg_len);
	assert_memory_equal(e.msg, msg, msg_len);
}

/* A DDT node at from answers the pending request for nonce. */
static void
node_says(const char *from_, uint64_t nonce, uint8_t act, const char *pfx,
    uint32_t ttl, bool incomplete, const char *r1, const char *r2)
{
	static struct lisp_mapreferral f;
	struct pkt	p = from(from_);
	struct prefix	e = P(pfx);
	struct laddr	a;
	const char	*refs[2] = { r1, r2 };
	uint8_t		b[1024];
	int		i, n;

	memset(&f, 0, sizeof(f));
	f.nonce = nonce;
	f.nrec = 1;
	f.rec[0].incomplete = incomplete;
	f.rec[0].rec.act = act;
	f.rec[0].rec.ttl = ttl;
	f.rec[0].rec.mlen = e.plen;
	prefix_to_lisp(&e, &f.rec[0].rec.eid);
	for (i = 0; i < 2 && refs[i]; i++) {
		a = A(refs[i]);
		laddr_to_lisp(&a, &f.rec[0].rec.loc[f.rec[0].rec.nloc++].addr);
	}
	n = lisp_mapreferral_encode(b, sizeof(b), &f);
	assert_true(n > 0);
	nsent = 0;
	ddt_mr_referral(&p, b, (size_t)n);
}

/* The negative Map-Reply sent to the ITR: its prefix, its TTL. */
static void
expect_negative(const char *pfx, uint32_t ttl)
{
	struct laddr	itr = A("192.0.2.50");

	assert_int_equal(nsent, 1);
	assert_true(addr_eq(&sent[0].to, &itr));
	assert_int_equal(sent[0].port, 61000);
	assert_int_equal(lisp_mapreply_decode(sent[0].buf, sent[0].len, &rp),
	    0);
	assert_int_equal(rp.rec[0].nloc, 0);
	assert_int_equal(rp.rec[0].act, LISP_ACT_NATIVE_FWD);
	assert_string_equal(rec_prefix(&rp.rec[0]), pfx);
	assert_int_equal(rp.rec[0].ttl, ttl);
}

/* Root, TLD, two Map-Servers; the second lookup skips the root. */
static void
t_resolve_and_cache(void **state)
{
	(void)state;
	load(mr_conf);
	ddt_mr_init();
	itr_asks("10.1.2.3/32", 1);
	expect_ddt_request(0, "192.0.2.100");
	node_says("192.0.2.100", 1, LISP_REF_NODE, "10.0.0.0/8", 1440, false,
	    "192.0.2.110", NULL);
	expect_ddt_request(0, "192.0.2.110");
	node_says("192.0.2.110", 1, LISP_REF_MS, "10.1.0.0/16", 1440, false,
	    "192.0.2.120", "192.0.2.121");
	expect_ddt_request(0, "192.0.2.120");
	node_says("192.0.2.120", 1, LISP_REF_MS_ACK, "10.1.0.0/16", 1440,
	    true, "192.0.2.120", NULL);
	assert_int_equal(nsent, 0);		/* the ETR answers the ITR */
	assert_int_equal(stats[ST_DDT_MREQ_TX], 3);

	/* Another EID of the site: straight to its Map-Server. */
	itr_asks("10.1.9.9/32", 2);
	assert_int_equal(nsent, 1);
	expect_ddt_request(0, "192.0.2.120");
	assert_int_equal(stats[ST_REFERRAL_CACHED], 1);

	/* No answer: the next referral RLOC, each twice, then given up. */
	nsent = 0;
	advance(DDT_TIMEOUT_MS);
	expect_ddt_request(0, "192.0.2.121");
	nsent = 0;
	advance(DDT_TIMEOUT_MS);
	expect_ddt_request(0, "192.0.2.120");
	nsent = 0;
	advance(DDT_TIMEOUT_MS);
	expect_ddt_request(0, "192.0.2.121");
	nsent = 0;
	advance(DDT_TIMEOUT_MS);
	assert_int_equal(nsent, 0);
	assert_int_equal(stats[ST_DDT_MREQ_RETRY], 3);
	assert_int_equal(stats[ST_DDT_MREQ_GIVEUP], 1);
	/* Its nonce is forgotten. */
	node_says("192.0.2.120", 2, LISP_REF_MS_ACK, "10.1.0.0/16", 1440,
	    true, "192.0.2.120", NULL);
	assert_int_equal(stats[ST_REFERRAL_NONCE], 1);
}

/*
 * A host /32 moved to a Map-Server under another delegation: the TLD
 * now delegates it there.  The cached MS-REFERRAL of the covering /16
 * still points at the old Map-Servers, which hold the old site's
 * covering registration and would MS-ACK it for a day.  The ITR's
 * SMR-invoked request asks the cached DDT node above them again, which
 * refers the /32 to its new Map-Server; that is cached from then on.
 */
static void
t_smr_invoked(void **state)
{
	struct json_object	*show;
	const char		*s;

	(void)state;
	load(mr_conf);
	ddt_mr_init();
	itr_asks("10.1.2.3/32", 1);
	node_says("192.0.2.100", 1, LISP_REF_NODE, "10.0.0.0/8", 1440, false,
	    "192.0.2.110", NULL);
	node_says("192.0.2.110", 1, LISP_REF_MS, "10.1.0.0/16", 1440, false,
	    "192.0.2.120", "192.0.2.121");
	node_says("192.0.2.120", 1, LISP_REF_MS_ACK, "10.1.0.0/16", 1440,
	    true, "192.0.2.120", NULL);

	/* SMR-invoked: the TLD, not the cached Map-Servers of the /16. */
	itr_asks_flags("10.1.2.3/32", 2, LISP_MREQ_SMR_INVOKED);
	assert_int_equal(nsent, 1);
	expect_ddt_request(0, "192.0.2.110");
	node_says("192.0.2.110", 2, LISP_REF_MS, "10.1.2.3/32", 1440, false,
	    "192.0.2.123", "192.0.2.124");
	expect_ddt_request(0, "192.0.2.123");
	node_says("192.0.2.123", 2, LISP_REF_MS_NOT_REG, "10.1.2.3/32", 1,
	    true, "192.0.2.123", NULL);
	expect_ddt_request(0, "192.0.2.124");
	node_says("192.0.2.124", 2, LISP_REF_MS_ACK, "10.1.2.3/32", 1440,
	    true, "192.0.2.124", NULL);
	assert_int_equal(nsent, 0);

	/* From now on the /32 goes to its new Map-Servers, the rest not. */
	itr_asks("10.1.2.3/32", 3);
	expect_ddt_request(0, "192.0.2.123");
	itr_asks("10.1.9.9/32", 4);
	expect_ddt_request(0, "192.0.2.120");
	show = ddt_mr_show();
	s = json_object_to_json_string_ext(show, JSON_C_TO_STRING_PLAIN);
	assert_non_null(strstr(s, "{\"eid\":\"10.1.2.3\\/32\","
	    "\"action\":\"ms-referral\",\"expires\":86400,\"hits\":1,"
	    "\"referrals\":[\"192.0.2.123\",\"192.0.2.124\"]}"));
	json_object_put(show);

	/* Nothing cached above the Map-Servers: the roots. */
	teardown(NULL);
	load(mr_conf);
	ddt_mr_init();
	itr_asks("10.1.2.3/32", 5);
	node_says("192.0.2.100", 5, LISP_REF_MS, "10.1.0.0/16", 1440, false,
	    "192.0.2.120", NULL);
	node_says("192.0.2.120", 5, LISP_REF_MS_ACK, "10.1.0.0/16", 1440,
	    true, "192.0.2.120", NULL);
	itr_asks_flags("10.1.2.3/32", 6, LISP_MREQ_SMR_INVOKED);
	expect_ddt_request(0, "192.0.2.100");
}

/* A hole: negative Map-Reply, cached 15 minutes; MS-NOT-REGISTERED. */
static void
t_negative(void **state)
{
	(void)state;
	load(mr_conf);
	ddt_mr_init();
	itr_asks("10.200.0.1/32", 3);
	node_says("192.0.2.100", 3, LISP_REF_HOLE, "10.128.0.0/9", 15, false,
	    NULL, NULL);
	expect_negative("10.128.0.0/9", 15);
	itr_asks("10.130.0.1/32", 4);
	expect_negative("10.128.0.0/9", 15);
	advance(5 * 60 * 1000);
	itr_asks("10.130.0.1/32", 5);
	expect_negative("10.128.0.0/9", 10);
	/* Expired: asked again. */
	advance(10 * 60 * 1000);
	itr_asks("10.130.0.1/32", 6);
	expect_ddt_request(0, "192.0.2.100");

	/* Not registered at either Map-Server of the set. */
	itr_asks("10.1.3.3/32", 7);
	node_says("192.0.2.100", 7, LISP_REF_MS, "10.1.0.0/16", 1440, false,
	    "192.0.2.120", "192.0.2.121");
	node_says("192.0.2.120", 7, LISP_REF_MS_NOT_REG, "10.1.3.0/24", 1,
	    true, "192.0.2.120", NULL);
	expect_ddt_request(0, "192.0.2.121");
	node_says("192.0.2.121", 7, LISP_REF_MS_NOT_REG, "10.1.3.0/24", 1,
	    true, "192.0.2.121", NULL);
	expect_negative("10.1.3.0/24", 1);

	/* A hole that does not hold the EID (OOR 1.3): for the EID only. */
	itr_asks("10.2.7.1/32", 8);
	node_says("192.0.2.100", 8, LISP_REF_HOLE, "11.2.4.0/22", 15, false,
	    NULL, NULL);
	expect_negative("10.2.7.1/32", 15);
	itr_asks("10.2.7.2/32", 9);
	expect_ddt_request(0, "192.0.2.100");
	itr_asks("11.2.4.1/32", 10);
	expect_ddt_request(0, "192.0.2.100");
}

/* A full referral cache takes nothing more until the sweep empties it. */
static void
t_cache_full(void **state)
{
	(void)state;
	load("roles = { map-resolver }\n"
	    "ddt-root-addresses = { 192.0.2.100 }\n"
	    "ddt-referral-cache-size = 1\n");
	ddt_mr_init();
	itr_asks("10.200.0.1/32", 1);
	node_says("192.0.2.100", 1, LISP_REF_HOLE, "10.200.0.1/32", 1, false,
	    NULL, NULL);
	itr_asks("10.200.0.2/32", 2);
	node_says("192.0.2.100", 2, LISP_REF_HOLE, "10.200.0.2/32", 15, false,
	    NULL, NULL);
	assert_int_equal(stats[ST_REFERRAL_CACHE_FULL], 1);
	itr_asks("10.200.0.2/32", 3);
	expect_ddt_request(0, "192.0.2.100");	/* not cached */
	/* The first expires after a minute; a sweep after that drops it. */
	advance(2 * DDT_SWEEP_MS);
	itr_asks("10.200.0.2/32", 3);
	node_says("192.0.2.100", 3, LISP_REF_HOLE, "10.200.0.2/32", 15, false,
	    NULL, NULL);
	itr_asks("10.200.0.2/32", 4);
	expect_negative("10.200.0.2/32", 15);	/* from the cache */
	assert_int_equal(stats[ST_REFERRAL_CACHE_FULL], 1);
	teardown(NULL);

	/* Size 0: nothing cached, every request from the root. */
	load("roles = { map-resolver }\n"
	    "ddt-root-addresses = { 192.0.2.100 }\n"
	    "ddt-referral-cache-size = 0\n");
	ddt_mr_init();
	itr_asks("10.200.0.1/32", 5);
	node_says("192.0.2.100", 5, LISP_REF_HOLE, "10.200.0.0/16", 15, false,
	    NULL, NULL);
	expect_negative("10.200.0.0/16", 15);
	itr_asks("10.200.0.1/32", 6);
	expect_ddt_request(0, "192.0.2.100");
	assert_int_equal(stats[ST_REFERRAL_CACHED], 0);
	assert_int_equal(stats[ST_REFERRAL_CACHE_FULL], 1);
}

/* Loops and stale referrals: again from the root, once. */
static void
t_loops(void **state)
{
	struct json_object	*show;

	(void)state;
	load(mr_conf);
	ddt_mr_init();
	itr_asks("11.0.0.1/32", 8);
	node_says("192.0.2.100", 8, LISP_REF_NODE, "11.0.0.0/8", 1440, false,
	    "192.0.2.130", NULL);
	node_says("192.0.2.130", 8, LISP_REF_NODE, "11.0.0.0/8", 1440, false,
	    "192.0.2.100", NULL);
	assert_int_equal(nsent, 0);		/* from the root: dropped */
	assert_int_equal(stats[ST_REFERRAL_LOOP], 1);

	/* The cached 11/8 no longer knows: the root is asked, not it. */
	itr_asks("11.0.0.2/32", 9);
	expect_ddt_request(0, "192.0.2.130");
	node_says("192.0.2.130", 9, LISP_REF_NOT_AUTH, "11.0.0.2/32", 0,
	    true, NULL, NULL);
	expect_ddt_request(0, "192.0.2.100");
	node_says("192.0.2.100", 9, LISP_REF_NOT_AUTH, "11.0.0.2/32", 0,
	    true, NULL, NULL);
	assert_int_equal(nsent, 0);

	/* An MS-ACK without referrals is cached but never followed. */
	itr_asks("13.0.0.1/32", 11);
	node_says("192.0.2.100", 11, LISP_REF_MS_ACK, "13.0.0.0/8", 1440,
	    false, NULL, NULL);
	itr_asks("13.0.0.2/32", 12);
	expect_ddt_request(0, "192.0.2.100");
	node_says("192.0.2.100", 12, LISP_REF_MS_ACK, "13.0.0.0/8", 1440,
	    false, NULL, NULL);
	advance(DDT_TIMEOUT_MS * 4);
	assert_int_equal(stats[ST_DDT_MREQ_GIVEUP], 0);

	itr_asks("11.0.0.3/32", 10);
	expect_ddt_request(0, "192.0.2.100");
	/* A referral that does not cover the EID is refused. */
	node_says("192.0.2.100", 10, LISP_REF_NODE, "12.0.0.0/8", 1440, false,
	    "192.0.2.130", NULL);
	assert_int_equal(nsent, 0);
	assert_int_equal(stats[ST_RX_UNEXPECTED], 1);

	/* show referral-cache: what is cached, with its referrals. */
	node_says("192.0.2.100", 10, LISP_REF_NODE, "11.0.0.0/8", 1440, false,
	    "192.0.2.131", NULL);
	show = ddt_mr_show();
	assert_int_equal(json_object_array_length(show), 2);
	json_object_array_del_idx(show, 0, 1);		/* 13.0.0.0/8 */
	assert_string_equal(json_object_to_json_string_ext(show,
	    JSON_C_TO_STRING_PLAIN),
	    "[{\"eid\":\"11.0.0.0\\/8\",\"action\":\"node-referral\","
	    "\"expires\":86400,\"hits\":0,\"referrals\":[\"192.0.2.131\"]}]");
	json_object_put(show);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(t_node, teardown),
		cmocka_unit_test_teardown(t_map_server, teardown),
		cmocka_unit_test_teardown(t_resolve_and_cache, teardown),
		cmocka_unit_test_teardown(t_negative, teardown),
		cmocka_unit_test_teardown(t_smr_invoked, teardown),
		cmocka_unit_test_teardown(t_loops, teardown),
		cmocka_unit_test_teardown(t_cache_full, teardown),
	};

	log_init(true, 0);
	return TAP_RUN("ddt", tests);
}
