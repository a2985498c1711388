/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lisp netdevice: its configuration and the state the fast path reads.
 */
#ifndef _LISP_DEVICE_H
#define _LISP_DEVICE_H

#include <linux/netdevice.h>
#include <linux/mutex.h>
#include <linux/u64_stats_sync.h>
#include <linux/ratelimit_types.h>
#include <linux/in6.h>
#include <net/gro_cells.h>
#include <linux/lisp.h>

#include "trie.h"
#include "pending.h"

/*
 * Map-cache entries a device holds at most unless told otherwise: room
 * for a full-size ITR's cache (bench/ loads 1,000,000) while bounding
 * what one device costs its creator, some 200-300 MB at the limit.
 */
#define LISP_MAP_MAX_DEFAULT	1048576U

/* Outer IPv4 + UDP + LISP, and the IPv6 equivalent. */
#define LISP_HLEN		(sizeof(struct udphdr) + sizeof(struct lisphdr))
#define LISP_IPV4_HLEN		(sizeof(struct iphdr) + LISP_HLEN)
#define LISP_IPV6_HLEN		(sizeof(struct ipv6hdr) + LISP_HLEN)

/* RFC 9300 section 5.1: the 8-byte LISP data header. */
struct lisphdr {
	u8 flags;
	u8 nonce[3];		/* or Map-Version */
	__be32 iid_lsb;		/* Instance ID << 8 | LSBs, or 32 LSBs */
};

#define LISP_F_N	0x80	/* nonce present */
#define LISP_F_L	0x40	/* locator-status-bits present */
#define LISP_F_E	0x20	/* echo-nonce request */
#define LISP_F_V	0x10	/* map-version present */
#define LISP_F_I	0x08	/* instance-id present */
#define LISP_F_R	0x04	/* reserved: sent 0, ignored on receipt */
#define LISP_F_KK	0x03	/* key-id of LISP-crypto (RFC 8061) */

struct lisp_cfg {
	u32 iid;
	__be32 local;
	struct in6_addr local6;
	__be16 port;
	u8 ttl;			/* 0: copy inner TTL */
	u8 tos;			/* 1: copy inner TOS */
	u8 df;			/* enum lisp_df */
	bool zero_csum6_tx;
	bool petr;		/* decapsulate whatever the destination */
	bool decap_any;		/* likewise, without being a proxy-ETR */
	u32 map_max;		/* map-cache entries, both families */
	u32 miss_hold_ms;	/* how long packets wait for a mapping */
	bool external;		/* collect-metadata mode, fixed at creation */
	bool rloc_check;	/* outer source must be the inner source's RLOC */
	bool ctrl_punt;		/* control messages in data packets: events */
};

/* Per-cpu counters, indexed by enum lisp_stat. */
struct lisp_counters {
	u64_stats_t c[__LISP_STAT_MAX];
	struct u64_stats_sync syncp;
};

struct lisp_sock;

struct lisp_dev {
	struct net_device *dev;
	/*
	 * The underlay: the namespace the device was created from, whose
	 * sockets and routes carry the outer packets wherever the device
	 * itself moves (as wireguard's creating_net). The inner packets
	 * live in dev_net(dev), and its VRF if it is enslaved to one.
	 */
	struct net *net;
	struct list_head list;		/* net's lisp_net.devs, under RTNL */
	struct hlist_node iid_node;	/* lisp_sock.iids while up */
	struct lisp_sock __rcu *sock;	/* while up */
	struct lisp_cfg cfg;
	struct gro_cells gro_cells;
	struct lisp_counters __percpu *counters;

	/* Map-cache and database; writers hold map_lock. */
	struct mutex map_lock;
	bool dead;			/* set under map_lock by uninit */
	unsigned int nr_away;		/* LISP_MAP_F_AWAY entries, map_lock */
	struct lisp_trie map4, map6;
	struct lisp_trie db4, db6;
	struct lisp_trie rloc4, rloc6;	/* struct lisp_rloc, shared by maps */
	struct lisp_pending pending;
	struct ratelimit_state ctrl_rs;	/* CTRL events (ctrl.c) */
};

extern struct rtnl_link_ops lisp_link_ops;

struct lisp_dev *lisp_dev_get(struct net *net, u32 ifindex, const char *name);
void lisp_count(struct lisp_dev *lisp, enum lisp_stat stat);
void lisp_counters_sum(struct lisp_counters __percpu *pc, u64 *sum);

/* A zeroed lisp address: IPv4 in the first four bytes. */
static inline bool lisp_family_ok(u8 family)
{
	return family == AF_INET || family == AF_INET6;
}

#endif /* _LISP_DEVICE_H */
