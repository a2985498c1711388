/* SPDX-License-Identifier: MIT */
/*
 * The event loop: epoll for sockets, signalfd for signals (so handlers
 * run in the loop, not in signal context), and a sorted list of timers.
 * A daemon has tens of timers at most, so a list is enough.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>

#include "event.h"

struct ev_fd {
	LIST_ENTRY(ev_fd) entry;
	int		 fd;
	void		(*cb)(int, void *);
	void		*arg;
};

struct ev_sig {
	int		 signo;
	void		(*cb)(int, void *);
	void		*arg;
};

static int	epfd = -1;
static int	sigfd = -1;
static sigset_t	sigmask;
static bool	quit;
static LIST_HEAD(, ev_fd) fds = LIST_HEAD_INITIALIZER(fds);
static TAILQ_HEAD(, timer) timers = TAILQ_HEAD_INITIALIZER(timers);
static struct ev_sig sigs[8];
static int	nsigs;

static uint64_t	fake_now;		/* tests: a clock they move */

void
ev_set_clock(uint64_t ms)
{
	fake_now = ms;
}

uint64_t
ev_now_ms(void)
{
	struct timespec	ts;

	if (fake_now)
		return fake_now;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

time_t
ev_now(void)
{
	return (time_t)(ev_now_ms() / 1000);
}

int
ev_init(void)
{
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		return -1;
	sigemptyset(&sigmask);
	return 0;
}

int
ev_add(int fd, void (*cb)(int, void *), void *arg)
{
	struct epoll_event	 ev = { .events = EPOLLIN };
	struct ev_fd		*e;

	e = calloc(1, sizeof(*e));
	if (!e)
		return -1;
	e->fd = fd;
	e->cb = cb;
	e->arg = arg;
	ev.data.ptr = e;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)) {
		free(e);
		return -1;
	}
	LIST_INSERT_HEAD(&fds, e, entry);
	return 0;
}

/*
 * Call fd's callback when it can be written to (on), not when it can be
 * read; or back to reading.
 */
int
ev_want_write(int fd, bool on)
{
	struct epoll_event	 ev = { .events = on ? EPOLLOUT : EPOLLIN };
	struct ev_fd		*e;

	LIST_FOREACH(e, &fds, entry)
		if (e->fd == fd)
			break;
	if (!e)
		return -1;
	ev.data.ptr = e;
	return epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
}

void
ev_del(int fd)
{
	struct ev_fd	*e;

	LIST_FOREACH(e, &fds, entry)
		if (e->fd == fd)
			break;
	if (!e)
		return;
	epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
	/* Disarm rather than free: the current epoll batch may name it. */
	e->cb = NULL;
	e->fd = -1;
}

static void
sig_read(int fd, void *arg)
{
	struct signalfd_siginfo	si;
	int			i;

	(void)arg;
	while (read(fd, &si, sizeof(si)) == sizeof(si))
		for (i = 0; i < nsigs; i++)
			if (sigs[i].signo == (int)si.ssi_signo)
				sigs[i].cb((int)si.ssi_signo, sigs[i].arg);
}

int
ev_signal(int signo, void (*cb)(int, void *), void *arg)
{
	if (nsigs == (int)(sizeof(sigs) / sizeof(sigs[0])))
		return -1;
	sigs[nsigs++] = (struct ev_sig){ signo, cb, arg };
	sigaddset(&sigmask, signo);
	if (sigprocmask(SIG_BLOCK, &sigmask, NULL))
		return -1;
	if (sigfd >= 0)
		return signalfd(sigfd, &sigmask, 0) < 0 ? -1 : 0;
	sigfd = signalfd(-1, &sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sigfd < 0)
		return -1;
	return ev_add(sigfd, sig_read, NULL);
}

void
timer_set(struct timer *t, void (*cb)(void *), void *arg)
{
	memset(t, 0, sizeof(*t));
	t->cb = cb;
	t->arg = arg;
}

void
timer_del(struct timer *t)
{
	if (t->armed)
		TAILQ_REMOVE(&timers, t, entry);
	t->armed = false;
}

void
timer_add(struct timer *t, uint64_t ms)
{
	struct timer	*o;

	timer_del(t);
	t->when = ev_now_ms() + ms;
	t->armed = true;
	TAILQ_FOREACH(o, &timers, entry)
		if (o->when > t->when)
			break;
	if (o)
		TAILQ_INSERT_BEFORE(o, t, entry);
	else
		TAILQ_INSERT_TAIL(&timers, t, entry);
}

void
timer_run(uint64_t now)
{
	struct timer	*t;

	/* A callback may re-arm or delete any timer: restart each time. */
	while ((t = TAILQ_FIRST(&timers)) && t->when <= now) {
		TAILQ_REMOVE(&timers, t, entry);
		t->armed = false;
		t->cb(t->arg);
	}
}

/* Free what ev_del() disarmed, now that no epoll batch refers to it. */
static void
reap(void)
{
	struct ev_fd	*e, *next;

	for (e = LIST_FIRST(&fds); e; e = next) {
		next = LIST_NEXT(e, entry);
		if (!e->cb) {
			LIST_REMOVE(e, entry);
			free(e);
		}
	}
}

void
ev_break(void)
{
	quit = true;
}

int
ev_loop(void)
{
	struct epoll_event	 evs[16];
	struct timer		*t;
	int			 i, n, timeout;

	quit = false;
	while (!quit) {
		timeout = -1;
		if ((t = TAILQ_FIRST(&timers))) {
			uint64_t now = ev_now_ms();

			timeout = t->when <= now ? 0 :
			    (int)(t->when - now > 60000 ? 60000 : t->when - now);
		}
		n = epoll_wait(epfd, evs, 16, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (i = 0; i < n && !quit; i++) {
			struct ev_fd *e = evs[i].data.ptr;

			if (e->cb)
				e->cb(e->fd, e->arg);
		}
		timer_run(ev_now_ms());
		reap();
	}
	return 0;
}

bool
ev_bucket_take(uint64_t *bucket_ms, unsigned int rate)
{
	uint64_t	now = ev_now_ms(), per = 1000 / rate;

	if (*bucket_ms + 1000 < now)
		*bucket_ms = now - 1000;
	if (*bucket_ms + per > now)
		return false;
	*bucket_ms += per;
	return true;
}
