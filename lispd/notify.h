/* SPDX-License-Identifier: MIT */
/* notify.c: Map-Notify of the mobility roles (RFC 9301 5.7). */
#ifndef LISPD_NOTIFY_H
#define LISPD_NOTIFY_H

#include "core.h"

struct mserver;
struct pkt;

/* Encode and sign type NOTIFY or NOTIFY_ACK with auth's key; length or -1. */
int	notify_encode(uint8_t *, size_t, uint8_t type, uint64_t nonce,
	    const struct mserver *auth, const struct lisp_rec *, int nrec);
/* Unsolicited: sent again until acknowledged. */
int	notify_reliable(const struct laddr *to, uint16_t port,
	    const struct mserver *auth, const struct lisp_rec *, int nrec);
/* A Map-Notify-Ack for one of ours: consumed (true) or not ours. */
bool	notify_ack_input(const struct pkt *, const uint8_t *, size_t);
void	notify_flush(void);

#endif /* LISPD_NOTIFY_H */
