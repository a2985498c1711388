/* SPDX-License-Identifier: MIT */
/*
 * Addresses and EID prefixes, and their conversion to and from the
 * codec's struct lisp_addr.  An EID prefix always carries its
 * instance-id: 0 is the default instance and goes on the wire as a
 * plain AFI, any other as an IID LCAF (RFC 8060 4.1).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <netinet/in.h>
#include <linux/lisp.h>

#include "addr.h"
#include "proto.h"

int
addr_bits(uint8_t family)
{
	return family == AF_INET ? 32 : family == AF_INET6 ? 128 : 0;
}

size_t
addr_len(uint8_t family)
{
	return (size_t)addr_bits(family) / 8;
}

int
addr_parse(const char *s, struct laddr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->a) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, a->a) == 1)
		a->family = AF_INET6;
	else
		return -1;
	return 0;
}

const char *
addr_fmt(const struct laddr *a, char *buf, size_t len)
{
	if (!a->family || !inet_ntop(a->family, a->a, buf, len))
		snprintf(buf, len, "none");
	return buf;
}

bool
addr_eq(const struct laddr *x, const struct laddr *y)
{
	return x->family == y->family &&
	    !memcmp(x->a, y->a, x->family == AF_INET ? 4 : 16);
}

/* Byte at a time: a Map-Server masks every EID it is sent. */
void
prefix_mask(struct prefix *p)
{
	int	i = p->plen / 8;

	if (i < 16 && p->plen % 8)
		p->a[i++] &= (uint8_t)(0xff00 >> (p->plen % 8));
	if (i < 16)
		memset(p->a + i, 0, (size_t)(16 - i));
}

int
prefix_parse(const char *s, struct prefix *p, const char **why)
{
	char		 buf[PREFIXSTRLEN], *slash, *end, *a = buf;
	struct laddr	 la;
	unsigned long	 v;

	memset(p, 0, sizeof(*p));
	if (strlen(s) >= sizeof(buf)) {
		*why = "too long";
		return -1;
	}
	strcpy(buf, s);
	if (buf[0] == '[') {
		errno = 0;
		v = strtoul(buf + 1, &end, 0);
		if (errno || end == buf + 1 || *end != ']' ||
		    v > LISP_IID_MAX) {
			*why = "bad instance-id in [IID] (0 to 16777215)";
			return -1;
		}
		p->iid = (uint32_t)v;
		a = end + 1;
	}
	slash = strchr(a, '/');
	if (slash)
		*slash = '\0';
	if (addr_parse(a, &la)) {
		*why = "not an IPv4 or IPv6 address";
		return -1;
	}
	p->family = la.family;
	memcpy(p->a, la.a, 16);
	p->plen = (uint8_t)addr_bits(la.family);
	if (slash) {
		/* Digits only: no sign, space or hex ("/0x8", "/+8"). */
		v = strspn(slash + 1, "0123456789");
		if (!v || v > 3 || slash[1 + v] ||
		    strtoul(slash + 1, NULL, 10) >
		    (unsigned long)addr_bits(la.family)) {
			*why = la.family == AF_INET ?
			    "bad prefix length (0..32)" :
			    "bad prefix length (0..128)";
			return -1;
		}
		p->plen = (uint8_t)strtoul(slash + 1, NULL, 10);
	}
	{
		struct prefix m = *p;

		prefix_mask(&m);
		if (memcmp(m.a, p->a, 16)) {
			*why = "address has bits set past the prefix length";
			return -1;
		}
	}
	return 0;
}

const char *
prefix_fmt(const struct prefix *p, char *buf, size_t len)
{
	struct laddr	a = { .family = p->family };
	char		s[ADDRSTRLEN];

	memcpy(a.a, p->a, 16);
	if (p->iid)
		snprintf(buf, len, "[%u]%s/%u", p->iid, addr_fmt(&a, s,
		    sizeof(s)), p->plen);
	else
		snprintf(buf, len, "%s/%u", addr_fmt(&a, s, sizeof(s)), p->plen);
	return buf;
}

bool
prefix_eq(const struct prefix *x, const struct prefix *y)
{
	return x->iid == y->iid && x->family == y->family &&
	    x->plen == y->plen && !memcmp(x->a, y->a, 16);
}

/* Do the first n bits of x and y agree? */
static bool
bits_eq(const uint8_t *x, const uint8_t *y, int n)
{
	int	full = n / 8, rest = n % 8;

	if (memcmp(x, y, (size_t)full))
		return false;
	if (!rest)
		return true;
	return !((x[full] ^ y[full]) & (uint8_t)(0xff00 >> rest));
}

bool
prefix_covers(const struct prefix *outer, const struct prefix *inner)
{
	return outer->iid == inner->iid && outer->family == inner->family &&
	    outer->plen <= inner->plen &&
	    bits_eq(outer->a, inner->a, outer->plen);
}

bool
prefix_overlap(const struct prefix *x, const struct prefix *y)
{
	return prefix_covers(x, y) || prefix_covers(y, x);
}

void
prefix_addr(const struct prefix *p, struct laddr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = p->family;
	memcpy(a->a, p->a, addr_len(p->family));
}

void
prefix_host(struct prefix *p, uint32_t iid, const struct laddr *a)
{
	memset(p, 0, sizeof(*p));
	p->iid = iid;
	p->family = a->family;
	p->plen = (uint8_t)addr_bits(a->family);
	memcpy(p->a, a->a, 16);
}

static void
ip_to_lisp(uint8_t family, const uint8_t *a, struct lisp_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	ip->afi = family == AF_INET ? LISP_AFI_IPV4 : LISP_AFI_IPV6;
	memcpy(ip->addr, a, family == AF_INET ? 4 : 16);
}

void
prefix_to_lisp(const struct prefix *p, struct lisp_addr *l)
{
	struct lisp_ip	ip;

	memset(l, 0, sizeof(*l));
	ip_to_lisp(p->family, p->a, &ip);
	if (p->iid)
		lisp_addr_iid(l, p->iid, 32, &ip);
	else if (p->family == AF_INET)
		lisp_addr_ipv4(l, p->a);
	else
		lisp_addr_ipv6(l, p->a);
}

/* Only plain IPv4/IPv6 or an IID LCAF around one is an EID we serve. */
int
prefix_from_lisp(const struct lisp_addr *l, uint8_t mlen, struct prefix *p)
{
	const struct lisp_ip *ip = &l->ip;

	memset(p, 0, sizeof(*p));
	if (l->afi == LISP_AFI_LCAF) {
		if (l->lcaf != LISP_LCAF_IID)
			return -1;
		p->iid = l->iid;
	} else if (l->afi != LISP_AFI_IPV4 && l->afi != LISP_AFI_IPV6)
		return -1;
	if (ip->afi == LISP_AFI_IPV4)
		p->family = AF_INET;
	else if (ip->afi == LISP_AFI_IPV6)
		p->family = AF_INET6;
	else
		return -1;
	memcpy(p->a, ip->addr, p->family == AF_INET ? 4 : 16);
	if (mlen > addr_bits(p->family))
		return -1;
	p->plen = mlen;
	prefix_mask(p);
	return 0;
}

void
laddr_to_lisp(const struct laddr *a, struct lisp_addr *l)
{
	memset(l, 0, sizeof(*l));
	if (a->family == AF_INET)
		lisp_addr_ipv4(l, a->a);
	else if (a->family == AF_INET6)
		lisp_addr_ipv6(l, a->a);
}

/* A locator or ITR-RLOC: plain IPv4/IPv6 only. */
int
laddr_from_lisp(const struct lisp_addr *l, struct laddr *a)
{
	memset(a, 0, sizeof(*a));
	if (l->afi == LISP_AFI_IPV4) {
		a->family = AF_INET;
		memcpy(a->a, l->ip.addr, 4);
	} else if (l->afi == LISP_AFI_IPV6) {
		a->family = AF_INET6;
		memcpy(a->a, l->ip.addr, 16);
	} else
		return -1;
	return 0;
}

socklen_t
laddr_sockaddr(const struct laddr *a, uint16_t port,
    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a->a, 4);
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, a->a, 16);
		return sizeof(*sin6);
	}
}

/* IPv4-mapped IPv6 sources come back as IPv4. */
int
laddr_from_sockaddr(const struct sockaddr *sa, struct laddr *a,
    uint16_t *port)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)sa;

		a->family = AF_INET;
		memcpy(a->a, &sin->sin_addr, 4);
		*port = ntohs(sin->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		*port = ntohs(sin6->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			a->family = AF_INET;
			memcpy(a->a, &sin6->sin6_addr.s6_addr[12], 4);
		} else {
			a->family = AF_INET6;
			memcpy(a->a, &sin6->sin6_addr, 16);
		}
	} else
		return -1;
	return 0;
}

/* Nonces must not be guessable: an off-path reply could poison the cache. */
uint64_t
nonce_new(void)
{
	uint64_t	n = 0;

	while (getrandom(&n, sizeof(n), 0) != sizeof(n) || n == 0)
		;
	return n;
}
