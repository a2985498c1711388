/* SPDX-License-Identifier: MIT */
/* itr.c: the ITR and PITR (RFC 9301 5.3, 5.4, 6): the map-cache's client. */
#ifndef LISPD_ITR_H
#define LISPD_ITR_H

#include "core.h"

struct json_object;
struct kmap;
struct pkt;
struct tenant;

/* Each tenant's ITR, from what its device holds; and the probing. */
void	itr_init(void);
void	itr_shutdown(void);
/* A tenant no longer configured: its learned entries leave the kernel. */
void	itr_forget(struct tenant *);
void	itr_handle_miss(uint32_t iid, const struct laddr *seid,
	    const struct laddr *deid);
void	itr_handle_reply(const struct pkt *, const struct lisp_mapreply *);
void	itr_adopt(struct tenant *, const struct kmap *);
/* A Map-Notify publishing what we subscribed to (true), or not ours. */
bool	itr_handle_publication(const struct pkt *, const uint8_t *, size_t,
	    const struct lisp_mapreg *);
void	itr_handle_smr(const struct pkt *, const struct lisp_mapreq *);
/*
 * Ask the mapping system once where eid is now, not for the map-cache:
 * done(eid, rec, from, arg) for each record of the Map-Reply that covers
 * eid, from its sender; not at all when none comes within a second (ask
 * again).  -1: no map-resolver, or eid is being asked for already.
 */
int	itr_locate(const struct prefix *eid, void (*done)(const struct prefix *eid,
	    const struct lisp_rec *, const struct laddr *from, void *arg),
	    void *arg);
struct json_object *itr_show(void);
/* Our subscriptions, added to arr. */
void	itr_sub_show(struct json_object *arr);

#endif /* LISPD_ITR_H */
