/* SPDX-License-Identifier: MIT */
/*
 * The ITR's subscriptions (RFC 9437).  With subscribe each Map-Request
 * also subscribes: the Map-Server then tells us of every change by
 * Map-Notify, its nonce the request's plus a sequence number, signed
 * with our site's key.  A subscription lives as long as its map-cache
 * entry (a refresh renews it).
 */
#include <string.h>
#include <json-c/json.h>

#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "kernel.h"
#include "net.h"
#include "notify.h"
#include "packet.h"
#include "register.h"
#include "stats.h"
#include "tenant.h"
#include "itr.h"
#include "itr_int.h"

/* How far a publication's sequence number may skip ahead (lost ones). */
#define SUB_SEQ_WINDOW	(1u << 20)

/*
 * e answers p, which subscribed through one map-resolver: subscribe
 * through each other one too, so that every Map-Server behind them
 * publishes to us (one of them may die).  These requests have the D
 * bit: the confirming Map-Notify carries the mapping, no Map-Reply.
 */
void
itr_sub_start(struct mc_entry *e, const struct mreq_pend *p)
{
	const struct tenant_conf *tc = e->t->conf;
	struct laddr		 none = { 0 };
	int			 i, n = 1;

	memset(e->sub, 0, sizeof(e->sub));
	e->sub[0].base = p->nonce;
	for (i = 0; i < tc->nmr && n < SUB_SLOTS; i++) {
		if (i == p->mr)
			continue;
		e->sub[n].base = nonce_new();
		if (itr_request_send(&tc->mr[i], &e->m.eid, &none, e->sub[n].base,
		    LISP_MREQ_D, true))
			continue;
		stats[ST_SUB_TX]++;
		n++;
	}
	for (; n < SUB_SLOTS; n++)
		e->sub[n].base = 0;
}

/*
 * A publication: a Map-Notify from a Map-Server we subscribed with,
 * its nonce the subscribing request's plus a sequence number (0: the
 * confirmation).  Found by that nonce; signed with the key of one of
 * the tenant's map-servers; a sequence number below the last taken is a
 * replay or a late copy, refused; the last one again (a retransmission,
 * our ack was lost) is acknowledged again and not applied.  Records that overlap what we
 * subscribed to replace what we cache; one without locators (the EID
 * was withdrawn) takes the entries it covers out, so the next packet
 * asks afresh.  Each one taken is acknowledged.
 */
static struct mc_entry *
sub_find(uint64_t nonce, struct sub_slot **slot, struct mreq_pend **pp)
{
	struct tenant		*t;
	struct mc_entry		*e;
	struct mreq_pend	*p;
	int			 i;

	*pp = NULL;
	TENANT_FOREACH(t) {
		if (!t->itr)
			continue;
		TAILQ_FOREACH(e, &t->itr->cache, entry)
			for (i = 0; i < SUB_SLOTS; i++)
				if (e->sub[i].base && nonce - e->sub[i].base <=
				    e->sub[i].seq + SUB_SEQ_WINDOW) {
					*slot = &e->sub[i];
					return e;
				}
		/* The confirmation may come before the Map-Reply. */
		TAILQ_FOREACH(p, &t->itr->pending, entry)
			if (p->subscribe && !p->holddown && p->nonce == nonce) {
				*pp = p;
				return NULL;
			}
	}
	return NULL;
}

static const struct mserver *
sub_key(const struct tenant *t, const uint8_t *buf, size_t len)
{
	int	i;

	for (i = 0; i < t->conf->nms; i++)
		if (!lisp_auth_verify(buf, len, t->conf->ms[i].key,
		    strlen(t->conf->ms[i].key)))
			return &t->conf->ms[i];
	return NULL;
}

static void
sub_apply(struct tenant *t, const struct prefix *sub,
    const struct lisp_rec *rec)
{
	struct mc_entry	*e, *next;
	struct prefix	 eid;
	char		 s[PREFIXSTRLEN];

	if (prefix_from_lisp(&rec->eid, rec->mlen, &eid) ||
	    eid.iid != t->iid || !prefix_overlap(&eid, sub)) {
		log_debug("publication record for %s: not what we subscribed "
		    "to, ignored", prefix_fmt(&eid, s, sizeof(s)));
		return;
	}
	/* Locators we cannot use make no mapping: as a withdrawal. */
	if (rec->nloc && !itr_no_usable_locator(rec)) {
		itr_install(t, rec, &eid);
		return;
	}
	/* What it covers goes; a wider entry around it stays true. */
	for (e = TAILQ_FIRST(&t->itr->cache); e; e = next) {
		next = TAILQ_NEXT(e, entry);
		if (prefix_covers(&eid, &e->m.eid)) {
			log_info("map-cache %s: withdrawn, by publication",
			    prefix_fmt(&e->m.eid, s, sizeof(s)));
			kernel_map_del(&e->m.eid);
			itr_mc_free(e);
		}
	}
}

bool
itr_handle_publication(const struct pkt *pkt, const uint8_t *buf,
    size_t len, const struct lisp_mapreg *m)
{
	const struct mserver	*key;
	struct mreq_pend	*p;
	struct mc_entry		*e;
	struct sub_slot		*sl = NULL;
	struct tenant		*t;
	struct prefix		 sub, eid;
	uint64_t		 seq;
	uint8_t			 out[LISPD_MSG_MAX];
	char			 a[ADDRSTRLEN], s[PREFIXSTRLEN];
	int			 i, n;

	if (!(e = sub_find(m->nonce, &sl, &p)) && !p)
		return false;
	t = e ? e->t : p->t;
	sub = e ? e->m.eid : p->eid;
	addr_fmt(&pkt->src, a, sizeof(a));
	prefix_fmt(&sub, s, sizeof(s));
	if (!(key = sub_key(t, buf, len))) {
		log_peer_warnx(refuse(ST_PUB_AUTH), "publication from %s for "
		    "%s does not authenticate", a, s);
		return true;
	}
	seq = m->nonce - (e ? sl->base : p->nonce);
	if (e && seq < sl->seq) {
		log_peer_warnx(refuse(ST_PUB_STALE), "publication %llu from "
		    "%s for %s: already had %llu, refused", (unsigned long long)seq,
		    a, s, (unsigned long long)sl->seq);
		return true;
	}
	/* The last one again: our ack was lost, ack it again, apply nothing. */
	if (e && seq == sl->seq && (seq || sl->confirmed)) {
		log_debug("publication %llu from %s for %s again: acknowledged "
		    "again", (unsigned long long)seq, a, s);
		goto ack;
	}
	if (p) {	/* the confirmation, first: it answers the request */
		for (i = 0; i < m->nrec; i++)
			if (!prefix_from_lisp(&m->rec[i].eid, m->rec[i].mlen,
			    &eid) && prefix_covers(&eid, &p->eid) &&
			    !itr_no_usable_locator(&m->rec[i]))
				itr_reply_install(p, &m->rec[i], &eid);
		n = 0;
		TAILQ_FOREACH(e, &t->itr->cache, entry)
			if (e->sub[0].base == m->nonce) {
				e->sub[0].confirmed = true;
				n++;
			}
		/* Nothing usable in it: the Map-Reply may still answer. */
		if (n)
			itr_pend_free(p);
	} else {
		sl->seq = seq;
		if (seq) {
			stats[ST_PUB_RX]++;
			e->sub_updates++;
			log_info("publication from %s for %s: %d records", a, s,
			    m->nrec);
		}
		sl->confirmed = true;
		/* Applying may free e. */
		for (i = 0; i < m->nrec; i++)
			if (seq)
				sub_apply(t, &sub, &m->rec[i]);
	}
ack:
	n = notify_encode(out, sizeof(out), LISP_MSG_NOTIFY_ACK, m->nonce,
	    key, m->rec, m->nrec);
	if (n > 0 && !net_send(&pkt->src, pkt->sport, out, (size_t)n))
		stats[ST_MNOT_ACK_TX]++;
	return true;
}

void
itr_sub_show(json_object *arr)
{
	struct tenant	*t;
	struct mc_entry	*e;
	char		 s[PREFIXSTRLEN];

	TENANT_FOREACH(t) {
		if (!t->itr)
			continue;
		TAILQ_FOREACH(e, &t->itr->cache, entry) {
			json_object	*o;
			int		 i, nc = 0, ns = 0;

			for (i = 0; i < SUB_SLOTS; i++) {
				ns += !!e->sub[i].base;
				nc += e->sub[i].base && e->sub[i].confirmed;
			}
			if (!ns)
				continue;
			o = json_object_new_object();
			json_object_object_add(o, "role",
			    json_object_new_string("itr"));
			json_object_object_add(o, "iid",
			    json_object_new_int64(t->iid));
			json_object_object_add(o, "eid", json_object_new_string(
			    prefix_fmt(&e->m.eid, s, sizeof(s))));
			json_object_object_add(o, "state", json_object_new_string(
			    nc ? "confirmed" : "unconfirmed"));
			json_object_object_add(o, "map-servers",
			    json_object_new_int(nc));
			json_object_object_add(o, "publications",
			    json_object_new_int64((int64_t)e->sub_updates));
			json_object_array_add(arr, o);
		}
	}
}
