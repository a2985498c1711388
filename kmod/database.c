// SPDX-License-Identifier: GPL-2.0
/*
 * The local database: EID prefixes this router is an ETR for (the
 * database-mapping of RFC 9301). An ETR only decapsulates packets
 * addressed into it. An empty database takes nothing: packets from anyone
 * on the underlay must not be let into the instance before the daemon has
 * said which EIDs are ours. Only a proxy-ETR, or a device told so with
 * IFLA_LISP_DECAP_ANY, decapsulates for every destination.
 */

#include <linux/slab.h>
#include <linux/netlink.h>

#include "device.h"
#include "database.h"

static struct lisp_trie *db_trie(struct lisp_dev *lisp, u8 family)
{
	return family == AF_INET ? &lisp->db4 : &lisp->db6;
}

int lisp_db_add(struct lisp_dev *lisp, u8 family, const void *addr, u8 plen,
		struct netlink_ext_ack *extack)
{
	struct lisp_trie *t = db_trie(lisp, family);
	struct lisp_db_entry *e;
	void *old;
	int err;

	e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e)
		return -ENOMEM;
	e->installed = jiffies;

	mutex_lock(&lisp->map_lock);
	if (lisp->dead) {
		NL_SET_ERR_MSG(extack, "the device is being deleted");
		err = -ENODEV;
	} else if (lisp_trie_get(t, addr, plen)) {
		NL_SET_ERR_MSG(extack, "database entry exists");
		err = -EEXIST;
	} else if (lisp->db4.count + lisp->db6.count >= LISP_DB_MAX) {
		NL_SET_ERR_MSG(extack, "database full (65536 prefixes)");
		local_bh_disable();	/* the counters are per-cpu */
		lisp_count(lisp, LISP_STAT_DB_FULL);
		local_bh_enable();
		err = -ENOSPC;
	} else {
		err = lisp_trie_insert(t, addr, plen, e, &old,
				       GFP_KERNEL_ACCOUNT);
	}
	mutex_unlock(&lisp->map_lock);
	if (err)
		kfree(e);
	return err;
}

static void db_free_val(void *val)
{
	struct lisp_db_entry *e = val;

	kfree_rcu(e, rcu);
}

int lisp_db_delete(struct lisp_dev *lisp, u8 family, const void *addr,
		   u8 plen)
{
	struct lisp_db_entry *e;

	mutex_lock(&lisp->map_lock);
	e = lisp_trie_remove(db_trie(lisp, family), addr, plen);
	mutex_unlock(&lisp->map_lock);
	if (!e)
		return -ENOENT;
	db_free_val(e);
	return 0;
}

void lisp_db_flush(struct lisp_dev *lisp)
{
	mutex_lock(&lisp->map_lock);
	lisp_trie_flush(&lisp->db4, db_free_val);
	lisp_trie_flush(&lisp->db6, db_free_val);
	mutex_unlock(&lisp->map_lock);
}

bool lisp_db_accepts(struct lisp_dev *lisp, u8 family, const void *daddr)
{
	if (READ_ONCE(lisp->cfg.petr) || READ_ONCE(lisp->cfg.decap_any))
		return true;
	return lisp_trie_lookup(db_trie(lisp, family), daddr);
}
