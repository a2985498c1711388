#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# decap: what the ETR does to the inner packet it decapsulates.
#   - The outer TTL, when smaller, is copied into the inner header.  A
#     packet socket on the underlay holds a clone of that very packet: the
#     copy it reads must still show the inner TTL / hop limit as it arrived.
#   - An IPv6 inner hop limit rewritten under a CHECKSUM_COMPLETE sum
#     (the outer UDP checksum verified in software) leaves the sum right:
#     the inner ICMPv6 checksum is not computed over again (counted with a
#     kprobe on __skb_checksum_complete) and no "hw csum failure".
#   - rx-packets counts what was delivered: packets the device's GRO cell
#     drops (netdev_max_backlog) are rx_dropped, not rx_packets.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_root
require_vm
require_cmd ip ping python3 ethtool
lisp_load_module || skip_all "cannot load lisp.ko"
topo_setup || { tap_not_ok "topology setup"; tap_done; }
topo_map 4 || { tap_not_ok "mappings"; tap_done; }
DMESG_BASE=$(dmesg | wc -l)

tmp=$(mktemp -d -p "$REPO_ROOT/build" decap.XXXXXX)
defer rm -rf "$tmp"

# ---------------------------------------------------------------------------
RET=0
ip -n "$X1" link set lisp0 type lisp ttl 5
check_err $? "ip link set lisp0 type lisp ttl 5 failed"
wait_for 20 ns_ping "$H1" 10.2.0.1
check_err $? "no IPv4 ping through the tunnel"
wait_for 20 ns_ping "$H1" fd02::1
check_err $? "no IPv6 ping through the tunnel"
fifo=$(mktemp -u -p /tmp decap-go.XXXXXX)
mkfifo "$fifo"
defer rm -f "$fifo"
in_ns "$X2" $PY "$LIB_DIR/tools/inner_ttl.py" eth0 <"$fifo" >"$tmp/ttl" 2>&1 &
cap=$!
exec 3>"$fifo"
wait_for 60 grep -q ready "$tmp/ttl"
check_err $? "the packet socket did not start: $(cat "$tmp/ttl")"
in_ns "$H1" ping -c 3 -i 0.2 -W 2 10.2.0.1 >/dev/null 2>&1
check_err $? "IPv4 ping with outer TTL 5 failed"
in_ns "$H1" ping -6 -c 3 -i 0.2 -W 2 fd02::1 >/dev/null 2>&1
check_err $? "IPv6 ping with outer hop limit 5 failed"
echo go >&3
exec 3>&-
wait "$cap"
n4=$(grep -c '^4 63$' "$tmp/ttl")
n6=$(grep -c '^6 63$' "$tmp/ttl")
bad=$(grep -vE '^(ready|[46] 63)$' "$tmp/ttl" | sort | uniq -c | tr '\n' ' ')
[ "$n4" -ge 3 ] && [ "$n6" -ge 3 ] && [ -z "$bad" ]
check_err $? "the underlay capture saw inner TTL 63 $n4 times (v4), hop limit 63 $n6 times (v6); otherwise: ${bad:-nothing}"
log_test "a clone on the underlay keeps the inner TTL / hop limit the ETR rewrote"

# ---------------------------------------------------------------------------
# X1 sends outer UDP checksums over IPv6, computed in software (tx off),
# so X2 verifies them and holds a CHECKSUM_COMPLETE sum when it rewrites.

T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
csum_calls() {	# csum_calls: pings H1 -> X2's fd02::fe; __skb_checksum_complete calls
	echo >$T/trace
	echo 1 >$T/events/kprobes/lisp_csum/enable
	in_ns "$H1" ping -6 -c 10 -i 0.1 -W 2 fd02::fe >/dev/null 2>&1
	local rc=$?
	echo 0 >$T/events/kprobes/lisp_csum/enable
	[ $rc = 0 ] || { echo fail; return; }
	grep -c 'lisp_csum:' $T/trace
}

RET=0
if echo 'p:kprobes/lisp_csum __skb_checksum_complete' >>$T/kprobe_events 2>/dev/null; then
	defer sh -c "echo -:kprobes/lisp_csum >>$T/kprobe_events"
	topo_map 6 &&
		ip -n "$X1" link set lisp0 type lisp noudp6zerocsumtx ttl inherit &&
		in_ns "$X1" ethtool -K eth0 tx off >/dev/null
	check_err $? "setting up the IPv6 underlay with software checksums failed"
	wait_for 20 ns_ping "$H1" fd02::fe
	check_err $? "H1 cannot ping X2's fd02::fe"
	c0=$(csum_calls)
	ip -n "$X1" link set lisp0 type lisp ttl 5
	c1=$(csum_calls)
	[ "$c0" != fail ] && [ "$c1" != fail ]
	check_err $? "ping6 fd02::fe failed (inherit: $c0, ttl 5: $c1)"
	[ "$c0" != fail ] && [ "$c1" != fail ] && [ $((c1 - c0)) -lt 5 ]
	check_err $? "10 pings checksummed again after the hop-limit rewrite: $c0 calls with the hop limit kept, $c1 with it lowered"
	dmesg | tail -n +$((DMESG_BASE + 1)) | grep -q "hw csum failure"
	check_fail $? "kernel log: hw csum failure"
	log_test "inner IPv6 hop limit lowered under CHECKSUM_COMPLETE: sum kept right ($c0 vs $c1 recomputations)"
else
	log_test_skip "inner IPv6 hop limit under CHECKSUM_COMPLETE" "no kprobe events"
fi
ip -n "$X1" link set lisp0 type lisp udp6zerocsumtx ttl inherit
in_ns "$X1" ethtool -K eth0 tx on >/dev/null
topo_map 4

# ---------------------------------------------------------------------------
# With netdev_max_backlog 0 X2's GRO cell takes one packet a NAPI run.
# X1's underlay sends in bursts (netem slots) and X2's veth runs NAPI
# (gro on, its peer without TSO), so the echo requests of a burst reach the cell in one poll
# and all but the first are dropped there.

RET=0
backlog=$(sysctl -n net.core.netdev_max_backlog)
defer sysctl -qw net.core.netdev_max_backlog="$backlog"
# veth uses NAPI only for a peer without TSO.
in_ns "$X2" ethtool -K eth0 gro on >/dev/null &&
	in_ns "$X1" ethtool -K eth0 tso off >/dev/null
check_err $? "ethtool -K eth0 gro on (X2) / tso off (X1) failed"
if in_ns "$X1" tc qdisc add dev eth0 root netem slot 200ms 200ms 2>/dev/null; then
	wait_for 20 ns_ping "$H1" 10.2.0.1
	check_err $? "no ping before the bursts"
	st() { in_ns "$1" cat "/sys/class/net/$2/statistics/$3"; }
	rx0=$(st "$X2" lisp0 rx_packets) dr0=$(st "$X2" lisp0 rx_dropped)
	# What lisp0 delivered reaches H2 or is dropped on the way there:
	# the zero backlog also drops at H2's end of the veth (counted in
	# X2's eth1 tx_dropped).
	h0=$(st "$H2" eth0 rx_packets) v0=$(st "$X2" eth1 tx_dropped)
	sysctl -qw net.core.netdev_max_backlog=0
	in_ns "$H1" ping -c 40 -i 0.02 -W 1 10.2.0.1 >/dev/null 2>&1
	sysctl -qw net.core.netdev_max_backlog="$backlog"
	in_ns "$X1" tc qdisc del dev eth0 root
	rx=$(( $(st "$X2" lisp0 rx_packets) - rx0 ))
	dr=$(( $(st "$X2" lisp0 rx_dropped) - dr0 ))
	h=$(( $(st "$H2" eth0 rx_packets) - h0 + $(st "$X2" eth1 tx_dropped) - v0 ))
	[ "$dr" -ge 1 ]
	check_err $? "no drop provoked in X2's GRO cell (rx $rx, H2 got $h)"
	[ "$rx" -le "$h" ]
	check_err $? "X2's lisp0 counted $rx rx-packets but $h reached H2 or were dropped on X2's eth1 ($dr dropped in lisp0)"
	log_test "rx-packets counts only delivered packets ($rx delivered, $dr dropped)"
else
	log_test_skip "rx-packets counts only delivered packets" "no netem slots"
fi

# ---------------------------------------------------------------------------
RET=0
bad=$(dmesg | tail -n +$((DMESG_BASE + 1)) | grep -E 'WARNING|BUG|Oops|csum failure')
[ -z "$bad" ]
check_err $? "kernel log: $(echo "$bad" | head -3)"
log_test "kernel log clean"

tap_done
