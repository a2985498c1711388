#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Negative map-cache entries (RFC 9301 section 5.4, ACT field): each
# action does what it says, and each is counted.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip ping python3
lisp_load_module miss_hold_ms=30000 || skip_all "cannot load lisp.ko"
topo_setup || { tap_not_ok "topology setup"; tap_done; }
topo_map 4

for act in drop drop-policy drop-auth; do
	RET=0
	lctl "$X1" map-cache replace lisp0 10.2.0.0/24 action $act
	check_err $? "cannot install action $act"
	before=$(lisp_stat "$X1" lisp0 tx-negative-drop)
	ns_ping "$H1" 10.2.0.1
	check_fail $? "ping went through a $act entry"
	after=$(lisp_stat "$X1" lisp0 tx-negative-drop)
	[ "$after" -gt "$before" ]
	check_err $? "tx-negative-drop did not move"
	log_test "action $act drops and counts"
done

# send-map-request: like a miss, the daemon is told and the packet held.
RET=0
lctl "$X1" map-cache replace lisp0 10.2.0.0/24 action send-map-request
before=$(lisp_stat "$X1" lisp0 tx-miss)
in_ns "$H1" ping -c1 -W20 10.2.0.1 >/dev/null 2>&1 &
ping=$!
tx_miss_moved() { [ "$(lisp_stat "$X1" lisp0 tx-miss)" -gt "$before" ]; }
slowwait 10 tx_miss_moved
check_err $? "tx-miss did not move"
lctl "$X1" map-cache replace lisp0 10.2.0.0/24 rloc 192.0.2.2
wait $ping
check_err $? "held packet not delivered after the positive entry replaced it"
log_test "action send-map-request holds the packet until resolved"

# natively-forward: routed without LISP. Traffic from H1 enters lisp0 by
# a policy route; the main table knows the native path.
RET=0
ip -n "$X1" route del 10.2.0.0/24 dev lisp0
ip -n "$X1" route add 10.2.0.0/24 via 192.0.2.2
ip -n "$X1" route add 10.2.0.0/24 dev lisp0 table 100
ip -n "$X1" rule add iif eth1 lookup 100 pref 100
lctl "$X1" map-cache replace lisp0 10.2.0.0/24 action native-forward
before=$(lisp_stat "$X1" lisp0 tx-native)
rx_before=$(lisp_stat "$X2" lisp0 rx-packets)
ns_ping "$H1" 10.2.0.1
check_err $? "no reply through native forwarding"
[ "$(lisp_stat "$X1" lisp0 tx-native)" -gt "$before" ]
check_err $? "tx-native did not move"
[ "$(lisp_stat "$X2" lisp0 rx-packets)" -eq "$rx_before" ]
check_err $? "X2 decapsulated: the packet was encapsulated anyway"
log_test "action native-forward routes natively"

# A natively-forward entry whose only route is the lisp device itself
# must not loop.
RET=0
ip -n "$X1" route del 10.2.0.0/24 via 192.0.2.2
ip -n "$X1" route add 10.2.0.0/24 dev lisp0
before=$(lisp_stat "$X1" lisp0 tx-no-route)
ns_ping "$H1" 10.2.0.1
check_fail $? "ping went through"
[ "$(lisp_stat "$X1" lisp0 tx-no-route)" -gt "$before" ]
check_err $? "tx-no-route did not move"
log_test "native-forward back into lisp0 is dropped, not looped"

# Malformed requests are refused and change nothing.
RET=0
lctl "$X1" map-cache replace lisp0 10.2.0.0/24 rloc 192.0.2.2
out=$(lctl "$X1" map-cache add lisp0 10.2.0.0/24 rloc 192.0.2.9 2>&1)
check_fail $? "duplicate add accepted"
grep -qi "exists" <<<"$out"
check_err $? "no 'exists' in: $out"
lctl "$X1" -j map-cache show | grep -q 192.0.2.9
check_fail $? "the refused entry changed the map-cache"
log_test "add of an existing prefix refused with EEXIST, entry unchanged"

tap_done
