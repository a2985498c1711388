// SPDX-License-Identifier: GPL-2.0
/*
 * lispctl show: what lispd knows, asked over its control socket rather
 * than the kernel: the map-cache it learned, its database-mappings and
 * their registration, a Map-Server's sites, the daemon's counters.
 * The socket is $LISPD_SOCKET, else the control-socket of the lispd.conf
 * given with -c (read by lispd's loader), else lispd's default; one JSON
 * request, {"show": WHAT}, one JSON answer.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "conf.h"
#include "lispctl.h"

static const char *const whats[] = {
	"map-cache", "database", "registration", "map-resolver", "site",
	"statistics", "dynamic-eid", "subscriptions", "referral-cache", "nat",
};

static void help(FILE *f)
{
	fputs("Usage: lispctl [ -j [ -p ] ] [ -c LISPD.CONF ] show { map-cache | database |\n"
	      "                registration | map-resolver | site | dynamic-eid |\n"
	      "                subscriptions | referral-cache | nat | statistics } [ instance-id IID ]\n"
	      "Every row names its instance-id (iid); \"instance-id IID\" (or \"iid IID\")\n"
	      "shows that tenant's rows only.  registration: a line per EID and\n"
	      "Map-Server; map-resolver: what each map-resolver answered.\n"
	      "Asks lispd over $LISPD_SOCKET, else the control-socket of LISPD.CONF,\n"
	      "else " LISPD_SOCK ".\n\n", f);
}

/* Where lispd listens, into buf; LC_ERR after saying why not. */
static int sock_path(char *buf, size_t len)
{
	const char *env = getenv("LISPD_SOCKET");
	struct lispd_conf *c;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return 0;
	}
	if (!lc_opts.conf) {
		snprintf(buf, len, "%s", LISPD_SOCK);
		return 0;
	}
	c = lc_conf_load();
	if (!c) {
		lc_err("show: %s does not load", lc_conf_file());
		return LC_ERR;
	}
	snprintf(buf, len, "%s", c->control);
	conf_free(c);
	return 0;
}

/* The daemon's answer to {"show": what}, or NULL after saying why. */
static json_object *ask(const char *path, const char *what)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char req[128], chunk[65536];
	json_tokener *tok = NULL;
	json_object *ans = NULL;
	ssize_t n;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		lc_err("socket path too long: %s", path);
		return NULL;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		lc_err("cannot reach lispd at %s: %s (is it running?)", path,
		       strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	snprintf(req, sizeof(req), "{\"show\":\"%s\"}\n", what);
	tok = json_tokener_new();
	if (!tok || write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		lc_err("lispd at %s: %s", path, strerror(errno));
		goto out;
	}
	/* Parsed as it arrives: a big Map-Server's sites run to megabytes. */
	while (!ans && (n = read(fd, chunk, sizeof(chunk))) > 0) {
		ans = json_tokener_parse_ex(tok, chunk, (int)n);
		if (!ans && json_tokener_get_error(tok) != json_tokener_continue)
			break;
	}
	if (!ans)
		lc_err("lispd at %s: answer is not JSON%s%s", path,
		       n < 0 ? ": " : "", n < 0 ? strerror(errno) : "");
out:
	if (tok)
		json_tokener_free(tok);
	close(fd);
	return ans;
}

static const char *str(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	       json_object_get_string(v) : "-";
}

static void print_rlocs(json_object *o)
{
	json_object *rl;
	size_t i;

	if (!json_object_object_get_ex(o, "rlocs", &rl))
		return;
	for (i = 0; i < json_object_array_length(rl); i++) {
		json_object *r = json_object_array_get_idx(rl, i);

		json_object *v;

		printf("%s%s priority %s weight %s", i ? ", " : " rloc ",
		       str(r, "address"), str(r, "priority"),
		       str(r, "weight"));
		/* map-cache: what RLOC probing found (lispd.conf rloc-probing) */
		if (json_object_object_get_ex(r, "state", &v))
			printf(" %s", json_object_get_string(v));
		if (json_object_object_get_ex(r, "rtt-ms", &v))
			printf(" rtt %sms", json_object_get_string(v));
	}
}

static void hms(char *buf, size_t len, const char *secs)
{
	long s = atol(secs);

	snprintf(buf, len, "%02ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
}

/*
 * The rows of a tenant, each with its "iid" and its "eid" as "A/N", the
 * way the kernel's tables read: lispd writes a row's EID "[IID]A/N"
 * (no "[0]"), which is also what a row without "iid" is read by.
 * A new array; rows of other instance-ids are left out when filtered.
 */
static json_object *tenant_rows(json_object *data, const struct lc_out *f)
{
	json_object *rows = json_object_new_array(), *o, *v;
	char buf[PREFIXSTRLEN];
	struct prefix p;
	const char *why;
	size_t i;

	for (i = 0; i < json_object_array_length(data); i++) {
		bool has = false, pfx;
		uint32_t iid = 0;

		o = json_object_array_get_idx(data, i);
		pfx = json_object_object_get_ex(o, "eid", &v) &&
		      !prefix_parse(json_object_get_string(v), &p, &why);
		if (pfx) {
			iid = p.iid;
			has = true;
		}
		if (json_object_object_get_ex(o, "iid", &v)) {
			iid = (uint32_t)json_object_get_int64(v);
			has = true;
		}
		if (lc_out_skip(f, has, iid))
			continue;
		if (pfx)
			json_object_object_add(o, "eid", json_object_new_string(
				lc_prefix_fmt(&p, buf, sizeof(buf))));
		if (has)
			json_object_object_add(o, "iid", json_object_new_int64(iid));
		json_object_array_add(rows, json_object_get(o));
	}
	return rows;
}

/* The dynamic-EID summary: one host per line, under a header. */
static void print_dynamic_eids(json_object *data)
{
	char up[64], last[64];
	size_t i;

	printf("%-16s %-8s %-20s %-18s %-9s %-9s %s\n", "Dyn-EID Name", "IID",
	       "Dynamic-EID", "Interface/FHR", "Uptime", "Last-Upd", "State");
	for (i = 0; i < json_object_array_length(data); i++) {
		json_object *o = json_object_array_get_idx(data, i);
		const char *st = str(o, "state"), *where;

		where = !strcmp(st, "local") ? str(o, "interface") :
			!strcmp(st, "notified") ? str(o, "first-hop-router") :
			str(o, "rloc");
		hms(up, sizeof(up), str(o, "uptime"));
		hms(last, sizeof(last), json_object_object_get(o, "last-update") ?
		    str(o, "last-update") : "0");
		printf("%-16s %-8s %-20s %-18s %-9s %-9s %s%s\n", str(o, "policy"),
		       str(o, "iid"), str(o, "eid"), where, up, last,
		       !strcmp(st, "away") ? "away (moved to rloc)" : st,
		       json_object_get_boolean(json_object_object_get(o,
					       "registered")) ? ", registered" : "");
	}
}

/* One line per entry, the way "lispctl map-cache show" prints. */
static void print_text(const char *what, json_object *data)
{
	size_t i, j;

	if (!strcmp(what, "dynamic-eid")) {
		print_dynamic_eids(data);
		return;
	}

	if (!strcmp(what, "registration")) {
		for (i = 0; i < json_object_array_length(data); i++) {
			json_object *o = json_object_array_get_idx(data, i);

			printf("%s iid %s %s map-server %s %s sent %s",
			       str(o, "eid"), str(o, "iid"), str(o, "kind"),
			       str(o, "map-server"), str(o, "state"), str(o, "sent"));
			if (json_object_object_get(o, "last-notify"))
				printf(" last-notify %ss ago", str(o, "last-notify"));
			putchar('\n');
		}
		return;
	}
	if (!strcmp(what, "map-resolver")) {
		for (i = 0; i < json_object_array_length(data); i++) {
			json_object *o = json_object_array_get_idx(data, i);

			printf("map-resolver %s iid %s order %s %s sent %s answered %s unanswered %s",
			       str(o, "map-resolver"), str(o, "iid"), str(o, "order"),
			       str(o, "state"), str(o, "sent"), str(o, "answered"),
			       str(o, "unanswered"));
			if (json_object_object_get(o, "held-for"))
				printf(" held-for %ss", str(o, "held-for"));
			putchar('\n');
		}
		return;
	}
	if (!strcmp(what, "statistics")) {
		json_object_object_foreach(data, k, v)
			printf("%-32s %s\n", k, json_object_get_string(v));
		return;
	}
	for (i = 0; i < json_object_array_length(data); i++) {
		json_object *o = json_object_array_get_idx(data, i), *reg;

		if (!strcmp(what, "subscriptions")) {
			/* RFC 9437: a Map-Server's subscribers, an ITR's own */
			printf("%s %s iid %s", str(o, "role"), str(o, "eid"),
			       str(o, "iid"));
			if (!strcmp(str(o, "role"), "map-server"))
				printf(" subscriber %s xtr-id %s", str(o, "subscriber"),
				       str(o, "xtr-id"));
			printf(" %s publications %s", str(o, "state"),
			       str(o, "publications"));
			if (json_object_object_get(o, "map-servers"))
				printf(" map-servers %s", str(o, "map-servers"));
			if (!strcmp(str(o, "role"), "map-server"))
				printf(" acked %s expires %s", str(o, "acked"),
				       str(o, "expires"));
		} else if (!strcmp(what, "map-cache")) {
			printf("%s iid %s action %s ttl %s expires %s",
			       str(o, "eid"), str(o, "iid"),
			       lnl_action_name((unsigned int)atoi(str(o, "action"))),
			       str(o, "ttl"), str(o, "expires"));
			print_rlocs(o);
		} else if (!strcmp(what, "nat") && json_object_object_get(o, "xtr-id")) {
			/* An RTR's: each xTR registered through it. */
			printf("rtr xtr-id %s iid %s nat %s port %s private %s map-server %s age %ss last-refresh %ss refreshes %s eids",
			       str(o, "xtr-id"), str(o, "iid"), str(o, "nat"),
			       str(o, "port"), str(o, "private"), str(o, "map-server"),
			       str(o, "binding-age"), str(o, "last-refresh"),
			       str(o, "refreshes"));
			reg = json_object_object_get(o, "eids");
			for (j = 0; reg && j < json_object_array_length(reg); j++)
				printf(" %s", json_object_get_string(
					   json_object_array_get_idx(reg, j)));
		} else if (!strcmp(what, "nat")) {
			/* An xTR's Info exchanges with each map-server. */
			printf("map-server %s iid %s %s", str(o, "map-server"),
			       str(o, "iid"), str(o, "state"));
			if (json_object_object_get(o, "translated"))
				printf(" private %s translated %s port %s age %ss last-reply %ss rtrs",
				       str(o, "private"), str(o, "translated"),
				       str(o, "port"), str(o, "binding-age"),
				       str(o, "last-reply"));
			reg = json_object_object_get(o, "rtrs");
			for (j = 0; reg && j < json_object_array_length(reg); j++)
				printf(" %s", json_object_get_string(
					   json_object_array_get_idx(reg, j)));
			if (reg && !json_object_array_length(reg))
				printf(" none");
			printf(" sent %s replies %s", str(o, "sent"),
			       str(o, "replies"));
			reg = json_object_object_get(o, "rtr-registration");
			if (reg)
				printf(" rtr-registration %s",
				       str(reg, "state"));
		} else if (!strcmp(what, "referral-cache")) {
			/* A DDT Map-Resolver's (RFC 8111 7.3). */
			printf("%s iid %s %s expires %s hits %s referrals",
			       str(o, "eid"), str(o, "iid"), str(o, "action"),
			       str(o, "expires"), str(o, "hits"));
			reg = json_object_object_get(o, "referrals");
			for (j = 0; reg && j < json_object_array_length(reg); j++)
				printf(" %s", json_object_get_string(
					   json_object_array_get_idx(reg, j)));
		} else if (!strcmp(what, "database")) {
			printf("%s iid %s", str(o, "eid"), str(o, "iid"));
			print_rlocs(o);
			if (json_object_object_get_ex(o, "registration", &reg))
				for (j = 0; j < json_object_array_length(reg); j++) {
					json_object *m = json_object_array_get_idx(reg, j);

					printf("%s map-server %s %s",
					       j ? "," : ";", str(m, "map-server"),
					       json_object_get_boolean(
						   json_object_object_get(m, "registered")) ?
					       "registered" : "not registered");
				}
		} else {
			printf("site %s %s iid %s registrant %s expires %s%s",
			       str(o, "site"), str(o, "eid"), str(o, "iid"),
			       str(o, "registrant"), str(o, "expires"),
			       json_object_get_boolean(json_object_object_get(o,
						       "proxy-reply")) ?
			       " proxy-reply" : "");
			print_rlocs(o);
		}
		putchar('\n');
	}
}

static int run(struct lnl *nl, int argc, char **argv)
{
	json_object *ans, *ok, *data, *rows;
	const char *what = NULL, *word;
	char path[PATH_MAX];
	struct lc_out f;
	size_t i;
	int r;

	(void)nl;
	if (argc == 1 && !strcmp(argv[0], "help")) {
		help(stdout);
		return 0;
	}
	/* "show map-cache instance-id 7" or, as Cisco has it, the other way */
	r = lc_show_args("show", NULL, argc, argv, &word, &f);
	if (r)
		return r;
	for (i = 0; word && !what && i < sizeof(whats) / sizeof(whats[0]); i++)
		if (lc_matches(word, whats[i], 2) ||
		    (!strcmp(whats[i], "statistics") && !strcmp(word, "stats")))
			what = whats[i];
	if (!what)
		return lc_usage_err("show what? map-cache, database, registration, map-resolver, site, dynamic-eid, subscriptions, referral-cache, nat or statistics");
	if (f.has_iid && !strcmp(what, "statistics")) {
		lc_err("show statistics: lispd counts for all instance-ids together; "
		       "a device's counters: lispctl stats iid %u", f.iid);
		return LC_ERR;
	}
	if (sock_path(path, sizeof(path)))
		return LC_ERR;
	ans = ask(path, what);
	if (!ans)
		return LC_ERR;
	if (!json_object_object_get_ex(ans, "ok", &ok) ||
	    !json_object_get_boolean(ok) ||
	    !json_object_object_get_ex(ans, "data", &data)) {
		lc_err("lispd: %s", str(ans, "error"));
		json_object_put(ans);
		return LC_ERR;
	}
	rows = json_object_is_type(data, json_type_array) ?
	       tenant_rows(data, &f) : json_object_get(data);
	if (lc_opts.json)
		lc_json_print(stdout, rows);
	else
		print_text(what, rows);
	fflush(stdout);
	json_object_put(rows);
	json_object_put(ans);
	return 0;
}

const struct lc_cmd lc_cmd_show = {
	.name = "show",
	.run = run,
	.help = help,
};
