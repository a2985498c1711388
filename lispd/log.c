/* SPDX-License-Identifier: MIT */
/*
 * Logging: syslog when daemonized, stderr in the foreground (-d).
 * log_debug only with -v, so a busy Map-Server's syslog stays quiet.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/time.h>
#include <time.h>

#include "lispd.h"

static bool	log_stderr = true;
static int	log_verbose;
static bool	log_stamp;

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

static void
vlog(int pri, const char *fmt, va_list ap)
{
	if (log_stderr) {
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
