// SPDX-License-Identifier: GPL-2.0
/*
 * tc programs for selftests/external.sh, on the external lisp device of
 * namespace A (RLOC 192.0.2.1) that talks to B (RLOC 192.0.2.2,
 * instance-id 100). Built with clang -target bpf, loaded by tc(8); no
 * libbpf headers needed: the two helpers are declared here by number.
 *
 * tx (egress): a packet for 10.2.3.0/24 leaves with instance-id 100 to
 *              B's RLOC, set by bpf_skb_set_tunnel_key.
 * rx (ingress): a packet from 10.2.3.0/24 must carry instance-id 100 and
 *              outer source 192.0.2.2 in its tunnel metadata, or it is
 *              dropped: the ping of the test then fails.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>

#define SEC(name) __attribute__((section(name), used))

static long (*skb_load_bytes)(const void *skb, __u32 off, void *to,
			      __u32 len) = (void *)BPF_FUNC_skb_load_bytes;
static long (*skb_get_tunnel_key)(void *skb, struct bpf_tunnel_key *key,
				  __u32 size, __u64 flags) =
	(void *)BPF_FUNC_skb_get_tunnel_key;
static long (*skb_set_tunnel_key)(void *skb, struct bpf_tunnel_key *key,
				  __u32 size, __u64 flags) =
	(void *)BPF_FUNC_skb_set_tunnel_key;

#define ETH_P_IP_BE	0x0008		/* htons(0x0800), little-endian host */
#define NET_10_2_3	0x0a020300	/* 10.2.3.0/24, host order */
#define RLOC_B		0xc0000202	/* 192.0.2.2, host order */
#define IID		100

/* The IPv4 address at @off of the (L3) packet, host order, in 10.2.3/24? */
static int in_net(struct __sk_buff *skb, __u32 off)
{
	__u8 a[4];

	if (skb->protocol != ETH_P_IP_BE || skb_load_bytes(skb, off, a, 4))
		return 0;
	return ((__u32)a[0] << 24 | (__u32)a[1] << 16 | (__u32)a[2] << 8) ==
	       NET_10_2_3;
}

SEC("tx")
int lisp_tx(struct __sk_buff *skb)
{
	struct bpf_tunnel_key key = {};

	if (!in_net(skb, 16))		/* iphdr.daddr */
		return TC_ACT_UNSPEC;
	key.tunnel_id = IID;
	key.remote_ipv4 = RLOC_B;
	key.tunnel_ttl = 64;
	if (skb_set_tunnel_key(skb, &key, sizeof(key), 0))
		return TC_ACT_SHOT;
	return TC_ACT_UNSPEC;
}

SEC("rx")
int lisp_rx(struct __sk_buff *skb)
{
	struct bpf_tunnel_key key = {};

	if (!in_net(skb, 12))		/* iphdr.saddr */
		return TC_ACT_UNSPEC;
	if (skb_get_tunnel_key(skb, &key, sizeof(key), 0) ||
	    key.tunnel_id != IID || key.remote_ipv4 != RLOC_B)
		return TC_ACT_SHOT;
	return TC_ACT_UNSPEC;
}

char _license[] SEC("license") = "GPL";
