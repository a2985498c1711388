/* SPDX-License-Identifier: MIT */
/* Map-Request, RFC 9301 section 5.2. */
#include <string.h>

#include "codec.h"

static int
prefix_read(struct rbuf *b, struct lisp_eid_prefix *e)
{
	int	rc, max;

	e->notify = rbuf_u8(b) & LISP_MREC_N;	/* the rest is reserved */
	e->mlen = rbuf_u8(b);
	if (b->err)
		return rbuf_result(b);
	if ((rc = addr_read(b, &e->eid, ADDR_NONE_OK | ADDR_READ_OK)) < 0)
		return rc;
	max = lisp_addr_maxbits(&e->eid);
	if (max < 0 || e->mlen > max)
		rbuf_fail(b, LISP_E_MASKLEN);
	return rbuf_result(b);
}

int
lisp_mapreq_decode(const uint8_t *p, size_t len, struct lisp_mapreq *m)
{
	struct rbuf	b;
	uint32_t	w;
	unsigned	i, nitr, nrec;
	int		rc, keyonly = 0;

	rbuf_init(&b, p, len);
	/* Clear the scalars; arrays are filled as counted. */
	memset(m, 0, offsetof(struct lisp_mapreq, itr));
	m->nrec = 0;
	memset(m->xtr_id, 0, sizeof(m->xtr_id));
	m->site_id = 0;
	m->no_site_id = false;
	w = rbuf_u32(&b);
	if (b.err)
		return rbuf_result(&b);
	if (w >> 28 != LISP_MSG_REQUEST)
		return -LISP_E_TYPE;
	m->flags = w & LISP_MREQ_FLAGS;
	nitr = ((w >> 8) & 0x1f) + 1;
	nrec = w & 0xff;
	/* Senders send one record; receivers take several, never none. */
	if (nrec == 0)
		return -LISP_E_NO_RECORDS;
	if (nrec > LISP_MAX_RECORDS)
		return -LISP_E_RECORDS;
	m->nonce = rbuf_u64(&b);
	if (b.err)
		return rbuf_result(&b);
	/* lispers.net signs in a JSON LCAF here: read, not kept. */
	if ((rc = addr_read(&b, &m->seid, ADDR_NONE_OK | ADDR_READ_OK)) < 0)
		return rc;

	for (i = 0; i < nitr; i++) {
		rc = addr_read(&b, &m->itr[m->nitr],
		    ADDR_SKIP_OK | ADDR_KEY_RLOC);
		if (rc < 0)
			return rc;
		if (rc == ADDR_SKIPPED) {
			keyonly |= m->itr[m->nitr].lcaf ==
			    LISP_LCAF_SECURITY_KEY;
			m->nitr_skipped++;
		} else
			m->nitr++;
	}
	/* RFC 9301 5.3: nowhere to send the reply, drop it. */
	if (m->nitr == 0)
		return keyonly ? -LISP_E_ITR_KEY : -LISP_E_NO_ITR;
	for (i = 0; i < nrec; i++) {
		if ((rc = prefix_read(&b, &m->rec[i])) != 0)
			return rc;
		m->nrec++;
	}
	if (m->flags & LISP_MREQ_M) {
		if ((rc = rec_read(&b, &m->reply)) != 0)
			return rc;
	}
	if ((m->flags & LISP_MREQ_I) && !b.err) {
		/* RFC 9437's 24 bytes, or lispers.net's 16 (no Site-ID). */
		if (rbuf_left(&b) != 24 && rbuf_left(&b) != 16)
			return -LISP_E_MREQ_XTR_ID;
		m->no_site_id = rbuf_left(&b) == 16;
		rbuf_copy(&b, m->xtr_id, sizeof(m->xtr_id));
		if (!m->no_site_id)
			m->site_id = rbuf_u64(&b);
	}
	if (rbuf_left(&b) != 0)
		return -LISP_E_TRAILING;
	return rbuf_result(&b);
}

int
lisp_mapreq_encode(uint8_t *p, size_t cap, const struct lisp_mapreq *m)
{
	struct wbuf	w;
	uint8_t		i;

	wbuf_init(&w, p, cap);
	if (m->nitr == 0 || m->nitr > LISP_MAX_ITR ||
	    m->nrec == 0 || m->nrec > LISP_MAX_RECORDS)
		return -LISP_E_INVAL;
	wbuf_u32(&w, (uint32_t)LISP_MSG_REQUEST << 28 |
	    (m->flags & LISP_MREQ_FLAGS) | (uint32_t)(m->nitr - 1) << 8 |
	    m->nrec);
	wbuf_u64(&w, m->nonce);
	addr_write(&w, &m->seid);
	for (i = 0; i < m->nitr; i++) {
		if (m->itr[i].afi == LISP_AFI_NONE)
			wbuf_fail(&w, LISP_E_AFI_NONE);
		addr_write(&w, &m->itr[i]);
	}
	for (i = 0; i < m->nrec; i++) {
		int max = lisp_addr_maxbits(&m->rec[i].eid);

		if (max < 0 || m->rec[i].mlen > max)
			wbuf_fail(&w, LISP_E_MASKLEN);
		wbuf_u8(&w, m->rec[i].notify ? LISP_MREC_N : 0);
		wbuf_u8(&w, m->rec[i].mlen);
		addr_write(&w, &m->rec[i].eid);
	}
	if (m->flags & LISP_MREQ_M)
		rec_write(&w, &m->reply);
	if (m->flags & LISP_MREQ_I) {
		wbuf_copy(&w, m->xtr_id, sizeof(m->xtr_id));
		if (!m->no_site_id)
			wbuf_u64(&w, m->site_id);
	}
	return wbuf_result(&w);
}
