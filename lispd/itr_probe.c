/* SPDX-License-Identifier: MIT */
/*
 * RLOC probing (RFC 9301 7.1): with rloc-probing every locator of a
 * positive map-cache entry is sent a Map-Request with the P bit each
 * interval, straight, never through the mapping system.
 * PROBE_MISSES unanswered probes in a row take the locator out of the
 * kernel's choice; one answer puts it back.
 */
#include <string.h>

#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "kernel.h"
#include "net.h"
#include "packet.h"
#include "stats.h"
#include "tenant.h"
#include "itr_int.h"

/* One probing round for all tenants. */
static struct timer	probe_timer;

/* rloc[i] of e is up (an answered probe) or down (too many missed). */
static void
loc_set(struct mc_entry *e, int i, bool down)
{
	uint32_t	bit = 1u << i;
	char		a[ADDRSTRLEN], s[PREFIXSTRLEN];

	if (!!(e->m.down & bit) == down)
		return;
	e->m.down ^= bit;
	kernel_map_replace(&e->m);
	stats[down ? ST_RLOC_DOWN : ST_RLOC_UP]++;
	log_info("map-cache %s: locator %s %s",
	    prefix_fmt(&e->m.eid, s, sizeof(s)),
	    addr_fmt(&e->m.rloc[i].addr, a, sizeof(a)), down ?
	    "down, probes unanswered" : "up, probe answered");
}

/* A probe Map-Reply: only its nonce matters, it names the locator. */
void
itr_probe_reply(const struct pkt *pkt, const struct lisp_mapreply *rep)
{
	struct tenant	*t;
	struct mc_entry	*e;
	char		 a[ADDRSTRLEN];
	int		 i;

	TENANT_FOREACH(t) {
		if (!t->itr)
			continue;
		TAILQ_FOREACH(e, &t->itr->cache, entry)
			for (i = 0; i < e->m.nrloc; i++) {
				struct loc_state *l = &e->loc[i];

				if (!l->nonce || l->nonce != rep->nonce)
					continue;
				stats[ST_PROBE_REPLY_RX]++;
				l->nonce = 0;
				l->missed = 0;
				l->answered = true;
				l->rtt_ms = (uint32_t)(ev_now_ms() -
				    l->sent_ms);
				loc_set(e, i, false);
				return;
			}
	}
	refuse(ST_MREP_NONCE);
	log_debug("probe Map-Reply from %s with an unknown nonce",
	    addr_fmt(&pkt->src, a, sizeof(a)));
}

static void
probe_send(struct mc_entry *e, int i)
{
	const struct laddr	*to = &e->m.rloc[i].addr;
	struct laddr		 rloc;
	char			 a[ADDRSTRLEN];
	int			 n;
	struct lisp_mapreq	 req;
	uint8_t			 buf[LISPD_MSG_MAX];

	/* A probe we cannot even send is one unanswered. */
	e->loc[i].nonce = nonce_new();
	e->loc[i].sent_ms = ev_now_ms();
	if (net_local_addr(to, &rloc)) {
		log_debug("probe: no route to %s", addr_fmt(to, a, sizeof(a)));
		return;
	}
	/* Straight to the locator, never through the mapping system. */
	memset(&req, 0, sizeof(req));
	req.flags = LISP_MREQ_P;
	req.nonce = e->loc[i].nonce;
	req.nitr = 1;
	laddr_to_lisp(&rloc, &req.itr[0]);
	req.nrec = 1;
	req.rec[0].mlen = e->m.eid.plen;
	prefix_to_lisp(&e->m.eid, &req.rec[0].eid);
	n = lisp_mapreq_encode(buf, sizeof(buf), &req);
	if (n < 0 || net_send(to, LISP_CONTROL_PORT, buf, (size_t)n))
		return;
	stats[ST_PROBE_TX]++;
}

static unsigned int
probe_interval_ms(void)
{
	unsigned int	ms = (conf->probe_interval ? conf->probe_interval :
			    60) * 1000;

	/* Jittered (7.1): 90% to 100% of the interval. */
	return ms - (unsigned int)(nonce_new() % (ms / 10 + 1));
}

/* Count the last round's unanswered probes, then probe every locator. */
static void
probe_tick(void *arg)
{
	struct tenant	*t;
	struct mc_entry	*e;
	int		 i;

	(void)arg;
	TENANT_FOREACH(t) {
		if (!t->itr)
			continue;
		TAILQ_FOREACH(e, &t->itr->cache, entry) {
			if (e->petr)
				continue;
			for (i = 0; i < e->m.nrloc; i++) {
				struct loc_state *l = &e->loc[i];

				if (l->nonce && ++l->missed >= PROBE_MISSES)
					loc_set(e, i, true);
				probe_send(e, i);
			}
		}
	}
	timer_add(&probe_timer, probe_interval_ms());
}

void
itr_probe_init(void)
{
	timer_set(&probe_timer, probe_tick, NULL);
	if (conf->rloc_probing)
		timer_add(&probe_timer, probe_interval_ms());
}

void
itr_probe_shutdown(void)
{
	timer_del(&probe_timer);
}
