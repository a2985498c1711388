#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# RLOC probing (RFC 9301 7.1) by lispd:
#
#   H1 -- X1 ===== 192.0.2.0/24 ===== X2 -- H2
#                              (.2 and .12) |  198.51.100.0/24
#                                           M
#
# X2's site has two locators, 192.0.2.2 and 192.0.2.12, equal priority.
# X1 probes both every 2 s: both are up.  Then .12 stops answering (the
# address goes away): after 3 unanswered probes X1 marks it down, the
# kernel no longer uses it and every flow goes to .2; when .12 answers
# again it is up again.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip ping
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
lisp_load_module miss_hold_ms=30000 || skip_all "cannot load lisp.ko"
topo_setup || { tap_not_ok "topology setup"; tap_done; }
setup_ns M || { tap_not_ok "namespace M"; tap_done; }
topo_ms_link || { tap_not_ok "link X2-M"; tap_done; }
ip -n "$X2" addr add 192.0.2.12/24 dev eth0

lispd_dirs lispd_probe || { tap_not_ok "run directories"; tap_done; }

cat >"$run/m.conf" <<EOC
roles = { map-server, map-resolver }
control-socket = "$sock/m.sock"
site a { key = "key-a" eid-prefix 10.1.0.0/24 {} }
site b { key = "key-b" eid-prefix 10.2.0.0/24 {} }
EOC
cat >"$run/x1.conf" <<EOC
roles = { itr, etr }
control-socket = "$sock/x1.sock"
rloc-probing = true
rloc-probe-interval = 2
database-mapping "10.1.0.0/24" { rloc 192.0.2.1 {} }
map-server 198.51.100.1 { key = "key-a" }
map-resolver = { 198.51.100.1 }
EOC
cat >"$run/x2.conf" <<EOC
roles = { itr, etr }
control-socket = "$sock/x2.sock"
database-mapping "10.2.0.0/24" {
	rloc 192.0.2.2 { priority = 1 weight = 50 }
	rloc 192.0.2.12 { priority = 1 weight = 50 }
}
map-server 198.51.100.1 { key = "key-b" }
map-resolver = { 198.51.100.1 }
EOC

loc_state() {	# loc_state RLOC: up/down as X1's lispd shows it
	show x1 map-cache | grep "^10.2.0.0/24 " | tr ',' '\n' |
		awk -v r="$1" '{ for (i = 1; i < NF; i++) if ($i == r) { for (j = i; j <= NF; j++) if ($j == "up" || $j == "down") { print $j; exit } } }'
}
answered() {	# answered RLOC: up, with a probe round trip
	show x1 map-cache | grep "^10.2.0.0/24 " | tr ',' '\n' |
		grep -q "$1 priority .* up rtt"
}

start_sites
wait_for 20 registered || { tap_not_ok "ETRs registered" "$(show m site 2>&1)"; tap_done; }

RET=0
out=$(in_ns "$H1" ping -c1 -W25 10.2.0.1 2>&1)
check_err $? "first ping lost: $out"
show x1 map-cache | grep -q "^10.2.0.0/24 .*192.0.2.2 .*192.0.2.12"
check_err $? "X1 map-cache: $(show x1 map-cache 2>&1)"
wait_for 15 answered 192.0.2.2 && wait_for 10 answered 192.0.2.12
check_err $? "not both probed and up: $(show x1 map-cache 2>&1)"
[ "$(stat_of x2 rloc-probe-reply-sent)" -ge 2 ]
check_err $? "X2 sent no probe replies: $(show x2 statistics | grep probe)"
log_test "X1 probes both locators of X2's site; both answer and are up"

RET=0
ip -n "$X2" addr del 192.0.2.12/24 dev eth0
down() { [ "$(loc_state 192.0.2.12)" = down ]; }
wait_for 20 down
check_err $? "192.0.2.12 not marked down: $(show x1 map-cache 2>&1)"
check_eq "$(loc_state 192.0.2.2)" up "192.0.2.2"
map_line "$X1" 10.2.0.0/24 | tr ',' '\n' | grep -q "192.0.2.12 .*unreachable"
check_err $? "the kernel still uses it: $(map_line "$X1" 10.2.0.0/24)"
grep -q "map-cache 10.2.0.0/24: locator 192.0.2.12 down, probes unanswered" "$run/x1.log"
check_err $? "not logged"
log_test "a locator that stops answering is marked down after 3 probes, in the kernel too"

RET=0
p2=$(rloc_packets "$X1" 10.2.0.0/24 192.0.2.2)
p12=$(rloc_packets "$X1" 10.2.0.0/24 192.0.2.12)
udp_flows "$H1" 10.2.0.1 40
out=$(in_ns "$H1" ping -c3 -i0.3 -W2 10.2.0.1 2>&1)
check_err $? "no ping over the remaining locator: $out"
check_eq "$(rloc_packets "$X1" 10.2.0.0/24 192.0.2.12)" "$p12" "packets still sent to .12"
[ "$(rloc_packets "$X1" 10.2.0.0/24 192.0.2.2)" -ge $((p2 + 43)) ]
check_err $? "not all flows on .2: $p2 -> $(rloc_packets "$X1" 10.2.0.0/24 192.0.2.2)"
log_test "all traffic moves to the other locator"

RET=0
ip -n "$X2" addr add 192.0.2.12/24 dev eth0
up() { [ "$(loc_state 192.0.2.12)" = up ]; }
wait_for 15 up
check_err $? "192.0.2.12 not up again: $(show x1 map-cache 2>&1)"
map_line "$X1" 10.2.0.0/24 | grep -q unreachable
check_fail $? "the kernel still avoids it: $(map_line "$X1" 10.2.0.0/24)"
[ "$(stat_of x1 rloc-up)" -ge 1 ]
check_err $? "not counted"
log_test "an answered probe brings the locator back"

RET=0
lispd_stop x1 x2 m
log_test "clean exit"

lispd_done m x1 x2
