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
	char ts[64], dev[IFNAMSIZ + 16] = "", src[ADDRSTRLEN] = "",
	     dst[ADDRSTRLEN] = "", itr[ADDRSTRLEN] = "", why[LNL_WHYLEN];
	const char *event;
	struct lnl_event ev;
	int r;

	if (family && nlh->nlmsg_type != *family)
		return 0;
	r = lnl_event_decode(nlh, &ev, why);
	if (r > 0)
		return 0;
	if (r < 0) {
		lc_err("monitor: malformed event from the kernel (%s), skipped", why);
		return 0;
	}
	timestamp(ts, sizeof(ts));
	if (ev.cmd != LISP_CMD_MISS && ev.cmd != LISP_CMD_SMR) {
		lc_host_event_print(&ev, ts);
		return 0;
	}
	event = ev.cmd == LISP_CMD_MISS ? "miss" : "smr";
	if (ev.seid.family)
		addr_fmt(&ev.seid, src, sizeof(src));
	addr_fmt(&ev.eid, dst, sizeof(dst));
	if (ev.srloc.family)
		addr_fmt(&ev.srloc, itr, sizeof(itr));
	lc_ifname(ev.ifindex, dev);
	if (lc_opts.json) {
		json_object *j = json_object_new_object();

		json_object_object_add(j, "time", json_object_new_string(ts));
		json_object_object_add(j, "event", json_object_new_string(event));
		json_object_object_add(j, "dev", json_object_new_string(dev));
		json_object_object_add(j, "ifindex", json_object_new_int64(ev.ifindex));
		if (ev.has_iid)
			json_object_object_add(j, "iid", json_object_new_int64(ev.iid));
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
		if (ev.has_iid)
			printf(" iid %u", ev.iid);
		printf(" src %s dst %s", src[0] ? src : "?", dst[0] ? dst : "?");
		if (itr[0])
			printf(" itr %s", itr);
		putchar('\n');
	}
	fflush(stdout);
	return 0;
}

static int monitor_run(struct lnl *nl, int argc, char **argv)
{
	int r;

	if (argc > 0 && !strcmp(argv[0], "help")) {
		help(stdout);
		return 0;
	}
	if (argc > 0)
		return lc_usage_err("monitor: unexpected \"%s\"", argv[0]);
	if (!nl->sock)
		return 0;
	r = lnl_subscribe(nl);
	if (r == -ENOENT) {
		lc_err("monitor: the \"%s\" family has no \"%s\" group",
		       LISP_GENL_NAME, LISP_MCGRP_EVENTS);
		return LC_ERR;
	}
	if (r) {
		lc_err("monitor: join group %u: %s", nl->mcgrp, strerror(-r));
		return LC_ERR;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* As tcpdump does: scripts wait for this line before they act. */
	fprintf(stderr, "lispctl: listening for %s events\n", LISP_GENL_NAME);
	for (;;) {
		r = lnl_recv(nl, lc_event_print, &nl->family);
		if (r == -EINTR)
			continue;
		if (r == -ENOBUFS) {
			lc_err("monitor: events lost (receive buffer overrun)");
			continue;
		}
		if (r) {
			lc_err("monitor: recvmsg: %s", strerror(-r));
			return LC_ERR;
		}
	}
}

const struct lc_cmd lc_cmd_monitor = {
	.name = "monitor",
	.run = monitor_run,
	.help = help,
};
