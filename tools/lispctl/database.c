// SPDX-License-Identifier: GPL-2.0
/* lispctl database: the local EID prefixes (LISP_CMD_DB_*). */
#include <string.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#include "lispctl.h"

static void help(FILE *f)
{
	fputs("Usage: lispctl database { add | del } DEV EID[/PLEN]\n"
	      "       lispctl database show [ DEV ]\n\n", f);
}

static int put_dev_eid(struct nlmsghdr *nlh, const char *what, int argc,
		       char **argv)
{
	struct lc_prefix p;
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
	mnl_attr_put_strz(nlh, LISP_A_IFNAME, argv[0]);
	mnl_attr_put(nlh, p.addr.family == AF_INET ? LISP_A_EID_INET :
		     LISP_A_EID_INET6, lc_addr_len(p.addr.family), p.addr.b);
	mnl_attr_put_u8(nlh, LISP_A_EID_PLEN, (uint8_t)p.plen);
	return 0;
}

static int db_build(struct nlmsghdr *nlh, int argc, char **argv,
		    const char **what)
{
	const char *sub = argc > 0 ? argv[0] : "show";

	if (!strcmp(sub, "add")) {
		*what = "database add";
		lc_genl_put(nlh, LISP_CMD_DB_ADD);
		return put_dev_eid(nlh, *what, argc - 1, argv + 1);
	}
	if (!strcmp(sub, "del") || !strcmp(sub, "delete")) {
		*what = "database del";
		lc_genl_put(nlh, LISP_CMD_DB_DEL);
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
	char buf[LC_PREFIXSTRLEN], dev[IFNAMSIZ + 16];
	const char *name;
	struct lc_map m;

	if (lc_map_parse(nlh, &m)) {
		lc_err("database: malformed entry from the kernel, skipped");
		return 0;
	}
	name = m.ifname[0] ? m.ifname : lc_ifname(m.ifindex, dev);
	lc_prefix_fmt(&m.eid, buf, sizeof(buf));
	if (o->array) {
		json_object *j = json_object_new_object();

		json_object_object_add(j, "eid", json_object_new_string(buf));
		if (m.has_iid)
			json_object_object_add(j, "iid", json_object_new_int64(m.iid));
		json_object_object_add(j, "dev", json_object_new_string(name));
		if (m.ifindex)
			json_object_object_add(j, "ifindex",
					       json_object_new_int64(m.ifindex));
		lc_out_add(o, j);
	} else {
		fputs(buf, stdout);
		if (m.has_iid)
			printf(" iid %u", m.iid);
		printf(" dev %s\n", name);
	}
	o->count++;
	return 0;
}

static int db_run(struct lc_nl *nl, int argc, char **argv)
{
	char buf[LC_MSG_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct lc_out o;
	const char *what;
	int r;

	lc_msg_init(nlh, nl->family, NLM_F_ACK);
	r = db_build(nlh, argc, argv, &what);
	if (r != LC_NOTREQ)
		return r ? r : lc_run_request(nl, &lc_cmd_database, argc, argv);
	if (argc > 0 && !strcmp(argv[0], "help"))
		return 0;
	what = "database show";
	lc_msg_init(nlh, nl->family, NLM_F_DUMP);
	lc_genl_put(nlh, LISP_CMD_DB_GET);
	if (argc > 1) {
		if (strlen(argv[1]) >= IFNAMSIZ)
			return lc_usage_err("%s: \"%s\" is not a valid device name",
					    what, argv[1]);
		mnl_attr_put_strz(nlh, LISP_A_IFNAME, argv[1]);
	}
	if (argc > 2)
		return lc_usage_err("%s: unexpected \"%s\"", what, argv[2]);
	lc_out_begin(&o);
	r = lc_nl_request(nl, nlh, what, lc_db_print_msg, &o);
	lc_out_end(&o);
	return r;
}

const struct lc_cmd lc_cmd_database = {
	.name = "database",
	.alias = "db",
	.build = db_build,
	.run = db_run,
	.help = help,
};
