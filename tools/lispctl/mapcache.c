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

static const char *const action_names[] = {
	[LISP_ACTION_NONE] = "none",
	[LISP_ACTION_NATIVE_FORWARD] = "native-forward",
	[LISP_ACTION_SEND_MAP_REQUEST] = "send-map-request",
	[LISP_ACTION_DROP] = "drop",
	[LISP_ACTION_DROP_POLICY] = "drop-policy",
	[LISP_ACTION_DROP_AUTH] = "drop-auth",
};

const char *lc_action_name(unsigned int action)
{
	if (action <= LISP_ACTION_MAX && action_names[action])
		return action_names[action];
	return "unknown";
}

/* A negative action by name; "none" is not one. -1 when unknown. */
int lc_action_parse(const char *s)
{
	unsigned int i;

	for (i = LISP_ACTION_NONE + 1; i <= LISP_ACTION_MAX; i++)
		if (!strcmp(s, action_names[i]))
			return (int)i;
	return -1;
}

static void help(FILE *f)
{
	fputs("Usage: lispctl map-cache { add | replace } DEV EID[/PLEN]\n"
	      "                 [ rloc ADDR [ priority P ] [ weight W ] [ unreachable ] ]...\n"
	      "                 [ action ACTION ] [ ttl SECONDS ] [ static ] [ away ]\n"
	      "       lispctl map-cache del DEV EID[/PLEN]\n"
	      "       lispctl map-cache flush DEV\n"
	      "       lispctl map-cache get DEV { ADDR | EID/PLEN }\n"
	      "       lispctl map-cache show [ DEV ]\n"
	      "ACTION := { drop | native-forward | send-map-request | drop-policy | drop-auth }\n"
	      "Up to 8 RLOCs, IPv4 or IPv6; priority 0..255 (default 1, 255 = never used),\n"
	      "weight 0..255 (default 100). away: the EID moved to those RLOCs; packets\n"
	      "decapsulated for it go on there and raise SMR events (host routes only).\n\n", f);
}

static int put_dev(struct nlmsghdr *nlh, const char *what, const char *dev)
{
	if (!dev)
		return lc_usage_err("%s: missing DEV", what);
	if (!*dev || strlen(dev) >= IFNAMSIZ || strchr(dev, '/'))
		return lc_usage_err("%s: \"%s\" is not a valid device name",
				    what, dev);
	mnl_attr_put_strz(nlh, LISP_A_IFNAME, dev);
	return 0;
}

/* EID prefix; with lookup a bare address asks for the longest match. */
static int put_eid(struct nlmsghdr *nlh, const char *what, const char *s,
		   bool lookup)
{
	struct lc_prefix p;
	const char *why;

	if (!s)
		return lc_usage_err("%s: missing EID prefix", what);
	if (lc_prefix_parse(s, &p, &why))
		return lc_usage_err("%s: invalid EID prefix \"%s\": %s",
				    what, s, why);
	mnl_attr_put(nlh, p.addr.family == AF_INET ? LISP_A_EID_INET :
		     LISP_A_EID_INET6, lc_addr_len(p.addr.family), p.addr.b);
	if (lookup && p.host)
		mnl_attr_put(nlh, LISP_A_LOOKUP, 0, NULL);
	else
		mnl_attr_put_u8(nlh, LISP_A_EID_PLEN, (uint8_t)p.plen);
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
	struct lc_rloc rl[LISP_MAX_RLOCS];
	unsigned int n = 0, i;
	int action = -1, r;
	uint32_t ttl = 0, flags = 0;
	bool has_ttl = false;
	struct nlattr *nest, *el;

	r = put_dev(nlh, what, argc > 0 ? argv[0] : NULL);
	if (!r)
		r = put_eid(nlh, what, argc > 1 ? argv[1] : NULL, false);
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
			if (lc_addr_parse(val, &rl[n].addr))
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
		} else if (!strcmp(w, "action")) {
			if (!val)
				return lc_usage_err("%s: \"action\" needs a value", what);
			action = lc_action_parse(val);
			if (action < 0)
				return lc_usage_err("%s: invalid action \"%s\"", what, val);
		} else if (!strcmp(w, "ttl")) {
			if (!val)
				return lc_usage_err("%s: \"ttl\" needs a value", what);
			if (lc_parse_u32(val, UINT32_MAX, &ttl))
				return lc_usage_err("%s: invalid ttl \"%s\"", what, val);
			has_ttl = true;
		} else if (!strcmp(w, "static")) {
			flags |= LISP_MAP_F_STATIC;
			continue;
		} else if (!strcmp(w, "away")) {
			flags |= LISP_MAP_F_AWAY;
			continue;
		} else {
			return lc_usage_err("%s: unknown option \"%s\"", what, w);
		}
		argc--;			/* the value */
		argv++;
	}
	if (n && action >= 0)
		return lc_usage_err("%s: action %s is for negative entries, which have no rloc",
				    what, lc_action_name((unsigned int)action));
	if (!n && action < 0)
		return lc_usage_err("%s: need at least one rloc, or an action", what);

	mnl_attr_put_u8(nlh, LISP_A_ACTION,
			(uint8_t)(n ? LISP_ACTION_NONE : action));
	if (has_ttl)
		mnl_attr_put_u32(nlh, LISP_A_TTL, ttl);
	mnl_attr_put_u32(nlh, LISP_A_FLAGS, flags);
	if (!n)
		return 0;
	nest = mnl_attr_nest_start(nlh, LISP_A_RLOCS);
	for (i = 0; i < n; i++) {
		int fam = rl[i].addr.family;

		/* Elements are numbered from 1, as in a nested array. */
		el = mnl_attr_nest_start(nlh, (uint16_t)(i + 1));
		mnl_attr_put(nlh, fam == AF_INET ? LISP_RLOC_A_INET :
			     LISP_RLOC_A_INET6, lc_addr_len(fam), rl[i].addr.b);
		mnl_attr_put_u8(nlh, LISP_RLOC_A_PRIORITY, rl[i].priority);
		mnl_attr_put_u8(nlh, LISP_RLOC_A_WEIGHT, rl[i].weight);
		mnl_attr_put_u32(nlh, LISP_RLOC_A_FLAGS, rl[i].flags);
		mnl_attr_nest_end(nlh, el);
	}
	mnl_attr_nest_end(nlh, nest);
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
		lc_genl_put(nlh, add ? LISP_CMD_MAP_ADD : LISP_CMD_MAP_REPLACE);
		return build_add(nlh, argc, argv, *what);
	}
	if (!strcmp(sub, "del") || !strcmp(sub, "delete")) {
		*what = "map-cache del";
		lc_genl_put(nlh, LISP_CMD_MAP_DEL);
		r = put_dev(nlh, *what, argc > 0 ? argv[0] : NULL);
		if (!r)
			r = put_eid(nlh, *what, argc > 1 ? argv[1] : NULL, false);
		return r ? r : too_many(*what, argc, argv, 2);
	}
	if (!strcmp(sub, "flush")) {
		*what = "map-cache flush";
		lc_genl_put(nlh, LISP_CMD_MAP_FLUSH);
		r = put_dev(nlh, *what, argc > 0 ? argv[0] : NULL);
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

static int parse_rloc(const struct nlattr *el, struct lc_rloc *rl)
{
	const struct nlattr *a;

	memset(rl, 0, sizeof(*rl));
	mnl_attr_for_each_nested(a, el) {
		switch (mnl_attr_get_type(a)) {
		case LISP_RLOC_A_INET:
			if (lc_addr_from_attr(a, AF_INET, &rl->addr))
				return -1;
			break;
		case LISP_RLOC_A_INET6:
			if (lc_addr_from_attr(a, AF_INET6, &rl->addr))
				return -1;
			break;
		case LISP_RLOC_A_PRIORITY:
			rl->priority = mnl_attr_get_u8(a);
			break;
		case LISP_RLOC_A_WEIGHT:
			rl->weight = mnl_attr_get_u8(a);
			break;
		case LISP_RLOC_A_FLAGS:
			rl->flags = mnl_attr_get_u32(a);
			break;
		case LISP_RLOC_A_PACKETS:
			rl->packets = mnl_attr_get_u64(a);
			rl->has_counters = true;
			break;
		case LISP_RLOC_A_BYTES:
			rl->bytes = mnl_attr_get_u64(a);
			rl->has_counters = true;
			break;
		}
	}
	return rl->addr.family ? 0 : -1;
}

/* A map-cache (or database) message into m; -1 when malformed. */
int lc_map_parse(const struct nlmsghdr *nlh, struct lc_map *m)
{
	const struct nlattr *a, *el;
	bool has_plen = false;

	memset(m, 0, sizeof(*m));
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case LISP_A_IFINDEX:
			m->ifindex = mnl_attr_get_u32(a);
			break;
		case LISP_A_IFNAME:
			snprintf(m->ifname, sizeof(m->ifname), "%s",
				 mnl_attr_get_str(a));
			break;
		case LISP_A_IID:
			m->iid = mnl_attr_get_u32(a);
			m->has_iid = true;
			break;
		case LISP_A_EID_INET:
			if (lc_addr_from_attr(a, AF_INET, &m->eid.addr))
				return -1;
			break;
		case LISP_A_EID_INET6:
			if (lc_addr_from_attr(a, AF_INET6, &m->eid.addr))
				return -1;
			break;
		case LISP_A_EID_PLEN:
			m->eid.plen = mnl_attr_get_u8(a);
			has_plen = true;
			break;
		case LISP_A_ACTION:
			m->action = mnl_attr_get_u8(a);
			break;
		case LISP_A_TTL:
			m->ttl = mnl_attr_get_u32(a);
			m->has_ttl = true;
			break;
		case LISP_A_FLAGS:
			m->flags = mnl_attr_get_u32(a);
			break;
		case LISP_A_PACKETS:
			m->packets = mnl_attr_get_u64(a);
			m->has_counters = true;
			break;
		case LISP_A_BYTES:
			m->bytes = mnl_attr_get_u64(a);
			m->has_counters = true;
			break;
		case LISP_A_IDLE_MS:
			m->idle_ms = mnl_attr_get_u64(a);
			m->has_idle = true;
			break;
		case LISP_A_AGE:
			m->age = mnl_attr_get_u32(a);
			m->has_age = true;
			break;
		case LISP_A_RLOCS:
			mnl_attr_for_each_nested(el, a) {
				if (m->nrlocs == LISP_MAX_RLOCS)
					break;
				if (parse_rloc(el, &m->rlocs[m->nrlocs]) == 0)
					m->nrlocs++;
			}
			break;
		}
	}
	if (!m->eid.addr.family)
		return -1;
	if (!has_plen) {
		m->eid.plen = lc_addr_len(m->eid.addr.family) * 8;
		m->eid.host = true;
	}
	return 0;
}

static const char *dev_name(const struct lc_map *m, char *buf)
{
	if (m->ifname[0])
		return m->ifname;
	return lc_ifname(m->ifindex, buf);
}

json_object *lc_map_json(const struct lc_map *m)
{
	json_object *o = json_object_new_object(), *arr, *r;
	char buf[LC_PREFIXSTRLEN], dev[IFNAMSIZ + 16];
	unsigned int i;

	json_object_object_add(o, "eid",
			       json_object_new_string(lc_prefix_fmt(&m->eid, buf, sizeof(buf))));
	if (m->has_iid)
		json_object_object_add(o, "iid", json_object_new_int64(m->iid));
	json_object_object_add(o, "dev", json_object_new_string(dev_name(m, dev)));
	if (m->ifindex)
		json_object_object_add(o, "ifindex", json_object_new_int64(m->ifindex));
	json_object_object_add(o, "action",
			       json_object_new_string(lc_action_name(m->action)));
	arr = json_object_new_array();
	for (i = 0; i < m->nrlocs; i++) {
		const struct lc_rloc *rl = &m->rlocs[i];

		r = json_object_new_object();
		json_object_object_add(r, "rloc",
				       json_object_new_string(lc_addr_fmt(&rl->addr, buf, sizeof(buf))));
		json_object_object_add(r, "priority", json_object_new_int(rl->priority));
		json_object_object_add(r, "weight", json_object_new_int(rl->weight));
		json_object_object_add(r, "reachable",
				       json_object_new_boolean(rl->flags & LISP_RLOC_F_REACHABLE));
		json_object_object_add(r, "local",
				       json_object_new_boolean(rl->flags & LISP_RLOC_F_LOCAL));
		json_object_object_add(r, "probed",
				       json_object_new_boolean(rl->flags & LISP_RLOC_F_PROBED));
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
 * 2001:db8::1 prio 2 weight 50 ttl 1440 age 12s idle 3.1s packets 1042
 * bytes 104200 (on one line); negative entries say "action drop".
 */
void lc_map_print(FILE *f, const struct lc_map *m, bool stats)
{
	char buf[LC_PREFIXSTRLEN], dev[IFNAMSIZ + 16];
	unsigned int i;

	fputs(lc_prefix_fmt(&m->eid, buf, sizeof(buf)), f);
	if (m->has_iid)
		fprintf(f, " iid %" PRIu32, m->iid);
	fprintf(f, " dev %s", dev_name(m, dev));
	for (i = 0; i < m->nrlocs; i++) {
		const struct lc_rloc *rl = &m->rlocs[i];

		fprintf(f, "%s%s prio %u weight %u", i ? ", " : " via ",
			lc_addr_fmt(&rl->addr, buf, sizeof(buf)),
			rl->priority, rl->weight);
		if (!(rl->flags & LISP_RLOC_F_REACHABLE))
			fputs(" unreachable", f);
		if (rl->flags & LISP_RLOC_F_LOCAL)
			fputs(" local", f);
		if (rl->flags & LISP_RLOC_F_PROBED)
			fputs(" probed", f);
		if (stats && rl->has_counters)
			fprintf(f, " packets %" PRIu64 " bytes %" PRIu64,
				rl->packets, rl->bytes);
	}
	if (m->action != LISP_ACTION_NONE || !m->nrlocs)
		fprintf(f, " action %s", lc_action_name(m->action));
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

static int map_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lc_out *o = data;
	struct lc_map m;

	if (lc_map_parse(nlh, &m)) {
		lc_err("map-cache: malformed entry from the kernel, skipped");
		return 0;
	}
	if (o->array)
		lc_out_add(o, lc_map_json(&m));
	else
		lc_map_print(stdout, &m, lc_opts.stats);
	o->count++;
	return 0;
}

static int mc_run(struct lc_nl *nl, int argc, char **argv)
{
	char buf[LC_MSG_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	const char *sub = argc > 0 ? argv[0] : "show";
	struct lc_out o;
	const char *what;
	int r;

	lc_msg_init(nlh, nl->family, NLM_F_ACK);
	r = mc_build(nlh, argc, argv, &what);
	if (r != LC_NOTREQ)
		return r ? r : lc_run_request(nl, &lc_cmd_mapcache, argc, argv);
	if (!strcmp(sub, "help"))
		return 0;
	argc--;
	argv++;
	if (!strcmp(sub, "get")) {
		what = "map-cache get";
		lc_msg_init(nlh, nl->family, NLM_F_ACK);
		lc_genl_put(nlh, LISP_CMD_MAP_GET);
		r = put_dev(nlh, what, argc > 0 ? argv[0] : NULL);
		if (!r)
			r = put_eid(nlh, what, argc > 1 ? argv[1] : NULL, true);
		if (!r)
			r = too_many(what, argc, argv, 2);
	} else {
		what = "map-cache show";
		lc_msg_init(nlh, nl->family, NLM_F_DUMP);
		lc_genl_put(nlh, LISP_CMD_MAP_GET);
		r = argc > 0 ? put_dev(nlh, what, argv[0]) : 0;
		if (!r)
			r = too_many(what, argc, argv, 1);
	}
	if (r)
		return r;
	lc_out_begin(&o);
	r = lc_nl_request(nl, nlh, what, map_msg_cb, &o);
	lc_out_end(&o);
	return r;
}

const struct lc_cmd lc_cmd_mapcache = {
	.name = "map-cache",
	.alias = "mc",
	.build = mc_build,
	.run = mc_run,
	.help = help,
};
