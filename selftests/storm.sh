#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# storm: a stranger S floods X2's data port with malformed and mutated
# LISP packets (tools/lisp-storm: truncated, bad flags, LISP-crypto,
# unknown instance-ids, bad or short inner headers, destinations outside
# the database, CE on Not-ECT, and random garbage), over IPv4 and IPv6,
# while H1 pings H2 through X1 and X2.
#
#   H1 -- X1 ====== X2 -- H2
#                   |
#                   S  (203.0.113.66, 2001:db8:66::66)
#
# Pass: no ping lost; every packet of a kind that must be dropped moved
# its own counter at least as often as it was sent; every packet sent is
# accounted for (a drop counter, or delivered: rx-packets); the kernel log
# stays clean (tools/vm fails the run on any WARNING/BUG/Oops) and the
# module unloads.  STORM_PACKETS (default 1000000) sets the flood's size,
# half over each underlay.

source "$(dirname "$0")/lib.sh"
source "$LIB_DIR/topo.sh"

require_root
require_vm
require_cmd ip ping jq

STORM="$REPO_ROOT/tools/lisp-storm/lisp-storm"
[ -x "$STORM" ] || skip_all "tools/lisp-storm not built ($STORM)"
: "${STORM_PACKETS:=1000000}"

lisp_load_module || skip_all "cannot load lisp.ko"
topo_setup || { tap_not_ok "topology"; tap_done; }
topo_map 4 || { tap_not_ok "map-cache"; tap_done; }
setup_ns S
connect_ns "$S" eth0 "203.0.113.66/24 2001:db8:66::66/64" \
	"$X2" eth9 "203.0.113.1/24 2001:db8:66::1/64" ||
	{ tap_not_ok "the stranger's link"; tap_done; }
ip -n "$S" route add default via 203.0.113.1
ip -n "$S" -6 route add default via 2001:db8:66::1
# The flood must reach the xTR, not the backlog's limit.
backlog0=$(sysctl -n net.core.netdev_max_backlog)
sysctl -qw net.core.netdev_max_backlog=100000
defer sysctl -qw net.core.netdev_max_backlog="$backlog0"

# stats: X2's lisp0 counters as "name value" lines.
stats() {
	lctl "$X2" stats lisp0
}
# stat FILE NAME: one counter from a stats snapshot.
stat() {
	awk -v k="$2" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }' "$1"
}
# softnet_drops: packets the backlog dropped, all CPUs.
softnet_drops() {
	local n=0 l
	while read -r l; do
		set -- $l
		n=$((n + 0x$2))
	done </proc/net/softnet_stat
	echo $n
}

RET=0
wait_for 10 ns_ping "$H1" 10.2.0.1 && wait_for 10 ns_ping "$H1" fd02::1
check_err $? "H1 cannot reach H2 before the storm"
wait_for 10 ns_ping "$S" 192.0.2.2 && wait_for 10 ns_ping "$S" 2001:db8::2
check_err $? "S cannot reach X2's locators"
log_test "topology: H1 reaches H2 through the tunnel, S reaches X2's locators"

tmp=$(mktemp -d -p "$REPO_ROOT/build" storm.XXXXXX)
defer rm -rf "$tmp"
stats >"$tmp/s0"
lctl "$X1" stats lisp0 >"$tmp/x1s0"
sn0=$(softnet_drops)

# The ping runs through the whole storm.
# ip netns exec execs ping, so $! is ping itself (not a subshell).
ip netns exec "$H1" ping -n -i 0.05 -w 7200 10.2.0.1 >"$tmp/ping" 2>&1 &
ping_pid=$!
t0=$(date +%s)
half=$((STORM_PACKETS / 2))
in_ns "$S" "$STORM" -d 192.0.2.2 -n $half -s 1 \
	-D 10.2.0.0/24 -D fd02::/64 >"$tmp/v4.json"
rc4=$?
in_ns "$S" "$STORM" -d 2001:db8::2 -n $((STORM_PACKETS - half)) -s 2 \
	-D 10.2.0.0/24 -D fd02::/64 >"$tmp/v6.json"
rc6=$?
secs=$(( $(date +%s) - t0 ))
# SIGINT: ping prints its summary (the last request may still be on its
# way: the check below allows for that one).
kill -INT $ping_pid
wait $ping_pid
wait_for 5 ns_ping "$H1" 10.2.0.1	# the last request is through too
stats >"$tmp/s1"
lctl "$X1" stats lisp0 >"$tmp/x1s1"
sn1=$(softnet_drops)

RET=0
check_err $rc4 "lisp-storm over IPv4 failed"
check_err $rc6 "lisp-storm over IPv6 failed"
sent=$(( $(jq .sent "$tmp/v4.json") + $(jq .sent "$tmp/v6.json") ))
check_eq "$sent" "$STORM_PACKETS" "packets sent"
tap_diag "$sent packets in $secs s: $(jq -c 'del(.sent)' "$tmp/v4.json") over IPv4, $(jq -c 'del(.sent)' "$tmp/v6.json") over IPv6"
log_test "S sent $sent malformed and mutated packets to X2's data port"

RET=0
tx=$(awk '/packets transmitted/ { print $1 }' "$tmp/ping")
rx=$(awk '/packets transmitted/ { print $4 }' "$tmp/ping")
[ -n "$tx" ] && [ "$tx" -gt 10 ]
check_err $? "the ping sent only '${tx}' requests: $(tail -n 3 "$tmp/ping")"
# Every request but the one in flight at SIGINT was answered.
missing=$(grep -o 'icmp_seq=[0-9]*' "$tmp/ping" | cut -d= -f2 | sort -un |
	awk -v last="${tx:-0}" '{ seen[$1] = 1 }
		END { for (i = 1; i < last; i++) if (!seen[i]) n++; print n + 0 }')
check_eq "$missing" 0 "ping requests unanswered during the storm"
log_test "the ping flow H1 -> H2 lost nothing during the storm ($rx of $tx answered)"

# kinds KIND...: how many of these kinds were sent, both underlays.
kinds() {
	local k n=0
	for k in "$@"; do
		n=$((n + $(jq ".\"$k\"" "$tmp/v4.json") + $(jq ".\"$k\"" "$tmp/v6.json")))
	done
	echo $n
}
d() { echo $(( $(stat "$tmp/s1" "$1") - $(stat "$tmp/s0" "$1") )); }

RET=0
for pair in truncated:rx-truncated bad-flags:rx-bad-flags \
	    encrypted:rx-encrypted unknown-iid:rx-unknown-iid \
	    "bad-version short-inner:rx-bad-inner" not-ours:rx-not-ours \
	    ecn:rx-ecn-drop; do
	want=$(kinds ${pair%%:*})
	got=$(d "${pair#*:}")
	[ "$got" -ge "$want" ]
	check_err $? "${pair#*:} moved by $got for $want packets of kind ${pair%%:*}"
	tap_diag "${pair#*:}: +$got (sent $want of kind ${pair%%:*})"
done
log_test "each kind of bad packet is counted under its own reason"

RET=0
drops=0
for c in $(awk '$1 ~ /^rx-/ && $1 != "rx-packets" && $1 != "rx-bytes" &&
		$1 != "rx-away" && $1 != "rx-icmp-err" { print $1 }' "$tmp/s1"); do
	drops=$((drops + $(d "$c")))
done
# X2 also delivered the pings: as many as X1 encapsulated.
pings=$(( $(stat "$tmp/x1s1" tx-packets) - $(stat "$tmp/x1s0" tx-packets) ))
delivered=$(( $(d rx-packets) - pings ))
lost=$((sn1 - sn0))
tap_diag "drops counted $drops, delivered $delivered (garbage that parsed), backlog drops $lost"
check_eq $((drops + delivered + lost)) "$sent" "packets accounted for (drops + delivered + backlog)"
log_test "every packet of the storm is accounted for"

RET=0
cleanup_all_ns
lisp_unload_module
check_err $? "rmmod lisp after the storm"
log_test "rmmod after the storm"

tap_done
