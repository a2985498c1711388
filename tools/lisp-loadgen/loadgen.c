// SPDX-License-Identifier: GPL-2.0
/*
 * lisp-loadgen: load a LISP Map-Server with Map-Registers or
 * Map-Requests from one UDP socket and measure how many it answers.
 *
 * Map-Registers: one per EID, N host EIDs counted up from a base
 * address, one locator, M bit (a Map-Notify is wanted) and P bit
 * (proxy-reply) set, signed with HMAC-SHA-1-96 or HMAC-SHA-256-128 and
 * a fresh nonce each time.  Map-Requests: ECM-encapsulated, one record
 * for a host EID, the ITR-RLOC our own address, the inner UDP source
 * port our socket's port, where the Map-Reply comes back.
 *
 * Every message carries a nonce naming its slot, so each Map-Notify or
 * Map-Reply is matched to what it answers; at most WINDOW are
 * outstanding; one not answered within the timeout is lost.  The rate
 * is answers per second over the run.  Output: one JSON object.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "proto.h"

#define BATCH		64
#define PKT_MAX		1500
#define HIST_US		1000000		/* 1 us buckets up to 1 s */

enum mode { MODE_REGISTER, MODE_REQUEST };

struct slot {
	uint64_t	sent_ns;	/* 0: free */
};

static struct {
	enum mode	 mode;
	struct in_addr	 server, local, eid_base, rloc;
	uint16_t	 port, lport;
	uint32_t	 n;		/* EIDs */
	uint8_t		 alg;
	bool		 full_auth;	/* whole HMAC, as RFC 6833 peers send */
	uint8_t		 key_id;
	const char	*key;
	uint64_t	 count;		/* messages to send; 0: by duration */
	double		 seconds;
	double		 rate;		/* per second; 0: as fast as answered */
	uint32_t	 window;
	double		 timeout;	/* s */
	bool		 proxy;
} opt = {
	.mode = MODE_REGISTER, .port = 4342, .lport = 4342, .n = 100000,
	.alg = LISP_ALG_SHA1_96, .key_id = 1, .key = "benchkey",
	.window = 128, .timeout = 1.0, .proxy = true,
};

static int		 sock = -1;
static struct slot	*slots;		/* one per window position */
static uint32_t		*hist;
static uint64_t		 hist_over;
static uint64_t		 nsent, nanswered, nlost, nstray, nbad, nnegative;
static uint32_t		 outstanding;
static uint64_t		 last_answer_ns;
static uint64_t		 session;	/* high 32 bits of our nonces */
static uint32_t		 perm_step;

static uint64_t
now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
die(const char *what)
{
	fprintf(stderr, "lisp-loadgen: %s\n", what);
	exit(1);
}

/* The k-th EID to use: every one of the N once per N messages. */
static uint32_t
eid_index(uint64_t k)
{
	return (uint32_t)((k % opt.n) * perm_step % opt.n);
}

static struct in_addr
eid_addr(uint32_t i)
{
	struct in_addr	a;

	a.s_addr = htonl(ntohl(opt.eid_base.s_addr) + i);
	return a;
}

static uint32_t
gcd(uint32_t a, uint32_t b)
{
	while (b) {
		uint32_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* ---- messages ---- */

static struct lisp_mapreg	mreg;
static struct lisp_mapreq	mreq;

static size_t
build_register(uint8_t *buf, uint32_t i, uint64_t nonce)
{
	struct in_addr	eid = eid_addr(i);
	int		n, mreg_len;

	mreg.type = LISP_MSG_REGISTER;
	mreg.flags = LISP_MREG_M | (opt.proxy ? LISP_MREG_P : 0);
	mreg.nonce = nonce;
	mreg.key_id = opt.key_id;
	mreg.alg_id = opt.alg;
	mreg.auth_len = (uint16_t)lisp_auth_len(opt.alg, opt.full_auth);
	mreg.nrec = 1;
	mreg.rec[0].ttl = 1440;
	mreg.rec[0].auth = true;	/* the ETR is the authority */
	mreg.rec[0].mlen = 32;
	lisp_addr_ipv4(&mreg.rec[0].eid, &eid);
	mreg.rec[0].nloc = 1;
	mreg.rec[0].loc[0].priority = 1;
	mreg.rec[0].loc[0].weight = 100;
	mreg.rec[0].loc[0].flags = LISP_LOC_L | LISP_LOC_R;
	lisp_addr_ipv4(&mreg.rec[0].loc[0].addr, &opt.rloc);
	n = mreg_len = lisp_mapreg_encode(buf, PKT_MAX, &mreg);
	if (n < 0)
		die(lisp_strerror(-n));
	/* lisp_auth keeps the keyed HMAC context from one to the next. */
	if ((n = lisp_auth_sign(buf, (size_t)n, opt.key, strlen(opt.key))))
		die(lisp_strerror(-n));
	return (size_t)mreg_len;
}

static size_t
build_request(uint8_t *buf, uint32_t i, uint64_t nonce)
{
	static uint8_t	inner[PKT_MAX];
	struct in_addr	eid = eid_addr(i);
	struct lisp_ecm	e;
	int		n;

	mreq.flags = 0;
	mreq.nonce = nonce;
	mreq.seid.afi = LISP_AFI_NONE;
	mreq.nitr = 1;
	lisp_addr_ipv4(&mreq.itr[0], &opt.local);
	mreq.nrec = 1;
	mreq.rec[0].mlen = 32;
	lisp_addr_ipv4(&mreq.rec[0].eid, &eid);
	n = lisp_mapreq_encode(inner, sizeof(inner), &mreq);
	if (n < 0)
		die(lisp_strerror(-n));
	memset(&e, 0, sizeof(e));
	e.ipver = 4;
	e.ttl = 64;
	memcpy(e.src, &opt.local, 4);
	memcpy(e.dst, &eid, 4);
	e.sport = opt.lport;
	e.dport = 4342;
	e.msg = inner;
	e.msg_len = (size_t)n;
	n = lisp_ecm_encode(buf, PKT_MAX, &e);
	if (n < 0)
		die(lisp_strerror(-n));
	return (size_t)n;
}

/* ---- answers ---- */

static void
answered(uint64_t nonce, uint64_t t)
{
	uint32_t	s = (uint32_t)(nonce & 0xfffff);
	uint64_t	us;

	if (nonce >> 48 != session || s >= opt.window ||
	    !slots[s].sent_ns) {
		nstray++;	/* late (already counted lost) or not ours */
		return;
	}
	us = (t - slots[s].sent_ns) / 1000;
	if (us < HIST_US)
		hist[us]++;
	else
		hist_over++;
	slots[s].sent_ns = 0;
	outstanding--;
	nanswered++;
	last_answer_ns = t;
}

static void
input(const uint8_t *buf, size_t len, uint64_t t)
{
	static struct lisp_mapreg	not;
	static struct lisp_mapreply	rep;
	int				type = lisp_msg_type(buf, len);

	/* Only the nonce matters; a full decode checks the answer too. */
	if (opt.mode == MODE_REGISTER && type == LISP_MSG_NOTIFY &&
	    lisp_mapnotify_decode(buf, len, &not) == 0)
		answered(not.nonce, t);
	else if (opt.mode == MODE_REQUEST && type == LISP_MSG_REPLY &&
	    lisp_mapreply_decode(buf, len, &rep) == 0 && rep.nrec == 1) {
		/* A negative answer means the EID was not registered. */
		if (!rep.rec[0].nloc)
			nnegative++;
		answered(rep.nonce, t);
	} else
		nbad++;
}

static void
receive(void)
{
	static uint8_t		bufs[BATCH][PKT_MAX];
	struct mmsghdr		msgs[BATCH];
	struct iovec		iov[BATCH];
	uint64_t		t;
	int			i, n;

	for (;;) {
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = PKT_MAX;
			memset(&msgs[i], 0, sizeof(msgs[i]));
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(sock, msgs, BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return;
		t = now_ns();
		for (i = 0; i < n; i++)
			input(bufs[i], msgs[i].msg_len, t);
	}
}

/* Free the slots whose answer is overdue. */
static void
expire(uint64_t t)
{
	static uint32_t	next;
	uint64_t	limit = (uint64_t)(opt.timeout * 1e9);
	uint32_t	k;

	/* A slice of the window each call: cheap, and all of it soon. */
	for (k = 0; k < 64 && k < opt.window; k++, next++) {
		struct slot *s = &slots[next % opt.window];

		if (s->sent_ns && t - s->sent_ns > limit) {
			s->sent_ns = 0;
			outstanding--;
			nlost++;
		}
	}
}

/* ---- the run ---- */

static uint32_t	free_hint;

static int
free_slot(void)
{
	uint32_t	k;

	for (k = 0; k < opt.window; k++, free_hint++)
		if (!slots[free_hint % opt.window].sent_ns)
			return (int)(free_hint++ % opt.window);
	return -1;
}

static void
run(void)
{
	static uint8_t		bufs[BATCH][PKT_MAX];
	struct sockaddr_in	to = { .sin_family = AF_INET };
	struct mmsghdr		msgs[BATCH];
	struct iovec		iov[BATCH];
	int			slot_of[BATCH];
	uint64_t		start = now_ns(), t, end_ns, allowed;
	uint64_t		drain_until = 0;
	struct pollfd		pfd = { .fd = sock, .events = POLLIN };
	int			i, n, s;

	to.sin_addr = opt.server;
	to.sin_port = htons(opt.port);
	end_ns = start + (uint64_t)(opt.seconds * 1e9);
	for (;;) {
		t = now_ns();
		receive();
		expire(t);
		bool done = opt.count ? nsent >= opt.count : t >= end_ns;

		if (done) {
			if (!drain_until)
				drain_until = t + (uint64_t)(opt.timeout * 1e9);
			if (!outstanding || t >= drain_until)
				break;
			poll(&pfd, 1, 1);
			continue;
		}
		allowed = opt.rate > 0 ?
		    (uint64_t)((double)(t - start) * opt.rate / 1e9) + 1 :
		    UINT64_MAX;
		for (n = 0; n < BATCH && outstanding < opt.window &&
		    nsent + (uint64_t)n < allowed &&
		    (!opt.count || nsent + (uint64_t)n < opt.count); n++) {
			uint32_t eid = eid_index(nsent + (uint64_t)n);
			uint64_t nonce;

			if ((s = free_slot()) < 0)
				break;
			/* Unique per message: a Map-Server drops replays. */
			nonce = session << 48 |
			    ((nsent + (uint64_t)n) & 0xfffffff) << 20 |
			    (uint32_t)s;
			slot_of[n] = s;
			iov[n].iov_base = bufs[n];
			iov[n].iov_len = opt.mode == MODE_REGISTER ?
			    build_register(bufs[n], eid, nonce) :
			    build_request(bufs[n], eid, nonce);
			memset(&msgs[n], 0, sizeof(msgs[n]));
			msgs[n].msg_hdr.msg_name = &to;
			msgs[n].msg_hdr.msg_namelen = sizeof(to);
			msgs[n].msg_hdr.msg_iov = &iov[n];
			msgs[n].msg_hdr.msg_iovlen = 1;
			slots[s].sent_ns = now_ns();
			outstanding++;
		}
		if (n) {
			i = sendmmsg(sock, msgs, (unsigned int)n, 0);
			if (i < 0)
				i = 0;
			/* Not sent: give the slots back. */
			for (s = i; s < n; s++) {
				slots[slot_of[s]].sent_ns = 0;
				outstanding--;
			}
			nsent += (uint64_t)i;
			if (i < n)
				poll(&pfd, 1, 1);
		} else
			poll(&pfd, 1, outstanding >= opt.window ? 1 : 0);
	}
	t = now_ns();
	{
		/* Up to the last answer: waiting for lost ones is not work. */
		double	secs = (double)((last_answer_ns ? last_answer_ns :
			    t) - start) / 1e9;
		double	pct[4] = { 50, 90, 99, 99.9 };
		uint64_t acc = 0, want;
		int	 p = 0;
		long	 us;

		printf("{\"mode\": \"%s\", \"eids\": %u, \"sent\": %llu, "
		    "\"answered\": %llu, \"lost\": %llu, \"timeouts\": %llu, "
		    "\"negative\": %llu, \"stray\": %llu, "
		    "\"other\": %llu, \"seconds\": %.3f, \"rate\": %.0f, "
		    "\"loss\": %.6f",
		    opt.mode == MODE_REGISTER ? "register" : "request", opt.n,
		    (unsigned long long)nsent, (unsigned long long)nanswered,
		    (unsigned long long)(nsent - nanswered),
		    (unsigned long long)nlost, (unsigned long long)nnegative,
		    (unsigned long long)nstray, (unsigned long long)nbad,
		    secs, (double)nanswered / secs,
		    nsent ? (double)(nsent - nanswered) / (double)nsent : 0);
		for (us = 0; us < HIST_US && p < 4; us++) {
			acc += hist[us];
			want = (uint64_t)((double)nanswered * pct[p] / 100.0);
			while (p < 4 && nanswered && acc >= want && acc) {
				printf(", \"p%g_us\": %ld", pct[p], us);
				p++;
				if (p < 4)
					want = (uint64_t)((double)nanswered *
					    pct[p] / 100.0);
			}
		}
		for (; p < 4; p++)
			printf(", \"p%g_us\": null", pct[p]);
		printf("}\n");
	}
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: lisp-loadgen -s SERVER -l LOCAL [-m register|request]\n"
	    "       [-n EIDS] [-e EID-BASE] [-R RLOC] [-a sha1|sha256] [-F]\n"
	    "       [-k KEY] [-K KEY-ID] [-c COUNT | -t SECONDS] [-r RATE]\n"
	    "       [-w WINDOW] [-T TIMEOUT] [-p PORT] [-L LOCAL-PORT] [-N]\n");
	exit(2);
}

static void
addr_opt(const char *s, struct in_addr *a)
{
	if (inet_pton(AF_INET, s, a) != 1)
		die("not an IPv4 address");
}

int
main(int argc, char **argv)
{
	struct sockaddr_in	sin = { .sin_family = AF_INET };
	int			ch, one = 1, buf = 4 << 20;
	uint32_t		r;

	addr_opt("10.0.0.1", &opt.eid_base);
	addr_opt("0.0.0.0", &opt.rloc);
	opt.seconds = 5;
	while ((ch = getopt(argc, argv, "s:l:m:n:e:R:a:Fk:K:c:t:r:w:T:p:L:N"))
	    != -1) {
		switch (ch) {
		case 's': addr_opt(optarg, &opt.server); break;
		case 'l': addr_opt(optarg, &opt.local); break;
		case 'm':
			if (!strcmp(optarg, "register"))
				opt.mode = MODE_REGISTER;
			else if (!strcmp(optarg, "request"))
				opt.mode = MODE_REQUEST;
			else
				usage();
			break;
		case 'n': opt.n = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'e': addr_opt(optarg, &opt.eid_base); break;
		case 'R': addr_opt(optarg, &opt.rloc); break;
		case 'a':
			if (!strcmp(optarg, "sha1"))
				opt.alg = LISP_ALG_SHA1_96;
			else if (!strcmp(optarg, "sha256"))
				opt.alg = LISP_ALG_SHA256_128;
			else
				usage();
			break;
		case 'F': opt.full_auth = true; break;
		case 'k': opt.key = optarg; break;
		case 'K': opt.key_id = (uint8_t)atoi(optarg); break;
		case 'c': opt.count = strtoull(optarg, NULL, 0); break;
		case 't': opt.seconds = atof(optarg); break;
		case 'r': opt.rate = atof(optarg); break;
		case 'w': opt.window = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'T': opt.timeout = atof(optarg); break;
		case 'p': opt.port = (uint16_t)atoi(optarg); break;
		case 'L': opt.lport = (uint16_t)atoi(optarg); break;
		case 'N': opt.proxy = false; break;
		default: usage();
		}
	}
	if (!opt.server.s_addr || !opt.local.s_addr || !opt.n ||
	    !opt.window || opt.window > 1u << 20)
		usage();
	if (!opt.rloc.s_addr)
		opt.rloc = opt.local;
	/* A step coprime with N visits every EID in a scattered order. */
	for (perm_step = 40503; gcd(perm_step % opt.n ? perm_step % opt.n :
	    1, opt.n) != 1; perm_step++)
		;
	if (opt.n == 1)
		perm_step = 1;
	while (getrandom(&r, sizeof(r), 0) != sizeof(r))
		;
	session = (r & 0xffff) | 1;
	if (!(slots = calloc(opt.window, sizeof(*slots))) ||
	    !(hist = calloc(HIST_US, sizeof(*hist))))
		die("out of memory");

	sock = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (sock < 0)
		die("socket");
	setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	setsockopt(sock, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	sin.sin_addr = opt.local;
	sin.sin_port = htons(opt.lport);
	if (bind(sock, (struct sockaddr *)&sin, sizeof(sin)))
		die(strerror(errno));
	run();
	return 0;
}
