/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LISP_NETLINK_H
#define _LISP_NETLINK_H

#include <linux/types.h>

struct lisp_dev;
struct netlink_ext_ack;
struct nlattr;
struct sk_buff;

extern struct genl_family lisp_genl_family;

int lisp_genl_init(void);
void lisp_genl_exit(void);
int lisp_nl_eid_from_attrs(struct nlattr **attrs, u8 *family, u8 *addr,
			   u8 *plen, bool host, struct netlink_ext_ack *extack);
int lisp_nl_put_addr(struct sk_buff *skb, int attr4, int attr6, u8 family,
		     const void *addr);
void lisp_notify_miss(struct lisp_dev *lisp, u8 family, const void *saddr,
		      const void *daddr);
int lisp_notify_smr(struct lisp_dev *lisp, u8 family, const void *seid,
		    const void *eid, u8 rloc_family, const void *srloc);

#endif /* _LISP_NETLINK_H */
