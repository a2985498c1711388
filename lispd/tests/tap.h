/* SPDX-License-Identifier: MIT */
/* Run one cmocka group with TAP version 13 output (Documentation/testing.rst). */
#ifndef LISPD_TESTS_TAP_H
#define LISPD_TESTS_TAP_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

int	tap_run(const char *group, const struct CMUnitTest *, size_t);

#define TAP_RUN(group, tests) \
	tap_run((group), (tests), sizeof(tests) / sizeof((tests)[0]))

#endif
