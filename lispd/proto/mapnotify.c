/* SPDX-License-Identifier: MIT */
/*
 * Map-Notify and Map-Notify-Ack, RFC 9301 section 5.7: "the same
 * contents as a Map-Register".  The figure there shows the first word
 * as Reserved; peers carry an I bit in it (LISP_MNOT_I, not the
 * Map-Register's position) saying that the xTR-ID and Site-ID follow
 * the records, as after a Map-Register's.
 */
#include "codec.h"
#include "regish.h"

int
lisp_mapnotify_decode(const uint8_t *p, size_t len, struct lisp_mapreg *m)
{
	return regish_decode(p, len, m, LISP_MSG_NOTIFY, LISP_MSG_NOTIFY_ACK);
}

int
lisp_mapnotify_encode(uint8_t *p, size_t cap, const struct lisp_mapreg *m)
{
	return regish_encode(p, cap, m, LISP_MSG_NOTIFY);
}

int
lisp_mapnotify_ack_encode(uint8_t *p, size_t cap,
    const struct lisp_mapreg *m)
{
	return regish_encode(p, cap, m, LISP_MSG_NOTIFY_ACK);
}
