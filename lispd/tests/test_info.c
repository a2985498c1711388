/* SPDX-License-Identifier: MIT */
/*
 * Info-Request / Info-Reply and the NAT-Traversal LCAF as Open Overlay
 * Router (liblisp.c lisp_msg_inf_req_create, lisp_ms.c
 * ms_recv_inf_request) and lispers.net (lisp.py, class lisp_info) put
 * them on the wire, written out field by field.  tshark 4.0.17 read the
 * same bytes (text2pcap, UDP 4342, tshark -V): each comment names what
 * it showed, and the assertions check the same fields.
 */
#include <stdlib.h>

#include "tap.h"
#include "util.h"

static uint8_t	pkt[1024], again[1024];

/*
 * OOR's Info-Request for its EID 10.1.0.0/16: 16-bit "Key ID" 1, the
 * 20-byte SHA-1 HMAC, TTL 0, then AFI 0.  tshark: "Type: Info (7)",
 * "R bit (Info-Reply): Not set", "Nonce: 0x0123456789abcdef",
 * "Key ID: 0x0001", "Authentication Data Length: 20", "TTL: 0",
 * "EID Prefix: 10.1.0.0/16", "AFI: Reserved (0)".
 */
#define OOR_AUTH \
	"0123456789abcdef"			/* nonce */ \
	"00 01 0014"				/* key 0, alg 1, 20 bytes */ \
	"0000000000000000000000000000000000000000"
#define OOR_REQ \
	"70000000" OOR_AUTH \
	"00000000"				/* TTL */ \
	"00 10 0001 0a010000"			/* /16 10.1.0.0 */ \
	"0000"					/* AFI 0 */

static void
t_oor_request(void **s)
{
	struct lisp_info *m = calloc(1, sizeof(*m));
	size_t	n = hex(pkt, sizeof(pkt), OOR_REQ);

	(void)s;
	assert_int_equal(n, 50);
	assert_int_equal(lisp_msg_type(pkt, n), LISP_MSG_INFO);
	assert_int_equal(lisp_info_decode(pkt, n, m), 0);
	assert_false(m->reply);
	assert_true(m->nonce == 0x0123456789abcdefULL);
	assert_int_equal(m->key_id, 0);
	assert_int_equal(m->alg_id, LISP_ALG_SHA1_96);
	assert_int_equal(m->auth_len, 20);
	assert_int_equal(m->ttl, 0);
	assert_int_equal(m->mlen, 16);
	assert_int_equal(m->eid.afi, LISP_AFI_IPV4);
	assert_memory_equal(m->eid.ip.addr, "\x0a\x01\x00\x00", 4);
	assert_string_equal(m->name, "");
	/* Signed with the site's key, as OOR signs it: the whole message. */
	assert_int_equal(lisp_auth_sign(pkt, n, "oor-key", 7), 0);
	assert_int_equal(lisp_auth_verify(pkt, n, "oor-key", 7), 0);
	assert_int_equal(lisp_auth_verify(pkt, n, "other", 5),
	    -LISP_E_AUTH_FAIL);
	pkt[n - 3] ^= 1;			/* the EID */
	assert_int_equal(lisp_auth_verify(pkt, n, "oor-key", 7),
	    -LISP_E_AUTH_FAIL);
	pkt[n - 3] ^= 1;
	/* Written back the same, auth data zeroed for the signer. */
	assert_int_equal(lisp_info_encode(again, sizeof(again), m), (int)n);
	assert_memory_equal(again, pkt, 16);
	assert_memory_equal(again + 36, pkt + 36, n - 36);
	free(m);
}

/*
 * OOR's Map-Server answers: the source address and port it saw as the
 * global ETR RLOC and port, its own address as the MS RLOC, the private
 * ETR RLOC AFI 0, its RTR list.  tshark: "R bit (Info-Reply): Set",
 * "TTL: 15", "LCAF: NAT Traversal", "Length: 24", "MS UDP Port Number:
 * 4342", "ETR UDP Port Number: 61000", "RLOC of Global ETR:
 * 198.51.100.7", "RLOC of MS: 192.0.2.1", "RLOC of Private ETR: not
 * set", "RLOC of RTR 1: 203.0.113.9".
 */
#define OOR_REP \
	"78000000" OOR_AUTH \
	"0000000f"				/* TTL 15 */ \
	"00 10 0001 0a010000" \
	"4003 00 00 07 00 0018"			/* NAT LCAF, 24 bytes */ \
	"10f6 ee48"				/* MS 4342, ETR 61000 */ \
	"0001 c6336407"				/* global 198.51.100.7 */ \
	"0001 c0000201"				/* MS 192.0.2.1 */ \
	"0000"					/* private: none */ \
	"0001 cb007109"				/* RTR 203.0.113.9 */

static void
t_oor_reply(void **s)
{
	struct lisp_info *m = calloc(1, sizeof(*m));
	size_t	n = hex(pkt, sizeof(pkt), OOR_REP);

	(void)s;
	assert_int_equal(n, 80);
	assert_int_equal(lisp_info_decode(pkt, n, m), 0);
	assert_true(m->reply);
	assert_int_equal(m->ttl, 15);
	assert_int_equal(m->mlen, 16);
	assert_int_equal(m->nat.ms_port, 4342);
	assert_int_equal(m->nat.etr_port, 61000);
	assert_int_equal(m->nat.global_etr.afi, LISP_AFI_IPV4);
	assert_memory_equal(m->nat.global_etr.addr, "\xc6\x33\x64\x07", 4);
	assert_int_equal(m->nat.ms.afi, LISP_AFI_IPV4);
	assert_memory_equal(m->nat.ms.addr, "\xc0\x00\x02\x01", 4);
	assert_int_equal(m->nat.private_etr.afi, LISP_AFI_NONE);
	assert_int_equal(m->nat.nrtr, 1);
	assert_memory_equal(m->nat.rtr[0].addr, "\xcb\x00\x71\x09", 4);
	assert_int_equal(lisp_auth_sign(pkt, n, "k", 1), 0);
	assert_int_equal(lisp_auth_verify(pkt, n, "k", 1), 0);
	assert_int_equal(lisp_info_encode(again, sizeof(again), m), (int)n);
	assert_memory_equal(again + 36, pkt + 36, n - 36);
	free(m);
}

/*
 * lispers.net's Info-Request: key-id, auth length, TTL, mask-len and EID
 * AFI all 0, then its host name with AFI 17.  tshark: "Key ID: 0x0000",
 * "Authentication Data Length: 0", "EID Prefix: not set/0", "AFI:
 * Distinguished Name (17)" with "Expecting NULL AFI (0)", and the 9
 * bytes "branch-1\0" as data.
 */
#define LISPERS_HDR(word) \
	word "1122334455667788" \
	"0000 0000"				/* no key, no auth data */ \
	"00000000"				/* TTL */ \
	"00 00 0000"				/* no EID */

static void
t_lispers_request(void **s)
{
	struct lisp_info *m = calloc(1, sizeof(*m));
	size_t	n = hex(pkt, sizeof(pkt), LISPERS_HDR("70000000")
	    "0011 6272616e63682d3100");		/* AFI 17 "branch-1" */

	(void)s;
	assert_int_equal(n, 35);
	assert_int_equal(lisp_info_decode(pkt, n, m), 0);
	assert_false(m->reply);
	assert_true(m->nonce == 0x1122334455667788ULL);
	assert_int_equal(m->alg_id, LISP_ALG_NONE);
	assert_int_equal(m->auth_len, 0);
	assert_int_equal(m->eid.afi, LISP_AFI_NONE);
	assert_int_equal(m->mlen, 0);
	assert_string_equal(m->name, "branch-1");
	/* Nothing to verify: not accepted where a key is required. */
	assert_int_equal(lisp_auth_verify(pkt, n, "k", 1), -LISP_E_AUTH_ALG);
	assert_int_equal(lisp_info_encode(again, sizeof(again), m), (int)n);
	assert_memory_equal(again, pkt, n);
	free(m);
}

/*
 * lispers.net's Info-Reply: the MS RLOC AFI 0, the LCAF Length 16
 * whatever follows, an AFI 0 entry for no RTRs.  tshark reads the
 * Length and stops inside the private ETR RLOC: "Length: 16", "MS UDP
 * Port Number: 4342", "ETR UDP Port Number: 61000", "RLOC of Global
 * ETR: 198.51.100.7", "RLOC of MS: not set", then "[Malformed Packet:
 * LISP Control]".  We read the LCAF to the message's end, as
 * lispers.net does.
 */
#define LISPERS_NAT(rtrs) \
	"4003 00 00 07 00 0010"			/* NAT LCAF, "16" */ \
	"10f6 ee48" \
	"0001 c6336407"				/* global 198.51.100.7 */ \
	"0000"					/* MS: none */ \
	"0001 0a000005"				/* private 10.0.0.5 */ \
	rtrs

static void
t_lispers_reply(void **s)
{
	struct lisp_info *m = calloc(1, sizeof(*m));
	size_t	n = hex(pkt, sizeof(pkt), LISPERS_HDR("78000000")
	    LISPERS_NAT("0000"));

	(void)s;
	assert_int_equal(n, 52);
	assert_int_equal(lisp_info_decode(pkt, n, m), 0);
	assert_true(m->reply);
	assert_int_equal(m->nat.ms_port, 4342);
	assert_int_equal(m->nat.etr_port, 61000);
	assert_memory_equal(m->nat.global_etr.addr, "\xc6\x33\x64\x07", 4);
	assert_int_equal(m->nat.ms.afi, LISP_AFI_NONE);
	assert_int_equal(m->nat.private_etr.afi, LISP_AFI_IPV4);
	assert_memory_equal(m->nat.private_etr.addr, "\x0a\x00\x00\x05", 4);
	assert_int_equal(m->nat.nrtr, 0);
	/* Two RTRs, one IPv6. */
	n = hex(pkt, sizeof(pkt), LISPERS_HDR("78000000") LISPERS_NAT(
	    "0001 cb007109 0002 20010db8000000000000000000000009"));
	assert_int_equal(lisp_info_decode(pkt, n, m), 0);
	assert_int_equal(m->nat.nrtr, 2);
	assert_int_equal(m->nat.rtr[1].afi, LISP_AFI_IPV6);
	assert_int_equal(m->nat.rtr[1].addr[15], 9);
	/*
	 * Written back with the true Length, 42, which tshark reads through:
	 * "RLOC of Private ETR: 10.0.0.5", "RLOC of RTR 1: 203.0.113.9",
	 * "RLOC of RTR 2: 2001:db8::9".
	 */
	assert_int_equal(lisp_info_encode(again, sizeof(again), m), (int)n);
	assert_int_equal(again[30] << 8 | again[31], 42);
	pkt[31] = 42;
	assert_memory_equal(again, pkt, n);
	free(m);
}

/* What the decoder refuses, each with its reason. */
static void
t_malformed(void **s)
{
	struct lisp_info *m = calloc(1, sizeof(*m));
	size_t	n;

	(void)s;
	n = hex(pkt, sizeof(pkt), LISPERS_HDR("70000000") "0001 0a000001");
	assert_int_equal(lisp_info_decode(pkt, n, m), -LISP_E_INFO_TAIL);
	n = hex(pkt, sizeof(pkt), LISPERS_HDR("70000000") "0011 6162");
	assert_int_equal(lisp_info_decode(pkt, n, m), -LISP_E_NAME);
	n = hex(pkt, sizeof(pkt), LISPERS_HDR("70000000") "0000 00");
	assert_int_equal(lisp_info_decode(pkt, n, m), -LISP_E_TRAILING);
	n = hex(pkt, sizeof(pkt), LISPERS_HDR("70000000"));
	assert_int_equal(lisp_info_decode(pkt, n, m), -LISP_E_TRUNC);
	n = hex(pkt, sizeof(pkt), LISPERS_HDR("78000000"));
	assert_int_equal(lisp_info_decode(pkt, n, m), -LISP_E_NAT_LCAF);
	n = hex(pkt, sizeof(pkt), LISPERS_HDR("78000000") "0001 0a000001");
	assert_int_equal(lisp_info_decode(pkt, n, m), -LISP_E_NAT_LCAF);
	/* Another LCAF type; a Length neither true nor lispers.net's. */
	n = hex(pkt, sizeof(pkt), LISPERS_HDR("78000000")
	    "4003 00 00 02 00 000a 00000001 0001 0a000001");
	assert_int_equal(lisp_info_decode(pkt, n, m), -LISP_E_LCAF_TYPE);
	n = hex(pkt, sizeof(pkt), LISPERS_HDR("78000000")
	    "4003 00 00 07 00 0011 10f6 ee48 0001 c6336407 0000 0000 0000");
	assert_int_equal(lisp_info_decode(pkt, n, m), -LISP_E_LCAF_LEN);
	/* An address cut short, an unknown AFI inside. */
	n = hex(pkt, sizeof(pkt), LISPERS_HDR("78000000")
	    "4003 00 00 07 00 0008 10f6 ee48 0001 c633");
	assert_int_equal(lisp_info_decode(pkt, n, m), -LISP_E_LCAF_LEN);
	n = hex(pkt, sizeof(pkt), LISPERS_HDR("78000000")
	    "4003 00 00 07 00 000a 10f6 ee48 0005 c6336407");
	assert_int_equal(lisp_info_decode(pkt, n, m), -LISP_E_AFI);
	/* Nine RTRs. */
	n = hex(pkt, sizeof(pkt), LISPERS_HDR("78000000")
	    "4003 00 00 07 00 0040 10f6 ee48 0000 0000 0000"
	    "0001 01010101 0001 02020202 0001 03030303 0001 04040404"
	    "0001 05050505 0001 06060606 0001 07070707 0001 08080808"
	    "0001 09090909");
	assert_int_equal(lisp_info_decode(pkt, n, m), -LISP_E_NAT_RTRS);
	/* A mask-len longer than the EID; an auth length wrong for SHA-1. */
	n = hex(pkt, sizeof(pkt), "70000000 0000000000000000 0000 0000"
	    "00000000 00 21 0001 0a000000 0000");
	assert_int_equal(lisp_info_decode(pkt, n, m), -LISP_E_MASKLEN);
	n = hex(pkt, sizeof(pkt), "70000000 0000000000000000 0001 0004"
	    "00000000 00000000 00 00 0000 0000");
	assert_int_equal(lisp_info_decode(pkt, n, m), -LISP_E_AUTH_LEN);
	/* Another type. */
	n = hex(pkt, sizeof(pkt), LISPERS_HDR("30000000") "0000");
	assert_int_equal(lisp_info_decode(pkt, n, m), -LISP_E_TYPE);
	assert_string_equal(lisp_strerror(-LISP_E_NAT_LCAF),
	    "Info-Reply without a NAT-Traversal LCAF");
	free(m);
}

/* Ours: instance-id EID, SHA-256, IPv6 addresses; signed and checked. */
static void
t_roundtrip(void **s)
{
	struct lisp_info *m = calloc(1, sizeof(*m));
	struct lisp_info *d = calloc(1, sizeof(*d));
	struct lisp_addr a;
	int	n;

	(void)s;
	m->reply = true;
	m->nonce = 42;
	m->key_id = 3;
	m->alg_id = LISP_ALG_SHA256_128;
	m->ttl = 1;
	m->mlen = 24;
	iid4(&m->eid, 200, 10, 2, 0, 0);
	m->nat.ms_port = 4342;
	m->nat.etr_port = 1024;
	v6(&a, 7);
	m->nat.global_etr = a.ip;
	v6(&a, 1);
	m->nat.ms = a.ip;
	v4(&a, 10, 0, 0, 5);
	m->nat.private_etr = a.ip;
	m->nat.nrtr = 1;
	v6(&a, 9);
	m->nat.rtr[0] = a.ip;
	n = lisp_info_encode(pkt, sizeof(pkt), m);
	assert_true(n > 0);
	assert_int_equal(pkt[15], 16);		/* RFC length for SHA-256 */
	assert_int_equal(lisp_auth_sign(pkt, (size_t)n, "key", 3), 0);
	assert_int_equal(lisp_auth_verify(pkt, (size_t)n, "key", 3), 0);
	assert_int_equal(lisp_info_decode(pkt, (size_t)n, d), 0);
	assert_int_equal(d->key_id, 3);
	assert_int_equal(d->eid.iid, 200);
	assert_int_equal(d->mlen, 24);
	assert_memory_equal(&d->nat, &m->nat, sizeof(d->nat));
	/* Too many RTRs or an AFI 0 one cannot be written. */
	m->nat.nrtr = LISP_MAX_RTR + 1;
	assert_int_equal(lisp_info_encode(pkt, sizeof(pkt), m),
	    -LISP_E_INVAL);
	m->nat.nrtr = 1;
	memset(&m->nat.rtr[0], 0, sizeof(m->nat.rtr[0]));
	assert_int_equal(lisp_info_encode(pkt, sizeof(pkt), m),
	    -LISP_E_INVAL);
	assert_int_equal(lisp_info_encode(pkt, 20, m), -LISP_E_NOSPACE);
	free(m);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_oor_request),
		cmocka_unit_test(t_oor_reply),
		cmocka_unit_test(t_lispers_request),
		cmocka_unit_test(t_lispers_reply),
		cmocka_unit_test(t_malformed),
		cmocka_unit_test(t_roundtrip),
	};

	return TAP_RUN("info", tests);
}
