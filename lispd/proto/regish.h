/* SPDX-License-Identifier: MIT */
/* The Map-Register shaped messages: types 3, 4 and 5. */
#ifndef LISPD_REGISH_H
#define LISPD_REGISH_H

#include "proto.h"

/* Accept type t1 or t2. */
int	regish_decode(const uint8_t *, size_t, struct lisp_mapreg *,
	    uint8_t t1, uint8_t t2);
int	regish_encode(uint8_t *, size_t, const struct lisp_mapreg *,
	    uint8_t type);
#endif /* LISPD_REGISH_H */
