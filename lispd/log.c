/* SPDX-License-Identifier: MIT */
/*
 * Logging: syslog when daemonized, stderr in the foreground (-d).
 * log_debug only with -v, so a busy Map-Server's syslog stays quiet.
 * What a peer's message makes us say goes through log_peer_*: at most
 * one line per reason (a key, the counter's name) per second, the next
 * one telling how many were suppressed, so that a storm of bad messages
 * is counted in full but logged in a few lines.
 * Under systemd a sink (log_journal.c) takes every line instead, with
 * the reason and the fields set by log_field as the journal's own.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/time.h>
#include <time.h>

#include "log.h"

static bool	log_stderr = true;
static int	log_verbose;
static bool	log_stamp;
static log_sink_fn	*log_sink;
static const char	*log_reason;	/* log_peer_*'s key, for the sink */

/* "NAME=value", set by the code handling a peer's message. */
#define LOG_FIELD_LEN	96
static char	log_fieldv[LOG_FIELDS_MAX][LOG_FIELD_LEN];
static int	log_nfields;

void
log_init(bool foreground, int verbose)
{
	log_stderr = foreground;
	log_verbose = verbose;
	if (!foreground)
		openlog("lispd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

/*
 * Wall-clock time to the millisecond in front of foreground lines, so logs
 * of several routers can be merged into one timeline (make demo does).
 */
void
log_timestamps(bool on)
{
	log_stamp = on;
}

static void
stamp(void)
{
	struct timeval	tv;
	struct tm	tm;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	fprintf(stderr, "%02d:%02d:%02d.%03ld ", tm.tm_hour, tm.tm_min,
	    tm.tm_sec, (long)(tv.tv_usec / 1000));
}

void
log_set_sink(log_sink_fn *fn)
{
	log_sink = fn;
}

void
log_field(const char *name, const char *fmt, ...)
{
	va_list	ap;
	char	v[64];	/* with a name of 24 at most, fits a field */
	size_t	nl = strlen(name);
	int	i;

	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	/* Set again, a field is replaced, not repeated. */
	for (i = 0; i < log_nfields; i++)
		if (!strncmp(log_fieldv[i], name, nl) &&
		    log_fieldv[i][nl] == '=')
			break;
	if (i == LOG_FIELDS_MAX)
		return;
	snprintf(log_fieldv[i], LOG_FIELD_LEN, "%.24s=%s", name, v);
	if (i == log_nfields)
		log_nfields++;
}

void
log_fields_clear(void)
{
	log_nfields = 0;
}

int
log_fields(const char **out)
{
	int	i;

	for (i = 0; i < log_nfields; i++)
		out[i] = log_fieldv[i];
	return log_nfields;
}

static void
vlog(int pri, const char *fmt, va_list ap)
{
	char	buf[1100];

	if (log_sink) {
		vsnprintf(buf, sizeof(buf), fmt, ap);
		log_sink(pri, buf, log_reason);
	} else if (log_stderr) {
		if (log_stamp)
			stamp();
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		fflush(stderr);
	} else
		vsyslog(pri, fmt, ap);
}

static void
logit(int pri, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

/* With errno's text appended, as err(3) does. */
static void
vlog_errno(int pri, const char *fmt, va_list ap)
{
	char	buf[1024];
	int	saved = errno;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	logit(pri, "%s: %s", buf, strerror(saved));
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog_errno(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

/*
 * The keyed rate limiter: a small open-addressed table of the keys seen,
 * each with when its last line was logged and how many were suppressed
 * since.  Keys are few (counter names, a fixed set), so the table does
 * not fill; if it ever does, the slot used longest ago is taken over.
 */
#define RL_SLOTS	128
#define RL_PROBE	8
#define RL_INTERVAL_MS	1000

struct rl_slot {
	char		key[48];
	uint64_t	last_ms;	/* 0: slot free */
	uint64_t	suppressed;
};

static struct rl_slot	rl[RL_SLOTS];

static uint32_t
rl_hash(const char *key)
{
	uint32_t	h = 2166136261u;

	while (*key)
		h = (h ^ (uint8_t)*key++) * 16777619u;
	return h;
}

bool
log_ratelimit(const char *key, uint64_t now_ms, uint64_t *suppressed)
{
	struct rl_slot	*s, *old = NULL;
	uint32_t	 h = rl_hash(key);
	int		 i;

	*suppressed = 0;
	for (i = 0; i < RL_PROBE; i++) {
		s = &rl[(h + (uint32_t)i) % RL_SLOTS];
		if (!s->last_ms || !strncmp(s->key, key, sizeof(s->key) - 1))
			break;
		if (!old || s->last_ms < old->last_ms)
			old = s;
	}
	if (i == RL_PROBE) {
		s = old;
		s->last_ms = 0;
	}
	if (!s->last_ms) {
		snprintf(s->key, sizeof(s->key), "%s", key);
		s->suppressed = 0;
	} else if (now_ms - s->last_ms < RL_INTERVAL_MS) {
		s->suppressed++;
		return false;
	}
	*suppressed = s->suppressed;
	s->suppressed = 0;
	/* A clock at 0 would read as a free slot. */
	s->last_ms = now_ms ? now_ms : 1;
	return true;
}

/* Tests start from a clean table. */
void
log_ratelimit_reset(void)
{
	memset(rl, 0, sizeof(rl));
}

static uint64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* "<line> [key]", and what was suppressed since the last one. */
static void
vlog_peer(int pri, const char *key, bool with_errno, const char *fmt,
    va_list ap)
{
	char		buf[1024];
	uint64_t	n;
	int		saved = errno;

	if (!log_ratelimit(key, mono_ms(), &n))
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	log_reason = key;
	if (with_errno && n)
		logit(pri, "%s: %s [%s] (%llu more suppressed)", buf,
		    strerror(saved), key, (unsigned long long)n);
	else if (with_errno)
		logit(pri, "%s: %s [%s]", buf, strerror(saved), key);
	else if (n)
		logit(pri, "%s [%s] (%llu more suppressed)", buf, key,
		    (unsigned long long)n);
	else
		logit(pri, "%s [%s]", buf, key);
	log_reason = NULL;
	errno = saved;
}

void
log_peer_warn(const char *key, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog_peer(LOG_WARNING, key, true, fmt, ap);
	va_end(ap);
}

void
log_peer_warnx(const char *key, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog_peer(LOG_WARNING, key, false, fmt, ap);
	va_end(ap);
}

void
log_peer_info(const char *key, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog_peer(LOG_INFO, key, false, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog_errno(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}
