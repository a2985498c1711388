// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the lispctl request builders and reply printers: the
 * requests are built into a buffer and taken apart again; the replies
 * are built with libmnl as the kernel would send them and fed to the
 * printers (human and JSON).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>

#include "lispctl.h"
#include "tap.h"

struct lc_opts lc_opts;

static char buf[LC_MSG_MAX];
static struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

/* Build "WORDS..." with obj's build(); returns its result. */
static int build(const struct lc_cmd *obj, const char *line)
{
	static char copy[1024];
	char *argv[64], *save = NULL, *w;
	const char *what;
	int argc = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	lnl_msg_init(nlh, 0x42, NLM_F_ACK);
	/* silence the expected usage errors */
	fflush(stderr);
	int fd = dup(2);
	freopen("/dev/null", "w", stderr);
	int r = obj->build(nlh, argc, argv, &what);
	fflush(stderr);
	dup2(fd, 2);
	close(fd);
	return r;
}

static const struct nlattr *top(int type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static const struct nlattr *nested(const struct nlattr *nest, int type)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static int genl_cmd(void)
{
	return ((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd;
}

static char *capture(void (*fn)(void *), void *arg)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	FILE *saved = stdout;

	stdout = f;
	fn(arg);
	fflush(stdout);
	stdout = saved;
	fclose(f);
	return out;
}

static void test_requests(void)
{
	const struct nlattr *a, *rl, *el;
	int i, n;

	ok(build(&lc_cmd_mapcache, "add lisp0 10.1.0.0/16 rloc 192.0.2.1 rloc 2001:db8::1 priority 2 weight 50 unreachable ttl 1440 static") == 0,
	   "map-cache add with two RLOCs builds");
	ok(genl_cmd() == LISP_CMD_MAP_ADD, "add is LISP_CMD_MAP_ADD");
	ok((a = top(LISP_A_IFNAME)) && !strcmp(mnl_attr_get_str(a), "lisp0"),
	   "LISP_A_IFNAME lisp0");
	ok((a = top(LISP_A_EID_INET)) && mnl_attr_get_u32(a) == htonl(0x0a010000),
	   "LISP_A_EID_INET 10.1.0.0");
	ok((a = top(LISP_A_EID_PLEN)) && mnl_attr_get_u8(a) == 16, "LISP_A_EID_PLEN 16");
	ok((a = top(LISP_A_ACTION)) && mnl_attr_get_u8(a) == LISP_ACTION_NONE,
	   "positive entry has action none");
	ok((a = top(LISP_A_TTL)) && mnl_attr_get_u32(a) == 1440, "LISP_A_TTL 1440");
	ok((a = top(LISP_A_FLAGS)) && mnl_attr_get_u32(a) == LISP_MAP_F_STATIC,
	   "static sets LISP_MAP_F_STATIC");
	rl = top(LISP_A_RLOCS);
	n = 0;
	if (rl)
		mnl_attr_for_each_nested(el, rl)
			n++;
	ok(rl && n == 2, "LISP_A_RLOCS nest holds 2 elements");
	el = rl ? nested(rl, 1) : NULL;
	ok(el && (a = nested(el, LISP_RLOC_A_INET)) &&
	   mnl_attr_get_u32(a) == htonl(0xc0000201), "element 1 is 192.0.2.1");
	ok(el && (a = nested(el, LISP_RLOC_A_PRIORITY)) && mnl_attr_get_u8(a) == 1,
	   "default priority 1");
	ok(el && (a = nested(el, LISP_RLOC_A_WEIGHT)) && mnl_attr_get_u8(a) == 100,
	   "default weight 100");
	ok(el && (a = nested(el, LISP_RLOC_A_FLAGS)) &&
	   mnl_attr_get_u32(a) == LISP_RLOC_F_REACHABLE, "default flags REACHABLE");
	el = rl ? nested(rl, 2) : NULL;
	ok(el && nested(el, LISP_RLOC_A_INET6) &&
	   mnl_attr_get_payload_len(nested(el, LISP_RLOC_A_INET6)) == 16,
	   "element 2 is an IPv6 RLOC");
	ok(el && (a = nested(el, LISP_RLOC_A_PRIORITY)) && mnl_attr_get_u8(a) == 2 &&
	   (a = nested(el, LISP_RLOC_A_WEIGHT)) && mnl_attr_get_u8(a) == 50,
	   "element 2 priority 2 weight 50");
	ok(el && (a = nested(el, LISP_RLOC_A_FLAGS)) && mnl_attr_get_u32(a) == 0,
	   "unreachable clears REACHABLE");

	ok(build(&lc_cmd_mapcache, "replace lisp0 2001:db8:1::/48 action drop") == 0 &&
	   genl_cmd() == LISP_CMD_MAP_REPLACE && top(LISP_A_EID_INET6) &&
	   !top(LISP_A_RLOCS) && mnl_attr_get_u8(top(LISP_A_ACTION)) == LISP_ACTION_DROP,
	   "negative IPv6 replace with action drop");
	ok(build(&lc_cmd_mapcache, "add lisp0 10.9.9.9 action send-map-request") == 0 &&
	   mnl_attr_get_u8(top(LISP_A_EID_PLEN)) == 32, "bare address sends plen 32");
	ok(build(&lc_cmd_mapcache, "del lisp0 10.1.0.0/16") == 0 &&
	   genl_cmd() == LISP_CMD_MAP_DEL, "del");
	ok(build(&lc_cmd_mapcache, "flush lisp0") == 0 &&
	   genl_cmd() == LISP_CMD_MAP_FLUSH && !top(LISP_A_EID_INET), "flush");
	ok(build(&lc_cmd_mapcache, "show") == LC_NOTREQ, "show is not a request");
	ok(build(&lc_cmd_mapcache, "get lisp0 10.0.0.1") == LC_NOTREQ, "get is not pipelined");
	ok(build(&lc_cmd_database, "add lisp0 10.0.0.0/24") == 0 &&
	   genl_cmd() == LISP_CMD_DB_ADD && mnl_attr_get_u8(top(LISP_A_EID_PLEN)) == 24,
	   "database add");
	ok(build(&lc_cmd_database, "del lisp0 2001:db8::/32") == 0 &&
	   genl_cmd() == LISP_CMD_DB_DEL, "database del");

	/* 8 RLOCs fit, 9 do not */
	{
		char line[1024] = "add lisp0 10.0.0.0/8";

		for (i = 1; i <= 8; i++)
			sprintf(line + strlen(line), " rloc 192.0.2.%d", i);
		ok(build(&lc_cmd_mapcache, line) == 0, "8 RLOCs accepted");
		strcat(line, " rloc 192.0.2.9");
		ok(build(&lc_cmd_mapcache, line) == LC_USAGE, "9 RLOCs refused");
	}
	ok(build(&lc_cmd_mapcache, "add lisp0 10.0.0.0/8") == LC_USAGE,
	   "no rloc and no action refused");
	ok(build(&lc_cmd_mapcache, "add lisp0 10.0.0.0/8 rloc 1.2.3.4 action drop") == LC_USAGE,
	   "rloc with negative action refused");
	ok(build(&lc_cmd_mapcache, "add lisp0 10.0.0.0/8 priority 1 rloc 1.2.3.4") == LC_USAGE,
	   "priority before rloc refused");
	ok(build(&lc_cmd_mapcache, "add lisp0 10.0.0.0/8 rloc 1.2.3.4 weight 256") == LC_USAGE,
	   "weight 256 refused");
	ok(build(&lc_cmd_mapcache, "add lisp0 10.0.0.0/8 rloc 1.2.3") == LC_USAGE,
	   "bad RLOC refused");
	ok(build(&lc_cmd_mapcache, "add lisp0 10.0.0.0/8 action fly") == LC_USAGE,
	   "unknown action refused");
	ok(build(&lc_cmd_mapcache, "add lisp0 10.0.0.0/8 rloc 1.2.3.4 ttl") == LC_USAGE,
	   "ttl without value refused");
	ok(build(&lc_cmd_mapcache, "add") == LC_USAGE, "missing DEV refused");
	ok(build(&lc_cmd_mapcache, "add lisp0") == LC_USAGE, "missing EID refused");
	ok(build(&lc_cmd_mapcache, "add averyveryverylongname 10.0.0.0/8 action drop") == LC_USAGE,
	   "too long device name refused");
	ok(build(&lc_cmd_mapcache, "del lisp0 10.0.0.0/8 extra") == LC_USAGE,
	   "trailing word refused");
	ok(build(&lc_cmd_mapcache, "frobnicate") == LC_USAGE, "unknown sub-command refused");
}

/* A map-cache entry as the kernel would dump it. */
static void put_reply(void)
{
	struct nlattr *rlocs, *el;
	struct in6_addr a6;

	lnl_msg_init(nlh, 0x42, NLM_F_MULTI);
	lnl_genl_put(nlh, LISP_CMD_MAP_GET);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 999999);
	mnl_attr_put_u32(nlh, LISP_A_IID, 100);
	mnl_attr_put_u32(nlh, LISP_A_EID_INET, htonl(0x0a010000));
	mnl_attr_put_u8(nlh, LISP_A_EID_PLEN, 16);
	mnl_attr_put_u8(nlh, LISP_A_ACTION, LISP_ACTION_NONE);
	mnl_attr_put_u32(nlh, LISP_A_TTL, 1440);
	mnl_attr_put_u32(nlh, LISP_A_FLAGS, 0);
	rlocs = mnl_attr_nest_start(nlh, LISP_A_RLOCS);
	el = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, LISP_RLOC_A_INET, htonl(0xc0000201));
	mnl_attr_put_u8(nlh, LISP_RLOC_A_PRIORITY, 1);
	mnl_attr_put_u8(nlh, LISP_RLOC_A_WEIGHT, 100);
	mnl_attr_put_u32(nlh, LISP_RLOC_A_FLAGS, LISP_RLOC_F_REACHABLE);
	mnl_attr_put_u64(nlh, LISP_RLOC_A_PACKETS, 1000);
	mnl_attr_put_u64(nlh, LISP_RLOC_A_BYTES, 100000);
	mnl_attr_nest_end(nlh, el);
	el = mnl_attr_nest_start(nlh, 2);
	inet_pton(AF_INET6, "2001:db8::1", &a6);
	mnl_attr_put(nlh, LISP_RLOC_A_INET6, 16, &a6);
	mnl_attr_put_u8(nlh, LISP_RLOC_A_PRIORITY, 2);
	mnl_attr_put_u8(nlh, LISP_RLOC_A_WEIGHT, 50);
	mnl_attr_put_u32(nlh, LISP_RLOC_A_FLAGS, LISP_RLOC_F_REACHABLE);
	mnl_attr_put_u64(nlh, LISP_RLOC_A_PACKETS, 42);
	mnl_attr_put_u64(nlh, LISP_RLOC_A_BYTES, 4200);
	mnl_attr_nest_end(nlh, el);
	mnl_attr_nest_end(nlh, rlocs);
	mnl_attr_put_u64(nlh, LISP_A_PACKETS, 1042);
	mnl_attr_put_u64(nlh, LISP_A_BYTES, 104200);
	mnl_attr_put_u64(nlh, LISP_A_IDLE_MS, 3100);
	mnl_attr_put_u32(nlh, LISP_A_AGE, 12);
}

static void print_map(void *arg)
{
	struct lnl_map m;
	char why[LNL_WHYLEN];

	lnl_map_decode(nlh, &m, why);
	lc_map_print(stdout, &m, arg != NULL);
}

static void print_json_show(void *arg)
{
	struct lc_out o = { 0 };

	lc_out_begin(&o);
	((lnl_cb)arg)(nlh, &o);
	lc_out_end(&o);
}

static int mc_cb(const struct nlmsghdr *n, void *data)
{
	struct lnl_map m;
	char why[LNL_WHYLEN];

	lnl_map_decode(n, &m, why);
	lc_out_add(data, lc_map_json(&m));
	return 0;
}

static void test_replies(void)
{
	json_object *j, *e, *r, *v;
	char *out;

	put_reply();
	out = capture(print_map, NULL);
	ok(!strcmp(out, "10.1.0.0/16 iid 100 dev if999999 via 192.0.2.1 prio 1 weight 100, "
		   "2001:db8::1 prio 2 weight 50 ttl 1440 age 12s idle 3.1s "
		   "packets 1042 bytes 104200\n"), "human map-cache line");
	if (tap_failed)
		printf("# got: %s", out);
	free(out);
	out = capture(print_map, "stats");
	ok(strstr(out, "192.0.2.1 prio 1 weight 100 packets 1000 bytes 100000, ") != NULL,
	   "-s adds per-RLOC counters");
	free(out);

	lc_opts.json = 1;
	out = capture(print_json_show, (void *)mc_cb);
	lc_opts.json = 0;
	j = json_tokener_parse(out);
	ok(j && json_object_is_type(j, json_type_array) &&
	   json_object_array_length(j) == 1, "JSON show is an array of 1");
	e = j ? json_object_array_get_idx(j, 0) : NULL;
	ok(e && json_object_object_get_ex(e, "eid", &v) &&
	   !strcmp(json_object_get_string(v), "10.1.0.0/16"), "eid key");
	ok(e && json_object_object_get_ex(e, "iid", &v) && json_object_get_int(v) == 100,
	   "iid key");
	ok(e && json_object_object_get_ex(e, "dev", &v) &&
	   json_object_object_get_ex(e, "ifindex", &v) && json_object_get_int(v) == 999999,
	   "dev and ifindex keys");
	ok(e && json_object_object_get_ex(e, "action", &v) &&
	   !strcmp(json_object_get_string(v), "none"), "action none");
	ok(e && json_object_object_get_ex(e, "ttl", &v) && json_object_get_int(v) == 1440 &&
	   json_object_object_get_ex(e, "age", &v) && json_object_get_int(v) == 12 &&
	   json_object_object_get_ex(e, "idle_ms", &v) && json_object_get_int(v) == 3100 &&
	   json_object_object_get_ex(e, "packets", &v) && json_object_get_int(v) == 1042 &&
	   json_object_object_get_ex(e, "bytes", &v) && json_object_get_int(v) == 104200 &&
	   json_object_object_get_ex(e, "static", &v) && !json_object_get_boolean(v),
	   "ttl, age, idle_ms, packets, bytes, static keys");
	ok(e && json_object_object_get_ex(e, "rlocs", &v) &&
	   json_object_array_length(v) == 2, "rlocs array of 2");
	r = e && json_object_object_get_ex(e, "rlocs", &v) ?
	    json_object_array_get_idx(v, 1) : NULL;
	ok(r && json_object_object_get_ex(r, "rloc", &v) &&
	   !strcmp(json_object_get_string(v), "2001:db8::1") &&
	   json_object_object_get_ex(r, "priority", &v) && json_object_get_int(v) == 2 &&
	   json_object_object_get_ex(r, "weight", &v) && json_object_get_int(v) == 50 &&
	   json_object_object_get_ex(r, "reachable", &v) && json_object_get_boolean(v) &&
	   json_object_object_get_ex(r, "packets", &v) && json_object_get_int(v) == 42,
	   "RLOC object keys");
	json_object_put(j);
	free(out);

	/* negative entry */
	lnl_msg_init(nlh, 0x42, 0);
	lnl_genl_put(nlh, LISP_CMD_MAP_GET);
	mnl_attr_put_strz(nlh, LISP_A_IFNAME, "lisp0");
	mnl_attr_put_u32(nlh, LISP_A_EID_INET, htonl(0x0a020000));
	mnl_attr_put_u8(nlh, LISP_A_EID_PLEN, 16);
	mnl_attr_put_u8(nlh, LISP_A_ACTION, LISP_ACTION_DROP);
	mnl_attr_put_u32(nlh, LISP_A_TTL, 15);
	mnl_attr_put_u32(nlh, LISP_A_FLAGS, LISP_MAP_F_STATIC);
	out = capture(print_map, NULL);
	ok(!strcmp(out, "10.2.0.0/16 dev lisp0 action drop ttl 15 static\n"),
	   "negative entry line");
	free(out);

	/* database entry without plen is a host */
	lnl_msg_init(nlh, 0x42, 0);
	lnl_genl_put(nlh, LISP_CMD_DB_GET);
	mnl_attr_put_strz(nlh, LISP_A_IFNAME, "lisp0");
	mnl_attr_put_u32(nlh, LISP_A_IID, 7);
	mnl_attr_put_u32(nlh, LISP_A_EID_INET, htonl(0x0a000001));
	lc_opts.json = 1;
	out = capture(print_json_show, (void *)lc_db_print_msg);
	lc_opts.json = 0;
	ok(!strcmp(out, "[{\"eid\":\"10.0.0.1/32\",\"iid\":7,\"dev\":\"lisp0\"}]\n"),
	   "database JSON; absent plen = host");
	free(out);

	/* stats */
	{
		struct nlattr *s;

		lnl_msg_init(nlh, 0x42, 0);
		lnl_genl_put(nlh, LISP_CMD_STATS_GET);
		mnl_attr_put_strz(nlh, LISP_A_IFNAME, "lisp0");
		s = mnl_attr_nest_start(nlh, LISP_A_STATS);
		mnl_attr_put_u64(nlh, LISP_STAT_TX_PACKETS, 5);
		mnl_attr_put_u64(nlh, LISP_STAT_RX_UNKNOWN_IID, 3);
		mnl_attr_nest_end(nlh, s);
		lc_opts.json = 1;
		out = capture(print_json_show, (void *)lc_stats_print_msg);
		lc_opts.json = 0;
		ok(!strcmp(out, "[{\"dev\":\"lisp0\",\"stats\":{\"tx_packets\":5,\"rx_unknown_iid\":3}}]\n"),
		   "stats JSON");
		free(out);
	}
	{
		unsigned int i, named = 0;

		for (i = LISP_STAT_TX_PACKETS; i <= LISP_STAT_MAX; i++)
			named += lnl_stat_name(i) != NULL;
		ok(named == LISP_STAT_MAX - LISP_STAT_TX_PACKETS + 1,
		   "every LISP_STAT_* has a name");
		ok(!strcmp(lnl_stat_name(LISP_STAT_RX_UNKNOWN_IID), "rx-unknown-iid"),
		   "rx-unknown-iid");
	}
}

/* "show ... iid IID": the words, as each show command takes them. */
static int show_args(const char *key, const char *line, const char **obj,
		     struct lc_out *o)
{
	static char copy[256];
	char *argv[16], *save = NULL, *w;
	int argc = 0, fd, r;

	snprintf(copy, sizeof(copy), "%s", line);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	fflush(stderr);
	fd = dup(2);
	freopen("/dev/null", "w", stderr);
	r = lc_show_args("show", key, argc, argv, obj, o);
	fflush(stderr);
	dup2(fd, 2);
	close(fd);
	return r;
}

/* Rows of two tenants, each kind as the kernel dumps it. */
static void put_row(uint8_t cmd, uint32_t iid)
{
	struct nlattr *s;

	lnl_msg_init(nlh, 0x42, NLM_F_MULTI);
	lnl_genl_put(nlh, cmd);
	switch (cmd) {
	case LISP_CMD_MAP_GET:
	case LISP_CMD_DB_GET:
		mnl_attr_put_strz(nlh, LISP_A_IFNAME, iid == 100 ? "lisp0" : "lisp1");
		mnl_attr_put_u32(nlh, LISP_A_IID, iid);
		mnl_attr_put_u32(nlh, LISP_A_EID_INET, htonl(0x0a020000));
		mnl_attr_put_u8(nlh, LISP_A_EID_PLEN, 24);
		if (cmd == LISP_CMD_MAP_GET)
			mnl_attr_put_u8(nlh, LISP_A_ACTION, LISP_ACTION_DROP);
		break;
	case LISP_CMD_STATS_GET:
		mnl_attr_put_strz(nlh, LISP_A_IFNAME, iid == 100 ? "lisp0" : "lisp1");
		mnl_attr_put_u32(nlh, LISP_A_IID, iid);
		s = mnl_attr_nest_start(nlh, LISP_A_STATS);
		mnl_attr_put_u64(nlh, LISP_STAT_TX_PACKETS, iid);
		mnl_attr_nest_end(nlh, s);
		break;
	case LISP_CMD_DYN_GET:
	case LISP_CMD_HOST_GET:
		mnl_attr_put_strz(nlh, LISP_A_DYN_NAME, iid == 100 ? "a" : "b");
		mnl_attr_put_u32(nlh, LISP_A_IID, iid);
		mnl_attr_put_u32(nlh, LISP_A_EID_INET,
				 htonl(cmd == LISP_CMD_DYN_GET ? 0x0a020000 : 0x0a020005));
		if (cmd == LISP_CMD_DYN_GET)
			mnl_attr_put_u8(nlh, LISP_A_EID_PLEN, 24);
		mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 999999);
		break;
	}
}

struct two_rows {
	uint8_t cmd;
	lnl_cb cb;
	struct lc_out o;
};

/* Both tenants' rows through cb, with the filter of t->o. */
static void print_two(void *arg)
{
	struct two_rows *t = arg;

	lc_out_begin(&t->o);
	put_row(t->cmd, 100);
	t->cb(nlh, &t->o);
	put_row(t->cmd, 200);
	t->cb(nlh, &t->o);
	lc_out_end(&t->o);
}

static void test_iid_filter(void)
{
	static const struct {
		uint8_t cmd;
		lnl_cb cb;
		const char *name, *line200;
	} kinds[] = {
		{ LISP_CMD_MAP_GET, lc_map_print_msg, "map-cache",
		  "10.2.0.0/24 iid 200 dev lisp1 action drop\n" },
		{ LISP_CMD_DB_GET, lc_db_print_msg, "database",
		  "10.2.0.0/24 iid 200 dev lisp1\n" },
		{ LISP_CMD_STATS_GET, lc_stats_print_msg, "stats",
		  "dev lisp1 iid 200:\n    tx-packets         200\n" },
		{ LISP_CMD_DYN_GET, lc_dyn_print_msg, "dyn", NULL },
		{ LISP_CMD_HOST_GET, lc_host_print_msg, "host", NULL },
	};
	struct lc_out o;
	const char *obj;
	json_object *j, *v;
	size_t k;
	char *out;

	ok(show_args("dev", "dev lisp0 iid 7", &obj, &o) == 0 && obj &&
	   !strcmp(obj, "lisp0") && o.has_iid && o.iid == 7,
	   "show args: dev DEV iid IID");
	ok(show_args("dev", "instance-id 0 lisp0", &obj, &o) == 0 && obj &&
	   !strcmp(obj, "lisp0") && o.has_iid && o.iid == 0,
	   "show args: instance-id IID first, then a bare DEV; iid 0 is a filter");
	ok(show_args("dev", "", &obj, &o) == 0 && !obj && !o.has_iid,
	   "show args: none, no filter");
	ok(show_args("dev", "iid 7 iid 8", &obj, &o) == LC_USAGE,
	   "show args: two instance-ids refused");
	ok(show_args("dev", "iid 0x1000000", &obj, &o) == LC_USAGE,
	   "show args: instance-id past 24 bits refused");
	ok(show_args(NULL, "map-cache instance-id", &obj, &o) == LC_USAGE,
	   "show args: instance-id without a value refused");
	ok(show_args(NULL, "instance-id 7 site", &obj, &o) == 0 && obj &&
	   !strcmp(obj, "site") && o.iid == 7,
	   "show args: Cisco order, instance-id before the table");

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct two_rows t = { .cmd = kinds[k].cmd, .cb = kinds[k].cb };

		out = capture(print_two, &t);
		ok(t.o.count == 2 && strstr(out, "iid 100") && strstr(out, "iid 200"),
		   "%s: unfiltered, both tenants' rows, each with its iid",
		   kinds[k].name);
		free(out);
		t.o.has_iid = true;
		t.o.iid = 200;
		out = capture(print_two, &t);
		ok(t.o.count == 1 && !strstr(out, "iid 100") && strstr(out, "iid 200") &&
		   (!kinds[k].line200 || !strcmp(out, kinds[k].line200)),
		   "%s iid 200: only instance-id 200's row", kinds[k].name);
		if (tap_failed)
			printf("# got: %s", out);
		free(out);
		t.o.iid = 300;
		out = capture(print_two, &t);
		ok(t.o.count == 0 && !strcmp(out, ""), "%s iid 300: nothing",
		   kinds[k].name);
		free(out);
		lc_opts.json = 1;
		t.o.iid = 100;
		out = capture(print_two, &t);
		lc_opts.json = 0;
		j = json_tokener_parse(out);
		ok(j && json_object_array_length(j) == 1 &&
		   json_object_object_get_ex(json_object_array_get_idx(j, 0), "iid", &v) &&
		   json_object_get_int(v) == 100,
		   "%s -j iid 100: one row, \"iid\": 100", kinds[k].name);
		json_object_put(j);
		free(out);
	}
}

static void print_event(void *arg)
{
	lc_event_print(nlh, NULL);
}

static void test_event(void)
{
	char *out;
	json_object *j, *v;

	lnl_msg_init(nlh, 0x42, 0);
	lnl_genl_put(nlh, LISP_CMD_MISS);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 999999);
	mnl_attr_put_u32(nlh, LISP_A_IID, 100);
	mnl_attr_put_u32(nlh, LISP_A_SEID_INET, htonl(0x0a000001));
	mnl_attr_put_u32(nlh, LISP_A_EID_INET, htonl(0x0a010203));
	out = capture(print_event, NULL);
	ok(strstr(out, " miss dev if999999 iid 100 src 10.0.0.1 dst 10.1.2.3\n") != NULL,
	   "monitor line");
	free(out);
	lc_opts.json = 1;
	out = capture(print_event, NULL);
	lc_opts.json = 0;
	j = json_tokener_parse(out);
	ok(j && json_object_object_get_ex(j, "event", &v) &&
	   !strcmp(json_object_get_string(v), "miss") &&
	   json_object_object_get_ex(j, "time", &v) &&
	   json_object_object_get_ex(j, "src", &v) &&
	   !strcmp(json_object_get_string(v), "10.0.0.1") &&
	   json_object_object_get_ex(j, "dst", &v) &&
	   !strcmp(json_object_get_string(v), "10.1.2.3"), "monitor JSON line");
	json_object_put(j);
	free(out);
}

/* An extended ACK for the request in buf, blaming rloc 2's priority. */
static void test_extack(void)
{
	char req[LC_MSG_MAX], ebuf[LC_MSG_MAX + 256], path[64];
	struct nlmsghdr *r = (struct nlmsghdr *)req, *e;
	const struct nlattr *rl, *el, *pr;
	struct nlmsgerr *err;
	struct lnl_err le;
	char tmpl[] = "/tmp/lispctl-test-XXXXXX";
	char out[512] = "";
	int fd, saved;
	uint32_t off;
	FILE *f;

	build(&lc_cmd_mapcache, "add lisp0 10.0.0.0/8 rloc 1.1.1.1 rloc 2.2.2.2 priority 255");
	memcpy(req, buf, nlh->nlmsg_len);
	rl = top(LISP_A_RLOCS);
	el = nested(rl, 2);
	pr = nested(el, LISP_RLOC_A_PRIORITY);
	off = (uint32_t)((const char *)pr - buf);
	ok(lnl_attr_path(r, off, path, sizeof(path)) &&
	   !strcmp(path, "rloc 2 priority"), "offset names rloc 2 priority (%s)", path);

	e = mnl_nlmsg_put_header(ebuf);
	e->nlmsg_type = NLMSG_ERROR;
	e->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	err = mnl_nlmsg_put_extra_header(e, sizeof(*err));
	err->error = -22;
	err->msg = *r;
	mnl_attr_put_strz(e, NLMSGERR_ATTR_MSG, "priority 255 RLOC cannot be the only one");
	mnl_attr_put_u32(e, NLMSGERR_ATTR_OFFS, off);

	fd = mkstemp(tmpl);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	lnl_ack(e, &le);
	lc_report_nlerr("map-cache add", &le, r);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	f = fopen(tmpl, "r");
	if (f) {
		if (!fgets(out, sizeof(out), f))
			out[0] = '\0';
		fclose(f);
	}
	close(fd);
	unlink(tmpl);
	ok(!strcmp(out, "lispctl: map-cache add: Error: priority 255 RLOC cannot be the only one (EINVAL), attribute rloc 2 priority\n"),
	   "extack message, errno name and attribute printed");
	if (tap_failed)
		printf("# got: %s", out);
}

int main(void)
{
	tap_start();
	test_requests();
	test_replies();
	test_iid_filter();
	test_event();
	test_extack();
	return tap_end();
}
