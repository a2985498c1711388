/* SPDX-License-Identifier: MIT */
/*
 * A DDT node (RFC 8111 7.1) and a DDT Map-Server (7.2): each record of a
 * DDT Map-Request gets a Map-Referral record.
 *
 *   a delegation covers the EID	NODE-REFERRAL (MS-REFERRAL when the
 *					delegation is to Map-Servers)
 *   a site of ours covers it		MS-ACK if registered (and the request
 *   (Map-Server)			goes on as any other), else
 *					MS-NOT-REGISTERED, hole-sized
 *   an authoritative prefix does	DELEGATION-HOLE, the least specific
 *					prefix no delegation is inside
 *   nothing does			NOT-AUTHORITATIVE, TTL 0, I bit
 *
 * We list no peer Map-Servers, so MS-ACK and MS-NOT-REGISTERED carry the
 * I bit (RFC 8111 6.3): the resolver does not cache them.
 */
#include <string.h>

#include "core.h"
#include "log.h"
#include "conf.h"
#include "net.h"
#include "packet.h"
#include "stats.h"
#include "ddt.h"
#include "mr.h"
#include "ms.h"

/* 32 records of 32 referrals: too big for the stack. */
static struct lisp_mapreferral	ref;

/* The most specific delegation covering eid, or NULL. */
static const struct ddt_deleg *
deleg_find(const struct prefix *eid)
{
	const struct ddt_deleg	*best = NULL;
	int			 i;

	for (i = 0; i < conf->nddt_deleg; i++)
		if (prefix_covers(&conf->ddt_deleg[i].eid, eid) &&
		    (!best || conf->ddt_deleg[i].eid.plen > best->eid.plen))
			best = &conf->ddt_deleg[i];
	return best;
}

static const struct prefix *
auth_find(const struct prefix *eid)
{
	const struct prefix	*best = NULL;
	int			 i;

	for (i = 0; i < conf->nddt_auth; i++)
		if (prefix_covers(&conf->ddt_auth[i], eid) &&
		    (!best || conf->ddt_auth[i].plen > best->plen))
			best = &conf->ddt_auth[i];
	return best;
}

static bool
delegated_within(const struct prefix *p)
{
	int	i;

	for (i = 0; i < conf->nddt_deleg; i++)
		if (prefix_covers(p, &conf->ddt_deleg[i].eid))
			return true;
	return false;
}

static void
set_record(struct lisp_referral_rec *r, uint8_t act, uint32_t ttl,
    bool incomplete, const struct prefix *p)
{
	memset(r, 0, offsetof(struct lisp_referral_rec, rec) +
	    offsetof(struct lisp_rec, loc));
	r->incomplete = incomplete;
	r->rec.act = act;
	r->rec.ttl = ttl;
	r->rec.auth = true;
	r->rec.mlen = p->plen;
	prefix_to_lisp(p, &r->rec.eid);
}

static void
add_referral(struct lisp_referral_rec *r, const struct laddr *a)
{
	struct lisp_loc	*l;

	if (r->rec.nloc == LISP_MAX_LOCATORS)
		return;
	l = &r->rec.loc[r->rec.nloc++];
	memset(l, 0, sizeof(*l));
	l->priority = 1;
	l->weight = 100;
	l->mpriority = 255;
	l->flags = LISP_LOC_R;
	laddr_to_lisp(a, &l->addr);
}

/* The Map-Server's answer, or false when the EID is in no site. */
static bool
ms_answer(const struct pkt *pkt, const struct prefix *eid,
    struct lisp_referral_rec *r, bool *registered)
{
	const struct site	*site;
	const struct site_eid	*se;
	struct laddr		 etr, self;
	struct prefix		 hole;
	bool			 proxy;

	if (!(conf->roles & ROLE_MS))
		return false;
	if (ms_lookup(eid, &proxy, &etr, &site, &se)) {
		*registered = true;
		set_record(r, LISP_REF_MS_ACK, DDT_TTL_REGISTERED, true,
		    se ? &se->eid : eid);
	} else if (se) {
		mr_negative_prefix(eid, se->eid.plen, ms_registered_within,
		    &hole);
		set_record(r, LISP_REF_MS_NOT_REG, DDT_TTL_NOT_REG, true,
		    &hole);
	} else
		return false;
	if (net_local_addr(&pkt->src, &self) == 0)
		add_referral(r, &self);
	return true;
}

static void
node_answer(const struct prefix *eid, struct lisp_referral_rec *r)
{
	const struct ddt_deleg	*d;
	const struct prefix	*auth;
	struct prefix		 hole;
	int			 i;

	if ((d = deleg_find(eid)) != NULL) {
		set_record(r, d->ms ? LISP_REF_MS : LISP_REF_NODE,
		    DDT_TTL_NODE, false, &d->eid);
		for (i = 0; i < d->nnode; i++)
			add_referral(r, &d->node[i]);
	} else if ((auth = auth_find(eid)) != NULL) {
		mr_negative_prefix(eid, auth->plen, delegated_within, &hole);
		set_record(r, LISP_REF_HOLE, DDT_TTL_HOLE, false, &hole);
	} else {
		set_record(r, LISP_REF_NOT_AUTH, 0, true, eid);
		r->rec.auth = false;
	}
}

void
ddt_handle_request(const struct pkt *pkt, const uint8_t *msg, size_t len,
    const struct lisp_mapreq *mreq)
{
	struct prefix	eid;
	bool		registered = false;
	char		a[ADDRSTRLEN], s[PREFIXSTRLEN];
	uint8_t		buf[LISPD_MSG_MAX];
	int		i, n;

	stats[ST_DDT_MREQ_RX]++;
	ref.nonce = mreq->nonce;
	ref.nrec = 0;
	for (i = 0; i < mreq->nrec; i++) {
		struct lisp_referral_rec *r = &ref.rec[ref.nrec];

		if (prefix_from_lisp(&mreq->rec[i].eid, mreq->rec[i].mlen,
		    &eid)) {
			refuse(ST_RX_UNEXPECTED);
			continue;
		}
		if (!ms_answer(pkt, &eid, r, &registered))
			node_answer(&eid, r);
		ref.nrec++;
		log_debug("DDT Map-Request for %s from %s: %s",
		    prefix_fmt(&eid, s, sizeof(s)),
		    addr_fmt(&pkt->src, a, sizeof(a)),
		    lisp_referral_action_name(r->rec.act));
	}
	if (!ref.nrec)
		return;
	if ((n = lisp_mapreferral_encode(buf, sizeof(buf), &ref)) < 0) {
		log_warnx("Map-Referral encode: %s", lisp_strerror(-n));
		return;
	}
	if (net_send(&pkt->src, pkt->sport, buf, (size_t)n) == 0)
		stats[ST_REFERRAL_TX]++;
	/* MS-ACK: the request goes to the ETR, or is proxy-replied. */
	if (registered)
		mr_handle_request(pkt, msg, len, mreq);
}
