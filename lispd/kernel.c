/* SPDX-License-Identifier: MIT */
/*
 * lispd's side of the kernel data plane: the "lisp" generic netlink
 * family through lnl (genl/), the client lispctl uses as well.
 * Requests go over one blocking socket and wait for their ACK, so a
 * failure is logged with the kernel's extended ACK message where it
 * happened; events arrive on a second, non-blocking socket joined to
 * "events" and go to the handlers lispd.c registered, not to any role
 * by name.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#include "lnl.h"
#include "core.h"
#include "log.h"
#include "event.h"
#include "stats.h"
#include "kernel.h"

/*
 * The sockets of one network namespace: lispd's own, or a tenant's
 * whose lisp device lives there (its underlay stays lispd's).  Device
 * indexes are per namespace, so a device is known by both.
 */
struct kconn {
	char		netns[NETNS_NAME_MAX];	/* "": lispd's own */
	struct lnl	req, ev;
	int		refs;			/* devices using it */
};

/* A tenant's lisp device: requests for its instance-id go to it. */
struct kdev {
	uint32_t	 iid;
	int		 ifindex;
	char		 name[IFNAMSIZ];
	struct kconn	*conn;
};

static struct kconn	 self;
static struct kconn	*conns[KERNEL_NETNS_MAX_OPEN];
static struct kdev	*devs;
static int		 ndevs, devs_max;
static struct kernel_handlers handlers;

static const struct kdev *
dev_of(uint32_t iid)
{
	int	i;

	for (i = 0; i < ndevs; i++)
		if (devs[i].iid == iid)
			return &devs[i];
	return NULL;
}

static struct nlmsghdr *
conn_msg(const struct kconn *c, char *buf, uint8_t cmd, uint16_t flags)
{
	return lnl_msg(buf, c->req.family, cmd, NLM_F_ACK | flags);
}

struct nlmsghdr *
kernel_msg(char *buf, uint8_t cmd, uint16_t flags)
{
	return conn_msg(&self, buf, cmd, flags);
}

/*
 * One request over c and its replies to cb: 0 or -errno, logged with
 * the kernel's message unless quiet or the error is the expected one.
 */
static int
request_x(struct kconn *c, struct nlmsghdr *nlh, const char *what,
    lnl_cb cb, void *data, bool quiet, int expected)
{
	struct lnl_err	err;
	int		r;

	r = lnl_request(&c->req, nlh, cb, data, &err);
	if (!r || quiet || r == expected)
		return r;
	if (err.op)
		log_warnx("netlink %s: %s: %s", what, err.op, strerror(-r));
	else
		log_warnx("netlink %s: %s%s%s", what, strerror(-r),
		    err.msg[0] ? ": " : "", err.msg);
	return r;
}

int
kernel_request(struct nlmsghdr *nlh, const char *what,
    int (*cb)(const struct nlmsghdr *, void *), void *data, int expected)
{
	return request_x(&self, nlh, what, cb, data, false, expected);
}

static int
iid_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lnl_stats	*st = data;
	char			 why[LNL_WHYLEN];

	if (lnl_stats_decode(nlh, st, why))
		log_warnx("kernel device lookup: %s", why);
	return MNL_CB_OK;
}

static int
conn_open(struct kconn *c)
{
	int	r;

	if ((r = lnl_open(&c->req))) {
		if (r == -ENOENT)
			log_warnx("generic netlink family \"%s\" not found (is "
			    "the lisp module loaded?)", LISP_GENL_NAME);
		else
			log_warnx("netlink socket: %s", strerror(-r));
		return -1;
	}
	return 0;
}

int
kernel_init(void)
{
	return conn_open(&self);
}

static void events_read(int, void *);

/* The events socket of c, joined and in the loop. */
static int
conn_events(struct kconn *c)
{
	int	fd, r;

	if (c->ev.sock)
		return 0;
	if ((r = lnl_open(&c->ev)) || (r = lnl_subscribe(&c->ev))) {
		if (r == -ENOENT)
			log_warnx("kernel: no \"%s\" multicast group",
			    LISP_MCGRP_EVENTS);
		else
			log_warnx("kernel events: %s", strerror(-r));
		lnl_close(&c->ev);
		return -1;
	}
	fd = lnl_fd(&c->ev);
	/* Non-blocking: the loop reads until EAGAIN. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return ev_add(fd, events_read, c);
}

static void
conn_close(struct kconn *c)
{
	if (c->ev.sock) {
		ev_del(lnl_fd(&c->ev));
		lnl_close(&c->ev);
	}
	if (c->req.sock)
		lnl_close(&c->req);
}

/*
 * Run f in network namespace netns (/run/netns/NAME, as ip-netns(8)
 * names them) and come back: sockets opened there stay there.
 */
static int
in_netns(const char *netns, int (*f)(void *), void *arg)
{
	char	path[sizeof("/run/netns/") + NETNS_NAME_MAX];
	int	home, there, r = -1;

	snprintf(path, sizeof(path), "/run/netns/%s", netns);
	if ((home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0) {
		log_warn("own network namespace");
		return -1;
	}
	if ((there = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		log_warn("netns %s", netns);
	else if (setns(there, CLONE_NEWNET))
		log_warn("netns %s: setns", netns);
	else {
		r = f(arg);
		if (setns(home, CLONE_NEWNET))
			fatal("back to lispd's network namespace");
	}
	if (there >= 0)
		close(there);
	close(home);
	return r;
}

static int
conn_start(void *arg)
{
	struct kconn	*c = arg;

	if (conn_open(c))
		return -1;
	if (conn_events(c)) {
		conn_close(c);
		return -1;
	}
	return 0;
}

/* The sockets of netns ("": lispd's own), opened on first use. */
static struct kconn *
conn_get(const char *netns)
{
	int	i, free_slot = -1;

	if (!netns || !*netns)
		return &self;
	for (i = 0; i < KERNEL_NETNS_MAX_OPEN; i++) {
		if (conns[i] && !strcmp(conns[i]->netns, netns))
			return conns[i];
		if (!conns[i] && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0) {
		log_warnx("netns %s: more than %d namespaces", netns,
		    KERNEL_NETNS_MAX_OPEN);
		return NULL;
	}
	if (!(conns[free_slot] = calloc(1, sizeof(struct kconn))))
		return NULL;
	snprintf(conns[free_slot]->netns, NETNS_NAME_MAX, "%s", netns);
	if (in_netns(netns, conn_start, conns[free_slot])) {
		free(conns[free_slot]);
		conns[free_slot] = NULL;
		return NULL;
	}
	return conns[free_slot];
}

static void
conn_put(struct kconn *c)
{
	int	i;

	if (c == &self || --c->refs > 0)
		return;
	for (i = 0; i < KERNEL_NETNS_MAX_OPEN; i++)
		if (conns[i] == c)
			conns[i] = NULL;
	conn_close(c);
	free(c);
}

struct ifindex_arg {
	const char	*name;
	int		 ifindex;
};

static int
ifindex_there(void *arg)
{
	struct ifindex_arg *a = arg;

	a->ifindex = (int)if_nametoindex(a->name);
	return 0;
}

/* The index of iface in c's namespace: 0 when there is none. */
static int
conn_ifindex(struct kconn *c, const char *iface)
{
	struct ifindex_arg	a = { iface, 0 };

	if (c == &self)
		return (int)if_nametoindex(iface);
	in_netns(c->netns, ifindex_there, &a);
	return a.ifindex;
}

static int
dev_add(const char *iface, struct kconn *c, uint32_t iid, int ifindex)
{
	struct kdev	*d;
	int		 i;

	/* Attached again at a reload: the same entry, maybe a new index. */
	for (i = 0; i < ndevs; i++)
		if (devs[i].iid == iid)
			break;
	if (i == ndevs) {
		if (ndevs == devs_max) {
			d = reallocarray(devs, (size_t)devs_max * 2 + 8,
			    sizeof(*devs));
			if (!d) {
				log_warnx("interface %s: out of memory", iface);
				return -1;
			}
			devs = d;
			devs_max = devs_max * 2 + 8;
		}
		ndevs++;
	} else if (devs[i].conn != c)
		conn_put(devs[i].conn);
	else
		c->refs--;		/* the same device: one reference */
	d = &devs[i];
	d->iid = iid;
	d->ifindex = ifindex;
	d->conn = c;
	c->refs++;
	snprintf(d->name, sizeof(d->name), "%s", iface);
	return 0;
}

int
kernel_attach(const char *iface, const char *netns, bool iid_given,
    uint32_t *iid, int *ifx)
{
	char			 buf[LNL_MSG_MAX];
	struct nlmsghdr		*nlh;
	struct lnl_stats	 st;
	struct kconn		*c;
	int			 ifindex;

	if (!(c = conn_get(netns)))
		return -1;
	ifindex = conn_ifindex(c, iface);
	if (!ifindex) {
		log_warnx("interface %s%s%s: no such device", iface,
		    c == &self ? "" : " in netns ", c->netns);
		goto fail;
	}
	nlh = conn_msg(c, buf, LISP_CMD_STATS_GET, 0);
	lnl_put_dev(nlh, (uint32_t)ifindex, NULL);
	memset(&st, 0, sizeof(st));
	if (request_x(c, nlh, "device lookup", iid_cb, &st, false, 0)) {
		log_warnx("interface %s is not a lisp device", iface);
		goto fail;
	}
	if (iid_given && st.iid != *iid) {
		log_warnx("interface %s serves instance-id %u, not %u", iface,
		    st.iid, *iid);
		goto fail;
	}
	if (dev_add(iface, c, st.iid, ifindex))
		goto fail;
	log_info("kernel: %s%s%s ifindex %d instance-id %u", iface,
	    c == &self ? "" : " netns ", c->netns, ifindex, st.iid);
	*iid = st.iid;
	*ifx = ifindex;
	return 0;
fail:
	/* Opened for this device alone: closed again. */
	if (!c->refs) {
		c->refs = 1;
		conn_put(c);
	}
	return -1;
}

int
kernel_dev_add(const char *iface, uint32_t iid, int ifindex)
{
	return dev_add(iface, &self, iid, ifindex);
}

void
kernel_detach(uint32_t iid)
{
	int	i;

	for (i = 0; i < ndevs; i++)
		if (devs[i].iid == iid) {
			conn_put(devs[i].conn);
			devs[i] = devs[--ndevs];
			return;
		}
}

void
kernel_close(void)
{
	int	i;

	for (i = 0; i < KERNEL_NETNS_MAX_OPEN; i++)
		if (conns[i]) {
			conn_close(conns[i]);
			free(conns[i]);
			conns[i] = NULL;
		}
	conn_close(&self);
	free(devs);
	devs = NULL;
	ndevs = devs_max = 0;
}

/* The device of p's instance-id and the EID, for a request. */
static struct nlmsghdr *
key_msg(char *buf, uint8_t cmd, const struct prefix *p)
{
	const struct kdev *d = dev_of(p->iid);
	struct nlmsghdr	*nlh = conn_msg(d->conn, buf, cmd, 0);

	lnl_put_dev(nlh, (uint32_t)d->ifindex, NULL);
	lnl_put_eid(nlh, p, 0);
	return nlh;
}

/* Each device serves one instance-id: no device, no request. */
static int
check_iid(const struct prefix *p, const char *what)
{
	char	s[PREFIXSTRLEN];

	if (dev_of(p->iid))
		return 0;
	log_warnx("kernel %s %s: no lisp device of instance-id %u", what,
	    prefix_fmt(p, s, sizeof(s)), p->iid);
	return -EINVAL;
}

int
kernel_map_replace(const struct kmap *m)
{
	char		 buf[LNL_MSG_MAX];
	struct nlmsghdr	*nlh;
	struct lnl_map	 lm;
	int		 i, err;

	if ((err = check_iid(&m->eid, "map-cache")))
		return err;
	memset(&lm, 0, sizeof(lm));
	lm.action = m->action;
	lm.has_ttl = true;
	lm.ttl = m->ttl;
	lm.has_flags = m->flags != 0;
	lm.flags = m->flags;
	for (i = 0; i < m->nrloc && i < LISP_MAX_RLOCS; i++) {
		lm.rloc[i].addr = m->rloc[i].addr;
		lm.rloc[i].priority = m->rloc[i].priority;
		lm.rloc[i].weight = m->rloc[i].weight;
		/* Probing clears reachability; the kernel then skips it. */
		lm.rloc[i].flags = m->down & (1u << i) ? 0 :
		    LISP_RLOC_F_REACHABLE;
		lm.rloc[i].flags |= m->rloc_flags;
		lm.rloc[i].port = m->port[i];
	}
	lm.nrloc = i;
	nlh = key_msg(buf, LISP_CMD_MAP_REPLACE, &m->eid);
	lnl_map_put(nlh, &lm);
	return request_x(dev_of(m->eid.iid)->conn, nlh, "map-cache replace",
	    NULL, NULL, false, 0);
}

int
kernel_map_del(const struct prefix *p)
{
	char	buf[LNL_MSG_MAX];
	int	err;

	if ((err = check_iid(p, "map-cache")))
		return err;
	/* Gone already (flushed by hand) is what we wanted. */
	err = request_x(dev_of(p->iid)->conn, key_msg(buf, LISP_CMD_MAP_DEL, p),
	    "map-cache delete",
	    NULL, NULL, true, 0);
	return err == -ENOENT ? 0 : err;
}

static int
db_set(const struct prefix *p, uint8_t cmd)
{
	char	buf[LNL_MSG_MAX];
	int	err;

	if ((err = check_iid(p, "database")))
		return err;
	/* Already there (lispctl, an earlier lispd) is what we want. */
	return request_x(dev_of(p->iid)->conn, key_msg(buf, cmd, p),
	    cmd == LISP_CMD_DB_ADD ?
	    "database add" : "database delete", NULL, NULL, false, -EEXIST);
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

/* What lnl decoded, as the roles keep it. */
static void
kmap_from(const struct lnl_map *lm, struct kmap *m)
{
	int	i;

	memset(m, 0, sizeof(*m));
	m->eid = lm->eid;
	m->action = lm->action;
	m->ttl = lm->ttl;
	m->age = lm->age;
	m->flags = lm->flags;
	m->idle_ms = lm->idle_ms;
	for (i = 0; i < lm->nrloc; i++) {
		m->rloc[i].addr = lm->rloc[i].addr;
		m->rloc[i].priority = lm->rloc[i].priority;
		m->rloc[i].weight = lm->rloc[i].weight;
		if (!(lm->rloc[i].flags & LISP_RLOC_F_REACHABLE))
			m->down |= 1u << i;
	}
	m->nrloc = lm->nrloc;
}

struct dump_arg {
	int	ifindex;
	void	(*map_cb)(const struct kmap *, void *);
	void	(*db_cb)(const struct prefix *, void *);
	void	*arg;
};

static int
map_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_arg	*d = data;
	struct lnl_map	 lm;
	struct kmap	 m;
	char		 why[LNL_WHYLEN];

	if (lnl_map_decode(nlh, &lm, why)) {
		log_warnx("kernel map-cache entry: %s", why);
		return MNL_CB_OK;
	}
	if (lm.ifindex != (uint32_t)d->ifindex)
		return MNL_CB_OK;
	kmap_from(&lm, &m);
	d->map_cb(&m, d->arg);
	return MNL_CB_OK;
}

static int
db_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_arg	*d = data;
	struct lnl_db	 db;
	char		 why[LNL_WHYLEN];

	if (lnl_db_decode(nlh, &db, why)) {
		log_warnx("kernel database entry: %s", why);
		return MNL_CB_OK;
	}
	if (db.ifindex == (uint32_t)d->ifindex)
		d->db_cb(&db.eid, d->arg);
	return MNL_CB_OK;
}

/* A dump of the entries of iid's device. */
static int
dump(uint32_t iid, uint8_t cmd, const char *what, lnl_cb cb,
    struct dump_arg *d)
{
	char			 buf[LNL_MSG_MAX];
	struct nlmsghdr		*nlh;
	const struct kdev	*dev = dev_of(iid);

	if (!dev)
		return -ENODEV;
	d->ifindex = dev->ifindex;
	nlh = conn_msg(dev->conn, buf, cmd, NLM_F_DUMP);
	lnl_put_dev(nlh, (uint32_t)d->ifindex, NULL);
	return request_x(dev->conn, nlh, what, cb, d, false, 0);
}

int
kernel_map_dump(uint32_t iid, void (*cb)(const struct kmap *, void *),
    void *arg)
{
	struct dump_arg	d = { .map_cb = cb, .arg = arg };

	return dump(iid, LISP_CMD_MAP_GET, "map-cache dump", map_cb, &d);
}

int
kernel_db_dump(uint32_t iid, void (*cb)(const struct prefix *, void *),
    void *arg)
{
	struct dump_arg	d = { .db_cb = cb, .arg = arg };

	return dump(iid, LISP_CMD_DB_GET, "database dump", db_cb, &d);
}

static void
get_cb(const struct kmap *m, void *arg)
{
	*(struct kmap *)arg = *m;
}

int
kernel_map_get(const struct prefix *p, struct kmap *m)
{
	char		 buf[LNL_MSG_MAX];
	struct dump_arg	 d = { .map_cb = get_cb, .arg = m };
	int		 err;

	if ((err = check_iid(p, "map-cache")))
		return err;
	d.ifindex = dev_of(p->iid)->ifindex;
	memset(m, 0, sizeof(*m));
	err = request_x(dev_of(p->iid)->conn, key_msg(buf, LISP_CMD_MAP_GET, p),
	    "map-cache get",
	    map_cb, &d, true, 0);
	if (!err && !m->eid.family)
		err = -ENOENT;
	return err;
}

void
khost_from(const struct lnl_host *lh, struct khost *h)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->policy, sizeof(h->policy), "%s", lh->policy);
	prefix_host(&h->eid, lh->iid, &lh->eid);
	h->ifindex = (int)lh->ifindex;
	memcpy(h->mac, lh->mac, sizeof(h->mac));
	h->detect = lh->detect;
	h->idle_ms = lh->idle_ms;
}

void
kernel_set_handlers(const struct kernel_handlers *h)
{
	handlers = *h;
}

/*
 * The device an event of c's namespace is about, and so its tenant's
 * instance-id; NULL: a device lispd does not serve (another lispd's,
 * lispctl's), or one whose event names another instance-id.
 */
static const struct kdev *
event_dev(const struct kconn *c, const struct lnl_event *e)
{
	int	i;

	for (i = 0; i < ndevs; i++)
		if (devs[i].conn == c && devs[i].ifindex == (int)e->ifindex)
			return devs[i].iid == e->iid ? &devs[i] : NULL;
	return NULL;
}

static void
conn_event(const struct kconn *c, const struct nlmsghdr *nlh)
{
	const struct kernel_handlers *h = &handlers;
	const struct kdev	*d;
	struct lnl_event	 e;
	struct khost		 kh;
	char			 why[LNL_WHYLEN];
	int			 r;

	if ((r = lnl_event_decode(nlh, &e, why)) > 0)
		return;
	if (r < 0) {
		log_peer_warnx(refuse(ST_RX_UNEXPECTED), "kernel event: %s",
		    why);
		return;
	}
	switch (e.cmd) {
	case LISP_CMD_MISS:
	case LISP_CMD_SMR:
		if (!(d = event_dev(c, &e))) {
			log_debug("kernel event: ifindex %u instance-id %u is "
			    "not a device of ours", e.ifindex, e.iid);
			break;
		}
		if (e.cmd == LISP_CMD_MISS && h->miss)
			h->miss(d->iid, &e.seid, &e.eid);
		/* Traffic for an EID that moved away (RFC 9301 6.1). */
		else if (e.cmd == LISP_CMD_SMR && h->smr)
			h->smr(d->iid, &e.eid, &e.seid, &e.srloc);
		break;
	case LISP_CMD_CTRL:
		/* A control message inside a data packet (NAT traversal). */
		if (!(d = event_dev(c, &e)) || !h->ctrl) {
			refuse(ST_RX_UNEXPECTED);
			break;
		}
		h->ctrl(d->iid, &e.srloc, e.srloc_port, e.pkt, e.pktlen);
		break;
	case LISP_CMD_EID_DETECTED:
	case LISP_CMD_EID_GONE:
		/* Dynamic-EID policies are lispd's namespace's. */
		if (!h->detected || c != &self) {
			refuse(ST_RX_UNEXPECTED);
			break;
		}
		khost_from(&e.host, &kh);
		if (e.cmd == LISP_CMD_EID_DETECTED)
			h->detected(&kh);
		else
			h->gone(&kh);
		break;
	}
}

int
kernel_ctrl_send(uint32_t iid, const struct laddr *rloc, uint16_t port,
    const uint8_t *pkt, size_t len)
{
	const struct kdev	*d = dev_of(iid);
	char			 buf[LNL_MSG_MAX];
	struct nlmsghdr		*nlh;
	int			 err;

	if (!d) {
		log_warnx("kernel control message send: no lisp device of "
		    "instance-id %u", iid);
		return -EINVAL;
	}
	nlh = conn_msg(d->conn, buf, LISP_CMD_CTRL_SEND, 0);
	if ((err = lnl_ctrl_send_put(nlh, (uint32_t)d->ifindex, NULL, rloc,
	    port, pkt, len)))
		return err;
	return request_x(d->conn, nlh, "control message send", NULL, NULL,
	    false, 0);
}

void
kernel_event(const struct nlmsghdr *nlh)
{
	conn_event(&self, nlh);
}

static int
event_cb(const struct nlmsghdr *nlh, void *data)
{
	conn_event(data, nlh);
	return MNL_CB_OK;
}

static void
events_read(int fd, void *arg)
{
	struct kconn	*c = arg;
	int		 r;

	(void)fd;
	for (;;) {
		r = lnl_recv(&c->ev, event_cb, c);
		/* Overrun: misses repeat while packets wait, so go on. */
		if (r == -ENOBUFS)
			log_warnx("kernel events: overrun, some misses lost");
		else if (r && r != -EAGAIN && r != -EINTR)
			log_warnx("kernel events: %s", strerror(-r));
		if (r && r != -ENOBUFS && r != -EINTR)
			return;
	}
}

int
kernel_events(void)
{
	return conn_events(&self);
}
