/* SPDX-License-Identifier: MIT */
/*
 * Control messages in: decode with the codec and hand each to the role
 * that handles it.  Anything the codec rejects is counted under its
 * reason and logged (rate-limited: one line per reason per second); a
 * message no running role expects is counted too.  Nothing a peer sends
 * can do more than that.
 */
#include <string.h>

#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "packet.h"
#include "tenant.h"
#include "stats.h"
#include "notify.h"
#include "publish.h"
#include "etr.h"
#include "fhr.h"
#include "gateway.h"
#include "itr.h"
#include "mr.h"
#include "ms.h"
#include "ddt.h"
#include "nat.h"

static struct lisp_mapreq	mreq;
static struct lisp_mapreply	mrep;
static struct lisp_mapreg	mnot;

static void
malformed(const struct pkt *pkt, const char *what, int err)
{
	const char	*key = refuse_malformed(err);
	char		 a[ADDRSTRLEN];

	log_peer_warnx(key, "malformed %s from %s port %u: %s", what,
	    addr_fmt(&pkt->src, a, sizeof(a)), pkt->sport,
	    lisp_strerror(err < 0 ? -err : err));
}

static void
unexpected(const struct pkt *pkt, const char *what)
{
	char	a[ADDRSTRLEN];

	refuse(ST_RX_UNEXPECTED);
	log_debug("%s from %s: no running role takes it", what,
	    addr_fmt(&pkt->src, a, sizeof(a)));
}

/* ETR for our own EIDs, else Map-Server/Map-Resolver. */
static void
handle_request(const struct pkt *pkt, const uint8_t *msg, size_t len)
{
	struct prefix	eid, plain;
	char		a[PREFIXSTRLEN];
	int		err;

	if ((err = lisp_mapreq_decode(msg, len, &mreq)) < 0) {
		malformed(pkt, "Map-Request", err);
		return;
	}
	stats[ST_MREQ_RX]++;
	/* An SMR comes straight from an ETR to the ITR in us. */
	if (mreq.flags & LISP_MREQ_S) {
		if (!pkt->ecm && (conf->roles & (ROLE_ITR | ROLE_PITR)))
			itr_handle_smr(pkt, &mreq);
		else
			unexpected(pkt, "SMR");
		return;
	}
	if (prefix_from_lisp(&mreq.rec[0].eid, mreq.rec[0].mlen, &eid)) {
		unexpected(pkt, "Map-Request for a non-IP EID");
		return;
	}
	/* The instance-id in its own field, not "[iid]" in LISP_EID. */
	log_field("LISP_IID", "%u", eid.iid);
	plain = eid;
	plain.iid = 0;
	log_field("LISP_EID", "%s", prefix_fmt(&plain, a, sizeof(a)));
	/* Probes are for the ETR; the mapping system drops them (5.3). */
	if (mreq.flags & LISP_MREQ_P) {
		if (!pkt->ecm && (conf->roles & ROLE_ETR) && etr_owns(&eid))
			etr_handle_request(pkt, &mreq);
		else
			unexpected(pkt, "RLOC probe not for an EID of ours");
		return;
	}
	/* DDT (RFC 8111): a node's or Map-Server's referral, a resolver's. */
	if (pkt->ddt && (conf->roles & (ROLE_DDT | ROLE_MS)))
		ddt_handle_request(pkt, msg, len, &mreq);
	else if (pkt->ddt)
		unexpected(pkt, "DDT Map-Request");
	else if ((conf->roles & ROLE_ETR) && etr_owns(&eid))
		etr_handle_request(pkt, &mreq);
	else if ((conf->roles & ROLE_MR) && conf->nddt_root && pkt->ecm)
		ddt_mr_request(pkt, msg, len, &mreq);
	else if (conf->roles & (ROLE_MS | ROLE_MR))
		mr_handle_request(pkt, msg, len, &mreq);
	else
		unexpected(pkt, "Map-Request");
}

static void
handle_ecm(struct pkt *pkt, const uint8_t *buf, size_t len)
{
	struct lisp_ecm	e;
	int		err;

	if ((err = lisp_ecm_decode(buf, len, &e)) < 0) {
		malformed(pkt, "ECM", err);
		return;
	}
	/* An xTR behind a NAT registering through us, as OOR's do. */
	if ((e.flags & LISP_ECM_R) && (conf->roles & ROLE_RTR) &&
	    lisp_msg_type(e.msg, e.msg_len) == LISP_MSG_REGISTER) {
		rtr_handle_ecm(pkt, &e);
		return;
	}
	if (lisp_msg_type(e.msg, e.msg_len) != LISP_MSG_REQUEST) {
		unexpected(pkt, "ECM not carrying a Map-Request");
		return;
	}
	pkt->ecm = true;
	pkt->ddt = e.flags & LISP_ECM_D;
	pkt->isrc.family = e.ipver == 4 ? AF_INET : AF_INET6;
	memcpy(pkt->isrc.a, e.src, 16);
	pkt->idst.family = pkt->isrc.family;
	memcpy(pkt->idst.a, e.dst, 16);
	pkt->isport = e.sport;
	handle_request(pkt, e.msg, e.msg_len);
}

void
packet_ctrl_input(uint32_t iid, const struct laddr *srloc, uint16_t sport,
    const uint8_t *buf, size_t len)
{
	struct lisp_ecm	in;
	struct pkt	pkt;
	char		a[ADDRSTRLEN];
	int		err;

	memset(&pkt, 0, sizeof(pkt));
	pkt.src = *srloc;
	pkt.sport = sport;
	log_fields_clear();
	log_field("LISP_RLOC", "%s", addr_fmt(srloc, a, sizeof(a)));
	stats[ST_RX]++;
	if ((err = lisp_udp_decode(buf, len, &in)) < 0) {
		malformed(&pkt, "control message in a data packet", err);
		return;
	}
	switch (in.dport == LISP_CONTROL_PORT ?
	    lisp_msg_type(in.msg, in.msg_len) : -1) {
	case LISP_MSG_ECM:
		/* A Data-Map-Register, for the RTR in us. */
		if (conf->roles & ROLE_RTR)
			rtr_handle_ctrl(iid, srloc, sport, &in);
		else
			unexpected(&pkt, "ECM in a data packet");
		break;
	case LISP_MSG_NOTIFY:
		/* A Data-Map-Notify from an RTR: for the xTR behind NAT. */
		if (!(conf->roles & ROLE_ETR)) {
			unexpected(&pkt, "Map-Notify in a data packet");
			break;
		}
		if ((err = lisp_mapnotify_decode(in.msg, in.msg_len,
		    &mnot)) < 0)
			malformed(&pkt, "Data-Map-Notify", err);
		else if (!nat_xtr_handle_notify(in.msg, in.msg_len, &mnot))
			unexpected(&pkt, "Data-Map-Notify for no registration "
			    "of ours");
		break;
	default:
		unexpected(&pkt, "message in a data packet");
		break;
	}
	log_fields_clear();
}

void
packet_input(const uint8_t *buf, size_t len, const struct laddr *src,
    uint16_t sport)
{
	struct pkt	pkt;
	char		a[ADDRSTRLEN];
	int		type, err;

	memset(&pkt, 0, sizeof(pkt));
	pkt.src = *src;
	pkt.sport = sport;
	/* Whatever the roles log about it carries the peer's RLOC. */
	log_fields_clear();
	log_field("LISP_RLOC", "%s", addr_fmt(src, a, sizeof(a)));
	stats[ST_RX]++;
	type = lisp_msg_type(buf, len);
	switch (type) {
	case LISP_MSG_REQUEST:
		handle_request(&pkt, buf, len);
		break;
	case LISP_MSG_ECM:
		handle_ecm(&pkt, buf, len);
		break;
	case LISP_MSG_REPLY:
		if (!(conf->roles & (ROLE_ITR | ROLE_PITR))) {
			unexpected(&pkt, "Map-Reply");
			break;
		}
		if ((err = lisp_mapreply_decode(buf, len, &mrep)) < 0) {
			malformed(&pkt, "Map-Reply", err);
			break;
		}
		stats[ST_MREP_RX]++;
		itr_handle_reply(&pkt, &mrep);
		break;
	case LISP_MSG_REFERRAL:
		if ((conf->roles & ROLE_MR) && conf->nddt_root)
			ddt_mr_referral(&pkt, buf, len);
		else
			unexpected(&pkt, "Map-Referral");
		break;
	case LISP_MSG_REGISTER:
		/* The E bit: a first-hop router's EID-notify, for a gateway. */
		if (len >= 4 && (((uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 |
		    (uint32_t)buf[2] << 8 | buf[3]) & LISP_MREG_E) &&
		    (conf->roles & ROLE_ETR) && tenants_have_dyneid())
			gateway_eid_notify(&pkt, buf, len);
		else if (conf->roles & ROLE_MS)
			ms_handle_register(&pkt, buf, len, ev_now());
		else
			unexpected(&pkt, "Map-Register");
		break;
	case LISP_MSG_NOTIFY:
		if (!(conf->roles & (ROLE_ETR | ROLE_FHR | ROLE_ITR))) {
			unexpected(&pkt, "Map-Notify");
			break;
		}
		if ((err = lisp_mapnotify_decode(buf, len, &mnot)) < 0) {
			malformed(&pkt, "Map-Notify", err);
			break;
		}
		/* For a Map-Register the RTR in us relayed. */
		if ((conf->roles & ROLE_RTR) &&
		    rtr_handle_notify(&pkt, buf, len, &mnot))
			break;
		/* Its nonce says whether it publishes a subscription of ours. */
		if ((conf->roles & ROLE_ITR) &&
		    itr_handle_publication(&pkt, buf, len, &mnot))
			break;
		if (!(conf->roles & (ROLE_ETR | ROLE_FHR)))
			unexpected(&pkt, "Map-Notify");
		else if (fhr_is_gateway(&pkt.src))
			fhr_handle_notify(&pkt, buf, len, &mnot);
		else if (conf->roles & ROLE_ETR)
			etr_handle_notify(&pkt, buf, len, &mnot);
		else
			unexpected(&pkt, "Map-Notify");
		break;
	case LISP_MSG_NOTIFY_ACK:
		/* Acknowledging a gateway's "moved away" to its FHR. */
		if (notify_ack_input(&pkt, buf, len))
			break;
		if ((conf->roles & ROLE_MS) && pub_handle_ack(&pkt, buf, len))
			break;
		if (conf->roles & ROLE_MS)
			ms_handle_notify_ack(&pkt, buf, len);
		else
			unexpected(&pkt, "Map-Notify-Ack");
		break;
	case LISP_MSG_INFO:
		/* The R bit: a reply is an xTR's, a request a Map-Server's. */
		if (!(buf[0] & 0x08) && (conf->roles & ROLE_MS))
			nat_ms_handle_request(&pkt, buf, len);
		else if ((buf[0] & 0x08) && (conf->roles & ROLE_ETR))
			nat_xtr_handle_reply(&pkt, buf, len);
		else
			unexpected(&pkt, buf[0] & 0x08 ? "Info-Reply" :
			    "Info-Request");
		break;
	default:
		malformed(&pkt, "message", type < 0 ? type : LISP_E_TYPE);
		break;
	}
	log_fields_clear();
}
