/* SPDX-License-Identifier: MIT */
/* log.c: syslog, or stderr in the foreground; peers' lines rate-limited. */
#ifndef LISPD_LOG_H
#define LISPD_LOG_H

#include <stdbool.h>
#include <stdint.h>

void	log_init(bool foreground, int verbose);
void	log_timestamps(bool on);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/*
 * Lines a peer's message causes (a refusal, a failed reply): at most one
 * per key per second, key being the reason's counter name; the line ends
 * "[key]", and "(N more suppressed)" when some were.  Operator-triggered
 * and configuration messages use the unlimited ones above.
 */
void	log_peer_warn(const char *key, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_peer_warnx(const char *key, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_peer_info(const char *key, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* The limiter: true when a line for key may go out at now_ms (ms, any
 * monotonic clock), with *suppressed the lines held back since the last. */
bool	log_ratelimit(const char *key, uint64_t now_ms, uint64_t *suppressed);
void	log_ratelimit_reset(void);
/*
 * Structured fields for the journal: what the code handling a peer's
 * message knows (LISP_RLOC, LISP_EID, LISP_IID) is set around it with
 * log_field and dropped with log_fields_clear; a sink, when set, gets
 * every line with the reason of log_peer_* (NULL for the others) and
 * reads the fields with log_fields.  Without a sink they go nowhere.
 */
#define LOG_FIELDS_MAX	4
typedef void	log_sink_fn(int pri, const char *msg, const char *reason);
void	log_set_sink(log_sink_fn *);
void	log_field(const char *name, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_fields_clear(void);
int	log_fields(const char **out);	/* out[LOG_FIELDS_MAX] */
/* log_journal.c: stderr is the journal's stream (JOURNAL_STREAM). */
bool	log_journal_stream(void);
bool	log_journal_present(void);	/* journald's socket is there */
void	log_journal(bool on);
struct iovec;
/* sd_journal_sendv, unless a test captures the lines. */
extern int	(*log_journal_sendv)(const struct iovec *, int);
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif /* LISPD_LOG_H */
