/* SPDX-License-Identifier: MIT */
/*
 * EID records and their locator records, the common body of Map-Reply,
 * Map-Register, Map-Notify and Map-Notify-Ack (RFC 9301 section 5.4).
 */
#include <string.h>

#include "codec.h"

/*
 * A locator whose address is an LCAF type we don't know is skipped by
 * its length and counted: RFC 8060 lets new types appear in RLOC
 * records, and one exotic RLOC must not cost us the whole mapping.
 */
static int
loc_read(struct rbuf *b, struct lisp_loc *l)
{
	l->priority = rbuf_u8(b);
	l->weight = rbuf_u8(b);
	l->mpriority = rbuf_u8(b);
	l->mweight = rbuf_u8(b);
	l->flags = rbuf_u16(b);
	if (b->err)
		return rbuf_result(b);
	return addr_read(b, &l->addr, ADDR_SKIP_OK);
}

static void
loc_write(struct wbuf *w, const struct lisp_loc *l)
{
	wbuf_u8(w, l->priority);
	wbuf_u8(w, l->weight);
	wbuf_u8(w, l->mpriority);
	wbuf_u8(w, l->mweight);
	wbuf_u16(w, l->flags);
	if (l->addr.afi == LISP_AFI_NONE)
		wbuf_fail(w, LISP_E_AFI_NONE);
	addr_write(w, &l->addr);
}

int
rec_read(struct rbuf *b, struct lisp_rec *r)
{
	uint32_t	w;
	uint16_t	v;
	unsigned	i, nloc;
	int		rc, max;

	memset(r, 0, offsetof(struct lisp_rec, loc));
	r->ttl = rbuf_u32(b);
	w = rbuf_u32(b);
	nloc = w >> 24;
	r->mlen = (w >> 16) & 0xff;
	r->act = (w >> 13) & 0x7;
	r->auth = (w >> 12) & 0x1;
	v = rbuf_u16(b);
	r->version = v & 0x0fff;
	if ((rc = addr_read(b, &r->eid, ADDR_NONE_OK | ADDR_READ_OK)) < 0)
		return rc;
	max = lisp_addr_maxbits(&r->eid);
	if (max < 0 || r->mlen > max) {
		rbuf_fail(b, LISP_E_MASKLEN);
		return rbuf_result(b);
	}
	for (i = 0; i < nloc; i++) {
		if (r->nloc == LISP_MAX_LOCATORS) {
			rbuf_fail(b, LISP_E_LOCATORS);
			break;
		}
		rc = loc_read(b, &r->loc[r->nloc]);
		if (rc < 0)
			return rc;
		if (rc == ADDR_SKIPPED)
			r->nloc_skipped++;
		else
			r->nloc++;
	}
	return rbuf_result(b);
}

void
rec_write(struct wbuf *w, const struct lisp_rec *r)
{
	int	max = lisp_addr_maxbits(&r->eid);
	uint8_t	i;

	if (r->nloc > LISP_MAX_LOCATORS)
		wbuf_fail(w, LISP_E_LOCATORS);
	if (max < 0 || r->mlen > max)
		wbuf_fail(w, LISP_E_MASKLEN);
	if (w->err)
		return;
	wbuf_u32(w, r->ttl);
	wbuf_u32(w, (uint32_t)r->nloc << 24 | (uint32_t)r->mlen << 16 |
	    (uint32_t)(r->act & 0x7) << 13 | (uint32_t)(r->auth ? 1 : 0) << 12);
	wbuf_u16(w, r->version & 0x0fff);
	addr_write(w, &r->eid);
	for (i = 0; i < r->nloc; i++)
		loc_write(w, &r->loc[i]);
}

/* The locator array is most of a record's size and mostly unused. */
void
lisp_rec_copy(struct lisp_rec *dst, const struct lisp_rec *src)
{
	memcpy(dst, src, offsetof(struct lisp_rec, loc));
	memcpy(dst->loc, src->loc, src->nloc * sizeof(src->loc[0]));
}
