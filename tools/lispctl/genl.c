// SPDX-License-Identifier: GPL-2.0
/*
 * How lispctl shows the kernel's answers: the socket, the family and
 * the exchange are lnl's (lispd/genl), shared with lispd.  Batch mode
 * pipelines many requests to one sendmsg() and checks every ACK.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>

#include "lispctl.h"

#define LC_PIPE_BUF	(64 * 1024)

/*
 * An error the way "ip" prints one: the extended ACK message when the
 * kernel gave one, the errno name, and which attribute of req it blamed.
 */
void lc_report_nlerr(const char *what, const struct lnl_err *err,
		     const struct nlmsghdr *req)
{
	const char *where = NULL;
	char path[64];
	int code = -err->code;

	if (err->op) {
		lc_err("%s: %s: %s", what, err->op, strerror(code));
		return;
	}
	if (err->has_off && req)
		where = lnl_attr_path(req, err->off, path, sizeof(path));
	if (err->msg[0])
		lc_err("%s: Error: %s (%s)%s%s", what, err->msg, lc_errname(code),
		       where ? ", attribute " : "", where ? where : "");
	else
		lc_err("%s: %s (%s)%s%s", what, strerror(code),
		       lc_errname(code), where ? ", attribute " : "",
		       where ? where : "");
}

int lc_nl_open(struct lnl *nl)
{
	int r;

	memset(nl, 0, sizeof(*nl));
	if (lc_opts.dry_run)
		return 0;
	r = lnl_open(nl);
	if (r == -ENOENT) {
		lc_err("generic netlink family \"%s\" not found (is the lisp module loaded?)",
		       LISP_GENL_NAME);
		return LC_ERR;
	}
	if (r) {
		lc_err("netlink socket: %s", strerror(-r));
		return LC_ERR;
	}
	return 0;
}

void lc_nl_close(struct lnl *nl)
{
	if (nl->sock)
		lnl_close(nl);
}

/* One request, its replies to cb: 0, or LC_ERR once reported. */
int lc_nl_request(struct lnl *nl, struct nlmsghdr *nlh, const char *what,
		  lnl_cb cb, void *data)
{
	struct lnl_err err;
	int r;

	if (!nl->sock)
		return 0;		/* --dry-run */
	r = lnl_request(nl, nlh, cb, data, &err);
	if (r && err.code)
		lc_report_nlerr(what, &err, nlh);
	return r ? LC_ERR : 0;
}

/* build() then send with ACK: the one-shot form of a modifying command. */
int lc_run_request(struct lnl *nl, const struct lc_cmd *cmd,
		   int argc, char **argv)
{
	union {
		struct nlmsghdr nlh;
		char buf[LC_MSG_MAX];
	} u;
	const char *what = cmd->name;
	int r;

	lnl_msg_init(&u.nlh, nl->family, NLM_F_ACK);
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
	struct lnl *nl;
	char *buf;
	size_t used;
	struct lc_pending *pend;
	unsigned int n, max;
	uint32_t first_seq;
	int errors;
	unsigned long sent;
};

struct lc_pipe *lc_pipe_new(struct lnl *nl)
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
	lnl_msg_init(nlh, p->nl->family, NLM_F_ACK);
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
	struct lnl *nl = p->nl;
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
			struct lnl_err err;
			struct lc_pending *pd;
			uint32_t i = r->nlmsg_seq - p->first_seq;

			if (r->nlmsg_type != NLMSG_ERROR || i >= p->n ||
			    p->pend[i].done)
				continue;
			pd = &p->pend[i];
			pd->done = true;
			acked++;
			if (lnl_ack(r, &err) < 0) {
				lc_lineno = pd->lineno;
				lc_report_nlerr(pd->what, &err,
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
