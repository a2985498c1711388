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
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif /* LISPD_LOG_H */
