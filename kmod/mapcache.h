/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Map-cache entries (EID prefix -> locator set or negative action) and the
 * per-device table of locators they share.
 */
#ifndef _LISP_MAPCACHE_H
#define _LISP_MAPCACHE_H

#include <linux/types.h>
#include <linux/in6.h>
#include <linux/atomic.h>
#include <net/dst_cache.h>

struct lisp_dev;
struct lisp_trie;
struct sk_buff;

/* A remote locator; entries naming the same address share one. */
struct lisp_rloc {
	struct lisp_trie *table;	/* lisp_dev.rloc4 or rloc6, map_lock */
	struct rcu_head rcu;
	unsigned int users;		/* entries referencing it, map_lock */
	u8 family;
	union {
		__be32 v4;
		struct in6_addr v6;
	} addr;
	struct dst_cache dst_cache;
	struct lisp_rloc_stats __percpu *stats;
};

struct lisp_rloc_stats {
	u64_stats_t packets;
	u64_stats_t bytes;
	struct u64_stats_sync syncp;
};

/*
 * The port lives here, not in the shared lisp_rloc: two xTRs behind one
 * NAT share its address, and the field fills what was padding.
 *
 * best and cum_weight fill the rest of it: slot i of the entry's list of
 * usable locators of the best priority (i < nr_best), not facts about
 * this locator. rlocs[rlocs[i].best] is the i-th of them; cum_weight the
 * running sum of their weights up to it.
 */
struct lisp_map_rloc {
	struct lisp_rloc *rloc;
	__be16 port;			/* destination, 0: the device's */
	u8 priority;
	u8 weight;
	u8 flags;			/* LISP_RLOC_F_* */
	u8 best;
	u16 cum_weight;
};

/*
 * An away entry (LISP_MAP_F_AWAY) raises at most one SMR a second per ITR.
 * Its slots, after rlocs[], each hold an ITR's address hash (high half,
 * never 0) and the low 32 bits of jiffies when that ITR was last told.
 * The slots bound the work and the events: with more ITRs than slots
 * within a second, the others wait for a slot to age.
 */
#define LISP_SMR_SLOTS		8
#define LISP_SMR_INTERVAL	HZ

struct lisp_map {
	struct rcu_head rcu;
	atomic64_t packets;
	atomic64_t bytes;
	unsigned long used;		/* jiffies of the last packet */
	unsigned long installed;	/* jiffies */
	u32 ttl;
	u32 flags;			/* LISP_MAP_F_* */
	u8 action;			/* enum lisp_action */
	u8 nr_rlocs;
	u8 nr_best;			/* usable locators of the best priority */
	struct lisp_map_rloc rlocs[];
	/* then, in away entries only: atomic64_t smr[LISP_SMR_SLOTS] */
};

/* What a writer hands to lisp_map_install(). */
struct lisp_map_spec {
	u8 family;
	u8 plen;
	u8 addr[16];
	u8 action;
	u32 ttl;
	u32 flags;
	u8 nr_rlocs;
	struct {
		u8 family;
		u8 addr[16];
		__be16 port;
		u8 priority;
		u8 weight;
		u8 flags;
	} rlocs[LISP_MAX_RLOCS];
};

int lisp_mapcache_module_init(void);
void lisp_mapcache_module_exit(void);
void lisp_mapcache_init(struct lisp_dev *lisp);
void lisp_mapcache_free(struct lisp_dev *lisp);

struct lisp_map *lisp_map_lookup(struct lisp_dev *lisp, u8 family,
				 const void *addr);
const struct lisp_map_rloc *lisp_map_select(const struct lisp_map *map,
					    u32 hash);
bool lisp_map_src_ok(const struct lisp_map *map, u8 src_family,
		     const void *src, __be16 sport);
bool lisp_map_has_port(const struct lisp_map *map);
bool lisp_map_smr_due(struct lisp_map *map, u8 family, const void *itr);
int lisp_map_install(struct lisp_dev *lisp, const struct lisp_map_spec *spec,
		     bool replace, struct netlink_ext_ack *extack);
int lisp_map_delete(struct lisp_dev *lisp, u8 family, const void *addr,
		    u8 plen);
void lisp_map_flush(struct lisp_dev *lisp);
void lisp_mapcache_reset_routes(struct lisp_dev *lisp);

static inline void lisp_map_used(struct lisp_map *map, unsigned int len)
{
	unsigned long now = jiffies;

	atomic64_inc(&map->packets);
	atomic64_add(len, &map->bytes);
	/* Keep the cache line clean when nothing changed. */
	if (READ_ONCE(map->used) != now)
		WRITE_ONCE(map->used, now);
}

#endif /* _LISP_MAPCACHE_H */
