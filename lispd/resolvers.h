/* SPDX-License-Identifier: MIT */
/*
 * resolvers.c: the map-resolvers the ITR asks (RFC 9301 8.1): which to
 * ask next, which stopped answering, and what each has answered.
 */
#ifndef LISPD_RESOLVERS_H
#define LISPD_RESOLVERS_H

#include "core.h"

struct json_object;

/* A request tries at most so many of a tenant's map-resolvers. */
#define RESOLVERS_MAX		32
#define RESOLVER_HOLD_MIN	30	/* s a silent one is skipped first */
#define RESOLVER_HOLD_MAX	300	/* the hold, doubled each time, at most */

/*
 * Which of mr[0..n-1] to ask next, not one of tried (bit i: mr[i]):
 * those answering in their configured order, then the silent ones,
 * the one whose hold ends first first.  -1: every one is tried.
 */
int	resolver_pick(const struct laddr *mr, int n, uint32_t tried);
void	resolver_sent(const struct laddr *);
/* A Map-Reply to the request last sent to it. */
void	resolver_answered(const struct laddr *);
/* No Map-Reply in time: held down, the hold doubling while it stays so. */
void	resolver_unanswered(const struct laddr *);
void	resolvers_reset(void);
/* One row per configured map-resolver, the tenants' in turn. */
struct json_object *resolvers_show(void);

#endif /* LISPD_RESOLVERS_H */
