// SPDX-License-Identifier: GPL-2.0
/*
 * Path-compressed binary trie for longest-prefix match on EID prefixes.
 *
 * Readers run under RCU without locks; writers hold t->lock. A node is
 * published only once fully initialised and is never modified afterwards
 * except for its value and child pointers, which are single word stores,
 * so a reader sees either the old or the new shape of any path.
 *
 * Keys are compared as two host-order 64-bit words (IPv4 uses the upper
 * 32 bits of the first), loaded once per call from network byte order.
 *
 * Memory: a trie of N host routes has N leaves and up to N - 1 glue
 * nodes. A full-length node (plen == bits) can have no children, so it is
 * allocated without child pointers: an IPv4 /32 takes a 16-byte leaf and
 * at most one 32-byte glue node. Nodes carry no rcu_head either; they are
 * freed by kfree_rcu_mightsleep(), which writers (mutex held) may call.
 */

#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include "trie.h"

/* plen strictly grows along any path, so no path is longer than this. */
#define LISP_TRIE_DEPTH 129

struct lisp_trie_node {
	void __rcu *val;		/* NULL: glue node, always two children */
	u8 plen;
	u8 key[] __aligned(4);		/* bits/8 bytes, network order, masked */
	/* then, unless plen == bits: struct lisp_trie_node __rcu *child[2] */
};

/* A full-length node: 16 bytes for IPv4, 32 for IPv6. */
#define LISP_TRIE_LEAF(bits) \
	ALIGN(offsetof(struct lisp_trie_node, key) + (bits) / 8, sizeof(void *))
/* Any other: 32 bytes for IPv4, 48 (kmalloc's 64) for IPv6. */
#define LISP_TRIE_INNER(bits) \
	(LISP_TRIE_LEAF(bits) + 2 * sizeof(struct lisp_trie_node *))

/* Only for nodes with plen < bits; @bits a constant on the lookup path. */
static __always_inline struct lisp_trie_node __rcu **
lisp_trie_kids(const struct lisp_trie_node *n, u8 bits)
{
	return (struct lisp_trie_node __rcu **)((unsigned long)n +
						  LISP_TRIE_LEAF(bits));
}

struct lisp_trie_key {
	u64 hi, lo;
};

/* memcpy keeps unaligned packet addresses safe; it compiles to one load. */
static __always_inline u64 lisp_trie_be64(const u8 *p)
{
	__be64 v;

	memcpy(&v, p, sizeof(v));
	return be64_to_cpu(v);
}

static __always_inline u64 lisp_trie_be32(const u8 *p)
{
	__be32 v;

	memcpy(&v, p, sizeof(v));
	return (u64)be32_to_cpu(v) << 32;
}

static __always_inline void lisp_trie_load(struct lisp_trie_key *k,
					   const void *addr, u8 bits)
{
	if (bits == 32) {
		k->hi = lisp_trie_be32(addr);
		k->lo = 0;
	} else {
		k->hi = lisp_trie_be64(addr);
		k->lo = lisp_trie_be64((const u8 *)addr + 8);
	}
}

static void lisp_trie_store(u8 *p, const struct lisp_trie_key *k, u8 bits)
{
	__be64 w;
	__be32 v;

	if (bits == 32) {
		v = cpu_to_be32(k->hi >> 32);
		memcpy(p, &v, sizeof(v));
		return;
	}
	w = cpu_to_be64(k->hi);
	memcpy(p, &w, sizeof(w));
	w = cpu_to_be64(k->lo);
	memcpy(p + 8, &w, sizeof(w));
}

/* The top @n bits set, for 0 <= n <= 64. */
static __always_inline u64 lisp_trie_mask64(unsigned int n)
{
	return n ? ~0ULL << (64 - n) : 0;
}

static __always_inline bool lisp_trie_match(const struct lisp_trie_key *a,
					    const struct lisp_trie_key *b,
					    unsigned int plen)
{
	if (plen <= 64)
		return !((a->hi ^ b->hi) & lisp_trie_mask64(plen));
	return a->hi == b->hi && !((a->lo ^ b->lo) & lisp_trie_mask64(plen - 64));
}

/* Bit @i counted from the most significant, i < 128. */
static __always_inline unsigned int lisp_trie_bit(const struct lisp_trie_key *k,
						  unsigned int i)
{
	if (i < 64)
		return (k->hi >> (63 - i)) & 1;
	return (k->lo >> (127 - i)) & 1;
}

static void lisp_trie_mask(struct lisp_trie_key *k, unsigned int plen)
{
	if (plen <= 64) {
		k->hi &= lisp_trie_mask64(plen);
		k->lo = 0;
	} else {
		k->lo &= lisp_trie_mask64(plen - 64);
	}
}

/* Length of the common leading bits of @a and @b, at most 128. */
static unsigned int lisp_trie_common(const struct lisp_trie_key *a,
				     const struct lisp_trie_key *b)
{
	u64 x = a->hi ^ b->hi;

	if (x)
		return 64 - fls64(x);
	x = a->lo ^ b->lo;
	return x ? 128 - fls64(x) : 128;
}

static __always_inline void lisp_trie_node_key(struct lisp_trie_key *k,
					       const struct lisp_trie_node *n,
					       u8 bits)
{
	lisp_trie_load(k, n->key, bits);
}

#define lisp_trie_wderef(t, p) \
	rcu_dereference_protected(p, lockdep_is_held((t)->lock))

/* Child @i of @n under RCU or t->lock; a full-length node has none. */
static struct lisp_trie_node *lisp_trie_child(const struct lisp_trie *t,
					      const struct lisp_trie_node *n,
					      unsigned int i)
{
	if (n->plen == t->bits)
		return NULL;
	return rcu_dereference_check(lisp_trie_kids(n, t->bits)[i],
				     lockdep_is_held(t->lock));
}

static struct lisp_trie_node *lisp_trie_alloc(struct lisp_trie *t,
					      const struct lisp_trie_key *k,
					      u8 plen, gfp_t gfp)
{
	bool full = plen == t->bits;
	struct lisp_trie_node *n;

	/* kmalloc, not a cache of ours: frees may outlive the module. */
	n = kmalloc(full ? LISP_TRIE_LEAF(t->bits) : LISP_TRIE_INNER(t->bits),
		    gfp);
	if (!n)
		return NULL;
	if (!full) {
		RCU_INIT_POINTER(lisp_trie_kids(n, t->bits)[0], NULL);
		RCU_INIT_POINTER(lisp_trie_kids(n, t->bits)[1], NULL);
	}
	RCU_INIT_POINTER(n->val, NULL);
	n->plen = plen;
	lisp_trie_store(n->key, k, t->bits);
	WRITE_ONCE(t->nodes, t->nodes + 1);
	if (full)
		WRITE_ONCE(t->full, t->full + 1);
	return n;
}

static void lisp_trie_uncount(struct lisp_trie *t, struct lisp_trie_node *n)
{
	WRITE_ONCE(t->nodes, t->nodes - 1);
	if (n->plen == t->bits)
		WRITE_ONCE(t->full, t->full - 1);
}

/* Readers may still be on @n: free it after a grace period. May sleep. */
static void lisp_trie_free(struct lisp_trie *t, struct lisp_trie_node *n)
{
	lisp_trie_uncount(t, n);
	kfree_rcu_mightsleep(n);
}

void lisp_trie_init(struct lisp_trie *t, u8 bits, struct mutex *lock)
{
	WARN_ON_ONCE(bits != 32 && bits != 128);
	RCU_INIT_POINTER(t->root, NULL);
	t->lock = lock;
	t->count = 0;
	t->nodes = 0;
	t->full = 0;
	t->bits = bits;
}

/* Specialised per family so the IPv4 path never touches the low word. */
static __always_inline void *lisp_trie_find(const struct lisp_trie *t,
					    const void *addr, u8 *plen,
					    const u8 bits)
{
	const struct lisp_trie_node *n;
	struct lisp_trie_key k, nk;
	void *best = NULL, *v;
	unsigned int b;

	lisp_trie_load(&k, addr, bits);
	n = rcu_dereference(t->root);
	while (n) {
		lisp_trie_node_key(&nk, n, bits);
		if (!lisp_trie_match(&nk, &k, n->plen))
			break;
		v = rcu_dereference(n->val);
		if (v) {
			best = v;
			*plen = n->plen;
		}
		if (n->plen >= bits)
			break;
		b = lisp_trie_bit(&k, n->plen);
		n = rcu_dereference(lisp_trie_kids(n, bits)[b]);
	}
	return best;
}

void *lisp_trie_lookup_plen(const struct lisp_trie *t, const void *addr,
			    u8 *plen)
{
	if (t->bits == 32)
		return lisp_trie_find(t, addr, plen, 32);
	return lisp_trie_find(t, addr, plen, 128);
}

void *lisp_trie_lookup(const struct lisp_trie *t, const void *addr)
{
	u8 plen;

	return lisp_trie_lookup_plen(t, addr, &plen);
}

void *lisp_trie_get(const struct lisp_trie *t, const void *addr, u8 plen)
{
	const struct lisp_trie_node *n;
	struct lisp_trie_key k, nk;

	if (WARN_ON_ONCE(plen > t->bits))
		return NULL;
	lisp_trie_load(&k, addr, t->bits);
	lisp_trie_mask(&k, plen);
	n = rcu_dereference_check(t->root, lockdep_is_held(t->lock));
	while (n && n->plen <= plen) {
		lisp_trie_node_key(&nk, n, t->bits);
		if (!lisp_trie_match(&nk, &k, n->plen))
			break;
		if (n->plen == plen)
			return rcu_dereference_check(n->val,
						     lockdep_is_held(t->lock));
		n = lisp_trie_child(t, n, lisp_trie_bit(&k, n->plen));
	}
	return NULL;
}

int lisp_trie_insert(struct lisp_trie *t, const void *addr, u8 plen,
		     void *val, void **old, gfp_t gfp)
{
	struct lisp_trie_node __rcu **slot = &t->root;
	struct lisp_trie_node *n, *leaf, *glue;
	struct lisp_trie_key k, nk;
	unsigned int c, b;
	void *prev;

	if (old)
		*old = NULL;
	if (WARN_ON_ONCE(plen > t->bits || !val))
		return -EINVAL;
	lisp_trie_load(&k, addr, t->bits);
	lisp_trie_mask(&k, plen);

	while ((n = lisp_trie_wderef(t, *slot))) {
		lisp_trie_node_key(&nk, n, t->bits);
		if (n->plen > plen || !lisp_trie_match(&nk, &k, n->plen))
			break;
		if (n->plen == plen) {
			prev = lisp_trie_wderef(t, n->val);
			rcu_assign_pointer(n->val, val);
			if (!prev)
				WRITE_ONCE(t->count, t->count + 1);
			if (old)
				*old = prev;
			return 0;
		}
		slot = &lisp_trie_kids(n, t->bits)[lisp_trie_bit(&k, n->plen)];
	}

	leaf = lisp_trie_alloc(t, &k, plen, gfp);
	if (!leaf)
		return -ENOMEM;
	RCU_INIT_POINTER(leaf->val, val);

	if (!n) {
		rcu_assign_pointer(*slot, leaf);
		goto added;
	}

	/*
	 * @n sits in our place: become its parent (then @leaf is shorter than
	 * @n, so not full-length and has children), or split at a glue node.
	 */
	c = min_t(unsigned int, lisp_trie_common(&nk, &k), plen);
	if (c == plen) {
		b = lisp_trie_bit(&nk, plen);
		RCU_INIT_POINTER(lisp_trie_kids(leaf, t->bits)[b], n);
		rcu_assign_pointer(*slot, leaf);
		goto added;
	}
	lisp_trie_mask(&nk, c);
	glue = lisp_trie_alloc(t, &nk, c, gfp);
	if (!glue) {
		/* Never published: no grace period needed. */
		lisp_trie_uncount(t, leaf);
		kfree(leaf);
		return -ENOMEM;
	}
	b = lisp_trie_bit(&k, c);
	RCU_INIT_POINTER(lisp_trie_kids(glue, t->bits)[b], leaf);
	RCU_INIT_POINTER(lisp_trie_kids(glue, t->bits)[!b], n);
	rcu_assign_pointer(*slot, glue);
added:
	WRITE_ONCE(t->count, t->count + 1);
	return 0;
}

void *lisp_trie_remove(struct lisp_trie *t, const void *addr, u8 plen)
{
	struct lisp_trie_node __rcu **slot = &t->root, **pslot = NULL;
	struct lisp_trie_node *n, *parent = NULL, *c0, *c1;
	struct lisp_trie_key k, nk;
	void *val;

	if (WARN_ON_ONCE(plen > t->bits))
		return NULL;
	lisp_trie_load(&k, addr, t->bits);
	lisp_trie_mask(&k, plen);

	for (;;) {
		n = lisp_trie_wderef(t, *slot);
		if (!n || n->plen > plen)
			return NULL;
		lisp_trie_node_key(&nk, n, t->bits);
		if (!lisp_trie_match(&nk, &k, n->plen))
			return NULL;
		if (n->plen == plen)
			break;
		pslot = slot;
		parent = n;
		slot = &lisp_trie_kids(n, t->bits)[lisp_trie_bit(&k, n->plen)];
	}

	val = lisp_trie_wderef(t, n->val);
	if (!val)
		return NULL;
	WRITE_ONCE(t->count, t->count - 1);
	RCU_INIT_POINTER(n->val, NULL);

	c0 = lisp_trie_child(t, n, 0);
	c1 = lisp_trie_child(t, n, 1);
	if (c0 && c1)
		return val;	/* still a branch point: keep as glue */

	/* Readers still on @n follow its unchanged children. */
	rcu_assign_pointer(*slot, c0 ? c0 : c1);
	lisp_trie_free(t, n);

	/* A glue parent that lost a leaf has one child left: splice it out. */
	if (!c0 && !c1 && parent && !rcu_access_pointer(parent->val)) {
		c0 = lisp_trie_child(t, parent, 0);
		c1 = lisp_trie_child(t, parent, 1);
		rcu_assign_pointer(*pslot, c0 ? c0 : c1);
		lisp_trie_free(t, parent);
	}
	return val;
}

enum { LISP_TRIE_BEFORE, LISP_TRIE_ON_PATH, LISP_TRIE_AFTER };

/* Where node @n's subtree lies relative to cursor key @ck/@cl in pre-order. */
static int lisp_trie_side(const struct lisp_trie_node *n,
			  const struct lisp_trie_key *nk,
			  const struct lisp_trie_key *ck, unsigned int cl)
{
	unsigned int d = lisp_trie_common(nk, ck);

	if (d >= min_t(unsigned int, n->plen, cl))
		return n->plen <= cl ? LISP_TRIE_ON_PATH : LISP_TRIE_AFTER;
	return lisp_trie_bit(nk, d) ? LISP_TRIE_AFTER : LISP_TRIE_BEFORE;
}

#define lisp_trie_rderef(t, p) \
	rcu_dereference_check(p, lockdep_is_held((t)->lock))

int lisp_trie_walk(const struct lisp_trie *t, struct lisp_trie_cursor *cur,
		   int (*fn)(void *arg, const void *addr, u8 plen, void *val),
		   void *arg)
{
	const struct lisp_trie_node *stack[LISP_TRIE_DEPTH];
	const struct lisp_trie_node *n, *c0, *c1;
	struct lisp_trie_key ck, nk;
	unsigned int sp = 0;
	u8 bits = t->bits;
	void *val;
	int ret;

	n = lisp_trie_rderef(t, t->root);

	/*
	 * Resume: follow the cursor's path only. Subtrees branching off to
	 * the left of it were dumped already and are skipped whole; those to
	 * the right are stacked, deepest on top, and dumped whole.
	 */
	if (cur->started) {
		if (WARN_ON_ONCE(cur->plen > bits))
			return -EINVAL;
		lisp_trie_load(&ck, cur->addr, bits);
		lisp_trie_mask(&ck, cur->plen);
		while (n) {
			lisp_trie_node_key(&nk, n, bits);
			ret = lisp_trie_side(n, &nk, &ck, cur->plen);
			if (ret == LISP_TRIE_BEFORE)
				n = NULL;
			if (ret != LISP_TRIE_ON_PATH)
				break;
			c0 = lisp_trie_child(t, n, 0);
			c1 = lisp_trie_child(t, n, 1);
			if (n->plen == cur->plen) {
				/* The cursor itself: all more-specifics follow. */
				if (c0 && c1)
					stack[sp++] = c1;
				n = c0 ? c0 : c1;
				break;
			}
			if (lisp_trie_bit(&ck, n->plen)) {
				n = c1;
			} else {
				if (c1)
					stack[sp++] = c1;
				n = c0;
			}
		}
	}

	for (;;) {
		if (!n) {
			if (!sp)
				return 0;
			n = stack[--sp];
		}
		val = lisp_trie_rderef(t, n->val);
		if (val) {
			ret = fn(arg, n->key, n->plen, val);
			if (ret)
				return ret;
			memcpy(cur->addr, n->key, bits / 8);
			cur->plen = n->plen;
			cur->started = true;
		}
		c0 = lisp_trie_child(t, n, 0);
		c1 = lisp_trie_child(t, n, 1);
		if (c0 && c1) {
			/* Cannot overflow: one entry per level of the path. */
			if (WARN_ON_ONCE(sp >= ARRAY_SIZE(stack)))
				return -EINVAL;
			stack[sp++] = c1;
		}
		n = c0 ? c0 : c1;
	}
}

void lisp_trie_flush(struct lisp_trie *t, void (*free_val)(void *val))
{
	struct lisp_trie_node *stack[LISP_TRIE_DEPTH];
	struct lisp_trie_node *n, *c0, *c1;
	unsigned int sp = 0, done = 0;
	void *val;

	/* Unpublish first; the detached nodes are then only ours to free. */
	n = lisp_trie_wderef(t, t->root);
	RCU_INIT_POINTER(t->root, NULL);

	/* Nodes are left intact for readers still inside until freed. */
	for (;;) {
		if (!n) {
			if (!sp)
				break;
			n = stack[--sp];
		}
		c0 = lisp_trie_child(t, n, 0);
		c1 = lisp_trie_child(t, n, 1);
		val = lisp_trie_wderef(t, n->val);
		if (val && free_val)
			free_val(val);
		lisp_trie_free(t, n);
		if (c0 && c1 && !WARN_ON_ONCE(sp >= ARRAY_SIZE(stack)))
			stack[sp++] = c1;
		n = c0 ? c0 : c1;
		if (!(++done & 1023))
			cond_resched();
	}
	WRITE_ONCE(t->count, 0);
	WRITE_ONCE(t->nodes, 0);
	WRITE_ONCE(t->full, 0);
}

/* kmalloc's size for a node: its caches up to 64 bytes are powers of two. */
static size_t lisp_trie_slab(size_t size)
{
	BUILD_BUG_ON(LISP_TRIE_INNER(128) > 64);
	return size <= 16 ? 16 : size <= 32 ? 32 : 64;
}

size_t lisp_trie_node_size(u8 bits, bool full)
{
	return lisp_trie_slab(full ? LISP_TRIE_LEAF(bits) :
			      LISP_TRIE_INNER(bits));
}

size_t lisp_trie_mem(const struct lisp_trie *t)
{
	u32 full = READ_ONCE(t->full);

	return (size_t)full * lisp_trie_node_size(t->bits, true) +
		(size_t)(READ_ONCE(t->nodes) - full) *
		lisp_trie_node_size(t->bits, false);
}
