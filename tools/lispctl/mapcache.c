// SPDX-License-Identifier: GPL-2.0
/*
 * lispctl map-cache: add, replace, del, flush, get and show map-cache
 * entries (LISP_CMD_MAP_*).
 */
#include <inttypes.h>
#include <string.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#include "lispctl.h"

static void help(FILE *f)
{
	fputs("Usage: lispctl map-cache { add | replace } DEV EID[/PLEN]\n"
	      "                 [ rloc ADDR [ priority P ] [ weight W ] [ unreachable ]\n"
	      "                            [ port PORT ] [ fixed-sport ] ]...\n"
	      "                 [ action ACTION ] [ ttl SECONDS ] [ static ] [ away ]\n"
	      "       lispctl map-cache del DEV EID[/PLEN]\n"
	      "       lispctl map-cache flush DEV\n"
	      "       lispctl map-cache get [ DEV ] [ [IID] ]{ ADDR | EID/PLEN }\n"
	      "       lispctl map-cache show [ [ dev ] DEV ] [ iid IID ]\n"
	      "ACTION := { drop | native-forward | send-map-request | drop-policy | drop-auth }\n"
	      "Up to 8 RLOCs, IPv4 or IPv6; priority 0..255 (default 1, 255 = never used),\n"
	      "weight 0..255 (default 100); port: the RLOC's UDP port (default the device's,\n"
	      "an xTR behind NAT at its translated port); fixed-sport: send to it from the\n"
	      "device's port, not a per-flow one (one NAT binding). away: the EID moved to those RLOCs; packets\n"
	      "decapsulated for it go on there and raise SMR events (host routes only).\n"
	      "get [IID]ADDR (\"[7]10.1.0.5\"): in the device of instance-id IID; with DEV\n"
	      "too, DEV must have it. iid IID (or instance-id IID): that tenant's rows only.\n\n", f);
}

/* EID prefix of add, replace and del: the device gives the instance-id. */
static int put_eid(struct nlmsghdr *nlh, const char *what, const char *s)
{
	struct prefix p;
	const char *why;

	if (!s)
		return lc_usage_err("%s: missing EID prefix", what);
	if (lc_prefix_parse(s, &p, &why))
		return lc_usage_err("%s: invalid EID prefix \"%s\": %s",
				    what, s, why);
	lnl_put_eid(nlh, &p, 0);
	return 0;
}

static int parse_u8_opt(const char *what, const char *key, const char *val,
			uint8_t *out)
{
	uint32_t v;

	if (!val)
		return lc_usage_err("%s: \"%s\" needs a value", what, key);
	if (lc_parse_u32(val, 255, &v))
		return lc_usage_err("%s: invalid %s \"%s\" (0..255)",
				    what, key, val);
	*out = (uint8_t)v;
	return 0;
}

/* add / replace: DEV EID [rloc ...]... [action A] [ttl S] [static] [away] */
static int build_add(struct nlmsghdr *nlh, int argc, char **argv,
		     const char *what)
{
	struct lnl_map m = { .has_flags = true };
	struct lnl_rloc *rl = m.rloc;
	int n = 0, action = -1, r;

	r = lc_put_dev(nlh, what, argc > 0 ? argv[0] : NULL);
	if (!r)
		r = put_eid(nlh, what, argc > 1 ? argv[1] : NULL);
	if (r)
		return r;
	argc -= 2;
	argv += 2;
	for (; argc > 0; argc--, argv++) {
		const char *w = argv[0], *val = argc > 1 ? argv[1] : NULL;

		if (!strcmp(w, "rloc")) {
			if (!val)
				return lc_usage_err("%s: \"rloc\" needs an address", what);
			if (n == LISP_MAX_RLOCS)
				return lc_usage_err("%s: too many RLOCs (at most %d)",
						    what, LISP_MAX_RLOCS);
			memset(&rl[n], 0, sizeof(rl[n]));
			if (addr_parse(val, &rl[n].addr))
				return lc_usage_err("%s: invalid RLOC address \"%s\"",
						    what, val);
			rl[n].priority = 1;
			rl[n].weight = 100;
			rl[n].flags = LISP_RLOC_F_REACHABLE;
			n++;
		} else if (!strcmp(w, "priority") || !strcmp(w, "weight")) {
			if (!n)
				return lc_usage_err("%s: \"%s\" must follow an rloc",
						    what, w);
			r = parse_u8_opt(what, w, val, w[0] == 'p' ?
					 &rl[n - 1].priority : &rl[n - 1].weight);
			if (r)
				return r;
		} else if (!strcmp(w, "unreachable")) {
			if (!n)
				return lc_usage_err("%s: \"%s\" must follow an rloc",
						    what, w);
			rl[n - 1].flags &= ~LISP_RLOC_F_REACHABLE;
			continue;
		} else if (!strcmp(w, "fixed-sport")) {
			if (!n)
				return lc_usage_err("%s: \"%s\" must follow an rloc",
						    what, w);
			rl[n - 1].flags |= LISP_RLOC_F_FIXED_SPORT;
			continue;
		} else if (!strcmp(w, "port")) {
			uint32_t v;

			if (!n)
				return lc_usage_err("%s: \"%s\" must follow an rloc",
						    what, w);
			if (!val)
				return lc_usage_err("%s: \"port\" needs a value", what);
			if (lc_parse_u32(val, 65535, &v) || !v)
				return lc_usage_err("%s: invalid port \"%s\" (1..65535)",
						    what, val);
			rl[n - 1].port = (uint16_t)v;
		} else if (!strcmp(w, "action")) {
			if (!val)
				return lc_usage_err("%s: \"action\" needs a value", what);
			action = lnl_action_parse(val);
			if (action < 0)
				return lc_usage_err("%s: invalid action \"%s\"", what, val);
		} else if (!strcmp(w, "ttl")) {
			if (!val)
				return lc_usage_err("%s: \"ttl\" needs a value", what);
			if (lc_parse_u32(val, UINT32_MAX, &m.ttl))
				return lc_usage_err("%s: invalid ttl \"%s\"", what, val);
			m.has_ttl = true;
		} else if (!strcmp(w, "static")) {
			m.flags |= LISP_MAP_F_STATIC;
			continue;
		} else if (!strcmp(w, "away")) {
			m.flags |= LISP_MAP_F_AWAY;
			continue;
		} else {
			return lc_usage_err("%s: unknown option \"%s\"", what, w);
		}
		argc--;			/* the value */
		argv++;
	}
	if (n && action >= 0)
		return lc_usage_err("%s: action %s is for negative entries, which have no rloc",
				    what, lnl_action_name((unsigned int)action));
	if (!n && action < 0)
		return lc_usage_err("%s: need at least one rloc, or an action", what);

	m.action = (uint8_t)(n ? LISP_ACTION_NONE : action);
	m.nrloc = n;
	lnl_map_put(nlh, &m);
	return 0;
}

static int too_many(const char *what, int argc, char **argv, int want)
{
	if (argc > want)
		return lc_usage_err("%s: unexpected \"%s\"", what, argv[want]);
	return 0;
}

static int mc_build(struct nlmsghdr *nlh, int argc, char **argv,
		    const char **what)
{
	const char *sub = argc > 0 ? argv[0] : "show";
	int r;

	argc--;
	argv++;
	if (!strcmp(sub, "add") || !strcmp(sub, "replace")) {
		bool add = sub[0] == 'a';

		*what = add ? "map-cache add" : "map-cache replace";
		lnl_genl_put(nlh, add ? LISP_CMD_MAP_ADD : LISP_CMD_MAP_REPLACE);
		return build_add(nlh, argc, argv, *what);
	}
	if (!strcmp(sub, "del") || !strcmp(sub, "delete")) {
		*what = "map-cache del";
		lnl_genl_put(nlh, LISP_CMD_MAP_DEL);
		r = lc_put_dev(nlh, *what, argc > 0 ? argv[0] : NULL);
		if (!r)
			r = put_eid(nlh, *what, argc > 1 ? argv[1] : NULL);
		return r ? r : too_many(*what, argc, argv, 2);
	}
	if (!strcmp(sub, "flush")) {
		*what = "map-cache flush";
		lnl_genl_put(nlh, LISP_CMD_MAP_FLUSH);
		r = lc_put_dev(nlh, *what, argc > 0 ? argv[0] : NULL);
		return r ? r : too_many(*what, argc, argv, 1);
	}
	if (!strcmp(sub, "show") || !strcmp(sub, "list") ||
	    !strcmp(sub, "ls") || !strcmp(sub, "get"))
		return LC_NOTREQ;
	if (!strcmp(sub, "help")) {
		help(stdout);
		return LC_NOTREQ;
	}
	return lc_usage_err("map-cache: unknown command \"%s\" (try \"lispctl map-cache help\")",
			    sub);
}

/* ---- replies ---- */

static const char *dev_name(const struct lnl_map *m, char *buf)
{
	if (m->ifname[0])
		return m->ifname;
	return lc_ifname(m->ifindex, buf);
}

json_object *lc_map_json(const struct lnl_map *m)
{
	json_object *o = json_object_new_object(), *arr, *r;
	char buf[PREFIXSTRLEN], dev[IFNAMSIZ + 16];
	int i;

	json_object_object_add(o, "eid",
			       json_object_new_string(lc_prefix_fmt(&m->eid, buf, sizeof(buf))));
	if (m->has_iid)
		json_object_object_add(o, "iid", json_object_new_int64(m->eid.iid));
	json_object_object_add(o, "dev", json_object_new_string(dev_name(m, dev)));
	if (m->ifindex)
		json_object_object_add(o, "ifindex", json_object_new_int64(m->ifindex));
	json_object_object_add(o, "action",
			       json_object_new_string(lnl_action_name(m->action)));
	arr = json_object_new_array();
	for (i = 0; i < m->nrloc; i++) {
		const struct lnl_rloc *rl = &m->rloc[i];

		r = json_object_new_object();
		json_object_object_add(r, "rloc",
				       json_object_new_string(addr_fmt(&rl->addr, buf, sizeof(buf))));
		json_object_object_add(r, "priority", json_object_new_int(rl->priority));
		json_object_object_add(r, "weight", json_object_new_int(rl->weight));
		json_object_object_add(r, "reachable",
				       json_object_new_boolean(rl->flags & LISP_RLOC_F_REACHABLE));
		json_object_object_add(r, "local",
				       json_object_new_boolean(rl->flags & LISP_RLOC_F_LOCAL));
		json_object_object_add(r, "probed",
				       json_object_new_boolean(rl->flags & LISP_RLOC_F_PROBED));
		if (rl->port)
			json_object_object_add(r, "port", json_object_new_int(rl->port));
		json_object_object_add(r, "fixed_sport",
				       json_object_new_boolean(rl->flags & LISP_RLOC_F_FIXED_SPORT));
		if (rl->has_counters) {
			json_object_object_add(r, "packets", json_object_new_uint64(rl->packets));
			json_object_object_add(r, "bytes", json_object_new_uint64(rl->bytes));
		}
		json_object_array_add(arr, r);
	}
	json_object_object_add(o, "rlocs", arr);
	if (m->has_ttl)
		json_object_object_add(o, "ttl", json_object_new_int64(m->ttl));
	json_object_object_add(o, "static",
			       json_object_new_boolean(m->flags & LISP_MAP_F_STATIC));
	json_object_object_add(o, "away",
			       json_object_new_boolean(m->flags & LISP_MAP_F_AWAY));
	if (m->has_age)
		json_object_object_add(o, "age", json_object_new_int64(m->age));
	if (m->has_idle)
		json_object_object_add(o, "idle_ms", json_object_new_uint64(m->idle_ms));
	if (m->has_counters) {
		json_object_object_add(o, "packets", json_object_new_uint64(m->packets));
		json_object_object_add(o, "bytes", json_object_new_uint64(m->bytes));
	}
	return o;
}

/*
 * 10.1.0.0/16 iid 100 dev lisp0 via 192.0.2.1 prio 1 weight 100,
 * 198.51.100.7 port 40000 prio 1 weight 100 fixed-sport,
 * 2001:db8::1 prio 2 weight 50 ttl 1440 age 12s idle 3.1s packets 1042
 * bytes 104200 (on one line); negative entries say "action drop".
 */
void lc_map_print(FILE *f, const struct lnl_map *m, bool stats)
{
	char buf[PREFIXSTRLEN], dev[IFNAMSIZ + 16];
	int i;

	fputs(lc_prefix_fmt(&m->eid, buf, sizeof(buf)), f);
	if (m->has_iid)
		fprintf(f, " iid %" PRIu32, m->eid.iid);
	fprintf(f, " dev %s", dev_name(m, dev));
	for (i = 0; i < m->nrloc; i++) {
		const struct lnl_rloc *rl = &m->rloc[i];

		fprintf(f, "%s%s", i ? ", " : " via ",
			addr_fmt(&rl->addr, buf, sizeof(buf)));
		if (rl->port)
			fprintf(f, " port %u", rl->port);
		fprintf(f, " prio %u weight %u", rl->priority, rl->weight);
		if (!(rl->flags & LISP_RLOC_F_REACHABLE))
			fputs(" unreachable", f);
		if (rl->flags & LISP_RLOC_F_LOCAL)
			fputs(" local", f);
		if (rl->flags & LISP_RLOC_F_PROBED)
			fputs(" probed", f);
		if (rl->flags & LISP_RLOC_F_FIXED_SPORT)
			fputs(" fixed-sport", f);
		if (stats && rl->has_counters)
			fprintf(f, " packets %" PRIu64 " bytes %" PRIu64,
				rl->packets, rl->bytes);
	}
	if (m->action != LISP_ACTION_NONE || !m->nrloc)
		fprintf(f, " action %s", lnl_action_name(m->action));
	if (m->has_ttl)
		fprintf(f, " ttl %" PRIu32, m->ttl);
	if (m->flags & LISP_MAP_F_STATIC)
		fputs(" static", f);
	if (m->flags & LISP_MAP_F_AWAY)
		fputs(" away", f);
	if (m->has_age)
		fprintf(f, " age %" PRIu32 "s", m->age);
	if (m->has_idle) {
		lc_fmt_ms(buf, sizeof(buf), m->idle_ms);
		fprintf(f, " idle %s", buf);
	}
	if (m->has_counters)
		fprintf(f, " packets %" PRIu64 " bytes %" PRIu64,
			m->packets, m->bytes);
	fputc('\n', f);
}

/* One entry of a dump or get, unless the instance-id filter drops it. */
int lc_map_print_msg(const struct nlmsghdr *nlh, void *data)
{
	struct lc_out *o = data;
	char why[LNL_WHYLEN];
	struct lnl_map m;

	if (lnl_map_decode(nlh, &m, why)) {
		lc_err("map-cache: malformed entry from the kernel (%s), skipped",
		       why);
		return 0;
	}
	if (lc_out_skip(o, m.has_iid, m.eid.iid))
		return 0;
	if (o->array)
		lc_out_add(o, lc_map_json(&m));
	else
		lc_map_print(stdout, &m, lc_opts.stats);
	o->count++;
	return 0;
}

/*
 * get [DEV] [IID]EID: the entry EID uses (a bare address) or that prefix,
 * in DEV or in the device of instance-id IID; given both, DEV must be
 * the device of IID.
 */
static int mc_get(struct lnl *nl, int argc, char **argv)
{
	char buf[LC_MSG_MAX], name[IFNAMSIZ + 16];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	const char *what = "map-cache get", *dev = NULL, *eid, *why;
	struct lc_out o = { 0 };
	uint32_t ifindex = 0;
	struct prefix p;
	int r;

	if (argc > 0 && argv[0][0] != '[') {
		r = lc_put_dev(NULL, what, argv[0]);
		if (r)
			return r;
		dev = argv[0];
		argc--;
		argv++;
	}
	eid = argc > 0 ? argv[0] : NULL;
	if (!eid)
		return lc_usage_err(dev ? "%s: missing EID prefix" :
				    "%s: missing DEV (or [IID] before the EID)", what);
	if (prefix_parse(eid, &p, &why))
		return lc_usage_err("%s: invalid EID prefix \"%s\": %s", what,
				    eid, why);
	r = too_many(what, argc, argv, 1);
	if (r)
		return r;
	o.has_iid = eid[0] == '[';
	o.iid = p.iid;
	if (!dev) {
		r = lc_iid_dev(nl, what, o.iid, &ifindex);
		if (r || !ifindex)
			return r;	/* --dry-run resolves nothing */
	}
	lnl_msg_init(nlh, nl->family, NLM_F_ACK);
	lnl_genl_put(nlh, LISP_CMD_MAP_GET);
	lnl_put_dev(nlh, ifindex, dev);
	lnl_put_eid(nlh, &p, strchr(eid, '/') ? 0 : LNL_EID_LOOKUP);
	lc_out_begin(&o);
	r = lc_nl_request(nl, nlh, what, lc_map_print_msg, &o);
	lc_out_end(&o);
	/* A get answers one entry or fails: none left is the filter's. */
	if (!r && nl->sock && o.has_iid && !o.count) {
		lc_err("%s: %s does not have instance-id %u", what,
		       dev ? dev : lc_ifname(ifindex, name), o.iid);
		return LC_ERR;
	}
	return r;
}

static int mc_run(struct lnl *nl, int argc, char **argv)
{
	char buf[LC_MSG_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	const char *sub = argc > 0 ? argv[0] : "show";
	const char *what;
	int r;

	lnl_msg_init(nlh, nl->family, NLM_F_ACK);
	r = mc_build(nlh, argc, argv, &what);
	if (r != LC_NOTREQ)
		return r ? r : lc_run_request(nl, &lc_cmd_mapcache, argc, argv);
	if (!strcmp(sub, "help"))
		return 0;
	if (!strcmp(sub, "get"))
		return mc_get(nl, argc - 1, argv + 1);
	return lc_show(nl, LISP_CMD_MAP_GET, "map-cache show", "dev",
		       lc_put_dev, argc - 1, argv + 1, lc_map_print_msg);
}

const struct lc_cmd lc_cmd_mapcache = {
	.name = "map-cache",
	.alias = "mc",
	.build = mc_build,
	.run = mc_run,
	.help = help,
};
