/* SPDX-License-Identifier: MIT */
/*
 * Map-Notify messages of the mobility roles: building and signing them,
 * and sending the unsolicited ones (a gateway telling its first-hop
 * router that a host moved away) again until the Map-Notify-Ack comes:
 * 1 s, 2 s, 4 s ... up to NOTIFY_TRIES sends (RFC 9301 5.7).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "net.h"
#include "packet.h"
#include "stats.h"
#include "notify.h"

#define NOTIFY_TRIES	6

struct rnotify {
	TAILQ_ENTRY(rnotify) entry;
	struct timer	 timer;
	struct laddr	 to;
	uint16_t	 port;
	uint64_t	 nonce;
	char		*key;
	int		 tries;
	size_t		 len;
	uint8_t		 msg[];
};

static TAILQ_HEAD(, rnotify)	pending = TAILQ_HEAD_INITIALIZER(pending);
static struct lisp_mapreg	nmsg;

int
notify_encode(uint8_t *out, size_t outlen, uint8_t type, uint64_t nonce,
    const struct mserver *auth, const struct lisp_rec *recs, int nrec)
{
	int	n, i;

	if (nrec > LISP_MAX_RECORDS)
		return -1;
	memset(&nmsg, 0, sizeof(nmsg));
	nmsg.type = type;
	nmsg.nonce = nonce;
	nmsg.key_id = auth->key_id;
	nmsg.alg_id = auth->alg;
	nmsg.auth_len = (uint16_t)lisp_auth_len(auth->alg, false);
	nmsg.nrec = (uint8_t)nrec;
	for (i = 0; i < nrec; i++)
		nmsg.rec[i] = recs[i];
	n = type == LISP_MSG_NOTIFY_ACK ?
	    lisp_mapnotify_ack_encode(out, outlen, &nmsg) :
	    lisp_mapnotify_encode(out, outlen, &nmsg);
	if (n < 0) {
		log_warnx("Map-Notify encode: %s", lisp_strerror(-n));
		return -1;
	}
	if ((i = lisp_auth_sign(out, (size_t)n, auth->key,
	    strlen(auth->key))) < 0) {
		log_warnx("Map-Notify sign: %s", lisp_strerror(-i));
		return -1;
	}
	return n;
}

static void
rnotify_free(struct rnotify *r)
{
	timer_del(&r->timer);
	TAILQ_REMOVE(&pending, r, entry);
	free(r->key);
	free(r);
}

static void
rnotify_timer(void *arg)
{
	struct rnotify	*r = arg;
	char		 a[ADDRSTRLEN];

	if (++r->tries >= NOTIFY_TRIES) {
		log_warnx("no Map-Notify-Ack from %s after %d Map-Notifies, "
		    "giving up", addr_fmt(&r->to, a, sizeof(a)), r->tries);
		rnotify_free(r);
		return;
	}
	if (net_send(&r->to, r->port, r->msg, r->len) == 0)
		stats[ST_MNOT_TX]++;
	timer_add(&r->timer, 1000ull << r->tries);
}

int
notify_reliable(const struct laddr *to, uint16_t port,
    const struct mserver *auth, const struct lisp_rec *recs, int nrec)
{
	static uint8_t	 buf[9216];
	struct rnotify	*r;
	uint64_t	 nonce = nonce_new();
	int		 n;

	n = notify_encode(buf, sizeof(buf), LISP_MSG_NOTIFY, nonce, auth,
	    recs, nrec);
	if (n < 0 || !(r = calloc(1, sizeof(*r) + (size_t)n)))
		return -1;
	if (!(r->key = strdup(auth->key))) {
		free(r);
		return -1;
	}
	r->to = *to;
	r->port = port;
	r->nonce = nonce;
	r->len = (size_t)n;
	memcpy(r->msg, buf, (size_t)n);
	timer_set(&r->timer, rnotify_timer, r);
	TAILQ_INSERT_TAIL(&pending, r, entry);
	if (net_send(to, port, r->msg, r->len) == 0)
		stats[ST_MNOT_TX]++;
	timer_add(&r->timer, 1000);
	return 0;
}

bool
notify_ack_input(const struct pkt *pkt, const uint8_t *buf, size_t len)
{
	struct rnotify	*r;
	char		 a[ADDRSTRLEN];
	int		 err;

	if (lisp_mapnotify_decode(buf, len, &nmsg) < 0 ||
	    nmsg.type != LISP_MSG_NOTIFY_ACK)
		return false;
	TAILQ_FOREACH(r, &pending, entry)
		if (r->nonce == nmsg.nonce && addr_eq(&r->to, &pkt->src))
			break;
	if (!r)
		return false;
	if ((err = lisp_auth_verify(buf, len, r->key, strlen(r->key)))) {
		log_peer_warnx(refuse(ST_MREG_AUTH), "Map-Notify-Ack from %s: %s",
		    addr_fmt(&pkt->src, a, sizeof(a)), lisp_strerror(-err));
		return true;
	}
	stats[ST_MNOT_ACK_RX]++;
	rnotify_free(r);
	return true;
}

void
notify_flush(void)
{
	while (!TAILQ_EMPTY(&pending))
		rnotify_free(TAILQ_FIRST(&pending));
}
