// SPDX-License-Identifier: GPL-2.0
/*
 * lispd.conf as lispd reads it: lispd's own loader (lispd/config.c), so
 * that lookup's map-resolver and show's control-socket are what the
 * daemon of that file uses, and a file lispd refuses is refused here with
 * the same "file:line: why" lines.
 */
#include "conf.h"
#include "log.h"
#include "lispctl.h"

const char *lc_conf_file(void)
{
	return lc_opts.conf ? lc_opts.conf : LISPD_CONF;
}

struct lispd_conf *lc_conf_load(void)
{
	/* The loader reports through lispd's log.c: to stderr, once, and
	 * never to syslog, whatever it was set to before. */
	log_init(true, 0);
	return conf_load(lc_conf_file());
}
