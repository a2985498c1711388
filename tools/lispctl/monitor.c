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
#include "proto.h"

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
	      "       flap-mac MAC flap-dev IF\n"
	      "and every control message a ctrl-punt device received inside a\n"
	      "data packet, with its outer source as a NAT translated it:\n"
	      "  TIME ctrl dev DEV iid IID from ADDR:PORT type TYPE len BYTES\n\n", f);
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

static const char *
msg_type_name(unsigned int type)
{
	static const char *const names[] = {
		[LISP_MSG_REQUEST] = "map-request",
		[LISP_MSG_REPLY] = "map-reply",
		[LISP_MSG_REGISTER] = "map-register",
		[LISP_MSG_NOTIFY] = "map-notify",
		[LISP_MSG_NOTIFY_ACK] = "map-notify-ack",
		[LISP_MSG_REFERRAL] = "map-referral",
		[LISP_MSG_INFO] = "info",
		[LISP_MSG_ECM] = "ecm",
	};

	return type < sizeof(names) / sizeof(names[0]) && names[type] ?
	    names[type] : "unknown";
}

/*
 * The type of the control message in a CTRL event's packet (IP, UDP,
 * message), and of the one an ECM carries: "ecm/map-register".
 */
static void ctrl_type(const struct lnl_event *ev, char *buf, size_t len)
{
	const uint8_t *p = ev->pkt;
	size_t off = (p[0] >> 4) == 4 ? (size_t)(p[0] & 0xf) * 4 : 40;
	struct lisp_ecm ecm;

	off += 8;	/* UDP */
	if (ev->pktlen <= off) {
		snprintf(buf, len, "truncated");
		return;
	}
	snprintf(buf, len, "%s", msg_type_name(p[off] >> 4));
	if (p[off] >> 4 == LISP_MSG_ECM &&
	    !lisp_ecm_decode(p + off, ev->pktlen - off, &ecm) && ecm.msg_len)
		snprintf(buf, len, "ecm/%s", msg_type_name(ecm.msg[0] >> 4));
}

static void ctrl_print(const struct lnl_event *ev, const char *ts)
{
	char dev[IFNAMSIZ + 16] = "", src[ADDRSTRLEN] = "", type[40];

	lc_ifname(ev->ifindex, dev);
	addr_fmt(&ev->srloc, src, sizeof(src));
	ctrl_type(ev, type, sizeof(type));
	if (lc_opts.json) {
		json_object *j = json_object_new_object();

		json_object_object_add(j, "time", json_object_new_string(ts));
		json_object_object_add(j, "event", json_object_new_string("ctrl"));
		json_object_object_add(j, "dev", json_object_new_string(dev));
		json_object_object_add(j, "ifindex", json_object_new_int64(ev->ifindex));
		if (ev->has_iid)
			json_object_object_add(j, "iid", json_object_new_int64(ev->iid));
		json_object_object_add(j, "src", json_object_new_string(src));
		json_object_object_add(j, "sport", json_object_new_int(ev->srloc_port));
		json_object_object_add(j, "type", json_object_new_string(type));
		json_object_object_add(j, "len", json_object_new_int64((int64_t)ev->pktlen));
		lc_json_line(j);
	} else {
		printf("%s ctrl dev %s", ts, dev);
		if (ev->has_iid)
			printf(" iid %u", ev->iid);
		printf(ev->srloc.family == AF_INET6 ? " from [%s]:%u" :
		       " from %s:%u", src, ev->srloc_port);
		printf(" type %s len %zu\n", type, ev->pktlen);
	}
	fflush(stdout);
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
	if (ev.cmd == LISP_CMD_CTRL) {
		ctrl_print(&ev, ts);
		return 0;
	}
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
		lc_json_line(j);
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
