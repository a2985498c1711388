/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lispctl: configure the LISP data plane over the "lisp" generic
 * netlink family. Shared declarations of the small modules.
 */
#ifndef LISPCTL_H
#define LISPCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <json-c/json.h>
#include <linux/genetlink.h>
#include <linux/lisp.h>

#include "addr.h"
#include "lnl.h"

#ifndef LISPCTL_VERSION
#define LISPCTL_VERSION "0.1"
#endif

/* Exit codes. */
#define LC_OK		0
#define LC_ERR		1
#define LC_USAGE	2

/* Largest single request we build (8 RLOCs fit in well under 1 KiB). */
#define LC_MSG_MAX	4096

/* Global options. */
struct lc_opts {
	int json;		/* -j */
	int pretty;		/* -p */
	int stats;		/* -s */
	int dry_run;		/* --dry-run: parse and build, never send */
	const char *netns;	/* -n */
	const char *conf;	/* -c: the lispd.conf lookup and show read */
};
extern struct lc_opts lc_opts;

/* util.c: diagnostics and number parsing */
extern int lc_lineno;		/* batch line being processed, 0 outside */
void lc_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int lc_usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int lc_parse_u32(const char *s, uint32_t max, uint32_t *out);
bool lc_matches(const char *word, const char *cmd, size_t minlen);
const char *lc_errname(int err);

/*
 * Addresses are lispd's (lispd/genl/addr.h); the kernel exchange is the
 * one client both programs share (lispd/genl/lnl.h).
 */
/* An EID prefix as lispctl takes it: no "[IID]" (the device has one). */
int lc_prefix_parse(const char *s, struct prefix *p, const char **why);
/* "A/N": the instance-id, if any, is printed apart. */
const char *lc_prefix_fmt(const struct prefix *p, char *buf, size_t len);

struct lc_cmd;

/*
 * conf.c: lispd.conf through lispd's loader (lispd/conf.h).  The file
 * is -c FILE or lispd's default; NULL after the loader said why.
 */
struct lispd_conf;
const char *lc_conf_file(void);
struct lispd_conf *lc_conf_load(void);

/* genl.c: the socket (none with --dry-run) and how errors are shown */
int lc_nl_open(struct lnl *nl);
void lc_nl_close(struct lnl *nl);
int lc_nl_request(struct lnl *nl, struct nlmsghdr *nlh, const char *what,
		  lnl_cb cb, void *data);
int lc_run_request(struct lnl *nl, const struct lc_cmd *cmd,
		   int argc, char **argv);
void lc_report_nlerr(const char *what, const struct lnl_err *err,
		     const struct nlmsghdr *req);

/* Pipelined requests for batch mode. */
struct lc_pipe;
struct lc_pipe *lc_pipe_new(struct lnl *nl);
struct nlmsghdr *lc_pipe_next(struct lc_pipe *p);
void lc_pipe_commit(struct lc_pipe *p, struct nlmsghdr *nlh, int lineno,
		    const char *what);
int lc_pipe_flush(struct lc_pipe *p);
int lc_pipe_errors(const struct lc_pipe *p);
unsigned long lc_pipe_count(const struct lc_pipe *p);
void lc_pipe_free(struct lc_pipe *p);

/*
 * Commands. build() turns the words after the object name into a
 * request without sending it (returns 0, or LC_USAGE after printing
 * why, or LC_NOTREQ for a command that reads such as show); run() does
 * a whole command.
 */
#define LC_NOTREQ	3

struct lc_cmd {
	const char *name;
	const char *alias;
	int (*build)(struct nlmsghdr *nlh, int argc, char **argv,
		     const char **what);
	int (*run)(struct lnl *nl, int argc, char **argv);
	void (*help)(FILE *f);
};

struct lc_out;

/* show.c: the show commands' words, dump and instance-id filter */
int lc_show_args(const char *what, const char *key, int argc, char **argv,
		 const char **obj, struct lc_out *o);
/* Puts the object a show names (DEV, NAME): 0, or LC_USAGE after why. */
typedef int (*lc_put_obj)(struct nlmsghdr *nlh, const char *what,
			  const char *obj);
int lc_put_dev(struct nlmsghdr *nlh, const char *what, const char *dev);
int lc_show(struct lnl *nl, uint8_t cmd, const char *what, const char *key,
	    lc_put_obj put, int argc, char **argv, lnl_cb cb);
bool lc_out_skip(const struct lc_out *o, bool has, uint32_t iid);
int lc_iid_dev(struct lnl *nl, const char *what, uint32_t iid,
	       uint32_t *ifindex);

/* mapcache.c */
extern const struct lc_cmd lc_cmd_mapcache;
int lc_map_print_msg(const struct nlmsghdr *nlh, void *data);
json_object *lc_map_json(const struct lnl_map *m);
void lc_map_print(FILE *f, const struct lnl_map *m, bool stats);

/* database.c */
extern const struct lc_cmd lc_cmd_database;
int lc_db_print_msg(const struct nlmsghdr *nlh, void *data);

/* stats.c */
extern const struct lc_cmd lc_cmd_stats;
int lc_stats_print_msg(const struct nlmsghdr *nlh, void *data);

/* monitor.c */
extern const struct lc_cmd lc_cmd_monitor;
int lc_event_print(const struct nlmsghdr *nlh, void *data);

/* dyn.c: dynamic-EID policies and their hosts */
extern const struct lc_cmd lc_cmd_dyn;
extern const struct lc_cmd lc_cmd_host;
int lc_dyn_print_msg(const struct nlmsghdr *nlh, void *data);
int lc_host_print_msg(const struct nlmsghdr *nlh, void *data);
void lc_host_event_print(const struct lnl_event *ev, const char *ts);

/* output.c */
struct lc_out {
	json_object *array;		/* JSON mode: collected objects */
	unsigned long count;
	bool has_iid;			/* show only rows of instance-id iid */
	uint32_t iid;
};
void lc_out_begin(struct lc_out *o);
void lc_out_add(struct lc_out *o, json_object *obj);
void lc_out_end(struct lc_out *o);
void lc_json_print(FILE *f, json_object *obj);
void lc_json_line(json_object *obj);
const char *lc_ifname(uint32_t ifindex, char *buf);
void lc_fmt_ms(char *buf, size_t len, uint64_t ms);

#endif /* LISPCTL_H */
