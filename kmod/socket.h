/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UDP sockets: one IPv4 and one IPv6 socket per network namespace and
 * port, shared by every lisp device using that port, as vxlan does.
 */
#ifndef _LISP_SOCKET_H
#define _LISP_SOCKET_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/hashtable.h>

struct lisp_dev;
struct net;

struct lisp_sock {
	struct list_head list;		/* lisp_net.socks, under RTNL */
	struct rcu_head rcu;
	struct socket *sock4;
	struct socket *sock6;		/* NULL when IPv6 is off */
	__be16 port;
	unsigned int users;		/* devices up on it, RTNL */
	DECLARE_HASHTABLE(iids, 8);	/* struct lisp_dev by instance-id */
	struct lisp_dev __rcu *external; /* gets what no iid device claims */
};

struct lisp_net {
	struct list_head devs;		/* every lisp device, RTNL */
	struct list_head socks;		/* struct lisp_sock, RTNL */
	struct lisp_counters __percpu *counters; /* before a device is known */
};

extern unsigned int lisp_net_id;
extern struct pernet_operations lisp_net_ops;

struct lisp_net *lisp_net(struct net *net);
int lisp_sock_attach(struct lisp_dev *lisp);
void lisp_sock_detach(struct lisp_dev *lisp);
int lisp_net_init_counters(struct lisp_net *ln);

/* rcv.c */
int lisp_udp_encap_recv(struct sock *sk, struct sk_buff *skb);
int lisp_udp_encap_err_lookup(struct sock *sk, struct sk_buff *skb);
struct sk_buff *lisp_gro_receive(struct sock *sk, struct list_head *head,
				 struct sk_buff *skb);
int lisp_gro_complete(struct sock *sk, struct sk_buff *skb, int nhoff);

#endif /* _LISP_SOCKET_H */
