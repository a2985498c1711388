/* SPDX-License-Identifier: MIT */
/* dyneid.c: dynamic EIDs of a site gateway, and of a first-hop router. */
#ifndef LISPD_DYNEID_H
#define LISPD_DYNEID_H

#include "core.h"

struct dbmap;
struct json_object;
struct khost;
struct pkt;

void	dyneid_init(void);
void	dyneid_shutdown(bool reload);
void	dyneid_detected(const struct khost *);
void	dyneid_gone(const struct khost *);
/* An EID-notify (Map-Register with the E bit) from a first-hop router. */
void	dyneid_eid_notify(const struct pkt *, const uint8_t *, size_t);
/* Map-Notify from a Map-Server: ours (true), else look for moves. */
bool	dyneid_notify_acked(const struct pkt *, const struct lisp_mapreg *);
void	dyneid_moved(const struct pkt *, const struct lisp_mapreg *);
/* itr_locate()'s answer: where eid is registered now. */
void	dyneid_located(const struct prefix *eid, const struct lisp_rec *,
	    const struct laddr *from);
/* A dynamic EID of ours: as a database-mapping in *out. */
bool	dyneid_owns(const struct prefix *, struct dbmap *out);
/* A host that moved away: drop it, its routes and the kernel's record. */
void	dyneid_forget(const struct prefix *);
struct json_object *dyneid_show(void);

#endif /* LISPD_DYNEID_H */
