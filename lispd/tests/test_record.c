/* SPDX-License-Identifier: MIT */
/* EID records copied between messages (lisp_rec_copy). */
#include <stdlib.h>

#include "tap.h"
#include "util.h"

/* The copy encodes to the very bytes of the original. */
static void
t_rec_copy_encodes_the_same(void **s)
{
	struct lisp_mapreply *a = calloc(1, sizeof(*a));
	struct lisp_mapreply *b = calloc(1, sizeof(*b));
	uint8_t	wa[2048], wb[2048];
	int	na, nb;

	(void)s;
	a->nonce = b->nonce = 0x1122334455667788ull;
	a->nrec = b->nrec = 2;
	sample_rec(&a->rec[0], 1, 3);
	sample_rec(&a->rec[1], 2, 0);
	lisp_rec_copy(&b->rec[0], &a->rec[0]);
	lisp_rec_copy(&b->rec[1], &a->rec[1]);
	na = lisp_mapreply_encode(wa, sizeof(wa), a);
	nb = lisp_mapreply_encode(wb, sizeof(wb), b);
	assert_true(na > 0);
	assert_int_equal(nb, na);
	assert_memory_equal(wb, wa, (size_t)na);
	free(a);
	free(b);
}

/*
 * Only the locators in use are copied: a Map-Server copies records of
 * tens of bytes out of 1.6 KB structs, per registration and per reply.
 */
static void
t_rec_copy_leaves_unused_locators(void **s)
{
	struct lisp_rec	src, dst;
	uint8_t		unused[sizeof(dst.loc)];

	(void)s;
	sample_rec(&src, 7, 2);
	memset(&dst, 0xa5, sizeof(dst));
	memset(unused, 0xa5, sizeof(unused));
	lisp_rec_copy(&dst, &src);
	assert_int_equal(dst.ttl, src.ttl);
	assert_int_equal(dst.mlen, src.mlen);
	assert_int_equal(dst.auth, src.auth);
	assert_int_equal(dst.version, src.version);
	assert_memory_equal(&dst.eid, &src.eid, sizeof(src.eid));
	assert_int_equal(dst.nloc, 2);
	assert_memory_equal(dst.loc, src.loc, 2 * sizeof(src.loc[0]));
	assert_memory_equal(&dst.loc[2], unused,
	    sizeof(dst.loc) - 2 * sizeof(dst.loc[0]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_rec_copy_encodes_the_same),
		cmocka_unit_test(t_rec_copy_leaves_unused_locators),
	};

	return TAP_RUN("EID record copy", tests);
}
