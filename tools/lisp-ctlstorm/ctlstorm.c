// SPDX-License-Identifier: GPL-2.0
/*
 * lisp-ctlstorm: a storm of random and mutated LISP control messages.
 *
 *   lisp-ctlstorm -t HOST[@SOCKET] [-t ...] -n COUNT [-s SEED] [-e PREFIX ...]
 *              [-p PORT] [-w WINDOW]
 *
 * Sends COUNT messages to UDP port 4342 of the targets, in turn: random
 * bytes; each message type 1-8 with a plausible first word and a random
 * body; and Map-Requests (plain or SMR-invoked, SMRs, RLOC probes,
 * ECM-encapsulated), Map-Replies, Map-Registers, Map-Notifies and
 * Map-Notify-Acks built valid - their authentication data random, as
 * signed with a key nobody has - then left so or mutated: bits flipped,
 * truncated, bytes appended, the record count raised past what the
 * packet holds, a length field lied about (LCAF, authentication data,
 * inner IP and UDP), an EID as an LCAF of a random type.  Records name
 * EIDs inside the -e prefixes half of the time, so that some messages
 * reach the roles rather than only the decoders; Map-Requests name this
 * host as ITR-RLOC.
 *
 * With HOST@SOCKET the target's lispd is asked ("show statistics" on its
 * control socket) how many messages it read, and the storm waits while
 * more than WINDOW (default 160) are in flight to it, so that the
 * socket's queue (a few hundred small datagrams by default) does not
 * overflow; when lispd reads nothing for 2 s the
 * rest counts as lost ("stalls") and the storm goes on.
 *
 * The same seed sends the same messages.  At the end: one line per kind,
 * mutation and target, "sent KIND N", "mutation NAME N", "target HOST
 * N", then "answers N" (datagrams that came back), "stalls N",
 * "seconds S" and "total N".
 *
 * (A Python version took 11 minutes for 100,000 messages in the
 * emulated test VM; this takes seconds.)
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#define PORT		4342
#define MAX_TARGETS	16
#define MAX_EIDS	16
#define AFI_IP		1
#define AFI_IP6		2
#define AFI_LCAF	16387
#define MREQ_P		(1u << 25)
#define MREQ_S		(1u << 24)
#define MREQ_SMR_INV	(1u << 22)
#define MREG_M		(1u << 8)
#define MAX_LENS	16

/* A lispd's control socket, and what went to it of ours. */
struct ctl {
	const char		*path;
	uint64_t		 base;		/* its rx when we began */
	uint64_t		 sent;
};

struct target {
	int			 family;
	uint8_t			 ip[16], me[16];
	int			 fd;
	struct ctl		*ctl;
	uint64_t		 sent;
};

struct eid {
	int			 family;
	uint8_t			 a[16];
	int			 plen;
};

/* A message being built, with the offsets of its 16-bit length fields. */
struct msg {
	uint8_t			 b[2048];
	size_t			 len;
	size_t			 lens[MAX_LENS];
	int			 nlens;
};

static struct target	 tg[MAX_TARGETS];
static int		 ntg;
static struct ctl	 ctls[MAX_TARGETS];
static int		 nctl;
static struct eid	 eids[MAX_EIDS];
static int		 neids;
static uint64_t		 rng;
static uint64_t		 answers, stalls;

enum {
	K_RANDOM, K_TYPE1, K_TYPE8 = K_TYPE1 + 7, K_MREQ, K_SMR, K_PROBE,
	K_ECM, K_MREPLY, K_MREG, K_MNOTIFY, K_MNACK, K__MAX
};
static const char *const knames[K__MAX] = {
	"random", "type-1", "type-2", "type-3", "type-4", "type-5", "type-6",
	"type-7", "type-8", "map-request", "smr", "rloc-probe",
	"ecm-map-request", "map-reply", "map-register", "map-notify",
	"map-notify-ack",
};
enum { M_NONE, M_FLIP, M_TRUNC, M_APPEND, M_COUNT, M_LENGTH, M_LCAF, M__MAX };
static const char *const mnames[M__MAX] = {
	"none", "flip", "truncate", "append", "count", "length", "lcaf",
};
static uint64_t		 kcount[K__MAX], mcount[M__MAX];

/* xorshift64*: small, seeded, the same everywhere. */
static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

static uint32_t
below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static void
put(struct msg *m, const void *p, size_t n)
{
	if (m->len + n > sizeof(m->b))
		n = sizeof(m->b) - m->len;
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

static void
put8(struct msg *m, uint8_t v)
{
	put(m, &v, 1);
}

static void
put16(struct msg *m, uint16_t v)
{
	v = htons(v);
	put(m, &v, 2);
}

static void
put32(struct msg *m, uint32_t v)
{
	v = htonl(v);
	put(m, &v, 4);
}

static void
put64(struct msg *m, uint64_t v)
{
	put32(m, (uint32_t)(v >> 32));
	put32(m, (uint32_t)v);
}

static void
putrand(struct msg *m, size_t n)
{
	while (n--)
		put8(m, (uint8_t)rnd());
}

static void
lenfield(struct msg *m, size_t off)
{
	if (m->nlens < MAX_LENS)
		m->lens[m->nlens++] = off;
}

static void
put_addr(struct msg *m, int family, const uint8_t *a)
{
	put16(m, family == AF_INET ? AFI_IP : AFI_IP6);
	put(m, a, family == AF_INET ? 4 : 16);
}

/* An EID (of -e half of the time), as an LCAF with lcaf; its mask-len. */
static int
put_eid(struct msg *m, const struct target *t, bool lcaf)
{
	struct eid	 e;
	struct msg	 inner = { .len = 0 };
	int		 i, n = 0, pick[MAX_EIDS], bits, type;
	size_t		 off;

	for (i = 0; i < neids; i++)
		if (eids[i].family == t->family)
			pick[n++] = i;
	memset(&e, 0, sizeof(e));
	if (n && below(2)) {
		e = eids[pick[below((uint32_t)n)]];
		bits = e.family == AF_INET ? 32 : 128;
		for (i = e.plen; i < bits; i++)
			if (below(2))
				e.a[i / 8] |= (uint8_t)(0x80 >> (i % 8));
		if (below(2))
			e.plen = bits;
	} else {
		e.family = t->family == AF_INET || below(2) ? AF_INET :
		    AF_INET6;
		for (i = 0; i < 16; i++)
			e.a[i] = (uint8_t)rnd();
		e.plen = e.family == AF_INET ? 8 * (1 + (int)below(4)) :
		    16 * (2 + (int)below(7));
		if (e.plen > 128)
			e.plen = 128;
	}
	if (!lcaf) {
		put_addr(m, e.family, e.a);
		return e.plen;
	}
	/* IID (2) and AFI-list (1) are parsed, the others refused. */
	type = (int[]){ 1, 2, 2, (int)below(256) }[below(4)];
	if (type == 2)
		put32(&inner, (uint32_t)below(1 << 24));
	put_addr(&inner, e.family, e.a);
	put16(m, AFI_LCAF);
	put8(m, 0);
	put8(m, 0);
	put8(m, (uint8_t)type);
	put8(m, type == 2 ? (below(2) ? 32 : 0) : 0);
	off = m->len;
	put16(m, (uint16_t)inner.len);
	lenfield(m, off);
	put(m, inner.b, inner.len);
	return e.plen;
}

static void
put_record(struct msg *m, const struct target *t, bool lcaf, int nloc)
{
	size_t	mlen_off;
	int	i, plen;

	put32(m, (uint32_t[]){ 1, 15, 1440 }[below(3)]);
	put8(m, (uint8_t)nloc);
	mlen_off = m->len;
	put8(m, 0);
	put16(m, (uint16_t[]){ 0, 1 << 12, 3 << 13 }[below(3)]);
	put16(m, 0);
	plen = put_eid(m, t, lcaf);
	m->b[mlen_off] = (uint8_t)plen;
	for (i = 0; i < nloc; i++) {
		put8(m, 1);
		put8(m, 100);
		put8(m, 255);
		put8(m, 0);
		put16(m, 0x5);
		put_addr(m, t->family, t->me);
	}
}

static void
build_mreq(struct msg *m, const struct target *t, bool lcaf, uint32_t flags)
{
	int	i, nrec = below(4) ? 1 : 2;
	size_t	mlen_off;

	put32(m, 1u << 28 | flags | (uint32_t)nrec);
	put64(m, rnd());
	if (flags & MREQ_S)
		put_eid(m, t, false);		/* the EID that moved */
	else
		put16(m, 0);
	put_addr(m, t->family, t->me);		/* ITR-RLOC: us */
	for (i = 0; i < nrec; i++) {
		put8(m, 0);
		mlen_off = m->len;
		put8(m, 0);
		m->b[mlen_off] = (uint8_t)put_eid(m, t, lcaf);
	}
}

static uint16_t
csum(const uint8_t *p, size_t n, uint32_t s)
{
	size_t	i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void
build_ecm(struct msg *m, const struct target *t, bool lcaf)
{
	struct msg	in = { .len = 0 };
	uint8_t		ps[40];
	size_t		ip_off, udp_off, alen = t->family == AF_INET ? 4 : 16;
	uint16_t	ulen, c;
	uint32_t	s = 0;
	size_t		i;

	build_mreq(&in, t, lcaf, 0);
	ulen = (uint16_t)(8 + in.len);
	put32(m, 8u << 28);
	ip_off = m->len;
	if (t->family == AF_INET) {
		put8(m, 0x45);
		put8(m, 0);
		lenfield(m, m->len);
		put16(m, (uint16_t)(20 + ulen));
		put32(m, 0);
		put8(m, 64);
		put8(m, 17);
		put16(m, 0);
		put(m, t->me, 4);
		put(m, t->ip, 4);
		c = csum(m->b + ip_off, 20, 0);
		m->b[ip_off + 10] = (uint8_t)(c >> 8);
		m->b[ip_off + 11] = (uint8_t)c;
	} else {
		put32(m, 6u << 28);
		lenfield(m, m->len);
		put16(m, ulen);
		put8(m, 17);
		put8(m, 64);
		put(m, t->me, 16);
		put(m, t->ip, 16);
	}
	udp_off = m->len;
	put16(m, (uint16_t)(1024 + below(64512)));
	put16(m, PORT);
	lenfield(m, m->len);
	put16(m, ulen);
	put16(m, 0);
	put(m, in.b, in.len);
	for (i = 0; i < (size_t)in.nlens; i++)
		lenfield(m, udp_off + 8 + in.lens[i]);
	memcpy(ps, t->me, alen);
	memcpy(ps + alen, t->ip, alen);
	for (i = 0; i < 2 * alen; i += 2)
		s += (uint32_t)ps[i] << 8 | ps[i + 1];
	s += 17 + ulen;
	c = csum(m->b + udp_off, ulen, s);
	if (!c)
		c = 0xffff;
	m->b[udp_off + 6] = (uint8_t)(c >> 8);
	m->b[udp_off + 7] = (uint8_t)c;
}

/* Map-Register (3), Map-Notify (4), Map-Notify-Ack (5). */
static void
build_regish(struct msg *m, const struct target *t, bool lcaf, int type)
{
	bool	sha1 = below(2);
	size_t	alen = sha1 ? 12 : 16;

	put32(m, (uint32_t)type << 28 | (type == 3 ? MREG_M : 0) | 1);
	put64(m, rnd());
	put8(m, 0);
	put8(m, sha1 ? 1 : 2);
	lenfield(m, m->len);
	put16(m, (uint16_t)alen);
	putrand(m, alen);	/* as signed with a key nobody has */
	put_record(m, t, lcaf, 1);
}

static void
build(struct msg *m, const struct target *t, int kind, int mut)
{
	bool	lcaf = mut == M_LCAF;

	m->len = 0;
	m->nlens = 0;
	switch (kind) {
	case K_RANDOM:
		putrand(m, below(160));
		break;
	case K_MREQ:
		build_mreq(m, t, lcaf, below(2) ? MREQ_SMR_INV : 0);
		break;
	case K_SMR:
		build_mreq(m, t, lcaf, MREQ_S);
		break;
	case K_PROBE:
		build_mreq(m, t, lcaf, MREQ_P);
		break;
	case K_ECM:
		build_ecm(m, t, lcaf);
		break;
	case K_MREPLY:
		put32(m, 2u << 28 | (below(2) ? 1u << 27 : 0) | 1);
		put64(m, rnd());
		put_record(m, t, lcaf, (int)below(3));
		break;
	case K_MREG:
	case K_MNOTIFY:
	case K_MNACK:
		build_regish(m, t, lcaf, 3 + kind - K_MREG);
		break;
	default:	/* type-N: a first word of that type, a random body */
		put32(m, (uint32_t)(kind - K_TYPE1 + 1) << 28 |
		    (uint32_t)below(1 << 20) << 8 | below(4));
		putrand(m, below(120));
		break;
	}
}

static void
mutate(struct msg *m, int mut)
{
	size_t		o;
	uint16_t	v;
	int		i;

	switch (mut) {
	case M_FLIP:
		for (i = 1 + (int)below(4); m->len && i > 0; i--)
			m->b[below((uint32_t)m->len)] ^= (uint8_t)(1 << below(8));
		break;
	case M_TRUNC:
		m->len = below((uint32_t)m->len);
		break;
	case M_APPEND:
		putrand(m, 1 + below(63));
		break;
	case M_COUNT:
		/* The record count of all but the ECM: past the packet. */
		if (m->len >= 4 && m->b[3] < 255)
			m->b[3] = (uint8_t)(m->b[3] + 1 + below(255u - m->b[3]));
		break;
	case M_LENGTH:
		if (!m->nlens)
			break;
		o = m->lens[below((uint32_t)m->nlens)];
		if (o + 2 > m->len)
			break;
		v = (uint16_t)(m->b[o] << 8 | m->b[o + 1]);
		switch (below(5)) {
		case 0: v = 0; break;
		case 1: v++; break;
		case 2: v = v ? v - 1 : 0; break;
		case 3: v += 200; break;
		default: v = (uint16_t)rnd(); break;
		}
		m->b[o] = (uint8_t)(v >> 8);
		m->b[o + 1] = (uint8_t)v;
		break;
	}
}

/* The target's lispd's count of messages read ("rx"), or -1. */
static int64_t
ctl_rx(const char *path)
{
	static const char	 req[] = "{\"show\":\"statistics\"}\n";
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	static char		 buf[65536];
	size_t			 len = 0;
	ssize_t			 n;
	char			*p;
	int			 fd;

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    write(fd, req, sizeof(req) - 1) != (ssize_t)sizeof(req) - 1) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (len < sizeof(buf) - 1 &&
	    (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	p = strstr(buf, "\"rx\":");
	return p ? strtoll(p + 5, NULL, 10) : -1;
}

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait until lispd read all but window/2 of what went to its socket. */
static void
pace(struct ctl *c, uint64_t window)
{
	int64_t	rx, last = -1;
	double	since = now_s();

	for (;;) {
		rx = ctl_rx(c->path);
		if (rx < 0) {
			fprintf(stderr, "lisp-ctlstorm: %s does not answer\n",
			    c->path);
			exit(1);
		}
		rx -= (int64_t)c->base;
		if ((int64_t)c->sent - rx <= (int64_t)(window / 2))
			return;
		if (rx != last) {
			last = rx;
			since = now_s();
		} else if (now_s() - since > 2) {
			/* Lost to the kernel: not waited for again. */
			stalls++;
			c->base -= (uint64_t)((int64_t)c->sent - rx);
			return;
		}
		usleep(2000);
	}
}

static void
drain(void)
{
	char	buf[2048];
	int	i;

	for (i = 0; i < ntg; i++)
		while (recv(tg[i].fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
			answers++;
}

static void
usage(void)
{
	fprintf(stderr, "usage: lisp-ctlstorm -t HOST[@SOCKET] [-t ...] -n COUNT "
	    "[-s SEED] [-e PREFIX ...] [-p PORT] [-w WINDOW]\n");
	exit(2);
}

static void
add_target(char *arg, uint16_t port)
{
	struct sockaddr_storage	 ss, me;
	socklen_t		 sl;
	struct target		*t;
	char			*at;
	int			 i;

	if (ntg == MAX_TARGETS)
		usage();
	t = &tg[ntg++];
	if ((at = strchr(arg, '@'))) {
		*at = '\0';
		for (i = 0; i < nctl; i++)
			if (!strcmp(ctls[i].path, at + 1))
				t->ctl = &ctls[i];
		if (!t->ctl) {
			t->ctl = &ctls[nctl++];
			t->ctl->path = at + 1;
		}
	}
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, arg, t->ip) == 1) {
		struct sockaddr_in *s = (struct sockaddr_in *)&ss;

		t->family = AF_INET;
		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		memcpy(&s->sin_addr, t->ip, 4);
		sl = sizeof(*s);
	} else if (inet_pton(AF_INET6, arg, t->ip) == 1) {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;

		t->family = AF_INET6;
		s->sin6_family = AF_INET6;
		s->sin6_port = htons(port);
		memcpy(&s->sin6_addr, t->ip, 16);
		sl = sizeof(*s);
	} else {
		fprintf(stderr, "lisp-ctlstorm: %s: not an address\n", arg);
		exit(2);
	}
	t->fd = socket(t->family, SOCK_DGRAM, 0);
	if (t->fd < 0 || connect(t->fd, (struct sockaddr *)&ss, sl)) {
		perror(arg);
		exit(1);
	}
	sl = sizeof(me);
	getsockname(t->fd, (struct sockaddr *)&me, &sl);
	if (t->family == AF_INET)
		memcpy(t->me, &((struct sockaddr_in *)&me)->sin_addr, 4);
	else
		memcpy(t->me, &((struct sockaddr_in6 *)&me)->sin6_addr, 16);
}

static void
add_eid(char *arg)
{
	struct eid	*e;
	char		*slash = strchr(arg, '/');
	int		 bits, i;

	if (neids == MAX_EIDS || !slash)
		usage();
	e = &eids[neids++];
	*slash = '\0';
	e->family = strchr(arg, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(e->family, arg, e->a) != 1)
		usage();
	e->plen = atoi(slash + 1);
	bits = e->family == AF_INET ? 32 : 128;
	if (e->plen < 0 || e->plen > bits)
		usage();
	for (i = e->plen; i < bits; i++)
		e->a[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
}

int
main(int argc, char **argv)
{
	struct msg	 m;
	struct target	*t;
	uint64_t	 count = 0, seed = 4342, window = 160, i, step;
	uint16_t	 port = PORT;
	char		*tgts[MAX_TARGETS];
	int		 ch, nt = 0, kind, mut;
	double		 t0;

	while ((ch = getopt(argc, argv, "t:n:s:e:p:w:")) != -1) {
		switch (ch) {
		case 't':
			if (nt == MAX_TARGETS)
				usage();
			tgts[nt++] = optarg;
			break;
		case 'n':
			count = strtoull(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'e':
			add_eid(optarg);
			break;
		case 'p':
			port = (uint16_t)atoi(optarg);
			break;
		case 'w':
			window = strtoull(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (!nt || !count || optind != argc)
		usage();
	for (ch = 0; ch < nt; ch++)
		add_target(tgts[ch], port);
	rng = seed * 0x9e3779b97f4a7c15ull + 1;
	for (ch = 0; ch < nctl; ch++) {
		int64_t rx = ctl_rx(ctls[ch].path);

		if (rx < 0) {
			fprintf(stderr, "lisp-ctlstorm: %s does not answer\n",
			    ctls[ch].path);
			return 1;
		}
		ctls[ch].base = (uint64_t)rx;
	}
	step = window / 2 ? window / 2 : 1;
	t0 = now_s();
	for (i = 0; i < count; i++) {
		t = &tg[i % (uint64_t)ntg];
		kind = (int)below(K__MAX);
		mut = kind <= K_TYPE8 ? M_NONE : (int)below(M__MAX);
		build(&m, t, kind, mut);
		mutate(&m, mut);
		kcount[kind]++;
		mcount[mut]++;
		while (send(t->fd, m.b, m.len, 0) < 0 &&
		    (errno == EAGAIN || errno == ENOBUFS || errno == EINTR ||
		    errno == ECONNREFUSED))
			;	/* ECONNREFUSED: an earlier one's ICMP */
		t->sent++;
		if (t->ctl)
			t->ctl->sent++;
		if ((i + 1) % step == 0)
			for (ch = 0; ch < nctl; ch++)
				pace(&ctls[ch], window);
		if (i % 256 == 0)
			drain();
	}
	drain();
	for (ch = 0; ch < K__MAX; ch++)
		printf("sent %s %llu\n", knames[ch],
		    (unsigned long long)kcount[ch]);
	for (ch = 0; ch < M__MAX; ch++)
		printf("mutation %s %llu\n", mnames[ch],
		    (unsigned long long)mcount[ch]);
	for (ch = 0; ch < ntg; ch++) {
		char a[INET6_ADDRSTRLEN];

		inet_ntop(tg[ch].family, tg[ch].ip, a, sizeof(a));
		printf("target %s %llu\n", a, (unsigned long long)tg[ch].sent);
	}
	printf("answers %llu\nstalls %llu\nseconds %.1f\ntotal %llu\n",
	    (unsigned long long)answers, (unsigned long long)stalls,
	    now_s() - t0, (unsigned long long)count);
	return 0;
}
