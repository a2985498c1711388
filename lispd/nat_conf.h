/* SPDX-License-Identifier: MIT */
/* nat_conf.c: the NAT-traversal lines of lispd.conf(5). */
#ifndef LISPD_NAT_CONF_H
#define LISPD_NAT_CONF_H

#include <confuse.h>

struct lispd_conf;

/* config.c's top_opts take these. */
#define NAT_CFG_OPTS \
	CFG_STR_LIST("rtr-address", NULL, CFGF_NODEFAULT), \
	CFG_INT("info-request-interval", NAT_INFO_INTERVAL, CFGF_NONE), \
	CFG_INT("rtr-max-xtrs", RTR_MAX_XTRS, CFGF_NONE)

/*
 * s between an xTR's Info-Requests: well under the 30 s after which
 * many NATs drop an idle UDP binding.
 */
#define NAT_INFO_INTERVAL	20
/* An RTR's xTR bindings, at most: each holds kernel map-cache entries. */
#define RTR_MAX_XTRS		1024

/* Before cfg_parse(): check each list while its line is known. */
void	nat_conf_init(cfg_t *);
/* After the roles are read: fill c's rtr list and check it. */
int	nat_conf_get(cfg_t *, struct lispd_conf *c);
void	nat_conf_free(struct lispd_conf *c);

#endif /* LISPD_NAT_CONF_H */
