/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer: Map-Register / Map-Notify / Map-Notify-Ack decoders and the
 * authentication check, which reads the same header independently.
 */
#include <stdlib.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lisp_mapreg m;
	static uint8_t	out[65536];
	int		n, rc;

	(void)lisp_auth_verify(data, size, "key", 3);
	rc = lisp_mapreg_decode(data, size, &m);
	if (rc != 0)
		rc = lisp_mapnotify_decode(data, size, &m);
	if (rc != 0)
		return 0;
	n = m.type == LISP_MSG_REGISTER ?
	    lisp_mapreg_encode(out, sizeof(out), &m) :
	    lisp_mapnotify_encode(out, sizeof(out), &m);
	/* Unknown algorithms parse but can't be re-encoded. */
	if (n == -LISP_E_AUTH_LEN && lisp_auth_len(m.alg_id, false) < 0)
		return 0;
	/* An EID read but not kept (an LCAF type we skip) is not written. */
	if (n == -LISP_E_LCAF_TYPE)
		return 0;
	if (n < 0 || (size_t)n > size)
		abort();
	return 0;
}
