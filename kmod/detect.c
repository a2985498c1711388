// SPDX-License-Identifier: GPL-2.0
/*
 * Dynamic EIDs, the packet side: what the netfilter hooks and the RARP
 * handler make of a frame (see dyneid.c for the rules and the table),
 * their registration while the namespace has a policy, and the ARP /
 * neighbour-solicitation probes. It calls the table; the table calls it
 * back only through lisp_detect_ops.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_arp.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/addrconf.h>
#include <net/arp.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include <net/route.h>
#include <linux/lisp.h>

#include "dyneid.h"

/* The Ethernet source of a received frame, NULL on other links. */
static const u8 *frame_source(const struct sk_buff *skb)
{
	if (skb->dev->type != ARPHRD_ETHER || !skb_mac_header_was_set(skb) ||
	    skb_mac_header_len(skb) < ETH_HLEN)
		return NULL;
	return eth_hdr(skb)->h_source;
}

static unsigned int dyn_ipv4_in(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	u8 addr[16] = {};
	const u8 *mac;

	/* Sent to our MAC: routed through us, or for us. */
	if (skb->pkt_type != PACKET_HOST)
		return NF_ACCEPT;
	mac = frame_source(skb);
	if (!mac)
		return NF_ACCEPT;
	memcpy(addr, &ip_hdr(skb)->saddr, 4);
	lisp_dyn_seen(priv, state->in, AF_INET, addr, mac, LISP_DETECT_ROUTED);
	return NF_ACCEPT;
}

/*
 * RFC 4861 sections 7.1.1 and 7.1.2, as ndisc.c checks them: a neighbour
 * solicitation or advertisement of @len bytes at @off (ICMPv6 right after
 * the IPv6 header) that a node would accept.
 */
static bool nd_valid(const struct sk_buff *skb, const struct ipv6hdr *ip6,
		     const struct nd_msg *nd, unsigned int off,
		     unsigned int len)
{
	const struct nd_opt_hdr *o;
	struct nd_opt_hdr _o;
	unsigned int at, l;

	if (ip6->hop_limit != 255 || nd->icmph.icmp6_code ||
	    ipv6_addr_is_multicast(&nd->target))
		return false;
	if (nd->icmph.icmp6_type == NDISC_NEIGHBOUR_ADVERTISEMENT &&
	    ipv6_addr_is_multicast(&ip6->daddr) && nd->icmph.icmp6_solicited)
		return false;
	/* The hook runs before icmpv6_rcv(): verify the checksum here. */
	if (!skb_csum_unnecessary(skb) &&
	    csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len, IPPROTO_ICMPV6,
			    skb_checksum(skb, off, len, 0)))
		return false;
	/* Options: each at least 8 bytes, none past the end. */
	for (at = sizeof(*nd); at < len; at += l) {
		o = skb_header_pointer(skb, off + at, sizeof(_o), &_o);
		if (!o || len - at < sizeof(*o))
			return false;
		l = o->nd_opt_len << 3;
		if (!l || l > len - at)
			return false;
	}
	return true;
}

static unsigned int dyn_ipv6_in(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	unsigned int off = skb_network_offset(skb) + sizeof(*ip6), len;
	const u8 *host = ip6->saddr.s6_addr;
	const struct nd_msg *nd = NULL;
	u8 how = LISP_DETECT_ROUTED;
	struct icmp6hdr _ic;
	const struct icmp6hdr *ic = NULL;
	struct nd_msg _nd;
	const u8 *mac;
	u8 type = 0;

	mac = frame_source(skb);
	if (!mac)
		return NF_ACCEPT;
	if (ip6->nexthdr == IPPROTO_ICMPV6)
		ic = skb_header_pointer(skb, off, sizeof(_ic), &_ic);
	if (ic && (ic->icmp6_type == NDISC_NEIGHBOUR_SOLICITATION ||
		   ic->icmp6_type == NDISC_NEIGHBOUR_ADVERTISEMENT)) {
		type = ic->icmp6_type;
		len = ntohs(ip6->payload_len);
		if (len >= sizeof(*nd) && off + len <= skb->len)
			nd = skb_header_pointer(skb, off, sizeof(_nd), &_nd);
		if (nd && type == NDISC_NEIGHBOUR_ADVERTISEMENT)
			host = nd->target.s6_addr;
		if (!lisp_dyn_watched(priv, AF_INET6, host, state->in->ifindex))
			return NF_ACCEPT;
		if (!nd || !nd_valid(skb, ip6, nd, off, len)) {
			lisp_dyn_seen(priv, state->in, AF_INET6, host, mac,
				      DYN_INVALID);
			return NF_ACCEPT;
		}
	}
	if (type == NDISC_NEIGHBOUR_SOLICITATION) {
		/* Resolving one of our addresses; DAD (from ::) is not. */
		if (ipv6_addr_any(&ip6->saddr) ||
		    !ipv6_chk_addr(state->net, &nd->target, state->in, 0))
			return NF_ACCEPT;
		how = LISP_DETECT_ND;
	} else if (type == NDISC_NEIGHBOUR_ADVERTISEMENT) {
		/* A reply to us, or an announcement to all nodes. */
		if (skb->pkt_type == PACKET_HOST)
			how = LISP_DETECT_ND;
		else if (ipv6_addr_is_multicast(&ip6->daddr))
			how = DYN_ANNOUNCE;
		else
			return NF_ACCEPT;
	} else if (skb->pkt_type != PACKET_HOST) {
		return NF_ACCEPT;
	}
	lisp_dyn_seen(priv, state->in, AF_INET6, host, mac, how);
	return NF_ACCEPT;
}

/* An Ethernet/IPv4 ARP or RARP packet. */
struct dyn_arp {
	struct arphdr h;
	u8 sha[ETH_ALEN];
	__be32 sip;
	u8 tha[ETH_ALEN];
	__be32 tip;
} __packed;

static const struct dyn_arp *arp_parse(const struct sk_buff *skb,
				       struct dyn_arp *buf)
{
	const struct dyn_arp *a;

	a = skb_header_pointer(skb, skb_network_offset(skb), sizeof(*buf),
			       buf);
	if (!a || a->h.ar_hrd != htons(ARPHRD_ETHER) ||
	    a->h.ar_pro != htons(ETH_P_IP) || a->h.ar_hln != ETH_ALEN ||
	    a->h.ar_pln != 4)
		return NULL;
	return a;
}

static bool addr_is_ours(struct net *net, const struct net_device *dev,
			 __be32 addr)
{
	return inet_addr_type_dev_table(net, dev, addr) == RTN_LOCAL;
}

static unsigned int dyn_arp_in(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	const struct net_device *dev = state->in;
	const struct dyn_arp *a;
	struct dyn_arp buf;
	u8 addr[16] = {};
	const u8 *mac;
	u16 op;

	a = arp_parse(skb, &buf);
	mac = frame_source(skb);
	/* A sender of 0.0.0.0 is an RFC 5227 probe: nobody yet. */
	if (!a || !mac || !a->sip)
		return NF_ACCEPT;
	memcpy(addr, &a->sip, 4);
	if (!lisp_dyn_watched(priv, AF_INET, addr, dev->ifindex))
		return NF_ACCEPT;
	op = ntohs(a->h.ar_op);
	if (a->sip == a->tip)
		lisp_dyn_seen(priv, dev, AF_INET, addr, mac, DYN_ANNOUNCE);
	else if ((op == ARPOP_REQUEST ||
		  (op == ARPOP_REPLY && skb->pkt_type == PACKET_HOST)) &&
		 addr_is_ours(state->net, dev, a->tip))
		lisp_dyn_seen(priv, dev, AF_INET, addr, mac, LISP_DETECT_ARP);
	return NF_ACCEPT;
}

/* ---- RARP: the host announces only its MAC ---- */

struct rarp_lookup {
	const struct net_device *dev;
	const u8 *mac;
	unsigned int n;
	u8 family[DYN_RARP_ADDRS];
	u8 addr[DYN_RARP_ADDRS][16];
};

static void rarp_add(void *arg, u8 family, const u8 *addr)
{
	struct rarp_lookup *l = arg;
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (l->family[i] == family && !memcmp(l->addr[i], addr, 16))
			return;
	if (l->n == DYN_RARP_ADDRS)
		return;
	l->family[l->n] = family;
	memcpy(l->addr[l->n++], addr, 16);
}

static void rarp_neigh(struct neighbour *n, void *data)
{
	struct rarp_lookup *l = data;
	u8 ha[MAX_ADDR_LEN], addr[16] = {};

	if (n->dev != l->dev || !(READ_ONCE(n->nud_state) & NUD_VALID))
		return;
	neigh_ha_snapshot(ha, n, n->dev);
	if (!ether_addr_equal_unaligned(ha, l->mac))
		return;
	memcpy(addr, n->primary_key, n->tbl->key_len);
	rarp_add(l, n->tbl->family, addr);
}

static void dyn_rarp(struct lisp_dyn_net *dn, struct sk_buff *skb,
		     struct net_device *dev)
{
	struct rarp_lookup l = { .dev = dev };
	const struct dyn_arp *a;
	struct dyn_arp buf;
	unsigned int i;

	a = arp_parse(skb, &buf);
	l.mac = frame_source(skb);
	if (!a || !l.mac || ntohs(a->h.ar_op) != ARPOP_RREQUEST)
		return;
	/* The walks below are costly: watched interfaces only, rate-limited. */
	if (!lisp_dyn_rarp_allowed(dn, dev->ifindex))
		return;
	/* Which addresses this MAC had: our hosts, then the neighbours. */
	lisp_dyn_for_mac(dn, l.mac, rarp_add, &l);
	neigh_for_each(&arp_tbl, rarp_neigh, &l);
	if (ipv6_mod_enabled())
		neigh_for_each(&nd_tbl, rarp_neigh, &l);
	for (i = 0; i < l.n; i++)
		lisp_dyn_seen(dn, dev, l.family[i], l.addr[i], l.mac, DYN_ANNOUNCE);
}

static int dyn_rarp_rcv(struct sk_buff *skb, struct net_device *dev,
			struct packet_type *pt, struct net_device *orig_dev)
{
	struct lisp_dyn_net *dn = container_of(pt, struct lisp_dyn_net, rarp);

	if (net_eq(dev_net(dev), dn->net) &&
	    skb->pkt_type != PACKET_OTHERHOST &&
	    skb->pkt_type != PACKET_LOOPBACK)
		dyn_rarp(dn, skb, dev);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

/* ---- probes ---- */

static void probe_arp(struct net_device *dev, const struct dyn_probe *pr)
{
	__be32 dst, src;

	memcpy(&dst, pr->addr, 4);
	src = inet_select_addr(dev, dst, RT_SCOPE_LINK);
	if (src)
		arp_send(ARPOP_REQUEST, ETH_P_ARP, dst, dev, src, pr->mac,
			 dev->dev_addr, NULL);
}

/* A unicast NS to the host's MAC, as neighbour unreachability does. */
static void probe_ns(struct net *net, struct net_device *dev,
		     const struct dyn_probe *pr)
{
	int len = sizeof(struct nd_msg) + 8;	/* + source link-layer option */
	const struct in6_addr *dst = (const struct in6_addr *)pr->addr;
	struct in6_addr src;
	struct ipv6hdr *ip6;
	struct sk_buff *skb;
	struct nd_msg *ns;

	if (ipv6_dev_get_saddr(net, dev, dst, 0, &src))
		return;
	skb = alloc_skb(LL_RESERVED_SPACE(dev) + sizeof(*ip6) + len +
			dev->needed_tailroom, GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	skb_reset_network_header(skb);
	ip6 = skb_put(skb, sizeof(*ip6));
	ip6_flow_hdr(ip6, 0, 0);
	ip6->payload_len = htons(len);
	ip6->nexthdr = IPPROTO_ICMPV6;
	ip6->hop_limit = 255;
	ip6->saddr = src;
	ip6->daddr = *dst;
	ns = skb_put_zero(skb, len);
	ns->icmph.icmp6_type = NDISC_NEIGHBOUR_SOLICITATION;
	ns->target = *dst;
	ns->opt[0] = ND_OPT_SOURCE_LL_ADDR;
	ns->opt[1] = 1;			/* in units of 8 octets */
	memcpy(&ns->opt[2], dev->dev_addr, ETH_ALEN);
	ns->icmph.icmp6_cksum = csum_ipv6_magic(&src, dst, len, IPPROTO_ICMPV6,
						csum_partial(ns, len, 0));
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IPV6);
	if (dev_hard_header(skb, dev, ETH_P_IPV6, pr->mac, dev->dev_addr,
			    skb->len) < 0) {
		kfree_skb(skb);
		return;
	}
	dev_queue_xmit(skb);
}

static void detect_probe(struct lisp_dyn_net *dn, const struct dyn_probe *pr)
{
	struct net_device *dev;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(dn->net, pr->ifindex);
	if (dev && netif_running(dev)) {
		if (pr->family == AF_INET)
			probe_arp(dev, pr);
		else
			probe_ns(dn->net, dev, pr);
	}
	rcu_read_unlock();
}

static const struct nf_hook_ops dyn_hook_templates[] = {
	{
		.hook = dyn_ipv4_in,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_FIRST,
	}, {
		.hook = dyn_arp_in,
		.pf = NFPROTO_ARP,
		.hooknum = NF_ARP_IN,
		.priority = 0,
	}, {
		.hook = dyn_ipv6_in,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_FIRST,
	},
};

/* The namespace's first policy: watch its interfaces. */
static int detect_start(struct lisp_dyn_net *dn)
{
	unsigned int i;
	int err;

	/* The IPv6 hook is last: left out when IPv6 is disabled. */
	dn->nr_hooks = ARRAY_SIZE(dyn_hook_templates) - !ipv6_mod_enabled();
	for (i = 0; i < dn->nr_hooks; i++) {
		dn->hooks[i] = dyn_hook_templates[i];
		dn->hooks[i].priv = dn;
	}
	err = nf_register_net_hooks(dn->net, dn->hooks, dn->nr_hooks);
	if (err)
		return err;
	dn->rarp.type = htons(ETH_P_RARP);
	dn->rarp.func = dyn_rarp_rcv;
	dev_add_pack(&dn->rarp);
	return 0;
}

static void detect_stop(struct lisp_dyn_net *dn)
{
	nf_unregister_net_hooks(dn->net, dn->hooks, dn->nr_hooks);
	dev_remove_pack(&dn->rarp);	/* waits for the hooks too */
}

const struct lisp_dyn_detect_ops lisp_detect_ops = {
	.start	= detect_start,
	.stop	= detect_stop,
	.probe	= detect_probe,
};
