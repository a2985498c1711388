/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LISP control messages carried inside LISP data packets (NAT traversal):
 * the ones a device with IFLA_LISP_CTRL_PUNT receives go up to the daemon
 * as CTRL events; CTRL_SEND has the device send one for it.
 */
#ifndef _LISP_CTRL_H
#define _LISP_CTRL_H

#include <linux/types.h>

/* CTRL events a device raises at most, per second and in one burst. */
#define LISP_CTRL_RATE		1000

struct lisp_dev;
struct sk_buff;
struct nlattr;
struct netlink_ext_ack;

void lisp_ctrl_init(struct lisp_dev *lisp);
unsigned int lisp_ctrl_match(struct sk_buff *skb, u8 family, const u8 *daddr,
			     u8 outer_family, const u8 *outer_daddr);
void lisp_ctrl_punt(struct lisp_dev *lisp, struct sk_buff *skb,
		    unsigned int len, u8 src_family, const u8 *src,
		    __be16 sport);
int lisp_ctrl_send(struct lisp_dev *lisp, u8 family, const u8 *addr,
		   __be16 port, const struct nlattr *pkt,
		   struct netlink_ext_ack *extack);

#endif /* _LISP_CTRL_H */
