/* SPDX-License-Identifier: MIT */
/* etr.c: the ETR (RFC 9301 5.6, 5.7, 8.1, 8.2): our database-mappings. */
#ifndef LISPD_ETR_H
#define LISPD_ETR_H

#include "core.h"

struct dbmap;
struct json_object;
struct pkt;

void	etr_init(void);
void	etr_shutdown(void);
bool	etr_owns(const struct prefix *);
/* A database-mapping as an EID record: our locators, L and R set. */
void	etr_record(const struct dbmap *, struct lisp_rec *);
void	etr_handle_request(const struct pkt *, const struct lisp_mapreq *);
void	etr_handle_notify(const struct pkt *, const uint8_t *, size_t,
	    const struct lisp_mapreg *);
struct json_object *etr_show(void);
/* Tell the ITR at itr_rloc, which sent seid's traffic to eid, to ask again. */
void	etr_send_smr(uint32_t iid, const struct laddr *eid,
	    const struct laddr *seid, const struct laddr *itr_rloc);

#endif /* LISPD_ETR_H */
