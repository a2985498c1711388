/* SPDX-License-Identifier: MIT */
/*
 * The list of tenants, kept in step with the configuration at start and
 * at each reload.  Lookups go by instance-id: the wire's key, unique on
 * a box, and what kernel.c resolves each device's events to (device
 * indexes repeat across namespaces).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "conf.h"
#include "tenant.h"

struct tenant_list tenants = TAILQ_HEAD_INITIALIZER(tenants);

struct tenant *
tenant_by_iid(uint32_t iid)
{
	struct tenant	*t;

	TENANT_FOREACH(t)
		if (t->iid == iid)
			return t;
	return NULL;
}

struct tenant *
tenant_of(const struct prefix *p)
{
	return tenant_by_iid(p->iid);
}

const char *
tenant_name(const struct tenant *t)
{
	static char	buf[32];

	snprintf(buf, sizeof(buf), "instance-id %u", t->iid);
	return buf;
}

/* The running tenant that tc configures again, if any. */
static struct tenant *
tenant_match(const struct tenant_conf *tc, uint32_t iid)
{
	struct tenant	*t;

	TENANT_FOREACH(t) {
		if (tc->iface[0] && (strcmp(t->conf->iface, tc->iface) ||
		    strcmp(t->conf->netns, tc->netns)))
			continue;
		if (t->iid == iid)
			return t;
	}
	return NULL;
}

int
tenants_sync(const struct lispd_conf *c,
    int (*attach)(const struct tenant_conf *, uint32_t *, int *),
    void (*gone)(struct tenant *))
{
	struct tenant_list	 kept = TAILQ_HEAD_INITIALIZER(kept);
	struct tenant		*t;
	uint32_t		*iid;
	int			*ifindex, i, j, err = 0;

	iid = calloc((size_t)c->ntenant + 1, sizeof(*iid));
	ifindex = calloc((size_t)c->ntenant + 1, sizeof(*ifindex));
	if (!iid || !ifindex) {
		free(iid);
		free(ifindex);
		log_warnx("tenants: out of memory");
		return -1;
	}
	/* Every device first: a missing one leaves the running list. */
	for (i = 0; i < c->ntenant; i++) {
		iid[i] = c->tenant[i].iid;
		if (attach(&c->tenant[i], &iid[i], &ifindex[i]))
			err = -1;
		for (j = 0; j < i && !err; j++)
			if (iid[j] == iid[i]) {
				log_warnx("%s and %s both serve instance-id %u",
				    c->tenant[j].iface, c->tenant[i].iface,
				    iid[i]);
				err = -1;
			}
	}
	for (i = 0; i < c->ntenant && !err; i++) {
		t = tenant_match(&c->tenant[i], iid[i]);
		if (t)
			TAILQ_REMOVE(&tenants, t, entry);
		else if (!(t = calloc(1, sizeof(*t))))
			fatal("tenants");
		t->conf = &c->tenant[i];
		t->iid = iid[i];
		t->ifindex = ifindex[i];
		TAILQ_INSERT_TAIL(&kept, t, entry);
	}
	free(iid);
	free(ifindex);
	if (err)
		return -1;
	/* What is left in the list is no longer configured. */
	TENANT_FOREACH(t)
		log_info("%s: no longer configured", tenant_name(t));
	tenants_free(gone);
	TAILQ_CONCAT(&tenants, &kept, entry);
	return 0;
}

void
tenants_free(void (*gone)(struct tenant *))
{
	struct tenant	*t;

	while ((t = TAILQ_FIRST(&tenants))) {
		TAILQ_REMOVE(&tenants, t, entry);
		if (gone)
			gone(t);
		free(t);
	}
}
