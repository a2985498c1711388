/* SPDX-License-Identifier: MIT */
/*
 * LISP control messages carried inside LISP data packets, for NAT
 * traversal: the CTRL event a device with ctrl-punt raises for one it
 * received, and the CTRL_SEND request that has the kernel send one from
 * the device's own UDP port (the one a NAT binding is kept for).
 */
#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "attr.h"

int
lnl_ctrl_decode(const struct nlattr **tb, struct lnl_event *ev, char *why)
{
	if (!tb[LISP_A_IFINDEX])
		return lnl_why(why, "ctrl without ifindex");
	ev->ifindex = mnl_attr_get_u32(tb[LISP_A_IFINDEX]);
	if ((ev->has_iid = tb[LISP_A_IID] != NULL))
		ev->iid = mnl_attr_get_u32(tb[LISP_A_IID]);
	if (tb[LISP_A_SRLOC_INET] && tb[LISP_A_SRLOC_INET6])
		return lnl_why(why, "both srloc and srloc6");
	lnl_get_addr(tb[LISP_A_SRLOC_INET], tb[LISP_A_SRLOC_INET6],
	    &ev->srloc);
	if (!ev->srloc.family)
		return lnl_why(why, "ctrl without srloc");
	if (!tb[LISP_A_SRLOC_PORT])
		return lnl_why(why, "ctrl without srloc-port");
	ev->srloc_port = mnl_attr_get_u16(tb[LISP_A_SRLOC_PORT]);
	if (!tb[LISP_A_PACKET] || !mnl_attr_get_payload_len(tb[LISP_A_PACKET]))
		return lnl_why(why, "ctrl without packet");
	ev->pkt = mnl_attr_get_payload(tb[LISP_A_PACKET]);
	ev->pktlen = mnl_attr_get_payload_len(tb[LISP_A_PACKET]);
	return 0;
}

int
lnl_ctrl_send_put(struct nlmsghdr *nlh, uint32_t ifindex, const char *ifname,
    const struct laddr *rloc, uint16_t port, const void *pkt, size_t len)
{
	struct lnl_rloc	 rl;
	struct nlattr	*nest;

	/* Device, one RLOC (< 64 bytes) and the packet's header. */
	if (len > LNL_MSG_MAX - nlh->nlmsg_len - 128)
		return -EMSGSIZE;
	lnl_put_dev(nlh, ifindex, ifname);
	memset(&rl, 0, sizeof(rl));
	rl.addr = *rloc;
	rl.weight = 100;
	rl.flags = LISP_RLOC_F_REACHABLE;
	rl.port = port;
	nest = mnl_attr_nest_start(nlh, LISP_A_RLOCS);
	lnl_rloc_put(nlh, 1, &rl);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put(nlh, LISP_A_PACKET, len, pkt);
	return 0;
}
