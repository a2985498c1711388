/* SPDX-License-Identifier: MIT */
/*
 * Daemon counters, shown by "lispctl show statistics".  Every refusal of
 * a peer's message is counted once under its reason and once in
 * rx-refused: the reasons' counters sum to it.  A malformed message's
 * reason is the codec's (rx-malformed-<reason>, summing to rx-malformed).
 * The names are an interface: documented in lispd(8), kept stable.
 */
#include "stats.h"

uint64_t	stats[ST__MAX];
uint64_t	stats_malformed[LISP_E__MAX];

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
	[ST_NEGATIVE_WARMUP] = "negative-map-reply-warming-up",
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
	[ST_REFRESH_NEGATIVE] = "map-cache-refresh-negative",
	[ST_RX_REFUSED] = "rx-refused",
	[ST_MNOT_ACK_NONCE] = "map-notify-ack-unknown-nonce",
	[ST_MREQ_NO_ITR] = "map-request-no-itr-rloc",
	[ST_SUB_TX] = "subscription-sent",
	[ST_SUB_RX] = "subscription-received",
	[ST_SUB_REFUSED] = "subscription-refused",
	[ST_SUB_DROPPED] = "subscription-dropped",
	[ST_PUB_TX] = "publication-sent",
	[ST_PUB_ACKED] = "publication-acked",
	[ST_PUB_RX] = "publication-received",
	[ST_PUB_AUTH] = "publication-auth-failed",
	[ST_PUB_STALE] = "publication-stale",
	[ST_MREP_NO_LOCATOR] = "map-reply-no-usable-locator",
	[ST_DDT_MREQ_RX] = "ddt-map-request-received",
	[ST_DDT_MREQ_TX] = "ddt-map-request-sent",
	[ST_DDT_MREQ_RETRY] = "ddt-map-request-retransmit",
	[ST_DDT_MREQ_GIVEUP] = "ddt-map-request-unanswered",
	[ST_REFERRAL_TX] = "map-referral-sent",
	[ST_REFERRAL_RX] = "map-referral-received",
	[ST_REFERRAL_NONCE] = "map-referral-unknown-nonce",
	[ST_REFERRAL_LOOP] = "map-referral-loop",
	[ST_REFERRAL_CACHED] = "referral-cache-hit",
	[ST_REFERRAL_CACHE_FULL] = "referral-cache-full",
	[ST_INFO_RX] = "info-request-received",
	[ST_INFO_REPLY_TX] = "info-reply-sent",
	[ST_INFO_AUTH] = "info-request-auth-failed",
	[ST_INFO_REJECT] = "info-request-no-site",
	[ST_INFO_RATELIMIT] = "info-request-rate-limited",
	[ST_INFO_TX] = "info-request-sent",
	[ST_INFO_REPLY_RX] = "info-reply-received",
	[ST_INFO_REPLY_NONCE] = "info-reply-unknown-nonce",
	[ST_INFO_REPLY_AUTH] = "info-reply-auth-failed",
	[ST_NAT_CHANGED] = "nat-binding-changed",
	[ST_NAT_REG_TX] = "data-map-register-sent",
	[ST_RTR_RELAYED] = "rtr-map-register-relayed",
	[ST_RTR_REFUSED] = "rtr-map-register-refused",
	[ST_RTR_REPLAY] = "rtr-map-register-replayed",
	[ST_RTR_FULL] = "rtr-bindings-full",
	[ST_RTR_NOTIFY_TX] = "data-map-notify-sent",
};

/*
 * A counter for each reason of the codec's a peer's bytes can cause
 * (named in proto.h's LISP_ERRORS); the others would count as "other"
 * (LISP_OK's slot).
 */
#define MALFORMED_NAME(id, name, phrase) \
	[LISP_E_##id] = sizeof(name) > 1 ? "rx-malformed-" name : NULL,
static const char *const malformed_names[LISP_E__MAX] = {
	[LISP_OK] = "rx-malformed-other",
	LISP_ERRORS(MALFORMED_NAME)
};
#undef MALFORMED_NAME

/* The slot of err in stats_malformed: 0 ("other") when it has none. */
static int
malformed_slot(int err)
{
	if (err < 0)
		err = -err;
	return err > 0 && err < LISP_E__MAX && malformed_names[err] ? err : 0;
}

const char *
stat_malformed_name(int err)
{
	return err >= 0 && err < LISP_E__MAX ? malformed_names[err] : NULL;
}

const char *
refuse(enum lispd_stat st)
{
	stats[st]++;
	stats[ST_RX_REFUSED]++;
	return stat_name(st);
}

const char *
refuse_malformed(int err)
{
	int	i = malformed_slot(err);

	stats_malformed[i]++;
	stats[ST_RX_BAD]++;
	stats[ST_RX_REFUSED]++;
	return malformed_names[i];
}

const char *
stat_name(int i)
{
	return i >= 0 && i < ST__MAX && names[i] ? names[i] : "unknown";
}
