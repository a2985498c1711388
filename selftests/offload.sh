#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Offloads: TCP through lisp leaves the ITR as UDP-tunnel GSO
# super-packets (segmented as late as possible) and is merged again by
# GRO at the ETR before decapsulation, as vxlan does.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip iperf3 tcpdump ethtool
lisp_load_module || skip_all "cannot load lisp.ko"
topo_setup || { tap_not_ok "topology setup"; tap_done; }
topo_map 4
# veth does GRO only with NAPI, which "gro on" turns on.
in_ns "$X2" ethtool -K eth0 gro on >/dev/null

# max_len NS DEV FILTER: run TCP through the tunnel while capturing, and
# print the largest captured length (IP total length).
max_len() {
	local ns=$1 dev=$2 filter=$3 cap
	cap=$(mktemp -p "$REPO_ROOT/build")
	in_ns "$ns" timeout 120 tcpdump -nli "$dev" -c 200 -s 128 "$filter" >"$cap" 2>"$cap.err" &
	local tcpd=$!
	tcpdump_ready "$cap.err"
	iperf3_server "$H2"
	in_ns "$H1" iperf3 -c 10.2.0.1 -t 2 >/dev/null 2>&1
	# 200 packets are captured long before the stream ends; if not, stop.
	kill -INT $tcpd 2>/dev/null
	wait $tcpd
	rm -f "$cap.err"
	awk '{ for (i = 1; i < NF; i++) if ($i == "length") { n = $(i + 1) + 0; if (n > m) m = n } } END { print m + 0 }' "$cap"
	rm -f "$cap"
}

RET=0
len=$(max_len "$X1" eth0 'udp dst port 4341')
tap_diag "largest LISP datagram leaving X1: $len bytes"
[ "$len" -gt 1500 ]
check_err $? "no encapsulated packet larger than the MTU: GSO did not reach the underlay"
log_test "TX: TCP is encapsulated as GSO super-packets"

# veth would hand the super-packets over whole: make X1 segment them so
# that X2 receives MTU-sized datagrams. Seen on X2's underlay port, after
# GRO and before decapsulation, only the LISP socket's gro_receive can
# have merged them (lisp0's gro_cells merge the inner packets later
# either way, so the capture must be on eth0).
in_ns "$X1" ethtool -K eth0 tso off gso off tx-udp_tnl-segmentation off \
	tx-udp_tnl-csum-segmentation off >/dev/null 2>&1

RET=0
in_ns "$X2" ethtool -K eth0 gro off >/dev/null
len=$(max_len "$X2" eth0 'udp dst port 4341 and dst host 192.0.2.2')
tap_diag "with GRO off, largest LISP datagram X2 received: $len bytes"
[ "$len" -le 1500 ]
check_err $? "datagrams arrive unsegmented: the RX check below would prove nothing"
log_test "control: X1 segments on the wire"

in_ns "$X2" ethtool -K eth0 gro on >/dev/null
RET=0
len=$(max_len "$X2" eth0 'udp dst port 4341 and dst host 192.0.2.2')
tap_diag "largest LISP datagram X2 received: $len bytes"
[ "$len" -gt 1500 ]
check_err $? "LISP datagrams not merged: the socket's GRO did not run"
log_test "RX: GRO merges LISP datagrams before decapsulation"

tap_done
