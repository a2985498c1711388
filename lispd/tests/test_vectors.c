/* SPDX-License-Identifier: MIT */
/*
 * Decode realistic messages written out by hand from the RFC 9301
 * figures, checking every field.  The ECM checksums were computed
 * separately (RFC 1071 by hand in a script), not with this code.
 */
#include <stdlib.h>

#include "tap.h"
#include "util.h"

static uint8_t	pkt[1024];

/*
 * An SMR-invoked Map-Request: s bit, IRC 1 (two ITR-RLOCs, IPv4 and
 * IPv6), source EID 10.0.0.5, one record for [IID 7] 10.1.2.3/32.
 */
#define MAPREQ_HEX \
	"10 40 01 01"				/* type 1, s, IRC 1, 1 rec */ \
	"8a3c5d11 029e44f0"			/* nonce */ \
	"0001 0a000005"				/* source EID */ \
	"0001 c000020a"				/* ITR-RLOC 192.0.2.10 */ \
	"0002 20010db8 00000000 00000000 0000000a" /* ITR-RLOC 2001:db8::a */ \
	"00 20"					/* reserved, mask-len 32 */ \
	"4003 00 00 02 00 000a 00000007 0001 0a010203" /* IID 7 10.1.2.3 */

static void
t_mapreq_hexdump(void **s)
{
	struct lisp_mapreq *m = calloc(1, sizeof(*m));
	size_t	n = hex(pkt, sizeof(pkt), MAPREQ_HEX);
	uint8_t	v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x0a };
	uint8_t	again[256];

	(void)s;
	assert_int_equal(n, 62);
	assert_int_equal(lisp_mapreq_decode(pkt, n, m), 0);
	assert_int_equal(m->flags, LISP_MREQ_SMR_INVOKED);
	assert_true(m->nonce == 0x8a3c5d11029e44f0ULL);
	assert_int_equal(m->seid.afi, LISP_AFI_IPV4);
	assert_memory_equal(m->seid.ip.addr, "\x0a\x00\x00\x05", 4);
	assert_int_equal(m->nitr, 2);
	assert_int_equal(m->itr[0].afi, LISP_AFI_IPV4);
	assert_memory_equal(m->itr[0].ip.addr, "\xc0\x00\x02\x0a", 4);
	assert_int_equal(m->itr[1].afi, LISP_AFI_IPV6);
	assert_memory_equal(m->itr[1].ip.addr, v6a, 16);
	assert_int_equal(m->nrec, 1);
	assert_int_equal(m->rec[0].mlen, 32);
	assert_int_equal(m->rec[0].eid.afi, LISP_AFI_LCAF);
	assert_int_equal(m->rec[0].eid.lcaf, LISP_LCAF_IID);
	assert_int_equal(m->rec[0].eid.iid, 7);
	assert_int_equal(m->rec[0].eid.iid_mlen, 0);
	assert_int_equal(m->rec[0].eid.ip.afi, LISP_AFI_IPV4);
	assert_memory_equal(m->rec[0].eid.ip.addr, "\x0a\x01\x02\x03", 4);
	assert_int_equal(lisp_mapreq_encode(again, sizeof(again), m), (int)n);
	assert_memory_equal(again, pkt, n);
	free(m);
}

/* The same Map-Request in an ECM from 10.0.0.5:61000 to 10.1.2.3:4342. */
#define ECM_HEX \
	"80000000" \
	"4500005a 00000000 4011648b 0a000005 0a010203" \
	"ee4810f6 004661ed" MAPREQ_HEX

static void
t_ecm_hexdump(void **s)
{
	struct lisp_ecm	e, e2;
	size_t		n = hex(pkt, sizeof(pkt), ECM_HEX);
	uint8_t		again[256];

	(void)s;
	assert_int_equal(lisp_ecm_decode(pkt, n, &e), 0);
	assert_int_equal(e.flags, 0);
	assert_int_equal(e.ipver, 4);
	assert_int_equal(e.ttl, 64);
	assert_memory_equal(e.src, "\x0a\x00\x00\x05", 4);
	assert_memory_equal(e.dst, "\x0a\x01\x02\x03", 4);
	assert_int_equal(e.sport, 61000);
	assert_int_equal(e.dport, 4342);
	assert_int_equal(e.msg_len, 62);
	assert_int_equal(lisp_msg_type(e.msg, e.msg_len), LISP_MSG_REQUEST);
	/* Our encoder produces the same checksums. */
	e2 = e;
	assert_int_equal(lisp_ecm_encode(again, sizeof(again), &e2), (int)n);
	assert_memory_equal(again, pkt, n);
}

/*
 * A Map-Register as an xTR sends it: P and M bits, key-id 1,
 * HMAC-SHA-1-96 (12 zero bytes: not yet signed), two records -
 * 198.51.100.0/24 with two locators and [IID 5] 2001:db8:1::/48 with one.
 */
#define MAPREG_HEX \
	"38 00 01 02"				/* type 3, P, M, 2 recs */ \
	"00000000 00000101"			/* nonce 257 */ \
	"01 01 000c"				/* key 1, SHA-1-96, 12 */ \
	"000000000000000000000000"		/* auth data */ \
	"00000005 02 18 10 00"			/* TTL 5, 2 locs, /24, A */ \
	"0000 0001 c6336400"			/* 198.51.100.0 */ \
	"01 32 ff 00 0005 0001 c0000201"	/* prio 1 wt 50 L R */ \
	"02 32 ff 00 0001 0002 20010db8 00000000 00000000 00000002" \
	"00000005 01 30 00 00"			/* TTL 5, 1 loc, /48 */ \
	"0000 4003 00 00 02 00 0016 00000005"	/* IID 5 */ \
	"0002 20010db8 00010000 00000000 00000000" \
	"01 64 ff 00 0004 0001 c0000201"	/* prio 1 wt 100 L */

static void
t_mapreg_hexdump(void **s)
{
	struct lisp_mapreg *m = calloc(1, sizeof(*m));
	size_t	n = hex(pkt, sizeof(pkt), MAPREG_HEX);
	const struct lisp_rec *r;
	uint8_t	again[512];

	(void)s;
	assert_int_equal(lisp_mapreg_decode(pkt, n, m), 0);
	assert_int_equal(m->type, LISP_MSG_REGISTER);
	assert_int_equal(m->flags, LISP_MREG_P | LISP_MREG_M);
	assert_true(m->nonce == 257);
	assert_int_equal(m->key_id, 1);
	assert_int_equal(m->alg_id, LISP_ALG_SHA1_96);
	assert_int_equal(m->auth_len, 12);
	assert_int_equal(m->nrec, 2);
	r = &m->rec[0];
	assert_int_equal(r->ttl, 5);
	assert_int_equal(r->mlen, 24);
	assert_true(r->auth);
	assert_int_equal(r->act, 0);
	assert_int_equal(r->nloc, 2);
	assert_int_equal(r->loc[0].priority, 1);
	assert_int_equal(r->loc[0].weight, 50);
	assert_int_equal(r->loc[0].mpriority, 255);
	assert_int_equal(r->loc[0].flags, LISP_LOC_L | LISP_LOC_R);
	assert_int_equal(r->loc[1].addr.afi, LISP_AFI_IPV6);
	assert_int_equal(r->loc[1].flags, LISP_LOC_R);
	r = &m->rec[1];
	assert_int_equal(r->mlen, 48);
	assert_false(r->auth);
	assert_int_equal(r->eid.lcaf, LISP_LCAF_IID);
	assert_int_equal(r->eid.iid, 5);
	assert_int_equal(r->eid.ip.afi, LISP_AFI_IPV6);
	assert_int_equal(r->nloc, 1);
	assert_int_equal(r->loc[0].flags, LISP_LOC_L);
	assert_int_equal(lisp_mapreg_encode(again, sizeof(again), m), (int)n);
	assert_memory_equal(again, pkt, n);
	/* Sign in place, then it verifies and decodes with the MAC kept. */
	assert_int_equal(lisp_auth_sign(pkt, n, "secret", 6), 0);
	assert_int_equal(lisp_auth_verify(pkt, n, "secret", 6), 0);
	assert_int_equal(lisp_mapreg_decode(pkt, n, m), 0);
	assert_memory_equal(m->auth, pkt + 16, 12);
	free(m);
}

/* A negative Map-Reply: no locators, action Natively-Forward, TTL 15. */
static void
t_negative_mapreply_hexdump(void **s)
{
	struct lisp_mapreply *m = calloc(1, sizeof(*m));
	size_t	n = hex(pkt, sizeof(pkt), "20000001 8a3c5d11029e44f0 "
	    "0000000f 00 08 20 00 0000 0001 0a000000");

	(void)s;
	assert_int_equal(lisp_mapreply_decode(pkt, n, m), 0);
	assert_true(m->nonce == 0x8a3c5d11029e44f0ULL);
	assert_int_equal(m->nrec, 1);
	assert_int_equal(m->rec[0].ttl, 15);
	assert_int_equal(m->rec[0].nloc, 0);
	assert_int_equal(m->rec[0].mlen, 8);
	assert_int_equal(m->rec[0].act, LISP_ACT_NATIVE_FWD);
	assert_false(m->rec[0].auth);
	free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_mapreq_hexdump),
		cmocka_unit_test(t_ecm_hexdump),
		cmocka_unit_test(t_mapreg_hexdump),
		cmocka_unit_test(t_negative_mapreply_hexdump),
	};

	return TAP_RUN("lisp wire vectors", tests);
}
