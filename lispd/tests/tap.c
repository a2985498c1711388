/* SPDX-License-Identifier: MIT */
/*
 * cmocka prints "ok N - name" lines in TAP mode but no version line;
 * add it so every test program is TAP version 13.
 */
#include <stdio.h>

#include "tap.h"

int
tap_run(const char *group, const struct CMUnitTest *tests, size_t n)
{
	printf("TAP version 13\n# %s\n", group);
	fflush(stdout);
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return _cmocka_run_group_tests(group, tests, n, NULL, NULL) ? 1 : 0;
}
