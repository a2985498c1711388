/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where Debian 12's 6.1 and 6.12 kernels differ for us.
 */
#ifndef _LISP_COMPAT_H
#define _LISP_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>
#include <linux/timer.h>
#include <net/udp_tunnel.h>
#include <net/ip_tunnels.h>
#include <net/dst_metadata.h>

/*
 * 6.11 moved NETIF_F_LLTX into a private flag. The device may change
 * namespace: its socket and outer routes stay in the creating one.
 */
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
static inline void lisp_compat_setup_flags(struct net_device *dev)
{
	dev->lltx = true;
}
#else
static inline void lisp_compat_setup_flags(struct net_device *dev)
{
	dev->features |= NETIF_F_LLTX;
}
#endif

/* 6.2 renamed del_timer_sync; 6.12 keeps only a wrapper. */
#if KERNEL_VERSION(6, 2, 0) > LINUX_VERSION_CODE
#define timer_delete_sync(t) del_timer_sync(t)
#endif

/* 6.12 made udp_tunnel6_xmit_skb() void and its addresses const. */
static inline void lisp_udp6_xmit(struct dst_entry *dst, struct sock *sk,
				  struct sk_buff *skb, struct net_device *dev,
				  struct in6_addr *saddr, struct in6_addr *daddr,
				  u8 prio, u8 ttl, __be32 label, __be16 sport,
				  __be16 dport, bool nocheck)
{
	udp_tunnel6_xmit_skb(dst, sk, skb, dev, saddr, daddr, prio, ttl, label,
			     sport, dport, nocheck);
}

/* 6.2 folded the dump request's attributes into a struct genl_info. */
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
#define lisp_dump_attrs(cb) (genl_info_dump(cb)->attrs)
#else
#define lisp_dump_attrs(cb) (genl_dumpit_info(cb)->attrs)
#endif

/*
 * 6.10 turned the tunnel flags (TUNNEL_KEY, ...) from a __be16 into a
 * bitmap read with the IP_TUNNEL_*_BIT helpers.
 */
#if KERNEL_VERSION(6, 10, 0) <= LINUX_VERSION_CODE
static inline struct metadata_dst *
lisp_tun_rx_dst(struct sk_buff *skb, unsigned short family, __be64 id)
{
	IP_TUNNEL_DECLARE_FLAGS(flags) = { };

	__set_bit(IP_TUNNEL_KEY_BIT, flags);
	return udp_tun_rx_dst(skb, family, flags, id, 0);
}

static inline bool lisp_tun_df(const struct ip_tunnel_info *info)
{
	return test_bit(IP_TUNNEL_DONT_FRAGMENT_BIT, info->key.tun_flags);
}

static inline bool lisp_tun_csum(const struct ip_tunnel_info *info)
{
	return test_bit(IP_TUNNEL_CSUM_BIT, info->key.tun_flags);
}
#else
static inline struct metadata_dst *
lisp_tun_rx_dst(struct sk_buff *skb, unsigned short family, __be64 id)
{
	return udp_tun_rx_dst(skb, family, TUNNEL_KEY, id, 0);
}

static inline bool lisp_tun_df(const struct ip_tunnel_info *info)
{
	return info->key.tun_flags & TUNNEL_DONT_FRAGMENT;
}

static inline bool lisp_tun_csum(const struct ip_tunnel_info *info)
{
	return info->key.tun_flags & TUNNEL_CSUM;
}
#endif

#endif /* _LISP_COMPAT_H */
