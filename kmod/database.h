/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The local database: EID prefixes this xTR is an ETR for. Decapsulated
 * packets must be addressed into it unless the device is a proxy-ETR.
 */
#ifndef _LISP_DATABASE_H
#define _LISP_DATABASE_H

#include <linux/types.h>
#include <linux/rcupdate.h>

struct lisp_dev;
struct netlink_ext_ack;

struct lisp_db_entry {
	struct rcu_head rcu;
	unsigned long installed;	/* jiffies */
};

int lisp_db_add(struct lisp_dev *lisp, u8 family, const void *addr, u8 plen,
		struct netlink_ext_ack *extack);
int lisp_db_delete(struct lisp_dev *lisp, u8 family, const void *addr,
		   u8 plen);
void lisp_db_flush(struct lisp_dev *lisp);
bool lisp_db_accepts(struct lisp_dev *lisp, u8 family, const void *daddr);

#endif /* _LISP_DATABASE_H */
