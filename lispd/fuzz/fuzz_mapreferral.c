/* SPDX-License-Identifier: MIT */
/* libFuzzer: Map-Referral decoder, and re-encode what it accepts. */
#include <stdlib.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lisp_mapreferral m;
	static uint8_t	out[65536];
	int		n;

	if (lisp_mapreferral_decode(data, size, &m) != 0)
		return 0;
	n = lisp_mapreferral_encode(out, sizeof(out), &m);
	/* An EID read but not kept (an LCAF type we skip) is not written. */
	if (n == -LISP_E_LCAF_TYPE)
		return 0;
	if (n < 0 || (size_t)n > size)
		abort();
	return 0;
}
