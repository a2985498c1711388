/* SPDX-License-Identifier: MIT */
/* net.c: the control-plane socket, UDP 4342. */
#ifndef LISPD_NET_H
#define LISPD_NET_H

#include "core.h"

int	net_init(void);
void	net_close(void);
int	net_send(const struct laddr *to, uint16_t port, const void *, size_t);
/* Wrap msg in an ECM whose inner header goes src -> dst, port 4342. */
int	net_send_ecm(const struct laddr *to, const struct laddr *isrc,
	    const struct laddr *idst, uint16_t isport, const void *, size_t);
/* Our source address towards dst, as the kernel would choose it. */
int	net_local_addr(const struct laddr *dst, struct laddr *src);

#endif /* LISPD_NET_H */
