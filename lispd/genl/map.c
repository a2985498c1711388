/* SPDX-License-Identifier: MIT */
/*
 * Map-cache entries, their RLOCs and database entries: the requests
 * that install them and the replies that show them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "attr.h"

static const char *const action_names[] = {
	[LISP_ACTION_NONE]		= "none",
	[LISP_ACTION_NATIVE_FORWARD]	= "native-forward",
	[LISP_ACTION_SEND_MAP_REQUEST]	= "send-map-request",
	[LISP_ACTION_DROP]		= "drop",
	[LISP_ACTION_DROP_POLICY]	= "drop-policy",
	[LISP_ACTION_DROP_AUTH]		= "drop-auth",
};

const char *
lnl_action_name(unsigned int action)
{
	if (action <= LISP_ACTION_MAX && action_names[action])
		return action_names[action];
	return "unknown";
}

int
lnl_action_parse(const char *s)
{
	unsigned int	i;

	for (i = LISP_ACTION_NONE + 1; i <= LISP_ACTION_MAX; i++)
		if (!strcmp(s, action_names[i]))
			return (int)i;
	return -1;
}

void
lnl_put_dev(struct nlmsghdr *nlh, uint32_t ifindex, const char *ifname)
{
	if (ifindex)
		mnl_attr_put_u32(nlh, LISP_A_IFINDEX, ifindex);
	else
		mnl_attr_put_strz(nlh, LISP_A_IFNAME, ifname);
}

void
lnl_put_eid(struct nlmsghdr *nlh, const struct prefix *p, int how)
{
	lnl_put_addr(nlh, LISP_A_EID_INET, LISP_A_EID_INET6, p->family, p->a);
	if (how & LNL_EID_LOOKUP)
		mnl_attr_put(nlh, LISP_A_LOOKUP, 0, NULL);
	else if (!(how & LNL_EID_NOPLEN))
		mnl_attr_put_u8(nlh, LISP_A_EID_PLEN, p->plen);
}

void
lnl_rloc_put(struct nlmsghdr *nlh, uint16_t type, const struct lnl_rloc *rl)
{
	struct nlattr	*el;

	el = mnl_attr_nest_start(nlh, type);
	lnl_put_addr(nlh, LISP_RLOC_A_INET, LISP_RLOC_A_INET6, rl->addr.family,
	    rl->addr.a);
	mnl_attr_put_u8(nlh, LISP_RLOC_A_PRIORITY, rl->priority);
	mnl_attr_put_u8(nlh, LISP_RLOC_A_WEIGHT, rl->weight);
	mnl_attr_put_u32(nlh, LISP_RLOC_A_FLAGS, rl->flags);
	if (rl->port)
		mnl_attr_put_u16(nlh, LISP_RLOC_A_PORT, htons(rl->port));
	mnl_attr_nest_end(nlh, el);
}

void
lnl_map_put(struct nlmsghdr *nlh, const struct lnl_map *m)
{
	struct nlattr	*nest;
	int		 i;

	mnl_attr_put_u8(nlh, LISP_A_ACTION, m->action);
	if (m->has_ttl)
		mnl_attr_put_u32(nlh, LISP_A_TTL, m->ttl);
	if (m->has_flags)
		mnl_attr_put_u32(nlh, LISP_A_FLAGS, m->flags);
	if (!m->nrloc)
		return;
	nest = mnl_attr_nest_start(nlh, LISP_A_RLOCS);
	/* Elements are numbered from 1, as in an indexed array. */
	for (i = 0; i < m->nrloc && i < LISP_MAX_RLOCS; i++)
		lnl_rloc_put(nlh, (uint16_t)(i + 1), &m->rloc[i]);
	mnl_attr_nest_end(nlh, nest);
}

int
lnl_rloc_decode(const struct nlattr *el, struct lnl_rloc *rl, char *why)
{
	const struct nlattr	*tb[LISP_RLOC_A_MAX + 1];
	char			 ctx[24];
	int			 r;

	memset(rl, 0, sizeof(*rl));
	snprintf(ctx, sizeof(ctx), "rloc %u: ", mnl_attr_get_type(el));
	r = lnl_parse_attrs(mnl_attr_get_payload(el),
	    mnl_attr_get_payload_len(el), lnl_rloc_policy, LISP_RLOC_A_MAX,
	    tb, ctx, why);
	if (r)
		return r;
	if (tb[LISP_RLOC_A_INET] && tb[LISP_RLOC_A_INET6])
		return lnl_why(why, "%sboth address and address6", ctx);
	lnl_get_addr(tb[LISP_RLOC_A_INET], tb[LISP_RLOC_A_INET6], &rl->addr);
	if (!rl->addr.family)
		return lnl_why(why, "%sno address", ctx);
	if (tb[LISP_RLOC_A_PRIORITY])
		rl->priority = mnl_attr_get_u8(tb[LISP_RLOC_A_PRIORITY]);
	if (tb[LISP_RLOC_A_WEIGHT])
		rl->weight = mnl_attr_get_u8(tb[LISP_RLOC_A_WEIGHT]);
	rl->flags = tb[LISP_RLOC_A_FLAGS] ?
	    mnl_attr_get_u32(tb[LISP_RLOC_A_FLAGS]) : LISP_RLOC_F_REACHABLE;
	if (tb[LISP_RLOC_A_PORT])
		rl->port = ntohs(mnl_attr_get_u16(tb[LISP_RLOC_A_PORT]));
	if (tb[LISP_RLOC_A_PACKETS] || tb[LISP_RLOC_A_BYTES]) {
		rl->has_counters = true;
		if (tb[LISP_RLOC_A_PACKETS])
			rl->packets = mnl_attr_get_u64(tb[LISP_RLOC_A_PACKETS]);
		if (tb[LISP_RLOC_A_BYTES])
			rl->bytes = mnl_attr_get_u64(tb[LISP_RLOC_A_BYTES]);
	}
	return 0;
}

static uint32_t
get_u32(const struct nlattr *a, bool *has)
{
	*has = a != NULL;
	return a ? mnl_attr_get_u32(a) : 0;
}

static uint64_t
get_u64(const struct nlattr *a, bool *has)
{
	*has = *has || a != NULL;
	return a ? mnl_attr_get_u64(a) : 0;
}

int
lnl_map_decode(const struct nlmsghdr *nlh, struct lnl_map *m, char *why)
{
	const struct nlattr	*tb[LISP_A_MAX + 1];
	const struct nlattr	*el[LISP_MAX_RLOCS];
	int			 i, n, r;

	memset(m, 0, sizeof(*m));
	if ((r = lnl_parse_msg(nlh, tb, why)) ||
	    (r = lnl_get_key(tb, &m->ifindex, m->ifname, &m->has_iid, &m->eid,
	    why)))
		return r;
	if (tb[LISP_A_ACTION])
		m->action = mnl_attr_get_u8(tb[LISP_A_ACTION]);
	m->ttl = get_u32(tb[LISP_A_TTL], &m->has_ttl);
	m->flags = get_u32(tb[LISP_A_FLAGS], &m->has_flags);
	m->age = get_u32(tb[LISP_A_AGE], &m->has_age);
	m->idle_ms = get_u64(tb[LISP_A_IDLE_MS], &m->has_idle);
	m->packets = get_u64(tb[LISP_A_PACKETS], &m->has_counters);
	m->bytes = get_u64(tb[LISP_A_BYTES], &m->has_counters);
	if (!tb[LISP_A_RLOCS])
		return 0;
	n = lnl_parse_array(tb[LISP_A_RLOCS], el, LISP_MAX_RLOCS, "rlocs", why);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++)
		if ((r = lnl_rloc_decode(el[i], &m->rloc[i], why)))
			return r;
	m->nrloc = n;
	return 0;
}

int
lnl_db_decode(const struct nlmsghdr *nlh, struct lnl_db *d, char *why)
{
	const struct nlattr	*tb[LISP_A_MAX + 1];
	int			 r;

	memset(d, 0, sizeof(*d));
	if ((r = lnl_parse_msg(nlh, tb, why)))
		return r;
	return lnl_get_key(tb, &d->ifindex, d->ifname, &d->has_iid, &d->eid,
	    why);
}
