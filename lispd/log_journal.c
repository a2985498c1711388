/* SPDX-License-Identifier: MIT */
/*
 * The journal sink: under systemd, where stderr is the journal's stream,
 * each line goes to journald as MESSAGE and PRIORITY with LISP_REASON
 * (log_peer_*'s key) and the fields log_field set, so that
 * "journalctl LISP_REASON=... LISP_RLOC=..." finds them.  Only lispd
 * links this (and libsystemd); lispctl keeps plain log.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <systemd/sd-journal.h>

#include "log.h"

int	(*log_journal_sendv)(const struct iovec *, int) = sd_journal_sendv;

static void
iov_str(struct iovec *v, const char *s)
{
	v->iov_base = (void *)s;
	v->iov_len = strlen(s);
}

static void
journal_line(int pri, const char *msg, const char *reason)
{
	struct iovec	iov[4 + LOG_FIELDS_MAX];
	const char	*f[LOG_FIELDS_MAX];
	char		m[1200], p[16], r[64];
	int		n = 0, nf, i;

	snprintf(m, sizeof(m), "MESSAGE=%s", msg);
	snprintf(p, sizeof(p), "PRIORITY=%d", pri);
	iov_str(&iov[n++], m);
	iov_str(&iov[n++], p);
	iov_str(&iov[n++], "SYSLOG_IDENTIFIER=lispd");
	if (reason) {
		snprintf(r, sizeof(r), "LISP_REASON=%s", reason);
		iov_str(&iov[n++], r);
	}
	nf = log_fields(f);
	for (i = 0; i < nf; i++)
		iov_str(&iov[n++], f[i]);
	/* journald away: the line is not lost, stderr still is the unit's. */
	if (log_journal_sendv(iov, n) < 0) {
		fprintf(stderr, "%s\n", msg);
		fflush(stderr);
	}
}

/*
 * systemd sets JOURNAL_STREAM to "device:inode" of the stream it gave
 * the service; only if stderr still is that one (not redirected by a
 * wrapper) are we talking to the journal.
 */
bool
log_journal_stream(void)
{
	const char		*e = getenv("JOURNAL_STREAM");
	unsigned long long	 dev, ino;
	struct stat		 st;

	if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(2, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

/*
 * libsystemd drops lines silently when journald is not running: without
 * its socket lispd keeps to stderr or syslog, even with -j.
 */
bool
log_journal_present(void)
{
	return access("/run/systemd/journal/socket", W_OK) == 0;
}

void
log_journal(bool on)
{
	log_set_sink(on ? journal_line : NULL);
}
