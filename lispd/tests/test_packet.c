/* SPDX-License-Identifier: MIT */
/*
 * packet_input(): every message type reaches its role, ECM fields are
 * passed on, and nothing malformed reaches a role: each truncation of a
 * valid message of every type, and random bytes, are counted as
 * malformed (under ASan/UBSan: and do not crash).  The roles are stubs
 * that count calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "core.h"
#include "log.h"
#include "conf.h"
#include "packet.h"
#include "stats.h"
#include "publish.h"
#include "notify.h"
#include "etr.h"
#include "fhr.h"
#include "gateway.h"
#include "itr.h"
#include "mr.h"
#include "ms.h"
#include "ddt.h"
#include "nat.h"

struct lispd_conf *conf;		/* config.c is not linked */
static int		calls[15];
static struct pkt	last;
enum { C_REPLY, C_ETR_REQ, C_NOTIFY, C_REGISTER, C_ACK, C_MR_REQ, C_SMR,
	C_DDT_REQ, C_DDT_MR_REQ, C_REFERRAL, C_INFO, C_INFO_REPLY,
	C_RTR_CTRL, C_RTR_NOTIFY, C_DATA_NOTIFY };

bool etr_owns(const struct prefix *p) { (void)p; return false; }
void itr_handle_reply(const struct pkt *p, const struct lisp_mapreply *r)
{ (void)r; last = *p; calls[C_REPLY]++; }
void itr_handle_smr(const struct pkt *p, const struct lisp_mapreq *r)
{ (void)r; last = *p; calls[C_SMR]++; }
/* No subscriptions here: every Map-Notify(-Ack) is the ETR's or MS's. */
bool pub_handle_ack(const struct pkt *p, const uint8_t *b, size_t l)
{ (void)p; (void)b; (void)l; return false; }
bool itr_handle_publication(const struct pkt *p, const uint8_t *b, size_t l,
    const struct lisp_mapreg *m)
{ (void)p; (void)b; (void)l; (void)m; return false; }
void etr_handle_request(const struct pkt *p, const struct lisp_mapreq *r)
{ (void)r; last = *p; calls[C_ETR_REQ]++; }
void etr_handle_notify(const struct pkt *p, const uint8_t *b, size_t l,
    const struct lisp_mapreg *m)
{ (void)b; (void)l; (void)m; last = *p; calls[C_NOTIFY]++; }
void ms_handle_register(const struct pkt *p, const uint8_t *b, size_t l,
    time_t now)
{ (void)b; (void)l; (void)now; last = *p; calls[C_REGISTER]++; }
void ms_handle_notify_ack(const struct pkt *p, const uint8_t *b, size_t l)
{ (void)b; (void)l; last = *p; calls[C_ACK]++; }
void mr_handle_request(const struct pkt *p, const uint8_t *b, size_t l,
    const struct lisp_mapreq *r)
{ (void)b; (void)l; (void)r; last = *p; calls[C_MR_REQ]++; }
void ddt_handle_request(const struct pkt *p, const uint8_t *b, size_t l,
    const struct lisp_mapreq *r)
{ (void)b; (void)l; (void)r; last = *p; calls[C_DDT_REQ]++; }
void ddt_mr_request(const struct pkt *p, const uint8_t *b, size_t l,
    const struct lisp_mapreq *r)
{ (void)b; (void)l; (void)r; last = *p; calls[C_DDT_MR_REQ]++; }
void ddt_mr_referral(const struct pkt *p, const uint8_t *b, size_t l)
{ (void)b; (void)l; last = *p; calls[C_REFERRAL]++; }
void nat_ms_handle_request(const struct pkt *p, const uint8_t *b, size_t l)
{ (void)b; (void)l; last = *p; calls[C_INFO]++; }
void nat_xtr_handle_reply(const struct pkt *p, const uint8_t *b, size_t l)
{ (void)b; (void)l; last = *p; calls[C_INFO_REPLY]++; }
/* NAT traversal: the RTR takes no Map-Notify here but counts it. */
static uint16_t	ctrl_sport;
void rtr_handle_ctrl(uint32_t iid, const struct laddr *s, uint16_t sport,
    const struct lisp_ecm *in)
{ (void)iid; (void)s; (void)in; ctrl_sport = sport; calls[C_RTR_CTRL]++; }
void rtr_handle_ecm(const struct pkt *p, const struct lisp_ecm *e)
{ (void)p; (void)e; calls[C_RTR_CTRL]++; }
bool rtr_handle_notify(const struct pkt *p, const uint8_t *b, size_t l,
    const struct lisp_mapreg *m)
{ (void)p; (void)b; (void)l; (void)m; calls[C_RTR_NOTIFY]++; return false; }
bool nat_xtr_handle_notify(const uint8_t *b, size_t l,
    const struct lisp_mapreg *m)
{ (void)b; (void)l; (void)m; calls[C_DATA_NOTIFY]++; return true; }
/* Mobility roles: not configured in these tests (conf->ndyn 0). */
void gateway_eid_notify(const struct pkt *p, const uint8_t *b, size_t l)
{ (void)p; (void)b; (void)l; }
bool fhr_is_gateway(const struct laddr *a) { (void)a; return false; }
void fhr_handle_notify(const struct pkt *p, const uint8_t *b, size_t l,
    const struct lisp_mapreg *m)
{ (void)p; (void)b; (void)l; (void)m; }
bool notify_ack_input(const struct pkt *p, const uint8_t *b, size_t l)
{ (void)p; (void)b; (void)l; return false; }

static struct lisp_mapreq	mq;
static struct lisp_mapreply	mp;
static struct lisp_mapreg	mg;
static uint8_t			buf[4096];
static struct laddr		src;

static int
setup(void **state)
{
	(void)state;
	conf = calloc(1, sizeof(*conf));
	conf->roles = ROLE_ITR | ROLE_ETR | ROLE_MS | ROLE_MR;
	memset(stats, 0, sizeof(stats));
	memset(stats_malformed, 0, sizeof(stats_malformed));
	memset(calls, 0, sizeof(calls));
	addr_parse("192.0.2.9", &src);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(conf);
	conf = NULL;
	return 0;
}

static int
total_calls(void)
{
	int	i, n = 0;

	for (i = 0; i < (int)(sizeof(calls) / sizeof(calls[0])); i++)
		n += calls[i];
	return n;
}

static void
v4(struct lisp_addr *a, const char *s)
{
	struct laddr	l;

	assert_int_equal(addr_parse(s, &l), 0);
	laddr_to_lisp(&l, a);
}

static size_t
mk_mapreq(void)
{
	int	n;

	memset(&mq, 0, sizeof(mq));
	mq.nonce = 5;
	mq.nitr = 1;
	v4(&mq.itr[0], "192.0.2.9");
	mq.nrec = 1;
	mq.rec[0].mlen = 32;
	v4(&mq.rec[0].eid, "10.2.0.1");
	n = lisp_mapreq_encode(buf, sizeof(buf), &mq);
	assert_true(n > 0);
	return (size_t)n;
}

/* The last Map-Request again with flags; mk_mapreq() first. */
static size_t
mk_mapreq_flags(uint32_t flags)
{
	int	n;

	mq.flags = flags;
	n = lisp_mapreq_encode(buf, sizeof(buf), &mq);
	assert_true(n > 0);
	return (size_t)n;
}

static size_t
mk_ecm_flags(uint32_t flags)
{
	uint8_t		inner[512];
	struct lisp_ecm	e;
	size_t		il = mk_mapreq();
	int		n;

	memcpy(inner, buf, il);
	memset(&e, 0, sizeof(e));
	e.flags = flags;
	e.ipver = 4;
	e.ttl = 64;
	memcpy(e.src, (uint8_t[]){ 192, 0, 2, 9 }, 4);
	memcpy(e.dst, (uint8_t[]){ 10, 2, 0, 1 }, 4);
	e.sport = 61001;
	e.dport = LISP_CONTROL_PORT;
	e.msg = inner;
	e.msg_len = il;
	n = lisp_ecm_encode(buf, sizeof(buf), &e);
	assert_true(n > 0);
	return (size_t)n;
}

static size_t
mk_ecm(void)
{
	return mk_ecm_flags(0);
}

static size_t
mk_mapreply(void)
{
	int	n;

	memset(&mp, 0, sizeof(mp));
	mp.nonce = 5;
	mp.nrec = 1;
	mp.rec[0].ttl = 1;
	mp.rec[0].mlen = 24;
	v4(&mp.rec[0].eid, "10.2.0.0");
	mp.rec[0].nloc = 1;
	v4(&mp.rec[0].loc[0].addr, "192.0.2.2");
	n = lisp_mapreply_encode(buf, sizeof(buf), &mp);
	assert_true(n > 0);
	return (size_t)n;
}

static size_t
mk_reg(uint8_t type)
{
	int	n;

	memset(&mg, 0, sizeof(mg));
	mg.type = type;
	mg.nonce = 5;
	mg.alg_id = LISP_ALG_SHA1_96;
	mg.auth_len = 20;
	mg.nrec = 1;
	mg.rec[0].mlen = 24;
	v4(&mg.rec[0].eid, "10.2.0.0");
	if (type == LISP_MSG_REGISTER)
		n = lisp_mapreg_encode(buf, sizeof(buf), &mg);
	else if (type == LISP_MSG_NOTIFY)
		n = lisp_mapnotify_encode(buf, sizeof(buf), &mg);
	else
		n = lisp_mapnotify_ack_encode(buf, sizeof(buf), &mg);
	assert_true(n > 0);
	return (size_t)n;
}

/*
 * An SMR goes to the ITR, never to the Map-Server or through an ECM;
 * a probe only to the ETR owning its EID: the mapping system drops it.
 */
static void
t_smr_probe(void **state)
{
	(void)state;
	mk_mapreq();
	packet_input(buf, mk_mapreq_flags(LISP_MREQ_S), &src, 4342);
	assert_int_equal(calls[C_SMR], 1);
	packet_input(buf, mk_mapreq_flags(LISP_MREQ_P), &src, 4342);
	assert_int_equal(calls[C_SMR], 1);
	assert_int_equal(calls[C_MR_REQ], 0);
	assert_int_equal(stats[ST_RX_UNEXPECTED], 1);
	/* SMR-invoked: an ordinary request for the mapping system. */
	packet_input(buf, mk_mapreq_flags(LISP_MREQ_SMR_INVOKED), &src, 4342);
	assert_int_equal(calls[C_MR_REQ], 1);
	conf->roles = ROLE_MS | ROLE_MR;
	packet_input(buf, mk_mapreq_flags(LISP_MREQ_S), &src, 4342);
	assert_int_equal(calls[C_SMR], 1);
	assert_int_equal(calls[C_MR_REQ], 1);
	assert_int_equal(stats[ST_RX_UNEXPECTED], 2);
	assert_int_equal(stats[ST_RX_BAD], 0);
}

static void
t_dispatch(void **state)
{
	size_t	n;

	(void)state;
	n = mk_mapreq();
	packet_input(buf, n, &src, 4342);
	assert_int_equal(calls[C_MR_REQ], 1);
	assert_false(last.ecm);

	n = mk_ecm();
	packet_input(buf, n, &src, 4342);
	assert_int_equal(calls[C_MR_REQ], 2);
	assert_true(last.ecm);
	assert_int_equal(last.isport, 61001);
	assert_int_equal(last.isrc.family, AF_INET);
	assert_int_equal(last.idst.a[0], 10);

	packet_input(buf, mk_mapreply(), &src, 4342);
	assert_int_equal(calls[C_REPLY], 1);
	packet_input(buf, mk_reg(LISP_MSG_REGISTER), &src, 4342);
	assert_int_equal(calls[C_REGISTER], 1);
	packet_input(buf, mk_reg(LISP_MSG_NOTIFY), &src, 4342);
	assert_int_equal(calls[C_NOTIFY], 1);
	packet_input(buf, mk_reg(LISP_MSG_NOTIFY_ACK), &src, 4342);
	assert_int_equal(calls[C_ACK], 1);
	/* An Info-Request to the Map-Server, an Info-Reply to the xTR. */
	buf[0] = 0x70;
	packet_input(buf, 48, &src, 61000);
	assert_int_equal(calls[C_INFO], 1);
	assert_int_equal(last.sport, 61000);
	buf[0] = 0x78;
	packet_input(buf, 48, &src, 4342);
	assert_int_equal(calls[C_INFO], 1);
	assert_int_equal(calls[C_INFO_REPLY], 1);
	assert_int_equal(stats[ST_RX_BAD], 0);

	/* Roles not running: counted, not handled. */
	conf->roles = ROLE_ETR;
	memset(calls, 0, sizeof(calls));
	packet_input(buf, mk_mapreply(), &src, 4342);
	packet_input(buf, mk_reg(LISP_MSG_REGISTER), &src, 4342);
	packet_input(buf, mk_ecm(), &src, 4342);
	buf[0] = 0x70;			/* an ETR is no Map-Server */
	packet_input(buf, 48, &src, 4342);
	assert_int_equal(total_calls(), 0);
	assert_int_equal(stats[ST_RX_UNEXPECTED], 4);
	conf->roles = ROLE_MS;		/* nor a Map-Server an xTR */
	buf[0] = 0x78;
	packet_input(buf, 48, &src, 4342);
	assert_int_equal(total_calls(), 0);
	assert_int_equal(stats[ST_RX_UNEXPECTED], 5);
}

/*
 * Every proper prefix of a valid message is malformed, none handled;
 * except where the role decodes for itself (Map-Register and
 * Map-Notify-Ack, which the Map-Server must authenticate as received:
 * test_ms covers those).
 */
static void
truncations(size_t (*mk)(void), bool role_decodes)
{
	uint8_t	copy[4096];
	size_t	n = mk(), i;
	uint64_t bad = stats[ST_RX_BAD];
	uint64_t trunc = stats_malformed[LISP_E_TRUNC];

	memcpy(copy, buf, n);
	for (i = 0; i < n; i++) {
		uint8_t *p = malloc(i ? i : 1);	/* exact size: ASan sees overreads */

		memcpy(p, copy, i);
		packet_input(p, i, &src, 4342);
		free(p);
	}
	if (role_decodes) {
		/* Only the empty message has no type to dispatch on. */
		assert_int_equal(total_calls(), n - 1);
		assert_int_equal(stats[ST_RX_BAD] - bad, 1);
		memset(calls, 0, sizeof(calls));
		return;
	}
	assert_int_equal(total_calls(), 0);
	assert_int_equal(stats[ST_RX_BAD] - bad, n);
	/* Each under its reason: all truncated, but the empty message. */
	assert_int_equal(stats_malformed[LISP_E_TRUNC] - trunc, n);
}

static size_t mk_register(void) { return mk_reg(LISP_MSG_REGISTER); }
static size_t mk_notify(void) { return mk_reg(LISP_MSG_NOTIFY); }
static size_t mk_ack(void) { return mk_reg(LISP_MSG_NOTIFY_ACK); }

static void
t_truncations(void **state)
{
	(void)state;
	truncations(mk_mapreq, false);
	truncations(mk_ecm, false);
	truncations(mk_mapreply, false);
	truncations(mk_notify, false);
	truncations(mk_register, true);
	truncations(mk_ack, true);
}

/* Random bytes behind each type nibble: counted one way or the other. */
static void
t_random(void **state)
{
	uint8_t		p[256];
	uint64_t	sum;
	int		i, j, len;

	(void)state;
	srandom(4342);
	for (i = 0; i < 20000; i++) {
		len = (int)(random() % sizeof(p));
		for (j = 0; j < len; j++)
			p[j] = (uint8_t)random();
		if (len)
			p[0] = (uint8_t)((i % 16) << 4 | (p[0] & 0x0f));
		packet_input(p, (size_t)len, &src, 4342);
	}
	assert_int_equal(stats[ST_RX], 20000);
	assert_true(stats[ST_RX_BAD] + stats[ST_RX_UNEXPECTED] +
	    (uint64_t)total_calls() >= 20000);
	/* Each refusal under one reason: they sum to the totals. */
	for (i = 0, sum = 0; i < LISP_E__MAX; i++) {
		if (stats_malformed[i])
			assert_non_null(stat_malformed_name(i));
		sum += stats_malformed[i];
	}
	assert_int_equal(sum, stats[ST_RX_BAD]);
	assert_int_equal(stats_malformed[0], 0);	/* none "other" */
	assert_true(stats_malformed[LISP_E_TYPE] > 0);
	assert_true(stats_malformed[LISP_E_TRUNC] > 0);
	assert_int_equal(stats[ST_RX_REFUSED],
	    stats[ST_RX_BAD] + stats[ST_RX_UNEXPECTED]);
}

/* Names: stable, distinct, and in the statistics for every slot used. */
static void
t_names(void **state)
{
	int	i, j;

	(void)state;
	assert_string_equal(stat_malformed_name(LISP_E_TRUNC),
	    "rx-malformed-truncated");
	assert_string_equal(stat_malformed_name(LISP_E_AFI),
	    "rx-malformed-bad-afi");
	assert_string_equal(stat_name(ST_RX_REFUSED), "rx-refused");
	assert_null(stat_malformed_name(LISP_E_NOSPACE));
	for (i = 0; i < LISP_E__MAX; i++)
		for (j = i + 1; j < LISP_E__MAX; j++)
			if (stat_malformed_name(i) && stat_malformed_name(j))
				assert_string_not_equal(stat_malformed_name(i),
				    stat_malformed_name(j));
	/* A reason without a name of its own counts as "other". */
	assert_string_equal(refuse_malformed(-LISP_E_NOSPACE),
	    "rx-malformed-other");
	assert_int_equal(stats_malformed[0], 1);
	assert_int_equal(stats[ST_RX_BAD], 1);
	assert_int_equal(stats[ST_RX_REFUSED], 1);
}

/*
 * DDT: an ECM with the D bit is a DDT node's or Map-Server's to answer
 * with a Map-Referral; without it, a DDT Map-Resolver's (ddt-root-
 * addresses) to resolve; a Map-Referral is the resolver's alone.
 */
static void
t_ddt_dispatch(void **state)
{
	static struct lispd_conf c2;
	struct lisp_mapreferral *f = calloc(1, sizeof(*f));
	struct laddr	root;
	size_t		n;
	int		fn;

	(void)state;
	conf->roles = ROLE_DDT;
	n = mk_ecm_flags(LISP_ECM_D);
	packet_input(buf, n, &src, LISP_CONTROL_PORT);
	assert_int_equal(calls[C_DDT_REQ], 1);
	assert_true(last.ddt);
	assert_int_equal(last.isport, 61001);
	/* Not DDT: a node has nothing to say to a plain Map-Request. */
	n = mk_ecm();
	packet_input(buf, n, &src, LISP_CONTROL_PORT);
	assert_int_equal(total_calls(), 1);
	assert_int_equal(stats[ST_RX_UNEXPECTED], 1);

	/* A DDT Map-Resolver resolves what ITRs send. */
	c2.roles = ROLE_MR;
	c2.nddt_root = 1;
	c2.ddt_root = &root;
	free(conf);
	conf = &c2;
	n = mk_ecm();
	packet_input(buf, n, &src, LISP_CONTROL_PORT);
	assert_int_equal(calls[C_DDT_MR_REQ], 1);
	assert_false(last.ddt);
	f->nrec = 1;
	v4(&f->rec[0].rec.eid, "10.0.0.0");
	f->rec[0].rec.mlen = 8;
	fn = lisp_mapreferral_encode(buf, sizeof(buf), f);
	assert_true(fn > 0);
	packet_input(buf, (size_t)fn, &src, LISP_CONTROL_PORT);
	assert_int_equal(calls[C_REFERRAL], 1);
	/* A resolver without roots takes no Map-Referral. */
	c2.nddt_root = 0;
	packet_input(buf, (size_t)fn, &src, LISP_CONTROL_PORT);
	assert_int_equal(calls[C_REFERRAL], 1);
	assert_int_equal(stats[ST_RX_UNEXPECTED], 2);
	conf = calloc(1, sizeof(*conf));	/* teardown frees it */
	free(f);
}

/* What the journal would get with the last line: reason and fields. */
static char	seen[256];

static void
sink(int pri, const char *msg, const char *reason)
{
	const char	*f[LOG_FIELDS_MAX];
	int		 n, i;
	size_t		 off;

	(void)pri;
	(void)msg;
	off = (size_t)snprintf(seen, sizeof(seen), "%s",
	    reason ? reason : "-");
	n = log_fields(f);
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(seen + off, sizeof(seen) - off, " %s",
		    f[i]);
}

/* Lines about a peer's message carry its RLOC, and a request's EID. */
static void
t_log_fields(void **state)
{
	const char	*f[LOG_FIELDS_MAX];
	size_t		 n;

	(void)state;
	log_init(true, 1);
	log_set_sink(sink);
	conf->roles = ROLE_ITR;
	packet_input(buf, mk_mapreq(), &src, 4342);
	assert_string_equal(seen, "- LISP_RLOC=192.0.2.9 LISP_IID=0 "
	    "LISP_EID=10.2.0.1/32");
	assert_int_equal(log_fields(f), 0);
	n = mk_mapreply();
	log_ratelimit_reset();	/* t_truncations had this reason out */
	packet_input(buf, n - 1, &src, 4342);
	assert_string_equal(seen, "rx-malformed-truncated LISP_RLOC=192.0.2.9");
	assert_int_equal(log_fields(f), 0);
	log_set_sink(NULL);
	log_init(true, 0);
}

/* buf's message as the inner IP packet of a data packet, in out. */
static size_t
in_data(size_t len, uint16_t dport, uint8_t *out, size_t cap)
{
	struct lisp_ecm	u;
	int		n;

	memset(&u, 0, sizeof(u));
	u.ipver = 4;
	u.ttl = 64;
	memcpy(u.src, (uint8_t[]){ 10, 0, 0, 5 }, 4);
	memcpy(u.dst, (uint8_t[]){ 203, 0, 113, 9 }, 4);
	u.sport = LISP_CONTROL_PORT;
	u.dport = dport;
	u.msg = buf;
	u.msg_len = len;
	n = lisp_udp_encode(out, cap, &u);
	assert_true(n > 0);
	return (size_t)n;
}

/*
 * Control messages the kernel punted from data packets: an ECM to the
 * RTR (with the NAT's port), a Map-Notify to the xTR behind the NAT;
 * nothing else, nothing malformed, and each only to a role we run.
 */
static void
t_ctrl_dispatch(void **s)
{
	uint8_t		pkt[4096];
	struct laddr	nat;
	size_t		n;

	(void)s;
	assert_int_equal(addr_parse("198.51.100.7", &nat), 0);
	conf->roles = ROLE_ITR | ROLE_RTR;
	n = in_data(mk_ecm_flags(LISP_ECM_R), LISP_CONTROL_PORT, pkt,
	    sizeof(pkt));
	packet_ctrl_input(0, &nat, 61000, pkt, n);
	assert_int_equal(calls[C_RTR_CTRL], 1);
	assert_int_equal(ctrl_sport, 61000);
	/* The RTR in us asked first about a Map-Notify on the socket. */
	packet_input(buf, mk_notify(), &nat, LISP_CONTROL_PORT);
	assert_int_equal(calls[C_RTR_NOTIFY], 1);
	stats[ST_RX_UNEXPECTED] = 0;
	/* An xTR takes a Data-Map-Notify; an RTR alone does not. */
	n = in_data(mk_notify(), LISP_CONTROL_PORT, pkt, sizeof(pkt));
	packet_ctrl_input(0, &nat, 4341, pkt, n);
	assert_int_equal(calls[C_DATA_NOTIFY], 0);
	assert_int_equal(stats[ST_RX_UNEXPECTED], 1);
	conf->roles = ROLE_ITR | ROLE_ETR;
	packet_ctrl_input(0, &nat, 4341, pkt, n);
	assert_int_equal(calls[C_DATA_NOTIFY], 1);
	/* An ECM for an RTR we are not; another port; a bad checksum. */
	n = in_data(mk_ecm_flags(LISP_ECM_R), LISP_CONTROL_PORT, pkt,
	    sizeof(pkt));
	packet_ctrl_input(0, &nat, 61000, pkt, n);
	n = in_data(mk_notify(), 4341, pkt, sizeof(pkt));
	packet_ctrl_input(0, &nat, 61000, pkt, n);
	assert_int_equal(stats[ST_RX_UNEXPECTED], 3);
	pkt[n - 1] ^= 1;
	packet_ctrl_input(0, &nat, 61000, pkt, n);
	assert_int_equal(stats[ST_RX_BAD], 1);
	assert_int_equal(calls[C_RTR_CTRL], 1);
	assert_int_equal(calls[C_DATA_NOTIFY], 1);
}

/* Open Overlay Router's form: an ECM (R) Map-Register to our port 4342. */
static void
t_ecm_to_rtr(void **s)
{
	uint8_t		reg[1024];
	struct lisp_ecm	e;
	struct laddr	nat;
	size_t		l = mk_reg(LISP_MSG_REGISTER);
	int		k;

	(void)s;
	assert_int_equal(addr_parse("198.51.100.7", &nat), 0);
	memcpy(reg, buf, l);
	memset(&e, 0, sizeof(e));
	e.flags = LISP_ECM_R;
	e.ipver = 4;
	e.sport = e.dport = LISP_CONTROL_PORT;
	e.msg = reg;
	e.msg_len = l;
	k = lisp_ecm_encode(buf, sizeof(buf), &e);
	assert_true(k > 0);
	packet_input(buf, (size_t)k, &nat, 4341);
	assert_int_equal(calls[C_RTR_CTRL], 0);		/* no RTR role */
	conf->roles |= ROLE_RTR;
	packet_input(buf, (size_t)k, &nat, 4341);
	assert_int_equal(calls[C_RTR_CTRL], 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_dispatch, setup, teardown),
		cmocka_unit_test_setup_teardown(t_smr_probe, setup, teardown),
		cmocka_unit_test_setup_teardown(t_truncations, setup, teardown),
		cmocka_unit_test_setup_teardown(t_random, setup, teardown),
		cmocka_unit_test_setup_teardown(t_names, setup, teardown),
		cmocka_unit_test_setup_teardown(t_ddt_dispatch, setup, teardown),
		cmocka_unit_test_setup_teardown(t_log_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(t_ctrl_dispatch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_ecm_to_rtr, setup, teardown),
	};

	log_init(true, 0);
	return TAP_RUN("packet dispatch", tests);
}
