/* SPDX-License-Identifier: MIT */
/*
 * Authentication: the HMAC primitive against the published vectors
 * (RFC 2202 for HMAC-SHA-1 as RFC 2404 refers to it, RFC 4868 section
 * 2.7 for HMAC-SHA-256), then whole messages.  The message MACs below
 * were computed with the openssl(1) command line over the same bytes
 * with the auth data zeroed, independently of this code.
 */
#include <stdlib.h>

#include "tap.h"
#include "util.h"

static uint8_t	key[256], data[256], want[64], msg[512];

static void
kat(uint8_t alg, const char *k, const char *d, const char *w)
{
	uint8_t	out[32];
	size_t	kl = hex(key, sizeof(key), k), dl = hex(data, sizeof(data), d);
	size_t	wl = hex(want, sizeof(want), w);

	assert_int_equal(lisp_hmac(alg, key, kl, data, dl, out),
	    alg == LISP_ALG_SHA1_96 ? 20 : 32);
	assert_memory_equal(out, want, wl);
}

static void
kat_str(uint8_t alg, const char *k, const char *d, const char *w)
{
	uint8_t	out[32];
	size_t	wl = hex(want, sizeof(want), w);

	assert_true(lisp_hmac(alg, k, strlen(k), d, strlen(d), out) > 0);
	assert_memory_equal(out, want, wl);
}

static void
t_hmac_sha1_rfc2202(void **s)
{
	(void)s;
	kat(LISP_ALG_SHA1_96, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	    "4869205468657265", "b617318655057264e28bc0b6fb378c8ef146be00");
	kat_str(LISP_ALG_SHA1_96, "Jefe", "what do ya want for nothing?",
	    "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	memset(data, 0xdd, 50);
	kat(LISP_ALG_SHA1_96, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
	    "dddddddddddddddddddddddddddddddddddd",
	    "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
	kat(LISP_ALG_SHA1_96, "0102030405060708090a0b0c0d0e0f10111213141516171819",
	    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
	    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
	    "4c9007f4026250c6bc8414f9bf50c86c2d7235da");
	/* Test case 5 also gives the 96-bit truncation. */
	kat(LISP_ALG_SHA1_96, "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
	    "546573742057697468205472756e636174696f6e",
	    "4c1a03424b55e07fe7f27be1");
}

static void
t_hmac_sha1_long_key(void **s)
{
	char	k[81];

	(void)s;
	memset(k, 0xaa, 80);
	k[80] = 0;
	kat_str(LISP_ALG_SHA1_96, k,
	    "Test Using Larger Than Block-Size Key - Hash Key First",
	    "aa4ae5e15272d00e95705637ce8a3b55ed402112");
	kat_str(LISP_ALG_SHA1_96, k, "Test Using Larger Than Block-Size Key "
	    "and Larger Than One Block-Size Data",
	    "e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
}

static void
t_hmac_sha256_rfc4868_prf(void **s)
{
	char	k[132];

	(void)s;
	kat(LISP_ALG_SHA256_128, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	    "4869205468657265", "b0344c61d8db38535ca8afceaf0bf12b"
	    "881dc200c9833da726e9376c2e32cff7");
	kat_str(LISP_ALG_SHA256_128, "Jefe", "what do ya want for nothing?",
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	kat(LISP_ALG_SHA256_128, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
	    "dddddddddddddddddddddddddddddddddddd",
	    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
	kat(LISP_ALG_SHA256_128,
	    "0102030405060708090a0b0c0d0e0f10111213141516171819",
	    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
	    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
	    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
	memset(k, 0xaa, 131);
	k[131] = 0;
	kat_str(LISP_ALG_SHA256_128, k,
	    "Test Using Larger Than Block-Size Key - Hash Key First",
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	kat_str(LISP_ALG_SHA256_128, k,
	    "This is a test using a larger than block-size key and a larger "
	    "than block-size data. The key needs to be hashed before being "
	    "used by the HMAC algorithm.",
	    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

static void
t_hmac_sha256_rfc4868_auth(void **s)
{
	(void)s;
	kat(LISP_ALG_SHA256_128, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
	    "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
	    "198a607eb44bfbc69903a0f1cf2bbdc5");
	kat(LISP_ALG_SHA256_128, "4a6566654a6566654a6566654a656665"
	    "4a6566654a6566654a6566654a656665",
	    "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	    "167f928588c5cc2eef8e3093caa0e87c");
	kat(LISP_ALG_SHA256_128, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
	    "dddddddddddddddddddddddddddddddddddd",
	    "cdcb1220d1ecccea91e53aba3092f962");
	kat(LISP_ALG_SHA256_128, "0102030405060708090a0b0c0d0e0f10"
	    "1112131415161718191a1b1c1d1e1f20",
	    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
	    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
	    "372efcf9b40b35c2115b1346903d2ef4");
}

static void
t_auth_lengths(void **s)
{
	(void)s;
	assert_int_equal(lisp_auth_len(LISP_ALG_SHA1_96, false), 12);
	assert_int_equal(lisp_auth_len(LISP_ALG_SHA1_96, true), 20);
	assert_int_equal(lisp_auth_len(LISP_ALG_SHA256_128, false), 16);
	assert_int_equal(lisp_auth_len(LISP_ALG_SHA256_128, true), 32);
	assert_int_equal(lisp_auth_len(9, false), -LISP_E_AUTH_ALG);
	assert_int_equal(lisp_auth_len_ok(LISP_ALG_SHA1_96, 16),
	    -LISP_E_AUTH_LEN);
	assert_int_equal(lisp_auth_len_ok(LISP_ALG_SHA256_128, 20),
	    -LISP_E_AUTH_LEN);
}

/*
 * Map-Register from the RFC 9301 section 5.6 figure, by hand: I and M
 * set, one record 198.51.100.0/24 (A bit) with locator 192.0.2.1
 * (L and R), xTR-ID 00..0f, Site-ID 1, HMAC-SHA-256-128 over it all.
 */
#define KEY		"lisp-test-key"
#define MREG_HDR	"32000101 000000000000002a 00 02 0010 "
#define MREG_BODY	"000005a0 01181000 0000 0001 c6336400 " \
			"01 64 ff 00 0005 0001 c0000201 " \
			"000102030405060708090a0b0c0d0e0f 0000000000000001"
#define MREG_MAC	"25ed46ba12f623e8778a5a3dd22c9336" /* a6456d927658121d... */

static size_t
mreg_signed(void)
{
	return hex(msg, sizeof(msg), MREG_HDR MREG_MAC MREG_BODY);
}

static void
t_mapreg_known_answer(void **s)
{
	struct lisp_mapreg *m = calloc(1, sizeof(*m));
	size_t	n = mreg_signed();
	uint8_t	zeroed[512];

	(void)s;
	assert_int_equal(n, 84);
	assert_int_equal(lisp_auth_verify(msg, n, KEY, strlen(KEY)), 0);
	assert_int_equal(lisp_mapreg_decode(msg, n, m), 0);
	assert_int_equal(m->alg_id, LISP_ALG_SHA256_128);
	assert_int_equal(m->auth_len, 16);
	assert_memory_equal(m->auth, msg + 16, 16);
	/* Signing the zeroed message reproduces the same bytes. */
	memcpy(zeroed, msg, n);
	memset(zeroed + 16, 0, 16);
	assert_int_equal(lisp_auth_sign(zeroed, n, KEY, strlen(KEY)), 0);
	assert_memory_equal(zeroed, msg, n);
	/* And so does encoding the decoded struct, then signing. */
	assert_int_equal(lisp_mapreg_encode(zeroed, sizeof(zeroed), m),
	    (int)n);
	assert_int_equal(lisp_auth_sign(zeroed, n, KEY, strlen(KEY)), 0);
	assert_memory_equal(zeroed, msg, n);
	free(m);
}

static void
t_mapreg_every_bit_flip_fails(void **s)
{
	size_t	n = mreg_signed(), i;
	int	bit, rc;

	(void)s;
	for (i = 0; i < n; i++) {
		for (bit = 0; bit < 8; bit++) {
			msg[i] ^= (uint8_t)(1 << bit);
			rc = lisp_auth_verify(msg, n, KEY, strlen(KEY));
			/*
			 * Type, algorithm and length bits fail their own
			 * checks; every other bit fails the MAC.
			 */
			if (!(i == 0 && bit >= 4) && (i < 13 || i > 15))
				assert_int_equal(rc, -LISP_E_AUTH_FAIL);
			else
				assert_true(rc < 0);
			msg[i] ^= (uint8_t)(1 << bit);
		}
	}
	assert_int_equal(lisp_auth_verify(msg, n, KEY, strlen(KEY)), 0);
}

static void
t_mapreg_wrong_key_fails(void **s)
{
	size_t	n = mreg_signed();

	(void)s;
	assert_int_equal(lisp_auth_verify(msg, n, "lisp-test-kez", 13),
	    -LISP_E_AUTH_FAIL);
	assert_int_equal(lisp_auth_verify(msg, n, KEY, strlen(KEY) - 1),
	    -LISP_E_AUTH_FAIL);
	assert_int_equal(lisp_auth_verify(msg, n, "", 0), -LISP_E_AUTH_FAIL);
}

/* The full 32-byte SHA-256 MAC as RFC 6833-era peers send it. */
static void
t_mapreg_full_length_sha256(void **s)
{
	size_t	n = hex(msg, sizeof(msg), "32000101 000000000000002a 00 02 0020 "
	    "25ed46ba12f623e8778a5a3dd22c9336a6456d927658121d2925edad6058427e "
	    MREG_BODY);
	struct lisp_mapreg *m = calloc(1, sizeof(*m));

	(void)s;
	assert_int_equal(lisp_mapreg_decode(msg, n, m), 0);
	assert_int_equal(m->auth_len, 32);
	/*
	 * The MAC covers the length field too, so this message has its own
	 * MAC; sign and verify round trip, and one flipped bit fails.
	 */
	assert_int_equal(lisp_auth_sign(msg, n, KEY, strlen(KEY)), 0);
	assert_int_equal(lisp_auth_verify(msg, n, KEY, strlen(KEY)), 0);
	msg[40] ^= 1;
	assert_int_equal(lisp_auth_verify(msg, n, KEY, strlen(KEY)),
	    -LISP_E_AUTH_FAIL);
	free(m);
}

/* Map-Notify, HMAC-SHA-1 sent at full length (20 bytes). */
static void
t_mapnotify_sha1_full(void **s)
{
	size_t	n = hex(msg, sizeof(msg), "40000001 000000000000002a 00 01 0014 "
	    "3c8368fe770b597bccd256a243025ef0991b53f8 "
	    "000005a0 01181000 0000 0001 c6336400 01 64 ff 00 0005 0001 c0000201");
	struct lisp_mapreg *m = calloc(1, sizeof(*m));

	(void)s;
	assert_int_equal(lisp_mapnotify_decode(msg, n, m), 0);
	assert_int_equal(m->type, LISP_MSG_NOTIFY);
	assert_int_equal(lisp_auth_verify(msg, n, KEY, strlen(KEY)), 0);
	msg[n - 1] ^= 0x80;
	assert_int_equal(lisp_auth_verify(msg, n, KEY, strlen(KEY)),
	    -LISP_E_AUTH_FAIL);
	free(m);
}

static void
t_sign_verify_all_algs(void **s)
{
	static const struct { uint8_t alg; uint16_t len; } v[] = {
		{ LISP_ALG_SHA1_96, 0 }, { LISP_ALG_SHA1_96, 20 },
		{ LISP_ALG_SHA256_128, 0 }, { LISP_ALG_SHA256_128, 32 },
	};
	struct lisp_mapreg *m = calloc(1, sizeof(*m));
	size_t	i;
	int	n;

	(void)s;
	m->nrec = 1;
	sample_rec(&m->rec[0], 1, 2);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		m->alg_id = v[i].alg;
		m->auth_len = v[i].len;
		n = lisp_mapnotify_ack_encode(msg, sizeof(msg), m);
		assert_true(n > 0);
		assert_int_equal(lisp_auth_verify(msg, (size_t)n, KEY, 3),
		    -LISP_E_AUTH_FAIL);
		assert_int_equal(lisp_auth_sign(msg, (size_t)n, KEY, 3), 0);
		assert_int_equal(lisp_auth_verify(msg, (size_t)n, KEY, 3), 0);
	}
	free(m);
}

static void
t_refused_algorithms(void **s)
{
	size_t	n;

	(void)s;
	n = hex(msg, sizeof(msg), "30000000 0000000000000001 00 00 0000");
	assert_int_equal(lisp_auth_verify(msg, n, KEY, 3), -LISP_E_AUTH_ALG);
	n = hex(msg, sizeof(msg), "30000000 0000000000000001 00 03 0010 "
	    "00000000000000000000000000000000");
	assert_int_equal(lisp_auth_sign(msg, n, KEY, 3), -LISP_E_AUTH_ALG);
	assert_int_equal(lisp_auth_verify(msg, n, KEY, 3), -LISP_E_AUTH_ALG);
	/* Not a Map-Register shaped message. */
	n = hex(msg, sizeof(msg), "10000000 0000000000000001 00 02 0010 "
	    "00000000000000000000000000000000");
	assert_int_equal(lisp_auth_verify(msg, n, KEY, 3), -LISP_E_TYPE);
	/* Auth data longer than the message. */
	n = hex(msg, sizeof(msg), "30000000 0000000000000001 00 02 0010 0000");
	assert_int_equal(lisp_auth_verify(msg, n, KEY, 3), -LISP_E_TRUNC);
	assert_int_equal(lisp_auth_verify(msg, 15, KEY, 3), -LISP_E_TRUNC);
}

/*
 * lisp_auth keeps contexts that hold a key: the vectors again, more keys
 * than it keeps, each key used again after others, must still match.
 */
static void
t_kept_keys_again(void **s)
{
	int	i;

	for (i = 0; i < 3; i++) {
		t_hmac_sha1_rfc2202(s);
		t_hmac_sha256_rfc4868_prf(s);
		t_hmac_sha256_rfc4868_auth(s);
		t_mapreg_known_answer(s);
		t_mapnotify_sha1_full(s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_hmac_sha1_rfc2202),
		cmocka_unit_test(t_hmac_sha1_long_key),
		cmocka_unit_test(t_hmac_sha256_rfc4868_prf),
		cmocka_unit_test(t_hmac_sha256_rfc4868_auth),
		cmocka_unit_test(t_auth_lengths),
		cmocka_unit_test(t_mapreg_known_answer),
		cmocka_unit_test(t_mapreg_every_bit_flip_fails),
		cmocka_unit_test(t_mapreg_wrong_key_fails),
		cmocka_unit_test(t_mapreg_full_length_sha256),
		cmocka_unit_test(t_mapnotify_sha1_full),
		cmocka_unit_test(t_sign_verify_all_algs),
		cmocka_unit_test(t_refused_algorithms),
		cmocka_unit_test(t_kept_keys_again),
	};

	return TAP_RUN("lisp authentication", tests);
}
