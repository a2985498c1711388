/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Longest-prefix-match trie for EID prefixes: lock-free RCU readers,
 * writers serialised by a mutex the caller owns.
 */
#ifndef _LISP_TRIE_H
#define _LISP_TRIE_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>

struct lisp_trie_node;

struct lisp_trie {
	struct lisp_trie_node __rcu *root;
	struct mutex *lock;	/* held by every writer */
	u32 count;		/* prefixes holding a value */
	u32 nodes;		/* including glue nodes, for memory reports */
	u32 full;		/* of which full-length (plen == bits) */
	u8 bits;		/* 32 (IPv4) or 128 (IPv6) */
};

/* Position of a walk: the last prefix handed out, in pre-order. */
struct lisp_trie_cursor {
	u8 addr[16];
	u8 plen;
	bool started;		/* false: start from the first prefix */
};

void lisp_trie_init(struct lisp_trie *t, u8 bits, struct mutex *lock);

/* RCU readers. @addr is in network byte order, bits/8 bytes long. */
void *lisp_trie_lookup(const struct lisp_trie *t, const void *addr);
void *lisp_trie_lookup_plen(const struct lisp_trie *t, const void *addr,
			    u8 *plen);
void *lisp_trie_get(const struct lisp_trie *t, const void *addr, u8 plen);

/*
 * Writers, with t->lock held. insert stores @val at addr/plen (host bits
 * past plen are ignored) and returns the value it replaced through @old
 * (NULL when new). remove returns the value it took out, or NULL.
 * Values are the caller's to free, after a grace period.
 */
int lisp_trie_insert(struct lisp_trie *t, const void *addr, u8 plen,
		     void *val, void **old, gfp_t gfp);
void *lisp_trie_remove(struct lisp_trie *t, const void *addr, u8 plen);

/*
 * Call @fn for each prefix after @cur in pre-order (a prefix before its
 * more-specifics, lower addresses first), under RCU or t->lock. @fn
 * returning non-zero stops the walk and that value is returned; the
 * cursor then names the last prefix for which @fn returned 0, so a netlink
 * dump can resume there. Returns 0 when the walk completed.
 */
int lisp_trie_walk(const struct lisp_trie *t, struct lisp_trie_cursor *cur,
		   int (*fn)(void *arg, const void *addr, u8 plen, void *val),
		   void *arg);

/*
 * Remove every prefix, with t->lock held; @free_val is called on each
 * value (it must defer the free past a grace period). May sleep, and so
 * may remove: nodes are freed by kfree_rcu_mightsleep().
 */
void lisp_trie_flush(struct lisp_trie *t, void (*free_val)(void *val));

/* Bytes one node takes in the slab: full-length (plen == bits) or not. */
size_t lisp_trie_node_size(u8 bits, bool full);

/* Bytes all of @t's nodes take, glue included. */
size_t lisp_trie_mem(const struct lisp_trie *t);

#endif /* _LISP_TRIE_H */
