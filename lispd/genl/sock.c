/* SPDX-License-Identifier: MIT */
/*
 * The socket side of the "lisp" family: open and bind, resolve the
 * family and its "events" group through the generic netlink controller,
 * send a request and read its replies until the ACK or the end of a
 * dump, take the extended ACK apart, and read events.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "lnl.h"

#define LNL_RXBUF	(64 * 1024)
#define LNL_SOCKBUF	(8 * 1024 * 1024)

int
lnl_fd(const struct lnl *nl)
{
	return nl->sock ? mnl_socket_get_fd(nl->sock) : -1;
}

void
lnl_msg_init(struct nlmsghdr *nlh, uint16_t family, uint16_t flags)
{
	memset(nlh, 0, sizeof(*nlh));
	nlh->nlmsg_len = mnl_nlmsg_size(0);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
}

void
lnl_genl_put(struct nlmsghdr *nlh, uint8_t cmd)
{
	struct genlmsghdr	*g;

	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = nlh->nlmsg_type == GENL_ID_CTRL ? 1 : LISP_GENL_VERSION;
}

struct nlmsghdr *
lnl_msg(void *buf, uint16_t family, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr	*nlh = buf;

	lnl_msg_init(nlh, family, flags);
	lnl_genl_put(nlh, cmd);
	return nlh;
}

uint8_t
lnl_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*g))
		return LISP_CMD_UNSPEC;
	return g->cmd;
}

int
lnl_ack(const struct nlmsghdr *m, struct lnl_err *err)
{
	const struct nlmsgerr	*e = mnl_nlmsg_get_payload(m);
	size_t			 plen = mnl_nlmsg_get_payload_len(m), hlen;
	const struct nlattr	*a;
	int			 code;

	if (m->nlmsg_type == NLMSG_DONE) {
		/* A dump's end; a dump that failed half way says why here. */
		code = plen >= sizeof(int) ? *(const int *)(const void *)e : 0;
		hlen = sizeof(int);
	} else if (m->nlmsg_type == NLMSG_ERROR) {
		if (plen < sizeof(*e))
			return -EBADMSG;
		code = e->error;
		hlen = sizeof(*e);
		if (!(m->nlmsg_flags & NLM_F_CAPPED))
			hlen += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	} else
		return 1;
	if (code > 0)
		code = -code;
	if (!err)
		return code;
	memset(err, 0, sizeof(*err));
	err->code = code;
	if (!code || !(m->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    MNL_ALIGN(hlen) >= plen)
		return code;
	mnl_attr_for_each(a, m, MNL_ALIGN(hlen)) {
		switch (mnl_attr_get_type(a)) {
		case NLMSGERR_ATTR_MSG:
			if (!mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
				snprintf(err->msg, sizeof(err->msg), "%s",
				    mnl_attr_get_str(a));
			break;
		case NLMSGERR_ATTR_OFFS:
			if (!mnl_attr_validate(a, MNL_TYPE_U32)) {
				err->off = mnl_attr_get_u32(a);
				err->has_off = true;
			}
			break;
		}
	}
	return code;
}

static int
fail(struct lnl_err *err, const char *op)
{
	int	code = -errno;

	if (err) {
		memset(err, 0, sizeof(*err));
		err->code = code;
		err->op = op;
	}
	return code;
}

int
lnl_request(struct lnl *nl, struct nlmsghdr *req, lnl_cb cb, void *arg,
    struct lnl_err *err)
{
	uint32_t	 seq;
	ssize_t		 n;
	int		 r;

	if (err)
		memset(err, 0, sizeof(*err));
	seq = req->nlmsg_seq = ++nl->seq;
	req->nlmsg_pid = 0;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return fail(err, "sendmsg");
	for (;;) {
		const struct nlmsghdr	*m;
		int			 left;

		n = mnl_socket_recvfrom(nl->sock, nl->rxbuf, nl->rxlen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return fail(err, "recvmsg");
		}
		left = (int)n;
		for (m = (const void *)nl->rxbuf; mnl_nlmsg_ok(m, left);
		    m = mnl_nlmsg_next(m, &left)) {
			if (m->nlmsg_seq != seq || m->nlmsg_pid != nl->portid)
				continue;	/* stale, or not ours */
			if (m->nlmsg_type == NLMSG_NOOP ||
			    m->nlmsg_type == NLMSG_OVERRUN)
				continue;
			r = lnl_ack(m, err);
			if (r <= 0)
				return r;
			if (cb && (r = cb(m, arg)) < 0)
				return r;
		}
	}
}

struct family {
	struct lnl	*nl;
	bool		 found;
};

static void
family_groups(struct lnl *nl, const struct nlattr *nest)
{
	const struct nlattr	*grp, *a;

	mnl_attr_for_each_nested(grp, nest) {
		const char	*name = NULL;
		uint32_t	 id = 0;

		mnl_attr_for_each_nested(a, grp) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
			    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
				name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) ==
			    CTRL_ATTR_MCAST_GRP_ID &&
			    !mnl_attr_validate(a, MNL_TYPE_U32))
				id = mnl_attr_get_u32(a);
		}
		if (name && !strcmp(name, LISP_MCGRP_EVENTS))
			nl->mcgrp = id;
	}
}

static int
family_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct family		*f = arg;
	const struct nlattr	*a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    !mnl_attr_validate(a, MNL_TYPE_U16)) {
			f->nl->family = mnl_attr_get_u16(a);
			f->found = true;
		} else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS)
			family_groups(f->nl, a);
	}
	return MNL_CB_OK;
}

static int
resolve(struct lnl *nl)
{
	char		 buf[256];
	struct nlmsghdr	*nlh;
	struct family	 f = { .nl = nl };
	int		 r;

	nlh = lnl_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, LISP_GENL_NAME);
	r = lnl_request(nl, nlh, family_cb, &f, NULL);
	if (!r && !f.found)
		r = -ENOENT;
	return r;
}

int
lnl_open(struct lnl *nl)
{
	int	one = 1, sz = LNL_SOCKBUF, fd, r;

	memset(nl, 0, sizeof(*nl));
	nl->rxlen = LNL_RXBUF;
	nl->rxbuf = malloc(nl->rxlen);
	nl->sock = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!nl->rxbuf || !nl->sock ||
	    mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		lnl_close(nl);
		return r;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	/* Best effort: older kernels lack the extended ACK options. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	/* A million-entry dump, or a burst of misses, must not overrun. */
	fd = mnl_socket_get_fd(nl->sock);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if ((r = resolve(nl))) {
		lnl_close(nl);
		return r;
	}
	return 0;
}

void
lnl_close(struct lnl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->rxbuf);
	memset(nl, 0, sizeof(*nl));
}

int
lnl_subscribe(struct lnl *nl)
{
	int	grp = (int)nl->mcgrp;

	if (!nl->mcgrp)
		return -ENOENT;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &grp,
	    sizeof(grp)) < 0)
		return -errno;
	return 0;
}

int
lnl_recv(struct lnl *nl, lnl_cb cb, void *arg)
{
	const struct nlmsghdr	*m;
	ssize_t			 n;
	int			 left;

	n = mnl_socket_recvfrom(nl->sock, nl->rxbuf, nl->rxlen);
	if (n < 0)
		return -errno;
	left = (int)n;
	for (m = (const void *)nl->rxbuf; mnl_nlmsg_ok(m, left);
	    m = mnl_nlmsg_next(m, &left))
		if (m->nlmsg_type == nl->family)
			cb(m, arg);
	return 0;
}
