// SPDX-License-Identifier: GPL-2.0
/*
 * lispctl dyn and host: dynamic-EID policies (LISP_CMD_DYN_*), the hosts
 * they detected (LISP_CMD_HOST_*), and the printing of their events for
 * monitor.
 */
#include <inttypes.h>
#include <string.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#include "lispctl.h"

#define DYN_NAME_MAX	31
#define DYN_MAX_IFS	16

static void dyn_help(FILE *f)
{
	fputs("Usage: lispctl dyn add NAME prefix PREFIX [ iid IID ] dev IF [ dev IF ]...\n"
	      "                      [ timeout SECONDS ]\n"
	      "       lispctl dyn del NAME\n"
	      "       lispctl dyn show [ NAME ]\n\n", f);
}

static void host_help(FILE *f)
{
	fputs("Usage: lispctl host show [ NAME ]\n"
	      "       lispctl host del NAME EID [recheck]\n\n", f);
}

static int put_name(struct nlmsghdr *nlh, const char *what, const char *name)
{
	if (!*name || strlen(name) > DYN_NAME_MAX)
		return lc_usage_err("%s: policy name \"%s\" must be 1..%d characters",
				    what, name, DYN_NAME_MAX);
	mnl_attr_put_strz(nlh, LISP_A_DYN_NAME, name);
	return 0;
}

static int put_eid(struct nlmsghdr *nlh, const struct lc_prefix *p)
{
	mnl_attr_put(nlh, p->addr.family == AF_INET ? LISP_A_EID_INET :
		     LISP_A_EID_INET6, lc_addr_len(p->addr.family), p->addr.b);
	return 0;
}

/* NAME prefix P [iid N] dev IF [dev IF]... [timeout S] */
static int build_add(struct nlmsghdr *nlh, const char *what, int argc,
		     char **argv)
{
	uint32_t ifindex[DYN_MAX_IFS], iid = 0, timeout = 0;
	bool has_prefix = false, has_iid = false, has_timeout = false;
	unsigned int nifs = 0, i;
	struct nlattr *nest;
	struct lc_prefix p;
	const char *why;
	int r;

	if (argc < 1)
		return lc_usage_err("%s: missing NAME", what);
	r = put_name(nlh, what, argv[0]);
	if (r)
		return r;
	for (argc--, argv++; argc > 0; argc -= 2, argv += 2) {
		const char *key = argv[0], *val = argc > 1 ? argv[1] : NULL;

		if (!val)
			return lc_usage_err("%s: \"%s\" needs a value", what, key);
		if (!strcmp(key, "prefix")) {
			if (lc_prefix_parse(val, &p, &why))
				return lc_usage_err("%s: invalid prefix \"%s\": %s",
						    what, val, why);
			has_prefix = true;
		} else if (!strcmp(key, "iid")) {
			if (lc_parse_u32(val, LISP_IID_MAX, &iid))
				return lc_usage_err("%s: invalid iid \"%s\" (0..%u)",
						    what, val, LISP_IID_MAX);
			has_iid = true;
		} else if (!strcmp(key, "dev")) {
			if (nifs == DYN_MAX_IFS)
				return lc_usage_err("%s: more than %d interfaces",
						    what, DYN_MAX_IFS);
			if (strlen(val) >= IFNAMSIZ)
				return lc_usage_err("%s: \"%s\" is not a valid device name",
						    what, val);
			ifindex[nifs] = if_nametoindex(val);
			if (!ifindex[nifs] && !lc_opts.dry_run)
				return lc_usage_err("%s: no interface \"%s\"",
						    what, val);
			nifs++;
		} else if (!strcmp(key, "timeout")) {
			if (lc_parse_u32(val, UINT32_MAX, &timeout))
				return lc_usage_err("%s: invalid timeout \"%s\"",
						    what, val);
			has_timeout = true;
		} else {
			return lc_usage_err("%s: unexpected \"%s\"", what, key);
		}
	}
	if (!has_prefix)
		return lc_usage_err("%s: missing prefix", what);
	if (!nifs)
		return lc_usage_err("%s: missing dev", what);
	put_eid(nlh, &p);
	mnl_attr_put_u8(nlh, LISP_A_EID_PLEN, (uint8_t)p.plen);
	if (has_iid)
		mnl_attr_put_u32(nlh, LISP_A_IID, iid);
	/* A zero timeout goes to the kernel, which says why it is wrong. */
	if (has_timeout)
		mnl_attr_put_u32(nlh, LISP_A_DYN_TIMEOUT, timeout);
	nest = mnl_attr_nest_start(nlh, LISP_A_DYN_IFINDEXES);
	for (i = 0; i < nifs; i++)
		mnl_attr_put_u32(nlh, (uint16_t)(i + 1), ifindex[i]);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

static int dyn_build(struct nlmsghdr *nlh, int argc, char **argv,
		     const char **what)
{
	const char *sub = argc > 0 ? argv[0] : "show";

	if (!strcmp(sub, "add")) {
		*what = "dyn add";
		lc_genl_put(nlh, LISP_CMD_DYN_ADD);
		return build_add(nlh, *what, argc - 1, argv + 1);
	}
	if (!strcmp(sub, "del") || !strcmp(sub, "delete")) {
		*what = "dyn del";
		lc_genl_put(nlh, LISP_CMD_DYN_DEL);
		if (argc < 2)
			return lc_usage_err("%s: missing NAME", *what);
		if (argc > 2)
			return lc_usage_err("%s: unexpected \"%s\"", *what, argv[2]);
		return put_name(nlh, *what, argv[1]);
	}
	if (!strcmp(sub, "show") || !strcmp(sub, "list") || !strcmp(sub, "ls"))
		return LC_NOTREQ;
	if (!strcmp(sub, "help")) {
		dyn_help(stdout);
		return LC_NOTREQ;
	}
	return lc_usage_err("dyn: unknown command \"%s\" (try \"lispctl dyn help\")",
			    sub);
}

static int host_build(struct nlmsghdr *nlh, int argc, char **argv,
		      const char **what)
{
	const char *sub = argc > 0 ? argv[0] : "show";
	struct lc_addr a;
	int r;

	if (!strcmp(sub, "del") || !strcmp(sub, "delete")) {
		*what = "host del";
		lc_genl_put(nlh, LISP_CMD_HOST_DEL);
		if (argc < 3)
			return lc_usage_err("%s: give NAME and EID", *what);
		if (argc > 4 || (argc == 4 && strcmp(argv[3], "recheck")))
			return lc_usage_err("%s: unexpected \"%s\"", *what,
					    argv[argc - 1]);
		if (argc == 4)
			mnl_attr_put(nlh, LISP_A_RECHECK, 0, NULL);
		r = put_name(nlh, *what, argv[1]);
		if (r)
			return r;
		if (lc_addr_parse(argv[2], &a))
			return lc_usage_err("%s: invalid EID \"%s\"", *what, argv[2]);
		mnl_attr_put(nlh, a.family == AF_INET ? LISP_A_EID_INET :
			     LISP_A_EID_INET6, lc_addr_len(a.family), a.b);
		return 0;
	}
	if (!strcmp(sub, "show") || !strcmp(sub, "list") || !strcmp(sub, "ls"))
		return LC_NOTREQ;
	if (!strcmp(sub, "help")) {
		host_help(stdout);
		return LC_NOTREQ;
	}
	return lc_usage_err("host: unknown command \"%s\" (try \"lispctl host help\")",
			    sub);
}

/* ---- what the kernel says ---- */

struct lc_host {
	char name[DYN_NAME_MAX + 1];
	uint32_t iid, ifindex, age;
	struct lc_addr eid;
	uint8_t mac[6], detect, flap_mac[6];
	bool has_mac, has_detect, has_idle, has_age, has_flap;
	uint64_t idle_ms;
	uint32_t flap_ifindex;
};

static const char *detect_name(unsigned int how)
{
	static const char *const names[] = {
		[LISP_DETECT_ROUTED] = "routed",
		[LISP_DETECT_ARP] = "arp",
		[LISP_DETECT_ND] = "nd",
	};

	if (how < sizeof(names) / sizeof(names[0]) && names[how])
		return names[how];
	return "unknown";
}

static int host_parse(const struct nlmsghdr *nlh, struct lc_host *h)
{
	const struct nlattr *a;

	memset(h, 0, sizeof(*h));
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case LISP_A_DYN_NAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
				return -1;
			snprintf(h->name, sizeof(h->name), "%s",
				 mnl_attr_get_str(a));
			break;
		case LISP_A_IID:
			h->iid = mnl_attr_get_u32(a);
			break;
		case LISP_A_EID_INET:
		case LISP_A_EID_INET6:
			if (lc_addr_from_attr(a, mnl_attr_get_type(a) ==
					      LISP_A_EID_INET ? AF_INET : AF_INET6,
					      &h->eid))
				return -1;
			break;
		case LISP_A_IFINDEX:
			h->ifindex = mnl_attr_get_u32(a);
			break;
		case LISP_A_MAC:
			if (mnl_attr_get_payload_len(a) != 6)
				return -1;
			memcpy(h->mac, mnl_attr_get_payload(a), 6);
			h->has_mac = true;
			break;
		case LISP_A_DETECT:
			h->detect = mnl_attr_get_u8(a);
			h->has_detect = true;
			break;
		case LISP_A_IDLE_MS:
			h->idle_ms = mnl_attr_get_u64(a);
			h->has_idle = true;
			break;
		case LISP_A_AGE:
			h->age = mnl_attr_get_u32(a);
			h->has_age = true;
			break;
		case LISP_A_FLAP_MAC:
			if (mnl_attr_get_payload_len(a) != 6)
				return -1;
			memcpy(h->flap_mac, mnl_attr_get_payload(a), 6);
			h->has_flap = true;
			break;
		case LISP_A_FLAP_IFINDEX:
			h->flap_ifindex = mnl_attr_get_u32(a);
			break;
		}
	}
	return h->eid.family ? 0 : -1;
}

static char *mac_fmt(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
	return buf;
}

/* The object of a host or event; event is NULL for host show. */
static json_object *host_json(const struct lc_host *h, const char *event,
			      const char *ts)
{
	json_object *j = json_object_new_object();
	char eid[LC_ADDRSTRLEN], mac[18], dev[IFNAMSIZ + 16];

	lc_addr_fmt(&h->eid, eid, sizeof(eid));
	mac_fmt(h->mac, mac, sizeof(mac));
	lc_ifname(h->ifindex, dev);
	if (ts)
		json_object_object_add(j, "time", json_object_new_string(ts));
	if (event)
		json_object_object_add(j, "event", json_object_new_string(event));
	json_object_object_add(j, "policy", json_object_new_string(h->name));
	json_object_object_add(j, "iid", json_object_new_int64(h->iid));
	json_object_object_add(j, "eid", json_object_new_string(eid));
	if (h->has_mac)
		json_object_object_add(j, "mac", json_object_new_string(mac));
	json_object_object_add(j, "dev", json_object_new_string(dev));
	json_object_object_add(j, "ifindex", json_object_new_int64(h->ifindex));
	if (h->has_detect)
		json_object_object_add(j, "detect",
				       json_object_new_string(detect_name(h->detect)));
	if (h->has_age)
		json_object_object_add(j, "age", json_object_new_int64(h->age));
	if (h->has_idle)
		json_object_object_add(j, "idle_ms",
				       json_object_new_int64((int64_t)h->idle_ms));
	if (h->has_flap) {
		json_object_object_add(j, "flap_mac",
				       json_object_new_string(mac_fmt(h->flap_mac, mac,
								      sizeof(mac))));
		json_object_object_add(j, "flap_dev",
				       json_object_new_string(lc_ifname(h->flap_ifindex,
									dev)));
	}
	return j;
}

/* "EID policy NAME iid N mac MAC dev IF detect HOW [age S idle T]" */
static void host_print(const struct lc_host *h)
{
	char eid[LC_ADDRSTRLEN], dev[IFNAMSIZ + 16], idle[32], mac[18];

	printf("%s policy %s iid %u", lc_addr_fmt(&h->eid, eid, sizeof(eid)),
	       h->name, h->iid);
	if (h->has_mac)
		printf(" mac %s", mac_fmt(h->mac, mac, sizeof(mac)));
	printf(" dev %s", lc_ifname(h->ifindex, dev));
	if (h->has_detect)
		printf(" detect %s", detect_name(h->detect));
	if (h->has_age)
		printf(" age %us", h->age);
	if (h->has_idle) {
		lc_fmt_ms(idle, sizeof(idle), h->idle_ms);
		printf(" idle %s", idle);
	}
	if (h->has_flap)
		printf(" flap-mac %s flap-dev %s",
		       mac_fmt(h->flap_mac, mac, sizeof(mac)),
		       lc_ifname(h->flap_ifindex, dev));
	putchar('\n');
}

static int host_print_msg(const struct nlmsghdr *nlh, void *data)
{
	struct lc_out *o = data;
	struct lc_host h;

	if (host_parse(nlh, &h)) {
		lc_err("host: malformed entry from the kernel, skipped");
		return 0;
	}
	if (o->array)
		lc_out_add(o, host_json(&h, NULL, NULL));
	else
		host_print(&h);
	o->count++;
	return 0;
}

/* EID_DETECTED, EID_GONE and EID_FLAP for monitor: one line each. */
int lc_host_event_print(const struct nlmsghdr *nlh, const char *ts)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const char *event = g->cmd == LISP_CMD_EID_DETECTED ? "eid-detected" :
			    g->cmd == LISP_CMD_EID_FLAP ? "eid-flap" : "eid-gone";
	struct lc_host h;

	if (host_parse(nlh, &h))
		return 0;
	if (lc_opts.json) {
		json_object *j = host_json(&h, event, ts);

		/* JSON lines: one object per line even with -p */
		fputs(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
						     JSON_C_TO_STRING_NOSLASHESCAPE),
		      stdout);
		fputc('\n', stdout);
		json_object_put(j);
	} else {
		printf("%s %s ", ts, event);
		host_print(&h);
	}
	fflush(stdout);
	return 0;
}

struct lc_policy {
	char name[DYN_NAME_MAX + 1];
	struct lc_prefix prefix;
	uint32_t iid, timeout, hosts;
	uint32_t ifindex[DYN_MAX_IFS];
	unsigned int nifs;
	uint64_t detected, gone, probes, ignored, overflow;
	uint64_t rl_if, rl_host, nd_invalid, flaps;
};

static int policy_parse(const struct nlmsghdr *nlh, struct lc_policy *p)
{
	const struct nlattr *a, *i;

	memset(p, 0, sizeof(*p));
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case LISP_A_DYN_NAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
				return -1;
			snprintf(p->name, sizeof(p->name), "%s",
				 mnl_attr_get_str(a));
			break;
		case LISP_A_IID:
			p->iid = mnl_attr_get_u32(a);
			break;
		case LISP_A_EID_INET:
		case LISP_A_EID_INET6:
			if (lc_addr_from_attr(a, mnl_attr_get_type(a) ==
					      LISP_A_EID_INET ? AF_INET : AF_INET6,
					      &p->prefix.addr))
				return -1;
			break;
		case LISP_A_EID_PLEN:
			p->prefix.plen = mnl_attr_get_u8(a);
			break;
		case LISP_A_DYN_TIMEOUT:
			p->timeout = mnl_attr_get_u32(a);
			break;
		case LISP_A_DYN_HOSTS:
			p->hosts = mnl_attr_get_u32(a);
			break;
		case LISP_A_DYN_IFINDEXES:
			mnl_attr_for_each_nested(i, a)
				if (p->nifs < DYN_MAX_IFS &&
				    mnl_attr_get_payload_len(i) == 4)
					p->ifindex[p->nifs++] = mnl_attr_get_u32(i);
			break;
		case LISP_A_DYN_DETECTED:
			p->detected = mnl_attr_get_u64(a);
			break;
		case LISP_A_DYN_GONE:
			p->gone = mnl_attr_get_u64(a);
			break;
		case LISP_A_DYN_PROBES:
			p->probes = mnl_attr_get_u64(a);
			break;
		case LISP_A_DYN_IGNORED:
			p->ignored = mnl_attr_get_u64(a);
			break;
		case LISP_A_DYN_OVERFLOW:
			p->overflow = mnl_attr_get_u64(a);
			break;
		case LISP_A_DYN_RATELIMITED_IF:
			p->rl_if = mnl_attr_get_u64(a);
			break;
		case LISP_A_DYN_RATELIMITED_HOST:
			p->rl_host = mnl_attr_get_u64(a);
			break;
		case LISP_A_DYN_ND_INVALID:
			p->nd_invalid = mnl_attr_get_u64(a);
			break;
		case LISP_A_DYN_FLAPS:
			p->flaps = mnl_attr_get_u64(a);
			break;
		}
	}
	return p->prefix.addr.family ? 0 : -1;
}

static json_object *policy_json(const struct lc_policy *p)
{
	json_object *j = json_object_new_object(), *devs;
	char pfx[LC_PREFIXSTRLEN], dev[IFNAMSIZ + 16];
	unsigned int i;

	json_object_object_add(j, "name", json_object_new_string(p->name));
	json_object_object_add(j, "prefix",
			       json_object_new_string(lc_prefix_fmt(&p->prefix, pfx,
								    sizeof(pfx))));
	json_object_object_add(j, "iid", json_object_new_int64(p->iid));
	devs = json_object_new_array();
	for (i = 0; i < p->nifs; i++)
		json_object_array_add(devs, json_object_new_string(lc_ifname(p->ifindex[i],
									      dev)));
	json_object_object_add(j, "devs", devs);
	json_object_object_add(j, "timeout", json_object_new_int64(p->timeout));
	json_object_object_add(j, "hosts", json_object_new_int64(p->hosts));
	json_object_object_add(j, "detected", json_object_new_int64((int64_t)p->detected));
	json_object_object_add(j, "gone", json_object_new_int64((int64_t)p->gone));
	json_object_object_add(j, "probes", json_object_new_int64((int64_t)p->probes));
	json_object_object_add(j, "ignored", json_object_new_int64((int64_t)p->ignored));
	json_object_object_add(j, "overflow", json_object_new_int64((int64_t)p->overflow));
	json_object_object_add(j, "ratelimited_if", json_object_new_int64((int64_t)p->rl_if));
	json_object_object_add(j, "ratelimited_host",
			       json_object_new_int64((int64_t)p->rl_host));
	json_object_object_add(j, "nd_invalid", json_object_new_int64((int64_t)p->nd_invalid));
	json_object_object_add(j, "flaps", json_object_new_int64((int64_t)p->flaps));
	return j;
}

static int policy_print_msg(const struct nlmsghdr *nlh, void *data)
{
	char pfx[LC_PREFIXSTRLEN], dev[IFNAMSIZ + 16];
	struct lc_out *o = data;
	struct lc_policy p;
	unsigned int i;

	if (policy_parse(nlh, &p)) {
		lc_err("dyn: malformed policy from the kernel, skipped");
		return 0;
	}
	o->count++;
	if (o->array) {
		lc_out_add(o, policy_json(&p));
		return 0;
	}
	printf("%s prefix %s iid %u", p.name,
	       lc_prefix_fmt(&p.prefix, pfx, sizeof(pfx)), p.iid);
	for (i = 0; i < p.nifs; i++)
		printf(" dev %s", lc_ifname(p.ifindex[i], dev));
	printf(" timeout %u\n    hosts %u detected %" PRIu64 " gone %" PRIu64
	       " probes %" PRIu64 " ignored %" PRIu64, p.timeout, p.hosts,
	       p.detected, p.gone, p.probes, p.ignored);
	if (p.overflow)
		printf(" overflow %" PRIu64, p.overflow);
	if (p.rl_if || p.rl_host || p.nd_invalid || p.flaps)
		printf("\n    ratelimited-if %" PRIu64 " ratelimited-host %" PRIu64
		       " nd-invalid %" PRIu64 " flaps %" PRIu64, p.rl_if,
		       p.rl_host, p.nd_invalid, p.flaps);
	putchar('\n');
	return 0;
}

/* show [NAME]: a dump, filtered by policy name. */
static int show(struct lc_nl *nl, uint8_t cmd, const char *what, int argc,
		char **argv, lc_msg_cb cb)
{
	char buf[LC_MSG_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct lc_out o;
	int r;

	lc_msg_init(nlh, nl->family, NLM_F_DUMP);
	lc_genl_put(nlh, cmd);
	if (argc > 1) {
		r = put_name(nlh, what, argv[1]);
		if (r)
			return r;
	}
	if (argc > 2)
		return lc_usage_err("%s: unexpected \"%s\"", what, argv[2]);
	lc_out_begin(&o);
	r = lc_nl_request(nl, nlh, what, cb, &o);
	lc_out_end(&o);
	return r;
}

static int dyn_run(struct lc_nl *nl, int argc, char **argv)
{
	char buf[LC_MSG_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	const char *what;
	int r;

	lc_msg_init(nlh, nl->family, NLM_F_ACK);
	r = dyn_build(nlh, argc, argv, &what);
	if (r != LC_NOTREQ)
		return r ? r : lc_run_request(nl, &lc_cmd_dyn, argc, argv);
	if (argc > 0 && !strcmp(argv[0], "help"))
		return 0;
	return show(nl, LISP_CMD_DYN_GET, "dyn show", argc, argv,
		    policy_print_msg);
}

static int host_run(struct lc_nl *nl, int argc, char **argv)
{
	char buf[LC_MSG_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	const char *what;
	int r;

	lc_msg_init(nlh, nl->family, NLM_F_ACK);
	r = host_build(nlh, argc, argv, &what);
	if (r != LC_NOTREQ)
		return r ? r : lc_run_request(nl, &lc_cmd_host, argc, argv);
	if (argc > 0 && !strcmp(argv[0], "help"))
		return 0;
	return show(nl, LISP_CMD_HOST_GET, "host show", argc, argv,
		    host_print_msg);
}

const struct lc_cmd lc_cmd_dyn = {
	.name = "dyn",
	.alias = "dynamic-eid",
	.build = dyn_build,
	.run = dyn_run,
	.help = dyn_help,
};

const struct lc_cmd lc_cmd_host = {
	.name = "host",
	.build = host_build,
	.run = host_run,
	.help = host_help,
};
