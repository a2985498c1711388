#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pmtu: path MTU through the tunnel (RFC 9300 section 7.1, stateless).
# The underlay link X1 == X2 gets MTU 1400 while lisp0 keeps its 1444, so
# a packet of 1400 bytes fits lisp0 but not the underlay once the 36
# (IPv4 underlay) or 56 (IPv6 underlay) bytes of encapsulation are added:
#   - with DF (IPv4) or any IPv6 packet, H1 gets ICMP fragmentation-needed
#     / packet-too-big naming MTU 1364 (IPv4 underlay) / 1344 (IPv6
#     underlay), and X1 counts tx-too-big;
#   - without DF, the packet is delivered: the outer packet is fragmented
#     (X2 reassembles it, H2 receives it whole);
#   - packets that fit after encapsulation go through unfragmented.
# Each underlay family runs in a fresh topology (no cached PMTU left over).

source "$(dirname "$0")/lib.sh"
source "$LIB_DIR/topo.sh"

require_root
require_vm
require_cmd ip ping

UMTU=1400

# snmp NS FILE NAME: one counter of /proc/net/snmp (Proto: Name) or
# /proc/net/snmp6 (Name).
snmp() {
	in_ns "$1" awk -v want="$3" '
		FILENAME ~ /snmp6$/ { if ($1 == want) print $2; next }
		{ split(want, w, ":")
		  if ($1 != w[1] ":") next
		  if (!h[$1]) { for (i = 2; i <= NF; i++) n[i] = $i; h[$1] = 1; next }
		  for (i = 2; i <= NF; i++) if (n[i] == w[2]) print $i }' "/proc/net/$2"
}

x1stat() {
	lctl "$X1" stats lisp0 | awk -v k="$1" '$1 == k { print $2 }'
}

# hping ARGS...: one ping from H1, its output kept in $OUT.
hping() {
	OUT=$(in_ns "$H1" ping -c1 -W2 "$@" 2>&1)
}

setup() {
	local outer=$1
	cleanup_all_ns
	topo_setup || return 1
	topo_map "$outer" || return 1
	ip -n "$X1" link set eth0 mtu $UMTU || return 1
	ip -n "$X2" link set eth0 mtu $UMTU || return 1
	ns_ping "$H1" 10.2.0.1 && ns_ping "$H1" fd02::1
}

run_family() {
	local outer=$1 oh pmtu t0 r0 h0 big fit

	if [ "$outer" = 4 ]; then oh=36; else oh=56; fi
	pmtu=$((UMTU - oh))
	big=1400		# total inner packet size: > pmtu, < 1444
	fit=$pmtu		# exactly fits after encapsulation

	RET=0
	setup "$outer"
	check_err $? "topology setup or first pings failed"
	check_eq "$(ip -n "$X1" -o link show lisp0 | grep -o 'mtu [0-9]*')" "mtu 1444" "lisp0 MTU"
	log_test "IPv$outer underlay: topology with underlay MTU $UMTU, lisp0 MTU 1444"

	# -- fits exactly: delivered, no fragments, no ICMP.
	RET=0
	t0=$(x1stat tx-too-big)
	r0=$(snmp "$X2" snmp Ip:ReasmOKs)
	[ "$outer" = 6 ] && r0=$(snmp "$X2" snmp6 Ip6ReasmOKs)
	hping -4 -M do -s $((fit - 28)) 10.2.0.1
	check_err $? "IPv4 DF ping of $fit bytes failed: $OUT"
	hping -6 -M do -s $((fit - 48)) fd02::1
	check_err $? "IPv6 ping of $fit bytes failed: $OUT"
	check_eq "$(x1stat tx-too-big)" "$t0" "tx-too-big"
	if [ "$outer" = 4 ]; then
		check_eq "$(snmp "$X2" snmp Ip:ReasmOKs)" "$r0" "X2 reassembled"
	else
		check_eq "$(snmp "$X2" snmp6 Ip6ReasmOKs)" "$r0" "X2 reassembled"
	fi
	log_test "IPv$outer underlay: $fit-byte packets (fit after encapsulation) pass unfragmented"

	# -- too big without DF: the outer packet is fragmented.
	RET=0
	t0=$(x1stat tx-too-big)
	if [ "$outer" = 4 ]; then
		r0=$(snmp "$X2" snmp Ip:ReasmOKs)
	else
		r0=$(snmp "$X2" snmp6 Ip6ReasmOKs)
	fi
	h0=$(snmp "$H2" snmp Ip:ReasmOKs)
	hping -4 -M dont -s $((big - 28)) 10.2.0.1
	check_err $? "non-DF ping of $big bytes got no reply: $OUT"
	if [ "$outer" = 4 ]; then
		[ "$(snmp "$X2" snmp Ip:ReasmOKs)" -gt "$r0" ]
	else
		[ "$(snmp "$X2" snmp6 Ip6ReasmOKs)" -gt "$r0" ]
	fi
	check_err $? "X2 reassembled no outer packet (no outer fragmentation)"
	check_eq "$(snmp "$H2" snmp Ip:ReasmOKs)" "$h0" "H2 reassembled (inner was fragmented)"
	check_eq "$(x1stat tx-too-big)" "$t0" "tx-too-big"
	log_test "IPv$outer underlay: $big-byte IPv4 without DF is delivered, outer fragmented"

	# -- too big with DF (IPv4 inner).
	RET=0
	t0=$(x1stat tx-too-big)
	hping -4 -M do -s $((big - 28)) 10.2.0.1
	check_fail $? "DF ping of $big bytes got a reply"
	echo "$OUT" | grep -Eq "Frag needed and DF set \(mtu = $pmtu\)|mtu=$pmtu"
	check_err $? "ping did not report mtu $pmtu: $OUT"
	check_eq "$(x1stat tx-too-big)" $((t0 + 1)) "tx-too-big"
	in_ns "$H1" ip -4 route get 10.2.0.1 | grep -q "mtu $pmtu"
	check_err $? "H1 has no route exception with mtu $pmtu: $(in_ns "$H1" ip -4 route get 10.2.0.1)"
	hping -4 -M do -s $((big - 28)) 10.2.0.1
	echo "$OUT" | grep -q "message too long, mtu=$pmtu"
	check_err $? "H1's next DF ping was not refused locally: $OUT"
	log_test "IPv$outer underlay: $big-byte IPv4 with DF: frag-needed mtu $pmtu, tx-too-big +1"

	RET=0
	hping -4 -M do -s $((pmtu - 28)) 10.2.0.1
	check_err $? "DF ping of $pmtu bytes failed after the PMTU was learnt: $OUT"
	log_test "IPv$outer underlay: IPv4 at the learnt PMTU still passes"

	# -- IPv6 inner: always "DF".
	RET=0
	t0=$(x1stat tx-too-big)
	hping -6 -M do -s $((big - 48)) fd02::1
	check_fail $? "IPv6 ping of $big bytes got a reply"
	echo "$OUT" | grep -Eq "Packet too big: mtu=$pmtu|mtu=$pmtu"
	check_err $? "ping -6 did not report mtu $pmtu: $OUT"
	check_eq "$(x1stat tx-too-big)" $((t0 + 1)) "tx-too-big"
	in_ns "$H1" ip -6 route get fd02::1 | grep -q "mtu $pmtu"
	check_err $? "H1 has no IPv6 route exception with mtu $pmtu: $(in_ns "$H1" ip -6 route get fd02::1)"
	log_test "IPv$outer underlay: $big-byte IPv6: packet-too-big mtu $pmtu, tx-too-big +1"

	# The first reply is refused by X2 (H2 learns the PMTU from X2's
	# packet-too-big), so allow a few echoes.
	RET=0
	OUT=$(in_ns "$H1" ping -6 -c3 -i0.5 -W2 -s $((big - 48)) fd02::1 2>&1)
	check_err $? "IPv6 ping of $big bytes (fragmented by H1 now) failed: $OUT"
	hping -6 -M do -s $((pmtu - 48)) fd02::1
	check_err $? "IPv6 ping of $pmtu bytes failed: $OUT"
	log_test "IPv$outer underlay: IPv6 at and above the learnt PMTU (H1 fragments) passes"
}

lisp_load_module || skip_all "cannot load lisp.ko"

run_family 4
run_family 6

tap_done
