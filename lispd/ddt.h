/* SPDX-License-Identifier: MIT */
/*
 * ddt.c: the DDT node and the DDT Map-Server's answers (RFC 8111 7.1,
 * 7.2); ddt_mr.c: the DDT Map-Resolver (7.3).
 */
#ifndef LISPD_DDT_H
#define LISPD_DDT_H

#include "core.h"

struct json_object;
struct pkt;

/* Record TTLs, minutes (RFC 8111 8.3.1's architectural constants). */
#define DDT_TTL_NODE		1440	/* Default_DdtNode_Ttl */
#define DDT_TTL_REGISTERED	1440	/* Default_Registered_Ttl */
#define DDT_TTL_HOLE		15	/* Default_Negative_Referral_Ttl */
#define DDT_TTL_NOT_REG		1	/* ..._Configured_Not_Registered_Ttl */

/* Map-Resolver: ms between a DDT Map-Request and its retransmission. */
#define DDT_TIMEOUT_MS		1000
#define DDT_TRIES		2	/* sends to each referral RLOC */
#define DDT_MAX_REFERRALS	16	/* referrals one request follows */
#define DDT_MAX_PENDING		4096	/* requests being resolved */
#define DDT_SWEEP_MS		60000	/* expired entries dropped this often */

/* A DDT Map-Request (ECM with the D bit), to a DDT node or Map-Server. */
void	ddt_handle_request(const struct pkt *, const uint8_t *, size_t,
	    const struct lisp_mapreq *);

/* The Map-Resolver's side, when ddt-root-addresses are configured. */
void	ddt_mr_init(void);
void	ddt_mr_shutdown(void);
void	ddt_mr_request(const struct pkt *, const uint8_t *, size_t,
	    const struct lisp_mapreq *);
void	ddt_mr_referral(const struct pkt *, const uint8_t *, size_t);
struct json_object *ddt_mr_show(void);
/* The referral cache's size limit: DDT_CACHE_MAX; tests lower it. */

#endif /* LISPD_DDT_H */
