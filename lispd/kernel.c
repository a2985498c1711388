/* SPDX-License-Identifier: MIT */
/*
 * The client of the kernel data plane: the "lisp" generic netlink
 * family (uapi/linux/lisp.h, kmod/netlink.c).  Requests go over one
 * blocking socket and wait for their ACK, so a failure is reported with
 * the kernel's extended ACK message where it happened; MISS events
 * arrive on a second, non-blocking socket joined to "events".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "kernel.h"
#include "etr.h"
#include "itr.h"

#define NL_BUF		(64 * 1024)
#define NL_REQ		8192

static struct mnl_socket *req_sock, *ev_sock;
static uint16_t		 family;
static uint32_t		 mcgrp;
static uint32_t		 seq;
static int		 ifindex;
static uint32_t		 dev_iid;
static char		*rxbuf;

int
kernel_ifindex(void)
{
	return ifindex;
}

static struct nlmsghdr *
msg_start(char *buf, uint16_t type, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr		*nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr	*g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = type == GENL_ID_CTRL ? 1 : LISP_GENL_VERSION;
	return nlh;
}

/* The extended ACK text, when the kernel gave one. */
static const char *
extack_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr	*e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr	*a;
	size_t			 off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	mnl_attr_for_each(a, nlh, off)
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			return mnl_attr_get_str(a);
	return NULL;
}

/*
 * Send one request; hand each reply to cb until the ACK or the end of a
 * dump.  Returns 0 or -errno, logging what failed unless quiet or the
 * error is the expected one.
 */
static int
request_x(struct nlmsghdr *nlh, const char *what, mnl_cb_t cb, void *data,
    bool quiet, int expected)
{
	uint32_t	 portid = mnl_socket_get_portid(req_sock);
	ssize_t		 n;
	int		 r;

	nlh->nlmsg_seq = ++seq;
	if (mnl_socket_sendto(req_sock, nlh, nlh->nlmsg_len) < 0) {
		r = -errno;
		log_warn("netlink %s", what);
		return r;
	}
	for (;;) {
		const struct nlmsghdr	*m;
		int			 left;

		n = mnl_socket_recvfrom(req_sock, rxbuf, NL_BUF);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			log_warn("netlink %s", what);
			return r;
		}
		left = (int)n;
		for (m = (void *)rxbuf; mnl_nlmsg_ok(m, left);
		    m = mnl_nlmsg_next(m, &left)) {
			if (m->nlmsg_seq != seq || m->nlmsg_pid != portid)
				continue;
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e =
				    mnl_nlmsg_get_payload(m);
				const char *x;

				if (!e->error)
					return 0;
				x = extack_msg(m);
				if (!quiet && e->error != expected)
					log_warnx("netlink %s: %s%s%s", what,
					    strerror(-e->error), x ? ": " : "",
					    x ? x : "");
				return e->error;
			}
			if (m->nlmsg_type == NLMSG_DONE) {
				if (mnl_nlmsg_get_payload_len(m) >= sizeof(int)
				    && *(const int *)mnl_nlmsg_get_payload(m)) {
					r = *(const int *)mnl_nlmsg_get_payload(m);
					if (!quiet)
						log_warnx("netlink %s: %s", what,
						    strerror(-r));
					return r;
				}
				return 0;
			}
			if (cb && cb(m, data) < 0)
				return -EINVAL;
		}
	}
}

static int
request(struct nlmsghdr *nlh, const char *what, mnl_cb_t cb, void *data,
    bool quiet)
{
	return request_x(nlh, what, cb, data, quiet, 0);
}

/* For kernel_dyn.c: a request of our family, and its exchange. */
struct nlmsghdr *
kernel_msg(char *buf, uint8_t cmd, uint16_t flags)
{
	return msg_start(buf, family, cmd, flags);
}

int
kernel_request(struct nlmsghdr *nlh, const char *what,
    int (*cb)(const struct nlmsghdr *, void *), void *data, int expected)
{
	return request_x(nlh, what, cb, data, false, expected);
}

static int
family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr	*a, *grp, *ga;

	(void)data;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			family = mnl_attr_get_u16(a);
		if (mnl_attr_get_type(a) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		mnl_attr_for_each_nested(grp, a) {
			const char	*name = NULL;
			uint32_t	 id = 0;

			mnl_attr_for_each_nested(ga, grp) {
				if (mnl_attr_get_type(ga) ==
				    CTRL_ATTR_MCAST_GRP_NAME)
					name = mnl_attr_get_str(ga);
				else if (mnl_attr_get_type(ga) ==
				    CTRL_ATTR_MCAST_GRP_ID)
					id = mnl_attr_get_u32(ga);
			}
			if (name && !strcmp(name, LISP_MCGRP_EVENTS))
				mcgrp = id;
		}
	}
	return MNL_CB_OK;
}

static int
iid_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr	*a;

	(void)data;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == LISP_A_IID)
			dev_iid = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static struct mnl_socket *
nl_open(void)
{
	struct mnl_socket	*s;
	int			 one = 1;

	s = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!s)
		return NULL;
	if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(s);
		return NULL;
	}
	/* Best effort: older kernels lack these. */
	mnl_socket_setsockopt(s, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(s, NETLINK_CAP_ACK, &one, sizeof(one));
	return s;
}

int
kernel_init(void)
{
	char			 buf[NL_REQ];
	struct nlmsghdr		*nlh;

	rxbuf = malloc(NL_BUF);
	req_sock = nl_open();
	if (!rxbuf || !req_sock) {
		log_warn("netlink socket");
		return -1;
	}
	seq = (uint32_t)time(NULL);
	nlh = msg_start(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, LISP_GENL_NAME);
	if (request(nlh, "family lookup", family_cb, NULL, true) || !family) {
		log_warnx("generic netlink family \"%s\" not found (is the "
		    "lisp module loaded?)", LISP_GENL_NAME);
		return -1;
	}
	/* A first-hop router only detects hosts: no lisp device. */
	if (!(conf->roles & (ROLE_ITR | ROLE_PITR | ROLE_ETR)))
		return 0;
	ifindex = (int)if_nametoindex(conf->iface);
	if (!ifindex) {
		log_warn("xtr-interface %s", conf->iface);
		return -1;
	}
	nlh = msg_start(buf, family, LISP_CMD_STATS_GET, 0);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, (uint32_t)ifindex);
	if (request(nlh, "device lookup", iid_cb, NULL, false)) {
		log_warnx("xtr-interface %s is not a lisp device", conf->iface);
		return -1;
	}
	log_info("kernel: %s ifindex %d instance-id %u", conf->iface, ifindex,
	    dev_iid);
	return 0;
}

void
kernel_close(void)
{
	if (ev_sock) {
		ev_del(mnl_socket_get_fd(ev_sock));
		mnl_socket_close(ev_sock);
	}
	if (req_sock)
		mnl_socket_close(req_sock);
	free(rxbuf);
	ev_sock = req_sock = NULL;
	rxbuf = NULL;
}

static void
put_eid(struct nlmsghdr *nlh, const struct prefix *p)
{
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, (uint32_t)ifindex);
	mnl_attr_put(nlh, p->family == AF_INET ? LISP_A_EID_INET :
	    LISP_A_EID_INET6, p->family == AF_INET ? 4 : 16, p->a);
	mnl_attr_put_u8(nlh, LISP_A_EID_PLEN, p->plen);
}

/* The device serves one instance-id; anything else is not for it. */
static int
check_iid(const struct prefix *p, const char *what)
{
	char	s[PREFIXSTRLEN];

	if (p->iid == dev_iid)
		return 0;
	log_warnx("kernel %s %s: instance-id is not %s's (%u)", what,
	    prefix_fmt(p, s, sizeof(s)), conf->iface, dev_iid);
	return -EINVAL;
}

int
kernel_map_replace(const struct kmap *m)
{
	char		 buf[NL_REQ];
	struct nlmsghdr	*nlh;
	struct nlattr	*nest, *r;
	int		 i, err;

	if ((err = check_iid(&m->eid, "map-cache")))
		return err;
	nlh = msg_start(buf, family, LISP_CMD_MAP_REPLACE, 0);
	put_eid(nlh, &m->eid);
	mnl_attr_put_u8(nlh, LISP_A_ACTION, m->action);
	mnl_attr_put_u32(nlh, LISP_A_TTL, m->ttl);
	if (m->flags)
		mnl_attr_put_u32(nlh, LISP_A_FLAGS, m->flags);
	if (m->nrloc) {
		nest = mnl_attr_nest_start(nlh, LISP_A_RLOCS);
		for (i = 0; i < m->nrloc && i < LISP_MAX_RLOCS; i++) {
			const struct rloc *rl = &m->rloc[i];

			r = mnl_attr_nest_start(nlh, (uint16_t)(i + 1));
			mnl_attr_put(nlh, rl->addr.family == AF_INET ?
			    LISP_RLOC_A_INET : LISP_RLOC_A_INET6,
			    rl->addr.family == AF_INET ? 4 : 16, rl->addr.a);
			mnl_attr_put_u8(nlh, LISP_RLOC_A_PRIORITY, rl->priority);
			mnl_attr_put_u8(nlh, LISP_RLOC_A_WEIGHT, rl->weight);
			/* Absent means reachable; probing clears it. */
			if (m->down & (1u << i))
				mnl_attr_put_u32(nlh, LISP_RLOC_A_FLAGS, 0);
			mnl_attr_nest_end(nlh, r);
		}
		mnl_attr_nest_end(nlh, nest);
	}
	return request(nlh, "map-cache replace", NULL, NULL, false);
}

int
kernel_map_del(const struct prefix *p)
{
	char		 buf[NL_REQ];
	struct nlmsghdr	*nlh;
	int		 err;

	if ((err = check_iid(p, "map-cache")))
		return err;
	nlh = msg_start(buf, family, LISP_CMD_MAP_DEL, 0);
	put_eid(nlh, p);
	/* Gone already (flushed by hand) is what we wanted. */
	err = request(nlh, "map-cache delete", NULL, NULL, true);
	return err == -ENOENT ? 0 : err;
}

static int
db_set(const struct prefix *p, uint8_t cmd)
{
	char		 buf[NL_REQ];
	struct nlmsghdr	*nlh;
	int		 err;

	if ((err = check_iid(p, "database")))
		return err;
	nlh = msg_start(buf, family, cmd, 0);
	put_eid(nlh, p);
	/* Already there (lispctl, an earlier lispd) is what we want. */
	return request_x(nlh, cmd == LISP_CMD_DB_ADD ? "database add" :
	    "database delete", NULL, NULL, false, -EEXIST);
}

int
kernel_db_add(const struct prefix *p)
{
	return db_set(p, LISP_CMD_DB_ADD);
}

int
kernel_db_del(const struct prefix *p)
{
	return db_set(p, LISP_CMD_DB_DEL);
}

static int
get_addr(const struct nlattr *a, uint8_t fam, uint8_t *out)
{
	size_t	len = fam == AF_INET ? 4 : 16;

	if (mnl_attr_get_payload_len(a) != len)
		return -1;
	memcpy(out, mnl_attr_get_payload(a), len);
	return 0;
}

/* An event's X_INET or X_INET6 (v4 is the INET type) into *out. */
static void
get_event_addr(const struct nlattr *a, uint16_t v4, struct laddr *out)
{
	uint8_t	fam = mnl_attr_get_type(a) == v4 ? AF_INET : AF_INET6;

	if (!get_addr(a, fam, out->a))
		out->family = fam;
}

static int
parse_rlocs(const struct nlattr *nest, struct kmap *m)
{
	const struct nlattr	*el, *a;

	mnl_attr_for_each_nested(el, nest) {
		struct rloc *r;

		if (m->nrloc == LISP_MAX_RLOCS)
			break;
		r = &m->rloc[m->nrloc];
		memset(r, 0, sizeof(*r));
		mnl_attr_for_each_nested(a, el) {
			switch (mnl_attr_get_type(a)) {
			case LISP_RLOC_A_INET:
				r->addr.family = AF_INET;
				get_addr(a, AF_INET, r->addr.a);
				break;
			case LISP_RLOC_A_INET6:
				r->addr.family = AF_INET6;
				get_addr(a, AF_INET6, r->addr.a);
				break;
			case LISP_RLOC_A_PRIORITY:
				r->priority = mnl_attr_get_u8(a);
				break;
			case LISP_RLOC_A_WEIGHT:
				r->weight = mnl_attr_get_u8(a);
				break;
			case LISP_RLOC_A_FLAGS:
				if (!(mnl_attr_get_u32(a) &
				    LISP_RLOC_F_REACHABLE))
					m->down |= 1u << m->nrloc;
				break;
			}
		}
		if (r->addr.family)
			m->nrloc++;
	}
	return 0;
}

/* A map-cache or database message of our device into m; -1 otherwise. */
static int
parse_entry(const struct nlmsghdr *nlh, struct kmap *m)
{
	const struct nlattr	*a;
	uint32_t		 dev = 0;

	memset(m, 0, sizeof(*m));
	m->eid.plen = 255;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case LISP_A_IFINDEX:
			dev = mnl_attr_get_u32(a);
			break;
		case LISP_A_IID:
			m->eid.iid = mnl_attr_get_u32(a);
			break;
		case LISP_A_EID_INET:
			m->eid.family = AF_INET;
			get_addr(a, AF_INET, m->eid.a);
			break;
		case LISP_A_EID_INET6:
			m->eid.family = AF_INET6;
			get_addr(a, AF_INET6, m->eid.a);
			break;
		case LISP_A_EID_PLEN:
			m->eid.plen = mnl_attr_get_u8(a);
			break;
		case LISP_A_ACTION:
			m->action = mnl_attr_get_u8(a);
			break;
		case LISP_A_TTL:
			m->ttl = mnl_attr_get_u32(a);
			break;
		case LISP_A_AGE:
			m->age = mnl_attr_get_u32(a);
			break;
		case LISP_A_IDLE_MS:
			m->idle_ms = mnl_attr_get_u64(a);
			break;
		case LISP_A_FLAGS:
			m->flags = mnl_attr_get_u32(a);
			break;
		case LISP_A_RLOCS:
			parse_rlocs(a, m);
			break;
		}
	}
	if (dev != (uint32_t)ifindex || !m->eid.family)
		return -1;
	if (m->eid.plen == 255)
		m->eid.plen = (uint8_t)addr_bits(m->eid.family);
	return 0;
}

struct dump_arg {
	void	(*map_cb)(const struct kmap *, void *);
	void	(*db_cb)(const struct prefix *, void *);
	void	*arg;
};

static int
dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_arg	*d = data;
	struct kmap	 m;

	if (parse_entry(nlh, &m))
		return MNL_CB_OK;
	if (d->map_cb)
		d->map_cb(&m, d->arg);
	else
		d->db_cb(&m.eid, d->arg);
	return MNL_CB_OK;
}

int
kernel_map_dump(void (*cb)(const struct kmap *, void *), void *arg)
{
	char		 buf[NL_REQ];
	struct nlmsghdr	*nlh;
	struct dump_arg	 d = { .map_cb = cb, .arg = arg };

	nlh = msg_start(buf, family, LISP_CMD_MAP_GET, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, (uint32_t)ifindex);
	return request(nlh, "map-cache dump", dump_cb, &d, false);
}

static void
get_cb(const struct kmap *m, void *arg)
{
	*(struct kmap *)arg = *m;
}

int
kernel_map_get(const struct prefix *p, struct kmap *m)
{
	char		 buf[NL_REQ];
	struct nlmsghdr	*nlh;
	struct dump_arg	 d = { .map_cb = get_cb, .arg = m };
	int		 err;

	if ((err = check_iid(p, "map-cache")))
		return err;
	memset(m, 0, sizeof(*m));
	nlh = msg_start(buf, family, LISP_CMD_MAP_GET, 0);
	put_eid(nlh, p);
	err = request(nlh, "map-cache get", dump_cb, &d, true);
	if (!err && !m->eid.family)
		err = -ENOENT;
	return err;
}

int
kernel_db_dump(void (*cb)(const struct prefix *, void *), void *arg)
{
	char		 buf[NL_REQ];
	struct nlmsghdr	*nlh;
	struct dump_arg	 d = { .db_cb = cb, .arg = arg };

	nlh = msg_start(buf, family, LISP_CMD_DB_GET, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, (uint32_t)ifindex);
	return request(nlh, "database dump", dump_cb, &d, false);
}

static void
miss_event(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr	*g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr	*a;
	struct laddr		 src = { 0 }, dst = { 0 };
	uint32_t		 dev = 0, iid = 0;

	if (!(conf->roles & (ROLE_ITR | ROLE_PITR)))
		return;
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		switch (mnl_attr_get_type(a)) {
		case LISP_A_IFINDEX:
			dev = mnl_attr_get_u32(a);
			break;
		case LISP_A_IID:
			iid = mnl_attr_get_u32(a);
			break;
		case LISP_A_SEID_INET:
		case LISP_A_SEID_INET6:
			get_event_addr(a, LISP_A_SEID_INET, &src);
			break;
		case LISP_A_EID_INET:
		case LISP_A_EID_INET6:
			get_event_addr(a, LISP_A_EID_INET, &dst);
			break;
		}
	}
	if (dev && dst.family)
		itr_handle_miss((int)dev, iid, &src, &dst);
}

/* Traffic for an EID that moved away: tell its ITR (RFC 9301 6.1). */
static void
smr_event(const struct nlmsghdr *nlh)
{
	const struct nlattr	*a;
	struct laddr		 eid = { 0 }, seid = { 0 }, itr = { 0 };
	uint32_t		 dev = 0, iid = 0;

	if (!(conf->roles & ROLE_ETR))
		return;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case LISP_A_IFINDEX:
			dev = mnl_attr_get_u32(a);
			break;
		case LISP_A_IID:
			iid = mnl_attr_get_u32(a);
			break;
		case LISP_A_EID_INET:
		case LISP_A_EID_INET6:
			get_event_addr(a, LISP_A_EID_INET, &eid);
			break;
		case LISP_A_SEID_INET:
		case LISP_A_SEID_INET6:
			get_event_addr(a, LISP_A_SEID_INET, &seid);
			break;
		case LISP_A_SRLOC_INET:
		case LISP_A_SRLOC_INET6:
			get_event_addr(a, LISP_A_SRLOC_INET, &itr);
			break;
		}
	}
	if (dev != (uint32_t)ifindex || !eid.family || !seid.family ||
	    !itr.family) {
		log_debug("kernel SMR event: not our device or incomplete");
		return;
	}
	etr_send_smr(iid, &eid, &seid, &itr);
}

/* One multicast event: each kind goes to the role that handles it. */
static int
event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr	*g = mnl_nlmsg_get_payload(nlh);

	(void)data;
	if (nlh->nlmsg_type != family)
		return MNL_CB_OK;
	switch (g->cmd) {
	case LISP_CMD_MISS:
		miss_event(nlh);
		break;
	case LISP_CMD_SMR:
		smr_event(nlh);
		break;
	case LISP_CMD_EID_DETECTED:
	case LISP_CMD_EID_GONE:
		kernel_dyn_event(nlh, g->cmd);
		break;
	}
	return MNL_CB_OK;
}

static void
events_read(int fd, void *arg)
{
	ssize_t	n;

	(void)fd;
	(void)arg;
	for (;;) {
		n = mnl_socket_recvfrom(ev_sock, rxbuf, NL_BUF);
		if (n < 0) {
			/* Overrun: misses repeat while packets wait, so go on. */
			if (errno == ENOBUFS)
				log_warnx("kernel events: overrun, some misses lost");
			else if (errno != EAGAIN && errno != EINTR)
				log_warn("kernel events");
			if (errno == ENOBUFS || errno == EINTR)
				continue;
			return;
		}
		mnl_cb_run(rxbuf, (size_t)n, 0, 0, event_cb, NULL);
	}
}

int
kernel_events(void)
{
	int	fd, sz = 1024 * 1024;

	if (ev_sock)
		return 0;
	if (!mcgrp) {
		log_warnx("kernel: no \"%s\" multicast group", LISP_MCGRP_EVENTS);
		return -1;
	}
	ev_sock = nl_open();
	if (!ev_sock ||
	    mnl_socket_setsockopt(ev_sock, NETLINK_ADD_MEMBERSHIP, &mcgrp,
	    sizeof(mcgrp)) < 0) {
		log_warn("kernel events");
		return -1;
	}
	fd = mnl_socket_get_fd(ev_sock);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	/* Non-blocking: the loop reads until EAGAIN. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return ev_add(fd, events_read, NULL);
}
