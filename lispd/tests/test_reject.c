/* SPDX-License-Identifier: MIT */
/* Every malformation class is rejected with its own reason. */
#include <stdlib.h>

#include "tap.h"
#include "util.h"

static uint8_t			 buf[4096];
static struct lisp_mapreq	 rq;
static struct lisp_mapreply	 rp;
static struct lisp_mapreg	 rg;

static int
req(const char *hx)
{
	size_t	n = hex(buf, sizeof(buf), hx);

	return lisp_mapreq_decode(buf, n, &rq);
}

static int
rep(const char *hx)
{
	size_t	n = hex(buf, sizeof(buf), hx);

	return lisp_mapreply_decode(buf, n, &rp);
}

static int
reg(const char *hx)
{
	size_t	n = hex(buf, sizeof(buf), hx);

	return lisp_mapreg_decode(buf, n, &rg);
}

/* Map-Request header pieces: type 1, IRC 0, one record. */
#define RQ_HDR	"10000001 0000000000000001 "
#define RQ_SEID	"0001 0a000001 "
#define RQ_ITR	"0001 c0000201 "
#define RQ_REC	"00 20 0001 0a010001"
/* Map-Reply: type 2, one record, one IPv4 locator. */
#define RP_HDR	"20000001 0000000000000002 "
#define RP_REC	"0000000f 01180000 0000 0001 0a010000 "
#define RP_LOC	"01 64 ff 00 0005 0001 c0000201"

static void
t_valid_baselines(void **s)
{
	(void)s;
	assert_int_equal(req(RQ_HDR RQ_SEID RQ_ITR RQ_REC), 0);
	assert_int_equal(rep(RP_HDR RP_REC RP_LOC), 0);
	assert_int_equal(rp.rec[0].nloc, 1);
}

/* Every proper prefix of a valid message fails, never reading past it. */
static void
t_truncation_every_length(void **s)
{
	static const char *const msgs[] = {
		RQ_HDR RQ_SEID RQ_ITR RQ_REC,
		RP_HDR RP_REC RP_LOC,
	};
	size_t	i, k, n;
	uint8_t	*p;

	(void)s;
	for (i = 0; i < 2; i++) {
		n = hex(buf, sizeof(buf), msgs[i]);
		for (k = 0; k < n; k++) {
			/* An exact-size heap copy lets ASan catch overreads. */
			p = malloc(k ? k : 1);
			memcpy(p, buf, k);
			if (i == 0)
				assert_int_equal(lisp_mapreq_decode(p, k, &rq),
				    -LISP_E_TRUNC);
			else
				assert_int_equal(lisp_mapreply_decode(p, k,
				    &rp), -LISP_E_TRUNC);
			free(p);
		}
	}
}

static void
t_trailing(void **s)
{
	(void)s;
	assert_int_equal(req(RQ_HDR RQ_SEID RQ_ITR RQ_REC "00"),
	    -LISP_E_TRAILING);
	assert_int_equal(rep(RP_HDR RP_REC RP_LOC "0000"), -LISP_E_TRAILING);
}

static void
t_wrong_type(void **s)
{
	(void)s;
	assert_int_equal(req(RP_HDR RP_REC RP_LOC), -LISP_E_TYPE);
	assert_int_equal(rep(RQ_HDR RQ_SEID RQ_ITR RQ_REC), -LISP_E_TYPE);
	assert_int_equal(lisp_msg_type(buf, 0), -LISP_E_TRUNC);
}

static void
t_record_counts(void **s)
{
	(void)s;
	/* Record count 0. */
	assert_int_equal(req("10000000 0000000000000001 " RQ_SEID RQ_ITR),
	    -LISP_E_NO_RECORDS);
	/* Count says 2, one present. */
	assert_int_equal(req("10000002 0000000000000001 " RQ_SEID RQ_ITR
	    RQ_REC), -LISP_E_TRUNC);
	/* IRC says 2 ITR-RLOCs, one present: the record reads as AFI 32. */
	assert_int_equal(req("10000101 0000000000000001 " RQ_SEID RQ_ITR
	    RQ_REC), -LISP_E_AFI);
	/* Beyond our maximum. */
	assert_int_equal(rep("200000ff 0000000000000002"), -LISP_E_RECORDS);
	assert_int_equal(reg("300000ff 0000000000000003 00000000"),
	    -LISP_E_RECORDS);
	/* Locator count says 2, one present. */
	assert_int_equal(rep(RP_HDR "0000000f 02180000 0000 0001 0a010000 "
	    RP_LOC), -LISP_E_TRUNC);
}

static void
t_too_many_locators(void **s)
{
	char	*m = malloc(8192);
	int	i;

	(void)s;
	strcpy(m, RP_HDR "0000000f 21180000 0000 0001 0a010000 ");
	for (i = 0; i < LISP_MAX_LOCATORS + 1; i++)
		strcat(m, RP_LOC " ");
	assert_int_equal(rep(m), -LISP_E_LOCATORS);
	free(m);
}

static void
t_masklen(void **s)
{
	(void)s;
	assert_int_equal(req(RQ_HDR RQ_SEID RQ_ITR "00 21 0001 0a010001"),
	    -LISP_E_MASKLEN);
	assert_int_equal(req(RQ_HDR RQ_SEID RQ_ITR "00 81 0002 "
	    "20010db8000000000000000000000001"), -LISP_E_MASKLEN);
	assert_int_equal(req(RQ_HDR RQ_SEID RQ_ITR "00 01 0000"),
	    -LISP_E_MASKLEN);
	/* IID LCAF: the inner IPv4 bounds the mask-len. */
	assert_int_equal(rep(RP_HDR "0000000f 00210000 0000 "
	    "4003 0000 0200 000a 00000005 0001 0a000000"), -LISP_E_MASKLEN);
	assert_int_equal(rep(RP_HDR "0000000f 00200000 0000 "
	    "4003 0000 0200 000a 00000005 0001 0a000000"), 0);
}

static void
t_afi(void **s)
{
	(void)s;
	/* Unknown AFI in the EID prefix, ITR-RLOC, source EID, locator. */
	assert_int_equal(req(RQ_HDR RQ_SEID RQ_ITR "00 20 0007 0a010001"),
	    -LISP_E_AFI);
	assert_int_equal(req(RQ_HDR RQ_SEID "0011 c0000201 " RQ_REC),
	    -LISP_E_AFI);
	assert_int_equal(req(RQ_HDR "1234 0a000001 " RQ_ITR RQ_REC),
	    -LISP_E_AFI);
	assert_int_equal(rep(RP_HDR RP_REC "01 64 ff 00 0005 0003 c0000201"),
	    -LISP_E_AFI);
	/* AFI 0 where an address is needed. */
	assert_int_equal(rep(RP_HDR RP_REC "01 64 ff 00 0005 0000"),
	    -LISP_E_AFI_NONE);
	assert_int_equal(req(RQ_HDR RQ_SEID "0000 " RQ_REC),
	    -LISP_E_AFI_NONE);
}

static void
t_lcaf_in_records(void **s)
{
	(void)s;
	/* LCAF length runs past the message. */
	assert_int_equal(rep(RP_HDR "0000000f 00200000 0000 "
	    "4003 0000 0200 00ff 00000005 0001 0a000000"), -LISP_E_LCAF_LEN);
	/* LCAF length shorter than its IID body. */
	assert_int_equal(rep(RP_HDR "0000000f 00200000 0000 "
	    "4003 0000 0200 0008 00000005 0001 0a000000"), -LISP_E_LCAF_LEN);
	/* An LCAF type RFC 8060 does not define, as an EID: refused. */
	assert_int_equal(rep(RP_HDR "0000000f 00000000 0000 "
	    "4003 0000 4000 0004 0000fde8"), -LISP_E_LCAF_TYPE);
	assert_int_equal(req(RQ_HDR RQ_SEID RQ_ITR "00 00 4003 0000 4000 0000"),
	    -LISP_E_LCAF_TYPE);
	/* An RFC 8060 one is read, for the role to refuse; its layout counts. */
	assert_int_equal(rep(RP_HDR "0000000f 00000000 0000 "
	    "4003 0000 0300 000a 0000fde8 0001 0a000000"), 0);
	assert_int_equal(rp.rec[0].eid.lcaf, LISP_LCAF_AS);
	assert_int_equal(rep(RP_HDR "0000000f 00000000 0000 "
	    "4003 0000 0300 0004 0000fde8"), -LISP_E_LCAF_LEN);
}

static void
t_unknown_lcaf_locator_skipped(void **s)
{
	(void)s;
	/* Two locators: an AS-number LCAF (type 3) and an IPv4 one. */
	assert_int_equal(rep(RP_HDR "0000000f 02180000 0000 0001 0a010000 "
	    "01 64 ff 00 0005 4003 0000 0300 000a 0000fde8 0001 c6336401 "
	    RP_LOC), 0);
	assert_int_equal(rp.rec[0].nloc, 1);
	assert_int_equal(rp.rec[0].nloc_skipped, 1);
	assert_int_equal(rp.rec[0].loc[0].addr.afi, LISP_AFI_IPV4);
	/* Its length still has to fit the message. */
	assert_int_equal(rep(RP_HDR "0000000f 01180000 0000 0001 0a010000 "
	    "01 64 ff 00 0005 4003 0000 0300 0040 0000fde8"),
	    -LISP_E_LCAF_LEN);
	/* Unknown LCAF ITR-RLOC is skipped too, but one must remain. */
	assert_int_equal(req("10000101 0000000000000001 " RQ_SEID
	    "4003 0000 0d00 0000 " RQ_ITR RQ_REC), 0);
	assert_int_equal(rq.nitr, 1);
	assert_int_equal(rq.nitr_skipped, 1);
	assert_int_equal(req(RQ_HDR RQ_SEID "4003 0000 0d00 0000 " RQ_REC),
	    -LISP_E_NO_ITR);
}

static void
t_probe_reply_needs_auth(void **s)
{
	(void)s;
	assert_int_equal(rep("28000001 0000000000000002 " RP_REC RP_LOC),
	    -LISP_E_PROBE_NOT_AUTH);
	assert_int_equal(rep("28000001 0000000000000002 "
	    "0000000f 01181000 0000 0001 0a010000 " RP_LOC), 0);
}

static void
t_map_reply_security_empty(void **s)
{
	(void)s;
	assert_int_equal(rep("22000001 0000000000000002 " RP_REC RP_LOC),
	    -LISP_E_TRUNC);
}

#define RG_REC	"0000000f 01180000 0000 0001 0a010000 " RP_LOC

static void
t_mapreg_auth_fields(void **s)
{
	(void)s;
	/* SHA-256 with 20 bytes. */
	assert_int_equal(reg("30000001 0000000000000003 0002 0014 "
	    "0000000000000000000000000000000000000000 " RG_REC),
	    -LISP_E_AUTH_LEN);
	/* SHA-1 with 16 bytes. */
	assert_int_equal(reg("30000001 0000000000000003 0001 0010 "
	    "00000000000000000000000000000000 " RG_REC), -LISP_E_AUTH_LEN);
	/* None with data. */
	assert_int_equal(reg("30000001 0000000000000003 0000 0004 "
	    "00000000 " RG_REC), -LISP_E_AUTH_LEN);
	/* Unknown algorithm: parsed by its length field... */
	assert_int_equal(reg("30000001 0000000000000003 0009 0004 "
	    "00000000 " RG_REC), 0);
	/* ...but never verified. */
	assert_int_equal(lisp_auth_verify(buf, hex(buf, sizeof(buf),
	    "30000001 0000000000000003 0009 0004 00000000 " RG_REC), "k", 1),
	    -LISP_E_AUTH_ALG);
	/* Auth length beyond the message. */
	assert_int_equal(reg("30000001 0000000000000003 0002 0020 00"),
	    -LISP_E_TRUNC);
}

static void
t_mapreg_xtr_id(void **s)
{
	(void)s;
	/* I bit without the 24-byte trailer. */
	assert_int_equal(reg("32000001 0000000000000003 0000 0000 " RG_REC
	    "00112233445566778899aabbccddeeff 0011223344556677"), 0);
	assert_int_equal(reg("32000001 0000000000000003 0000 0000 " RG_REC
	    "00112233445566778899aabbccddeeff 00112233445566"), -LISP_E_XTR_ID);
	/* Trailer without the I bit. */
	assert_int_equal(reg("30000001 0000000000000003 0000 0000 " RG_REC
	    "00112233445566778899aabbccddeeff 0011223344556677"),
	    -LISP_E_TRAILING);
}

/* --- ECM --------------------------------------------------------------- */

static uint8_t	ecm[256];
static size_t	ecm_len;

static void
ecm_build(uint8_t ipver)
{
	static const uint8_t msg[] = { 0x10, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7 };
	struct lisp_ecm	e;
	int		n;

	memset(&e, 0, sizeof(e));
	e.ipver = ipver;
	e.ttl = 64;
	e.src[0] = 10;
	e.dst[0] = 11;
	e.src[15] = 1;
	e.sport = 1000;
	e.dport = 4342;
	e.msg = msg;
	e.msg_len = sizeof(msg);
	n = lisp_ecm_encode(ecm, sizeof(ecm), &e);
	assert_true(n > 0);
	ecm_len = (size_t)n;
}

static int
ecm_dec(size_t len)
{
	struct lisp_ecm	e;

	return lisp_ecm_decode(ecm, len, &e);
}

static void
t_ecm_ipv4_malformed(void **s)
{
	size_t	k;

	(void)s;
	ecm_build(4);
	assert_int_equal(ecm_dec(ecm_len), 0);
	for (k = 0; k < ecm_len; k++)
		assert_int_equal(ecm_dec(k), -LISP_E_TRUNC);
	ecm[0] |= 0x08;					/* S bit */
	assert_int_equal(ecm_dec(ecm_len), -LISP_E_ECM_SEC);
	ecm_build(4);
	ecm[4] = 0x44;					/* IHL 4 */
	assert_int_equal(ecm_dec(ecm_len), -LISP_E_IP_HLEN);
	ecm_build(4);
	ecm[4] = 0x55;					/* version 5 */
	assert_int_equal(ecm_dec(ecm_len), -LISP_E_IP_VERSION);
	ecm_build(4);
	ecm[4 + 3]--;					/* total length */
	assert_int_equal(ecm_dec(ecm_len), -LISP_E_TRAILING);
	ecm_build(4);
	ecm[4 + 2] = 0; ecm[4 + 3] = 10;
	assert_int_equal(ecm_dec(ecm_len), -LISP_E_IP_LEN);
	ecm_build(4);
	ecm[4 + 6] |= 0x20;				/* MF */
	assert_int_equal(ecm_dec(ecm_len), -LISP_E_IP_FRAG);
	ecm_build(4);
	ecm[4 + 9] = 6;					/* TCP */
	assert_int_equal(ecm_dec(ecm_len), -LISP_E_IP_PROTO);
	ecm_build(4);
	ecm[4 + 8] ^= 1;				/* TTL, csum stale */
	assert_int_equal(ecm_dec(ecm_len), -LISP_E_IP_CSUM);
	ecm_build(4);
	ecm[24 + 5]++;					/* UDP length */
	assert_int_equal(ecm_dec(ecm_len), -LISP_E_UDP_LEN);
	ecm_build(4);
	ecm[24 + 6] = ecm[24 + 7] = 0;
	assert_int_equal(ecm_dec(ecm_len), -LISP_E_UDP_CSUM_ZERO);
	ecm_build(4);
	ecm[ecm_len - 1] ^= 0x40;			/* payload bit */
	assert_int_equal(ecm_dec(ecm_len), -LISP_E_UDP_CSUM);
}

static void
t_ecm_ipv6_malformed(void **s)
{
	size_t	k;

	(void)s;
	ecm_build(6);
	assert_int_equal(ecm_dec(ecm_len), 0);
	for (k = 0; k < ecm_len; k++)
		assert_int_equal(ecm_dec(k), -LISP_E_TRUNC);
	ecm[4 + 6] = 0;					/* hop-by-hop */
	assert_int_equal(ecm_dec(ecm_len), -LISP_E_IP_PROTO);
	ecm_build(6);
	ecm[4 + 5]--;					/* payload length */
	assert_int_equal(ecm_dec(ecm_len), -LISP_E_TRAILING);
	ecm_build(6);
	ecm[4 + 8 + 15] ^= 1;				/* source address */
	assert_int_equal(ecm_dec(ecm_len), -LISP_E_UDP_CSUM);
	ecm_build(6);
	ecm[44 + 6] = ecm[44 + 7] = 0;
	assert_int_equal(ecm_dec(ecm_len), -LISP_E_UDP_CSUM_ZERO);
}

/* Found by fuzz_mapreq: a reused struct kept the old record count. */
static void
t_decode_reuses_struct(void **s)
{
	(void)s;
	assert_int_equal(req("10000002 0000000000000001 " RQ_SEID RQ_ITR
	    RQ_REC RQ_REC), 0);
	assert_int_equal(rq.nrec, 2);
	assert_int_equal(req(RQ_HDR RQ_SEID RQ_ITR RQ_REC), 0);
	assert_int_equal(rq.nrec, 1);
	assert_int_equal(rep(RP_HDR RP_REC RP_LOC), 0);
	assert_int_equal(rep("20000000 0000000000000002"), 0);
	assert_int_equal(rp.nrec, 0);
	assert_int_equal(reg("30000001 0000000000000003 0000 0000 " RG_REC), 0);
	assert_int_equal(reg("30000000 0000000000000003 0000 0000"), 0);
	assert_int_equal(rg.nrec, 0);
}

static void
t_encode_refuses_bad_structs(void **s)
{
	struct lisp_mapreq *q = calloc(1, sizeof(*q));
	struct lisp_mapreply *r = calloc(1, sizeof(*r));

	(void)s;
	q->nrec = 1;
	assert_int_equal(lisp_mapreq_encode(buf, sizeof(buf), q),
	    -LISP_E_INVAL);			/* no ITR-RLOC */
	q->nitr = 1;
	assert_int_equal(lisp_mapreq_encode(buf, sizeof(buf), q),
	    -LISP_E_AFI_NONE);
	v4(&q->itr[0], 1, 2, 3, 4);
	q->rec[0].mlen = 1;
	assert_int_equal(lisp_mapreq_encode(buf, sizeof(buf), q),
	    -LISP_E_MASKLEN);
	r->nrec = 1;
	sample_rec(&r->rec[0], 1, 1);
	r->rec[0].mlen = 33;
	assert_int_equal(lisp_mapreply_encode(buf, sizeof(buf), r),
	    -LISP_E_MASKLEN);
	sample_rec(&r->rec[0], 1, 1);
	r->rec[0].loc[0].addr.afi = 0;
	assert_int_equal(lisp_mapreply_encode(buf, sizeof(buf), r),
	    -LISP_E_AFI_NONE);
	free(q);
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_valid_baselines),
		cmocka_unit_test(t_truncation_every_length),
		cmocka_unit_test(t_trailing),
		cmocka_unit_test(t_wrong_type),
		cmocka_unit_test(t_record_counts),
		cmocka_unit_test(t_too_many_locators),
		cmocka_unit_test(t_masklen),
		cmocka_unit_test(t_afi),
		cmocka_unit_test(t_lcaf_in_records),
		cmocka_unit_test(t_unknown_lcaf_locator_skipped),
		cmocka_unit_test(t_probe_reply_needs_auth),
		cmocka_unit_test(t_map_reply_security_empty),
		cmocka_unit_test(t_mapreg_auth_fields),
		cmocka_unit_test(t_mapreg_xtr_id),
		cmocka_unit_test(t_ecm_ipv4_malformed),
		cmocka_unit_test(t_ecm_ipv6_malformed),
		cmocka_unit_test(t_decode_reuses_struct),
		cmocka_unit_test(t_encode_refuses_bad_structs),
	};

	return TAP_RUN("lisp malformed messages", tests);
}
