/* SPDX-License-Identifier: MIT */
/*
 * The Map-Server's side of NAT discovery (draft-ermagan-lisp-nat-
 * traversal, section 5): an xTR sends an Info-Request signed with its
 * site's key; we answer with what we saw of it in the NAT-Traversal
 * LCAF - the source address and port of the request (its translated
 * RLOC and port), our own RLOC and port, and the RTRs it may register
 * through (rtr-address).  The private ETR RLOC is not in a request: it
 * goes back as AFI 0, as Open Overlay Router's Map-Server sends it, and
 * the xTR compares the global RLOC with the address it sent from.
 *
 * An unsigned request, or one signed with another key, is refused:
 * the reply tells a stranger the RTRs and what the NAT did to it.
 * Answering costs two HMACs, so requests are rate-limited.
 */
#include <string.h>

#include "log.h"
#include "event.h"
#include "conf.h"
#include "packet.h"
#include "stats.h"
#include "net.h"
#include "ms.h"
#include "nat.h"

static struct lisp_info	req, rep;	/* too big for the stack */

static void
ip_of(const struct laddr *a, struct lisp_ip *ip)
{
	struct lisp_addr	la;

	laddr_to_lisp(a, &la);
	*ip = la.ip;
}

/* rep answers req, from pkt, for site s. */
static void
reply_build(const struct pkt *pkt)
{
	struct laddr	self;
	int		i;

	memset(&rep, 0, sizeof(rep));
	rep.reply = true;
	rep.nonce = req.nonce;
	/* Signed as the request was, as a Map-Notify is (RFC 9301 5.7). */
	rep.key_id = req.key_id;
	rep.alg_id = req.alg_id;
	rep.auth_len = req.auth_len;
	rep.ttl = NAT_INFO_TTL;
	rep.mlen = req.mlen;
	rep.eid = req.eid;
	rep.nat.ms_port = LISP_CONTROL_PORT;
	rep.nat.etr_port = pkt->sport;
	ip_of(&pkt->src, &rep.nat.global_etr);
	if (pkt->dst.family)
		ip_of(&pkt->dst, &rep.nat.ms);
	else if (!net_local_addr(&pkt->src, &self))
		ip_of(&self, &rep.nat.ms);
	for (i = 0; i < conf->nrtr && i < LISP_MAX_RTR; i++)
		ip_of(&conf->rtr[i], &rep.nat.rtr[rep.nat.nrtr++]);
}

void
nat_ms_handle_request(const struct pkt *pkt, const uint8_t *buf, size_t len)
{
	static uint64_t		 bucket_ms;
	uint8_t			 out[LISPD_MSG_MAX];
	const struct site	*s;
	struct prefix		 p;
	char			 a[ADDRSTRLEN];
	int			 err, n;

	stats[ST_INFO_RX]++;
	if (!ev_bucket_take(&bucket_ms, NAT_INFO_RATE)) {
		refuse(ST_INFO_RATELIMIT);
		return;
	}
	if ((err = lisp_info_decode(buf, len, &req)) < 0) {
		log_peer_warnx(refuse_malformed(err),
		    "malformed Info-Request from %s port %u: %s",
		    addr_fmt(&pkt->src, a, sizeof(a)), pkt->sport,
		    lisp_strerror(-err));
		return;
	}
	/* Its EID names the site, and so the key. */
	if (prefix_from_lisp(&req.eid, req.mlen, &p) ||
	    (s = ms_site_of(&p)) == NULL) {
		log_peer_warnx(refuse(ST_INFO_REJECT),
		    "Info-Request from %s port %u: no site for its EID",
		    addr_fmt(&pkt->src, a, sizeof(a)), pkt->sport);
		return;
	}
	if ((err = lisp_auth_verify(buf, len, s->key, strlen(s->key)))) {
		log_peer_warnx(refuse(ST_INFO_AUTH),
		    "Info-Request from %s port %u for site %s: %s",
		    addr_fmt(&pkt->src, a, sizeof(a)), pkt->sport, s->name,
		    lisp_strerror(-err));
		return;
	}
	reply_build(pkt);
	n = lisp_info_encode(out, sizeof(out), &rep);
	if (n > 0)
		n = lisp_auth_sign(out, (size_t)n, s->key, strlen(s->key)) ?
		    -1 : n;
	if (n < 0) {
		log_warnx("Info-Reply to %s: cannot encode",
		    addr_fmt(&pkt->src, a, sizeof(a)));
		return;
	}
	log_debug("Info-Reply to %s port %u for site %s",
	    addr_fmt(&pkt->src, a, sizeof(a)), pkt->sport, s->name);
	if (!net_send(&pkt->src, pkt->sport, out, (size_t)n))
		stats[ST_INFO_REPLY_TX]++;
}
