#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DDT (RFC 8111): a three-level hierarchy of lispds on one LAN,
# 192.0.2.0/24 (a bridge in C):
#
#   R   .1   root DDT node: 0.0.0.0/0; 10.1.0.0/16 to T1,
#            10.2.0.0/16 to { .12 (no such node), T2 }
#   T1  .11  DDT node: 10.1.0.0/16; 10.1.1.0/24 to Map-Servers M1, M2
#   T2  .13  DDT node: 10.2.0.0/16; 10.2.1.0/24 to Map-Servers M3, M4
#   M1..M4 .21-.24  DDT Map-Servers, site a 10.1.1.0/24 (M1, M2) and
#            site b 10.2.1.0/24 (M3, M4)
#   MR  .50  DDT Map-Resolver, root .1
#   C   .100 "lispctl lookup" (lig) through MR; registrations crafted
#
# Site a registers with M1, site b with M4 only, both asking for proxy
# Map-Replies, so each answer comes from a Map-Server.  Checked: an EID
# is resolved across the three levels; a second EID of the site skips
# the root (its DDT Map-Request counter stays) and the referral cache
# shows why; holes at the root and at a TLD get negative Map-Replies of
# the hole's size; the dead .12 costs one timeout, then T2 answers, and
# M3's MS-NOT-REGISTERED sends the resolver on to M4; tshark reads the
# Map-Referrals and D-bit ECMs captured on the LAN as sent.  Then Open Overlay
# Router (when installed) replaces T2, and its MS-REFERRAL and
# DELEGATION-HOLE are followed.  No kernel module: no data plane is
# involved.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

CRAFT="$LIB_DIR/tools/lisp_ctrl.py"
require_cmd ip
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
[ -x /usr/bin/python3 ] || skip_all "no /usr/bin/python3 to craft Map-Registers"
setup_ns C R T1 T2 M1 M2 M3 M4 MR || { tap_not_ok "namespaces"; tap_done; }
ddt_lan_setup || { tap_not_ok "bridge"; tap_done; }
ddt_lan "$R" 192.0.2.1 && ddt_lan "$T1" 192.0.2.11 &&
	ddt_lan "$T2" 192.0.2.13 &&
	ddt_lan "$M1" 192.0.2.21 && ddt_lan "$M2" 192.0.2.22 &&
	ddt_lan "$M3" 192.0.2.23 && ddt_lan "$M4" 192.0.2.24 &&
	ddt_lan "$MR" 192.0.2.50 || { tap_not_ok "LAN"; tap_done; }

lispd_dirs lispd_ddt || { tap_not_ok "run directories"; tap_done; }

ddt_node_conf r 0.0.0.0/0 'ddt-delegation "10.1.0.0/16" { deleg-nodes = { 192.0.2.11 } }
ddt-delegation "10.2.0.0/16" { deleg-nodes = { 192.0.2.12, 192.0.2.13 } }'
ddt_node_conf t1 10.1.0.0/16 'ddt-delegation "10.1.1.0/24" {
	delegation-type = map-server
	deleg-nodes = { 192.0.2.21, 192.0.2.22 }
}'
ddt_node_conf t2 10.2.0.0/16 'ddt-delegation "10.2.1.0/24" {
	delegation-type = map-server
	deleg-nodes = { 192.0.2.23, 192.0.2.24 }
}'
ddt_ms_conf m1 a 10.1.1.0/24
ddt_ms_conf m2 a 10.1.1.0/24
ddt_ms_conf m3 b 10.2.1.0/24
ddt_ms_conf m4 b 10.2.1.0/24
printf '%s\n' "roles = { map-resolver }" "control-socket = \"$sock/mr.sock\"" \
	"ddt-root-addresses = { 192.0.2.1 }" >"$run/mr.conf"

RET=0
for n in r t1 t2 m1 mr; do
	out=$("$LISPD" -n -c "$run/$n.conf" 2>&1)
	check_err $? "$n.conf: $out"
done
printf 'roles = { ddt-node }\nddt-delegation "10.1.0.0/16" { delegation-type = ms deleg-nodes = { 192.0.2.1 } }\n' >"$run/bad.conf"
out=$("$LISPD" -n -c "$run/bad.conf" 2>&1)
check_fail $? "a bad delegation-type accepted"
grep -q 'bad.conf:2: ddt-delegation "10.1.0.0/16": delegation-type "ms" (child-ddt-node, map-server)' <<<"$out"
check_err $? "no reason given: $out"
log_test "DDT configurations: accepted, and a bad line refused with its reason"

start "$R" r
start "$T1" t1
start "$T2" t2
start "$M1" m1
start "$M2" m2
start "$M3" m3
start "$M4" m4
start "$MR" mr
wait_for 10 test -S "$sock/m4.sock" -a -S "$sock/mr.sock" -a -S "$sock/r.sock"

RET=0
in_ns "$C" $PY "$CRAFT" register --to 192.0.2.21 --key key-a --proxy \
	--nonce 1 --eid 10.1.1.0/24 --rloc 192.0.2.201 --wait 3
check_err $? "M1 did not take site a's registration"
in_ns "$C" $PY "$CRAFT" register --to 192.0.2.24 --key key-b --proxy \
	--nonce 2 --eid 10.2.1.0/24 --rloc 192.0.2.202 --wait 3
check_err $? "M4 did not take site b's registration"
log_test "sites a and b registered with M1 and M4, proxy-reply"

# Every control message on the LAN, for tshark at the end.
if command -v tcpdump >/dev/null && command -v tshark >/dev/null; then
	in_ns "$C" tcpdump -U -ni br0 -w "$run/lan.pcap" 'udp port 4342' \
		2>"$run/tcpdump.err" &
	pid_tcpdump=$!
	defer kill "$pid_tcpdump"
	tcpdump_ready "$run/tcpdump.err"
fi

lookup() {	# lookup EID: lig from C through the DDT Map-Resolver
	lctl "$C" lookup "$1" -m 192.0.2.50 -t 6000 -c 1 2>&1
}

RET=0
out=$(lookup 10.1.1.5)
check_err $? "no answer: $out"
grep -q "Map-Reply from 192.0.2.21 " <<<"$out" &&
	grep -q "10.1.1.0/24 ttl 1440, 1 locator" <<<"$out" &&
	grep -q "192.0.2.201 priority 1 weight 100" <<<"$out"
check_err $? "not M1's proxy reply for site a: $out"
check_eq "$(stat_of r ddt-map-request-received)" 1 "root asked"
check_eq "$(stat_of t1 ddt-map-request-received)" 1 "T1 asked"
check_eq "$(stat_of m1 map-referral-sent)" 1 "M1's MS-ACK"
log_test "resolved across root, TLD and Map-Server"

RET=0
out=$(lookup 10.1.1.6)
check_err $? "no answer: $out"
grep -q "Map-Reply from 192.0.2.21 " <<<"$out"
check_err $? "not M1's reply: $out"
check_eq "$(stat_of r ddt-map-request-received)" 1 "root asked again"
check_eq "$(stat_of t1 ddt-map-request-received)" 1 "T1 asked again"
check_eq "$(stat_of mr referral-cache-hit)" 1 "cache hits"
out=$(show mr referral-cache)
grep -q "10.1.1.0/24 iid 0 ms-referral .*referrals 192.0.2.21 192.0.2.22" <<<"$out" &&
	grep -q "10.1.0.0/16 iid 0 node-referral .*referrals 192.0.2.11$" <<<"$out"
check_err $? "referral cache: $out"
out=$(LISPD_SOCKET="$sock/mr.sock" "$LISPCTL" -j show referral-cache)
grep -q '"eid":"10.1.1.0/24","action":"ms-referral","expires":[0-9]*,"hits":1,"referrals":\["192.0.2.21","192.0.2.22"\],"iid":0' <<<"$out"
check_err $? "referral cache JSON: $out"
log_test "a second EID of the site skips the root and the TLD: referral cache"

RET=0
out=$(lookup 10.3.0.1)
check_err $? "no answer: $out"
grep -q "Map-Reply from 192.0.2.50 " <<<"$out" &&
	grep -q "10.3.0.0/16 ttl 15 negative action native-forward" <<<"$out"
check_err $? "not the root's hole: $out"
out=$(lookup 10.1.2.1)
check_err $? "no answer: $out"
grep -q "10.1.2.0/23 ttl 15 negative action native-forward" <<<"$out"
check_err $? "not T1's hole: $out"
log_test "delegation holes: negative Map-Replies of the hole's size"

RET=0
out=$(lookup 10.2.1.7)
check_err $? "no answer: $out"
grep -q "Map-Reply from 192.0.2.24 " <<<"$out" &&
	grep -q "192.0.2.202 priority 1 weight 100" <<<"$out"
check_err $? "not M4's proxy reply for site b: $out"
check_eq "$(stat_of mr ddt-map-request-retransmit)" 1 "retransmits (to the dead node)"
check_eq "$(stat_of t2 ddt-map-request-received)" 1 "T2 asked"
check_eq "$(stat_of m3 map-referral-sent)" 1 "M3's MS-NOT-REGISTERED"
log_test "an unreachable DDT node: the next referral; an unregistered Map-Server: the next"

# Wireshark's LISP dissector reads our Map-Referrals as we meant them:
# source, action, Incomplete, TTL, EID prefix, referral count.
if [ -n "${pid_tcpdump-}" ]; then
	RET=0
	sleep 1
	kill "$pid_tcpdump"
	wait "$pid_tcpdump" 2>/dev/null
	# One tshark run (each costs seconds under TCG): a line a message,
	# its type, the fields of a Map-Referral's first record, the ECM's
	# D bit, and whether anything is malformed or suspect.
	all=$(tshark -r "$run/lan.pcap" -T fields -E separator=' ' \
		-E occurrence=f -e lisp.type -e ip.src -e lisp.mapping.act \
		-e lisp.referral.incomplete -e lisp.mapping.ttl \
		-e lisp.mapping.eid.ipv4 -e lisp.mapping.eid.masklen \
		-e lisp.mapping.loccnt -e lisp.ecm.flags.ddt \
		-e _ws.malformed -e _ws.expert.severity 2>/dev/null)
	for want in "192.0.2.1 0 0 1440 10.1.0.0 16 1" \
		"192.0.2.11 1 0 1440 10.1.1.0 24 2" \
		"192.0.2.21 2 1 1440 10.1.1.0 24 1" \
		"192.0.2.1 4 0 15 10.3.0.0 16 0" \
		"192.0.2.11 4 0 15 10.1.2.0 23 0" \
		"192.0.2.1 0 0 1440 10.2.0.0 16 2" \
		"192.0.2.23 3 1 1 10.2.1.0 24 1"; do
		grep -qx "6 $want   " <<<"$all"
		check_err $? "no Map-Referral \"$want\" in: $all"
	done
	# (the last two fields, malformed and severity, empty: "  " ends it)
	bad=$(grep -v '  $' <<<"$all")
	[ -z "$bad" ]
	check_err $? "tshark finds malformed or suspect messages: $bad"
	n=$(grep -c "^8 192.0.2.50 .* 1  $" <<<"$all")
	[ "$n" -ge 8 ]
	check_err $? "$n DDT Map-Requests (D bit) from the resolver: $all"
	log_test "tshark decodes every Map-Referral and DDT Map-Request as sent"
else
	log_test_skip "tshark decodes every Map-Referral and DDT Map-Request as sent" "no tcpdump or tshark"
fi

# Open Overlay Router as T2: its Map-Referrals, read by our resolver.
OOR=${OOR:-/usr/sbin/oor}
if [ -x "$OOR" ]; then
	cat >"$run/oor.conf" <<EOC
debug                  = 3
operating-mode         = DDT
control-iface          = eth0
ddt-auth-site {
    eid-prefix         = 10.2.0.0/16
    iid                = 0
}
ddt-deleg-site {
    eid-prefix         = 10.2.1.0/24
    iid                = 0
    delegation-type    = MAP_SERVER_DDT_NODE
    deleg-nodes        = { 192.0.2.23, 192.0.2.24 }
}
EOC
	RET=0
	lispd_stop t2
	# OOR's API socket has a fixed name in /tmp: a /tmp of its own.
	ip netns exec "$T2" unshare -m sh -c \
		'mount -t tmpfs oor /tmp && cat >/tmp/oor.conf &&
		 exec stdbuf -oL "$0" -f /tmp/oor.conf </dev/null' \
		"$OOR" <"$run/oor.conf" >"$run/oor.log" 2>&1 &
	pid_oor=$!
	defer kill "$pid_oor"
	wait_for 10 grep -q "DDT" "$run/oor.log"
	kill -HUP "$pid_mr"		# a reload empties the referral cache
	wait_for 10 grep -q "running roles" "$run/mr.log"
	sleep 1
	out=$(lookup 10.2.1.8)
	check_err $? "no answer through OOR: $out"
	grep -q "Map-Reply from 192.0.2.24 " <<<"$out"
	check_err $? "not M4's proxy reply after OOR's MS-REFERRAL: $out"
	out=$(lookup 10.2.7.1)
	check_err $? "no answer: $out"
	# OOR 1.3 names a hole that does not hold the EID (11.2.4.0/22 for
	# 10.2.7.1): negative for the EID alone, and said in the log.
	grep -q "10.2.7.1/32 ttl 15 negative action native-forward" <<<"$out"
	check_err $? "not OOR's hole: $out"
	grep -q "Map-Referral from 192.0.2.13: delegation-hole for .*, asked 10.2.7.1/32: negative for 10.2.7.1/32 only" "$run/mr.log"
	check_err $? "OOR's hole prefix not logged"
	log_test "Open Overlay Router as a DDT node: its MS-REFERRAL and DELEGATION-HOLE followed"
	kill "$pid_oor"
	wait "$pid_oor" 2>/dev/null
	RET=0
	lispd_stop r t1 m1 m2 m3 m4 mr
else
	log_test_skip "Open Overlay Router as a DDT node" "no $OOR"
	RET=0
	lispd_stop r t1 t2 m1 m2 m3 m4 mr
fi
log_test "clean exit"

lispd_done r t1 t2 m1 m2 m3 m4 mr oor
