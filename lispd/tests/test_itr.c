/* SPDX-License-Identifier: MIT */
/*
 * ITR logic with the kernel and the network replaced by recorders:
 * one Map-Request per missing EID, retransmissions after 1, 2 and 4 s,
 * hold-down, the rate limit, installing only what the nonce and the
 * requested EID allow, proxy-ETR for native-forward, expiry by TTL and
 * adopting the kernel's entries, refreshing the entries in use before
 * they expire, failing over between map-resolvers, asking again when no
 * locator of an answer is usable.  Timers are run by hand with a clock
 * pushed ahead of the real one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "tap.h"
#include "util.h"
#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "kernel.h"
#include "net.h"
#include "packet.h"
#include "stats.h"
#include "itr.h"
#include "register.h"
#include "resolvers.h"
#include "tenant.h"
#include "daemon.h"

struct lispd_conf *conf;

/* ---- recorders ---- */

static int		nreq;		/* Map-Requests sent */
static struct lisp_mapreq last_req;
static struct laddr	last_to;	/* the map-resolver asked */
static int		ninstall, ndel;
static struct kmap	last_install;
static struct prefix	last_del;
static struct kmap	dump[4];
static int		ndump;

int kernel_map_replace(const struct kmap *m)
{ last_install = *m; ninstall++; return 0; }
int kernel_map_del(const struct prefix *p) { last_del = *p; ndel++; return 0; }
/* Every entry has been idle kidle_ms: by default long unused. */
static uint64_t		kidle_ms;
int kernel_map_get(const struct prefix *p, struct kmap *m)
{
	memset(m, 0, sizeof(*m));
	m->eid = *p;
	m->idle_ms = kidle_ms;
	return 0;
}
int kernel_map_dump(uint32_t iid, void (*cb)(const struct kmap *, void *),
    void *arg)
{
	int	i;

	for (i = 0; i < ndump; i++)
		if (dump[i].eid.iid == iid)
			cb(&dump[i], arg);
	return 0;
}

/* A map-resolver with no route to it; family 0: none. */
static struct laddr	unroutable;
int net_local_addr(const struct laddr *dst, struct laddr *src)
{
	if (unroutable.family && addr_eq(dst, &unroutable))
		return -1;
	return addr_parse("192.0.2.1", src);
}
/* Straight sends: Map-Notify-Acks; the last one kept. */
static int		nsent;
static uint8_t		last_sent[2048];
static size_t		last_sent_len;
int net_send(const struct laddr *to, uint16_t port, const void *buf,
    size_t len)
{
	(void)to; (void)port;
	last_sent_len = len < sizeof(last_sent) ? len : sizeof(last_sent);
	memcpy(last_sent, buf, last_sent_len);
	nsent++;
	return 0;
}
int net_send_ecm(const struct laddr *to, const struct laddr *isrc,
    const struct laddr *idst, uint16_t isport, const void *msg, size_t len)
{
	(void)isrc; (void)idst; (void)isport;
	assert_int_equal(lisp_mapreq_decode(msg, len, &last_req), 0);
	last_to = *to;
	nreq++;
	return 0;
}

/* The answers to itr_locate(), as its caller (gateway.c) gets them. */
static int		nlocated;
static struct lisp_rec	last_located;
static struct prefix	located_eid;
static struct laddr	located_from;
static void		*located_arg;

static void
located(const struct prefix *eid, const struct lisp_rec *rec,
    const struct laddr *from, void *arg)
{
	located_eid = *eid;
	located_from = *from;
	located_arg = arg;
	last_located = *rec;
	nlocated++;
}

/* ---- helpers ---- */

/* The daemon's clock is ours: every deadline is checked at -M and +M. */
#define M	1
static void
miss(const char *dst)
{
	struct laddr	s = A("10.1.0.1"), d = A(dst);

	itr_handle_miss(0, &s, &d);
}

static struct lisp_mapreply	rep;

/*
 * A reply to request nonce: eid/mlen of instance-id iid with rloc, or
 * negative act.
 */
static void
answer_in(uint64_t nonce, uint32_t iid, const char *eid, int mlen,
    const char *rloc, uint8_t act, uint32_t ttl)
{
	struct pkt	pkt;
	struct laddr	e = A(eid), r;
	struct prefix	p;

	prefix_host(&p, iid, &e);
	memset(&pkt, 0, sizeof(pkt));
	pkt.src = A("192.0.2.2");
	memset(&rep, 0, sizeof(rep));
	rep.nonce = nonce;
	rep.nrec = 1;
	rep.rec[0].ttl = ttl;
	rep.rec[0].mlen = (uint8_t)mlen;
	rep.rec[0].act = act;
	prefix_to_lisp(&p, &rep.rec[0].eid);
	if (rloc) {
		r = A(rloc);
		rep.rec[0].nloc = 1;
		rep.rec[0].loc[0].priority = 1;
		rep.rec[0].loc[0].weight = 100;
		laddr_to_lisp(&r, &rep.rec[0].loc[0].addr);
	}
	itr_handle_reply(&pkt, &rep);
}

/* The same in instance-id 0. */
static void
answer(uint64_t nonce, const char *eid, int mlen, const char *rloc,
    uint8_t act, uint32_t ttl)
{
	answer_in(nonce, 0, eid, mlen, rloc, act, ttl);
}

/* The tenants' devices: instance-id 0 on ifindex 4, N on 100 + N. */
static int
attach(const struct tenant_conf *tc, uint32_t *iid, int *ifindex)
{
	*iid = tc->iid;
	*ifindex = tc->iid ? 100 + (int)tc->iid : 4;
	return 0;
}

#define TC	(&conf->tenant[0])

/* ntenant tenants, instance-ids 0, 7, 8, ..., each with one resolver. */
static void
tenants_make(int ntenant)
{
	int	i;

	conf->ntenant = ntenant;
	conf->tenant = calloc((size_t)ntenant, sizeof(*conf->tenant));
	for (i = 0; i < ntenant; i++) {
		conf->tenant[i].iid = i ? 6 + (uint32_t)i : 0;
		conf->tenant[i].iid_given = true;
		conf->tenant[i].nmr = 1;
		conf->tenant[i].mr = calloc(1, sizeof(*conf->tenant[i].mr));
		conf->tenant[i].mr[0] = A("198.51.100.1");
	}
	assert_int_equal(tenants_sync(conf, attach, NULL), 0);
}

static void
tenants_drop(void)
{
	int	i;

	tenants_free(NULL);
	for (i = 0; i < conf->ntenant; i++) {
		free(conf->tenant[i].mr);
		free(conf->tenant[i].petr);
	}
	free(conf->tenant);
}

static int
setup(void **state)
{
	(void)state;
	conf = calloc(1, sizeof(*conf));
	conf->roles = ROLE_ITR;
	tenants_make(1);
	nreq = ninstall = ndel = ndump = nlocated = nsent = 0;
	kidle_ms = 24 * 3600 * 1000;
	memset(stats, 0, sizeof(stats));
	memset(&unroutable, 0, sizeof(unroutable));
	resolvers_reset();
	clock_ms += 3600 * 1000;	/* far from the last test's timers */
	ev_set_clock(clock_ms);
	itr_init();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	itr_shutdown();
	tenants_drop();
	free(conf);
	conf = NULL;
	return 0;
}

/* ---- tests ---- */

static void
t_request(void **state)
{
	char	s[PREFIXSTRLEN];
	struct prefix p;

	(void)state;
	miss("10.2.0.1");
	assert_int_equal(nreq, 1);
	assert_int_equal(last_req.nrec, 1);
	assert_int_equal(last_req.rec[0].mlen, 32);
	assert_int_equal(prefix_from_lisp(&last_req.rec[0].eid, 32, &p), 0);
	assert_string_equal(prefix_fmt(&p, s, sizeof(s)), "10.2.0.1/32");
	assert_int_equal(last_req.nitr, 1);
	assert_int_equal(last_req.seid.afi, LISP_AFI_IPV4);
	assert_false(last_req.flags & LISP_MREQ_PITR);
	/* Each held packet raises a miss: still one request. */
	miss("10.2.0.1");
	miss("10.2.0.1");
	assert_int_equal(nreq, 1);
	/* A miss of an instance-id no tenant of ours serves. */
	{
		struct laddr	a = A("10.1.0.1"), b = A("10.2.0.9");

		itr_handle_miss(5, &a, &b);
		assert_int_equal(nreq, 1);
	}
}

static void
t_backoff(void **state)
{
	uint64_t	nonce;

	(void)state;
	miss("10.2.0.1");
	nonce = last_req.nonce;
	advance(1000 - M);
	assert_int_equal(nreq, 1);
	advance(2 * M);
	assert_int_equal(nreq, 2);		/* at 1 s */
	assert_true(last_req.nonce == nonce);
	advance(2000 - 2 * M);
	assert_int_equal(nreq, 2);
	advance(2 * M);
	assert_int_equal(nreq, 3);		/* 2 s later */
	advance(4000 - 2 * M);
	assert_int_equal(nreq, 3);
	advance(2 * M);
	assert_int_equal(nreq, 4);		/* 4 s later */
	/* The last one waits 8 s for its answer, then gives up. */
	advance(8000 - 2 * M);
	assert_int_equal(stats[ST_MREQ_GIVEUP], 0);
	advance(2 * M);
	assert_int_equal(nreq, 4);
	assert_int_equal(stats[ST_MREQ_GIVEUP], 1);
	assert_int_equal(stats[ST_MREQ_RETRY], 3);
	/* Held down: a miss now asks nothing; after it, asks again. */
	miss("10.2.0.1");
	assert_int_equal(nreq, 4);
	advance(MREQ_HOLDDOWN * 1000 + 2 * M);
	miss("10.2.0.1");
	assert_int_equal(nreq, 5);
	/* A late reply to the abandoned nonce installs nothing. */
	answer(nonce, "10.2.0.0", 24, "192.0.2.2", 0, 1);
	assert_int_equal(ninstall, 0);
}

static void
t_rate_limit(void **state)
{
	char	d[32];
	int	i;

	(void)state;
	for (i = 0; i < 3 * MREQ_RATE; i++) {
		snprintf(d, sizeof(d), "10.2.%d.%d", i / 250, i % 250 + 1);
		miss(d);
	}
	/* A second's worth at once, then one each 1000 / MREQ_RATE ms. */
	assert_int_equal(nreq, MREQ_RATE);
	assert_int_equal(stats[ST_MREQ_RATELIMIT], 2 * MREQ_RATE);
	advance(1000 / MREQ_RATE);
	miss("10.9.0.1");
	miss("10.9.0.2");
	assert_int_equal(nreq, MREQ_RATE + 1);
}

static void
t_install_and_expire(void **state)
{
	char	s[PREFIXSTRLEN];

	(void)state;
	miss("10.2.0.1");
	/* Wrong nonce: nothing. */
	answer(last_req.nonce + 1, "10.2.0.0", 24, "192.0.2.2", 0, 1);
	assert_int_equal(ninstall, 0);
	assert_int_equal(stats[ST_MREP_NONCE], 1);
	/* Right nonce, a record that does not cover 10.2.0.1: ignored. */
	answer(last_req.nonce, "10.3.0.0", 24, "192.0.2.2", 0, 1);
	assert_int_equal(ninstall, 0);
	miss("10.2.0.1");		/* the request was answered: ask again */
	answer(last_req.nonce, "10.2.0.0", 24, "192.0.2.2", 0, 1);
	assert_int_equal(ninstall, 1);
	assert_string_equal(prefix_fmt(&last_install.eid, s, sizeof(s)),
	    "10.2.0.0/24");
	assert_int_equal(last_install.nrloc, 1);
	assert_int_equal(last_install.ttl, 60);
	assert_int_equal(last_install.action, LISP_ACTION_NONE);
	/* The nonce is spent. */
	answer(last_req.nonce, "10.2.0.0", 24, "192.0.2.9", 0, 1);
	assert_int_equal(ninstall, 1);
	/* TTL 1 minute: removed from the kernel then. */
	advance(60 * 1000 - M);
	assert_int_equal(ndel, 0);
	advance(2 * M);
	assert_int_equal(ndel, 1);
	assert_true(prefix_eq(&last_del, &last_install.eid));
	assert_int_equal(stats[ST_EXPIRE], 1);
}

static void
t_negative(void **state)
{
	(void)state;
	miss("10.3.0.1");
	answer(last_req.nonce, "10.3.0.0", 16, NULL, LISP_ACT_NATIVE_FWD, 15);
	assert_int_equal(ninstall, 1);
	assert_int_equal(last_install.nrloc, 0);
	assert_int_equal(last_install.action, LISP_ACTION_NATIVE_FORWARD);
	assert_int_equal(last_install.ttl, 900);

	/* With a proxy-ETR: encapsulate to it instead. */
	TC->npetr = 1;
	TC->petr = calloc(1, sizeof(*TC->petr));
	TC->petr[0].addr = A("192.0.2.20");
	TC->petr[0].priority = 1;
	TC->petr[0].weight = 100;
	miss("10.4.0.1");
	answer(last_req.nonce, "10.4.0.0", 16, NULL, LISP_ACT_NATIVE_FWD, 15);
	assert_int_equal(ninstall, 2);
	assert_int_equal(last_install.action, LISP_ACTION_NONE);
	assert_int_equal(last_install.nrloc, 1);
	{
		struct laddr	p = A("192.0.2.20");

		assert_true(addr_eq(&last_install.rloc[0].addr, &p));
	}
	/* Drop stays drop. */
	miss("10.5.0.1");
	answer(last_req.nonce, "10.5.0.0", 16, NULL, LISP_ACT_DROP, 1);
	assert_int_equal(last_install.action, LISP_ACTION_DROP);
}

static void
t_adopt(void **state)
{
	const char	*why;

	(void)state;
	itr_shutdown();
	memset(dump, 0, sizeof(dump));
	/* Learned, 60 s left; learned, expired; static: left alone. */
	prefix_parse("10.2.0.0/24", &dump[0].eid, &why);
	dump[0].ttl = 100;
	dump[0].age = 40;
	prefix_parse("10.3.0.0/24", &dump[1].eid, &why);
	dump[1].ttl = 60;
	dump[1].age = 60;
	prefix_parse("10.4.0.0/24", &dump[2].eid, &why);
	dump[2].flags = LISP_MAP_F_STATIC;
	ndump = 3;
	itr_init();
	assert_int_equal(ndel, 1);
	assert_true(prefix_eq(&last_del, &dump[1].eid));
	advance(60 * 1000 - M);
	assert_int_equal(ndel, 1);
	advance(2 * M);
	assert_int_equal(ndel, 2);
	assert_true(prefix_eq(&last_del, &dump[0].eid));
	advance(3600 * 1000);
	assert_int_equal(ndel, 2);
}

/*
 * In use (idle less than half its TTL): asked again a tenth of its TTL
 * before it expires, and the answer replaces it with no gap; idle, or
 * unanswered: it expires.  Adopted entries alike.
 */
static void
t_refresh(void **state)
{
	const char	*why;

	(void)state;
	kidle_ms = 100;
	miss("10.2.0.1");
	answer(last_req.nonce, "10.2.0.0", 24, "192.0.2.2", 0, 1);
	assert_int_equal(ninstall, 1);
	advance(54 * 1000 - M);
	assert_int_equal(nreq, 1);
	advance(2 * M);
	assert_int_equal(nreq, 2);
	assert_int_equal(stats[ST_REFRESH], 1);
	assert_int_equal(last_req.rec[0].mlen, 24);
	answer(last_req.nonce, "10.2.0.0", 24, "192.0.2.3", 0, 1);
	assert_int_equal(ninstall, 2);
	assert_int_equal(last_install.rloc[0].addr.a[3], 3);
	advance(6 * 1000);		/* past the first TTL: replaced */
	assert_int_equal(ndel, 0);
	advance(48 * 1000 - 2 * M);	/* the next refresh, 54 s on */
	assert_int_equal(nreq, 2);
	advance(2 * M);
	assert_int_equal(nreq, 3);
	assert_int_equal(stats[ST_REFRESH], 2);
	/* Unanswered (retransmitted meanwhile): gone at its expiry. */
	advance(6 * 1000 - 2 * M);
	assert_int_equal(ndel, 0);
	advance(4 * M);
	assert_int_equal(ndel, 1);
	assert_int_equal(stats[ST_EXPIRE], 1);

	/* Idle: not asked for, it expires. */
	kidle_ms = 31 * 1000;
	miss("10.5.0.1");
	answer(last_req.nonce, "10.5.0.0", 24, "192.0.2.2", 0, 1);
	advance(60 * 1000 + M);
	assert_int_equal(stats[ST_REFRESH], 2);
	assert_int_equal(ndel, 2);

	/* Adopted, 60 s left of 100: asked for again 10 s before. */
	kidle_ms = 100;
	itr_shutdown();
	memset(dump, 0, sizeof(dump));
	prefix_parse("10.7.0.0/24", &dump[0].eid, &why);
	dump[0].ttl = 100;
	dump[0].age = 40;
	dump[0].nrloc = 1;
	dump[0].rloc[0].addr = A("192.0.2.2");
	ndump = 1;
	nreq = 0;
	itr_init();
	advance(50 * 1000 - M);
	assert_int_equal(nreq, 0);
	advance(2 * M);
	assert_int_equal(nreq, 1);
	assert_int_equal(last_req.rec[0].mlen, 24);
	answer(last_req.nonce, "10.7.0.0", 24, "192.0.2.2", 0, 1);
	advance(20 * 1000);
	assert_int_equal(ndel, 2);
}

/*
 * A negative answer to a refresh (a Map-Server that has just restarted
 * and has no registration yet) does not cut the entry short: it stays
 * until it expires, asked for again 5 s on; a positive answer then
 * replaces it, and one that never comes lets it expire, never negative.
 */
static void
t_refresh_negative(void **state)
{
	(void)state;
	kidle_ms = 100;
	miss("10.2.0.1");
	answer(last_req.nonce, "10.2.0.0", 24, "192.0.2.2", 0, 1);
	advance(54 * 1000 + M);
	assert_int_equal(nreq, 2);
	answer(last_req.nonce, "10.2.0.0", 16, NULL, LISP_ACT_NATIVE_FWD, 0);
	assert_int_equal(ninstall, 1);
	assert_int_equal(stats[ST_REFRESH_NEGATIVE], 1);
	advance(5 * 1000 - 2 * M);
	assert_int_equal(nreq, 2);
	advance(2 * M);
	assert_int_equal(nreq, 3);
	assert_int_equal(stats[ST_REFRESH], 2);
	answer(last_req.nonce, "10.2.0.0", 24, "192.0.2.3", 0, 1);
	assert_int_equal(ninstall, 2);
	assert_int_equal(last_install.nrloc, 1);
	advance(2 * 1000);		/* past the first TTL: replaced */
	assert_int_equal(ndel, 0);

	/* Negative to the end: it expires, and nothing negative is put in. */
	advance(52 * 1000);
	assert_int_equal(nreq, 4);
	answer(last_req.nonce, "10.2.0.0", 24, NULL, LISP_ACT_NATIVE_FWD, 1);
	advance(5 * 1000);
	assert_int_equal(nreq, 5);
	answer(last_req.nonce, "10.2.0.0", 24, NULL, LISP_ACT_NATIVE_FWD, 1);
	assert_int_equal(stats[ST_REFRESH_NEGATIVE], 3);
	advance(1000 + M);
	assert_int_equal(nreq, 5);
	assert_int_equal(ndel, 1);
	assert_int_equal(ninstall, 2);

	/* Not a refresh: a negative answer to a miss is put in at once. */
	miss("10.2.0.1");
	answer(last_req.nonce, "10.2.0.0", 24, NULL, LISP_ACT_NATIVE_FWD, 1);
	assert_int_equal(ninstall, 3);
	assert_int_equal(last_install.nrloc, 0);
}

/*
 * A Map-Reply whose record's locators are all of LCAF types we cannot
 * encapsulate to: a NAT-traversal LCAF (RFC 8060 4.5: ETR behind a NAT,
 * its RTR) and a Geo-Coordinates LCAF (4.3), ACT 0.  Not a forwarding
 * decision: nothing installed (it used to become natively-forward for
 * a day), counted, and the request still pending, retransmitted at
 * 1 s with its nonce; a usable answer to that one installs.
 */
#define NOLOC_REPLY \
	"000005a0 02 18 00 00 0000 0001 0a020000" /* 1440 min, 2 locs, /24 */ \
	"01 64 ff 00 0001"			/* prio 1 wt 100, R */ \
	"4003 00 00 07 00 001c"			/* NAT traversal, 28 bytes */ \
	"10f6 10f5"				/* MS port 4342, ETR 4341 */ \
	"0001 c0000201 0001 c6336401"		/* global ETR, MS */ \
	"0001 0a000001 0001 cb007101"		/* private ETR, RTR */ \
	"02 64 ff 00 0001" \
	"4003 00 00 05 00 0012"			/* Geo, 18 bytes */ \
	"0028 1e 0f 8049 0a 14"			/* 40 30' 15" S, 73 10' 20" E */ \
	"00000032 0001 c0000202"		/* 50 m, 192.0.2.2 */

static void
t_no_usable_locator(void **state)
{
	struct lisp_mapreply	*r = calloc(1, sizeof(*r));
	struct pkt		 pkt;
	uint8_t			 buf[256];
	size_t			 n;
	uint64_t		 nonce;
	int			 i;

	(void)state;
	miss("10.2.0.1");
	nonce = last_req.nonce;
	n = hex(buf, sizeof(buf), "20000001 0000000000000000" NOLOC_REPLY);
	for (i = 0; i < 8; i++)
		buf[4 + i] = (uint8_t)(nonce >> (56 - 8 * i));
	assert_int_equal(lisp_mapreply_decode(buf, n, r), 0);
	assert_int_equal(r->rec[0].nloc, 0);
	assert_int_equal(r->rec[0].nloc_skipped, 2);
	memset(&pkt, 0, sizeof(pkt));
	pkt.src = A("192.0.2.2");
	itr_handle_reply(&pkt, r);
	assert_int_equal(ninstall, 0);
	assert_int_equal(stats[ST_MREP_NO_LOCATOR], 1);
	assert_int_equal(stats[ST_RX_REFUSED], 1);
	assert_string_equal(stat_name(ST_MREP_NO_LOCATOR),
	    "map-reply-no-usable-locator");
	/* Still asking: the kernel's misses ask nothing new ... */
	miss("10.2.0.1");
	assert_int_equal(nreq, 1);
	/* ... the request is retransmitted, and a usable answer installs. */
	advance(1000 + M);
	assert_int_equal(nreq, 2);
	assert_true(last_req.nonce == nonce);
	itr_handle_reply(&pkt, r);
	assert_int_equal(stats[ST_MREP_NO_LOCATOR], 2);
	answer(nonce, "10.2.0.0", 24, "192.0.2.3", 0, 1);
	assert_int_equal(ninstall, 1);
	assert_int_equal(last_install.action, LISP_ACTION_NONE);
	assert_int_equal(last_install.nrloc, 1);
	/* Unusable to the end: given up and held down, never installed. */
	miss("10.2.0.9");
	for (i = 0; i < 8; i++)
		buf[4 + i] = (uint8_t)(last_req.nonce >> (56 - 8 * i));
	assert_int_equal(lisp_mapreply_decode(buf, n, r), 0);
	for (i = 0; i < 4; i++) {
		itr_handle_reply(&pkt, r);
		advance((1000ull << i) + M);
	}
	advance(8000);
	assert_int_equal(stats[ST_MREQ_GIVEUP], 1);
	assert_int_equal(ninstall, 1);
	free(r);
}

/* A site gateway's question: asked once, answered to it, not cached. */
static void
t_locate(void **state)
{
	struct prefix	eid;
	struct laddr	from = A("192.0.2.2");	/* answer()'s sender */
	const char	*why;

	(void)state;
	assert_int_equal(prefix_parse("10.13.0.14/32", &eid, &why), 0);
	assert_int_equal(itr_locate(&eid, located, &eid), 0);
	assert_int_equal(nreq, 1);
	assert_int_equal(last_req.nrec, 1);
	/* Already asking: not again. */
	assert_int_equal(itr_locate(&eid, located, &eid), -1);
	answer(last_req.nonce, "10.13.0.14", 32, "192.0.2.2", 0, 1440);
	/* The answer goes to the caller, with its argument, not the cache. */
	assert_int_equal(nlocated, 1);
	assert_true(prefix_eq(&located_eid, &eid));
	assert_true(addr_eq(&located_from, &from));
	assert_true(located_arg == &eid);
	assert_int_equal(last_located.nloc, 1);
	assert_int_equal(ninstall, 0);
	/* Unanswered: given up after 1 s, no retransmission. */
	assert_int_equal(itr_locate(&eid, located, NULL), 0);
	advance(1000 + M);
	assert_int_equal(nreq, 2);
	answer(last_req.nonce, "10.13.0.14", 32, "192.0.2.2", 0, 1440);
	assert_int_equal(nlocated, 1);
	assert_int_equal(ninstall, 0);
}

/* A record that does not cover the EID asked about is not passed on. */
static void
t_locate_other_prefix(void **state)
{
	struct prefix	eid;
	const char	*why;

	(void)state;
	assert_int_equal(prefix_parse("10.13.0.14/32", &eid, &why), 0);
	/* Without a callback there is no one to answer: not asked. */
	assert_int_equal(itr_locate(&eid, NULL, NULL), -1);
	assert_int_equal(nreq, 0);
	assert_int_equal(itr_locate(&eid, located, NULL), 0);
	answer(last_req.nonce, "10.14.0.0", 16, "192.0.2.2", 0, 1440);
	assert_int_equal(nlocated, 0);
	assert_int_equal(ninstall, 0);
	/* The request is over all the same: a new one may be made. */
	assert_int_equal(itr_locate(&eid, located, NULL), 0);
	assert_int_equal(nreq, 2);
}

/* An SMR from an ETR for host eid of instance-id iid. */
static void
smr_iid(const char *eid, uint32_t iid)
{
	struct pkt		pkt;
	struct lisp_mapreq	req;
	struct prefix		p;
	char			text[PREFIXSTRLEN];

	snprintf(text, sizeof(text), "[%u]%s", iid, eid);
	assert_int_equal(prefix_parse(text, &p, NULL), 0);
	memset(&pkt, 0, sizeof(pkt));
	pkt.src = A("192.0.2.2");
	memset(&req, 0, sizeof(req));
	req.flags = LISP_MREQ_S | LISP_MREQ_D;
	req.nonce = 77;
	prefix_to_lisp(&p, &req.seid);
	itr_handle_smr(&pkt, &req);
}

/*
 * Three tenants with the same addresses: each asks for itself, a reply
 * to one is never installed in another, an SMR re-resolves only in the
 * tenant it names.
 */
/* A publication of eid/mlen at rloc (NULL: withdrawn), signed with key. */
static bool
publish(uint64_t nonce, const char *eid, int mlen, const char *rloc,
    const char *key)
{
	static struct lisp_mapreg m;
	static uint8_t	buf[2048];
	struct pkt	pkt;
	struct laddr	e = A(eid), r;
	struct prefix	p;
	int		n;

	prefix_host(&p, 0, &e);
	memset(&pkt, 0, sizeof(pkt));
	pkt.src = A("198.51.100.1");
	pkt.sport = LISP_CONTROL_PORT;
	memset(&m, 0, sizeof(m));
	m.type = LISP_MSG_NOTIFY;
	m.nonce = nonce;
	m.alg_id = LISP_ALG_SHA256_128;
	m.auth_len = (uint16_t)lisp_auth_len(LISP_ALG_SHA256_128, false);
	m.nrec = 1;
	m.rec[0].ttl = 60;
	m.rec[0].mlen = (uint8_t)mlen;
	prefix_to_lisp(&p, &m.rec[0].eid);
	if (rloc) {
		r = A(rloc);
		m.rec[0].nloc = 1;
		m.rec[0].loc[0].priority = 1;
		m.rec[0].loc[0].weight = 100;
		laddr_to_lisp(&r, &m.rec[0].loc[0].addr);
	} else
		m.rec[0].act = LISP_ACT_SEND_MAPREQ;
	n = lisp_mapnotify_encode(buf, sizeof(buf), &m);
	assert_true(n > 0);
	assert_int_equal(lisp_auth_sign(buf, (size_t)n, key, strlen(key)), 0);
	assert_int_equal(lisp_mapnotify_decode(buf, (size_t)n, &m), 0);
	return itr_handle_publication(&pkt, buf, (size_t)n, &m);
}

/*
 * RFC 9437 at the ITR: the Map-Request subscribes; the confirmation and
 * each publication are taken only signed with a map-server's key and
 * with a sequence number above the last; each is acknowledged; a
 * withdrawal takes the entry out.
 */
static void
t_subscribe(void **state)
{
	struct mserver	ms = { .key = (char *)"kb", .alg = LISP_ALG_SHA256_128 };
	struct lisp_mapreg ackm;
	struct laddr	r3 = A("192.0.2.3");
	uint64_t	base;
	int		ins;

	(void)state;
	conf->subscribe = true;
	TC->subscribe = true;
	TC->nms = 1;
	TC->ms = &ms;
	miss("10.2.0.1");
	assert_int_equal(nreq, 1);
	assert_true(last_req.flags & LISP_MREQ_I);
	assert_true(last_req.rec[0].notify);
	assert_memory_equal(last_req.xtr_id, register_xtr_id(), 16);
	assert_int_equal(stats[ST_SUB_TX], 1);
	base = last_req.nonce;
	answer(base, "10.2.0.0", 16, "192.0.2.2", 0, 60);
	ins = ninstall;

	/* Not ours: another nonce is the ETR's business. */
	assert_false(publish(base + 99999999999ull, "10.2.0.0", 16, NULL, "kb"));
	/* The confirmation: acknowledged, signed with the same key. */
	assert_true(publish(base, "10.2.0.0", 16, "192.0.2.2", "kb"));
	assert_int_equal(nsent, 1);
	assert_int_equal(lisp_mapnotify_decode(last_sent, last_sent_len,
	    &ackm), 0);
	assert_int_equal(ackm.type, LISP_MSG_NOTIFY_ACK);
	assert_true(ackm.nonce == base);
	assert_int_equal(lisp_auth_verify(last_sent, last_sent_len, "kb", 2),
	    0);

	/* The move, published: installed at once. */
	assert_true(publish(base + 1, "10.2.0.0", 16, "192.0.2.3", "kb"));
	assert_int_equal(ninstall, ins + 1);
	assert_true(addr_eq(&last_install.rloc[0].addr, &r3));
	assert_int_equal(stats[ST_PUB_RX], 1);
	assert_int_equal(nsent, 2);

	/* Sent again (our ack lost): acknowledged again, not applied. */
	assert_true(publish(base + 1, "10.2.0.0", 16, "192.0.2.2", "kb"));
	assert_int_equal(nsent, 3);
	assert_int_equal(ninstall, ins + 1);
	assert_int_equal(stats[ST_PUB_STALE], 0);
	/* Older, or with another key: refused, counted, not acked. */
	assert_true(publish(base, "10.2.0.0", 16, "192.0.2.2", "kb"));
	assert_int_equal(stats[ST_PUB_STALE], 1);
	assert_true(publish(base + 2, "10.2.0.0", 16, "192.0.2.2", "ka"));
	assert_int_equal(stats[ST_PUB_AUTH], 1);
	assert_int_equal(ninstall, ins + 1);
	assert_int_equal(nsent, 3);

	/* A record outside what we subscribed to changes nothing. */
	assert_true(publish(base + 3, "10.9.0.0", 16, "192.0.2.9", "kb"));
	assert_int_equal(ninstall, ins + 1);

	/* Withdrawn: the entry goes, the next packet asks again. */
	assert_true(publish(base + 5, "10.2.0.0", 16, NULL, "kb"));
	assert_int_equal(ndel, 1);
	miss("10.2.0.1");
	assert_int_equal(nreq, 2);
	TC->nms = 0;
	TC->ms = NULL;
}

/*
 * Two map-resolvers: the answered request subscribed through one, a
 * D-bit request subscribes through the other; either Map-Server's
 * publications are taken, each numbered on its own.
 */
static void
t_subscribe_each_ms(void **state)
{
	struct mserver	ms = { .key = (char *)"kb", .alg = LISP_ALG_SHA256_128 };
	struct laddr	mr2 = A("198.51.100.2"), *mrs;
	uint64_t	base, base2;
	int		ins;

	(void)state;
	conf->subscribe = true;
	TC->subscribe = true;
	TC->nms = 1;
	TC->ms = &ms;
	mrs = calloc(2, sizeof(*mrs));
	mrs[0] = TC->mr[0];
	mrs[1] = mr2;
	free(TC->mr);
	TC->mr = mrs;
	TC->nmr = 2;
	miss("10.2.0.1");
	assert_int_equal(nreq, 1);
	base = last_req.nonce;
	answer(base, "10.2.0.0", 16, "192.0.2.2", 0, 60);
	assert_int_equal(nreq, 2);
	assert_int_equal(last_req.flags & (LISP_MREQ_D | LISP_MREQ_I),
	    LISP_MREQ_D | LISP_MREQ_I);
	assert_true(last_req.rec[0].notify);
	assert_int_equal(stats[ST_SUB_TX], 2);
	base2 = last_req.nonce;
	assert_true(base2 != base);
	ins = ninstall;
	/* The second Map-Server confirms, then publishes the move. */
	assert_true(publish(base2, "10.2.0.0", 16, "192.0.2.2", "kb"));
	assert_true(publish(base2 + 1, "10.2.0.0", 16, "192.0.2.3", "kb"));
	assert_int_equal(ninstall, ins + 1);
	/* The first one publishes the same move, numbered on its own. */
	assert_true(publish(base + 1, "10.2.0.0", 16, "192.0.2.3", "kb"));
	assert_int_equal(ninstall, ins + 2);
	assert_int_equal(stats[ST_PUB_RX], 2);
	assert_int_equal(stats[ST_PUB_STALE], 0);
	TC->nms = 0;
	TC->ms = NULL;
}

static void
t_tenants(void **state)
{
	struct laddr	s = A("10.1.0.1"), d = A("10.2.0.1");
	struct prefix	p;
	uint64_t	nonce7, nonce8;
	char		str[PREFIXSTRLEN];

	(void)state;
	itr_shutdown();
	tenants_drop();
	tenants_make(3);		/* instance-ids 0, 7 and 8 */
	itr_init();

	itr_handle_miss(7, &s, &d);
	assert_int_equal(nreq, 1);
	assert_int_equal(prefix_from_lisp(&last_req.rec[0].eid, 32, &p), 0);
	assert_string_equal(prefix_fmt(&p, str, sizeof(str)), "[7]10.2.0.1/32");
	nonce7 = last_req.nonce;
	/* The same host in instance-id 8: a request of its own. */
	itr_handle_miss(8, &s, &d);
	assert_int_equal(nreq, 2);
	assert_int_equal(prefix_from_lisp(&last_req.rec[0].eid, 32, &p), 0);
	assert_int_equal(p.iid, 8);
	nonce8 = last_req.nonce;
	/* Held packets of both: still one request each. */
	itr_handle_miss(7, &s, &d);
	itr_handle_miss(8, &s, &d);
	assert_int_equal(nreq, 2);

	/* Instance-id 8's mapping under 7's nonce: not 7's, not installed. */
	answer_in(nonce7, 8, "10.2.0.0", 16, "192.0.2.88", 0, 15);
	assert_int_equal(ninstall, 0);
	answer_in(nonce8, 8, "10.2.0.0", 16, "192.0.2.88", 0, 15);
	assert_int_equal(ninstall, 1);
	assert_int_equal(last_install.eid.iid, 8);

	/* 8 has 10.2.0.0/16 cached; 7 has not: its SMR is ignored. */
	smr_iid("10.2.0.1", 7);
	assert_int_equal(nreq, 2);
	assert_int_equal(stats[ST_SMR_UNCACHED], 1);
	smr_iid("10.2.0.1", 8);
	assert_int_equal(nreq, 3);
	assert_int_equal(prefix_from_lisp(&last_req.rec[0].eid, 32, &p), 0);
	assert_int_equal(p.iid, 8);
	assert_true(last_req.flags & LISP_MREQ_SMR_INVOKED);
	/* An instance-id no tenant serves. */
	smr_iid("10.2.0.1", 9);
	assert_int_equal(stats[ST_SMR_UNCACHED], 2);
}

/* ---- several map-resolvers ---- */

#define MR_A	"198.51.100.1"
#define MR_B	"198.51.100.2"

static void
two_resolvers(void)
{
	TC->nmr = 2;
	TC->mr = realloc(TC->mr, 2 * sizeof(*TC->mr));
	TC->mr[0] = A(MR_A);
	TC->mr[1] = A(MR_B);
}

static bool
asked(const char *mr)
{
	struct laddr	a = A(mr);

	return addr_eq(&last_to, &a);
}

/* What lispctl show map-resolver says of mr: field key, as text. */
static const char *
mr_shows(const char *mr, const char *key)
{
	return row_field(resolvers_show(), "map-resolver", mr, NULL, NULL,
	    key);
}

/*
 * The first map-resolver is silent: 1 s on, the same request (the same
 * nonce, nothing put in or taken out of the kernel meanwhile: the held
 * packets wait) goes to the second, whose answer installs it.  The
 * silent one is then asked after the other for 30 s, and shown so.
 */
static void
t_failover(void **state)
{
	uint64_t	nonce;

	(void)state;
	two_resolvers();
	miss("10.2.0.1");
	assert_int_equal(nreq, 1);
	assert_true(asked(MR_A));
	nonce = last_req.nonce;
	advance(1000 - M);
	assert_int_equal(nreq, 1);
	advance(2 * M);
	assert_int_equal(nreq, 2);
	assert_true(asked(MR_B));
	assert_true(last_req.nonce == nonce);
	assert_int_equal(ninstall + ndel, 0);
	answer(nonce, "10.2.0.0", 24, "192.0.2.2", 0, 1);
	assert_int_equal(ninstall, 1);
	assert_string_equal(mr_shows(MR_A, "state"), "silent");
	assert_string_equal(mr_shows(MR_A, "sent"), "1");
	assert_string_equal(mr_shows(MR_A, "answered"), "0");
	assert_string_equal(mr_shows(MR_A, "unanswered"), "1");
	assert_string_equal(mr_shows(MR_A, "held-for"), "30");
	assert_string_equal(mr_shows(MR_B, "state"), "up");
	assert_string_equal(mr_shows(MR_B, "answered"), "1");
	/* The next request skips the silent one: answered at once. */
	miss("10.3.0.1");
	assert_int_equal(nreq, 3);
	assert_true(asked(MR_B));
	answer(last_req.nonce, "10.3.0.0", 24, "192.0.2.2", 0, 10);
	assert_int_equal(ninstall, 2);
	/* If the second is silent too, the first is asked 1 s later. */
	miss("10.4.0.1");
	assert_true(asked(MR_B));
	advance(1000 + M);
	assert_int_equal(nreq, 5);
	assert_true(asked(MR_A));
	assert_string_equal(mr_shows(MR_B, "state"), "silent");
	answer(last_req.nonce, "10.4.0.0", 24, "192.0.2.2", 0, 10);
	assert_string_equal(mr_shows(MR_A, "state"), "up");
	assert_string_equal(mr_shows(MR_A, "answered"), "1");
	/* Answering again, the first is asked first again. */
	miss("10.5.0.1");
	assert_true(asked(MR_A));
	answer(last_req.nonce, "10.5.0.0", 24, "192.0.2.2", 0, 10);
}

/*
 * A silent map-resolver is tried again once its hold is over; silent
 * again, it is held twice as long.
 */
static void
t_failover_hold(void **state)
{
	(void)state;
	two_resolvers();
	miss("10.2.0.1");
	advance(1000 + M);
	assert_true(asked(MR_B));
	answer(last_req.nonce, "10.2.0.0", 24, "192.0.2.2", 0, 10);
	advance(30 * 1000 - 2 * M);	/* held since the failover */
	miss("10.3.0.1");
	assert_true(asked(MR_B));	/* still held */
	answer(last_req.nonce, "10.3.0.0", 24, "192.0.2.2", 0, 10);
	advance(2 * M);
	miss("10.4.0.1");
	assert_true(asked(MR_A));	/* its turn again */
	assert_string_equal(mr_shows(MR_A, "state"), "up");
	advance(1000 + M);
	assert_true(asked(MR_B));
	assert_string_equal(mr_shows(MR_A, "held-for"), "60");
	answer(last_req.nonce, "10.4.0.0", 24, "192.0.2.2", 0, 10);
	/* An answer puts it back in its place for good. */
	advance(60 * 1000);
	miss("10.6.0.1");
	assert_true(asked(MR_A));
	answer(last_req.nonce, "10.6.0.0", 24, "192.0.2.2", 0, 10);
	assert_string_equal(mr_shows(MR_A, "state"), "up");
}

/*
 * Unanswered everywhere: each round asks both, 1 s apart, the rounds
 * backing off 1, 2, 4 and 8 s as with one, then it is given up.
 */
static void
t_failover_rounds(void **state)
{
	static const int	at[] = { 0, 1, 2, 3, 5, 6, 10, 11 };
	uint64_t		start = clock_ms;
	size_t			i;

	(void)state;
	two_resolvers();
	miss("10.2.0.1");
	for (i = 1; i < sizeof(at) / sizeof(at[0]); i++) {
		advance(start + (uint64_t)at[i] * 1000 - M - clock_ms);
		assert_int_equal(nreq, (int)i);
		advance(2 * M);
		assert_int_equal(nreq, (int)i + 1);
	}
	advance(start + 19 * 1000 - M - clock_ms);
	assert_int_equal(stats[ST_MREQ_GIVEUP], 0);
	advance(2 * M);
	assert_int_equal(stats[ST_MREQ_GIVEUP], 1);
	assert_int_equal(nreq, 8);
	assert_int_equal(stats[ST_MREQ_RETRY], 7);
}

/* A map-resolver we have no route to is passed over at once. */
static void
t_failover_unroutable(void **state)
{
	(void)state;
	two_resolvers();
	unroutable = A(MR_A);
	miss("10.2.0.1");
	assert_int_equal(nreq, 1);
	assert_true(asked(MR_B));
	assert_string_equal(mr_shows(MR_A, "state"), "unused");
	assert_string_equal(mr_shows(MR_A, "unanswered"), "1");
	answer(last_req.nonce, "10.2.0.0", 24, "192.0.2.2", 0, 10);
	assert_int_equal(ninstall, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_request, setup, teardown),
		cmocka_unit_test_setup_teardown(t_tenants, setup, teardown),
		cmocka_unit_test_setup_teardown(t_subscribe, setup, teardown),
		cmocka_unit_test_setup_teardown(t_subscribe_each_ms, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_backoff, setup, teardown),
		cmocka_unit_test_setup_teardown(t_install_and_expire, setup, teardown),
		cmocka_unit_test_setup_teardown(t_negative, setup, teardown),
		cmocka_unit_test_setup_teardown(t_no_usable_locator, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_adopt, setup, teardown),
		cmocka_unit_test_setup_teardown(t_refresh, setup, teardown),
		cmocka_unit_test_setup_teardown(t_refresh_negative, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_rate_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(t_locate, setup, teardown),
		cmocka_unit_test_setup_teardown(t_locate_other_prefix, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_failover, setup, teardown),
		cmocka_unit_test_setup_teardown(t_failover_hold, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_failover_rounds, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_failover_unroutable, setup,
		    teardown),
	};

	log_init(true, 0);
	return TAP_RUN("itr", tests);
}
