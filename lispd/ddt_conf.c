/* SPDX-License-Identifier: MIT */
/*
 * The DDT lines of lispd.conf(5), named as Open Overlay Router names
 * them (ddt-deleg-site, delegation-type, deleg-nodes, ddt-root-addresses)
 * and as Cisco's "ddt authoritative" does:
 *
 *	ddt-authoritative-prefix = { "10.0.0.0/8", "[7]10.0.0.0/8" }
 *	ddt-delegation "10.1.0.0/16" {
 *		delegation-type = map-server	# or child-ddt-node
 *		deleg-nodes = { 192.0.2.1, 192.0.2.2 }
 *	}
 *	ddt-root-addresses = { 192.0.2.100 }	# a DDT Map-Resolver's
 *	ddt-referral-cache-size = 65536		# and its cache (0: none)
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "conf.h"
#include "ddt_conf.h"

cfg_opt_t ddt_deleg_opts[] = {
	CFG_STR("delegation-type", "child-ddt-node", CFGF_NONE),
	CFG_STR_LIST("deleg-nodes", NULL, CFGF_NODEFAULT),
	CFG_END()
};

static int
valid_prefixes(cfg_t *cfg, cfg_opt_t *opt)
{
	struct prefix	p;
	const char	*why;
	unsigned int	i;
	int		err = 0;

	for (i = 0; i < cfg_opt_size(opt); i++)
		if (prefix_parse(cfg_opt_getnstr(opt, i), &p, &why)) {
			cfg_error(cfg, "%s \"%s\": %s", cfg_opt_name(opt),
			    cfg_opt_getnstr(opt, i), why);
			err = -1;
		}
	return err;
}

static int
valid_addrs(cfg_t *cfg, cfg_opt_t *opt)
{
	if (cfg_opt_size(opt) > LISP_MAX_RLOCS) {
		cfg_error(cfg, "%s: more than %d addresses", cfg_opt_name(opt),
		    LISP_MAX_RLOCS);
		return -1;
	}
	return conf_validate_addrs(cfg, opt);
}

void
ddt_conf_init(cfg_t *cfg)
{
	cfg_set_validate_func(cfg, "ddt-authoritative-prefix",
	    valid_prefixes);
	cfg_set_validate_func(cfg, "ddt-root-addresses", valid_addrs);
	cfg_set_validate_func(cfg, "ddt-delegation|deleg-nodes", valid_addrs);
}

/* Lists were checked by the validators: here they only convert. */
static int
get_addrs(cfg_t *sec, const char *opt, struct laddr *out, int *n)
{
	unsigned int	i;

	for (i = 0; i < cfg_size(sec, opt) && i < LISP_MAX_RLOCS; i++)
		if (addr_parse(cfg_getnstr(sec, opt, i), &out[(*n)++]))
			return -1;
	return 0;
}

static int
get_deleg(cfg_t *sec, struct lispd_conf *c, struct ddt_deleg *d)
{
	const char	*type = cfg_getstr(sec, "delegation-type");
	const char	*why;
	int		 i;

	if (prefix_parse(cfg_title(sec), &d->eid, &why)) {
		cfg_error(sec, "ddt-delegation \"%s\": %s", cfg_title(sec), why);
		return -1;
	}
	if (!strcmp(type, "map-server"))
		d->ms = true;
	else if (strcmp(type, "child-ddt-node")) {
		cfg_error(sec, "ddt-delegation \"%s\": delegation-type \"%s\" (child-ddt-node, map-server)",
		    cfg_title(sec), type);
		return -1;
	}
	if (cfg_size(sec, "deleg-nodes") == 0) {
		cfg_error(sec, "ddt-delegation \"%s\": no deleg-nodes",
		    cfg_title(sec));
		return -1;
	}
	for (i = 0; i < c->nddt_deleg; i++)
		if (prefix_eq(&c->ddt_deleg[i].eid, &d->eid)) {
			cfg_error(sec, "ddt-delegation \"%s\" given twice",
			    cfg_title(sec));
			return -1;
		}
	return get_addrs(sec, "deleg-nodes", d->node, &d->nnode);
}

int
ddt_conf_get(cfg_t *cfg, struct lispd_conf *c)
{
	unsigned int	i, na = cfg_size(cfg, "ddt-authoritative-prefix");
	unsigned int	nd = cfg_size(cfg, "ddt-delegation");
	unsigned int	nr = cfg_size(cfg, "ddt-root-addresses");
	const char	*why;
	int		 err = 0;

	c->ddt_auth = calloc(na + 1, sizeof(*c->ddt_auth));
	c->ddt_deleg = calloc(nd + 1, sizeof(*c->ddt_deleg));
	c->ddt_root = calloc(nr + 1, sizeof(*c->ddt_root));
	if (!c->ddt_auth || !c->ddt_deleg || !c->ddt_root)
		return -1;
	for (i = 0; i < na; i++)
		if (prefix_parse(cfg_getnstr(cfg, "ddt-authoritative-prefix",
		    i), &c->ddt_auth[c->nddt_auth++], &why))
			err = -1;
	for (i = 0; i < nd && !err; i++) {
		err |= get_deleg(cfg_getnsec(cfg, "ddt-delegation", i), c,
		    &c->ddt_deleg[c->nddt_deleg]);
		c->nddt_deleg++;
	}
	err |= get_addrs(cfg, "ddt-root-addresses", c->ddt_root,
	    &c->nddt_root);
	if (err)
		return err;
	cfg->line = 0;
	c->ddt_cache_size = (int)cfg_getint(cfg, "ddt-referral-cache-size");
	if (c->ddt_cache_size < 0 || c->ddt_cache_size > DDT_CACHE_SIZE_MAX) {
		cfg_error(cfg, "ddt-referral-cache-size %d: not in 0..%d",
		    c->ddt_cache_size, DDT_CACHE_SIZE_MAX);
		err = -1;
	}
	if ((c->roles & ROLE_DDT) && !na && !nd) {
		cfg_error(cfg, "role ddt-node needs a ddt-authoritative-prefix or a ddt-delegation");
		err = -1;
	}
	if (!(c->roles & (ROLE_DDT | ROLE_MS)) && (na || nd)) {
		cfg_error(cfg, "ddt-authoritative-prefix or ddt-delegation given but neither role ddt-node nor map-server is");
		err = -1;
	}
	if (!(c->roles & ROLE_MR) && nr) {
		cfg_error(cfg, "ddt-root-addresses given but role map-resolver is not");
		err = -1;
	}
	return err;
}

void
ddt_conf_free(struct lispd_conf *c)
{
	free(c->ddt_auth);
	free(c->ddt_deleg);
	free(c->ddt_root);
}
