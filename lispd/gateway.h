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
struct tenant;

/*
 * After etr_init(), before dyneid_init(): sets the ETR's hooks and
 * listens to the host table.
 */
void	gateway_init(void);
void	gateway_shutdown(bool reload);
/* A tenant no longer configured: its away entries and chases go. */
void	gateway_forget_tenant(struct tenant *);
/* An EID-notify (Map-Register with the E bit) from a first-hop router. */
void	gateway_eid_notify(const struct pkt *, const uint8_t *, size_t);
/* The away entries, added to the array of dyneid_show(). */
void	gateway_show(struct json_object *arr);
/* A row per host and Map-Server (lispctl show registration). */
void	gateway_show_registrations(struct json_object *arr);

#endif /* LISPD_GATEWAY_H */
