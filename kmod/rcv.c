// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: the UDP socket's encap_rcv hands us every datagram to the LISP
 * data port. Validate the header, find the device of its instance-id,
 * strip the encapsulation (RFC 9300 section 5.3) and deliver the inner
 * packet on that device, or send it on when its EID has moved away.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/udp.h>
#include <net/gro.h>
#include <net/protocol.h>
#include <net/inet_ecn.h>
#include <net/dsfield.h>
#include <net/ip_tunnels.h>
#include <net/dst_metadata.h>

#include "device.h"
#include "database.h"
#include "mapcache.h"
#include "netlink.h"
#include "socket.h"
#include "xmit.h"
#include "ctrl.h"
#include "compat.h"

static void net_count(struct net *net, enum lisp_stat stat)
{
	struct lisp_counters *c = this_cpu_ptr(lisp_net(net)->counters);

	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->c[stat]);
	u64_stats_update_end(&c->syncp);
}

/* Returns the reason to drop, or 0 when the header is one we accept. */
static int lisp_hdr_check(const struct lisphdr *lh)
{
	/* RFC 9300 section 5.3: N and V are mutually exclusive. */
	if ((lh->flags & LISP_F_N) && (lh->flags & LISP_F_V))
		return LISP_STAT_RX_BAD_FLAGS;
	/* LISP-crypto (RFC 8061) payloads: we hold no keys. */
	if (lh->flags & LISP_F_KK)
		return LISP_STAT_RX_ENCRYPTED;
	return 0;
}

static u32 lisp_hdr_iid(const struct lisphdr *lh)
{
	return (lh->flags & LISP_F_I) ? be32_to_cpu(lh->iid_lsb) >> 8 : 0;
}

/* The instance-id's own device, else the port's external one. */
static struct lisp_dev *lisp_find_iid(struct lisp_sock *ls, u32 iid)
{
	struct lisp_dev *lisp;

	hash_for_each_possible_rcu(ls->iids, lisp, iid_node, iid)
		if (lisp->cfg.iid == iid)
			return lisp;
	return rcu_dereference(ls->external);
}

/*
 * External mode: the instance-id (as tunnel id), the outer addresses,
 * TOS, TTL and ports go up with the packet for tc, BPF or OVS to read.
 * After the outer headers were pulled: that drops the underlay's route.
 */
static bool lisp_rcv_metadata(struct sk_buff *skb, unsigned short family,
			      u32 iid)
{
	struct metadata_dst *md;

	md = lisp_tun_rx_dst(skb, family, cpu_to_be64(iid));
	if (!md)
		return false;
	skb_dst_set(skb, &md->dst);
	return true;
}

/*
 * RFC 9300 section 5.3: the outer TTL is copied in only when smaller. The
 * header is writable (see inner_make_writable). IPv4's header checksum
 * changes with the TTL, so the packet's sum does not; IPv6 has none, so a
 * CHECKSUM_COMPLETE sum is fixed up for the 32-bit word that changed.
 */
static void inner_ttl_update(struct sk_buff *skb, u8 outer_ttl)
{
	if (skb->protocol == htons(ETH_P_IP)) {
		struct iphdr *iph = ip_hdr(skb);

		if (outer_ttl < iph->ttl) {
			csum_replace2(&iph->check, htons(iph->ttl << 8),
				      htons(outer_ttl << 8));
			iph->ttl = outer_ttl;
		}
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);
		__be32 *word = (__be32 *)&ip6h->payload_len, from, to;

		if (outer_ttl >= ip6h->hop_limit)
			return;
		from = *word;
		ip6h->hop_limit = outer_ttl;
		to = *word;
		if (skb->ip_summed == CHECKSUM_COMPLETE)
			skb->csum = csum_add(csum_sub(skb->csum,
						      (__force __wsum)from),
					     (__force __wsum)to);
	}
}

/*
 * Decapsulation rewrites the inner TTL or ECN field: the header must be
 * ours first, not shared with a clone (a packet socket on the underlay).
 */
static bool inner_make_writable(struct sk_buff *skb, u8 outer_tos,
				u8 outer_ttl)
{
	unsigned int len;
	u8 ttl;

	if (skb->protocol == htons(ETH_P_IP)) {
		len = sizeof(struct iphdr);
		ttl = ip_hdr(skb)->ttl;
	} else {
		len = sizeof(struct ipv6hdr);
		ttl = ipv6_hdr(skb)->hop_limit;
	}
	if (outer_ttl >= ttl && !INET_ECN_is_ce(outer_tos))
		return true;
	return !skb_ensure_writable(skb, len);
}

/* Forwarded, not delivered: the TTL goes down as in any router. */
static bool inner_ttl_dec(struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP)) {
		if (skb_ensure_writable(skb, sizeof(struct iphdr)) ||
		    ip_hdr(skb)->ttl <= 1)
			return false;
		ip_decrease_ttl(ip_hdr(skb));
	} else {
		if (skb_ensure_writable(skb, sizeof(struct ipv6hdr)) ||
		    ipv6_hdr(skb)->hop_limit <= 1)
			return false;
		ipv6_hdr(skb)->hop_limit--;
	}
	return true;
}

/* Where the inner transport header is, as ip_rcv and ipv6_rcv set it. */
static bool inner_set_transport(struct sk_buff *skb)
{
	unsigned int len = sizeof(struct ipv6hdr);

	if (skb->protocol == htons(ETH_P_IP)) {
		len = ip_hdr(skb)->ihl * 4;
		if (!pskb_may_pull(skb, len))
			return false;
	}
	skb_set_transport_header(skb, len);
	return true;
}

/*
 * The encapsulating ITR: the outer source, before the headers go, and
 * the outer destination (a control message's must be the inner one's).
 */
struct outer_src {
	u8 family;
	__be16 port;
	u8 addr[16];
	u8 daddr[16];
};

static void outer_src_get(const struct sk_buff *skb, struct outer_src *src)
{
	memset(src, 0, sizeof(*src));
	src->port = udp_hdr(skb)->source;
	if (skb->protocol == htons(ETH_P_IP)) {
		src->family = AF_INET;
		memcpy(src->addr, &ip_hdr(skb)->saddr, 4);
		memcpy(src->daddr, &ip_hdr(skb)->daddr, 4);
	} else {
		src->family = AF_INET6;
		memcpy(src->addr, &ipv6_hdr(skb)->saddr, 16);
		memcpy(src->daddr, &ipv6_hdr(skb)->daddr, 16);
	}
}

/* The away map-cache entry for the inner destination, if there is one. */
static struct lisp_map *away_map(struct lisp_dev *lisp, u8 family,
				 const u8 *daddr)
{
	struct lisp_map *map = lisp_map_lookup(lisp, family, daddr);

	return map && (map->flags & LISP_MAP_F_AWAY) ? map : NULL;
}

/*
 * The inner destination moved to another site (@map, an away entry):
 * have the daemon ask the ITR to re-resolve it (SMR, rate-limited per
 * ITR) and send the packet on, so none is lost meanwhile. Two sites that
 * each think the other has the EID wear the TTL down, and the loop ends.
 */
static void lisp_rcv_away(struct lisp_dev *lisp, struct sk_buff *skb,
			  struct lisp_map *map, const struct outer_src *itr)
{
	u8 family, saddr[16] = {}, daddr[16] = {};

	if (skb->protocol == htons(ETH_P_IP)) {
		family = AF_INET;
		memcpy(saddr, &ip_hdr(skb)->saddr, 4);
		memcpy(daddr, &ip_hdr(skb)->daddr, 4);
	} else {
		family = AF_INET6;
		memcpy(saddr, &ipv6_hdr(skb)->saddr, 16);
		memcpy(daddr, &ipv6_hdr(skb)->daddr, 16);
	}
	if (lisp_map_smr_due(map, itr->family, itr->addr) &&
	    !lisp_notify_smr(lisp, family, saddr, daddr, itr->family,
			     itr->addr))
		lisp_count(lisp, LISP_STAT_SMR);

	if (!inner_ttl_dec(skb)) {
		lisp_count(lisp, LISP_STAT_RX_AWAY_TTL);
		kfree_skb(skb);
		return;
	}
	/*
	 * The transport header still marks the outer UDP header; the MTU
	 * check of a GRO-merged packet and the tunnel offloads read it.
	 */
	if (!inner_set_transport(skb)) {
		lisp_count(lisp, LISP_STAT_RX_BAD_INNER);
		kfree_skb(skb);
		return;
	}
	lisp_count(lisp, LISP_STAT_RX_AWAY);
	dev_sw_netstats_rx_add(lisp->dev, skb->len);
	lisp_xmit_away(lisp, skb, map);
}

/*
 * IFLA_LISP_RLOC_CHECK: only a locator of the inner source's own entry
 * may send for it. An RTR on the Internet so takes data only from the
 * xTRs registered through it, each from its NAT's address and port. A
 * source no entry vouches for (none, or a negative one) may still reach
 * an xTR registered through us (a locator with a port): any site may
 * send to the xTRs behind the RTR, nobody through it to a stranger.
 */
static bool rloc_check_ok(struct lisp_dev *lisp, struct sk_buff *skb,
			  u8 family, const u8 *daddr,
			  const struct outer_src *src)
{
	const void *saddr = family == AF_INET ?
			    (const void *)&ip_hdr(skb)->saddr :
			    (const void *)&ipv6_hdr(skb)->saddr;
	const struct lisp_map *map = lisp_map_lookup(lisp, family, saddr);

	if (map && map->nr_rlocs)
		return lisp_map_src_ok(map, src->family, src->addr, src->port);
	map = lisp_map_lookup(lisp, family, daddr);
	return map && lisp_map_has_port(map);
}

static bool inner_daddr(struct sk_buff *skb, u8 *family, u8 *daddr)
{
	memset(daddr, 0, 16);
	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->ihl < 5)
			return false;
		*family = AF_INET;
		memcpy(daddr, &iph->daddr, 4);
	} else {
		*family = AF_INET6;
		memcpy(daddr, &ipv6_hdr(skb)->daddr, 16);
	}
	return true;
}

int lisp_udp_encap_recv(struct sock *sk, struct sk_buff *skb)
{
	struct lisp_sock *ls = rcu_dereference_sk_user_data(sk);
	struct net *net = sock_net(sk);
	struct lisp_map *away = NULL;
	struct outer_src itr;
	struct lisp_dev *lisp;
	struct lisphdr *lh;
	bool has_away, rloc_check, ctrl_punt;
	u8 outer_tos, outer_ttl, version, family, daddr[16];
	unsigned short outer_family;
	unsigned int len;
	u32 iid;
	__be16 proto;
	int reason;

	if (!ls)
		goto drop;
	if (!pskb_may_pull(skb, LISP_HLEN + 1)) {
		net_count(net, LISP_STAT_RX_TRUNCATED);
		goto drop;
	}
	lh = (struct lisphdr *)(udp_hdr(skb) + 1);
	reason = lisp_hdr_check(lh);
	if (reason) {
		net_count(net, reason);
		goto drop;
	}
	iid = lisp_hdr_iid(lh);
	lisp = lisp_find_iid(ls, iid);
	if (!lisp) {
		net_count(net, LISP_STAT_RX_UNKNOWN_IID);
		goto drop;
	}

	version = *(u8 *)(lh + 1) >> 4;
	if (version == 4) {
		proto = htons(ETH_P_IP);
	} else if (version == 6) {
		proto = htons(ETH_P_IPV6);
	} else {
		lisp_count(lisp, LISP_STAT_RX_BAD_INNER);
		goto drop;
	}

	if (skb->protocol == htons(ETH_P_IP)) {
		outer_family = AF_INET;
		outer_tos = ip_hdr(skb)->tos;
		outer_ttl = ip_hdr(skb)->ttl;
	} else {
		outer_family = AF_INET6;
		outer_tos = ipv6_get_dsfield(ipv6_hdr(skb));
		outer_ttl = ipv6_hdr(skb)->hop_limit;
	}
	has_away = !lisp->cfg.external && READ_ONCE(lisp->nr_away);
	rloc_check = READ_ONCE(lisp->cfg.rloc_check);
	ctrl_punt = READ_ONCE(lisp->cfg.ctrl_punt);
	if (has_away || rloc_check || ctrl_punt)
		outer_src_get(skb, &itr);

	if (__iptunnel_pull_header(skb, LISP_HLEN, proto, false,
				   !net_eq(lisp->net, dev_net(lisp->dev)))) {
		lisp_count(lisp, LISP_STAT_RX_NOMEM);
		goto drop;
	}
	if (lisp->cfg.external && !lisp_rcv_metadata(skb, outer_family, iid)) {
		lisp_count(lisp, LISP_STAT_RX_NOMEM);
		goto drop;
	}
	skb->dev = lisp->dev;
	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	if (!pskb_inet_may_pull(skb)) {
		lisp_count(lisp, LISP_STAT_RX_BAD_INNER);
		goto drop;
	}
	if (!inner_daddr(skb, &family, daddr)) {
		lisp_count(lisp, LISP_STAT_RX_BAD_INNER);
		goto drop;
	}
	/* Before the checks below: an xTR not yet registered asks here. */
	if (ctrl_punt) {
		len = lisp_ctrl_match(skb, family, daddr, itr.family,
				      itr.daddr);
		if (len) {
			lisp_ctrl_punt(lisp, skb, len, itr.family, itr.addr,
				       itr.port);
			return 0;
		}
	}
	if (rloc_check && !rloc_check_ok(lisp, skb, family, daddr, &itr)) {
		lisp_count(lisp, LISP_STAT_RX_RLOC_CHECK);
		goto drop;
	}
	/* Before the database: an EID that left may be gone from it. */
	if (has_away)
		away = away_map(lisp, family, daddr);
	if (!away && !lisp->cfg.external &&
	    !lisp_db_accepts(lisp, family, daddr)) {
		lisp_count(lisp, LISP_STAT_RX_NOT_OURS);
		goto drop;
	}

	if (!inner_make_writable(skb, outer_tos, outer_ttl)) {
		lisp_count(lisp, LISP_STAT_RX_NOMEM);
		goto drop;
	}
	/* RFC 6040 section 4.2: CE outside and Not-ECT inside is dropped. */
	if (INET_ECN_decapsulate(skb, outer_tos,
				 family == AF_INET ? ip_hdr(skb)->tos :
				 ipv6_get_dsfield(ipv6_hdr(skb))) > 1) {
		lisp_count(lisp, LISP_STAT_RX_ECN_DROP);
		goto drop;
	}
	inner_ttl_update(skb, outer_ttl);
	if (away) {
		lisp_rcv_away(lisp, skb, away, &itr);
		return 0;
	}

	/*
	 * Counted once delivered: a full cell queue drops the packet, and
	 * counts it in the device's rx_dropped itself.
	 */
	len = skb->len;
	if (gro_cells_receive(&lisp->gro_cells, skb) == NET_RX_SUCCESS)
		dev_sw_netstats_rx_add(lisp->dev, len);
	return 0;

drop:
	kfree_skb(skb);
	return 0;
}

/*
 * An ICMP error quoting one of our outer packets: fragmentation needed
 * or packet too big from an underlay router. The UDP core found this
 * socket by the quoted destination port and asks whether the datagram
 * is ours; saying yes makes it update the path MTU (or follow the
 * redirect) towards the quoted destination, as vxlan and geneve have it.
 * Only a quote of a LISP header for an instance-id served here counts,
 * so that a stranger needs more than the port to move our paths.
 */
int lisp_udp_encap_err_lookup(struct sock *sk, struct sk_buff *skb)
{
	struct lisp_sock *ls = rcu_dereference_sk_user_data(sk);
	const struct lisphdr *lh;
	struct lisp_dev *lisp;

	if (!ls || !pskb_may_pull(skb, skb_transport_offset(skb) + LISP_HLEN))
		return -EINVAL;
	lh = (const struct lisphdr *)(udp_hdr(skb) + 1);
	if (lisp_hdr_check(lh))
		return -ENOENT;
	lisp = lisp_find_iid(ls, lisp_hdr_iid(lh));
	if (!lisp)
		return -ENOENT;
	/* Called once per error, before the core acts on it. */
	lisp_count(lisp, LISP_STAT_RX_ICMP_ERR);
	return 0;
}

/*
 * GRO: packets of one flow arrive back to back with identical LISP
 * headers but for the nonce; merge them under the inner protocol's GRO so
 * the stack sees one large segment, as vxlan and fou do.
 */
struct sk_buff *lisp_gro_receive(struct sock *sk, struct list_head *head,
				 struct sk_buff *skb)
{
	unsigned int off = skb_gro_offset(skb);
	const struct packet_offload *ptype;
	struct sk_buff *pp = NULL, *p;
	const struct lisphdr *lh;
	int flush = 1;
	__be16 type;
	u8 version;

	lh = skb_gro_header(skb, off + sizeof(*lh) + 1, off);
	if (!lh || lisp_hdr_check(lh))
		goto out;

	version = *(const u8 *)(lh + 1) >> 4;
	if (version == 4)
		type = htons(ETH_P_IP);
	else if (version == 6)
		type = htons(ETH_P_IPV6);
	else
		goto out;

	list_for_each_entry(p, head, list) {
		const struct lisphdr *lh2;

		if (!NAPI_GRO_CB(p)->same_flow)
			continue;
		lh2 = (const struct lisphdr *)(p->data + off);
		if (((lh->flags ^ lh2->flags) & (LISP_F_I | LISP_F_L)) ||
		    lh->iid_lsb != lh2->iid_lsb)
			NAPI_GRO_CB(p)->same_flow = 0;
	}

	skb_gro_pull(skb, sizeof(*lh));
	skb_gro_postpull_rcsum(skb, lh, sizeof(*lh));

	ptype = gro_find_receive_by_type(type);
	if (!ptype)
		goto out;
	pp = call_gro_receive(ptype->callbacks.gro_receive, head, skb);
	flush = 0;
out:
	skb_gro_flush_final(skb, pp, flush);
	return pp;
}

int lisp_gro_complete(struct sock *sk, struct sk_buff *skb, int nhoff)
{
	unsigned int inner = nhoff + sizeof(struct lisphdr);
	const struct packet_offload *ptype;
	__be16 type;

	type = (skb->data[inner] >> 4) == 4 ? htons(ETH_P_IP) :
					      htons(ETH_P_IPV6);
	ptype = gro_find_complete_by_type(type);
	if (!ptype)
		return -ENOENT;
	skb_set_inner_mac_header(skb, inner);
	return ptype->callbacks.gro_complete(skb, inner);
}
