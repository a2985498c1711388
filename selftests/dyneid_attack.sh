#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Dynamic-EID detection under attack: a first-hop router R keeps detecting
# real hosts, within the usual time, while its LAN is flooded or spoofed.
#
#   H1 (10.1.0.11)  H2 (10.1.0.12, fd01::12)  H6 (spoofer of 10.1.0.11)
#        \                  |                  /
#         +------------ S (bridge) -----------+
#                           |
#                     R r-lan 10.1.0.1 / fd01::1        policies lan, lan6
#                     R r-big 10.128.0.1/9              policy big
#                           |
#         +------------ B (bridge) -----------+
#        /                                     \
#   A (floods gratuitous ARP)            H7 (10.128.0.7)
#
# Attacks: a RARP storm; a second MAC sending with H1's address; unicast
# NAs with a hop limit of 64 or a wrong checksum; gratuitous ARPs for
# 70,000 addresses, more than the namespace's 65,536 hosts.  Each must be
# counted and bounded, and leave the real hosts detected as usual; a host
# that really changes MAC is still followed.

source "$(dirname "$0")/lib.sh"

FRAMES="$LIB_DIR/tools/dyn_frames.py"
BURST=70000		# gratuitous ARPs, distinct addresses

require_root
require_vm
require_cmd ip ping python3 bridge
lisp_load_module || skip_all "cannot load lisp.ko"

setup_ns R S B A H1 H2 H6 H7 || { tap_not_ok "namespaces"; tap_done; }

RET=0
bridge_add "$S" br0 && bridge_add "$B" br0 &&
	bridge_port "$S" br0 s-r "$R" r-lan "10.1.0.1/24 fd01::1/64" &&
	bridge_port "$S" br0 s-h1 "$H1" eth0 "10.1.0.11/24" &&
	bridge_port "$S" br0 s-h2 "$H2" eth0 "10.1.0.12/24 fd01::12/64" &&
	bridge_port "$S" br0 s-h6 "$H6" eth0 "" &&
	bridge_port "$B" br0 b-r "$R" r-big "10.128.0.1/9" &&
	bridge_port "$B" br0 b-a "$A" eth0 "" &&
	bridge_port "$B" br0 b-h7 "$H7" eth0 "10.128.0.7/9"
check_err $? "topology"
RMAC=$(in_ns "$R" cat /sys/class/net/r-lan/address)
H1MAC=$(in_ns "$H1" cat /sys/class/net/eth0/address)
H2MAC=$(in_ns "$H2" cat /sys/class/net/eth0/address)
H6MAC=$(in_ns "$H6" cat /sys/class/net/eth0/address)
lctl "$R" dyn add lan prefix 10.1.0.0/24 dev r-lan &&
	lctl "$R" dyn add lan6 prefix fd01::/64 dev r-lan &&
	lctl "$R" dyn add big prefix 10.128.0.0/9 dev r-big
check_err $? "dyn add"
log_test "topology and policies"

events=$(mktemp -p "$REPO_ROOT/build")
defer rm -f "$events"
lctl "$R" -j monitor >"$events" 2>&1 &
defer kill $!
sleep 1

count_events() {	# count_events EVENT EID
	grep -c "\"event\":\"eid-$1\".*\"eid\":\"$2\"" "$events"
}
events_are() {		# events_are EVENT EID N
	[ "$(count_events "$1" "$2")" -eq "$3" ]
}
host_line() {		# host_line EID: its "host show" line
	lctl "$R" host show | awk -v e="$1" '$1 == e'
}
host_has() {		# host_has EID TEXT
	host_line "$1" | grep -qF -- "$2"
}
counter() {		# counter POLICY NAME (JSON key), 0 when absent
	lctl "$R" -j dyn show "$1" |
		sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" | grep . || echo 0
}
counter_above() {	# counter_above POLICY NAME VALUE
	[ "$(counter "$1" "$2")" -gt "$3" ]
}

# ---------------------------------------------------------------------------
# RARP storm: looked at a few times a second, not once per frame.

RET=0
# R knows H2's MAC; H2 announces only its MAC, 2000 times at once.
ip -n "$R" neigh replace 10.1.0.12 lladdr "$H2MAC" dev r-lan nud permanent
rl0=$(counter lan ratelimited_if)
sent=$(in_ns "$H2" $PY "$FRAMES" rarp-burst eth0 2000)
check_err $? "sending the RARP storm"
wait_for 20 grep -q '"eid-detected".*"eid":"10.1.0.12"' "$events"
check_err $? "H2 not detected during its RARP storm"
host_has 10.1.0.12 "mac $H2MAC dev r-lan detect arp"
check_err $? "host show: $(host_line 10.1.0.12)"
rl=$(( $(counter lan ratelimited_if) - rl0 ))
[ "$rl" -ge 1000 ]
check_err $? "ratelimited_if moved by $rl for $sent RARPs, want >= 1000"
sleep 1
check_eq "$(count_events detected 10.1.0.12)" 1 "EID_DETECTED events for H2"
probes=$(counter lan probes)
log_test "RARP storm ($sent frames): H2 detected once, $rl RARPs rate-limited, $probes probes"

# ---------------------------------------------------------------------------
# A second MAC with H1's address: one flap event, H1 stays.

RET=0
ip -n "$H1" neigh replace 10.1.0.1 lladdr "$RMAC" dev eth0 nud permanent
ns_ping "$H1" 10.1.0.1
wait_for 20 grep -q '"eid-detected".*"eid":"10.1.0.11"' "$events"
check_err $? "no EID_DETECTED for H1"
host_has 10.1.0.11 "mac $H1MAC dev r-lan"
check_err $? "host show: $(host_line 10.1.0.11)"
# H1 goes on talking while H6 sends 500 pings from 10.1.0.11.
in_ns "$H1" ping -q -c 100 -i 0.2 -W 1 10.1.0.1 >/dev/null 2>&1 &
h1ping=$!
ip -n "$H6" addr add 10.1.0.11/24 dev eth0 &&
	ip -n "$H6" neigh replace 10.1.0.1 lladdr "$RMAC" dev eth0 nud permanent
check_err $? "H6 takes H1's address"
rlh0=$(counter lan ratelimited_host)
in_ns "$H6" ping -q -c 500 -i 0.02 -W 1 10.1.0.1 >/dev/null 2>&1 &
h6ping=$!
wait_for 20 grep -q '"eid-flap".*"eid":"10.1.0.11"' "$events"
check_err $? "no EID_FLAP for H1"
line=$(grep '"eid-flap".*"eid":"10.1.0.11"' "$events" | head -n1)
for kv in "\"mac\":\"$H1MAC\"" "\"flap_mac\":\"$H6MAC\"" '"dev":"r-lan"' \
	  '"flap_dev":"r-lan"'; do
	grep -qF "$kv" <<<"$line"
	check_err $? "EID_FLAP lacks $kv: $line"
done
# While both MACs talk: H1 stays, the flap shows.
line=$(host_line 10.1.0.11)
grep -qF "mac $H1MAC dev r-lan" <<<"$line"
check_err $? "H1 moved to the spoofer: $line"
grep -qF "flap-mac $H6MAC flap-dev r-lan" <<<"$line"
check_err $? "host show lacks the flap: $line"
kill -0 "$h6ping" 2>/dev/null
check_err $? "H6 stopped sending before the checks (too slow a guest?)"
wait "$h6ping" "$h1ping"
host_has 10.1.0.11 "mac $H1MAC dev r-lan"
check_err $? "H1 moved to the spoofer: $(host_line 10.1.0.11)"
check_eq "$(count_events flap 10.1.0.11)" 1 "EID_FLAP events for H1"
check_eq "$(count_events detected 10.1.0.11)" 1 "EID_DETECTED events for H1"
check_eq "$(counter lan flaps)" 1 "flaps counter"
counter_above lan ratelimited_host "$rlh0"
check_err $? "ratelimited_host did not move ($(counter lan ratelimited_host))"
# Settled: H6 silent for 5 s, only H1's MAC is left.
slowwait 30 eval '! host_has 10.1.0.11 flap-mac'
check_err $? "the flap never settled: $(host_line 10.1.0.11)"
host_has 10.1.0.11 "mac $H1MAC dev r-lan"
check_err $? "H1 after the flap: $(host_line 10.1.0.11)"
log_test "500 pings from a second MAC with H1's address: one EID_FLAP with both MACs, H1 stays"

# ---------------------------------------------------------------------------
# Invalid neighbour advertisements are counted, not believed.

RET=0
inv0=$(counter lan6 nd_invalid)
in_ns "$H2" $PY "$FRAMES" na eth0 "$RMAC" fd01::12 fd01::1 fd01::12 hlim 64
check_err $? "sending an NA with hop limit 64"
in_ns "$H2" $PY "$FRAMES" na eth0 "$RMAC" fd01::12 fd01::1 fd01::12 badsum
check_err $? "sending an NA with a wrong checksum"
wait_for 20 counter_above lan6 nd_invalid $((inv0 + 1))
check_err $? "nd_invalid moved from $inv0 to $(counter lan6 nd_invalid), want +2"
sleep 1
check_eq "$(count_events detected fd01::12)" 0 "EID_DETECTED for invalid NAs"
check_eq "$(host_line fd01::12)" "" "fd01::12 in host show"
# The same NA, valid: detects.
in_ns "$H2" $PY "$FRAMES" na eth0 "$RMAC" fd01::12 fd01::1 fd01::12
wait_for 20 grep -q '"eid-detected".*"eid":"fd01::12"' "$events"
check_err $? "a valid unicast NA did not detect fd01::12"
host_has fd01::12 "mac $H2MAC dev r-lan detect nd"
check_err $? "host show: $(host_line fd01::12)"
log_test "unicast NA with hop limit 64 or a bad checksum: not detected, nd_invalid +2"

# ---------------------------------------------------------------------------
# Gratuitous ARPs for 70,000 addresses: new hosts are still detected.

RET=0
rl0=$(counter big ratelimited_if)
t0=$(date +%s)
sent=$(in_ns "$A" $PY "$FRAMES" garp-burst eth0 10.129.0.0 $BURST)
check_err $? "sending the gratuitous ARP burst"
t1=$(date +%s)
# A real host, new to R, right after the burst: its first packet detects
# it.  Before the fix the burst filled the table (overflow counted them).
ip -n "$H7" neigh replace 10.128.0.1 lladdr \
	"$(in_ns "$R" cat /sys/class/net/r-big/address)" dev eth0 nud permanent
ns_ping "$H7" 10.128.0.1
wait_for 30 grep -q '"eid-detected".*"eid":"10.128.0.7"' "$events"
check_err $? "H7 not detected after the burst (overflow $(counter big overflow))"
t2=$(date +%s)
check_eq "$(counter big overflow)" 0 "hosts refused as the table is full"
rl=$(( $(counter big ratelimited_if) - rl0 ))
[ "$rl" -ge $((sent / 2)) ]
check_err $? "ratelimited_if moved by $rl for $sent gratuitous ARPs"
check_eq "$(grep -c '"eid-detected".*"eid":"10.129\.' "$events")" 0 \
	"EID_DETECTED for announced addresses"
log_test "$sent gratuitous ARPs in $((t1 - t0)) s ($rl rate-limited): H7 detected $((t2 - t1)) s later"

# ---------------------------------------------------------------------------
# A host that really changes MAC: followed within a few seconds.

RET=0
# 10.1.0.11 leaves H1 and lives on at H6, which now talks.
ip -n "$H1" addr del 10.1.0.11/24 dev eth0
probes0=$(counter lan probes)
t0=$(date +%s)
in_ns "$H6" ping -q -c 100 -i 0.2 -W 1 10.1.0.1 >/dev/null 2>&1 &
h6ping=$!
wait_for 30 grep -q "\"eid-detected\".*\"eid\":\"10.1.0.11\".*\"mac\":\"$H6MAC\"" "$events"
check_err $? "H1's address at H6 not detected: $(host_line 10.1.0.11)"
t1=$(date +%s)
kill "$h6ping" 2>/dev/null
wait "$h6ping" 2>/dev/null
host_has 10.1.0.11 "mac $H6MAC dev r-lan"
check_err $? "host show: $(host_line 10.1.0.11)"
check_eq "$(count_events flap 10.1.0.11)" 1 "EID_FLAP events for H1 (the earlier flap only)"
[ "$RET" -eq 0 ] || tap_diag "$(grep 10.1.0.11 "$events")"
log_test "10.1.0.11 moves from H1's MAC to H6's: EID_DETECTED after $((t1 - t0)) s (old MAC probed $(( $(counter lan probes) - probes0 )) times)"

tap_done
