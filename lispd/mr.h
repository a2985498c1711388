/* SPDX-License-Identifier: MIT */
/* mr.c: the Map-Resolver, and Map-Replies (RFC 9301 8.3, 8.4). */
#ifndef LISPD_MR_H
#define LISPD_MR_H

#include "core.h"

struct pkt;

void	mr_handle_request(const struct pkt *, const uint8_t *, size_t,
	    const struct lisp_mapreq *);
/* Send a Map-Reply for mreq to its first usable ITR-RLOC. */
int	mr_send_reply(const struct pkt *, const struct lisp_mapreq *,
	    const struct lisp_rec *, size_t nrec);
/* The same with Map-Reply flags (LISP_MREP_P for a probe reply). */
int	mr_send_reply_flags(const struct pkt *, const struct lisp_mapreq *,
	    uint32_t flags, const struct lisp_rec *, size_t nrec);
/*
 * The least specific prefix around eid, no shorter than min, with
 * nothing taken() inside: a negative answer's prefix (also DDT's).
 */
void	mr_negative_prefix(const struct prefix *eid, int min,
	    bool (*taken)(const struct prefix *), struct prefix *out);

#endif /* LISPD_MR_H */
