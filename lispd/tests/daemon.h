/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the tests of daemon modules, included after tap.h:
 * addresses and prefixes from strings, the packet a message came in, and
 * a clock the test moves by hand.
 */
#ifndef LISPD_TESTS_DAEMON_H
#define LISPD_TESTS_DAEMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>

#include "core.h"
#include "conf.h"
#include "event.h"
#include "packet.h"

/* The daemon's clock (ev_set_clock), in ms; tests that use it set it. */
static uint64_t	clock_ms __attribute__((unused)) = 5000000;

/* Move the clock on by ms and run the timers due by then. */
static inline void
advance(uint64_t ms)
{
	clock_ms += ms;
	ev_set_clock(clock_ms);
	timer_run(clock_ms);
}

static inline struct laddr
A(const char *s)
{
	struct laddr	a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static inline struct prefix
P(const char *s)
{
	struct prefix	p;
	const char	*why;

	assert_int_equal(prefix_parse(s, &p, &why), 0);
	return p;
}

/* A control message from src's port 4342. */
static inline struct pkt
from(const char *src)
{
	struct pkt	p;

	memset(&p, 0, sizeof(p));
	p.src = A(src);
	p.sport = LISP_CONTROL_PORT;
	return p;
}

/*
 * A show table's cell, as lispctl prints it: field want of the row of
 * arr whose k1 is v1 and (unless k2 is NULL) k2 is v2; "none" when no
 * row is.  Takes arr.
 */
static inline const char *
row_field(struct json_object *arr, const char *k1, const char *v1,
    const char *k2, const char *v2, const char *want)
{
	static char		 out[64];
	struct json_object	*o, *v;
	size_t			 i;

	snprintf(out, sizeof(out), "none");
	for (i = 0; i < json_object_array_length(arr); i++) {
		o = json_object_array_get_idx(arr, i);
		if (!json_object_object_get_ex(o, k1, &v) ||
		    strcmp(json_object_get_string(v), v1))
			continue;
		if (k2 && (!json_object_object_get_ex(o, k2, &v) ||
		    strcmp(json_object_get_string(v), v2)))
			continue;
		if (json_object_object_get_ex(o, want, &v))
			snprintf(out, sizeof(out), "%s",
			    json_object_get_string(v));
	}
	json_object_put(arr);
	return out;
}

/* A record's EID prefix as lispd prints it, "[7]10.1.0.0/16". */
static inline const char *
rec_prefix(const struct lisp_rec *r)
{
	static char	s[PREFIXSTRLEN];
	struct prefix	p;

	assert_int_equal(prefix_from_lisp(&r->eid, r->mlen, &p), 0);
	return prefix_fmt(&p, s, sizeof(s));
}

/* Load a configuration from its text, through a file as lispd does. */
static inline struct lispd_conf *
conf_from_text(const char *text)
{
	char			 path[] = "/tmp/lispd-test-conf.XXXXXX";
	int			 fd = mkstemp(path);
	struct lispd_conf	*c;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	c = conf_load(path);
	unlink(path);
	assert_non_null(c);
	return c;
}

#endif
