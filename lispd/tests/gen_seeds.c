/* SPDX-License-Identifier: MIT */
/* Write a small fuzz seed corpus, built with the encoders, into DIR/<target>/. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "util.h"

static const char *dir;

static void
put(const char *target, const char *name, const uint8_t *p, int n)
{
	char	path[512];
	FILE	*f;

	if (n < 0) {
		fprintf(stderr, "%s/%s: %s\n", target, name, lisp_strerror(n));
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, target);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", dir, target, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(p, 1, (size_t)n, f) !=
	    (size_t)n || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static uint8_t	buf[4096], inner[4096];

int
main(int argc, char **argv)
{
	static struct lisp_mapreq q;
	static struct lisp_mapreply r;
	static struct lisp_mapreg g;
	static struct lisp_mapreferral f;
	static struct lisp_info i;
	static const uint8_t sig[24] = { [13] = 7, [15] = 4, [16] = 2 };
	struct lisp_ecm	e;
	struct lisp_addr a;
	int		n;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_seeds DIR\n");
		return 2;
	}
	dir = argv[1];
	mkdir(dir, 0755);

	v4(&a, 10, 0, 0, 1);
	put("addr", "ipv4", buf, lisp_addr_encode(buf, sizeof(buf), &a));
	v6(&a, 1);
	put("addr", "ipv6", buf, lisp_addr_encode(buf, sizeof(buf), &a));
	iid4(&a, 99, 10, 0, 0, 1);
	put("addr", "iid", buf, lisp_addr_encode(buf, sizeof(buf), &a));
	afilist(&a);
	put("addr", "afilist", buf, lisp_addr_encode(buf, sizeof(buf), &a));

	q.flags = LISP_MREQ_A | LISP_MREQ_SMR_INVOKED;
	q.nonce = 1;
	v4(&q.seid, 10, 0, 0, 1);
	q.nitr = 2;
	v4(&q.itr[0], 192, 0, 2, 1);
	v6(&q.itr[1], 1);
	q.nrec = 1;
	q.rec[0].mlen = 32;
	v4(&q.rec[0].eid, 10, 1, 0, 1);
	put("mapreq", "basic", buf, lisp_mapreq_encode(buf, sizeof(buf), &q));
	q.flags = LISP_MREQ_M | LISP_MREQ_P;
	sample_rec(&q.reply, 1, 2);
	iid4(&q.seid, 7, 10, 0, 0, 1);
	put("mapreq", "mapdata", buf, lisp_mapreq_encode(buf, sizeof(buf), &q));

	r.nonce = 2;
	r.nrec = 2;
	sample_rec(&r.rec[0], 1, 3);
	sample_rec(&r.rec[1], 2, 0);
	r.rec[1].act = LISP_ACT_NATIVE_FWD;
	iid4(&r.rec[0].loc[2].addr, 5, 1, 2, 3, 4);
	put("mapreply", "basic", buf,
	    lisp_mapreply_encode(buf, sizeof(buf), &r));
	r.nrec = 1;
	afilist(&r.rec[0].eid);
	put("mapreply", "afilist", buf,
	    lisp_mapreply_encode(buf, sizeof(buf), &r));

	g.flags = LISP_MREG_I | LISP_MREG_M;
	g.nonce = 3;
	g.alg_id = LISP_ALG_SHA256_128;
	g.nrec = 1;
	sample_rec(&g.rec[0], 1, 2);
	n = lisp_mapreg_encode(buf, sizeof(buf), &g);
	if (n > 0 && lisp_auth_sign(buf, (size_t)n, "key", 3) != 0)
		return 1;
	put("mapreg", "register", buf, n);
	g.flags = 0;
	g.alg_id = LISP_ALG_SHA1_96;
	g.auth_len = 20;
	n = lisp_mapnotify_encode(buf, sizeof(buf), &g);
	if (n > 0 && lisp_auth_sign(buf, (size_t)n, "key", 3) != 0)
		return 1;
	put("mapreg", "notify", buf, n);

	q.flags = 0;
	v4(&q.seid, 10, 0, 0, 1);
	n = lisp_mapreq_encode(inner, sizeof(inner), &q);
	memset(&e, 0, sizeof(e));
	e.ipver = 4;
	e.ttl = 64;
	memcpy(e.src, q.seid.ip.addr, 4);
	memcpy(e.dst, q.rec[0].eid.ip.addr, 4);
	e.sport = 4000;
	e.dport = 4342;
	e.msg = inner;
	e.msg_len = (size_t)n;
	put("ecm", "ipv4", buf, lisp_ecm_encode(buf, sizeof(buf), &e));
	e.ipver = 6;
	e.flags = LISP_ECM_D;
	put("ecm", "ipv6", buf, lisp_ecm_encode(buf, sizeof(buf), &e));

	f.nonce = 4;
	f.nrec = 1;
	sample_rec(&f.rec[0].rec, 1, 2);
	f.rec[0].rec.act = LISP_REF_MS;
	put("mapreferral", "ms-referral", buf,
	    lisp_mapreferral_encode(buf, sizeof(buf), &f));
	f.nrec = 2;
	sample_rec(&f.rec[1].rec, 2, 0);
	f.rec[1].rec.act = LISP_REF_NOT_AUTH;
	f.rec[1].incomplete = true;
	f.rec[1].nsig = 1;
	f.rec[1].sig = sig;
	f.rec[1].sig_len = sizeof(sig);
	put("mapreferral", "signed", buf,
	    lisp_mapreferral_encode(buf, sizeof(buf), &f));

	i.nonce = 5;
	i.alg_id = LISP_ALG_SHA256_128;
	i.mlen = 16;
	v4(&i.eid, 10, 1, 0, 0);
	n = lisp_info_encode(buf, sizeof(buf), &i);
	if (n > 0 && lisp_auth_sign(buf, (size_t)n, "key", 3) != 0)
		return 1;
	put("info", "request", buf, n);
	i.reply = true;
	i.ttl = 1;
	i.nat.ms_port = 4342;
	i.nat.etr_port = 61000;
	v4(&a, 198, 51, 100, 7);
	i.nat.global_etr = a.ip;
	v4(&a, 192, 0, 2, 1);
	i.nat.ms = a.ip;
	v4(&a, 10, 0, 0, 5);
	i.nat.private_etr = a.ip;
	i.nat.nrtr = 2;
	v4(&a, 203, 0, 113, 9);
	i.nat.rtr[0] = a.ip;
	v6(&a, 9);
	i.nat.rtr[1] = a.ip;
	n = lisp_info_encode(buf, sizeof(buf), &i);
	if (n > 0 && lisp_auth_sign(buf, (size_t)n, "key", 3) != 0)
		return 1;
	put("info", "reply", buf, n);
	/* lispers.net's: no auth, no EID, its host name. */
	memset(&i, 0, sizeof(i));
	i.nonce = 6;
	snprintf(i.name, sizeof(i.name), "branch-1");
	put("info", "named-request", buf,
	    lisp_info_encode(buf, sizeof(buf), &i));
	return 0;
}
