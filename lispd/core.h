/* SPDX-License-Identifier: MIT */
/*
 * What every part of lispd shares: addresses and EID prefixes (addr.c),
 * the version, the default paths and the RFC 9301 timers.  The wire
 * codec is proto/proto.h; each layer and role has its own header.
 */
#ifndef LISPD_CORE_H
#define LISPD_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <linux/lisp.h>

#include "proto.h"

#define LISPD_VERSION		"0.1"
#define LISPD_CONF		"/etc/lispd.conf"
#define LISPD_SOCK		"/run/lispd.sock"

/* RFC 9301 timers. */
#define REGISTER_INTERVAL	60	/* s between Map-Registers (8.2) */
#define REGISTER_TIMEOUT	180	/* s until an MS drops a registration */
#define REGISTER_BACKOFF_MAX	60	/* s, cap of the retransmit backoff */
#define MREQ_RETRIES		3	/* after the first: 1 s, 2 s, 4 s */
#define MREQ_HOLDDOWN		10	/* s before asking again after giving up */
#define MREQ_RATE		100	/* Map-Requests per second, at most */
#define TTL_DEFAULT		1440	/* minutes: a day, RFC 9301 5.4 */
#define TTL_NEG_HOLE		15	/* minutes: not in any site's prefix */
#define TTL_NEG_UNREG		1	/* minutes: a site's, not registered */

/*
 * Bytes of the largest control message sent or taken (a jumbo frame's
 * payload).  A message is encoded into a buffer of this size on the
 * stack of the call that sends it: no file, and no tenant, owns one.
 */
#define LISPD_MSG_MAX		9216

/* A dynamic-EID policy's name, with the NUL, as the kernel's. */
#define DYNEID_NAME_MAX		32

/* ---- addr.c: addresses and EID prefixes ---- */

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

int		 addr_parse(const char *, struct laddr *);
const char	*addr_fmt(const struct laddr *, char *, size_t);
int		 addr_bits(uint8_t family);
bool		 addr_eq(const struct laddr *, const struct laddr *);
/* "A.B.C.D/N", "X::/N", optionally "[IID]" first; 0 or -1 and *why. */
int		 prefix_parse(const char *, struct prefix *, const char **why);
const char	*prefix_fmt(const struct prefix *, char *, size_t);
void		 prefix_mask(struct prefix *);
bool		 prefix_eq(const struct prefix *, const struct prefix *);
bool		 prefix_covers(const struct prefix *outer,
		    const struct prefix *inner);
bool		 prefix_overlap(const struct prefix *, const struct prefix *);
void		 prefix_host(struct prefix *, uint32_t iid, const struct laddr *);
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

#endif /* LISPD_CORE_H */
