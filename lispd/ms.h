/* SPDX-License-Identifier: MIT */
/* ms.c: the Map-Server (RFC 9301 5.6, 5.7, 8.2, 8.3): sites, registrations. */
#ifndef LISPD_MS_H
#define LISPD_MS_H

#include <time.h>

#include "core.h"

struct json_object;
struct ms_reg;
struct pkt;
struct site;
struct site_eid;

void	ms_init(void);
void	ms_shutdown(bool keep_registrations);
const struct lisp_rec *ms_relayed_record(const struct pkt *,
	    const struct lisp_rec *);
void	ms_handle_register(const struct pkt *, const uint8_t *, size_t,
	    time_t now);
void	ms_handle_notify_ack(const struct pkt *, const uint8_t *, size_t);
void	ms_expire(time_t now);
/* Registered record covering eid, or NULL; *site its configured site. */
const struct lisp_rec *ms_lookup(const struct prefix *eid, bool *proxy,
	    struct laddr *etr, const struct site **site,
	    const struct site_eid **se);
/*
 * fn is told of every change of what is registered at a prefix: a new
 * registration, a new RLOC set, a withdrawal, an expiry (publish.c).
 */
void	ms_on_change(void (*fn)(const struct prefix *));
/* The registration of exactly p as an EID record: true, or false (none). */
bool	ms_record_of(const struct prefix *p, struct lisp_rec *);
/*
 * The site an xTR registers in instance-id iid, known by the xTR-ID of
 * its Map-Registers, and the key-id and algorithm it signs them with.
 */
const struct site *ms_xtr_site(uint32_t iid, const uint8_t xtr_id[16],
	    uint8_t *key_id, uint8_t *alg);
/* The configured site whose EID-prefix covers p, or NULL. */
const struct site *ms_site_of(const struct prefix *p);
/* Is anything registered, or a site's, inside p (p included)? */
bool	ms_registered_within(const struct prefix *);
bool	ms_site_within(const struct prefix *);
/* Started less than a registration timeout ago: registrations may be lost. */
bool	ms_warming_up(void);
struct json_object *ms_show(void);

#endif /* LISPD_MS_H */
