/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LISP_NETLINK_H
#define _LISP_NETLINK_H

#include <net/netlink.h>
#include <linux/lisp.h>

struct genl_info;
struct lisp_dyn_event_ops;
struct lisp_dev;
struct net;

extern struct genl_family lisp_genl_family;

int lisp_genl_init(void);
void lisp_genl_exit(void);
int lisp_nl_eid_from_attrs(struct nlattr **attrs, u8 *family, u8 *addr,
			   u8 *plen, bool host, struct netlink_ext_ack *extack);
int lisp_nl_put_addr(struct sk_buff *skb, int attr4, int attr6, u8 family,
		     const void *addr);
struct sk_buff *lisp_event_new(struct net *net, u8 cmd, void **hdr);
struct sk_buff *lisp_event_new_size(struct net *net, u8 cmd, size_t size,
				    void **hdr);
int lisp_event_send(struct net *net, struct sk_buff *msg, void *hdr,
		    bool put_failed);
void lisp_notify_miss(struct lisp_dev *lisp, u8 family, const void *saddr,
		      const void *daddr);
int lisp_notify_smr(struct lisp_dev *lisp, u8 family, const void *seid,
		    const void *eid, u8 rloc_family, const void *srloc);

/* netlink_dyn.c: the dynamic-EID commands and events */
extern const struct nla_policy lisp_dyn_nl_policy[LISP_A_MAX + 1];
int lisp_nl_dyn_add(struct sk_buff *skb, struct genl_info *info);
int lisp_nl_dyn_del(struct sk_buff *skb, struct genl_info *info);
int lisp_nl_dyn_dump(struct sk_buff *skb, struct netlink_callback *cb);
int lisp_nl_host_del(struct sk_buff *skb, struct genl_info *info);
int lisp_nl_host_dump(struct sk_buff *skb, struct netlink_callback *cb);
extern const struct lisp_dyn_event_ops lisp_nl_dyn_events;

#endif /* _LISP_NETLINK_H */
