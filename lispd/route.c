/* SPDX-License-Identifier: MIT */
/*
 * Host routes for dynamic EIDs, over rtnetlink: a first-hop router
 * routes a detected host out of the interface it was found on, a site
 * gateway routes a notified host to the first-hop router that reported
 * it.  They carry their own protocol number, so `ip route show proto 43`
 * lists them and a restarted lispd can find and remove stale ones.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "core.h"
#include "log.h"
#include "kernel.h"

#define RT_BUF	8192

static struct mnl_socket	*rt_sock;
static uint32_t			 rt_seq;

int
route_init(void)
{
	if (rt_sock)
		return 0;
	rt_sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!rt_sock || mnl_socket_bind(rt_sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		log_warn("rtnetlink");
		if (rt_sock)
			mnl_socket_close(rt_sock);
		rt_sock = NULL;
		return -1;
	}
	rt_seq = (uint32_t)time(NULL);
	return 0;
}

void
route_close(void)
{
	if (rt_sock)
		mnl_socket_close(rt_sock);
	rt_sock = NULL;
}

/* Send one request and wait for its ACK (or answer, to cb); 0 or -errno. */
static int
rt_exchange(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char		 buf[RT_BUF];
	ssize_t		 n;
	int		 r;

	if (!rt_sock && route_init())
		return -ENOTCONN;
	nlh->nlmsg_seq = ++rt_seq;
	if (mnl_socket_sendto(rt_sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(rt_sock, buf, sizeof(buf));
		if (n < 0 && errno != EINTR)
			return -errno;
	} while (n < 0);
	r = mnl_cb_run(buf, (size_t)n, rt_seq,
	    mnl_socket_get_portid(rt_sock), cb, data);
	return r < 0 ? -errno : 0;
}

static int
rt_request(struct nlmsghdr *nlh)
{
	return rt_exchange(nlh, NULL, NULL);
}

struct nexthop {
	struct laddr	gw;
	int		oif;
};

static int
getroute_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nexthop		*nh = data;
	const struct rtmsg	*rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr	*a;
	size_t			 alen = rtm->rtm_family == AF_INET ? 4 : 16;

	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		if (mnl_attr_get_type(a) == RTA_OIF &&
		    mnl_attr_get_payload_len(a) == 4)
			nh->oif = (int)mnl_attr_get_u32(a);
		if (mnl_attr_get_type(a) == RTA_GATEWAY &&
		    mnl_attr_get_payload_len(a) == alen) {
			nh->gw.family = rtm->rtm_family;
			memcpy(nh->gw.a, mnl_attr_get_payload(a), alen);
		}
	}
	return MNL_CB_OK;
}

/*
 * How this router reaches dst from VRF vrf (its ifindex; 0: the main
 * table): the next hop and interface.
 */
static int
route_lookup(const struct laddr *dst, int vrf, struct nexthop *nh)
{
	char		 buf[RT_BUF];
	struct nlmsghdr	*nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg	*rtm;

	memset(nh, 0, sizeof(*nh));
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = dst->family;
	rtm->rtm_dst_len = (unsigned char)addr_bits(dst->family);
	mnl_attr_put(nlh, RTA_DST, dst->family == AF_INET ? 4 : 16, dst->a);
	/* As ip route get ... vrf NAME: the VRF's device as the oif. */
	if (vrf)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)vrf);
	if (rt_exchange(nlh, getroute_cb, nh) || !nh->oif)
		return -ENETUNREACH;
	return 0;
}

struct link_info {
	int		 master;
	bool		 vrf;
	uint32_t	 table;
};

static int
vrf_data_cb(const struct nlattr *a, void *data)
{
	struct link_info	*li = data;

	if (mnl_attr_get_type(a) == IFLA_VRF_TABLE &&
	    mnl_attr_get_payload_len(a) == 4)
		li->table = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int
linkinfo_cb(const struct nlattr *a, void *data)
{
	struct link_info	*li = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND &&
	    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
		li->vrf = !strcmp(mnl_attr_get_str(a), "vrf");
	if (mnl_attr_get_type(a) == IFLA_INFO_DATA)
		mnl_attr_parse_nested(a, vrf_data_cb, li);
	return MNL_CB_OK;
}

static int
getlink_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_info	*li = data;
	const struct nlattr	*a;

	mnl_attr_for_each(a, nlh, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(a) == IFLA_MASTER &&
		    mnl_attr_get_payload_len(a) == 4)
			li->master = (int)mnl_attr_get_u32(a);
		if (mnl_attr_get_type(a) == IFLA_LINKINFO)
			mnl_attr_parse_nested(a, linkinfo_cb, li);
	}
	return MNL_CB_OK;
}

static int
link_get(int ifindex, struct link_info *li)
{
	char			 buf[RT_BUF];
	struct nlmsghdr		*nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg	*ifi;

	memset(li, 0, sizeof(*li));
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return rt_exchange(nlh, getlink_cb, li);
}

void
route_table_of(int ifindex, struct route_table *rt)
{
	struct link_info	dev, master;

	rt->table = RT_TABLE_MAIN;
	rt->vrf = 0;
	if (ifindex <= 0 || link_get(ifindex, &dev) || !dev.master)
		return;
	if (link_get(dev.master, &master) || !master.vrf || !master.table)
		return;
	rt->table = master.table;
	rt->vrf = dev.master;
}

static struct nlmsghdr *
rt_msg(char *buf, uint16_t type, uint16_t flags, const struct prefix *eid,
    uint32_t table)
{
	struct nlmsghdr	*nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg	*rtm;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = eid->family;
	rtm->rtm_dst_len = eid->plen;
	/* A table of more than 8 bits is the attribute's alone. */
	rtm->rtm_table = table < 256 ? (unsigned char)table : RT_TABLE_COMPAT;
	rtm->rtm_protocol = LISPD_RTPROT;
	rtm->rtm_type = RTN_UNICAST;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	mnl_attr_put(nlh, RTA_DST, eid->family == AF_INET ? 4 : 16, eid->a);
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	return nlh;
}

/*
 * eid via gateway (via != NULL) or straight out of ifindex, in rt's
 * table.  Replaces what was there: a host that moved between interfaces
 * or routers.
 */
int
route_host_add(const struct prefix *eid, const struct laddr *via, int ifindex,
    const struct route_table *rt)
{
	char		 buf[RT_BUF], p[PREFIXSTRLEN];
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;
	int		 err;

	struct nexthop	 nh = { .oif = ifindex };

	/*
	 * A first-hop router may be routed hops away (multihop): the host
	 * goes where the route to that router goes, in the tenant's VRF,
	 * else in the main table (a transit network the VRF leaks to).
	 */
	if (via && via->family) {
		char	a[ADDRSTRLEN];

		if ((!rt->vrf || route_lookup(via, rt->vrf, &nh)) &&
		    (err = route_lookup(via, 0, &nh))) {
			log_warnx("route %s: first-hop router %s unreachable",
			    prefix_fmt(eid, p, sizeof(p)),
			    addr_fmt(via, a, sizeof(a)));
			return err;
		}
		if (!nh.gw.family)
			nh.gw = *via;	/* on a connected network */
	}
	nlh = rt_msg(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, eid,
	    rt->table);
	rtm = mnl_nlmsg_get_payload(nlh);
	if (nh.gw.family && nh.gw.family != eid->family) {
		log_warnx("route %s: the first-hop router is reached over "
		    "another address family; not routed",
		    prefix_fmt(eid, p, sizeof(p)));
		return -EAFNOSUPPORT;
	}
	if (nh.gw.family)
		mnl_attr_put(nlh, RTA_GATEWAY, nh.gw.family == AF_INET ? 4 : 16,
		    nh.gw.a);
	else
		rtm->rtm_scope = RT_SCOPE_LINK;
	if (nh.oif)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)nh.oif);
	if ((err = rt_request(nlh)))
		log_warnx("route %s: %s", prefix_fmt(eid, p, sizeof(p)),
		    strerror(-err));
	return err;
}

int
route_host_del(const struct prefix *eid, const struct route_table *rt)
{
	char		 buf[RT_BUF], p[PREFIXSTRLEN];
	struct nlmsghdr	*nlh;
	int		 err;

	nlh = rt_msg(buf, RTM_DELROUTE, 0, eid, rt->table);
	((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_scope =
	    RT_SCOPE_NOWHERE;
	err = rt_request(nlh);
	if (err && err != -ESRCH)
		log_warnx("route %s delete: %s",
		    prefix_fmt(eid, p, sizeof(p)), strerror(-err));
	return err == -ESRCH ? 0 : err;
}
