/* SPDX-License-Identifier: MIT */
/* Round trips of every message type and flag through encode and decode. */
#include <stdlib.h>

#include "tap.h"
#include "util.h"

static uint8_t	buf[8192], buf2[8192];

/* Records compare by their used part: decode leaves the rest untouched. */
static void
rec_equal(const struct lisp_rec *a, const struct lisp_rec *b)
{
	assert_int_equal(a->ttl, b->ttl);
	assert_int_equal(a->mlen, b->mlen);
	assert_int_equal(a->act, b->act);
	assert_int_equal(a->auth, b->auth);
	assert_int_equal(a->version, b->version);
	assert_memory_equal(&a->eid, &b->eid, sizeof(a->eid));
	assert_int_equal(a->nloc, b->nloc);
	assert_int_equal(b->nloc_skipped, 0);
	assert_memory_equal(a->loc, b->loc, a->nloc * sizeof(a->loc[0]));
}

static void
mapreq_rt(const struct lisp_mapreq *m)
{
	struct lisp_mapreq *d = calloc(1, sizeof(*d));
	int	n, n2, i;

	n = lisp_mapreq_encode(buf, sizeof(buf), m);
	assert_true(n > 0);
	assert_int_equal(lisp_msg_type(buf, (size_t)n), LISP_MSG_REQUEST);
	assert_int_equal(lisp_mapreq_decode(buf, (size_t)n, d), 0);
	assert_int_equal(d->flags, m->flags);
	assert_true(d->nonce == m->nonce);
	assert_memory_equal(&d->seid, &m->seid, sizeof(d->seid));
	assert_int_equal(d->nitr, m->nitr);
	assert_memory_equal(d->itr, m->itr, m->nitr * sizeof(m->itr[0]));
	assert_int_equal(d->nrec, m->nrec);
	for (i = 0; i < m->nrec; i++) {
		assert_int_equal(d->rec[i].mlen, m->rec[i].mlen);
		assert_memory_equal(&d->rec[i].eid, &m->rec[i].eid,
		    sizeof(m->rec[i].eid));
	}
	if (m->flags & LISP_MREQ_M)
		rec_equal(&m->reply, &d->reply);
	for (i = 0; i < m->nrec; i++)
		assert_int_equal(d->rec[i].notify, m->rec[i].notify);
	assert_memory_equal(d->xtr_id, m->xtr_id, sizeof(m->xtr_id));
	assert_true(d->site_id == m->site_id);
	assert_int_equal(d->no_site_id, m->no_site_id);
	/* Re-encoding the decoded struct gives the same bytes. */
	n2 = lisp_mapreq_encode(buf2, sizeof(buf2), d);
	assert_int_equal(n2, n);
	assert_memory_equal(buf, buf2, (size_t)n);
	free(d);
}

static struct lisp_mapreq *
sample_mapreq(uint32_t flags)
{
	struct lisp_mapreq *m = calloc(1, sizeof(*m));

	m->flags = flags;
	m->nonce = 0x0123456789abcdefULL;
	v4(&m->seid, 10, 0, 0, 1);
	m->nitr = 1;
	v4(&m->itr[0], 192, 0, 2, 1);
	m->nrec = 1;
	m->rec[0].mlen = 32;
	v4(&m->rec[0].eid, 10, 1, 0, 9);
	return m;
}

static void
t_mapreq_each_flag(void **s)
{
	static const uint32_t flags[] = { 0, LISP_MREQ_A, LISP_MREQ_P,
	    LISP_MREQ_S, LISP_MREQ_PITR, LISP_MREQ_SMR_INVOKED, LISP_MREQ_L,
	    LISP_MREQ_D, LISP_MREQ_FLAGS & ~LISP_MREQ_M };
	size_t	i;

	(void)s;
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		struct lisp_mapreq *m = sample_mapreq(flags[i]);

		mapreq_rt(m);
		free(m);
	}
}

static void
t_mapreq_flag_bits(void **s)
{
	struct lisp_mapreq *m = sample_mapreq(LISP_MREQ_S | LISP_MREQ_D);
	int	n;

	(void)s;
	n = lisp_mapreq_encode(buf, sizeof(buf), m);
	assert_true(n > 4);
	/* Type 1, S is bit 7, D bit 18, IRC 0, one record. */
	assert_int_equal(buf[0], 0x11);
	assert_int_equal(buf[1], 0x00);
	assert_int_equal(buf[2], 0x20);
	assert_int_equal(buf[3], 0x01);
	free(m);
}

static void
t_mapreq_many_itr_v6_iid(void **s)
{
	struct lisp_mapreq *m = sample_mapreq(LISP_MREQ_A | LISP_MREQ_SMR_INVOKED);
	uint8_t	i;

	(void)s;
	iid4(&m->seid, 77, 10, 0, 0, 1);
	m->nitr = LISP_MAX_ITR;
	for (i = 0; i < m->nitr; i++) {
		if (i % 3 == 0)
			v6(&m->itr[i], i);
		else if (i % 3 == 1)
			v4(&m->itr[i], 198, 51, 100, i);
		else
			afilist(&m->itr[i]);
	}
	m->nrec = 3;
	iid4(&m->rec[1].eid, 77, 10, 2, 0, 0);
	m->rec[1].mlen = 24;
	v6(&m->rec[2].eid, 0);
	m->rec[2].mlen = 48;
	mapreq_rt(m);
	free(m);
}

/* RFC 9437 5: the N bit on the record, the I bit and 24 bytes at the end. */
static void
t_mapreq_subscribe(void **s)
{
	struct lisp_mapreq *m = sample_mapreq(LISP_MREQ_I | LISP_MREQ_SMR_INVOKED);
	int	n, i;

	(void)s;
	m->rec[0].notify = true;
	for (i = 0; i < 16; i++)
		m->xtr_id[i] = (uint8_t)(0xa0 + i);
	m->site_id = 0x1122334455667788ULL;
	mapreq_rt(m);
	n = lisp_mapreq_encode(buf, sizeof(buf), m);
	assert_int_equal(buf[1] & 0x10, 0x10);		/* I: 0x00100000 */
	/* Record: N, then mask-len 32; the trailer is the last 24 bytes. */
	assert_int_equal(buf[n - 24 - 8], 0x80);
	assert_int_equal(buf[n - 24 - 7], 32);
	assert_int_equal(buf[n - 24], 0xa0);
	assert_int_equal(buf[n - 1], 0x88);
	/* A request with the I bit and no trailer is refused with its reason. */
	assert_int_equal(lisp_mapreq_decode(buf, (size_t)n - 24,
	    (struct lisp_mapreq *)buf2), -LISP_E_MREQ_XTR_ID);
	assert_int_equal(lisp_mapreq_decode(buf, (size_t)n - 4,
	    (struct lisp_mapreq *)buf2), -LISP_E_MREQ_XTR_ID);
	free(m);
}

/*
 * lispers.net's subscribe-request, as its lisp_map_request.encode()
 * writes it: I bit, N bit, and a 16-byte xTR-ID with no Site-ID.
 */
static void
t_mapreq_subscribe_lispers(void **s)
{
	static const uint8_t pkt[] = {
		0x10, 0x10, 0x00, 0x01,			/* type 1, I, IRC 0, 1 rec */
		0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04,	/* nonce */
		0x00, 0x01, 10, 0, 0, 1,		/* source EID */
		0x00, 0x01, 192, 0, 2, 1,		/* ITR-RLOC */
		0x80, 32, 0x00, 0x01, 10, 1, 0, 9,	/* N, /32, EID */
		0, 0, 0, 0, 0, 0, 0, 0x01,		/* xTR-ID, high */
		0, 0, 0, 0, 0, 0, 0, 0x02,		/* and low */
	};
	struct lisp_mapreq *d = calloc(1, sizeof(*d));

	(void)s;
	assert_int_equal(lisp_mapreq_decode(pkt, sizeof(pkt), d), 0);
	assert_true(d->flags & LISP_MREQ_I);
	assert_true(d->rec[0].notify);
	assert_true(d->no_site_id);
	assert_int_equal(d->xtr_id[7], 1);
	assert_int_equal(d->xtr_id[15], 2);
	assert_int_equal(lisp_mapreq_encode(buf, sizeof(buf), d),
	    (int)sizeof(pkt));
	assert_memory_equal(buf, pkt, sizeof(pkt));
	free(d);
}

static void
t_mapreq_map_data(void **s)
{
	struct lisp_mapreq *m = sample_mapreq(LISP_MREQ_M | LISP_MREQ_P);

	(void)s;
	memset(&m->seid, 0, sizeof(m->seid));	/* AFI 0 for probes */
	sample_rec(&m->reply, 0, 3);
	mapreq_rt(m);
	free(m);
}

static void
mapreply_rt(const struct lisp_mapreply *m)
{
	struct lisp_mapreply *d = calloc(1, sizeof(*d));
	int	n, n2, i;

	n = lisp_mapreply_encode(buf, sizeof(buf), m);
	assert_true(n > 0);
	assert_int_equal(lisp_mapreply_decode(buf, (size_t)n, d), 0);
	assert_int_equal(d->flags, m->flags);
	assert_true(d->nonce == m->nonce);
	assert_int_equal(d->nrec, m->nrec);
	for (i = 0; i < m->nrec; i++)
		rec_equal(&m->rec[i], &d->rec[i]);
	assert_int_equal(d->sec_len, m->sec_len);
	if (m->sec_len)
		assert_memory_equal(d->sec, m->sec, m->sec_len);
	n2 = lisp_mapreply_encode(buf2, sizeof(buf2), d);
	assert_int_equal(n2, n);
	assert_memory_equal(buf, buf2, (size_t)n);
	free(d);
}

static void
t_mapreply_flags_records(void **s)
{
	static const uint32_t flags[] = { 0, LISP_MREP_P, LISP_MREP_E,
	    LISP_MREP_P | LISP_MREP_E };
	struct lisp_mapreply *m = calloc(1, sizeof(*m));
	size_t	f;
	uint8_t	i;

	(void)s;
	m->nonce = 0xfeedfacecafebeefULL;
	m->nrec = 4;
	for (i = 0; i < m->nrec; i++)
		sample_rec(&m->rec[i], i, (uint8_t)(i * 3));
	iid4(&m->rec[3].eid, 0xffffff, 10, 3, 0, 0);
	for (f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
		m->flags = flags[f];
		mapreply_rt(m);
	}
	free(m);
}

static void
t_mapreply_negative_actions(void **s)
{
	struct lisp_mapreply *m = calloc(1, sizeof(*m));
	uint8_t	act;

	(void)s;
	m->nrec = 1;
	for (act = 0; act < 8; act++) {
		sample_rec(&m->rec[0], 1, 0);
		m->rec[0].act = act;
		m->rec[0].ttl = act == 0 ? 0xffffffff : 15;
		m->rec[0].auth = act & 1;
		mapreply_rt(m);
	}
	free(m);
}

static void
t_mapreply_max_locators_v6(void **s)
{
	struct lisp_mapreply *m = calloc(1, sizeof(*m));

	(void)s;
	m->nrec = 1;
	sample_rec(&m->rec[0], 1, LISP_MAX_LOCATORS);
	v6(&m->rec[0].eid, 0);
	m->rec[0].mlen = 128;
	m->rec[0].loc[5].flags = LISP_LOC_P | LISP_LOC_R | LISP_LOC_L;
	afilist(&m->rec[0].loc[6].addr);
	iid4(&m->rec[0].loc[7].addr, 5, 1, 2, 3, 4);
	mapreply_rt(m);
	free(m);
}

static void
t_mapreply_security(void **s)
{
	static const uint8_t sec[] = { 1, 0, 0, 0, 0xaa, 0xbb };
	struct lisp_mapreply *m = calloc(1, sizeof(*m));

	(void)s;
	m->flags = LISP_MREP_S;
	m->nrec = 1;
	sample_rec(&m->rec[0], 1, 1);
	m->sec = sec;
	m->sec_len = sizeof(sec);
	mapreply_rt(m);
	m->sec = NULL;
	assert_int_equal(lisp_mapreply_encode(buf, sizeof(buf), m),
	    -LISP_E_INVAL);
	free(m);
}

static void
t_mapreply_max_records(void **s)
{
	struct lisp_mapreply *m = calloc(1, sizeof(*m));
	uint8_t	i;

	(void)s;
	m->nrec = LISP_MAX_RECORDS;
	for (i = 0; i < m->nrec; i++)
		sample_rec(&m->rec[i], i, 2);
	mapreply_rt(m);
	free(m);
}

static struct lisp_mapreg *
sample_mapreg(uint32_t flags)
{
	struct lisp_mapreg *m = calloc(1, sizeof(*m));

	m->flags = flags;
	m->nonce = 42;
	m->key_id = 7;
	m->alg_id = LISP_ALG_SHA256_128;
	m->nrec = 2;
	sample_rec(&m->rec[0], 1, 2);
	sample_rec(&m->rec[1], 2, 1);
	iid4(&m->rec[1].eid, 1000, 10, 2, 0, 0);
	memcpy(m->xtr_id, "0123456789abcdef", 16);
	m->site_id = 0x1122334455667788ULL;
	return m;
}

typedef int (*regenc)(uint8_t *, size_t, const struct lisp_mapreg *);
typedef int (*regdec)(const uint8_t *, size_t, struct lisp_mapreg *);

static void
mapreg_rt(const struct lisp_mapreg *m, regenc enc, regdec dec, uint8_t type)
{
	struct lisp_mapreg *d = calloc(1, sizeof(*d));
	int	n, n2, i;

	n = enc(buf, sizeof(buf), m);
	assert_true(n > 0);
	assert_int_equal(lisp_msg_type(buf, (size_t)n), type);
	assert_int_equal(dec(buf, (size_t)n, d), 0);
	assert_int_equal(d->type, type);
	assert_int_equal(d->flags, m->flags);
	assert_true(d->nonce == m->nonce);
	assert_int_equal(d->key_id, m->key_id);
	assert_int_equal(d->alg_id, m->alg_id);
	assert_int_equal(d->auth_len,
	    m->auth_len ? m->auth_len : lisp_auth_len(m->alg_id, false));
	assert_int_equal(d->nrec, m->nrec);
	for (i = 0; i < m->nrec; i++)
		rec_equal(&m->rec[i], &d->rec[i]);
	if (m->flags & (type == LISP_MSG_REGISTER ? LISP_MREG_I :
	    LISP_MNOT_I)) {
		assert_memory_equal(d->xtr_id, m->xtr_id, 16);
		assert_true(d->site_id == m->site_id);
	}
	n2 = enc(buf2, sizeof(buf2), d);
	assert_int_equal(n2, n);
	assert_memory_equal(buf, buf2, (size_t)n);
	free(d);
}

static void
t_mapreg_each_flag(void **s)
{
	static const uint32_t flags[] = { 0, LISP_MREG_P, LISP_MREG_S,
	    LISP_MREG_I, LISP_MREG_E, LISP_MREG_T, LISP_MREG_MERGE,
	    LISP_MREG_M, LISP_MREG_FLAGS };
	size_t	i;

	(void)s;
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		struct lisp_mapreg *m = sample_mapreg(flags[i]);

		mapreg_rt(m, lisp_mapreg_encode, lisp_mapreg_decode,
		    LISP_MSG_REGISTER);
		free(m);
	}
}

static void
t_mapreg_flag_bits(void **s)
{
	struct lisp_mapreg *m = sample_mapreg(LISP_MREG_P | LISP_MREG_I |
	    LISP_MREG_M);
	int	n;

	(void)s;
	m->alg_id = LISP_ALG_SHA1_96;
	n = lisp_mapreg_encode(buf, sizeof(buf), m);
	assert_true(n > 16);
	assert_int_equal(buf[0], 0x3a);		/* type 3, P, I */
	assert_int_equal(buf[1], 0x00);
	assert_int_equal(buf[2], 0x01);		/* M */
	assert_int_equal(buf[3], 2);
	assert_int_equal(buf[12], 7);		/* key id */
	assert_int_equal(buf[13], 1);		/* algorithm */
	assert_int_equal(buf[15], 12);		/* HMAC-SHA-1-96 */
	/* xTR-ID and Site-ID are the last 24 bytes. */
	assert_memory_equal(buf + n - 24, "0123456789abcdef", 16);
	free(m);
}

static void
t_mapreg_auth_lengths(void **s)
{
	static const struct { uint8_t alg; uint16_t len; } ok[] = {
		{ LISP_ALG_NONE, 0 }, { LISP_ALG_SHA1_96, 12 },
		{ LISP_ALG_SHA1_96, 20 }, { LISP_ALG_SHA256_128, 16 },
		{ LISP_ALG_SHA256_128, 32 }, { LISP_ALG_SHA256_HKDF, 16 },
	};
	size_t	i;

	(void)s;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct lisp_mapreg *m = sample_mapreg(LISP_MREG_M);

		m->alg_id = ok[i].alg;
		m->auth_len = ok[i].len;
		mapreg_rt(m, lisp_mapreg_encode, lisp_mapreg_decode,
		    LISP_MSG_REGISTER);
		free(m);
	}
}

static void
t_mapnotify(void **s)
{
	struct lisp_mapreg *m = sample_mapreg(0);

	(void)s;
	mapreg_rt(m, lisp_mapnotify_encode, lisp_mapnotify_decode,
	    LISP_MSG_NOTIFY);
	m->flags = LISP_MNOT_I;		/* copied from the Map-Register */
	mapreg_rt(m, lisp_mapnotify_encode, lisp_mapnotify_decode,
	    LISP_MSG_NOTIFY);
	free(m);
}

static void
t_mapnotify_ack(void **s)
{
	struct lisp_mapreg *m = sample_mapreg(0);

	(void)s;
	m->nrec = 0;
	mapreg_rt(m, lisp_mapnotify_ack_encode, lisp_mapnotify_decode,
	    LISP_MSG_NOTIFY_ACK);
	free(m);
}

static void
t_mapreg_types_distinct(void **s)
{
	struct lisp_mapreg *m = sample_mapreg(0), *d = calloc(1, sizeof(*d));
	int	n;

	(void)s;
	n = lisp_mapnotify_encode(buf, sizeof(buf), m);
	assert_int_equal(lisp_mapreg_decode(buf, (size_t)n, d), -LISP_E_TYPE);
	n = lisp_mapreg_encode(buf, sizeof(buf), m);
	assert_int_equal(lisp_mapnotify_decode(buf, (size_t)n, d),
	    -LISP_E_TYPE);
	assert_int_equal(lisp_mapreq_decode(buf, (size_t)n,
	    (struct lisp_mapreq *)buf2), -LISP_E_TYPE);
	free(m);
	free(d);
}

static void
ecm_rt(uint8_t ipver, uint32_t flags, size_t msglen)
{
	static uint8_t	msg[1500];
	struct lisp_ecm	e, d;
	size_t		i;
	int		n;

	for (i = 0; i < msglen; i++)
		msg[i] = (uint8_t)(i * 7 + 1);
	memset(&e, 0, sizeof(e));
	e.flags = flags;
	e.ipver = ipver;
	e.ttl = 64;
	for (i = 0; i < 16; i++) {
		e.src[i] = (uint8_t)(0x10 + i);
		e.dst[i] = (uint8_t)(0xf0 - i);
	}
	if (ipver == 4) {
		memset(e.src + 4, 0, 12);
		memset(e.dst + 4, 0, 12);
	}
	e.sport = 61000;
	e.dport = 4342;
	e.msg = msg;
	e.msg_len = msglen;
	n = lisp_ecm_encode(buf, sizeof(buf), &e);
	assert_int_equal(n, (int)(4 + (ipver == 4 ? 20 : 40) + 8 + msglen));
	assert_int_equal(lisp_msg_type(buf, (size_t)n), LISP_MSG_ECM);
	assert_int_equal(lisp_ecm_decode(buf, (size_t)n, &d), 0);
	assert_int_equal(d.flags, flags);
	assert_int_equal(d.ipver, ipver);
	assert_int_equal(d.ttl, 64);
	assert_memory_equal(d.src, e.src, 16);
	assert_memory_equal(d.dst, e.dst, 16);
	assert_int_equal(d.sport, 61000);
	assert_int_equal(d.dport, 4342);
	assert_int_equal(d.msg_len, msglen);
	assert_memory_equal(d.msg, msg, msglen);
	assert_ptr_equal(d.msg, buf + n - msglen);
}

static void
t_ecm_ipv4(void **s)
{
	(void)s;
	ecm_rt(4, 0, 36);
	ecm_rt(4, LISP_ECM_D, 37);	/* odd length checksum */
	ecm_rt(4, 0, 0);
}

static void
t_ecm_ipv6(void **s)
{
	(void)s;
	ecm_rt(6, 0, 60);
	ecm_rt(6, LISP_ECM_D, 1001);
}

/*
 * draft-ietf-lisp-nat-traversal's R and N bits: |Type=8|S|D|E|M|-|R|N|,
 * so the second byte is 0x40 for R and 0x20 for N; the bits between
 * them and D (E, M, the reserved one) are not kept.
 */
static void
t_ecm_nat_bits(void **s)
{
	struct lisp_ecm	e, d;
	int		n;

	(void)s;
	ecm_rt(4, LISP_ECM_R, 40);
	ecm_rt(4, LISP_ECM_N, 41);
	ecm_rt(6, LISP_ECM_R | LISP_ECM_D, 12);
	memset(&e, 0, sizeof(e));
	e.ipver = 4;
	e.flags = LISP_ECM_R;
	n = lisp_ecm_encode(buf, sizeof(buf), &e);
	assert_true(n > 0);
	assert_int_equal(buf[0], 0x80);
	assert_int_equal(buf[1], 0x40);
	e.flags = LISP_ECM_N;
	n = lisp_ecm_encode(buf, sizeof(buf), &e);
	assert_int_equal(buf[1], 0x20);
	buf[0] |= 0x03;			/* E and M: read, not kept */
	buf[1] |= 0x80;			/* the reserved bit */
	assert_int_equal(lisp_ecm_decode(buf, (size_t)n, &d), 0);
	assert_int_equal(d.flags, LISP_ECM_N);
}

/* The inner packet of a Data-Map-Register: IP + UDP, no ECM word. */
static void
t_udp_packet(void **s)
{
	static const uint8_t msg[] = { 0x38, 0, 0, 1, 2, 3, 4 };
	struct lisp_ecm	u, d;
	int		n;

	(void)s;
	memset(&u, 0, sizeof(u));
	u.ipver = 4;
	u.ttl = 64;
	memcpy(u.src, "\xc0\x00\x02\x01", 4);
	memcpy(u.dst, "\xcb\x00\x71\x09", 4);
	u.sport = u.dport = 4342;
	u.msg = msg;
	u.msg_len = sizeof(msg);
	n = lisp_udp_encode(buf, sizeof(buf), &u);
	assert_int_equal(n, 20 + 8 + (int)sizeof(msg));
	assert_int_equal(buf[0], 0x45);
	assert_int_equal(lisp_udp_decode(buf, (size_t)n, &d), 0);
	assert_memory_equal(d.dst, u.dst, 4);
	assert_int_equal(d.dport, 4342);
	assert_int_equal(d.msg_len, sizeof(msg));
	assert_memory_equal(d.msg, msg, sizeof(msg));
	/* A byte changed in transit: the UDP checksum says so. */
	buf[n - 1] ^= 1;
	assert_int_equal(lisp_udp_decode(buf, (size_t)n, &d),
	    -LISP_E_UDP_CSUM);
	assert_int_equal(lisp_udp_decode(buf, 0, &d), -LISP_E_TRUNC);
	u.ipver = 6;
	n = lisp_udp_encode(buf, sizeof(buf), &u);
	assert_int_equal(n, 40 + 8 + (int)sizeof(msg));
	assert_int_equal(lisp_udp_decode(buf, (size_t)n - 1, &d),
	    -LISP_E_TRUNC);
}

static void
t_ecm_carries_mapreq(void **s)
{
	struct lisp_mapreq *m = sample_mapreq(LISP_MREQ_A), *d;
	static uint8_t	inner[512];
	struct lisp_ecm	e, de;
	int		n, in;

	(void)s;
	in = lisp_mapreq_encode(inner, sizeof(inner), m);
	assert_true(in > 0);
	memset(&e, 0, sizeof(e));
	e.ipver = 4;
	e.ttl = 32;
	memcpy(e.src, m->seid.ip.addr, 4);
	memcpy(e.dst, m->rec[0].eid.ip.addr, 4);
	e.sport = 1234;
	e.dport = 4342;
	e.msg = inner;
	e.msg_len = (size_t)in;
	n = lisp_ecm_encode(buf, sizeof(buf), &e);
	assert_int_equal(lisp_ecm_decode(buf, (size_t)n, &de), 0);
	d = calloc(1, sizeof(*d));
	assert_int_equal(lisp_mapreq_decode(de.msg, de.msg_len, d), 0);
	assert_true(d->nonce == m->nonce);
	free(d);
	free(m);
}

static void
t_encode_nospace_everywhere(void **s)
{
	struct lisp_mapreg *m = sample_mapreg(LISP_MREG_I);
	int	n, k;

	(void)s;
	n = lisp_mapreg_encode(buf, sizeof(buf), m);
	for (k = 0; k < n; k++)
		assert_int_equal(lisp_mapreg_encode(buf2, (size_t)k, m),
		    -LISP_E_NOSPACE);
	free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_mapreq_each_flag),
		cmocka_unit_test(t_mapreq_flag_bits),
		cmocka_unit_test(t_mapreq_many_itr_v6_iid),
		cmocka_unit_test(t_mapreq_map_data),
		cmocka_unit_test(t_mapreq_subscribe),
		cmocka_unit_test(t_mapreq_subscribe_lispers),
		cmocka_unit_test(t_mapreply_flags_records),
		cmocka_unit_test(t_mapreply_negative_actions),
		cmocka_unit_test(t_mapreply_max_locators_v6),
		cmocka_unit_test(t_mapreply_security),
		cmocka_unit_test(t_mapreply_max_records),
		cmocka_unit_test(t_mapreg_each_flag),
		cmocka_unit_test(t_mapreg_flag_bits),
		cmocka_unit_test(t_mapreg_auth_lengths),
		cmocka_unit_test(t_mapnotify),
		cmocka_unit_test(t_mapnotify_ack),
		cmocka_unit_test(t_mapreg_types_distinct),
		cmocka_unit_test(t_ecm_ipv4),
		cmocka_unit_test(t_ecm_ipv6),
		cmocka_unit_test(t_ecm_nat_bits),
		cmocka_unit_test(t_udp_packet),
		cmocka_unit_test(t_ecm_carries_mapreq),
		cmocka_unit_test(t_encode_nospace_everywhere),
	};

	return TAP_RUN("lisp message round trips", tests);
}
