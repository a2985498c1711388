/* SPDX-License-Identifier: MIT */
/*
 * Per-device counters (STATS_GET) and the events of the "events" group:
 * MISS, SMR, and the host events of the dynamic-EID policies.
 */
#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "attr.h"

static const char *const stat_names[] = {
	[LISP_STAT_TX_PACKETS]		= "tx-packets",
	[LISP_STAT_TX_BYTES]		= "tx-bytes",
	[LISP_STAT_RX_PACKETS]		= "rx-packets",
	[LISP_STAT_RX_BYTES]		= "rx-bytes",
	[LISP_STAT_TX_MISS]		= "tx-miss",
	[LISP_STAT_TX_MISS_DROP]	= "tx-miss-drop",
	[LISP_STAT_TX_NEGATIVE_DROP]	= "tx-negative-drop",
	[LISP_STAT_TX_NATIVE]		= "tx-native",
	[LISP_STAT_TX_NO_RLOC]		= "tx-no-rloc",
	[LISP_STAT_TX_NO_ROUTE]		= "tx-no-route",
	[LISP_STAT_TX_TOO_BIG]		= "tx-too-big",
	[LISP_STAT_TX_BAD_PROTO]	= "tx-bad-proto",
	[LISP_STAT_TX_NOMEM]		= "tx-nomem",
	[LISP_STAT_RX_TRUNCATED]	= "rx-truncated",
	[LISP_STAT_RX_BAD_FLAGS]	= "rx-bad-flags",
	[LISP_STAT_RX_ENCRYPTED]	= "rx-encrypted",
	[LISP_STAT_RX_UNKNOWN_IID]	= "rx-unknown-iid",
	[LISP_STAT_RX_BAD_INNER]	= "rx-bad-inner",
	[LISP_STAT_RX_NOT_OURS]		= "rx-not-ours",
	[LISP_STAT_RX_ECN_DROP]		= "rx-ecn-drop",
	[LISP_STAT_RX_NOMEM]		= "rx-nomem",
	[LISP_STAT_RX_AWAY]		= "rx-away",
	[LISP_STAT_SMR]			= "smr",
	[LISP_STAT_RX_AWAY_TTL]		= "rx-away-ttl",
	[LISP_STAT_RX_ICMP_ERR]		= "rx-icmp-err",
	[LISP_STAT_MAP_FULL]		= "map-full",
	[LISP_STAT_DB_FULL]		= "db-full",
	[LISP_STAT_RX_RLOC_CHECK]	= "rx-rloc-check",
	[LISP_STAT_RX_CTRL]		= "rx-ctrl",
	[LISP_STAT_RX_CTRL_DROP]	= "rx-ctrl-drop",
	[LISP_STAT_TX_CTRL]		= "tx-ctrl",
};

const char *
lnl_stat_name(unsigned int stat)
{
	if (stat < sizeof(stat_names) / sizeof(stat_names[0]))
		return stat_names[stat];
	return NULL;
}

int
lnl_stats_decode(const struct nlmsghdr *nlh, struct lnl_stats *s, char *why)
{
	const struct nlattr	*tb[LISP_A_MAX + 1];
	const struct nlattr	*el[2 * LNL_STATS_MAX];	/* with pads */
	unsigned int		 t;
	size_t			 len;
	int			 i, n, r;

	memset(s, 0, sizeof(*s));
	if ((r = lnl_parse_msg(nlh, tb, why)))
		return r;
	if (tb[LISP_A_IFINDEX])
		s->ifindex = mnl_attr_get_u32(tb[LISP_A_IFINDEX]);
	lnl_get_str(tb[LISP_A_IFNAME], s->ifname, sizeof(s->ifname));
	if ((s->has_iid = tb[LISP_A_IID] != NULL))
		s->iid = mnl_attr_get_u32(tb[LISP_A_IID]);
	if (!tb[LISP_A_STATS])
		return 0;
	n = lnl_parse_array(tb[LISP_A_STATS], el, 2 * LNL_STATS_MAX, "stats",
	    why);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		t = mnl_attr_get_type(el[i]);
		len = mnl_attr_get_payload_len(el[i]);
		if (t == LISP_STAT_PAD)
			continue;
		if (s->n == LNL_STATS_MAX)
			return lnl_why(why, "attribute stats: more than %d "
			    "counters", LNL_STATS_MAX);
		/* u64 today; a u32 from an older kernel is read as well. */
		if (len != 8 && len != 4)
			return lnl_why(why, "attribute stats: counter %u: %zu "
			    "bytes, want 8", t, len);
		s->stat[s->n].type = (uint16_t)t;
		s->stat[s->n++].value = len == 8 ? mnl_attr_get_u64(el[i]) :
		    mnl_attr_get_u32(el[i]);
	}
	return 0;
}

/* MISS and SMR: the device, the addresses their kind needs. */
static int
packet_event(const struct nlattr **tb, struct lnl_event *ev, char *why)
{
	static const uint16_t both[][2] = {
		{ LISP_A_EID_INET, LISP_A_EID_INET6 },
		{ LISP_A_SEID_INET, LISP_A_SEID_INET6 },
		{ LISP_A_SRLOC_INET, LISP_A_SRLOC_INET6 },
	};
	struct laddr	*out[] = { &ev->eid, &ev->seid, &ev->srloc };
	size_t		 i;

	if (!tb[LISP_A_IFINDEX])
		return lnl_why(why, "no ifindex");
	ev->ifindex = mnl_attr_get_u32(tb[LISP_A_IFINDEX]);
	if ((ev->has_iid = tb[LISP_A_IID] != NULL))
		ev->iid = mnl_attr_get_u32(tb[LISP_A_IID]);
	for (i = 0; i < sizeof(both) / sizeof(both[0]); i++) {
		if (tb[both[i][0]] && tb[both[i][1]])
			return lnl_why(why, "both %s and %s",
			    lnl_top_policy[both[i][0]].name,
			    lnl_top_policy[both[i][1]].name);
		lnl_get_addr(tb[both[i][0]], tb[both[i][1]], out[i]);
	}
	if (!ev->eid.family)
		return lnl_why(why, "no eid");
	if (ev->cmd == LISP_CMD_SMR && (!ev->seid.family || !ev->srloc.family))
		return lnl_why(why, "smr without %s",
		    ev->seid.family ? "srloc" : "seid");
	return 0;
}

int
lnl_event_decode(const struct nlmsghdr *nlh, struct lnl_event *ev, char *why)
{
	const struct nlattr	*tb[LISP_A_MAX + 1];
	int			 r;

	memset(ev, 0, sizeof(*ev));
	ev->cmd = lnl_cmd(nlh);
	switch (ev->cmd) {
	case LISP_CMD_MISS:
	case LISP_CMD_SMR:
		if ((r = lnl_parse_msg(nlh, tb, why)))
			return r;
		return packet_event(tb, ev, why);
	case LISP_CMD_EID_DETECTED:
	case LISP_CMD_EID_GONE:
	case LISP_CMD_EID_FLAP:
		if ((r = lnl_host_decode(nlh, &ev->host, why)))
			return r;
		ev->ifindex = ev->host.ifindex;
		ev->has_iid = true;
		ev->iid = ev->host.iid;
		ev->eid = ev->host.eid;
		return 0;
	case LISP_CMD_CTRL:
		if ((r = lnl_parse_msg(nlh, tb, why)))
			return r;
		return lnl_ctrl_decode(tb, ev, why);
	default:
		return 1;
	}
}
