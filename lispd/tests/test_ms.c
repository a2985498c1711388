/* SPDX-License-Identifier: MIT */
/*
 * Map-Server and Map-Resolver logic without sockets: registration and
 * its authentication, expiry, accept-more-specifics, replayed nonces,
 * the Map-Notify to a previous registrant, and the Map-Resolver's
 * answers (proxy reply, forwarding, negative replies and their TTLs).
 * net_send() is replaced by a recorder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "tap.h"
#include "util.h"
#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "net.h"
#include "packet.h"
#include "stats.h"
#include "mr.h"
#include "ms.h"
#include "publish.h"
#include "daemon.h"

/* ---- the network, recorded ---- */

#define SENT_MAX	16

struct sent {
	struct laddr	to;
	uint16_t	port;
	bool		ecm;
	size_t		len;
	uint8_t		buf[2048];
};

static struct sent	sent[SENT_MAX];
static int		nsent;

int
net_send(const struct laddr *to, uint16_t port, const void *buf, size_t len)
{
	struct sent	*s = &sent[nsent < SENT_MAX ? nsent++ : SENT_MAX - 1];

	s->to = *to;
	s->port = port;
	s->ecm = false;
	s->len = len < sizeof(s->buf) ? len : sizeof(s->buf);
	memcpy(s->buf, buf, s->len);
	return 0;
}

int
net_send_ecm(const struct laddr *to, const struct laddr *isrc,
    const struct laddr *idst, uint16_t isport, const void *msg, size_t len)
{
	(void)isrc;
	(void)idst;
	(void)isport;
	net_send(to, LISP_CONTROL_PORT, msg, len);
	sent[nsent - 1].ecm = true;
	return 0;
}

/* ---- fixtures ---- */

static const char conf_text[] =
	"roles = { map-server, map-resolver }\n"
	"site a {\n"
	"  key = ka\n"
	"  eid-prefix 10.1.0.0/16 { accept-more-specifics = true }\n"
	"}\n"
	"site b {\n"
	"  key = kb\n"
	"  eid-prefix 10.2.0.0/16 {}\n"
	"}\n";

static char	path[64];

static int
setup(void **state)
{
	int	fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/lispd-ms-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, conf_text, strlen(conf_text)) < 0)
		return -1;
	close(fd);
	conf = conf_load(path);
	unlink(path);
	if (!conf)
		return -1;
	clock_ms += 3600 * 1000;	/* far from the last test's timers */
	ev_set_clock(clock_ms);
	ms_init();
	pub_init();
	nsent = 0;
	memset(stats, 0, sizeof(stats));
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	pub_shutdown(false);
	ms_shutdown(false);
	conf_free(conf);
	conf = NULL;
	return 0;
}

static uint8_t		rbuf[4096];
static struct lisp_mapreg mr_;
static uint32_t		reg_ttl = 1440;	/* Record TTL of mkreg's record */
static const uint8_t	reg_xtr_id[16] = "xtr-id:branch-01";

/* A signed Map-Register: one record eid with one RLOC rloc. */
static size_t
mkreg(const char *key, uint64_t nonce, uint32_t flags, const char *eid,
    const char *rloc)
{
	struct prefix	p = P(eid);
	struct laddr	r = A(rloc);
	int		n;

	memset(&mr_, 0, sizeof(mr_));
	mr_.type = LISP_MSG_REGISTER;
	mr_.flags = flags;
	mr_.nonce = nonce;
	memcpy(mr_.xtr_id, reg_xtr_id, sizeof(mr_.xtr_id));
	mr_.site_id = 0x5173;		/* sent only with LISP_MREG_I */
	mr_.alg_id = LISP_ALG_SHA256_128;
	mr_.auth_len = (uint16_t)lisp_auth_len(LISP_ALG_SHA256_128, false);
	mr_.nrec = 1;
	mr_.rec[0].ttl = reg_ttl;
	mr_.rec[0].mlen = p.plen;
	prefix_to_lisp(&p, &mr_.rec[0].eid);
	mr_.rec[0].nloc = 1;
	mr_.rec[0].loc[0].priority = 1;
	mr_.rec[0].loc[0].weight = 100;
	laddr_to_lisp(&r, &mr_.rec[0].loc[0].addr);
	n = lisp_mapreg_encode(rbuf, sizeof(rbuf), &mr_);
	assert_true(n > 0);
	assert_int_equal(lisp_auth_sign(rbuf, (size_t)n, key, strlen(key)), 0);
	return (size_t)n;
}

static void
reg(const char *src, const char *key, uint64_t nonce, uint32_t flags,
    const char *eid, const char *rloc, time_t now)
{
	struct pkt	p = from(src);
	size_t		n = mkreg(key, nonce, flags, eid, rloc);

	ms_handle_register(&p, rbuf, n, now);
}

/* The registered RLOC of eid as a string, or NULL. */
static const char *
registered(const char *eid)
{
	static char		 s[ADDRSTRLEN];
	const struct lisp_rec	*r;
	const struct site	*site;
	const struct site_eid	*se;
	struct prefix		 p = P(eid);
	struct laddr		 etr, l;
	bool			 proxy;

	r = ms_lookup(&p, &proxy, &etr, &site, &se);
	if (!r)
		return NULL;
	assert_int_equal(laddr_from_lisp(&r->loc[0].addr, &l), 0);
	return addr_fmt(&l, s, sizeof(s));
}

static struct lisp_mapreg	notify;

/* sent[i] is a Map-Notify to "to" signed with key; decoded in notify. */
static void
expect_notify(int i, const char *to, const char *key)
{
	struct laddr	a = A(to);

	assert_true(i < nsent);
	assert_true(addr_eq(&sent[i].to, &a));
	assert_int_equal(lisp_mapnotify_decode(sent[i].buf, sent[i].len,
	    &notify), 0);
	assert_int_equal(notify.type, LISP_MSG_NOTIFY);
	assert_int_equal(lisp_auth_verify(sent[i].buf, sent[i].len, key,
	    strlen(key)), 0);
}

/* ---- registration ---- */

static void
t_register_notify(void **state)
{
	(void)state;
	reg("192.0.2.1", "ka", 42, LISP_MREG_M, "10.1.0.0/16", "192.0.2.1",
	    1000);
	assert_string_equal(registered("10.1.2.3/32"), "192.0.2.1");
	assert_int_equal(nsent, 1);
	expect_notify(0, "192.0.2.1", "ka");
	assert_true(notify.nonce == 42);
	assert_int_equal(notify.nrec, 1);
	assert_int_equal(sent[0].port, LISP_CONTROL_PORT);

	/* Without M: registered, nothing sent. */
	reg("192.0.2.2", "kb", 43, 0, "10.2.0.0/16", "192.0.2.2", 1000);
	assert_string_equal(registered("10.2.0.1/32"), "192.0.2.2");
	assert_int_equal(nsent, 1);
}

/*
 * A Map-Register with the I bit: the Map-Notify copies its xTR-ID and
 * Site-ID, under the Map-Notify's I bit (0x08000000, where Open Overlay
 * Router and tcpdump read it), not the Map-Register's (0x02000000).
 */
static void
t_register_notify_xtr_id(void **state)
{
	(void)state;
	reg("192.0.2.1", "ka", 42, LISP_MREG_M | LISP_MREG_I, "10.1.0.0/16",
	    "192.0.2.1", 1000);
	assert_string_equal(registered("10.1.2.3/32"), "192.0.2.1");
	assert_int_equal(nsent, 1);
	expect_notify(0, "192.0.2.1", "ka");
	assert_int_equal(sent[0].buf[0], 0x48);
	assert_int_equal(notify.flags, LISP_MNOT_I);
	assert_memory_equal(notify.xtr_id, reg_xtr_id, 16);
	assert_true(notify.site_id == 0x5173);
	/* Without the I bit, no trailer. */
	reg("192.0.2.1", "ka", 43, LISP_MREG_M, "10.1.0.0/16", "192.0.2.1",
	    1000);
	expect_notify(1, "192.0.2.1", "ka");
	assert_int_equal(sent[1].buf[0], 0x40);
	assert_int_equal(notify.flags, 0);
	assert_int_equal(sent[1].len + 24, sent[0].len);
}

static void
t_register_bad_key(void **state)
{
	(void)state;
	reg("192.0.2.1", "kb", 42, LISP_MREG_M, "10.1.0.0/16", "192.0.2.1",
	    1000);
	assert_null(registered("10.1.2.3/32"));
	assert_int_equal(nsent, 0);
	assert_int_equal(stats[ST_MREG_AUTH], 1);

	/* A flipped byte after signing fails too. */
	{
		struct pkt	p = from("192.0.2.1");
		size_t		n = mkreg("ka", 7, LISP_MREG_M, "10.1.0.0/16",
				    "192.0.2.1");

		rbuf[n - 1] ^= 1;
		ms_handle_register(&p, rbuf, n, 1000);
		assert_null(registered("10.1.2.3/32"));
		assert_int_equal(stats[ST_MREG_AUTH], 2);
	}
}

static void
t_notify_only_accepted(void **state)
{
	struct pkt	p = from("192.0.2.1");
	struct prefix	e = P("10.3.0.0/16");
	int		n;

	(void)state;
	mkreg("ka", 9, LISP_MREG_M, "10.1.0.0/16", "192.0.2.1");
	/* A second record outside site a. */
	mr_.nrec = 2;
	mr_.rec[1] = mr_.rec[0];
	mr_.rec[1].mlen = e.plen;
	prefix_to_lisp(&e, &mr_.rec[1].eid);
	n = lisp_mapreg_encode(rbuf, sizeof(rbuf), &mr_);
	assert_true(n > 0);
	assert_int_equal(lisp_auth_sign(rbuf, (size_t)n, "ka", 2), 0);
	ms_handle_register(&p, rbuf, (size_t)n, 1000);
	assert_string_equal(registered("10.1.0.1/32"), "192.0.2.1");
	assert_int_equal(stats[ST_MREG_REJECT], 1);
	expect_notify(0, "192.0.2.1", "ka");
	assert_int_equal(notify.nrec, 1);
	assert_int_equal(notify.rec[0].mlen, 16);
	/* Its retransmission gets the same answer. */
	ms_handle_register(&p, rbuf, (size_t)n, 1001);
	expect_notify(1, "192.0.2.1", "ka");
	assert_int_equal(notify.nrec, 1);
	/* Nothing acceptable: no Map-Notify at all. */
	nsent = 0;
	reg("192.0.2.2", "kb", 10, LISP_MREG_M, "10.2.5.0/24", "192.0.2.2",
	    1002);
	assert_int_equal(nsent, 0);
}

static void
t_register_outside(void **state)
{
	(void)state;
	reg("192.0.2.1", "ka", 42, LISP_MREG_M, "10.3.0.0/16", "192.0.2.1",
	    1000);
	assert_null(registered("10.3.0.1/32"));
	assert_int_equal(nsent, 0);
	assert_int_equal(stats[ST_MREG_REJECT], 1);
	/* Less specific than the site's prefix is not the site's. */
	reg("192.0.2.1", "ka", 43, 0, "10.0.0.0/8", "192.0.2.1", 1000);
	assert_null(registered("10.1.0.1/32"));
}

static void
t_more_specifics(void **state)
{
	(void)state;
	/* Site a accepts more specifics. */
	reg("192.0.2.1", "ka", 1, 0, "10.1.5.0/24", "192.0.2.1", 1000);
	assert_string_equal(registered("10.1.5.9/32"), "192.0.2.1");
	assert_null(registered("10.1.6.9/32"));
	/* Site b does not: only 10.2.0.0/16 itself. */
	reg("192.0.2.2", "kb", 2, 0, "10.2.5.0/24", "192.0.2.2", 1000);
	assert_null(registered("10.2.5.9/32"));
	assert_int_equal(stats[ST_MREG_REJECT], 1);
	reg("192.0.2.2", "kb", 3, 0, "10.2.0.0/16", "192.0.2.2", 1000);
	assert_string_equal(registered("10.2.5.9/32"), "192.0.2.2");
}

static void
t_expiry(void **state)
{
	(void)state;
	reg("192.0.2.1", "ka", 1, 0, "10.1.0.0/16", "192.0.2.1", 1000);
	ms_expire(1000 + REGISTER_TIMEOUT - 1);
	assert_non_null(registered("10.1.0.1/32"));
	/* A refresh at +60 s moves the deadline. */
	reg("192.0.2.1", "ka", 2, 0, "10.1.0.0/16", "192.0.2.1", 1060);
	ms_expire(1000 + REGISTER_TIMEOUT);
	assert_non_null(registered("10.1.0.1/32"));
	ms_expire(1060 + REGISTER_TIMEOUT);
	assert_null(registered("10.1.0.1/32"));
}

static void
t_replay(void **state)
{
	(void)state;
	reg("192.0.2.1", "ka", 77, LISP_MREG_M, "10.1.0.0/16", "192.0.2.1",
	    1000);
	reg("192.0.2.1", "ka", 78, LISP_MREG_M, "10.1.0.0/16", "192.0.2.9",
	    1010);
	assert_string_equal(registered("10.1.0.1/32"), "192.0.2.9");
	/* The first message again: not applied, still answered. */
	nsent = 0;
	reg("192.0.2.1", "ka", 77, LISP_MREG_M, "10.1.0.0/16", "192.0.2.1",
	    1020);
	assert_string_equal(registered("10.1.0.1/32"), "192.0.2.9");
	assert_int_equal(stats[ST_MREG_REPLAY], 1);
	assert_int_equal(nsent, 1);
	expect_notify(0, "192.0.2.1", "ka");
	/* Nor does it keep the registration alive. */
	ms_expire(1010 + REGISTER_TIMEOUT);
	assert_null(registered("10.1.0.1/32"));
}

/* Record TTL 0 withdraws a registration, only the registrant's own. */
static void
t_withdraw(void **state)
{
	(void)state;
	reg("192.0.2.1", "ka", 1, 0, "10.1.5.9/32", "192.0.2.1", 1000);
	reg("192.0.2.2", "ka", 2, 0, "10.1.5.10/32", "192.0.2.2", 1000);
	reg_ttl = 0;
	/* Another ETR's withdrawal changes nothing. */
	reg("192.0.2.2", "ka", 3, LISP_MREG_M, "10.1.5.9/32", "192.0.2.2",
	    1001);
	assert_string_equal(registered("10.1.5.9/32"), "192.0.2.1");
	/* The registrant's, signed: gone, counted, acknowledged. */
	nsent = 0;
	reg("192.0.2.1", "ka", 4, LISP_MREG_M, "10.1.5.9/32", "192.0.2.1",
	    1002);
	reg_ttl = 1440;
	assert_null(registered("10.1.5.9/32"));
	assert_string_equal(registered("10.1.5.10/32"), "192.0.2.2");
	assert_int_equal(stats[ST_MREG_WITHDRAWN], 1);
	assert_int_equal(nsent, 1);
	expect_notify(0, "192.0.2.1", "ka");
	/* Nothing left to expire. */
	ms_expire(1000 + REGISTER_TIMEOUT);
	assert_null(registered("10.1.5.10/32"));
}

static void
t_notify_previous(void **state)
{
	(void)state;
	reg("192.0.2.1", "ka", 1, LISP_MREG_M, "10.1.0.0/16", "192.0.2.1",
	    1000);
	nsent = 0;
	/* Another ETR, same RLOC set: nobody else is told. */
	reg("192.0.2.2", "ka", 2, 0, "10.1.0.0/16", "192.0.2.1", 1001);
	assert_int_equal(nsent, 0);
	/* A third, new RLOC set: the previous registrant hears of it. */
	reg("192.0.2.3", "ka", 3, LISP_MREG_M, "10.1.0.0/16", "192.0.2.3",
	    1002);
	assert_int_equal(nsent, 2);
	expect_notify(0, "192.0.2.2", "ka");
	assert_true(notify.nonce != 3);
	assert_int_equal(notify.nrec, 1);
	{
		struct laddr l, want = A("192.0.2.3");

		assert_int_equal(laddr_from_lisp(&notify.rec[0].loc[0].addr,
		    &l), 0);
		assert_true(addr_eq(&l, &want));
	}
	expect_notify(1, "192.0.2.3", "ka");
	assert_true(notify.nonce == 3);
}

static void
t_malformed(void **state)
{
	struct pkt	p = from("192.0.2.1");
	size_t		n = mkreg("ka", 1, 0, "10.1.0.0/16", "192.0.2.1"), i;

	(void)state;
	/* Every truncation is rejected and counted, none registers. */
	for (i = 0; i < n; i++)
		ms_handle_register(&p, rbuf, i, 1000);
	assert_int_equal(stats[ST_RX_BAD], n);
	assert_null(registered("10.1.0.1/32"));
}

static void
t_reload(void **state)
{
	struct lispd_conf	*old = conf;
	int			 fd;
	static const char	 text[] =
		"roles = { map-server }\n"
		"site a { key = ka eid-prefix 10.1.0.0/16 {} }\n"
		"site c { key = kb eid-prefix 10.2.0.0/16 {} }\n";

	(void)state;
	reg("192.0.2.1", "ka", 1, 0, "10.1.0.0/16", "192.0.2.1", 1000);
	reg("192.0.2.1", "ka", 2, 0, "10.1.7.0/24", "192.0.2.7", 1000);
	reg("192.0.2.2", "kb", 3, 0, "10.2.0.0/16", "192.0.2.2", 1000);
	assert_string_equal(registered("10.1.7.1/32"), "192.0.2.7");
	/* Site a no longer takes more specifics; site b became c. */
	snprintf(path, sizeof(path), "/tmp/lispd-ms-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_true(write(fd, text, strlen(text)) > 0);
	close(fd);
	pub_shutdown(true);
	ms_shutdown(true);
	conf = conf_load(path);
	unlink(path);
	assert_non_null(conf);
	ms_init();
	pub_init();
	conf_free(old);
	assert_string_equal(registered("10.1.0.0/16"), "192.0.2.1");
	/* The /24 is gone: the /16 answers for it. */
	assert_string_equal(registered("10.1.7.1/32"), "192.0.2.1");
	assert_null(registered("10.2.0.1/32"));
	/* The kept one points at the new site: its key still works. */
	reg("192.0.2.1", "ka", 4, 0, "10.1.0.0/16", "192.0.2.9", 1010);
	assert_string_equal(registered("10.1.0.0/16"), "192.0.2.9");
}

/* ---- Map-Resolver ---- */

static struct lisp_mapreq	mq;
static struct lisp_mapreply	rp;
static uint8_t			sub_xtr;	/* request(): subscribe as it */
static uint32_t			sub_flags;	/* and with these flags */

/* An ECM'd Map-Request for eid from ITR-RLOC 192.0.2.50. */
static void
request(const char *eid)
{
	struct prefix	e = P(eid);
	struct laddr	itr = A("192.0.2.50");
	struct pkt	p = from("192.0.2.50");
	uint8_t		b[512];
	int		n;

	memset(&mq, 0, sizeof(mq));
	mq.nonce = 0x1122334455667788ull;
	mq.nitr = 1;
	laddr_to_lisp(&itr, &mq.itr[0]);
	mq.nrec = 1;
	mq.rec[0].mlen = e.plen;
	prefix_to_lisp(&e, &mq.rec[0].eid);
	if (sub_xtr) {
		mq.flags |= LISP_MREQ_I | sub_flags;
		mq.rec[0].notify = true;
		memset(mq.xtr_id, sub_xtr, sizeof(mq.xtr_id));
	}
	n = lisp_mapreq_encode(b, sizeof(b), &mq);
	assert_true(n > 0);
	p.ecm = true;
	p.isrc = itr;
	p.idst = A(eid[0] == '1' ? "10.0.0.1" : "::1");
	p.isport = 61000;
	nsent = 0;
	mr_handle_request(&p, b, (size_t)n, &mq);
}

/* The one reply sent: to the ITR-RLOC, the request's inner port. */
static const struct lisp_rec *
reply(void)
{
	struct laddr	itr = A("192.0.2.50");

	assert_int_equal(nsent, 1);
	assert_false(sent[0].ecm);
	assert_true(addr_eq(&sent[0].to, &itr));
	assert_int_equal(sent[0].port, 61000);
	assert_int_equal(lisp_mapreply_decode(sent[0].buf, sent[0].len, &rp),
	    0);
	assert_true(rp.nonce == 0x1122334455667788ull);
	assert_int_equal(rp.nrec, 1);
	return &rp.rec[0];
}

/*
 * lispers.net's signed Map-Request with lisp-crypto: a JSON LCAF as the
 * source EID, a Security Key LCAF around its ITR-RLOC.  Answered, to the
 * address inside the key (the reply carries no key: no encryption).
 */
static void
t_mr_lispers_signed(void **state)
{
	struct pkt	p = from("192.0.2.50");
	uint8_t		b[512];
	size_t		n;

	(void)state;
	n = hex(b, sizeof(b), "10000001 1122334455667788"
	    "4003 0000 0e00 0013 000f"		/* JSON source EID, 15 bytes */
	    "7b227369676e6174757265223a307d 0000"
	    "4003 0000 0b00 0014 01 00 02 00"	/* Security Key, 1 key */
	    "0008 0011223344556677"		/* 8 bytes of key */
	    "0001 c0000232"			/* ITR-RLOC 192.0.2.50 */
	    "00 20 0001 0a090909");		/* 10.9.9.9/32 */
	assert_int_equal(lisp_mapreq_decode(b, n, &mq), 0);
	p.ecm = true;
	p.isrc = A("192.0.2.50");
	p.idst = A("10.9.9.9");
	p.isport = 61000;
	nsent = 0;
	mr_handle_request(&p, b, n, &mq);
	assert_string_equal(rec_prefix(reply()), "10.8.0.0/13");
}

static void
t_mr_negative(void **state)
{
	const struct lisp_rec	*r;

	(void)state;
	/*
	 * Started less than a registration timeout ago: a site's space may
	 * just not be registered again yet, TTL 0; nobody's is nobody's.
	 */
	request("10.1.2.3/32");
	r = reply();
	assert_int_equal(r->nloc, 0);
	assert_int_equal(r->ttl, 0);
	assert_string_equal(rec_prefix(r), "10.1.0.0/16");
	request("10.9.9.9/32");
	assert_int_equal(reply()->ttl, TTL_NEG_HOLE);
	assert_int_equal(stats[ST_NEGATIVE_WARMUP], 1);
	assert_int_equal(stats[ST_NEGATIVE], 2);
	advance(REGISTER_TIMEOUT * 1000 - 1000);
	request("10.1.2.3/32");
	assert_int_equal(reply()->ttl, 0);
	advance(1000);
	assert_int_equal(stats[ST_NEGATIVE_WARMUP], 2);

	/* Nobody's space: 15 minutes, as wide as misses every site. */
	request("10.9.9.9/32");
	r = reply();
	assert_int_equal(r->nloc, 0);
	assert_int_equal(r->act, LISP_ACT_NATIVE_FWD);
	assert_int_equal(r->ttl, TTL_NEG_HOLE);
	assert_string_equal(rec_prefix(r), "10.8.0.0/13");
	request("192.168.1.1/32");
	assert_string_equal(rec_prefix(reply()), "128.0.0.0/1");

	/* A site's space, unregistered: 1 minute, the site's prefix. */
	request("10.1.2.3/32");
	r = reply();
	assert_int_equal(r->ttl, TTL_NEG_UNREG);
	assert_string_equal(rec_prefix(r), "10.1.0.0/16");

	/* Around what is registered inside the site. */
	reg("192.0.2.1", "ka", 1, 0, "10.1.5.0/24", "192.0.2.1", 1000);
	request("10.1.200.1/32");
	r = reply();
	assert_int_equal(r->ttl, TTL_NEG_UNREG);
	assert_string_equal(rec_prefix(r), "10.1.128.0/17");
	request("10.1.4.1/32");
	assert_string_equal(rec_prefix(reply()), "10.1.4.0/24");
}

static void
t_mr_forward_and_proxy(void **state)
{
	const struct lisp_rec	*r;
	struct laddr		 etr = A("192.0.2.1");

	(void)state;
	reg("192.0.2.1", "ka", 1, 0, "10.1.0.0/16", "192.0.2.1", 1000);
	request("10.1.2.3/32");
	assert_int_equal(nsent, 1);
	assert_true(sent[0].ecm);
	assert_true(addr_eq(&sent[0].to, &etr));
	assert_int_equal(stats[ST_FORWARD], 1);

	/* Proxy-reply asked: the Map-Server answers, A bit clear. */
	reg("192.0.2.2", "kb", 2, LISP_MREG_P, "10.2.0.0/16", "192.0.2.2",
	    1000);
	request("10.2.2.3/32");
	r = reply();
	assert_int_equal(r->nloc, 1);
	assert_false(r->auth);
	assert_string_equal(rec_prefix(r), "10.2.0.0/16");
}

/* Several records in one Map-Request: each gets its answer. */
static void
t_mr_several_records(void **state)
{
	struct laddr	itr = A("192.0.2.50"), etr1 = A("192.0.2.1");
	struct laddr	etr3 = A("192.0.2.3");
	struct pkt	p = from("192.0.2.50");
	static const char *eids[] = {
		"10.2.0.9/32", "10.9.9.9/32", "10.1.0.9/32", "10.1.200.1/32",
		"10.1.1.1/32",
	};
	uint8_t		b[1024];
	int		n, i;

	(void)state;
	advance(REGISTER_TIMEOUT * 1000);	/* past the warm-up */
	/* 10.2/16 proxy; 10.1.0/24 forwarded to .1, 10.1.1/24 to .3. */
	reg("192.0.2.2", "kb", 1, LISP_MREG_P, "10.2.0.0/16", "192.0.2.2",
	    1000);
	reg("192.0.2.1", "ka", 2, 0, "10.1.0.0/24", "192.0.2.1", 1000);
	reg("192.0.2.3", "ka", 3, 0, "10.1.1.0/24", "192.0.2.3", 1000);
	memset(&mq, 0, sizeof(mq));
	mq.nonce = 0x1122334455667788ull;
	mq.nitr = 1;
	laddr_to_lisp(&itr, &mq.itr[0]);
	mq.nrec = 5;
	for (i = 0; i < 5; i++) {
		struct prefix e = P(eids[i]);

		mq.rec[i].mlen = e.plen;
		prefix_to_lisp(&e, &mq.rec[i].eid);
	}
	n = lisp_mapreq_encode(b, sizeof(b), &mq);
	assert_true(n > 0);
	p.ecm = true;
	p.isrc = itr;
	p.idst = A("10.2.0.9");
	p.isport = 61000;
	nsent = 0;
	mr_handle_request(&p, b, (size_t)n, &mq);
	/* One Map-Reply (proxy + two negatives), two forwards. */
	assert_int_equal(nsent, 3);
	assert_false(sent[0].ecm);
	assert_int_equal(sent[0].port, 61000);
	assert_int_equal(lisp_mapreply_decode(sent[0].buf, sent[0].len, &rp),
	    0);
	assert_int_equal(rp.nrec, 3);
	assert_string_equal(rec_prefix(&rp.rec[0]), "10.2.0.0/16");
	assert_int_equal(rp.rec[0].nloc, 1);
	assert_string_equal(rec_prefix(&rp.rec[1]), "10.8.0.0/13");
	assert_int_equal(rp.rec[1].ttl, TTL_NEG_HOLE);
	assert_string_equal(rec_prefix(&rp.rec[2]), "10.1.128.0/17");
	assert_int_equal(rp.rec[2].ttl, TTL_NEG_UNREG);
	/* Each ETR gets a Map-Request with only its own record. */
	assert_true(sent[1].ecm && addr_eq(&sent[1].to, &etr1));
	assert_int_equal(lisp_mapreq_decode(sent[1].buf, sent[1].len, &mq), 0);
	assert_int_equal(mq.nrec, 1);
	assert_true(mq.nonce == 0x1122334455667788ull);
	assert_true(sent[2].ecm && addr_eq(&sent[2].to, &etr3));
	assert_int_equal(lisp_mapreq_decode(sent[2].buf, sent[2].len, &mq), 0);
	assert_int_equal(mq.nrec, 1);
	{
		struct prefix	e;

		assert_int_equal(prefix_from_lisp(&mq.rec[0].eid,
		    mq.rec[0].mlen, &e), 0);
		assert_int_equal(e.a[2], 1);
	}
	assert_int_equal(stats[ST_FORWARD], 2);
}

/*
 * Thousands of host registrations: each found by its own lookup, the
 * negative answer between them exact, and expiry in refresh order.
 */
#define MANY	4000

/* A Map-Register of site a by the branch's xTR, xTR-ID all x bytes. */
static void
reg_xtr(const char *src, const char *key, uint64_t nonce, const char *eid,
    const char *rloc, uint8_t x)
{
	struct pkt	p = from(src);
	int		n;

	mkreg(key, nonce, LISP_MREG_P | LISP_MREG_I, eid, rloc);
	memset(mr_.xtr_id, x, sizeof(mr_.xtr_id));
	n = lisp_mapreg_encode(rbuf, sizeof(rbuf), &mr_);
	assert_true(n > 0);
	assert_int_equal(lisp_auth_sign(rbuf, (size_t)n, key, strlen(key)), 0);
	ms_handle_register(&p, rbuf, (size_t)n, 1000);
}

/* The Map-Notify-Ack the subscriber sends for notify, signed with key. */
static void
ack(const char *from_, const char *key)
{
	struct pkt	p = from(from_);
	int		n;

	notify.type = LISP_MSG_NOTIFY_ACK;
	n = lisp_mapnotify_ack_encode(rbuf, sizeof(rbuf), &notify);
	assert_true(n > 0);
	assert_int_equal(lisp_auth_sign(rbuf, (size_t)n, key, strlen(key)), 0);
	/* As packet.c dispatches it. */
	if (!pub_handle_ack(&p, rbuf, (size_t)n))
		ms_handle_notify_ack(&p, rbuf, (size_t)n);
}

/* The Map-Notify among sent[] that goes to "to", decoded in notify. */
static int
notify_to(const char *to, const char *key)
{
	struct laddr	a = A(to);
	int		i;

	for (i = 0; i < nsent; i++)
		if (addr_eq(&sent[i].to, &a) && !sent[i].ecm &&
		    lisp_msg_type(sent[i].buf, sent[i].len) == LISP_MSG_NOTIFY) {
			expect_notify(i, to, key);
			return i;
		}
	return -1;
}

/*
 * RFC 9437: an ITR the Map-Server knows (its site registers with its
 * xTR-ID) subscribes with the N bit; the confirmation carries the
 * request's nonce, each publication the next one, all signed with the
 * subscriber's site key; a stranger's xTR-ID is refused; a subscriber
 * that stops acknowledging is dropped.
 */
static void
t_pubsub(void **state)
{
	struct laddr	rloc3 = A("192.0.2.3"), itr = A("192.0.2.50"), l;
	int		i, n;

	(void)state;
	reg_xtr("192.0.2.50", "ka", 1, "10.1.0.0/16", "192.0.2.50", 0xaa);
	reg_xtr("192.0.2.2", "kb", 2, "10.2.0.0/16", "192.0.2.2", 0xbb);

	/* A stranger's xTR-ID: answered, not subscribed. */
	sub_xtr = 0xcc;
	request("10.2.2.3/32");
	assert_int_equal(nsent, 1);
	assert_int_equal(stats[ST_SUB_REFUSED], 1);

	sub_xtr = 0xaa;
	request("10.2.2.3/32");
	sub_xtr = 0;
	assert_int_equal(nsent, 2);
	assert_int_equal(stats[ST_SUB_RX], 2);
	assert_true(notify_to("192.0.2.50", "ka") >= 0);
	assert_true(notify.nonce == 0x1122334455667788ull);
	assert_int_equal(sent[1].port, 61000);
	assert_int_equal(notify.nrec, 1);
	assert_int_equal(notify.rec[0].mlen, 16);

	/* A forged acknowledgement (wrong key) confirms nothing. */
	ack("192.0.2.50", "kb");
	assert_int_equal(stats[ST_PUB_ACKED], 0);
	ack("192.0.2.50", "ka");
	assert_int_equal(stats[ST_PUB_ACKED], 1);

	/* The move: site b's prefix now at 192.0.2.3, published at once. */
	nsent = 0;
	reg_xtr("192.0.2.3", "kb", 3, "10.2.0.0/16", "192.0.2.3", 0xbb);
	assert_true(notify_to("192.0.2.50", "ka") >= 0);
	assert_true(notify.nonce == 0x1122334455667789ull);
	assert_int_equal(notify.rec[0].nloc, 1);
	assert_int_equal(laddr_from_lisp(&notify.rec[0].loc[0].addr, &l), 0);
	assert_true(addr_eq(&l, &rloc3));
	assert_int_equal(stats[ST_PUB_TX], 2);

	/* Not acknowledged: sent again, then the subscriber is dropped. */
	nsent = 0;
	advance(1000);
	advance(2000);
	advance(4000);
	for (n = i = 0; i < nsent; i++)
		n += addr_eq(&sent[i].to, &itr);
	assert_int_equal(n, 3);
	advance(8000);
	assert_int_equal(stats[ST_SUB_DROPPED], 1);
	nsent = 0;
	reg_xtr("192.0.2.2", "kb", 4, "10.2.0.0/16", "192.0.2.2", 0xbb);
	assert_int_equal(notify_to("192.0.2.50", "ka"), -1);
}

/* D bit and I bit: a subscription through a second Map-Server, no reply. */
static void
t_pubsub_dont_reply(void **state)
{
	(void)state;
	reg_xtr("192.0.2.50", "ka", 1, "10.1.0.0/16", "192.0.2.50", 0xaa);
	reg_xtr("192.0.2.2", "kb", 2, "10.2.0.0/16", "192.0.2.2", 0xbb);
	sub_xtr = 0xaa;
	sub_flags = LISP_MREQ_D;
	request("10.2.2.3/32");
	sub_xtr = 0;
	sub_flags = 0;
	assert_int_equal(nsent, 1);
	assert_int_equal(notify_to("192.0.2.50", "ka"), 0);
	assert_int_equal(notify.rec[0].nloc, 1);
	assert_int_equal(stats[ST_MREP_TX], 0);
	assert_int_equal(stats[ST_FORWARD], 0);
	/* No site there: still no Map-Reply, and none counted. */
	sub_xtr = 0xaa;
	sub_flags = LISP_MREQ_D;
	request("10.9.9.9/32");
	sub_xtr = 0;
	sub_flags = 0;
	assert_int_equal(stats[ST_MREP_TX], 0);
	assert_int_equal(stats[ST_NEGATIVE], 0);
}

/* Withdrawn or expired: published with no locators. */
static void
t_pubsub_withdraw(void **state)
{
	(void)state;
	reg_xtr("192.0.2.50", "ka", 1, "10.1.0.0/16", "192.0.2.50", 0xaa);
	reg_xtr("192.0.2.2", "kb", 2, "10.2.0.0/16", "192.0.2.2", 0xbb);
	sub_xtr = 0xaa;
	request("10.2.2.3/32");
	sub_xtr = 0;
	assert_true(notify_to("192.0.2.50", "ka") >= 0);
	ack("192.0.2.50", "ka");
	nsent = 0;
	advance(REGISTER_TIMEOUT * 1000);
	assert_true(notify_to("192.0.2.50", "ka") >= 0);
	assert_int_equal(notify.nrec, 1);
	assert_int_equal(notify.rec[0].nloc, 0);
	assert_int_equal(notify.rec[0].mlen, 16);
}

static void
t_many(void **state)
{
	char	eid[32], q[32];
	int	i;

	(void)state;
	for (i = 0; i < MANY; i++) {
		snprintf(eid, sizeof(eid), "10.1.%d.%d/32", i / 250,
		    i % 250 + 1);
		reg("192.0.2.1", "ka", (uint64_t)i + 1, 0, eid,
		    i % 2 ? "192.0.2.1" : "192.0.2.2", 1000 + i / 1000);
	}
	for (i = 0; i < MANY; i += 7) {
		snprintf(q, sizeof(q), "10.1.%d.%d/32", i / 250, i % 250 + 1);
		assert_string_equal(registered(q),
		    i % 2 ? "192.0.2.1" : "192.0.2.2");
	}
	/* .251 to .255 of each /24 are holes: a /30 or /31 each. */
	request("10.1.3.252/32");
	assert_string_equal(rec_prefix(reply()), "10.1.3.252/30");
	request("10.1.3.251/32");
	assert_string_equal(rec_prefix(reply()), "10.1.3.251/32");
	/* Refresh the first thousand later than the rest. */
	for (i = 0; i < 1000; i++) {
		snprintf(eid, sizeof(eid), "10.1.%d.%d/32", i / 250,
		    i % 250 + 1);
		reg("192.0.2.1", "ka", (uint64_t)MANY + i + 1, 0, eid,
		    "192.0.2.9", 1100);
	}
	ms_expire(1003 + REGISTER_TIMEOUT);
	assert_string_equal(registered("10.1.0.1/32"), "192.0.2.9");
	assert_null(registered("10.1.4.1/32"));
	assert_null(registered("10.1.15.250/32"));
	ms_expire(1100 + REGISTER_TIMEOUT);
	assert_null(registered("10.1.0.1/32"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_register_notify, setup, teardown),
		cmocka_unit_test_setup_teardown(t_register_notify_xtr_id, setup, teardown),
		cmocka_unit_test_setup_teardown(t_register_bad_key, setup, teardown),
		cmocka_unit_test_setup_teardown(t_register_outside, setup, teardown),
		cmocka_unit_test_setup_teardown(t_notify_only_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(t_more_specifics, setup, teardown),
		cmocka_unit_test_setup_teardown(t_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(t_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(t_withdraw, setup, teardown),
		cmocka_unit_test_setup_teardown(t_notify_previous, setup, teardown),
		cmocka_unit_test_setup_teardown(t_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(t_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(t_mr_negative, setup, teardown),
		cmocka_unit_test_setup_teardown(t_mr_lispers_signed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_mr_forward_and_proxy, setup, teardown),
		cmocka_unit_test_setup_teardown(t_mr_several_records, setup, teardown),
		cmocka_unit_test_setup_teardown(t_many, setup, teardown),
		cmocka_unit_test_setup_teardown(t_pubsub, setup, teardown),
		cmocka_unit_test_setup_teardown(t_pubsub_withdraw, setup, teardown),
		cmocka_unit_test_setup_teardown(t_pubsub_dont_reply, setup,
		    teardown),
	};

	log_init(true, 0);
	return TAP_RUN("map-server", tests);
}
