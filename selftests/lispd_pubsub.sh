#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Publish/subscribe end to end (RFC 9437), the topology of lispd_smr.sh:
#
#   H1 -- X1 ===== 192.0.2.0/24 ===== X2 -- H2 (10.2.0.1)
#                                      |  \ 203.0.113.0/24
#                   198.51.100.0/24    M   X3  (10.2.0.1 moves here)
#
# X1 subscribes (subscribe = yes).  It resolves 10.2.0.0/24 at X2, and
# the Map-Server confirms the subscription.  Then X3 registers
# 10.2.0.1/32: the Map-Server publishes it and X1 caches it at X3 with
# no packet sent towards it, no SMR and no Map-Request.  X3 stops: its
# registration times out and the withdrawal is published, X1 drops the
# entry.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip ping
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
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

lispd_dirs lispd_pubsub || { tap_not_ok "run directories"; tap_done; }

# Registrations every second, dropped after 4 s: a withdrawal is quick.
cat >"$run/m.conf" <<EOC
roles = { map-server, map-resolver }
control-socket = "$sock/m.sock"
registration-timeout = 4
site a {
	key = "key-a"
	eid-prefix 10.1.0.0/24 {}
}
site b {
	key = "key-b"
	eid-prefix 10.2.0.0/16 { accept-more-specifics = true }
}
EOC

# xtr_conf NAME ROLES KEY RLOC PREFIX [LINE]
xtr_conf() {
	cat >"$run/$1.conf" <<EOC
roles = { $2 }
control-socket = "$sock/$1.sock"
map-register-interval = 1
database-mapping "$5" { rloc $4 {} }
map-server 198.51.100.1 { key = "$3" }
map-resolver = { 198.51.100.1 }
${6-}
EOC
}
xtr_conf x1 "itr, etr" key-a 192.0.2.1 10.1.0.0/24 \
	"subscribe = yes
xtr-id = 0x0123456789abcdef0123456789abcdef"
xtr_conf x2 "itr, etr" key-b 192.0.2.2 10.2.0.0/24
xtr_conf x3 "etr" key-b 203.0.113.3 10.2.0.1/32

start_sites
wait_for 20 registered || { tap_not_ok "ETRs registered" "$(show m site 2>&1)"; tap_done; }

RET=0
out=$(in_ns "$H1" ping -c1 -W25 10.2.0.1 2>&1)
check_err $? "first ping lost: $out"
show x1 map-cache | grep -q "^10.2.0.0/24 .*rloc 192.0.2.2"
check_err $? "X1 map-cache: $(show x1 map-cache 2>&1)"
confirmed() {
	show m subscriptions | grep -q "^map-server 10.2.0.0/24 iid 0 subscriber 192.0.2.1 xtr-id 0123456789abcdef0123456789abcdef confirmed " &&
		show x1 subscriptions | grep -q "^itr 10.2.0.0/24 iid 0 confirmed "
}
wait_for 10 confirmed
check_err $? "subscription: M: $(show m subscriptions 2>&1); X1: $(show x1 subscriptions 2>&1)"
log_test "X1 resolves 10.2.0.0/24 at X2 and subscribes; the Map-Server confirms"

# 10.2.0.1 moves to X3: nothing is sent towards it, yet X1 learns.
RET=0
req=$(stat_of x1 map-request-sent)
start "$X3" x3
published() { map_line "$X1" 10.2.0.1/32 | grep -q 203.0.113.3; }
wait_for 20 published
check_err $? "X1's kernel map-cache: $(lctl "$X1" map-cache show 2>&1)"
show x1 map-cache | grep -q "^10.2.0.1/32 .*rloc 203.0.113.3"
check_err $? "X1's lispd: $(show x1 map-cache 2>&1)"
check_eq "$(stat_of x1 publication-received)" 1 "publications X1 took"
check_eq "$(stat_of x1 map-request-sent)" "$req" "Map-Requests X1 sent"
check_eq "$(stat_of x2 smr-sent)" 0 "SMRs X2 sent"
[ "$(stat_of m publication-acked)" -ge 2 ]
check_err $? "the Map-Server saw $(stat_of m publication-acked) acknowledgements"
grep -q "publication from 198.51.100.1 for 10.2.0.0/24: 1 records" "$run/x1.log"
check_err $? "X1 did not log the publication"
log_test "X3 registers 10.2.0.1/32: published, X1 caches it at X3 with no packet, SMR or Map-Request"

# A Map-Server never told of the subscriber's site refuses it.
RET=0
check_eq "$(stat_of m subscription-refused)" 0 "refused subscriptions"
check_eq "$(stat_of x1 publication-stale)" 0 "stale publications at X1"
check_eq "$(stat_of x1 publication-auth-failed)" 0 "unauthenticated publications at X1"
log_test "nothing refused along the way"

RET=0
lispd_stop x3
withdrawn() { [ -z "$(map_line "$X1" 10.2.0.1/32)" ]; }
wait_for 20 withdrawn
check_err $? "X1 still caches 10.2.0.1/32: $(map_line "$X1" 10.2.0.1/32)"
grep -q "map-cache 10.2.0.1/32: withdrawn, by publication" "$run/x1.log"
check_err $? "X1 did not log the withdrawal"
log_test "X3's registration expires: the withdrawal is published, X1 drops 10.2.0.1/32"

RET=0
lispd_stop x1 x2 m
log_test "clean exit"

lispd_done m x1 x2 x3
