/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dynamic EIDs: hosts found on the interfaces of a first-hop router, for
 * the control plane to register as they arrive and withdraw as they leave.
 * dyneid.c keeps the policies and the host table, detect.c reads packets,
 * netlink_dyn.c is their genl interface.
 */
#ifndef _LISP_DYNEID_H
#define _LISP_DYNEID_H

#include <linux/if_ether.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <linux/lisp.h>

#define DYN_NAME_MAX		31
#define DYN_MAX_IFS		16
#define DYN_MAX_POLICIES	256
#define DYN_TIMEOUT_DEFAULT	300
#define DYN_TIMEOUT_MAX		86400
#define DYN_HOSTS_MAX		65536	/* per namespace, candidates included */
#define DYN_HASH_BITS		12
#define DYN_BUCKETS		BIT(DYN_HASH_BITS)
#define DYN_PROBES		3	/* unanswered probes before giving up */
#define DYN_PROBE_INTERVAL	HZ
#define DYN_PROBE_BATCH		32	/* probes sent per run of the work */
#define DYN_RARP_ADDRS		8	/* addresses one RARP may announce */
#define DYN_WORK_GAP		(HZ / 10) /* between two scans of the table */
/* A candidate not confirmed by then is dropped, probed or not. */
#define DYN_CANDIDATE_TTL	((DYN_PROBES + 1) * DYN_PROBE_INTERVAL)
/*
 * While another MAC claims a host's address, the host keeps its own MAC
 * and interface: it is probed whenever it falls silent for a probe
 * interval, and moves to the other MAC only when DYN_PROBES probes in a
 * row go unanswered.  The other MAC is forgotten (the flap is over) once
 * it has not been heard for DYN_FLAP_SETTLE.
 */
#define DYN_FLAP_SETTLE		(5 * HZ)
/* Work a second the hooks may cause, beyond which input is ignored. */
#define DYN_RL_ANNOUNCE		64	/* announcements, per interface */
#define DYN_RL_NEW		256	/* new hosts, per interface */
#define DYN_RL_HOST		8	/* per host: another MAC, announcements */

/* A one-second window, lockless: concurrent CPUs may let a few more in. */
struct dyn_rl {
	unsigned long begin;		/* jiffies */
	unsigned int count;
};

/* What a policy watches: replaced whole by DYN_ADD, read under RCU. */
struct dyn_cfg {
	struct rcu_head rcu;
	u32 iid;
	u32 timeout;			/* seconds */
	u8 family;
	u8 plen;
	u8 addr[16];
	unsigned int nr_ifs;
	int ifindex[DYN_MAX_IFS];
	/* Per interface, as ifindex[]: written by the hooks. */
	struct dyn_rl rl_announce[DYN_MAX_IFS];
	struct dyn_rl rl_new[DYN_MAX_IFS];
};

struct dyn_policy {
	struct list_head list;		/* lisp_dyn_net.policies */
	struct rcu_head rcu;
	struct dyn_cfg __rcu *cfg;
	char name[DYN_NAME_MAX + 1];
	/* Under lisp_dyn_net.lock; dumps read them without it. */
	bool dead;
	unsigned int hosts;		/* active ones */
	u64 detected, gone, probes, ignored, overflow, flaps;
	/* Counted by the hooks, without the lock. */
	atomic64_t rl_if, rl_host, nd_invalid;
};

enum dyn_state {
	DYN_CANDIDATE,			/* announced itself, being probed */
	DYN_ACTIVE,			/* detected: EID_DETECTED was sent */
};

struct dyn_host {
	struct hlist_node node;		/* lisp_dyn_net.buckets */
	struct rcu_head rcu;
	struct dyn_policy *policy;
	u8 family;
	u8 addr[16];
	/* Under lisp_dyn_net.lock, except last_seen: the hooks refresh it. */
	u8 state;
	u8 detect;			/* enum lisp_detect */
	u8 probes;			/* sent since probing began */
	bool probing;
	u8 mac[ETH_ALEN];
	int ifindex;
	unsigned long first_seen;	/* jiffies: detected */
	unsigned long last_seen;
	unsigned long probe_start;	/* candidates: when announced */
	unsigned long probed_at;
	/* Another MAC heard with the address (see DYN_FLAP_SETTLE). */
	bool alt;
	bool flapped;			/* EID_FLAP sent */
	u8 alt_detect;
	u8 alt_mac[ETH_ALEN];
	int alt_ifindex;
	unsigned long alt_since;	/* first heard */
	unsigned long alt_seen;		/* last heard */
	struct dyn_rl rl;		/* the hooks' slow path for this host */
};

struct dyn_probe {
	int ifindex;
	u8 family;
	u8 addr[16];
	u8 mac[ETH_ALEN];
};

struct lisp_dyn_net;

/*
 * The packet side (detect.c) as the table sees it: it watches the
 * namespace while a policy exists, and sends the probes the table asks
 * for. A table of pointers so that calls go one way: detect.c calls the
 * table by name (lisp_dyn_watched, lisp_dyn_seen, ...), the table calls
 * detect.c only through these, given to lisp_dyn_module_init().
 */
struct lisp_dyn_detect_ops {
	int (*start)(struct lisp_dyn_net *dn);	/* under dn->mutex */
	void (*stop)(struct lisp_dyn_net *dn);	/* and waits for the hooks */
	void (*probe)(struct lisp_dyn_net *dn, const struct dyn_probe *pr);
};

/*
 * The control plane as the table sees it: the events it raises about a
 * host (LISP_CMD_EID_DETECTED, _GONE, _FLAP), in softirq or under
 * dn->lock. netlink_dyn.c calls the table by name, the table calls it
 * only through this, as it calls detect.c; main.c gives both.
 */
struct lisp_dyn_event_ops {
	void (*host)(struct net *net, const struct dyn_host *h,
		     const struct dyn_cfg *cfg, u8 cmd);
};

struct lisp_dyn_net {
	struct net *net;
	const struct lisp_dyn_detect_ops *detect;
	const struct lisp_dyn_event_ops *events;
	struct mutex mutex;		/* policy changes, hook registration */
	spinlock_t lock;		/* hosts, policy list and counters */
	struct list_head policies;	/* RCU; written under mutex and lock */
	unsigned int nr_policies;	/* mutex */
	bool watching;			/* detect started, mutex */
	struct hlist_head *buckets;	/* allocated with the first policy */
	unsigned int count;		/* hosts, candidates included */
	u32 seed;
	struct delayed_work work;
	unsigned long last_run;		/* jiffies of the last scan, lock */
	/* detect.c's, registered by its start(): */
	struct nf_hook_ops hooks[3];
	unsigned int nr_hooks;
	struct packet_type rarp;
	unsigned int nr_probes;		/* the work's own */
	struct dyn_probe probe[DYN_PROBE_BATCH];
};

/*
 * How a packet relates to a host: LISP_DETECT_*, an announcement, or a
 * neighbour discovery message that failed validation (only counted).
 */
#define DYN_ANNOUNCE	LISP_DETECT_UNSPEC
#define DYN_INVALID	0xff

/* Where @ifindex is in the policy's list, -1 when not there. */
static inline int lisp_dyn_if_pos(const struct dyn_cfg *cfg, int ifindex)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_ifs; i++)
		if (cfg->ifindex[i] == ifindex)
			return i;
	return -1;
}

static inline bool lisp_dyn_has_if(const struct dyn_cfg *cfg, int ifindex)
{
	return lisp_dyn_if_pos(cfg, ifindex) >= 0;
}

int lisp_dyn_module_init(const struct lisp_dyn_detect_ops *detect,
			 const struct lisp_dyn_event_ops *events);
void lisp_dyn_module_exit(void);
struct lisp_dyn_net *lisp_dyn_net(struct net *net);

/* dyneid.c, for the genl requests of netlink_dyn.c */
int lisp_dyn_policy_set(struct lisp_dyn_net *dn, const char *name,
			struct dyn_cfg *cfg, struct netlink_ext_ack *extack);
int lisp_dyn_policy_del(struct lisp_dyn_net *dn, const char *name,
			struct netlink_ext_ack *extack);
int lisp_dyn_host_del(struct lisp_dyn_net *dn, const char *name, u8 family,
		      const u8 *addr, bool recheck,
		      struct netlink_ext_ack *extack);
int lisp_dyn_policy_walk(struct lisp_dyn_net *dn, long *pos,
			 int (*fn)(void *arg, const struct dyn_policy *p,
				   const struct dyn_cfg *cfg),
			 void *arg);
int lisp_dyn_host_walk(struct lisp_dyn_net *dn, long *pos,
		       int (*fn)(void *arg, const struct dyn_host *h,
				 const struct dyn_cfg *cfg),
		       void *arg);

/* dyneid.c, for detect.c */
bool lisp_dyn_watched(struct lisp_dyn_net *dn, u8 family, const u8 *addr,
		      int ifindex);
void lisp_dyn_seen(struct lisp_dyn_net *dn, const struct net_device *dev,
		   u8 family, const u8 *addr, const u8 *mac, u8 how);
bool lisp_dyn_rarp_allowed(struct lisp_dyn_net *dn, int ifindex);
void lisp_dyn_for_mac(struct lisp_dyn_net *dn, const u8 *mac,
		      void (*fn)(void *arg, u8 family, const u8 *addr),
		      void *arg);

/* detect.c, for the module's setup (main.c) */
extern const struct lisp_dyn_detect_ops lisp_detect_ops;

#endif /* _LISP_DYNEID_H */
