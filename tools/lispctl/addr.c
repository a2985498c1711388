// SPDX-License-Identifier: GPL-2.0
/* Parsing and printing of IPv4/IPv6 addresses and EID prefixes. */
#include <arpa/inet.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "lispctl.h"

size_t lc_addr_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

static bool isdigit_str(const char *s)
{
	if (!*s || strlen(s) > 3)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* An IPv4 or IPv6 address in its usual text form; 0 or -1. */
int lc_addr_parse(const char *s, struct lc_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (strchr(s, ':')) {
		if (inet_pton(AF_INET6, s, &a->v6) != 1)
			return -1;
		a->family = AF_INET6;
		return 0;
	}
	/* inet_pton (unlike inet_aton) only takes the dotted quad. */
	if (inet_pton(AF_INET, s, &a->v4) != 1)
		return -1;
	a->family = AF_INET;
	return 0;
}

/*
 * ADDR or ADDR/PLEN. A bare address is a host prefix (/32 or /128).
 * Bits set beyond the prefix length are refused, like "ip route" does,
 * so that "10.1.2.3/16" is not silently taken for 10.1.0.0/16.
 */
int lc_prefix_parse(const char *s, struct lc_prefix *p, const char **why)
{
	char tmp[LC_PREFIXSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t alen, i;
	uint32_t plen;

	memset(p, 0, sizeof(*p));
	*why = "not an IPv4 or IPv6 prefix";
	if (strlen(s) >= sizeof(tmp))
		return -1;
	strcpy(tmp, s);
	if (slash)
		tmp[slash - s] = '\0';
	if (lc_addr_parse(tmp, &p->addr))
		return -1;
	alen = lc_addr_len(p->addr.family);
	if (slash) {
		if (!isdigit_str(slash + 1) ||
		    lc_parse_u32(slash + 1, alen * 8, &plen)) {
			*why = p->addr.family == AF_INET ?
			       "prefix length must be 0..32" :
			       "prefix length must be 0..128";
			return -1;
		}
		p->plen = plen;
	} else {
		p->plen = alen * 8;
		p->host = true;
	}
	for (i = 0; i < alen; i++) {
		unsigned int bit = i * 8;
		uint8_t mask;

		if (bit >= p->plen)
			mask = 0xff;
		else if (bit + 8 <= p->plen)
			mask = 0;
		else
			mask = 0xff >> (p->plen - bit);
		if (p->addr.b[i] & mask) {
			*why = "address has bits set beyond the prefix length";
			return -1;
		}
	}
	return 0;
}

const char *lc_addr_fmt(const struct lc_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family, a->b, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

const char *lc_prefix_fmt(const struct lc_prefix *p, char *buf, size_t len)
{
	char a[LC_ADDRSTRLEN];

	snprintf(buf, len, "%s/%u", lc_addr_fmt(&p->addr, a, sizeof(a)),
		 p->plen);
	return buf;
}

/* An in_addr / in6_addr attribute; -1 when its length is wrong. */
int lc_addr_from_attr(const struct nlattr *attr, int family,
		      struct lc_addr *a)
{
	size_t alen = lc_addr_len(family);

	memset(a, 0, sizeof(*a));
	if (mnl_attr_get_payload_len(attr) != alen)
		return -1;
	a->family = family;
	memcpy(a->b, mnl_attr_get_payload(attr), alen);
	return 0;
}
