// SPDX-License-Identifier: GPL-2.0
/*
 * link_lisp.so: "ip link ... type lisp" for the ip command of iproute2.
 *
 * ip(8) dlopen()s LIBDIR/ip/link_<kind>.so for a link kind it does not
 * know and looks up "<kind>_link_util". The plugin is built outside
 * iproute2, so the structure ip reads and the helpers ip exports to it
 * are declared here by hand; they must match the ip binary:
 * Debian 12, iproute2 6.1 (ip/ip_common.h, include/json_print.h,
 * include/color.h, include/utils.h of v6.1.0).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/lisp.h>

/* ---- what ip 6.1 exports (nm -D /sbin/ip) ---- */

enum output_type {			/* json_print.h */
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 4,
};

enum color_attr {			/* color.h */
	COLOR_IFNAME,
	COLOR_MAC,
	COLOR_INET,
	COLOR_INET6,
	COLOR_OPERSTATE_UP,
	COLOR_OPERSTATE_DOWN,
	COLOR_NONE,
};

/*
 * print_uint() and friends are static inline wrappers in json_print.h;
 * the symbols are print_color_<type>().
 */
int print_color_uint(enum output_type t, enum color_attr color,
		     const char *key, const char *fmt, unsigned int value);
int print_color_string(enum output_type t, enum color_attr color,
		       const char *key, const char *fmt, const char *value);
int print_color_bool(enum output_type t, enum color_attr color,
		     const char *key, const char *fmt, bool value);
int addattr8(struct nlmsghdr *n, int maxlen, int type, __u8 data);
int addattr16(struct nlmsghdr *n, int maxlen, int type, __u16 data);
int addattr32(struct nlmsghdr *n, int maxlen, int type, __u32 data);
int addattr_l(struct nlmsghdr *n, int maxlen, int type, const void *data,
	      int alen);

/* ip/ip_common.h, v6.1.0: the order of the members is what matters. */
struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *, int, char **, struct nlmsghdr *);
	void (*print_opt)(struct link_util *, FILE *, struct rtattr *[]);
	void (*print_xstats)(struct link_util *, FILE *, struct rtattr *);
	void (*print_help)(struct link_util *, int, char **, FILE *);
	int (*parse_ifla_xstats)(struct link_util *, int, char **);
	int (*print_ifla_xstats)(struct nlmsghdr *, void *);
};

/* ip's struct iplink_req has 1024 bytes for attributes, as in-tree. */
#define REQ_MAX 1024

/* IFLA_LISP_MISS_HOLD_MS: the kernel takes up to an hour. */
#define LISP_MISS_HOLD_MAX 3600000

/* ---- parsing ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ... lisp [ iid IID ] [ local ADDR ] [ local6 ADDR6 ]\n"
		"                [ port PORT ] [ ttl { 1..255 | inherit } ]\n"
		"                [ tos { TOS | inherit } ] [ df { unset | set | inherit } ]\n"
		"                [ [no]udp6zerocsumtx ] [ [no]petr ] [ [no]decap-any ]\n"
		"                [ map-max ENTRIES ] [ miss-hold MS ] [ [no]external ]\n"
		"                [ [no]rloc-check ] [ [no]ctrl-punt ]\n"
		"\n"
		"Where: IID  := 0..%u (24 bits, default 0)\n"
		"       ADDR := IPv4 source RLOC, ADDR6 := IPv6 source RLOC\n"
		"       PORT := UDP port, default %u\n"
		"       TOS  := 0x00..0xff in hex, as for ip tunnels\n"
		"       ENTRIES := map-cache entries at most, default 1048576\n"
		"       MS   := 0..%u, how long packets wait for a mapping (ms, default 3000)\n"
		"       external: RLOC and IID per packet from tunnel metadata (creation only)\n"
		"       rloc-check: decapsulate only from a locator (and port) of the\n"
		"                   map-cache entry of the inner source (an RTR)\n"
		"       ctrl-punt: LISP control messages inside data packets go to\n"
		"                  the daemon as events (NAT traversal)\n",
		LISP_IID_MAX, LISP_DATA_PORT, LISP_MISS_HOLD_MAX);
}

static void print_help(struct link_util *lu, int argc, char **argv, FILE *f)
{
	usage(f);
}

static int bad(const char *key, const char *val, const char *why)
{
	fprintf(stderr, "Error: lisp: invalid %s \"%s\": %s\n", key,
		val ? val : "", why);
	return -1;
}

static int num(const char *s, int base, unsigned long max,
	       unsigned long *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, base);
	return errno || *end || *out > max ? -1 : 0;
}

static int parse_opt(struct link_util *lu, int argc, char **argv,
		     struct nlmsghdr *n)
{
	unsigned long v;

	for (; argc > 0; argc--, argv++) {
		const char *key = argv[0];
		const char *val = argc > 1 ? argv[1] : NULL;
		bool takes_value = true;

		if (!strcmp(key, "help")) {
			usage(stderr);
			return -1;
		} else if (!strcmp(key, "udp6zerocsumtx") ||
			   !strcmp(key, "noudp6zerocsumtx")) {
			addattr8(n, REQ_MAX, IFLA_LISP_UDP_ZERO_CSUM6_TX,
				 key[0] != 'n');
			takes_value = false;
		} else if (!strcmp(key, "petr") || !strcmp(key, "nopetr")) {
			addattr8(n, REQ_MAX, IFLA_LISP_PETR, key[0] != 'n');
			takes_value = false;
		} else if (!strcmp(key, "decap-any") ||
			   !strcmp(key, "nodecap-any")) {
			addattr8(n, REQ_MAX, IFLA_LISP_DECAP_ANY, key[0] != 'n');
			takes_value = false;
		} else if (!strcmp(key, "external") ||
			   !strcmp(key, "noexternal")) {
			addattr8(n, REQ_MAX, IFLA_LISP_EXTERNAL, key[0] != 'n');
			takes_value = false;
		} else if (!strcmp(key, "rloc-check") ||
			   !strcmp(key, "norloc-check")) {
			addattr8(n, REQ_MAX, IFLA_LISP_RLOC_CHECK, key[0] != 'n');
			takes_value = false;
		} else if (!strcmp(key, "ctrl-punt") ||
			   !strcmp(key, "noctrl-punt")) {
			addattr8(n, REQ_MAX, IFLA_LISP_CTRL_PUNT, key[0] != 'n');
			takes_value = false;
		} else if (!val) {
			if (strcmp(key, "iid") && strcmp(key, "local") &&
			    strcmp(key, "local6") && strcmp(key, "port") &&
			    strcmp(key, "ttl") && strcmp(key, "tos") &&
			    strcmp(key, "df") && strcmp(key, "map-max") &&
			    strcmp(key, "miss-hold"))
				goto unknown;
			fprintf(stderr, "Error: lisp: \"%s\" needs a value\n",
				key);
			return -1;
		} else if (!strcmp(key, "iid")) {
			if (num(val, 0, LISP_IID_MAX, &v))
				return bad(key, val, "must be 0..16777215");
			addattr32(n, REQ_MAX, IFLA_LISP_IID, (__u32)v);
		} else if (!strcmp(key, "local")) {
			struct in_addr a;

			if (inet_pton(AF_INET, val, &a) != 1)
				return bad(key, val, "not an IPv4 address");
			addattr_l(n, REQ_MAX, IFLA_LISP_LOCAL, &a, sizeof(a));
		} else if (!strcmp(key, "local6")) {
			struct in6_addr a;

			if (inet_pton(AF_INET6, val, &a) != 1)
				return bad(key, val, "not an IPv6 address");
			addattr_l(n, REQ_MAX, IFLA_LISP_LOCAL6, &a, sizeof(a));
		} else if (!strcmp(key, "port")) {
			if (num(val, 10, 65535, &v) || !v)
				return bad(key, val, "must be 1..65535");
			addattr16(n, REQ_MAX, IFLA_LISP_PORT, htons((__u16)v));
		} else if (!strcmp(key, "ttl") || !strcmp(key, "hoplimit")) {
			if (!strcmp(val, "inherit"))
				v = 0;
			else if (num(val, 10, 255, &v))
				return bad("ttl", val, "must be 1..255 or inherit");
			addattr8(n, REQ_MAX, IFLA_LISP_TTL, (__u8)v);
		} else if (!strcmp(key, "tos") || !strcmp(key, "dsfield")) {
			if (!strcmp(val, "inherit"))
				v = 1;
			else if (num(val, 16, 255, &v) || v == 1)
				return bad("tos", val,
					   "must be hex 0..ff (not 1) or inherit");
			addattr8(n, REQ_MAX, IFLA_LISP_TOS, (__u8)v);
		} else if (!strcmp(key, "df")) {
			if (!strcmp(val, "unset"))
				v = LISP_DF_UNSET;
			else if (!strcmp(val, "set"))
				v = LISP_DF_SET;
			else if (!strcmp(val, "inherit"))
				v = LISP_DF_INHERIT;
			else
				return bad(key, val, "must be unset, set or inherit");
			addattr8(n, REQ_MAX, IFLA_LISP_DF, (__u8)v);
		} else if (!strcmp(key, "map-max")) {
			if (num(val, 10, 0xffffffffUL, &v))
				return bad(key, val, "must be 0..4294967295");
			addattr32(n, REQ_MAX, IFLA_LISP_MAP_MAX, (__u32)v);
		} else if (!strcmp(key, "miss-hold")) {
			if (num(val, 10, LISP_MISS_HOLD_MAX, &v))
				return bad(key, val, "must be 0..3600000 (ms)");
			addattr32(n, REQ_MAX, IFLA_LISP_MISS_HOLD_MS, (__u32)v);
		} else {
unknown:
			fprintf(stderr,
				"Error: lisp: unknown option \"%s\"; try \"ip link help lisp\"\n",
				key);
			return -1;
		}
		if (takes_value) {
			argc--;
			argv++;
		}
	}
	return 0;
}

/* ---- printing (ip -d link show) ---- */

static bool has(struct rtattr *tb[], int type, size_t len)
{
	return tb[type] && RTA_PAYLOAD(tb[type]) >= len;
}

static __u8 u8_of(struct rtattr *a)
{
	return *(__u8 *)RTA_DATA(a);
}

static void print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	char buf[INET6_ADDRSTRLEN];
	static const char *const df[] = {
		[LISP_DF_UNSET] = "unset",
		[LISP_DF_SET] = "set",
		[LISP_DF_INHERIT] = "inherit",
	};

	if (!tb)
		return;
	if (has(tb, IFLA_LISP_IID, 4))
		print_color_uint(PRINT_ANY, COLOR_NONE, "iid", "iid %u ",
				 *(__u32 *)RTA_DATA(tb[IFLA_LISP_IID]));
	if (has(tb, IFLA_LISP_LOCAL, 4) &&
	    inet_ntop(AF_INET, RTA_DATA(tb[IFLA_LISP_LOCAL]), buf, sizeof(buf)))
		print_color_string(PRINT_ANY, COLOR_INET, "local", "local %s ",
				   buf);
	if (has(tb, IFLA_LISP_LOCAL6, 16) &&
	    inet_ntop(AF_INET6, RTA_DATA(tb[IFLA_LISP_LOCAL6]), buf, sizeof(buf)))
		print_color_string(PRINT_ANY, COLOR_INET6, "local6",
				   "local6 %s ", buf);
	if (has(tb, IFLA_LISP_PORT, 2))
		print_color_uint(PRINT_ANY, COLOR_NONE, "port", "port %u ",
				 ntohs(*(__u16 *)RTA_DATA(tb[IFLA_LISP_PORT])));
	/* JSON keeps the numbers (ttl 0, tos 1 = inherit) */
	if (has(tb, IFLA_LISP_TTL, 1)) {
		__u8 ttl = u8_of(tb[IFLA_LISP_TTL]);

		print_color_uint(PRINT_JSON, COLOR_NONE, "ttl", NULL, ttl);
		if (ttl)
			print_color_uint(PRINT_FP, COLOR_NONE, NULL, "ttl %u ", ttl);
		else
			print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s ",
					   "ttl inherit");
	}
	if (has(tb, IFLA_LISP_TOS, 1)) {
		__u8 tos = u8_of(tb[IFLA_LISP_TOS]);

		print_color_uint(PRINT_JSON, COLOR_NONE, "tos", NULL, tos);
		if (tos == 1)
			print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s ",
					   "tos inherit");
		else
			print_color_uint(PRINT_FP, COLOR_NONE, NULL, "tos 0x%x ",
					 tos);
	}
	if (has(tb, IFLA_LISP_DF, 1)) {
		__u8 v = u8_of(tb[IFLA_LISP_DF]);

		print_color_string(PRINT_ANY, COLOR_NONE, "df", "df %s ",
				   v <= LISP_DF_MAX ? df[v] : "unknown");
	}
	if (has(tb, IFLA_LISP_UDP_ZERO_CSUM6_TX, 1)) {
		bool on = u8_of(tb[IFLA_LISP_UDP_ZERO_CSUM6_TX]);

		print_color_bool(PRINT_JSON, COLOR_NONE, "udp6zerocsumtx",
				 NULL, on);
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s ",
				   on ? "udp6zerocsumtx" : "noudp6zerocsumtx");
	}
	if (has(tb, IFLA_LISP_PETR, 1)) {
		bool on = u8_of(tb[IFLA_LISP_PETR]);

		print_color_bool(PRINT_JSON, COLOR_NONE, "petr", NULL, on);
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s ",
				   on ? "petr" : "nopetr");
	}
	if (has(tb, IFLA_LISP_DECAP_ANY, 1)) {
		bool on = u8_of(tb[IFLA_LISP_DECAP_ANY]);

		print_color_bool(PRINT_JSON, COLOR_NONE, "decap_any", NULL, on);
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s ",
				   on ? "decap-any" : "nodecap-any");
	}
	if (has(tb, IFLA_LISP_MAP_MAX, 4))
		print_color_uint(PRINT_ANY, COLOR_NONE, "map_max", "map-max %u ",
				 *(__u32 *)RTA_DATA(tb[IFLA_LISP_MAP_MAX]));
	if (has(tb, IFLA_LISP_MISS_HOLD_MS, 4))
		print_color_uint(PRINT_ANY, COLOR_NONE, "miss_hold",
				 "miss-hold %u ",
				 *(__u32 *)RTA_DATA(tb[IFLA_LISP_MISS_HOLD_MS]));
	if (has(tb, IFLA_LISP_EXTERNAL, 1)) {
		bool on = u8_of(tb[IFLA_LISP_EXTERNAL]);

		print_color_bool(PRINT_JSON, COLOR_NONE, "external", NULL, on);
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s ",
				   on ? "external" : "noexternal");
	}
	if (has(tb, IFLA_LISP_RLOC_CHECK, 1)) {
		bool on = u8_of(tb[IFLA_LISP_RLOC_CHECK]);

		print_color_bool(PRINT_JSON, COLOR_NONE, "rloc_check", NULL, on);
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s ",
				   on ? "rloc-check" : "norloc-check");
	}
	if (has(tb, IFLA_LISP_CTRL_PUNT, 1)) {
		bool on = u8_of(tb[IFLA_LISP_CTRL_PUNT]);

		print_color_bool(PRINT_JSON, COLOR_NONE, "ctrl_punt", NULL, on);
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s ",
				   on ? "ctrl-punt" : "noctrl-punt");
	}
}

__attribute__((visibility("default")))
struct link_util lisp_link_util = {
	.id = "lisp",
	.maxattr = IFLA_LISP_MAX,
	.parse_opt = parse_opt,
	.print_opt = print_opt,
	.print_help = print_help,
};
