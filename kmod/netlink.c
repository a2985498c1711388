// SPDX-License-Identifier: GPL-2.0
/*
 * The "lisp" generic netlink family: map-cache and database management,
 * counters, and MISS events for the control plane. The attribute layout
 * is documented in Documentation/netlink/specs/lisp.yaml.
 */

#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "device.h"
#include "mapcache.h"
#include "database.h"
#include "socket.h"
#include "netlink.h"
#include "prefix.h"
#include "ctrl.h"
#include "compat.h"

#define LISP_RLOC_F_ALL	(LISP_RLOC_F_REACHABLE | LISP_RLOC_F_LOCAL | \
			 LISP_RLOC_F_PROBED | LISP_RLOC_F_FIXED_SPORT)

static const struct nla_policy lisp_rloc_policy[LISP_RLOC_A_MAX + 1] = {
	[LISP_RLOC_A_INET]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[LISP_RLOC_A_INET6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[LISP_RLOC_A_PRIORITY]	= { .type = NLA_U8 },
	[LISP_RLOC_A_WEIGHT]	= { .type = NLA_U8 },
	[LISP_RLOC_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, LISP_RLOC_F_ALL),
	[LISP_RLOC_A_PACKETS]	= { .type = NLA_REJECT },
	[LISP_RLOC_A_BYTES]	= { .type = NLA_REJECT },
	[LISP_RLOC_A_PORT]	= NLA_POLICY_MIN(NLA_BE16, 1),
};

static const struct nla_policy lisp_policy[LISP_A_MAX + 1] = {
	[LISP_A_IFINDEX]	= { .type = NLA_U32 },
	[LISP_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[LISP_A_IID]		= { .type = NLA_REJECT },
	[LISP_A_EID_INET]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[LISP_A_EID_INET6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[LISP_A_EID_PLEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[LISP_A_SEID_INET]	= { .type = NLA_REJECT },
	[LISP_A_SEID_INET6]	= { .type = NLA_REJECT },
	[LISP_A_ACTION]		= NLA_POLICY_MAX(NLA_U8, LISP_ACTION_MAX),
	[LISP_A_TTL]		= { .type = NLA_U32 },
	[LISP_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32, LISP_MAP_F_STATIC |
						  LISP_MAP_F_AWAY),
	[LISP_A_RLOCS]		= NLA_POLICY_NESTED_ARRAY(lisp_rloc_policy),
	[LISP_A_LOOKUP]		= { .type = NLA_FLAG },
	[LISP_A_SRLOC_PORT]	= { .type = NLA_REJECT },
	[LISP_A_PACKET]		= { .type = NLA_BINARY, .len = 0xffff },
};

/* The device a request names, with a reference; NULL sets extack. */
static struct lisp_dev *dev_from_attrs(struct net *net, struct nlattr **attrs,
				       struct netlink_ext_ack *extack)
{
	struct lisp_dev *lisp;

	if (attrs[LISP_A_IFINDEX]) {
		lisp = lisp_dev_get(net, nla_get_u32(attrs[LISP_A_IFINDEX]),
				    NULL);
	} else if (attrs[LISP_A_IFNAME]) {
		lisp = lisp_dev_get(net, 0, nla_data(attrs[LISP_A_IFNAME]));
	} else {
		NL_SET_ERR_MSG(extack, "no device: give LISP_A_IFINDEX or LISP_A_IFNAME");
		return NULL;
	}
	if (!lisp)
		NL_SET_ERR_MSG(extack, "no such lisp device");
	return lisp;
}

/*
 * The EID of a request: exactly one address family, zero-padded to 16
 * bytes. With @host it is an address (/32 or /128, LISP_A_EID_PLEN not
 * read); else a prefix of LISP_A_EID_PLEN bits (default a host's) with
 * no bit set past them.
 */
int lisp_nl_eid_from_attrs(struct nlattr **attrs, u8 *family, u8 *addr,
			   u8 *plen, bool host, struct netlink_ext_ack *extack)
{
	struct nlattr *a4 = attrs[LISP_A_EID_INET];
	struct nlattr *a6 = attrs[LISP_A_EID_INET6];
	u8 bits;

	if (!!a4 == !!a6) {
		NL_SET_ERR_MSG(extack, "give exactly one of LISP_A_EID_INET, LISP_A_EID_INET6");
		return -EINVAL;
	}
	memset(addr, 0, LISP_ADDR_LEN);
	*family = a4 ? AF_INET : AF_INET6;
	bits = lisp_addr_bits(*family);
	memcpy(addr, nla_data(a4 ? a4 : a6), lisp_addr_len(*family));

	*plen = bits;
	if (host)
		return 0;
	if (attrs[LISP_A_EID_PLEN])
		*plen = nla_get_u8(attrs[LISP_A_EID_PLEN]);
	if (*plen > bits) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[LISP_A_EID_PLEN],
				    "prefix length longer than the address");
		return -EINVAL;
	}
	if (!lisp_prefix_is_masked(addr, *plen)) {
		NL_SET_ERR_MSG_ATTR(extack, a4 ? a4 : a6,
				    "address has bits set past the prefix length");
		return -EINVAL;
	}
	return 0;
}

static bool rloc_addr_ok(u8 family, const u8 *addr)
{
	if (family == AF_INET) {
		__be32 a;

		memcpy(&a, addr, 4);
		return !ipv4_is_zeronet(a) && !ipv4_is_multicast(a) &&
		       !ipv4_is_lbcast(a);
	}
	return !(ipv6_addr_type((const struct in6_addr *)addr) &
		 (IPV6_ADDR_ANY | IPV6_ADDR_MULTICAST));
}

static int rlocs_from_attrs(struct nlattr *nest, struct lisp_map_spec *spec,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[LISP_RLOC_A_MAX + 1];
	struct nlattr *nla;
	int rem, err;

	nla_for_each_nested(nla, nest, rem) {
		typeof(spec->rlocs[0]) *r;
		struct nlattr *a;

		if (spec->nr_rlocs == LISP_MAX_RLOCS) {
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "more than 8 RLOCs in one entry");
			return -E2BIG;
		}
		err = nla_parse_nested(tb, LISP_RLOC_A_MAX, nla,
				       lisp_rloc_policy, extack);
		if (err)
			return err;
		if (!!tb[LISP_RLOC_A_INET] == !!tb[LISP_RLOC_A_INET6]) {
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "an RLOC needs exactly one of LISP_RLOC_A_INET, LISP_RLOC_A_INET6");
			return -EINVAL;
		}
		r = &spec->rlocs[spec->nr_rlocs];
		memset(r, 0, sizeof(*r));
		a = tb[LISP_RLOC_A_INET] ? tb[LISP_RLOC_A_INET] :
					   tb[LISP_RLOC_A_INET6];
		r->family = tb[LISP_RLOC_A_INET] ? AF_INET : AF_INET6;
		memcpy(r->addr, nla_data(a), nla_len(a));
		if (!rloc_addr_ok(r->family, r->addr)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "an RLOC must be a unicast address");
			return -EINVAL;
		}
		if (tb[LISP_RLOC_A_PORT])
			r->port = nla_get_be16(tb[LISP_RLOC_A_PORT]);
		r->priority = tb[LISP_RLOC_A_PRIORITY] ?
			      nla_get_u8(tb[LISP_RLOC_A_PRIORITY]) : 1;
		r->weight = tb[LISP_RLOC_A_WEIGHT] ?
			    nla_get_u8(tb[LISP_RLOC_A_WEIGHT]) : 100;
		r->flags = tb[LISP_RLOC_A_FLAGS] ?
			   nla_get_u32(tb[LISP_RLOC_A_FLAGS]) :
			   LISP_RLOC_F_REACHABLE;
		spec->nr_rlocs++;
	}
	return 0;
}

static int lisp_nl_map_set(struct sk_buff *skb, struct genl_info *info,
			   bool replace)
{
	struct nlattr **attrs = info->attrs;
	struct lisp_map_spec *spec;
	struct lisp_dev *lisp;
	int err;

	spec = kzalloc(sizeof(*spec), GFP_KERNEL);
	if (!spec)
		return -ENOMEM;
	err = lisp_nl_eid_from_attrs(attrs, &spec->family, spec->addr,
				     &spec->plen, false, info->extack);
	if (err)
		goto out;
	if (attrs[LISP_A_ACTION])
		spec->action = nla_get_u8(attrs[LISP_A_ACTION]);
	if (attrs[LISP_A_TTL])
		spec->ttl = nla_get_u32(attrs[LISP_A_TTL]);
	if (attrs[LISP_A_FLAGS])
		spec->flags = nla_get_u32(attrs[LISP_A_FLAGS]);
	if (attrs[LISP_A_RLOCS]) {
		err = rlocs_from_attrs(attrs[LISP_A_RLOCS], spec, info->extack);
		if (err)
			goto out;
	}

	err = -ENODEV;
	lisp = dev_from_attrs(genl_info_net(info), attrs, info->extack);
	if (!lisp)
		goto out;
	err = lisp_map_install(lisp, spec, replace, info->extack);
	dev_put(lisp->dev);
out:
	kfree(spec);
	return err;
}

static int lisp_nl_map_add(struct sk_buff *skb, struct genl_info *info)
{
	return lisp_nl_map_set(skb, info, false);
}

static int lisp_nl_map_replace(struct sk_buff *skb, struct genl_info *info)
{
	return lisp_nl_map_set(skb, info, true);
}

/* The EID prefix and the device of a request; the device is held. */
static struct lisp_dev *prefix_request(struct genl_info *info, u8 *family,
				       u8 *addr, u8 *plen, bool lookup,
				       int *err)
{
	struct lisp_dev *lisp;

	*err = lisp_nl_eid_from_attrs(info->attrs, family, addr, plen, lookup,
				      info->extack);
	if (*err)
		return NULL;
	lisp = dev_from_attrs(genl_info_net(info), info->attrs, info->extack);
	if (!lisp)
		*err = -ENODEV;
	return lisp;
}

static int lisp_nl_map_del(struct sk_buff *skb, struct genl_info *info)
{
	struct lisp_dev *lisp;
	u8 family, plen, addr[16];
	int err;

	lisp = prefix_request(info, &family, addr, &plen, false, &err);
	if (!lisp)
		return err;
	err = lisp_map_delete(lisp, family, addr, plen);
	if (err)
		NL_SET_ERR_MSG(info->extack, "no such map-cache entry");
	dev_put(lisp->dev);
	return err;
}

static int lisp_nl_map_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct lisp_dev *lisp;

	lisp = dev_from_attrs(genl_info_net(info), info->attrs, info->extack);
	if (!lisp)
		return -ENODEV;
	lisp_map_flush(lisp);
	dev_put(lisp->dev);
	return 0;
}

/* @addr as the attribute of its family: @attr4 or @attr6. */
int lisp_nl_put_addr(struct sk_buff *skb, int attr4, int attr6, u8 family,
		     const void *addr)
{
	return nla_put(skb, family == AF_INET ? attr4 : attr6,
		       lisp_addr_len(family), addr);
}

static int put_rloc(struct sk_buff *skb, int idx, const struct lisp_map_rloc *mr)
{
	const struct lisp_rloc *rloc = mr->rloc;
	u64 packets = 0, bytes = 0;
	struct nlattr *nest;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct lisp_rloc_stats *s = per_cpu_ptr(rloc->stats, cpu);
		unsigned int start;
		u64 p, b;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			p = u64_stats_read(&s->packets);
			b = u64_stats_read(&s->bytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		packets += p;
		bytes += b;
	}

	nest = nla_nest_start(skb, idx);
	if (!nest ||
	    lisp_nl_put_addr(skb, LISP_RLOC_A_INET, LISP_RLOC_A_INET6,
			     rloc->family, &rloc->addr) ||
	    nla_put_u8(skb, LISP_RLOC_A_PRIORITY, mr->priority) ||
	    nla_put_u8(skb, LISP_RLOC_A_WEIGHT, mr->weight) ||
	    nla_put_u32(skb, LISP_RLOC_A_FLAGS, mr->flags) ||
	    (mr->port && nla_put_be16(skb, LISP_RLOC_A_PORT, mr->port)) ||
	    nla_put_u64_64bit(skb, LISP_RLOC_A_PACKETS, packets,
			      LISP_RLOC_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_RLOC_A_BYTES, bytes, LISP_RLOC_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_map(struct sk_buff *skb, const struct lisp_dev *lisp,
		   u8 family, const void *addr, u8 plen,
		   const struct lisp_map *map)
{
	unsigned long now = jiffies;
	struct nlattr *nest;
	int i;

	if (nla_put_u32(skb, LISP_A_IFINDEX, lisp->dev->ifindex) ||
	    nla_put_u32(skb, LISP_A_IID, lisp->cfg.iid) ||
	    lisp_nl_put_addr(skb, LISP_A_EID_INET, LISP_A_EID_INET6, family,
			     addr) ||
	    nla_put_u8(skb, LISP_A_EID_PLEN, plen) ||
	    nla_put_u8(skb, LISP_A_ACTION, map->action) ||
	    nla_put_u32(skb, LISP_A_TTL, map->ttl) ||
	    nla_put_u32(skb, LISP_A_FLAGS, map->flags) ||
	    nla_put_u64_64bit(skb, LISP_A_PACKETS,
			      atomic64_read(&map->packets), LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_BYTES, atomic64_read(&map->bytes),
			      LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_IDLE_MS,
			      jiffies_to_msecs(now - READ_ONCE(map->used)),
			      LISP_A_PAD) ||
	    nla_put_u32(skb, LISP_A_AGE, (now - map->installed) / HZ))
		return -EMSGSIZE;

	if (!map->nr_rlocs)
		return 0;
	nest = nla_nest_start(skb, LISP_A_RLOCS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < map->nr_rlocs; i++)
		if (put_rloc(skb, i + 1, &map->rlocs[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int lisp_nl_map_get(struct sk_buff *skb, struct genl_info *info)
{
	bool lookup = nla_get_flag(info->attrs[LISP_A_LOOKUP]);
	u8 family, plen, addr[16];
	struct lisp_trie *t;
	struct lisp_map *map;
	struct lisp_dev *lisp;
	struct sk_buff *msg;
	void *hdr;
	int err;

	lisp = prefix_request(info, &family, addr, &plen, lookup, &err);
	if (!lisp)
		return err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out_dev;
	}
	hdr = genlmsg_put_reply(msg, info, &lisp_genl_family, 0,
				LISP_CMD_MAP_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto out_msg;
	}

	t = family == AF_INET ? &lisp->map4 : &lisp->map6;
	rcu_read_lock();
	if (lookup)
		map = lisp_trie_lookup_plen(t, addr, &plen);
	else
		map = lisp_trie_get(t, addr, plen);
	if (map) {
		/* Report the prefix that matched, not the address asked. */
		if (lookup)
			lisp_prefix_mask(addr, plen);
		err = put_map(msg, lisp, family, addr, plen, map);
	}
	rcu_read_unlock();
	if (!map) {
		NL_SET_ERR_MSG(info->extack, "no such map-cache entry");
		err = -ENOENT;
		goto out_msg;
	}
	if (err)
		goto out_msg;
	genlmsg_end(msg, hdr);
	dev_put(lisp->dev);
	return genlmsg_reply(msg, info);

out_msg:
	nlmsg_free(msg);
out_dev:
	dev_put(lisp->dev);
	return err;
}

/* Dump position, kept in netlink_callback.ctx across calls. */
struct lisp_dump_ctx {
	int ifindex;		/* device being dumped, 0: none yet */
	u8 table;		/* 0: IPv4, 1: IPv6 */
	struct lisp_trie_cursor cur;
};

struct lisp_dump_arg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	const struct lisp_dev *lisp;
	u8 family;
	u8 cmd;
};

static int dump_one(void *data, const void *addr, u8 plen, void *val)
{
	struct lisp_dump_arg *arg = data;
	struct sk_buff *skb = arg->skb;
	void *hdr;
	int err;

	hdr = genlmsg_put(skb, NETLINK_CB(arg->cb->skb).portid,
			  arg->cb->nlh->nlmsg_seq, &lisp_genl_family,
			  NLM_F_MULTI, arg->cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (arg->cmd == LISP_CMD_MAP_GET) {
		err = put_map(skb, arg->lisp, arg->family, addr, plen, val);
	} else {
		const struct lisp_db_entry *e = val;

		err = nla_put_u32(skb, LISP_A_IFINDEX,
				  arg->lisp->dev->ifindex) ||
		      nla_put_u32(skb, LISP_A_IID, arg->lisp->cfg.iid) ||
		      lisp_nl_put_addr(skb, LISP_A_EID_INET, LISP_A_EID_INET6,
				       arg->family, addr) ||
		      nla_put_u8(skb, LISP_A_EID_PLEN, plen) ||
		      nla_put_u32(skb, LISP_A_AGE,
				  (jiffies - e->installed) / HZ);
	}
	if (err) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int put_stats(struct sk_buff *msg, struct lisp_dev *lisp);

static int dump_stats(struct lisp_dump_arg *arg)
{
	struct sk_buff *skb = arg->skb;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(arg->cb->skb).portid,
			  arg->cb->nlh->nlmsg_seq, &lisp_genl_family,
			  NLM_F_MULTI, LISP_CMD_STATS_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (put_stats(skb, (struct lisp_dev *)arg->lisp)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* The lisp device with the smallest ifindex >= @from, under RCU. */
static struct lisp_dev *next_lisp_dev(struct net *net, int from, int only)
{
	struct lisp_dev *best = NULL;
	struct net_device *dev;

	for_each_netdev_rcu(net, dev) {
		if (dev->rtnl_link_ops != &lisp_link_ops ||
		    dev->ifindex < from || (only && dev->ifindex != only))
			continue;
		if (!best || dev->ifindex < best->dev->ifindex)
			best = netdev_priv(dev);
	}
	return best;
}

static int lisp_nl_dump(struct sk_buff *skb, struct netlink_callback *cb,
			u8 cmd)
{
	struct lisp_dump_ctx *ctx = (struct lisp_dump_ctx *)cb->ctx;
	struct nlattr **attrs = lisp_dump_attrs(cb);
	struct net *net = sock_net(skb->sk);
	struct lisp_dump_arg arg = { .skb = skb, .cb = cb, .cmd = cmd };
	struct lisp_dev *lisp;
	int only = 0, err = 0;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	rcu_read_lock();
	if (attrs && attrs[LISP_A_IFINDEX]) {
		only = nla_get_u32(attrs[LISP_A_IFINDEX]);
		if (!next_lisp_dev(net, only, only)) {
			rcu_read_unlock();
			return -ENODEV;
		}
	} else if (attrs && attrs[LISP_A_IFNAME]) {
		struct net_device *dev;

		dev = dev_get_by_name_rcu(net, nla_data(attrs[LISP_A_IFNAME]));
		if (!dev || dev->rtnl_link_ops != &lisp_link_ops) {
			rcu_read_unlock();
			return -ENODEV;
		}
		only = dev->ifindex;
	}

	while ((lisp = next_lisp_dev(net, ctx->ifindex, only))) {
		if (lisp->dev->ifindex != ctx->ifindex) {
			ctx->ifindex = lisp->dev->ifindex;
			ctx->table = 0;
			memset(&ctx->cur, 0, sizeof(ctx->cur));
		}
		arg.lisp = lisp;
		if (cmd == LISP_CMD_STATS_GET) {
			err = dump_stats(&arg);
			if (err)
				goto out;
			ctx->table = 2;
		}
		for (; ctx->table < 2; ctx->table++) {
			struct lisp_trie *t;

			if (cmd == LISP_CMD_MAP_GET)
				t = ctx->table ? &lisp->map6 : &lisp->map4;
			else
				t = ctx->table ? &lisp->db6 : &lisp->db4;
			arg.family = ctx->table ? AF_INET6 : AF_INET;
			err = lisp_trie_walk(t, &ctx->cur, dump_one, &arg);
			if (err)
				goto out;
			memset(&ctx->cur, 0, sizeof(ctx->cur));
		}
		ctx->ifindex++;
		ctx->table = 0;
	}
out:
	rcu_read_unlock();
	if (err && err != -EMSGSIZE)
		return err;
	return skb->len;
}

static int lisp_nl_map_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return lisp_nl_dump(skb, cb, LISP_CMD_MAP_GET);
}

static int lisp_nl_db_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return lisp_nl_dump(skb, cb, LISP_CMD_DB_GET);
}

static int lisp_nl_stats_dump(struct sk_buff *skb,
			      struct netlink_callback *cb)
{
	return lisp_nl_dump(skb, cb, LISP_CMD_STATS_GET);
}

static int lisp_nl_db_set(struct sk_buff *skb, struct genl_info *info,
			  bool add)
{
	u8 family, plen, addr[16];
	struct lisp_dev *lisp;
	int err;

	lisp = prefix_request(info, &family, addr, &plen, false, &err);
	if (!lisp)
		return err;
	if (add) {
		err = lisp_db_add(lisp, family, addr, plen, info->extack);
	} else {
		err = lisp_db_delete(lisp, family, addr, plen);
		if (err)
			NL_SET_ERR_MSG(info->extack, "no such database entry");
	}
	dev_put(lisp->dev);
	return err;
}

static int lisp_nl_db_add(struct sk_buff *skb, struct genl_info *info)
{
	return lisp_nl_db_set(skb, info, true);
}

static int lisp_nl_db_del(struct sk_buff *skb, struct genl_info *info)
{
	return lisp_nl_db_set(skb, info, false);
}

static int put_stats(struct sk_buff *msg, struct lisp_dev *lisp)
{
	u64 sum[__LISP_STAT_MAX], net_sum[__LISP_STAT_MAX];
	struct rtnl_link_stats64 st = {};
	struct nlattr *nest;
	int i;

	dev_get_tstats64(lisp->dev, &st);
	lisp_counters_sum(lisp->counters, sum);
	/* Drops before a device is known are the namespace's. */
	lisp_counters_sum(lisp_net(lisp->net)->counters, net_sum);
	for (i = 0; i < __LISP_STAT_MAX; i++)
		sum[i] += net_sum[i];
	sum[LISP_STAT_TX_PACKETS] = st.tx_packets;
	sum[LISP_STAT_TX_BYTES] = st.tx_bytes;
	sum[LISP_STAT_RX_PACKETS] = st.rx_packets;
	sum[LISP_STAT_RX_BYTES] = st.rx_bytes;

	if (nla_put_u32(msg, LISP_A_IFINDEX, lisp->dev->ifindex) ||
	    nla_put_u32(msg, LISP_A_IID, lisp->cfg.iid))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, LISP_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = LISP_STAT_TX_PACKETS; i < __LISP_STAT_MAX; i++)
		if (nla_put_u64_64bit(msg, i, sum[i], LISP_STAT_PAD))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int lisp_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct lisp_dev *lisp;
	struct sk_buff *msg;
	void *hdr;
	int err = -EMSGSIZE;

	lisp = dev_from_attrs(genl_info_net(info), info->attrs, info->extack);
	if (!lisp)
		return -ENODEV;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		dev_put(lisp->dev);
		return -ENOMEM;
	}
	hdr = genlmsg_put_reply(msg, info, &lisp_genl_family, 0,
				LISP_CMD_STATS_GET);
	if (hdr && !put_stats(msg, lisp)) {
		genlmsg_end(msg, hdr);
		dev_put(lisp->dev);
		return genlmsg_reply(msg, info);
	}
	nlmsg_free(msg);
	dev_put(lisp->dev);
	return err;
}

/*
 * An event of @cmd for @net's listeners, @size bytes of attributes, its
 * header put in *@hdr, or an ERR_PTR: -ESRCH when nobody listens, so
 * that nothing is built.
 */
struct sk_buff *lisp_event_new_size(struct net *net, u8 cmd, size_t size,
				    void **hdr)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&lisp_genl_family, net, 0))
		return ERR_PTR(-ESRCH);
	msg = genlmsg_new(size, GFP_ATOMIC);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	*hdr = genlmsg_put(msg, 0, 0, &lisp_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return ERR_PTR(-EMSGSIZE);
	}
	return msg;
}

struct sk_buff *lisp_event_new(struct net *net, u8 cmd, void **hdr)
{
	return lisp_event_new_size(net, cmd, NLMSG_DEFAULT_SIZE, hdr);
}

/*
 * Multicast what lisp_event_new() started; @put_failed: filling it in
 * failed, and it is dropped. Returns 0 when the event went out.
 */
int lisp_event_send(struct net *net, struct sk_buff *msg, void *hdr,
		    bool put_failed)
{
	if (put_failed) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_multicast_netns(&lisp_genl_family, net, msg, 0, 0,
				       GFP_ATOMIC);
}

/*
 * Events go where the device is, as the requests that answer them do: a
 * device moved into a tenant's namespace is served from there.
 */
void lisp_notify_miss(struct lisp_dev *lisp, u8 family, const void *saddr,
		      const void *daddr)
{
	struct net *net = dev_net(lisp->dev);
	struct sk_buff *msg;
	void *hdr;

	msg = lisp_event_new(net, LISP_CMD_MISS, &hdr);
	if (IS_ERR(msg))
		return;
	lisp_event_send(net, msg, hdr,
			nla_put_u32(msg, LISP_A_IFINDEX, lisp->dev->ifindex) ||
			nla_put_u32(msg, LISP_A_IID, lisp->cfg.iid) ||
			lisp_nl_put_addr(msg, LISP_A_SEID_INET,
					 LISP_A_SEID_INET6, family, saddr) ||
			lisp_nl_put_addr(msg, LISP_A_EID_INET,
					 LISP_A_EID_INET6, family, daddr));
}

/*
 * A packet for an away EID came from the ITR at @srloc: the daemon sends
 * it a Solicit-Map-Request. Returns 0 when the event went out.
 */
int lisp_notify_smr(struct lisp_dev *lisp, u8 family, const void *seid,
		    const void *eid, u8 rloc_family, const void *srloc)
{
	struct net *net = dev_net(lisp->dev);
	struct sk_buff *msg;
	void *hdr;

	msg = lisp_event_new(net, LISP_CMD_SMR, &hdr);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	return lisp_event_send(net, msg, hdr,
			       nla_put_u32(msg, LISP_A_IFINDEX,
					   lisp->dev->ifindex) ||
			       nla_put_u32(msg, LISP_A_IID, lisp->cfg.iid) ||
			       lisp_nl_put_addr(msg, LISP_A_EID_INET,
						LISP_A_EID_INET6, family, eid) ||
			       lisp_nl_put_addr(msg, LISP_A_SEID_INET,
						LISP_A_SEID_INET6, family,
						seid) ||
			       lisp_nl_put_addr(msg, LISP_A_SRLOC_INET,
						LISP_A_SRLOC_INET6,
						rloc_family, srloc));
}

/*
 * CTRL_SEND: a control message for the device to send inside a data
 * packet. It leaves from the underlay's port, hence GENL_ADMIN_PERM.
 */
static int lisp_nl_ctrl_send(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct lisp_map_spec *spec;
	struct lisp_dev *lisp;
	int err;

	if (!attrs[LISP_A_PACKET]) {
		NL_SET_ERR_MSG(info->extack, "no LISP_A_PACKET: the inner packet to send");
		return -EINVAL;
	}
	if (!attrs[LISP_A_RLOCS]) {
		NL_SET_ERR_MSG(info->extack, "no LISP_A_RLOCS: the RLOC to send to");
		return -EINVAL;
	}
	lisp = dev_from_attrs(genl_info_net(info), attrs, info->extack);
	if (!lisp)
		return -ENODEV;
	spec = kzalloc(sizeof(*spec), GFP_KERNEL);
	err = spec ? rlocs_from_attrs(attrs[LISP_A_RLOCS], spec, info->extack) :
		     -ENOMEM;
	if (!err && spec->nr_rlocs != 1) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[LISP_A_RLOCS],
				    "give exactly one RLOC to send to");
		err = -EINVAL;
	}
	if (!err)
		err = lisp_ctrl_send(lisp, spec->rlocs[0].family,
				     spec->rlocs[0].addr, spec->rlocs[0].port,
				     attrs[LISP_A_PACKET], info->extack);
	kfree(spec);
	dev_put(lisp->dev);
	return err;
}

static const struct genl_ops lisp_genl_ops[] = {
	{
		.cmd = LISP_CMD_MAP_ADD,
		.doit = lisp_nl_map_add,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = LISP_CMD_MAP_REPLACE,
		.doit = lisp_nl_map_replace,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = LISP_CMD_MAP_DEL,
		.doit = lisp_nl_map_del,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = LISP_CMD_MAP_GET,
		.doit = lisp_nl_map_get,
		.dumpit = lisp_nl_map_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = LISP_CMD_MAP_FLUSH,
		.doit = lisp_nl_map_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = LISP_CMD_DB_ADD,
		.doit = lisp_nl_db_add,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = LISP_CMD_DB_DEL,
		.doit = lisp_nl_db_del,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = LISP_CMD_DB_GET,
		.dumpit = lisp_nl_db_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = LISP_CMD_STATS_GET,
		.doit = lisp_nl_stats_get,
		.dumpit = lisp_nl_stats_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = LISP_CMD_DYN_ADD,
		.doit = lisp_nl_dyn_add,
		.policy = lisp_dyn_nl_policy,
		.maxattr = LISP_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = LISP_CMD_DYN_DEL,
		.doit = lisp_nl_dyn_del,
		.policy = lisp_dyn_nl_policy,
		.maxattr = LISP_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = LISP_CMD_DYN_GET,
		.dumpit = lisp_nl_dyn_dump,
		.policy = lisp_dyn_nl_policy,
		.maxattr = LISP_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = LISP_CMD_HOST_GET,
		.dumpit = lisp_nl_host_dump,
		.policy = lisp_dyn_nl_policy,
		.maxattr = LISP_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = LISP_CMD_HOST_DEL,
		.doit = lisp_nl_host_del,
		.policy = lisp_dyn_nl_policy,
		.maxattr = LISP_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = LISP_CMD_CTRL_SEND,
		.doit = lisp_nl_ctrl_send,
		.flags = GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group lisp_mcgrps[] = {
	{ .name = LISP_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family lisp_genl_family __ro_after_init = {
	.name		= LISP_GENL_NAME,
	.version	= LISP_GENL_VERSION,
	.maxattr	= LISP_A_MAX,
	.policy		= lisp_policy,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= lisp_genl_ops,
	.n_ops		= ARRAY_SIZE(lisp_genl_ops),
	.resv_start_op	= LISP_CMD_MAP_ADD,
	.mcgrps		= lisp_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(lisp_mcgrps),
};

int __init lisp_genl_init(void)
{
	return genl_register_family(&lisp_genl_family);
}

void lisp_genl_exit(void)
{
	genl_unregister_family(&lisp_genl_family);
}
