// SPDX-License-Identifier: GPL-2.0
/*
 * lispctl monitor: print the "events" multicast group, one line per
 * event, flushed at once so that a test or a script reading the pipe
 * sees each event as it happens.
 */
#include <errno.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "lispctl.h"

static void help(FILE *f)
{
	fputs("Usage: lispctl [ -j ] monitor\n"
	      "Prints every map-cache miss: TIME miss dev DEV iid IID src ADDR dst ADDR\n"
	      "and every packet for an away EID that asks for an SMR:\n"
	      "  TIME smr dev DEV iid IID src ADDR dst ADDR itr RLOC\n"
	      "and every host a dynamic-EID policy detects or loses:\n"
	      "  TIME eid-detected EID policy NAME iid IID mac MAC dev IF detect HOW\n"
	      "  TIME eid-gone EID policy NAME iid IID mac MAC dev IF idle TIME\n"
	      "and every host whose address a second MAC claims (it stays put):\n"
	      "  TIME eid-flap EID policy NAME iid IID mac MAC dev IF detect HOW\n"
	      "       flap-mac MAC flap-dev IF\n\n", f);
}

static void timestamp(char *buf, size_t len)
{
	struct timeval tv;
	struct tm tm;
	size_t n;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%06ld", (long)tv.tv_usec);
}

/* One event; data is the family id so that others are ignored. */
int lc_event_print(const struct nlmsghdr *nlh, void *data)
{
	const uint16_t *family = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	char ts[64], dev[IFNAMSIZ + 16] = "", src[LC_ADDRSTRLEN] = "",
	     dst[LC_ADDRSTRLEN] = "", itr[LC_ADDRSTRLEN] = "";
	const char *event;
	const struct nlattr *a;
	struct lc_addr addr;
	uint32_t ifindex = 0, iid = 0;
	bool has_iid = false;

	if (family && nlh->nlmsg_type != *family)
		return 0;
	if (g->cmd == LISP_CMD_EID_DETECTED || g->cmd == LISP_CMD_EID_GONE ||
	    g->cmd == LISP_CMD_EID_FLAP) {
		timestamp(ts, sizeof(ts));
		return lc_host_event_print(nlh, ts);
	}
	if (g->cmd == LISP_CMD_MISS)
		event = "miss";
	else if (g->cmd == LISP_CMD_SMR)
		event = "smr";
	else
		return 0;
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		switch (mnl_attr_get_type(a)) {
		case LISP_A_IFINDEX:
			ifindex = mnl_attr_get_u32(a);
			break;
		case LISP_A_IID:
			iid = mnl_attr_get_u32(a);
			has_iid = true;
			break;
		case LISP_A_SEID_INET:
		case LISP_A_SEID_INET6:
			if (!lc_addr_from_attr(a, mnl_attr_get_type(a) ==
					       LISP_A_SEID_INET ? AF_INET : AF_INET6, &addr))
				lc_addr_fmt(&addr, src, sizeof(src));
			break;
		case LISP_A_EID_INET:
		case LISP_A_EID_INET6:
			if (!lc_addr_from_attr(a, mnl_attr_get_type(a) ==
					       LISP_A_EID_INET ? AF_INET : AF_INET6, &addr))
				lc_addr_fmt(&addr, dst, sizeof(dst));
			break;
		case LISP_A_SRLOC_INET:
		case LISP_A_SRLOC_INET6:
			if (!lc_addr_from_attr(a, mnl_attr_get_type(a) ==
					       LISP_A_SRLOC_INET ? AF_INET : AF_INET6, &addr))
				lc_addr_fmt(&addr, itr, sizeof(itr));
			break;
		}
	}
	lc_ifname(ifindex, dev);
	timestamp(ts, sizeof(ts));
	if (lc_opts.json) {
		json_object *j = json_object_new_object();

		json_object_object_add(j, "time", json_object_new_string(ts));
		json_object_object_add(j, "event", json_object_new_string(event));
		json_object_object_add(j, "dev", json_object_new_string(dev));
		json_object_object_add(j, "ifindex", json_object_new_int64(ifindex));
		if (has_iid)
			json_object_object_add(j, "iid", json_object_new_int64(iid));
		json_object_object_add(j, "src", json_object_new_string(src));
		json_object_object_add(j, "dst", json_object_new_string(dst));
		if (itr[0])
			json_object_object_add(j, "itr", json_object_new_string(itr));
		/* JSON lines: one object per line even with -p */
		fputs(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
						     JSON_C_TO_STRING_NOSLASHESCAPE),
		      stdout);
		fputc('\n', stdout);
		json_object_put(j);
	} else {
		printf("%s %s dev %s", ts, event, dev);
		if (has_iid)
			printf(" iid %u", iid);
		printf(" src %s dst %s", src[0] ? src : "?", dst[0] ? dst : "?");
		if (itr[0])
			printf(" itr %s", itr);
		putchar('\n');
	}
	fflush(stdout);
	return 0;
}

static int monitor_run(struct lc_nl *nl, int argc, char **argv)
{
	int grp;

	if (argc > 0 && !strcmp(argv[0], "help")) {
		help(stdout);
		return 0;
	}
	if (argc > 0)
		return lc_usage_err("monitor: unexpected \"%s\"", argv[0]);
	if (!nl->sock)
		return 0;
	if (!nl->mcgrp_events) {
		lc_err("monitor: the \"%s\" family has no \"%s\" group",
		       LISP_GENL_NAME, LISP_MCGRP_EVENTS);
		return LC_ERR;
	}
	grp = (int)nl->mcgrp_events;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0) {
		lc_err("monitor: join group %d: %s", grp, strerror(errno));
		return LC_ERR;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* As tcpdump does: scripts wait for this line before they act. */
	fprintf(stderr, "lispctl: listening for %s events\n", LISP_GENL_NAME);
	for (;;) {
		const struct nlmsghdr *r;
		ssize_t n;
		int left;

		n = mnl_socket_recvfrom(nl->sock, nl->rxbuf, nl->rxlen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				lc_err("monitor: events lost (receive buffer overrun)");
				continue;
			}
			lc_err("monitor: recvmsg: %s", strerror(errno));
			return LC_ERR;
		}
		left = (int)n;
		for (r = (const struct nlmsghdr *)nl->rxbuf;
		     mnl_nlmsg_ok(r, left); r = mnl_nlmsg_next(r, &left))
			lc_event_print(r, &nl->family);
	}
}

const struct lc_cmd lc_cmd_monitor = {
	.name = "monitor",
	.run = monitor_run,
	.help = help,
};
