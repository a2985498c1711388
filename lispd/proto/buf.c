/* SPDX-License-Identifier: MIT */
/* Bounded byte-buffer reader and writer; see buf.h. */
#include <string.h>

#include "buf.h"
#include "proto.h"

void
rbuf_init(struct rbuf *b, const uint8_t *p, size_t len)
{
	b->p = p;
	b->len = p != NULL ? len : 0;
	b->off = 0;
	b->err = 0;
}

size_t
rbuf_left(const struct rbuf *b)
{
	return b->err ? 0 : b->len - b->off;
}

void
rbuf_fail(struct rbuf *b, int err)
{
	if (b->err == 0)
		b->err = err;
}

/* Claim n bytes; NULL (and the sticky error) when they aren't there. */
static const uint8_t *
rbuf_take(struct rbuf *b, size_t n)
{
	const uint8_t *q;

	if (b->err)
		return NULL;
	if (n > b->len - b->off) {
		b->err = LISP_E_TRUNC;
		return NULL;
	}
	q = b->p + b->off;
	b->off += n;
	return q;
}

uint8_t
rbuf_u8(struct rbuf *b)
{
	const uint8_t *q = rbuf_take(b, 1);

	return q ? q[0] : 0;
}

uint16_t
rbuf_u16(struct rbuf *b)
{
	const uint8_t *q = rbuf_take(b, 2);

	return q ? (uint16_t)(q[0] << 8 | q[1]) : 0;
}

uint32_t
rbuf_u32(struct rbuf *b)
{
	const uint8_t *q = rbuf_take(b, 4);

	if (q == NULL)
		return 0;
	return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
	    (uint32_t)q[2] << 8 | q[3];
}

uint64_t
rbuf_u64(struct rbuf *b)
{
	uint64_t hi = rbuf_u32(b);

	return hi << 32 | rbuf_u32(b);
}

void
rbuf_copy(struct rbuf *b, void *dst, size_t n)
{
	const uint8_t *q = rbuf_take(b, n);

	if (q != NULL)
		memcpy(dst, q, n);
	else
		memset(dst, 0, n);
}

void
rbuf_skip(struct rbuf *b, size_t n)
{
	(void)rbuf_take(b, n);
}

void
rbuf_sub(struct rbuf *b, size_t n, struct rbuf *sub, int err)
{
	const uint8_t *q;

	if (!b->err && n > b->len - b->off)
		b->err = err;
	q = rbuf_take(b, n);
	rbuf_init(sub, q, q ? n : 0);
	sub->err = b->err;
}

void
wbuf_init(struct wbuf *w, uint8_t *p, size_t cap)
{
	w->p = p;
	w->cap = p != NULL ? cap : 0;
	w->off = 0;
	w->err = 0;
}

void
wbuf_fail(struct wbuf *w, int err)
{
	if (w->err == 0)
		w->err = err;
}

static uint8_t *
wbuf_take(struct wbuf *w, size_t n)
{
	uint8_t *q;

	if (w->err)
		return NULL;
	if (n > w->cap - w->off) {
		w->err = LISP_E_NOSPACE;
		return NULL;
	}
	q = w->p + w->off;
	w->off += n;
	return q;
}

void
wbuf_u8(struct wbuf *w, uint8_t v)
{
	uint8_t *q = wbuf_take(w, 1);

	if (q)
		q[0] = v;
}

void
wbuf_u16(struct wbuf *w, uint16_t v)
{
	uint8_t *q = wbuf_take(w, 2);

	if (q) {
		q[0] = v >> 8;
		q[1] = v & 0xff;
	}
}

void
wbuf_u32(struct wbuf *w, uint32_t v)
{
	wbuf_u16(w, v >> 16);
	wbuf_u16(w, v & 0xffff);
}

void
wbuf_u64(struct wbuf *w, uint64_t v)
{
	wbuf_u32(w, v >> 32);
	wbuf_u32(w, v & 0xffffffff);
}

void
wbuf_copy(struct wbuf *w, const void *src, size_t n)
{
	uint8_t *q = wbuf_take(w, n);

	if (q && n)
		memcpy(q, src, n);
}

void
wbuf_zero(struct wbuf *w, size_t n)
{
	uint8_t *q = wbuf_take(w, n);

	if (q && n)
		memset(q, 0, n);
}

void
wbuf_put16(struct wbuf *w, size_t off, uint16_t v)
{
	if (w->err || off + 2 > w->off)
		return;
	w->p[off] = v >> 8;
	w->p[off + 1] = v & 0xff;
}

int
wbuf_result(const struct wbuf *w)
{
	if (w->err)
		return -w->err;
	if (w->off > 0x7fffffff)
		return -LISP_E_NOSPACE;
	return (int)w->off;
}
