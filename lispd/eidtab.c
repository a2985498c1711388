/* SPDX-License-Identifier: MIT */
/*
 * EID prefix table: see eidtab.h.
 *
 * Key: one byte of family, four of instance-id, sixteen of address, so
 * one trie holds every instance and family and a lookup never strays
 * into another's prefixes.  A prefix of length L is a key of ET_HDRBITS
 * + L bits.
 *
 * Trie: each node holds a whole key and its length; a node's children
 * extend it and differ at bit `bits`.  Branch nodes exist only where two
 * subtrees part and always have both children, so n entries need at
 * most n - 1 branches and a lookup visits at most one node per
 * distinct key length on its path.
 *
 * Hash: chained, doubled when it holds more entries than buckets, and
 * seeded per table so that registered prefixes cannot be chosen to
 * collide.  It also answers longest-match lookups while few prefix
 * lengths are in use (ET_PROBE_MAX): a Map-Server full of host EIDs
 * then finds one in a probe or two instead of a trie walk that misses
 * the cache at every level.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core.h"
#include "log.h"
#include "eidtab.h"

static void
key_make(const struct prefix *p, uint8_t key[ET_KEYBYTES], uint8_t *bits)
{
	key[0] = p->family;
	key[1] = (uint8_t)(p->iid >> 24);
	key[2] = (uint8_t)(p->iid >> 16);
	key[3] = (uint8_t)(p->iid >> 8);
	key[4] = (uint8_t)p->iid;
	memcpy(key + 5, p->a, 16);
	*bits = (uint8_t)(ET_HDRBITS + p->plen);
}

static int
key_bit(const uint8_t *key, unsigned int i)
{
	return key[i / 8] >> (7 - i % 8) & 1;
}

/* How many leading bits x and y share, at most max. */
static unsigned int
key_common(const uint8_t *x, const uint8_t *y, unsigned int max)
{
	unsigned int	i = 0;
	uint8_t		d;

	while (i + 8 <= max && x[i / 8] == y[i / 8])
		i += 8;
	if (i >= max)
		return max;
	d = x[i / 8] ^ y[i / 8];
	while (i < max && !(d & (0x80 >> (i % 8))))
		i++;
	return i;
}

static bool
key_match(const uint8_t *x, const uint8_t *y, unsigned int bits)
{
	return key_common(x, y, bits) == bits;
}

static uint32_t
key_hash(uint32_t seed, const uint8_t *key, uint8_t bits)
{
	uint32_t	h = seed ^ 2166136261u;
	int		i;

	/* FNV-1a over the key and its length, then a final mix. */
	for (i = 0; i < ET_KEYBYTES; i++)
		h = (h ^ key[i]) * 16777619u;
	h = (h ^ bits) * 16777619u;
	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return h;
}

void
et_init(struct eidtab *t)
{
	memset(t, 0, sizeof(*t));
	t->probe_max = ET_PROBE_MAX;
	while (getrandom(&t->seed, sizeof(t->seed), 0) != sizeof(t->seed))
		;
}

static void
free_branches(struct et_node *n)
{
	if (!n)
		return;
	free_branches(n->child[0]);
	free_branches(n->child[1]);
	if (!n->entry)
		free(n);
}

void
et_free(struct eidtab *t)
{
	free_branches(t->root);
	free(t->bucket);
	memset(t, 0, sizeof(*t));
}

/* ---- hash ---- */

static int
hash_grow(struct eidtab *t)
{
	size_t		 n = t->nbucket ? t->nbucket * 2 : 64, i;
	struct et_node	**b, *e, *next;

	if (!(b = calloc(n, sizeof(*b))))
		return -1;
	for (i = 0; i < t->nbucket; i++)
		for (e = t->bucket[i]; e; e = next) {
			next = e->hnext;
			e->hnext = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	free(t->bucket);
	t->bucket = b;
	t->nbucket = n;
	return 0;
}

static struct et_node *
hash_find(const struct eidtab *t, const uint8_t *key, uint8_t bits)
{
	struct et_node	*e;
	uint32_t	 h;

	if (!t->nbucket)
		return NULL;
	h = key_hash(t->seed, key, bits);
	for (e = t->bucket[h & (t->nbucket - 1)]; e; e = e->hnext)
		if (e->hash == h && e->bits == bits &&
		    !memcmp(e->key, key, ET_KEYBYTES))
			return e;
	return NULL;
}

static void
hash_remove(struct eidtab *t, struct et_node *n)
{
	struct et_node	**pp = &t->bucket[n->hash & (t->nbucket - 1)];

	while (*pp != n)
		pp = &(*pp)->hnext;
	*pp = n->hnext;
}

/* ---- trie ---- */

/* Point whatever pointed at old (its parent or the root) at new. */
static void
relink(struct eidtab *t, struct et_node *old, struct et_node *new)
{
	struct et_node	*p = old->parent;

	if (new)
		new->parent = p;
	if (!p)
		t->root = new;
	else
		p->child[p->child[1] == old] = new;
}

static void
adopt(struct et_node *parent, struct et_node *child)
{
	parent->child[key_bit(child->key, parent->bits)] = child;
	child->parent = parent;
}

static int
trie_insert(struct eidtab *t, struct et_node *n)
{
	struct et_node	*x = t->root, *parent = NULL, *b;
	unsigned int	 d;

	/* Down while x's key is a proper prefix of n's. */
	while (x && x->bits < n->bits && key_match(x->key, n->key, x->bits)) {
		parent = x;
		x = x->child[key_bit(n->key, x->bits)];
	}
	if (!x) {
		n->parent = parent;
		if (parent)
			parent->child[key_bit(n->key, parent->bits)] = n;
		else
			t->root = n;
		return 0;
	}
	d = key_common(x->key, n->key, x->bits < n->bits ? x->bits : n->bits);
	if (d == n->bits && x->bits == n->bits) {
		/* A branch at exactly this key: n takes its place. */
		if (x->entry)
			return -1;
		relink(t, x, n);
		adopt(n, x->child[0]);
		adopt(n, x->child[1]);
		free(x);
		t->nbranch--;
		return 0;
	}
	if (d == n->bits) {
		/* n is a prefix of x: it goes between x and its parent. */
		relink(t, x, n);
		adopt(n, x);
		return 0;
	}
	/* They part at bit d: a branch there holds both. */
	if (!(b = calloc(1, sizeof(*b))))
		return -1;
	memcpy(b->key, n->key, ET_KEYBYTES);
	b->bits = (uint8_t)d;
	relink(t, x, b);
	adopt(b, x);
	adopt(b, n);
	t->nbranch++;
	return 0;
}

static void
trie_remove(struct eidtab *t, struct et_node *n)
{
	struct et_node	*child, *p, *b;

	if (n->child[0] && n->child[1]) {
		/* Still where two subtrees part: a branch replaces it. */
		if (!(b = calloc(1, sizeof(*b))))
			fatal("eidtab");
		memcpy(b->key, n->key, ET_KEYBYTES);
		b->bits = n->bits;
		relink(t, n, b);
		adopt(b, n->child[0]);
		adopt(b, n->child[1]);
		t->nbranch++;
		return;
	}
	child = n->child[0] ? n->child[0] : n->child[1];
	p = n->parent;
	relink(t, n, child);
	/* A branch left with one child is no longer a branch. */
	if (p && !p->entry && !(p->child[0] && p->child[1])) {
		child = p->child[0] ? p->child[0] : p->child[1];
		relink(t, p, child);
		free(p);
		t->nbranch--;
	}
}

/* ---- the table ---- */

static int
family_index(uint8_t family)
{
	return family == AF_INET ? 0 : 1;
}

static void
count_plen(struct eidtab *t, const struct et_node *n, int delta)
{
	int		 f = family_index(n->key[0]);
	uint32_t	*c = &t->nplen[f][n->bits - ET_HDRBITS];

	if (delta > 0 && (*c)++ == 0)
		t->nlens[f]++;
	else if (delta < 0 && --(*c) == 0)
		t->nlens[f]--;
}

int
et_insert(struct eidtab *t, struct et_node *n, const struct prefix *p)
{
	memset(n, 0, sizeof(*n));
	key_make(p, n->key, &n->bits);
	n->entry = true;
	n->hash = key_hash(t->seed, n->key, n->bits);
	if (hash_find(t, n->key, n->bits))
		return -1;
	if (t->count >= t->nbucket && hash_grow(t))
		return -1;
	if (trie_insert(t, n))
		return -1;
	n->hnext = t->bucket[n->hash & (t->nbucket - 1)];
	t->bucket[n->hash & (t->nbucket - 1)] = n;
	t->count++;
	count_plen(t, n, 1);
	return 0;
}

void
et_remove(struct eidtab *t, struct et_node *n)
{
	hash_remove(t, n);
	trie_remove(t, n);
	t->count--;
	count_plen(t, n, -1);
	memset(n, 0, sizeof(*n));
}

struct et_node *
et_exact(const struct eidtab *t, const struct prefix *p)
{
	uint8_t	key[ET_KEYBYTES], bits;

	key_make(p, key, &bits);
	return hash_find(t, key, bits);
}

/* Longest match by hash probes, one per prefix length in use. */
static struct et_node *
probe_longest(const struct eidtab *t, const struct prefix *p)
{
	const uint32_t	*nplen = t->nplen[family_index(p->family)];
	struct prefix	 q = *p;
	struct et_node	*n;
	uint8_t		 key[ET_KEYBYTES], bits;
	int		 plen;

	for (plen = p->plen; plen >= 0; plen--) {
		if (!nplen[plen])
			continue;
		q.plen = (uint8_t)plen;
		prefix_mask(&q);
		key_make(&q, key, &bits);
		if ((n = hash_find(t, key, bits)))
			return n;
	}
	return NULL;
}

struct et_node *
et_longest(const struct eidtab *t, const struct prefix *p)
{
	struct et_node	*x = t->root, *best = NULL;
	uint8_t		 key[ET_KEYBYTES], bits;

	if (t->nlens[family_index(p->family)] <= t->probe_max)
		return probe_longest(t, p);
	key_make(p, key, &bits);
	while (x && x->bits <= bits && key_match(x->key, key, x->bits)) {
		if (x->entry)
			best = x;
		if (x->bits == bits)
			break;
		x = x->child[key_bit(key, x->bits)];
	}
	return best;
}

bool
et_any_within(const struct eidtab *t, const struct prefix *p)
{
	struct et_node	*x = t->root;
	uint8_t		 key[ET_KEYBYTES], bits;

	key_make(p, key, &bits);
	while (x) {
		/* At or below p's length: x's subtree is p's if x is. */
		if (x->bits >= bits)
			return key_match(x->key, key, bits);
		if (!key_match(x->key, key, x->bits))
			return false;
		x = x->child[key_bit(key, x->bits)];
	}
	return false;
}
