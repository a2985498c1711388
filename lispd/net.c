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

#include "lispd.h"

#define PKT_MAX		9216

static int	sock4 = -1, sock6 = -1;

static void
net_read(int fd, void *arg)
{
	static uint8_t		buf[PKT_MAX];
	struct sockaddr_storage	ss;
	struct laddr		src;
	socklen_t		sl;
	uint16_t		port;
	ssize_t			n;

	(void)arg;
	for (;;) {
		sl = sizeof(ss);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss,
		    &sl);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("recvfrom");
			if (errno == EINTR)
				continue;
			return;
		}
		if (laddr_from_sockaddr((struct sockaddr *)&ss, &src, &port))
			continue;
		packet_input(buf, (size_t)n, &src, port);
	}
}

static int
open_sock(int af)
{
	struct sockaddr_storage	ss;
	struct laddr		any = { .family = (uint8_t)af };
	socklen_t		sl;
	int			fd, one = 1;

	fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
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
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&ss, sl) < 0) {
		stats[ST_TX_ERR]++;
		log_warn("send to %s port %u", addr_fmt(to, a, sizeof(a)), port);
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
