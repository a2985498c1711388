/* SPDX-License-Identifier: MIT */
/*
 * What the ITR's files share: itr.c (requests, replies, the map-cache),
 * itr_probe.c (RLOC probing) and itr_sub.c (subscriptions, RFC 9437).
 * No other file includes it.
 */
#ifndef LISPD_ITR_INT_H
#define LISPD_ITR_INT_H

#include <sys/queue.h>

#include "core.h"
#include "event.h"
#include "kernel.h"

struct lisp_mapreg;
struct lisp_mapreply;
struct lisp_rec;
struct pkt;
struct tenant;

struct mreq_pend {
	TAILQ_ENTRY(mreq_pend) entry;
	struct tenant	*t;
	struct timer	 timer;
	struct prefix	 eid;		/* the host that missed */
	struct laddr	 seid;
	uint64_t	 nonce;
	int		 tries;		/* sent so far */
	int		 round;		/* of retransmission: 0 the first */
	int		 mr;		/* the map-resolver last asked, -1: none */
	uint32_t	 asked;		/* this round's, a bit each */
	bool		 holddown;	/* unanswered: wait before asking again */
	bool		 smr;		/* SMR-invoked: the s bit */
	/* itr_locate()'s: its answer goes here, not into the map-cache. */
	void		(*located)(const struct prefix *, const struct lisp_rec *,
			    const struct laddr *, void *);
	void		*located_arg;
	bool		 refresh;	/* of an entry in use (mc_timer) */
	bool		 subscribe;	/* N bit: RFC 9437 */
};

#define PROBE_MISSES	3

struct loc_state {
	uint64_t	 nonce;		/* of the unanswered probe, 0: none */
	uint64_t	 sent_ms;
	uint32_t	 rtt_ms;	/* of the last answered probe */
	uint8_t		 missed;	/* probes unanswered in a row */
	bool		 answered;	/* at least once */
};

/*
 * A subscription with one Map-Server: its publications' nonces are
 * base + 1, + 2, ...  Base 0: none.
 */
#define SUB_SLOTS	4	/* Map-Servers subscribed with, per entry */
struct sub_slot {
	uint64_t	 base;		/* the subscribing request's nonce */
	uint64_t	 seq;		/* of the last one taken */
	bool		 confirmed;
};

struct mc_entry {
	TAILQ_ENTRY(mc_entry) entry;
	struct tenant	*t;
	struct timer	 timer;
	struct kmap	 m;
	time_t		 installed;
	time_t		 expires;
	uint64_t	 expires_ms;
	bool		 refresh_asked;	/* its refresh timer has run */
	bool		 petr;		/* negative, sent to the proxy-ETRs */
	uint64_t	 smr_ms;	/* last SMR-invoked request, 0: none */
	struct loc_state loc[LISP_MAX_RLOCS];
	/* Subscribed with each Map-Server a map-resolver leads to. */
	struct sub_slot	 sub[SUB_SLOTS];
	uint64_t	 sub_updates;	/* publications applied */
};

/* A tenant's: its outstanding Map-Requests and what it has learned. */
struct itr_state {
	TAILQ_HEAD(, mreq_pend) pending;
	TAILQ_HEAD(, mc_entry) cache;
};

/* itr.c */
int	itr_request_send(const struct laddr *mr, const struct prefix *eid,
	    const struct laddr *seid, uint64_t nonce, uint32_t flags,
	    bool subscribe);
void	itr_pend_free(struct mreq_pend *);
void	itr_mc_free(struct mc_entry *);
void	itr_install(struct tenant *, const struct lisp_rec *,
	    const struct prefix *eid);
void	itr_reply_install(struct mreq_pend *, const struct lisp_rec *,
	    const struct prefix *eid);
bool	itr_no_usable_locator(const struct lisp_rec *);

/* itr_probe.c */
void	itr_probe_init(void);
void	itr_probe_shutdown(void);
void	itr_probe_reply(const struct pkt *, const struct lisp_mapreply *);

/* itr_sub.c */
void	itr_sub_start(struct mc_entry *, const struct mreq_pend *);

#endif /* LISPD_ITR_INT_H */
