#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lispd as Map-Server/Map-Resolver, seen from outside:
#
#   H1 -- X1 ===== 192.0.2.0/24 ===== X2 -- H2
#                                      |  198.51.100.0/24
#                                      M   (map-server, map-resolver)
#
# The ETRs register every 2 s with a Map-Server that keeps registrations
# 6 s (registration-timeout): both show in "lispctl show site", and the
# one whose ETR stops expires while the other stays.  "lispctl lookup"
# (lig) gets a negative Map-Reply for space no site has and for a site's
# unregistered space, and the ETR's own Map-Reply for a registered EID.
# Map-Registers crafted with a wrong key, or replaying an accepted nonce
# with other content, are refused, logged and counted, and change nothing.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

CRAFT="$LIB_DIR/tools/lisp_ctrl.py"
require_cmd ip
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
[ -x /usr/bin/python3 ] || skip_all "no /usr/bin/python3 to craft Map-Registers"
lisp_load_module || skip_all "cannot load lisp.ko"
topo_setup || { tap_not_ok "topology setup"; tap_done; }
setup_ns M || { tap_not_ok "namespace M"; tap_done; }
topo_ms_link || { tap_not_ok "link X2-M"; tap_done; }

lispd_dirs lispd_ms || { tap_not_ok "run directories"; tap_done; }

cat >"$run/m.conf" <<EOC
roles = { map-server, map-resolver }
control-socket = "$sock/m.sock"
registration-timeout = 6
site a {
	key = "key-a"
	eid-prefix 10.1.0.0/24 {}
}
site b {
	key = "key-b"
	eid-prefix 10.2.0.0/16 { accept-more-specifics = true }
}
EOC

xtr_conf x1 key-a 192.0.2.1 10.1.0.0/24 -- "map-register-interval = 2"
xtr_conf x2 key-b 192.0.2.2 10.2.0.0/24 -- "map-register-interval = 2"

RET=0
out=$("$LISPD" -n -c "$run/m.conf" 2>&1)
check_err $? "m.conf: $out"
printf 'roles = { map-server }\nregistration-timeout = 0\nsite s { key = "k" eid-prefix 10.0.0.0/8 {} }\n' >"$run/bad.conf"
out=$("$LISPD" -n -c "$run/bad.conf" 2>&1)
check_fail $? "registration-timeout 0 accepted"
grep -q "registration-timeout 0 out of range" <<<"$out"
check_err $? "no reason given: $out"
log_test "registration-timeout: accepted, and 0 refused with a reason"

start "$M" m
wait_for 5 test -S "$sock/m.sock"
start "$X1" x1
start "$X2" x2

RET=0
registered() {
	local s
	s=$(show m site) || return 1
	grep -q "site a 10.1.0.0/24 iid 0 registrant 192.0.2.1 .*rloc 192.0.2.1" <<<"$s" &&
		grep -q "site b 10.2.0.0/24 iid 0 registrant 198.51.100.2 .*rloc 192.0.2.2" <<<"$s"
}
wait_for 20 registered
check_err $? "not registered: $(show m site 2>&1)"
log_test "both registrations show in lispctl show site"

RET=0
sleep 8		# longer than registration-timeout: refreshed, still there
registered
check_err $? "a refreshed registration was dropped: $(show m site 2>&1)"
log_test "registrations refreshed every 2 s outlive the 6 s timeout"

RET=0
kill -TERM "$pid_x2"
wait "$pid_x2"
gone() { ! show m site | grep -q "10.2.0.0/24"; }
wait_for 12 gone
check_err $? "X2's registration did not expire: $(show m site 2>&1)"
show m site | grep -q "10.1.0.0/24 iid 0 registrant 192.0.2.1"
check_err $? "X1's registration went too: $(show m site 2>&1)"
grep -q "site b: registration of 10.2.0.0/24 expired" "$run/m.log"
check_err $? "expiry not logged"
log_test "the registration of a stopped ETR expires, the other stays"

lookup() {	# lookup [OPTIONS] EID, from X2 (its lispd is stopped)
	lctl "$X2" "$@"
}

RET=0
out=$(lookup lookup 10.3.0.1 -m 198.51.100.1 -t 3000 -c 2 2>&1)
check_err $? "no answer: $out"
grep -q "Map-Reply from 198.51.100.1 in .* ms" <<<"$out"
check_err $? "replier/RTT missing: $out"
grep -q "10.3.0.0/16 ttl 15 negative action native-forward" <<<"$out"
check_err $? "not negative for the hole: $out"
out=$(lookup -j lookup 10.2.0.1 -m 198.51.100.1 -t 3000 -c 2 2>&1)
check_err $? "no answer: $out"
grep -q '"eid":"10.2.0.0/16","ttl":1,.*"action":"native-forward","locators":\[\]' <<<"$out"
check_err $? "not a 1-minute negative reply for the site's unregistered space: $out"
log_test "lookup: negative Map-Replies for unknown and unregistered space (text, JSON)"

RET=0
out=$(lookup lookup 10.1.0.77 -m 198.51.100.1 -t 3000 -c 3 2>&1)
check_err $? "no answer: $out"
grep -q "Map-Reply from 192.0.2.1 " <<<"$out"
check_err $? "not the ETR's own reply: $out"
grep -q "10.1.0.0/24 ttl 1440 authoritative, 1 locator" <<<"$out" &&
	grep -q "192.0.2.1 priority 1 weight 100 up local" <<<"$out"
check_err $? "record or locator wrong: $out"
log_test "lookup: a registered EID is answered by its ETR through the Map-Server"

RET=0
before=$(stat_of m map-register-auth-failed)
in_ns "$X2" $PY "$CRAFT" register --to 198.51.100.1 --key key-b \
	--nonce 0xbad1 --eid 10.1.0.0/24 --rloc 192.0.2.99 --wait 2
check_fail $? "a Map-Notify for a wrong key"
in_ns "$X2" $PY "$CRAFT" register --to 198.51.100.1 --key key-a \
	--alg sha1 --nonce 0xbad2 --eid 10.1.0.0/24 --rloc 192.0.2.98 \
	--bad-auth --wait 2
check_fail $? "a Map-Notify for a corrupted signature"
check_eq "$(stat_of m map-register-auth-failed)" "$((before + 2))" "auth failures counted"
grep -q "Map-Register from 198.51.100.2 for site a: authentication data does not verify" "$run/m.log"
check_err $? "not logged"
show m site | grep -q "192.0.2.9[89]"
check_fail $? "the forged RLOC was registered: $(show m site)"
log_test "Map-Registers with a wrong key are refused, logged, counted, change nothing"

# One python run: accepted, then the same nonce with another locator
# (python starts slowly under emulation; the registration lives 6 s).
RET=0
before=$(stat_of m map-register-replayed)
out=$(in_ns "$X2" $PY "$CRAFT" register --to 198.51.100.1 \
	--key key-b --nonce 0x5eed --eid 10.2.0.0/24 --rloc 192.0.2.50 \
	--again-rloc 192.0.2.51 --wait 2)
check_err $? "a valid Map-Register got no Map-Notify: $out"
show m site | grep -q "10.2.0.0/24 iid 0 registrant 198.51.100.2 .*rloc 192.0.2.50"
check_err $? "the first not registered or the replay applied: $(show m site)"
check_eq "$(stat_of m map-register-replayed)" "$((before + 1))" "replay counted"
grep -q "site b: 10.2.0.0/24 registered by 198.51.100.2" "$run/m.log" &&
	grep -q "for site b: nonce already accepted, not applied again" "$run/m.log"
check_err $? "not logged"
log_test "a Map-Register replaying an accepted nonce is refused, logged, counted"

RET=0
lispd_stop x1 m
log_test "clean exit"

lispd_done m x1 x2
