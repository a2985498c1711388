// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of kmod/trie.c, built unmodified against tests/shim/: random
 * operations checked against a deliberately naive model (a flat array,
 * bit-by-bit matching), walks and resumed walks, edge cases, readers
 * racing a writer, and 1M IPv4 /32s. Prints TAP version 13.
 */
#include <endian.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/bug.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "tap.h"
#include "../trie.h"

/* First failure of a check group, as a TAP diagnostic. */
static int diag_budget = 20;

#define CHECK(ok_var, cond, ...) do {					\
	if (!(cond)) {							\
		if (diag_budget > 0) {					\
			diag_budget--;					\
			printf("# %s:%d: ", __FILE__, __LINE__);	\
			printf(__VA_ARGS__);				\
			putchar('\n');					\
		}							\
		ok_var = false;						\
	}								\
} while (0)

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	u64 x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static unsigned int rnd_below(unsigned int n)
{
	return rnd() % n;
}

static DEFINE_MUTEX(lock);

/* ---- the naive model ------------------------------------------------ */

struct ent {
	u8 addr[16];
	u8 plen;
	void *val;
};

struct model {
	struct ent *e;
	size_t n, cap;
	unsigned int bits;
};

static int getbit(const u8 *a, unsigned int i)
{
	return (a[i / 8] >> (7 - i % 8)) & 1;
}

static void setbit(u8 *a, unsigned int i, int v)
{
	if (v)
		a[i / 8] |= 0x80 >> (i % 8);
	else
		a[i / 8] &= ~(0x80 >> (i % 8));
}

static bool naive_match(const u8 *p, const u8 *a, unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < plen; i++)
		if (getbit(p, i) != getbit(a, i))
			return false;
	return true;
}

static void naive_mask(u8 *a, unsigned int plen, unsigned int bits)
{
	unsigned int i;

	for (i = plen; i < bits; i++)
		setbit(a, i, 0);
}

/* Pre-order: lexicographic on the prefix bits, a prefix before its extensions. */
static int naive_cmp(const u8 *a, unsigned int alen, const u8 *b,
		     unsigned int blen)
{
	unsigned int i;

	for (i = 0; i < alen && i < blen; i++)
		if (getbit(a, i) != getbit(b, i))
			return getbit(a, i) - getbit(b, i);
	return (int)alen - (int)blen;
}

static struct ent *model_find(struct model *m, const u8 *addr, unsigned int plen)
{
	u8 k[16] = { 0 };
	size_t i;

	memcpy(k, addr, m->bits / 8);
	naive_mask(k, plen, m->bits);
	for (i = 0; i < m->n; i++)
		if (m->e[i].plen == plen && !memcmp(m->e[i].addr, k, m->bits / 8))
			return &m->e[i];
	return NULL;
}

static void *model_insert(struct model *m, const u8 *addr, unsigned int plen,
			  void *val)
{
	struct ent *e = model_find(m, addr, plen);
	void *old;

	if (e) {
		old = e->val;
		e->val = val;
		return old;
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->e = realloc(m->e, m->cap * sizeof(*m->e));
	}
	e = &m->e[m->n++];
	memset(e, 0, sizeof(*e));
	memcpy(e->addr, addr, m->bits / 8);
	naive_mask(e->addr, plen, m->bits);
	e->plen = plen;
	e->val = val;
	return NULL;
}

static void *model_remove(struct model *m, const u8 *addr, unsigned int plen)
{
	struct ent *e = model_find(m, addr, plen);
	void *val;

	if (!e)
		return NULL;
	val = e->val;
	*e = m->e[--m->n];
	return val;
}

static struct ent *model_lookup(struct model *m, const u8 *addr)
{
	struct ent *best = NULL;
	size_t i;

	for (i = 0; i < m->n; i++)
		if (naive_match(m->e[i].addr, addr, m->e[i].plen) &&
		    (!best || m->e[i].plen > best->plen))
			best = &m->e[i];
	return best;
}

static int ent_cmp(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	return naive_cmp(x->addr, x->plen, y->addr, y->plen);
}

static void model_sort(struct model *m)
{
	if (m->n)
		qsort(m->e, m->n, sizeof(*m->e), ent_cmp);
}

/* ---- generators ------------------------------------------------------ */

/* Clustered addresses: a few bases, random tails, so paths run deep. */
struct gen {
	u8 base[4][16];
	unsigned int bits;
	unsigned int tail;	/* random low bits */
};

static void gen_init(struct gen *g, unsigned int bits, unsigned int tail)
{
	unsigned int i, j;

	g->bits = bits;
	g->tail = tail;
	for (i = 0; i < 4; i++)
		for (j = 0; j < 16; j++)
			g->base[i][j] = rnd();
	/* Two bases share a long prefix: glue deep down the trie. */
	memcpy(g->base[1], g->base[0], bits / 8 - 2);
}

static void gen_addr(struct gen *g, u8 *a)
{
	unsigned int i, from;

	memset(a, 0, 16);
	if (rnd_below(20) == 0) {
		for (i = 0; i < g->bits / 8; i++)
			a[i] = rnd();
		return;
	}
	memcpy(a, g->base[rnd_below(4)], g->bits / 8);
	from = g->bits - rnd_below(g->tail + 1);
	for (i = from; i < g->bits; i++)
		setbit(a, i, rnd() & 1);
}

static unsigned int gen_plen(struct gen *g)
{
	if (rnd_below(10) == 0 || g->tail >= g->bits)
		return rnd_below(g->bits + 1);
	return g->bits - rnd_below(g->tail + 2);
}

static void *val_of(u64 id)
{
	return (void *)(uintptr_t)((id << 4) | 8);
}

/* ---- walk helpers ---------------------------------------------------- */

struct collect {
	struct ent *e;
	size_t n, cap, stop_after;
	unsigned int bits;
};

static int collect_fn(void *arg, const void *addr, u8 plen, void *val)
{
	struct collect *c = arg;
	struct ent *e;

	if (c->stop_after && c->n == c->stop_after)
		return 7;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->e = realloc(c->e, c->cap * sizeof(*c->e));
	}
	e = &c->e[c->n++];
	memset(e, 0, sizeof(*e));
	memcpy(e->addr, addr, c->bits / 8);
	e->plen = plen;
	e->val = val;
	return 0;
}

static bool same_ents(const struct ent *a, size_t an, const struct ent *b,
		      size_t bn, unsigned int bits)
{
	size_t i;

	if (an != bn)
		return false;
	for (i = 0; i < an; i++)
		if (a[i].plen != b[i].plen || a[i].val != b[i].val ||
		    memcmp(a[i].addr, b[i].addr, bits / 8))
			return false;
	return true;
}

static bool walk_all(struct lisp_trie *t, struct model *m)
{
	struct lisp_trie_cursor cur = { .started = false };
	struct collect c = { .bits = m->bits };
	bool ok;
	int ret;

	rcu_read_lock();
	ret = lisp_trie_walk(t, &cur, collect_fn, &c);
	rcu_read_unlock();
	model_sort(m);
	ok = ret == 0 && same_ents(c.e, c.n, m->e, m->n, m->bits);
	free(c.e);
	return ok;
}

/* Walk from a random cursor (present or not) and compare with the tail. */
static bool walk_from(struct lisp_trie *t, struct model *m, struct gen *g)
{
	struct lisp_trie_cursor cur = { .started = true };
	struct collect c = { .bits = m->bits };
	unsigned int klen;
	size_t first;
	u8 key[16];
	bool ok;

	if (m->n && rnd_below(2)) {
		struct ent *e = &m->e[rnd_below(m->n)];

		memcpy(cur.addr, e->addr, 16);
		cur.plen = e->plen;
		/* Host bits in the cursor must not matter. */
		if (cur.plen < m->bits)
			setbit(cur.addr, m->bits - 1, 1);
	} else {
		gen_addr(g, cur.addr);
		cur.plen = gen_plen(g);
	}
	memcpy(key, cur.addr, 16);
	klen = cur.plen;
	naive_mask(key, klen, m->bits);

	rcu_read_lock();
	ok = lisp_trie_walk(t, &cur, collect_fn, &c) == 0;
	rcu_read_unlock();
	model_sort(m);
	for (first = 0; first < m->n; first++)
		if (naive_cmp(m->e[first].addr, m->e[first].plen, key,
			      klen) > 0)
			break;
	ok = ok && same_ents(c.e, c.n, m->e + first, m->n - first, m->bits);
	free(c.e);
	return ok;
}

/* Dump in batches of @batch, resuming from the cursor each time. */
static bool walk_batched(struct lisp_trie *t, struct model *m, size_t batch,
			 size_t *batches)
{
	struct lisp_trie_cursor cur = { .started = false };
	struct collect all = { .bits = m->bits };
	struct collect c = { .bits = m->bits, .stop_after = batch };
	bool ok = true;
	int ret;

	*batches = 0;
	do {
		c.n = 0;
		rcu_read_lock();
		ret = lisp_trie_walk(t, &cur, collect_fn, &c);
		rcu_read_unlock();
		(*batches)++;
		if (ret != 0 && ret != 7)
			ok = false;
		if (all.n + c.n > all.cap) {
			all.cap = (all.n + c.n) * 2;
			all.e = realloc(all.e, all.cap * sizeof(*all.e));
		}
		if (c.n)
			memcpy(all.e + all.n, c.e, c.n * sizeof(*c.e));
		all.n += c.n;
	} while (ret == 7 && ok);
	if (m) {
		model_sort(m);
		ok = ok && same_ents(all.e, all.n, m->e, m->n, m->bits);
	}
	free(all.e);
	free(c.e);
	return ok;
}

/* ---- random operations against the model ---------------------------- */

static bool nodes_sane(struct lisp_trie *t)
{
	if (!t->count)
		return t->nodes == 0;
	/* Every glue node has two children, so glue < valued nodes. */
	return t->nodes >= t->count && t->nodes <= 2 * t->count - 1;
}

static void random_ops(unsigned int bits, unsigned int tail, int ops,
		       size_t cap, const char *name)
{
	bool ok_ops = true, ok_lookup = true, ok_nodes = true, ok_walk = true;
	bool ok_resume = true, ok_batch = true, ok_empty = true;
	struct model m = { .bits = bits };
	struct lisp_trie t;
	struct gen g;
	u64 id = 1;
	int i, j, r;

	gen_init(&g, bits, tail);
	lisp_trie_init(&t, bits, &lock);
	for (i = 0; i < ops; i++) {
		u8 a[16];
		unsigned int plen;
		void *got, *want, *old;
		struct ent *e;
		u8 gplen = 0;

		gen_addr(&g, a);
		plen = gen_plen(&g);
		/* Later on, mostly remove: the trie shrinks back to empty. */
		r = rnd_below(100) + (i > ops * 3 / 4 ? 25 : 0);
		if (m.n > cap && r < 45)
			r = 60;
		mutex_lock(&lock);
		if (r < 45) {
			void *v = val_of(id++);

			want = model_insert(&m, a, plen, v);
			CHECK(ok_ops, !lisp_trie_insert(&t, a, plen, v, &old,
							GFP_KERNEL_ACCOUNT),
			      "%s insert failed", name);
			CHECK(ok_ops, old == want, "%s insert /%u old %p want %p",
			      name, plen, old, want);
		} else if (r < 80) {
			if (m.n && rnd_below(4)) {
				e = &m.e[rnd_below(m.n)];
				memcpy(a, e->addr, 16);
				plen = e->plen;
				/* Host bits set: must be ignored. */
				if (plen < bits && rnd_below(2))
					setbit(a, bits - 1, 1);
			}
			want = model_remove(&m, a, plen);
			got = lisp_trie_remove(&t, a, plen);
			CHECK(ok_ops, got == want, "%s remove /%u got %p want %p",
			      name, plen, got, want);
		} else if (r < 90) {
			e = model_find(&m, a, plen);
			got = lisp_trie_get(&t, a, plen);
			CHECK(ok_ops, got == (e ? e->val : NULL),
			      "%s get /%u got %p", name, plen, got);
		}
		CHECK(ok_nodes, t.count == m.n, "%s count %u want %zu", name,
		      t.count, m.n);
		CHECK(ok_nodes, nodes_sane(&t), "%s %u nodes for %u prefixes",
		      name, t.nodes, t.count);
		mutex_unlock(&lock);

		for (j = 0; j < 2; j++) {
			gen_addr(&g, a);
			e = model_lookup(&m, a);
			rcu_read_lock();
			got = lisp_trie_lookup(&t, a);
			want = lisp_trie_lookup_plen(&t, a, &gplen);
			rcu_read_unlock();
			CHECK(ok_lookup, got == (e ? e->val : NULL) && want == got &&
			      (!e || gplen == e->plen),
			      "%s lookup got %p /%u want %p /%u", name, got,
			      gplen, e ? e->val : NULL, e ? e->plen : 0);
		}
		if (i % 997 == 0) {
			CHECK(ok_walk, walk_all(&t, &m), "%s walk at op %d",
			      name, i);
			for (j = 0; j < 5; j++)
				CHECK(ok_resume, walk_from(&t, &m, &g),
				      "%s walk resume at op %d", name, i);
		}
		if (i % 4999 == 0) {
			size_t nb;

			CHECK(ok_batch, walk_batched(&t, &m, 1 + rnd_below(9), &nb),
			      "%s batched walk at op %d", name, i);
		}
	}
	/* Remove what is left in random order: glue must all collapse. */
	mutex_lock(&lock);
	while (m.n) {
		struct ent e = m.e[rnd_below(m.n)];

		CHECK(ok_empty, lisp_trie_remove(&t, e.addr, e.plen) == e.val,
		      "%s final remove", name);
		model_remove(&m, e.addr, e.plen);
		CHECK(ok_empty, nodes_sane(&t), "%s nodes %u count %u", name,
		      t.nodes, t.count);
	}
	CHECK(ok_empty, t.count == 0 && t.nodes == 0 && !t.root,
	      "%s not empty: %u nodes", name, t.nodes);
	mutex_unlock(&lock);

	tap(ok_ops, "%s: insert/replace/remove/get agree with the naive model",
	    name);
	tap(ok_lookup, "%s: lookup and lookup_plen give the naive longest match",
	    name);
	tap(ok_nodes, "%s: count exact, glue nodes never outnumber prefixes",
	    name);
	tap(ok_walk, "%s: walk is pre-order, matching the sorted model", name);
	tap(ok_resume, "%s: walk resumed from random cursors yields the rest",
	    name);
	tap(ok_batch, "%s: batched walk with resume yields every prefix once",
	    name);
	tap(ok_empty, "%s: removing every prefix leaves no node behind", name);
	free(m.e);
}

/* ---- edge cases ------------------------------------------------------ */

static long freed_vals;

static void count_free(void *val)
{
	(void)val;
	freed_vals++;
}

static void edge_cases(unsigned int bits, const char *name)
{
	u8 zero[16] = { 0 }, ones[16], a[16], b[16];
	struct lisp_trie t;
	void *old = val_of(99);
	u8 plen = 0;
	bool ok;
	int w;

	memset(ones, 0xff, sizeof(ones));
	lisp_trie_init(&t, bits, &lock);
	mutex_lock(&lock);

	/* Default route. */
	ok = !lisp_trie_insert(&t, ones, 0, val_of(1), &old, GFP_KERNEL) &&
	     !old;
	rcu_read_lock();
	ok = ok && lisp_trie_lookup(&t, zero) == val_of(1) &&
	     lisp_trie_lookup_plen(&t, ones, &plen) == val_of(1) && plen == 0 &&
	     lisp_trie_get(&t, zero, 0) == val_of(1);
	rcu_read_unlock();
	tap(ok, "%s: plen 0 is a default prefix matching everything", name);

	/* Full length, next to the default. */
	memset(a, 0x5a, sizeof(a));
	ok = !lisp_trie_insert(&t, a, bits, val_of(2), &old, GFP_KERNEL) &&
	     !old;
	memcpy(b, a, sizeof(b));
	b[bits / 8 - 1] ^= 1;
	rcu_read_lock();
	ok = ok && lisp_trie_lookup_plen(&t, a, &plen) == val_of(2) &&
	     plen == bits && lisp_trie_lookup(&t, b) == val_of(1) &&
	     lisp_trie_get(&t, a, bits) == val_of(2) &&
	     !lisp_trie_get(&t, b, bits);
	rcu_read_unlock();
	tap(ok, "%s: full-length prefix matches only its address", name);

	/* Host bits: 5a5a.../12 with junk past bit 12. */
	ok = !lisp_trie_insert(&t, a, 12, val_of(3), &old, GFP_KERNEL) && !old;
	memset(b, 0, sizeof(b));
	b[0] = 0x5a;
	b[1] = 0x50;
	ok = ok && lisp_trie_get(&t, b, 12) == val_of(3);
	b[1] = 0x5f;
	ok = ok && lisp_trie_get(&t, b, 12) == val_of(3);
	rcu_read_lock();
	ok = ok && lisp_trie_lookup_plen(&t, b, &plen) == val_of(3) &&
	     plen == 12;
	rcu_read_unlock();
	ok = ok && !lisp_trie_insert(&t, b, 12, val_of(4), &old, GFP_KERNEL) &&
	     old == val_of(3) && t.count == 3;
	ok = ok && lisp_trie_remove(&t, ones, 12) == NULL;
	b[1] = 0x53;
	ok = ok && lisp_trie_remove(&t, b, 12) == val_of(4) && t.count == 2;
	tap(ok, "%s: host bits past plen ignored by insert, get and remove",
	    name);

	/* Replace. */
	ok = !lisp_trie_insert(&t, a, bits, val_of(5), &old, GFP_KERNEL) &&
	     old == val_of(2) && t.count == 2 &&
	     lisp_trie_get(&t, a, bits) == val_of(5);
	tap(ok, "%s: replace returns the old value, count unchanged", name);

	/* Absent. */
	w = t.nodes;
	ok = !lisp_trie_remove(&t, a, bits - 1) && !lisp_trie_remove(&t, a, 1) &&
	     !lisp_trie_remove(&t, zero, bits) && t.count == 2 &&
	     (int)t.nodes == w;
	/* A glue node holds no value and removing it is a no-op. */
	memcpy(b, a, sizeof(b));
	b[bits / 8 - 1] ^= 1;
	ok = ok && !lisp_trie_insert(&t, b, bits, val_of(6), &old, GFP_KERNEL) &&
	     t.nodes == (unsigned int)w + 2 && !lisp_trie_get(&t, a, bits - 1) &&
	     !lisp_trie_remove(&t, a, bits - 1) && t.count == 3;
	ok = ok && lisp_trie_remove(&t, b, bits) == val_of(6) &&
	     t.nodes == (unsigned int)w;
	tap(ok, "%s: remove or get of an absent or glue prefix changes nothing",
	    name);

	/* Bad arguments warn and fail. */
	w = shim_warnings;
	shim_warn_quiet = true;
	ok = lisp_trie_insert(&t, a, bits + 1, val_of(7), &old, GFP_KERNEL) ==
	     -EINVAL && !old && !lisp_trie_get(&t, a, bits + 1) &&
	     !lisp_trie_remove(&t, a, 255) &&
	     lisp_trie_insert(&t, a, 8, NULL, &old, GFP_KERNEL) == -EINVAL &&
	     t.count == 2 && shim_warnings == w + 4;
	{
		struct lisp_trie_cursor cur = { .started = true, .plen = 200 };
		struct collect c = { .bits = bits };

		ok = ok && lisp_trie_walk(&t, &cur, collect_fn, &c) == -EINVAL &&
		     shim_warnings == w + 5;
	}
	shim_warnings = w;
	shim_warn_quiet = false;
	tap(ok, "%s: plen > bits and NULL values warn and return -EINVAL/NULL",
	    name);

	/* Allocation failure at leaf and at glue leaves the trie unchanged. */
	memcpy(b, a, sizeof(b));
	b[bits / 8 - 1] ^= 2;
	w = t.nodes;
	shim_alloc_fail_in = 1;
	ok = lisp_trie_insert(&t, b, bits, val_of(8), &old, GFP_KERNEL) ==
	     -ENOMEM;
	shim_alloc_fail_in = 2;
	ok = ok && lisp_trie_insert(&t, b, bits, val_of(8), &old, GFP_KERNEL) ==
	     -ENOMEM;
	shim_alloc_fail_in = 0;
	ok = ok && (int)t.nodes == w && t.count == 2 &&
	     !lisp_trie_get(&t, b, bits) &&
	     lisp_trie_get(&t, a, bits) == val_of(5);
	tap(ok, "%s: -ENOMEM on leaf or glue allocation leaves the trie intact",
	    name);

	/* Stop and resume: cursor names the last prefix handed out. */
	{
		struct lisp_trie_cursor cur = { .started = false };
		struct collect c = { .bits = bits, .stop_after = 1 };

		rcu_read_lock();
		ok = lisp_trie_walk(&t, &cur, collect_fn, &c) == 7 &&
		     cur.started && cur.plen == 0 && c.n == 1;
		c.n = 0;
		ok = ok && lisp_trie_walk(&t, &cur, collect_fn, &c) == 0 &&
		     cur.plen == bits && c.n == 1 &&
		     c.e[0].val == val_of(5);
		c.n = 0;
		ok = ok && lisp_trie_walk(&t, &cur, collect_fn, &c) == 0 &&
		     c.n == 0;
		rcu_read_unlock();
		free(c.e);
	}
	tap(ok, "%s: walk stops on non-zero, cursor resumes after the last",
	    name);

	lisp_trie_flush(&t, count_free);
	mutex_unlock(&lock);
}

static void flush_test(void)
{
	struct lisp_trie t4, t6;
	struct gen g4, g6;
	u8 a[16];
	void *old;
	bool ok;
	int i;

	gen_init(&g4, 32, 20);
	gen_init(&g6, 128, 40);
	lisp_trie_init(&t4, 32, &lock);
	lisp_trie_init(&t6, 128, &lock);
	mutex_lock(&lock);
	for (i = 0; i < 20000; i++) {
		gen_addr(&g4, a);
		lisp_trie_insert(&t4, a, gen_plen(&g4), val_of(i + 1), &old,
				 GFP_KERNEL);
		if (old)
			count_free(old);
		gen_addr(&g6, a);
		lisp_trie_insert(&t6, a, gen_plen(&g6), val_of(i + 1), &old,
				 GFP_KERNEL);
		if (old)
			count_free(old);
	}
	freed_vals = 0;
	i = t4.count + t6.count;
	lisp_trie_flush(&t4, count_free);
	lisp_trie_flush(&t6, count_free);
	ok = freed_vals == i && !t4.count && !t4.nodes && !t6.count &&
	     !t6.nodes && !t4.root && !t6.root;
	rcu_read_lock();
	ok = ok && !lisp_trie_lookup(&t4, a) && !lisp_trie_lookup(&t6, a);
	rcu_read_unlock();
	lisp_trie_flush(&t4, count_free);
	ok = ok && freed_vals == i;
	mutex_unlock(&lock);
	tap(ok, "flush: every value handed to free_val once, trie empty");
}

/* ---- readers racing a writer ----------------------------------------- */

/*
 * 10.0.0.0/24 and the even /32s in it never change; the writer churns
 * the odd /32s, /25-/31s inside and prefixes around it, so glue nodes on
 * the readers' paths come and go. Freed nodes are held until the end.
 */
static struct lisp_trie race_t;
static bool race_stop;
static long race_errors, race_lookups, race_walks;

static void *race_reader(void *arg)
{
	u8 a[4] = { 10, 0, 0, 0 };
	u64 seed = (uintptr_t)arg;
	unsigned int x;
	u8 plen = 0;
	void *v;

	while (!__atomic_load_n(&race_stop, __ATOMIC_RELAXED)) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		x = seed >> 56;
		a[3] = x;
		rcu_read_lock();
		v = lisp_trie_lookup_plen(&race_t, a, &plen);
		rcu_read_unlock();
		if (x % 2 == 0 ? v != val_of(1000 + x) || plen != 32 :
		    !v || plen < 24)
			__atomic_add_fetch(&race_errors, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&race_lookups, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static int race_walk_fn(void *arg, const void *addr, u8 plen, void *val)
{
	struct collect *c = arg;
	const u8 *p = addr;
	u8 prev[16];

	/* Strictly increasing pre-order even while the trie changes. */
	if (c->n && naive_cmp(c->e[0].addr, c->e[0].plen, addr, plen) >= 0)
		__atomic_add_fetch(&race_errors, 1, __ATOMIC_RELAXED);
	memset(prev, 0, sizeof(prev));
	memcpy(prev, addr, 4);
	memcpy(c->e[0].addr, prev, 16);
	c->e[0].plen = plen;
	if (p[0] == 10 && p[1] == 0 && p[2] == 0 &&
	    ((plen == 32 && p[3] % 2 == 0) || plen == 24)) {
		if (val != (plen == 24 ? val_of(999) : val_of(1000 + p[3])))
			__atomic_add_fetch(&race_errors, 1, __ATOMIC_RELAXED);
		c->stop_after++;	/* stable prefixes seen */
	}
	c->n++;
	return 0;
}

static void *race_walker(void *arg)
{
	struct ent last;
	struct collect c = { .e = &last, .bits = 32 };

	(void)arg;
	while (!__atomic_load_n(&race_stop, __ATOMIC_RELAXED)) {
		struct lisp_trie_cursor cur = { .started = false };

		c.n = 0;
		c.stop_after = 0;
		rcu_read_lock();
		lisp_trie_walk(&race_t, &cur, race_walk_fn, &c);
		rcu_read_unlock();
		if (c.stop_after != 129)
			__atomic_add_fetch(&race_errors, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&race_walks, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void race_test(void)
{
	pthread_t th[3];
	u8 a[4] = { 10, 0, 0, 0 };
	void *old;
	long live;
	int i;

	shim_rcu_defer = true;
	lisp_trie_init(&race_t, 32, &lock);
	mutex_lock(&lock);
	lisp_trie_insert(&race_t, a, 24, val_of(999), &old, GFP_KERNEL);
	for (i = 0; i < 256; i += 2) {
		a[3] = i;
		lisp_trie_insert(&race_t, a, 32, val_of(1000 + i), &old,
				 GFP_KERNEL);
	}
	mutex_unlock(&lock);
	pthread_create(&th[0], NULL, race_reader, (void *)1);
	pthread_create(&th[1], NULL, race_reader, (void *)2);
	pthread_create(&th[2], NULL, race_walker, NULL);

	for (i = 0; i < 400000; i++) {
		unsigned int r = rnd();
		u8 plen;

		a[0] = 10;
		a[1] = 0;
		a[2] = (r >> 20) % 3 == 0 ? (r >> 8) & 3 : 0;
		a[3] = r & 0xff;
		switch ((r >> 10) % 4) {
		case 0:
			plen = 16 + (r >> 12) % 8;	/* around the /24 */
			break;
		case 1:
			plen = 25 + (r >> 12) % 7;	/* inside it */
			break;
		default:
			plen = 32;
			a[3] |= a[2] ? 0 : 1;		/* odd only */
			break;
		}
		if (plen == 24 && !a[2])
			continue;
		mutex_lock(&lock);
		if ((r >> 16) & 1)
			lisp_trie_insert(&race_t, a, plen, val_of(5000 + i),
					 &old, GFP_KERNEL);
		else
			lisp_trie_remove(&race_t, a, plen);
		mutex_unlock(&lock);
	}
	__atomic_store_n(&race_stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	mutex_lock(&lock);
	lisp_trie_flush(&race_t, NULL);
	mutex_unlock(&lock);
	shim_rcu_defer = false;
	rcu_barrier();
	live = shim_live_objects;
	printf("# race: %ld lookups and %ld walks during 400000 writes\n",
	       race_lookups, race_walks);
	tap(!race_errors && race_lookups && race_walks && !live,
	    "readers racing inserts/removes always see unchanged prefixes (%ld errors)",
	    race_errors);
}

/* ---- one million IPv4 /32s ------------------------------------------- */

static int u32_cmp(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool present(const u32 *v, size_t n, u32 x)
{
	return bsearch(&x, v, n, sizeof(*v), u32_cmp) != NULL;
}

struct mcheck {
	const u32 *v;
	size_t i;
	bool ok;
};

static int million_fn(void *arg, const void *addr, u8 plen, void *val)
{
	struct mcheck *m = arg;
	u32 x = be32toh(*(const u32 *)addr);

	if (plen != 32 || x != m->v[m->i] || val != val_of(x))
		m->ok = false;
	m->i++;
	return 0;
}

struct mbatch {
	struct mcheck mc;
	size_t left;
};

static int million_batch_fn(void *arg, const void *addr, u8 plen, void *val)
{
	struct mbatch *b = arg;

	if (!b->left)
		return 1;
	b->left--;
	return million_fn(&b->mc, addr, plen, val);
}

static void million(void)
{
	const size_t n = 1000000;
	struct lisp_trie t;
	u32 *v = malloc(n * sizeof(*v));
	size_t i, batches = 0;
	u32 salt = rnd();
	bool ok_ins = true, ok_look = true;
	double t0, t1, t2, t3;
	struct mcheck mc = { .v = v, .ok = true };
	struct mbatch mb = { .mc = { .ok = true } };
	struct lisp_trie_cursor cur = { .started = false };
	void *old;
	long bytes0;
	int ret;

	/* A bijective mix of i: n distinct, random-looking addresses. */
	for (i = 0; i < n; i++) {
		u32 x = (u32)(i + salt) * 0x9e3779b1u;

		x ^= x >> 16;
		x *= 0x85ebca6bu;
		x ^= x >> 13;
		v[i] = x;
	}
	qsort(v, n, sizeof(*v), u32_cmp);

	lisp_trie_init(&t, 32, &lock);
	bytes0 = shim_live_bytes;
	t0 = now();
	mutex_lock(&lock);
	for (i = 0; i < n; i++) {
		u32 be = htobe32(v[i]);

		CHECK(ok_ins, !lisp_trie_insert(&t, &be, 32, val_of(v[i]), &old,
						GFP_KERNEL_ACCOUNT) && !old,
		      "insert %08x", v[i]);
	}
	mutex_unlock(&lock);
	t1 = now();
	CHECK(ok_ins, t.count == n, "count %u", t.count);
	tap(ok_ins, "1M: one million random IPv4 /32s inserted");
	printf("# trie: %u nodes (%u full-length) for %u prefixes, %.1f bytes/prefix",
	       t.nodes, t.full, t.count, (double)lisp_trie_mem(&t) / t.count);
	printf(" (IPv4 nodes %zu and %zu bytes, IPv6 %zu and %zu)\n",
	       lisp_trie_node_size(32, true), lisp_trie_node_size(32, false),
	       lisp_trie_node_size(128, true), lisp_trie_node_size(128, false));
	/* A /32 has no child pointers: a 16-byte leaf, at most one glue. */
	tap(t.full == n && t.nodes < 2 * n &&
	    lisp_trie_mem(&t) == (size_t)(shim_live_bytes - bytes0) &&
	    lisp_trie_mem(&t) <= 48 * n,
	    "1M: the nodes take %ld bytes, %.1f per /32 (<= 48), as reported",
	    shim_live_bytes - bytes0, (double)(shim_live_bytes - bytes0) / n);

	rcu_read_lock();
	for (i = 0; i < n; i++) {
		u32 be = htobe32(v[i]), x = rnd();
		u8 plen;

		CHECK(ok_look, lisp_trie_lookup_plen(&t, &be, &plen) ==
		      val_of(v[i]) && plen == 32, "lookup %08x", v[i]);
		be = htobe32(x);
		CHECK(ok_look, lisp_trie_lookup(&t, &be) ==
		      (present(v, n, x) ? val_of(x) : NULL), "lookup %08x", x);
	}
	rcu_read_unlock();
	t2 = now();
	tap(ok_look, "1M: every present address found, absent ones miss");

	rcu_read_lock();
	ret = lisp_trie_walk(&t, &cur, million_fn, &mc);
	rcu_read_unlock();
	tap(!ret && mc.ok && mc.i == n, "1M: walk yields all in address order");

	/* Netlink-like dump: ~30k batches, each resuming from the cursor. */
	t3 = now();
	cur.started = false;
	mb.mc.v = v;
	do {
		mb.left = 32;
		rcu_read_lock();
		ret = lisp_trie_walk(&t, &cur, million_batch_fn, &mb);
		rcu_read_unlock();
		batches++;
	} while (ret == 1);
	t3 = now() - t3;
	printf("# 1M: insert %.2fs, 2M lookups %.2fs, dump in %zu batches %.2fs\n",
	       t1 - t0, t2 - t1, batches, t3);
	tap(!ret && mb.mc.ok && mb.mc.i == n && t3 < 20,
	    "1M: dump in batches of 32 resumes without rescanning");

	freed_vals = 0;
	mutex_lock(&lock);
	lisp_trie_flush(&t, count_free);
	mutex_unlock(&lock);
	tap(freed_vals == (long)n && !t.nodes && !t.count && !t.root,
	    "1M: flush frees every prefix");
	free(v);
}

int main(void)
{
	const char *seed = getenv("TRIE_SEED");

	if (seed)
		rng_state = strtoull(seed, NULL, 0) | 1;
	printf("TAP version 13\n");
	printf("# seed 0x%llx (TRIE_SEED to repeat)\n",
	       (unsigned long long)rng_state);
	mutex_init(&lock);
	random_ops(32, 10, 30000, 500, "IPv4 clustered");
	random_ops(32, 32, 20000, 300, "IPv4 spread");
	random_ops(128, 14, 30000, 500, "IPv6 clustered");
	random_ops(128, 128, 20000, 300, "IPv6 spread");
	edge_cases(32, "IPv4");
	edge_cases(128, "IPv6");
	flush_test();
	race_test();
	million();
	rcu_barrier();
	tap(!shim_live_objects && !shim_warnings,
	    "no node leaked, no unexpected warning (%ld live, %d warnings)",
	    shim_live_objects, shim_warnings);
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
