/* SPDX-License-Identifier: MIT */
/*
 * Map-Referral, RFC 8111 section 6.4.  A referral record is an EID
 * record (record.c reads and writes it) with two more fields in bits
 * the Map-Reply leaves reserved: the Incomplete bit after the A bit,
 * and SigCnt, the top nibble of the Map-Version word, counting the
 * signature sections that follow the Referral Set.
 */
#include <string.h>

#include "codec.h"

#define REF_I		0x0800		/* in the second word's low half */
#define SIG_HLEN	20		/* signature section before its data */
#define SIG_LEN_OFF	14		/* Sig Length, in that header */

static const char *const ref_action[] = {
	"node-referral", "ms-referral", "ms-ack", "ms-not-registered",
	"delegation-hole", "not-authoritative",
};

const char *
lisp_referral_action_name(uint8_t act)
{
	return act < sizeof(ref_action) / sizeof(ref_action[0]) ?
	    ref_action[act] : "unknown";
}

/* Skip n signature sections, each its header and Sig Length bytes. */
static void
sigs_skip(struct rbuf *b, unsigned n)
{
	uint16_t	slen;

	while (n-- > 0 && !b->err) {
		if (rbuf_left(b) < SIG_HLEN) {
			rbuf_fail(b, LISP_E_TRUNC);
			return;
		}
		slen = (uint16_t)(b->p[b->off + SIG_LEN_OFF] << 8 |
		    b->p[b->off + SIG_LEN_OFF + 1]);
		rbuf_skip(b, SIG_HLEN + (size_t)slen);
	}
}

static int
ref_rec_read(struct rbuf *b, struct lisp_referral_rec *r)
{
	const uint8_t	*h = b->p + b->off;
	size_t		 start;
	int		 rc;

	r->incomplete = false;
	r->nsig = 0;
	r->sig = NULL;
	r->sig_len = 0;
	/* The fixed part (TTL, counts, version) must be there to peek. */
	if (rbuf_left(b) < 10) {
		rbuf_fail(b, LISP_E_TRUNC);
		return rbuf_result(b);
	}
	r->incomplete = (h[6] << 8 | h[7]) & REF_I;
	r->nsig = h[8] >> 4;
	if ((rc = rec_read(b, &r->rec)) != 0)
		return rc;
	start = b->off;
	sigs_skip(b, r->nsig);
	if (b->err)
		return rbuf_result(b);
	r->sig = r->nsig ? b->p + start : NULL;
	r->sig_len = b->off - start;
	return 0;
}

int
lisp_mapreferral_decode(const uint8_t *p, size_t len,
    struct lisp_mapreferral *m)
{
	struct rbuf	b;
	uint32_t	w;
	unsigned	i, nrec;
	int		rc;

	rbuf_init(&b, p, len);
	m->nonce = 0;
	m->nrec = 0;
	w = rbuf_u32(&b);
	if (b.err)
		return rbuf_result(&b);
	if (w >> 28 != LISP_MSG_REFERRAL)
		return -LISP_E_TYPE;
	nrec = w & 0xff;
	if (nrec > LISP_MAX_RECORDS)
		return -LISP_E_RECORDS;
	m->nonce = rbuf_u64(&b);
	for (i = 0; i < nrec; i++) {
		if ((rc = ref_rec_read(&b, &m->rec[i])) != 0)
			return rc;
		m->nrec++;
	}
	if (b.err)
		return rbuf_result(&b);
	return rbuf_left(&b) ? -LISP_E_TRAILING : 0;
}

/* rec_write() leaves I and SigCnt zero: set them in what it wrote. */
static void
ref_rec_write(struct wbuf *w, const struct lisp_referral_rec *r)
{
	size_t	start = w->off;

	if (r->nsig > 15 || (r->nsig && (r->sig == NULL || r->sig_len <
	    (size_t)r->nsig * SIG_HLEN)) || (!r->nsig && r->sig_len))
		wbuf_fail(w, LISP_E_INVAL);
	rec_write(w, &r->rec);
	if (w->err)
		return;
	if (r->incomplete)
		w->p[start + 6] |= REF_I >> 8;
	w->p[start + 8] |= (uint8_t)(r->nsig << 4);
	if (r->nsig)
		wbuf_copy(w, r->sig, r->sig_len);
}

int
lisp_mapreferral_encode(uint8_t *p, size_t cap,
    const struct lisp_mapreferral *m)
{
	struct wbuf	w;
	uint8_t		i;

	wbuf_init(&w, p, cap);
	if (m->nrec > LISP_MAX_RECORDS)
		return -LISP_E_INVAL;
	wbuf_u32(&w, (uint32_t)LISP_MSG_REFERRAL << 28 | m->nrec);
	wbuf_u64(&w, m->nonce);
	for (i = 0; i < m->nrec; i++)
		ref_rec_write(&w, &m->rec[i]);
	return wbuf_result(&w);
}
