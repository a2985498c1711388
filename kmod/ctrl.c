// SPDX-License-Identifier: GPL-2.0
/*
 * Control messages inside data packets. Behind a NAT only the tunnel's
 * own 5-tuple (the device's UDP port to the RTR's) stays open, so an xTR
 * registers through its RTR with a Map-Register LISP-encapsulated on that
 * tuple, and the RTR answers the same way (draft-ietf-lisp-nat-traversal,
 * Data-Map-Register and Data-Map-Notify). The device owns the port: it
 * hands such messages to the daemon, and sends them for it.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/ratelimit.h>
#include <net/ip.h>
#include <net/genetlink.h>

#include "device.h"
#include "netlink.h"
#include "prefix.h"
#include "xmit.h"
#include "ctrl.h"

void lisp_ctrl_init(struct lisp_dev *lisp)
{
	ratelimit_state_init(&lisp->ctrl_rs, HZ, LISP_CTRL_RATE);
	/* Drops are counted (rx-ctrl-drop), never logged. */
	ratelimit_set_flags(&lisp->ctrl_rs, RATELIMIT_MSG_ON_RELEASE);
}

/*
 * Receive path, the inner packet pulled to its IP header: the length of
 * a control message sent to this very router (inner destination the
 * outer one, UDP to the control port, not a fragment), else 0.
 */
unsigned int lisp_ctrl_match(struct sk_buff *skb, u8 family, const u8 *daddr,
			     u8 outer_family, const u8 *outer_daddr)
{
	unsigned int off, len;
	const struct udphdr *uh;

	if (family != outer_family ||
	    memcmp(daddr, outer_daddr, lisp_addr_len(family)))
		return 0;
	if (family == AF_INET) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
			return 0;
		off = iph->ihl * 4;
		len = ntohs(iph->tot_len);
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		if (ip6h->nexthdr != IPPROTO_UDP)
			return 0;
		off = sizeof(*ip6h);
		len = off + ntohs(ip6h->payload_len);
	}
	/* A length the packet lacks is the IP layer's to drop. */
	if (len < off + sizeof(*uh) || len > skb->len ||
	    !pskb_may_pull(skb, off + sizeof(*uh)))
		return 0;
	uh = (const struct udphdr *)(skb_network_header(skb) + off);
	return uh->dest == htons(LISP_CONTROL_PORT) ? len : 0;
}

static int ctrl_event(struct lisp_dev *lisp, struct sk_buff *skb,
		      unsigned int len, u8 src_family, const u8 *src,
		      __be16 sport)
{
	struct net *net = dev_net(lisp->dev);
	struct nlattr *nla;
	struct sk_buff *msg;
	void *hdr;
	bool bad;

	msg = lisp_event_new_size(net, LISP_CMD_CTRL,
				  nla_total_size(len) + 128, &hdr);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	bad = nla_put_u32(msg, LISP_A_IFINDEX, lisp->dev->ifindex) ||
	      nla_put_u32(msg, LISP_A_IID, lisp->cfg.iid) ||
	      lisp_nl_put_addr(msg, LISP_A_SRLOC_INET, LISP_A_SRLOC_INET6,
			       src_family, src) ||
	      nla_put_u16(msg, LISP_A_SRLOC_PORT, ntohs(sport));
	if (!bad) {
		nla = nla_reserve(msg, LISP_A_PACKET, len);
		bad = !nla || skb_copy_bits(skb, 0, nla_data(nla), len);
	}
	return lisp_event_send(net, msg, hdr, bad);
}

/*
 * IFLA_LISP_CTRL_PUNT: the message of @len bytes at @skb's head goes to
 * the daemon, with the outer source as the NAT translated it. The
 * events are rate-limited: a flood costs a counter, not the daemon's
 * buffer. Consumes @skb.
 */
void lisp_ctrl_punt(struct lisp_dev *lisp, struct sk_buff *skb,
		    unsigned int len, u8 src_family, const u8 *src,
		    __be16 sport)
{
	if (len > READ_ONCE(lisp->dev->mtu) || skb_is_gso(skb) ||
	    !genl_has_listeners(&lisp_genl_family, dev_net(lisp->dev), 0) ||
	    !__ratelimit(&lisp->ctrl_rs) ||
	    ctrl_event(lisp, skb, len, src_family, src, sport)) {
		lisp_count(lisp, LISP_STAT_RX_CTRL_DROP);
		kfree_skb(skb);
		return;
	}
	lisp_count(lisp, LISP_STAT_RX_CTRL);
	consume_skb(skb);
}

/*
 * The packet of a CTRL_SEND: an IPv4 or IPv6 header whose length is the
 * attribute's. Its protocol, or 0 with extack set.
 */
static __be16 ctrl_packet_check(const struct nlattr *pkt,
				struct netlink_ext_ack *extack)
{
	const u8 *p = nla_data(pkt);
	unsigned int len = nla_len(pkt);

	if (len >= sizeof(struct iphdr) && p[0] >> 4 == 4) {
		const struct iphdr *iph = (const struct iphdr *)p;

		if (iph->ihl < 5 || iph->ihl * 4 > len) {
			NL_SET_ERR_MSG_ATTR(extack, pkt,
					    "IPv4 header length wrong");
			return 0;
		}
		if (ntohs(iph->tot_len) != len) {
			NL_SET_ERR_MSG_ATTR(extack, pkt,
					    "IPv4 total length is not the attribute's length");
			return 0;
		}
		return htons(ETH_P_IP);
	}
	if (len >= sizeof(struct ipv6hdr) && p[0] >> 4 == 6) {
		const struct ipv6hdr *ip6h = (const struct ipv6hdr *)p;

		if (sizeof(*ip6h) + ntohs(ip6h->payload_len) != len) {
			NL_SET_ERR_MSG_ATTR(extack, pkt,
					    "IPv6 payload length does not match the attribute's length");
			return 0;
		}
		return htons(ETH_P_IPV6);
	}
	NL_SET_ERR_MSG_ATTR(extack, pkt,
			    "LISP_A_PACKET is not an IPv4 or IPv6 packet");
	return 0;
}

/*
 * CTRL_SEND: send the inner packet @pkt to the RLOC @family/@addr, port
 * @port (0: the device's), LISP-encapsulated as data from the device's
 * source RLOC and its own UDP port, the tuple the NAT keeps open.
 */
int lisp_ctrl_send(struct lisp_dev *lisp, u8 family, const u8 *addr,
		   __be16 port, const struct nlattr *pkt,
		   struct netlink_ext_ack *extack)
{
	unsigned int len = nla_len(pkt);
	struct sk_buff *skb;
	__be16 proto;
	int err;

	proto = ctrl_packet_check(pkt, extack);
	if (!proto)
		return -EINVAL;
	if (len > READ_ONCE(lisp->dev->mtu)) {
		NL_SET_ERR_MSG_ATTR(extack, pkt,
				    "packet longer than the device's MTU");
		return -EMSGSIZE;
	}
	if (lisp->cfg.external) {
		NL_SET_ERR_MSG(extack, "not on an external-mode device");
		return -EOPNOTSUPP;
	}
	if (!netif_running(lisp->dev)) {
		NL_SET_ERR_MSG(extack, "the lisp device is down");
		return -ENETDOWN;
	}

	skb = alloc_skb(LL_MAX_HEADER + LISP_IPV6_HLEN + len, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, LL_MAX_HEADER + LISP_IPV6_HLEN);
	skb_put_data(skb, nla_data(pkt), len);
	skb_reset_network_header(skb);
	skb->protocol = proto;
	skb->dev = lisp->dev;

	/* As from ndo_start_xmit: the per-cpu counters want BH off. */
	local_bh_disable();
	rcu_read_lock();
	err = lisp_xmit_ctrl(lisp, skb, family, addr, port);
	if (!err)
		lisp_count(lisp, LISP_STAT_TX_CTRL);
	rcu_read_unlock();
	local_bh_enable();
	if (err == -EMSGSIZE)
		NL_SET_ERR_MSG(extack, "packet too big for the path to the RLOC");
	else if (err)
		NL_SET_ERR_MSG(extack, "no route to the RLOC");
	return err;
}
