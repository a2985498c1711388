// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink side of lispctl: open the socket, resolve the "lisp"
 * generic netlink family, send a request and collect its replies and
 * ACK, print extended ACK errors, and pipeline many requests for batch
 * mode.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "lispctl.h"

#define LC_RXBUF	(64 * 1024)
#define LC_PIPE_BUF	(64 * 1024)
#define LC_SOCKBUF	(8 * 1024 * 1024)

static bool quiet;		/* the family lookup reports by itself */

void lc_msg_init(struct nlmsghdr *nlh, uint16_t family, uint16_t flags)
{
	memset(nlh, 0, sizeof(*nlh));
	nlh->nlmsg_len = mnl_nlmsg_size(0);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
}

void lc_genl_put(struct nlmsghdr *nlh, uint8_t cmd)
{
	struct genlmsghdr *g;

	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = LISP_GENL_VERSION;
}

/* ---- naming attributes for "bad attribute" diagnostics ---- */

static const char *const top_names[] = {
	[LISP_A_IFINDEX] = "ifindex",	[LISP_A_IFNAME] = "ifname",
	[LISP_A_IID] = "iid",		[LISP_A_EID_INET] = "eid",
	[LISP_A_EID_INET6] = "eid6",	[LISP_A_EID_PLEN] = "plen",
	[LISP_A_SEID_INET] = "seid",	[LISP_A_SEID_INET6] = "seid6",
	[LISP_A_ACTION] = "action",	[LISP_A_TTL] = "ttl",
	[LISP_A_FLAGS] = "flags",	[LISP_A_RLOCS] = "rlocs",
	[LISP_A_PACKETS] = "packets",	[LISP_A_BYTES] = "bytes",
	[LISP_A_IDLE_MS] = "idle-ms",	[LISP_A_AGE] = "age",
	[LISP_A_LOOKUP] = "lookup",	[LISP_A_STATS] = "stats",
};

static const char *const rloc_names[] = {
	[LISP_RLOC_A_INET] = "address",	[LISP_RLOC_A_INET6] = "address6",
	[LISP_RLOC_A_PRIORITY] = "priority",
	[LISP_RLOC_A_WEIGHT] = "weight",
	[LISP_RLOC_A_FLAGS] = "flags",
	[LISP_RLOC_A_PACKETS] = "packets", [LISP_RLOC_A_BYTES] = "bytes",
};

static const char *aname(const char *const *tab, size_t n, unsigned int t,
			 char *buf, size_t len)
{
	if (t < n && tab[t])
		return tab[t];
	snprintf(buf, len, "attr%u", t);
	return buf;
}

/* The attribute containing byte off of req, walking into nests. */
static const struct nlattr *attr_at(const void *start, size_t len,
				    const char *base, uint32_t off)
{
	const struct nlattr *a = start;

	while (mnl_attr_ok(a, (int)len)) {
		const char *p = (const char *)a;

		if (off >= (uint32_t)(p - base) &&
		    off < (uint32_t)(p - base + a->nla_len))
			return a;
		len -= MNL_ALIGN(a->nla_len);
		a = mnl_attr_next(a);
	}
	return NULL;
}

const char *lc_attr_path(const struct nlmsghdr *req, uint32_t off,
			 char *buf, size_t len)
{
	const char *base = (const char *)req;
	size_t hdr = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr));
	const struct nlattr *a, *el, *f;
	char t1[16], t2[16];

	if (off < hdr || off >= req->nlmsg_len)
		return NULL;
	a = attr_at(base + hdr, req->nlmsg_len - hdr, base, off);
	if (!a)
		return NULL;
	if (mnl_attr_get_type(a) != LISP_A_RLOCS ||
	    off < (uint32_t)((const char *)a - base) + MNL_ATTR_HDRLEN) {
		snprintf(buf, len, "%s",
			 aname(top_names, sizeof(top_names) / sizeof(top_names[0]),
			       mnl_attr_get_type(a), t1, sizeof(t1)));
		return buf;
	}
	el = attr_at(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a),
		     base, off);
	if (!el) {
		snprintf(buf, len, "rlocs");
		return buf;
	}
	f = attr_at(mnl_attr_get_payload(el), mnl_attr_get_payload_len(el),
		    base, off);
	if (!f || off < (uint32_t)((const char *)el - base) + MNL_ATTR_HDRLEN)
		snprintf(buf, len, "rloc %u", mnl_attr_get_type(el));
	else
		snprintf(buf, len, "rloc %u %s", mnl_attr_get_type(el),
			 aname(rloc_names,
			       sizeof(rloc_names) / sizeof(rloc_names[0]),
			       mnl_attr_get_type(f), t2, sizeof(t2)));
	return buf;
}

/*
 * Print an NLMSG_ERROR (or an NLMSG_DONE carrying an error) the way
 * "ip" does: the extended ACK message when the kernel gave one, the
 * errno name, and which attribute of our request it blamed.
 */
void lc_report_nlerr(const char *what, const struct nlmsghdr *err,
		     const struct nlmsghdr *req)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(err);
	const char *msg = NULL;
	const struct nlattr *attr;
	char path[64];
	const char *where = NULL;
	size_t hlen;
	int code;

	if (err->nlmsg_type == NLMSG_DONE) {
		code = -*(const int *)mnl_nlmsg_get_payload(err);
		hlen = sizeof(int);
	} else {
		code = -e->error;
		hlen = sizeof(*e);
		if (!(err->nlmsg_flags & NLM_F_CAPPED))
			hlen += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	if ((err->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    MNL_ALIGN(hlen) < mnl_nlmsg_get_payload_len(err)) {
		mnl_attr_for_each(attr, err, MNL_ALIGN(hlen)) {
			switch (mnl_attr_get_type(attr)) {
			case NLMSGERR_ATTR_MSG:
				if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
					msg = mnl_attr_get_str(attr);
				break;
			case NLMSGERR_ATTR_OFFS:
				if (req && mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
					where = lc_attr_path(req,
							     mnl_attr_get_u32(attr),
							     path, sizeof(path));
				break;
			}
		}
	}
	if (msg && *msg)
		lc_err("%s: Error: %s (%s)%s%s", what, msg, lc_errname(code),
		       where ? ", attribute " : "", where ? where : "");
	else
		lc_err("%s: %s (%s)%s%s", what, strerror(code),
		       lc_errname(code), where ? ", attribute " : "",
		       where ? where : "");
}

/* ---- socket and family ---- */

static void sock_bufs(struct lc_nl *nl)
{
	int fd = mnl_socket_get_fd(nl->sock);
	int one = 1, sz = LC_SOCKBUF;

	/* Best effort: old kernels lack the extended ACK options. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
}

struct family_info {
	struct lc_nl *nl;
	bool found;
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct family_info *fi = data;
	const struct nlattr *a, *grp, *ga;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			fi->nl->family = mnl_attr_get_u16(a);
			fi->found = true;
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(grp, a) {
				const char *name = NULL;
				uint32_t id = 0;

				mnl_attr_for_each_nested(ga, grp) {
					if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_NAME)
						name = mnl_attr_get_str(ga);
					else if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_ID)
						id = mnl_attr_get_u32(ga);
				}
				if (name && !strcmp(name, LISP_MCGRP_EVENTS))
					fi->nl->mcgrp_events = id;
			}
			break;
		}
	}
	return 0;
}

static int resolve_family(struct lc_nl *nl)
{
	char buf[256];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct family_info fi = { .nl = nl };
	struct genlmsghdr *g;
	int r;

	lc_msg_init(nlh, GENL_ID_CTRL, NLM_F_ACK);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, LISP_GENL_NAME);

	/* ENOENT here is expected when the module is not loaded: say so. */
	quiet = true;
	r = lc_nl_request(nl, nlh, "resolve", family_cb, &fi);
	quiet = false;
	if (r || !fi.found) {
		lc_err("generic netlink family \"%s\" not found (is the lisp module loaded?)",
		       LISP_GENL_NAME);
		return LC_ERR;
	}
	return 0;
}

int lc_nl_open(struct lc_nl *nl)
{
	memset(nl, 0, sizeof(*nl));
	if (lc_opts.dry_run)
		return 0;
	nl->rxlen = LC_RXBUF;
	nl->rxbuf = malloc(nl->rxlen);
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->rxbuf || !nl->sock) {
		lc_err("netlink socket: %s", strerror(errno));
		return LC_ERR;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		lc_err("netlink bind: %s", strerror(errno));
		return LC_ERR;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	sock_bufs(nl);
	return resolve_family(nl);
}

void lc_nl_close(struct lc_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->rxbuf);
	memset(nl, 0, sizeof(*nl));
}

/*
 * Send one request and read until its ACK (doit) or NLMSG_DONE (dump),
 * handing every other reply to cb. Returns 0 or LC_ERR (reported).
 */
int lc_nl_request(struct lc_nl *nl, struct nlmsghdr *nlh, const char *what,
		  lc_msg_cb cb, void *data)
{
	uint32_t seq;
	ssize_t n;

	if (!nl->sock)
		return 0;		/* --dry-run */
	seq = nlh->nlmsg_seq = ++nl->seq;
	nlh->nlmsg_pid = 0;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
		lc_err("%s: sendmsg: %s", what, strerror(errno));
		return LC_ERR;
	}
	for (;;) {
		const struct nlmsghdr *r;
		int left;

		n = mnl_socket_recvfrom(nl->sock, nl->rxbuf, nl->rxlen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			lc_err("%s: recvmsg: %s", what, strerror(errno));
			return LC_ERR;
		}
		left = (int)n;
		for (r = (const struct nlmsghdr *)nl->rxbuf;
		     mnl_nlmsg_ok(r, left); r = mnl_nlmsg_next(r, &left)) {
			if (r->nlmsg_seq != seq || r->nlmsg_pid != nl->portid)
				continue;	/* stale or not ours */
			if (r->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(r);

				if (!e->error)
					return 0;
				if (!quiet)
					lc_report_nlerr(what, r, nlh);
				return LC_ERR;
			}
			if (r->nlmsg_type == NLMSG_DONE) {
				if (mnl_nlmsg_get_payload_len(r) >= sizeof(int) &&
				    *(const int *)mnl_nlmsg_get_payload(r) < 0) {
					lc_report_nlerr(what, r, nlh);
					return LC_ERR;
				}
				return 0;
			}
			if (r->nlmsg_type == NLMSG_NOOP ||
			    r->nlmsg_type == NLMSG_OVERRUN)
				continue;
			if (cb && cb(r, data) < 0)
				return LC_ERR;
		}
	}
}

/* build() then send with ACK: the one-shot form of a modifying command. */
int lc_run_request(struct lc_nl *nl, const struct lc_cmd *cmd,
		   int argc, char **argv)
{
	union {
		struct nlmsghdr nlh;
		char buf[LC_MSG_MAX];
	} u;
	const char *what = cmd->name;
	int r;

	lc_msg_init(&u.nlh, nl->family, NLM_F_ACK);
	r = cmd->build(&u.nlh, argc, argv, &what);
	if (r)
		return r;
	return lc_nl_request(nl, &u.nlh, what, NULL, NULL);
}

/* ---- pipelining for batch mode ---- */

struct lc_pending {
	uint32_t off;			/* of the request in buf */
	int lineno;
	const char *what;
	bool done;
};

struct lc_pipe {
	struct lc_nl *nl;
	char *buf;
	size_t used;
	struct lc_pending *pend;
	unsigned int n, max;
	uint32_t first_seq;
	int errors;
	unsigned long sent;
};

struct lc_pipe *lc_pipe_new(struct lc_nl *nl)
{
	struct lc_pipe *p = calloc(1, sizeof(*p));
	int rcv = 0;
	socklen_t sl = sizeof(rcv);

	if (!p)
		return NULL;
	p->nl = nl;
	/*
	 * Every request of a window is answered by an ACK queued on our
	 * socket while sendmsg() runs; keep the window small enough that
	 * the ACKs (about 1 KiB of truesize each) fit the receive buffer.
	 */
	p->max = 1024;
	if (nl->sock &&
	    getsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF,
		       &rcv, &sl) == 0 && rcv > 0) {
		p->max = (unsigned int)rcv / 2048;
		if (p->max > 1024)
			p->max = 1024;
		if (p->max < 8)
			p->max = 8;
	}
	p->buf = malloc(LC_PIPE_BUF);
	p->pend = calloc(p->max, sizeof(*p->pend));
	if (!p->buf || !p->pend) {
		lc_pipe_free(p);
		return NULL;
	}
	return p;
}

void lc_pipe_free(struct lc_pipe *p)
{
	if (!p)
		return;
	free(p->buf);
	free(p->pend);
	free(p);
}

int lc_pipe_errors(const struct lc_pipe *p)
{
	return p->errors;
}

unsigned long lc_pipe_count(const struct lc_pipe *p)
{
	return p->sent;
}

/* Room for the next request, sending the window first when full. */
struct nlmsghdr *lc_pipe_next(struct lc_pipe *p)
{
	struct nlmsghdr *nlh;

	if (p->n == p->max || LC_PIPE_BUF - p->used < LC_MSG_MAX)
		lc_pipe_flush(p);
	nlh = (struct nlmsghdr *)(p->buf + p->used);
	lc_msg_init(nlh, p->nl->family, NLM_F_ACK);
	return nlh;
}

void lc_pipe_commit(struct lc_pipe *p, struct nlmsghdr *nlh, int lineno,
		    const char *what)
{
	struct lc_pending *pd = &p->pend[p->n];

	if (p->n == 0)
		p->first_seq = p->nl->seq + 1;
	nlh->nlmsg_seq = ++p->nl->seq;
	pd->off = (uint32_t)((char *)nlh - p->buf);
	pd->lineno = lineno;
	pd->what = what;
	pd->done = false;
	p->used += MNL_ALIGN(nlh->nlmsg_len);
	p->n++;
	p->sent++;
}

static void pipe_fail_rest(struct lc_pipe *p, const char *why)
{
	int saved = lc_lineno;
	unsigned int i;

	for (i = 0; i < p->n; i++) {
		if (p->pend[i].done)
			continue;
		lc_lineno = p->pend[i].lineno;
		lc_err("%s: %s", p->pend[i].what, why);
		p->errors++;
	}
	lc_lineno = saved;
}

/* Send the window in one sendmsg() and check the ACK of every request. */
int lc_pipe_flush(struct lc_pipe *p)
{
	struct lc_nl *nl = p->nl;
	unsigned int acked = 0;
	int saved = lc_lineno;

	if (!p->n)
		return 0;
	if (!nl->sock)
		goto out;		/* --dry-run */
	if (mnl_socket_sendto(nl->sock, p->buf, p->used) < 0) {
		pipe_fail_rest(p, strerror(errno));
		goto out;
	}
	while (acked < p->n) {
		const struct nlmsghdr *r;
		ssize_t n;
		int left;

		n = mnl_socket_recvfrom(nl->sock, nl->rxbuf, nl->rxlen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			pipe_fail_rest(p, errno == ENOBUFS ?
				       "acknowledgement lost (receive buffer overrun)" :
				       strerror(errno));
			break;
		}
		left = (int)n;
		for (r = (const struct nlmsghdr *)nl->rxbuf;
		     mnl_nlmsg_ok(r, left); r = mnl_nlmsg_next(r, &left)) {
			const struct nlmsgerr *e;
			struct lc_pending *pd;
			uint32_t i = r->nlmsg_seq - p->first_seq;

			if (r->nlmsg_type != NLMSG_ERROR || i >= p->n ||
			    p->pend[i].done)
				continue;
			pd = &p->pend[i];
			pd->done = true;
			acked++;
			e = mnl_nlmsg_get_payload(r);
			if (e->error) {
				lc_lineno = pd->lineno;
				lc_report_nlerr(pd->what, r,
						(const struct nlmsghdr *)(p->buf + pd->off));
				lc_lineno = saved;
				p->errors++;
			}
		}
	}
out:
	p->n = 0;
	p->used = 0;
	return 0;
}
