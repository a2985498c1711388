// SPDX-License-Identifier: GPL-2.0
/*
 * Packets for destinations with no mapping yet. The first few are held
 * and sent once the daemon installs the mapping, so the packet that
 * triggered the Map-Request is not lost.
 */

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/netdevice.h>
#include <net/dst.h>

#include "device.h"
#include "netlink.h"
#include "prefix.h"

/* The default of IFLA_LISP_MISS_HOLD_MS, for devices created later. */
static unsigned int miss_hold_ms = 3000;
module_param(miss_hold_ms, uint, 0644);
MODULE_PARM_DESC(miss_hold_ms,
		 "Default miss-hold of new devices: how long packets wait for a mapping (ms)");

u32 lisp_miss_hold_default(void)
{
	return min_t(u32, READ_ONCE(miss_hold_ms), LISP_MISS_HOLD_MAX_MS);
}

struct lisp_pending_dest {
	struct hlist_node node;
	unsigned long created;		/* jiffies */
	unsigned long last_miss;	/* jiffies of the last MISS event */
	u8 family;
	u8 addr[16];
	struct sk_buff_head queue;
};

/* Seeded at random: senders cannot pick destinations that collide. */
static unsigned int dest_bucket(const struct lisp_pending *p, u8 family,
				const void *addr)
{
	return jhash(addr, 16, p->seed ^ family) % LISP_PENDING_BUCKETS;
}

static void dest_free(struct lisp_dev *lisp, struct lisp_pending_dest *d)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&d->queue))) {
		lisp_count(lisp, LISP_STAT_TX_MISS_DROP);
		kfree_skb(skb);
	}
	kfree(d);
}

/* Drop the destinations held longer than @hold jiffies (all: 0). */
static void pending_purge(struct lisp_dev *lisp, unsigned long hold)
{
	struct lisp_pending *p = &lisp->pending;
	struct lisp_pending_dest *d;
	struct hlist_node *tmp;
	int i;

	spin_lock_bh(&p->lock);
	for (i = 0; i < LISP_PENDING_BUCKETS; i++) {
		hlist_for_each_entry_safe(d, tmp, &p->buckets[i], node) {
			if (hold && time_before(jiffies, d->created + hold))
				continue;
			hlist_del(&d->node);
			p->count--;
			dest_free(lisp, d);
		}
	}
	if (p->count)
		mod_timer(&p->timer, jiffies + HZ / 2);
	spin_unlock_bh(&p->lock);
}

/* The mapping is not coming: stop holding what waited too long. */
static void pending_expire(struct timer_list *t)
{
	struct lisp_pending *p = from_timer(p, t, timer);

	struct lisp_dev *lisp = container_of(p, struct lisp_dev, pending);

	pending_purge(lisp,
		      msecs_to_jiffies(READ_ONCE(lisp->cfg.miss_hold_ms)) ?: 1);
}

void lisp_pending_init(struct lisp_dev *lisp)
{
	struct lisp_pending *p = &lisp->pending;
	int i;

	spin_lock_init(&p->lock);
	p->count = 0;
	get_random_bytes(&p->seed, sizeof(p->seed));
	for (i = 0; i < LISP_PENDING_BUCKETS; i++)
		INIT_HLIST_HEAD(&p->buckets[i]);
	timer_setup(&p->timer, pending_expire, 0);
}

/*
 * ndo_stop: what waited goes, as a neighbour's queue does when its device
 * goes down. A device moved to another namespace is stopped first, so a
 * tenant's held packets are never sent from the next tenant's namespace.
 */
void lisp_pending_flush(struct lisp_dev *lisp)
{
	pending_purge(lisp, 0);
}

void lisp_pending_destroy(struct lisp_dev *lisp)
{
	timer_delete_sync(&lisp->pending.timer);
	/* Nothing sends any more, so this leaves none to re-arm for. */
	pending_purge(lisp, 0);
}

/*
 * Fast path, no mapping for @daddr: hold @skb (consumed either way) and
 * tell the daemon, at most once per LISP_MISS_INTERVAL per destination.
 * The addresses are copies, not pointers into @skb, which another CPU may
 * send as soon as it is queued.
 */
void lisp_pending_miss(struct lisp_dev *lisp, struct sk_buff *skb, u8 family,
		       const void *saddr, const void *daddr)
{
	struct lisp_pending *p = &lisp->pending;
	unsigned int b = dest_bucket(p, family, daddr);
	struct lisp_pending_dest *d;
	bool notify = false;

	/*
	 * Going down: the core clears the running bit, waits for senders
	 * that saw it set, then calls ndo_stop, which flushes. A sender
	 * seeing it clear holds nothing that the flush would miss.
	 */
	if (unlikely(!netif_running(lisp->dev))) {
		lisp_count(lisp, LISP_STAT_TX_MISS_DROP);
		kfree_skb(skb);
		return;
	}

	spin_lock_bh(&p->lock);
	hlist_for_each_entry(d, &p->buckets[b], node)
		if (d->family == family && !memcmp(d->addr, daddr, 16))
			goto found;

	if (p->count >= LISP_PENDING_MAX) {
		spin_unlock_bh(&p->lock);
		lisp_count(lisp, LISP_STAT_TX_MISS_DROP);
		kfree_skb(skb);
		return;
	}
	d = kzalloc(sizeof(*d), GFP_ATOMIC);
	if (!d) {
		spin_unlock_bh(&p->lock);
		lisp_count(lisp, LISP_STAT_TX_NOMEM);
		kfree_skb(skb);
		return;
	}
	d->family = family;
	memcpy(d->addr, daddr, 16);
	d->created = jiffies;
	d->last_miss = d->created;
	__skb_queue_head_init(&d->queue);
	hlist_add_head(&d->node, &p->buckets[b]);
	if (!p->count++)
		mod_timer(&p->timer, jiffies + HZ / 2);
	notify = true;
	goto queue;

found:
	if (time_after_eq(jiffies, d->last_miss + LISP_MISS_INTERVAL)) {
		d->last_miss = jiffies;
		notify = true;
	}
queue:
	if (skb_queue_len(&d->queue) < LISP_PENDING_QLEN) {
		/* The route it came by may be gone when it leaves. */
		skb_dst_drop(skb);
		__skb_queue_tail(&d->queue, skb);
		skb = NULL;
	}
	spin_unlock_bh(&p->lock);

	if (skb) {
		lisp_count(lisp, LISP_STAT_TX_MISS_DROP);
		kfree_skb(skb);
	} else {
		lisp_count(lisp, LISP_STAT_TX_MISS);
	}
	if (notify)
		lisp_notify_miss(lisp, family, saddr, daddr);
}

/* A mapping for addr/plen was installed: send what waited for it. */
void lisp_pending_release(struct lisp_dev *lisp, u8 family, const void *addr,
			  u8 plen)
{
	struct lisp_pending *p = &lisp->pending;
	struct lisp_pending_dest *d;
	struct sk_buff_head ready;
	struct hlist_node *tmp;
	struct sk_buff *skb;
	int i;

	__skb_queue_head_init(&ready);
	spin_lock_bh(&p->lock);
	for (i = 0; p->count && i < LISP_PENDING_BUCKETS; i++) {
		hlist_for_each_entry_safe(d, tmp, &p->buckets[i], node) {
			if (d->family != family ||
			    !lisp_prefix_covers(addr, plen, d->addr))
				continue;
			hlist_del(&d->node);
			p->count--;
			skb_queue_splice_tail_init(&d->queue, &ready);
			kfree(d);
		}
	}
	spin_unlock_bh(&p->lock);

	while ((skb = __skb_dequeue(&ready))) {
		skb->dev = lisp->dev;
		dev_queue_xmit(skb);
	}
}
