/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer: packet_input() with every role running - ITR, ETR,
 * Map-Server and Map-Resolver of a real configuration - so what a peer
 * sends reaches the real handlers (SMRs, probes and their replies,
 * Map-Registers, Map-Notifies, ECMs), not only the codec.  The kernel
 * and the network are stubs that accept everything; the first byte of
 * each input picks the source address, one of the configured peers or
 * a stranger, so that the handlers that trust a known peer run too.
 * Timers are run with a clock that advances a second per input.  The
 * DDT node answers ECMs with the D bit; bit 0x40 of the first byte
 * makes the Map-Resolver a DDT one (its roots) for that input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "tenant.h"
#include "kernel.h"
#include "net.h"
#include "packet.h"
#include "etr.h"
#include "itr.h"
#include "ms.h"
#include "publish.h"
#include "ddt.h"

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* ---- the kernel and the network: accept, remember nothing ---- */

int kernel_map_replace(const struct kmap *m) { (void)m; return 0; }
int kernel_map_del(const struct prefix *p) { (void)p; return 0; }
int kernel_ctrl_send(uint32_t iid, const struct laddr *r, uint16_t port,
    const uint8_t *pkt, size_t len)
{ (void)iid; (void)r; (void)port; (void)pkt; (void)len; return 0; }
int kernel_map_get(const struct prefix *p, struct kmap *m)
{ (void)p; (void)m; return -ENOENT; }
int kernel_db_add(const struct prefix *p) { (void)p; return 0; }
int kernel_db_del(const struct prefix *p) { (void)p; return 0; }
int kernel_map_dump(uint32_t iid, void (*cb)(const struct kmap *, void *),
    void *arg)
{ (void)iid; (void)cb; (void)arg; return 0; }
int kernel_db_dump(uint32_t iid, void (*cb)(const struct prefix *, void *),
    void *arg)
{ (void)iid; (void)cb; (void)arg; return 0; }
/* Tenant N's device is 4 + N. */
static int
attach(const struct tenant_conf *tc, uint32_t *iid, int *ifindex)
{
	*iid = tc->iid;
	*ifindex = 4 + (int)tc->iid;
	return 0;
}
int net_send(const struct laddr *to, uint16_t port, const void *b, size_t l)
{ (void)to; (void)port; (void)b; (void)l; return 0; }
int net_send_ecm(const struct laddr *to, const struct laddr *isrc,
    const struct laddr *idst, uint16_t isport, const void *msg, size_t len)
{ (void)to; (void)isrc; (void)idst; (void)isport; (void)msg; (void)len;
  return 0; }
int net_local_addr(const struct laddr *dst, struct laddr *src)
{ (void)dst; return addr_parse("192.0.2.1", src); }

/* Mobility's kernel and routing sides: no dynamic-eid configured. */
int kernel_dyn_set(const struct dyneid_conf *d, const int *ifindex, int n)
{ (void)d; (void)ifindex; (void)n; return 0; }
int kernel_dyn_del(const char *name) { (void)name; return 0; }
int kernel_dyn_dump(void (*cb)(const char *, void *), void *arg)
{ (void)cb; (void)arg; return 0; }
int kernel_host_del(const char *policy, const struct prefix *eid,
    bool recheck)
{ (void)policy; (void)eid; (void)recheck; return 0; }
int kernel_host_dump(void (*cb)(const struct khost *, void *), void *arg)
{ (void)cb; (void)arg; return 0; }
int route_init(void) { return 0; }
void route_close(void) { }
void route_table_of(int ifindex, struct route_table *rt)
{ (void)ifindex; rt->table = 254; rt->vrf = 0; }
int route_host_add(const struct prefix *p, const struct laddr *via, int ifindex,
    const struct route_table *rt)
{ (void)p; (void)via; (void)ifindex; (void)rt; return 0; }
int route_host_del(const struct prefix *p, const struct route_table *rt)
{ (void)p; (void)rt; return 0; }

/* Two tenants with the same prefixes: what one is sent, the other is not. */
static const char conf_text[] =
	"roles = { itr, etr, map-server, map-resolver, ddt-node }\n"
	"ddt-authoritative-prefix = { \"10.0.0.0/8\", \"[7]10.0.0.0/8\" }\n"
	"ddt-delegation \"10.3.0.0/16\" { deleg-nodes = { 192.0.2.2 } }\n"
	"ddt-delegation \"[7]10.4.0.0/16\" {\n"
	"  delegation-type = map-server deleg-nodes = { 2001:db8::2 } }\n"
	"ddt-root-addresses = { 198.51.100.1, 192.0.2.9 }\n"
	"map-server 198.51.100.1 { key = \"key-a\" }\n"
	"map-resolver = { 198.51.100.1 }\n"
	"proxy-etr 203.0.113.4 {}\n"
	"rloc-probing = true\n"
	"rloc-probe-interval = 5\n"
	"instance-id 0 { interface = l0\n"
	"database-mapping \"10.1.0.0/24\" { rloc 192.0.2.1 {} rloc 192.0.2.11 {} }\n"
	"database-mapping \"fd01::/64\" { rloc 192.0.2.1 {} }\n"
	"site a { key = \"key-a\" eid-prefix 10.1.0.0/24 {} }\n"
	"site b { key = \"key-b\" eid-prefix 10.2.0.0/16 "
	"{ accept-more-specifics = true } } }\n"
	"instance-id 7 { interface = l7\n"
	"database-mapping \"10.1.0.0/24\" { rloc 192.0.2.1 {} }\n"
	"map-server 198.51.100.1 { key = \"key-c\" }\n"
	"site c { key = \"key-c\" eid-prefix 10.1.0.0/24 {} } }\n";

static const char *const peers[] = {
	"198.51.100.1", "192.0.2.2", "192.0.2.9", "2001:db8::2",
};

static uint64_t	clock_ms = 1000000;
static int	nroots;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	path[] = "/tmp/fuzz_packet.XXXXXX";
	int	fd = mkstemp(path);

	(void)argc;
	(void)argv;
	if (fd < 0 || write(fd, conf_text, sizeof(conf_text) - 1) < 0)
		abort();
	close(fd);
	log_init(true, 0);
	conf = conf_load(path);
	unlink(path);
	if (!conf || tenants_sync(conf, attach, NULL))
		abort();
	ev_set_clock(clock_ms);
	ms_init();
	pub_init();
	etr_init();
	itr_init();
	ddt_mr_init();
	nroots = conf->nddt_root;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct laddr	src;

	if (size < 1)
		return 0;
	addr_parse(peers[data[0] % 4], &src);
	conf->nddt_root = data[0] & 0x40 ? nroots : 0;
	packet_input(data + 1, size - 1, &src, data[0] & 0x80 ? 4342 : 61000);
	clock_ms += 1000;
	ev_set_clock(clock_ms);
	timer_run(clock_ms);
	return 0;
}
