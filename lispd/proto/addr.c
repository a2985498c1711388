/* SPDX-License-Identifier: MIT */
/*
 * LISP addresses: AFI 0, IPv4, IPv6, and the LCAF types (RFC 8060) a
 * LISP xTR needs - Instance-ID (type 2) and AFI-List (type 1); the
 * others are read by lcaf.c and skipped.
 */
#include <string.h>

#include "codec.h"

static size_t
ip_len(uint16_t afi)
{
	switch (afi) {
	case LISP_AFI_IPV4:
		return 4;
	case LISP_AFI_IPV6:
		return 16;
	default:
		return 0;
	}
}

/*
 * Read an AFI and its plain address.  An LCAF here (inside an LCAF) is
 * not for ip_read: its caller walks it.
 */
void
ip_read(struct rbuf *b, struct lisp_ip *ip, int none_ok)
{
	memset(ip, 0, sizeof(*ip));
	ip->afi = rbuf_u16(b);
	if (b->err)
		return;
	switch (ip->afi) {
	case LISP_AFI_NONE:
		if (!none_ok)
			rbuf_fail(b, LISP_E_AFI_NONE);
		return;
	case LISP_AFI_IPV4:
	case LISP_AFI_IPV6:
		rbuf_copy(b, ip->addr, ip_len(ip->afi));
		return;
	default:
		/* RFC 9301 5.1: unrecognised AFI, drop the message. */
		rbuf_fail(b, LISP_E_AFI);
		return;
	}
}

void
ip_write(struct wbuf *w, const struct lisp_ip *ip)
{
	switch (ip->afi) {
	case LISP_AFI_NONE:
	case LISP_AFI_IPV4:
	case LISP_AFI_IPV6:
		wbuf_u16(w, ip->afi);
		wbuf_copy(w, ip->addr, ip_len(ip->afi));
		break;
	case LISP_AFI_LCAF:		/* read, not kept */
		wbuf_fail(w, LISP_E_LCAF_TYPE);
		break;
	default:
		wbuf_fail(w, LISP_E_INVAL);
	}
}

/* The next AFI of b, not consumed; 0 at the end. */
static uint16_t
afi_peek(const struct rbuf *b)
{
	struct rbuf	c = *b;

	return rbuf_u16(&c);
}

/* An IID around an LCAF (lispers.net: around Geo or Source/Dest). */
static bool
lcaf_inner(struct rbuf *body, struct lisp_ip *ip, uint8_t *type, int depth)
{
	if (afi_peek(body) != LISP_AFI_LCAF)
		return false;
	memset(ip, 0, sizeof(*ip));
	ip->afi = LISP_AFI_LCAF;
	*type = body->off + 4 < body->len ? body->p[body->off + 4] : 0;
	(void)rbuf_u16(body);
	lcaf_walk(body, depth + 1);
	return true;
}

/* ADDR_SKIPPED when the inner address is an LCAF, else 0. */
static int
lcaf_iid_read(struct rbuf *body, struct lisp_addr *a)
{
	if (a->iid_mlen > 32)
		rbuf_fail(body, LISP_E_IID_MASKLEN);
	a->iid = rbuf_u32(body);
	if (lcaf_inner(body, &a->ip, &a->inner_lcaf, 0))
		return ADDR_SKIPPED;
	/* AFI 0 inside is an IID range without a prefix (RFC 8060 4.1). */
	ip_read(body, &a->ip, 1);
	return 0;
}

/* ADDR_SKIPPED when the list holds an LCAF (4.10.4), else 0. */
static int
lcaf_list_read(struct rbuf *body, struct lisp_addr *a)
{
	struct rbuf	all = *body;

	while (!body->err && rbuf_left(body) > 0) {
		if (afi_peek(body) == LISP_AFI_LCAF) {
			a->ip.afi = LISP_AFI_LCAF;
			a->inner_lcaf = body->off + 4 < body->len ?
			    body->p[body->off + 4] : 0;
			*body = all;
			a->nlist = 0;
			memset(a->list, 0, sizeof(a->list));
			lcaf_walk_body(body, LISP_LCAF_AFI_LIST, 0);
			return ADDR_SKIPPED;
		}
		if (a->nlist == LISP_MAX_AFI_LIST) {
			rbuf_fail(body, LISP_E_AFI_LIST_MANY);
			return 0;
		}
		ip_read(body, &a->list[a->nlist++], 0);
	}
	if (!body->err && a->nlist == 0)
		rbuf_fail(body, LISP_E_AFI_LIST_EMPTY);
	return 0;
}

/*
 * A Security Key (RFC 8060 4.7) around the address that owns the key:
 * lispers.net's ITR-RLOC when it would encrypt.  We reply without the
 * key (RFC 8061 5: a Map-Reply without one means no encryption), so
 * the address is the ITR-RLOC.
 */
static int
lcaf_key_read(struct rbuf *body, struct lisp_addr *a)
{
	unsigned	n = rbuf_u8(body);

	rbuf_skip(body, 3);
	while (n-- > 0 && !body->err)
		rbuf_skip(body, rbuf_u16(body));
	if (lcaf_inner(body, &a->ip, &a->inner_lcaf, 0))
		return ADDR_SKIPPED;
	ip_read(body, &a->ip, 1);
	if (a->ip.afi == LISP_AFI_NONE)
		return ADDR_SKIPPED;
	a->afi = a->ip.afi;
	a->lcaf = 0;
	return 0;
}

static int
lcaf_read(struct rbuf *b, struct lisp_addr *a, int flags)
{
	struct rbuf	body;
	uint8_t		rsvd2;
	uint16_t	len;
	int		rc = ADDR_SKIPPED;

	(void)rbuf_u8(b);		/* Rsvd1 */
	(void)rbuf_u8(b);		/* Flags */
	a->lcaf = rbuf_u8(b);
	rsvd2 = rbuf_u8(b);
	len = rbuf_u16(b);
	/* A length beyond the message is an LCAF error, not truncation. */
	rbuf_sub(b, len, &body, LISP_E_LCAF_LEN);
	if (b->err)
		return rbuf_result(b);

	switch (a->lcaf) {
	case LISP_LCAF_IID:
		a->iid_mlen = rsvd2;
		rc = lcaf_iid_read(&body, a);
		break;
	case LISP_LCAF_AFI_LIST:
		rc = lcaf_list_read(&body, a);
		break;
	case LISP_LCAF_SECURITY_KEY:
		if (flags & ADDR_KEY_RLOC) {
			rc = lcaf_key_read(&body, a);
			break;
		}
		/* FALLTHROUGH */
	default:
		if (a->lcaf > LISP_LCAF_MAX && !(flags & ADDR_SKIP_OK)) {
			rbuf_fail(b, LISP_E_LCAF_TYPE);
			return rbuf_result(b);
		}
		lcaf_walk_body(&body, a->lcaf, 0);
		break;
	}
	lcaf_body_done(b, &body);
	if (b->err)
		return rbuf_result(b);
	if (rc == ADDR_SKIPPED && !(flags & (ADDR_SKIP_OK | ADDR_READ_OK)))
		return -LISP_E_LCAF_TYPE;
	return rc;
}

int
addr_read(struct rbuf *b, struct lisp_addr *a, int flags)
{
	memset(a, 0, sizeof(*a));
	a->afi = rbuf_u16(b);
	if (b->err)
		return rbuf_result(b);
	switch (a->afi) {
	case LISP_AFI_NONE:
		if (!(flags & ADDR_NONE_OK))
			rbuf_fail(b, LISP_E_AFI_NONE);
		break;
	case LISP_AFI_IPV4:
	case LISP_AFI_IPV6:
		a->ip.afi = a->afi;
		rbuf_copy(b, a->ip.addr, ip_len(a->afi));
		break;
	case LISP_AFI_LCAF:
		return lcaf_read(b, a, flags);
	default:
		rbuf_fail(b, LISP_E_AFI);
		break;
	}
	return rbuf_result(b);
}

void
addr_write(struct wbuf *w, const struct lisp_addr *a)
{
	size_t	lenoff;
	uint8_t	i;

	switch (a->afi) {
	case LISP_AFI_NONE:
	case LISP_AFI_IPV4:
	case LISP_AFI_IPV6:
		wbuf_u16(w, a->afi);
		wbuf_copy(w, a->ip.addr, ip_len(a->afi));
		return;
	case LISP_AFI_LCAF:
		break;
	default:
		wbuf_fail(w, LISP_E_INVAL);
		return;
	}

	wbuf_u16(w, LISP_AFI_LCAF);
	wbuf_u8(w, 0);			/* Rsvd1 */
	wbuf_u8(w, 0);			/* Flags */
	wbuf_u8(w, a->lcaf);
	switch (a->lcaf) {
	case LISP_LCAF_IID:
		if (a->iid_mlen > 32)
			wbuf_fail(w, LISP_E_IID_MASKLEN);
		wbuf_u8(w, a->iid_mlen);
		lenoff = w->off;
		wbuf_u16(w, 0);
		wbuf_u32(w, a->iid);
		ip_write(w, &a->ip);
		break;
	case LISP_LCAF_AFI_LIST:
		if (a->ip.afi == LISP_AFI_LCAF)		/* read, not kept */
			wbuf_fail(w, LISP_E_LCAF_TYPE);
		if (a->nlist == 0 || a->nlist > LISP_MAX_AFI_LIST)
			wbuf_fail(w, LISP_E_INVAL);
		wbuf_u8(w, 0);
		lenoff = w->off;
		wbuf_u16(w, 0);
		for (i = 0; i < a->nlist && i < LISP_MAX_AFI_LIST; i++) {
			if (a->list[i].afi == LISP_AFI_NONE)
				wbuf_fail(w, LISP_E_INVAL);
			ip_write(w, &a->list[i]);
		}
		break;
	default:			/* read, not kept */
		wbuf_fail(w, LISP_E_LCAF_TYPE);
		return;
	}
	if (!w->err)
		wbuf_put16(w, lenoff, (uint16_t)(w->off - lenoff - 2));
}

/*
 * Mask-len ceiling for an EID of this address, -1 when it has none;
 * 255 for one read but not kept: we do not know its bits.
 */
int
lisp_addr_maxbits(const struct lisp_addr *a)
{
	const struct lisp_ip *ip = &a->ip;

	if (a->afi == LISP_AFI_LCAF) {
		if (a->lcaf == LISP_LCAF_AFI_LIST) {
			/* Lookups use the first address (RFC 8060 4.10.1). */
			if (a->nlist == 0)
				return 255;
			ip = &a->list[0];
		} else if (a->lcaf != LISP_LCAF_IID)
			return 255;
		else if (ip->afi == LISP_AFI_LCAF)
			return 255;
	}
	return (int)ip_len(ip->afi) * 8;
}

int
lisp_addr_decode(const uint8_t *p, size_t len, struct lisp_addr *a,
    size_t *used)
{
	struct rbuf	b;
	int		rc;

	rbuf_init(&b, p, len);
	rc = addr_read(&b, a, ADDR_NONE_OK);
	if (rc == ADDR_SKIPPED)
		rc = -LISP_E_LCAF_TYPE;
	if (used != NULL)
		*used = rc < 0 ? 0 : b.off;
	return rc;
}

int
lisp_addr_encode(uint8_t *p, size_t cap, const struct lisp_addr *a)
{
	struct wbuf	w;

	wbuf_init(&w, p, cap);
	addr_write(&w, a);
	return wbuf_result(&w);
}

void
lisp_addr_ipv4(struct lisp_addr *a, const void *in4)
{
	memset(a, 0, sizeof(*a));
	a->afi = a->ip.afi = LISP_AFI_IPV4;
	memcpy(a->ip.addr, in4, 4);
}

void
lisp_addr_ipv6(struct lisp_addr *a, const void *in6)
{
	memset(a, 0, sizeof(*a));
	a->afi = a->ip.afi = LISP_AFI_IPV6;
	memcpy(a->ip.addr, in6, 16);
}

void
lisp_addr_iid(struct lisp_addr *a, uint32_t iid, uint8_t iid_mlen,
    const struct lisp_ip *inner)
{
	memset(a, 0, sizeof(*a));
	a->afi = LISP_AFI_LCAF;
	a->lcaf = LISP_LCAF_IID;
	a->iid = iid;
	a->iid_mlen = iid_mlen;
	if (inner != NULL)
		a->ip = *inner;
}

int
lisp_msg_type(const uint8_t *p, size_t len)
{
	if (p == NULL || len == 0)
		return -LISP_E_TRUNC;
	return p[0] >> 4;
}
