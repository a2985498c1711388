/* SPDX-License-Identifier: MIT */
/* stats.c: the daemon's counters, and refusals counted by reason. */
#ifndef LISPD_STATS_H
#define LISPD_STATS_H

#include <stdint.h>

#include "proto.h"

enum lispd_stat {
	ST_RX, ST_RX_BAD, ST_RX_UNEXPECTED, ST_TX, ST_TX_ERR,
	ST_MREQ_TX, ST_MREQ_RETRY, ST_MREQ_GIVEUP, ST_MREQ_RATELIMIT,
	ST_MREQ_RX, ST_MREP_TX, ST_MREP_RX, ST_MREP_NONCE,
	ST_MREG_TX, ST_MREG_RX, ST_MREG_AUTH, ST_MREG_REJECT, ST_MREG_REPLAY,
	ST_MNOT_TX, ST_MNOT_RX, ST_MNOT_ACK_TX, ST_MNOT_ACK_RX,
	ST_MISS, ST_INSTALL, ST_EXPIRE, ST_FORWARD, ST_NEGATIVE,
	ST_NEGATIVE_WARMUP,
	ST_SMR_TX, ST_SMR_RATELIMIT, ST_SMR_RX, ST_SMR_UNCACHED,
	ST_PROBE_TX, ST_PROBE_RX, ST_PROBE_REPLY_TX, ST_PROBE_REPLY_RX,
	ST_RLOC_DOWN, ST_RLOC_UP, ST_MREG_WITHDRAWN,
	ST_REFRESH,
	ST_REFRESH_NEGATIVE,
	ST_RX_REFUSED, ST_MNOT_ACK_NONCE, ST_MREQ_NO_ITR,
	ST_SUB_TX, ST_SUB_RX, ST_SUB_REFUSED, ST_SUB_DROPPED,
	ST_PUB_TX, ST_PUB_ACKED, ST_PUB_RX, ST_PUB_AUTH, ST_PUB_STALE,
	ST_MREP_NO_LOCATOR,
	ST_DDT_MREQ_RX, ST_DDT_MREQ_TX, ST_DDT_MREQ_RETRY, ST_DDT_MREQ_GIVEUP,
	ST_REFERRAL_TX, ST_REFERRAL_RX, ST_REFERRAL_NONCE, ST_REFERRAL_LOOP,
	ST_REFERRAL_CACHED, ST_REFERRAL_CACHE_FULL,
	ST_INFO_RX, ST_INFO_REPLY_TX, ST_INFO_AUTH, ST_INFO_REJECT,
	ST_INFO_RATELIMIT,
	ST_INFO_TX, ST_INFO_REPLY_RX, ST_INFO_REPLY_NONCE, ST_INFO_REPLY_AUTH,
	ST_NAT_CHANGED,
	ST_NAT_REG_TX, ST_RTR_RELAYED, ST_RTR_REFUSED, ST_RTR_REPLAY,
	ST_RTR_FULL, ST_RTR_NOTIFY_TX,
	ST__MAX
};
extern uint64_t	stats[ST__MAX];
/* rx-malformed by the codec's reason: rx-malformed-<reason> (stats.c). */
extern uint64_t	stats_malformed[LISP_E__MAX];
const char	*stat_name(int);
const char	*stat_malformed_name(int err);
/*
 * A peer's message (or one record of it) refused: counted under its
 * reason st and in rx-refused.  refuse_malformed: the codec's err
 * (negative or not), under rx-malformed and rx-malformed-<reason>.
 * Each returns the reason's counter name, the key of its log line.
 */
const char	*refuse(enum lispd_stat st);
const char	*refuse_malformed(int err);

#endif /* LISPD_STATS_H */
