/* SPDX-License-Identifier: MIT */
/*
 * The tenant: one instance-id, its lisp device and the state each role
 * keeps for it.  lispd serves any number of them; a role's state lives
 * here, not in its file, so one tenant's requests, registrations and
 * cache never meet another's.  What all tenants share (the sockets, the
 * Map-Server's registrations, the Map-Request rate) stays with the role.
 */
#ifndef LISPD_TENANT_H
#define LISPD_TENANT_H

#include <sys/queue.h>

#include "core.h"

struct lispd_conf;
struct tenant_conf;
struct itr_state;
struct etr_state;
struct dyn_hosts;
struct gateway_state;
struct fhr_state;
struct nat_state;

struct tenant {
	TAILQ_ENTRY(tenant) entry;
	const struct tenant_conf *conf;	/* replaced at each reload */
	uint32_t	 iid;
	int		 ifindex;	/* its lisp device's (in its netns); 0: none */
	struct itr_state *itr;		/* itr.c's: requests, cache */
	struct etr_state *etr;		/* etr.c's: registrations */
	struct dyn_hosts *hosts;	/* hosts.c's: dynamic-EID hosts */
	struct gateway_state *gw;	/* gateway.c's: away entries, chases */
	struct fhr_state *fhr;		/* fhr.c's: hosts told to the gateway */
	struct nat_state *nat;		/* nat_xtr.c's: NAT bindings learned */
};

TAILQ_HEAD(tenant_list, tenant);
extern struct tenant_list tenants;

#define TENANT_FOREACH(t)	TAILQ_FOREACH((t), &tenants, entry)

struct tenant	*tenant_by_iid(uint32_t iid);
/* The tenant a prefix is in: its instance-id's. */
struct tenant	*tenant_of(const struct prefix *);
/* Does any tenant have dynamic EIDs (host table, gateway, FHR)? */
bool		 tenants_have_dyneid(void);
/* "instance-id 7" for the log. */
const char	*tenant_name(const struct tenant *);

/*
 * Make the list what c says, before the roles start: a tenant kept (the
 * same instance-id, or the same device for one whose instance-id is its
 * device's) keeps its state and gets its new configuration; a new one
 * finds its device (attach); gone is called for each one dropped, then
 * it is freed.  -1 when a device is missing or serves another
 * instance-id, with the list unchanged.
 */
int	tenants_sync(const struct lispd_conf *c,
	    int (*attach)(const struct tenant_conf *, uint32_t *iid,
	    int *ifindex), void (*gone)(struct tenant *));
void	tenants_free(void (*gone)(struct tenant *));

#endif /* LISPD_TENANT_H */
