/* SPDX-License-Identifier: MIT */
/* fhr.c: the first-hop router of LISP multihop mobility. */
#ifndef LISPD_FHR_H
#define LISPD_FHR_H

#include "core.h"

struct dyneid_conf;
struct pkt;

void	fhr_host_up(const struct dyneid_conf *, const struct prefix *eid);
void	fhr_host_down(const struct dyneid_conf *, const struct prefix *eid,
	    bool withdraw);
bool	fhr_is_gateway(const struct laddr *);
void	fhr_handle_notify(const struct pkt *, const uint8_t *, size_t,
	    const struct lisp_mapreg *);
void	fhr_init(void);
/* reload: the hosts stay for fhr_init(). */
void	fhr_shutdown(bool reload);

#endif /* LISPD_FHR_H */
