/* SPDX-License-Identifier: MIT */
/* Daemon counters, shown by "lispctl show statistics". */
#include "lispd.h"

uint64_t	stats[ST__MAX];

static const char *const names[ST__MAX] = {
	[ST_RX] = "rx",
	[ST_RX_BAD] = "rx-malformed",
	[ST_RX_UNEXPECTED] = "rx-unexpected",
	[ST_TX] = "tx",
	[ST_TX_ERR] = "tx-errors",
	[ST_MREQ_TX] = "map-request-sent",
	[ST_MREQ_RETRY] = "map-request-retransmit",
	[ST_MREQ_GIVEUP] = "map-request-unanswered",
	[ST_MREQ_RATELIMIT] = "map-request-rate-limited",
	[ST_MREQ_RX] = "map-request-received",
	[ST_MREP_TX] = "map-reply-sent",
	[ST_MREP_RX] = "map-reply-received",
	[ST_MREP_NONCE] = "map-reply-unknown-nonce",
	[ST_MREG_TX] = "map-register-sent",
	[ST_MREG_RX] = "map-register-received",
	[ST_MREG_AUTH] = "map-register-auth-failed",
	[ST_MREG_REJECT] = "map-register-record-rejected",
	[ST_MREG_REPLAY] = "map-register-replayed",
	[ST_MNOT_TX] = "map-notify-sent",
	[ST_MNOT_RX] = "map-notify-received",
	[ST_MNOT_ACK_TX] = "map-notify-ack-sent",
	[ST_MNOT_ACK_RX] = "map-notify-ack-received",
	[ST_MISS] = "kernel-miss",
	[ST_INSTALL] = "map-cache-installed",
	[ST_EXPIRE] = "map-cache-expired",
	[ST_FORWARD] = "map-request-forwarded",
	[ST_NEGATIVE] = "negative-map-reply-sent",
	[ST_SMR_TX] = "smr-sent",
	[ST_SMR_RATELIMIT] = "smr-rate-limited",
	[ST_SMR_RX] = "smr-received",
	[ST_SMR_UNCACHED] = "smr-uncached-ignored",
	[ST_PROBE_TX] = "rloc-probe-sent",
	[ST_PROBE_RX] = "rloc-probe-received",
	[ST_PROBE_REPLY_TX] = "rloc-probe-reply-sent",
	[ST_PROBE_REPLY_RX] = "rloc-probe-reply-received",
	[ST_RLOC_DOWN] = "rloc-down",
	[ST_RLOC_UP] = "rloc-up",
	[ST_MREG_WITHDRAWN] = "map-register-withdrawn",
	[ST_REFRESH] = "map-cache-refresh-asked",
};

const char *
stat_name(int i)
{
	return i >= 0 && i < ST__MAX && names[i] ? names[i] : "unknown";
}
