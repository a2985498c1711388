/* SPDX-License-Identifier: MIT */
/*
 * eidtab: a table of EID prefixes keyed by (instance-id, family,
 * prefix), with exact match through a hash table and longest-prefix
 * match through a path-compressed binary trie over the same nodes.
 *
 * The caller embeds a struct et_node in its own entry and owns that
 * memory; the table allocates only the trie's branch nodes.  A prefix
 * is in the table at most once.
 */
#ifndef LISPD_EIDTAB_H
#define LISPD_EIDTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct prefix;

/* family, instance-id (4 bytes), address (16 bytes) */
#define ET_KEYBYTES	21
#define ET_HDRBITS	40	/* family and instance-id come first */

struct et_node {
	struct et_node	*child[2];
	struct et_node	*parent;
	struct et_node	*hnext;		/* hash chain; entries only */
	uint32_t	 hash;
	uint8_t		 bits;		/* ET_HDRBITS + prefix length */
	bool		 entry;		/* a caller's prefix, not a branch */
	uint8_t		 key[ET_KEYBYTES];
};

/*
 * Longest match probes the hash once per prefix length in use, longest
 * first, while a family has at most this many lengths in use; the trie
 * otherwise.  A probe costs a cache miss or two, a trie level one.
 */
#define ET_PROBE_MAX	12

struct eidtab {
	struct et_node	*root;
	struct et_node	**bucket;
	size_t		 nbucket;	/* a power of two, or 0 */
	size_t		 count;
	size_t		 nbranch;
	uint32_t	 seed;
	int		 probe_max;	/* ET_PROBE_MAX; tests change it */
	/* Entries per prefix length, IPv4 [0] and IPv6 [1]. */
	uint32_t	 nplen[2][129];
	int		 nlens[2];	/* lengths with entries */
};

void	 et_init(struct eidtab *);
/* Every entry must have been removed; frees the table's own memory. */
void	 et_free(struct eidtab *);
/* -1 if p is already there or memory ran out; the table is unchanged. */
int	 et_insert(struct eidtab *, struct et_node *, const struct prefix *p);
void	 et_remove(struct eidtab *, struct et_node *);
struct et_node *et_exact(const struct eidtab *, const struct prefix *);
/* The most specific entry covering p (p itself included), or NULL. */
struct et_node *et_longest(const struct eidtab *, const struct prefix *);
/* Is there an entry covered by p (p itself included)? */
bool	 et_any_within(const struct eidtab *, const struct prefix *);

/* The struct an embedded node lives in. */
#define et_entry(n, type, member) \
	((type *)(void *)((char *)(n) - offsetof(type, member)))

#endif /* LISPD_EIDTAB_H */
