/* SPDX-License-Identifier: MIT */
/*
 * The LCAF types of RFC 8060 that we read but do not keep: each body is
 * walked by its type's layout, every inner address and nested LCAF
 * with it, so that its Length is checked against what it holds before
 * the address is skipped.  Inside, the AFIs peers use for what is not
 * IP (lispers.net: MAC, E.164, names) are read too; any other is
 * refused as at the top (RFC 9301 5.1).
 */
#include "codec.h"

#define AFI_802		6	/* MAC, as lispers.net writes it */
#define AFI_E164	8
#define AFI_DN		17	/* Distinguished Name: NUL-terminated */
#define AFI_MAC		16389	/* 48-bit MAC */
#define LCAF_DEPTH	4	/* LCAFs within LCAFs, at most */

/* One inner address; false on an error (kept in b). */
static bool
walk_addr(struct rbuf *b, int depth)
{
	uint16_t	afi = rbuf_u16(b);

	switch (afi) {
	case LISP_AFI_NONE:
		break;
	case LISP_AFI_IPV4:
		rbuf_skip(b, 4);
		break;
	case LISP_AFI_IPV6:
		rbuf_skip(b, 16);
		break;
	case AFI_802:
	case AFI_MAC:
		rbuf_skip(b, 6);
		break;
	case AFI_E164:
		rbuf_skip(b, 8);
		break;
	case AFI_DN:
		while (!b->err && rbuf_u8(b) != 0)
			;
		break;
	case LISP_AFI_LCAF:
		lcaf_walk(b, depth + 1);
		break;
	default:
		rbuf_fail(b, LISP_E_AFI);
		break;
	}
	return !b->err;
}

/* n addresses, then nothing: the body's length is checked by the caller. */
static void
walk_addrs(struct rbuf *b, int n, int depth)
{
	while (n-- > 0 && !b->err)
		if (!walk_addr(b, depth))
			return;
}

/* Entries of a fixed head and an address, up to the end of the body. */
static void
walk_list(struct rbuf *b, size_t head, int depth)
{
	while (!b->err && rbuf_left(b) > 0) {
		rbuf_skip(b, head);
		if (!walk_addr(b, depth))
			return;
	}
}

/* Security Key (4.7): key sections, then the locator address. */
static void
walk_key(struct rbuf *b, int depth)
{
	unsigned	n = rbuf_u8(b);

	rbuf_skip(b, 3);		/* Rsvd3, Key Algorithm, Rsvd4/R */
	while (n-- > 0 && !b->err)
		rbuf_skip(b, rbuf_u16(b));
	walk_addrs(b, 1, depth);
}

/*
 * Geo-Coordinates (4.3): RFC 8060 has 12 bytes before the address;
 * lispers.net writes the LISP-Geo draft's 20 (flags, uncertainty,
 * milliseconds, radius).  Whichever leaves the body exactly read.
 */
static void
walk_geo(struct rbuf *b, int depth)
{
	static const size_t	head[] = { 12, 20 };
	struct rbuf		try;
	size_t			i;

	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++) {
		try = *b;
		rbuf_skip(&try, head[i]);
		if (walk_addr(&try, depth) && !try.err && rbuf_left(&try) == 0)
			break;
	}
	rbuf_skip(b, i < 2 ? head[i] : head[0]);
	walk_addrs(b, 1, depth);
}

void
lcaf_walk_body(struct rbuf *b, uint8_t type, int depth)
{
	switch (type) {
	case LISP_LCAF_NULL:
		break;
	case LISP_LCAF_AFI_LIST:
		walk_list(b, 0, depth);
		break;
	case LISP_LCAF_IID:
	case LISP_LCAF_AS:
	case LISP_LCAF_NONCE:
	case LISP_LCAF_ENCAP:
		rbuf_skip(b, 4);
		walk_addrs(b, 1, depth);
		break;
	case LISP_LCAF_APP_DATA:
		rbuf_skip(b, 12);
		walk_addrs(b, 1, depth);
		break;
	case LISP_LCAF_GEO:
		walk_geo(b, depth);
		break;
	case LISP_LCAF_OPAQUE:
		rbuf_skip(b, 3);	/* Key Field Num, Key Wildcard Fields */
		rbuf_skip(b, rbuf_left(b));
		break;
	case LISP_LCAF_NAT:
		rbuf_skip(b, 4);	/* MS and ETR UDP ports */
		walk_list(b, 0, depth);
		break;
	case LISP_LCAF_MCAST:
		rbuf_skip(b, 8);
		walk_addrs(b, 2, depth);
		break;
	case LISP_LCAF_ELP:
		walk_list(b, 2, depth);
		break;
	case LISP_LCAF_SECURITY_KEY:
		walk_key(b, depth);
		break;
	case LISP_LCAF_SRC_DST:
		rbuf_skip(b, 4);
		walk_addrs(b, 2, depth);
		break;
	case LISP_LCAF_RLE:
		walk_list(b, 4, depth);
		break;
	case LISP_LCAF_JSON:
		rbuf_skip(b, rbuf_u16(b));
		walk_addrs(b, 1, depth);
		break;
	case LISP_LCAF_KV:
		walk_addrs(b, 2, depth);
		break;
	default:			/* not in RFC 8060: by its Length */
		rbuf_skip(b, rbuf_left(b));
		break;
	}
}

void
lcaf_body_done(struct rbuf *b, struct rbuf *body)
{
	/* The body must hold exactly what its type needs. */
	if (body->err == LISP_E_TRUNC)
		body->err = LISP_E_LCAF_LEN;
	else if (!body->err && rbuf_left(body) != 0)
		body->err = LISP_E_LCAF_LEN;
	if (body->err)
		rbuf_fail(b, body->err);
}

void
lcaf_walk(struct rbuf *b, int depth)
{
	struct rbuf	body;
	uint8_t		type;

	if (depth > LCAF_DEPTH) {
		rbuf_fail(b, LISP_E_LCAF_NEST);
		return;
	}
	rbuf_skip(b, 2);		/* Rsvd1, Flags */
	type = rbuf_u8(b);
	(void)rbuf_u8(b);		/* Rsvd2 */
	rbuf_sub(b, rbuf_u16(b), &body, LISP_E_LCAF_LEN);
	if (b->err)
		return;
	lcaf_walk_body(&body, type, depth);
	lcaf_body_done(b, &body);
}
