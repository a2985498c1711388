/* SPDX-License-Identifier: MIT */
/*
 * eidtab: exact and longest-prefix match, "anything inside", removal in
 * any order, instance-ids and families kept apart; a random workload
 * checked step by step against a linear scan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "core.h"
#include "log.h"
#include "eidtab.h"
#include "daemon.h"

struct ent {
	struct et_node	node;
	struct prefix	p;
	bool		in;
};

static const char *
longest(struct eidtab *t, const char *s)
{
	static char	 buf[PREFIXSTRLEN];
	struct prefix	 p = P(s);
	struct et_node	*n = et_longest(t, &p);

	if (!n)
		return NULL;
	return prefix_fmt(&et_entry(n, struct ent, node)->p, buf, sizeof(buf));
}

static bool
within(struct eidtab *t, const char *s)
{
	struct prefix	p = P(s);

	return et_any_within(t, &p);
}

static void
t_basic(void **state)
{
	static const char *pfx[] = {
		"10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.3/32",
		"[7]10.1.0.0/16", "2001:db8::/32", "0.0.0.0/0",
	};
	struct ent	e[7];
	struct eidtab	t;
	struct prefix	p;
	size_t		i;

	(void)state;
	et_init(&t);
	for (i = 0; i < 7; i++) {
		e[i].p = P(pfx[i]);
		assert_int_equal(et_insert(&t, &e[i].node, &e[i].p), 0);
	}
	/* Twice is refused and changes nothing. */
	{
		struct ent dup = { .p = P("10.1.0.0/16") };

		assert_int_equal(et_insert(&t, &dup.node, &dup.p), -1);
		assert_int_equal(t.count, 7);
	}
	p = P("10.1.2.0/24");
	assert_ptr_equal(et_exact(&t, &p), &e[2].node);
	p = P("10.1.2.0/23");
	assert_null(et_exact(&t, &p));

	assert_string_equal(longest(&t, "10.1.2.3/32"), "10.1.2.3/32");
	assert_string_equal(longest(&t, "10.1.2.4/32"), "10.1.2.0/24");
	assert_string_equal(longest(&t, "10.1.3.4/32"), "10.1.0.0/16");
	assert_string_equal(longest(&t, "10.2.0.0/16"), "10.0.0.0/8");
	assert_string_equal(longest(&t, "11.0.0.1/32"), "0.0.0.0/0");
	/* Instance 7 only has its /16; nothing else covers in it. */
	assert_string_equal(longest(&t, "[7]10.1.2.3/32"), "[7]10.1.0.0/16");
	assert_null(longest(&t, "[7]10.2.0.1/32"));
	assert_null(longest(&t, "[8]10.1.2.3/32"));
	/* IPv6 is not covered by IPv4's default. */
	assert_string_equal(longest(&t, "2001:db8::1/128"), "2001:db8::/32");
	assert_null(longest(&t, "2001:db9::1/128"));

	assert_true(within(&t, "10.1.2.2/31"));
	assert_false(within(&t, "10.1.2.0/31"));
	assert_true(within(&t, "10.1.0.0/16"));
	assert_false(within(&t, "10.1.3.0/24"));
	assert_true(within(&t, "0.0.0.0/0"));
	assert_false(within(&t, "[9]0.0.0.0/0"));
	assert_true(within(&t, "::/0"));

	/* Removing a node in the middle keeps what hangs below it. */
	et_remove(&t, &e[1].node);
	assert_string_equal(longest(&t, "10.1.3.4/32"), "10.0.0.0/8");
	assert_string_equal(longest(&t, "10.1.2.9/32"), "10.1.2.0/24");
	for (i = 0; i < 7; i++)
		if (i != 1)
			et_remove(&t, &e[i].node);
	assert_null(t.root);
	assert_int_equal(t.count, 0);
	assert_int_equal(t.nbranch, 0);
	et_free(&t);
}

/* ---- random workload against a linear scan ---- */

#define NENT	3000
#define NSTEP	60000

static struct ent	ents[NENT];

static uint32_t	rnd_state = 12345;

static uint32_t
rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

/* Clustered prefixes so that they nest and share long paths. */
static void
rnd_prefix(struct prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->iid = rnd() % 3 == 0 ? rnd() % 3 : 0;
	if (rnd() % 4 == 0) {
		p->family = AF_INET6;
		p->a[0] = 0x20;
		p->a[1] = 0x01;
		p->a[15] = (uint8_t)rnd();
		p->a[14] = (uint8_t)(rnd() % 4);
		p->plen = (uint8_t)(rnd() % 129);
	} else {
		p->family = AF_INET;
		p->a[0] = 10;
		p->a[1] = (uint8_t)(rnd() % 4);
		p->a[2] = (uint8_t)(rnd() % 8);
		p->a[3] = (uint8_t)rnd();
		p->plen = (uint8_t)(rnd() % 33);
	}
	prefix_mask(p);
}

static struct ent *
scan_longest(const struct prefix *p)
{
	struct ent	*best = NULL;
	int		 i;

	for (i = 0; i < NENT; i++)
		if (ents[i].in && prefix_covers(&ents[i].p, p) &&
		    (!best || ents[i].p.plen > best->p.plen))
			best = &ents[i];
	return best;
}

static bool
scan_within(const struct prefix *p)
{
	int	i;

	for (i = 0; i < NENT; i++)
		if (ents[i].in && prefix_covers(p, &ents[i].p))
			return true;
	return false;
}

static struct ent *
scan_exact(const struct prefix *p)
{
	int	i;

	for (i = 0; i < NENT; i++)
		if (ents[i].in && prefix_eq(&ents[i].p, p))
			return &ents[i];
	return NULL;
}

/* probe_max: 0 walks the trie, 200 probes the hash, for every lookup. */
static void
random_workload(int probe_max)
{
	struct eidtab	 t;
	struct prefix	 q;
	struct et_node	*n;
	size_t		 in = 0;
	int		 step, i;

	et_init(&t);
	t.probe_max = probe_max;
	memset(ents, 0, sizeof(ents));
	for (step = 0; step < NSTEP; step++) {
		struct ent *e = &ents[rnd() % NENT];

		if (e->in) {
			et_remove(&t, &e->node);
			e->in = false;
			in--;
		} else {
			rnd_prefix(&e->p);
			if (scan_exact(&e->p)) {
				assert_int_equal(et_insert(&t, &e->node,
				    &e->p), -1);
			} else {
				assert_int_equal(et_insert(&t, &e->node,
				    &e->p), 0);
				e->in = true;
				in++;
			}
		}
		assert_int_equal(t.count, in);
		/* Branches only where two subtrees part. */
		assert_true(t.nbranch < in || (in == 0 && t.nbranch == 0));
		for (i = 0; i < 4; i++) {
			rnd_prefix(&q);
			n = et_longest(&t, &q);
			assert_ptr_equal(n ? et_entry(n, struct ent, node) :
			    NULL, scan_longest(&q));
			assert_int_equal(et_any_within(&t, &q),
			    scan_within(&q));
			n = et_exact(&t, &q);
			assert_ptr_equal(n ? et_entry(n, struct ent, node) :
			    NULL, scan_exact(&q));
		}
	}
	for (i = 0; i < NENT; i++)
		if (ents[i].in)
			et_remove(&t, &ents[i].node);
	assert_null(t.root);
	assert_int_equal(t.nbranch, 0);
	assert_int_equal(t.nlens[0] + t.nlens[1], 0);
	et_free(&t);
}

static void
t_random_trie(void **state)
{
	(void)state;
	random_workload(0);
}

static void
t_random_hash(void **state)
{
	(void)state;
	random_workload(200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_basic),
		cmocka_unit_test(t_random_trie),
		cmocka_unit_test(t_random_hash),
	};

	log_init(true, 0);
	return TAP_RUN("eidtab", tests);
}
