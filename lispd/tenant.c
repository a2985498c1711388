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

/*
 * The tenants sorted by instance-id: every control message and kernel
 * event looks its tenant up, and a box may serve thousands.  Rebuilt
 * whenever the list changes (start, reload).
 */
static struct tenant	**by_iid;
static size_t		  nby_iid;

static int
iid_cmp(const void *a, const void *b)
{
	uint32_t	x = (*(struct tenant *const *)a)->iid;
	uint32_t	y = (*(struct tenant *const *)b)->iid;

	return x < y ? -1 : x > y;
}

static void
index_build(void)
{
	struct tenant	*t;
	size_t		 n = 0;

	TENANT_FOREACH(t)
		n++;
	free(by_iid);
	by_iid = NULL;
	nby_iid = 0;
	if (!n)
		return;
	if (!(by_iid = calloc(n, sizeof(*by_iid))))
		fatal("tenants");
	TENANT_FOREACH(t)
		by_iid[nby_iid++] = t;
	qsort(by_iid, nby_iid, sizeof(*by_iid), iid_cmp);
}

struct tenant *
tenant_by_iid(uint32_t iid)
{
	size_t	lo = 0, hi = nby_iid, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (by_iid[mid]->iid == iid)
			return by_iid[mid];
		if (by_iid[mid]->iid < iid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct tenant *
tenant_of(const struct prefix *p)
{
	return tenant_by_iid(p->iid);
}

bool
tenants_have_dyneid(void)
{
	const struct tenant	*t;

	TENANT_FOREACH(t)
		if (t->conf->ndyn)
			return true;
	return false;
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
	index_build();
	return 0;
}

void
tenants_free(void (*gone)(struct tenant *))
{
	struct tenant	*t;

	/* No lookup finds a tenant being freed. */
	nby_iid = 0;
	while ((t = TAILQ_FIRST(&tenants))) {
		TAILQ_REMOVE(&tenants, t, entry);
		if (gone)
			gone(t);
		free(t);
	}
	index_build();
}
