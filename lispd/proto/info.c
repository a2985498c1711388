/* SPDX-License-Identifier: MIT */
/*
 * Info-Request and Info-Reply (draft-ermagan-lisp-nat-traversal,
 * section 5), with the NAT-Traversal LCAF (RFC 8060 section 4.4) that
 * ends a reply.
 *
 * What the peers send, besides the draft:
 *  - Open Overlay Router: the draft's layout; a 16-bit "Key ID" that
 *    holds the algorithm (reads here as key-id 0, algorithm 1 or 2, as
 *    in its Map-Registers) and the full HMAC; a request's TTL 0; the
 *    reply's private ETR RLOC AFI 0.
 *  - lispers.net: no authentication (alg 0, length 0), TTL 0, no EID
 *    (mask-len 0, AFI 0); in a request its host name, AFI 17 and
 *    NUL-terminated, where AFI 0 goes; in a reply the MS RLOC AFI 0,
 *    an AFI 0 entry for an empty RTR list, and the LCAF's Length always
 *    16, whatever the addresses.  The LCAF is the last field of a reply,
 *    so its body is read to the message's end: its Length must say so,
 *    or be lispers.net's 16.
 */
#include <string.h>

#include "codec.h"

#define AFI_DN		17	/* Distinguished Name */
#define LISPERS_NAT_LEN	16	/* lispers.net's fixed NAT LCAF Length */

static void
name_read(struct rbuf *b, char *name)
{
	size_t	n = 0;
	uint8_t	c;

	for (;;) {
		if (rbuf_left(b) == 0) {
			rbuf_fail(b, LISP_E_NAME);	/* no NUL */
			return;
		}
		c = rbuf_u8(b);
		if (c == 0)
			break;
		if (n == LISP_NAME_MAX) {
			rbuf_fail(b, LISP_E_NAME);
			return;
		}
		name[n++] = (char)c;
	}
	name[n] = '\0';
}

static void
nat_read(struct rbuf *b, struct lisp_nat *nat)
{
	struct rbuf	body;
	struct lisp_ip	ip;
	uint16_t	len;

	if (rbuf_left(b) < 2 || rbuf_u16(b) != LISP_AFI_LCAF) {
		rbuf_fail(b, LISP_E_NAT_LCAF);
		return;
	}
	rbuf_skip(b, 2);		/* Rsvd1, Flags */
	if (rbuf_u8(b) != LISP_LCAF_NAT) {
		if (!b->err)
			rbuf_fail(b, LISP_E_LCAF_TYPE);
		return;
	}
	rbuf_skip(b, 1);		/* Rsvd2 */
	len = rbuf_u16(b);
	if (b->err)
		return;
	if (len != rbuf_left(b) && len != LISPERS_NAT_LEN) {
		rbuf_fail(b, LISP_E_LCAF_LEN);
		return;
	}
	rbuf_sub(b, rbuf_left(b), &body, LISP_E_LCAF_LEN);
	nat->ms_port = rbuf_u16(&body);
	nat->etr_port = rbuf_u16(&body);
	ip_read(&body, &nat->global_etr, 1);
	ip_read(&body, &nat->ms, 1);
	ip_read(&body, &nat->private_etr, 1);
	while (!body.err && rbuf_left(&body) > 0) {
		ip_read(&body, &ip, 1);
		if (body.err || ip.afi == LISP_AFI_NONE)
			continue;	/* lispers.net's empty list */
		if (nat->nrtr == LISP_MAX_RTR) {
			rbuf_fail(&body, LISP_E_NAT_RTRS);
			break;
		}
		nat->rtr[nat->nrtr++] = ip;
	}
	lcaf_body_done(b, &body);
}

static void
nat_write(struct wbuf *w, const struct lisp_nat *nat)
{
	size_t	lenoff;
	uint8_t	i;

	if (nat->nrtr > LISP_MAX_RTR) {
		wbuf_fail(w, LISP_E_INVAL);
		return;
	}
	wbuf_u16(w, LISP_AFI_LCAF);
	wbuf_u8(w, 0);			/* Rsvd1 */
	wbuf_u8(w, 0);			/* Flags */
	wbuf_u8(w, LISP_LCAF_NAT);
	wbuf_u8(w, 0);			/* Rsvd2 */
	lenoff = w->off;
	wbuf_u16(w, 0);
	wbuf_u16(w, nat->ms_port);
	wbuf_u16(w, nat->etr_port);
	ip_write(w, &nat->global_etr);
	ip_write(w, &nat->ms);
	ip_write(w, &nat->private_etr);
	for (i = 0; i < nat->nrtr; i++) {
		if (nat->rtr[i].afi == LISP_AFI_NONE)
			wbuf_fail(w, LISP_E_INVAL);
		ip_write(w, &nat->rtr[i]);
	}
	if (!w->err)
		wbuf_put16(w, lenoff, (uint16_t)(w->off - lenoff - 2));
}

int
lisp_info_decode(const uint8_t *p, size_t len, struct lisp_info *m)
{
	struct rbuf	b;
	uint32_t	w;
	int		rc, max;

	rbuf_init(&b, p, len);
	memset(m, 0, sizeof(*m));
	w = rbuf_u32(&b);
	if (b.err)
		return rbuf_result(&b);
	if (w >> 28 != LISP_MSG_INFO)
		return -LISP_E_TYPE;
	m->reply = w & LISP_INFO_R;
	m->nonce = rbuf_u64(&b);
	if ((rc = auth_field_read(&b, &m->key_id, &m->alg_id, &m->auth_len,
	    m->auth)) != 0)
		return rc;
	m->ttl = rbuf_u32(&b);
	rbuf_skip(&b, 1);		/* Reserved */
	m->mlen = rbuf_u8(&b);
	if (b.err)
		return rbuf_result(&b);
	if ((rc = addr_read(&b, &m->eid, ADDR_NONE_OK)) < 0)
		return rc;
	max = lisp_addr_maxbits(&m->eid);
	if (m->mlen > (max < 0 ? 0 : max))
		return -LISP_E_MASKLEN;
	if (m->reply) {
		nat_read(&b, &m->nat);
	} else {
		switch (rbuf_u16(&b)) {
		case LISP_AFI_NONE:
			break;
		case AFI_DN:
			name_read(&b, m->name);
			break;
		default:
			if (!b.err)
				rbuf_fail(&b, LISP_E_INFO_TAIL);
			break;
		}
	}
	if (b.err)
		return rbuf_result(&b);
	if (rbuf_left(&b) != 0)
		return -LISP_E_TRAILING;
	return 0;
}

int
lisp_info_encode(uint8_t *p, size_t cap, const struct lisp_info *m)
{
	struct wbuf	w;
	size_t		n;
	int		rc;

	wbuf_init(&w, p, cap);
	wbuf_u32(&w, (uint32_t)LISP_MSG_INFO << 28 |
	    (m->reply ? LISP_INFO_R : 0));
	wbuf_u64(&w, m->nonce);
	if ((rc = auth_field_write(&w, m->key_id, m->alg_id, m->auth_len)) < 0)
		return rc;
	wbuf_u32(&w, m->ttl);
	wbuf_u8(&w, 0);
	wbuf_u8(&w, m->mlen);
	addr_write(&w, &m->eid);
	if (m->reply) {
		nat_write(&w, &m->nat);
	} else if (m->name[0] != '\0') {
		n = strnlen(m->name, LISP_NAME_MAX + 1);
		if (n > LISP_NAME_MAX)
			return -LISP_E_INVAL;
		wbuf_u16(&w, AFI_DN);
		wbuf_copy(&w, m->name, n + 1);
	} else {
		wbuf_u16(&w, LISP_AFI_NONE);
	}
	return wbuf_result(&w);
}
