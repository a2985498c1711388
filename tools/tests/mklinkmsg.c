// SPDX-License-Identifier: GPL-2.0
/*
 * Write an RTM_NEWLINK message for a "lisp" device with every
 * IFLA_LISP_* attribute to a file, for "ip -d monitor file FILE": ip
 * itself then runs the plugin's print_opt, without the kernel module.
 * Usage: mklinkmsg FILE [inherit]
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <linux/lisp.h>

int main(int argc, char **argv)
{
	char buf[1024];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct nlattr *li, *data;
	struct in6_addr a6;
	int inherit = argc > 2;
	FILE *f;

	if (argc < 2)
		return 2;
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 7;
	ifi->ifi_type = 0xffff;			/* ARPHRD_NONE */
	ifi->ifi_flags = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "lisp0");
	mnl_attr_put_u32(nlh, IFLA_MTU, 1280);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "lisp");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_LISP_IID, 100);
	mnl_attr_put_u32(nlh, IFLA_LISP_LOCAL, htonl(0xc0000201));
	inet_pton(AF_INET6, "2001:db8::1", &a6);
	mnl_attr_put(nlh, IFLA_LISP_LOCAL6, sizeof(a6), &a6);
	mnl_attr_put_u16(nlh, IFLA_LISP_PORT, htons(4341));
	mnl_attr_put_u8(nlh, IFLA_LISP_TTL, inherit ? 0 : 64);
	mnl_attr_put_u8(nlh, IFLA_LISP_TOS, inherit ? 1 : 0x10);
	mnl_attr_put_u8(nlh, IFLA_LISP_DF, inherit ? LISP_DF_INHERIT : LISP_DF_SET);
	mnl_attr_put_u8(nlh, IFLA_LISP_UDP_ZERO_CSUM6_TX, !inherit);
	mnl_attr_put_u8(nlh, IFLA_LISP_PETR, inherit);
	mnl_attr_put_u8(nlh, IFLA_LISP_DECAP_ANY, inherit);
	mnl_attr_put_u32(nlh, IFLA_LISP_MAP_MAX, 1000);
	mnl_attr_put_u32(nlh, IFLA_LISP_MISS_HOLD_MS, 30000);
	mnl_attr_put_u8(nlh, IFLA_LISP_EXTERNAL, inherit);
	mnl_attr_put_u8(nlh, IFLA_LISP_RLOC_CHECK, inherit);
	mnl_attr_put_u8(nlh, IFLA_LISP_CTRL_PUNT, inherit);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	f = fopen(argv[1], "wb");
	if (!f || fwrite(buf, 1, nlh->nlmsg_len, f) != nlh->nlmsg_len)
		return 1;
	return fclose(f) ? 1 : 0;
}
