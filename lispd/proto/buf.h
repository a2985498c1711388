/* SPDX-License-Identifier: MIT */
/*
 * Bounded reader and writer over a byte buffer.  Every access checks the
 * remaining length; the first failure is kept in ->err (sticky) and later
 * accesses do nothing, so a parser can read a run of fields and test the
 * error once.
 */
#ifndef LISPD_BUF_H
#define LISPD_BUF_H

#include <stddef.h>
#include <stdint.h>

struct rbuf {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
	int		 err;	/* first LISP_E_*, 0 while fine */
};

struct wbuf {
	uint8_t		*p;
	size_t		 cap;
	size_t		 off;
	int		 err;
};

void	 rbuf_init(struct rbuf *, const uint8_t *, size_t);
size_t	 rbuf_left(const struct rbuf *);
void	 rbuf_fail(struct rbuf *, int);
uint8_t	 rbuf_u8(struct rbuf *);
uint16_t rbuf_u16(struct rbuf *);
uint32_t rbuf_u32(struct rbuf *);
uint64_t rbuf_u64(struct rbuf *);
void	 rbuf_copy(struct rbuf *, void *, size_t);
void	 rbuf_skip(struct rbuf *, size_t);
/* Carve the next n bytes into *sub and skip them in b. */
void	 rbuf_sub(struct rbuf *b, size_t n, struct rbuf *sub, int err);

void	 wbuf_init(struct wbuf *, uint8_t *, size_t);
void	 wbuf_fail(struct wbuf *, int);
void	 wbuf_u8(struct wbuf *, uint8_t);
void	 wbuf_u16(struct wbuf *, uint16_t);
void	 wbuf_u32(struct wbuf *, uint32_t);
void	 wbuf_u64(struct wbuf *, uint64_t);
void	 wbuf_copy(struct wbuf *, const void *, size_t);
void	 wbuf_zero(struct wbuf *, size_t);
/* Patch a big-endian u16 at an earlier offset (lengths known late). */
void	 wbuf_put16(struct wbuf *, size_t off, uint16_t);
/* Encoder epilogue: bytes written, or the negative error. */
int	 wbuf_result(const struct wbuf *);

#endif /* LISPD_BUF_H */
