// SPDX-License-Identifier: GPL-2.0
/*
 * lispctl: command-line control of the LISP data plane.
 * Global options, the object dispatcher and batch mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lispctl.h"

struct lc_opts lc_opts;

extern const struct lc_cmd lc_cmd_show;		/* daemon.c: asks lispd */
extern const struct lc_cmd lc_cmd_lookup;	/* lookup.c: asks a resolver */

/*
 * The objects. lispd will add the ones it answers over its own control
 * socket (e.g. "show site") here with a run() that talks to it rather
 * than to the kernel; only kernel ones need the netlink socket.
 */
static const struct lc_cmd *const objects[] = {
	&lc_cmd_mapcache,
	&lc_cmd_database,
	&lc_cmd_stats,
	&lc_cmd_monitor,
	&lc_cmd_dyn,
	&lc_cmd_host,
	&lc_cmd_show,
	&lc_cmd_lookup,
};

#define NOBJ (sizeof(objects) / sizeof(objects[0]))

static void usage(FILE *f)
{
	size_t i;

	fputs("Usage: lispctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
	      "       lispctl [ OPTIONS ] -b FILE\n"
	      "OBJECT := { map-cache | database | stats | monitor | dyn | host |\n"
	      "           show | lookup }\n"
	      "OPTIONS := { -j[son] | -p[retty] | -s[tatistics] | -n[etns] NAME |\n"
	      "             -c[onfig] LISPD.CONF | -b[atch] FILE | --dry-run |\n"
	      "             -h[elp] | -V[ersion] }\n\n", f);
	for (i = 0; i < NOBJ; i++)
		objects[i]->help(f);
}

static const struct lc_cmd *find_object(const char *word)
{
	size_t i;

	for (i = 0; i < NOBJ; i++) {
		const struct lc_cmd *c = objects[i];

		/* full name, alias, or an abbreviation of 3+ letters */
		if (!strcmp(word, c->name) || (c->alias && !strcmp(word, c->alias)) ||
		    lc_matches(word, c->name, 3))
			return c;
	}
	return NULL;
}

static int enter_netns(const char *name)
{
	char path[512];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		lc_err("cannot open network namespace \"%s\": %s", name,
		       strerror(errno));
		return LC_ERR;
	}
	if (setns(fd, CLONE_NEWNET)) {
		lc_err("setting the network namespace \"%s\" failed: %s", name,
		       strerror(errno));
		close(fd);
		return LC_ERR;
	}
	close(fd);
	return 0;
}

static int run_one(struct lnl *nl, int argc, char **argv)
{
	const struct lc_cmd *c;

	if (!strcmp(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	c = find_object(argv[0]);
	if (!c)
		return lc_usage_err("unknown object \"%s\" (try \"lispctl help\")",
				    argv[0]);
	if (c != &lc_cmd_show && c != &lc_cmd_lookup && !nl->family &&
	    !lc_opts.dry_run) {
		int r = lc_nl_open(nl);

		if (r)
			return r;
	}
	return c->run(nl, argc - 1, argv + 1);
}

/* Split a batch line into words; '#' starts a comment. */
static int split(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line, *hash = strchr(line, '#');

	if (hash)
		*hash = '\0';
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		if (argc == max)
			return -1;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		if (*p)
			*p++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

/*
 * Batch mode: modifying commands are pipelined, many requests to one
 * sendmsg(), and every ACK is checked; any other command first drains
 * the pipeline, then runs as it would from the command line. A failing
 * line is reported with its number and the rest still run.
 */
static int run_batch(struct lnl *nl, const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char *line = NULL, *argv[128];
	size_t cap = 0;
	struct lc_pipe *pipe;
	int errors = 0, lineno = 0, argc, r;

	if (!f) {
		lc_err("cannot open \"%s\": %s", file, strerror(errno));
		return LC_ERR;
	}
	r = lc_nl_open(nl);
	if (r)
		return r;
	pipe = lc_pipe_new(nl);
	if (!pipe) {
		lc_err("out of memory");
		return LC_ERR;
	}
	while (getline(&line, &cap, f) >= 0) {
		const struct lc_cmd *c;
		struct nlmsghdr *nlh;
		const char *what = "";

		lc_lineno = ++lineno;
		argc = split(line, argv, 127);
		if (argc == 0)
			continue;
		if (argc < 0) {
			lc_err("too many words");
			errors++;
			continue;
		}
		c = find_object(argv[0]);
		if (!c) {
			lc_usage_err("unknown object \"%s\"", argv[0]);
			errors++;
			continue;
		}
		if (c == &lc_cmd_monitor) {
			lc_usage_err("monitor is not allowed in a batch");
			errors++;
			continue;
		}
		r = LC_NOTREQ;
		if (c->build) {
			nlh = lc_pipe_next(pipe);
			r = c->build(nlh, argc - 1, argv + 1, &what);
			if (r == 0) {
				lc_pipe_commit(pipe, nlh, lineno, what);
				continue;
			}
		}
		if (r == LC_NOTREQ) {
			lc_pipe_flush(pipe);
			r = c->run(nl, argc - 1, argv + 1);
		}
		if (r)
			errors++;
	}
	lc_lineno = 0;
	lc_pipe_flush(pipe);
	errors += lc_pipe_errors(pipe);
	lc_pipe_free(pipe);
	free(line);
	if (f != stdin)
		fclose(f);
	if (errors)
		lc_err("%s: %d of %d lines failed", file, errors, lineno);
	return errors ? LC_ERR : 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "stats", no_argument, NULL, 's' },
		{ "statistics", no_argument, NULL, 's' },
		{ "netns", required_argument, NULL, 'n' },
		{ "config", required_argument, NULL, 'c' },
		{ "batch", required_argument, NULL, 'b' },
		{ "dry-run", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *batch = NULL;
	struct lnl nl = { 0 };
	int opt, r;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+jpsn:c:b:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			lc_opts.json = 1;
			break;
		case 'p':
			lc_opts.pretty = 1;
			break;
		case 's':
			lc_opts.stats = 1;
			break;
		case 'n':
			lc_opts.netns = optarg;
			break;
		case 'c':
			lc_opts.conf = optarg;
			break;
		case 'b':
			batch = optarg;
			break;
		case 'D':
			lc_opts.dry_run = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("lispctl %s\n", LISPCTL_VERSION);
			return 0;
		default:
			if (optopt && strchr("ncb", optopt))
				lc_err("option \"-%c\" needs an argument", optopt);
			else if (optopt)
				lc_err("unknown option \"-%c\"", optopt);
			else
				lc_err("unknown option \"%s\"", argv[optind - 1]);
			fputs("Try \"lispctl --help\".\n", stderr);
			return LC_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (lc_opts.netns && enter_netns(lc_opts.netns))
		return LC_ERR;
	if (batch) {
		if (argc)
			return lc_usage_err("unexpected \"%s\" after -b FILE", argv[0]);
		r = run_batch(&nl, batch);
	} else if (!argc) {
		usage(stderr);
		r = LC_USAGE;
	} else {
		r = run_one(&nl, argc, argv);
	}
	lc_nl_close(&nl);
	return r;
}
