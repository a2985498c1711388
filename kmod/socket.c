// SPDX-License-Identifier: GPL-2.0
/*
 * The UDP sockets of the data port. Every lisp device of a namespace that
 * uses the same port shares one IPv4 and one IPv6 socket; the instance-id
 * in the LISP header picks the device, as the VNI does for vxlan.
 */

#include <linux/slab.h>
#include <linux/percpu.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/udp_tunnel.h>
#include <net/ipv6.h>

#include "device.h"
#include "socket.h"

unsigned int lisp_net_id __read_mostly;

struct lisp_net *lisp_net(struct net *net)
{
	return net_generic(net, lisp_net_id);
}

static struct socket *sock_open(struct net *net, __be16 port, bool ipv6)
{
	struct udp_port_cfg cfg = {};
	struct socket *sock;
	int err;

	if (ipv6) {
		cfg.family = AF_INET6;
		cfg.ipv6_v6only = 1;
		/* RFC 6935/6936: accept the zero checksum LISP sends. */
		cfg.use_udp6_rx_checksums = false;
	} else {
		cfg.family = AF_INET;
	}
	cfg.local_udp_port = port;
	err = udp_sock_create(net, &cfg, &sock);
	return err ? ERR_PTR(err) : sock;
}

static void sock_setup(struct net *net, struct socket *sock,
		       struct lisp_sock *ls)
{
	struct udp_tunnel_sock_cfg cfg = {
		.sk_user_data = ls,
		.encap_type = 1,
		.encap_rcv = lisp_udp_encap_recv,
		.encap_err_lookup = lisp_udp_encap_err_lookup,
		.gro_receive = lisp_gro_receive,
		.gro_complete = lisp_gro_complete,
	};

	setup_udp_tunnel_sock(net, sock, &cfg);
}

static struct lisp_sock *lisp_sock_create(struct net *net, __be16 port)
{
	struct lisp_sock *ls;
	struct socket *sock;

	ls = kzalloc(sizeof(*ls), GFP_KERNEL);
	if (!ls)
		return ERR_PTR(-ENOMEM);
	ls->port = port;
	hash_init(ls->iids);

	sock = sock_open(net, port, false);
	if (IS_ERR(sock)) {
		kfree(ls);
		return ERR_CAST(sock);
	}
	ls->sock4 = sock;

	if (ipv6_mod_enabled()) {
		sock = sock_open(net, port, true);
		if (IS_ERR(sock)) {
			udp_tunnel_sock_release(ls->sock4);
			kfree(ls);
			return ERR_CAST(sock);
		}
		ls->sock6 = sock;
	}

	sock_setup(net, ls->sock4, ls);
	if (ls->sock6)
		sock_setup(net, ls->sock6, ls);
	list_add(&ls->list, &lisp_net(net)->socks);
	return ls;
}

static void lisp_sock_release(struct lisp_sock *ls)
{
	list_del(&ls->list);
	udp_tunnel_sock_release(ls->sock4);
	if (ls->sock6)
		udp_tunnel_sock_release(ls->sock6);
	/* encap_rcv may still be looking at the iid table. */
	kfree_rcu(ls, rcu);
}

/* ndo_open, under RTNL: bind the device to its port's sockets. */
int lisp_sock_attach(struct lisp_dev *lisp)
{
	struct lisp_net *ln = lisp_net(lisp->net);
	struct lisp_sock *ls;

	ASSERT_RTNL();
	list_for_each_entry(ls, &ln->socks, list)
		if (ls->port == lisp->cfg.port)
			goto found;

	ls = lisp_sock_create(lisp->net, lisp->cfg.port);
	if (IS_ERR(ls))
		return PTR_ERR(ls);
found:
	ls->users++;
	if (lisp->cfg.external)
		rcu_assign_pointer(ls->external, lisp);
	else
		hash_add_rcu(ls->iids, &lisp->iid_node, lisp->cfg.iid);
	rcu_assign_pointer(lisp->sock, ls);
	return 0;
}

/* ndo_stop, under RTNL. */
void lisp_sock_detach(struct lisp_dev *lisp)
{
	struct lisp_sock *ls = rtnl_dereference(lisp->sock);

	if (!ls)
		return;
	if (lisp->cfg.external)
		RCU_INIT_POINTER(ls->external, NULL);
	else
		hash_del_rcu(&lisp->iid_node);
	RCU_INIT_POINTER(lisp->sock, NULL);
	if (!--ls->users) {
		/* Let senders holding the socket under RCU finish. */
		synchronize_net();
		lisp_sock_release(ls);
	}
}
