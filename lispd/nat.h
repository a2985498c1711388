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
struct tenant;
struct mserver;

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
/*
 * May the tenant's ETR register with ms directly?  Not while it does
 * not know whether it is behind a NAT, nor once it is (nat_reg.c).
 */
bool	nat_xtr_direct_ok(const struct tenant *, const struct mserver *);
/* A Data-Map-Notify (the Map-Notify in m, buf): true when it was ours. */
bool	nat_xtr_handle_notify(const uint8_t *buf, size_t len,
	    const struct lisp_mapreg *m);

/* nat_reg.c: the xTR's registration through the RTRs, one per map-server. */
struct nat_reg;
struct nat_reg *nat_reg_new(struct tenant *, const struct mserver *);
void	nat_reg_free(struct nat_reg *);
/*
 * Behind a NAT with these RTRs (nrtr 0: not, or none): the catch-all
 * entry to them, and a new Data-Map-Register now.
 */
void	nat_reg_refresh(struct nat_reg *, const struct laddr *rtr, int nrtr);
bool	nat_reg_active(const struct nat_reg *);
/* The Map-Notify m (buf) if it acknowledges nr: true when it was nr's. */
bool	nat_reg_take_notify(struct nat_reg *, const uint8_t *buf, size_t len,
	    const struct lisp_mapreg *m);
void	nat_reg_show(struct json_object *row, const struct nat_reg *);

/* rtr.c: the RTR role. */
void	rtr_init(void);
void	rtr_shutdown(void);
/*
 * A control message inside a data packet to the RTR: in is its inner
 * IP/UDP packet, from srloc port sport (the xTR's NAT binding).
 */
void	rtr_handle_ctrl(uint32_t iid, const struct laddr *srloc,
	    uint16_t sport, const struct lisp_ecm *in);
/* Open Overlay Router's form: an ECM (R) to our control port. */
void	rtr_handle_ecm(const struct pkt *, const struct lisp_ecm *);
/* A Map-Notify for a Map-Register we relayed: true when it was one. */
bool	rtr_handle_notify(const struct pkt *, const uint8_t *, size_t,
	    const struct lisp_mapreg *);
/* lispctl show nat: a row per xTR registered through us, added to arr. */
struct json_object *rtr_show(struct json_object *arr);

#endif /* LISPD_NAT_H */
