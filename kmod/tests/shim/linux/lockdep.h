/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_LOCKDEP_H
#define _SHIM_LINUX_LOCKDEP_H

#include <linux/mutex.h>

#define lockdep_is_held(m)	shim_mutex_held(m)

#endif
