/* SPDX-License-Identifier: MIT */
/*
 * lispd.conf(5), parsed with libconfuse.  libconfuse reports syntax
 * errors with file and line; the checks here add what it cannot know
 * (prefixes, addresses, which sections a role needs) in the same form.
 * A titled section is only complete at its closing brace, so that is the
 * line its errors name.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <confuse.h>

#include "core.h"
#include "log.h"
#include "conf.h"

struct lispd_conf *conf;

static char	errtext[4096];
static size_t	errlen;

static void
conf_errfn(cfg_t *cfg, const char *fmt, va_list ap)
{
	char	msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (cfg && cfg->filename && cfg->line)
		log_warnx("%s:%d: %s", cfg->filename, cfg->line, msg);
	else if (cfg && cfg->filename)
		log_warnx("%s: %s", cfg->filename, msg);
	else
		log_warnx("%s", msg);
	if (errlen < sizeof(errtext)) {
		int n;

		if (cfg && cfg->filename && cfg->line)
			n = snprintf(errtext + errlen, sizeof(errtext) - errlen,
			    "%s:%d: %s\n", cfg->filename, cfg->line, msg);
		else
			n = snprintf(errtext + errlen, sizeof(errtext) - errlen,
			    "%s: %s\n", cfg && cfg->filename ? cfg->filename :
			    "config", msg);
		if (n > 0)
			errlen += (size_t)n;
		if (errlen > sizeof(errtext))
			errlen = sizeof(errtext);
	}
}

const char *
conf_errors(void)
{
	return errtext;
}

static cfg_opt_t rloc_opts[] = {
	CFG_INT("priority", 1, CFGF_NONE),
	CFG_INT("weight", 100, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t dbmap_opts[] = {
	CFG_SEC("rloc", rloc_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_END()
};

static cfg_opt_t ms_opts[] = {
	CFG_STR("key", NULL, CFGF_NODEFAULT),
	CFG_INT("key-id", 0, CFGF_NONE),
	CFG_STR("algorithm", "hmac-sha-256-128", CFGF_NONE),
	CFG_BOOL("proxy-reply", cfg_false, CFGF_NONE),
	CFG_BOOL("full-hmac", cfg_false, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t site_eid_opts[] = {
	CFG_BOOL("accept-more-specifics", cfg_false, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t site_opts[] = {
	CFG_STR("key", NULL, CFGF_NODEFAULT),
	CFG_SEC("eid-prefix", site_eid_opts,
	    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_END()
};

static cfg_opt_t dyneid_opts[] = {
	CFG_STR("eid-prefix", NULL, CFGF_NODEFAULT),
	CFG_SEC("rloc", rloc_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_STR_LIST("interfaces", NULL, CFGF_NONE),
	CFG_INT("timeout", 300, CFGF_NONE),
	CFG_STR("eid-notify-key", NULL, CFGF_NODEFAULT),
	CFG_SEC("eid-notify", ms_opts,
	    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_END()
};

static cfg_opt_t top_opts[] = {
	CFG_STR_LIST("roles", NULL, CFGF_NONE),
	CFG_STR("xtr-interface", "lisp0", CFGF_NONE),
	CFG_STR("control-socket", LISPD_SOCK, CFGF_NONE),
	CFG_SEC("database-mapping", dbmap_opts,
	    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_SEC("map-server", ms_opts,
	    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_STR_LIST("map-resolver", NULL, CFGF_NONE),
	CFG_SEC("proxy-etr", rloc_opts,
	    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_SEC("site", site_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_BOOL("rloc-probing", cfg_false, CFGF_NONE),
	CFG_INT("rloc-probe-interval", 60, CFGF_NONE),
	CFG_INT("map-register-interval", REGISTER_INTERVAL, CFGF_NONE),
	CFG_INT("registration-timeout", REGISTER_TIMEOUT, CFGF_NONE),
	CFG_INT("record-ttl", TTL_DEFAULT, CFGF_NONE),
	CFG_SEC("dynamic-eid", dyneid_opts,
	    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_END()
};

static const struct {
	const char	*name;
	unsigned int	 bit;
} roles[] = {
	{ "itr", ROLE_ITR }, { "etr", ROLE_ETR }, { "pitr", ROLE_PITR },
	{ "map-server", ROLE_MS }, { "map-resolver", ROLE_MR },
	{ "first-hop-router", ROLE_FHR },
};

#define NROLES	(sizeof(roles) / sizeof(roles[0]))

static unsigned int
role_bit(const char *name)
{
	size_t	r;

	for (r = 0; r < NROLES; r++)
		if (!strcmp(name, roles[r].name))
			return roles[r].bit;
	return 0;
}

/*
 * Lists are checked as soon as they are read, while libconfuse still
 * knows their line; conf_load() then only converts them.
 */
static int
validate_roles(cfg_t *cfg, cfg_opt_t *opt)
{
	unsigned int	i;
	int		err = 0;

	for (i = 0; i < cfg_opt_size(opt); i++)
		if (!role_bit(cfg_opt_getnstr(opt, i))) {
			cfg_error(cfg, "roles: unknown role \"%s\" (itr, etr, pitr, map-server, map-resolver, first-hop-router)",
			    cfg_opt_getnstr(opt, i));
			err = -1;
		}
	return err;
}

static int
validate_addrs(cfg_t *cfg, cfg_opt_t *opt)
{
	struct laddr	a;
	unsigned int	i;
	int		err = 0;

	for (i = 0; i < cfg_opt_size(opt); i++)
		if (addr_parse(cfg_opt_getnstr(opt, i), &a)) {
			cfg_error(cfg, "%s \"%s\": not an IPv4 or IPv6 address",
			    cfg_opt_name(opt), cfg_opt_getnstr(opt, i));
			err = -1;
		}
	return err;
}

/* Errors about the file as a whole have no line of their own. */
static void
file_error(cfg_t *cfg, const char *fmt, ...)
{
	va_list	ap;
	int	line = cfg->line;

	cfg->line = 0;
	va_start(ap, fmt);
	conf_errfn(cfg, fmt, ap);
	va_end(ap);
	cfg->line = line;
}

const char *
conf_roles_fmt(unsigned int r, char *buf, size_t len)
{
	size_t	i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < NROLES; i++)
		if (r & roles[i].bit)
			n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
			    "%s%s", n ? " " : "", roles[i].name);
	return buf;
}

const char *
alg_name(uint8_t alg)
{
	switch (alg) {
	case LISP_ALG_SHA1_96:		return "hmac-sha-1-96";
	case LISP_ALG_SHA256_128:	return "hmac-sha-256-128";
	default:			return "none";
	}
}

static int
check_u8(cfg_t *sec, const char *opt, long min, long max, uint8_t *out)
{
	long	v = cfg_getint(sec, opt);

	if (v < min || v > max) {
		cfg_error(sec, "%s %s: %s %ld out of range %ld..%ld",
		    cfg_name(sec), cfg_title(sec), opt, v, min, max);
		return -1;
	}
	*out = (uint8_t)v;
	return 0;
}

static int
get_rloc(cfg_t *sec, struct rloc *r)
{
	int	err = 0;

	if (addr_parse(cfg_title(sec), &r->addr)) {
		cfg_error(sec, "%s \"%s\": not an IPv4 or IPv6 address",
		    cfg_name(sec), cfg_title(sec));
		err = -1;
	}
	err |= check_u8(sec, "priority", 0, 255, &r->priority);
	err |= check_u8(sec, "weight", 0, 100, &r->weight);
	return err;
}

static int
get_prefix(cfg_t *sec, struct prefix *p)
{
	const char	*why;

	if (prefix_parse(cfg_title(sec), p, &why)) {
		cfg_error(sec, "%s \"%s\": %s", cfg_name(sec), cfg_title(sec),
		    why);
		return -1;
	}
	return 0;
}

static int
get_dbmaps(cfg_t *cfg, struct lispd_conf *c)
{
	unsigned int	i, j, n = cfg_size(cfg, "database-mapping");
	int		err = 0;

	c->db = calloc(n ? n : 1, sizeof(*c->db));
	if (!c->db)
		return -1;
	for (i = 0; i < n; i++) {
		cfg_t		*sec = cfg_getnsec(cfg, "database-mapping", i);
		struct dbmap	*d = &c->db[c->ndb++];
		unsigned int	 nr = cfg_size(sec, "rloc");

		err |= get_prefix(sec, &d->eid);
		if (nr == 0) {
			cfg_error(sec, "database-mapping \"%s\": no rloc",
			    cfg_title(sec));
			err = -1;
		} else if (nr > LISP_MAX_RLOCS) {
			cfg_error(sec, "database-mapping \"%s\": more than %d rlocs",
			    cfg_title(sec), LISP_MAX_RLOCS);
			err = -1;
			nr = LISP_MAX_RLOCS;
		}
		for (j = 0; j < nr; j++)
			err |= get_rloc(cfg_getnsec(sec, "rloc", j),
			    &d->rloc[d->nrloc++]);
		for (j = 0; j < i && !err; j++)
			if (prefix_overlap(&c->db[j].eid, &d->eid)) {
				cfg_error(sec, "database-mapping \"%s\" overlaps \"%s\"",
				    cfg_title(sec),
				    cfg_title(cfg_getnsec(cfg, "database-mapping", j)));
				err = -1;
			}
	}
	/* The ETR sends them all in one Map-Register. */
	if (n > LISP_MAX_RECORDS) {
		file_error(cfg, "%u database-mappings: at most %d, the records one Map-Register carries",
		    n, LISP_MAX_RECORDS);
		err = -1;
	}
	return err;
}

static int
get_alg(cfg_t *sec, const char *name, uint8_t *alg)
{
	if (!strcmp(name, "hmac-sha-1-96"))
		*alg = LISP_ALG_SHA1_96;
	else if (!strcmp(name, "hmac-sha-256-128"))
		*alg = LISP_ALG_SHA256_128;
	else {
		cfg_error(sec, "%s \"%s\": unknown algorithm \"%s\" (hmac-sha-1-96 or hmac-sha-256-128)",
		    cfg_name(sec), cfg_title(sec), name);
		return -1;
	}
	return 0;
}

static int
get_key(cfg_t *sec, char **key)
{
	const char	*k = cfg_getstr(sec, "key");

	if (!k || !*k) {
		cfg_error(sec, "%s \"%s\": no key", cfg_name(sec),
		    cfg_title(sec));
		return -1;
	}
	*key = strdup(k);
	return *key ? 0 : -1;
}

/* A map-server or eid-notify section: address, key, key-id, algorithm. */
static int
get_mserver(cfg_t *sec, struct mserver *m)
{
	int	err = 0;

	if (addr_parse(cfg_title(sec), &m->addr)) {
		cfg_error(sec, "%s \"%s\": not an IPv4 or IPv6 address",
		    cfg_name(sec), cfg_title(sec));
		err = -1;
	}
	err |= get_key(sec, &m->key);
	err |= check_u8(sec, "key-id", 0, 255, &m->key_id);
	err |= get_alg(sec, cfg_getstr(sec, "algorithm"), &m->alg);
	m->proxy_reply = cfg_getbool(sec, "proxy-reply");
	m->full_hmac = cfg_getbool(sec, "full-hmac");
	return err;
}

static int
get_mservers(cfg_t *cfg, struct lispd_conf *c)
{
	unsigned int	i, n = cfg_size(cfg, "map-server");
	int		err = 0;

	c->ms = calloc(n ? n : 1, sizeof(*c->ms));
	if (!c->ms)
		return -1;
	for (i = 0; i < n; i++)
		err |= get_mserver(cfg_getnsec(cfg, "map-server", i),
		    &c->ms[c->nms++]);
	return err;
}

/*
 * dynamic-eid NAME: hosts of a prefix that come and go.  A site gateway
 * gives the rlocs to register them with and detects them on its own
 * interfaces or hears of them from first-hop routers (eid-notify-key); a
 * first-hop router detects them and tells its gateway (eid-notify).
 */
static int
get_dyneid(cfg_t *sec, struct dyneid_conf *d)
{
	const char	*name = cfg_title(sec), *p, *why, *k;
	unsigned int	 i, nr = cfg_size(sec, "rloc");
	unsigned int	 ni = cfg_size(sec, "interfaces");
	long		 t = cfg_getint(sec, "timeout");
	int		 err = 0;

	if (strlen(name) >= sizeof(d->name)) {
		cfg_error(sec, "dynamic-eid \"%s\": name longer than %zu characters",
		    name, sizeof(d->name) - 1);
		err = -1;
	}
	snprintf(d->name, sizeof(d->name), "%s", name);
	p = cfg_getstr(sec, "eid-prefix");
	if (!p) {
		cfg_error(sec, "dynamic-eid \"%s\": no eid-prefix", name);
		err = -1;
	} else if (prefix_parse(p, &d->eid, &why)) {
		cfg_error(sec, "dynamic-eid \"%s\": eid-prefix \"%s\": %s",
		    name, p, why);
		err = -1;
	}
	if (nr > LISP_MAX_RLOCS) {
		cfg_error(sec, "dynamic-eid \"%s\": more than %d rlocs", name,
		    LISP_MAX_RLOCS);
		err = -1;
		nr = LISP_MAX_RLOCS;
	}
	for (i = 0; i < nr; i++)
		err |= get_rloc(cfg_getnsec(sec, "rloc", i),
		    &d->rloc[d->nrloc++]);
	if (ni > DYNEID_MAX_IFACES) {
		cfg_error(sec, "dynamic-eid \"%s\": more than %d interfaces",
		    name, DYNEID_MAX_IFACES);
		err = -1;
		ni = DYNEID_MAX_IFACES;
	}
	for (i = 0; i < ni; i++) {
		const char *ifn = cfg_getnstr(sec, "interfaces", i);

		if (!*ifn || strlen(ifn) >= IFNAMSIZ) {
			cfg_error(sec, "dynamic-eid \"%s\": interface \"%s\": not an interface name",
			    name, ifn);
			err = -1;
			continue;
		}
		snprintf(d->ifname[d->nif++], IFNAMSIZ, "%s", ifn);
	}
	if (t < 1 || t > 86400) {
		cfg_error(sec, "dynamic-eid \"%s\": timeout %ld out of range 1..86400",
		    name, t);
		err = -1;
	}
	d->timeout = (uint32_t)t;
	k = cfg_getstr(sec, "eid-notify-key");
	if (k && !*k) {
		cfg_error(sec, "dynamic-eid \"%s\": empty eid-notify-key", name);
		err = -1;
	} else if (k && !(d->notify_key = strdup(k)))
		return -1;
	if (cfg_size(sec, "eid-notify") > 1) {
		cfg_error(sec, "dynamic-eid \"%s\": more than one eid-notify gateway",
		    name);
		err = -1;
	} else if (cfg_size(sec, "eid-notify") == 1)
		err |= get_mserver(cfg_getnsec(sec, "eid-notify", 0),
		    &d->gateway);
	return err;
}

static int
get_dyneids(cfg_t *cfg, struct lispd_conf *c)
{
	unsigned int	i, j, n = cfg_size(cfg, "dynamic-eid");
	int		err = 0;

	c->dyn = calloc(n ? n : 1, sizeof(*c->dyn));
	if (!c->dyn)
		return -1;
	for (i = 0; i < n; i++) {
		cfg_t *sec = cfg_getnsec(cfg, "dynamic-eid", i);

		err |= get_dyneid(sec, &c->dyn[c->ndyn++]);
		for (j = 0; j < i && !err; j++)
			if (prefix_overlap(&c->dyn[j].eid, &c->dyn[i].eid)) {
				cfg_error(sec, "dynamic-eid \"%s\": eid-prefix overlaps dynamic-eid \"%s\"",
				    c->dyn[i].name, c->dyn[j].name);
				err = -1;
			}
	}
	return err;
}

static int
get_sites(cfg_t *cfg, struct lispd_conf *c)
{
	unsigned int	i, j, k, s, n = cfg_size(cfg, "site");
	int		err = 0;

	c->site = calloc(n ? n : 1, sizeof(*c->site));
	if (!c->site)
		return -1;
	for (i = 0; i < n; i++) {
		cfg_t		*sec = cfg_getnsec(cfg, "site", i);
		struct site	*st = &c->site[c->nsite++];
		unsigned int	 ne = cfg_size(sec, "eid-prefix");

		st->name = strdup(cfg_title(sec));
		if (!st->name)
			return -1;
		err |= get_key(sec, &st->key);
		if (!ne) {
			cfg_error(sec, "site \"%s\": no eid-prefix", st->name);
			err = -1;
		}
		st->eid = calloc(ne ? ne : 1, sizeof(*st->eid));
		if (!st->eid)
			return -1;
		for (j = 0; j < ne; j++) {
			cfg_t *es = cfg_getnsec(sec, "eid-prefix", j);
			struct site_eid *e = &st->eid[st->neid++];

			err |= get_prefix(es, &e->eid);
			e->more_specifics = cfg_getbool(es,
			    "accept-more-specifics");
		}
		/* One owner per EID: the key that may register it. */
		for (s = 0; s < i && !err; s++)
			for (k = 0; k < (unsigned)c->site[s].neid; k++)
				for (j = 0; j < (unsigned)st->neid; j++)
					if (prefix_overlap(&c->site[s].eid[k].eid,
					    &st->eid[j].eid)) {
						cfg_error(sec, "site \"%s\": eid-prefix overlaps one of site \"%s\"",
						    st->name, c->site[s].name);
						err = -1;
					}
	}
	return err;
}

/* Top-level seconds: a range check, its error without a line. */
static int
get_seconds(cfg_t *cfg, const char *opt, long min, long max,
    unsigned int *out)
{
	long	v = cfg_getint(cfg, opt);

	if (v < min || v > max) {
		file_error(cfg, "%s %ld out of range %ld..%ld", opt, v, min,
		    max);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

static int
get_timers(cfg_t *cfg, struct lispd_conf *c)
{
	int	err = 0;

	c->rloc_probing = cfg_getbool(cfg, "rloc-probing");
	err |= get_seconds(cfg, "rloc-probe-interval", 1, 3600,
	    &c->probe_interval);
	err |= get_seconds(cfg, "map-register-interval", 1, 3600,
	    &c->register_interval);
	err |= get_seconds(cfg, "registration-timeout", 1, 86400,
	    &c->registration_timeout);
	/* Minutes, as on the wire; up to a week. */
	err |= get_seconds(cfg, "record-ttl", 1, 10080, &c->record_ttl);
	return err;
}

static int
get_roles(cfg_t *cfg, struct lispd_conf *c)
{
	unsigned int	i, n = cfg_size(cfg, "roles");

	for (i = 0; i < n; i++)
		c->roles |= role_bit(cfg_getnstr(cfg, "roles", i));
	if (!c->roles) {
		file_error(cfg, "no roles: give roles = { itr, etr, ... }");
		return -1;
	}
	return 0;
}

/* What a dynamic-eid needs depends on the role that uses it. */
static int
check_dyneids(cfg_t *cfg, struct lispd_conf *c)
{
	int	i, err = 0;

	if (c->ndyn && !(c->roles & (ROLE_ETR | ROLE_FHR))) {
		file_error(cfg, "dynamic-eid given but neither role etr nor first-hop-router");
		return -1;
	}
	for (i = 0; i < c->ndyn; i++) {
		const struct dyneid_conf *d = &c->dyn[i];

		if ((c->roles & ROLE_FHR) && !d->gateway.addr.family) {
			file_error(cfg, "dynamic-eid \"%s\": role first-hop-router needs eid-notify GATEWAY { key = ... }",
			    d->name);
			err = -1;
		}
		if ((c->roles & ROLE_FHR) && !d->nif) {
			file_error(cfg, "dynamic-eid \"%s\": role first-hop-router needs interfaces to watch",
			    d->name);
			err = -1;
		}
		if (!(c->roles & ROLE_ETR))
			continue;
		if (!d->nrloc) {
			file_error(cfg, "dynamic-eid \"%s\": role etr needs an rloc to register its hosts with",
			    d->name);
			err = -1;
		}
		if (!d->nif && !d->notify_key) {
			file_error(cfg, "dynamic-eid \"%s\": neither interfaces nor eid-notify-key: nothing would find its hosts",
			    d->name);
			err = -1;
		}
	}
	return err;
}

/* What each role needs, named as a reader of the file would look for it. */
static int
check_roles(cfg_t *cfg, struct lispd_conf *c)
{
	int	err = 0;

	if ((c->roles & (ROLE_ITR | ROLE_PITR)) && !c->nmr) {
		file_error(cfg, "role itr/pitr needs a map-resolver");
		err = -1;
	}
	if ((c->roles & ROLE_ETR) && !c->ndb && !c->ndyn) {
		file_error(cfg, "role etr needs a database-mapping or a dynamic-eid");
		err = -1;
	}
	err |= check_dyneids(cfg, c);
	if ((c->roles & ROLE_ETR) && !c->nms) {
		file_error(cfg, "role etr needs a map-server");
		err = -1;
	}
	if ((c->roles & ROLE_MS) && !c->nsite) {
		file_error(cfg, "role map-server needs a site");
		err = -1;
	}
	if (!(c->roles & ROLE_MS) && c->nsite) {
		file_error(cfg, "site given but role map-server is not");
		err = -1;
	}
	if ((c->roles & ROLE_MR) && !(c->roles & ROLE_MS)) {
		/* A lone Map-Resolver needs ALT or DDT, which we lack. */
		file_error(cfg, "role map-resolver needs role map-server in the same lispd");
		err = -1;
	}
	if ((c->roles & ROLE_ITR) && (c->roles & ROLE_PITR)) {
		file_error(cfg, "roles itr and pitr exclude each other");
		err = -1;
	}
	return err;
}

struct lispd_conf *
conf_load(const char *file)
{
	struct lispd_conf	*c;
	cfg_t			*cfg;
	unsigned int		 i;
	int			 err = 0, r;

	errlen = 0;
	errtext[0] = '\0';
	c = calloc(1, sizeof(*c));
	cfg = cfg_init(top_opts, CFGF_NONE);
	if (!c || !cfg) {
		log_warnx("%s: out of memory", file);
		free(c);
		return NULL;
	}
	cfg_set_error_function(cfg, conf_errfn);
	cfg_set_validate_func(cfg, "roles", validate_roles);
	cfg_set_validate_func(cfg, "map-resolver", validate_addrs);
	r = cfg_parse(cfg, file);
	if (r == CFG_FILE_ERROR) {
		log_warn("%s", file);
		snprintf(errtext, sizeof(errtext), "%s: cannot read\n", file);
		goto fail;
	}
	if (r != CFG_SUCCESS)
		goto fail;

	c->file = strdup(file);
	err |= get_roles(cfg, c);
	snprintf(c->iface, sizeof(c->iface), "%s", cfg_getstr(cfg,
	    "xtr-interface"));
	if (strlen(cfg_getstr(cfg, "xtr-interface")) >= IFNAMSIZ) {
		file_error(cfg, "xtr-interface \"%s\": longer than %d characters",
		    cfg_getstr(cfg, "xtr-interface"), IFNAMSIZ - 1);
		err = -1;
	}
	c->control = strdup(cfg_getstr(cfg, "control-socket"));
	err |= get_dbmaps(cfg, c);
	err |= get_mservers(cfg, c);
	err |= get_sites(cfg, c);
	err |= get_timers(cfg, c);
	err |= get_dyneids(cfg, c);

	c->nmr = 0;
	c->mr = calloc(cfg_size(cfg, "map-resolver") + 1, sizeof(*c->mr));
	for (i = 0; c->mr && i < cfg_size(cfg, "map-resolver"); i++) {
		if (!addr_parse(cfg_getnstr(cfg, "map-resolver", i),
		    &c->mr[c->nmr]))
			c->nmr++;
	}
	c->petr = calloc(cfg_size(cfg, "proxy-etr") + 1, sizeof(*c->petr));
	for (i = 0; c->petr && i < cfg_size(cfg, "proxy-etr"); i++)
		err |= get_rloc(cfg_getnsec(cfg, "proxy-etr", i),
		    &c->petr[c->npetr++]);
	if (!c->file || !c->control || !c->mr || !c->petr)
		goto fail;
	if (!err)
		err |= check_roles(cfg, c);
	if (err)
		goto fail;
	cfg_free(cfg);
	return c;
fail:
	cfg_free(cfg);
	conf_free(c);
	return NULL;
}

void
conf_free(struct lispd_conf *c)
{
	int	i;

	if (!c)
		return;
	for (i = 0; i < c->nms; i++)
		free(c->ms[i].key);
	for (i = 0; i < c->ndyn; i++) {
		free(c->dyn[i].notify_key);
		free(c->dyn[i].gateway.key);
	}
	for (i = 0; i < c->nsite; i++) {
		free(c->site[i].name);
		free(c->site[i].key);
		free(c->site[i].eid);
	}
	free(c->file);
	free(c->control);
	free(c->db);
	free(c->ms);
	free(c->mr);
	free(c->petr);
	free(c->site);
	free(c->dyn);
	free(c);
}
