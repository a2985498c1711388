/* SPDX-License-Identifier: MIT */
/*
 * NAT traversal (draft-ermagan-lisp-nat-traversal): the Map-Server's
 * answer to an Info-Request (nat_ms.c), the xTR's Info-Requests and
 * what it learns from the replies (nat_xtr.c).
 */
#ifndef LISPD_NAT_H
#define LISPD_NAT_H

#include "core.h"

struct pkt;
struct json_object;

/* Minutes an xTR may keep the RTR list of our Info-Reply (its TTL). */
#define NAT_INFO_TTL		1
/* Info-Requests answered per second, at most: each costs two HMACs. */
#define NAT_INFO_RATE		200

void	nat_ms_handle_request(const struct pkt *, const uint8_t *, size_t);

/* The tenants with nat-traversal: Info-Requests now and at each interval. */
void	nat_xtr_init(void);
void	nat_xtr_shutdown(void);
/* An Info-Reply: taken if it answers a request of ours and verifies. */
void	nat_xtr_handle_reply(const struct pkt *, const uint8_t *, size_t);
/* lispctl show nat: a row per tenant and map-server. */
struct json_object *nat_xtr_show(void);

#endif /* LISPD_NAT_H */
