/* SPDX-License-Identifier: MIT */
/*
 * What every part of lispd shares: addresses and EID prefixes
 * (genl/addr.h, lispctl's as well), the version, the default paths (the
 * ones lispctl uses too: it reads lispd.conf with config.c) and the RFC
 * 9301 timers.  The wire codec is proto/proto.h; each layer and
 * role has its own header.
 */
#ifndef LISPD_CORE_H
#define LISPD_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <linux/lisp.h>

#include "proto.h"
#include "addr.h"

/* Packages build with -DLISPD_VERSION=\"$(tools/version)\". */
#ifndef LISPD_VERSION
#define LISPD_VERSION		"0.1"
#endif
#define LISPD_CONF		"/etc/lispd/lispd.conf"
#define LISPD_SOCK		"/run/lispd/lispd.sock"	/* lispd.service's RuntimeDirectory */

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

/* A network namespace's name (ip-netns(8)), with the NUL. */
#define NETNS_NAME_MAX		64

/* A dynamic-EID policy's name, with the NUL, as the kernel's. */
#define DYNEID_NAME_MAX		32

#endif /* LISPD_CORE_H */
