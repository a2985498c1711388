/* SPDX-License-Identifier: MIT */
/* Test helpers: hex strings and sample addresses/records. */
#ifndef LISPD_TESTS_UTIL_H
#define LISPD_TESTS_UTIL_H

#include <ctype.h>
#include <string.h>

#include "proto.h"

/* Parse hex, skipping spaces, newlines and '|'; returns the byte count. */
static inline size_t
hex(uint8_t *out, size_t cap, const char *s)
{
	size_t	n = 0;
	int	hi = -1, v;

	for (; *s; s++) {
		if (!isxdigit((unsigned char)*s))
			continue;
		v = isdigit((unsigned char)*s) ? *s - '0' :
		    tolower((unsigned char)*s) - 'a' + 10;
		if (hi < 0)
			hi = v;
		else {
			if (n < cap)
				out[n] = (uint8_t)(hi << 4 | v);
			n++;
			hi = -1;
		}
	}
	return n;
}

static inline void
v4(struct lisp_addr *a, uint8_t x, uint8_t y, uint8_t z, uint8_t w)
{
	uint8_t	b[4] = { x, y, z, w };

	lisp_addr_ipv4(a, b);
}

/* 2001:db8::<last> */
static inline void
v6(struct lisp_addr *a, uint16_t last)
{
	uint8_t	b[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	b[14] = last >> 8;
	b[15] = last & 0xff;
	lisp_addr_ipv6(a, b);
}

static inline void
iid4(struct lisp_addr *a, uint32_t iid, uint8_t x, uint8_t y, uint8_t z,
    uint8_t w)
{
	struct lisp_addr inner;

	v4(&inner, x, y, z, w);
	lisp_addr_iid(a, iid, 0, &inner.ip);
}

static inline void
afilist(struct lisp_addr *a)
{
	struct lisp_addr x, y;

	v4(&x, 192, 0, 2, 1);
	v6(&y, 1);
	memset(a, 0, sizeof(*a));
	a->afi = LISP_AFI_LCAF;
	a->lcaf = LISP_LCAF_AFI_LIST;
	a->nlist = 2;
	a->list[0] = x.ip;
	a->list[1] = y.ip;
}

/* A record for 10.<n>.0.0/16 with nloc IPv4/IPv6 locators. */
static inline void
sample_rec(struct lisp_rec *r, uint8_t n, uint8_t nloc)
{
	uint8_t	i;

	memset(r, 0, sizeof(*r));
	r->ttl = 1440;
	r->mlen = 16;
	r->auth = true;
	r->version = 0x123;
	v4(&r->eid, 10, n, 0, 0);
	r->nloc = nloc;
	for (i = 0; i < nloc; i++) {
		struct lisp_loc *l = &r->loc[i];

		l->priority = i;
		l->weight = 100 - i;
		l->mpriority = 255;
		l->mweight = 0;
		l->flags = i == 0 ? (LISP_LOC_L | LISP_LOC_R) : LISP_LOC_R;
		if (i & 1)
			v6(&l->addr, i);
		else
			v4(&l->addr, 192, 0, 2, (uint8_t)(i + 1));
	}
}

#endif
