/* SPDX-License-Identifier: MIT */
/* libFuzzer: ECM decoder, then the Map-Request it usually carries. */
#include <stdlib.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lisp_mapreq m;
	static uint8_t	out[65536 + 64];
	struct lisp_ecm	e;
	int		n;

	if (lisp_ecm_decode(data, size, &e) != 0)
		return 0;
	if (e.msg < data || e.msg + e.msg_len != data + size)
		abort();
	(void)lisp_mapreq_decode(e.msg, e.msg_len, &m);
	/* Re-encoding an accepted ECM must reproduce a valid one. */
	n = lisp_ecm_encode(out, sizeof(out), &e);
	if (n < 0 || lisp_ecm_decode(out, (size_t)n, &e) != 0)
		abort();
	return 0;
}
