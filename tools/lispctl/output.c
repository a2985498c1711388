// SPDX-License-Identifier: GPL-2.0
/* Output helpers: JSON arrays for show commands, names, durations. */
#include <inttypes.h>
#include <string.h>
#include <net/if.h>

#include "lispctl.h"

void lc_json_print(FILE *f, json_object *obj)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	flags |= lc_opts.pretty ? JSON_C_TO_STRING_PRETTY |
		 JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN;
	fputs(json_object_to_json_string_ext(obj, flags), f);
	fputc('\n', f);
}

/* An event of monitor: JSON lines, one object a line even with -p. */
void lc_json_line(json_object *obj)
{
	fputs(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
					     JSON_C_TO_STRING_NOSLASHESCAPE),
	      stdout);
	fputc('\n', stdout);
	json_object_put(obj);
}

/* With -j a show command prints one JSON array, even when empty. */
void lc_out_begin(struct lc_out *o)
{
	o->count = 0;
	o->array = lc_opts.json ? json_object_new_array() : NULL;
}

void lc_out_add(struct lc_out *o, json_object *obj)
{
	json_object_array_add(o->array, obj);
}

void lc_out_end(struct lc_out *o)
{
	if (o->array) {
		lc_json_print(stdout, o->array);
		json_object_put(o->array);
		o->array = NULL;
	}
	fflush(stdout);
}

/*
 * Interface name of ifindex into buf (IFNAMSIZ + 16 bytes). A dump of a
 * million entries names the same device each time: remember the last.
 */
const char *lc_ifname(uint32_t ifindex, char *buf)
{
	static uint32_t last_index;
	static char last_name[IFNAMSIZ];

	if (ifindex && ifindex == last_index) {
		strcpy(buf, last_name);
		return buf;
	}
	if (ifindex && if_indextoname(ifindex, last_name)) {
		last_index = ifindex;
		strcpy(buf, last_name);
		return buf;
	}
	sprintf(buf, "if%" PRIu32, ifindex);
	return buf;
}

/* 3100 -> "3.1s", 500 -> "0.5s", 7260000 -> "7260s" */
void lc_fmt_ms(char *buf, size_t len, uint64_t ms)
{
	if (ms >= 1000 * 1000)
		snprintf(buf, len, "%" PRIu64 "s", ms / 1000);
	else
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "s", ms / 1000,
			 (ms % 1000) / 100);
}

const char *lc_prefix_fmt(const struct prefix *p, char *buf, size_t len)
{
	struct prefix q = *p;

	q.iid = 0;
	return prefix_fmt(&q, buf, len);
}
