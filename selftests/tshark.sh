#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tshark: what lisp0 puts on the wire is what Wireshark's LISP data
# dissector expects.  Capture the underlay at X2 while H1 pings H2 over
# every inner/outer combination (4o4 6o4 4o6 6o6), once with instance-id 0
# and once with "ip link add lisp0 type lisp iid 100", and check with
# tshark (which dissects UDP port 4341 as lisp-data by default):
#   - every packet decodes as eth/ip(v6)/udp/lisp-data/ip(v6)/icmp(v6), and
#     each combination shows an echo request and its reply;
#   - no nonce: the N bit is clear and the nonce field zero, as RFC 9300
#     section 4.1 asks of an xTR on the public Internet (we do no
#     echo-nonce);
#   - the I bit is clear with iid 0, set with the instance-id 100 otherwise;
#   - L, V, E and the reserved/KK bits are clear;
#   - no malformed packet, no expert info of severity warning or error.
# The iid 0 run uses the default zero UDP checksum over IPv6 (RFC 6935),
# which Wireshark reports as an error ("Illegal checksum value (0)"): that
# one message is expected there, and the IPv6-underlay checksums must be
# 0.  The iid 100 run uses noudp6zerocsumtx and must be free of any
# warning or error, with non-zero checksums.

source "$(dirname "$0")/lib.sh"
source "$LIB_DIR/topo.sh"

require_root
require_vm
require_cmd ip ping tcpdump tshark

TMP=$(mktemp -d)
defer rm -rf "$TMP"

# Fields, one line per packet, separated by '|'.
FIELDS=(frame.protocols lisp-data.flags.nonce lisp-data.nonce
	lisp-data.flags.iid lisp-data.iid lisp-data.flags.mv
	lisp-data.flags.enr lisp-data.flags.res icmp.type icmpv6.type
	_ws.expert.severity _ws.malformed udp.checksum lisp-data.flags.lsb
	udp.payload _ws.expert.message)

capture_start() {
	: >"$TMP/tcpdump.err"
	in_ns "$X2" tcpdump -U -ni eth0 -w "$1" 'udp dst port 4341' \
		2>"$TMP/tcpdump.err" &
	TCPDUMP=$!
	wait_for 20 grep -q "listening on" "$TMP/tcpdump.err"
}

# pcap_has PCAP N: tcpdump (-U) has written N packets to PCAP.
pcap_has() {
	[ "$(tcpdump -r "$1" 2>/dev/null | wc -l)" -ge "$2" ]
}

# capture_stop PCAP N: stop once N packets are in PCAP (or the deadline).
capture_stop() {
	wait_for 10 pcap_has "$1" "$2"
	kill -TERM "$TCPDUMP"
	wait "$TCPDUMP"
}

# decode PCAP OUT: tshark's view, one '|' separated line per packet.
decode() {
	local e=() f
	for f in "${FIELDS[@]}"; do e+=(-e "$f"); done
	tshark -n -r "$1" -T fields -E separator='|' -E occurrence=a \
		-E aggregator=, "${e[@]}" >"$2" 2>"$TMP/tshark.err"
}

# run IID: one topology, one capture, the checks.
run() {
	local iid=$1 pcap="$TMP/iid$1.pcap" out="$TMP/iid$1.txt" o combo n
	local args=()
	[ "$iid" != 0 ] && args=(iid "$iid" noudp6zerocsumtx)

	RET=0
	cleanup_all_ns
	topo_setup "${args[@]}"
	check_err $? "topo_setup ${args[*]} failed"
	# Warm up neighbours and routes outside the capture.
	topo_map 4 && ns_ping "$H1" 10.2.0.1 && ns_ping "$H1" fd02::1
	check_err $? "pings over the IPv4 underlay failed"
	capture_start "$pcap"
	check_err $? "tcpdump did not start: $(cat "$TMP/tcpdump.err")"
	for o in 4 6; do
		topo_map $o
		ns_ping "$H1" 10.2.0.1
		check_err $? "IPv4 ping over IPv$o failed"
		ns_ping "$H1" fd02::1
		check_err $? "IPv6 ping over IPv$o failed"
	done
	capture_stop "$pcap" 8
	decode "$pcap" "$out"
	check_err $? "tshark failed: $(cat "$TMP/tshark.err")"
	log_test "iid $iid: pings over IPv4 and IPv6 underlays captured and decoded"

	RET=0
	n=$(wc -l <"$out")
	[ "$n" -ge 8 ]
	check_err $? "only $n packets captured"
	n=$(grep -cEv '^eth:ethertype:(ip|ipv6):udp:lisp-data:(ip:icmp|ipv6:icmpv6)[:|]' "$out")
	check_eq "$n" 0 "packets not dissected as .../udp/lisp-data/ip/icmp: $(grep -v ':lisp-data:' "$out" | head -3)"
	for combo in "ip:udp:lisp-data:ip:icmp|8" "ip:udp:lisp-data:ip:icmp|0" \
		     "ip:udp:lisp-data:ipv6:icmpv6|128" "ip:udp:lisp-data:ipv6:icmpv6|129" \
		     "ipv6:udp:lisp-data:ip:icmp|8" "ipv6:udp:lisp-data:ip:icmp|0" \
		     "ipv6:udp:lisp-data:ipv6:icmpv6|128" "ipv6:udp:lisp-data:ipv6:icmpv6|129"; do
		awk -F'|' -v p="${combo%|*}" -v t="${combo#*|}" '
			{ split($1, a, ":"); s = a[3]; for (i = 4; i <= 7; i++) s = s ":" a[i]
			  if (s == p && ($9 == t || $10 == t)) f = 1 }
			END { exit !f }' "$out"
		check_err $? "no $combo (protocols|icmp type) packet"
	done
	log_test "iid $iid: LISP data decoded with inner ICMP echo request and reply, all four inner/outer combinations"

	RET=0
	# The nonce field: bytes 1-3 of the UDP payload (the LISP header).
	n=$(awk -F'|' '$2 != 0 || $3 != "" || substr($15, 3, 6) != "000000"' "$out" | wc -l)
	check_eq "$n" 0 "packets with the N bit set or a non-zero nonce field: $(awk -F'|' '{ print $2, substr($15, 1, 16) }' "$out" | sort | uniq -c | head -3)"
	n=$(awk -F'|' '$6 != 0 || $7 != 0 || $8 != 0 || $14 != 0' "$out" | wc -l)
	check_eq "$n" 0 "packets with L, V, E or reserved/KK bits set"
	log_test "iid $iid: no nonce (N clear, field zero); L, V, E, reserved and KK clear"

	RET=0
	if [ "$iid" = 0 ]; then
		n=$(awk -F'|' '$4 != 0' "$out" | wc -l)
		check_eq "$n" 0 "packets with the I bit set"
		log_test "iid 0: I bit clear"
	else
		n=$(awk -F'|' -v iid="$iid" '$4 != 1 || $5 != iid' "$out" | wc -l)
		check_eq "$n" 0 "packets without I bit and instance-id $iid: $(awk -F'|' '{ print $4, $5 }' "$out" | sort | uniq -c)"
		log_test "iid $iid: I bit set, instance-id $iid"
	fi

	RET=0
	if [ "$iid" = 0 ]; then
		n=$(awk -F'|' '$1 ~ /^eth:ethertype:ipv6:/ && $13 != "0x0000"' "$out" | wc -l)
		check_eq "$n" 0 "IPv6-underlay packets with a non-zero UDP checksum"
		log_test "iid $iid: UDP checksum zero over the IPv6 underlay (default udp6zerocsumtx)"
	else
		n=$(awk -F'|' '$1 ~ /^eth:ethertype:ipv6:/ && ($13 == "0x0000" || $13 == "")' "$out" | wc -l)
		check_eq "$n" 0 "IPv6-underlay packets with a zero UDP checksum despite noudp6zerocsumtx"
		log_test "iid $iid: UDP checksum set over the IPv6 underlay (noudp6zerocsumtx)"
	fi

	# Severity >= 0x00600000 is warning or error.
	RET=0
	n=$(awk -F'|' -v iid="$iid" '
		{ ns = split($11, sev, ","); split($16, msg, ",")
		  bad = ($12 != "")
		  for (i = 1; i <= ns; i++) {
			if (sev[i] + 0 < 6291456) continue
			if (iid == 0 && $1 ~ /^eth:ethertype:ipv6:/ && msg[i] ~ /checksum value \(0\)/) continue
			bad = 1
		  }
		  if (bad) print }' "$out" | wc -l)
	check_eq "$n" 0 "packets with warnings, errors or malformed: $(awk -F'|' '$11 != "" || $12 != ""' "$out" | head -3)"
	log_test "iid $iid: no malformed packets, no expert warnings or errors$([ "$iid" = 0 ] && echo " (but the zero IPv6 UDP checksum)")"
}

lisp_load_module || skip_all "cannot load lisp.ko"

run 0
run 100

tap_done
