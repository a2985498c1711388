/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LISP_XMIT_H
#define _LISP_XMIT_H

#include <linux/netdevice.h>

netdev_tx_t lisp_xmit(struct sk_buff *skb, struct net_device *dev);

#endif /* _LISP_XMIT_H */
