/* SPDX-License-Identifier: MIT */
/*
 * Encapsulated Control Message, RFC 9301 section 5.8: the ECM word,
 * then an inner IPv4 or IPv6 header and a UDP header around the
 * control message (udp.c).  Flags S and D are RFC 9301's, R and N
 * draft-ietf-lisp-nat-traversal's; the others are not kept.
 */
#include <string.h>

#include "codec.h"

int
lisp_ecm_decode(const uint8_t *p, size_t len, struct lisp_ecm *e)
{
	struct rbuf	b;
	uint32_t	w;
	int		err;

	memset(e, 0, sizeof(*e));
	rbuf_init(&b, p, len);
	w = rbuf_u32(&b);
	if (b.err)
		return rbuf_result(&b);
	if (w >> 28 != LISP_MSG_ECM)
		return -LISP_E_TYPE;
	if (w & LISP_ECM_S)
		return -LISP_E_ECM_SEC;
	if ((err = lisp_udp_decode(p + b.off, rbuf_left(&b), e)) < 0)
		return err;
	e->flags = w & LISP_ECM_FLAGS;
	return 0;
}

int
lisp_ecm_encode(uint8_t *p, size_t cap, const struct lisp_ecm *e)
{
	struct wbuf	w;
	int		n;

	if (e->flags & LISP_ECM_S)
		return -LISP_E_ECM_SEC;
	wbuf_init(&w, p, cap);
	wbuf_u32(&w, (uint32_t)LISP_MSG_ECM << 28 | (e->flags & LISP_ECM_FLAGS));
	if (w.err)
		return wbuf_result(&w);
	n = lisp_udp_encode(p + w.off, cap - w.off, e);
	return n < 0 ? n : n + (int)w.off;
}
