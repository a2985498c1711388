#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A host moves between two sites whose Map-Servers sit under different
# DDT delegations (RFC 8111), and a branch that resolves through the DDT
# Map-Resolver follows it.  One LAN, 192.0.2.0/24 (lispd_ddt.sh's):
#
#   R   .1   root: 10.1.0.0/16 to T1, 10.2.0.0/16 to T2
#   T1  .11  10.1.1.0/24 to Map-Server M1; after the move 10.1.1.5/32 to M3
#   T2  .13  10.2.1.0/24 to Map-Server M3
#   M1  .21  site a, 10.1.1.0/24     M3  .23  site b, 10.2.1.0/24 and the
#                                              roaming host 10.1.1.5/32
#   MR  .50  DDT Map-Resolver
#   X1  .31  the branch's ITR, H1 10.3.0.1 behind it, map-resolver MR
#   X2  .32  site a's xTR, registers 10.1.1.0/24 with M1; Ha 10.1.1.5
#   X3  .33  site b's xTR, registers 10.1.1.5/32 with M3; Hb 10.1.1.5
#
# H1 pings 10.1.1.5 (Ha) and X1 caches 10.1.1.0/24 at X2; MR caches the
# MS-REFERRAL of 10.1.1.0/24 to M1, good for a day.  The move: X3
# registers the /32 with M3, T1 delegates it to M3 (a reload), X2 gets
# an away entry to X3 (as lispd_smr.sh: across Map-Servers no
# Map-Notify tells X2) and Ha goes.  H1 pings at 10/s throughout: X2
# re-encapsulates to X3 and sends X1 an SMR; X1's SMR-invoked Map-Request
# makes MR ask T1 again (not the cached M1, which still MS-ACKs site a's
# /24), T1 refers the /32 to M3, M3 forwards it to X3, X3 answers, and X1
# caches 10.1.1.5/32 at X3.  No ping may be lost.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip ping
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
lisp_load_module || skip_all "cannot load lisp.ko"
setup_ns C R T1 T2 M1 M3 MR X1 X2 X3 H1 Ha Hb ||
	{ tap_not_ok "namespaces"; tap_done; }
ddt_lan_setup || { tap_not_ok "bridge"; tap_done; }
ddt_lan "$R" 192.0.2.1 && ddt_lan "$T1" 192.0.2.11 &&
	ddt_lan "$T2" 192.0.2.13 && ddt_lan "$M1" 192.0.2.21 &&
	ddt_lan "$M3" 192.0.2.23 && ddt_lan "$MR" 192.0.2.50 &&
	ddt_lan "$X1" 192.0.2.31 && ddt_lan "$X2" 192.0.2.32 &&
	ddt_lan "$X3" 192.0.2.33 || { tap_not_ok "LAN"; tap_done; }
# site NS HOST-NS SITE-NET HOST-ADDR: a site xTR with its lisp0 and host.
site() {
	connect_ns "$2" eth0 "$4/24" "$1" eth1 "$3.254/24" &&
		ip -n "$2" route add default via "$3.254" &&
		in_ns "$1" sysctl -qw net.ipv4.ip_forward=1 &&
		printf '%s\n' "link add lisp0 type lisp" "link set lisp0 up" |
		ip -n "$1" -b -
}
site "$X1" "$H1" 10.3.0 10.3.0.1 && site "$X2" "$Ha" 10.1.1 10.1.1.5 &&
	site "$X3" "$Hb" 10.1.1 10.1.1.5 || { tap_not_ok "sites"; tap_done; }
# The branch reaches the host's site through lisp0; the sites reach the
# branch by a static mapping (its EID is not in the DDT's space).
ip -n "$X1" route add 10.1.1.0/24 dev lisp0 &&
	lctl "$X1" database add lisp0 10.3.0.0/24 &&
	for x in "$X2" "$X3"; do
		ip -n "$x" route add 10.3.0.0/24 dev lisp0 &&
			lctl "$x" map-cache add lisp0 10.3.0.0/24 rloc 192.0.2.31 ||
			break
	done || { tap_not_ok "routes"; tap_done; }

lispd_dirs lispd_ddt_move || { tap_not_ok "run directories"; tap_done; }
ddt_node_conf r 0.0.0.0/0 'ddt-delegation "10.1.0.0/16" { deleg-nodes = { 192.0.2.11 } }
ddt-delegation "10.2.0.0/16" { deleg-nodes = { 192.0.2.13 } }'
t1_conf() {	# t1_conf [DELEGATION-LINES]
	ddt_node_conf t1 10.1.0.0/16 'ddt-delegation "10.1.1.0/24" {
	delegation-type = map-server deleg-nodes = { 192.0.2.21 } }'"
${1-}"
}
t1_conf
ddt_node_conf t2 10.2.0.0/16 'ddt-delegation "10.2.1.0/24" {
	delegation-type = map-server deleg-nodes = { 192.0.2.23 } }'
ddt_ms_conf m1 a 10.1.1.0/24
ddt_ms_conf m3 b 10.2.1.0/24 10.1.1.5/32
printf '%s\n' "roles = { map-resolver }" "control-socket = \"$sock/mr.sock\"" \
	"ddt-root-addresses = { 192.0.2.1 }" >"$run/mr.conf"
xtr() {		# xtr NAME ROLES [MS KEY PREFIX RLOC]
	printf '%s\n' "roles = { $2 }" "xtr-interface = \"lisp0\"" \
		"control-socket = \"$sock/$1.sock\"" \
		"map-resolver = { 192.0.2.50 }" >"$run/$1.conf"
	[ $# -gt 2 ] && printf '%s\n' "map-server $3 { key = \"$4\" }" \
		"database-mapping \"$5\" { rloc $6 {} }" >>"$run/$1.conf"
}
xtr x1 itr
xtr x2 etr 192.0.2.21 key-a 10.1.1.0/24 192.0.2.32
xtr x3 etr 192.0.2.23 key-b 10.1.1.5/32 192.0.2.33

start "$R" r
start "$T1" t1
start "$T2" t2
start "$M1" m1
start "$M3" m3
start "$MR" mr
start "$X1" x1
start "$X2" x2
wait_for 10 test -S "$sock/m3.sock" -a -S "$sock/mr.sock"
site_of() {	# site_of NAME EID RLOC: NAME holds EID's registration from RLOC
	show "$1" site 2>/dev/null | grep -q " $2 iid 0 registrant $3 "
}

RET=0
wait_for 20 site_of m1 10.1.1.0/24 192.0.2.32
check_err $? "M1 has no registration from X2: $(show m1 site 2>&1)"
out=$(in_ns "$H1" ping -c1 -W25 10.1.1.5 2>&1)
check_err $? "first ping lost: $out"
show x1 map-cache | grep -q "^10.1.1.0/24 .*rloc 192.0.2.32"
check_err $? "X1 map-cache: $(show x1 map-cache 2>&1)"
show mr referral-cache | grep -q "10.1.1.0/24 iid 0 ms-referral .*referrals 192.0.2.21$"
check_err $? "MR referral cache: $(show mr referral-cache 2>&1)"
log_test "resolved through DDT: X1 caches 10.1.1.0/24 at site a (X2)"

RET=0
start "$X3" x3
wait_for 20 site_of m3 10.1.1.5/32 192.0.2.33
check_err $? "M3 has no registration from X3: $(show m3 site 2>&1)"
t1_conf 'ddt-delegation "10.1.1.5/32" {
	delegation-type = map-server deleg-nodes = { 192.0.2.23 } }'
kill -HUP "$pid_t1"
wait_for 10 grep -q "reloading" "$run/t1.log"
check_err $? "T1 did not reload"
log_test "site b registered the host's /32 with M3; T1 delegates it to M3"

# 10 pings a second for 8 s; the move a second in.
RET=0
in_ns "$H1" ping -q -i 0.1 -c 80 -W 2 10.1.1.5 >"$run/ping.out" 2>&1 &
pid_ping=$!
t1_rx=$(stat_of t1 ddt-map-request-received)
r_rx=$(stat_of r ddt-map-request-received)
sleep 1
lctl "$X2" map-cache add lisp0 10.1.1.5/32 rloc 192.0.2.33 away &&
	ip -n "$Ha" link set eth0 down
check_err $? "the move"
redirected() { show x1 map-cache | grep -q "^10.1.1.5/32 .*rloc 192.0.2.33"; }
wait_for 20 redirected
check_err $? "X1 map-cache: $(show x1 map-cache 2>&1)"
wait "$pid_ping"
out=$(cat "$run/ping.out")
grep -q " 80 received, 0% packet loss" <<<"$out"
check_err $? "pings lost during the move: $out"
log_test "the move: X2's SMR, DDT resolution, X1 caches 10.1.1.5/32 at site b; no ping lost at 10/s"

RET=0
grep -q "SMR from 192.0.2.32 for 10.1.1.5/32" "$run/x1.log"
check_err $? "X1 logged no SMR from X2"
[ "$(stat_of t1 ddt-map-request-received)" -gt "$t1_rx" ]
check_err $? "MR did not ask T1 again"
check_eq "$(stat_of r ddt-map-request-received)" "$r_rx" "the root asked"
out=$(show mr referral-cache)
grep -q "10.1.1.5/32 iid 0 ms-referral .*referrals 192.0.2.23$" <<<"$out" &&
	grep -q "10.1.1.0/24 iid 0 ms-referral .*referrals 192.0.2.21$" <<<"$out"
check_err $? "MR referral cache: $out"
# The branch now sends straight to site b: X2's away entry stays idle.
away=$(lisp_stat "$X2" lisp0 rx-away)
in_ns "$H1" ping -c2 -i0.2 -W2 10.1.1.5 >/dev/null 2>&1
check_err $? "no answer from site b"
check_eq "$(lisp_stat "$X2" lisp0 rx-away)" "$away" "X2 still re-encapsulates"
log_test "the referral cache holds the /32 at M3 beside site a's /24; X1 sends to site b directly"

RET=0
lispd_stop x1 x2 x3 mr r t1 t2 m1 m3
log_test "clean exit"

lispd_done mr t1 m1 m3 x1 x2 x3
