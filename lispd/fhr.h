/* SPDX-License-Identifier: MIT */
/* fhr.c: the first-hop router of LISP multihop mobility. */
#ifndef LISPD_FHR_H
#define LISPD_FHR_H

#include "core.h"

struct pkt;
struct tenant;

bool	fhr_is_gateway(const struct laddr *);
void	fhr_handle_notify(const struct pkt *, const uint8_t *, size_t,
	    const struct lisp_mapreg *);
/* Before dyneid_init(): listens to the host table. */
void	fhr_init(void);
/* reload: the hosts stay for fhr_init(). */
void	fhr_shutdown(bool reload);
/* A tenant no longer configured: the hosts it told of go. */
void	fhr_forget_tenant(struct tenant *);

#endif /* LISPD_FHR_H */
