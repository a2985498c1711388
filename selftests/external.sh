#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# External (collect-metadata) mode: a lisp device that takes each packet's
# RLOC and instance-id from its tunnel metadata, driven by the kernel's
# own tunnel tooling, against a normal instance-id 100 device.
#
#   A: lisp0 external                B: lisp1 iid 100
#      EIDs 10.1.0.1, 10.1.6.1 (lo)     EIDs 10.2.{1,2,3,4,6,9}.1 (lo)
#      192.0.2.1 / 2001:db8::1  ======  192.0.2.2 / 2001:db8::2
#
# A steers 10.2.1/24 by an lwtunnel route (10.2.4/24 with ttl and tos,
# 10.2.9/24 with id 101), 10.2.2/24 by tc (tunnel_key and mirred from a
# dummy device), 10.2.3/24 by BPF (bpf_skb_set_tunnel_key on lisp0's
# egress), 10.2.6/24 by an lwtunnel route over IPv6. B only
# decapsulates instance-id 100 (it has no external device): a packet that
# reaches lisp1 carried 100 in its LISP header. B's map-cache sends the
# replies back to A, whose lisp0 gets them, as no device there has 100,
# with the instance-id and outer addresses as metadata for tc and BPF.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

BPF_OBJ=${BPF_OBJ:-$REPO_ROOT/build/selftests/external.bpf.o}

require_cmd ip ping tc jq
lisp_load_module || skip_all "cannot load lisp.ko"

setup_ns A B || { tap_not_ok "namespaces"; tap_done; }
connect_ns "$A" eth0 "192.0.2.1/24 2001:db8::1/64" \
	"$B" eth0 "192.0.2.2/24 2001:db8::2/64" || { tap_not_ok "veth"; tap_done; }
ip -n "$A" -b - <<EOF || { tap_not_ok "setup A"; tap_done; }
address add 10.1.0.1/32 dev lo
address add 10.1.6.1/32 dev lo
link add lisp0 type lisp external
link set lisp0 up
link add dummy0 type dummy
link set dummy0 up
route add 10.2.1.0/24 encap ip id 100 dst 192.0.2.2 dev lisp0
route add 10.2.2.0/24 dev dummy0
route add 10.2.3.0/24 dev lisp0
route add 10.2.6.0/24 encap ip6 id 100 dst 2001:db8::2 dev lisp0
route add 10.2.9.0/24 encap ip id 101 dst 192.0.2.2 dev lisp0
route add 10.2.7.0/24 dev lisp0
route add 10.2.4.0/24 encap ip id 100 dst 192.0.2.2 ttl 9 tos 0x20 dev lisp0
route add 10.2.8.0/24 encap ip id 16777216 dst 192.0.2.2 dev lisp0
EOF
ip -n "$B" -b - <<EOF || { tap_not_ok "setup B"; tap_done; }
address add 10.2.1.1/32 dev lo
address add 10.2.2.1/32 dev lo
address add 10.2.3.1/32 dev lo
address add 10.2.6.1/32 dev lo
address add 10.2.9.1/32 dev lo
address add 10.2.4.1/32 dev lo
link add lisp1 type lisp iid 100
link set lisp1 up
route add 10.1.0.0/16 dev lisp1
EOF
lctl "$B" database add lisp1 10.2.0.0/16 &&
	lctl "$B" map-cache add lisp1 10.1.0.0/24 rloc 192.0.2.1 &&
	lctl "$B" map-cache add lisp1 10.1.6.0/24 rloc 2001:db8::1 ||
	{ tap_not_ok "B's database and map-cache"; tap_done; }
tc -n "$A" qdisc add dev lisp0 clsact && tc -n "$A" qdisc add dev dummy0 clsact ||
	{ tap_not_ok "clsact qdiscs"; tap_done; }

# filter_hits NS DEV DIRECTION PREF: packets that tc filter counted.
filter_hits() {
	tc -n "$1" -s -j filter show dev "$2" "$3" pref "$4" |
		jq '[.[] | .options.actions[]?.stats.packets // 0] | add // 0'
}

# rx_hits PREF: what the ingress filter of lisp0 in A counted.
rx_hits() {
	filter_hits "$A" lisp0 ingress "$1"
}

# ping_from A_SRC B_DST
ping_from() {
	in_ns "$A" ping -4 -c1 -W"$PING_TIMEOUT" -I "$1" "$2" >/dev/null 2>&1
}

# steered HOW A_SRC B_DST [FILTER_PREF]: a ping from A_SRC to B_DST is
# answered, B's instance-id 100 device received it and, with a
# FILTER_PREF, that flower filter saw the reply's metadata.
steered() {
	local how=$1 src=$2 dst=$3 pref=${4:-} before hits=0

	before=$(lisp_stat "$B" lisp1 rx-packets)
	[ -n "$pref" ] && hits=$(rx_hits "$pref")
	ping_from "$src" "$dst"
	check_err $? "no reply to the packet $how steered"
	[ "$(lisp_stat "$B" lisp1 rx-packets)" -gt "$before" ]
	check_err $? "B's iid 100 device received nothing from $how"
	[ -z "$pref" ] || [ "$(rx_hits "$pref")" -gt "$hits" ]
	check_err $? "flower $pref saw no reply with the expected metadata"
}

RET=0
ip -n "$A" -d link show lisp0 | grep -qw external
check_err $? "ip -d link show lisp0 does not say external"
ip -n "$B" -d link show lisp1 | grep -qw noexternal
check_err $? "ip -d link show lisp1 does not say noexternal"
j=$(ip -n "$A" -j -d link show lisp0 | jq -c '.[0].linkinfo.info_data')
for k in iid local local6 port ttl tos df udp6zerocsumtx petr decap_any \
	map_max miss_hold external; do
	jq -e --arg k "$k" 'has($k)' <<<"$j" >/dev/null
	check_err $? "ip -j -d link show: no \"$k\" in $j"
done
jq -e '.external == true and .port == 4341 and .df == "inherit" and
	.tos == 1 and .ttl == 0 and .udp6zerocsumtx == true and
	.local == "0.0.0.0" and .local6 == "::"' <<<"$j" >/dev/null
check_err $? "ip -j -d link show lisp0: wrong values in $j"
ip -n "$B" -j -d link show lisp1 |
	jq -e '.[0].linkinfo.info_data | .external == false and .iid == 100' >/dev/null
check_err $? "ip -j -d link show lisp1: external or iid wrong"
log_test "ip -d and ip -j -d link show: every attribute, external"

RET=0
out=$(ip -n "$A" link set lisp0 type lisp noexternal 2>&1)
check_fail $? "external mode switched off on a running device"
grep -q "fixed when the device is created" <<<"$out"
check_err $? "error does not explain: $out"
ip -n "$B" link set lisp1 type lisp external 2>/dev/null
check_fail $? "external mode switched on for an existing device"
out=$(ip -n "$A" link add lisp9 type lisp external 2>&1)
check_fail $? "a second external device on port 4341 was created"
grep -q "external" <<<"$out"
check_err $? "error does not explain: $out"
ip -n "$A" link add lisp9 type lisp external port 4400
check_err $? "an external device on another port was refused"
ip -n "$A" link del lisp9 2>/dev/null
log_test "external mode fixed at creation, one external device per port"

# Ingress flower filters on A's lisp0: the metadata of what came back.
tc -n "$A" filter add dev lisp0 ingress pref 10 protocol ip flower \
	enc_key_id 100 enc_src_ip 192.0.2.2 enc_dst_ip 192.0.2.1 \
	enc_dst_port 4341 action continue &&
tc -n "$A" filter add dev lisp0 ingress pref 20 protocol ip flower \
	enc_key_id 100 enc_src_ip 2001:db8::2 enc_dst_ip 2001:db8::1 \
	action continue || tap_diag "flower filters on lisp0 ingress failed"

RET=0
steered lwtunnel 10.1.0.1 10.2.1.1
log_test "lwtunnel: encap ip id 100 dst 192.0.2.2 reaches iid 100, reply back"

RET=0
before=$(lisp_stat "$B" lisp1 rx-unknown-iid)
ping_from 10.1.0.1 10.2.9.1
check_fail $? "a packet sent with id 101 was answered"
[ "$(lisp_stat "$B" lisp1 rx-unknown-iid)" -gt "$before" ]
check_err $? "B did not count instance-id 101 as unknown"
log_test "lwtunnel: the route's id is the LISP header's instance-id"

RET=0
tc -n "$B" qdisc add dev eth0 clsact &&
	tc -n "$B" filter add dev eth0 ingress pref 10 protocol ip flower \
		ip_proto udp dst_port 4341 ip_ttl 9 ip_tos 0x20 action continue
check_err $? "flower filter on B's eth0 refused"
steered "lwtunnel with ttl and tos" 10.1.0.1 10.2.4.1
[ "$(filter_hits "$B" eth0 ingress 10)" -gt 0 ]
check_err $? "no outer packet with TTL 9 and TOS 0x20 reached B"
log_test "lwtunnel: the route's ttl and tos are the outer header's"

RET=0
before=$(lisp_stat "$A" lisp0 tx-no-rloc)
ping_from 10.1.0.1 10.2.7.1
check_fail $? "a packet without metadata was sent"
ping_from 10.1.0.1 10.2.8.1
check_fail $? "a packet with a 25-bit id was sent"
[ "$(lisp_stat "$A" lisp0 tx-no-rloc)" -ge $((before + 2)) ]
check_err $? "tx-no-rloc did not count both"
log_test "no metadata, or an id past 24 bits: dropped as tx-no-rloc"

RET=0
steered "lwtunnel over IPv6" 10.1.6.1 10.2.6.1 20
log_test "lwtunnel over an IPv6 underlay, metadata of the IPv6 reply"

RET=0
tc -n "$A" filter add dev dummy0 egress protocol ip flower dst_ip 10.2.2.0/24 \
	action tunnel_key set id 100 src_ip 192.0.2.1 dst_ip 192.0.2.2 \
	action mirred egress redirect dev lisp0
check_err $? "tc tunnel_key filter refused"
steered tc 10.1.0.1 10.2.2.1 10
log_test "tc: tunnel_key set id 100 and mirred to lisp0; flower matches the reply's metadata"

RET=0
if ! [ -f "$BPF_OBJ" ]; then
	log_test_skip "BPF: bpf_skb_set_tunnel_key" "$BPF_OBJ not built (make -C selftests)"
else
	tc -n "$A" filter add dev lisp0 egress bpf da obj "$BPF_OBJ" sec tx
	check_err $? "tc bpf egress program refused"
	tc -n "$A" filter add dev lisp0 ingress pref 30 bpf da obj "$BPF_OBJ" sec rx
	check_err $? "tc bpf ingress program refused"
	# The rx program drops a reply whose key is not id 100 from B.
	steered BPF 10.1.0.1 10.2.3.1
	log_test "BPF: bpf_skb_set_tunnel_key id 100; the reply's key read back"
fi

# The rule for sharing a port: an instance-id's own device wins, the
# external device gets the rest.
RET=0
ip -n "$A" link add lisp2 type lisp iid 100 decap-any &&
	ip -n "$A" link set lisp2 up
check_err $? "an iid 100 device beside the external one refused"
before=$(lisp_stat "$A" lisp2 rx-packets)
hits=$(rx_hits 10)
ping_from 10.1.0.1 10.2.1.1
check_err $? "no reply once A has an iid 100 device"
[ "$(lisp_stat "$A" lisp2 rx-packets)" -gt "$before" ]
check_err $? "the iid 100 device did not get its instance-id's packets"
[ "$(rx_hits 10)" -eq "$hits" ]
check_err $? "the external device still got instance-id 100"
ip -n "$A" link del lisp2
log_test "an instance-id's own device takes precedence over the external one"

tap_done
