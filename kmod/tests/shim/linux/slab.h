/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmem caches and kmalloc over malloc, counting live objects (and
 * kmalloc's bytes) and injecting failures.
 */
#ifndef _SHIM_LINUX_SLAB_H
#define _SHIM_LINUX_SLAB_H

#include <linux/types.h>

#define GFP_KERNEL		0x1u
#define GFP_ATOMIC		0x2u
#define __GFP_ACCOUNT		0x4u
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | __GFP_ACCOUNT)
#define SLAB_ACCOUNT		0x1u

struct kmem_cache;

/* Allocation number n (counting from 1) after this is set fails. */
extern long shim_alloc_fail_in;
extern long shim_live_objects;
extern long shim_live_bytes;	/* kmalloc'd, at the size asked for */

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *s, void *p);
void *kmalloc(size_t size, gfp_t gfp);
void kfree(const void *p);
/* Freed at once, or at rcu_barrier() while shim_rcu_defer is set. */
void kfree_rcu_mightsleep(const void *p);

#endif
