/* SPDX-License-Identifier: MIT */
/*
 * kernel.c's events: each kind reaches the handler lispd.c registered
 * for it (kernel.c names no role), none when the configuration runs no
 * role for it, and a malformed event is refused and counted, not
 * handed on.  The events are built as the kernel sends them.
 */
#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "tap.h"
#include "core.h"
#include "conf.h"
#include "log.h"
#include "kernel.h"
#include "stats.h"
#include "lnl.h"
#include "daemon.h"

struct lispd_conf *conf;

static char		 buf[LNL_MSG_MAX];
static int		 nmiss, nsmr, ndetected, ngone;
static uint32_t		 miss_iid, smr_iid;
static struct laddr	 miss_src, miss_dst, smr_eid, smr_seid, smr_itr;
static struct khost	 host;
static int		 nctrl;
static uint32_t		 ctrl_iid;
static struct laddr	 ctrl_src;
static uint16_t		 ctrl_port;
static uint8_t		 ctrl_pkt[64];
static size_t		 ctrl_len;

static void
on_miss(uint32_t iid, const struct laddr *seid, const struct laddr *deid)
{
	nmiss++;
	miss_iid = iid;
	miss_src = *seid;
	miss_dst = *deid;
}

static void
on_smr(uint32_t iid, const struct laddr *eid, const struct laddr *seid,
    const struct laddr *itr)
{
	nsmr++;
	smr_iid = iid;
	smr_eid = *eid;
	smr_seid = *seid;
	smr_itr = *itr;
}

static void
on_detected(const struct khost *h)
{
	ndetected++;
	host = *h;
}

static void
on_gone(const struct khost *h)
{
	ngone++;
	host = *h;
}

static void
on_ctrl(uint32_t iid, const struct laddr *srloc, uint16_t sport,
    const uint8_t *pkt, size_t len)
{
	nctrl++;
	ctrl_iid = iid;
	ctrl_src = *srloc;
	ctrl_port = sport;
	ctrl_len = len < sizeof(ctrl_pkt) ? len : sizeof(ctrl_pkt);
	memcpy(ctrl_pkt, pkt, ctrl_len);
}

static const struct kernel_handlers all = {
	.miss = on_miss, .smr = on_smr, .detected = on_detected,
	.gone = on_gone, .ctrl = on_ctrl,
};

static int
setup(void **s)
{
	(void)s;
	nmiss = nsmr = ndetected = ngone = nctrl = 0;
	memset(stats, 0, sizeof(stats));
	kernel_set_handlers(&all);
	/* Our tenants' devices: instance-id 100 on 4, 7 on 9. */
	kernel_dev_add("lisp100", 100, 4);
	kernel_dev_add("lisp7", 7, 9);
	return 0;
}

static bool
is(const struct laddr *a, const char *s)
{
	struct laddr	b = A(s);

	return addr_eq(a, &b);
}

static struct nlmsghdr *
event(uint8_t cmd)
{
	return lnl_msg(buf, 0x42, cmd, 0);
}

static void
put(struct nlmsghdr *nlh, uint16_t type, const char *addr)
{
	struct laddr	a = A(addr);

	mnl_attr_put(nlh, type, a.family == AF_INET ? 4 : 16, a.a);
}

static void
t_miss(void **s)
{
	struct nlmsghdr	*nlh = event(LISP_CMD_MISS);

	(void)s;
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 4);
	mnl_attr_put_u32(nlh, LISP_A_IID, 100);
	put(nlh, LISP_A_SEID_INET, "10.0.0.1");
	put(nlh, LISP_A_EID_INET, "10.1.2.3");
	kernel_event(nlh);
	assert_int_equal(nmiss, 1);
	assert_int_equal(miss_iid, 100);
	assert_true(is(&miss_src, "10.0.0.1"));
	assert_true(is(&miss_dst, "10.1.2.3"));
	assert_int_equal(nsmr + ndetected + ngone, 0);

	/* A device we do not serve (lispctl's, another lispd's). */
	nlh = event(LISP_CMD_MISS);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 5);
	mnl_attr_put_u32(nlh, LISP_A_IID, 100);
	put(nlh, LISP_A_EID_INET, "10.1.2.3");
	kernel_event(nlh);
	/* Ours, but the event names another instance-id than it serves. */
	nlh = event(LISP_CMD_MISS);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 4);
	mnl_attr_put_u32(nlh, LISP_A_IID, 7);
	put(nlh, LISP_A_EID_INET, "10.1.2.3");
	kernel_event(nlh);
	assert_int_equal(nmiss, 1);
}

/* An SMR on the device of instance-id 7; then on no device of ours. */
static void
t_smr(void **s)
{
	struct nlmsghdr	*nlh = event(LISP_CMD_SMR);

	(void)s;
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 9);
	mnl_attr_put_u32(nlh, LISP_A_IID, 7);
	put(nlh, LISP_A_EID_INET6, "2001:db8::5");
	put(nlh, LISP_A_SEID_INET6, "2001:db8:1::9");
	put(nlh, LISP_A_SRLOC_INET, "192.0.2.1");
	kernel_event(nlh);
	assert_int_equal(nsmr, 1);
	assert_int_equal(smr_iid, 7);
	assert_true(is(&smr_eid, "2001:db8::5"));
	assert_true(is(&smr_seid, "2001:db8:1::9"));
	assert_true(is(&smr_itr, "192.0.2.1"));

	nlh = event(LISP_CMD_SMR);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 8);
	mnl_attr_put_u32(nlh, LISP_A_IID, 7);
	put(nlh, LISP_A_EID_INET, "10.1.0.5");
	put(nlh, LISP_A_SEID_INET, "10.2.0.7");
	put(nlh, LISP_A_SRLOC_INET, "192.0.2.1");
	kernel_event(nlh);
	assert_int_equal(nsmr, 1);
}

/*
 * A control message punted from a data packet (NAT traversal): its
 * device's instance-id, the outer source and port, the inner packet;
 * on no device of ours, nothing.
 */
static void
t_ctrl(void **s)
{
	static const uint8_t pkt[] = { 0x45, 0, 0, 28, 1, 2, 3, 4 };
	uint32_t	ifindex;

	(void)s;
	/* On ifindex 9 (instance-id 7, ours), then 8 (not ours). */
	for (ifindex = 9; ifindex >= 8; ifindex--) {
		struct nlmsghdr	*nlh = event(LISP_CMD_CTRL);

		mnl_attr_put_u32(nlh, LISP_A_IFINDEX, ifindex);
		mnl_attr_put_u32(nlh, LISP_A_IID, 7);
		put(nlh, LISP_A_SRLOC_INET, "198.51.100.1");
		mnl_attr_put_u16(nlh, LISP_A_SRLOC_PORT, 40568);
		mnl_attr_put(nlh, LISP_A_PACKET, sizeof(pkt), pkt);
		kernel_event(nlh);
		assert_int_equal(nctrl, 1);
	}
	assert_int_equal(ctrl_iid, 7);
	assert_true(is(&ctrl_src, "198.51.100.1"));
	assert_int_equal(ctrl_port, 40568);
	assert_int_equal(ctrl_len, sizeof(pkt));
	assert_memory_equal(ctrl_pkt, pkt, sizeof(pkt));
	assert_int_equal(stats[ST_RX_UNEXPECTED], 1);
}

static void
t_hosts(void **s)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 7 };
	struct nlmsghdr	*nlh = event(LISP_CMD_EID_DETECTED);
	struct prefix	 eid;

	(void)s;
	mnl_attr_put_strz(nlh, LISP_A_DYN_NAME, "hosts");
	mnl_attr_put_u32(nlh, LISP_A_IID, 5);
	put(nlh, LISP_A_EID_INET, "10.0.0.9");
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 3);
	mnl_attr_put(nlh, LISP_A_MAC, 6, mac);
	mnl_attr_put_u8(nlh, LISP_A_DETECT, LISP_DETECT_ARP);
	kernel_event(nlh);
	assert_int_equal(ndetected, 1);
	assert_string_equal(host.policy, "hosts");
	eid = P("[5]10.0.0.9/32");
	assert_true(prefix_eq(&host.eid, &eid));
	assert_int_equal(host.ifindex, 3);
	assert_memory_equal(host.mac, mac, 6);
	assert_int_equal(host.detect, LISP_DETECT_ARP);

	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd =
	    LISP_CMD_EID_GONE;
	mnl_attr_put_u64(nlh, LISP_A_IDLE_MS, 301000);
	kernel_event(nlh);
	assert_int_equal(ngone, 1);
	assert_int_equal(host.idle_ms, 301000);
	/* A flap is for lispctl monitor; no role handles it. */
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd =
	    LISP_CMD_EID_FLAP;
	kernel_event(nlh);
	assert_int_equal(ndetected + ngone, 2);
}

/* A configuration without the roles: nothing is handed on. */
static void
t_no_handler(void **s)
{
	static const struct kernel_handlers none;
	struct nlmsghdr	*nlh = event(LISP_CMD_EID_DETECTED);

	(void)s;
	kernel_set_handlers(&none);
	mnl_attr_put_strz(nlh, LISP_A_DYN_NAME, "hosts");
	put(nlh, LISP_A_EID_INET, "10.0.0.9");
	kernel_event(nlh);
	assert_int_equal(stats[ST_RX_UNEXPECTED], 1);
	nlh = event(LISP_CMD_MISS);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 4);
	put(nlh, LISP_A_EID_INET, "10.1.2.3");
	kernel_event(nlh);
	assert_int_equal(nmiss + ndetected, 0);
}

static void
t_malformed(void **s)
{
	struct nlmsghdr	*nlh = event(LISP_CMD_MISS);

	(void)s;
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 4);
	mnl_attr_put(nlh, LISP_A_EID_INET, 3, "abc");
	kernel_event(nlh);
	assert_int_equal(nmiss, 0);
	assert_int_equal(stats[ST_RX_UNEXPECTED], 1);
	/* A host event without its policy's name. */
	nlh = event(LISP_CMD_EID_GONE);
	put(nlh, LISP_A_EID_INET, "10.0.0.9");
	kernel_event(nlh);
	assert_int_equal(ngone, 0);
	assert_int_equal(stats[ST_RX_UNEXPECTED], 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(t_miss, setup),
		cmocka_unit_test_setup(t_smr, setup),
		cmocka_unit_test_setup(t_ctrl, setup),
		cmocka_unit_test_setup(t_hosts, setup),
		cmocka_unit_test_setup(t_no_handler, setup),
		cmocka_unit_test_setup(t_malformed, setup),
	};

	log_init(true, 0);
	return TAP_RUN("kernel events", tests);
}
