/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LISP_XMIT_H
#define _LISP_XMIT_H

#include <linux/netdevice.h>

struct lisp_dev;
struct lisp_map;

netdev_tx_t lisp_xmit(struct sk_buff *skb, struct net_device *dev);
void lisp_xmit_away(struct lisp_dev *lisp, struct sk_buff *skb,
		    struct lisp_map *map);
int lisp_xmit_ctrl(struct lisp_dev *lisp, struct sk_buff *skb, u8 family,
		   const void *addr, __be16 port);

#endif /* _LISP_XMIT_H */
