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
#include "ddt_conf.h"
#include "nat_conf.h"

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

/* What a tenant has: at the top of a single-tenant file, or per section. */
#define TENANT_OPTS \
	CFG_SEC("database-mapping", dbmap_opts, \
	    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES), \
	CFG_SEC("map-server", ms_opts, \
	    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES), \
	CFG_STR_LIST("map-resolver", NULL, CFGF_NODEFAULT), \
	CFG_SEC("proxy-etr", rloc_opts, \
	    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES), \
	CFG_SEC("site", site_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES), \
	CFG_SEC("dynamic-eid", dyneid_opts, \
	    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES), \
	CFG_BOOL("subscribe", cfg_false, CFGF_NODEFAULT), \
	CFG_BOOL("nat-traversal", cfg_false, CFGF_NODEFAULT)

static cfg_opt_t tenant_opts[] = {
	CFG_STR("interface", NULL, CFGF_NODEFAULT),
	CFG_STR("netns", NULL, CFGF_NODEFAULT),
	TENANT_OPTS,
	CFG_END()
};

static cfg_opt_t top_opts[] = {
	CFG_STR_LIST("roles", NULL, CFGF_NONE),
	CFG_STR("xtr-interface", NULL, CFGF_NODEFAULT),
	CFG_STR("control-socket", LISPD_SOCK, CFGF_NONE),
	TENANT_OPTS,
	CFG_SEC("instance-id", tenant_opts,
	    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_BOOL("rloc-probing", cfg_false, CFGF_NONE),
	CFG_INT("rloc-probe-interval", 60, CFGF_NONE),
	CFG_INT("map-register-interval", REGISTER_INTERVAL, CFGF_NONE),
	CFG_INT("registration-timeout", REGISTER_TIMEOUT, CFGF_NONE),
	CFG_INT("record-ttl", TTL_DEFAULT, CFGF_NONE),
	CFG_STR("xtr-id", NULL, CFGF_NODEFAULT),
	DDT_CFG_OPTS,
	NAT_CFG_OPTS,
	CFG_END()
};

static const struct {
	const char	*name;
	unsigned int	 bit;
} roles[] = {
	{ "itr", ROLE_ITR }, { "etr", ROLE_ETR }, { "pitr", ROLE_PITR },
	{ "map-server", ROLE_MS }, { "map-resolver", ROLE_MR },
	{ "first-hop-router", ROLE_FHR }, { "ddt-node", ROLE_DDT },
	{ "rtr", ROLE_RTR },
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
			cfg_error(cfg, "roles: unknown role \"%s\" (itr, etr, pitr, map-server, map-resolver, first-hop-router, ddt-node, rtr)",
			    cfg_opt_getnstr(opt, i));
			err = -1;
		}
	return err;
}

int
conf_validate_addrs(cfg_t *cfg, cfg_opt_t *opt)
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

/*
 * A prefix written in an "instance-id N" section is in instance-id N:
 * without "[N]" it takes it, with another one it is an error.
 */
static int
scope_prefix(cfg_t *sec, const struct tenant_conf *t, struct prefix *p)
{
	char	str[PREFIXSTRLEN];

	if (!t || !t->iid_given || p->iid == t->iid)
		return 0;
	if (p->iid) {
		cfg_error(sec, "%s \"%s\": instance-id %u in the section of instance-id %u",
		    cfg_name(sec), prefix_fmt(p, str, sizeof(str)), p->iid,
		    t->iid);
		return -1;
	}
	p->iid = t->iid;
	return 0;
}

static int
get_dbmaps(cfg_t *cfg, struct tenant_conf *t, const struct tenant_conf *sect)
{
	unsigned int	i, j, n = cfg_size(cfg, "database-mapping");
	int		err = 0;

	t->db = calloc(n ? n : 1, sizeof(*t->db));
	if (!t->db)
		return -1;
	for (i = 0; i < n; i++) {
		cfg_t		*sec = cfg_getnsec(cfg, "database-mapping", i);
		struct dbmap	*d = &t->db[t->ndb++];
		unsigned int	 nr = cfg_size(sec, "rloc");

		err |= get_prefix(sec, &d->eid);
		err |= scope_prefix(sec, sect, &d->eid);
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
			if (prefix_overlap(&t->db[j].eid, &d->eid)) {
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
get_mservers(cfg_t *cfg, struct tenant_conf *t)
{
	unsigned int	i, n = cfg_size(cfg, "map-server");
	int		err = 0;

	t->ms = calloc(n ? n : 1, sizeof(*t->ms));
	if (!t->ms)
		return -1;
	for (i = 0; i < n; i++)
		err |= get_mserver(cfg_getnsec(cfg, "map-server", i),
		    &t->ms[t->nms++]);
	return err;
}

static int
get_resolvers(cfg_t *cfg, struct tenant_conf *t)
{
	unsigned int	i, n = cfg_size(cfg, "map-resolver");
	unsigned int	np = cfg_size(cfg, "proxy-etr");
	int		err = 0;

	t->mr = calloc(n + 1, sizeof(*t->mr));
	t->petr = calloc(np + 1, sizeof(*t->petr));
	if (!t->mr || !t->petr)
		return -1;
	/* conf_validate_addrs() has named the ones that do not parse. */
	for (i = 0; i < n; i++)
		if (!addr_parse(cfg_getnstr(cfg, "map-resolver", i),
		    &t->mr[t->nmr]))
			t->nmr++;
	for (i = 0; i < np; i++)
		err |= get_rloc(cfg_getnsec(cfg, "proxy-etr", i),
		    &t->petr[t->npetr++]);
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
get_dyneids(cfg_t *cfg, struct tenant_conf *t, const struct tenant_conf *sect)
{
	unsigned int	i, j, n = cfg_size(cfg, "dynamic-eid");
	int		err = 0;

	t->dyn = calloc(n ? n : 1, sizeof(*t->dyn));
	if (!t->dyn)
		return -1;
	for (i = 0; i < n; i++) {
		cfg_t *sec = cfg_getnsec(cfg, "dynamic-eid", i);

		err |= get_dyneid(sec, &t->dyn[t->ndyn++]);
		err |= scope_prefix(sec, sect, &t->dyn[i].eid);
		for (j = 0; j < i && !err; j++)
			if (prefix_overlap(&t->dyn[j].eid, &t->dyn[i].eid)) {
				cfg_error(sec, "dynamic-eid \"%s\": eid-prefix overlaps dynamic-eid \"%s\"",
				    t->dyn[i].name, t->dyn[j].name);
				err = -1;
			}
	}
	return err;
}

/* Sites are the Map-Server's, whichever section names them: appended. */
static int
get_sites(cfg_t *cfg, struct lispd_conf *c, const struct tenant_conf *sect)
{
	unsigned int	i, j, k, n = cfg_size(cfg, "site");
	struct site	*more;
	int		s, err = 0;

	more = reallocarray(c->site, (size_t)c->nsite + n + 1, sizeof(*more));
	if (!more)
		return -1;
	c->site = more;
	for (i = 0; i < n; i++) {
		cfg_t		*sec = cfg_getnsec(cfg, "site", i);
		struct site	*st = &c->site[c->nsite];
		unsigned int	 ne = cfg_size(sec, "eid-prefix");

		memset(st, 0, sizeof(*st));
		st->name = strdup(cfg_title(sec));
		if (!st->name)
			return -1;
		c->nsite++;
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
			err |= scope_prefix(es, sect, &e->eid);
			e->more_specifics = cfg_getbool(es,
			    "accept-more-specifics");
		}
		/* One owner per EID: the key that may register it. */
		for (s = 0; s < c->nsite - 1 && !err; s++) {
			if (!strcmp(c->site[s].name, st->name)) {
				cfg_error(sec, "site \"%s\" given twice",
				    st->name);
				err = -1;
			}
			for (k = 0; k < (unsigned)c->site[s].neid; k++)
				for (j = 0; j < (unsigned)st->neid; j++)
					if (prefix_overlap(&c->site[s].eid[k].eid,
					    &st->eid[j].eid)) {
						cfg_error(sec, "site \"%s\": eid-prefix overlaps one of site \"%s\"",
						    st->name, c->site[s].name);
						err = -1;
					}
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
hexval(char ch)
{
	const char	*d = "0123456789abcdef", *p;

	if (ch >= 'A' && ch <= 'F')
		ch = (char)(ch - 'A' + 'a');
	return ch && (p = strchr(d, ch)) ? (int)(p - d) : -1;
}

/* xtr-id: 128 bits as 32 hex digits, an optional 0x before them. */
static int
get_xtr_id(cfg_t *cfg, struct lispd_conf *c)
{
	const char	*v = cfg_getstr(cfg, "xtr-id");
	int		 i, hi, lo;

	if (!v)
		return 0;
	if (!strncmp(v, "0x", 2) || !strncmp(v, "0X", 2))
		v += 2;
	for (i = 0; i < 16; i++) {
		if ((hi = hexval(v[2 * i])) < 0 ||
		    (lo = hexval(v[2 * i + 1])) < 0)
			break;
		c->xtr_id[i] = (uint8_t)(hi << 4 | lo);
	}
	if (i != 16 || v[32]) {
		file_error(cfg, "xtr-id \"%s\": not 32 hexadecimal digits",
		    cfg_getstr(cfg, "xtr-id"));
		return -1;
	}
	c->xtr_id_given = true;
	return 0;
}

static int
get_roles(cfg_t *cfg, struct lispd_conf *c)
{
	unsigned int	i, n = cfg_size(cfg, "roles");

	for (i = 0; i < n; i++)
		c->roles |= role_bit(cfg_getnstr(cfg, "roles", i));
	/* An RTR resolves the destinations of what it re-encapsulates. */
	if (c->roles & ROLE_RTR)
		c->roles |= ROLE_ITR;
	if (!c->roles) {
		file_error(cfg, "no roles: give roles = { itr, etr, ... }");
		return -1;
	}
	return 0;
}

/* What a dynamic-eid needs depends on the role that uses it. */
static int
check_dyneids(cfg_t *cfg, const struct lispd_conf *c,
    const struct tenant_conf *t)
{
	int	i, err = 0;

	if (t->ndyn && !(c->roles & (ROLE_ETR | ROLE_FHR))) {
		file_error(cfg, "dynamic-eid given but neither role etr nor first-hop-router");
		return -1;
	}
	for (i = 0; i < t->ndyn; i++) {
		const struct dyneid_conf *d = &t->dyn[i];

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
check_tenant(cfg_t *cfg, const struct lispd_conf *c,
    const struct tenant_conf *t, bool section)
{
	char	n[32];
	int	err = 0;

	if (section)
		snprintf(n, sizeof(n), "instance-id %u: ", t->iid);
	else
		n[0] = '\0';
	if ((c->roles & (ROLE_ITR | ROLE_PITR)) && !t->nmr) {
		file_error(cfg, "%srole itr/pitr needs a map-resolver", n);
		err = -1;
	}
	if ((c->roles & ROLE_ETR) && !t->ndb && !t->ndyn) {
		file_error(cfg, "%srole etr needs a database-mapping or a dynamic-eid",
		    n);
		err = -1;
	}
	if ((c->roles & ROLE_ETR) && !t->nms) {
		file_error(cfg, "%srole etr needs a map-server", n);
		err = -1;
	}
	/*
	 * A Map-Server takes a subscription from an xTR it knows by its
	 * registrations, and signs what it publishes with that site's key.
	 */
	if (t->subscribe && (!(c->roles & ROLE_ITR) ||
	    !(c->roles & ROLE_ETR) || !t->nms)) {
		file_error(cfg, "%ssubscribe needs roles itr and etr and a map-server: the map-server takes subscriptions from the xTRs it registers",
		    n);
		err = -1;
	}
	/* The Info-Request is signed for an EID with a map-server's key. */
	if (t->nat_traversal && (!(c->roles & ROLE_ETR) || !t->nms ||
	    !t->ndb)) {
		file_error(cfg, "%snat-traversal needs role etr, a map-server and a database-mapping",
		    n);
		err = -1;
	}
	/* It relays Map-Registers to its map-servers, and to no one else. */
	if ((c->roles & ROLE_RTR) && !t->nms) {
		file_error(cfg, "%srole rtr needs a map-server: the ones it relays xTRs' Map-Registers to",
		    n);
		err = -1;
	}
	if (section && (c->roles & (ROLE_ITR | ROLE_PITR | ROLE_ETR)) &&
	    !t->iface[0]) {
		file_error(cfg, "%srole itr/pitr/etr needs interface = NAME, the tenant's lisp device",
		    n);
		err = -1;
	}
	err |= check_dyneids(cfg, c, t);
	return err;
}

static int
check_roles(cfg_t *cfg, struct lispd_conf *c, bool sections)
{
	int	i, j, k, l, err = 0;

	for (i = 0; i < c->ntenant; i++)
		err |= check_tenant(cfg, c, &c->tenant[i], sections);
	/* The kernel knows a dynamic-eid policy by its name alone. */
	for (i = 0; i < c->ntenant; i++)
		for (j = 0; j < c->tenant[i].ndyn; j++)
			for (k = 0; k <= i; k++)
				for (l = 0; l < (k < i ? c->tenant[k].ndyn : j);
				    l++)
					if (!strcmp(c->tenant[i].dyn[j].name,
					    c->tenant[k].dyn[l].name)) {
						file_error(cfg, "dynamic-eid \"%s\" given in instance-ids %u and %u: names are per box",
						    c->tenant[i].dyn[j].name,
						    c->tenant[k].iid,
						    c->tenant[i].iid);
						err = -1;
					}
	for (i = 0; i < c->ntenant; i++)
		for (k = 0; k < i; k++)
			if (c->tenant[i].iface[0] &&
			    !strcmp(c->tenant[i].iface, c->tenant[k].iface) &&
			    !strcmp(c->tenant[i].netns, c->tenant[k].netns)) {
				file_error(cfg, "instance-ids %u and %u: both on interface %s",
				    c->tenant[k].iid, c->tenant[i].iid,
				    c->tenant[i].iface);
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
	if ((c->roles & ROLE_MR) && !(c->roles & ROLE_MS) && !c->nddt_root) {
		/* A lone Map-Resolver resolves through DDT. */
		file_error(cfg, "role map-resolver needs role map-server in the same lispd, or ddt-root-addresses");
		err = -1;
	}
	if ((c->roles & ROLE_ITR) && (c->roles & ROLE_PITR)) {
		file_error(cfg, "roles itr and pitr exclude each other");
		err = -1;
	}
	return err;
}

static int
get_ifname(cfg_t *cfg, const char *opt, char *out)
{
	const char	*name = cfg_getstr(cfg, opt);

	if (!name)
		return 0;
	if (!*name || strlen(name) >= IFNAMSIZ) {
		cfg_error(cfg, "%s \"%s\": not an interface name (1 to %d characters)",
		    opt, name, IFNAMSIZ - 1);
		return -1;
	}
	snprintf(out, IFNAMSIZ, "%s", name);
	return 0;
}

/*
 * netns NAME: the tenant's device lives in that namespace (ip-netns(8)),
 * its underlay in ours.  The kernel keeps dynamic-EID policies per
 * namespace, and lispd's are in its own: none for such a tenant.
 */
static int
get_netns(cfg_t *sec, struct tenant_conf *t)
{
	const char	*n = cfg_getstr(sec, "netns");

	if (!n)
		return 0;
	if (!*n || strlen(n) >= NETNS_NAME_MAX || strchr(n, '/') ||
	    !strcmp(n, ".") || !strcmp(n, "..")) {
		cfg_error(sec, "netns \"%s\": not a namespace name of ip-netns(8) (1 to %d characters, no /)",
		    n, NETNS_NAME_MAX - 1);
		return -1;
	}
	if (cfg_size(sec, "dynamic-eid")) {
		cfg_error(sec, "instance-id %s: dynamic-eid in a tenant whose device is in netns %s: not supported, run a lispd in that namespace",
		    cfg_title(sec), n);
		return -1;
	}
	snprintf(t->netns, sizeof(t->netns), "%s", n);
	return 0;
}

/* What a tenant has, from the top of the file or from its section. */
static int
get_tenant(cfg_t *cfg, struct lispd_conf *c, struct tenant_conf *t,
    bool section)
{
	const struct tenant_conf *sect = section ? t : NULL;
	int	err = 0;

	err |= get_dbmaps(cfg, t, sect);
	err |= get_mservers(cfg, t);
	err |= get_resolvers(cfg, t);
	err |= get_dyneids(cfg, t, sect);
	err |= get_sites(cfg, c, sect);
	if (cfg_size(cfg, "subscribe")) {
		t->subscribe = cfg_getbool(cfg, "subscribe");
		t->subscribe_given = true;
	}
	if (cfg_size(cfg, "nat-traversal")) {
		t->nat_traversal = cfg_getbool(cfg, "nat-traversal");
		t->nat_traversal_given = true;
	}
	return err;
}

/*
 * A single tenant's instance-id is its prefixes': they must agree (the
 * device serves one); with none, the device's, learned at start.
 */
static int
single_iid(cfg_t *cfg, struct tenant_conf *t)
{
	const struct prefix	*p;
	int			 i, n = t->ndb + t->ndyn;

	for (i = 0; i < n; i++) {
		p = i < t->ndb ? &t->db[i].eid : &t->dyn[i - t->ndb].eid;
		if (!t->iid_given) {
			t->iid = p->iid;
			t->iid_given = true;
		} else if (p->iid != t->iid) {
			file_error(cfg, "prefixes of instance-ids %u and %u: write one instance-id N { interface = ... } section per tenant",
			    t->iid, p->iid);
			return -1;
		}
	}
	return 0;
}

static int
copy_mservers(const struct tenant_conf *from, struct tenant_conf *t)
{
	int	i;

	free(t->ms);
	t->ms = calloc((size_t)from->nms + 1, sizeof(*t->ms));
	if (!t->ms)
		return -1;
	for (i = 0; i < from->nms; i++) {
		t->ms[i] = from->ms[i];
		if (!(t->ms[i].key = strdup(from->ms[i].key)))
			return -1;
		t->nms++;
	}
	return 0;
}

/*
 * map-server, map-resolver and proxy-etr at the top are every section's
 * that names none of its own.
 */
static int
inherit(const struct tenant_conf *top, struct tenant_conf *t)
{
	if (!t->nms && top->nms && copy_mservers(top, t))
		return -1;
	if (!t->subscribe_given)
		t->subscribe = top->subscribe;
	if (!t->nat_traversal_given)
		t->nat_traversal = top->nat_traversal;
	if (!t->nmr && top->nmr) {
		free(t->mr);
		if (!(t->mr = calloc((size_t)top->nmr, sizeof(*t->mr))))
			return -1;
		memcpy(t->mr, top->mr, (size_t)top->nmr * sizeof(*t->mr));
		t->nmr = top->nmr;
	}
	if (!t->npetr && top->npetr) {
		free(t->petr);
		if (!(t->petr = calloc((size_t)top->npetr, sizeof(*t->petr))))
			return -1;
		memcpy(t->petr, top->petr, (size_t)top->npetr *
		    sizeof(*t->petr));
		t->npetr = top->npetr;
	}
	return 0;
}

static void
tenant_conf_free(struct tenant_conf *t)
{
	int	i;

	for (i = 0; i < t->nms; i++)
		free(t->ms[i].key);
	for (i = 0; i < t->ndyn; i++) {
		free(t->dyn[i].notify_key);
		free(t->dyn[i].gateway.key);
	}
	free(t->db);
	free(t->ms);
	free(t->mr);
	free(t->petr);
	free(t->dyn);
	memset(t, 0, sizeof(*t));
}

/* "instance-id N { }": N in 0..2^24-1, the LISP header's 24 bits. */
static int
get_sections(cfg_t *cfg, struct lispd_conf *c, const struct tenant_conf *top)
{
	unsigned int	i, n = cfg_size(cfg, "instance-id");
	int		k, err = 0;

	if (n > TENANT_MAX) {
		file_error(cfg, "%u instance-id sections: at most %d", n,
		    TENANT_MAX);
		return -1;
	}
	c->tenant = calloc(n + 1, sizeof(*c->tenant));
	if (!c->tenant)
		return -1;
	for (i = 0; i < n; i++) {
		cfg_t			*sec = cfg_getnsec(cfg, "instance-id", i);
		struct tenant_conf	*t = &c->tenant[c->ntenant++];
		const char		*title = cfg_title(sec);
		char			*end;
		unsigned long		 v;

		v = strtoul(title, &end, 10);
		if (!*title || *end || *title == '-' || v > 0xffffff) {
			cfg_error(sec, "instance-id \"%s\": not a number in 0..16777215",
			    title);
			err = -1;
			continue;
		}
		t->iid = (uint32_t)v;
		t->iid_given = true;
		for (k = 0; k < c->ntenant - 1; k++)
			if (c->tenant[k].iid == t->iid) {
				cfg_error(sec, "instance-id %u given twice",
				    t->iid);
				err = -1;
			}
		err |= get_ifname(sec, "interface", t->iface);
		err |= get_netns(sec, t);
		err |= get_tenant(sec, c, t, true);
		if (!err && inherit(top, t))
			return -1;
	}
	return err;
}

/* Tenant items at the top, beside sections: which ones are kept there. */
static int
check_top(cfg_t *cfg)
{
	static const char *const own[] = {
		"xtr-interface", "database-mapping", "dynamic-eid",
	};
	size_t	i;
	int	err = 0;

	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (cfg_size(cfg, own[i])) {
			file_error(cfg, "%s at the top and instance-id sections: put it in its instance-id N { } section",
			    own[i]);
			err = -1;
		}
	return err;
}

struct lispd_conf *
conf_load(const char *file)
{
	struct lispd_conf	*c;
	struct tenant_conf	 top;
	cfg_t			*cfg;
	bool			 sections;
	int			 err = 0, r, i;

	errlen = 0;
	errtext[0] = '\0';
	memset(&top, 0, sizeof(top));
	c = calloc(1, sizeof(*c));
	cfg = cfg_init(top_opts, CFGF_NONE);
	if (!c || !cfg) {
		log_warnx("%s: out of memory", file);
		free(c);
		return NULL;
	}
	cfg_set_error_function(cfg, conf_errfn);
	cfg_set_validate_func(cfg, "roles", validate_roles);
	cfg_set_validate_func(cfg, "map-resolver", conf_validate_addrs);
	cfg_set_validate_func(cfg, "instance-id|map-resolver",
	    conf_validate_addrs);
	ddt_conf_init(cfg);
	nat_conf_init(cfg);
	r = cfg_parse(cfg, file);
	if (r == CFG_FILE_ERROR) {
		log_warn("%s", file);
		snprintf(errtext, sizeof(errtext), "%s: cannot read\n", file);
		goto fail;
	}
	if (r != CFG_SUCCESS)
		goto fail;

	c->file = strdup(file);
	c->control = strdup(cfg_getstr(cfg, "control-socket"));
	if (!c->file || !c->control)
		goto fail;
	err |= get_roles(cfg, c);
	err |= get_timers(cfg, c);
	err |= get_xtr_id(cfg, c);
	sections = cfg_size(cfg, "instance-id") > 0;
	err |= get_ifname(cfg, "xtr-interface", top.iface);
	err |= get_tenant(cfg, c, &top, false);
	if (sections) {
		err |= check_top(cfg);
		err |= get_sections(cfg, c, &top);
		tenant_conf_free(&top);
	} else {
		err |= single_iid(cfg, &top);
		if (!top.iface[0])
			snprintf(top.iface, sizeof(top.iface), "lisp0");
		/* A Map-Server alone serves no tenant of its own. */
		c->tenant = calloc(1, sizeof(*c->tenant));
		if (!c->tenant)
			goto fail;
		if (c->roles & (ROLE_ITR | ROLE_PITR | ROLE_ETR | ROLE_FHR))
			c->tenant[c->ntenant++] = top;
		else
			tenant_conf_free(&top);
		memset(&top, 0, sizeof(top));
	}
	err |= ddt_conf_get(cfg, c);
	err |= nat_conf_get(cfg, c);
	if (!err)
		err |= check_roles(cfg, c, sections);
	if (err)
		goto fail;
	for (i = 0; i < c->ntenant; i++)
		c->subscribe |= c->tenant[i].subscribe;
	cfg_free(cfg);
	return c;
fail:
	tenant_conf_free(&top);
	cfg_free(cfg);
	conf_free(c);
	return NULL;
}

const struct tenant_conf *
conf_tenant(const struct lispd_conf *c, uint32_t iid)
{
	int	i;

	for (i = 0; c && i < c->ntenant; i++)
		if (c->tenant[i].iid == iid)
			return &c->tenant[i];
	return NULL;
}

void
conf_free(struct lispd_conf *c)
{
	int	i;

	if (!c)
		return;
	for (i = 0; i < c->ntenant; i++)
		tenant_conf_free(&c->tenant[i]);
	for (i = 0; i < c->nsite; i++) {
		free(c->site[i].name);
		free(c->site[i].key);
		free(c->site[i].eid);
	}
	ddt_conf_free(c);
	nat_conf_free(c);
	free(c->file);
	free(c->control);
	free(c->tenant);
	free(c->site);
	free(c);
}
