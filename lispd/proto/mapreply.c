/* SPDX-License-Identifier: MIT */
/* Map-Reply, RFC 9301 section 5.4. */
#include <string.h>

#include "codec.h"

int
lisp_mapreply_decode(const uint8_t *p, size_t len, struct lisp_mapreply *m)
{
	struct rbuf	b;
	uint32_t	w;
	unsigned	i, nrec;
	int		rc;

	rbuf_init(&b, p, len);
	m->flags = 0;
	m->nonce = 0;
	m->nrec = 0;
	m->sec = NULL;
	m->sec_len = 0;
	w = rbuf_u32(&b);
	if (b.err)
		return rbuf_result(&b);
	if (w >> 28 != LISP_MSG_REPLY)
		return -LISP_E_TYPE;
	m->flags = w & LISP_MREP_FLAGS;
	nrec = w & 0xff;
	if (nrec > LISP_MAX_RECORDS)
		return -LISP_E_RECORDS;
	m->nonce = rbuf_u64(&b);
	for (i = 0; i < nrec; i++) {
		if ((rc = rec_read(&b, &m->rec[i])) != 0)
			return rc;
		/* RFC 9301 5.4: a probe reply's records must be authoritative. */
		if ((m->flags & LISP_MREP_P) && !m->rec[i].auth)
			return -LISP_E_PROBE_NOT_AUTH;
		m->nrec++;
	}
	if (b.err)
		return rbuf_result(&b);
	/* The S bit appends RFC 9303 data, left to its consumer. */
	if (m->flags & LISP_MREP_S) {
		if (rbuf_left(&b) == 0)
			return -LISP_E_TRUNC;
		m->sec = p + b.off;
		m->sec_len = rbuf_left(&b);
	} else if (rbuf_left(&b) != 0)
		return -LISP_E_TRAILING;
	return 0;
}

int
lisp_mapreply_encode(uint8_t *p, size_t cap, const struct lisp_mapreply *m)
{
	struct wbuf	w;
	uint8_t		i;

	wbuf_init(&w, p, cap);
	if (m->nrec > LISP_MAX_RECORDS)
		return -LISP_E_INVAL;
	if ((m->flags & LISP_MREP_S) && (m->sec == NULL || m->sec_len == 0))
		return -LISP_E_INVAL;
	wbuf_u32(&w, (uint32_t)LISP_MSG_REPLY << 28 |
	    (m->flags & LISP_MREP_FLAGS) | m->nrec);
	wbuf_u64(&w, m->nonce);
	for (i = 0; i < m->nrec; i++)
		rec_write(&w, &m->rec[i]);
	if (m->flags & LISP_MREP_S)
		wbuf_copy(&w, m->sec, m->sec_len);
	return wbuf_result(&w);
}
