/* SPDX-License-Identifier: MIT */
/* event.c: the event loop (epoll), its timers and signals. */
#ifndef LISPD_EVENT_H
#define LISPD_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <sys/queue.h>

struct timer {
	TAILQ_ENTRY(timer) entry;
	uint64_t	 when;		/* ev_now_ms() deadline */
	void		(*cb)(void *);
	void		*arg;
	bool		 armed;
};

int		 ev_init(void);
int		 ev_add(int fd, void (*cb)(int, void *), void *arg);
void		 ev_del(int fd);
int		 ev_want_write(int fd, bool on);
int		 ev_signal(int signo, void (*cb)(int, void *), void *arg);
int		 ev_loop(void);
void		 ev_break(void);
uint64_t	 ev_now_ms(void);
time_t		 ev_now(void);		/* monotonic seconds */
void		 timer_set(struct timer *, void (*)(void *), void *);
void		 timer_add(struct timer *, uint64_t ms);
void		 timer_del(struct timer *);
/* Fire the timers due at now_ms; the loop's job, exported for tests. */
void		 timer_run(uint64_t now_ms);
/*
 * A token bucket of rate a second, bursts of as many: take one (true)
 * or none is left (false).  *bucket_ms is the caller's, 0 at first.
 */
bool		 ev_bucket_take(uint64_t *bucket_ms, unsigned int rate);
/* Tests: make ev_now_ms() return ms from now on (0: the real clock). */
void		 ev_set_clock(uint64_t ms);

#endif /* LISPD_EVENT_H */
