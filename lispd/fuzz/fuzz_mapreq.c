/* SPDX-License-Identifier: MIT */
/* libFuzzer: Map-Request decoder, and re-encode what it accepts. */
#include <stdlib.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lisp_mapreq m;
	static uint8_t	out[65536];
	int		n;

	if (lisp_mapreq_decode(data, size, &m) != 0)
		return 0;
	/* Anything accepted must encode again, and not longer (skips). */
	n = lisp_mapreq_encode(out, sizeof(out), &m);
	/* An EID read but not kept (an LCAF type we skip) is not written. */
	if (n == -LISP_E_LCAF_TYPE)
		return 0;
	if (n < 0 || (size_t)n > size)
		abort();
	return 0;
}
