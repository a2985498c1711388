// SPDX-License-Identifier: GPL-2.0
/*
 * The lisp netdevice: an L3, point-to-point, no-ARP tunnel device in the
 * manner of bareudp and wireguard, configured over rtnetlink.
 */

#include <linux/capability.h>
#include <linux/if_arp.h>
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/rtnetlink.h>
#include <net/ip_tunnels.h>
#include <net/netns/generic.h>

#include "device.h"
#include "mapcache.h"
#include "database.h"
#include "socket.h"
#include "xmit.h"
#include "ctrl.h"
#include "compat.h"

#define LISP_FEATURES	(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_FRAGLIST | \
			 NETIF_F_GSO_SOFTWARE)

void lisp_count(struct lisp_dev *lisp, enum lisp_stat stat)
{
	struct lisp_counters *c = this_cpu_ptr(lisp->counters);

	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->c[stat]);
	u64_stats_update_end(&c->syncp);
}

void lisp_counters_sum(struct lisp_counters __percpu *pc, u64 *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(u64) * __LISP_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct lisp_counters *c = per_cpu_ptr(pc, cpu);
		u64 v[__LISP_STAT_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&c->syncp);
			for (i = 0; i < __LISP_STAT_MAX; i++)
				v[i] = u64_stats_read(&c->c[i]);
		} while (u64_stats_fetch_retry(&c->syncp, start));
		for (i = 0; i < __LISP_STAT_MAX; i++)
			sum[i] += v[i];
	}
}

static bool stat_is_tx_drop(int i)
{
	return i >= LISP_STAT_TX_MISS_DROP && i <= LISP_STAT_TX_NOMEM &&
	       i != LISP_STAT_TX_NATIVE;
}

static bool stat_is_rx_drop(int i)
{
	return (i >= LISP_STAT_RX_TRUNCATED && i <= LISP_STAT_RX_NOMEM) ||
	       i == LISP_STAT_RX_AWAY_TTL || i == LISP_STAT_RX_RLOC_CHECK ||
	       i == LISP_STAT_RX_CTRL_DROP;
}

static void lisp_get_stats64(struct net_device *dev,
			     struct rtnl_link_stats64 *stats)
{
	struct lisp_dev *lisp = netdev_priv(dev);
	u64 sum[__LISP_STAT_MAX];
	int i;

	dev_get_tstats64(dev, stats);
	lisp_counters_sum(lisp->counters, sum);
	for (i = 0; i < __LISP_STAT_MAX; i++) {
		if (stat_is_tx_drop(i))
			stats->tx_dropped += sum[i];
		else if (stat_is_rx_drop(i))
			stats->rx_dropped += sum[i];
	}
}

static int lisp_init(struct net_device *dev)
{
	struct lisp_dev *lisp = netdev_priv(dev);
	int err;

	/* Charged to whoever creates the device, as its tables are. */
	lisp->counters = __netdev_alloc_pcpu_stats(struct lisp_counters,
						   GFP_KERNEL_ACCOUNT);
	if (!lisp->counters)
		return -ENOMEM;
	err = gro_cells_init(&lisp->gro_cells, dev);
	if (err) {
		free_percpu(lisp->counters);
		lisp->counters = NULL;
		return err;
	}
	mutex_init(&lisp->map_lock);
	lisp_mapcache_init(lisp);
	lisp_trie_init(&lisp->db4, 32, &lisp->map_lock);
	lisp_trie_init(&lisp->db6, 128, &lisp->map_lock);
	lisp_pending_init(lisp);
	lisp_ctrl_init(lisp);
	return 0;
}

static void lisp_uninit(struct net_device *dev)
{
	struct lisp_dev *lisp = netdev_priv(dev);

	/*
	 * Requests run without RTNL (parallel_ops): from here on every add
	 * path refuses, so the flushes below leave nothing behind.
	 */
	mutex_lock(&lisp->map_lock);
	lisp->dead = true;
	mutex_unlock(&lisp->map_lock);

	lisp_pending_destroy(lisp);
	lisp_db_flush(lisp);
	lisp_mapcache_free(lisp);
	gro_cells_destroy(&lisp->gro_cells);
}

/*
 * The counters outlive uninit: a STATS_GET holding a reference to the
 * device may still read them. The core calls this once the last
 * reference is gone, as wireguard frees its per-device state.
 */
static void lisp_destruct(struct net_device *dev)
{
	struct lisp_dev *lisp = netdev_priv(dev);

	free_percpu(lisp->counters);
}

static int lisp_open(struct net_device *dev)
{
	return lisp_sock_attach(netdev_priv(dev));
}

static int lisp_stop(struct net_device *dev)
{
	struct lisp_dev *lisp = netdev_priv(dev);

	lisp_sock_detach(lisp);
	lisp_pending_flush(lisp);
	return 0;
}

static const struct net_device_ops lisp_netdev_ops = {
	.ndo_init		= lisp_init,
	.ndo_uninit		= lisp_uninit,
	.ndo_open		= lisp_open,
	.ndo_stop		= lisp_stop,
	.ndo_start_xmit		= lisp_xmit,
	.ndo_get_stats64	= lisp_get_stats64,
};

static const struct device_type lisp_type = {
	.name = "lisp",
};

static void lisp_setup(struct net_device *dev)
{
	dev->netdev_ops = &lisp_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = lisp_destruct;
	SET_NETDEV_DEVTYPE(dev, &lisp_type);

	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	/* Leaves room for an IPv6 underlay on a 1500-byte path. */
	dev->mtu = ETH_DATA_LEN - LISP_IPV6_HLEN;
	dev->min_mtu = IPV4_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU - LISP_IPV4_HLEN;
	/*
	 * The outer headers over an Ethernet underlay, as vxlan and geneve
	 * ask: ip_forward() grows a forwarded packet's head by this much,
	 * and LL_MAX_HEADER more took that past the skb small-head cache
	 * into kmalloc for every packet. skb_cow_head() on transmit adds
	 * what another underlay needs.
	 */
	dev->needed_headroom = ETH_HLEN + LISP_IPV6_HLEN;
	dev->tx_queue_len = 0;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	netif_keep_dst(dev);

	dev->features |= LISP_FEATURES;
	dev->hw_features |= LISP_FEATURES;
	dev->hw_enc_features |= LISP_FEATURES;
	lisp_compat_setup_flags(dev);
}

static struct netlink_range_validation lisp_iid_range __ro_after_init = {
	.max = LISP_IID_MAX,
};

static struct netlink_range_validation lisp_miss_hold_range __ro_after_init = {
	.max = LISP_MISS_HOLD_MAX_MS,
};

static const struct nla_policy lisp_policy[IFLA_LISP_MAX + 1] = {
	[IFLA_LISP_IID]		= NLA_POLICY_FULL_RANGE(NLA_U32, &lisp_iid_range),
	[IFLA_LISP_LOCAL]	= { .type = NLA_BE32 },
	[IFLA_LISP_LOCAL6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[IFLA_LISP_PORT]	= NLA_POLICY_MIN(NLA_BE16, 1),
	[IFLA_LISP_TTL]		= { .type = NLA_U8 },
	[IFLA_LISP_TOS]		= { .type = NLA_U8 },
	[IFLA_LISP_DF]		= NLA_POLICY_MAX(NLA_U8, LISP_DF_MAX),
	[IFLA_LISP_UDP_ZERO_CSUM6_TX] = NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_LISP_PETR]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_LISP_DECAP_ANY]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_LISP_MAP_MAX]	= { .type = NLA_U32 },
	[IFLA_LISP_MISS_HOLD_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							 &lisp_miss_hold_range),
	[IFLA_LISP_EXTERNAL]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_LISP_RLOC_CHECK]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_LISP_CTRL_PUNT]	= NLA_POLICY_MAX(NLA_U8, 1),
};

static int lisp_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
				    "lisp devices have no link-layer address");
		return -EINVAL;
	}
	return 0;
}

static void lisp_cfg_parse(struct lisp_cfg *cfg, struct nlattr *data[])
{
	if (!data)
		return;
	if (data[IFLA_LISP_IID])
		cfg->iid = nla_get_u32(data[IFLA_LISP_IID]);
	if (data[IFLA_LISP_LOCAL])
		cfg->local = nla_get_in_addr(data[IFLA_LISP_LOCAL]);
	if (data[IFLA_LISP_LOCAL6])
		cfg->local6 = nla_get_in6_addr(data[IFLA_LISP_LOCAL6]);
	if (data[IFLA_LISP_PORT])
		cfg->port = nla_get_be16(data[IFLA_LISP_PORT]);
	if (data[IFLA_LISP_TTL])
		cfg->ttl = nla_get_u8(data[IFLA_LISP_TTL]);
	if (data[IFLA_LISP_TOS])
		cfg->tos = nla_get_u8(data[IFLA_LISP_TOS]);
	if (data[IFLA_LISP_DF])
		cfg->df = nla_get_u8(data[IFLA_LISP_DF]);
	if (data[IFLA_LISP_UDP_ZERO_CSUM6_TX])
		cfg->zero_csum6_tx = nla_get_u8(data[IFLA_LISP_UDP_ZERO_CSUM6_TX]);
	if (data[IFLA_LISP_PETR])
		cfg->petr = nla_get_u8(data[IFLA_LISP_PETR]);
	if (data[IFLA_LISP_DECAP_ANY])
		cfg->decap_any = nla_get_u8(data[IFLA_LISP_DECAP_ANY]);
	if (data[IFLA_LISP_MAP_MAX])
		cfg->map_max = nla_get_u32(data[IFLA_LISP_MAP_MAX]);
	if (data[IFLA_LISP_MISS_HOLD_MS])
		cfg->miss_hold_ms = nla_get_u32(data[IFLA_LISP_MISS_HOLD_MS]);
	if (data[IFLA_LISP_EXTERNAL])
		cfg->external = nla_get_u8(data[IFLA_LISP_EXTERNAL]);
	if (data[IFLA_LISP_RLOC_CHECK])
		cfg->rloc_check = nla_get_u8(data[IFLA_LISP_RLOC_CHECK]);
	if (data[IFLA_LISP_CTRL_PUNT])
		cfg->ctrl_punt = nla_get_u8(data[IFLA_LISP_CTRL_PUNT]);
}

/*
 * Received packets find their device by port and instance-id: unique
 * among the devices of one underlay, whichever namespace each is in.
 * What none of them claims goes to the port's one external device.
 */
static int lisp_cfg_check(struct lisp_dev *self, const struct lisp_cfg *cfg,
			  struct netlink_ext_ack *extack)
{
	struct lisp_net *ln = lisp_net(self->net);
	struct lisp_dev *lisp;

	/* The check reads the map-cache, which external mode has not. */
	if (cfg->external && cfg->rloc_check) {
		NL_SET_ERR_MSG_MOD(extack,
				   "rloc-check needs the map-cache: not in external mode");
		return -EINVAL;
	}
	list_for_each_entry(lisp, &ln->devs, list) {
		if (lisp == self || lisp->cfg.port != cfg->port ||
		    lisp->cfg.external != cfg->external)
			continue;
		if (cfg->external) {
			NL_SET_ERR_MSG_MOD(extack,
					   "another external lisp device has this port");
			return -EEXIST;
		}
		if (lisp->cfg.iid != cfg->iid)
			continue;
		NL_SET_ERR_MSG_MOD(extack,
				   "another lisp device has this instance-id and port");
		return -EEXIST;
	}
	return 0;
}

static int lisp_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	struct lisp_dev *lisp = netdev_priv(dev);
	struct lisp_cfg cfg = {
		.port = htons(LISP_DATA_PORT),
		.tos = 1,
		.df = LISP_DF_INHERIT,
		.zero_csum6_tx = true,
		.map_max = LISP_MAP_MAX_DEFAULT,
		.miss_hold_ms = lisp_miss_hold_default(),
	};
	int err;

	lisp->dev = dev;
	/* "ip link add ... netns T" leaves the underlay where it was asked. */
	lisp->net = src_net;
	lisp_cfg_parse(&cfg, data);
	err = lisp_cfg_check(lisp, &cfg, extack);
	if (err)
		return err;
	lisp->cfg = cfg;

	err = register_netdevice(dev);
	if (err)
		return err;
	list_add(&lisp->list, &lisp_net(lisp->net)->devs);
	return 0;
}

static int lisp_changelink(struct net_device *dev, struct nlattr *tb[],
			   struct nlattr *data[],
			   struct netlink_ext_ack *extack)
{
	struct lisp_dev *lisp = netdev_priv(dev);
	struct lisp_cfg cfg = lisp->cfg;
	bool rebind, reroute;
	int err;

	/*
	 * Moving a device into a tenant's namespace lets the tenant program
	 * its map-cache, not the underlay's socket, addresses or limits.
	 */
	if (!net_eq(lisp->net, dev_net(dev)) &&
	    !ns_capable(lisp->net->user_ns, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "link attributes belong to the underlay's administrator");
		return -EPERM;
	}
	lisp_cfg_parse(&cfg, data);
	/* The receive and transmit paths are chosen once, as vxlan's are. */
	if (cfg.external != lisp->cfg.external) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_LISP_EXTERNAL],
				    "external mode is fixed when the device is created");
		return -EOPNOTSUPP;
	}
	err = lisp_cfg_check(lisp, &cfg, extack);
	if (err)
		return err;

	rebind = netif_running(dev) &&
		 (cfg.port != lisp->cfg.port || cfg.iid != lisp->cfg.iid);
	reroute = cfg.local != lisp->cfg.local ||
		  !ipv6_addr_equal(&cfg.local6, &lisp->cfg.local6);

	if (rebind) {
		lisp_sock_detach(lisp);
		/*
		 * The iid node goes back on a hash chain: readers still on
		 * the old one must be done with it first.
		 */
		synchronize_net();
	}
	/* Senders may see a mix of old and new for one packet: harmless. */
	lisp->cfg = cfg;
	if (rebind) {
		err = lisp_sock_attach(lisp);
		if (err) {
			NL_SET_ERR_MSG_MOD(extack, "cannot bind the new port");
			dev_close(dev);
			return err;
		}
	}
	if (reroute)
		lisp_mapcache_reset_routes(lisp);
	return 0;
}

static void lisp_dellink(struct net_device *dev, struct list_head *head)
{
	struct lisp_dev *lisp = netdev_priv(dev);

	list_del(&lisp->list);
	unregister_netdevice_queue(dev, head);
}

static size_t lisp_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u32)) +		/* IID */
	       nla_total_size(sizeof(__be32)) +		/* LOCAL */
	       nla_total_size(sizeof(struct in6_addr)) + /* LOCAL6 */
	       nla_total_size(sizeof(__be16)) +		/* PORT */
	       nla_total_size(sizeof(u8)) * 5 +	/* TTL TOS DF CSUM PETR */
	       nla_total_size(sizeof(u8)) +		/* DECAP_ANY */
	       nla_total_size(sizeof(u32)) +		/* MAP_MAX */
	       nla_total_size(sizeof(u32)) +		/* MISS_HOLD_MS */
	       nla_total_size(sizeof(u8)) +		/* EXTERNAL */
	       nla_total_size(sizeof(u8)) +		/* RLOC_CHECK */
	       nla_total_size(sizeof(u8));		/* CTRL_PUNT */
}

static int lisp_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct lisp_dev *lisp = netdev_priv(dev);
	const struct lisp_cfg *cfg = &lisp->cfg;

	if (nla_put_u32(skb, IFLA_LISP_IID, cfg->iid) ||
	    nla_put_in_addr(skb, IFLA_LISP_LOCAL, cfg->local) ||
	    nla_put_in6_addr(skb, IFLA_LISP_LOCAL6, &cfg->local6) ||
	    nla_put_be16(skb, IFLA_LISP_PORT, cfg->port) ||
	    nla_put_u8(skb, IFLA_LISP_TTL, cfg->ttl) ||
	    nla_put_u8(skb, IFLA_LISP_TOS, cfg->tos) ||
	    nla_put_u8(skb, IFLA_LISP_DF, cfg->df) ||
	    nla_put_u8(skb, IFLA_LISP_UDP_ZERO_CSUM6_TX, cfg->zero_csum6_tx) ||
	    nla_put_u8(skb, IFLA_LISP_PETR, cfg->petr) ||
	    nla_put_u8(skb, IFLA_LISP_DECAP_ANY, cfg->decap_any) ||
	    nla_put_u32(skb, IFLA_LISP_MAP_MAX, cfg->map_max) ||
	    nla_put_u32(skb, IFLA_LISP_MISS_HOLD_MS, cfg->miss_hold_ms) ||
	    nla_put_u8(skb, IFLA_LISP_EXTERNAL, cfg->external) ||
	    nla_put_u8(skb, IFLA_LISP_RLOC_CHECK, cfg->rloc_check) ||
	    nla_put_u8(skb, IFLA_LISP_CTRL_PUNT, cfg->ctrl_punt))
		return -EMSGSIZE;
	return 0;
}

/* ip -d link show: link-netnsid once the device has left its underlay. */
static struct net *lisp_get_link_net(const struct net_device *dev)
{
	const struct lisp_dev *lisp = netdev_priv(dev);

	return lisp->net;
}

struct rtnl_link_ops lisp_link_ops __read_mostly = {
	.kind		= "lisp",
	.maxtype	= IFLA_LISP_MAX,
	.policy		= lisp_policy,
	.priv_size	= sizeof(struct lisp_dev),
	.setup		= lisp_setup,
	.validate	= lisp_validate,
	.newlink	= lisp_newlink,
	.changelink	= lisp_changelink,
	.dellink	= lisp_dellink,
	.get_size	= lisp_get_size,
	.fill_info	= lisp_fill_info,
	.get_link_net	= lisp_get_link_net,
};

/* A lisp device of @net by index or name, with a reference held. */
struct lisp_dev *lisp_dev_get(struct net *net, u32 ifindex, const char *name)
{
	struct net_device *dev;

	dev = ifindex ? dev_get_by_index(net, ifindex) :
			dev_get_by_name(net, name);
	if (!dev)
		return NULL;
	if (dev->netdev_ops != &lisp_netdev_ops) {
		dev_put(dev);
		return NULL;
	}
	return netdev_priv(dev);
}

static int __net_init lisp_net_init(struct net *net)
{
	struct lisp_net *ln = lisp_net(net);

	INIT_LIST_HEAD(&ln->devs);
	INIT_LIST_HEAD(&ln->socks);
	ln->counters = netdev_alloc_pcpu_stats(struct lisp_counters);
	return ln->counters ? 0 : -ENOMEM;
}

/*
 * Namespace teardown: the devices whose underlay it is go with it, those
 * moved elsewhere too (as vxlan's do), before .exit runs. A device that
 * lives here with its underlay elsewhere goes the way of any virtual
 * device: the core calls dellink.
 */
static void __net_exit lisp_net_exit_rtnl(struct list_head *net_list,
					  struct list_head *dev_kill_list)
{
	struct lisp_dev *lisp, *tmp;
	struct net *net;

	list_for_each_entry(net, net_list, exit_list)
		list_for_each_entry_safe(lisp, tmp, &lisp_net(net)->devs, list)
			lisp_dellink(lisp->dev, dev_kill_list);
}

static void __net_exit lisp_net_exit(struct net *net)
{
	struct lisp_net *ln = lisp_net(net);

	WARN_ON_ONCE(!list_empty(&ln->socks));
	free_percpu(ln->counters);
}

struct pernet_operations lisp_net_ops = {
	.init = lisp_net_init,
	.exit = lisp_net_exit,
	.exit_batch_rtnl = lisp_net_exit_rtnl,
	.id   = &lisp_net_id,
	.size = sizeof(struct lisp_net),
};
