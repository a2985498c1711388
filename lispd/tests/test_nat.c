/* SPDX-License-Identifier: MIT */
/*
 * NAT discovery without sockets.  The Map-Server's Info-Reply
 * (nat_ms.c): what an xTR behind a NAT learns from it (its translated
 * address and port, the Map-Server's RLOC, the RTRs of rtr-address),
 * signed with its site's key; what is refused and counted (a wrong key,
 * no key, an EID of no site, malformed requests, more than the rate
 * allows).  The xTR (nat_xtr.c): Info-Requests to each map-server at
 * once and every info-request-interval, signed with its key; what
 * "lispctl show nat" then says (behind a NAT or not, the translated
 * address and port, the RTRs, the binding's age); a new port taken only
 * from a fresh authenticated reply, never from a replayed, forged or
 * unasked-for one.
 *
 * Registration through an RTR, the xTR (nat_reg.c), the RTR (rtr.c)
 * and the Map-Server (ms.c) in one process, each message handed on by
 * hand as the kernel and the network would carry it.
 * What is checked: the xTR's Data-Map-Register (inner IP to the RTR,
 * ECM with the R bit to the Map-Server, a Map-Register with P, I and M
 * whose locator is the RTR, signed) and its catch-all entry to the RTR;
 * the RTR relays it to its map-server only, commits the NAT's address
 * and port into the kernel only on that Map-Server's Map-Notify, and
 * sends the Map-Notify on to the xTR, which takes it as its
 * registration's acknowledgement; a replayed Data-Map-Register from
 * another port does not move the binding, a fresh one after a NAT
 * reboot does; bindings age out, and their number is limited.
 */
#include "tap.h"
#include "util.h"
#include "core.h"
#include "conf.h"
#include "kernel.h"
#include "net.h"
#include "packet.h"
#include "stats.h"
#include "ms.h"
#include "tenant.h"
#include "nat.h"
#include "daemon.h"

/* ---- the network, recorded ---- */

static struct laddr	sent_to;
static uint16_t		sent_port;
static uint8_t		sent_buf[2048];
static size_t		sent_len;
static int		nsent;

int
net_send(const struct laddr *to, uint16_t port, const void *buf, size_t len)
{
	sent_to = *to;
	sent_port = port;
	sent_len = len < sizeof(sent_buf) ? len : sizeof(sent_buf);
	memcpy(sent_buf, buf, sent_len);
	nsent++;
	return 0;
}

int
net_send_ecm(const struct laddr *to, const struct laddr *isrc,
    const struct laddr *idst, uint16_t isport, const void *msg, size_t len)
{
	(void)isrc;
	(void)idst;
	(void)isport;
	return net_send(to, LISP_CONTROL_PORT, msg, len);
}

/* ---- the kernel, recorded (registration through an RTR) ---- */

static struct kmap	kmap_last;	/* the last entry replaced */
static int		nreplace, ndel;
static struct prefix	del_last;

int
kernel_map_replace(const struct kmap *m)
{
	kmap_last = *m;
	nreplace++;
	return 0;
}

int
kernel_map_del(const struct prefix *p)
{
	del_last = *p;
	ndel++;
	return 0;
}

/* What the kernel would carry in a data packet. */
static struct laddr	ctrl_to;
static uint16_t		ctrl_port;
static uint8_t		ctrl_buf[4096];
static size_t		ctrl_len;
static int		nctrl;

int
kernel_ctrl_send(uint32_t iid, const struct laddr *rloc, uint16_t port,
    const uint8_t *pkt, size_t len)
{
	assert_int_equal(iid, 0);
	ctrl_to = *rloc;
	ctrl_port = port;
	ctrl_len = len;
	memcpy(ctrl_buf, pkt, len);
	nctrl++;
	return 0;
}

/* Our address: the Map-Server's towards the NAT, or the xTR's behind it. */
static const char	*local_addr = "192.0.2.1";

int
net_local_addr(const struct laddr *dst, struct laddr *src)
{
	(void)dst;
	return addr_parse(local_addr, src);
}

static int
attach(const struct tenant_conf *tc, uint32_t *iid, int *ifindex)
{
	*iid = tc->iid;
	*ifindex = 4;
	return 0;
}

/* ---- the Map-Server ---- */

static const char ms_conf[] =
	"roles = { map-server }\n"
	"rtr-address = { 203.0.113.9, 2001:db8::9 }\n"
	"site branch {\n"
	"  key = kb\n"
	"  eid-prefix 10.1.0.0/16 {}\n"
	"}\n";

static int
ms_setup(void **state)
{
	(void)state;
	conf = conf_from_text(ms_conf);
	local_addr = "192.0.2.1";
	clock_ms += 3600 * 1000;	/* a full rate-limit bucket */
	ev_set_clock(clock_ms);
	ms_init();
	nsent = 0;
	memset(stats, 0, sizeof(stats));
	memset(stats_malformed, 0, sizeof(stats_malformed));
	return 0;
}

static int
ms_teardown(void **state)
{
	(void)state;
	ms_shutdown(false);
	conf_free(conf);
	conf = NULL;
	return 0;
}

static uint8_t		req[512], rep[512];
static struct lisp_info	m;

/* An Info-Request for eid signed with key (NULL: lispers.net's, none). */
static size_t
mkinfo(const char *key, uint64_t nonce, const char *eid)
{
	struct prefix		p = P(eid);
	int			n;

	memset(&m, 0, sizeof(m));
	m.nonce = nonce;
	m.mlen = p.plen;
	prefix_to_lisp(&p, &m.eid);
	if (key)
		m.alg_id = LISP_ALG_SHA256_128;
	n = lisp_info_encode(req, sizeof(req), &m);
	assert_true(n > 0);
	if (key)
		assert_int_equal(lisp_auth_sign(req, (size_t)n, key,
		    strlen(key)), 0);
	return (size_t)n;
}

/* The request from the NAT's address and port, as the MS sees it. */
static void
ms_input(size_t n)
{
	struct pkt	p = from("198.51.100.7");

	p.sport = 61000;
	nat_ms_handle_request(&p, req, n);
}

static void
t_reply(void **state)
{
	struct prefix	p;
	char		a[PREFIXSTRLEN];

	(void)state;
	ms_input(mkinfo("kb", 0x1234, "10.1.0.0/16"));
	assert_int_equal(nsent, 1);
	/* Back through the NAT: to the address and port it came from. */
	assert_string_equal(addr_fmt(&sent_to, a, sizeof(a)), "198.51.100.7");
	assert_int_equal(sent_port, 61000);
	assert_int_equal(lisp_auth_verify(sent_buf, sent_len, "kb", 2), 0);
	assert_int_equal(lisp_info_decode(sent_buf, sent_len, &m), 0);
	assert_true(m.reply);
	assert_true(m.nonce == 0x1234);
	assert_int_equal(m.alg_id, LISP_ALG_SHA256_128);
	assert_int_equal(m.ttl, NAT_INFO_TTL);
	assert_int_equal(prefix_from_lisp(&m.eid, m.mlen, &p), 0);
	assert_string_equal(prefix_fmt(&p, a, sizeof(a)), "10.1.0.0/16");
	assert_int_equal(m.nat.etr_port, 61000);
	assert_int_equal(m.nat.global_etr.afi, LISP_AFI_IPV4);
	assert_memory_equal(m.nat.global_etr.addr, "\xc6\x33\x64\x07", 4);
	assert_int_equal(m.nat.ms_port, LISP_CONTROL_PORT);
	assert_memory_equal(m.nat.ms.addr, "\xc0\x00\x02\x01", 4);
	assert_int_equal(m.nat.private_etr.afi, LISP_AFI_NONE);
	assert_int_equal(m.nat.nrtr, 2);
	assert_memory_equal(m.nat.rtr[0].addr, "\xcb\x00\x71\x09", 4);
	assert_int_equal(m.nat.rtr[1].afi, LISP_AFI_IPV6);
	assert_int_equal(stats[ST_INFO_RX], 1);
	assert_int_equal(stats[ST_INFO_REPLY_TX], 1);
	assert_int_equal(stats[ST_RX_REFUSED], 0);
	assert_string_equal(stat_name(ST_INFO_REPLY_TX), "info-reply-sent");
}

static void
t_refused(void **state)
{
	size_t	n, i;

	(void)state;
	ms_input(mkinfo("other", 1, "10.1.0.0/16"));
	assert_int_equal(stats[ST_INFO_AUTH], 1);
	ms_input(mkinfo(NULL, 2, "10.1.0.0/16"));	/* unsigned */
	assert_int_equal(stats[ST_INFO_AUTH], 2);
	ms_input(mkinfo("kb", 3, "10.9.0.0/16"));	/* no site's */
	assert_int_equal(stats[ST_INFO_REJECT], 1);
	/* lispers.net's: no EID, so no site and no key. */
	n = hex(req, sizeof(req), "70000000 1122334455667788 0000 0000"
	    "00000000 00 00 0000 0011 6272616e63682d3100");
	ms_input(n);
	assert_int_equal(stats[ST_INFO_REJECT], 2);
	/* Every truncation of a good one is malformed, counted by reason. */
	n = mkinfo("kb", 4, "10.1.0.0/16");
	for (i = 0; i < n; i++)
		ms_input(i);
	assert_int_equal(stats[ST_RX_BAD], n);
	assert_int_equal(stats[ST_RX_REFUSED], 4 + n);
	assert_int_equal(nsent, 0);
	assert_string_equal(stat_name(ST_INFO_AUTH), "info-request-auth-failed");
	assert_string_equal(stat_name(ST_INFO_REJECT), "info-request-no-site");
}

/* At most NAT_INFO_RATE answered in a second; the bucket refills. */
static void
t_rate(void **state)
{
	size_t	n = mkinfo("kb", 5, "10.1.0.0/16");
	int	i;

	(void)state;
	for (i = 0; i < NAT_INFO_RATE + 50; i++)
		ms_input(n);
	assert_int_equal(nsent, NAT_INFO_RATE);
	assert_int_equal(stats[ST_INFO_RATELIMIT], 50);
	assert_string_equal(stat_name(ST_INFO_RATELIMIT),
	    "info-request-rate-limited");
	advance(1000);
	ms_input(n);
	assert_int_equal(nsent, NAT_INFO_RATE + 1);
}

/* rtr-address: a Map-Server's, at most LISP_MAX_RTR, each an address. */
static void
t_ms_config(void **state)
{
	(void)state;
	{
		static const char *const bad[] = {
			"roles = { itr }\nmap-resolver = { 192.0.2.1 }\n"
			"rtr-address = { 203.0.113.9 }\n",
			"roles = { map-server }\nrtr-address = { nonsense }\n",
			"roles = { map-server }\nrtr-address = { 1.1.1.1,"
			" 1.1.1.2, 1.1.1.3, 1.1.1.4, 1.1.1.5, 1.1.1.6,"
			" 1.1.1.7, 1.1.1.8, 1.1.1.9 }\n",
		};
		static const char *const why[] = {
			"rtr-address given but role map-server is not",
			"nonsense",
			"rtr-address: more than 8 addresses",
		};
		char	path[] = "/tmp/lispd-nat-conf.XXXXXX";
		size_t	i;
		int	fd;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			fd = mkstemp(path);
			assert_true(fd >= 0);
			assert_true(write(fd, bad[i], strlen(bad[i])) > 0);
			close(fd);
			assert_null(conf_load(path));
			unlink(path);
			assert_non_null(strstr(conf_errors(), why[i]));
			snprintf(path, sizeof(path), "/tmp/lispd-nat-conf.XXXXXX");
		}
	}
	assert_int_equal(conf->nrtr, 2);
}

/* ---- the xTR ---- */

/*
 * Its own map-server, for t_both; and the RTR, for registration through
 * it: the tenant's map-server is the RTR's (to relay to) and the xTR's
 * (to register with).
 */
static const char xtr_conf[] =
	"roles = { itr, etr, map-server, rtr }\n"
	"rtr-address = { 203.0.113.9 }\n"
	"rtr-max-xtrs = 1\n"
	"site branch {\n"
	"  key = kb\n"
	"  eid-prefix 10.1.0.0/16 {}\n"
	"}\n"
	"map-resolver = { 192.0.2.1 }\n"
	"map-server 192.0.2.1 { key = kb }\n"
	"nat-traversal = yes\n"
	"info-request-interval = 15\n"
	"database-mapping 10.1.0.0/16 { rloc 10.0.0.5 {} }\n";

static int
xtr_setup(void **state)
{
	(void)state;
	conf = conf_from_text(xtr_conf);
	local_addr = "10.0.0.5";
	clock_ms += 3600 * 1000;
	ev_set_clock(clock_ms);
	nsent = nctrl = nreplace = ndel = 0;
	memset(stats, 0, sizeof(stats));
	assert_int_equal(tenants_sync(conf, attach, NULL), 0);
	ms_init();
	rtr_init();
	nat_xtr_init();
	return 0;
}

static int
xtr_teardown(void **state)
{
	(void)state;
	nat_xtr_shutdown();
	rtr_shutdown();
	ms_shutdown(false);
	tenants_free(NULL);
	conf_free(conf);
	conf = NULL;
	return 0;
}

/* The Map-Server's answer to the last request: the NAT's port is port. */
static size_t
answer(const char *key, uint16_t port, int nrtr)
{
	struct laddr	a;
	struct lisp_addr la;
	int		n;

	assert_int_equal(lisp_info_decode(sent_buf, sent_len, &m), 0);
	m.reply = true;
	m.ttl = 1;
	m.auth_len = 0;
	m.nat.ms_port = LISP_CONTROL_PORT;
	m.nat.etr_port = port;
	a = A("198.51.100.7");
	laddr_to_lisp(&a, &la);
	m.nat.global_etr = la.ip;
	a = A("192.0.2.1");
	laddr_to_lisp(&a, &la);
	m.nat.ms = la.ip;
	m.nat.nrtr = (uint8_t)nrtr;
	a = A("203.0.113.9");
	laddr_to_lisp(&a, &la);
	m.nat.rtr[0] = la.ip;
	n = lisp_info_encode(rep, sizeof(rep), &m);
	assert_true(n > 0);
	assert_int_equal(lisp_auth_sign(rep, (size_t)n, key, strlen(key)), 0);
	return (size_t)n;
}

static void
input(size_t n)
{
	nat_xtr_handle_reply(&(struct pkt){ .src = A("192.0.2.1"),
	    .sport = LISP_CONTROL_PORT }, rep, n);
}

/* A field of the show row of map-server 192.0.2.1. */
static const char *
show(const char *field)
{
	return row_field(nat_xtr_show(), "map-server", "192.0.2.1", NULL,
	    NULL, field);
}

static void
t_request(void **state)
{
	char	a[ADDRSTRLEN];

	(void)state;
	/* At once, to the map-server's control port, signed with its key. */
	assert_int_equal(nsent, 1);
	assert_string_equal(addr_fmt(&sent_to, a, sizeof(a)), "192.0.2.1");
	assert_int_equal(sent_port, LISP_CONTROL_PORT);
	assert_int_equal(lisp_auth_verify(sent_buf, sent_len, "kb", 2), 0);
	assert_int_equal(lisp_info_decode(sent_buf, sent_len, &m), 0);
	assert_false(m.reply);
	assert_int_equal(m.mlen, 16);
	assert_int_equal(m.alg_id, LISP_ALG_SHA256_128);
	assert_string_equal(show("state"), "unknown");
	/* Then every 15 s. */
	advance(14000);
	assert_int_equal(nsent, 1);
	advance(1000);
	assert_int_equal(nsent, 2);
	assert_int_equal(stats[ST_INFO_TX], 2);
	assert_string_equal(show("sent"), "2");
}

static void
t_behind_nat(void **state)
{
	(void)state;
	input(answer("kb", 61000, 1));
	assert_int_equal(stats[ST_INFO_REPLY_RX], 1);
	assert_string_equal(show("state"), "behind-nat");
	assert_string_equal(show("translated"), "198.51.100.7");
	assert_string_equal(show("port"), "61000");
	assert_string_equal(show("private"), "10.0.0.5");
	assert_string_equal(show("rtrs"), "[ \"203.0.113.9\" ]");
	assert_string_equal(show("binding-age"), "0");
	advance(15000);
	assert_string_equal(show("binding-age"), "15");
	/* The same binding again: its age goes on. */
	input(answer("kb", 61000, 1));
	assert_string_equal(show("binding-age"), "15");
	assert_string_equal(show("last-reply"), "0");
	assert_int_equal(stats[ST_NAT_CHANGED], 0);
}

/* The NAT rebooted: a new port, from a fresh signed exchange only. */
static void
t_new_port(void **state)
{
	size_t	n, old;
	uint8_t	saved[512];

	(void)state;
	input(answer("kb", 61000, 1));
	old = answer("kb", 61000, 1);	/* its bytes, replayed below */
	memcpy(saved, rep, old);
	advance(15000);			/* a new request */
	/* Forged: another key. */
	input(answer("other", 1024, 0));
	assert_int_equal(stats[ST_INFO_REPLY_AUTH], 1);
	assert_string_equal(show("port"), "61000");
	/* Fresh and signed: taken. */
	n = answer("kb", 1024, 0);
	input(n);
	assert_string_equal(show("port"), "1024");
	assert_string_equal(show("rtrs"), "[ ]");
	assert_string_equal(show("binding-age"), "0");
	assert_int_equal(stats[ST_NAT_CHANGED], 1);
	/* Replayed, the same or the older one: their nonces are used up. */
	input(n);
	memcpy(rep, saved, old);
	input(old);
	assert_int_equal(stats[ST_INFO_REPLY_NONCE], 2);
	assert_string_equal(show("port"), "1024");
	assert_int_equal(stats[ST_INFO_REPLY_RX], 2);
	assert_string_equal(stat_name(ST_INFO_REPLY_NONCE),
	    "info-reply-unknown-nonce");
	assert_string_equal(stat_name(ST_NAT_CHANGED), "nat-binding-changed");
}

/* Not behind a NAT: the map-server saw our own address and port. */
static void
t_no_nat(void **state)
{
	struct laddr	 a = A("10.0.0.5");
	struct lisp_addr la;
	size_t		 n = answer("kb", LISP_CONTROL_PORT, 0);

	(void)state;
	laddr_to_lisp(&a, &la);
	m.nat.global_etr = la.ip;
	n = (size_t)lisp_info_encode(rep, sizeof(rep), &m);
	assert_int_equal(lisp_auth_sign(rep, n, "kb", 2), 0);
	input(n);
	assert_string_equal(show("state"), "no-nat");
	/* Malformed replies are counted by reason. */
	input(3);
	assert_int_equal(stats[ST_RX_BAD], 1);
}

/* Our request through a Map-Server, through the NAT, and back. */
static void
t_both(void **state)
{
	struct pkt	p = from("198.51.100.7");

	(void)state;
	memcpy(req, sent_buf, sent_len);
	p.sport = 61000;
	nat_ms_handle_request(&p, req, sent_len);
	assert_int_equal(nsent, 2);
	assert_int_equal(sent_port, 61000);
	memcpy(rep, sent_buf, sent_len);
	input(sent_len);
	assert_string_equal(show("state"), "behind-nat");
	assert_string_equal(show("translated"), "198.51.100.7");
	assert_string_equal(show("port"), "61000");
	assert_string_equal(show("rtrs"), "[ \"203.0.113.9\" ]");
	assert_string_equal(show("replies"), "1");
}

/* A configuration refused, and why. */
static void
conf_refused(const char *text, const char *why)
{
	char	path[] = "/tmp/lispd-nat-xtr.XXXXXX";
	int	fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_true(write(fd, text, strlen(text)) > 0);
	close(fd);
	assert_null(conf_load(path));
	unlink(path);
	assert_non_null(strstr(conf_errors(), why));
}

/*
 * nat-traversal needs what an Info-Request is made of; role rtr is an
 * ITR too, and needs the map-servers it relays to.
 */
static void
t_xtr_config(void **state)
{
	char	r[64];

	(void)state;
	conf_refused("roles = { itr }\nmap-resolver = { 192.0.2.1 }\n"
	    "nat-traversal = yes\n",
	    "nat-traversal needs role etr, a map-server and a database-mapping");
	conf_refused("roles = { rtr }\nxtr-interface = lisp0\n"
	    "map-resolver = { 192.0.2.1 }\n",
	    "role rtr needs a map-server");
	conf_refused("roles = { rtr }\nrtr-max-xtrs = 0\n",
	    "rtr-max-xtrs: 0 is not 1 to 65536");
	assert_true(conf->tenant[0].nat_traversal);
	assert_int_equal(conf->info_interval, 15);
	assert_string_equal(conf_roles_fmt(conf->roles, r, sizeof(r)),
	    "itr etr map-server rtr");
	assert_int_equal(conf->rtr_max_xtrs, 1);
}

/* ---- registration through an RTR ---- */

/* A Data-Map-Register reaches the RTR through the NAT's nat_port. */
static void
rtr_gets(const uint8_t *pkt, size_t len, uint16_t nat_port)
{
	struct lisp_ecm	in;

	assert_int_equal(lisp_udp_decode(pkt, len, &in), 0);
	rtr_handle_ctrl(0, &(struct laddr){ .family = AF_INET,
	    .a = { 198, 51, 100, 7 } }, nat_port, &in);
}

/* What the RTR relayed reaches the Map-Server, and its answer the RTR. */
static bool
ms_answers(void)
{
	static struct lisp_mapreg mn;
	struct pkt	p = from("203.0.113.9");
	int		before = nsent;

	ms_handle_register(&p, sent_buf, sent_len, ev_now());
	if (nsent == before)
		return false;
	assert_int_equal(lisp_mapnotify_decode(sent_buf, sent_len, &mn), 0);
	assert_true(rtr_handle_notify(&(struct pkt){ .src = A("192.0.2.1"),
	    .sport = LISP_CONTROL_PORT }, sent_buf, sent_len, &mn));
	return true;
}

/* The RTR's Data-Map-Notify reaches the xTR. */
static bool
xtr_gets_notify(void)
{
	static struct lisp_mapreg mn;
	struct lisp_ecm	in;

	assert_int_equal(lisp_udp_decode(ctrl_buf, ctrl_len, &in), 0);
	assert_int_equal(lisp_mapnotify_decode(in.msg, in.msg_len, &mn), 0);
	return nat_xtr_handle_notify(in.msg, in.msg_len, &mn);
}

static const char *
rtr_field(const char *field)
{
	return row_field(rtr_show(json_object_new_array()), "role", "rtr",
	    NULL, NULL, field);
}

static const char *
xtr_field(const char *field)
{
	json_object	*arr = nat_xtr_show(), *o, *r, *v;
	static char	 out[64];

	snprintf(out, sizeof(out), "none");
	o = json_object_array_get_idx(arr, 0);
	if (o && json_object_object_get_ex(o, "rtr-registration", &r) &&
	    json_object_object_get_ex(r, field, &v))
		snprintf(out, sizeof(out), "%s", json_object_get_string(v));
	json_object_put(arr);
	return out;
}

static void
t_data_map_register(void **state)
{
	static struct lisp_mapreg mr;
	struct lisp_ecm	in, e;
	char		a[ADDRSTRLEN];
	int		n;

	(void)state;
	assert_int_equal(nctrl, 0);	/* nothing before the Info-Reply */
	input(answer("kb", 61000, 1));
	/* Everything to the RTR, from our port 4341. */
	assert_int_equal(nreplace, 1);
	assert_string_equal(prefix_fmt(&kmap_last.eid, a, sizeof(a)),
	    "0.0.0.0/0");
	assert_int_equal(kmap_last.nrloc, 1);
	assert_string_equal(addr_fmt(&kmap_last.rloc[0].addr, a, sizeof(a)),
	    "203.0.113.9");
	assert_int_equal(kmap_last.rloc_flags, LISP_RLOC_F_FIXED_SPORT);
	/* At once, inside a data packet to the RTR's port (0: 4341). */
	assert_int_equal(nctrl, 1);
	assert_string_equal(addr_fmt(&ctrl_to, a, sizeof(a)), "203.0.113.9");
	assert_int_equal(ctrl_port, 0);
	assert_int_equal(lisp_udp_decode(ctrl_buf, ctrl_len, &in), 0);
	assert_int_equal(in.ipver, 4);
	assert_memory_equal(in.src, "\x0a\x00\x00\x05", 4);
	assert_memory_equal(in.dst, "\xcb\x00\x71\x09", 4);
	assert_int_equal(in.sport, LISP_CONTROL_PORT);
	assert_int_equal(in.dport, LISP_CONTROL_PORT);
	assert_int_equal(lisp_ecm_decode(in.msg, in.msg_len, &e), 0);
	assert_int_equal(e.flags, LISP_ECM_R);
	assert_memory_equal(e.dst, "\xc0\x00\x02\x01", 4);
	assert_int_equal(lisp_mapreg_decode(e.msg, e.msg_len, &mr), 0);
	assert_int_equal(mr.flags & (LISP_MREG_P | LISP_MREG_I | LISP_MREG_M),
	    LISP_MREG_P | LISP_MREG_I | LISP_MREG_M);
	assert_int_equal(mr.nrec, 1);
	assert_int_equal(mr.rec[0].nloc, 1);
	assert_memory_equal(mr.rec[0].loc[0].addr.ip.addr, "\xcb\x00\x71\x09",
	    4);
	assert_int_equal(lisp_auth_verify(e.msg, e.msg_len, "kb", 2), 0);
	assert_int_equal(stats[ST_NAT_REG_TX], 1);
	assert_string_equal(xtr_field("state"), "not-registered");
	/*
	 * Unacknowledged, again after 1 s, 2 s, ...; and at each interval
	 * a new message: the registration's refresh and the keepalive of
	 * the NAT binding.
	 */
	advance(1000);
	assert_int_equal(nctrl, 2);
	n = nctrl;
	advance(14000);
	assert_true(nctrl > n);
	assert_int_equal(stats[ST_NAT_REG_TX], (uint64_t)nctrl);
}

static void
t_through_rtr(void **state)
{
	static struct lisp_mapreg mr;
	json_object	*site;
	uint8_t		dmr[2048];
	size_t		dmr_len;
	struct lisp_ecm	in, e;
	char		a[ADDRSTRLEN];
	int		n;

	(void)state;
	input(answer("kb", 61000, 1));
	nsent = 0;
	nreplace = 0;
	dmr_len = ctrl_len;
	memcpy(dmr, ctrl_buf, ctrl_len);
	/* The RTR relays the Map-Register as it is, to the map-server. */
	rtr_gets(dmr, dmr_len, 61000);
	assert_int_equal(nsent, 1);
	assert_string_equal(addr_fmt(&sent_to, a, sizeof(a)), "192.0.2.1");
	assert_int_equal(lisp_udp_decode(dmr, dmr_len, &in), 0);
	assert_int_equal(lisp_ecm_decode(in.msg, in.msg_len, &e), 0);
	assert_int_equal(sent_len, e.msg_len);
	assert_memory_equal(sent_buf, e.msg, e.msg_len);
	assert_int_equal(stats[ST_RTR_RELAYED], 1);
	/* Nothing committed before the Map-Server accepted it. */
	assert_int_equal(nreplace, 0);
	assert_string_equal(rtr_field("port"), "none");
	assert_true(ms_answers());
	/* Now the xTR's EIDs go to the NAT's address and port. */
	assert_int_equal(nreplace, 1);
	assert_string_equal(prefix_fmt(&kmap_last.eid, a, sizeof(a)),
	    "10.1.0.0/16");
	assert_string_equal(addr_fmt(&kmap_last.rloc[0].addr, a, sizeof(a)),
	    "198.51.100.7");
	assert_int_equal(kmap_last.port[0], 61000);
	assert_int_equal(kmap_last.rloc_flags, LISP_RLOC_F_FIXED_SPORT);
	assert_string_equal(rtr_field("nat"), "198.51.100.7");
	assert_string_equal(rtr_field("port"), "61000");
	assert_string_equal(rtr_field("private"), "10.0.0.5");
	assert_non_null(strstr(rtr_field("eids"), "10.1.0.0"));
	/* The Map-Server knows the xTR by the RTR. */
	site = ms_show();
	assert_non_null(strstr(json_object_to_json_string(site),
	    "203.0.113.9"));
	json_object_put(site);
	/* The Map-Notify goes on to the xTR through the NAT. */
	assert_string_equal(addr_fmt(&ctrl_to, a, sizeof(a)), "198.51.100.7");
	assert_int_equal(ctrl_port, 61000);
	assert_int_equal(lisp_udp_decode(ctrl_buf, ctrl_len, &in), 0);
	assert_memory_equal(in.src, "\xcb\x00\x71\x09", 4);
	assert_memory_equal(in.dst, "\x0a\x00\x00\x05", 4);
	assert_int_equal(stats[ST_RTR_NOTIFY_TX], 1);
	assert_true(xtr_gets_notify());
	assert_string_equal(xtr_field("state"), "registered");

	/* Replayed from another port: not relayed, the binding stays. */
	n = nsent;
	rtr_gets(dmr, dmr_len, 40000);
	assert_int_equal(nsent, n);
	assert_int_equal(stats[ST_RTR_REPLAY], 1);
	assert_string_equal(rtr_field("port"), "61000");

	/* Its Map-Register to no map-server of ours: refused. */
	assert_int_equal(lisp_udp_decode(dmr, dmr_len, &in), 0);
	assert_int_equal(lisp_ecm_decode(in.msg, in.msg_len, &e), 0);
	e.dst[3] = 99;
	n = lisp_ecm_encode(dmr + 200, sizeof(dmr) - 200, &e);
	assert_true(n > 0);
	in.msg = dmr + 200;
	in.msg_len = (size_t)n;
	n = nsent;
	rtr_handle_ctrl(0, &(struct laddr){ .family = AF_INET,
	    .a = { 198, 51, 100, 7 } }, 40001, &in);
	assert_int_equal(nsent, n);
	assert_int_equal(stats[ST_RTR_REFUSED], 1);

	/* The NAT rebooted: the next one, fresh, moves the binding. */
	advance(15000);
	rtr_gets(ctrl_buf, ctrl_len, 62000);
	assert_string_equal(rtr_field("port"), "61000");
	assert_true(ms_answers());
	assert_string_equal(rtr_field("port"), "62000");
	assert_int_equal(kmap_last.port[0], 62000);
	assert_int_equal(stats[ST_NAT_CHANGED], 1);
	assert_string_equal(rtr_field("refreshes"), "2");

	/* A Map-Notify nobody waits for is not the RTR's. */
	memset(&mr, 0, sizeof(mr));
	mr.nonce = 12345;
	assert_false(rtr_handle_notify(&(struct pkt){ .src = A("192.0.2.1") },
	    sent_buf, sent_len, &mr));

	/* Three intervals without a refresh: gone, with its entries. */
	ndel = 0;
	advance(15000);
	advance(15000);
	advance(15000);
	assert_string_equal(rtr_field("port"), "62000");
	advance(15000);
	assert_string_equal(rtr_field("port"), "none");
	assert_int_equal(ndel, 1);
	assert_string_equal(prefix_fmt(&del_last, a, sizeof(a)),
	    "10.1.0.0/16");
}

/*
 * Open Overlay Router's xTR: the ECM straight to the RTR's control
 * port; the binding is its source, and the Map-Notify goes back from
 * the control port behind a LISP data header.
 */
static void
t_oor_form(void **state)
{
	struct lisp_ecm	in, e;
	struct pkt	p = from("198.51.100.7");
	char		a[ADDRSTRLEN];
	int		n;

	(void)state;
	input(answer("kb", 61000, 1));
	assert_int_equal(lisp_udp_decode(ctrl_buf, ctrl_len, &in), 0);
	assert_int_equal(lisp_ecm_decode(in.msg, in.msg_len, &e), 0);
	p.sport = 61001;
	p.dst = A("203.0.113.9");
	nsent = 0;
	rtr_handle_ecm(&p, &e);
	assert_int_equal(nsent, 1);		/* relayed */
	nctrl = 0;
	assert_true(ms_answers());
	assert_string_equal(rtr_field("port"), "61001");
	assert_int_equal(nctrl, 0);		/* not through the kernel */
	assert_string_equal(addr_fmt(&sent_to, a, sizeof(a)), "198.51.100.7");
	assert_int_equal(sent_port, 61001);
	assert_int_equal(sent_buf[0], 0x08);	/* I bit */
	assert_memory_equal(sent_buf + 4, "\xff\xff\xff", 3);
	assert_int_equal(lisp_udp_decode(sent_buf + 8, sent_len - 8, &in), 0);
	assert_memory_equal(in.src, "\xcb\x00\x71\x09", 4);
	assert_memory_equal(in.dst, "\x0a\x00\x00\x05", 4);
	assert_int_equal(lisp_msg_type(in.msg, in.msg_len), LISP_MSG_NOTIFY);
	/*
	 * OOR re-registers once a minute, not every info-request-interval
	 * (15 s here): its binding outlives three intervals, not three
	 * minutes.
	 */
	ndel = 0;
	for (n = 0; n < 12; n++)
		advance(15000);
	assert_string_equal(rtr_field("port"), "61001");
	advance(15000);
	advance(15000);
	assert_string_equal(rtr_field("port"), "none");
	assert_int_equal(ndel, 1);
}

/* rtr-max-xtrs: another xTR-ID than the one registered is refused. */
static void
t_limit(void **state)
{
	static struct lisp_mapreg mr;
	uint8_t		reg[2048], out[2048], dmr[2048];
	size_t		dmr_len;
	struct lisp_ecm	in, e;
	int		n;

	(void)state;
	input(answer("kb", 61000, 1));
	dmr_len = ctrl_len;
	memcpy(dmr, ctrl_buf, ctrl_len);
	rtr_gets(dmr, dmr_len, 61000);
	assert_true(ms_answers());
	/* The same Map-Register from another xTR-ID, re-signed. */
	assert_int_equal(lisp_udp_decode(dmr, dmr_len, &in), 0);
	assert_int_equal(lisp_ecm_decode(in.msg, in.msg_len, &e), 0);
	assert_int_equal(lisp_mapreg_decode(e.msg, e.msg_len, &mr), 0);
	mr.xtr_id[0] ^= 0xff;
	mr.nonce++;
	mr.type = LISP_MSG_REGISTER;
	mr.auth_len = 0;
	n = lisp_mapreg_encode(reg, sizeof(reg), &mr);
	assert_int_equal(lisp_auth_sign(reg, (size_t)n, "kb", 2), 0);
	e.msg = reg;
	e.msg_len = (size_t)n;
	n = lisp_ecm_encode(out, sizeof(out), &e);
	in.msg = out;
	in.msg_len = (size_t)n;
	rtr_handle_ctrl(0, &(struct laddr){ .family = AF_INET,
	    .a = { 198, 51, 100, 8 } }, 1000, &in);
	assert_int_equal(stats[ST_RTR_RELAYED], 2);
	nctrl = 0;
	assert_true(ms_answers());
	assert_int_equal(stats[ST_RTR_FULL], 1);
	assert_int_equal(nctrl, 0);		/* no Data-Map-Notify */
	assert_string_equal(rtr_field("nat"), "198.51.100.7");
}

/*
 * A registration one of our RTRs relayed: locators other than the
 * RTRs (OOR's private RLOC) are kept at priority 255, never used.
 */
static void
t_relayed_private(void **state)
{
	static struct lisp_rec	rec;
	const struct lisp_rec	*out;
	struct pkt		p = from("203.0.113.9");

	(void)state;
	memset(&rec, 0, sizeof(rec));
	rec.nloc = 2;
	laddr_to_lisp(&(struct laddr){ .family = AF_INET,
	    .a = { 10, 0, 0, 5 } }, &rec.loc[0].addr);
	laddr_to_lisp(&(struct laddr){ .family = AF_INET,
	    .a = { 203, 0, 113, 9 } }, &rec.loc[1].addr);
	rec.loc[0].priority = rec.loc[1].priority = 1;
	out = ms_relayed_record(&p, &rec);
	assert_ptr_not_equal(out, &rec);
	assert_int_equal(out->nloc, 2);
	assert_int_equal(out->loc[0].priority, 255);
	assert_int_equal(out->loc[1].priority, 1);
	assert_int_equal(rec.loc[0].priority, 1);	/* as sent */
	/* Registered directly, by anyone else: as it came. */
	p = from("198.51.100.7");
	assert_ptr_equal(ms_relayed_record(&p, &rec), &rec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_reply, ms_setup, ms_teardown),
		cmocka_unit_test_setup_teardown(t_relayed_private, ms_setup,
		    ms_teardown),
		cmocka_unit_test_setup_teardown(t_refused, ms_setup, ms_teardown),
		cmocka_unit_test_setup_teardown(t_rate, ms_setup, ms_teardown),
		cmocka_unit_test_setup_teardown(t_ms_config, ms_setup,
		    ms_teardown),
		cmocka_unit_test_setup_teardown(t_request, xtr_setup,
		    xtr_teardown),
		cmocka_unit_test_setup_teardown(t_behind_nat, xtr_setup,
		    xtr_teardown),
		cmocka_unit_test_setup_teardown(t_new_port, xtr_setup,
		    xtr_teardown),
		cmocka_unit_test_setup_teardown(t_no_nat, xtr_setup,
		    xtr_teardown),
		cmocka_unit_test_setup_teardown(t_both, xtr_setup,
		    xtr_teardown),
		cmocka_unit_test_setup_teardown(t_xtr_config, xtr_setup,
		    xtr_teardown),
		cmocka_unit_test_setup_teardown(t_data_map_register, xtr_setup,
		    xtr_teardown),
		cmocka_unit_test_setup_teardown(t_through_rtr, xtr_setup,
		    xtr_teardown),
		cmocka_unit_test_setup_teardown(t_limit, xtr_setup,
		    xtr_teardown),
		cmocka_unit_test_setup_teardown(t_oor_form, xtr_setup,
		    xtr_teardown),
	};

	return TAP_RUN("nat", tests);
}
