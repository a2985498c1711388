/* SPDX-License-Identifier: MIT */
/*
 * Messages as other implementations put them on the wire: Open Overlay
 * Router (liblisp/lisp_messages.h), lispers.net (lisp.py) and the
 * captures in tcpdump's tests/lisp_*.pcap, written out here field by
 * field and checked against tshark's decoding of the same bytes.
 */
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_mapnotify_xtr_id),
		cmocka_unit_test(t_mapnotify_xtr_id_malformed),
	};

	return TAP_RUN("messages as peers write them", tests);
}
