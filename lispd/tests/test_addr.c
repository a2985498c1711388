/* SPDX-License-Identifier: MIT */
/* LISP address codec: AFI 0/1/2, Instance-ID and AFI-List LCAF. */
#include "tap.h"
#include "util.h"

static void
roundtrip(const struct lisp_addr *a, int wantlen)
{
	uint8_t		buf[128];
	struct lisp_addr d;
	size_t		used;
	int		n;

	n = lisp_addr_encode(buf, sizeof(buf), a);
	assert_int_equal(n, wantlen);
	assert_int_equal(lisp_addr_decode(buf, (size_t)n, &d, &used), 0);
	assert_int_equal(used, (size_t)n);
	assert_memory_equal(&d, a, sizeof(d));
}

static void
t_ipv4(void **s)
{
	struct lisp_addr a;

	(void)s;
	v4(&a, 192, 0, 2, 7);
	roundtrip(&a, 6);
	assert_int_equal(lisp_addr_maxbits(&a), 32);
}

static void
t_ipv6(void **s)
{
	struct lisp_addr a;

	(void)s;
	v6(&a, 0xabcd);
	roundtrip(&a, 18);
	assert_int_equal(lisp_addr_maxbits(&a), 128);
}

static void
t_none(void **s)
{
	struct lisp_addr a;

	(void)s;
	memset(&a, 0, sizeof(a));
	roundtrip(&a, 2);
	assert_int_equal(lisp_addr_maxbits(&a), 0);
}

static void
t_iid_v4(void **s)
{
	struct lisp_addr a;
	uint8_t	buf[64], want[64];
	size_t	wl;

	(void)s;
	iid4(&a, 0xabcdef, 10, 1, 2, 3);
	roundtrip(&a, 18);
	/* RFC 8060 4.1 layout, byte for byte. */
	wl = hex(want, sizeof(want), "4003 00 00 02 00 000a 00abcdef 0001 0a010203");
	assert_int_equal(lisp_addr_encode(buf, sizeof(buf), &a), (int)wl);
	assert_memory_equal(buf, want, wl);
	assert_int_equal(lisp_addr_maxbits(&a), 32);
}

static void
t_iid_v6_masklen(void **s)
{
	struct lisp_addr a, inner;

	(void)s;
	v6(&inner, 9);
	lisp_addr_iid(&a, 0xffffff, 24, &inner.ip);
	roundtrip(&a, 30);
	assert_int_equal(lisp_addr_maxbits(&a), 128);
}

static void
t_iid_range(void **s)
{
	struct lisp_addr a;

	(void)s;
	lisp_addr_iid(&a, 0x100000, 8, NULL);	/* inner AFI 0 */
	roundtrip(&a, 14);
}

static void
t_afi_list(void **s)
{
	struct lisp_addr a;

	(void)s;
	afilist(&a);
	roundtrip(&a, 8 + 6 + 18);
	assert_int_equal(lisp_addr_maxbits(&a), 32);
}

static void
expect(const char *hx, int err)
{
	uint8_t		buf[128];
	struct lisp_addr a;
	size_t		n = hex(buf, sizeof(buf), hx), used = 99;

	assert_int_equal(lisp_addr_decode(buf, n, &a, &used), -err);
	assert_int_equal(used, 0);
	assert_string_not_equal(lisp_strerror(-err), "unknown error");
}

static void
t_reject_unknown_afi(void **s)
{
	(void)s;
	expect("0006 001122334455", LISP_E_AFI);
}

static void
t_reject_trunc(void **s)
{
	(void)s;
	expect("0001 0a0000", LISP_E_TRUNC);
	expect("0002 20010db8", LISP_E_TRUNC);
	expect("00", LISP_E_TRUNC);
	expect("4003 0000 02", LISP_E_TRUNC);
}

static void
t_reject_lcaf_len_long(void **s)
{
	(void)s;
	/* Length 12 claims more than the 10 bytes present. */
	expect("4003 00 00 02 00 000c 00000001 0001 0a010203", LISP_E_LCAF_LEN);
}

static void
t_reject_lcaf_len_short(void **s)
{
	(void)s;
	/* Length 8 cuts the inner IPv4 address. */
	expect("4003 00 00 02 00 0008 00000001 0001 0a010203", LISP_E_LCAF_LEN);
}

static void
t_reject_lcaf_len_slack(void **s)
{
	(void)s;
	/* Length 11 leaves a stray byte inside the LCAF. */
	expect("4003 00 00 02 00 000b 00000001 0001 0a010203 ff",
	    LISP_E_LCAF_LEN);
}

static void
t_reject_lcaf_type(void **s)
{
	(void)s;
	/* An AS-number LCAF is read, not kept: not an address for us. */
	expect("4003 00 00 03 00 000a 0000fde8 0001 0a010203",
	    LISP_E_LCAF_TYPE);
	/* Read by its layout: the AS number alone is too short. */
	expect("4003 00 00 03 00 0004 0000fde8", LISP_E_LCAF_LEN);
	/* A type RFC 8060 does not define. */
	expect("4003 00 00 40 00 0002 0000", LISP_E_LCAF_TYPE);
}

static void
t_reject_lcaf_nest(void **s)
{
	(void)s;
	/* IID in IID: read (the inner one is too short for an IID). */
	expect("4003 00 00 02 00 000c 00000001 4003 00 00 02 00 0000",
	    LISP_E_LCAF_LEN);
	expect("4003 00 00 02 00 0012 00000001 4003 00 00 02 00 0006 "
	    "00000002 0000", LISP_E_LCAF_TYPE);
	/* Six deep: refused. */
	expect("4003 00 00 01 00 0030 4003 00 00 01 00 0028 "
	    "4003 00 00 01 00 0020 4003 00 00 01 00 0018 "
	    "4003 00 00 01 00 0010 4003 00 00 01 00 0008 "
	    "4003 00 00 00 00 0000", LISP_E_LCAF_NEST);
}

static void
t_reject_iid_masklen(void **s)
{
	(void)s;
	expect("4003 00 00 02 21 000a 00000001 0001 0a010203",
	    LISP_E_IID_MASKLEN);
}

static void
t_reject_afi_list(void **s)
{
	(void)s;
	expect("4003 00 00 01 00 0000", LISP_E_AFI_LIST_EMPTY);
	expect("4003 00 00 01 00 0002 0000", LISP_E_AFI_NONE);
	expect("4003 00 00 01 00 001e 0001 01010101 0001 02020202 "
	    "0001 03030303 0001 04040404 0001 05050505", LISP_E_AFI_LIST_MANY);
	expect("4003 00 00 01 00 0005 0001 010101", LISP_E_LCAF_LEN);
}

static void
t_encode_nospace(void **s)
{
	struct lisp_addr a;
	uint8_t	buf[17];

	(void)s;
	v6(&a, 1);
	assert_int_equal(lisp_addr_encode(buf, sizeof(buf), &a),
	    -LISP_E_NOSPACE);
	a.afi = 77;
	assert_int_equal(lisp_addr_encode(buf, sizeof(buf), &a),
	    -LISP_E_INVAL);
}

static void
t_strerror(void **s)
{
	int	i;

	(void)s;
	for (i = 1; i < LISP_E__MAX; i++)
		assert_string_not_equal(lisp_strerror(-i), "unknown error");
	assert_string_equal(lisp_strerror(-LISP_E__MAX), "unknown error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_ipv4),
		cmocka_unit_test(t_ipv6),
		cmocka_unit_test(t_none),
		cmocka_unit_test(t_iid_v4),
		cmocka_unit_test(t_iid_v6_masklen),
		cmocka_unit_test(t_iid_range),
		cmocka_unit_test(t_afi_list),
		cmocka_unit_test(t_reject_unknown_afi),
		cmocka_unit_test(t_reject_trunc),
		cmocka_unit_test(t_reject_lcaf_len_long),
		cmocka_unit_test(t_reject_lcaf_len_short),
		cmocka_unit_test(t_reject_lcaf_len_slack),
		cmocka_unit_test(t_reject_lcaf_type),
		cmocka_unit_test(t_reject_lcaf_nest),
		cmocka_unit_test(t_reject_iid_masklen),
		cmocka_unit_test(t_reject_afi_list),
		cmocka_unit_test(t_encode_nospace),
		cmocka_unit_test(t_strerror),
	};

	return TAP_RUN("lisp addresses", tests);
}
