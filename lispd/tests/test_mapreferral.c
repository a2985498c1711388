/* SPDX-License-Identifier: MIT */
/*
 * Map-Referral (RFC 8111 6.4) written out by hand from the RFC figure
 * and checked field by field.  tshark (4.0.17) read the same bytes, in
 * a UDP 4342 frame, as a Map-Referral with these fields: its records
 * "Map-Server Referral" and "Not Authoritative (Incomplete)", Signature
 * Count 1 (it leaves the signature section undissected, 24 bytes).
 */
#include <stdlib.h>

#include "tap.h"
#include "util.h"

static uint8_t	pkt[1024];

/*
 * Two records: an MS-REFERRAL for 10.1.0.0/16 to two DDT Map-Servers
 * (192.0.2.1, 2001:db8::2), TTL 1440, A bit; a NOT-AUTHORITATIVE for
 * 10.9.9.9/32 with the I bit, TTL 0, no referrals and one signature
 * section (RSA-SHA256, 4 bytes of signature).
 */
#define REFERRAL_HEX \
	"60 00 00 02"				/* type 6, 2 records */ \
	"01020304 05060708"			/* nonce */ \
	"000005a0 02 10 30 00"			/* TTL 1440, 2 refs, /16, MS-REF, A */ \
	"0000 0001 0a010000"			/* version 0, 10.1.0.0 */ \
	"01 32 ff 00 0001 0001 c0000201"	/* prio 1 wt 50 R 192.0.2.1 */ \
	"02 32 ff 00 0000 0002 20010db8 00000000 00000000 00000002" \
	"00000000 00 20 b8 00"			/* TTL 0, /32, NOT-AUTH, A, I */ \
	"1000 0001 0a090909"			/* SigCnt 1, 10.9.9.9 */ \
	"00000000 00000064 00000001"		/* orig TTL, expiry, inception */ \
	"0007 0004 02 00 0000 deadbeef"		/* key tag, len 4, alg 2 */

static void
t_referral_hexdump(void **s)
{
	struct lisp_mapreferral *m = calloc(1, sizeof(*m));
	const struct lisp_referral_rec *r;
	size_t	n = hex(pkt, sizeof(pkt), REFERRAL_HEX);
	uint8_t	again[512];

	(void)s;
	assert_int_equal(lisp_msg_type(pkt, n), LISP_MSG_REFERRAL);
	assert_int_equal(lisp_mapreferral_decode(pkt, n, m), 0);
	assert_true(m->nonce == 0x0102030405060708ULL);
	assert_int_equal(m->nrec, 2);
	r = &m->rec[0];
	assert_int_equal(r->rec.ttl, 1440);
	assert_int_equal(r->rec.act, LISP_REF_MS);
	assert_true(r->rec.auth);
	assert_false(r->incomplete);
	assert_int_equal(r->nsig, 0);
	assert_int_equal(r->rec.mlen, 16);
	assert_memory_equal(r->rec.eid.ip.addr, "\x0a\x01\x00\x00", 4);
	assert_int_equal(r->rec.nloc, 2);
	assert_int_equal(r->rec.loc[0].priority, 1);
	assert_int_equal(r->rec.loc[0].weight, 50);
	assert_int_equal(r->rec.loc[0].flags, LISP_LOC_R);
	assert_memory_equal(r->rec.loc[0].addr.ip.addr, "\xc0\x00\x02\x01", 4);
	assert_int_equal(r->rec.loc[1].addr.afi, LISP_AFI_IPV6);
	r = &m->rec[1];
	assert_int_equal(r->rec.ttl, 0);
	assert_int_equal(r->rec.act, LISP_REF_NOT_AUTH);
	assert_true(r->incomplete);
	assert_int_equal(r->rec.nloc, 0);
	assert_int_equal(r->rec.version, 0);
	assert_int_equal(r->nsig, 1);
	assert_int_equal(r->sig_len, 24);
	assert_memory_equal(r->sig + 20, "\xde\xad\xbe\xef", 4);
	assert_string_equal(lisp_referral_action_name(r->rec.act),
	    "not-authoritative");
	assert_int_equal(lisp_mapreferral_encode(again, sizeof(again), m),
	    (int)n);
	assert_memory_equal(again, pkt, n);
	free(m);
}

/* Every action round-trips through its ACT bits, I bit on or off. */
static void
t_referral_actions(void **s)
{
	struct lisp_mapreferral *m = calloc(1, sizeof(*m));
	struct lisp_mapreferral *d = calloc(1, sizeof(*d));
	uint8_t	buf[256];
	int	act, n;

	(void)s;
	m->nrec = 1;
	m->nonce = 9;
	v4(&m->rec[0].rec.eid, 10, 0, 0, 0);
	m->rec[0].rec.mlen = 8;
	for (act = LISP_REF_NODE; act <= LISP_REF_NOT_AUTH; act++) {
		m->rec[0].rec.act = (uint8_t)act;
		m->rec[0].incomplete = act & 1;
		m->rec[0].rec.version = 0xabc;
		n = lisp_mapreferral_encode(buf, sizeof(buf), m);
		assert_true(n > 0);
		assert_int_equal(buf[18] >> 5, act);
		assert_int_equal(!!(buf[18] & 0x08), act & 1);
		assert_int_equal(lisp_mapreferral_decode(buf, (size_t)n, d), 0);
		assert_int_equal(d->rec[0].rec.act, act);
		assert_int_equal(d->rec[0].incomplete, act & 1);
		assert_int_equal(d->rec[0].rec.version, 0xabc);
		assert_int_equal(d->rec[0].nsig, 0);
	}
	assert_string_equal(lisp_referral_action_name(6), "unknown");
	free(m);
	free(d);
}

/* What a peer may get wrong is refused with a reason. */
static void
t_referral_malformed(void **s)
{
	struct lisp_mapreferral *m = calloc(1, sizeof(*m));
	size_t	n = hex(pkt, sizeof(pkt), REFERRAL_HEX);

	(void)s;
	/* The signature's data cut short. */
	assert_int_equal(lisp_mapreferral_decode(pkt, n - 1, m),
	    -LISP_E_TRUNC);
	/* SigCnt 2 with one section. */
	pkt[n - 32] = 0x20;
	assert_int_equal(lisp_mapreferral_decode(pkt, n, m), -LISP_E_TRUNC);
	pkt[n - 32] = 0x10;
	assert_int_equal(lisp_mapreferral_decode(pkt, n, m), 0);
	/* A byte after the last record. */
	pkt[n] = 0;
	assert_int_equal(lisp_mapreferral_decode(pkt, n + 1, m),
	    -LISP_E_TRAILING);
	/* One record more than the message holds. */
	pkt[3] = 3;
	assert_int_equal(lisp_mapreferral_decode(pkt, n, m), -LISP_E_TRUNC);
	pkt[3] = LISP_MAX_RECORDS + 1;
	assert_int_equal(lisp_mapreferral_decode(pkt, n, m), -LISP_E_RECORDS);
	/* Another type. */
	pkt[0] = 0x20;
	assert_int_equal(lisp_mapreferral_decode(pkt, n, m), -LISP_E_TYPE);
	/* A record header cut before SigCnt. */
	n = hex(pkt, sizeof(pkt), "60000001 0102030405060708 000005a0 0210");
	assert_int_equal(lisp_mapreferral_decode(pkt, n, m), -LISP_E_TRUNC);
	/* SigCnt without its sections cannot be encoded. */
	memset(m, 0, sizeof(*m));
	m->nrec = 1;
	v4(&m->rec[0].rec.eid, 10, 0, 0, 0);
	m->rec[0].nsig = 1;
	assert_int_equal(lisp_mapreferral_encode(pkt, sizeof(pkt), m),
	    -LISP_E_INVAL);
	free(m);
}

/* A DDT Map-Request: the ECM's D bit (RFC 8111 5) kept both ways. */
static void
t_ecm_ddt_bit(void **s)
{
	struct lisp_ecm	e, d;
	uint8_t		inner[] = { 0x10, 0, 0, 1 };
	uint8_t		buf[128];
	int		n;

	(void)s;
	memset(&e, 0, sizeof(e));
	e.flags = LISP_ECM_D;
	e.ipver = 4;
	e.ttl = 64;
	memcpy(e.src, "\x0a\x00\x00\x05", 4);
	memcpy(e.dst, "\x0a\x01\x02\x03", 4);
	e.sport = 4342;
	e.dport = 4342;
	e.msg = inner;
	e.msg_len = sizeof(inner);
	n = lisp_ecm_encode(buf, sizeof(buf), &e);
	assert_true(n > 0);
	assert_int_equal(buf[0], 0x84);
	assert_int_equal(lisp_ecm_decode(buf, (size_t)n, &d), 0);
	assert_int_equal(d.flags, LISP_ECM_D);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_referral_hexdump),
		cmocka_unit_test(t_referral_actions),
		cmocka_unit_test(t_referral_malformed),
		cmocka_unit_test(t_ecm_ddt_bit),
	};

	return TAP_RUN("map-referral codec", tests);
}
