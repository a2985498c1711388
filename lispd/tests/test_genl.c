/* SPDX-License-Identifier: MIT */
/*
 * lnl (genl/): each object encoded as lispd and lispctl send it comes
 * back equal from its decoder; each malformed reply is refused with a
 * reason naming the attribute; the extended ACK is taken apart.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "tap.h"
#include "lnl.h"

static char	 buf[LNL_MSG_MAX];
static char	 why[LNL_WHYLEN];

static struct nlmsghdr *
msg(uint8_t cmd)
{
	memset(buf, 0, sizeof(buf));
	memset(why, 0, sizeof(why));
	return lnl_msg(buf, 0x42, cmd, 0);
}

static void
pfx(const char *s, struct prefix *p)
{
	const char	*w;

	assert_int_equal(prefix_parse(s, p, &w), 0);
}

static void
ip(const char *s, struct laddr *a)
{
	assert_int_equal(addr_parse(s, a), 0);
}

/* A map-cache entry as lispd installs it: two RLOCs, one down. */
static struct nlmsghdr *
put_map(struct lnl_map *m)
{
	struct nlmsghdr	*nlh = msg(LISP_CMD_MAP_REPLACE);

	memset(m, 0, sizeof(*m));
	m->ifindex = 7;
	pfx("10.1.0.0/16", &m->eid);
	m->has_ttl = m->has_flags = true;
	m->ttl = 86400;
	m->flags = LISP_MAP_F_AWAY;
	m->nrloc = 2;
	ip("192.0.2.1", &m->rloc[0].addr);
	m->rloc[0].priority = 1;
	m->rloc[0].weight = 100;
	m->rloc[0].flags = LISP_RLOC_F_REACHABLE;
	ip("2001:db8::1", &m->rloc[1].addr);
	m->rloc[1].priority = 2;
	m->rloc[1].weight = 50;
	lnl_put_dev(nlh, m->ifindex, NULL);
	lnl_put_eid(nlh, &m->eid, 0);
	lnl_map_put(nlh, m);
	return nlh;
}

static void
t_map_roundtrip(void **s)
{
	struct lnl_map	 m, d;
	struct nlmsghdr	*nlh;
	int		 i;

	(void)s;
	nlh = put_map(&m);
	assert_int_equal(lnl_map_decode(nlh, &d, why), 0);
	assert_int_equal(d.ifindex, 7);
	assert_true(prefix_eq(&d.eid, &m.eid));
	assert_false(d.has_iid);
	assert_int_equal(d.action, LISP_ACTION_NONE);
	assert_true(d.has_ttl && d.ttl == 86400);
	assert_true(d.has_flags && d.flags == LISP_MAP_F_AWAY);
	assert_false(d.has_age || d.has_idle || d.has_counters);
	assert_int_equal(d.nrloc, 2);
	for (i = 0; i < 2; i++) {
		assert_true(addr_eq(&d.rloc[i].addr, &m.rloc[i].addr));
		assert_int_equal(d.rloc[i].priority, m.rloc[i].priority);
		assert_int_equal(d.rloc[i].weight, m.rloc[i].weight);
		assert_int_equal(d.rloc[i].flags, m.rloc[i].flags);
	}
}

/* What a reply leaves out: no plen is a host, no RLOC flags reachable. */
static void
t_map_defaults(void **s)
{
	struct nlmsghdr	*nlh = msg(LISP_CMD_MAP_GET);
	struct nlattr	*n, *el;
	struct lnl_map	 d;
	struct lnl_db	 db;
	struct in6_addr	 a6;

	(void)s;
	inet_pton(AF_INET6, "2001:db8::5", &a6);
	mnl_attr_put_strz(nlh, LISP_A_IFNAME, "lisp0");
	mnl_attr_put_u32(nlh, LISP_A_IID, 100);
	mnl_attr_put(nlh, LISP_A_EID_INET6, 16, &a6);
	n = mnl_attr_nest_start(nlh, LISP_A_RLOCS);
	el = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, LISP_RLOC_A_INET, htonl(0xc0000202));
	mnl_attr_put_u64(nlh, LISP_RLOC_A_PACKETS, 3);
	mnl_attr_nest_end(nlh, el);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_put_u64(nlh, LISP_A_IDLE_MS, 3100);
	assert_int_equal(lnl_map_decode(nlh, &d, why), 0);
	assert_string_equal(d.ifname, "lisp0");
	assert_true(d.has_iid && d.eid.iid == 100);
	assert_int_equal(d.eid.family, AF_INET6);
	assert_int_equal(d.eid.plen, 128);
	assert_true(d.has_idle && d.idle_ms == 3100);
	assert_int_equal(d.rloc[0].flags, LISP_RLOC_F_REACHABLE);
	assert_true(d.rloc[0].has_counters && d.rloc[0].packets == 3);
	assert_int_equal(lnl_db_decode(nlh, &db, why), 0);
	assert_string_equal(db.ifname, "lisp0");
	assert_true(db.has_iid && prefix_eq(&db.eid, &d.eid));
}

static void
refused(int r, const char *want)
{
	assert_int_equal(r, -EINVAL);
	if (!strstr(why, want))
		fail_msg("reason \"%s\", want \"%s\"", why, want);
}

static void
t_map_malformed(void **s)
{
	struct nlmsghdr	*nlh;
	struct nlattr	*n, *el;
	struct lnl_map	 m, d;
	int		 i;

	(void)s;
	/* Cut short inside the last attribute. */
	nlh = put_map(&m);
	nlh->nlmsg_len -= 6;
	refused(lnl_map_decode(nlh, &d, why), "truncated");

	/* Three bytes of an IPv4 EID. */
	nlh = msg(LISP_CMD_MAP_GET);
	mnl_attr_put(nlh, LISP_A_EID_INET, 3, "abc");
	refused(lnl_map_decode(nlh, &d, why), "attribute eid: 3 bytes, want 4");

	/* A u64 counter sent as a u32. */
	nlh = msg(LISP_CMD_MAP_GET);
	mnl_attr_put_u32(nlh, LISP_A_EID_INET, 0);
	mnl_attr_put_u32(nlh, LISP_A_PACKETS, 1);
	refused(lnl_map_decode(nlh, &d, why), "attribute packets: 4 bytes");

	/* No EID at all, and both families. */
	nlh = msg(LISP_CMD_MAP_GET);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 1);
	refused(lnl_map_decode(nlh, &d, why), "no eid");
	mnl_attr_put_u32(nlh, LISP_A_EID_INET, 0);
	mnl_attr_put(nlh, LISP_A_EID_INET6, 16, buf);
	refused(lnl_map_decode(nlh, &d, why), "both eid and eid6");

	/* A prefix longer than its address. */
	nlh = msg(LISP_CMD_MAP_GET);
	mnl_attr_put_u32(nlh, LISP_A_EID_INET, 0);
	mnl_attr_put_u8(nlh, LISP_A_EID_PLEN, 33);
	refused(lnl_map_decode(nlh, &d, why), "attribute plen: 33");

	/* An interface name without its NUL, or too long. */
	nlh = msg(LISP_CMD_MAP_GET);
	mnl_attr_put(nlh, LISP_A_IFNAME, 5, "lisp0");
	refused(lnl_map_decode(nlh, &d, why), "attribute ifname: not a string");
	nlh = msg(LISP_CMD_MAP_GET);
	mnl_attr_put_strz(nlh, LISP_A_IFNAME, "a-name-of-twenty-chars");
	refused(lnl_map_decode(nlh, &d, why), "at most 15 characters");

	/* An RLOC without address; an RLOC with a short priority. */
	nlh = msg(LISP_CMD_MAP_GET);
	mnl_attr_put_u32(nlh, LISP_A_EID_INET, 0);
	n = mnl_attr_nest_start(nlh, LISP_A_RLOCS);
	el = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u8(nlh, LISP_RLOC_A_PRIORITY, 1);
	mnl_attr_nest_end(nlh, el);
	mnl_attr_nest_end(nlh, n);
	refused(lnl_map_decode(nlh, &d, why), "rloc 1: no address");
	nlh = msg(LISP_CMD_MAP_GET);
	mnl_attr_put_u32(nlh, LISP_A_EID_INET, 0);
	n = mnl_attr_nest_start(nlh, LISP_A_RLOCS);
	el = mnl_attr_nest_start(nlh, 2);
	mnl_attr_put_u32(nlh, LISP_RLOC_A_INET, 0);
	mnl_attr_put_u16(nlh, LISP_RLOC_A_PRIORITY, 1);
	mnl_attr_nest_end(nlh, el);
	mnl_attr_nest_end(nlh, n);
	refused(lnl_map_decode(nlh, &d, why),
	    "rloc 2: attribute priority: 2 bytes, want 1");

	/* Nine RLOCs. */
	nlh = msg(LISP_CMD_MAP_GET);
	mnl_attr_put_u32(nlh, LISP_A_EID_INET, 0);
	n = mnl_attr_nest_start(nlh, LISP_A_RLOCS);
	for (i = 1; i <= LISP_MAX_RLOCS + 1; i++) {
		el = mnl_attr_nest_start(nlh, (uint16_t)i);
		mnl_attr_put_u32(nlh, LISP_RLOC_A_INET, (uint32_t)i);
		mnl_attr_nest_end(nlh, el);
	}
	mnl_attr_nest_end(nlh, n);
	refused(lnl_map_decode(nlh, &d, why), "rlocs: more than 8");

	/* No genl header. */
	nlh = (struct nlmsghdr *)buf;
	lnl_msg_init(nlh, 0x42, 0);
	refused(lnl_map_decode(nlh, &d, why), "shorter than its headers");
}

static void
t_dyn(void **s)
{
	struct nlmsghdr	*nlh = msg(LISP_CMD_DYN_ADD);
	struct lnl_dyn	 p = { .name = "hosts", .has_iid = true,
			    .has_timeout = true, .timeout = 60, .nif = 2,
			    .ifindex = { 4, 9 } };
	struct lnl_dyn	 d;
	char		 name[40];

	(void)s;
	pfx("[7]2001:db8:1::/48", &p.eid);
	lnl_dyn_put(nlh, &p);
	mnl_attr_put_u64(nlh, LISP_A_DYN_FLAPS, 5);
	assert_int_equal(lnl_dyn_decode(nlh, &d, why), 0);
	assert_string_equal(d.name, "hosts");
	assert_true(prefix_eq(&d.eid, &p.eid));
	assert_true(d.has_iid && d.has_timeout && d.timeout == 60);
	assert_int_equal(d.nif, 2);
	assert_int_equal(d.ifindex[1], 9);
	assert_int_equal(d.flaps, 5);

	/* A name the kernel would not give: 39 characters. */
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	nlh = msg(LISP_CMD_DYN_GET);
	mnl_attr_put_strz(nlh, LISP_A_DYN_NAME, name);
	refused(lnl_dyn_decode(nlh, &d, why), "dyn-name: not a string of at "
	    "most 31");
	/* An interface index of two bytes. */
	nlh = msg(LISP_CMD_DYN_GET);
	mnl_attr_put_strz(nlh, LISP_A_DYN_NAME, "x");
	mnl_attr_put_u32(nlh, LISP_A_EID_INET, 0);
	{
		struct nlattr *n = mnl_attr_nest_start(nlh,
		    LISP_A_DYN_IFINDEXES);

		mnl_attr_put_u16(nlh, 1, 3);
		mnl_attr_nest_end(nlh, n);
	}
	refused(lnl_dyn_decode(nlh, &d, why), "element 1 is not a u32");
}

/* HOST_DEL as both programs send it; an EID_FLAP event as the kernel does. */
static void
t_host(void **s)
{
	struct nlmsghdr	*nlh = msg(LISP_CMD_HOST_DEL);
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	struct lnl_host	 h;
	struct lnl_event ev;
	struct laddr	 a;

	(void)s;
	ip("10.0.0.9", &a);
	lnl_host_del_put(nlh, "hosts", &a, true);
	assert_int_equal(lnl_host_decode(nlh, &h, why), 0);
	assert_string_equal(h.policy, "hosts");
	assert_true(addr_eq(&h.eid, &a));
	assert_false(h.has_mac || h.has_flap);

	nlh = msg(LISP_CMD_EID_FLAP);
	mnl_attr_put_strz(nlh, LISP_A_DYN_NAME, "hosts");
	mnl_attr_put_u32(nlh, LISP_A_IID, 7);
	mnl_attr_put(nlh, LISP_A_EID_INET, 4, a.a);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 3);
	mnl_attr_put(nlh, LISP_A_MAC, 6, mac);
	mnl_attr_put_u8(nlh, LISP_A_DETECT, LISP_DETECT_ARP);
	mnl_attr_put(nlh, LISP_A_FLAP_MAC, 6, mac);
	mnl_attr_put_u32(nlh, LISP_A_FLAP_IFINDEX, 4);
	assert_int_equal(lnl_event_decode(nlh, &ev, why), 0);
	assert_int_equal(ev.cmd, LISP_CMD_EID_FLAP);
	assert_int_equal(ev.host.iid, 7);
	assert_int_equal(ev.host.ifindex, 3);
	assert_true(ev.host.has_mac && !memcmp(ev.host.mac, mac, 6));
	assert_true(ev.host.has_detect && ev.host.detect == LISP_DETECT_ARP);
	assert_true(ev.host.has_flap && ev.host.flap_ifindex == 4);
	assert_string_equal(lnl_detect_name(ev.host.detect), "arp");

	nlh = msg(LISP_CMD_EID_DETECTED);
	mnl_attr_put_strz(nlh, LISP_A_DYN_NAME, "hosts");
	mnl_attr_put(nlh, LISP_A_EID_INET, 4, a.a);
	mnl_attr_put(nlh, LISP_A_MAC, 5, mac);
	refused(lnl_event_decode(nlh, &ev, why), "attribute mac: 5 bytes, "
	    "want 6");
	nlh = msg(LISP_CMD_EID_GONE);
	mnl_attr_put(nlh, LISP_A_EID_INET, 4, a.a);
	refused(lnl_event_decode(nlh, &ev, why), "no dyn-name");
}

static void
t_events(void **s)
{
	struct nlmsghdr	*nlh = msg(LISP_CMD_SMR);
	struct lnl_event ev;
	struct laddr	 e, se, itr;

	(void)s;
	ip("10.1.0.5", &e);
	ip("10.2.0.7", &se);
	ip("2001:db8::99", &itr);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 5);
	mnl_attr_put_u32(nlh, LISP_A_IID, 0);
	mnl_attr_put(nlh, LISP_A_EID_INET, 4, e.a);
	mnl_attr_put(nlh, LISP_A_SEID_INET, 4, se.a);
	mnl_attr_put(nlh, LISP_A_SRLOC_INET6, 16, itr.a);
	assert_int_equal(lnl_event_decode(nlh, &ev, why), 0);
	assert_int_equal(ev.ifindex, 5);
	assert_true(ev.has_iid);
	assert_true(addr_eq(&ev.eid, &e) && addr_eq(&ev.seid, &se) &&
	    addr_eq(&ev.srloc, &itr));

	/* An SMR that does not say which ITR sent the packet. */
	nlh = msg(LISP_CMD_SMR);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 5);
	mnl_attr_put(nlh, LISP_A_EID_INET, 4, e.a);
	mnl_attr_put(nlh, LISP_A_SEID_INET, 4, se.a);
	refused(lnl_event_decode(nlh, &ev, why), "smr without srloc");

	/* A MISS needs no source; its destination it needs. */
	nlh = msg(LISP_CMD_MISS);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 5);
	mnl_attr_put(nlh, LISP_A_EID_INET, 4, e.a);
	assert_int_equal(lnl_event_decode(nlh, &ev, why), 0);
	assert_false(ev.has_iid || ev.seid.family);
	nlh = msg(LISP_CMD_MISS);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 5);
	mnl_attr_put(nlh, LISP_A_SEID_INET6, 4, se.a);
	refused(lnl_event_decode(nlh, &ev, why), "attribute seid6: 4 bytes");

	/* Not an event: ignored, not refused. */
	nlh = msg(LISP_CMD_MAP_GET);
	assert_int_equal(lnl_event_decode(nlh, &ev, why), 1);
}

/*
 * CTRL_SEND as lispd builds it, read back the way the kernel reads it;
 * a CTRL event with each attribute it needs, then without each.
 */
static void
t_ctrl(void **s)
{
	static const uint8_t pkt[28] = { 0x45, 0, 0, 28 };
	struct nlmsghdr	*nlh = msg(LISP_CMD_CTRL_SEND);
	const struct nlattr *tb[LISP_A_MAX + 1];
	struct lnl_event ev;
	struct lnl_rloc	 rl;
	struct laddr	 a;
	const struct nlattr *r;

	(void)s;
	ip("198.51.100.9", &a);
	assert_int_equal(lnl_ctrl_send_put(nlh, 0, "lisp0", &a, 40000, pkt,
	    sizeof(pkt)), 0);
	memset(tb, 0, sizeof(tb));
	mnl_attr_for_each(r, nlh, sizeof(struct genlmsghdr))
		tb[mnl_attr_get_type(r)] = r;
	assert_string_equal(mnl_attr_get_str(tb[LISP_A_IFNAME]), "lisp0");
	assert_int_equal(mnl_attr_get_payload_len(tb[LISP_A_PACKET]), 28);
	r = mnl_attr_get_payload(tb[LISP_A_RLOCS]);
	assert_int_equal(lnl_rloc_decode(r, &rl, why), 0);
	assert_true(addr_eq(&rl.addr, &a) && rl.port == 40000);
	nlh = msg(LISP_CMD_CTRL_SEND);
	assert_int_equal(lnl_ctrl_send_put(nlh, 3, NULL, &a, 0, buf,
	    LNL_MSG_MAX), -EMSGSIZE);

	nlh = msg(LISP_CMD_CTRL);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 4);
	mnl_attr_put_u32(nlh, LISP_A_IID, 7);
	mnl_attr_put(nlh, LISP_A_SRLOC_INET, 4, a.a);
	mnl_attr_put_u16(nlh, LISP_A_SRLOC_PORT, 40000);
	mnl_attr_put(nlh, LISP_A_PACKET, sizeof(pkt), pkt);
	assert_int_equal(lnl_event_decode(nlh, &ev, why), 0);
	assert_true(ev.cmd == LISP_CMD_CTRL && ev.ifindex == 4 &&
	    ev.has_iid && ev.iid == 7 && addr_eq(&ev.srloc, &a) &&
	    ev.srloc_port == 40000 && ev.pktlen == sizeof(pkt) &&
	    !memcmp(ev.pkt, pkt, sizeof(pkt)));

	nlh = msg(LISP_CMD_CTRL);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 4);
	mnl_attr_put(nlh, LISP_A_SRLOC_INET, 4, a.a);
	mnl_attr_put(nlh, LISP_A_PACKET, sizeof(pkt), pkt);
	refused(lnl_event_decode(nlh, &ev, why), "ctrl without srloc-port");
	nlh = msg(LISP_CMD_CTRL);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 4);
	mnl_attr_put(nlh, LISP_A_SRLOC_INET, 4, a.a);
	mnl_attr_put_u32(nlh, LISP_A_SRLOC_PORT, 40000);
	refused(lnl_event_decode(nlh, &ev, why), "attribute srloc-port: 4");
	nlh = msg(LISP_CMD_CTRL);
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 4);
	mnl_attr_put(nlh, LISP_A_SRLOC_INET, 4, a.a);
	mnl_attr_put_u16(nlh, LISP_A_SRLOC_PORT, 40000);
	refused(lnl_event_decode(nlh, &ev, why), "ctrl without packet");
	assert_string_equal(lnl_stat_name(LISP_STAT_RX_CTRL_DROP),
	    "rx-ctrl-drop");
}

static void
t_stats(void **s)
{
	struct nlmsghdr	*nlh = msg(LISP_CMD_STATS_GET);
	struct lnl_stats st;
	struct nlattr	*n;

	(void)s;
	mnl_attr_put_u32(nlh, LISP_A_IFINDEX, 3);
	mnl_attr_put_u32(nlh, LISP_A_IID, 100);
	n = mnl_attr_nest_start(nlh, LISP_A_STATS);
	mnl_attr_put(nlh, LISP_STAT_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, LISP_STAT_TX_PACKETS, 5);
	mnl_attr_put_u32(nlh, LISP_STAT_MAX + 1, 9);
	mnl_attr_nest_end(nlh, n);
	assert_int_equal(lnl_stats_decode(nlh, &st, why), 0);
	assert_true(st.ifindex == 3 && st.has_iid && st.iid == 100);
	assert_int_equal(st.n, 2);
	assert_int_equal(st.stat[0].type, LISP_STAT_TX_PACKETS);
	assert_int_equal(st.stat[0].value, 5);
	assert_int_equal(st.stat[1].value, 9);
	assert_string_equal(lnl_stat_name(LISP_STAT_RX_UNKNOWN_IID),
	    "rx-unknown-iid");
	assert_null(lnl_stat_name(LISP_STAT_MAX + 1));

	nlh = msg(LISP_CMD_STATS_GET);
	n = mnl_attr_nest_start(nlh, LISP_A_STATS);
	mnl_attr_put_u16(nlh, LISP_STAT_TX_BYTES, 1);
	mnl_attr_nest_end(nlh, n);
	refused(lnl_stats_decode(nlh, &st, why), "counter 3: 2 bytes");
}

/* An extended ACK blaming rloc 2's priority, as the kernel sends it. */
static void
t_extack(void **s)
{
	char		 req[LNL_MSG_MAX], ebuf[LNL_MSG_MAX], path[64];
	struct nlmsghdr	*r, *e;
	struct nlmsgerr	*err;
	const struct nlattr *a, *el = NULL, *pr = NULL;
	struct lnl_map	 m;
	struct lnl_err	 le;

	(void)s;
	r = put_map(&m);
	memcpy(req, r, r->nlmsg_len);
	r = (struct nlmsghdr *)req;
	mnl_attr_for_each(a, r, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == LISP_A_RLOCS)
			mnl_attr_for_each_nested(el, a)
				if (mnl_attr_get_type(el) == 2)
					break;
	assert_non_null(el);
	mnl_attr_for_each_nested(pr, el)
		if (mnl_attr_get_type(pr) == LISP_RLOC_A_PRIORITY)
			break;
	assert_non_null(pr);

	e = mnl_nlmsg_put_header(ebuf);
	e->nlmsg_type = NLMSG_ERROR;
	e->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	err = mnl_nlmsg_put_extra_header(e, sizeof(*err));
	err->error = -EINVAL;
	err->msg = *r;
	mnl_attr_put_strz(e, NLMSGERR_ATTR_MSG, "priority 2 is silly");
	mnl_attr_put_u32(e, NLMSGERR_ATTR_OFFS,
	    (uint32_t)((const char *)pr - req));
	assert_int_equal(lnl_ack(e, &le), -EINVAL);
	assert_int_equal(le.code, -EINVAL);
	assert_null(le.op);
	assert_string_equal(le.msg, "priority 2 is silly");
	assert_true(le.has_off);
	assert_string_equal(lnl_attr_path(r, le.off, path, sizeof(path)),
	    "rloc 2 priority");

	/* A plain ACK; a dump's end; anything else is a reply. */
	err->error = 0;
	e->nlmsg_flags = NLM_F_CAPPED;
	assert_int_equal(lnl_ack(e, &le), 0);
	e->nlmsg_type = NLMSG_DONE;
	e->nlmsg_len = mnl_nlmsg_size(sizeof(int));
	*(int *)mnl_nlmsg_get_payload(e) = -ENOBUFS;
	assert_int_equal(lnl_ack(e, &le), -ENOBUFS);
	e->nlmsg_type = 0x42;
	assert_int_equal(lnl_ack(e, &le), 1);
}

/* The address model both programs parse their arguments with. */
static void
t_prefix_parse(void **s)
{
	struct prefix	 p;
	const char	*w = NULL;
	char		 out[PREFIXSTRLEN];

	(void)s;
	assert_int_equal(prefix_parse("10.1.2.3", &p, &w), 0);
	assert_int_equal(p.plen, 32);
	assert_int_equal(prefix_parse("[7]2001:db8::/32", &p, &w), 0);
	assert_string_equal(prefix_fmt(&p, out, sizeof(out)),
	    "[7]2001:db8::/32");
	assert_int_equal(prefix_parse("10.0.0.0/33", &p, &w), -1);
	assert_string_equal(w, "bad prefix length (0..32)");
	assert_int_equal(prefix_parse("::/129", &p, &w), -1);
	assert_string_equal(w, "bad prefix length (0..128)");
	assert_int_equal(prefix_parse("10.0.0.0/+8", &p, &w), -1);
	assert_int_equal(prefix_parse("10.0.0.0/ 8", &p, &w), -1);
	assert_int_equal(prefix_parse("10.0.0.0/0x8", &p, &w), -1);
	assert_int_equal(prefix_parse("10.0.0.0/", &p, &w), -1);
	assert_int_equal(prefix_parse("10.1.2.3/16", &p, &w), -1);
	assert_non_null(strstr(w, "bits set"));
	assert_int_equal(addr_len(AF_INET6), 16);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_map_roundtrip),
		cmocka_unit_test(t_map_defaults),
		cmocka_unit_test(t_map_malformed),
		cmocka_unit_test(t_dyn),
		cmocka_unit_test(t_host),
		cmocka_unit_test(t_events),
		cmocka_unit_test(t_ctrl),
		cmocka_unit_test(t_stats),
		cmocka_unit_test(t_extack),
		cmocka_unit_test(t_prefix_parse),
	};

	return TAP_RUN("genl", tests);
}
