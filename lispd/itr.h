/* SPDX-License-Identifier: MIT */
/* itr.c: the ITR and PITR (RFC 9301 5.3, 5.4, 6): the map-cache's client. */
#ifndef LISPD_ITR_H
#define LISPD_ITR_H

#include "core.h"

struct json_object;
struct kmap;
struct pkt;

void	itr_init(void);
void	itr_shutdown(void);
void	itr_handle_miss(int ifindex, uint32_t iid, const struct laddr *seid,
	    const struct laddr *deid);
void	itr_handle_reply(const struct pkt *, const struct lisp_mapreply *);
void	itr_adopt(const struct kmap *);
void	itr_handle_smr(const struct pkt *, const struct lisp_mapreq *);
int	itr_locate(const struct prefix *eid);
struct json_object *itr_show(void);

#endif /* LISPD_ITR_H */
