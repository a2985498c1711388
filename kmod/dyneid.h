/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dynamic EIDs: hosts found on the interfaces of a first-hop router, for
 * the control plane to register as they arrive and withdraw as they leave.
 */
#ifndef _LISP_DYNEID_H
#define _LISP_DYNEID_H

#include <net/genetlink.h>

struct net;

extern const struct nla_policy lisp_dyn_nl_policy[LISP_A_MAX + 1];

int lisp_dyn_module_init(void);
void lisp_dyn_module_exit(void);
int lisp_dyn_net_init(struct net *net);
void lisp_dyn_net_exit(struct net *net);

int lisp_nl_dyn_add(struct sk_buff *skb, struct genl_info *info);
int lisp_nl_dyn_del(struct sk_buff *skb, struct genl_info *info);
int lisp_nl_dyn_dump(struct sk_buff *skb, struct netlink_callback *cb);
int lisp_nl_host_del(struct sk_buff *skb, struct genl_info *info);
int lisp_nl_host_dump(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _LISP_DYNEID_H */
