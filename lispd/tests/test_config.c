/* SPDX-License-Identifier: MIT */
/* lispd.conf parsing: a full file, and each error naming file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "tap.h"
#include "core.h"
#include "log.h"
#include "conf.h"

static char	path[64];

static struct lispd_conf *
load(const char *text)
{
	int	fd;

	snprintf(path, sizeof(path), "/tmp/lispd-test-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return conf_load(path);
}

static void
unload(struct lispd_conf *c)
{
	conf_free(c);
	unlink(path);
}

/* The error names this file and line (0: none) and contains what. */
static void
expect_error(const char *text, int line, const char *what)
{
	struct lispd_conf	*c = load(text);
	char			 want[128];

	assert_null(c);
	if (line)
		snprintf(want, sizeof(want), "%s:%d: ", path, line);
	else
		snprintf(want, sizeof(want), "%s: ", path);
	if (!strstr(conf_errors(), want) || !strstr(conf_errors(), what))
		fail_msg("wanted \"%s...%s\", got \"%s\"", want, what,
		    conf_errors());
	unlink(path);
}

static const char full[] =
	"roles = { itr, etr }\n"
	"xtr-interface = \"lisp7\"\n"
	"control-socket = \"/tmp/x.sock\"\n"
	"database-mapping \"10.1.0.0/24\" {\n"
	"    rloc 192.0.2.1 { priority = 1 weight = 60 }\n"
	"    rloc 2001:db8::1 { priority = 2 weight = 40 }\n"
	"}\n"
	"database-mapping \"[7]2001:db8:1::/48\" {\n"
	"    rloc 192.0.2.1 {}\n"
	"}\n"
	"map-server 192.0.2.10 {\n"
	"    key = \"s3cret\"\n"
	"    key-id = 3\n"
	"    algorithm = hmac-sha-1-96\n"
	"    proxy-reply = true\n"
	"}\n"
	"map-resolver = { 192.0.2.10, 2001:db8::10 }\n"
	"proxy-etr 192.0.2.20 { priority = 5 }\n";

static void
t_full(void **state)
{
	struct lispd_conf	*c = load(full);
	char			 s[PREFIXSTRLEN];

	(void)state;
	if (!c)
		fail_msg("%s", conf_errors());
	assert_int_equal(c->roles, ROLE_ITR | ROLE_ETR);
	assert_string_equal(c->iface, "lisp7");
	assert_string_equal(c->control, "/tmp/x.sock");
	assert_int_equal(c->ndb, 2);
	assert_string_equal(prefix_fmt(&c->db[0].eid, s, sizeof(s)),
	    "10.1.0.0/24");
	assert_int_equal(c->db[0].nrloc, 2);
	assert_int_equal(c->db[0].rloc[0].weight, 60);
	assert_int_equal(c->db[0].rloc[1].addr.family, AF_INET6);
	assert_int_equal(c->db[0].rloc[1].priority, 2);
	assert_string_equal(prefix_fmt(&c->db[1].eid, s, sizeof(s)),
	    "[7]2001:db8:1::/48");
	assert_int_equal(c->db[1].rloc[0].priority, 1);
	assert_int_equal(c->db[1].rloc[0].weight, 100);
	assert_int_equal(c->nms, 1);
	assert_string_equal(c->ms[0].key, "s3cret");
	assert_int_equal(c->ms[0].key_id, 3);
	assert_int_equal(c->ms[0].alg, LISP_ALG_SHA1_96);
	assert_true(c->ms[0].proxy_reply);
	assert_int_equal(c->nmr, 2);
	assert_int_equal(c->npetr, 1);
	assert_int_equal(c->petr[0].priority, 5);
	unload(c);
}

static void
t_ms(void **state)
{
	struct lispd_conf *c = load(
	    "roles = { map-server, map-resolver }\n"
	    "site a {\n"
	    "  key = k1\n"
	    "  eid-prefix 10.1.0.0/16 { accept-more-specifics = true }\n"
	    "  eid-prefix 10.9.0.0/16 {}\n"
	    "}\n"
	    "site b { key = k2 eid-prefix 10.2.0.0/16 {} }\n");

	(void)state;
	if (!c)
		fail_msg("%s", conf_errors());
	assert_int_equal(c->nsite, 2);
	assert_string_equal(c->site[0].name, "a");
	assert_int_equal(c->site[0].neid, 2);
	assert_true(c->site[0].eid[0].more_specifics);
	assert_false(c->site[0].eid[1].more_specifics);
	assert_string_equal(c->site[1].key, "k2");
	unload(c);
}

static void
t_syntax(void **state)
{
	(void)state;
	expect_error("roles = { itr }\nmap-resolver = { 1.2.3.4 }\nfoo = 1\n",
	    3, "no such option 'foo'");
	expect_error("roles = { etr }\ndatabase-mapping 10.0.0.0/8 {\n"
	    "  rloc 1.1.1.1 { priority = x }\n}\n", 3, "priority");
}

static void
t_values(void **state)
{
	(void)state;
	expect_error("roles = { itr, bogus }\nmap-resolver = { 1.2.3.4 }\n",
	    1, "unknown role \"bogus\"");
	expect_error("roles = { itr }\nmap-resolver = { 1.2.3 }\n", 2,
	    "map-resolver \"1.2.3\": not an IPv4 or IPv6 address");
	expect_error("roles = { etr }\nmap-server 1.1.1.1 { key = k }\n"
	    "database-mapping \"10.0.0.1/8\" {\n  rloc 1.1.1.1 {}\n}\n", 5,
	    "bits set past the prefix length");
	expect_error("roles = { etr }\nmap-server 1.1.1.1 { key = k }\n"
	    "database-mapping \"10.0.0.0/33\" { rloc 1.1.1.1 {} }\n", 3,
	    "bad prefix length");
	expect_error("roles = { etr }\nmap-server 1.1.1.1 { key = k }\n"
	    "database-mapping 10.0.0.0/8 {\n  rloc 1.1.1.1 { weight = 101 }\n}\n",
	    4, "weight 101 out of range");
	expect_error("roles = { etr }\nmap-server 1.1.1.1 { key = k }\n"
	    "database-mapping 10.0.0.0/8 {\n  rloc foo {}\n}\n",
	    4, "rloc \"foo\": not an IPv4");
	expect_error("roles = { etr }\nmap-server 1.1.1.1 { key = k }\n"
	    "database-mapping 10.0.0.0/8 {\n}\n", 4, "no rloc");
	expect_error("roles = { etr }\n"
	    "map-server 1.1.1.1 {\n key = k\n algorithm = md5\n}\n"
	    "database-mapping 10.0.0.0/8 { rloc 1.1.1.1 {} }\n",
	    5, "unknown algorithm \"md5\"");
	expect_error("roles = { etr }\nmap-server 1.1.1.1 {\n}\n"
	    "database-mapping 10.0.0.0/8 { rloc 1.1.1.1 {} }\n", 3, "no key");
	expect_error("roles = { etr }\nmap-server 1.1.1.1 { key = k }\n"
	    "database-mapping 10.0.0.0/8 { rloc 1.1.1.1 {} }\n"
	    "database-mapping 10.1.0.0/16 { rloc 1.1.1.1 {} }\n", 4,
	    "overlaps \"10.0.0.0/8\"");
}

static void
t_roles(void **state)
{
	(void)state;
	expect_error("roles = { etr }\nmap-server 1.1.1.1 { key = k }\n", 0,
	    "role etr needs a database-mapping");
	expect_error("roles = { itr }\n", 0, "role itr/pitr needs a map-resolver");
	expect_error("roles = { map-server }\n", 0,
	    "role map-server needs a site");
	expect_error("roles = { map-resolver }\nsite a { key = k eid-prefix 10.0.0.0/8 {} }\n",
	    0, "site given but role map-server is not");
	expect_error("roles = { map-server }\nsite a {\n eid-prefix 10.0.0.0/8 {}\n}\n",
	    4, "site \"a\": no key");
	expect_error("roles = { map-server }\n"
	    "site a { key = k eid-prefix 10.0.0.0/8 {} }\n"
	    "site b { key = k eid-prefix 10.1.0.0/16 {} }\n", 3,
	    "overlaps one of site \"a\"");
	expect_error("", 0, "no roles");
}

static void
t_nofile(void **state)
{
	(void)state;
	assert_null(conf_load("/nonexistent/lispd.conf"));
	assert_non_null(strstr(conf_errors(), "/nonexistent/lispd.conf"));
}

/* One Map-Register carries the whole database: 32 records at most. */
static void
t_too_many_dbmaps(void **state)
{
	char	text[8192];
	size_t	n;
	int	i;

	(void)state;
	n = (size_t)snprintf(text, sizeof(text),
	    "roles = { etr }\nmap-server 1.1.1.1 { key = k }\n");
	for (i = 0; i <= LISP_MAX_RECORDS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "database-mapping 10.%d.0.0/16 { rloc 1.1.1.1 {} }\n", i);
	expect_error(text, 0, "33 database-mappings: at most 32");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_full),
		cmocka_unit_test(t_ms),
		cmocka_unit_test(t_syntax),
		cmocka_unit_test(t_values),
		cmocka_unit_test(t_too_many_dbmaps),
		cmocka_unit_test(t_roles),
		cmocka_unit_test(t_nofile),
	};

	log_init(true, 0);
	return TAP_RUN("config", tests);
}
