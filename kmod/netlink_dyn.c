// SPDX-License-Identifier: GPL-2.0
/*
 * The dynamic-EID commands of the "lisp" genl family: DYN_ADD, DYN_DEL and
 * DYN_GET for the policies, HOST_GET and HOST_DEL for the hosts found, and
 * the EID_DETECTED, EID_GONE and EID_FLAP events. Attributes become calls
 * on the table of dyneid.c and hosts become messages; netlink.c lists the
 * commands.
 */

#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <linux/lisp.h>

#include "netlink.h"
#include "dyneid.h"
#include "compat.h"

const struct nla_policy lisp_dyn_nl_policy[LISP_A_MAX + 1] = {
	[LISP_A_IID]		= { .type = NLA_U32 },
	[LISP_A_EID_INET]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[LISP_A_EID_INET6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[LISP_A_EID_PLEN]	= { .type = NLA_U8 },
	[LISP_A_DYN_NAME]	= { .type = NLA_NUL_STRING },
	[LISP_A_DYN_IFINDEXES]	= { .type = NLA_NESTED },
	[LISP_A_DYN_TIMEOUT]	= { .type = NLA_U32 },
	[LISP_A_RECHECK]	= { .type = NLA_FLAG },
};

/* ---- requests ---- */

static int name_from_attrs(struct nlattr **attrs, char *name,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *a = attrs[LISP_A_DYN_NAME];

	if (!a || !nla_len(a) || !*(char *)nla_data(a)) {
		NL_SET_ERR_MSG(extack, "missing policy name (LISP_A_DYN_NAME)");
		return -EINVAL;
	}
	if (strlen(nla_data(a)) > DYN_NAME_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "policy name longer than 31 characters");
		return -EINVAL;
	}
	strscpy(name, nla_data(a), DYN_NAME_MAX + 1);
	return 0;
}

static int ifs_count(const struct nlattr *nest)
{
	const struct nlattr *a;
	int rem, n = 0;

	nla_for_each_nested(a, nest, rem)
		n++;
	return n;
}

static int ifs_from_attrs(struct net *net, struct nlattr *nest,
			  struct dyn_cfg *cfg, struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	unsigned short type;
	struct nlattr *a;
	int rem, ifindex;

	if (!nest) {
		NL_SET_ERR_MSG(extack, "no interfaces (LISP_A_DYN_IFINDEXES)");
		return -EINVAL;
	}
	if (ifs_count(nest) > DYN_MAX_IFS) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "more than 16 interfaces in one policy");
		return -E2BIG;
	}
	nla_for_each_nested(a, nest, rem) {
		if (nla_len(a) != sizeof(u32)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "an ifindex is a u32");
			return -EINVAL;
		}
		ifindex = nla_get_u32(a);
		if (lisp_dyn_has_if(cfg, ifindex)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "interface given twice");
			return -EINVAL;
		}
		rcu_read_lock();
		dev = dev_get_by_index_rcu(net, ifindex);
		type = dev ? dev->type : 0;
		rcu_read_unlock();
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, a, "no such interface");
			return -ENODEV;
		}
		if (type != ARPHRD_ETHER) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "not an Ethernet interface");
			return -EINVAL;
		}
		cfg->ifindex[cfg->nr_ifs++] = ifindex;
	}
	if (!cfg->nr_ifs) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "no interfaces in the list");
		return -EINVAL;
	}
	return 0;
}

static int cfg_from_attrs(struct net *net, struct nlattr **attrs,
			  struct dyn_cfg *cfg, struct netlink_ext_ack *extack)
{
	int err;

	err = lisp_nl_eid_from_attrs(attrs, &cfg->family, cfg->addr,
				     &cfg->plen, false, extack);
	if (err)
		return err;
	if (attrs[LISP_A_IID])
		cfg->iid = nla_get_u32(attrs[LISP_A_IID]);
	if (cfg->iid > LISP_IID_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[LISP_A_IID],
				    "instance-id longer than 24 bits");
		return -EINVAL;
	}
	cfg->timeout = DYN_TIMEOUT_DEFAULT;
	if (attrs[LISP_A_DYN_TIMEOUT])
		cfg->timeout = nla_get_u32(attrs[LISP_A_DYN_TIMEOUT]);
	if (!cfg->timeout || cfg->timeout > DYN_TIMEOUT_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[LISP_A_DYN_TIMEOUT],
				    "timeout must be 1..86400 seconds");
		return -EINVAL;
	}
	return ifs_from_attrs(net, attrs[LISP_A_DYN_IFINDEXES], cfg, extack);
}

int lisp_nl_dyn_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct lisp_dyn_net *dn = lisp_dyn_net(net);
	char name[DYN_NAME_MAX + 1];
	struct dyn_cfg *cfg;
	int err;

	err = name_from_attrs(info->attrs, name, info->extack);
	if (err)
		return err;
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL_ACCOUNT);
	if (!cfg)
		return -ENOMEM;
	/*
	 * The interfaces are checked under the mutex the unregister
	 * notifier takes: one that goes away is either refused here or
	 * forgotten by the table once the policy is in.
	 */
	mutex_lock(&dn->mutex);
	err = cfg_from_attrs(net, info->attrs, cfg, info->extack);
	if (!err)
		err = lisp_dyn_policy_set(dn, name, cfg, info->extack);
	mutex_unlock(&dn->mutex);
	if (err)
		kfree(cfg);
	return err;
}

int lisp_nl_dyn_del(struct sk_buff *skb, struct genl_info *info)
{
	struct lisp_dyn_net *dn = lisp_dyn_net(genl_info_net(info));
	char name[DYN_NAME_MAX + 1];
	int err;

	err = name_from_attrs(info->attrs, name, info->extack);
	if (!err)
		err = lisp_dyn_policy_del(dn, name, info->extack);
	return err;
}

int lisp_nl_host_del(struct sk_buff *skb, struct genl_info *info)
{
	struct lisp_dyn_net *dn = lisp_dyn_net(genl_info_net(info));
	char name[DYN_NAME_MAX + 1];
	u8 family, plen, addr[16];
	int err;

	err = name_from_attrs(info->attrs, name, info->extack);
	if (!err)
		err = lisp_nl_eid_from_attrs(info->attrs, &family, addr, &plen,
					     true, info->extack);
	if (!err)
		err = lisp_dyn_host_del(dn, name, family, addr,
					nla_get_flag(info->attrs[LISP_A_RECHECK]),
					info->extack);
	return err;
}

/* ---- replies and events ---- */

static int put_host(struct sk_buff *skb, const struct dyn_host *h,
		    const struct dyn_cfg *cfg, u8 cmd)
{
	unsigned long now = jiffies;
	u64 idle = jiffies_to_msecs(now - READ_ONCE(h->last_seen));

	if (nla_put_string(skb, LISP_A_DYN_NAME, h->policy->name) ||
	    nla_put_u32(skb, LISP_A_IID, cfg->iid) ||
	    lisp_nl_put_addr(skb, LISP_A_EID_INET, LISP_A_EID_INET6, h->family,
			     h->addr) ||
	    nla_put_u32(skb, LISP_A_IFINDEX, h->ifindex) ||
	    nla_put(skb, LISP_A_MAC, ETH_ALEN, h->mac))
		return -EMSGSIZE;
	if (cmd != LISP_CMD_EID_GONE &&
	    nla_put_u8(skb, LISP_A_DETECT, h->detect))
		return -EMSGSIZE;
	if ((cmd == LISP_CMD_EID_GONE || cmd == LISP_CMD_HOST_GET) &&
	    nla_put_u64_64bit(skb, LISP_A_IDLE_MS, idle, LISP_A_PAD))
		return -EMSGSIZE;
	if (cmd == LISP_CMD_HOST_GET &&
	    nla_put_u32(skb, LISP_A_AGE, (now - h->first_seen) / HZ))
		return -EMSGSIZE;
	if ((cmd == LISP_CMD_EID_FLAP ||
	     (cmd == LISP_CMD_HOST_GET && h->alt && h->flapped)) &&
	    (nla_put(skb, LISP_A_FLAP_MAC, ETH_ALEN, h->alt_mac) ||
	     nla_put_u32(skb, LISP_A_FLAP_IFINDEX, h->alt_ifindex)))
		return -EMSGSIZE;
	return 0;
}

static void notify_host(struct net *net, const struct dyn_host *h,
			const struct dyn_cfg *cfg, u8 cmd)
{
	struct sk_buff *msg;
	void *hdr;

	msg = lisp_event_new(net, cmd, &hdr);
	if (IS_ERR(msg))
		return;
	lisp_event_send(net, msg, hdr, put_host(msg, h, cfg, cmd));
}

static int put_policy(struct sk_buff *skb, const struct dyn_policy *p,
		      const struct dyn_cfg *cfg)
{
	struct nlattr *nest;
	unsigned int i;

	if (nla_put_string(skb, LISP_A_DYN_NAME, p->name) ||
	    nla_put_u32(skb, LISP_A_IID, cfg->iid) ||
	    lisp_nl_put_addr(skb, LISP_A_EID_INET, LISP_A_EID_INET6,
			     cfg->family, cfg->addr) ||
	    nla_put_u8(skb, LISP_A_EID_PLEN, cfg->plen) ||
	    nla_put_u32(skb, LISP_A_DYN_TIMEOUT, cfg->timeout) ||
	    nla_put_u32(skb, LISP_A_DYN_HOSTS, READ_ONCE(p->hosts)) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_DETECTED, READ_ONCE(p->detected),
			      LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_GONE, READ_ONCE(p->gone),
			      LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_PROBES, READ_ONCE(p->probes),
			      LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_IGNORED, READ_ONCE(p->ignored),
			      LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_OVERFLOW, READ_ONCE(p->overflow),
			      LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_RATELIMITED_IF,
			      atomic64_read(&p->rl_if), LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_RATELIMITED_HOST,
			      atomic64_read(&p->rl_host), LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_ND_INVALID,
			      atomic64_read(&p->nd_invalid), LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_FLAPS, READ_ONCE(p->flaps),
			      LISP_A_PAD))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, LISP_A_DYN_IFINDEXES);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < cfg->nr_ifs; i++)
		if (nla_put_u32(skb, i + 1, cfg->ifindex[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

const struct lisp_dyn_event_ops lisp_nl_dyn_events = {
	.host	= notify_host,
};

/* ---- dumps ---- */

struct dyn_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	const char *only;		/* LISP_A_DYN_NAME of the request */
};

static void *dump_hdr(struct dyn_dump *d, u8 cmd)
{
	return genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			   d->cb->nlh->nlmsg_seq, &lisp_genl_family,
			   NLM_F_MULTI, cmd);
}

static int dump_policy(void *arg, const struct dyn_policy *p,
		       const struct dyn_cfg *cfg)
{
	struct dyn_dump *d = arg;
	void *hdr;

	if (d->only && strcmp(d->only, p->name))
		return 0;
	hdr = dump_hdr(d, LISP_CMD_DYN_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (put_policy(d->skb, p, cfg)) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(d->skb, hdr);
	return 0;
}

static int dump_host(void *arg, const struct dyn_host *h,
		     const struct dyn_cfg *cfg)
{
	struct dyn_dump *d = arg;
	void *hdr;

	if (d->only && strcmp(d->only, h->policy->name))
		return 0;
	hdr = dump_hdr(d, LISP_CMD_HOST_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (put_host(d->skb, h, cfg, LISP_CMD_HOST_GET)) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(d->skb, hdr);
	return 0;
}

static const char *dump_name(struct netlink_callback *cb)
{
	struct nlattr **attrs = lisp_dump_attrs(cb);

	return attrs && attrs[LISP_A_DYN_NAME] ?
	       nla_data(attrs[LISP_A_DYN_NAME]) : NULL;
}

int lisp_nl_dyn_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dyn_dump d = { .skb = skb, .cb = cb, .only = dump_name(cb) };

	lisp_dyn_policy_walk(lisp_dyn_net(sock_net(skb->sk)), &cb->args[0],
			     dump_policy, &d);
	return skb->len;
}

int lisp_nl_host_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dyn_dump d = { .skb = skb, .cb = cb, .only = dump_name(cb) };

	lisp_dyn_host_walk(lisp_dyn_net(sock_net(skb->sk)), cb->args,
			   dump_host, &d);
	return skb->len;
}
