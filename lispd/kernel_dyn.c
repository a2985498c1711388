/* SPDX-License-Identifier: MIT */
/*
 * Dynamic-EID policies in the kernel (uapi/linux/lisp.h, "Dynamic
 * EIDs"): which interfaces to watch for hosts of which prefix, the hosts
 * found, and the EID_DETECTED / EID_GONE events that report them.
 * Policies belong to the network namespace, not to a lisp device, so a
 * first-hop router uses them without one.
 */
#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "core.h"
#include "conf.h"
#include "kernel.h"
#include "stats.h"
#include "dyneid.h"

#define NL_REQ	8192

static void
put_addr(struct nlmsghdr *nlh, const struct prefix *p, bool plen)
{
	mnl_attr_put(nlh, p->family == AF_INET ? LISP_A_EID_INET :
	    LISP_A_EID_INET6, p->family == AF_INET ? 4 : 16, p->a);
	if (plen)
		mnl_attr_put_u8(nlh, LISP_A_EID_PLEN, p->plen);
}

int
kernel_dyn_set(const struct dyneid_conf *d, const int *ifindex, int n)
{
	char		 buf[NL_REQ];
	struct nlmsghdr	*nlh;
	struct nlattr	*nest;
	int		 i;

	nlh = kernel_msg(buf, LISP_CMD_DYN_ADD, 0);
	mnl_attr_put_strz(nlh, LISP_A_DYN_NAME, d->name);
	mnl_attr_put_u32(nlh, LISP_A_IID, d->eid.iid);
	put_addr(nlh, &d->eid, true);
	mnl_attr_put_u32(nlh, LISP_A_DYN_TIMEOUT, d->timeout);
	nest = mnl_attr_nest_start(nlh, LISP_A_DYN_IFINDEXES);
	for (i = 0; i < n; i++)
		mnl_attr_put_u32(nlh, (uint16_t)(i + 1), (uint32_t)ifindex[i]);
	mnl_attr_nest_end(nlh, nest);
	return kernel_request(nlh, "dynamic-eid policy", NULL, NULL, 0);
}

int
kernel_dyn_del(const char *name)
{
	char		 buf[NL_REQ];
	struct nlmsghdr	*nlh;

	nlh = kernel_msg(buf, LISP_CMD_DYN_DEL, 0);
	mnl_attr_put_strz(nlh, LISP_A_DYN_NAME, name);
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
	const struct nlattr	*a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == LISP_A_DYN_NAME &&
		    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			d->cb(mnl_attr_get_str(a), d->arg);
	return MNL_CB_OK;
}

int
kernel_dyn_dump(void (*cb)(const char *, void *), void *arg)
{
	char		 buf[NL_REQ];
	struct nlmsghdr	*nlh;
	struct name_dump d = { cb, arg };

	nlh = kernel_msg(buf, LISP_CMD_DYN_GET, NLM_F_DUMP);
	return kernel_request(nlh, "dynamic-eid policy dump", policy_cb, &d, 0);
}

int
kernel_host_del(const char *policy, const struct prefix *eid, bool recheck)
{
	char		 buf[NL_REQ];
	struct nlmsghdr	*nlh;

	nlh = kernel_msg(buf, LISP_CMD_HOST_DEL, 0);
	mnl_attr_put_strz(nlh, LISP_A_DYN_NAME, policy);
	put_addr(nlh, eid, false);
	if (recheck)
		mnl_attr_put(nlh, LISP_A_RECHECK, 0, NULL);
	/* Already forgotten (gone, or a policy reload) is fine. */
	return kernel_request(nlh, "dynamic-eid host delete", NULL, NULL,
	    -ENOENT);
}

/* A host message (dump or event) into h; -1 when it lacks essentials. */
static int
parse_host(const struct nlmsghdr *nlh, struct khost *h)
{
	const struct nlattr	*a;
	size_t			 len;

	memset(h, 0, sizeof(*h));
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		len = mnl_attr_get_payload_len(a);
		switch (mnl_attr_get_type(a)) {
		case LISP_A_DYN_NAME:
			if (!mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
				snprintf(h->policy, sizeof(h->policy), "%s",
				    mnl_attr_get_str(a));
			break;
		case LISP_A_IID:
			if (len == 4)
				h->eid.iid = mnl_attr_get_u32(a);
			break;
		case LISP_A_EID_INET:
			if (len == 4) {
				h->eid.family = AF_INET;
				memcpy(h->eid.a, mnl_attr_get_payload(a), 4);
			}
			break;
		case LISP_A_EID_INET6:
			if (len == 16) {
				h->eid.family = AF_INET6;
				memcpy(h->eid.a, mnl_attr_get_payload(a), 16);
			}
			break;
		case LISP_A_IFINDEX:
			if (len == 4)
				h->ifindex = (int)mnl_attr_get_u32(a);
			break;
		case LISP_A_MAC:
			if (len == 6)
				memcpy(h->mac, mnl_attr_get_payload(a), 6);
			break;
		case LISP_A_DETECT:
			if (len == 1)
				h->detect = mnl_attr_get_u8(a);
			break;
		case LISP_A_IDLE_MS:
			if (len == 8)
				h->idle_ms = mnl_attr_get_u64(a);
			break;
		}
	}
	if (!h->policy[0] || !h->eid.family)
		return -1;
	h->eid.plen = (uint8_t)addr_bits(h->eid.family);
	return 0;
}

struct host_dump {
	void	(*cb)(const struct khost *, void *);
	void	*arg;
};

static int
host_cb(const struct nlmsghdr *nlh, void *data)
{
	struct host_dump	*d = data;
	struct khost		 h;

	if (!parse_host(nlh, &h))
		d->cb(&h, d->arg);
	return MNL_CB_OK;
}

int
kernel_host_dump(void (*cb)(const struct khost *, void *), void *arg)
{
	char		 buf[NL_REQ];
	struct nlmsghdr	*nlh;
	struct host_dump d = { cb, arg };

	nlh = kernel_msg(buf, LISP_CMD_HOST_GET, NLM_F_DUMP);
	return kernel_request(nlh, "dynamic-eid host dump", host_cb, &d, 0);
}

void
kernel_dyn_event(const struct nlmsghdr *nlh, uint8_t cmd)
{
	struct khost	h;

	if (!(conf->roles & (ROLE_ETR | ROLE_FHR)) || parse_host(nlh, &h)) {
		refuse(ST_RX_UNEXPECTED);
		return;
	}
	if (cmd == LISP_CMD_EID_DETECTED)
		dyneid_detected(&h);
	else
		dyneid_gone(&h);
}
