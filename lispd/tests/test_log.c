/* SPDX-License-Identifier: MIT */
/*
 * The keyed log rate limiter (log.c): one line per key per second,
 * keys independent of each other, the suppressed ones counted and
 * handed to the next line that goes out; and the lines log_peer_*
 * write: "[key]" and "(N more suppressed)".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "tap.h"
#include "log.h"

static int
setup(void **state)
{
	(void)state;
	log_ratelimit_reset();
	return 0;
}

static void
t_one_per_second(void **state)
{
	uint64_t	n, t;
	int		out = 0;

	(void)state;
	/* 2 a ms for 2.5 s: lines at 1000, 2000 and 3000 ms only. */
	for (t = 1000; t < 3500; t += 1) {
		if (log_ratelimit("rx-malformed-truncated", t, &n)) {
			out++;
			assert_int_equal(n, t == 1000 ? 0 : 1999);
		}
		if (log_ratelimit("rx-malformed-truncated", t, &n))
			fail_msg("two lines at %llu ms", (unsigned long long)t);
	}
	assert_int_equal(out, 3);
	/* Quiet for a while: the next one goes out, with what was held. */
	assert_true(log_ratelimit("rx-malformed-truncated", 9000, &n));
	assert_int_equal(n, 999);
	assert_true(log_ratelimit("rx-malformed-truncated", 10000, &n));
	assert_int_equal(n, 0);
}

static void
t_keys_apart(void **state)
{
	uint64_t	n;

	(void)state;
	assert_true(log_ratelimit("a", 5000, &n));
	assert_true(log_ratelimit("b", 5000, &n));
	assert_false(log_ratelimit("a", 5001, &n));
	assert_false(log_ratelimit("a", 5999, &n));
	assert_true(log_ratelimit("c", 5999, &n));
	assert_true(log_ratelimit("a", 6000, &n));
	assert_int_equal(n, 2);
	assert_false(log_ratelimit("b", 5999, &n));
	assert_true(log_ratelimit("b", 6000, &n));
	assert_int_equal(n, 1);
	/* A clock at 0 is a time like another, not "never logged". */
	log_ratelimit_reset();
	assert_true(log_ratelimit("z", 0, &n));
	assert_false(log_ratelimit("z", 10, &n));
}

/* More keys than the table holds: each still limited, each logged. */
static void
t_many_keys(void **state)
{
	char		k[32];
	uint64_t	n;
	int		i, round, out;

	(void)state;
	for (round = 0; round < 3; round++) {
		out = 0;
		for (i = 0; i < 500; i++) {
			snprintf(k, sizeof(k), "key-%d", i);
			out += log_ratelimit(k, 1000 + (uint64_t)round * 1000,
			    &n);
			assert_false(log_ratelimit(k,
			    1500 + (uint64_t)round * 1000, &n));
		}
		assert_int_equal(out, 500);
	}
}

/* What log_peer_warnx writes to stderr, through a pipe. */
static void
t_lines(void **state)
{
	char	buf[4096];
	int	fds[2], saved, i;
	ssize_t	len;

	(void)state;
	log_init(true, 0);
	assert_int_equal(pipe(fds), 0);
	saved = dup(2);
	dup2(fds[1], 2);
	for (i = 0; i < 1000; i++)
		log_peer_warnx("rx-malformed-type", "malformed message %d", i);
	usleep(1100 * 1000);
	log_peer_warnx("rx-malformed-type", "malformed message %d", i);
	log_peer_info("smr-uncached-ignored", "SMR %s", "x");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fds[1]);
	len = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	assert_true(len > 0);
	buf[len] = '\0';
	assert_string_equal(buf,
	    "malformed message 0 [rx-malformed-type]\n"
	    "malformed message 1000 [rx-malformed-type] (999 more suppressed)\n"
	    "SMR x [smr-uncached-ignored]\n");
}

/* The journal's lines as sd_journal_sendv would get them, one per row. */
static char	sent[8][512];
static int	nsent;

static int
capture(const struct iovec *iov, int n)
{
	char	*p = sent[nsent++ % 8];
	size_t	 off = 0;
	int	 i;

	for (i = 0; i < n; i++)
		off += (size_t)snprintf(p + off, 512 - off, "%s%.*s",
		    i ? "\n" : "", (int)iov[i].iov_len,
		    (const char *)iov[i].iov_base);
	return 0;
}

static void
t_journal_fields(void **state)
{
	(void)state;
	nsent = 0;
	log_journal_sendv = capture;
	log_journal(true);
	log_init(true, 0);
	log_fields_clear();
	log_field("LISP_RLOC", "%s", "192.0.2.1");
	log_field("LISP_IID", "%u", 100);
	log_field("LISP_EID", "%s", "10.1.0.0/16");
	log_field("LISP_EID", "%s", "10.1.2.3/32");	/* replaces */
	log_peer_warnx("rx-malformed-type", "malformed message %d", 7);
	log_fields_clear();
	log_info("running roles: %s", "etr");
	log_journal(false);
	assert_int_equal(nsent, 2);
	assert_string_equal(sent[0],
	    "MESSAGE=malformed message 7 [rx-malformed-type]\n"
	    "PRIORITY=4\n"
	    "SYSLOG_IDENTIFIER=lispd\n"
	    "LISP_REASON=rx-malformed-type\n"
	    "LISP_RLOC=192.0.2.1\n"
	    "LISP_IID=100\n"
	    "LISP_EID=10.1.2.3/32");
	/* No reason, no peer: MESSAGE and PRIORITY only. */
	assert_string_equal(sent[1],
	    "MESSAGE=running roles: etr\n"
	    "PRIORITY=6\n"
	    "SYSLOG_IDENTIFIER=lispd");
}

/* JOURNAL_STREAM counts only while stderr is the stream it names. */
static void
t_journal_stream(void **state)
{
	struct stat	st;
	char		v[64];

	(void)state;
	unsetenv("JOURNAL_STREAM");
	assert_false(log_journal_stream());
	assert_int_equal(fstat(2, &st), 0);
	snprintf(v, sizeof(v), "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", v, 1);
	assert_true(log_journal_stream());
	snprintf(v, sizeof(v), "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino + 1);
	setenv("JOURNAL_STREAM", v, 1);
	assert_false(log_journal_stream());
	setenv("JOURNAL_STREAM", "garbage", 1);
	assert_false(log_journal_stream());
	unsetenv("JOURNAL_STREAM");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(t_one_per_second, setup),
		cmocka_unit_test_setup(t_keys_apart, setup),
		cmocka_unit_test_setup(t_many_keys, setup),
		cmocka_unit_test_setup(t_lines, setup),
		cmocka_unit_test_setup(t_journal_fields, setup),
		cmocka_unit_test_setup(t_journal_stream, setup),
	};

	return TAP_RUN("log rate limiter", tests);
}
