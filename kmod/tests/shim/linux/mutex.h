/* SPDX-License-Identifier: GPL-2.0 */
/* A pthread mutex that knows its owner, for lockdep_is_held(). */
#ifndef _SHIM_LINUX_MUTEX_H
#define _SHIM_LINUX_MUTEX_H

#include <pthread.h>
#include <linux/types.h>

struct mutex {
	pthread_mutex_t m;
	pthread_t owner;
	bool held;
};

#define DEFINE_MUTEX(name) \
	struct mutex name = { .m = PTHREAD_MUTEX_INITIALIZER }

static inline void mutex_init(struct mutex *m)
{
	pthread_mutex_init(&m->m, NULL);
	m->held = false;
}

static inline void mutex_lock(struct mutex *m)
{
	pthread_mutex_lock(&m->m);
	m->owner = pthread_self();
	__atomic_store_n(&m->held, true, __ATOMIC_RELAXED);
}

static inline void mutex_unlock(struct mutex *m)
{
	__atomic_store_n(&m->held, false, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&m->m);
}

static inline bool shim_mutex_held(const struct mutex *m)
{
	return __atomic_load_n(&m->held, __ATOMIC_RELAXED) &&
	       pthread_equal(m->owner, pthread_self());
}

#endif
