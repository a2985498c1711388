// SPDX-License-Identifier: GPL-2.0
/* lispctl stats: per-device counters (LISP_CMD_STATS_GET). */
#include <inttypes.h>
#include <string.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#include "lispctl.h"

static void help(FILE *f)
{
	fputs("Usage: lispctl stats [ [ dev ] DEV ] [ iid IID ]\n\n", f);
}

int lc_stats_print_msg(const struct nlmsghdr *nlh, void *data)
{
	struct lc_out *o = data;
	char dev[IFNAMSIZ + 16] = "", why[LNL_WHYLEN];
	json_object *j = NULL, *js = NULL;
	struct lnl_stats st;
	int k;

	if (lnl_stats_decode(nlh, &st, why)) {
		lc_err("stats: malformed reply from the kernel (%s), skipped", why);
		return 0;
	}
	if (lc_out_skip(o, st.has_iid, st.iid))
		return 0;
	snprintf(dev, sizeof(dev), "%s", st.ifname);
	if (!dev[0])
		lc_ifname(st.ifindex, dev);
	if (o->array) {
		j = json_object_new_object();
		json_object_object_add(j, "dev", json_object_new_string(dev));
		if (st.ifindex)
			json_object_object_add(j, "ifindex", json_object_new_int64(st.ifindex));
		if (st.has_iid)
			json_object_object_add(j, "iid", json_object_new_int64(st.iid));
		js = json_object_new_object();
		json_object_object_add(j, "stats", js);
	} else {
		printf("%sdev %s", o->count ? "\n" : "", dev);
		if (st.has_iid)
			printf(" iid %u", st.iid);
		printf(":\n");
	}
	for (k = 0; k < st.n; k++) {
		unsigned int t = st.stat[k].type;
		const char *name = lnl_stat_name(t);
		char tmp[32], key[32];
		size_t i;

		if (!name) {
			snprintf(tmp, sizeof(tmp), "stat-%u", t);
			name = tmp;
		}
		if (j) {
			for (i = 0; name[i] && i < sizeof(key) - 1; i++)
				key[i] = name[i] == '-' ? '_' : name[i];
			key[i] = '\0';
			json_object_object_add(js, key,
					       json_object_new_uint64(st.stat[k].value));
		} else {
			printf("    %-18s %" PRIu64 "\n", name, st.stat[k].value);
		}
	}
	if (j)
		lc_out_add(o, j);
	o->count++;
	return 0;
}

static int stats_run(struct lnl *nl, int argc, char **argv)
{
	char buf[LC_MSG_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	const char *dev;
	struct lc_out o;
	int r;

	if (argc > 0 && !strcmp(argv[0], "help")) {
		help(stdout);
		return 0;
	}
	r = lc_show_args("stats", "dev", argc, argv, &dev, &o);
	if (r)
		return r;
	lnl_msg_init(nlh, nl->family, dev ? NLM_F_ACK : NLM_F_DUMP);
	lnl_genl_put(nlh, LISP_CMD_STATS_GET);
	if (dev) {
		r = lc_put_dev(nlh, "stats", dev);
		if (r)
			return r;
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
