/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_SCHED_H
#define _SHIM_LINUX_SCHED_H

#include <linux/rcupdate.h>

/* Sleeping under rcu_read_lock() is a bug the shim can catch. */
#define might_sleep() \
	SHIM_CHECK(shim_rcu_depth == 0, "sleeping under rcu_read_lock")
#define cond_resched()	({ might_sleep(); 0; })

#endif
