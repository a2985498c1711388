/* SPDX-License-Identifier: MIT */
/*
 * Keeping mappings registered (RFC 9301 sections 5.6, 8.2): the one
 * Map-Register sender of the ETR, the site gateway (a host at a time)
 * and the first-hop router (its EID-notify is a Map-Register with the
 * E bit).  A registration is sent at once, then every
 * map-register-interval with a new nonce and the M bit; while no
 * Map-Notify with its nonce comes, the same message again after 1 s,
 * doubling up to a minute and never longer than the interval.
 *
 * The peer's section says how to sign: key, key-id, algorithm, and
 * full-hmac, which RFC 6833 peers (Open Overlay Router) need, since
 * they skip a 20-byte MAC whatever the length field says.
 */
#include <string.h>
#include <json-c/json.h>

#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "net.h"
#include "stats.h"
#include "register.h"

static struct lisp_mapreg	msg;		/* too big for the stack */

/* Records are not cleared (they are large): a builder writes each whole. */
struct lisp_mapreg *
register_msg(void)
{
	memset(&msg, 0, offsetof(struct lisp_mapreg, rec));
	memset(msg.xtr_id, 0, sizeof(msg.xtr_id));
	msg.site_id = 0;
	msg.type = LISP_MSG_REGISTER;
	return &msg;
}

const uint8_t *
register_xtr_id(void)
{
	static uint8_t	id[16];
	static bool	drawn;
	uint64_t	r[2];

	if (conf && conf->xtr_id_given)
		return conf->xtr_id;
	if (!drawn) {
		r[0] = nonce_new();
		r[1] = nonce_new();
		memcpy(id, r, sizeof(id));
		drawn = true;
	}
	return id;
}

int
register_encode(const struct mserver *peer, struct lisp_mapreg *m,
    uint8_t *buf, size_t cap)
{
	int	n, err;

	/* A subscriber's Map-Server knows it by the xTR-ID (publish.c). */
	if (conf && conf->subscribe && !(m->flags & LISP_MREG_E)) {
		m->flags |= LISP_MREG_I;
		memcpy(m->xtr_id, register_xtr_id(), sizeof(m->xtr_id));
	}
	m->key_id = peer->key_id;
	m->alg_id = peer->alg;
	m->auth_len = (uint16_t)lisp_auth_len(peer->alg, peer->full_hmac);
	if (peer->proxy_reply && !(m->flags & LISP_MREG_E))
		m->flags |= LISP_MREG_P;
	n = lisp_mapreg_encode(buf, cap, m);
	if (n < 0) {
		log_warnx("Map-Register encode: %s", lisp_strerror(-n));
		return -1;
	}
	if ((err = lisp_auth_sign(buf, (size_t)n, peer->key,
	    strlen(peer->key))) < 0) {
		log_warnx("Map-Register sign: %s", lisp_strerror(-err));
		return -1;
	}
	return n;
}

int
register_send(const struct mserver *peer, struct lisp_mapreg *m)
{
	uint8_t	buf[LISPD_MSG_MAX];
	int	n;

	if ((n = register_encode(peer, m, buf, sizeof(buf))) < 0 ||
	    net_send(&peer->addr, LISP_CONTROL_PORT, buf, (size_t)n))
		return -1;
	stats[ST_MREG_TX]++;
	return 0;
}

static void
registration_send(struct registration *r)
{
	struct lisp_mapreg	*m = register_msg();

	m->flags = r->flags | LISP_MREG_M;
	m->nonce = r->nonce;
	if (!r->ops->build(r, m) ||
	    (r->ops->send ? r->ops->send(r, m) : register_send(r->peer, m)))
		return;
	r->sent++;
	if (r->ops->sent)
		r->ops->sent(r, m);
}

/* A new period, or a retransmission while no Map-Notify came. */
static void
registration_timer(void *arg)
{
	struct registration	*r = arg;
	unsigned int		 cap = REGISTER_BACKOFF_MAX;

	if (cap > register_interval())
		cap = register_interval();
	if (!r->backoff) {
		r->nonce = nonce_new();	/* a new period: a new message */
		r->backoff = 1;
	} else if (r->backoff < cap)
		r->backoff *= 2;
	if (r->backoff > cap)
		r->backoff = cap;
	registration_send(r);
	timer_add(&r->timer, (uint64_t)r->backoff * 1000);
}

void
registration_init(struct registration *r, const struct mserver *peer,
    uint32_t flags, const struct registration_ops *ops, void *owner)
{
	memset(r, 0, sizeof(*r));
	r->peer = peer;
	r->flags = flags;
	r->ops = ops;
	r->owner = owner;
	timer_set(&r->timer, registration_timer, r);
}

void
registration_start(struct registration *r)
{
	r->backoff = 0;
	registration_timer(r);
}

void
registration_start_in(struct registration *r, unsigned int ms)
{
	if (!ms) {
		registration_start(r);
		return;
	}
	r->backoff = 0;
	timer_add(&r->timer, ms);
}

void
registration_stop(struct registration *r)
{
	timer_del(&r->timer);
	r->backoff = 0;
}

void
registration_resume(struct registration *r, const struct mserver *peer)
{
	r->peer = peer;
	if (r->acked)
		timer_add(&r->timer, (uint64_t)register_interval() * 1000);
	else
		registration_start(r);
}

bool
registration_acked(struct registration *r, const struct laddr *from,
    uint64_t nonce)
{
	if (!r->backoff || !nonce || nonce != r->nonce ||
	    !addr_eq(&r->peer->addr, from))
		return false;
	r->acked = ev_now();
	r->acked_nonce = nonce;
	r->backoff = 0;
	r->nonce = 0;
	timer_add(&r->timer, (uint64_t)register_interval() * 1000);
	return true;
}

void
registration_show(json_object *row, const struct registration *r)
{
	time_t		 now = ev_now();
	const char	*state = "registered";
	char		 a[ADDRSTRLEN];

	if (!r->acked || now - r->acked >= REGISTER_TIMEOUT)
		state = "not-registered";
	else if (r->backoff)
		state = "refreshing";
	json_object_object_add(row, "map-server", json_object_new_string(
	    addr_fmt(&r->peer->addr, a, sizeof(a))));
	json_object_object_add(row, "state", json_object_new_string(state));
	json_object_object_add(row, "sent",
	    json_object_new_int64((int64_t)r->sent));
	if (r->acked)
		json_object_object_add(row, "last-notify",
		    json_object_new_int64((int64_t)(now - r->acked)));
	if (r->backoff)
		json_object_object_add(row, "backoff",
		    json_object_new_int64(r->backoff));
}
