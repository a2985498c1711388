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
	"database-mapping \"[7]10.1.0.0/24\" {\n"
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
	const struct tenant_conf *t;
	char			 s[PREFIXSTRLEN];

	(void)state;
	if (!c)
		fail_msg("%s", conf_errors());
	assert_int_equal(c->roles, ROLE_ITR | ROLE_ETR);
	assert_string_equal(c->control, "/tmp/x.sock");
	/* No section: one tenant, of its prefixes' instance-id. */
	assert_int_equal(c->ntenant, 1);
	t = &c->tenant[0];
	assert_string_equal(t->iface, "lisp7");
	assert_true(t->iid_given);
	assert_int_equal(t->iid, 7);
	assert_int_equal(t->ndb, 2);
	assert_string_equal(prefix_fmt(&t->db[0].eid, s, sizeof(s)),
	    "[7]10.1.0.0/24");
	assert_int_equal(t->db[0].nrloc, 2);
	assert_int_equal(t->db[0].rloc[0].weight, 60);
	assert_int_equal(t->db[0].rloc[1].addr.family, AF_INET6);
	assert_int_equal(t->db[0].rloc[1].priority, 2);
	assert_string_equal(prefix_fmt(&t->db[1].eid, s, sizeof(s)),
	    "[7]2001:db8:1::/48");
	assert_int_equal(t->db[1].rloc[0].priority, 1);
	assert_int_equal(t->db[1].rloc[0].weight, 100);
	assert_int_equal(t->nms, 1);
	assert_string_equal(t->ms[0].key, "s3cret");
	assert_int_equal(t->ms[0].key_id, 3);
	assert_int_equal(t->ms[0].alg, LISP_ALG_SHA1_96);
	assert_true(t->ms[0].proxy_reply);
	assert_int_equal(t->nmr, 2);
	assert_int_equal(t->npetr, 1);
	assert_int_equal(t->petr[0].priority, 5);
	unload(c);
}

/* No prefix, no section: the device's instance-id, learned at start. */
static void
t_single_default(void **state)
{
	struct lispd_conf *c = load("roles = { itr }\n"
	    "map-resolver = { 192.0.2.10 }\n");

	(void)state;
	if (!c)
		fail_msg("%s", conf_errors());
	assert_int_equal(c->ntenant, 1);
	assert_string_equal(c->tenant[0].iface, "lisp0");
	assert_false(c->tenant[0].iid_given);
	unload(c);
}

static const char two[] =
	"roles = { itr, etr }\n"
	"map-server 192.0.2.10 { key = shared }\n"
	"map-resolver = { 192.0.2.10 }\n"
	"instance-id 100 {\n"
	"    interface = lisp100\n"
	"    database-mapping 10.1.0.0/24 { rloc 192.0.2.1 {} }\n"
	"}\n"
	"instance-id 200 {\n"
	"    interface = lisp200\n"
	"    database-mapping \"[200]10.1.0.0/24\" { rloc 192.0.2.1 {} }\n"
	"    map-server 192.0.2.20 { key = own }\n"
	"    map-resolver = { 192.0.2.20, 192.0.2.21 }\n"
	"    dynamic-eid vms { eid-prefix = 10.1.9.0/24 rloc 192.0.2.1 {}\n"
	"        interfaces = { eth1 } }\n"
	"}\n";

/*
 * Sections: the same prefix in two tenants, each in its instance-id;
 * the top's map-server and map-resolver for a section without its own.
 */
static void
t_sections(void **state)
{
	struct lispd_conf	*c = load(two);
	const struct tenant_conf *a, *b;
	char			 s[PREFIXSTRLEN];

	(void)state;
	if (!c)
		fail_msg("%s", conf_errors());
	assert_int_equal(c->ntenant, 2);
	a = conf_tenant(c, 100);
	b = conf_tenant(c, 200);
	assert_non_null(a);
	assert_non_null(b);
	assert_null(conf_tenant(c, 0));
	assert_string_equal(a->iface, "lisp100");
	assert_string_equal(prefix_fmt(&a->db[0].eid, s, sizeof(s)),
	    "[100]10.1.0.0/24");
	assert_string_equal(prefix_fmt(&b->db[0].eid, s, sizeof(s)),
	    "[200]10.1.0.0/24");
	assert_int_equal(a->nms, 1);
	assert_string_equal(a->ms[0].key, "shared");
	assert_int_equal(a->nmr, 1);
	assert_int_equal(b->nms, 1);
	assert_string_equal(b->ms[0].key, "own");
	assert_int_equal(b->nmr, 2);
	assert_int_equal(b->ndyn, 1);
	assert_string_equal(prefix_fmt(&b->dyn[0].eid, s, sizeof(s)),
	    "[200]10.1.9.0/24");
	unload(c);
}

static void
t_section_errors(void **state)
{
	(void)state;
	expect_error("roles = { itr }\nmap-resolver = { 1.2.3.4 }\n"
	    "instance-id x {\n interface = lisp1\n}\n", 5,
	    "instance-id \"x\": not a number");
	expect_error("roles = { itr }\nmap-resolver = { 1.2.3.4 }\n"
	    "instance-id 16777216 {\n interface = lisp1\n}\n", 5,
	    "not a number in 0..16777215");
	expect_error("roles = { itr }\nmap-resolver = { 1.2.3.4 }\n"
	    "instance-id 7 {\n}\n", 0,
	    "instance-id 7: role itr/pitr/etr needs interface");
	expect_error("roles = { itr }\n"
	    "instance-id 7 {\n interface = lisp7\n}\n", 0,
	    "instance-id 7: role itr/pitr needs a map-resolver");
	expect_error("roles = { itr }\nmap-resolver = { 1.2.3.4 }\n"
	    "instance-id 7 { interface = a }\n"
	    "instance-id 8 { interface = a }\n", 0,
	    "instance-ids 7 and 8: both on interface a");
	expect_error("roles = { etr }\nmap-server 1.1.1.1 { key = k }\n"
	    "instance-id 7 {\n interface = lisp7\n"
	    " database-mapping \"[8]10.0.0.0/8\" {\n  rloc 1.1.1.1 {}\n }\n}\n",
	    7, "instance-id 8 in the section of instance-id 7");
	expect_error("roles = { etr }\nmap-server 1.1.1.1 { key = k }\n"
	    "database-mapping 10.0.0.0/8 { rloc 1.1.1.1 {} }\n"
	    "instance-id 7 { interface = lisp7 }\n", 0,
	    "database-mapping at the top and instance-id sections");
	expect_error("roles = { etr }\nmap-server 1.1.1.1 { key = k }\n"
	    "database-mapping 10.0.0.0/8 { rloc 1.1.1.1 {} }\n"
	    "database-mapping \"[3]10.0.0.0/8\" { rloc 1.1.1.1 {} }\n", 0,
	    "write one instance-id N { interface = ... } section per tenant");
	expect_error("roles = { etr }\nmap-server 1.1.1.1 { key = k }\n"
	    "instance-id 7 { interface = lisp7\n"
	    " dynamic-eid d { eid-prefix = 10.1.0.0/24 rloc 1.1.1.1 {}\n"
	    "   interfaces = { e } } }\n"
	    "instance-id 8 { interface = lisp8\n"
	    " dynamic-eid d { eid-prefix = 10.1.0.0/24 rloc 1.1.1.1 {}\n"
	    "   interfaces = { e } } }\n", 0,
	    "dynamic-eid \"d\" given in instance-ids 7 and 8");
	expect_error("roles = { itr }\nmap-resolver = { 1.2.3.4 }\n"
	    "instance-id 7 {\n interface = lisp7\n netns = \"../x\"\n}\n", 6,
	    "netns \"../x\": not a namespace name");
	expect_error("roles = { etr }\nmap-server 1.1.1.1 { key = k }\n"
	    "instance-id 7 {\n interface = lisp7\n netns = t7\n"
	    " dynamic-eid d { eid-prefix = 10.1.0.0/24 rloc 1.1.1.1 {}\n"
	    "   interfaces = { e } }\n}\n", 8,
	    "dynamic-eid in a tenant whose device is in netns t7");
}

/* The same device name in two namespaces: two tenants. */
static void
t_netns(void **state)
{
	struct lispd_conf *c = load("roles = { itr }\n"
	    "map-resolver = { 1.2.3.4 }\n"
	    "instance-id 7 { interface = lisp0 netns = tenant-7 }\n"
	    "instance-id 8 { interface = lisp0 netns = tenant-8 }\n"
	    "instance-id 9 { interface = lisp0 }\n");

	(void)state;
	if (!c)
		fail_msg("%s", conf_errors());
	assert_string_equal(conf_tenant(c, 7)->netns, "tenant-7");
	assert_string_equal(conf_tenant(c, 8)->netns, "tenant-8");
	assert_string_equal(conf_tenant(c, 9)->netns, "");
	unload(c);
}

/* Sites in a section are in its instance-id: the same prefix twice. */
static void
t_section_sites(void **state)
{
	struct lispd_conf *c = load(
	    "roles = { map-server, map-resolver }\n"
	    "instance-id 1 { site a { key = k1 eid-prefix 10.1.0.0/16 {} } }\n"
	    "instance-id 2 { site b { key = k2 eid-prefix 10.1.0.0/16 {} } }\n");
	char s[PREFIXSTRLEN];

	(void)state;
	if (!c)
		fail_msg("%s", conf_errors());
	assert_int_equal(c->nsite, 2);
	assert_string_equal(prefix_fmt(&c->site[0].eid[0].eid, s, sizeof(s)),
	    "[1]10.1.0.0/16");
	assert_string_equal(prefix_fmt(&c->site[1].eid[0].eid, s, sizeof(s)),
	    "[2]10.1.0.0/16");
	unload(c);
}

/* A thousand tenants parse, each its own. */
static void
t_many(void **state)
{
	size_t	 len = 1 << 20, n;
	char	*text = malloc(len);
	struct lispd_conf *c;
	int	 i;

	(void)state;
	assert_non_null(text);
	n = (size_t)snprintf(text, len, "roles = { itr, etr }\n"
	    "map-server 192.0.2.10 { key = k }\nmap-resolver = { 192.0.2.10 }\n");
	for (i = 1; i <= 1000; i++)
		n += (size_t)snprintf(text + n, len - n,
		    "instance-id %d { interface = l%d\n"
		    " database-mapping 10.0.0.0/24 { rloc 192.0.2.1 {} } }\n",
		    i, i);
	c = load(text);
	free(text);
	if (!c)
		fail_msg("%s", conf_errors());
	assert_int_equal(c->ntenant, 1000);
	assert_int_equal(c->tenant[999].iid, 1000);
	assert_int_equal(c->tenant[999].db[0].eid.iid, 1000);
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

/* subscribe: per tenant, inherited from the top; xtr-id: 32 hex digits. */
static void
t_subscribe(void **state)
{
	static const char text[] =
		"roles = { itr, etr }\n"
		"subscribe = yes\n"
		"xtr-id = 0x00112233445566778899aabbccddeeff\n"
		"map-resolver = { 192.0.2.9 }\n"
		"map-server 192.0.2.9 { key = k }\n"
		"instance-id 1 {\n interface = l1\n"
		"  database-mapping \"[1]10.1.0.0/24\" { rloc 192.0.2.1 {} }\n}\n"
		"instance-id 2 {\n interface = l2\n subscribe = no\n"
		"  database-mapping \"[2]10.1.0.0/24\" { rloc 192.0.2.1 {} }\n}\n";
	struct lispd_conf	*c;

	(void)state;
	c = load(text);
	assert_non_null(c);
	assert_true(c->subscribe);
	assert_true(conf_tenant(c, 1)->subscribe);
	assert_false(conf_tenant(c, 2)->subscribe);
	assert_true(c->xtr_id_given);
	assert_int_equal(c->xtr_id[0], 0x00);
	assert_int_equal(c->xtr_id[15], 0xff);
	unload(c);
	expect_error("roles = { itr }\nmap-resolver = { 1.2.3.4 }\n"
	    "subscribe = yes\n", 0,
	    "subscribe needs roles itr and etr and a map-server");
	expect_error("roles = { itr }\nmap-resolver = { 1.2.3.4 }\n"
	    "xtr-id = 0x0011\n", 0, "xtr-id \"0x0011\": not 32 hexadecimal");
	expect_error("roles = { itr }\nmap-resolver = { 1.2.3.4 }\n"
	    "xtr-id = 00112233445566778899aabbccddeeffgg\n", 0,
	    "not 32 hexadecimal digits");
	expect_error("roles = { itr }\nmap-resolver = { 1.2.3.4 }\n"
	    "xtr-id = 00112233445566778899aabbccddeeff0\n", 0,
	    "not 32 hexadecimal digits");
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

/* DDT (RFC 8111): a node's authority and delegations, a resolver's roots. */
static void
t_ddt(void **state)
{
	struct lispd_conf	*c;
	char			 s[PREFIXSTRLEN], a[ADDRSTRLEN];

	(void)state;
	c = load("roles = { ddt-node }\n"
	    "ddt-authoritative-prefix = { \"10.0.0.0/8\", \"[7]10.0.0.0/8\" }\n"
	    "ddt-delegation \"10.1.0.0/16\" {\n"
	    "  delegation-type = map-server\n"
	    "  deleg-nodes = { 192.0.2.1, 2001:db8::1 }\n"
	    "}\n"
	    "ddt-delegation \"[7]10.0.0.0/9\" { deleg-nodes = { 192.0.2.2 } }\n");
	assert_non_null(c);
	assert_int_equal(c->roles, ROLE_DDT);
	assert_int_equal(c->nddt_auth, 2);
	assert_string_equal(prefix_fmt(&c->ddt_auth[1], s, sizeof(s)),
	    "[7]10.0.0.0/8");
	assert_int_equal(c->nddt_deleg, 2);
	assert_true(c->ddt_deleg[0].ms);
	assert_int_equal(c->ddt_deleg[0].nnode, 2);
	assert_string_equal(addr_fmt(&c->ddt_deleg[0].node[1], a, sizeof(a)),
	    "2001:db8::1");
	assert_false(c->ddt_deleg[1].ms);
	assert_int_equal(c->ddt_deleg[1].eid.iid, 7);
	unload(c);

	c = load("roles = { map-resolver }\n"
	    "ddt-root-addresses = { 192.0.2.100, 192.0.2.101 }\n");
	assert_non_null(c);
	assert_int_equal(c->nddt_root, 2);
	assert_int_equal(c->ddt_cache_size, 65536);
	unload(c);
	c = load("roles = { map-resolver }\n"
	    "ddt-root-addresses = { 192.0.2.100 }\n"
	    "ddt-referral-cache-size = 0\n");
	assert_non_null(c);
	assert_int_equal(c->ddt_cache_size, 0);
	unload(c);
	expect_error("roles = { map-resolver }\n"
	    "ddt-root-addresses = { 192.0.2.100 }\n"
	    "ddt-referral-cache-size = -1\n", 0,
	    "ddt-referral-cache-size -1: not in 0..1000000");

	expect_error("roles = { ddt-node }\n", 0,
	    "role ddt-node needs a ddt-authoritative-prefix or a ddt-delegation");
	expect_error("roles = { ddt-node }\n"
	    "ddt-authoritative-prefix = { \"10.0.0.0/33\" }\n", 2,
	    "ddt-authoritative-prefix \"10.0.0.0/33\"");
	expect_error("roles = { ddt-node }\n"
	    "ddt-delegation \"10.1.0.0/16\" {\n"
	    "  delegation-type = ms\n"
	    "  deleg-nodes = { 192.0.2.1 }\n"
	    "}\n", 5, "delegation-type \"ms\" (child-ddt-node, map-server)");
	expect_error("roles = { ddt-node }\n"
	    "ddt-delegation \"10.1.0.0/16\" {\n"
	    "}\n", 3, "ddt-delegation \"10.1.0.0/16\": no deleg-nodes");
	expect_error("roles = { ddt-node }\n"
	    "ddt-delegation \"10.1.0.0/16\" {\n"
	    "  deleg-nodes = { 192.0.2.300 }\n"
	    "}\n", 3, "deleg-nodes \"192.0.2.300\": not an IPv4 or IPv6 address");
	expect_error("roles = { itr }\n"
	    "ddt-authoritative-prefix = { \"10.0.0.0/8\" }\n", 0,
	    "neither role ddt-node nor map-server is");
	expect_error("roles = { ddt-node }\n"
	    "ddt-authoritative-prefix = { \"10.0.0.0/8\" }\n"
	    "ddt-root-addresses = { 192.0.2.1 }\n", 0,
	    "ddt-root-addresses given but role map-resolver is not");
	expect_error("roles = { map-resolver }\n", 0,
	    "role map-resolver needs role map-server in the same lispd, or ddt-root-addresses");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_full),
		cmocka_unit_test(t_single_default),
		cmocka_unit_test(t_sections),
		cmocka_unit_test(t_section_errors),
		cmocka_unit_test(t_section_sites),
		cmocka_unit_test(t_netns),
		cmocka_unit_test(t_many),
		cmocka_unit_test(t_ms),
		cmocka_unit_test(t_syntax),
		cmocka_unit_test(t_values),
		cmocka_unit_test(t_too_many_dbmaps),
		cmocka_unit_test(t_roles),
		cmocka_unit_test(t_subscribe),
		cmocka_unit_test(t_nofile),
		cmocka_unit_test(t_ddt),
	};

	log_init(true, 0);
	return TAP_RUN("config", tests);
}
