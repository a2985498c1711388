/* SPDX-License-Identifier: GPL-2.0 */
/* WARN_ON_ONCE prints and counts, so tests can expect or forbid warnings. */
#ifndef _SHIM_LINUX_BUG_H
#define _SHIM_LINUX_BUG_H

#include <stdbool.h>

extern int shim_warnings;
extern bool shim_warn_quiet;	/* set around expected warnings */
void shim_warn(const char *file, int line, const char *cond);

#define WARN_ON(cond) ({						\
	int __c = !!(cond);						\
	if (__c)							\
		shim_warn(__FILE__, __LINE__, #cond);			\
	__c;								\
})
#define WARN_ON_ONCE(cond)	WARN_ON(cond)
#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)

#endif
