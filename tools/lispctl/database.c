// SPDX-License-Identifier: GPL-2.0
/* lispctl database: the local EID prefixes (LISP_CMD_DB_*). */
#include <string.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#include "lispctl.h"

static void help(FILE *f)
{
	fputs("Usage: lispctl database { add | del } DEV EID[/PLEN]\n"
	      "       lispctl database show [ [ dev ] DEV ] [ iid IID ]\n\n", f);
}

static int put_dev_eid(struct nlmsghdr *nlh, const char *what, int argc,
		       char **argv)
{
	struct prefix p;
	const char *why;

	if (argc < 1)
		return lc_usage_err("%s: missing DEV", what);
	if (!*argv[0] || strlen(argv[0]) >= IFNAMSIZ || strchr(argv[0], '/'))
		return lc_usage_err("%s: \"%s\" is not a valid device name",
				    what, argv[0]);
	if (argc < 2)
		return lc_usage_err("%s: missing EID prefix", what);
	if (lc_prefix_parse(argv[1], &p, &why))
		return lc_usage_err("%s: invalid EID prefix \"%s\": %s",
				    what, argv[1], why);
	if (argc > 2)
		return lc_usage_err("%s: unexpected \"%s\"", what, argv[2]);
	lnl_put_dev(nlh, 0, argv[0]);
	lnl_put_eid(nlh, &p, 0);
	return 0;
}

static int db_build(struct nlmsghdr *nlh, int argc, char **argv,
		    const char **what)
{
	const char *sub = argc > 0 ? argv[0] : "show";

	if (!strcmp(sub, "add")) {
		*what = "database add";
		lnl_genl_put(nlh, LISP_CMD_DB_ADD);
		return put_dev_eid(nlh, *what, argc - 1, argv + 1);
	}
	if (!strcmp(sub, "del") || !strcmp(sub, "delete")) {
		*what = "database del";
		lnl_genl_put(nlh, LISP_CMD_DB_DEL);
		return put_dev_eid(nlh, *what, argc - 1, argv + 1);
	}
	if (!strcmp(sub, "show") || !strcmp(sub, "list") || !strcmp(sub, "ls"))
		return LC_NOTREQ;
	if (!strcmp(sub, "help")) {
		help(stdout);
		return LC_NOTREQ;
	}
	return lc_usage_err("database: unknown command \"%s\" (try \"lispctl database help\")",
			    sub);
}

/* "10.0.0.0/24 iid 100 dev lisp0", or {"eid","iid","dev","ifindex"}. */
int lc_db_print_msg(const struct nlmsghdr *nlh, void *data)
{
	struct lc_out *o = data;
	char buf[PREFIXSTRLEN], dev[IFNAMSIZ + 16], why[LNL_WHYLEN];
	const char *name;
	struct lnl_db m;

	if (lnl_db_decode(nlh, &m, why)) {
		lc_err("database: malformed entry from the kernel (%s), skipped",
		       why);
		return 0;
	}
	if (lc_out_skip(o, m.has_iid, m.eid.iid))
		return 0;
	name = m.ifname[0] ? m.ifname : lc_ifname(m.ifindex, dev);
	lc_prefix_fmt(&m.eid, buf, sizeof(buf));
	if (o->array) {
		json_object *j = json_object_new_object();

		json_object_object_add(j, "eid", json_object_new_string(buf));
		if (m.has_iid)
			json_object_object_add(j, "iid", json_object_new_int64(m.eid.iid));
		json_object_object_add(j, "dev", json_object_new_string(name));
		if (m.ifindex)
			json_object_object_add(j, "ifindex",
					       json_object_new_int64(m.ifindex));
		lc_out_add(o, j);
	} else {
		fputs(buf, stdout);
		if (m.has_iid)
			printf(" iid %u", m.eid.iid);
		printf(" dev %s\n", name);
	}
	o->count++;
	return 0;
}

static int db_run(struct lnl *nl, int argc, char **argv)
{
	char buf[LC_MSG_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	const char *what;
	int r;

	lnl_msg_init(nlh, nl->family, NLM_F_ACK);
	r = db_build(nlh, argc, argv, &what);
	if (r != LC_NOTREQ)
		return r ? r : lc_run_request(nl, &lc_cmd_database, argc, argv);
	if (argc > 0 && !strcmp(argv[0], "help"))
		return 0;
	return lc_show(nl, LISP_CMD_DB_GET, "database show", "dev", lc_put_dev,
		       argc - 1, argv + 1, lc_db_print_msg);
}

const struct lc_cmd lc_cmd_database = {
	.name = "database",
	.alias = "db",
	.build = db_build,
	.run = db_run,
	.help = help,
};
