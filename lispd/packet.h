/* SPDX-License-Identifier: MIT */
/* packet.c: a received control message, decoded and given to its role. */
#ifndef LISPD_PACKET_H
#define LISPD_PACKET_H

#include "core.h"

/* Where a message came from, for the role that handles it. */
struct pkt {
	struct laddr	src;		/* outer source */
	uint16_t	sport;
	struct laddr	dst;		/* outer destination, family 0: unknown */
	bool		ecm;		/* came inside an ECM */
	struct laddr	isrc;		/* the ECM's inner source */
	struct laddr	idst;		/* and destination */
	uint16_t	isport;		/* and inner source port */
	bool		ddt;		/* the ECM's D bit: wants a Map-Referral */
};

void	packet_input(const uint8_t *, size_t, const struct laddr *src,
	    uint16_t sport);
/*
 * A control message inside a data packet (kernel CTRL event) on iid's
 * device: the inner IP packet, from srloc port sport.
 */
void	packet_ctrl_input(uint32_t iid, const struct laddr *srloc,
	    uint16_t sport, const uint8_t *, size_t);

#endif /* LISPD_PACKET_H */
