/* SPDX-License-Identifier: MIT */
/*
 * The family's attributes as the spec (lisp.yaml) gives them: type,
 * length and a short name.  Every message is checked against these
 * before any decoder reads a field, so a short or oversized attribute
 * is refused with its name rather than read past its end.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "attr.h"

/* Names as lispctl has always printed them in "attribute ..." errors. */
const struct lnl_policy lnl_top_policy[LISP_A_MAX + 1] = {
	[LISP_A_IFINDEX]	= { LNL_U32, 0, "ifindex" },
	[LISP_A_IFNAME]		= { LNL_STR, IFNAMSIZ, "ifname" },
	[LISP_A_IID]		= { LNL_U32, 0, "iid" },
	[LISP_A_EID_INET]	= { LNL_BIN, 4, "eid" },
	[LISP_A_EID_INET6]	= { LNL_BIN, 16, "eid6" },
	[LISP_A_EID_PLEN]	= { LNL_U8, 0, "plen" },
	[LISP_A_SEID_INET]	= { LNL_BIN, 4, "seid" },
	[LISP_A_SEID_INET6]	= { LNL_BIN, 16, "seid6" },
	[LISP_A_ACTION]		= { LNL_U8, 0, "action" },
	[LISP_A_TTL]		= { LNL_U32, 0, "ttl" },
	[LISP_A_FLAGS]		= { LNL_U32, 0, "flags" },
	[LISP_A_RLOCS]		= { LNL_NEST, 0, "rlocs" },
	[LISP_A_PACKETS]	= { LNL_U64, 0, "packets" },
	[LISP_A_BYTES]		= { LNL_U64, 0, "bytes" },
	[LISP_A_IDLE_MS]	= { LNL_U64, 0, "idle-ms" },
	[LISP_A_AGE]		= { LNL_U32, 0, "age" },
	[LISP_A_LOOKUP]		= { LNL_FLAG, 0, "lookup" },
	[LISP_A_STATS]		= { LNL_NEST, 0, "stats" },
	[LISP_A_DYN_NAME]	= { LNL_STR, LNL_NAME_MAX, "dyn-name" },
	[LISP_A_DYN_IFINDEXES]	= { LNL_NEST, 0, "dyn-ifindexes" },
	[LISP_A_DYN_TIMEOUT]	= { LNL_U32, 0, "dyn-timeout" },
	[LISP_A_DYN_HOSTS]	= { LNL_U32, 0, "dyn-hosts" },
	[LISP_A_MAC]		= { LNL_BIN, 6, "mac" },
	[LISP_A_DETECT]		= { LNL_U8, 0, "detect" },
	[LISP_A_SRLOC_INET]	= { LNL_BIN, 4, "srloc" },
	[LISP_A_SRLOC_INET6]	= { LNL_BIN, 16, "srloc6" },
	[LISP_A_DYN_DETECTED]	= { LNL_U64, 0, "dyn-detected" },
	[LISP_A_DYN_GONE]	= { LNL_U64, 0, "dyn-gone" },
	[LISP_A_DYN_PROBES]	= { LNL_U64, 0, "dyn-probes" },
	[LISP_A_DYN_IGNORED]	= { LNL_U64, 0, "dyn-ignored" },
	[LISP_A_DYN_OVERFLOW]	= { LNL_U64, 0, "dyn-overflow" },
	[LISP_A_DYN_RATELIMITED_IF] = { LNL_U64, 0, "dyn-ratelimited-if" },
	[LISP_A_DYN_RATELIMITED_HOST] = { LNL_U64, 0, "dyn-ratelimited-host" },
	[LISP_A_DYN_ND_INVALID]	= { LNL_U64, 0, "dyn-nd-invalid" },
	[LISP_A_DYN_FLAPS]	= { LNL_U64, 0, "dyn-flaps" },
	[LISP_A_FLAP_MAC]	= { LNL_BIN, 6, "flap-mac" },
	[LISP_A_FLAP_IFINDEX]	= { LNL_U32, 0, "flap-ifindex" },
	[LISP_A_RECHECK]	= { LNL_FLAG, 0, "recheck" },
	[LISP_A_SRLOC_PORT]	= { LNL_U16, 0, "srloc-port" },
	[LISP_A_PACKET]		= { LNL_RAW, 0, "packet" },
};

const struct lnl_policy lnl_rloc_policy[LISP_RLOC_A_MAX + 1] = {
	[LISP_RLOC_A_INET]	= { LNL_BIN, 4, "address" },
	[LISP_RLOC_A_INET6]	= { LNL_BIN, 16, "address6" },
	[LISP_RLOC_A_PRIORITY]	= { LNL_U8, 0, "priority" },
	[LISP_RLOC_A_WEIGHT]	= { LNL_U8, 0, "weight" },
	[LISP_RLOC_A_FLAGS]	= { LNL_U32, 0, "flags" },
	[LISP_RLOC_A_PACKETS]	= { LNL_U64, 0, "packets" },
	[LISP_RLOC_A_BYTES]	= { LNL_U64, 0, "bytes" },
	[LISP_RLOC_A_PORT]	= { LNL_BIN, 2, "port" },	/* be16 */
};

int
lnl_why(char *why, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(why, LNL_WHYLEN, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int
check(const struct nlattr *a, const struct lnl_policy *p, const char *ctx,
    char *why)
{
	size_t		 len = mnl_attr_get_payload_len(a);
	const char	*s = mnl_attr_get_payload(a);
	size_t		 want = 0;

	switch (p->kind) {
	case LNL_U8:
		want = 1;
		break;
	case LNL_U16:
		want = 2;
		break;
	case LNL_U32:
		want = 4;
		break;
	case LNL_U64:
		want = 8;
		break;
	case LNL_BIN:
		want = p->len;
		break;
	case LNL_FLAG:
		break;
	case LNL_STR:
		if (!len || len > p->len || !memchr(s, '\0', len))
			return lnl_why(why, "%sattribute %s: not a string of "
			    "at most %u characters", ctx, p->name,
			    p->len - 1u);
		return 0;
	case LNL_NEST:
		if (len && len < MNL_ATTR_HDRLEN)
			return lnl_why(why, "%sattribute %s: %zu bytes, not "
			    "a nest", ctx, p->name, len);
		return 0;
	default:
		return 0;
	}
	if (len != want)
		return lnl_why(why, "%sattribute %s: %zu bytes, want %zu", ctx,
		    p->name, len, want);
	return 0;
}

int
lnl_parse_attrs(const void *start, size_t len, const struct lnl_policy *pol,
    unsigned int max, const struct nlattr **tb, const char *ctx, char *why)
{
	const struct nlattr	*a = start;
	int			 left = (int)len, r;
	unsigned int		 t;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (mnl_attr_ok(a, left)) {
		t = mnl_attr_get_type(a);
		if (t <= max && pol[t].kind) {
			if ((r = check(a, &pol[t], ctx, why)))
				return r;
			tb[t] = a;
		}
		left -= (int)MNL_ALIGN(a->nla_len);
		a = mnl_attr_next(a);
	}
	/* Bytes left that are no whole attribute: cut short on the way. */
	if (left > 0)
		return lnl_why(why, "%struncated attribute (%d bytes left)",
		    ctx, left);
	return 0;
}

int
lnl_parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
    char *why)
{
	size_t	hdr = MNL_ALIGN(sizeof(struct genlmsghdr));

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN ||
	    mnl_nlmsg_get_payload_len(nlh) < hdr)
		return lnl_why(why, "message shorter than its headers");
	return lnl_parse_attrs((const char *)mnl_nlmsg_get_payload(nlh) + hdr,
	    mnl_nlmsg_get_payload_len(nlh) - hdr, lnl_top_policy, LISP_A_MAX,
	    tb, "", why);
}

int
lnl_parse_array(const struct nlattr *nest, const struct nlattr **el, int max,
    const char *name, char *why)
{
	const struct nlattr	*a = mnl_attr_get_payload(nest);
	int			 left = (int)mnl_attr_get_payload_len(nest);
	int			 n = 0;

	while (mnl_attr_ok(a, left)) {
		if (n == max)
			return lnl_why(why, "attribute %s: more than %d "
			    "elements", name, max);
		el[n++] = a;
		left -= (int)MNL_ALIGN(a->nla_len);
		a = mnl_attr_next(a);
	}
	if (left > 0)
		return lnl_why(why, "attribute %s: element %d truncated",
		    name, n + 1);
	return n;
}

int
lnl_get_key(const struct nlattr **tb, uint32_t *ifindex, char *ifname,
    bool *has_iid, struct prefix *eid, char *why)
{
	struct laddr	a;

	if (tb[LISP_A_EID_INET] && tb[LISP_A_EID_INET6])
		return lnl_why(why, "both eid and eid6");
	lnl_get_addr(tb[LISP_A_EID_INET], tb[LISP_A_EID_INET6], &a);
	if (!a.family)
		return lnl_why(why, "no eid");
	prefix_host(eid, 0, &a);
	if (tb[LISP_A_EID_PLEN]) {
		eid->plen = mnl_attr_get_u8(tb[LISP_A_EID_PLEN]);
		if (eid->plen > addr_bits(a.family))
			return lnl_why(why, "attribute plen: %u is longer "
			    "than the address", eid->plen);
	}
	if (tb[LISP_A_IID])
		eid->iid = mnl_attr_get_u32(tb[LISP_A_IID]);
	if (eid->iid > LISP_IID_MAX)
		return lnl_why(why, "attribute iid: %u is more than 24 bits",
		    eid->iid);
	*has_iid = tb[LISP_A_IID] != NULL;
	if (tb[LISP_A_IFINDEX])
		*ifindex = mnl_attr_get_u32(tb[LISP_A_IFINDEX]);
	if (ifname)
		lnl_get_str(tb[LISP_A_IFNAME], ifname, IFNAMSIZ);
	return 0;
}

void
lnl_get_addr(const struct nlattr *v4, const struct nlattr *v6,
    struct laddr *a)
{
	memset(a, 0, sizeof(*a));
	if (v4) {
		a->family = AF_INET;
		memcpy(a->a, mnl_attr_get_payload(v4), 4);
	} else if (v6) {
		a->family = AF_INET6;
		memcpy(a->a, mnl_attr_get_payload(v6), 16);
	}
}

void
lnl_put_addr(struct nlmsghdr *nlh, uint16_t v4, uint16_t v6, uint8_t family,
    const uint8_t *a)
{
	mnl_attr_put(nlh, family == AF_INET ? v4 : v6, addr_len(family), a);
}

void
lnl_get_str(const struct nlattr *a, char *buf, size_t len)
{
	if (a)
		snprintf(buf, len, "%s", mnl_attr_get_str(a));
}

/* ---- naming the attribute an extended ACK blames ---- */

static const char *
aname(const struct lnl_policy *pol, unsigned int max, unsigned int t,
    char *buf, size_t len)
{
	if (t <= max && pol[t].name)
		return pol[t].name;
	snprintf(buf, len, "attr%u", t);
	return buf;
}

/* The attribute among start..len holding byte off of base. */
static const struct nlattr *
attr_at(const void *start, size_t len, const char *base, uint32_t off)
{
	const struct nlattr	*a = start;
	int			 left = (int)len;

	while (mnl_attr_ok(a, left)) {
		uint32_t at = (uint32_t)((const char *)a - base);

		if (off >= at && off < at + a->nla_len)
			return a;
		left -= (int)MNL_ALIGN(a->nla_len);
		a = mnl_attr_next(a);
	}
	return NULL;
}

const char *
lnl_attr_path(const struct nlmsghdr *req, uint32_t off, char *buf,
    size_t len)
{
	const char		*base = (const char *)req;
	size_t			 hdr = MNL_NLMSG_HDRLEN +
				    MNL_ALIGN(sizeof(struct genlmsghdr));
	const struct nlattr	*a, *el, *f;
	char			 t[16];

	if (off < hdr || off >= req->nlmsg_len)
		return NULL;
	a = attr_at(base + hdr, req->nlmsg_len - hdr, base, off);
	if (!a)
		return NULL;
	if (mnl_attr_get_type(a) != LISP_A_RLOCS ||
	    off < (uint32_t)((const char *)a - base) + MNL_ATTR_HDRLEN) {
		snprintf(buf, len, "%s", aname(lnl_top_policy, LISP_A_MAX,
		    mnl_attr_get_type(a), t, sizeof(t)));
		return buf;
	}
	el = attr_at(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a),
	    base, off);
	if (!el) {
		snprintf(buf, len, "rlocs");
		return buf;
	}
	f = attr_at(mnl_attr_get_payload(el), mnl_attr_get_payload_len(el),
	    base, off);
	if (!f || off < (uint32_t)((const char *)el - base) + MNL_ATTR_HDRLEN)
		snprintf(buf, len, "rloc %u", mnl_attr_get_type(el));
	else
		snprintf(buf, len, "rloc %u %s", mnl_attr_get_type(el),
		    aname(lnl_rloc_policy, LISP_RLOC_A_MAX,
		    mnl_attr_get_type(f), t, sizeof(t)));
	return buf;
}
