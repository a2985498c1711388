/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer: the Info-Request / Info-Reply decoder (and its
 * NAT-Traversal LCAF) and the authentication check on the same bytes;
 * whatever decodes is encoded again, no longer than it came.
 */
#include <stdlib.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lisp_info m;
	static uint8_t	out[65536];
	int		n;

	(void)lisp_auth_verify(data, size, "key", 3);
	if (lisp_info_decode(data, size, &m) != 0)
		return 0;
	n = lisp_info_encode(out, sizeof(out), &m);
	/* Unknown algorithms parse but can't be re-encoded. */
	if (n == -LISP_E_AUTH_LEN && lisp_auth_len(m.alg_id, false) < 0)
		return 0;
	if (n < 0 || (size_t)n > size)
		abort();
	if (lisp_info_decode(out, (size_t)n, &m) != 0)
		abort();
	return 0;
}
