/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RCU for a host test: dereferences assert they run under rcu_read_lock()
 * or the named lock; call_rcu frees at once (catching writer-side use
 * after free) unless shim_rcu_defer holds it back until rcu_barrier().
 */
#ifndef _SHIM_LINUX_RCUPDATE_H
#define _SHIM_LINUX_RCUPDATE_H

#include <linux/types.h>

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};

typedef void (*rcu_callback_t)(struct rcu_head *head);

extern __thread int shim_rcu_depth;
extern bool shim_rcu_defer;
void shim_fail(const char *file, int line, const char *what);
void call_rcu(struct rcu_head *head, rcu_callback_t func);
void rcu_barrier(void);

#define SHIM_CHECK(c, what) \
	do { if (!(c)) shim_fail(__FILE__, __LINE__, what); } while (0)

static inline void rcu_read_lock(void)
{
	shim_rcu_depth++;
}

static inline void rcu_read_unlock(void)
{
	SHIM_CHECK(shim_rcu_depth > 0, "unbalanced rcu_read_unlock");
	shim_rcu_depth--;
}

static inline void synchronize_rcu(void)
{
	SHIM_CHECK(shim_rcu_depth == 0, "synchronize_rcu under rcu_read_lock");
}

#define rcu_dereference_check(p, c) ({					\
	SHIM_CHECK(shim_rcu_depth > 0 || (c),				\
		   "rcu_dereference outside RCU and lock: " #p);	\
	__atomic_load_n(&(p), __ATOMIC_ACQUIRE);			\
})
#define rcu_dereference(p)	rcu_dereference_check(p, 0)
#define rcu_dereference_protected(p, c) ({				\
	SHIM_CHECK(c, "update-side dereference without lock: " #p);	\
	__atomic_load_n(&(p), __ATOMIC_RELAXED);			\
})
#define rcu_access_pointer(p)	__atomic_load_n(&(p), __ATOMIC_RELAXED)
#define rcu_assign_pointer(p, v) \
	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v) \
	__atomic_store_n(&(p), (v), __ATOMIC_RELAXED)

#endif
