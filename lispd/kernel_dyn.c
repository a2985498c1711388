/* SPDX-License-Identifier: MIT */
/*
 * Dynamic-EID policies in the kernel (uapi/linux/lisp.h, "Dynamic
 * EIDs"): which interfaces to watch for hosts of which prefix, and the
 * hosts found.  Policies belong to the network namespace, not to a lisp
 * device, so a first-hop router uses them without one.  The messages are
 * lnl's (genl/dyn.c); the EID_DETECTED / EID_GONE events reach the
 * handlers through kernel.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "lnl.h"
#include "core.h"
#include "log.h"
#include "conf.h"
#include "kernel.h"

int
kernel_dyn_set(const struct dyneid_conf *d, const int *ifindex, int n)
{
	char		 buf[LNL_MSG_MAX];
	struct nlmsghdr	*nlh;
	struct lnl_dyn	 ld;
	int		 i;

	memset(&ld, 0, sizeof(ld));
	snprintf(ld.name, sizeof(ld.name), "%s", d->name);
	ld.eid = d->eid;
	ld.has_iid = ld.has_timeout = true;
	ld.timeout = d->timeout;
	for (i = 0; i < n && i < LNL_DYN_IFS; i++)
		ld.ifindex[i] = (uint32_t)ifindex[i];
	ld.nif = i;
	nlh = kernel_msg(buf, LISP_CMD_DYN_ADD, 0);
	lnl_dyn_put(nlh, &ld);
	return kernel_request(nlh, "dynamic-eid policy", NULL, NULL, 0);
}

int
kernel_dyn_del(const char *name)
{
	char		 buf[LNL_MSG_MAX];
	struct nlmsghdr	*nlh;

	nlh = kernel_msg(buf, LISP_CMD_DYN_DEL, 0);
	lnl_put_name(nlh, name);
	return kernel_request(nlh, "dynamic-eid policy delete", NULL, NULL,
	    -ENOENT);
}

struct name_dump {
	void	(*cb)(const char *, void *);
	void	*arg;
};

static int
policy_cb(const struct nlmsghdr *nlh, void *data)
{
	struct name_dump	*d = data;
	struct lnl_dyn		 ld;
	char			 why[LNL_WHYLEN];

	if (lnl_dyn_decode(nlh, &ld, why))
		log_warnx("kernel dynamic-eid policy: %s", why);
	else
		d->cb(ld.name, d->arg);
	return MNL_CB_OK;
}

int
kernel_dyn_dump(void (*cb)(const char *, void *), void *arg)
{
	char		 buf[LNL_MSG_MAX];
	struct nlmsghdr	*nlh;
	struct name_dump d = { cb, arg };

	nlh = kernel_msg(buf, LISP_CMD_DYN_GET, NLM_F_DUMP);
	return kernel_request(nlh, "dynamic-eid policy dump", policy_cb, &d, 0);
}

int
kernel_host_del(const char *policy, const struct prefix *eid, bool recheck)
{
	char		 buf[LNL_MSG_MAX];
	struct nlmsghdr	*nlh;
	struct laddr	 a;

	prefix_addr(eid, &a);
	nlh = kernel_msg(buf, LISP_CMD_HOST_DEL, 0);
	lnl_host_del_put(nlh, policy, &a, recheck);
	/* Already forgotten (gone, or a policy reload) is fine. */
	return kernel_request(nlh, "dynamic-eid host delete", NULL, NULL,
	    -ENOENT);
}

struct host_dump {
	void	(*cb)(const struct khost *, void *);
	void	*arg;
};

static int
host_cb(const struct nlmsghdr *nlh, void *data)
{
	struct host_dump	*d = data;
	struct lnl_host		 lh;
	struct khost		 h;
	char			 why[LNL_WHYLEN];

	if (lnl_host_decode(nlh, &lh, why)) {
		log_warnx("kernel dynamic-eid host: %s", why);
		return MNL_CB_OK;
	}
	khost_from(&lh, &h);
	d->cb(&h, d->arg);
	return MNL_CB_OK;
}

int
kernel_host_dump(void (*cb)(const struct khost *, void *), void *arg)
{
	char		 buf[LNL_MSG_MAX];
	struct nlmsghdr	*nlh;
	struct host_dump d = { cb, arg };

	nlh = kernel_msg(buf, LISP_CMD_HOST_GET, NLM_F_DUMP);
	return kernel_request(nlh, "dynamic-eid host dump", host_cb, &d, 0);
}
