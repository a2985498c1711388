/* SPDX-License-Identifier: MIT */
/*
 * Map-Resolver and the Map-Server's handling of Map-Requests (RFC 9301
 * sections 8.3, 8.4).  The Map-Resolver runs with the Map-Server in the
 * same lispd, so "the mapping system" is the Map-Server's registrations:
 * a registered EID gets a proxy Map-Reply or its Map-Request forwarded
 * to the ETR; anything else a negative Map-Reply, 1 minute for a site's
 * unregistered space, 15 minutes for space no site has.
 */
#include <string.h>

#include "lispd.h"

#define NEG_KNOWN_MAX	1024

static struct lisp_mapreply	mrep;
static uint8_t			obuf[9216];
static struct prefix		known[NEG_KNOWN_MAX];

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
	size_t		i;
	int		n;

	if (itr_rloc(mreq, &to)) {
		log_warnx("Map-Request without an IPv4/IPv6 ITR-RLOC");
		return -1;
	}
	memset(&mrep, 0, sizeof(mrep));
	mrep.flags = flags;
	mrep.nonce = mreq->nonce;
	mrep.nrec = (uint8_t)nrec;
	for (i = 0; i < nrec; i++)
		mrep.rec[i] = recs[i];
	n = lisp_mapreply_encode(obuf, sizeof(obuf), &mrep);
	if (n < 0) {
		log_warnx("Map-Reply encode: %s", lisp_strerror(-n));
		return -1;
	}
	/* To the port the request came from: the ECM's inner one. */
	if (net_send(&to, pkt->ecm ? pkt->isport : pkt->sport, obuf,
	    (size_t)n))
		return -1;
	stats[ST_MREP_TX]++;
	return 0;
}

/*
 * The least specific prefix around eid, no shorter than min, that
 * overlaps none of the given prefixes: one negative cache entry then
 * covers as much of the hole as the ITR can safely be told about.
 */
static void
negative_prefix(const struct prefix *eid, int min, const struct prefix *set,
    int nset, struct prefix *out)
{
	int	plen, i, bits = addr_bits(eid->family);

	for (plen = min; plen <= bits; plen++) {
		*out = *eid;
		out->plen = (uint8_t)plen;
		prefix_mask(out);
		for (i = 0; i < nset; i++)
			if (prefix_overlap(out, &set[i]))
				break;
		if (i == nset)
			return;
	}
	*out = *eid;		/* eid itself is registered space: a host */
}

static int
mr_negative(const struct pkt *pkt, const struct lisp_mapreq *mreq,
    const struct prefix *eid, const struct site_eid *se)
{
	static struct lisp_rec	rec;
	struct prefix		np;
	int			n = 0, i, j;
	char			s[PREFIXSTRLEN];

	if (se) {
		/* Inside a site: around what its ETRs did register. */
		n = ms_registered(known, NEG_KNOWN_MAX);
		negative_prefix(eid, se->eid.plen, known, n, &np);
	} else {
		for (i = 0; i < conf->nsite; i++)
			for (j = 0; j < conf->site[i].neid && n < NEG_KNOWN_MAX;
			    j++)
				known[n++] = conf->site[i].eid[j].eid;
		negative_prefix(eid, 0, known, n, &np);
	}
	memset(&rec, 0, sizeof(rec));
	rec.ttl = se ? TTL_NEG_UNREG : TTL_NEG_HOLE;
	rec.act = LISP_ACT_NATIVE_FWD;
	rec.mlen = np.plen;
	prefix_to_lisp(&np, &rec.eid);
	log_debug("negative Map-Reply %s ttl %u min",
	    prefix_fmt(&np, s, sizeof(s)), rec.ttl);
	stats[ST_NEGATIVE]++;
	return mr_send_reply(pkt, mreq, &rec, 1);
}

void
mr_handle_request(const struct pkt *pkt, const uint8_t *msg, size_t len,
    const struct lisp_mapreq *mreq)
{
	static struct lisp_rec	 rec;
	const struct lisp_rec	*reg;
	const struct site	*site;
	const struct site_eid	*se;
	struct prefix		 eid;
	struct laddr		 etr, isrc, idst;
	char			 s[PREFIXSTRLEN], a[ADDRSTRLEN];
	bool			 proxy = false;

	/* One record per request is what ITRs send; answer the first. */
	if (prefix_from_lisp(&mreq->rec[0].eid, mreq->rec[0].mlen, &eid)) {
		stats[ST_RX_UNEXPECTED]++;
		log_debug("Map-Request for a non-IP EID");
		return;
	}
	prefix_fmt(&eid, s, sizeof(s));
	reg = ms_lookup(&eid, &proxy, &etr, &site, &se);
	if (!reg) {
		mr_negative(pkt, mreq, &eid, se);
		return;
	}
	if (proxy) {
		/* Not the ETR's own answer: the A bit stays clear (5.4). */
		rec = *reg;
		rec.auth = false;
		if (mr_send_reply(pkt, mreq, &rec, 1) == 0)
			log_debug("proxy Map-Reply for %s", s);
		return;
	}
	/*
	 * Forward, re-encapsulated, to the registered ETR; its Map-Reply
	 * goes straight to the ITR-RLOC, so the inner header keeps the
	 * ITR's source and port.
	 */
	isrc = pkt->ecm ? pkt->isrc : pkt->src;
	idst = pkt->ecm ? pkt->idst : etr;
	if (isrc.family != idst.family)
		idst = etr;
	if (net_send_ecm(&etr, &isrc, &idst, pkt->ecm ? pkt->isport :
	    pkt->sport, msg, len) == 0) {
		stats[ST_FORWARD]++;
		log_debug("Map-Request for %s forwarded to %s", s,
		    addr_fmt(&etr, a, sizeof(a)));
	}
}
