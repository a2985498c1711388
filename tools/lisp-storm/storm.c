// SPDX-License-Identifier: GPL-2.0
/*
 * lisp-storm: a flood of malformed and mutated LISP data packets, for the
 * attack selftests.  Each packet is of one kind, drawn from a seeded
 * generator, and every kind but "garbage" is one the receiving xTR must
 * drop under a known counter:
 *
 *   truncated    UDP payload shorter than a LISP header     rx-truncated
 *   bad-flags    N and V bits both set                      rx-bad-flags
 *   encrypted    KK bits set (LISP-crypto)                  rx-encrypted
 *   unknown-iid  I bit, an instance-id no device has        rx-unknown-iid
 *   bad-version  inner version neither 4 nor 6              rx-bad-inner
 *   short-inner  inner IPv4/IPv6 header cut short or IHL<5  rx-bad-inner
 *   not-ours     inner destination outside the database     rx-not-ours
 *   ecn          outer CE, inner Not-ECT, destination ours  rx-ecn-drop
 *   garbage      random header and random inner bytes       any, or delivered
 *
 * The packets go from one UDP socket (two: the ecn kind's sets the outer
 * TOS/traffic class to CE) with sendmmsg.  Output: one JSON object with
 * the number sent of each kind.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>

#define BATCH		64
#define PKT_MAX		256

enum kind {
	K_TRUNCATED, K_BAD_FLAGS, K_ENCRYPTED, K_UNKNOWN_IID, K_BAD_VERSION,
	K_SHORT_INNER, K_NOT_OURS, K_ECN, K_GARBAGE, K_MAX
};

static const char *const kind_name[K_MAX] = {
	"truncated", "bad-flags", "encrypted", "unknown-iid", "bad-version",
	"short-inner", "not-ours", "ecn", "garbage",
};

/* A prefix of the receiver's database: inner destinations that are ours. */
struct prefix {
	int family;
	uint8_t addr[16];
	unsigned int len;
};

static struct {
	struct sockaddr_storage dst;
	socklen_t dstlen;
	unsigned long count;
	uint64_t seed;
	uint32_t iid;		/* the receiver's instance-id */
	struct prefix db[8];
	unsigned int ndb;
} opt = { .count = 1000, .seed = 1 };

static uint64_t rng_state;

/* splitmix64: small, seedable, good enough to mutate packets with. */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd_below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

static void rnd_bytes(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = (uint8_t)rnd();
}

static bool prefix_covers(const struct prefix *p, int family, const uint8_t *a)
{
	unsigned int full = p->len / 8, rest = p->len % 8;

	if (p->family != family || memcmp(p->addr, a, full))
		return false;
	return !rest || !((p->addr[full] ^ a[full]) & (0xff << (8 - rest)));
}

static bool in_db(int family, const uint8_t *a)
{
	unsigned int i;

	for (i = 0; i < opt.ndb; i++)
		if (prefix_covers(&opt.db[i], family, a))
			return true;
	return false;
}

/* An address of @family inside (@ours) or outside the database. */
static void pick_addr(int family, bool ours, uint8_t *a)
{
	size_t alen = family == AF_INET ? 4 : 16;
	unsigned int tries, i;

	for (tries = 0; tries < 1000; tries++) {
		rnd_bytes(a, alen);
		if (ours) {
			const struct prefix *p = NULL;

			for (i = 0; i < opt.ndb; i++)
				if (opt.db[i].family == family)
					p = &opt.db[i];
			if (!p)
				return;
			/* Keep the random host part, take the prefix. */
			for (i = 0; i < p->len; i++) {
				uint8_t bit = 0x80 >> (i % 8);

				a[i / 8] = (a[i / 8] & ~bit) | (p->addr[i / 8] & bit);
			}
			return;
		}
		if (!in_db(family, a))
			return;
	}
}

/* An IPv4 or IPv6 header, @len bytes in all, to @daddr. */
static size_t inner_header(uint8_t *p, int family, const uint8_t *daddr,
			   size_t len, uint8_t tos)
{
	if (family == AF_INET) {
		struct iphdr *iph = (struct iphdr *)p;

		memset(iph, 0, sizeof(*iph));
		iph->version = 4;
		iph->ihl = 5;
		iph->tos = tos;
		iph->tot_len = htons((uint16_t)len);
		iph->ttl = 64;
		iph->protocol = (uint8_t)rnd();
		rnd_bytes((uint8_t *)&iph->saddr, 4);
		memcpy(&iph->daddr, daddr, 4);
		return sizeof(*iph);
	}
	memset(p, 0, 40);
	p[0] = 0x60 | (tos >> 4);
	p[1] = (uint8_t)(tos << 4);
	p[4] = (uint8_t)((len - 40) >> 8);
	p[5] = (uint8_t)(len - 40);
	p[6] = (uint8_t)rnd();
	p[7] = 64;
	rnd_bytes(p + 8, 16);
	memcpy(p + 24, daddr, 16);
	return 40;
}

static uint32_t other_iid(void)
{
	uint32_t iid;

	do
		iid = rnd_below(1 << 24);
	while (iid == opt.iid);
	return iid;
}

static void lisp_header(uint8_t *p, uint8_t flags, uint32_t iid)
{
	p[0] = flags;
	rnd_bytes(p + 1, 3);
	if (flags & 0x08) {
		p[4] = (uint8_t)(iid >> 16);
		p[5] = (uint8_t)(iid >> 8);
		p[6] = (uint8_t)iid;
		p[7] = (uint8_t)rnd();
	} else {
		memset(p + 4, 0, 4);
	}
}

/* The flags of a well-formed header for the receiver's instance-id. */
static uint8_t good_flags(void)
{
	uint8_t f = (uint8_t)(rnd() & 0xc4);	/* N, L, R: harmless */

	if (f & 0x80)
		f &= (uint8_t)~0x10;
	return opt.iid ? f | 0x08 : f & (uint8_t)~0x08;
}

/* One packet of kind @k into @p; returns its length. */
static size_t build(enum kind k, uint8_t *p)
{
	int family = rnd() & 1 ? AF_INET6 : AF_INET;
	uint8_t daddr[16];
	size_t len, hl;

	switch (k) {
	case K_TRUNCATED:
		len = rnd_below(9);
		rnd_bytes(p, len);
		return len;
	case K_BAD_FLAGS:
		lisp_header(p, (uint8_t)(0x90 | (rnd() & 0x6c)), opt.iid);
		break;
	case K_ENCRYPTED:
		lisp_header(p, (uint8_t)((rnd() & 0x6c) | (1 + rnd_below(3))),
			    opt.iid);
		break;
	case K_UNKNOWN_IID:
		lisp_header(p, (uint8_t)((rnd() & 0x44) | 0x08), other_iid());
		break;
	default:
		lisp_header(p, good_flags(), opt.iid);
		break;
	}

	switch (k) {
	case K_BAD_VERSION: {
		static const uint8_t bad[] = { 0, 1, 2, 3, 5, 7, 8, 9, 10, 11,
					       12, 13, 14, 15 };

		len = 8 + 1 + rnd_below(60);
		rnd_bytes(p + 8, len - 8);
		p[8] = (uint8_t)((p[8] & 0x0f) | (bad[rnd_below(14)] << 4));
		return len;
	}
	case K_SHORT_INNER:
		if (family == AF_INET && rnd() & 1) {
			/* A whole header with IHL < 5. */
			pick_addr(AF_INET, true, daddr);
			inner_header(p + 8, AF_INET, daddr, 40, 0);
			p[8] = (uint8_t)(0x40 | rnd_below(5));
			return 8 + 40;
		}
		len = 1 + rnd_below(family == AF_INET ? 19 : 39);
		rnd_bytes(p + 8, len);
		p[8] = (uint8_t)((family == AF_INET ? 0x40 : 0x60) | (p[8] & 0x0f));
		if (family == AF_INET && len > 1)
			p[8] = 0x45;
		return 8 + len;
	case K_NOT_OURS:
		pick_addr(family, false, daddr);
		len = (family == AF_INET ? 20 : 40) + rnd_below(64);
		hl = inner_header(p + 8, family, daddr, len, 0);
		rnd_bytes(p + 8 + hl, len - hl);
		return 8 + len;
	case K_ECN:
		pick_addr(family, true, daddr);
		len = (family == AF_INET ? 20 : 40) + rnd_below(64);
		hl = inner_header(p + 8, family, daddr, len,
				  (uint8_t)(rnd() & 0xfc));	/* Not-ECT */
		rnd_bytes(p + 8 + hl, len - hl);
		return 8 + len;
	case K_GARBAGE:
		len = rnd_below(PKT_MAX);
		rnd_bytes(p, len);
		return len;
	default:
		len = 8 + rnd_below(64);
		rnd_bytes(p + 8, len - 8);
		return len;
	}
}

static int parse_prefix(const char *s, struct prefix *p)
{
	char buf[64], *slash;
	unsigned long len;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		return -1;
	*slash++ = '\0';
	len = strtoul(slash, NULL, 10);
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, buf, p->addr) == 1 && len <= 32)
		p->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, p->addr) == 1 && len <= 128)
		p->family = AF_INET6;
	else
		return -1;
	p->len = (unsigned int)len;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lisp-storm -d ADDR [-p PORT] [-n COUNT] [-s SEED] [-i IID]\n"
		"                  [-D PREFIX]...\n"
		"  -d ADDR    the xTR (IPv4 or IPv6) to flood\n"
		"  -p PORT    its data port (4341)\n"
		"  -n COUNT   packets to send (1000)\n"
		"  -s SEED    generator seed (1): the same seed, the same packets\n"
		"  -i IID     the instance-id the receiver serves (0)\n"
		"  -D PREFIX  a prefix of the receiver's database (repeatable)\n");
}

static int open_sock(int family, bool ce)
{
	int fd = socket(family, SOCK_DGRAM, 0), v = 3;

	if (fd < 0)
		return -1;
	if (ce && (family == AF_INET ?
		   setsockopt(fd, IPPROTO_IP, IP_TOS, &v, sizeof(v)) :
		   setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &v, sizeof(v)))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int flush(int fd, struct mmsghdr *m, unsigned int n)
{
	unsigned int done = 0;

	while (done < n) {
		int r = sendmmsg(fd, m + done, n - done, 0);

		if (r < 0) {
			if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN)
				continue;
			/* An ICMP error of an earlier packet: go on. */
			if (errno == ECONNREFUSED || errno == EHOSTUNREACH)
				continue;
			return -1;
		}
		done += (unsigned int)r;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static uint8_t pkts[2][BATCH][PKT_MAX];
	static struct mmsghdr msgs[2][BATCH];
	static struct iovec iov[2][BATCH];
	unsigned long sent[K_MAX] = { 0 }, i;
	unsigned int nb[2] = { 0, 0 }, k;
	const char *dst = NULL;
	uint16_t port = 4341;
	int c, fds[2], family;

	while ((c = getopt(argc, argv, "d:p:n:s:i:D:h")) != -1) {
		switch (c) {
		case 'd':
			dst = optarg;
			break;
		case 'p':
			port = (uint16_t)strtoul(optarg, NULL, 10);
			break;
		case 'n':
			opt.count = strtoul(optarg, NULL, 10);
			break;
		case 's':
			opt.seed = strtoull(optarg, NULL, 10);
			break;
		case 'i':
			opt.iid = (uint32_t)strtoul(optarg, NULL, 10) & 0xffffff;
			break;
		case 'D':
			if (opt.ndb == sizeof(opt.db) / sizeof(opt.db[0]) ||
			    parse_prefix(optarg, &opt.db[opt.ndb])) {
				fprintf(stderr, "lisp-storm: bad prefix %s\n", optarg);
				return 2;
			}
			opt.ndb++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!dst) {
		usage(stderr);
		return 2;
	}
	memset(&opt.dst, 0, sizeof(opt.dst));
	if (inet_pton(AF_INET, dst, &((struct sockaddr_in *)&opt.dst)->sin_addr) == 1) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&opt.dst;

		family = sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		opt.dstlen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, dst,
			     &((struct sockaddr_in6 *)&opt.dst)->sin6_addr) == 1) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&opt.dst;

		family = sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		opt.dstlen = sizeof(*sin6);
	} else {
		fprintf(stderr, "lisp-storm: bad address %s\n", dst);
		return 2;
	}
	fds[0] = open_sock(family, false);
	fds[1] = open_sock(family, true);
	if (fds[0] < 0 || fds[1] < 0) {
		perror("lisp-storm: socket");
		return 1;
	}
	rng_state = opt.seed;

	for (i = 0; i < opt.count; i++) {
		enum kind kd = (enum kind)rnd_below(K_MAX);
		unsigned int s = kd == K_ECN;	/* the CE socket */
		unsigned int j = nb[s]++;

		iov[s][j].iov_base = pkts[s][j];
		iov[s][j].iov_len = build(kd, pkts[s][j]);
		memset(&msgs[s][j], 0, sizeof(msgs[s][j]));
		msgs[s][j].msg_hdr.msg_name = &opt.dst;
		msgs[s][j].msg_hdr.msg_namelen = opt.dstlen;
		msgs[s][j].msg_hdr.msg_iov = &iov[s][j];
		msgs[s][j].msg_hdr.msg_iovlen = 1;
		sent[kd]++;
		if (nb[s] == BATCH) {
			if (flush(fds[s], msgs[s], nb[s]))
				goto fail;
			nb[s] = 0;
		}
	}
	for (k = 0; k < 2; k++)
		if (nb[k] && flush(fds[k], msgs[k], nb[k]))
			goto fail;

	printf("{\"sent\":%lu", opt.count);
	for (k = 0; k < K_MAX; k++)
		printf(",\"%s\":%lu", kind_name[k], sent[k]);
	printf("}\n");
	return 0;
fail:
	perror("lisp-storm: sendmmsg");
	return 1;
}
