/* SPDX-License-Identifier: MIT */
/*
 * Dynamic-EID policies (DYN_ADD, DYN_GET) and the hosts they detect
 * (HOST_GET, HOST_DEL, and the EID_DETECTED, EID_GONE and EID_FLAP
 * events, which carry a host as HOST_GET does).
 */
#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "attr.h"

const char *
lnl_detect_name(unsigned int how)
{
	static const char *const names[] = {
		[LISP_DETECT_ROUTED]	= "routed",
		[LISP_DETECT_ARP]	= "arp",
		[LISP_DETECT_ND]	= "nd",
	};

	if (how < sizeof(names) / sizeof(names[0]) && names[how])
		return names[how];
	return "unknown";
}

void
lnl_put_name(struct nlmsghdr *nlh, const char *policy)
{
	mnl_attr_put_strz(nlh, LISP_A_DYN_NAME, policy);
}

void
lnl_dyn_put(struct nlmsghdr *nlh, const struct lnl_dyn *d)
{
	struct nlattr	*nest;
	int		 i;

	lnl_put_name(nlh, d->name);
	lnl_put_eid(nlh, &d->eid, 0);
	if (d->has_iid)
		mnl_attr_put_u32(nlh, LISP_A_IID, d->eid.iid);
	/* A zero timeout goes to the kernel, which says why it is wrong. */
	if (d->has_timeout)
		mnl_attr_put_u32(nlh, LISP_A_DYN_TIMEOUT, d->timeout);
	nest = mnl_attr_nest_start(nlh, LISP_A_DYN_IFINDEXES);
	for (i = 0; i < d->nif && i < LNL_DYN_IFS; i++)
		mnl_attr_put_u32(nlh, (uint16_t)(i + 1), d->ifindex[i]);
	mnl_attr_nest_end(nlh, nest);
}

void
lnl_host_del_put(struct nlmsghdr *nlh, const char *policy,
    const struct laddr *eid, bool recheck)
{
	if (recheck)
		mnl_attr_put(nlh, LISP_A_RECHECK, 0, NULL);
	lnl_put_name(nlh, policy);
	lnl_put_addr(nlh, LISP_A_EID_INET, LISP_A_EID_INET6, eid->family,
	    eid->a);
}

static uint64_t
u64(const struct nlattr *a)
{
	return a ? mnl_attr_get_u64(a) : 0;
}

int
lnl_dyn_decode(const struct nlmsghdr *nlh, struct lnl_dyn *d, char *why)
{
	const struct nlattr	*tb[LISP_A_MAX + 1];
	const struct nlattr	*el[LNL_DYN_IFS];
	uint32_t		 ifindex = 0;
	int			 i, n, r;

	memset(d, 0, sizeof(*d));
	if ((r = lnl_parse_msg(nlh, tb, why)) ||
	    (r = lnl_get_key(tb, &ifindex, NULL, &d->has_iid, &d->eid, why)))
		return r;
	if (!tb[LISP_A_DYN_NAME])
		return lnl_why(why, "no dyn-name");
	lnl_get_str(tb[LISP_A_DYN_NAME], d->name, sizeof(d->name));
	if (tb[LISP_A_DYN_TIMEOUT]) {
		d->has_timeout = true;
		d->timeout = mnl_attr_get_u32(tb[LISP_A_DYN_TIMEOUT]);
	}
	if (tb[LISP_A_DYN_HOSTS])
		d->hosts = mnl_attr_get_u32(tb[LISP_A_DYN_HOSTS]);
	if (tb[LISP_A_DYN_IFINDEXES]) {
		n = lnl_parse_array(tb[LISP_A_DYN_IFINDEXES], el, LNL_DYN_IFS,
		    "dyn-ifindexes", why);
		if (n < 0)
			return n;
		for (i = 0; i < n; i++) {
			if (mnl_attr_get_payload_len(el[i]) != 4)
				return lnl_why(why, "attribute dyn-ifindexes: "
				    "element %d is not a u32", i + 1);
			d->ifindex[i] = mnl_attr_get_u32(el[i]);
		}
		d->nif = n;
	}
	d->detected = u64(tb[LISP_A_DYN_DETECTED]);
	d->gone = u64(tb[LISP_A_DYN_GONE]);
	d->probes = u64(tb[LISP_A_DYN_PROBES]);
	d->ignored = u64(tb[LISP_A_DYN_IGNORED]);
	d->overflow = u64(tb[LISP_A_DYN_OVERFLOW]);
	d->rl_if = u64(tb[LISP_A_DYN_RATELIMITED_IF]);
	d->rl_host = u64(tb[LISP_A_DYN_RATELIMITED_HOST]);
	d->nd_invalid = u64(tb[LISP_A_DYN_ND_INVALID]);
	d->flaps = u64(tb[LISP_A_DYN_FLAPS]);
	return 0;
}

int
lnl_host_decode(const struct nlmsghdr *nlh, struct lnl_host *h, char *why)
{
	const struct nlattr	*tb[LISP_A_MAX + 1];
	int			 r;

	memset(h, 0, sizeof(*h));
	if ((r = lnl_parse_msg(nlh, tb, why)))
		return r;
	if (!tb[LISP_A_DYN_NAME])
		return lnl_why(why, "no dyn-name");
	lnl_get_str(tb[LISP_A_DYN_NAME], h->policy, sizeof(h->policy));
	if (tb[LISP_A_EID_INET] && tb[LISP_A_EID_INET6])
		return lnl_why(why, "both eid and eid6");
	lnl_get_addr(tb[LISP_A_EID_INET], tb[LISP_A_EID_INET6], &h->eid);
	if (!h->eid.family)
		return lnl_why(why, "no eid");
	if (tb[LISP_A_IID])
		h->iid = mnl_attr_get_u32(tb[LISP_A_IID]);
	if (tb[LISP_A_IFINDEX])
		h->ifindex = mnl_attr_get_u32(tb[LISP_A_IFINDEX]);
	if ((h->has_mac = tb[LISP_A_MAC] != NULL))
		memcpy(h->mac, mnl_attr_get_payload(tb[LISP_A_MAC]), 6);
	if ((h->has_detect = tb[LISP_A_DETECT] != NULL))
		h->detect = mnl_attr_get_u8(tb[LISP_A_DETECT]);
	if ((h->has_idle = tb[LISP_A_IDLE_MS] != NULL))
		h->idle_ms = mnl_attr_get_u64(tb[LISP_A_IDLE_MS]);
	if ((h->has_age = tb[LISP_A_AGE] != NULL))
		h->age = mnl_attr_get_u32(tb[LISP_A_AGE]);
	if ((h->has_flap = tb[LISP_A_FLAP_MAC] != NULL))
		memcpy(h->flap_mac, mnl_attr_get_payload(tb[LISP_A_FLAP_MAC]),
		    6);
	if (tb[LISP_A_FLAP_IFINDEX])
		h->flap_ifindex = mnl_attr_get_u32(tb[LISP_A_FLAP_IFINDEX]);
	return 0;
}
