/* SPDX-License-Identifier: MIT */
/*
 * Messages as other implementations put them on the wire: Open Overlay
 * Router (liblisp/lisp_messages.h), lispers.net (lisp.py) and the
 * captures in tcpdump's tests/lisp_*.pcap, written out here field by
 * field and checked against tshark's decoding of the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tap.h"
#include "util.h"

static uint8_t	pkt[1024];

/*
 * A Map-Server's Map-Notify answering a Map-Register with the I bit
 * (tcpdump's lisp_eid_notify.pcap): the I bit at 0x08000000, where OOR,
 * tcpdump and Wireshark read it; a 16-bit "Key ID" 1 (RFC 6833), which
 * RFC 9301 reads as key-id 0, HMAC-SHA-1-96; the whole 20-byte MAC.  The
 * 0x100 bit is the Map-Register's M bit, copied and meaningless here.
 */
#define MNOT_HDR(word, nrec) \
	word " " nrec				/* type 4, flags, records */ \
	"c4218228892d20a4"			/* nonce */ \
	"00 01 0014"				/* key 0, alg 1, 20 bytes */ \
	"4bbb9614a67a86040407799545371906836cd1d6"
#define MNOT_REC1 \
	"000005a0 01 20 10 00 0000"		/* 1440 min, 1 loc, /32, A */ \
	"0001 0a1e0164"				/* EID 10.30.1.100 */ \
	"01 64 01 64 0000 0001 141408fd"	/* 1/100 1/100 20.20.8.253 */
#define MNOT_REC2 \
	"000005a0 02 20 10 00 0000 0001 0a1e0160" /* 10.30.1.96, 2 locs */ \
	"01 64 01 64 0000 0001 141408fb" \
	"01 64 01 64 0000 0001 141408fc"
#define MNOT_REC3 \
	"000005a0 01 20 10 00 0000 0001 0a1e0150" /* 10.30.1.80 */ \
	"01 64 01 64 0000 0001 141408ef"
#define MNOT_XTR \
	"9787ad753caf58a713fa6920e6d27a8f"	/* xTR-ID */ \
	"0000000000000000"			/* Site-ID */

static void
t_mapnotify_xtr_id(void **s)
{
	static const uint8_t xtr[16] = {
		0x97, 0x87, 0xad, 0x75, 0x3c, 0xaf, 0x58, 0xa7,
		0x13, 0xfa, 0x69, 0x20, 0xe6, 0xd2, 0x7a, 0x8f };
	struct lisp_mapreg *m = calloc(1, sizeof(*m));
	size_t	n = hex(pkt, sizeof(pkt), MNOT_HDR("48 00 01", "02")
	    MNOT_REC1 MNOT_REC2 MNOT_XTR);
	uint8_t	again[512];

	(void)s;
	assert_int_equal(n, 128);		/* tshark: UDP payload 128 */
	assert_int_equal(lisp_mapnotify_decode(pkt, n, m), 0);
	assert_int_equal(m->type, LISP_MSG_NOTIFY);
	assert_int_equal(m->flags, LISP_MNOT_I);
	assert_true(m->nonce == 0xc4218228892d20a4ULL);
	assert_int_equal(m->key_id, 0);
	assert_int_equal(m->alg_id, LISP_ALG_SHA1_96);
	assert_int_equal(m->auth_len, 20);
	assert_int_equal(m->nrec, 2);
	assert_int_equal(m->rec[0].ttl, 1440);
	assert_true(m->rec[0].auth);
	assert_int_equal(m->rec[0].nloc, 1);
	assert_memory_equal(m->rec[0].eid.ip.addr, "\x0a\x1e\x01\x64", 4);
	assert_int_equal(m->rec[1].nloc, 2);
	assert_memory_equal(m->rec[1].loc[1].addr.ip.addr,
	    "\x14\x14\x08\xfc", 4);
	assert_int_equal(m->rec[1].loc[1].priority, 1);
	assert_int_equal(m->rec[1].loc[1].weight, 100);
	assert_memory_equal(m->xtr_id, xtr, 16);
	assert_true(m->site_id == 0);
	/* Written back as the peer wrote it, less the copied M bit. */
	pkt[2] = 0;
	assert_int_equal(lisp_mapnotify_encode(again, sizeof(again), m),
	    (int)n);
	assert_memory_equal(again, pkt, 16);
	assert_memory_equal(again + 36, pkt + 36, n - 36);
	/* The Map-Notify-Ack has the same header. */
	m->type = LISP_MSG_NOTIFY_ACK;
	assert_int_equal(lisp_mapnotify_ack_encode(again, sizeof(again), m),
	    (int)n);
	assert_int_equal(again[0], 0x58);
	assert_int_equal(lisp_mapnotify_decode(again, n, m), 0);
	assert_int_equal(m->flags, LISP_MNOT_I);
	assert_memory_equal(m->xtr_id, xtr, 16);
	free(m);
}

/*
 * The same capture's malformed ones: the I bit with three records and
 * no trailer (tcpdump: "[|lisp]", tshark: "Malformed Packet"), and the
 * trailer without the I bit.  A Map-Register's I bit (0x02000000) in a
 * Map-Notify is a reserved bit, not the I bit.
 */
static void
t_mapnotify_xtr_id_malformed(void **s)
{
	struct lisp_mapreg *m = calloc(1, sizeof(*m));
	size_t	n;

	(void)s;
	n = hex(pkt, sizeof(pkt), MNOT_HDR("48 00 01", "03")
	    MNOT_REC1 MNOT_REC2 MNOT_REC3);
	assert_int_equal(lisp_mapnotify_decode(pkt, n, m), -LISP_E_XTR_ID);
	assert_string_equal(lisp_strerror(LISP_E_XTR_ID),
	    "I bit set but no xTR-ID and Site-ID");
	n = hex(pkt, sizeof(pkt), MNOT_HDR("40 00 01", "02")
	    MNOT_REC1 MNOT_REC2 MNOT_XTR);
	assert_int_equal(lisp_mapnotify_decode(pkt, n, m), -LISP_E_TRAILING);
	n = hex(pkt, sizeof(pkt), MNOT_HDR("42 00 01", "02")
	    MNOT_REC1 MNOT_REC2 MNOT_XTR);
	assert_int_equal(lisp_mapnotify_decode(pkt, n, m), -LISP_E_TRAILING);
	n = hex(pkt, sizeof(pkt), MNOT_HDR("42 00 01", "02")
	    MNOT_REC1 MNOT_REC2);
	assert_int_equal(lisp_mapnotify_decode(pkt, n, m), 0);
	assert_int_equal(m->flags, 0);
	/* No I bit: plain, as the capture's first packet. */
	n = hex(pkt, sizeof(pkt), MNOT_HDR("40 00 01", "03")
	    MNOT_REC1 MNOT_REC2 MNOT_REC3);
	assert_int_equal(lisp_mapnotify_decode(pkt, n, m), 0);
	assert_int_equal(m->nrec, 3);
	free(m);
}

/*
 * lispers.net's signed Map-Request (lisp.py, lisp_map_request.encode):
 * the source EID is a JSON LCAF holding the source EID, the signature
 * EID and the signature; with lisp-crypto on, its ITR-RLOC is a
 * Security Key LCAF (curve25519 CBC, 32-byte public key) around the
 * ITR's address.  Served: the reply goes to 192.0.2.1, without a key.
 */
#define LN_JSON \
	"4003 00 00 0e 00 004f"			/* JSON, 79 bytes */ \
	"004b"					/* 75 bytes of JSON */ \
	"7b22736f757263652d656964223a202231302e302e302e31222c2022" \
	"7369676e61747572652d656964223a2022666430303a3a31222c2022" \
	"7369676e6174757265223a202263326c6e227d" \
	"0000"					/* AFI 0 */
#define LN_KEY(afi_addr, len) \
	"4003 00 00 0b 00 " len			/* Security Key */ \
	"01 00 02 00"				/* 1 key, 25519-CBC */ \
	"0020 00112233445566778899aabbccddeeff" \
	"00112233445566778899aabbccddeeff" afi_addr
#define LN_REQ(irc, seid, itr) \
	"10 00 " irc " 01"			/* Map-Request, 1 record */ \
	"5a17e2c3d4b5a697" seid itr \
	"00 20 0001 0a020001"			/* 10.2.0.1/32 */

static void
t_lispers_signed_request(void **s)
{
	struct lisp_mapreq *m = calloc(1, sizeof(*m));
	size_t	n;

	(void)s;
	n = hex(pkt, sizeof(pkt), LN_REQ("00", LN_JSON,
	    LN_KEY("0001 c0000201", "002c")));
	assert_int_equal(lisp_mapreq_decode(pkt, n, m), 0);
	assert_int_equal(m->seid.afi, LISP_AFI_LCAF);
	assert_int_equal(m->seid.lcaf, LISP_LCAF_JSON);
	assert_int_equal(m->nitr, 1);
	assert_int_equal(m->nitr_skipped, 0);
	assert_int_equal(m->itr[0].afi, LISP_AFI_IPV4);
	assert_memory_equal(m->itr[0].ip.addr, "\xc0\x00\x02\x01", 4);
	assert_int_equal(m->nrec, 1);
	assert_memory_equal(m->rec[0].eid.ip.addr, "\x0a\x02\x00\x01", 4);
	/* Its JSON length must agree with the LCAF's. */
	pkt[21] = 0x4c;
	assert_int_equal(lisp_mapreq_decode(pkt, n, m), -LISP_E_LCAF_LEN);
	/* A Security Key around no address: nowhere to reply, said so. */
	n = hex(pkt, sizeof(pkt), LN_REQ("00", "0001 0a000001",
	    LN_KEY("0000", "0028")));
	assert_int_equal(lisp_mapreq_decode(pkt, n, m), -LISP_E_ITR_KEY);
	/* ... unless another ITR-RLOC is there. */
	n = hex(pkt, sizeof(pkt), LN_REQ("01", "0001 0a000001",
	    LN_KEY("0000", "0028") "0002 20010db8000000000000000000000001"));
	assert_int_equal(lisp_mapreq_decode(pkt, n, m), 0);
	assert_int_equal(m->nitr, 1);
	assert_int_equal(m->itr[0].afi, LISP_AFI_IPV6);
	assert_int_equal(m->nitr_skipped, 1);
	free(m);
}

/*
 * lispers.net's EIDs in an Instance-ID LCAF around another LCAF
 * (lcaf_encode_iid): a geo-prefix, the Geo LCAF in the LISP-Geo
 * draft's layout (20 bytes before the AFI), and a Source/Dest EID.
 * Read; the Map-Server or ETR then refuses a non-IP EID.
 */
static void
t_lispers_nested_eid(void **s)
{
	struct lisp_mapreq *m = calloc(1, sizeof(*m));
	size_t	n;

	(void)s;
	n = hex(pkt, sizeof(pkt), "10000001 0000000000000007 0000 "
	    "0001 c0000201"
	    "00 00 4003 00 00 02 00 0022 000003e8"	/* IID 1000, 34 bytes */
	    "4003 00 00 05 00 0016"			/* Geo, 22 bytes */
	    "10 00 0000 28 00 7530 49 00 4e20"		/* N 40 0'30", E 73 */
	    "00000032 0005 0000 0000");			/* 50 m, 5 km, AFI 0 */
	assert_int_equal(lisp_mapreq_decode(pkt, n, m), 0);
	assert_int_equal(m->rec[0].eid.lcaf, LISP_LCAF_IID);
	assert_int_equal(m->rec[0].eid.iid, 1000);
	assert_int_equal(m->rec[0].eid.ip.afi, LISP_AFI_LCAF);
	assert_int_equal(m->rec[0].eid.inner_lcaf, LISP_LCAF_GEO);
	/* The IID's Length one short: the Geo inside no longer fits. */
	pkt[29] = 0x21;
	assert_int_equal(lisp_mapreq_decode(pkt, n, m), -LISP_E_LCAF_LEN);
	n = hex(pkt, sizeof(pkt), "10000001 0000000000000007 0000 "
	    "0001 c0000201"
	    "00 00 4003 00 00 02 00 001c 00000005"	/* IID 5 */
	    "4003 00 00 0c 00 0010 0000 10 18"		/* S/D, /16 -> /24 */
	    "0001 0a010000 0001 0a020000");
	assert_int_equal(lisp_mapreq_decode(pkt, n, m), 0);
	assert_int_equal(m->rec[0].eid.inner_lcaf, LISP_LCAF_SRC_DST);
	assert_int_equal(m->rec[0].eid.iid, 5);
	/* Read, not kept: not written back either. */
	assert_int_equal(lisp_mapreq_encode(pkt, sizeof(pkt), m),
	    -LISP_E_LCAF_TYPE);
	/* An AFI-List holding an LCAF (RFC 8060 4.10.4) likewise. */
	n = hex(pkt, sizeof(pkt), "10000001 0000000000000007 0000 "
	    "0001 c0000201"
	    "00 00 4003 00 00 01 00 000e 0001 0a010203"
	    "4003 00 00 00 00 0000");
	assert_int_equal(lisp_mapreq_decode(pkt, n, m), 0);
	assert_int_equal(m->rec[0].eid.lcaf, LISP_LCAF_AFI_LIST);
	assert_int_equal(m->rec[0].eid.ip.afi, LISP_AFI_LCAF);
	assert_int_equal(m->rec[0].eid.inner_lcaf, LISP_LCAF_NULL);
	assert_int_equal(m->rec[0].eid.nlist, 0);
	assert_int_equal(lisp_mapreq_encode(pkt, sizeof(pkt), m),
	    -LISP_E_LCAF_TYPE);
	free(m);
}

/*
 * Every LCAF type of RFC 8060 but the two we keep, each as written by
 * its figure (two layouts of Geo), around 192.0.2.1 where it has one.
 */
static const struct {
	uint8_t		type;
	bool		opaque;		/* its Length cannot be cross-checked */
	const char	*hex;
} lcafs[] = {
	{ 0, false, "4003 0000 0000 0000" },
	{ 3, false, "4003 0000 0300 000a 0000fde8 0001 c0000201" },
	{ 4, false, "4003 0000 0400 0012 00000006 0050 0050 0000 ffff "
	    "0001 c0000201" },
	{ 5, false, "4003 0000 0500 0012 0028 1e0f 8049 0a14 00000032 "
	    "0001 c0000201" },
	{ 5, false, "4003 0000 0500 001a 10 00 0000 28 00 7530 49 00 4e20 "
	    "00000032 0000 0000 0001 c0000201" },
	{ 6, true, "4003 0000 0600 0007 00 0000 01020304" },
	{ 7, false, "4003 0000 0700 001c 10f6 10f5 0001 c0000201 "
	    "0001 c6336401 0001 0a000001 0001 cb007101" },
	{ 8, false, "4003 0000 0800 000a 00123456 0001 c0000201" },
	{ 9, false, "4003 0000 0900 0014 000003e8 0000 20 20 "
	    "0001 0a000001 0001 e0000001" },
	{ 10, false, "4003 0000 0a00 0010 0000 0001 c6336401 "
	    "0002 0001 c0000201" },
	{ 11, false, "4003 0000 0b00 0010 01 00 02 00 0004 01020304 "
	    "0001 c0000201" },
	{ 12, false, "4003 0000 0c00 0010 0000 18 18 0001 0a010000 "
	    "0001 0a020000" },
	{ 13, false, "4003 0000 0d00 000a 0000 00 01 0001 c0000201" },
	{ 14, false, "4003 0000 0e00 0006 0002 7b7d 0000" },
	{ 15, false, "4003 0000 0f00 000c 0001 c0000201 0001 0a000001" },
	{ 16, false, "4003 0000 1000 000a 00000001 0001 c0000201" },
};
#define LCAF_AT		34	/* after the Map-Reply's record and locator head */

/*
 * As a locator: skipped and counted; its Length one byte short or long
 * refused as lcaf-length.  As an ITR-RLOC beside an IPv4 one: skipped
 * (a Security Key yields its address).  As a Map-Request's EID: read.
 */
static void
t_every_lcaf(void **s)
{
	struct lisp_mapreply *r = calloc(1, sizeof(*r));
	struct lisp_mapreq *q = calloc(1, sizeof(*q));
	char	msg[512];
	size_t	i, n;

	(void)s;
	for (i = 0; i < sizeof(lcafs) / sizeof(lcafs[0]); i++) {
		snprintf(msg, sizeof(msg), "20000001 0000000000000002 "
		    "0000000f 01180000 0000 0001 0a010000 01 64 ff 00 0005 %s",
		    lcafs[i].hex);
		n = hex(pkt, sizeof(pkt), msg);
		assert_int_equal(pkt[LCAF_AT + 4], lcafs[i].type);
		assert_int_equal(lisp_mapreply_decode(pkt, n, r), 0);
		assert_int_equal(r->rec[0].nloc, 0);
		assert_int_equal(r->rec[0].nloc_skipped, 1);
		if (!lcafs[i].opaque && pkt[LCAF_AT + 7] > 0) {
			pkt[LCAF_AT + 7]--;
			assert_int_equal(lisp_mapreply_decode(pkt, n, r),
			    -LISP_E_LCAF_LEN);
			pkt[LCAF_AT + 7] += 2;
			assert_int_equal(lisp_mapreply_decode(pkt, n, r),
			    -LISP_E_LCAF_LEN);
		}

		snprintf(msg, sizeof(msg), "10000101 0000000000000001 0000 "
		    "%s 0001 c0000202 00 20 0001 0a010001", lcafs[i].hex);
		n = hex(pkt, sizeof(pkt), msg);
		assert_int_equal(lisp_mapreq_decode(pkt, n, q), 0);
		if (lcafs[i].type == LISP_LCAF_SECURITY_KEY) {
			assert_int_equal(q->nitr, 2);
			assert_memory_equal(q->itr[0].ip.addr,
			    "\xc0\x00\x02\x01", 4);
		} else {
			assert_int_equal(q->nitr, 1);
			assert_int_equal(q->nitr_skipped, 1);
		}

		snprintf(msg, sizeof(msg), "10000001 0000000000000001 0000 "
		    "0001 c0000202 00 20 %s", lcafs[i].hex);
		n = hex(pkt, sizeof(pkt), msg);
		assert_int_equal(lisp_mapreq_decode(pkt, n, q), 0);
		assert_int_equal(q->rec[0].eid.lcaf, lcafs[i].type);
	}
	free(r);
	free(q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_mapnotify_xtr_id),
		cmocka_unit_test(t_mapnotify_xtr_id_malformed),
		cmocka_unit_test(t_lispers_signed_request),
		cmocka_unit_test(t_lispers_nested_eid),
		cmocka_unit_test(t_every_lcaf),
	};

	return TAP_RUN("messages as peers write them", tests);
}
