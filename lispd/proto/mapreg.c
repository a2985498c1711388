/* SPDX-License-Identifier: MIT */
/*
 * Map-Register (RFC 9301 section 5.6) and the body it shares with
 * Map-Notify and Map-Notify-Ack (section 5.7).
 */
#include <string.h>

#include "codec.h"
#include "regish.h"

#define XTR_TRAILER	24	/* xTR-ID (16 bytes) and Site-ID (8) */

/* Where the type puts its flags, and its I bit among them. */
static uint32_t
flag_mask(uint8_t type)
{
	return type == LISP_MSG_REGISTER ? LISP_MREG_FLAGS : LISP_MNOT_FLAGS;
}

static uint32_t
i_bit(uint8_t type)
{
	return type == LISP_MSG_REGISTER ? LISP_MREG_I : LISP_MNOT_I;
}

int
auth_field_read(struct rbuf *b, uint8_t *key_id, uint8_t *alg_id,
    uint16_t *len, uint8_t auth[LISP_AUTH_MAX])
{
	*key_id = rbuf_u8(b);
	*alg_id = rbuf_u8(b);
	*len = rbuf_u16(b);
	if (b->err)
		return rbuf_result(b);
	/*
	 * The length field lets us parse past an algorithm we don't know;
	 * lisp_auth_verify() refuses it later.  Known ones must match.
	 */
	if (lisp_auth_len_ok(*alg_id, *len) == -LISP_E_AUTH_LEN ||
	    *len > LISP_AUTH_MAX)
		return -LISP_E_AUTH_LEN;
	rbuf_copy(b, auth, *len);
	return rbuf_result(b);
}

int
auth_field_write(struct wbuf *w, uint8_t key_id, uint8_t alg_id,
    uint16_t len)
{
	int	alen = len;

	/* Length 0 picks the algorithm's RFC (truncated) length. */
	if (alen == 0 && alg_id != LISP_ALG_NONE)
		alen = lisp_auth_len(alg_id, false);
	if (alen < 0 || alen > LISP_AUTH_MAX ||
	    lisp_auth_len_ok(alg_id, (uint16_t)alen) == -LISP_E_AUTH_LEN)
		return -LISP_E_AUTH_LEN;
	wbuf_u8(w, key_id);
	wbuf_u8(w, alg_id);
	wbuf_u16(w, (uint16_t)alen);
	wbuf_zero(w, (size_t)alen);	/* filled by lisp_auth_sign() */
	return 0;
}

int
regish_decode(const uint8_t *p, size_t len, struct lisp_mapreg *m,
    uint8_t t1, uint8_t t2)
{
	struct rbuf	b;
	uint32_t	w;
	unsigned	i, nrec;
	int		rc;

	rbuf_init(&b, p, len);
	memset(m, 0, offsetof(struct lisp_mapreg, rec));
	w = rbuf_u32(&b);
	if (b.err)
		return rbuf_result(&b);
	m->type = w >> 28;
	if (m->type != t1 && m->type != t2)
		return -LISP_E_TYPE;
	m->flags = w & flag_mask(m->type);
	nrec = w & 0xff;
	if (nrec > LISP_MAX_RECORDS)
		return -LISP_E_RECORDS;
	m->nonce = rbuf_u64(&b);
	if ((rc = auth_field_read(&b, &m->key_id, &m->alg_id, &m->auth_len,
	    m->auth)) != 0)
		return rc;
	for (i = 0; i < nrec; i++) {
		if ((rc = rec_read(&b, &m->rec[i])) != 0)
			return rc;
		m->nrec++;
	}
	if (b.err)
		return rbuf_result(&b);
	if (m->flags & i_bit(m->type)) {
		if (rbuf_left(&b) < XTR_TRAILER)
			return -LISP_E_XTR_ID;
		rbuf_copy(&b, m->xtr_id, sizeof(m->xtr_id));
		m->site_id = rbuf_u64(&b);
	}
	if (rbuf_left(&b) != 0)
		return -LISP_E_TRAILING;
	return 0;
}

int
regish_encode(uint8_t *p, size_t cap, const struct lisp_mapreg *m,
    uint8_t type)
{
	struct wbuf	w;
	int		rc;
	uint8_t		i;

	wbuf_init(&w, p, cap);
	if (m->nrec > LISP_MAX_RECORDS)
		return -LISP_E_INVAL;
	wbuf_u32(&w, (uint32_t)type << 28 | (m->flags & flag_mask(type)) |
	    m->nrec);
	wbuf_u64(&w, m->nonce);
	if ((rc = auth_field_write(&w, m->key_id, m->alg_id, m->auth_len)) < 0)
		return rc;
	for (i = 0; i < m->nrec; i++)
		rec_write(&w, &m->rec[i]);
	if (m->flags & i_bit(type)) {
		wbuf_copy(&w, m->xtr_id, sizeof(m->xtr_id));
		wbuf_u64(&w, m->site_id);
	}
	return wbuf_result(&w);
}

int
lisp_mapreg_decode(const uint8_t *p, size_t len, struct lisp_mapreg *m)
{
	return regish_decode(p, len, m, LISP_MSG_REGISTER, LISP_MSG_REGISTER);
}

int
lisp_mapreg_encode(uint8_t *p, size_t cap, const struct lisp_mapreg *m)
{
	return regish_encode(p, cap, m, LISP_MSG_REGISTER);
}
