// SPDX-License-Identifier: GPL-2.0
/*
 * The map-cache: EID prefix -> locator set (RFC 9301 section 5.4) or a
 * negative action. Readers on the fast path take no lock; writers hold
 * lisp_dev.map_lock and publish whole new entries, so a packet always sees
 * one complete mapping, old or new.
 */

#include <linux/slab.h>
#include <linux/jhash.h>
#include <linux/netlink.h>
#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>

#include "device.h"
#include "mapcache.h"
#include "prefix.h"

void lisp_mapcache_init(struct lisp_dev *lisp)
{
	lisp_trie_init(&lisp->map4, 32, &lisp->map_lock);
	lisp_trie_init(&lisp->map6, 128, &lisp->map_lock);
	lisp_trie_init(&lisp->rloc4, 32, &lisp->map_lock);
	lisp_trie_init(&lisp->rloc6, 128, &lisp->map_lock);
}

static struct lisp_trie *map_trie(struct lisp_dev *lisp, u8 family)
{
	return family == AF_INET ? &lisp->map4 : &lisp->map6;
}

static u32 rloc_hash(u8 family, const void *addr)
{
	return jhash(addr, lisp_addr_len(family), family);
}

/*
 * Locators are shared so that a million entries behind one RLOC share
 * one dst_cache and one set of counters. They are kept in a trie of host
 * routes, as the entries are: no hash whose chains chosen addresses could
 * grow, a depth bounded by the address length, nodes charged to the
 * caller's memory cgroup. Everything here is allocated on behalf of the
 * netlink request, and so charged to it too.
 */
static struct lisp_rloc *rloc_get(struct lisp_dev *lisp, u8 family,
				  const void *addr)
{
	struct lisp_trie *t = family == AF_INET ? &lisp->rloc4 : &lisp->rloc6;
	struct lisp_rloc *rloc;
	void *old;
	int cpu;

	rloc = lisp_trie_get(t, addr, t->bits);
	if (rloc) {
		rloc->users++;
		return rloc;
	}

	rloc = kzalloc(sizeof(*rloc), GFP_KERNEL_ACCOUNT);
	if (!rloc)
		return NULL;
	rloc->stats = alloc_percpu_gfp(struct lisp_rloc_stats,
				       GFP_KERNEL_ACCOUNT);
	if (!rloc->stats)
		goto err;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(rloc->stats, cpu)->syncp);
	if (dst_cache_init(&rloc->dst_cache, GFP_KERNEL_ACCOUNT))
		goto err_stats;
	rloc->table = t;
	rloc->family = family;
	memcpy(&rloc->addr, addr, lisp_addr_len(family));
	rloc->users = 1;
	if (lisp_trie_insert(t, addr, t->bits, rloc, &old, GFP_KERNEL_ACCOUNT))
		goto err_dst;
	return rloc;

err_dst:
	dst_cache_destroy(&rloc->dst_cache);
err_stats:
	free_percpu(rloc->stats);
err:
	kfree(rloc);
	return NULL;
}

static void rloc_free_rcu(struct rcu_head *head)
{
	struct lisp_rloc *rloc = container_of(head, struct lisp_rloc, rcu);

	dst_cache_destroy(&rloc->dst_cache);
	free_percpu(rloc->stats);
	kfree(rloc);
}

static void rloc_put(struct lisp_rloc *rloc)
{
	if (--rloc->users)
		return;
	lisp_trie_remove(rloc->table, &rloc->addr, rloc->table->bits);
	call_rcu(&rloc->rcu, rloc_free_rcu);
}

static void map_put_rlocs(struct lisp_map *map)
{
	int i;

	for (i = 0; i < map->nr_rlocs; i++)
		rloc_put(map->rlocs[i].rloc);
}

/* RFC 9301 section 5.4: the lowest priority among usable locators wins;
 * 255 means "do not use", and so does a locator known to be unreachable.
 * Within the winning priority, weights split flows.
 */
static void map_pick_best(struct lisp_map *map)
{
	unsigned int best_prio = 256, sum = 0;	/* 256: none usable */
	int i;

	for (i = 0; i < map->nr_rlocs; i++) {
		const struct lisp_map_rloc *mr = &map->rlocs[i];

		if (mr->priority == 255 || !(mr->flags & LISP_RLOC_F_REACHABLE))
			continue;
		if (mr->priority < best_prio)
			best_prio = mr->priority;
	}

	map->nr_best = 0;
	for (i = 0; i < map->nr_rlocs; i++) {
		const struct lisp_map_rloc *mr = &map->rlocs[i];

		if (mr->priority != best_prio ||
		    !(mr->flags & LISP_RLOC_F_REACHABLE))
			continue;
		sum += mr->weight;
		map->rlocs[map->nr_best].best = i;
		map->rlocs[map->nr_best].cum_weight = sum;
		map->nr_best++;
	}
}

const struct lisp_map_rloc *lisp_map_select(const struct lisp_map *map,
					    u32 hash)
{
	unsigned int total, w, i;

	if (unlikely(!map->nr_best))
		return NULL;

	total = map->rlocs[map->nr_best - 1].cum_weight;
	if (!total)	/* all weights zero: split evenly */
		return &map->rlocs[map->rlocs[reciprocal_scale(hash,
							       map->nr_best)].best];

	w = reciprocal_scale(hash, total);
	for (i = 0; i < map->nr_best - 1; i++)
		if (w < map->rlocs[i].cum_weight)
			break;
	return &map->rlocs[map->rlocs[i].best];
}

struct lisp_map *lisp_map_lookup(struct lisp_dev *lisp, u8 family,
				 const void *addr)
{
	return lisp_trie_lookup(map_trie(lisp, family), addr);
}

/*
 * IFLA_LISP_RLOC_CHECK, under RCU: is @src, UDP port @sport, one of the
 * locators of @map, the entry covering the inner source? A locator with
 * a port (an xTR behind NAT) must match it too; one without leaves the
 * port free, as an ITR hashes its flows over source ports. Locators of
 * one entry are distinct addresses, so the first match decides.
 */
bool lisp_map_src_ok(const struct lisp_map *map, u8 src_family,
		     const void *src, __be16 sport)
{
	int i;

	for (i = 0; i < map->nr_rlocs; i++) {
		const struct lisp_map_rloc *mr = &map->rlocs[i];

		if (mr->rloc->family != src_family ||
		    memcmp(&mr->rloc->addr, src, lisp_addr_len(src_family)))
			continue;
		return !mr->port || mr->port == sport;
	}
	return false;
}

/* Does @map name an xTR behind NAT (a locator with its own port)? */
bool lisp_map_has_port(const struct lisp_map *map)
{
	int i;

	for (i = 0; i < map->nr_rlocs; i++)
		if (map->rlocs[i].port)
			return true;
	return false;
}

static bool map_is_away(const struct lisp_map *map)
{
	return map->flags & LISP_MAP_F_AWAY;
}

static size_t map_size(unsigned int nr_rlocs, u32 flags)
{
	size_t size = struct_size_t(struct lisp_map, rlocs, nr_rlocs);

	if (flags & LISP_MAP_F_AWAY)
		size = size_add(size, sizeof(atomic64_t) * LISP_SMR_SLOTS);
	return size;
}

/*
 * Most entries have one locator and are not away: 80 bytes, which
 * kmalloc would round up to 128. They get a cache of their own.
 */
#define LISP_MAP1_SIZE	struct_size_t(struct lisp_map, rlocs, 1)

static struct kmem_cache *lisp_map1_cache;

int lisp_mapcache_module_init(void)
{
	lisp_map1_cache = kmem_cache_create("lisp_map1", LISP_MAP1_SIZE, 0,
					    SLAB_ACCOUNT, NULL);
	return lisp_map1_cache ? 0 : -ENOMEM;
}

/* After rcu_barrier(): map_free_rcu() callbacks free into the cache. */
void lisp_mapcache_module_exit(void)
{
	kmem_cache_destroy(lisp_map1_cache);
	lisp_map1_cache = NULL;
}

static struct lisp_map *map_alloc(size_t size)
{
	/* Issue 11's <= 128 bytes per IPv4 /32: 80 here, 48 in the trie. */
	BUILD_BUG_ON(LISP_MAP1_SIZE > 80);
	if (size == LISP_MAP1_SIZE)
		return kmem_cache_zalloc(lisp_map1_cache, GFP_KERNEL_ACCOUNT);
	return kzalloc(size, GFP_KERNEL_ACCOUNT);
}

/* For a map never published, or after a grace period. */
static void map_free(struct lisp_map *map, size_t size)
{
	if (size == LISP_MAP1_SIZE)
		kmem_cache_free(lisp_map1_cache, map);
	else
		kfree(map);
}

static void map_free_rcu(struct rcu_head *head)
{
	struct lisp_map *map = container_of(head, struct lisp_map, rcu);

	map_free(map, map_size(map->nr_rlocs, map->flags));
}

static atomic64_t *map_smr_slots(struct lisp_map *map)
{
	return (atomic64_t *)&map->rlocs[map->nr_rlocs];
}

/*
 * Fast path, lockless: may @map raise an SMR for the ITR at @itr now?
 * Claims the ITR's slot (or a free or aged one) with a compare-exchange,
 * so of several CPUs seeing the same ITR's packets only one says yes.
 */
bool lisp_map_smr_due(struct lisp_map *map, u8 family, const void *itr)
{
	atomic64_t *slot = map_smr_slots(map), *claim = NULL;
	u32 key = rloc_hash(family, itr) | 1, now = (u32)jiffies;
	s64 v, old = 0;
	int i;

	if (WARN_ON_ONCE(!map_is_away(map)))
		return false;
	for (i = 0; i < LISP_SMR_SLOTS; i++) {
		v = atomic64_read(&slot[i]);
		if ((u32)((u64)v >> 32) == key) {
			if (now - (u32)v < LISP_SMR_INTERVAL)
				return false;
			claim = &slot[i];
			old = v;
			break;
		}
		if (!claim && (!v || now - (u32)v >= LISP_SMR_INTERVAL)) {
			claim = &slot[i];
			old = v;
		}
	}
	if (!claim)
		return false;
	return atomic64_try_cmpxchg(claim, &old, (s64)((u64)key << 32 | now));
}

static int spec_check(const struct lisp_map_spec *spec,
		      struct netlink_ext_ack *extack)
{
	int i, j;

	if (spec->nr_rlocs && spec->action != LISP_ACTION_NONE) {
		NL_SET_ERR_MSG(extack, "a negative action cannot have RLOCs");
		return -EINVAL;
	}
	if (!spec->nr_rlocs && spec->action == LISP_ACTION_NONE) {
		NL_SET_ERR_MSG(extack,
			       "a positive entry needs at least one RLOC");
		return -EINVAL;
	}
	if (spec->flags & LISP_MAP_F_AWAY) {
		/* The EID's new site is where its packets go on to. */
		if (spec->action != LISP_ACTION_NONE) {
			NL_SET_ERR_MSG(extack,
				       "an away entry needs RLOCs, not a negative action");
			return -EINVAL;
		}
		if (spec->plen != lisp_addr_bits(spec->family)) {
			NL_SET_ERR_MSG(extack,
				       "an away entry must be a host route (/32 or /128)");
			return -EINVAL;
		}
	}
	for (i = 0; i < spec->nr_rlocs; i++) {
		for (j = 0; j < i; j++) {
			if (spec->rlocs[i].family == spec->rlocs[j].family &&
			    !memcmp(spec->rlocs[i].addr, spec->rlocs[j].addr,
				    16)) {
				NL_SET_ERR_MSG(extack, "duplicate RLOC");
				return -EINVAL;
			}
		}
	}
	return 0;
}

static struct lisp_map *map_build(struct lisp_dev *lisp,
				  const struct lisp_map_spec *spec)
{
	struct lisp_map *map;
	int i;

	map = map_alloc(map_size(spec->nr_rlocs, spec->flags));
	if (!map)
		return NULL;

	map->installed = jiffies;
	map->used = map->installed;
	map->ttl = spec->ttl;
	map->flags = spec->flags;
	map->action = spec->action;
	for (i = 0; i < spec->nr_rlocs; i++) {
		struct lisp_map_rloc *mr = &map->rlocs[i];

		mr->rloc = rloc_get(lisp, spec->rlocs[i].family,
				    spec->rlocs[i].addr);
		if (!mr->rloc)
			goto err;
		mr->port = spec->rlocs[i].port;
		mr->priority = spec->rlocs[i].priority;
		mr->weight = spec->rlocs[i].weight;
		mr->flags = spec->rlocs[i].flags;
		map->nr_rlocs++;
	}
	map_pick_best(map);
	return map;

err:
	map_put_rlocs(map);
	map_free(map, map_size(spec->nr_rlocs, spec->flags));
	return NULL;
}

/* call_rcu, not kfree_rcu: rcu_barrier() in module exit must cover it. */
static void map_destroy(struct lisp_map *map)
{
	map_put_rlocs(map);
	call_rcu(&map->rcu, map_free_rcu);
}

/* Under map_lock: @map joins (+1) or leaves (-1) the tables. */
static void map_account(struct lisp_dev *lisp, const struct lisp_map *map,
			int delta)
{
	if (map_is_away(map))
		WRITE_ONCE(lisp->nr_away, lisp->nr_away + delta);
}

/* A refreshed away entry remembers which ITRs were told, and when. */
static void map_keep_smr(struct lisp_map *map, struct lisp_map *old)
{
	int i;

	if (!map_is_away(map) || !map_is_away(old))
		return;
	for (i = 0; i < LISP_SMR_SLOTS; i++)
		atomic64_set(&map_smr_slots(map)[i],
			     atomic64_read(&map_smr_slots(old)[i]));
}

int lisp_map_install(struct lisp_dev *lisp, const struct lisp_map_spec *spec,
		     bool replace, struct netlink_ext_ack *extack)
{
	struct lisp_trie *t = map_trie(lisp, spec->family);
	struct lisp_map *map, *old;
	void *prev;
	int err;

	err = spec_check(spec, extack);
	if (err)
		return err;

	mutex_lock(&lisp->map_lock);
	if (lisp->dead) {
		NL_SET_ERR_MSG(extack, "the device is being deleted");
		err = -ENODEV;
		goto out;
	}
	old = lisp_trie_get(t, spec->addr, spec->plen);
	if (old && !replace) {
		NL_SET_ERR_MSG(extack, "map-cache entry exists");
		err = -EEXIST;
		goto out;
	}
	/* A lowered limit keeps what is there; only growth is refused. */
	if (!old &&
	    lisp->map4.count + lisp->map6.count >= READ_ONCE(lisp->cfg.map_max)) {
		NL_SET_ERR_MSG(extack,
			       "map-cache full: the device's map-max is reached");
		err = -ENOSPC;
		goto out;
	}

	map = map_build(lisp, spec);
	if (!map) {
		err = -ENOMEM;
		goto out;
	}
	if (old) {
		/* A refresh keeps the history the daemon ages entries by. */
		atomic64_set(&map->packets, atomic64_read(&old->packets));
		atomic64_set(&map->bytes, atomic64_read(&old->bytes));
		map->used = READ_ONCE(old->used);
		map_keep_smr(map, old);
	}

	err = lisp_trie_insert(t, spec->addr, spec->plen, map, &prev,
			       GFP_KERNEL_ACCOUNT);
	if (err) {
		map_put_rlocs(map);
		map_free(map, map_size(map->nr_rlocs, map->flags));
		goto out;
	}
	map_account(lisp, map, 1);
	if (prev) {
		map_account(lisp, prev, -1);
		map_destroy(prev);
	}
out:
	mutex_unlock(&lisp->map_lock);
	if (!err)
		lisp_pending_release(lisp, spec->family, spec->addr, spec->plen);
	if (err == -ENOSPC) {
		local_bh_disable();	/* the counters are per-cpu */
		lisp_count(lisp, LISP_STAT_MAP_FULL);
		local_bh_enable();
	}
	return err;
}

int lisp_map_delete(struct lisp_dev *lisp, u8 family, const void *addr,
		    u8 plen)
{
	struct lisp_map *map;

	mutex_lock(&lisp->map_lock);
	map = lisp_trie_remove(map_trie(lisp, family), addr, plen);
	if (map) {
		map_account(lisp, map, -1);
		map_destroy(map);
	}
	mutex_unlock(&lisp->map_lock);
	return map ? 0 : -ENOENT;
}

static void map_free_val(void *val)
{
	map_destroy(val);
}

void lisp_map_flush(struct lisp_dev *lisp)
{
	mutex_lock(&lisp->map_lock);
	lisp_trie_flush(&lisp->map4, map_free_val);
	lisp_trie_flush(&lisp->map6, map_free_val);
	WRITE_ONCE(lisp->nr_away, 0);
	mutex_unlock(&lisp->map_lock);
}

/* Called by uninit, once dead is set: nothing adds to the tables now. */
void lisp_mapcache_free(struct lisp_dev *lisp)
{
	mutex_lock(&lisp->map_lock);
	WARN_ON_ONCE(!lisp->dead);
	lisp_trie_flush(&lisp->map4, map_free_val);
	lisp_trie_flush(&lisp->map6, map_free_val);
	WRITE_ONCE(lisp->nr_away, 0);
	WARN_ON(lisp->rloc4.count || lisp->rloc6.count);
	mutex_unlock(&lisp->map_lock);
}

static int rloc_reset_route(void *arg, const void *addr, u8 plen, void *val)
{
	struct lisp_rloc *rloc = val;

	dst_cache_reset(&rloc->dst_cache);
	return 0;
}

/* The local source address changed: cached routes carry the old one. */
void lisp_mapcache_reset_routes(struct lisp_dev *lisp)
{
	struct lisp_trie_cursor cur = {};

	mutex_lock(&lisp->map_lock);
	lisp_trie_walk(&lisp->rloc4, &cur, rloc_reset_route, NULL);
	memset(&cur, 0, sizeof(cur));
	lisp_trie_walk(&lisp->rloc6, &cur, rloc_reset_route, NULL);
	mutex_unlock(&lisp->map_lock);
}
