/* SPDX-License-Identifier: MIT */
/* publish.c: the Map-Server's subscribers and publications (RFC 9437). */
#ifndef LISPD_PUBLISH_H
#define LISPD_PUBLISH_H

#include <stdbool.h>

#include "core.h"

struct json_object;
struct pkt;

/* After ms_init() (subscribers whose xTR no longer registers a site go). */
void	pub_init(void);
/* keep: a reload, the subscribers stay for pub_init(). */
void	pub_shutdown(bool keep);
/*
 * A Map-Request record with the N bit, answered with answer: its
 * sender subscribes to answer's prefix, if the Map-Server knows it.
 */
void	pub_subscribe(const struct pkt *, const struct lisp_mapreq *,
	    const struct lisp_rec *answer);
/* What is registered at p changed: tell the subscribers it overlaps. */
void	pub_changed(const struct prefix *p);
/* A Map-Notify-Ack: a subscriber's (true, consumed) or not. */
bool	pub_handle_ack(const struct pkt *, const uint8_t *, size_t);
struct json_object *pub_show(void);

#endif /* LISPD_PUBLISH_H */
