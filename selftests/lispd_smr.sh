#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Solicit-Map-Request end to end (RFC 9301 6.1):
#
#   H1 -- X1 ===== 192.0.2.0/24 ===== X2 -- H2 (10.2.0.1)
#                                      |  \ 203.0.113.0/24
#                   198.51.100.0/24    M   X3  (10.2.0.1 moved here)
#
# X1 caches 10.2.0.0/24 -> X2.  Then 10.2.0.1 moves: X3 registers
# 10.2.0.1/32 and X2 gets an away entry for it.  X1's next packet to
# 10.2.0.1 reaches X2, whose kernel raises an SMR event; X2's lispd
# sends X1 an SMR; X1 asks the Map-Resolver again (SMR-invoked, s bit)
# and caches 10.2.0.1/32 -> X3.  An SMR for an EID X1 does not cache is
# counted and changes nothing.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

CRAFT="$LIB_DIR/tools/lisp_ctrl.py"
require_cmd ip ping
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
[ -x /usr/bin/python3 ] || skip_all "no /usr/bin/python3 to craft SMRs"
lisp_load_module miss_hold_ms=30000 || skip_all "cannot load lisp.ko"
topo_setup || { tap_not_ok "topology setup"; tap_done; }
setup_ns M X3 || { tap_not_ok "namespaces M X3"; tap_done; }
topo_ms_link || { tap_not_ok "link X2-M"; tap_done; }
connect_ns "$X2" eth3 203.0.113.2/24 "$X3" eth0 203.0.113.3/24 ||
	{ tap_not_ok "link X2-X3"; tap_done; }
ip -n "$X1" route add 203.0.113.0/24 via 192.0.2.2
ip -n "$X3" route add default via 203.0.113.2
ip -n "$X3" link add lisp0 type lisp && ip -n "$X3" link set lisp0 up ||
	{ tap_not_ok "X3 lisp0"; tap_done; }

lispd_dirs lispd_smr || { tap_not_ok "run directories"; tap_done; }

cat >"$run/m.conf" <<EOC
roles = { map-server, map-resolver }
control-socket = "$sock/m.sock"
site a {
	key = "key-a"
	eid-prefix 10.1.0.0/24 {}
}
site b {
	key = "key-b"
	eid-prefix 10.2.0.0/16 { accept-more-specifics = true }
}
EOC

# xtr_conf NAME ROLES KEY RLOC PREFIX
xtr_conf() {
	cat >"$run/$1.conf" <<EOC
roles = { $2 }
control-socket = "$sock/$1.sock"
database-mapping "$5" { rloc $4 {} }
map-server 198.51.100.1 { key = "$3" }
map-resolver = { 198.51.100.1 }
EOC
}
xtr_conf x1 "itr, etr" key-a 192.0.2.1 10.1.0.0/24
xtr_conf x2 "itr, etr" key-b 192.0.2.2 10.2.0.0/24
xtr_conf x3 "etr" key-b 203.0.113.3 10.2.0.1/32

mc_eids() {	# the EIDs lispd caches, sorted
	show "$1" map-cache | awk '{ print $1 }' | sort | tr '\n' ' '
}

start_sites
wait_for 20 registered || { tap_not_ok "ETRs registered" "$(show m site 2>&1)"; tap_done; }

RET=0
out=$(in_ns "$H1" ping -c1 -W25 10.2.0.1 2>&1)
check_err $? "first ping lost: $out"
show x1 map-cache | grep -q "^10.2.0.0/24 .*rloc 192.0.2.2"
check_err $? "X1 map-cache: $(show x1 map-cache 2>&1)"
log_test "X1 caches 10.2.0.0/24 at X2"

# 10.2.0.1 moves to X3: X3 registers it, X2 sends its traffic on there.
RET=0
start "$X3" x3
moved() { show m site | grep -q "10.2.0.1/32 iid 0 registrant 203.0.113.3"; }
wait_for 20 moved
check_err $? "X3 not registered: $(show m site 2>&1)"
lctl "$X2" map-cache replace lisp0 10.2.0.1/32 rloc 203.0.113.3 away
check_err $? "away entry on X2"
log_test "10.2.0.1 moved: X3 registered it, X2 holds an away entry"

RET=0
smr_tx=$(stat_of x2 smr-sent)
in_ns "$H1" ping -c3 -i0.5 -W2 10.2.0.1 >/dev/null 2>&1
resolved() { show x1 map-cache | grep -q "^10.2.0.1/32 .*rloc 203.0.113.3"; }
wait_for 20 resolved
check_err $? "X1 map-cache: $(show x1 map-cache 2>&1)"
[ "$(stat_of x2 smr-sent)" -gt "$smr_tx" ]
check_err $? "X2 sent no SMR: $(show x2 statistics | grep smr)"
grep -q "SMR for 10.2.0.1/32 sent to ITR 192.0.2.1" "$run/x2.log"
check_err $? "X2 did not log its SMR"
grep -q "SMR from 192.0.2.2 for 10.2.0.1/32: asking the mapping system again" "$run/x1.log"
check_err $? "X1 did not log the SMR"
map_line "$X1" 10.2.0.1/32 | grep -q 203.0.113.3
check_err $? "kernel map-cache: $(lctl "$X1" map-cache show 2>&1)"
log_test "kernel SMR event -> SMR -> SMR-invoked Map-Request -> X1 caches 10.2.0.1/32 at X3"

RET=0
[ "$(stat_of x2 smr-sent)" -le "$((smr_tx + 2))" ]
check_err $? "more SMRs than the 3 s bound allows: $(stat_of x2 smr-sent)"
[ "$(stat_of m map-request-forwarded)" -ge 2 ]
check_err $? "the Map-Server forwarded no SMR-invoked request"
log_test "SMRs rate-limited; the SMR-invoked request went through the Map-Server"

RET=0
eids=$(mc_eids x1)
req=$(stat_of x1 map-request-sent)
in_ns "$X2" $PY "$CRAFT" smr --to 192.0.2.1 --seid 10.9.0.1 --eid 10.1.0.1
check_err $? "craft"
ignored() { [ "$(stat_of x1 smr-uncached-ignored)" = 1 ]; }
wait_for 10 ignored
check_err $? "not counted: $(show x1 statistics | grep smr)"
sleep 1
check_eq "$(mc_eids x1)" "$eids" "map-cache changed"
check_eq "$(stat_of x1 map-request-sent)" "$req" "a Map-Request was sent"
grep -q "SMR from 192.0.2.2 for 10.9.0.1/32: not in the map-cache, ignored" "$run/x1.log"
check_err $? "not logged"
log_test "an SMR for an EID X1 does not cache is counted and changes nothing"

RET=0
lispd_stop x1 x2 x3 m
log_test "clean exit"

lispd_done m x1 x2 x3
