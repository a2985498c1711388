// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of kmod/prefix.h, included unmodified: every helper against a
 * bit-by-bit model on random addresses and every prefix length, and the
 * edges (/0, /128, IPv4 zero padding). Prints TAP version 13.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "../prefix.h"

static u64 rng_state = 0x2545f4914f6cdd1dULL;

static u8 rnd8(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state >> 24;
}

static void rnd_addr(u8 *a)
{
	int i;

	for (i = 0; i < 16; i++)
		a[i] = rnd8();
}

/* The model: bit @i of @a, most significant first. */
static bool bit(const u8 *a, unsigned int i)
{
	return a[i / 8] & (0x80 >> (i % 8));
}

static bool model_covers(const u8 *p, unsigned int plen, const u8 *a)
{
	unsigned int i;

	for (i = 0; i < plen; i++)
		if (bit(p, i) != bit(a, i))
			return false;
	return true;
}

static bool model_is_masked(const u8 *a, unsigned int plen)
{
	unsigned int i;

	for (i = plen; i < 128; i++)
		if (bit(a, i))
			return false;
	return true;
}

static void test_lengths(void)
{
	tap(lisp_addr_len(AF_INET) == 4 && lisp_addr_len(AF_INET6) == 16,
	    "address length: 4 bytes for AF_INET, 16 for AF_INET6");
	tap(lisp_addr_bits(AF_INET) == 32 && lisp_addr_bits(AF_INET6) == 128,
	    "host prefix length: /32 for AF_INET, /128 for AF_INET6");
}

/* Random prefix, and an address that differs from it at bit @flip or not. */
static void test_random(void)
{
	bool cov = true, mask = true, masked = true;
	u8 p[16], a[16], m[16];
	unsigned int plen, flip, i, n;

	for (n = 0; n < 20000; n++) {
		plen = n % 129;
		rnd_addr(p);
		memcpy(a, p, 16);
		if (rnd8() & 1) {
			flip = (rnd8() | rnd8() << 8) % 128;
			a[flip / 8] ^= 0x80 >> (flip % 8);
		}
		if (rnd8() & 1)
			rnd_addr(a);
		if (lisp_prefix_covers(p, plen, a) != model_covers(p, plen, a))
			cov = false;
		memcpy(m, p, 16);
		lisp_prefix_mask(m, plen);
		for (i = 0; i < 128; i++)
			if (bit(m, i) != (i < plen && bit(p, i)))
				mask = false;
		if (lisp_prefix_is_masked(p, plen) != model_is_masked(p, plen) ||
		    !lisp_prefix_is_masked(m, plen))
			masked = false;
	}
	tap(cov, "covers agrees with the bit-by-bit model, every length");
	tap(mask, "mask keeps the first plen bits and clears the rest");
	tap(masked, "is_masked agrees with the model; a masked prefix is");
}

static void test_edges(void)
{
	u8 zero[16] = {}, ones[16], a[16], v4[16] = { 10, 1, 2, 0 };

	memset(ones, 0xff, 16);
	tap(lisp_prefix_covers(zero, 0, ones) &&
	    lisp_prefix_covers(ones, 0, zero),
	    "a /0 covers every address");
	memcpy(a, ones, 16);
	a[15] = 0xfe;
	tap(lisp_prefix_covers(ones, 128, ones) &&
	    !lisp_prefix_covers(ones, 128, a) &&
	    lisp_prefix_covers(ones, 127, a),
	    "a /128 covers only itself; the /127 also its neighbour");
	memcpy(a, ones, 16);
	lisp_prefix_mask(a, 128);
	tap(!memcmp(a, ones, 16) && lisp_prefix_is_masked(ones, 128),
	    "masking to /128 changes nothing");
	lisp_prefix_mask(a, 0);
	tap(!memcmp(a, zero, 16), "masking to /0 clears everything");
	tap(lisp_prefix_is_masked(v4, 24) && lisp_prefix_is_masked(v4, 23) &&
	    !lisp_prefix_is_masked(v4, 22) && !lisp_prefix_is_masked(v4, 14),
	    "10.1.2.0 is a /24 and a /23, not a /22 (IPv4 zero-padded)");
	v4[3] = 1;
	tap(!lisp_prefix_is_masked(v4, 24) && lisp_prefix_is_masked(v4, 32),
	    "10.1.2.1 has host bits past /24, none past /32");
	memcpy(a, v4, 16);
	lisp_prefix_mask(a, 23);
	tap(a[2] == 2 && a[3] == 0 && lisp_prefix_covers(a, 23, v4),
	    "10.1.2.1 masked to /23 is 10.1.2.0, which covers it");
}

int main(void)
{
	printf("TAP version 13\n");
	test_lengths();
	test_random();
	test_edges();
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
