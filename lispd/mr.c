/* SPDX-License-Identifier: MIT */
/*
 * Map-Resolver and the Map-Server's handling of Map-Requests (RFC 9301
 * sections 8.3, 8.4).  The Map-Resolver runs with the Map-Server in the
 * same lispd, so "the mapping system" is the Map-Server's registrations:
 * a registered EID gets a proxy Map-Reply or its Map-Request forwarded
 * to the ETR; anything else a negative Map-Reply, 1 minute for a site's
 * unregistered space, 15 minutes for space no site has.  For a site's
 * space the first registration timeout after the Map-Server started,
 * TTL 0, "ask again": its ETRs may not have registered again yet.
 */
#include <stddef.h>
#include <string.h>

#include "core.h"
#include "log.h"
#include "conf.h"
#include "net.h"
#include "packet.h"
#include "stats.h"
#include "mr.h"
#include "ms.h"
#include "publish.h"

static struct lisp_mapreply	mrep;

/* The first ITR-RLOC we can reach: the Map-Reply goes there. */
static int
itr_rloc(const struct lisp_mapreq *mreq, struct laddr *to)
{
	int	i;

	for (i = 0; i < mreq->nitr; i++)
		if (!laddr_from_lisp(&mreq->itr[i], to))
			return 0;
	return -1;
}

int
mr_send_reply(const struct pkt *pkt, const struct lisp_mapreq *mreq,
    const struct lisp_rec *recs, size_t nrec)
{
	return mr_send_reply_flags(pkt, mreq, 0, recs, nrec);
}

int
mr_send_reply_flags(const struct pkt *pkt, const struct lisp_mapreq *mreq,
    uint32_t flags, const struct lisp_rec *recs, size_t nrec)
{
	struct laddr	to;
	char		a[ADDRSTRLEN];
	size_t		i;
	int		n;
	uint8_t		buf[LISPD_MSG_MAX];

	if (itr_rloc(mreq, &to)) {
		log_peer_warnx(refuse(ST_MREQ_NO_ITR),
		    "Map-Request from %s without an IPv4/IPv6 ITR-RLOC",
		    addr_fmt(&pkt->src, a, sizeof(a)));
		return -1;
	}
	/* Not the whole struct: its 32 records are over 100 kB. */
	memset(&mrep, 0, offsetof(struct lisp_mapreply, rec));
	mrep.sec = NULL;
	mrep.sec_len = 0;
	mrep.flags = flags;
	mrep.nonce = mreq->nonce;
	mrep.nrec = (uint8_t)nrec;
	for (i = 0; i < nrec; i++)
		lisp_rec_copy(&mrep.rec[i], &recs[i]);
	n = lisp_mapreply_encode(buf, sizeof(buf), &mrep);
	if (n < 0) {
		log_warnx("Map-Reply encode: %s", lisp_strerror(-n));
		return -1;
	}
	/* To the port the request came from: the ECM's inner one. */
	if (net_send(&to, pkt->ecm ? pkt->isport : pkt->sport, buf,
	    (size_t)n))
		return -1;
	stats[ST_MREP_TX]++;
	return 0;
}

/*
 * The least specific prefix around eid, no shorter than min, that
 * overlaps nothing taken(): one negative cache entry then covers as
 * much of the hole as the ITR can safely be told about.  Nothing taken
 * covers eid (the caller looked it up and missed), so nothing covers
 * these prefixes either, and "overlaps" is "has something inside".
 */
void
mr_negative_prefix(const struct prefix *eid, int min,
    bool (*taken)(const struct prefix *), struct prefix *out)
{
	int	plen, bits = addr_bits(eid->family);

	for (plen = min; plen <= bits; plen++) {
		*out = *eid;
		out->plen = (uint8_t)plen;
		prefix_mask(out);
		if (!taken(out))
			return;
	}
	*out = *eid;		/* eid itself is registered space: a host */
}

/* The negative record for an EID nobody registered. */
static void
negative_record(const struct prefix *eid, const struct site_eid *se,
    struct lisp_rec *rec)
{
	struct prefix	np;
	char		s[PREFIXSTRLEN];

	if (se)		/* inside a site: around what its ETRs did register */
		mr_negative_prefix(eid, se->eid.plen, ms_registered_within,
		    &np);
	else
		mr_negative_prefix(eid, 0, ms_site_within, &np);
	memset(rec, 0, offsetof(struct lisp_rec, loc));
	rec->ttl = se ? TTL_NEG_UNREG : TTL_NEG_HOLE;
	if (se && ms_warming_up())
		rec->ttl = 0;
	rec->act = LISP_ACT_NATIVE_FWD;
	rec->mlen = np.plen;
	prefix_to_lisp(&np, &rec->eid);
	log_debug("negative record %s ttl %u min",
	    prefix_fmt(&np, s, sizeof(s)), rec->ttl);
}

/*
 * Forward, re-encapsulated, to the registered ETR; its Map-Reply goes
 * straight to the ITR-RLOC, so the inner header keeps the ITR's source
 * and port.
 */
static void
forward(const struct pkt *pkt, const struct laddr *etr, const uint8_t *msg,
    size_t len, const char *what)
{
	struct laddr	isrc, idst;
	char		a[ADDRSTRLEN];

	isrc = pkt->ecm ? pkt->isrc : pkt->src;
	idst = pkt->ecm ? pkt->idst : *etr;
	if (isrc.family != idst.family)
		idst = *etr;
	if (net_send_ecm(etr, &isrc, &idst, pkt->ecm ? pkt->isport :
	    pkt->sport, msg, len) == 0) {
		stats[ST_FORWARD]++;
		log_debug("Map-Request for %s forwarded to %s", what,
		    addr_fmt(etr, a, sizeof(a)));
	}
}

/*
 * The records etr[i] says go to an ETR: each ETR gets a Map-Request
 * with its own records, the one received when they are all its.
 */
static void
forward_records(const struct pkt *pkt, const uint8_t *msg, size_t len,
    const struct lisp_mapreq *mreq, struct laddr *etr, const char *what)
{
	struct lisp_mapreq		sub;		/* 10 kB */
	uint8_t				sbuf[LISPD_MSG_MAX];
	struct laddr			to;
	int				i, j, n;

	for (i = 0; i < mreq->nrec && etr[i].family; i++)
		if (!addr_eq(&etr[i], &etr[0]))
			break;
	if (i == mreq->nrec) {
		forward(pkt, &etr[0], msg, len, what);
		return;
	}
	for (i = 0; i < mreq->nrec; i++) {
		if (!etr[i].family)
			continue;
		to = etr[i];
		memcpy(&sub, mreq, offsetof(struct lisp_mapreq, rec));
		sub.reply = mreq->reply;
		sub.nrec = 0;
		for (j = i; j < mreq->nrec; j++)
			if (etr[j].family && addr_eq(&etr[j], &to)) {
				sub.rec[sub.nrec++] = mreq->rec[j];
				etr[j].family = 0;
			}
		if ((n = lisp_mapreq_encode(sbuf, sizeof(sbuf), &sub)) < 0) {
			log_warnx("Map-Request encode: %s", lisp_strerror(-n));
			continue;
		}
		forward(pkt, &to, sbuf, (size_t)n, "some of its records");
	}
}

static void
subscribe_only(const struct pkt *pkt, const struct lisp_mapreq *mreq)
{
	static struct lisp_rec	 rec;
	const struct lisp_rec	*reg;
	const struct site	*site;
	const struct site_eid	*se;
	struct prefix		 eid;
	struct laddr		 etr;
	bool			 proxy;
	int			 i;

	for (i = 0; i < mreq->nrec; i++) {
		if (!mreq->rec[i].notify || prefix_from_lisp(&mreq->rec[i].eid,
		    mreq->rec[i].mlen, &eid))
			continue;
		if (!(reg = ms_lookup(&eid, &proxy, &etr, &site, &se))) {
			negative_record(&eid, se, &rec);
			reg = &rec;
		}
		pub_subscribe(pkt, mreq, reg);
	}
}

/*
 * Each record of the Map-Request (RFC 9301 5.3 allows several): the
 * ones we answer (proxy-reply, negative) in one Map-Reply, the others
 * forwarded to the ETRs that registered them.
 */
void
mr_handle_request(const struct pkt *pkt, const uint8_t *msg, size_t len,
    const struct lisp_mapreq *mreq)
{
	static struct lisp_rec	 recs[LISP_MAX_RECORDS];
	const struct lisp_rec	*reg;
	const struct site	*site;
	const struct site_eid	*se;
	struct prefix		 eid;
	struct laddr		 etr[LISP_MAX_RECORDS];
	char			 s[PREFIXSTRLEN];
	bool			 proxy, fwd = false;
	int			 i, nrep = 0;

	/*
	 * D bit with a subscription: an ITR subscribing with each of its
	 * Map-Servers; the confirming Map-Notify carries the mapping.
	 */
	if ((mreq->flags & (LISP_MREQ_D | LISP_MREQ_I)) ==
	    (LISP_MREQ_D | LISP_MREQ_I)) {
		subscribe_only(pkt, mreq);
		return;
	}
	for (i = 0; i < mreq->nrec; i++) {
		etr[i].family = 0;
		if (prefix_from_lisp(&mreq->rec[i].eid, mreq->rec[i].mlen,
		    &eid)) {
			refuse(ST_RX_UNEXPECTED);
			log_debug("Map-Request record %d: not an IP EID", i);
			continue;
		}
		proxy = false;
		reg = ms_lookup(&eid, &proxy, &etr[i], &site, &se);
		if (!reg) {
			etr[i].family = 0;
			negative_record(&eid, se, &recs[nrep]);
			/* Counted here: a subscription alone sends none. */
			stats[ST_NEGATIVE]++;
			if (!recs[nrep].ttl)	/* warming up */
				stats[ST_NEGATIVE_WARMUP]++;
			/* Told when something registers there (RFC 9437). */
			if (mreq->rec[i].notify)
				pub_subscribe(pkt, mreq, &recs[nrep]);
			nrep++;
			continue;
		}
		if (mreq->rec[i].notify)
			pub_subscribe(pkt, mreq, reg);
		if (proxy) {
			/* Not the ETR's own answer: the A bit stays clear. */
			etr[i].family = 0;
			lisp_rec_copy(&recs[nrep], reg);
			recs[nrep++].auth = false;
			log_debug("proxy Map-Reply for %s",
			    prefix_fmt(&eid, s, sizeof(s)));
		} else {
			prefix_fmt(&eid, s, sizeof(s));
			fwd = true;
		}
	}
	if (nrep)
		mr_send_reply(pkt, mreq, recs, (size_t)nrep);
	if (fwd)
		forward_records(pkt, msg, len, mreq, etr, s);
}
