// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: look the inner destination up in the map-cache, pick a
 * locator, encapsulate (RFC 9300 section 5) and send over UDP.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/icmp.h>
#include <net/route.h>
#include <net/ip6_route.h>
#include <net/ipv6_stubs.h>
#include <net/udp_tunnel.h>
#include <net/ip_tunnels.h>
#include <net/inet_ecn.h>
#include <net/dsfield.h>
#include <net/l3mdev.h>
#include <net/dst_metadata.h>

#include "device.h"
#include "mapcache.h"
#include "socket.h"
#include "prefix.h"
#include "xmit.h"
#include "compat.h"

/* What the encapsulation needs to know about the inner packet. */
struct inner_info {
	u8 family;
	u8 tos;
	u8 ttl;
	bool df;		/* may not be fragmented: IPv4 DF, or IPv6 */
	u8 saddr[16];
	u8 daddr[16];
};

/*
 * Where and how one packet leaves: from a map-cache locator and the
 * device's configuration, or from the packet's own tunnel metadata.
 */
struct outer_info {
	u8 family;
	u8 tos;				/* 1: copied from the inner header */
	u8 ttl;				/* 0: copied from the inner header */
	u8 df;				/* enum lisp_df */
	bool csum6;			/* a UDP checksum over IPv6 */
	__be16 sport;			/* 0: hashed from the inner flow */
	__be16 dport;
	u32 iid;
	union {
		__be32 v4;
		struct in6_addr v6;
	} daddr;
	__be32 saddr4;			/* wanted source, 0: any */
	struct in6_addr saddr6;
	struct dst_cache *cache;	/* NULL: route every packet */
};

static bool inner_parse(struct sk_buff *skb, struct inner_info *in)
{
	memset(in, 0, sizeof(*in));

	switch (skb->protocol) {
	case htons(ETH_P_IP): {
		const struct iphdr *iph;

		if (!pskb_network_may_pull(skb, sizeof(*iph)))
			return false;
		iph = ip_hdr(skb);
		if (iph->version != 4 || iph->ihl < 5)
			return false;
		in->family = AF_INET;
		in->tos = iph->tos;
		in->ttl = iph->ttl;
		in->df = iph->frag_off & htons(IP_DF);
		memcpy(in->saddr, &iph->saddr, 4);
		memcpy(in->daddr, &iph->daddr, 4);
		return true;
	}
	case htons(ETH_P_IPV6): {
		const struct ipv6hdr *ip6h;

		if (!pskb_network_may_pull(skb, sizeof(*ip6h)))
			return false;
		ip6h = ipv6_hdr(skb);
		if (ip6h->version != 6)
			return false;
		in->family = AF_INET6;
		in->tos = ipv6_get_dsfield(ip6h);
		in->ttl = ip6h->hop_limit;
		in->df = true;
		memcpy(in->saddr, &ip6h->saddr, 16);
		memcpy(in->daddr, &ip6h->daddr, 16);
		return true;
	}
	}
	return false;
}

static bool inner_mappable(const struct inner_info *in)
{
	if (in->family == AF_INET) {
		__be32 d;

		memcpy(&d, in->daddr, 4);
		return !ipv4_is_multicast(d) && !ipv4_is_lbcast(d) &&
		       !ipv4_is_zeronet(d) && !ipv4_is_linklocal_169(d);
	}
	return !(ipv6_addr_type((const struct in6_addr *)in->daddr) &
		 (IPV6_ADDR_MULTICAST | IPV6_ADDR_LINKLOCAL | IPV6_ADDR_ANY));
}

/*
 * No nonce: the N bit is clear and the field zero. RFC 9300 section 4.1
 * asks exactly that of an xTR on the public Internet (N, L, E and V all
 * zero), and elsewhere a data-plane nonce serves only echo-nonce (section
 * 10.1), which neither our ITR nor our ETR does; a random one cost every
 * packet a get_random_u32().
 */
static void lisp_build_header(struct lisphdr *lh, u32 iid)
{
	lh->flags = iid ? LISP_F_I : 0;
	memset(lh->nonce, 0, sizeof(lh->nonce));
	lh->iid_lsb = cpu_to_be32(iid << 8);
}

/*
 * RFC 9300 section 7.1 (stateless MTU): a packet that would not fit the
 * path once encapsulated is either fragmented on the outside (when the
 * inner header allows it) or answered with ICMP carrying the usable MTU.
 * Returns true when the packet was refused.
 */
static bool lisp_refuse_too_big(struct lisp_dev *lisp, struct sk_buff *skb,
				const struct inner_info *in, int mtu,
				bool *outer_df)
{
	bool fits = skb_is_gso(skb) ? skb_gso_validate_network_len(skb, mtu) :
				      skb->len <= mtu;

	if (fits)
		return false;
	/*
	 * Steered by tc or BPF: no route to lower the MTU of, nor one to
	 * answer ICMP from. The underlay fragments it.
	 */
	if (skb_dst(skb) && !skb_valid_dst(skb)) {
		*outer_df = false;
		return false;
	}
	if (!in->df || (in->family == AF_INET6 && mtu < IPV6_MIN_MTU)) {
		*outer_df = false;
		return false;
	}

	if (skb_dst(skb)) {
		skb_dst_update_pmtu_no_confirm(skb, mtu);
	} else if (in->family == AF_INET) {
		/*
		 * Re-encapsulated for an away EID: decapsulated, never
		 * routed. icmp_send() takes the error's scope and source
		 * from the packet's route, so route it as forwarding would
		 * have, arriving on this device.
		 */
		const struct iphdr *iph = ip_hdr(skb);

		if (ip_route_input_noref(skb, iph->daddr, iph->saddr,
					 iph->tos, lisp->dev))
			goto out;
	}
	if (in->family == AF_INET)
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			      htonl(mtu));
	else
		icmpv6_ndo_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
out:
	lisp_count(lisp, LISP_STAT_TX_TOO_BIG);
	return true;
}

static u8 outer_tos(const struct outer_info *out, const struct inner_info *in)
{
	u8 tos = out->tos == 1 ? in->tos : out->tos;

	/* RFC 6040 normal mode: the ECN field is copied, CE included. */
	return (tos & ~INET_ECN_MASK) | (in->tos & INET_ECN_MASK);
}

static bool outer_df(const struct outer_info *out, const struct inner_info *in)
{
	switch (out->df) {
	case LISP_DF_SET:
		return true;
	case LISP_DF_INHERIT:
		return in->df;
	default:
		return false;
	}
}

/* Set when the device has left its underlay's namespace. */
static bool lisp_xnet(const struct lisp_dev *lisp)
{
	return !net_eq(lisp->net, dev_net(lisp->dev));
}

/*
 * The outer routes are the underlay's: looked up in lisp->net with no
 * interface, so a VRF the device is enslaved to plays no part.
 */
static struct rtable *lisp_route4(struct lisp_dev *lisp,
				  const struct outer_info *out, __be32 *saddr)
{
	struct flowi4 fl4;
	struct rtable *rt;

	if (out->cache) {
		rt = dst_cache_get_ip4(out->cache, saddr);
		if (rt)
			return rt;
	}

	memset(&fl4, 0, sizeof(fl4));
	fl4.flowi4_proto = IPPROTO_UDP;
	fl4.daddr = out->daddr.v4;
	fl4.saddr = out->saddr4;
	fl4.fl4_dport = out->dport;
	rt = ip_route_output_key(lisp->net, &fl4);
	if (IS_ERR(rt))
		return rt;
	if (rt->dst.dev == lisp->dev) {	/* the RLOC is behind ourselves */
		ip_rt_put(rt);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl4.saddr;
	if (out->cache)
		dst_cache_set_ip4(out->cache, &rt->dst, fl4.saddr);
	return rt;
}

static int lisp_xmit4(struct lisp_dev *lisp, struct sk_buff *skb,
		      const struct outer_info *out,
		      const struct inner_info *in, struct sock *sk)
{
	bool df = outer_df(out, in);
	struct rtable *rt;
	__be16 sport;
	__be32 saddr;
	int err;

	rt = lisp_route4(lisp, out, &saddr);
	if (IS_ERR(rt)) {
		lisp_count(lisp, LISP_STAT_TX_NO_ROUTE);
		return PTR_ERR(rt);
	}
	if (lisp_refuse_too_big(lisp, skb, in,
				dst_mtu(&rt->dst) - LISP_IPV4_HLEN, &df)) {
		ip_rt_put(rt);
		return -EMSGSIZE;
	}

	sport = out->sport ? : udp_flow_src_port(lisp->net, skb, 0, 0, true);
	err = skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) +
				rt->dst.header_len + LISP_IPV4_HLEN);
	if (!err)
		err = udp_tunnel_handle_offloads(skb, false);
	if (err) {
		ip_rt_put(rt);
		lisp_count(lisp, LISP_STAT_TX_NOMEM);
		return err;
	}
	skb_set_inner_protocol(skb, skb->protocol);
	lisp_build_header(__skb_push(skb, sizeof(struct lisphdr)), out->iid);

	/* RFC 9300 section 5.3: outer UDP checksum zero over IPv4. */
	udp_tunnel_xmit_skb(rt, sk, skb, saddr, out->daddr.v4,
			    outer_tos(out, in), out->ttl ? out->ttl : in->ttl,
			    df ? htons(IP_DF) : 0, sport, out->dport,
			    lisp_xnet(lisp), true);
	return 0;
}

static struct dst_entry *lisp_route6(struct lisp_dev *lisp,
				     const struct outer_info *out,
				     struct sock *sk, struct in6_addr *saddr)
{
	struct dst_entry *dst;
	struct flowi6 fl6;

	if (out->cache) {
		dst = dst_cache_get_ip6(out->cache, saddr);
		if (dst)
			return dst;
	}

	memset(&fl6, 0, sizeof(fl6));
	fl6.flowi6_proto = IPPROTO_UDP;
	fl6.daddr = out->daddr.v6;
	fl6.saddr = out->saddr6;
	fl6.fl6_dport = out->dport;
	dst = ipv6_stub->ipv6_dst_lookup_flow(lisp->net, sk, &fl6, NULL);
	if (IS_ERR(dst))
		return dst;
	if (dst->dev == lisp->dev) {
		dst_release(dst);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl6.saddr;
	if (out->cache)
		dst_cache_set_ip6(out->cache, dst, &fl6.saddr);
	return dst;
}

static int lisp_xmit6(struct lisp_dev *lisp, struct sk_buff *skb,
		      const struct outer_info *out,
		      const struct inner_info *in, struct sock *sk)
{
	struct in6_addr saddr, daddr = out->daddr.v6;
	bool nocheck = !out->csum6;
	struct dst_entry *dst;
	bool df = true;
	__be16 sport;
	int err;

	dst = lisp_route6(lisp, out, sk, &saddr);
	if (IS_ERR(dst)) {
		lisp_count(lisp, LISP_STAT_TX_NO_ROUTE);
		return PTR_ERR(dst);
	}
	if (lisp_refuse_too_big(lisp, skb, in, dst_mtu(dst) - LISP_IPV6_HLEN,
				&df)) {
		dst_release(dst);
		return -EMSGSIZE;
	}
	/*
	 * iptunnel_xmit() does this for IPv4: the inner route goes, with
	 * the reference taken on it when it was queued to us, and the mark
	 * too when the packet leaves the tenant's namespace.
	 */
	skb_scrub_packet(skb, lisp_xnet(lisp));
	/* IPv6 routers never fragment: a locally built packet may be. */
	skb->ignore_df = !df;

	sport = out->sport ? : udp_flow_src_port(lisp->net, skb, 0, 0, true);
	err = skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) +
				dst->header_len + LISP_IPV6_HLEN);
	if (!err)
		err = udp_tunnel_handle_offloads(skb, !nocheck);
	if (err) {
		dst_release(dst);
		lisp_count(lisp, LISP_STAT_TX_NOMEM);
		return err;
	}
	skb_set_inner_protocol(skb, skb->protocol);
	lisp_build_header(__skb_push(skb, sizeof(struct lisphdr)), out->iid);

	lisp_udp6_xmit(dst, sk, skb, lisp->dev, &saddr, &daddr,
		       outer_tos(out, in), out->ttl ? out->ttl : in->ttl, 0,
		       sport, out->dport, nocheck);
	return 0;
}

/*
 * A negative entry said natively-forward: route it without LISP, in the
 * tenant's address space (the device's namespace and VRF), not the
 * underlay's. Under RCU.
 */
static void lisp_forward_native(struct lisp_dev *lisp, struct sk_buff *skb,
				const struct inner_info *in)
{
	struct net *net = dev_net(lisp->dev);
	int vrf = l3mdev_master_ifindex_rcu(lisp->dev);
	struct dst_entry *dst;

	if (in->family == AF_INET) {
		struct flowi4 fl4 = { .flowi4_oif = vrf };
		struct rtable *rt;

		memcpy(&fl4.daddr, in->daddr, 4);
		rt = ip_route_output_key(net, &fl4);
		dst = IS_ERR(rt) ? ERR_CAST(rt) : &rt->dst;
	} else {
		struct flowi6 fl6 = { .flowi6_oif = vrf };

		memcpy(&fl6.daddr, in->daddr, 16);
		dst = ip6_route_output(net, NULL, &fl6);
		if (dst->error) {
			dst_release(dst);
			dst = ERR_PTR(-ENETUNREACH);
		}
	}
	if (IS_ERR(dst) || dst->dev == lisp->dev) {
		if (!IS_ERR(dst))
			dst_release(dst);
		lisp_count(lisp, LISP_STAT_TX_NO_ROUTE);
		kfree_skb(skb);
		return;
	}

	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	lisp_count(lisp, LISP_STAT_TX_NATIVE);
	if (in->family == AF_INET) {
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
		ip_local_out(net, NULL, skb);
	} else {
		memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
		ip6_local_out(net, NULL, skb);
	}
}

static void lisp_rloc_count(struct lisp_rloc *rloc, unsigned int len)
{
	struct lisp_rloc_stats *s = this_cpu_ptr(rloc->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->packets);
	u64_stats_add(&s->bytes, len);
	u64_stats_update_end(&s->syncp);
}

/* Encapsulate @skb as @out says, under RCU; consumes @skb. */
static int lisp_send(struct lisp_dev *lisp, struct sk_buff *skb,
		     const struct outer_info *out, const struct inner_info *in)
{
	struct lisp_sock *ls = rcu_dereference(lisp->sock);
	struct socket *sock = NULL;
	int err;

	if (likely(ls))
		sock = out->family == AF_INET ? ls->sock4 : ls->sock6;
	if (unlikely(!sock)) {
		lisp_count(lisp, LISP_STAT_TX_NO_ROUTE);
		err = -ENETUNREACH;
		goto drop;
	}
	if (out->family == AF_INET)
		err = lisp_xmit4(lisp, skb, out, in, sock->sk);
	else
		err = lisp_xmit6(lisp, skb, out, in, sock->sk);
	if (likely(!err))
		return 0;
drop:
	kfree_skb(skb);
	return err;
}

/* To a locator: @addr, @port (0: the device's), LISP_RLOC_F_* @flags. */
static void outer_to_rloc(const struct lisp_dev *lisp, struct outer_info *out,
			  u8 family, const void *addr, __be16 port, u8 flags)
{
	const struct lisp_cfg *cfg = &lisp->cfg;

	*out = (struct outer_info) {
		.family = family,
		.tos = cfg->tos,
		.ttl = cfg->ttl,
		.df = cfg->df,
		.csum6 = !cfg->zero_csum6_tx,
		.dport = port ? : cfg->port,
		.iid = cfg->iid,
		.saddr4 = READ_ONCE(cfg->local),
		.saddr6 = cfg->local6,
	};
	memcpy(&out->daddr, addr, lisp_addr_len(family));
	/* Through a NAT: one 5-tuple keeps one binding. */
	if (flags & LISP_RLOC_F_FIXED_SPORT)
		out->sport = cfg->port;
}

/* Send @skb to one of @map's locators, under RCU; consumes @skb. */
static void lisp_encap(struct lisp_dev *lisp, struct sk_buff *skb,
		       struct lisp_map *map, const struct inner_info *in)
{
	const struct lisp_map_rloc *mr;
	struct outer_info out;
	unsigned int len;

	mr = lisp_map_select(map, skb_get_hash(skb));
	if (unlikely(!mr || !rcu_access_pointer(lisp->sock))) {
		lisp_count(lisp, LISP_STAT_TX_NO_RLOC);
		kfree_skb(skb);
		return;
	}
	outer_to_rloc(lisp, &out, mr->rloc->family, &mr->rloc->addr,
		      mr->port, mr->flags);
	out.cache = &mr->rloc->dst_cache;

	len = skb->len;
	if (lisp_send(lisp, skb, &out, in))
		return;
	lisp_map_used(map, len);
	lisp_rloc_count(mr->rloc, len);
}

/*
 * External mode: the RLOC, instance-id and outer fields come with the
 * packet (an lwtunnel route, tc's tunnel_key, BPF); what its metadata
 * leaves unset, the device's configuration gives. Under RCU; consumes
 * @skb.
 */
static void lisp_xmit_external(struct lisp_dev *lisp, struct sk_buff *skb,
			       const struct inner_info *in)
{
	struct ip_tunnel_info *info = skb_tunnel_info(skb);
	const struct lisp_cfg *cfg = &lisp->cfg;
	struct outer_info out = {};

	if (unlikely(!info || !(info->mode & IP_TUNNEL_INFO_TX) ||
		     be64_to_cpu(info->key.tun_id) > LISP_IID_MAX)) {
		lisp_count(lisp, LISP_STAT_TX_NO_RLOC);
		kfree_skb(skb);
		return;
	}
	out.iid = be64_to_cpu(info->key.tun_id);
	out.family = ip_tunnel_info_af(info);
	if (out.family == AF_INET) {
		out.daddr.v4 = info->key.u.ipv4.dst;
		out.saddr4 = info->key.u.ipv4.src ? : READ_ONCE(cfg->local);
	} else {
		out.daddr.v6 = info->key.u.ipv6.dst;
		out.saddr6 = ipv6_addr_any(&info->key.u.ipv6.src) ?
			     cfg->local6 : info->key.u.ipv6.src;
	}
	out.tos = info->key.tos ? : cfg->tos;
	out.ttl = info->key.ttl ? : cfg->ttl;
	out.df = lisp_tun_df(info) ? LISP_DF_SET : cfg->df;
	out.csum6 = lisp_tun_csum(info);
	out.dport = info->key.tp_dst ? : cfg->port;
	if (ip_tunnel_dst_cache_usable(skb, info))
		out.cache = &info->dst_cache;
	lisp_send(lisp, skb, &out, in);
}

/*
 * CTRL_SEND, under RCU with BH off: @skb, an inner packet the daemon
 * built, goes to @addr as to a locator with LISP_RLOC_F_FIXED_SPORT.
 * A control message must get through: the underlay may fragment it.
 * Consumes @skb.
 */
int lisp_xmit_ctrl(struct lisp_dev *lisp, struct sk_buff *skb, u8 family,
		   const void *addr, __be16 port)
{
	struct outer_info out;
	struct inner_info in;

	if (unlikely(!inner_parse(skb, &in))) {
		kfree_skb(skb);
		return -EINVAL;
	}
	in.df = false;
	outer_to_rloc(lisp, &out, family, addr, port,
		      LISP_RLOC_F_FIXED_SPORT);
	return lisp_send(lisp, skb, &out, &in);
}

/*
 * Receive path, under RCU: a decapsulated packet for an away EID goes on
 * to the EID's new site as if we had routed it into the device.
 */
void lisp_xmit_away(struct lisp_dev *lisp, struct sk_buff *skb,
		    struct lisp_map *map)
{
	struct inner_info in;

	if (unlikely(!inner_parse(skb, &in))) {
		lisp_count(lisp, LISP_STAT_TX_BAD_PROTO);
		kfree_skb(skb);
		return;
	}
	lisp_encap(lisp, skb, map, &in);
}

netdev_tx_t lisp_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct lisp_dev *lisp = netdev_priv(dev);
	struct inner_info in;
	struct lisp_map *map;

	rcu_read_lock();
	if (unlikely(!inner_parse(skb, &in))) {
		lisp_count(lisp, LISP_STAT_TX_BAD_PROTO);
		goto drop;
	}
	if (lisp->cfg.external) {
		lisp_xmit_external(lisp, skb, &in);
		goto out;
	}

	map = lisp_map_lookup(lisp, in.family, in.daddr);
	if (!map) {
		/* No Map-Request for multicast or link-local destinations. */
		if (unlikely(!inner_mappable(&in))) {
			lisp_count(lisp, LISP_STAT_TX_NO_ROUTE);
			goto drop;
		}
		lisp_pending_miss(lisp, skb, in.family, in.saddr, in.daddr);
		goto out;
	}
	if (map->action != LISP_ACTION_NONE) {
		switch (map->action) {
		case LISP_ACTION_NATIVE_FORWARD:
			lisp_forward_native(lisp, skb, &in);
			break;
		case LISP_ACTION_SEND_MAP_REQUEST:
			lisp_pending_miss(lisp, skb, in.family, in.saddr,
					  in.daddr);
			break;
		default:
			lisp_count(lisp, LISP_STAT_TX_NEGATIVE_DROP);
			kfree_skb(skb);
		}
		lisp_map_used(map, 0);
		goto out;
	}
	lisp_encap(lisp, skb, map, &in);
out:
	rcu_read_unlock();
	return NETDEV_TX_OK;

drop:
	rcu_read_unlock();
	kfree_skb(skb);
	return NETDEV_TX_OK;
}
