/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * LISP (RFC 9300) data plane: link attributes and the "lisp" generic
 * netlink family. Shared by the kernel module, lispd and lispctl.
 */
#ifndef _UAPI_LINUX_LISP_H
#define _UAPI_LINUX_LISP_H

#include <linux/const.h>
#include <linux/types.h>

#define LISP_DATA_PORT		4341
#define LISP_CONTROL_PORT	4342
#define LISP_IID_MAX		0xffffff
#define LISP_MAX_RLOCS		8
#define LISP_DB_MAX		65536	/* database prefixes per device */

/*
 * rtnetlink: IFLA_INFO_DATA of "ip link add NAME type lisp".
 * Every attribute is optional at creation and may be changed later.
 */
enum {
	IFLA_LISP_UNSPEC,
	IFLA_LISP_IID,		/* u32: instance-id, 24 bits, default 0 */
	IFLA_LISP_LOCAL,	/* in_addr: source RLOC for IPv4 underlay */
	IFLA_LISP_LOCAL6,	/* in6_addr: source RLOC for IPv6 underlay */
	IFLA_LISP_PORT,		/* be16: UDP port, default 4341 */
	IFLA_LISP_TTL,		/* u8: outer TTL, 0 = copy from inner */
	IFLA_LISP_TOS,		/* u8: outer TOS, 1 = copy from inner */
	IFLA_LISP_DF,		/* u8: enum lisp_df */
	IFLA_LISP_UDP_ZERO_CSUM6_TX, /* u8: bool, zero UDP csum over IPv6 */
	IFLA_LISP_PETR,		/* u8: bool, decapsulate for any EID */
	IFLA_LISP_DECAP_ANY,	/* u8: bool, decapsulate for any EID (no database) */
	IFLA_LISP_MAP_MAX,	/* u32: map-cache entries at most, default 1048576 */
	IFLA_LISP_MISS_HOLD_MS,	/* u32: ms a packet waits for a mapping, 3000 */
	/*
	 * u8: bool, collect-metadata mode, fixed at creation. The device
	 * takes each packet's RLOC and instance-id from its tunnel metadata
	 * (lwtunnel, tc tunnel_key, BPF), not the map-cache, and receives
	 * with metadata what no instance-id's device on its port claims.
	 */
	IFLA_LISP_EXTERNAL,
	/*
	 * u8: bool, default 0. Deliver a decapsulated packet only when the
	 * map-cache entry covering its inner source EID lists the outer
	 * source address among its locators (and, for a locator with a
	 * LISP_RLOC_A_PORT, the outer source port too); drop it otherwise
	 * (LISP_STAT_RX_RLOC_CHECK). An inner source no entry covers passes
	 * only when the entry of the inner destination has a locator with
	 * a LISP_RLOC_A_PORT (an xTR registered through this RTR). For an
	 * RTR on the Internet: any site may reach the xTRs behind it, and
	 * it relays nothing between strangers.
	 */
	IFLA_LISP_RLOC_CHECK,
	/*
	 * u8: bool, default 0. A decapsulated inner IPv4/IPv6 UDP packet to
	 * port LISP_CONTROL_PORT whose inner destination equals the outer
	 * destination (a LISP control message sent inside a data packet,
	 * e.g. a Data-Map-Register to an RTR) is not delivered: it is
	 * raised as a LISP_CMD_CTRL event on the "events" group, rate
	 * limited (LISP_STAT_RX_CTRL, LISP_STAT_RX_CTRL_DROP).
	 */
	IFLA_LISP_CTRL_PUNT,
	__IFLA_LISP_MAX
};

#define IFLA_LISP_MAX	(__IFLA_LISP_MAX - 1)

enum lisp_df {
	LISP_DF_UNSET,		/* outer DF clear: the underlay may fragment */
	LISP_DF_SET,		/* outer DF always set */
	LISP_DF_INHERIT,	/* outer DF copied from inner IPv4, set for IPv6 */
	__LISP_DF_END,
	LISP_DF_MAX = __LISP_DF_END - 1,
};

/* Generic netlink family. */
#define LISP_GENL_NAME		"lisp"
#define LISP_GENL_VERSION	1
#define LISP_MCGRP_EVENTS	"events"

/*
 * Dynamic EIDs (host mobility).  A policy (DYN_ADD: DYN_NAME, IID, EID_INET
 * or EID_INET6 with EID_PLEN, DYN_IFINDEXES, optional DYN_TIMEOUT, default
 * 300 s) makes the namespace watch those interfaces for hosts inside the
 * prefix.  Policies are per network namespace and need no lisp device: a
 * first-hop router runs them alone.
 *
 *   EID_DETECTED: DYN_NAME, IID, EID_INET|EID_INET6, IFINDEX, MAC, DETECT
 *   EID_GONE:     DYN_NAME, IID, EID_INET|EID_INET6, IFINDEX, MAC, IDLE_MS
 *   HOST_GET:     as EID_DETECTED, plus IDLE_MS and AGE, and FLAP_MAC and
 *                 FLAP_IFINDEX while a flap reported by EID_FLAP lasts
 *   EID_FLAP:     as EID_DETECTED (the MAC and interface the host keeps),
 *                 plus FLAP_MAC and FLAP_IFINDEX: the other MAC heard
 *                 with the host's address.  Sent once per flap; the host
 *                 moves only when its own MAC no longer answers probes
 *   HOST_DEL:     DYN_NAME, EID_INET|EID_INET6 (ENOENT if unknown)
 *   SMR:          IFINDEX (the lisp device), IID, EID_INET|EID_INET6 (the
 *                 away EID), SEID_INET|SEID_INET6 (the sender's EID) and
 *                 SRLOC_INET|SRLOC_INET6 (the ITR that encapsulated it)
 *
 * Control messages inside LISP data packets (NAT traversal, RTR):
 *   CTRL:      event (IFLA_LISP_CTRL_PUNT): IFINDEX, IID, SRLOC_INET|
 *              SRLOC_INET6 and SRLOC_PORT (outer source address and UDP
 *              port, as a NAT translated them), PACKET (the inner IP
 *              packet: IP header, UDP header, LISP control message)
 *   CTRL_SEND: IFINDEX|IFNAME, RLOCS (one RLOC: INET|INET6, optional
 *              PORT, default the device's port), PACKET (an inner IPv4 or
 *              IPv6 packet). Sent LISP-encapsulated with the device's
 *              instance-id, from its source RLOC and its own UDP port
 */
enum lisp_cmd {
	LISP_CMD_UNSPEC,
	LISP_CMD_MAP_ADD,	/* create a map-cache entry; EEXIST if present */
	LISP_CMD_MAP_REPLACE,	/* create or atomically replace */
	LISP_CMD_MAP_DEL,
	LISP_CMD_MAP_GET,	/* doit: exact or longest match; dumpit */
	LISP_CMD_MAP_FLUSH,
	LISP_CMD_DB_ADD,	/* local EID prefix (database-mapping) */
	LISP_CMD_DB_DEL,
	LISP_CMD_DB_GET,	/* dumpit */
	LISP_CMD_STATS_GET,	/* per-device counters */
	LISP_CMD_MISS,		/* event: no map-cache entry for a packet */
	LISP_CMD_DYN_ADD,	/* dynamic-EID policy: create or replace */
	LISP_CMD_DYN_DEL,	/* by LISP_A_DYN_NAME; forgets its hosts */
	LISP_CMD_DYN_GET,	/* dumpit: policies and their counters */
	LISP_CMD_HOST_GET,	/* dumpit: hosts detected by the policies */
	LISP_CMD_HOST_DEL,	/* forget a host (it moved away): EID, policy */
	LISP_CMD_EID_DETECTED,	/* event: a new host, or one that changed MAC */
	LISP_CMD_EID_GONE,	/* event: a host silent past the policy timeout */
	LISP_CMD_SMR,		/* event: decapsulated for an away EID */
	LISP_CMD_EID_FLAP,	/* event: a second MAC claims a host's address */
	LISP_CMD_CTRL,		/* event: a control message inside a data packet */
	LISP_CMD_CTRL_SEND,	/* send a control message inside a data packet */
	__LISP_CMD_MAX,
	LISP_CMD_MAX = __LISP_CMD_MAX - 1,
};

/*
 * Negative map-cache actions carry the values of the Map-Reply ACT field
 * (RFC 9301 section 5.4) so the daemon passes them through unchanged.
 */
enum lisp_action {
	LISP_ACTION_NONE,		/* positive entry: encapsulate */
	LISP_ACTION_NATIVE_FORWARD,	/* route natively, no encapsulation */
	LISP_ACTION_SEND_MAP_REQUEST,	/* drop and raise a MISS event */
	LISP_ACTION_DROP,		/* Drop/No-Reason */
	LISP_ACTION_DROP_POLICY,	/* Drop/Policy-Denied */
	LISP_ACTION_DROP_AUTH,		/* Drop/Auth-Failure */
	__LISP_ACTION_END,
	LISP_ACTION_MAX = __LISP_ACTION_END - 1,
};

enum lisp_attr {
	LISP_A_UNSPEC,
	LISP_A_PAD,
	LISP_A_IFINDEX,		/* u32 */
	LISP_A_IFNAME,		/* string, alternative to IFINDEX */
	LISP_A_IID,		/* u32, in replies and events */
	LISP_A_EID_INET,	/* in_addr: EID prefix address */
	LISP_A_EID_INET6,	/* in6_addr */
	LISP_A_EID_PLEN,	/* u8: prefix length; absent = host route */
	LISP_A_SEID_INET,	/* in_addr: source EID (MISS events) */
	LISP_A_SEID_INET6,	/* in6_addr */
	LISP_A_ACTION,		/* u8: enum lisp_action */
	LISP_A_TTL,		/* u32: record TTL in seconds, kept for show */
	LISP_A_FLAGS,		/* u32: LISP_MAP_F_* */
	LISP_A_RLOCS,		/* nest of LISP_A_RLOC */
	LISP_A_PACKETS,		/* u64 */
	LISP_A_BYTES,		/* u64 */
	LISP_A_IDLE_MS,		/* u64: since the entry last forwarded */
	LISP_A_AGE,		/* u32: seconds since installed */
	LISP_A_LOOKUP,		/* flag: MAP_GET by longest match */
	LISP_A_STATS,		/* nest of LISP_STAT_* */
	LISP_A_DYN_NAME,	/* string: dynamic-EID policy name, <= 31 chars */
	LISP_A_DYN_IFINDEXES,	/* nest of u32 ifindex (type 1..): where to look */
	LISP_A_DYN_TIMEOUT,	/* u32: seconds of silence before EID_GONE */
	LISP_A_DYN_HOSTS,	/* u32: hosts the policy holds, in dumps */
	LISP_A_MAC,		/* 6 bytes: the host's link-layer address */
	LISP_A_DETECT,		/* u8: enum lisp_detect, what revealed the host */
	LISP_A_SRLOC_INET,	/* in_addr: outer source (SMR events) */
	LISP_A_SRLOC_INET6,	/* in6_addr */
	LISP_A_DYN_DETECTED,	/* u64: EID_DETECTED events raised */
	LISP_A_DYN_GONE,	/* u64: EID_GONE events raised */
	LISP_A_DYN_PROBES,	/* u64: ARP/NS probes sent */
	LISP_A_DYN_IGNORED,	/* u64: announcements not confirmed local */
	LISP_A_DYN_OVERFLOW,	/* u64: hosts not kept, namespace table full */
	LISP_A_DYN_RATELIMITED_IF,	/* u64: announcements and new hosts over
					 * an interface's rate limit, ignored
					 */
	LISP_A_DYN_RATELIMITED_HOST,	/* u64: a known host's packets from
					 * another MAC and its announcements
					 * over the host's rate limit, ignored
					 */
	LISP_A_DYN_ND_INVALID,	/* u64: NS/NA failing RFC 4861 validation */
	LISP_A_DYN_FLAPS,	/* u64: EID_FLAP events raised */
	LISP_A_FLAP_MAC,	/* 6 bytes: the other MAC claiming the host */
	LISP_A_FLAP_IFINDEX,	/* u32: where that other MAC was heard */
	LISP_A_RECHECK,		/* flag: HOST_DEL keeps the host as a candidate */
	LISP_A_SRLOC_PORT,	/* u16, host order: outer source port (CTRL) */
	LISP_A_PACKET,		/* binary: an inner IP packet (CTRL, CTRL_SEND) */
	__LISP_A_MAX,
	LISP_A_MAX = __LISP_A_MAX - 1,
};

/* LISP_A_FLAGS of a map-cache entry. */
#define LISP_MAP_F_STATIC	_BITUL(0)	/* installed by hand: lispd keeps it */
/*
 * The EID moved away from this site.  Packets decapsulated for it raise an
 * SMR event (at most one a second per ITR and entry) and are encapsulated
 * again to the entry's locators, so none is lost while the ITR re-resolves.
 * Set on host entries only (/32, /128).
 */
#define LISP_MAP_F_AWAY		_BITUL(1)

/*
 * What revealed a host to a dynamic-EID policy.  Only traffic addressed to
 * this router counts directly (ROUTED, ARP, ND): with the gateway's MAC and
 * address filtered across a data-centre interconnect, a host at the other
 * site never reaches us that way.  Announcements (gratuitous ARP, RARP,
 * unsolicited NA) cross the interconnect, so they trigger a unicast probe
 * from the interface's address and the host is detected by its reply.
 */
enum lisp_detect {
	LISP_DETECT_UNSPEC,
	LISP_DETECT_ROUTED,	/* an IP packet sent to our MAC */
	LISP_DETECT_ARP,	/* ARP request or reply addressed to us */
	LISP_DETECT_ND,		/* neighbour solicitation/advert. to us */
	__LISP_DETECT_END,
	LISP_DETECT_MAX = __LISP_DETECT_END - 1,
};

enum lisp_rloc_attr {
	LISP_RLOC_A_UNSPEC,
	LISP_RLOC_A_PAD,
	LISP_RLOC_A_INET,	/* in_addr */
	LISP_RLOC_A_INET6,	/* in6_addr */
	LISP_RLOC_A_PRIORITY,	/* u8: lower wins, 255 = never use */
	LISP_RLOC_A_WEIGHT,	/* u8: share of flows within a priority */
	LISP_RLOC_A_FLAGS,	/* u32: LISP_RLOC_F_*, default REACHABLE */
	LISP_RLOC_A_PACKETS,	/* u64, replies only: sent to this locator */
	LISP_RLOC_A_BYTES,	/* u64, by every entry of the device using it */
	/*
	 * be16: UDP destination port of this locator, absent = the device's
	 * port (IFLA_LISP_PORT). An RTR reaches an xTR behind NAT at its
	 * translated address and port.
	 */
	LISP_RLOC_A_PORT,
	__LISP_RLOC_A_MAX,
	LISP_RLOC_A_MAX = __LISP_RLOC_A_MAX - 1,
};

#define LISP_RLOC_F_REACHABLE	_BITUL(0)	/* the R bit of RFC 9301 */
#define LISP_RLOC_F_LOCAL	_BITUL(1)	/* the L bit: one of ours */
#define LISP_RLOC_F_PROBED	_BITUL(2)	/* the p bit: probe reply */
/*
 * Packets to this locator leave from the device's own port, not from a
 * source port hashed from the inner flow: a NAT on the path then keeps
 * one binding (one 5-tuple) for the tunnel. Set by an xTR behind NAT on
 * its RTR's locator, and by the RTR on that xTR's translated locator.
 */
#define LISP_RLOC_F_FIXED_SPORT	_BITUL(3)

/*
 * Per-device counters (LISP_CMD_STATS_GET), u64 each. The per-device drop
 * reasons also add up into the device's rx_dropped / tx_dropped. Drops
 * before a device is known (truncated, bad flags, encrypted, unknown iid)
 * are counted per network namespace and reported with every device.
 */
enum lisp_stat {
	LISP_STAT_UNSPEC,
	LISP_STAT_PAD,
	LISP_STAT_TX_PACKETS,
	LISP_STAT_TX_BYTES,
	LISP_STAT_RX_PACKETS,
	LISP_STAT_RX_BYTES,
	LISP_STAT_TX_MISS,		/* no entry: packet held (MISS at most 1/s) */
	LISP_STAT_TX_MISS_DROP,		/* held too long, hold queue full, or freed */
	LISP_STAT_TX_NEGATIVE_DROP,	/* negative entry said drop */
	LISP_STAT_TX_NATIVE,		/* negative entry: forwarded natively */
	LISP_STAT_TX_NO_RLOC,		/* no usable locator in the entry */
	LISP_STAT_TX_NO_ROUTE,		/* no route (RLOC, native, unmappable dst) */
	LISP_STAT_TX_TOO_BIG,		/* ICMP frag-needed/too-big returned */
	LISP_STAT_TX_BAD_PROTO,		/* not IPv4/IPv6, or a bad header */
	LISP_STAT_TX_NOMEM,
	LISP_STAT_RX_TRUNCATED,		/* shorter than the LISP header */
	LISP_STAT_RX_BAD_FLAGS,		/* N and V both set */
	LISP_STAT_RX_ENCRYPTED,		/* KK bits set: LISP-crypto unsupported */
	LISP_STAT_RX_UNKNOWN_IID,	/* no device has that instance-id */
	LISP_STAT_RX_BAD_INNER,		/* inner not IPv4/IPv6 or malformed */
	LISP_STAT_RX_NOT_OURS,		/* inner destination not in database (or none) */
	LISP_STAT_RX_ECN_DROP,		/* RFC 6040: CE on a Not-ECT packet */
	LISP_STAT_RX_NOMEM,
	LISP_STAT_RX_AWAY,		/* for an away EID: encapsulated again */
	LISP_STAT_SMR,			/* SMR events raised for away EIDs */
	LISP_STAT_RX_AWAY_TTL,		/* for an away EID, TTL ran out: dropped */
	LISP_STAT_RX_ICMP_ERR,		/* ICMP errors quoting our LISP packets */
	LISP_STAT_MAP_FULL,		/* map-cache adds refused: map-max reached */
	LISP_STAT_DB_FULL,		/* database adds refused: LISP_DB_MAX reached */
	LISP_STAT_RX_RLOC_CHECK,	/* IFLA_LISP_RLOC_CHECK: outer source not a
					 * locator of the inner source's entry
					 */
	LISP_STAT_RX_CTRL,		/* control messages punted (CTRL events) */
	LISP_STAT_RX_CTRL_DROP,		/* control messages not punted: over the
					 * rate limit, no listener, too big
					 */
	LISP_STAT_TX_CTRL,		/* control messages sent by CTRL_SEND */
	__LISP_STAT_MAX,
	LISP_STAT_MAX = __LISP_STAT_MAX - 1,
};

#endif /* _UAPI_LINUX_LISP_H */
