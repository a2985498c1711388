/* SPDX-License-Identifier: MIT */
/*
 * The kernel interface: the "lisp" generic netlink family (kernel.c),
 * its dynamic-EID policies and hosts (kernel_dyn.c), and the host routes
 * of dynamic EIDs (route.c).
 */
#ifndef LISPD_KERNEL_H
#define LISPD_KERNEL_H

#include "core.h"

struct dyneid_conf;
struct nlmsghdr;
struct lnl_host;
struct khost;

/* ---- kernel.c: the "lisp" generic netlink family ---- */

struct kmap {
	struct prefix	eid;
	uint8_t		action;
	uint32_t	ttl;		/* seconds */
	uint32_t	age;
	uint32_t	flags;
	uint64_t	idle_ms;	/* since it last carried a packet */
	uint32_t	down;		/* bit i: rloc[i] failed its probes */
	int		nrloc;
	struct rloc	rloc[LISP_MAX_RLOCS];
	/* NAT traversal: rloc[i]'s UDP port (0: the device's) ... */
	uint16_t	port[LISP_MAX_RLOCS];
	/* ... and LISP_RLOC_F_* every locator gets (FIXED_SPORT). */
	uint32_t	rloc_flags;
};

int	kernel_init(void);
void	kernel_close(void);
#define KERNEL_NETNS_MAX_OPEN	256	/* namespaces of tenants' devices */

/*
 * A tenant's lisp device, in lispd's network namespace or (netns not
 * NULL or "") in the named one of ip-netns(8): its instance-id (*iid,
 * which it must serve when iid_given) and ifindex there.  From now on
 * requests for an EID of that instance-id go to it, and its events to
 * the handlers with its instance-id.
 */
int	kernel_attach(const char *iface, const char *netns, bool iid_given,
	    uint32_t *iid, int *ifindex);
void	kernel_detach(uint32_t iid);
/* A device of lispd's namespace known without asking (tests). */
int	kernel_dev_add(const char *iface, uint32_t iid, int ifindex);
int	kernel_map_replace(const struct kmap *);
int	kernel_map_del(const struct prefix *);
/*
 * The inner IP packet pkt (IP, UDP, a control message) inside a LISP
 * data packet of iid's device, from its own port, to rloc port (0: the
 * device's port): how an xTR behind a NAT and its RTR talk.
 */
int	kernel_ctrl_send(uint32_t iid, const struct laddr *rloc, uint16_t port,
	    const uint8_t *pkt, size_t len);
/* The entry for exactly p; -ENOENT when there is none. */
int	kernel_map_get(const struct prefix *, struct kmap *);
int	kernel_db_add(const struct prefix *);
int	kernel_db_del(const struct prefix *);
/* The entries of the device of an instance-id. */
int	kernel_map_dump(uint32_t iid, void (*)(const struct kmap *, void *),
	    void *);
int	kernel_db_dump(uint32_t iid, void (*)(const struct prefix *, void *),
	    void *);

/*
 * Who handles each kernel event, registered by lispd.c for the roles it
 * runs; NULL: the event is not for this configuration.
 */
struct kernel_handlers {
	/*
	 * MISS: no map-cache entry for deid, from seid (ITR, PITR), on
	 * the device of instance-id iid.
	 */
	void	(*miss)(uint32_t iid, const struct laddr *seid,
		    const struct laddr *deid);
	/* SMR: seid's traffic, from the ITR itr, for eid that moved away. */
	void	(*smr)(uint32_t iid, const struct laddr *eid,
		    const struct laddr *seid, const struct laddr *itr);
	/* EID_DETECTED, EID_GONE: a dynamic-EID policy's host. */
	void	(*detected)(const struct khost *);
	void	(*gone)(const struct khost *);
	/*
	 * CTRL: a control message inside a data packet (ctrl-punt): the
	 * inner IP packet, and the outer source address and port as a NAT
	 * in front of the sender translated them.
	 */
	void	(*ctrl)(uint32_t iid, const struct laddr *srloc, uint16_t sport,
		    const uint8_t *pkt, size_t len);
};

/* The handlers from now on: at start, and at each reload. */
void	kernel_set_handlers(const struct kernel_handlers *);
int	kernel_events(void);	/* join "events", once */
/* One event to its handler; the events socket's job, exported for tests. */
void	kernel_event(const struct nlmsghdr *);
/* For kernel_dyn.c: a request of our family, and its exchange. */
struct nlmsghdr *kernel_msg(char *buf, uint8_t cmd, uint16_t flags);
int	kernel_request(struct nlmsghdr *, const char *what,
	    int (*cb)(const struct nlmsghdr *, void *), void *, int expected);

/* ---- kernel_dyn.c: dynamic-EID policies and the hosts they detect ---- */

struct khost {
	char		policy[DYNEID_NAME_MAX];
	struct prefix	eid;		/* a host prefix */
	int		ifindex;
	uint8_t		mac[6];
	uint8_t		detect;		/* enum lisp_detect */
	uint64_t	idle_ms;
};

int	kernel_dyn_set(const struct dyneid_conf *, const int *ifindex, int n);
int	kernel_dyn_del(const char *name);
/* Policies the kernel has, by name. */
int	kernel_dyn_dump(void (*)(const char *, void *), void *);
int	kernel_host_del(const char *policy, const struct prefix *eid,
	    bool recheck);
int	kernel_host_dump(void (*)(const struct khost *, void *), void *);
/*
 * A host as lnl decoded it (a dump, an event), as the roles keep it.
 * kernel.c's: it hands events on, and must not call kernel_dyn.c.
 */
void	khost_from(const struct lnl_host *, struct khost *);

/* ---- route.c: host routes of dynamic EIDs ---- */

#define LISPD_RTPROT	43	/* rtm_protocol of our routes */

/* The table a device's routes go in: its VRF's, or main (vrf 0). */
struct route_table {
	uint32_t	table;
	int		vrf;		/* the VRF device's ifindex */
};

int	route_init(void);
void	route_close(void);
void	route_table_of(int ifindex, struct route_table *);
int	route_host_add(const struct prefix *, const struct laddr *via,
	    int ifindex, const struct route_table *);
int	route_host_del(const struct prefix *, const struct route_table *);

#endif /* LISPD_KERNEL_H */
