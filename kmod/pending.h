/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Destinations waiting for a mapping: the first packets are held, as the
 * neighbour table holds them while a neighbour is INCOMPLETE, and the
 * daemon is told at most once a second per destination.
 */
#ifndef _LISP_PENDING_H
#define _LISP_PENDING_H

#include <linux/spinlock.h>
#include <linux/skbuff.h>
#include <linux/timer.h>

/* Four destinations a bucket at most on average, with a random seed. */
#define LISP_PENDING_BUCKETS	256
#define LISP_PENDING_MAX	1024	/* destinations waiting at once */
#define LISP_PENDING_QLEN	4	/* packets held per destination */
#define LISP_MISS_INTERVAL	HZ	/* between MISS events for one EID */
#define LISP_MISS_HOLD_MAX_MS	3600000	/* IFLA_LISP_MISS_HOLD_MS: an hour */

struct lisp_dev;

struct lisp_pending {
	spinlock_t lock;		/* guards everything below */
	unsigned int count;
	u32 seed;			/* of the bucket hash, per device */
	struct hlist_head buckets[LISP_PENDING_BUCKETS];
	struct timer_list timer;
};

u32 lisp_miss_hold_default(void);
void lisp_pending_init(struct lisp_dev *lisp);
void lisp_pending_flush(struct lisp_dev *lisp);
void lisp_pending_destroy(struct lisp_dev *lisp);
void lisp_pending_miss(struct lisp_dev *lisp, struct sk_buff *skb, u8 family,
		       const void *saddr, const void *daddr);
void lisp_pending_release(struct lisp_dev *lisp, u8 family, const void *addr,
			  u8 plen);

#endif /* _LISP_PENDING_H */
