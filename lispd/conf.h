/* SPDX-License-Identifier: MIT */
/* config.c: lispd.conf(5), loaded into a struct lispd_conf. */
#ifndef LISPD_CONF_H
#define LISPD_CONF_H

#include <net/if.h>

#include "core.h"

#define ROLE_ITR	0x01
#define ROLE_ETR	0x02
#define ROLE_PITR	0x04
#define ROLE_MS		0x08
#define ROLE_MR		0x10
#define ROLE_FHR	0x20	/* first-hop router: detect, tell the gateway */
#define ROLE_DDT	0x40	/* DDT node (RFC 8111 7.1) */
#define ROLE_RTR	0x80	/* re-encapsulating tunnel router (rtr.c); an ITR too */

struct dbmap {
	struct prefix	eid;
	int		nrloc;
	struct rloc	rloc[LISP_MAX_RLOCS];
};

struct mserver {
	struct laddr	addr;
	char		*key;
	uint8_t		key_id;
	uint8_t		alg;
	bool		proxy_reply;
	bool		full_hmac;	/* untruncated MAC, for RFC 6833 peers */
};

struct site_eid {
	struct prefix	eid;
	bool		more_specifics;
};

struct site {
	char		*name;
	char		*key;
	int		neid;
	struct site_eid	*eid;
};

#define DYNEID_MAX_IFACES	16

struct dyneid_conf {
	char		 name[DYNEID_NAME_MAX];
	struct prefix	 eid;
	int		 nrloc;
	struct rloc	 rloc[LISP_MAX_RLOCS];
	int		 nif;
	char		 ifname[DYNEID_MAX_IFACES][IFNAMSIZ];
	uint32_t	 timeout;	/* s of silence before a host is gone */
	char		*notify_key;	/* gateway: EID-notifies signed so */
	struct mserver	 gateway;	/* FHR: where EID-notifies go */
};

/*
 * One tenant: an instance-id, the lisp device that carries it, and what
 * it serves.  An "instance-id N { }" section is one; a file without any
 * is one tenant whose instance-id is its device's.
 */
struct tenant_conf {
	uint32_t	 iid;
	bool		 iid_given;	/* a section's, or its prefixes' */
	char		 iface[IFNAMSIZ];	/* "": no device (map-server) */
	char		 netns[NETNS_NAME_MAX];	/* the device's; "": ours */
	int		 ndb;
	struct dbmap	*db;
	int		 nms;
	struct mserver	*ms;
	int		 nmr;
	struct laddr	*mr;
	int		 npetr;
	struct rloc	*petr;
	int		 ndyn;
	struct dyneid_conf *dyn;
	bool		 subscribe;	/* ITR: RFC 9437 subscriptions */
	bool		 subscribe_given;	/* in its section, not inherited */
	bool		 nat_traversal;	/* xTR: Info-Requests (nat_xtr.c) */
	bool		 nat_traversal_given;
};

/* A DDT node's delegation (RFC 8111 7.1.1): ddt_conf.c. */
struct ddt_deleg {
	struct prefix	eid;
	bool		ms;		/* to DDT Map-Servers: MS-REFERRAL */
	int		nnode;
	struct laddr	node[LISP_MAX_RLOCS];
};

#define TENANT_MAX	4096	/* instance-id sections in one file */

struct lispd_conf {
	char		*file;
	unsigned int	 roles;
	char		*control;
	int		 ntenant;
	struct tenant_conf *tenant;
	int		 nsite;
	struct site	*site;
	bool		 rloc_probing;
	unsigned int	 probe_interval;	/* s */
	unsigned int	 register_interval;	/* s, ETR */
	unsigned int	 record_ttl;		/* minutes, ETR */
	unsigned int	 registration_timeout;	/* s, Map-Server */
	bool		 subscribe;	/* some tenant subscribes */
	bool		 xtr_id_given;
	uint8_t		 xtr_id[16];	/* xtr-id, else random (subscribe.c) */
	int		 nddt_auth;		/* DDT node, DDT Map-Server */
	struct prefix	*ddt_auth;
	int		 nddt_deleg;
	struct ddt_deleg *ddt_deleg;
	int		 nddt_root;		/* DDT Map-Resolver */
	struct laddr	*ddt_root;
	int		 ddt_cache_size;	/* referral cache entries */
	int		 nrtr;			/* Map-Server: rtr-address */
	struct laddr	*rtr;
	unsigned int	 info_interval;		/* s, xTR: info-request-interval;
						 * RTR: bindings age out after 3 */
	unsigned int	 rtr_max_xtrs;		/* RTR: bindings kept, at most */
};

/* Parse; NULL on error after logging "file:line: why" for each. */
struct lispd_conf *conf_load(const char *file);
void		 conf_free(struct lispd_conf *);
const char	*conf_roles_fmt(unsigned int, char *, size_t);
/* The last conf_load()'s error text (tests). */
const char	*conf_errors(void);
const char	*alg_name(uint8_t);
/* The tenant of instance-id iid in c; NULL: none. */
const struct tenant_conf *conf_tenant(const struct lispd_conf *c,
		    uint32_t iid);

extern struct lispd_conf *conf;

/* s between Map-Registers and EID-notify refreshes: map-register-interval. */
static inline unsigned int
register_interval(void)
{
	return conf && conf->register_interval ? conf->register_interval :
	    REGISTER_INTERVAL;
}

/* Minutes an ITR may cache our mappings: record-ttl. */
static inline unsigned int
record_ttl(void)
{
	return conf && conf->record_ttl ? conf->record_ttl : TTL_DEFAULT;
}

#endif /* LISPD_CONF_H */
