// SPDX-License-Identifier: GPL-2.0
/* Unit tests of how lispctl parses addresses (lispd/genl/addr.c), and util.c. */
#include <string.h>
#include <arpa/inet.h>

#include "lispctl.h"
#include "tap.h"

struct lc_opts lc_opts;

static int prefix_ok(const char *in, const char *want, bool host)
{
	struct prefix p;
	char buf[PREFIXSTRLEN];
	const char *why;

	if (lc_prefix_parse(in, &p, &why))
		return 0;
	return !strcmp(lc_prefix_fmt(&p, buf, sizeof(buf)), want) &&
	       !strchr(in, '/') == host;
}

static const char *prefix_why(const char *in)
{
	struct prefix p;
	const char *why = NULL;

	return lc_prefix_parse(in, &p, &why) ? why : NULL;
}

int main(void)
{
	struct laddr a;
	uint32_t v;
	char buf[64];

	tap_start();
	ok(prefix_ok("10.1.0.0/16", "10.1.0.0/16", false), "IPv4 prefix");
	ok(prefix_ok("10.1.2.3", "10.1.2.3/32", true), "bare IPv4 is a /32 host route");
	ok(prefix_ok("2001:db8::/32", "2001:db8::/32", false), "IPv6 prefix");
	ok(prefix_ok("2001:db8::1", "2001:db8::1/128", true), "bare IPv6 is a /128");
	ok(prefix_ok("0.0.0.0/0", "0.0.0.0/0", false), "IPv4 default");
	ok(prefix_ok("::/0", "::/0", false), "IPv6 default");
	ok(prefix_ok("10.1.2.128/25", "10.1.2.128/25", false), "prefix not on a byte boundary");
	ok(prefix_why("10.1.2.3/16") &&
	   strstr(prefix_why("10.1.2.3/16"), "bits set"), "host bits beyond plen refused");
	ok(prefix_why("2001:db8::1/64") != NULL, "IPv6 host bits refused");
	ok(prefix_why("10.0.0.0/33") && strstr(prefix_why("10.0.0.0/33"), "0..32"),
	   "IPv4 plen 33 refused");
	ok(prefix_why("::/129") && strstr(prefix_why("::/129"), "0..128"),
	   "IPv6 plen 129 refused");
	ok(prefix_why("10.0.0.0/") != NULL, "empty plen refused");
	ok(prefix_why("10.0.0.0/0x8") != NULL, "hex plen refused");
	ok(prefix_why("10.0.0.0/-1") != NULL, "negative plen refused");
	ok(prefix_why("10.0.0/8") != NULL, "short dotted quad refused");
	ok(prefix_why("lisp0") != NULL, "a name is not a prefix");
	ok(prefix_why("") != NULL, "empty string refused");
	ok(prefix_why("1.2.3.4.5") != NULL, "five octets refused");
	ok(prefix_why("2001:db8::g") != NULL, "bad IPv6 refused");

	ok(addr_parse("192.0.2.1", &a) == 0 && a.family == AF_INET &&
	   !memcmp(a.a, "\xc0\x00\x02\x01", 4), "IPv4 address");
	ok(addr_parse("::ffff:192.0.2.1", &a) == 0 && a.family == AF_INET6,
	   "v4-mapped IPv6 address stays IPv6");
	ok(!strcmp(addr_fmt(&a, buf, sizeof(buf)), "::ffff:192.0.2.1"),
	   "v4-mapped printed back");

	ok(lc_parse_u32("255", 255, &v) == 0 && v == 255, "u32 at max");
	ok(lc_parse_u32("256", 255, &v) < 0, "u32 above max");
	ok(lc_parse_u32("0x10", 255, &v) == 0 && v == 16, "hex number");
	ok(lc_parse_u32("010", 255, &v) == 0 && v == 10, "leading zero is decimal");
	ok(lc_parse_u32("-1", 255, &v) < 0, "negative refused");
	ok(lc_parse_u32("1x", 255, &v) < 0, "trailing junk refused");
	ok(lc_parse_u32("", 255, &v) < 0, "empty refused");
	ok(lc_parse_u32("4294967295", UINT32_MAX, &v) == 0 && v == UINT32_MAX,
	   "u32 max");
	ok(lc_parse_u32("4294967296", UINT32_MAX, &v) < 0, "u32 overflow");

	lc_fmt_ms(buf, sizeof(buf), 3100);
	ok(!strcmp(buf, "3.1s"), "idle 3100 ms is 3.1s (%s)", buf);
	lc_fmt_ms(buf, sizeof(buf), 42);
	ok(!strcmp(buf, "0.0s"), "idle 42 ms is 0.0s (%s)", buf);
	return tap_end();
}
