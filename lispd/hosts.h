/* SPDX-License-Identifier: MIT */
/*
 * hosts.c: the hosts of the dynamic-eid prefixes, found here by the
 * kernel or reported by a first-hop router, and the kernel's dynamic-EID
 * events.  The roles that serve them (the site gateway, gateway.c; the
 * first-hop router, fhr.c) use the table and listen to its events.
 */
#ifndef LISPD_HOSTS_H
#define LISPD_HOSTS_H

#include <sys/queue.h>

#include "core.h"
#include "event.h"

struct dbmap;
struct dyneid_conf;
struct json_object;
struct khost;
struct registration;

struct tenant;

struct dyn_host {
	TAILQ_ENTRY(dyn_host) entry;
	struct tenant	*t;		/* whose host: its EID's instance-id */
	char		 policy[DYNEID_NAME_MAX];
	struct prefix	 eid;
	bool		 notified;	/* by a first-hop router */
	int		 ifindex;	/* found here: where */
	uint8_t		 mac[6];
	uint8_t		 detect;
	struct laddr	 fhr;		/* notified: by whom */
	uint16_t	 fhr_port;
	uint8_t		 fhr_key_id;
	uint8_t		 fhr_alg;
	time_t		 since;
	time_t		 last;		/* detected or notified last */
	struct timer	 hold;		/* notified: refresh deadline */
	int		 nreg;
	struct registration *reg;	/* one per Map-Server */
};

TAILQ_HEAD(dyn_hosts, dyn_host);
/* Every tenant's hosts in turn, until fn says done (true). */
bool	dyneid_foreach(bool (*fn)(struct dyn_host *, void *), void *arg);

/* What a role serving the hosts does as the kernel finds and loses them. */
struct dyneid_listener {
	/* Found here by the kernel, for the first time or again. */
	void	(*found)(const struct dyneid_conf *, struct dyn_host *);
	/*
	 * No longer here: silent for its policy's timeout (withdraw: tell
	 * whom it was announced to) or moved to another site (not).
	 */
	void	(*lost)(const struct dyneid_conf *, const struct prefix *eid,
		    bool withdraw);
	/* Kept over a reload, its policy still configured (optional). */
	void	(*resume)(const struct dyneid_conf *, struct dyn_host *);
};
/* Listen from now until dyneid_shutdown(false); at most DYNEID_LISTENERS. */
#define DYNEID_LISTENERS	2
void	dyneid_listen(const struct dyneid_listener *);

/* The policy of that name, or covering eid; NULL when none. */
const struct dyneid_conf *dyneid_policy(const char *name);
const struct dyneid_conf *dyneid_covering(const struct prefix *eid);
/* This lispd registers the policy's hosts: it is their site gateway. */
bool	dyneid_gateway(const struct dyneid_conf *);
/* This lispd tells the policy's gateway of them: a first-hop router. */
bool	dyneid_fhr(const struct dyneid_conf *);

struct dyn_host *host_find(const struct prefix *eid);
/* eid's host, a new one of policy d (*fresh) when there is none. */
struct dyn_host *host_get(const struct dyneid_conf *d, const struct prefix *eid,
	    bool *fresh);
/* Stop its registrations and timer, and drop it. */
void	host_free(struct dyn_host *);
/*
 * A host's route, in its tenant's table: to the first-hop router that
 * told of it (via), or out of the interface it was found on; deleted
 * from the table of that interface (ifindex), or (0) of a told-of one.
 */
int	host_route_add(const struct prefix *eid, const struct laddr *via,
	    int ifindex);
int	host_route_del(const struct prefix *eid, int ifindex);

void	dyneid_init(void);
void	dyneid_shutdown(bool reload);
/* A tenant no longer configured: its hosts and their routes go. */
void	dyneid_forget_tenant(struct tenant *);
void	dyneid_detected(const struct khost *);
void	dyneid_gone(const struct khost *);
/* A dynamic EID of ours: as a database-mapping in *out. */
bool	dyneid_owns(const struct prefix *, struct dbmap *out);
/* A host that moved away: drop it, its routes and the kernel's record. */
void	dyneid_forget(const struct prefix *);
struct json_object *dyneid_show(void);

#endif /* LISPD_HOSTS_H */
