// SPDX-License-Identifier: GPL-2.0
/* Diagnostics and number parsing shared by every command. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lispctl.h"

int lc_lineno;

static void vreport(const char *fmt, va_list ap)
{
	fputs("lispctl: ", stderr);
	if (lc_lineno)
		fprintf(stderr, "line %d: ", lc_lineno);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void lc_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

/* Print a command-line error and return the usage exit code. */
int lc_usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	return LC_USAGE;
}

/* Decimal or 0x-hex unsigned number no larger than max. */
int lc_parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	/* decimal, or hex with 0x; never octal: "010" is ten */
	v = strtoull(s, &end,
		     s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10);
	if (errno || *end || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* word is an abbreviation of cmd at least minlen characters long. */
bool lc_matches(const char *word, const char *cmd, size_t minlen)
{
	size_t n = strlen(word);

	if (n < minlen || n > strlen(cmd))
		return false;
	return strncmp(word, cmd, n) == 0;
}

const char *lc_errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

int lc_prefix_parse(const char *s, struct prefix *p, const char **why)
{
	if (s[0] == '[') {
		*why = "no [IID] here, the device has the instance-id";
		return -1;
	}
	return prefix_parse(s, p, why);
}
