// SPDX-License-Identifier: GPL-2.0
/*
 * lispctl lookup: ask a Map-Resolver for an EID the way lig does
 * (RFC 6835).  An ECM-encapsulated Map-Request leaves our own UDP
 * socket, not lispd's port 4342, so this works next to a running lispd
 * and on hosts without one; the Map-Reply, from the Map-Resolver, a
 * proxying Map-Server or the ETR itself, comes back to that socket's
 * port.  Printed: who answered, the round trip, each record with its
 * TTL, action and locators.  The wire codec is lispd's (libproto.a), and
 * so is the reading of lispd.conf for the default map-resolver.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "conf.h"
#include "lispctl.h"
#include "proto.h"

struct lookup {
	struct prefix	eid;		/* with its instance-id */
	bool		host;		/* asked for an address, not a prefix */
	struct laddr	mr;
	struct laddr	src;		/* our ITR-RLOC, or family 0 */
	unsigned int	timeout_ms;	/* per try */
	unsigned int	tries;
	struct laddr	local;		/* the ITR-RLOC we put in */
	uint16_t	port;		/* our UDP port */
	uint64_t	nonce;
};

static void help(FILE *f)
{
	fputs("Usage: lispctl [ -j [ -p ] ] [ -c LISPD.CONF ] lookup [ [IID] ]EID[ /PLEN ]\n"
	      "                [ -m MAP-RESOLVER ] [ -s SOURCE ] [ -i IID ] [ -t TIMEOUT-MS ]\n"
	      "                [ -c TRIES ] [ -j ]\n"
	      "Sends an ECM Map-Request for EID (an address, or a prefix), in instance-id\n"
	      "IID (\"[7]10.1.0.5\", or -i 7; default 0), to MAP-RESOLVER (default: the first\n"
	      "map-resolver of LISPD.CONF, read as lispd reads it; default\n"
	      LISPD_CONF ") from its own UDP port, SOURCE\n"
	      "as ITR-RLOC (default: the address routed towards the resolver), and\n"
	      "prints the Map-Reply: who answered, the round trip, records, TTLs and\n"
	      "locators. Exit status 1 when no Map-Reply came.\n\n", f);
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/*
 * The first map-resolver the lispd.conf gives the tenant of iid (or the
 * only tenant), the one its ITR asks first.
 */
static int conf_resolver(uint32_t iid, struct laddr *mr)
{
	struct lispd_conf *c = lc_conf_load();
	const struct tenant_conf *t;

	if (!c) {
		lc_err("lookup: no -m MAP-RESOLVER, and %s does not load",
		       lc_conf_file());
		return LC_ERR;
	}
	t = conf_tenant(c, iid);
	if (!t && c->ntenant == 1 && !c->tenant[0].iid_given)
		t = &c->tenant[0];
	if (!t || !t->nmr) {
		conf_free(c);
		return lc_usage_err("lookup: no -m MAP-RESOLVER and no map-resolver for instance-id %u in %s",
				    iid, lc_conf_file());
	}
	*mr = t->mr[0];
	conf_free(c);
	return 0;
}

/* The source address the routing table picks towards dst. */
static int route_source(const struct laddr *dst, struct laddr *src)
{
	struct sockaddr_storage ss;
	socklen_t sl = laddr_sockaddr(dst, LISP_CONTROL_PORT, &ss);
	uint16_t port;
	int fd = socket(dst->family, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = -1;

	if (fd < 0)
		return -1;
	if (!connect(fd, (struct sockaddr *)&ss, sl)) {
		sl = sizeof(ss);
		if (!getsockname(fd, (struct sockaddr *)&ss, &sl)) {
			r = laddr_from_sockaddr((struct sockaddr *)&ss, src, &port);
		}
	}
	close(fd);
	return r;
}

/* "[IID]address" for an IID LCAF, the address otherwise. */
static const char *lisp_fmt(const struct lisp_addr *l, char *buf, size_t len)
{
	const struct lisp_ip *ip = &l->ip;
	char a[INET6_ADDRSTRLEN] = "?";

	if (l->afi == LISP_AFI_LCAF && l->lcaf == LISP_LCAF_AFI_LIST &&
	    l->nlist)
		ip = &l->list[0];
	if (ip->afi == LISP_AFI_IPV4)
		inet_ntop(AF_INET, ip->addr, a, sizeof(a));
	else if (ip->afi == LISP_AFI_IPV6)
		inet_ntop(AF_INET6, ip->addr, a, sizeof(a));
	else if (ip->afi == LISP_AFI_NONE)
		snprintf(a, sizeof(a), "none");
	if (l->afi == LISP_AFI_LCAF && l->lcaf == LISP_LCAF_IID)
		snprintf(buf, len, "[%u]%s", l->iid, a);
	else
		snprintf(buf, len, "%s", a);
	return buf;
}

/*
 * What was asked: "10.1.0.5" or "10.1.0.0/24", after "[IID]" when iid
 * says so and the instance-id is not 0.
 */
static const char *eid_fmt(const struct lookup *lk, bool iid, char *buf,
			   size_t len)
{
	struct prefix p = lk->eid;
	struct laddr a;
	char s[ADDRSTRLEN];

	if (!iid)
		p.iid = 0;
	if (!lk->host)
		return prefix_fmt(&p, buf, len);
	prefix_addr(&p, &a);
	if (p.iid)
		snprintf(buf, len, "[%u]%s", p.iid, addr_fmt(&a, s, sizeof(s)));
	else
		snprintf(buf, len, "%s", addr_fmt(&a, s, sizeof(s)));
	return buf;
}

static int build(const struct lookup *lk, uint8_t *out, size_t len)
{
	static struct lisp_mapreq mreq;
	static uint8_t inner[1500];
	struct lisp_ecm e;
	int n;

	memset(&mreq, 0, sizeof(mreq));
	mreq.nonce = lk->nonce;
	mreq.nitr = 1;
	laddr_to_lisp(&lk->local, &mreq.itr[0]);
	mreq.nrec = 1;
	mreq.rec[0].mlen = lk->eid.plen;
	prefix_to_lisp(&lk->eid, &mreq.rec[0].eid);
	n = lisp_mapreq_encode(inner, sizeof(inner), &mreq);
	if (n < 0)
		return n;
	/* Inner header: our RLOC to the EID; the unspecified address as
	 * source when the EID is of the other family. */
	memset(&e, 0, sizeof(e));
	e.ipver = lk->eid.family == AF_INET ? 4 : 6;
	e.ttl = 64;
	if (lk->local.family == lk->eid.family)
		memcpy(e.src, lk->local.a, addr_len(lk->local.family));
	memcpy(e.dst, lk->eid.a, addr_len(lk->eid.family));
	e.sport = lk->port;
	e.dport = LISP_CONTROL_PORT;
	e.msg = inner;
	e.msg_len = (size_t)n;
	return lisp_ecm_encode(out, len, &e);
}

static json_object *reply_json(const struct lookup *lk,
			       const struct lisp_mapreply *rep,
			       const struct laddr *from, double rtt_ms)
{
	json_object *o = json_object_new_object(), *recs = json_object_new_array();
	char a[ADDRSTRLEN + 16], b[32];
	int i, j;

	json_object_object_add(o, "eid", json_object_new_string(
		eid_fmt(lk, false, a, sizeof(a))));
	json_object_object_add(o, "iid", json_object_new_int64(lk->eid.iid));
	json_object_object_add(o, "map-resolver", json_object_new_string(
		addr_fmt(&lk->mr, a, sizeof(a))));
	json_object_object_add(o, "replier", json_object_new_string(
		addr_fmt(from, a, sizeof(a))));
	snprintf(b, sizeof(b), "%.3f", rtt_ms);
	json_object_object_add(o, "rtt-ms", json_object_new_double_s(rtt_ms, b));
	snprintf(b, sizeof(b), "0x%016llx", (unsigned long long)rep->nonce);
	json_object_object_add(o, "nonce", json_object_new_string(b));
	for (i = 0; i < rep->nrec; i++) {
		const struct lisp_rec *r = &rep->rec[i];
		json_object *ro = json_object_new_object(), *locs;

		snprintf(a + strlen(lisp_fmt(&r->eid, a, sizeof(a) - 5)), 5,
			 "/%u", r->mlen);
		json_object_object_add(ro, "eid", json_object_new_string(a));
		json_object_object_add(ro, "ttl", json_object_new_int64(r->ttl));
		json_object_object_add(ro, "authoritative",
				       json_object_new_boolean(r->auth));
		json_object_object_add(ro, "version",
				       json_object_new_int(r->version));
		json_object_object_add(ro, "action",
				       json_object_new_string(lnl_action_name(r->act)));
		locs = json_object_new_array();
		for (j = 0; j < r->nloc; j++) {
			const struct lisp_loc *l = &r->loc[j];
			json_object *lo = json_object_new_object();

			json_object_object_add(lo, "address", json_object_new_string(
				lisp_fmt(&l->addr, a, sizeof(a))));
			json_object_object_add(lo, "priority",
					       json_object_new_int(l->priority));
			json_object_object_add(lo, "weight",
					       json_object_new_int(l->weight));
			json_object_object_add(lo, "reachable", json_object_new_boolean(
				!!(l->flags & LISP_LOC_R)));
			json_object_object_add(lo, "local", json_object_new_boolean(
				!!(l->flags & LISP_LOC_L)));
			json_object_array_add(locs, lo);
		}
		json_object_object_add(ro, "locators", locs);
		json_object_array_add(recs, ro);
	}
	json_object_object_add(o, "records", recs);
	return o;
}

static void reply_text(const struct lookup *lk, const struct lisp_mapreply *rep,
		       const struct laddr *from, double rtt_ms)
{
	char a[ADDRSTRLEN + 16];
	int i, j;

	printf("Map-Reply from %s in %.3f ms, nonce 0x%016llx\n",
	       addr_fmt(from, a, sizeof(a)), rtt_ms,
	       (unsigned long long)rep->nonce);
	for (i = 0; i < rep->nrec; i++) {
		const struct lisp_rec *r = &rep->rec[i];

		printf("  %s/%u ttl %u%s", lisp_fmt(&r->eid, a, sizeof(a)),
		       r->mlen, r->ttl, r->auth ? " authoritative" : "");
		if (!r->nloc)
			printf(" negative action %s\n", lnl_action_name(r->act));
		else
			printf(", %u locator%s\n", r->nloc, r->nloc == 1 ? "" : "s");
		for (j = 0; j < r->nloc; j++) {
			const struct lisp_loc *l = &r->loc[j];

			printf("    %s priority %u weight %u%s%s\n",
			       lisp_fmt(&l->addr, a, sizeof(a)), l->priority,
			       l->weight, l->flags & LISP_LOC_R ? " up" : " down",
			       l->flags & LISP_LOC_L ? " local" : "");
		}
	}
}

static int open_socket(struct lookup *lk)
{
	struct sockaddr_storage ss;
	struct laddr any = { .family = lk->mr.family };
	socklen_t sl;
	int fd;

	if (lk->src.family && lk->src.family != lk->mr.family) {
		lc_err("source and map-resolver are of different families");
		return -1;
	}
	if (lk->src.family)
		lk->local = lk->src;
	else if (route_source(&lk->mr, &lk->local)) {
		lc_err("no route to the map-resolver");
		return -1;
	}
	fd = socket(lk->mr.family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		lc_err("socket: %s", strerror(errno));
		return -1;
	}
	sl = laddr_sockaddr(lk->src.family ? &lk->src : &any, 0, &ss);
	if (bind(fd, (struct sockaddr *)&ss, sl)) {
		lc_err("bind: %s", strerror(errno));
		close(fd);
		return -1;
	}
	sl = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	laddr_from_sockaddr((struct sockaddr *)&ss, &any, &lk->port);
	return fd;
}

/* Wait up to ms for our Map-Reply: 1 got it, 0 timeout, -1 error. */
static int wait_reply(int fd, const struct lookup *lk, unsigned int ms,
		      struct lisp_mapreply *rep, struct laddr *from)
{
	static uint8_t buf[9216];
	uint64_t end = now_us() + (uint64_t)ms * 1000;
	struct sockaddr_storage ss;
	uint16_t port;

	for (;;) {
		uint64_t now = now_us();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		socklen_t sl = sizeof(ss);
		ssize_t n;
		int r;

		if (now >= end)
			return 0;
		r = poll(&p, 1, (int)((end - now + 999) / 1000));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r;
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss, &sl);
		if (n < 0)
			continue;
		laddr_from_sockaddr((struct sockaddr *)&ss, from, &port);
		if (lisp_msg_type(buf, (size_t)n) != LISP_MSG_REPLY)
			continue;
		r = lisp_mapreply_decode(buf, (size_t)n, rep);
		if (r < 0) {
			char a[ADDRSTRLEN];

			lc_err("malformed Map-Reply from %s: %s",
			       addr_fmt(from, a, sizeof(a)), lisp_strerror(-r));
			continue;
		}
		if (rep->nonce == lk->nonce)
			return 1;
	}
}

static int run(struct lnl *nl, int argc, char **argv)
{
	static struct lisp_mapreply rep;
	static uint8_t msg[2048];
	struct lookup lk = { .timeout_ms = 2000, .tries = 3 };
	struct sockaddr_storage ss;
	struct laddr from;
	char a[PREFIXSTRLEN], m[ADDRSTRLEN];
	const char *eid = NULL, *why;
	uint32_t iid = 0;
	bool has_iid = false;
	unsigned int t;
	socklen_t sl;
	int opt, fd, n, got = 0;
	uint64_t sent = 0;

	(void)nl;
	if (argc >= 1 && !strcmp(argv[0], "help")) {
		help(stdout);
		return 0;
	}
	/* EID first or among the options, as lig takes it. */
	optind = 0;
	opterr = 0;
	while (optind < argc + 1) {
		opt = getopt(argc + 1, argv - 1, "+m:s:i:t:c:j");
		if (opt == -1) {
			if (optind >= argc + 1)
				break;
			if (eid)
				return lc_usage_err("lookup: one EID only (\"%s\")",
						    argv[optind - 1]);
			eid = argv[optind - 1];
			optind++;
			continue;
		}
		switch (opt) {
		case 'm':
			if (addr_parse(optarg, &lk.mr))
				return lc_usage_err("lookup: -m \"%s\": not an address",
						    optarg);
			break;
		case 's':
			if (addr_parse(optarg, &lk.src))
				return lc_usage_err("lookup: -s \"%s\": not an address",
						    optarg);
			break;
		case 'i':
			if (lc_parse_u32(optarg, UINT32_MAX, &iid))
				return lc_usage_err("lookup: -i \"%s\": not an instance-id",
						    optarg);
			has_iid = true;
			break;
		case 't':
			if (lc_parse_u32(optarg, 60000, &lk.timeout_ms) ||
			    !lk.timeout_ms)
				return lc_usage_err("lookup: -t \"%s\": 1..60000 ms",
						    optarg);
			break;
		case 'c':
			if (lc_parse_u32(optarg, 100, &lk.tries) || !lk.tries)
				return lc_usage_err("lookup: -c \"%s\": 1..100 tries",
						    optarg);
			break;
		case 'j':
			lc_opts.json = 1;
			break;
		default:
			return lc_usage_err("lookup: unknown option or missing argument \"%s\"",
					    argv[optind - 2]);
		}
	}
	if (!eid)
		return lc_usage_err("lookup: which EID? (lispctl lookup help)");
	if (prefix_parse(eid, &lk.eid, &why))
		return lc_usage_err("lookup: \"%s\": %s", eid, why);
	if (has_iid && eid[0] == '[' && iid != lk.eid.iid)
		return lc_usage_err("lookup: \"%s\" and -i %u: two instance-ids",
				    eid, iid);
	if (has_iid)
		lk.eid.iid = iid;
	lk.host = !strchr(eid, '/');
	if (!lk.mr.family) {
		n = conf_resolver(lk.eid.iid, &lk.mr);
		if (n)
			return n;
	}
	fd = open_socket(&lk);
	if (fd < 0)
		return LC_ERR;
	if (getrandom(&lk.nonce, sizeof(lk.nonce), 0) != sizeof(lk.nonce))
		lk.nonce = now_us() ^ ((uint64_t)getpid() << 32);
	n = build(&lk, msg, sizeof(msg));
	if (n < 0) {
		lc_err("lookup: Map-Request: %s", lisp_strerror(-n));
		close(fd);
		return LC_ERR;
	}
	eid_fmt(&lk, true, a, sizeof(a));
	addr_fmt(&lk.mr, m, sizeof(m));
	if (!lc_opts.json)
		printf("Map-Request for %s to %s, nonce 0x%016llx\n", a, m,
		       (unsigned long long)lk.nonce);
	sl = laddr_sockaddr(&lk.mr, LISP_CONTROL_PORT, &ss);
	/* Retries repeat the same nonce: any answer to any try counts. */
	for (t = 0; t < lk.tries && !got; t++) {
		if (sendto(fd, msg, (size_t)n, 0, (struct sockaddr *)&ss, sl) < 0) {
			lc_err("lookup: send to %s: %s", m, strerror(errno));
			close(fd);
			return LC_ERR;
		}
		sent = now_us();	/* the round trip of the try answered */
		got = wait_reply(fd, &lk, lk.timeout_ms, &rep, &from);
		if (got < 0)
			break;
	}
	close(fd);
	if (got <= 0) {
		lc_err("lookup: no Map-Reply for %s from %s after %u tries", a, m,
		       lk.tries);
		return LC_ERR;
	}
	if (lc_opts.json) {
		json_object *o = reply_json(&lk, &rep, &from,
					    (double)(now_us() - sent) / 1000);

		lc_json_print(stdout, o);
		json_object_put(o);
	} else {
		reply_text(&lk, &rep, &from, (double)(now_us() - sent) / 1000);
	}
	fflush(stdout);
	return 0;
}

const struct lc_cmd lc_cmd_lookup = {
	.name = "lookup",
	.alias = "lig",
	.run = run,
	.help = help,
};
