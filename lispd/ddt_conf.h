/* SPDX-License-Identifier: MIT */
/* ddt_conf.c: the DDT lines of lispd.conf(5) (RFC 8111 roles). */
#ifndef LISPD_DDT_CONF_H
#define LISPD_DDT_CONF_H

#include <confuse.h>

struct lispd_conf;

extern cfg_opt_t	ddt_deleg_opts[];

/* config.c's top_opts take these. */
#define DDT_CFG_OPTS \
	CFG_STR_LIST("ddt-authoritative-prefix", NULL, CFGF_NODEFAULT), \
	CFG_SEC("ddt-delegation", ddt_deleg_opts, \
	    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES), \
	CFG_STR_LIST("ddt-root-addresses", NULL, CFGF_NODEFAULT), \
	CFG_INT("ddt-referral-cache-size", DDT_CACHE_SIZE, CFGF_NONE)

#define DDT_CACHE_SIZE		65536	/* default referral cache entries */
#define DDT_CACHE_SIZE_MAX	1000000

/* Before cfg_parse(): check each list while its line is known. */
void	ddt_conf_init(cfg_t *);
/* After the roles are read: fill c's ddt_* and check them. */
int	ddt_conf_get(cfg_t *, struct lispd_conf *c);
void	ddt_conf_free(struct lispd_conf *c);
/* config.c's: each address of a list parses, or cfg_error() says which. */
int	conf_validate_addrs(cfg_t *, cfg_opt_t *);

#endif /* LISPD_DDT_CONF_H */
