/* SPDX-License-Identifier: MIT */
/*
 * Addresses and EID prefixes: the one address model of lispd and
 * lispctl.  The codec's struct lisp_addr (proto/proto.h) stays the wire
 * form; the conversions to and from it are here.
 */
#ifndef LISPD_ADDR_H
#define LISPD_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct lisp_addr;

struct laddr {
	uint8_t		family;		/* AF_INET, AF_INET6, 0: none */
	uint8_t		a[16];
};

struct prefix {
	uint32_t	iid;
	uint8_t		family;
	uint8_t		plen;
	uint8_t		a[16];
};

struct rloc {
	struct laddr	addr;
	uint8_t		priority;
	uint8_t		weight;
};

#define ADDRSTRLEN	46
#define PREFIXSTRLEN	(ADDRSTRLEN + 20)

/* An IPv4 dotted quad or an IPv6 address: 0 or -1. */
int		 addr_parse(const char *, struct laddr *);
/* "none" for family 0. */
const char	*addr_fmt(const struct laddr *, char *, size_t);
int		 addr_bits(uint8_t family);
size_t		 addr_len(uint8_t family);
bool		 addr_eq(const struct laddr *, const struct laddr *);
/*
 * "A.B.C.D/N", "X::/N" or a bare address (a host prefix), optionally
 * "[IID]" first; bits set past the length are refused.  0, or -1 and
 * *why.
 */
int		 prefix_parse(const char *, struct prefix *, const char **why);
/* "[IID]A/N", without "[IID]" for instance-id 0. */
const char	*prefix_fmt(const struct prefix *, char *, size_t);
void		 prefix_mask(struct prefix *);
bool		 prefix_eq(const struct prefix *, const struct prefix *);
bool		 prefix_covers(const struct prefix *outer,
		    const struct prefix *inner);
bool		 prefix_overlap(const struct prefix *, const struct prefix *);
void		 prefix_host(struct prefix *, uint32_t iid, const struct laddr *);
void		 prefix_addr(const struct prefix *, struct laddr *);
/* Codec conversions: IID LCAF when iid != 0, plain AFI otherwise. */
void		 prefix_to_lisp(const struct prefix *, struct lisp_addr *);
int		 prefix_from_lisp(const struct lisp_addr *, uint8_t mlen,
		    struct prefix *);
void		 laddr_to_lisp(const struct laddr *, struct lisp_addr *);
int		 laddr_from_lisp(const struct lisp_addr *, struct laddr *);
socklen_t	 laddr_sockaddr(const struct laddr *, uint16_t port,
		    struct sockaddr_storage *);
int		 laddr_from_sockaddr(const struct sockaddr *, struct laddr *,
		    uint16_t *port);
uint64_t	 nonce_new(void);

#endif /* LISPD_ADDR_H */
