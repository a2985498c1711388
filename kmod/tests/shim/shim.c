// SPDX-License-Identifier: GPL-2.0
/* Out-of-line parts of the host shim. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bug.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

int shim_warnings;
bool shim_warn_quiet;
__thread int shim_rcu_depth;
bool shim_rcu_defer;
long shim_alloc_fail_in;
long shim_live_objects;
long shim_live_bytes;

struct kmem_cache {
	const char *name;
	size_t size;
	long live;
};

static pthread_mutex_t shim_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rcu_head *shim_deferred;
static void **shim_deferred_ptrs;
static size_t shim_nr_deferred, shim_max_deferred;

void shim_warn(const char *file, int line, const char *cond)
{
	__atomic_add_fetch(&shim_warnings, 1, __ATOMIC_RELAXED);
	if (!shim_warn_quiet)
		fprintf(stderr, "WARNING: %s:%d: %s\n", file,
			line, cond);
}

void shim_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "BUG: %s:%d: %s\n", file, line, what);
	abort();
}

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	if (!shim_rcu_defer) {
		func(head);
		return;
	}
	head->func = func;
	pthread_mutex_lock(&shim_lock);
	head->next = shim_deferred;
	shim_deferred = head;
	pthread_mutex_unlock(&shim_lock);
}

void rcu_barrier(void)
{
	struct rcu_head *head, *next;

	pthread_mutex_lock(&shim_lock);
	head = shim_deferred;
	shim_deferred = NULL;
	pthread_mutex_unlock(&shim_lock);
	for (; head; head = next) {
		next = head->next;
		head->func(head);
	}
	pthread_mutex_lock(&shim_lock);
	while (shim_nr_deferred)
		kfree(shim_deferred_ptrs[--shim_nr_deferred]);
	pthread_mutex_unlock(&shim_lock);
}

/* The size asked for, kept in front of the object. */
void *kmalloc(size_t size, gfp_t gfp)
{
	size_t *h;

	(void)gfp;
	if (shim_alloc_fail_in && --shim_alloc_fail_in == 0)
		return NULL;
	h = malloc(sizeof(*h) + size);
	if (!h)
		return NULL;
	*h = size;
	memset(h + 1, 0xa5, size);
	__atomic_add_fetch(&shim_live_objects, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&shim_live_bytes, (long)size, __ATOMIC_RELAXED);
	return h + 1;
}

void kfree(const void *p)
{
	size_t *h;

	if (!p)
		return;
	h = (size_t *)p - 1;
	__atomic_sub_fetch(&shim_live_objects, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&shim_live_bytes, (long)*h, __ATOMIC_RELAXED);
	free(h);
}

void kfree_rcu_mightsleep(const void *p)
{
	if (!shim_rcu_defer) {
		kfree(p);
		return;
	}
	pthread_mutex_lock(&shim_lock);
	if (shim_nr_deferred == shim_max_deferred) {
		shim_max_deferred = shim_max_deferred ? 2 * shim_max_deferred : 1024;
		shim_deferred_ptrs = realloc(shim_deferred_ptrs,
					     shim_max_deferred * sizeof(void *));
		SHIM_CHECK(shim_deferred_ptrs, "out of memory");
	}
	shim_deferred_ptrs[shim_nr_deferred++] = (void *)p;
	pthread_mutex_unlock(&shim_lock);
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *s = calloc(1, sizeof(*s));

	(void)align;
	(void)flags;
	(void)ctor;
	if (s) {
		s->name = name;
		s->size = size;
	}
	return s;
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	if (!s)
		return;
	if (s->live)
		shim_warn(__FILE__, __LINE__, s->name);
	free(s);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	void *p;

	(void)gfp;
	SHIM_CHECK(s, "kmem_cache_alloc on a missing cache");
	if (shim_alloc_fail_in && --shim_alloc_fail_in == 0)
		return NULL;
	p = malloc(s->size);
	if (p) {
		/* Poison: the trie must initialise every field it reads. */
		memset(p, 0xa5, s->size);
		__atomic_add_fetch(&s->live, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&shim_live_objects, 1, __ATOMIC_RELAXED);
	}
	return p;
}

void kmem_cache_free(struct kmem_cache *s, void *p)
{
	if (!p)
		return;
	__atomic_sub_fetch(&s->live, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&shim_live_objects, 1, __ATOMIC_RELAXED);
	free(p);
}
