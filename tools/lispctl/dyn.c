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

#define DYN_NAME_MAX	(LNL_NAME_MAX - 1)
#define DYN_MAX_IFS	LNL_DYN_IFS

static void dyn_help(FILE *f)
{
	fputs("Usage: lispctl dyn add NAME prefix PREFIX [ iid IID ] dev IF [ dev IF ]...\n"
	      "                      [ timeout SECONDS ]\n"
	      "       lispctl dyn del NAME\n"
	      "       lispctl dyn show [ NAME ] [ iid IID ]\n\n", f);
}

static void host_help(FILE *f)
{
	fputs("Usage: lispctl host show [ NAME ] [ iid IID ]\n"
	      "       lispctl host del NAME EID [recheck]\n\n", f);
}

static int check_name(const char *what, const char *name)
{
	if (!*name || strlen(name) > DYN_NAME_MAX)
		return lc_usage_err("%s: policy name \"%s\" must be 1..%d characters",
				    what, name, DYN_NAME_MAX);
	return 0;
}

static int put_name(struct nlmsghdr *nlh, const char *what, const char *name)
{
	if (check_name(what, name))
		return LC_USAGE;
	lnl_put_name(nlh, name);
	return 0;
}

/* NAME prefix P [iid N] dev IF [dev IF]... [timeout S] */
static int build_add(struct nlmsghdr *nlh, const char *what, int argc,
		     char **argv)
{
	struct lnl_dyn d = { 0 };
	bool has_prefix = false;
	uint32_t iid = 0;
	const char *why;
	int r;

	if (argc < 1)
		return lc_usage_err("%s: missing NAME", what);
	r = check_name(what, argv[0]);
	if (r)
		return r;
	snprintf(d.name, sizeof(d.name), "%s", argv[0]);
	for (argc--, argv++; argc > 0; argc -= 2, argv += 2) {
		const char *key = argv[0], *val = argc > 1 ? argv[1] : NULL;

		if (!val)
			return lc_usage_err("%s: \"%s\" needs a value", what, key);
		if (!strcmp(key, "prefix")) {
			if (val[0] == '[')
				return lc_usage_err("%s: prefix \"%s\": write the instance-id as iid IID",
						    what, val);
			if (lc_prefix_parse(val, &d.eid, &why))
				return lc_usage_err("%s: invalid prefix \"%s\": %s",
						    what, val, why);
			has_prefix = true;
		} else if (!strcmp(key, "iid")) {
			if (lc_parse_u32(val, LISP_IID_MAX, &iid))
				return lc_usage_err("%s: invalid iid \"%s\" (0..%u)",
						    what, val, LISP_IID_MAX);
			d.has_iid = true;
		} else if (!strcmp(key, "dev")) {
			if (d.nif == DYN_MAX_IFS)
				return lc_usage_err("%s: more than %d interfaces",
						    what, DYN_MAX_IFS);
			if (strlen(val) >= IFNAMSIZ)
				return lc_usage_err("%s: \"%s\" is not a valid device name",
						    what, val);
			d.ifindex[d.nif] = if_nametoindex(val);
			if (!d.ifindex[d.nif] && !lc_opts.dry_run)
				return lc_usage_err("%s: no interface \"%s\"",
						    what, val);
			d.nif++;
		} else if (!strcmp(key, "timeout")) {
			if (lc_parse_u32(val, UINT32_MAX, &d.timeout))
				return lc_usage_err("%s: invalid timeout \"%s\"",
						    what, val);
			d.has_timeout = true;
		} else {
			return lc_usage_err("%s: unexpected \"%s\"", what, key);
		}
	}
	if (!has_prefix)
		return lc_usage_err("%s: missing prefix", what);
	if (!d.nif)
		return lc_usage_err("%s: missing dev", what);
	d.eid.iid = iid;
	lnl_dyn_put(nlh, &d);
	return 0;
}

static int dyn_build(struct nlmsghdr *nlh, int argc, char **argv,
		     const char **what)
{
	const char *sub = argc > 0 ? argv[0] : "show";

	if (!strcmp(sub, "add")) {
		*what = "dyn add";
		lnl_genl_put(nlh, LISP_CMD_DYN_ADD);
		return build_add(nlh, *what, argc - 1, argv + 1);
	}
	if (!strcmp(sub, "del") || !strcmp(sub, "delete")) {
		*what = "dyn del";
		lnl_genl_put(nlh, LISP_CMD_DYN_DEL);
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
	struct laddr a;

	if (!strcmp(sub, "del") || !strcmp(sub, "delete")) {
		*what = "host del";
		lnl_genl_put(nlh, LISP_CMD_HOST_DEL);
		if (argc < 3)
			return lc_usage_err("%s: give NAME and EID", *what);
		if (argc > 4 || (argc == 4 && strcmp(argv[3], "recheck")))
			return lc_usage_err("%s: unexpected \"%s\"", *what,
					    argv[argc - 1]);
		if (check_name(*what, argv[1]))
			return LC_USAGE;
		if (addr_parse(argv[2], &a))
			return lc_usage_err("%s: invalid EID \"%s\"", *what, argv[2]);
		lnl_host_del_put(nlh, argv[1], &a, argc == 4);
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

static char *mac_fmt(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
	return buf;
}

/* The object of a host or event; event is NULL for host show. */
static json_object *host_json(const struct lnl_host *h, const char *event,
			      const char *ts)
{
	json_object *j = json_object_new_object();
	char eid[ADDRSTRLEN], mac[18], dev[IFNAMSIZ + 16];

	addr_fmt(&h->eid, eid, sizeof(eid));
	mac_fmt(h->mac, mac, sizeof(mac));
	lc_ifname(h->ifindex, dev);
	if (ts)
		json_object_object_add(j, "time", json_object_new_string(ts));
	if (event)
		json_object_object_add(j, "event", json_object_new_string(event));
	json_object_object_add(j, "policy", json_object_new_string(h->policy));
	json_object_object_add(j, "iid", json_object_new_int64(h->iid));
	json_object_object_add(j, "eid", json_object_new_string(eid));
	if (h->has_mac)
		json_object_object_add(j, "mac", json_object_new_string(mac));
	json_object_object_add(j, "dev", json_object_new_string(dev));
	json_object_object_add(j, "ifindex", json_object_new_int64(h->ifindex));
	if (h->has_detect)
		json_object_object_add(j, "detect",
				       json_object_new_string(lnl_detect_name(h->detect)));
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
static void host_print(const struct lnl_host *h)
{
	char eid[ADDRSTRLEN], dev[IFNAMSIZ + 16], idle[32], mac[18];

	printf("%s policy %s iid %u", addr_fmt(&h->eid, eid, sizeof(eid)),
	       h->policy, h->iid);
	if (h->has_mac)
		printf(" mac %s", mac_fmt(h->mac, mac, sizeof(mac)));
	printf(" dev %s", lc_ifname(h->ifindex, dev));
	if (h->has_detect)
		printf(" detect %s", lnl_detect_name(h->detect));
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

int lc_host_print_msg(const struct nlmsghdr *nlh, void *data)
{
	struct lc_out *o = data;
	char why[LNL_WHYLEN];
	struct lnl_host h;

	if (lnl_host_decode(nlh, &h, why)) {
		lc_err("host: malformed entry from the kernel (%s), skipped", why);
		return 0;
	}
	if (lc_out_skip(o, true, h.iid))
		return 0;
	if (o->array)
		lc_out_add(o, host_json(&h, NULL, NULL));
	else
		host_print(&h);
	o->count++;
	return 0;
}

/* EID_DETECTED, EID_GONE and EID_FLAP for monitor: one line each. */
void lc_host_event_print(const struct lnl_event *ev, const char *ts)
{
	const char *event = ev->cmd == LISP_CMD_EID_DETECTED ? "eid-detected" :
			    ev->cmd == LISP_CMD_EID_FLAP ? "eid-flap" : "eid-gone";

	if (lc_opts.json) {
		lc_json_line(host_json(&ev->host, event, ts));
	} else {
		printf("%s %s ", ts, event);
		host_print(&ev->host);
	}
	fflush(stdout);
}

static json_object *policy_json(const struct lnl_dyn *p)
{
	json_object *j = json_object_new_object(), *devs;
	char pfx[PREFIXSTRLEN], dev[IFNAMSIZ + 16];
	int i;

	json_object_object_add(j, "name", json_object_new_string(p->name));
	json_object_object_add(j, "prefix",
			       json_object_new_string(lc_prefix_fmt(&p->eid, pfx,
								    sizeof(pfx))));
	json_object_object_add(j, "iid", json_object_new_int64(p->eid.iid));
	devs = json_object_new_array();
	for (i = 0; i < p->nif; i++)
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

int lc_dyn_print_msg(const struct nlmsghdr *nlh, void *data)
{
	char pfx[PREFIXSTRLEN], dev[IFNAMSIZ + 16], why[LNL_WHYLEN];
	struct lc_out *o = data;
	struct lnl_dyn p;
	int i;

	if (lnl_dyn_decode(nlh, &p, why)) {
		lc_err("dyn: malformed policy from the kernel (%s), skipped", why);
		return 0;
	}
	if (lc_out_skip(o, true, p.eid.iid))
		return 0;
	o->count++;
	if (o->array) {
		lc_out_add(o, policy_json(&p));
		return 0;
	}
	printf("%s prefix %s iid %u", p.name,
	       lc_prefix_fmt(&p.eid, pfx, sizeof(pfx)), p.eid.iid);
	for (i = 0; i < p.nif; i++)
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

static int dyn_run(struct lnl *nl, int argc, char **argv)
{
	char buf[LC_MSG_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	const char *what;
	int r;

	lnl_msg_init(nlh, nl->family, NLM_F_ACK);
	r = dyn_build(nlh, argc, argv, &what);
	if (r != LC_NOTREQ)
		return r ? r : lc_run_request(nl, &lc_cmd_dyn, argc, argv);
	if (argc > 0 && !strcmp(argv[0], "help"))
		return 0;
	return lc_show(nl, LISP_CMD_DYN_GET, "dyn show", NULL, put_name,
		       argc - 1, argv + 1, lc_dyn_print_msg);
}

static int host_run(struct lnl *nl, int argc, char **argv)
{
	char buf[LC_MSG_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	const char *what;
	int r;

	lnl_msg_init(nlh, nl->family, NLM_F_ACK);
	r = host_build(nlh, argc, argv, &what);
	if (r != LC_NOTREQ)
		return r ? r : lc_run_request(nl, &lc_cmd_host, argc, argv);
	if (argc > 0 && !strcmp(argv[0], "help"))
		return 0;
	return lc_show(nl, LISP_CMD_HOST_GET, "host show", NULL, put_name,
		       argc - 1, argv + 1, lc_host_print_msg);
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
