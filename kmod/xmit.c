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

#include "device.h"
#include "mapcache.h"
#include "socket.h"
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

static void lisp_build_header(struct lisphdr *lh, u32 iid)
{
	u32 nonce = get_random_u32();

	/* N: a random nonce, as RFC 9300 section 5.3 asks of an ITR. */
	lh->flags = LISP_F_N;
	lh->nonce[0] = nonce >> 16;
	lh->nonce[1] = nonce >> 8;
	lh->nonce[2] = nonce;
	if (iid) {
		lh->flags |= LISP_F_I;
		lh->iid_lsb = cpu_to_be32(iid << 8);
	} else {
		lh->iid_lsb = 0;
	}
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

static u8 outer_tos(const struct lisp_cfg *cfg, const struct inner_info *in)
{
	u8 tos = cfg->tos == 1 ? in->tos : cfg->tos;

	/* RFC 6040 normal mode: the ECN field is copied, CE included. */
	return (tos & ~INET_ECN_MASK) | (in->tos & INET_ECN_MASK);
}

static bool outer_df(const struct lisp_cfg *cfg, const struct inner_info *in)
{
	switch (cfg->df) {
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
				  struct lisp_rloc *rloc, __be32 *saddr)
{
	struct flowi4 fl4;
	struct rtable *rt;

	rt = dst_cache_get_ip4(&rloc->dst_cache, saddr);
	if (rt)
		return rt;

	memset(&fl4, 0, sizeof(fl4));
	fl4.flowi4_proto = IPPROTO_UDP;
	fl4.daddr = rloc->addr.v4;
	fl4.saddr = READ_ONCE(lisp->cfg.local);
	fl4.fl4_dport = lisp->cfg.port;
	rt = ip_route_output_key(lisp->net, &fl4);
	if (IS_ERR(rt))
		return rt;
	if (rt->dst.dev == lisp->dev) {	/* the RLOC is behind ourselves */
		ip_rt_put(rt);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl4.saddr;
	dst_cache_set_ip4(&rloc->dst_cache, &rt->dst, fl4.saddr);
	return rt;
}

static int lisp_xmit4(struct lisp_dev *lisp, struct sk_buff *skb,
		      struct lisp_rloc *rloc, const struct inner_info *in,
		      struct sock *sk)
{
	const struct lisp_cfg *cfg = &lisp->cfg;
	bool df = outer_df(cfg, in);
	struct rtable *rt;
	__be16 sport;
	__be32 saddr;
	int err;

	rt = lisp_route4(lisp, rloc, &saddr);
	if (IS_ERR(rt)) {
		lisp_count(lisp, LISP_STAT_TX_NO_ROUTE);
		return PTR_ERR(rt);
	}
	if (lisp_refuse_too_big(lisp, skb, in,
				dst_mtu(&rt->dst) - LISP_IPV4_HLEN, &df)) {
		ip_rt_put(rt);
		return -EMSGSIZE;
	}

	sport = udp_flow_src_port(lisp->net, skb, 0, 0, true);
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
	lisp_build_header(__skb_push(skb, sizeof(struct lisphdr)), cfg->iid);

	/* RFC 9300 section 5.3: outer UDP checksum zero over IPv4. */
	udp_tunnel_xmit_skb(rt, sk, skb, saddr, rloc->addr.v4,
			    outer_tos(cfg, in), cfg->ttl ? cfg->ttl : in->ttl,
			    df ? htons(IP_DF) : 0, sport, cfg->port,
			    lisp_xnet(lisp), true);
	return 0;
}

static struct dst_entry *lisp_route6(struct lisp_dev *lisp,
				     struct lisp_rloc *rloc, struct sock *sk,
				     struct in6_addr *saddr)
{
	struct dst_entry *dst;
	struct flowi6 fl6;

	dst = dst_cache_get_ip6(&rloc->dst_cache, saddr);
	if (dst)
		return dst;

	memset(&fl6, 0, sizeof(fl6));
	fl6.flowi6_proto = IPPROTO_UDP;
	fl6.daddr = rloc->addr.v6;
	fl6.saddr = lisp->cfg.local6;
	fl6.fl6_dport = lisp->cfg.port;
	dst = ipv6_stub->ipv6_dst_lookup_flow(lisp->net, sk, &fl6, NULL);
	if (IS_ERR(dst))
		return dst;
	if (dst->dev == lisp->dev) {
		dst_release(dst);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl6.saddr;
	dst_cache_set_ip6(&rloc->dst_cache, dst, &fl6.saddr);
	return dst;
}

static int lisp_xmit6(struct lisp_dev *lisp, struct sk_buff *skb,
		      struct lisp_rloc *rloc, const struct inner_info *in,
		      struct sock *sk)
{
	const struct lisp_cfg *cfg = &lisp->cfg;
	bool nocheck = cfg->zero_csum6_tx;
	struct in6_addr saddr;
	struct dst_entry *dst;
	bool df = true;
	__be16 sport;
	int err;

	dst = lisp_route6(lisp, rloc, sk, &saddr);
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

	sport = udp_flow_src_port(lisp->net, skb, 0, 0, true);
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
	lisp_build_header(__skb_push(skb, sizeof(struct lisphdr)), cfg->iid);

	lisp_udp6_xmit(dst, sk, skb, lisp->dev, &saddr, &rloc->addr.v6,
		       outer_tos(cfg, in), cfg->ttl ? cfg->ttl : in->ttl, 0,
		       sport, cfg->port, nocheck);
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

/* Send @skb to one of @map's locators, under RCU; consumes @skb. */
static void lisp_encap(struct lisp_dev *lisp, struct sk_buff *skb,
		       struct lisp_map *map, const struct inner_info *in)
{
	const struct lisp_map_rloc *mr;
	struct lisp_sock *ls;
	unsigned int len;
	int err;

	mr = lisp_map_select(map, skb_get_hash(skb));
	ls = rcu_dereference(lisp->sock);
	if (unlikely(!mr || !ls)) {
		lisp_count(lisp, LISP_STAT_TX_NO_RLOC);
		goto drop;
	}

	len = skb->len;
	if (mr->rloc->family == AF_INET) {
		if (unlikely(!ls->sock4))
			goto no_route;
		err = lisp_xmit4(lisp, skb, mr->rloc, in, ls->sock4->sk);
	} else {
		if (unlikely(!ls->sock6))
			goto no_route;
		err = lisp_xmit6(lisp, skb, mr->rloc, in, ls->sock6->sk);
	}
	if (unlikely(err))
		goto drop;
	lisp_map_used(map, len);
	lisp_rloc_count(mr->rloc, len);
	return;

no_route:
	lisp_count(lisp, LISP_STAT_TX_NO_ROUTE);
drop:
	kfree_skb(skb);
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
