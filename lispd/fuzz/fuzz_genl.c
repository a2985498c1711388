/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer: the kernel's replies and events as lnl decodes them.  The
 * input is the genl payload after the command byte; every decoder gets
 * it, and one that accepts it must have read only what was there.
 */
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "lnl.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	 buf[LNL_MSG_MAX];
	struct nlmsghdr	*nlh;
	char		 why[LNL_WHYLEN];
	union {
		struct lnl_map	 map;
		struct lnl_db	 db;
		struct lnl_dyn	 dyn;
		struct lnl_host	 host;
		struct lnl_stats stats;
		struct lnl_event ev;
	} u;

	if (size < 1 || size > sizeof(buf) - 64)
		return 0;
	nlh = lnl_msg(buf, 0x42, data[0], 0);
	memcpy((char *)nlh + nlh->nlmsg_len, data + 1, size - 1);
	nlh->nlmsg_len += (uint32_t)(size - 1);
	if (!lnl_map_decode(nlh, &u.map, why) &&
	    (u.map.nrloc > LISP_MAX_RLOCS || u.map.eid.plen > 128))
		abort();
	(void)lnl_db_decode(nlh, &u.db, why);
	if (!lnl_dyn_decode(nlh, &u.dyn, why) && u.dyn.nif > LNL_DYN_IFS)
		abort();
	(void)lnl_host_decode(nlh, &u.host, why);
	if (!lnl_stats_decode(nlh, &u.stats, why) &&
	    u.stats.n > LNL_STATS_MAX)
		abort();
	if (lnl_event_decode(nlh, &u.ev, why) < 0 && !why[0])
		abort();
	return 0;
}
