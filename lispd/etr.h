/* SPDX-License-Identifier: MIT */
/* etr.c: the ETR (RFC 9301 5.6, 5.7, 8.1, 8.2): our database-mappings. */
#ifndef LISPD_ETR_H
#define LISPD_ETR_H

#include "core.h"

struct dbmap;
struct json_object;
struct pkt;
struct tenant;

/*
 * The site gateway's part in the ETR (gateway.c sets it): the hosts it
 * registers are our mappings too, and the Map-Notifies of our
 * Map-Servers acknowledge its registrations or say a host moved.
 */
struct etr_hooks {
	/* A dynamic EID of ours: as a database-mapping in *out. */
	bool	(*owns)(const struct prefix *, struct dbmap *out);
	/* A Map-Notify from one of our Map-Servers: one of yours (true)? */
	bool	(*notify_acked)(const struct pkt *, const struct lisp_mapreg *);
	/* An unsolicited one, not for the database-mappings. */
	void	(*moved)(const struct pkt *, const struct lisp_mapreg *);
};

void	etr_init(void);
/* Also forgets the hooks. */
void	etr_shutdown(void);
/* A tenant no longer configured: its database leaves the kernel. */
void	etr_forget(struct tenant *);
/* After etr_init(); NULL: none. */
void	etr_set_hooks(const struct etr_hooks *);
bool	etr_owns(const struct prefix *);
/* A database-mapping as an EID record: our locators, L and R set. */
void	etr_record(const struct dbmap *, struct lisp_rec *);
void	etr_handle_request(const struct pkt *, const struct lisp_mapreq *);
void	etr_handle_notify(const struct pkt *, const uint8_t *, size_t,
	    const struct lisp_mapreg *);
struct json_object *etr_show(void);
/* A row per database-mapping and Map-Server (lispctl show registration). */
void	etr_show_registrations(struct json_object *arr);
/* Tell the ITR at itr_rloc, which sent seid's traffic to eid, to ask again. */
void	etr_send_smr(uint32_t iid, const struct laddr *eid,
	    const struct laddr *seid, const struct laddr *itr_rloc);

#endif /* LISPD_ETR_H */
