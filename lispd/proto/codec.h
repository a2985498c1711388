/* SPDX-License-Identifier: MIT */
/* Internal pieces shared by the message codecs. */
#ifndef LISPD_CODEC_H
#define LISPD_CODEC_H

#include "buf.h"
#include "proto.h"

/*
 * addr_read() flags: what this position of the message tolerates.  An
 * address read but not kept (an LCAF type other than IID and AFI-List,
 * or one of them around such) returns ADDR_SKIPPED where allowed, else
 * -LISP_E_LCAF_TYPE.
 */
#define ADDR_NONE_OK	0x1	/* AFI 0 allowed */
#define ADDR_SKIP_OK	0x2	/* any LCAF, even one unknown to RFC 8060 */
#define ADDR_READ_OK	0x4	/* an RFC 8060 LCAF (an EID: for the caller) */
#define ADDR_KEY_RLOC	0x8	/* Security Key around an IP: that address */
#define ADDR_SKIPPED	1

int	addr_read(struct rbuf *, struct lisp_addr *, int flags);
/* A plain AFI 0 (if none_ok), IPv4 or IPv6 address; nothing else. */
void	ip_read(struct rbuf *, struct lisp_ip *, int none_ok);
void	ip_write(struct wbuf *, const struct lisp_ip *);
void	addr_write(struct wbuf *, const struct lisp_addr *);

/* lcaf.c: the RFC 8060 types we skip, read by their layout. */
void	lcaf_walk(struct rbuf *, int depth);	/* after its AFI */
void	lcaf_walk_body(struct rbuf *body, uint8_t type, int depth);
/* Fail b when body is not exactly read (-> LISP_E_LCAF_LEN). */
void	lcaf_body_done(struct rbuf *b, struct rbuf *body);

/*
 * mapreg.c: Key ID, Algorithm ID, Authentication Data Length and the
 * data (RFC 9301 5.6), in Map-Register shaped messages and Info.  The
 * writer puts zeroes for lisp_auth_sign(); a length 0 there is the
 * algorithm's RFC length.
 */
int	auth_field_read(struct rbuf *, uint8_t *key_id, uint8_t *alg_id,
	    uint16_t *len, uint8_t auth[LISP_AUTH_MAX]);
int	auth_field_write(struct wbuf *, uint8_t key_id, uint8_t alg_id,
	    uint16_t len);

int	rec_read(struct rbuf *, struct lisp_rec *);
void	rec_write(struct wbuf *, const struct lisp_rec *);

/* Decoder epilogue: 0, or the negative sticky error. */
static inline int
rbuf_result(const struct rbuf *b)
{
	return b->err ? -b->err : 0;
}

#endif /* LISPD_CODEC_H */
