/* SPDX-License-Identifier: MIT */
/* libFuzzer: a single LISP address (AFI, LCAF). */
#include <stdlib.h>
#include <string.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lisp_addr a;
	uint8_t		out[256];
	size_t		used;
	int		n;

	if (lisp_addr_decode(data, size, &a, &used) != 0)
		return 0;
	if (used > size)
		abort();
	(void)lisp_addr_maxbits(&a);
	/* An accepted address encodes back to the bytes it came from
	 * except for reserved/flag fields we zero. */
	n = lisp_addr_encode(out, sizeof(out), &a);
	if (n < 0 || (size_t)n != used)
		abort();
	return 0;
}
