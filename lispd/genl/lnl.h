/* SPDX-License-Identifier: MIT */
/*
 * lnl: the one userspace client of the "lisp" generic netlink family
 * (uapi/linux/lisp.h, Documentation/netlink/specs/lisp.yaml), used by
 * lispd and lispctl alike.  It opens the socket, resolves the family and
 * its "events" group, sends requests and collects their replies and ACK
 * (with the kernel's extended ACK text), and holds the only encoder and
 * decoder of each object the family carries.  It logs nothing: errors go
 * back to the caller, decoding errors with a reason naming the attribute.
 */
#ifndef LISPD_LNL_H
#define LISPD_LNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/netlink.h>
#include <linux/lisp.h>

#include "addr.h"

#define LNL_MSG_MAX	8192		/* a request: 8 RLOCs fit easily */
#define LNL_WHYLEN	96		/* a decoder's reason */
#define LNL_NAME_MAX	32		/* dyn-name with its NUL */
#define LNL_DYN_IFS	16		/* interfaces of a policy we keep */
#define LNL_STATS_MAX	64		/* counters of a device we keep */

struct mnl_socket;
struct nlmsghdr;
struct nlattr;

/* ---- sock.c: socket, family, requests, events ---- */

struct lnl {
	struct mnl_socket *sock;
	uint16_t	 family;	/* genl id of "lisp" */
	uint32_t	 mcgrp;		/* id of "events", 0: none */
	uint32_t	 portid;
	uint32_t	 seq;
	char		*rxbuf;
	size_t		 rxlen;
};

/* What went wrong with a request. */
struct lnl_err {
	int		 code;		/* -errno, 0: none */
	const char	*op;		/* "sendmsg", "recvmsg": ours; NULL: kernel's */
	char		 msg[256];	/* the extended ACK text, or "" */
	bool		 has_off;
	uint32_t	 off;		/* the attribute blamed: its offset in req */
};

typedef int (*lnl_cb)(const struct nlmsghdr *, void *);

/* Socket bound, family and group resolved: 0, or -errno (-ENOENT: no family). */
int	lnl_open(struct lnl *);
void	lnl_close(struct lnl *);
int	lnl_fd(const struct lnl *);
/* A request of our family into buf (LNL_MSG_MAX bytes); NLM_F_REQUEST added. */
struct nlmsghdr *lnl_msg(void *buf, uint16_t family, uint8_t cmd,
	    uint16_t flags);
/* The same in two steps, for callers that choose the command later. */
void	lnl_msg_init(struct nlmsghdr *, uint16_t family, uint16_t flags);
void	lnl_genl_put(struct nlmsghdr *, uint8_t cmd);
/*
 * Send req, hand every reply to cb until the ACK (or a dump's end).
 * 0, a negative cb result, or -errno with *err filled (err may be NULL).
 */
int	lnl_request(struct lnl *, struct nlmsghdr *req, lnl_cb, void *,
	    struct lnl_err *);
/*
 * An NLMSG_ERROR or NLMSG_DONE: its error (0 for an ACK) and, in *err,
 * the kernel's text and the offset it blamed.  1 for any other message.
 */
int	lnl_ack(const struct nlmsghdr *, struct lnl_err *);
/* Join "events": -ENOENT when the family has no such group. */
int	lnl_subscribe(struct lnl *);
/* Read once and hand each message of our family to cb: 0 or -errno. */
int	lnl_recv(struct lnl *, lnl_cb, void *);
/* The command of a message of ours. */
uint8_t	lnl_cmd(const struct nlmsghdr *);

/* ---- attr.c: attribute names, for diagnostics ---- */

/* "rloc 2 priority": the attribute of req at byte off, or NULL. */
const char *lnl_attr_path(const struct nlmsghdr *req, uint32_t off,
	    char *buf, size_t len);

/* ---- map.c: map-cache entries, their RLOCs, database entries ---- */

struct lnl_rloc {
	struct laddr	 addr;
	uint8_t		 priority;
	uint8_t		 weight;
	uint32_t	 flags;		/* LISP_RLOC_F_*; absent: reachable */
	uint16_t	 port;		/* host order; 0: the device's port */
	bool		 has_counters;
	uint64_t	 packets;
	uint64_t	 bytes;
};

struct lnl_map {
	uint32_t	 ifindex;	/* 0: none */
	char		 ifname[IFNAMSIZ];	/* "": none */
	bool		 has_iid;
	struct prefix	 eid;		/* iid from LISP_A_IID */
	uint8_t		 action;
	bool		 has_ttl, has_age, has_idle, has_counters, has_flags;
	uint32_t	 ttl, flags, age;
	uint64_t	 idle_ms, packets, bytes;
	int		 nrloc;
	struct lnl_rloc	 rloc[LISP_MAX_RLOCS];
};

/* The device of a request: by index when ifindex, else by name. */
void	lnl_put_dev(struct nlmsghdr *, uint32_t ifindex, const char *ifname);
/*
 * An EID: address, and its length unless LNL_EID_NOPLEN (a host); with
 * LNL_EID_LOOKUP the longest match is asked for instead.
 */
#define LNL_EID_NOPLEN	0x1
#define LNL_EID_LOOKUP	0x2
void	lnl_put_eid(struct nlmsghdr *, const struct prefix *, int how);
/* The body of MAP_ADD / MAP_REPLACE: action, ttl, flags, RLOCs. */
void	lnl_map_put(struct nlmsghdr *, const struct lnl_map *);
/* A reply of MAP_GET or DB_GET into m: 0, or -EINVAL and why. */
int	lnl_map_decode(const struct nlmsghdr *, struct lnl_map *, char *why);
int	lnl_rloc_decode(const struct nlattr *, struct lnl_rloc *, char *why);
void	lnl_rloc_put(struct nlmsghdr *, uint16_t type, const struct lnl_rloc *);

struct lnl_db {
	uint32_t	 ifindex;
	char		 ifname[IFNAMSIZ];
	bool		 has_iid;
	struct prefix	 eid;
};
int	lnl_db_decode(const struct nlmsghdr *, struct lnl_db *, char *why);

const char *lnl_action_name(unsigned int);
/* A negative action by name ("none" is not one): -1 when unknown. */
int	lnl_action_parse(const char *);

/* ---- dyn.c: dynamic-EID policies and the hosts they detect ---- */

struct lnl_dyn {
	char		 name[LNL_NAME_MAX];
	bool		 has_iid, has_timeout;
	struct prefix	 eid;		/* iid from LISP_A_IID */
	uint32_t	 timeout, hosts;
	int		 nif;
	uint32_t	 ifindex[LNL_DYN_IFS];
	uint64_t	 detected, gone, probes, ignored, overflow;
	uint64_t	 rl_if, rl_host, nd_invalid, flaps;
};

struct lnl_host {
	char		 policy[LNL_NAME_MAX];
	uint32_t	 iid;
	struct laddr	 eid;
	uint32_t	 ifindex;
	bool		 has_mac, has_detect, has_idle, has_age, has_flap;
	uint8_t		 mac[6];
	uint8_t		 detect;	/* enum lisp_detect */
	uint64_t	 idle_ms;
	uint32_t	 age;
	uint8_t		 flap_mac[6];
	uint32_t	 flap_ifindex;
};

/* A policy's name: the key of DYN_DEL, and of DYN_GET and HOST_GET dumps. */
void	lnl_put_name(struct nlmsghdr *, const char *policy);
/* DYN_ADD's attributes. */
void	lnl_dyn_put(struct nlmsghdr *, const struct lnl_dyn *);
int	lnl_dyn_decode(const struct nlmsghdr *, struct lnl_dyn *, char *why);
/* HOST_DEL's attributes. */
void	lnl_host_del_put(struct nlmsghdr *, const char *policy,
	    const struct laddr *eid, bool recheck);
/* A HOST_GET reply, or an EID_DETECTED, EID_GONE or EID_FLAP event. */
int	lnl_host_decode(const struct nlmsghdr *, struct lnl_host *, char *why);
const char *lnl_detect_name(unsigned int);

/* ---- stats.c: per-device counters, and the events ---- */

struct lnl_stats {
	uint32_t	 ifindex;
	char		 ifname[IFNAMSIZ];
	bool		 has_iid;
	uint32_t	 iid;
	int		 n;		/* in the kernel's order */
	struct {
		uint16_t type;		/* LISP_STAT_* */
		uint64_t value;
	}		 stat[LNL_STATS_MAX];
};
int	lnl_stats_decode(const struct nlmsghdr *, struct lnl_stats *,
	    char *why);
/* "tx-packets"; NULL for one we do not know. */
const char *lnl_stat_name(unsigned int);

struct lnl_event {
	uint8_t		 cmd;		/* LISP_CMD_MISS, _SMR, _EID_*, _CTRL */
	uint32_t	 ifindex;
	bool		 has_iid;
	uint32_t	 iid;
	struct laddr	 eid;		/* MISS: the destination; SMR: the away EID */
	struct laddr	 seid;		/* the packet's source EID */
	struct laddr	 srloc;		/* SMR: the ITR that encapsulated it;
					 * CTRL: the outer source */
	uint16_t	 srloc_port;	/* CTRL: outer source port, host order */
	const uint8_t	*pkt;		/* CTRL: the inner IP packet, inside */
	size_t		 pktlen;	/*   the decoded message's buffer */
	struct lnl_host	 host;		/* EID_DETECTED, EID_GONE, EID_FLAP */
};
/*
 * An event: 0, 1 for a command that is not an event (ignore it), or
 * -EINVAL and why when it is malformed or lacks what its kind needs.
 */
int	lnl_event_decode(const struct nlmsghdr *, struct lnl_event *,
	    char *why);

/* ---- ctrl.c: control messages inside data packets (NAT traversal) ---- */

/*
 * CTRL_SEND's attributes: the device, one RLOC (port 0: the device's
 * port) and the inner IP packet.  0, or -EMSGSIZE when it does not fit
 * a request of LNL_MSG_MAX bytes.
 */
int	lnl_ctrl_send_put(struct nlmsghdr *, uint32_t ifindex,
	    const char *ifname, const struct laddr *rloc, uint16_t port,
	    const void *pkt, size_t len);

#endif /* LISPD_LNL_H */
