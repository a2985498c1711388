/* SPDX-License-Identifier: MIT */
/*
 * UDP port 4342, IPv4 and IPv6.  Everything we send leaves from 4342,
 * so Map-Replies to our Map-Requests (sent to the inner source port) and
 * Map-Notifies to our Map-Registers come back to the same sockets.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>

#include "core.h"
#include "log.h"
#include "event.h"
#include "net.h"

#define NET_RCVBUF	(4 << 20)	/* bytes: a burst of a thousand Map-Registers */
#include "packet.h"
#include "stats.h"

#define PKT_MAX		LISPD_MSG_MAX
/*
 * Messages taken per recvmmsg(); what their handling sends goes out
 * with one sendmmsg() after them.  A busy Map-Server spends most of its
 * time entering the kernel, so this is where its rate comes from.
 */
#define NET_BATCH	32
#define TXQ_BYTES	(64 * 1024)

struct txq_msg {
	int			 fd;
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	size_t			 off, len;
};

static int		 sock4 = -1, sock6 = -1;
static bool		 batching;
static struct txq_msg	 txq[NET_BATCH * 2];
static uint8_t		 txq_buf[TXQ_BYTES];
static int		 txq_n;
static size_t		 txq_used;

/* Send what net_send() queued, a sendmmsg() per run of one socket. */
static void
net_flush(void)
{
	struct mmsghdr	 msgs[NET_BATCH * 2];
	struct iovec	 iov[NET_BATCH * 2];
	int		 i, j, n;

	for (i = 0; i < txq_n; i++) {
		iov[i].iov_base = txq_buf + txq[i].off;
		iov[i].iov_len = txq[i].len;
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_name = &txq[i].ss;
		msgs[i].msg_hdr.msg_namelen = txq[i].sl;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	for (i = 0; i < txq_n; i += n) {
		for (j = i; j < txq_n && txq[j].fd == txq[i].fd; j++)
			;
		n = sendmmsg(txq[i].fd, &msgs[i], (unsigned int)(j - i), 0);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0) {
			/* This one failed: count it, go on with the next. */
			stats[ST_TX_ERR]++;
			log_peer_warn(stat_name(ST_TX_ERR),
			    "send of a queued message");
			n = 1;
			continue;
		}
		stats[ST_TX] += (uint64_t)n;
	}
	txq_n = 0;
	txq_used = 0;
}

static void
net_read(int fd, void *arg)
{
	static uint8_t		bufs[NET_BATCH][PKT_MAX];
	struct sockaddr_storage	ss[NET_BATCH];
	struct mmsghdr		msgs[NET_BATCH];
	struct iovec		iov[NET_BATCH];
	struct laddr		src;
	uint16_t		port;
	int			i, n;

	(void)arg;
	for (;;) {
		for (i = 0; i < NET_BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = PKT_MAX;
			memset(&msgs[i], 0, sizeof(msgs[i]));
			msgs[i].msg_hdr.msg_name = &ss[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(ss[i]);
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(fd, msgs, NET_BATCH, 0, NULL);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("recvmmsg");
			if (errno == EINTR)
				continue;
			return;
		}
		batching = true;
		for (i = 0; i < n; i++) {
			if (laddr_from_sockaddr((struct sockaddr *)&ss[i],
			    &src, &port))
				continue;
			packet_input(bufs[i], msgs[i].msg_len, &src, port);
		}
		batching = false;
		net_flush();
		if (n < NET_BATCH)
			return;
	}
}

static int
open_sock(int af)
{
	struct sockaddr_storage	ss;
	struct laddr		any = { .family = (uint8_t)af };
	socklen_t		sl;
	int			fd, one = 1, rcvbuf = NET_RCVBUF;

	fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/*
	 * A Map-Server of many sites takes bursts (every ETR's tenants at
	 * once after a restart): room for them, past rmem_max when we may
	 * (CAP_NET_ADMIN), else as much as it allows.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (af == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	sl = laddr_sockaddr(&any, LISP_CONTROL_PORT, &ss);
	if (bind(fd, (struct sockaddr *)&ss, sl) ||
	    ev_add(fd, net_read, NULL)) {
		close(fd);
		return -1;
	}
	return fd;
}

int
net_init(void)
{
	sock4 = open_sock(AF_INET);
	if (sock4 < 0)
		log_warn("udp/%d ipv4", LISP_CONTROL_PORT);
	sock6 = open_sock(AF_INET6);
	if (sock6 < 0)
		log_warn("udp/%d ipv6", LISP_CONTROL_PORT);
	return sock4 < 0 && sock6 < 0 ? -1 : 0;
}

void
net_close(void)
{
	if (sock4 >= 0) {
		ev_del(sock4);
		close(sock4);
	}
	if (sock6 >= 0) {
		ev_del(sock6);
		close(sock6);
	}
	sock4 = sock6 = -1;
}

int
net_send(const struct laddr *to, uint16_t port, const void *buf, size_t len)
{
	struct sockaddr_storage	ss;
	socklen_t		sl;
	char			a[ADDRSTRLEN];
	int			fd = to->family == AF_INET ? sock4 : sock6;

	if (fd < 0) {
		stats[ST_TX_ERR]++;
		log_debug("send to %s: no socket for its family",
		    addr_fmt(to, a, sizeof(a)));
		return -1;
	}
	sl = laddr_sockaddr(to, port, &ss);
	if (batching) {
		if (txq_n == NET_BATCH * 2 || len > TXQ_BYTES - txq_used)
			net_flush();
		if (len <= TXQ_BYTES) {
			struct txq_msg *m = &txq[txq_n++];

			m->fd = fd;
			m->ss = ss;
			m->sl = sl;
			m->off = txq_used;
			m->len = len;
			memcpy(txq_buf + txq_used, buf, len);
			txq_used += len;
			return 0;
		}
	}
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&ss, sl) < 0) {
		stats[ST_TX_ERR]++;
		log_peer_warn(stat_name(ST_TX_ERR), "send to %s port %u",
		    addr_fmt(to, a, sizeof(a)), port);
		return -1;
	}
	stats[ST_TX]++;
	return 0;
}

int
net_send_ecm(const struct laddr *to, const struct laddr *isrc,
    const struct laddr *idst, uint16_t isport, const void *msg, size_t len)
{
	uint8_t		buf[PKT_MAX];
	struct lisp_ecm	e;
	int		n;

	if (isrc->family != idst->family) {
		log_debug("ECM: inner addresses of different families");
		return -1;
	}
	memset(&e, 0, sizeof(e));
	e.ipver = isrc->family == AF_INET ? 4 : 6;
	e.ttl = 64;
	memcpy(e.src, isrc->a, 16);
	memcpy(e.dst, idst->a, 16);
	e.sport = isport;
	e.dport = LISP_CONTROL_PORT;
	e.msg = msg;
	e.msg_len = len;
	n = lisp_ecm_encode(buf, sizeof(buf), &e);
	if (n < 0) {
		log_warnx("ECM encode: %s", lisp_strerror(-n));
		return -1;
	}
	return net_send(to, LISP_CONTROL_PORT, buf, (size_t)n);
}

/* Ask the routing table which source it would use, without sending. */
int
net_local_addr(const struct laddr *dst, struct laddr *src)
{
	struct sockaddr_storage	ss;
	socklen_t		sl;
	uint16_t		port;
	int			fd, r = -1;

	fd = socket(dst->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	sl = laddr_sockaddr(dst, LISP_CONTROL_PORT, &ss);
	if (connect(fd, (struct sockaddr *)&ss, sl) == 0) {
		sl = sizeof(ss);
		if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
			r = laddr_from_sockaddr((struct sockaddr *)&ss, src,
			    &port);
	}
	close(fd);
	return r;
}
