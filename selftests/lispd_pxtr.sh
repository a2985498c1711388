#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Proxy xTRs (RFC 6832) with lispd:
#
#   H1 -- X1 ===== 192.0.2.0/24 ===== X2 -- H2
#                                      |  \ 203.0.113.0/24
#                   198.51.100.0/24    M   P -- N  (172.16.0.0/24, not LISP)
#
# P is a proxy xTR: its lispd runs the pitr role and its lisp0 is a
# proxy-ETR (petr).  PITR: N, a host of no LISP site, pings H2; P
# attracts 10.0.0.0/8, resolves 10.2.0.1 through M and encapsulates to
# X2; H2's answer goes back natively.  PETR: H1 pings N; X1 learns from M
# that 172.16.0.1 is not LISP (negative, native-forward) and, having a
# proxy-etr configured, encapsulates to P, which decapsulates and
# forwards natively.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip ping
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
lisp_load_module miss_hold_ms=30000 || skip_all "cannot load lisp.ko"
topo_setup || { tap_not_ok "topology setup"; tap_done; }
setup_ns M P N || { tap_not_ok "namespaces M P N"; tap_done; }
topo_ms_link || { tap_not_ok "link X2-M"; tap_done; }
connect_ns "$X2" eth3 203.0.113.2/24 "$P" eth0 203.0.113.4/24 ||
	{ tap_not_ok "link X2-P"; tap_done; }
connect_ns "$P" eth1 172.16.0.254/24 "$N" eth0 172.16.0.1/24 ||
	{ tap_not_ok "link P-N"; tap_done; }
in_ns "$P" sysctl -qw net.ipv4.ip_forward=1
ip -n "$X1" route add 203.0.113.0/24 via 192.0.2.2
ip -n "$X2" route add 172.16.0.0/24 via 203.0.113.4	# native, not lisp0
ip -n "$P" route add default via 203.0.113.2
ip -n "$N" route add default via 172.16.0.254
# P: proxy-ETR device, attracting the EID space for the PITR.
ip -n "$P" link add lisp0 type lisp petr && ip -n "$P" link set lisp0 up ||
	{ tap_not_ok "P lisp0 petr"; tap_done; }
ip -n "$P" route add 10.0.0.0/8 dev lisp0
# X1 sends what is not LISP into lisp0, towards its proxy-ETR.
ip -n "$X1" route add 172.16.0.0/24 dev lisp0

lispd_dirs lispd_pxtr || { tap_not_ok "run directories"; tap_done; }

cat >"$run/m.conf" <<EOC
roles = { map-server, map-resolver }
control-socket = "$sock/m.sock"
site a { key = "key-a" eid-prefix 10.1.0.0/24 {} }
site b { key = "key-b" eid-prefix 10.2.0.0/24 {} }
EOC
cat >"$run/x1.conf" <<EOC
roles = { itr, etr }
control-socket = "$sock/x1.sock"
database-mapping "10.1.0.0/24" { rloc 192.0.2.1 {} }
map-server 198.51.100.1 { key = "key-a" }
map-resolver = { 198.51.100.1 }
proxy-etr 203.0.113.4 {}
EOC
cat >"$run/x2.conf" <<EOC
roles = { itr, etr }
control-socket = "$sock/x2.sock"
database-mapping "10.2.0.0/24" { rloc 192.0.2.2 {} }
map-server 198.51.100.1 { key = "key-b" }
map-resolver = { 198.51.100.1 }
EOC
cat >"$run/p.conf" <<EOC
roles = { pitr }
control-socket = "$sock/p.sock"
map-resolver = { 198.51.100.1 }
EOC


RET=0
out=$("$LISPD" -n -c "$run/p.conf" 2>&1)
check_err $? "p.conf: $out"
log_test "lispd -n accepts a pitr configuration"

start_sites
start "$P" p
wait_for 20 registered || { tap_not_ok "ETRs registered" "$(show m site 2>&1)"; tap_done; }

RET=0
out=$(in_ns "$N" ping -c1 -W25 10.2.0.1 2>&1)
check_err $? "N cannot reach H2: $out"
show p map-cache | grep -q "^10.2.0.0/24 .*rloc 192.0.2.2"
check_err $? "P's map-cache: $(show p map-cache 2>&1)"
[ "$(map_packets "$P" 10.2.0.0/24)" -ge 1 ]
check_err $? "P did not encapsulate: $(map_line "$P" 10.2.0.0/24)"
out=$(in_ns "$N" ping -c3 -i0.3 -W2 10.2.0.1 2>&1)
check_err $? "later pings: $out"
log_test "PITR: a non-LISP host reaches an EID; P resolves it and encapsulates"

RET=0
out=$(in_ns "$H1" ping -c1 -W25 172.16.0.1 2>&1)
check_err $? "H1 cannot reach N: $out"
show x1 map-cache | grep -q "proxy\|rloc 203.0.113.4"
check_err $? "X1's map-cache: $(show x1 map-cache 2>&1)"
lctl "$X1" map-cache show | grep -q "via 203.0.113.4"
check_err $? "X1's kernel: $(lctl "$X1" map-cache show 2>&1)"
before=$(lisp_stat "$P" lisp0 rx-packets)
out=$(in_ns "$H1" ping -c3 -i0.3 -W2 172.16.0.1 2>&1)
check_err $? "later pings: $out"
after=$(lisp_stat "$P" lisp0 rx-packets)
[ "$after" != NaN ] && [ "$after" -ge $((before + 3)) ]
check_err $? "P decapsulated $before -> $after"
log_test "PETR: X1 sends non-LISP destinations to its proxy-ETR, which decapsulates"

RET=0
lispd_stop x1 x2 p m
log_test "clean exit"

lispd_done m x1 x2 p
