#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two xTRs with static map-cache entries: hosts behind them reach each
# other for every combination of inner and outer IPv4/IPv6, the traffic
# really crosses the underlay as LISP, and TCP runs at volume (GSO/GRO).

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip ping iperf3 tcpdump python3
lisp_load_module || skip_all "cannot load lisp.ko"
topo_setup || { tap_not_ok "topology setup"; tap_done; }

for outer in 4 6; do
	RET=0
	topo_map $outer
	check_err $? "map-cache entries not installed"
	log_test "IPv$outer underlay: static map-cache installed"

	for dst in 10.2.0.1 fd02::1; do
		inner=4
		[[ $dst == *:* ]] && inner=6
		RET=0
		before=$(lisp_stat "$X2" lisp0 rx-packets)
		ns_ping "$H1" "$dst"
		check_err $? "no echo reply from $dst"
		after=$(lisp_stat "$X2" lisp0 rx-packets)
		[ "$after" -gt "$before" ]
		check_err $? "X2 lisp0 rx-packets did not move ($before -> $after)"
		log_test "IPv$inner over IPv$outer: H1 pings H2"
	done
done

# The packets on the wire are LISP on UDP 4341 between the RLOCs.
RET=0
topo_map 4
cap=$(mktemp -p "$REPO_ROOT/build")
defer rm -f "$cap"
in_ns "$X2" timeout 60 tcpdump -nli eth0 -c 1 'udp dst port 4341 and src host 192.0.2.1' >"$cap" 2>"$cap.err" &
tcpd=$!
defer rm -f "$cap.err"
tcpdump_ready "$cap.err"
ns_ping "$H1" 10.2.0.1
wait $tcpd
grep -q '192.0.2.1\.[0-9]* > 192.0.2.2\.4341: UDP' "$cap"
check_err $? "no LISP datagram 192.0.2.1 -> 192.0.2.2:4341 seen on the underlay"
log_test "encapsulated packets cross the underlay to port 4341"

# Entry counters follow the traffic.
RET=0
before=$(map_packets "$X1" 10.2.0.0/24)
for _ in 1 2 3; do ns_ping "$H1" 10.2.0.1; done
after=$(map_packets "$X1" 10.2.0.0/24)
[ $((after - before)) -ge 3 ]
check_err $? "entry packets moved by $((after - before)), expected >= 3"
log_test "map-cache entry counts the packets it forwarded"

# Volume: TCP both underlays, both inner families.
for outer in 4 6; do
	topo_map $outer
	for dst in 10.2.0.1 fd02::1; do
		RET=0
		iperf3_server "$H2"
		check_err $? "iperf3 server on H2 not listening"
		out=$(in_ns "$H1" iperf3 -c "$dst" -t 2 -J 2>&1)
		check_err $? "iperf3 to $dst failed"
		bits=$($PY -c 'import json,sys; print(int(json.loads(sys.stdin.read())["end"]["sum_received"]["bits_per_second"]))' <<<"$out" 2>/dev/null)
		# Any real stream: a loaded emulated host is slow, not broken.
		[ "${bits:-0}" -gt 1000000 ]
		check_err $? "only ${bits:-0} bit/s received"
		tap_diag "iperf3 $dst over IPv$outer: $((${bits:-0} / 1000000)) Mbit/s"
		log_test "TCP to $dst over IPv$outer underlay"
	done
done
in_ns "$H2" pkill iperf3 2>/dev/null

tap_done
