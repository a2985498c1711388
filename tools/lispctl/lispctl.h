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

#define LISPCTL_VERSION "0.1"

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
};
extern struct lc_opts lc_opts;

/* util.c: diagnostics and number parsing */
extern int lc_lineno;		/* batch line being processed, 0 outside */
void lc_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int lc_usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int lc_parse_u32(const char *s, uint32_t max, uint32_t *out);
bool lc_matches(const char *word, const char *cmd, size_t minlen);
const char *lc_errname(int err);

/* addr.c: addresses and prefixes */
struct lc_addr {
	int family;			/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t b[16];
	};
};

struct lc_prefix {
	struct lc_addr addr;
	unsigned int plen;
	bool host;			/* written without /PLEN */
};

#define LC_ADDRSTRLEN	46
#define LC_PREFIXSTRLEN	(LC_ADDRSTRLEN + 4)

int lc_addr_parse(const char *s, struct lc_addr *a);
int lc_prefix_parse(const char *s, struct lc_prefix *p, const char **why);
size_t lc_addr_len(int family);
const char *lc_addr_fmt(const struct lc_addr *a, char *buf, size_t len);
const char *lc_prefix_fmt(const struct lc_prefix *p, char *buf, size_t len);
int lc_addr_from_attr(const struct nlattr *attr, int family,
		      struct lc_addr *a);

struct lc_cmd;

/* genl.c: the netlink side */
struct lc_nl {
	struct mnl_socket *sock;
	uint16_t family;		/* genl family id of "lisp" */
	uint32_t mcgrp_events;		/* multicast group id of "events" */
	uint32_t portid;
	uint32_t seq;
	char *rxbuf;
	size_t rxlen;
};

typedef int (*lc_msg_cb)(const struct nlmsghdr *nlh, void *data);

int lc_nl_open(struct lc_nl *nl);
void lc_nl_close(struct lc_nl *nl);
int lc_nl_request(struct lc_nl *nl, struct nlmsghdr *nlh, const char *what,
		  lc_msg_cb cb, void *data);
void lc_msg_init(struct nlmsghdr *nlh, uint16_t family, uint16_t flags);
void lc_genl_put(struct nlmsghdr *nlh, uint8_t cmd);
int lc_run_request(struct lc_nl *nl, const struct lc_cmd *cmd,
		   int argc, char **argv);
void lc_report_nlerr(const char *what, const struct nlmsghdr *err,
		     const struct nlmsghdr *req);
const char *lc_attr_path(const struct nlmsghdr *req, uint32_t off,
			 char *buf, size_t len);

/* Pipelined requests for batch mode. */
struct lc_pipe;
struct lc_pipe *lc_pipe_new(struct lc_nl *nl);
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
	int (*run)(struct lc_nl *nl, int argc, char **argv);
	void (*help)(FILE *f);
};

/* mapcache.c */
extern const struct lc_cmd lc_cmd_mapcache;
struct lc_rloc {
	struct lc_addr addr;
	uint8_t priority, weight;
	uint32_t flags;
	bool has_counters;
	uint64_t packets, bytes;
};
struct lc_map {
	uint32_t ifindex;
	char ifname[32];
	uint32_t iid;
	bool has_iid;
	struct lc_prefix eid;
	uint8_t action;
	bool has_ttl, has_age, has_idle, has_counters;
	uint32_t ttl, flags, age;
	uint64_t idle_ms, packets, bytes;
	unsigned int nrlocs;
	struct lc_rloc rlocs[LISP_MAX_RLOCS];
};
int lc_map_parse(const struct nlmsghdr *nlh, struct lc_map *m);
json_object *lc_map_json(const struct lc_map *m);
void lc_map_print(FILE *f, const struct lc_map *m, bool stats);
const char *lc_action_name(unsigned int action);
int lc_action_parse(const char *s);

/* database.c */
extern const struct lc_cmd lc_cmd_database;
int lc_db_print_msg(const struct nlmsghdr *nlh, void *data);

/* stats.c */
extern const struct lc_cmd lc_cmd_stats;
const char *lc_stat_name(unsigned int stat);
int lc_stats_print_msg(const struct nlmsghdr *nlh, void *data);

/* monitor.c */
extern const struct lc_cmd lc_cmd_monitor;
int lc_event_print(const struct nlmsghdr *nlh, void *data);

/* dyn.c: dynamic-EID policies and their hosts */
extern const struct lc_cmd lc_cmd_dyn;
extern const struct lc_cmd lc_cmd_host;
int lc_host_event_print(const struct nlmsghdr *nlh, const char *ts);

/* output.c */
struct lc_out {
	json_object *array;		/* JSON mode: collected objects */
	unsigned long count;
};
void lc_out_begin(struct lc_out *o);
void lc_out_add(struct lc_out *o, json_object *obj);
void lc_out_end(struct lc_out *o);
void lc_json_print(FILE *f, json_object *obj);
const char *lc_ifname(uint32_t ifindex, char *buf);
void lc_fmt_ms(char *buf, size_t len, uint64_t ms);

#endif /* LISPCTL_H */
