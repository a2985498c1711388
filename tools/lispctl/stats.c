// SPDX-License-Identifier: GPL-2.0
/* lispctl stats: per-device counters (LISP_CMD_STATS_GET). */
#include <inttypes.h>
#include <string.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#include "lispctl.h"

static const char *const stat_names[] = {
	[LISP_STAT_TX_PACKETS] = "tx-packets",
	[LISP_STAT_TX_BYTES] = "tx-bytes",
	[LISP_STAT_RX_PACKETS] = "rx-packets",
	[LISP_STAT_RX_BYTES] = "rx-bytes",
	[LISP_STAT_TX_MISS] = "tx-miss",
	[LISP_STAT_TX_MISS_DROP] = "tx-miss-drop",
	[LISP_STAT_TX_NEGATIVE_DROP] = "tx-negative-drop",
	[LISP_STAT_TX_NATIVE] = "tx-native",
	[LISP_STAT_TX_NO_RLOC] = "tx-no-rloc",
	[LISP_STAT_TX_NO_ROUTE] = "tx-no-route",
	[LISP_STAT_TX_TOO_BIG] = "tx-too-big",
	[LISP_STAT_TX_BAD_PROTO] = "tx-bad-proto",
	[LISP_STAT_TX_NOMEM] = "tx-nomem",
	[LISP_STAT_RX_TRUNCATED] = "rx-truncated",
	[LISP_STAT_RX_BAD_FLAGS] = "rx-bad-flags",
	[LISP_STAT_RX_ENCRYPTED] = "rx-encrypted",
	[LISP_STAT_RX_UNKNOWN_IID] = "rx-unknown-iid",
	[LISP_STAT_RX_BAD_INNER] = "rx-bad-inner",
	[LISP_STAT_RX_NOT_OURS] = "rx-not-ours",
	[LISP_STAT_RX_ECN_DROP] = "rx-ecn-drop",
	[LISP_STAT_RX_NOMEM] = "rx-nomem",
	[LISP_STAT_RX_AWAY] = "rx-away",
	[LISP_STAT_SMR] = "smr",
	[LISP_STAT_RX_AWAY_TTL] = "rx-away-ttl",
	[LISP_STAT_RX_ICMP_ERR] = "rx-icmp-err",
	[LISP_STAT_MAP_FULL] = "map-full",
	[LISP_STAT_DB_FULL] = "db-full",
};

/* Human name of a counter, NULL for PAD/UNSPEC or one we do not know. */
const char *lc_stat_name(unsigned int stat)
{
	if (stat < sizeof(stat_names) / sizeof(stat_names[0]))
		return stat_names[stat];
	return NULL;
}

static void help(FILE *f)
{
	fputs("Usage: lispctl stats [ DEV ]\n\n", f);
}

int lc_stats_print_msg(const struct nlmsghdr *nlh, void *data)
{
	struct lc_out *o = data;
	const struct nlattr *a, *s;
	uint32_t ifindex = 0, iid = 0;
	bool has_iid = false;
	const struct nlattr *stats = NULL;
	char dev[IFNAMSIZ + 16] = "";
	json_object *j = NULL, *js = NULL;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case LISP_A_IFINDEX:
			ifindex = mnl_attr_get_u32(a);
			break;
		case LISP_A_IFNAME:
			snprintf(dev, sizeof(dev), "%s", mnl_attr_get_str(a));
			break;
		case LISP_A_IID:
			iid = mnl_attr_get_u32(a);
			has_iid = true;
			break;
		case LISP_A_STATS:
			stats = a;
			break;
		}
	}
	if (!dev[0])
		lc_ifname(ifindex, dev);
	if (o->array) {
		j = json_object_new_object();
		json_object_object_add(j, "dev", json_object_new_string(dev));
		if (ifindex)
			json_object_object_add(j, "ifindex", json_object_new_int64(ifindex));
		if (has_iid)
			json_object_object_add(j, "iid", json_object_new_int64(iid));
		js = json_object_new_object();
		json_object_object_add(j, "stats", js);
	} else {
		printf("%sdev %s", o->count ? "\n" : "", dev);
		if (has_iid)
			printf(" iid %u", iid);
		printf(":\n");
	}
	if (stats) {
		mnl_attr_for_each_nested(s, stats) {
			unsigned int t = mnl_attr_get_type(s);
			const char *name = lc_stat_name(t);
			char tmp[32], key[32];
			uint64_t v;
			size_t i;

			if (t == LISP_STAT_PAD)
				continue;
			if (mnl_attr_get_payload_len(s) == 8)
				v = mnl_attr_get_u64(s);
			else if (mnl_attr_get_payload_len(s) == 4)
				v = mnl_attr_get_u32(s);
			else
				continue;
			if (!name) {
				snprintf(tmp, sizeof(tmp), "stat-%u", t);
				name = tmp;
			}
			if (j) {
				for (i = 0; name[i] && i < sizeof(key) - 1; i++)
					key[i] = name[i] == '-' ? '_' : name[i];
				key[i] = '\0';
				json_object_object_add(js, key, json_object_new_uint64(v));
			} else {
				printf("    %-18s %" PRIu64 "\n", name, v);
			}
		}
	}
	if (j)
		lc_out_add(o, j);
	o->count++;
	return 0;
}

static int stats_run(struct lc_nl *nl, int argc, char **argv)
{
	char buf[LC_MSG_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct lc_out o;
	int r;

	if (argc > 0 && !strcmp(argv[0], "help")) {
		help(stdout);
		return 0;
	}
	if (argc > 1)
		return lc_usage_err("stats: unexpected \"%s\"", argv[1]);
	lc_msg_init(nlh, nl->family, argc ? NLM_F_ACK : NLM_F_DUMP);
	lc_genl_put(nlh, LISP_CMD_STATS_GET);
	if (argc) {
		if (!*argv[0] || strlen(argv[0]) >= IFNAMSIZ)
			return lc_usage_err("stats: \"%s\" is not a valid device name",
					    argv[0]);
		mnl_attr_put_strz(nlh, LISP_A_IFNAME, argv[0]);
	}
	lc_out_begin(&o);
	r = lc_nl_request(nl, nlh, "stats", lc_stats_print_msg, &o);
	lc_out_end(&o);
	return r;
}

const struct lc_cmd lc_cmd_stats = {
	.name = "stats",
	.run = stats_run,
	.help = help,
};
