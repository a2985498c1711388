/* SPDX-License-Identifier: MIT */
/*
 * The NAT-traversal lines of lispd.conf(5):
 *
 *	rtr-address = { 203.0.113.9 }	# a Map-Server's RTRs, sent in
 *					# its Info-Replies
 *	info-request-interval = 20	# an xTR's, s (nat-traversal: in
 *					# the tenant sections, config.c);
 *					# an RTR's bindings age after 3
 *	rtr-max-xtrs = 1024		# an RTR's bindings, at most
 */
#include <stdlib.h>

#include "conf.h"
#include "ddt_conf.h"
#include "nat_conf.h"

static int
valid_rtrs(cfg_t *cfg, cfg_opt_t *opt)
{
	if (cfg_opt_size(opt) > LISP_MAX_RTR) {
		cfg_error(cfg, "%s: more than %d addresses", cfg_opt_name(opt),
		    LISP_MAX_RTR);
		return -1;
	}
	return conf_validate_addrs(cfg, opt);
}

static int
valid_range(cfg_t *cfg, cfg_opt_t *opt, long max, const char *unit)
{
	long	v = cfg_opt_getnint(opt, 0);

	if (v < 1 || v > max) {
		cfg_error(cfg, "%s: %ld%s is not 1 to %ld", cfg_opt_name(opt),
		    v, unit, max);
		return -1;
	}
	return 0;
}

static int
valid_interval(cfg_t *cfg, cfg_opt_t *opt)
{
	return valid_range(cfg, opt, 3600, " s");
}

static int
valid_max_xtrs(cfg_t *cfg, cfg_opt_t *opt)
{
	return valid_range(cfg, opt, 65536, "");
}

void
nat_conf_init(cfg_t *cfg)
{
	cfg_set_validate_func(cfg, "rtr-address", valid_rtrs);
	cfg_set_validate_func(cfg, "info-request-interval", valid_interval);
	cfg_set_validate_func(cfg, "rtr-max-xtrs", valid_max_xtrs);
}

int
nat_conf_get(cfg_t *cfg, struct lispd_conf *c)
{
	unsigned int	i, n = cfg_size(cfg, "rtr-address");

	c->info_interval = (unsigned int)cfg_getint(cfg,
	    "info-request-interval");
	c->rtr_max_xtrs = (unsigned int)cfg_getint(cfg, "rtr-max-xtrs");
	if ((c->rtr = calloc(n + 1, sizeof(*c->rtr))) == NULL)
		return -1;
	/* The validator has named the ones that do not parse. */
	for (i = 0; i < n && i < LISP_MAX_RTR; i++)
		if (addr_parse(cfg_getnstr(cfg, "rtr-address", i),
		    &c->rtr[c->nrtr++]))
			return -1;
	if (n && !(c->roles & ROLE_MS)) {
		cfg->line = 0;
		cfg_error(cfg, "rtr-address given but role map-server is not");
		return -1;
	}
	return 0;
}

void
nat_conf_free(struct lispd_conf *c)
{
	free(c->rtr);
}
