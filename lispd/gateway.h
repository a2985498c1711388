/* SPDX-License-Identifier: MIT */
/*
 * gateway.c: the site gateway of dynamic EIDs: registers the hosts in
 * the host table (hosts.c) with the Map-Servers, takes EID-notifies
 * from first-hop routers, and sends on the traffic of hosts that moved.
 */
#ifndef LISPD_GATEWAY_H
#define LISPD_GATEWAY_H

#include "core.h"

struct json_object;
struct pkt;

/* Before dyneid_init(): listens to the host table. */
void	gateway_init(void);
void	gateway_shutdown(bool reload);
/* An EID-notify (Map-Register with the E bit) from a first-hop router. */
void	gateway_eid_notify(const struct pkt *, const uint8_t *, size_t);
/* Map-Notify from a Map-Server: ours (true), else look for moves. */
bool	gateway_notify_acked(const struct pkt *, const struct lisp_mapreg *);
void	gateway_moved(const struct pkt *, const struct lisp_mapreg *);
/* itr_locate()'s answer: where eid is registered now. */
void	gateway_located(const struct prefix *eid, const struct lisp_rec *,
	    const struct laddr *from);
/* The away entries, added to the array of dyneid_show(). */
void	gateway_show(struct json_object *arr);

#endif /* LISPD_GATEWAY_H */
