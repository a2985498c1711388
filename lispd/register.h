/* SPDX-License-Identifier: MIT */
/* register.c: one mapping kept registered with one peer (RFC 9301 8.2). */
#ifndef LISPD_REGISTER_H
#define LISPD_REGISTER_H

#include "core.h"
#include "event.h"

struct json_object;
struct mserver;
struct registration;

struct registration_ops {
	/* Put the records to register in m; false: nothing to send now. */
	bool	(*build)(struct registration *, struct lisp_mapreg *m);
	/* Sign and send m another way than to the peer (optional). */
	int	(*send)(struct registration *, struct lisp_mapreg *m);
	/* m was sent (optional: for the role's log). */
	void	(*sent)(struct registration *, const struct lisp_mapreg *m);
};

struct registration {
	struct timer	 timer;
	const struct mserver *peer;	/* Map-Server or site gateway */
	uint32_t	 flags;		/* LISP_MREG_E: an EID-notify */
	const struct registration_ops *ops;
	void		*owner;
	uint64_t	 nonce;		/* of the unacknowledged message */
	uint64_t	 acked_nonce;	/* of the last acknowledged one */
	unsigned int	 backoff;	/* s, 0 when acknowledged */
	time_t		 acked;		/* last Map-Notify, 0: never */
	uint64_t	 sent;
};

/*
 * Our xTR-ID: xtr-id from lispd.conf, else one drawn at random when
 * first asked for, kept until lispd exits.
 */
const uint8_t *register_xtr_id(void);

void	registration_init(struct registration *, const struct mserver *,
	    uint32_t flags, const struct registration_ops *, void *owner);
/* Send now, a new message, and keep it registered. */
void	registration_start(struct registration *);
/* The same, ms from now (a box's many tenants, paced). */
void	registration_start_in(struct registration *, unsigned int ms);
void	registration_stop(struct registration *);
/*
 * After a reload, with peer the new configuration's section: at its
 * next period when acknowledged, else now.
 */
void	registration_resume(struct registration *, const struct mserver *peer);
/* A Map-Notify from "from" with nonce: true when it acknowledges r. */
bool	registration_acked(struct registration *, const struct laddr *from,
	    uint64_t nonce);
/*
 * Add r's peer and state to a row of lispctl show registration: state
 * "registered", "refreshing" (its Map-Notify for this period has not
 * come yet) or "not-registered" (none, or none for REGISTER_TIMEOUT).
 */
void	registration_show(struct json_object *row, const struct registration *);
/* The shared message to fill for register_send(): zeroed, a Map-Register. */
struct lisp_mapreg *register_msg(void);
/* Sign m as peer's section says into buf: its length, or -1. */
int	register_encode(const struct mserver *peer, struct lisp_mapreg *m,
	    uint8_t *buf, size_t cap);
/* Sign m as peer's section says and send it, once; 0 when sent. */
int	register_send(const struct mserver *peer, struct lisp_mapreg *m);

#endif /* LISPD_REGISTER_H */
