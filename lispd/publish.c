/* SPDX-License-Identifier: MIT */
/*
 * The Map-Server's subscribers (RFC 9437): an ITR that sets the N bit on
 * a Map-Request record is told, by Map-Notify, every change of what it
 * was answered, without waiting for an SMR from the data path.
 *
 * Who may subscribe: an xTR the Map-Server knows, that is one whose
 * xTR-ID came in an authenticated Map-Register of a configured site in
 * the same instance-id.  Everything sent to it is signed with that
 * site's key, which the ITR, as the site's ETR, has too.  A Map-Request
 * is not signed, so anyone could claim a known xTR-ID and some victim's
 * ITR-RLOC: a subscription therefore only becomes one when its first
 * Map-Notify is acknowledged with a Map-Notify-Ack signed with the key;
 * until then it costs the victim at most NOTIFY_TRIES messages.
 *
 * Nonces: the first Map-Notify of a subscription carries the nonce of
 * the Map-Request that made it, and each later one that nonce plus one
 * more than the last (RFC 9437 7), so the ITR can refuse a replayed or
 * reordered one.
 *
 * Each subscriber has at most one Map-Notify in flight, sent again
 * after 1, 2, 4 s until acknowledged; changes that come meanwhile are
 * kept (up to SUB_DIRTY_MAX prefixes) and go in the next one.  A
 * subscriber that never acknowledges is dropped, as is one that does
 * not renew before its answer's TTL ends.  Publications are paced to
 * PUB_RATE a second over all subscribers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "net.h"
#include "notify.h"
#include "packet.h"
#include "stats.h"
#include "ms.h"
#include "publish.h"

#define SUBS_MAX		65536	/* subscriptions in all */
#define SUBS_PER_XTR		4096	/* of one xTR-ID */
#define SUB_DIRTY_MAX		8	/* changed prefixes kept per subscriber */
#define NOTIFY_TRIES		4	/* sends of one Map-Notify */
#define PUB_RATE		1000	/* Map-Notifies a second, in all */
#define SUB_TTL_MIN		60	/* s a subscription lasts at least */

struct sub {
	TAILQ_ENTRY(sub) entry;
	struct prefix	 eid;		/* what the subscriber was answered */
	uint8_t		 xtr_id[16];
	uint64_t	 site_id;
	struct laddr	 itr;		/* where Map-Notifies go */
	uint16_t	 port;
	struct mserver	 key;		/* the subscriber's site's */
	uint64_t	 base;		/* the subscribing Map-Request's nonce */
	uint64_t	 seq;		/* nonce of the last sent: base + seq */
	time_t		 expires;
	bool		 confirmed;	/* a Map-Notify-Ack came */
	struct timer	 timer;
	int		 tries;		/* sends of the one in flight; 0: none */
	int		 nrec;
	struct lisp_rec	*rec;		/* the one in flight's records */
	int		 ndirty;
	struct prefix	 dirty[SUB_DIRTY_MAX];
	uint64_t	 acked;
};

static TAILQ_HEAD(, sub)	subs = TAILQ_HEAD_INITIALIZER(subs);
static unsigned int		nsubs;
static uint64_t			bucket_ms;	/* PUB_RATE's token bucket */
static struct timer		expire_timer;

static bool
pub_rate_ok(void)
{
	return ev_bucket_take(&bucket_ms, PUB_RATE);
}

static const char *
xtr_fmt(const uint8_t id[16], char *buf, size_t len)
{
	int	i;

	for (i = 0; i < 16 && len > 2 * (size_t)i + 2; i++)
		snprintf(buf + 2 * i, len - 2 * (size_t)i, "%02x", id[i]);
	return buf;
}

static void
sub_free(struct sub *s)
{
	timer_del(&s->timer);
	TAILQ_REMOVE(&subs, s, entry);
	nsubs--;
	free(s->key.key);
	free(s->rec);
	free(s);
}

static void
sub_drop(struct sub *s, const char *why)
{
	char	p[PREFIXSTRLEN], a[ADDRSTRLEN];

	stats[ST_SUB_DROPPED]++;
	log_info("subscription of %s to %s dropped: %s",
	    addr_fmt(&s->itr, a, sizeof(a)),
	    prefix_fmt(&s->eid, p, sizeof(p)), why);
	sub_free(s);
}

static void
sub_send(struct sub *s)
{
	uint8_t	buf[LISPD_MSG_MAX];
	int	n;

	n = notify_encode(buf, sizeof(buf), LISP_MSG_NOTIFY, s->base + s->seq,
	    &s->key, s->rec, s->nrec);
	if (n > 0 && !net_send(&s->itr, s->port, buf, (size_t)n)) {
		stats[ST_MNOT_TX]++;
		if (s->tries == 0)
			stats[ST_PUB_TX]++;
	}
	s->tries++;
	timer_add(&s->timer, 1000ull << (s->tries - 1));
}

/* What the Map-Server says of p now: its registration, or none. */
static void
current_record(const struct prefix *p, struct lisp_rec *rec)
{
	if (ms_record_of(p, rec))
		return;
	/* Withdrawn: no locators, ask again (the ITR drops its entry). */
	memset(rec, 0, offsetof(struct lisp_rec, loc));
	rec->mlen = p->plen;
	prefix_to_lisp(p, &rec->eid);
	rec->act = LISP_ACT_SEND_MAPREQ;
}

/* Put the pending changes in one Map-Notify with the next nonce. */
static void
sub_publish(struct sub *s)
{
	int	i;

	if (!pub_rate_ok()) {
		timer_add(&s->timer, 1000 / PUB_RATE + 1);
		return;
	}
	free(s->rec);
	s->rec = calloc((size_t)s->ndirty, sizeof(*s->rec));
	if (!s->rec) {
		s->nrec = 0;
		return;
	}
	for (i = 0; i < s->ndirty; i++)
		current_record(&s->dirty[i], &s->rec[i]);
	s->nrec = s->ndirty;
	s->ndirty = 0;
	s->seq++;
	s->tries = 0;
	sub_send(s);
}

static void
sub_timer(void *arg)
{
	struct sub	*s = arg;

	if (s->tries == 0) {		/* paced: the rate allowed none */
		if (s->ndirty)
			sub_publish(s);
		return;
	}
	if (s->tries >= NOTIFY_TRIES) {
		sub_drop(s, s->confirmed ? "publication not acknowledged" :
		    "subscription never acknowledged");
		return;
	}
	sub_send(s);
}

static struct sub *
sub_find(const struct prefix *eid, const uint8_t xtr_id[16])
{
	struct sub	*s;

	TAILQ_FOREACH(s, &subs, entry)
		if (prefix_eq(&s->eid, eid) &&
		    !memcmp(s->xtr_id, xtr_id, 16))
			return s;
	return NULL;
}

static unsigned int
xtr_count(const uint8_t xtr_id[16])
{
	struct sub	*s;
	unsigned int	 n = 0;

	TAILQ_FOREACH(s, &subs, entry)
		if (!memcmp(s->xtr_id, xtr_id, 16))
			n++;
	return n;
}

void
pub_subscribe(const struct pkt *pkt, const struct lisp_mapreq *mreq,
    const struct lisp_rec *answer)
{
	const struct site	*site;
	struct sub		*s;
	struct prefix		 eid;
	struct laddr		 itr;
	uint8_t			 key_id, alg;
	char			 a[ADDRSTRLEN], p[PREFIXSTRLEN], x[40];
	int			 i;

	if (!(mreq->flags & LISP_MREQ_I) ||
	    prefix_from_lisp(&answer->eid, answer->mlen, &eid))
		return;
	/* Publications go to the first ITR-RLOC we can reach. */
	for (i = 0; i < mreq->nitr; i++)
		if (!laddr_from_lisp(&mreq->itr[i], &itr))
			break;
	if (i == mreq->nitr)
		return;
	stats[ST_SUB_RX]++;
	addr_fmt(&itr, a, sizeof(a));
	prefix_fmt(&eid, p, sizeof(p));
	xtr_fmt(mreq->xtr_id, x, sizeof(x));
	if (!(site = ms_xtr_site(eid.iid, mreq->xtr_id, &key_id, &alg))) {
		log_peer_info(refuse(ST_SUB_REFUSED), "subscription of %s to "
		    "%s refused: xTR-ID %s registers no site here", a, p, x);
		return;
	}
	if (!(s = sub_find(&eid, mreq->xtr_id))) {
		if (nsubs >= SUBS_MAX || xtr_count(mreq->xtr_id) >=
		    SUBS_PER_XTR) {
			log_peer_warnx(refuse(ST_SUB_REFUSED), "subscription "
			    "of %s to %s refused: limit reached", a, p);
			return;
		}
		if (!(s = calloc(1, sizeof(*s))))
			return;
		s->eid = eid;
		memcpy(s->xtr_id, mreq->xtr_id, 16);
		timer_set(&s->timer, sub_timer, s);
		TAILQ_INSERT_TAIL(&subs, s, entry);
		nsubs++;
		log_info("subscription of %s (xTR-ID %s) to %s", a, x, p);
	}
	/* A renewal starts afresh: a new nonce base, a new confirmation. */
	free(s->key.key);
	if (!(s->key.key = strdup(site->key))) {
		sub_free(s);
		return;
	}
	s->key.key_id = key_id;
	s->key.alg = alg;
	s->site_id = mreq->site_id;
	s->itr = itr;
	s->port = pkt->ecm ? pkt->isport : pkt->sport;
	s->base = mreq->nonce;
	s->seq = 0;
	s->expires = ev_now() + (answer->ttl * 60 > SUB_TTL_MIN ?
	    (time_t)answer->ttl * 60 : SUB_TTL_MIN);
	s->ndirty = 0;
	free(s->rec);
	if (!(s->rec = calloc(1, sizeof(*s->rec)))) {
		sub_free(s);
		return;
	}
	lisp_rec_copy(s->rec, answer);
	s->nrec = 1;
	s->tries = 0;
	timer_del(&s->timer);
	sub_send(s);
}

void
pub_changed(const struct prefix *p)
{
	struct sub	*s;
	int		 i;

	TAILQ_FOREACH(s, &subs, entry) {
		if (!prefix_overlap(&s->eid, p))
			continue;
		for (i = 0; i < s->ndirty; i++)
			if (prefix_eq(&s->dirty[i], p))
				break;
		if (i == s->ndirty) {
			/* Full: the subscribed prefix says it all. */
			if (s->ndirty == SUB_DIRTY_MAX)
				s->dirty[SUB_DIRTY_MAX - 1] = s->eid;
			else
				s->dirty[s->ndirty++] = *p;
		}
		if (!s->tries && !s->timer.armed)
			sub_publish(s);
	}
}

bool
pub_handle_ack(const struct pkt *pkt, const uint8_t *buf, size_t len)
{
	static struct lisp_mapreg	 ack;
	const struct lisp_mapreg	*m = &ack;
	struct sub			*s;
	char				 a[ADDRSTRLEN], p[PREFIXSTRLEN];

	/* Malformed: not ours to say, the Map-Server's handler does. */
	if (TAILQ_EMPTY(&subs) || lisp_mapnotify_decode(buf, len, &ack) ||
	    ack.type != LISP_MSG_NOTIFY_ACK)
		return false;
	TAILQ_FOREACH(s, &subs, entry)
		if (s->tries && m->nonce == s->base + s->seq &&
		    addr_eq(&s->itr, &pkt->src))
			break;
	if (!s)
		return false;
	if (lisp_auth_verify(buf, len, s->key.key, strlen(s->key.key))) {
		log_peer_warnx(refuse(ST_MREG_AUTH), "Map-Notify-Ack from %s "
		    "for a publication does not authenticate",
		    addr_fmt(&pkt->src, a, sizeof(a)));
		return true;
	}
	stats[ST_MNOT_ACK_RX]++;
	stats[ST_PUB_ACKED]++;
	s->acked++;
	if (!s->confirmed)
		log_info("subscription of %s to %s confirmed",
		    addr_fmt(&s->itr, a, sizeof(a)),
		    prefix_fmt(&s->eid, p, sizeof(p)));
	s->confirmed = true;
	s->tries = 0;
	timer_del(&s->timer);
	if (s->ndirty)
		sub_publish(s);
	return true;
}

/* After a reload: the sites' keys may have changed, or gone. */
static void
pub_rebind(void)
{
	const struct site	*site;
	struct sub		*s, *next;
	uint8_t			 key_id, alg;
	char			*key;

	for (s = TAILQ_FIRST(&subs); s; s = next) {
		next = TAILQ_NEXT(s, entry);
		site = ms_xtr_site(s->eid.iid, s->xtr_id, &key_id, &alg);
		if (!site || !(key = strdup(site->key))) {
			sub_drop(s, "its xTR no longer registers a site");
			continue;
		}
		free(s->key.key);
		s->key.key = key;
		s->key.key_id = key_id;
		s->key.alg = alg;
	}
}

static void
expire_tick(void *arg)
{
	struct sub	*s, *next;
	time_t		 now = ev_now();

	(void)arg;
	for (s = TAILQ_FIRST(&subs); s; s = next) {
		next = TAILQ_NEXT(s, entry);
		if (s->expires <= now)
			sub_drop(s, "not renewed");
	}
	timer_add(&expire_timer, 1000);
}

/* After ms_init(): subscribers kept over a reload are checked again. */
void
pub_init(void)
{
	ms_on_change(pub_changed);
	timer_set(&expire_timer, expire_tick, NULL);
	timer_add(&expire_timer, 1000);
	pub_rebind();
}

/* keep: a reload; pub_rebind() then checks each subscriber again. */
void
pub_shutdown(bool keep)
{
	ms_on_change(NULL);
	while (!keep && !TAILQ_EMPTY(&subs))
		sub_free(TAILQ_FIRST(&subs));
	timer_del(&expire_timer);
}

json_object *
pub_show(void)
{
	json_object	*arr = json_object_new_array();
	struct sub	*s;
	time_t		 now = ev_now();
	char		 b[PREFIXSTRLEN], x[40];

	TAILQ_FOREACH(s, &subs, entry) {
		json_object	*o = json_object_new_object();

		json_object_object_add(o, "role",
		    json_object_new_string("map-server"));
		json_object_object_add(o, "iid", json_object_new_int64(
		    s->eid.iid));
		json_object_object_add(o, "eid", json_object_new_string(
		    prefix_fmt(&s->eid, b, sizeof(b))));
		json_object_object_add(o, "subscriber", json_object_new_string(
		    addr_fmt(&s->itr, b, sizeof(b))));
		json_object_object_add(o, "xtr-id", json_object_new_string(
		    xtr_fmt(s->xtr_id, x, sizeof(x))));
		json_object_object_add(o, "state", json_object_new_string(
		    !s->confirmed ? "unconfirmed" : s->tries ? "publishing" :
		    "confirmed"));
		json_object_object_add(o, "publications",
		    json_object_new_int64((int64_t)s->seq));
		json_object_object_add(o, "acked",
		    json_object_new_int64((int64_t)s->acked));
		json_object_object_add(o, "expires", json_object_new_int64(
		    (int64_t)(s->expires - now)));
		json_object_array_add(arr, o);
	}
	return arr;
}
