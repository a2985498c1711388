/* SPDX-License-Identifier: MIT */
/* Internal pieces shared by the message codecs. */
#ifndef LISPD_CODEC_H
#define LISPD_CODEC_H

#include "buf.h"
#include "proto.h"

/* addr_read() flags: what this position of the message tolerates. */
#define ADDR_NONE_OK	0x1	/* AFI 0 allowed */
#define ADDR_SKIP_OK	0x2	/* unknown LCAF skipped, returns ADDR_SKIPPED */
#define ADDR_SKIPPED	1

int	addr_read(struct rbuf *, struct lisp_addr *, int flags);
void	addr_write(struct wbuf *, const struct lisp_addr *);

int	rec_read(struct rbuf *, struct lisp_rec *);
void	rec_write(struct wbuf *, const struct lisp_rec *);

/* Decoder epilogue: 0, or the negative sticky error. */
static inline int
rbuf_result(const struct rbuf *b)
{
	return b->err ? -b->err : 0;
}

#endif /* LISPD_CODEC_H */
