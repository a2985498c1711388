/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EID prefixes outside the trie: an address is 16 bytes in network order,
 * an IPv4 one in the first 4 with zeroes after, so the helpers need not
 * know the family. The trie keeps its own key format (trie.c).
 */
#ifndef _LISP_PREFIX_H
#define _LISP_PREFIX_H

#include <linux/socket.h>
#include <linux/string.h>
#include <linux/types.h>

#define LISP_ADDR_LEN	16

/* Bytes of an address of @family (AF_INET or AF_INET6). */
static inline unsigned int lisp_addr_len(u8 family)
{
	return family == AF_INET ? 4 : 16;
}

/* Bits of an address of @family: the longest prefix, a host's. */
static inline u8 lisp_addr_bits(u8 family)
{
	return family == AF_INET ? 32 : 128;
}

/* @addr lies in @prefix/@plen; @plen is at most 128. */
static inline bool lisp_prefix_covers(const u8 *prefix, u8 plen,
				      const u8 *addr)
{
	unsigned int bytes = plen / 8, bits = plen % 8;

	if (memcmp(prefix, addr, bytes))
		return false;
	return !bits || !((prefix[bytes] ^ addr[bytes]) & (0xff00 >> bits));
}

/* Clear the bits of @addr past @plen: the prefix it falls in. */
static inline void lisp_prefix_mask(u8 *addr, u8 plen)
{
	unsigned int i = plen / 8;

	if (i >= LISP_ADDR_LEN)
		return;
	if (plen % 8)
		addr[i++] &= 0xff00 >> (plen % 8);
	memset(addr + i, 0, LISP_ADDR_LEN - i);
}

/* No bit of @addr is set past @plen: a prefix as it must be given. */
static inline bool lisp_prefix_is_masked(const u8 *addr, u8 plen)
{
	u8 masked[LISP_ADDR_LEN];

	memcpy(masked, addr, LISP_ADDR_LEN);
	lisp_prefix_mask(masked, plen);
	return !memcmp(masked, addr, LISP_ADDR_LEN);
}

#endif /* _LISP_PREFIX_H */
