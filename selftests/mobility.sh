#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VM mobility with lispd, step by step, on the demo's topology
# (tools/demo/topo.sh, Documentation/demo.rst): a branch ITR, two data
# centres each with a site gateway, a transit hop and a first-hop router
# (FHR), a Map-Server/Map-Resolver.
#
# ESM (VLANs stretched, FHRP isolation), app moving DC-1 -> DC-2, each
# step on its own:
#   DC-2's FHR detects it -> EID-notify to DC-2's gateway -> the gateway
#   registers it -> the Map-Server maps it to DC-2 -> DC-1's gateway gets
#   the Map-Notify and installs an away entry -> DC-1's FHR forgets it ->
#   traffic the branch still sends to DC-1 is answered and DC-1 sends the
#   branch an SMR -> the branch's map-cache points to DC-2.
# Then: moving back; two hosts moving at once; a move while the
# Map-Server restarts; a silent host that left ages out while silent hosts
# still there stay; bad and unauthenticated EID-notifies are refused,
# logged, counted and change nothing.  ASM (no LAN extension): the move
# and the redirection.

source "$(dirname "$0")/lib.sh"
source "$REPO_ROOT/tools/demo/topo.sh"
source "$REPO_ROOT/tools/demo/lisp.sh"
# Step by step through the SMR path: the branch does not subscribe
# (publish/subscribe: lispd_pubsub.sh, and the demo's tenant 1).
export DEMO_SUBSCRIBE=0

require_root
require_vm
require_cmd ip tc bridge jq /usr/bin/python3
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
lisp_load_module miss_hold_ms=10000 || skip_all "cannot load lisp.ko"

# Keep packet timestamps on (see tools/demo/run) from now on.
ping -q -i 10 127.0.0.1 >/dev/null 2>&1 &
defer kill $!
NOTIFY="$PY $LIB_DIR/eid_notify.py"
# Short timers: hosts silent for 6 s are probed, and the gateways refresh
# their registrations every 5 s.
DYN_TIMEOUT=6
REGISTER_INTERVAL=5
STEP_WAIT=15		# seconds one step may take in an emulated guest

APP=$(host_addr app)
DB=$(host_addr db)
run=$(mktemp -d -p "$REPO_ROOT/build" mobility.XXXXXX)

# up MODE: topology, lispd everywhere, every host seen and registered.
up() {
	TOPO_PREFIX=mob$$$1-
	topo_build "$1" || return 1
	mkdir -p "$run/$1" && lisp_setup "$run/$1" || return 1
	lisp_start ms && lisp_start branch gw1 gw2 fhr1 fhr2 || return 1
	wake app db s1a s1b s2a s2b
	wait_until 30 registered_at "$APP/32" $RLOC_GW1 &&
		wait_until 10 registered_at "$(host_addr s2a)/32" $RLOC_GW2 &&
		wait_until 10 registered_at "$DB/32" $RLOC_GW1 &&
		wait_until 10 registered_at "$EID_USER_NET" $RLOC_BRANCH
}

down() {
	lisp_stop_all
	topo_destroy
}
defer down

user_ping() {	# user_ping ADDR [COUNT]: all answered
	tx user ping -c "${2:-1}" -i 0.2 -W 5 "$1" >/dev/null 2>&1
}
kmap_rloc() {	# the kernel map-cache's first locator for EID (exact)
	kmap_line "$1" "$2" | grep -o "via [0-9.]*" | head -n1 | cut -d' ' -f2
}
logged() {	# logged BOX TEXT: a fixed string in BOX's log
	grep -qF -- "$2" "$LISP_RUN/$1.log"
}
stat_of() {	# stat_of BOX COUNTER
	lshow "$1" statistics -j 2>/dev/null | jq -r --arg k "$2" '.[$k] // 0'
}
dyn_table() {	# BOX's dynamic-EID table without timers: "eid state" lines
	lshow "$1" dynamic-eid -j 2>/dev/null | jq -r '.[] | "\(.eid) \(.state)"' | sort
}
dyn_is() {	# dyn_is BOX EID STATE ("" absent)
	[ "$(dyn_state "$1" "$2")" = "$3" ]
}
kmap_is() {	# kmap_is BOX EID RLOC: the kernel sends EID to RLOC
	[ "$(kmap_rloc "$1" "$2")" = "$3" ]
}
fail_diag() {
	local b
	for b in "$@"; do
		tap_diag "--- $b: $(lshow "$b" dynamic-eid 2>&1)"
	done
}

# ---------------------------------------------------------------------------
# ESM
if ! up esm; then
	tap_not_ok "ESM: topology and registrations" "$(lshow ms site 2>&1)"
	tap_done
fi

RET=0
check_eq "$(dyn_state fhr1 "$APP/32")" local "DC-1's FHR: app"
check_eq "$(dyn_state gw1 "$APP/32")" notified "DC-1's gateway: app"
check_eq "$(dyn_state gw2 "$APP/32")" "" "DC-2's gateway: app"
check_eq "$(dyn_state fhr2 "$(host_addr s2a)/32")" local "DC-2's FHR: s2a"
check_eq "$(ms_rloc "$APP/32")" $RLOC_GW1 "Map-Server: app"
check_eq "$(ms_rloc "$(host_addr s2b)/32")" $RLOC_GW2 "Map-Server: s2b"
log_test "before: each FHR found its site's hosts, each gateway registered them"

RET=0
user_ping "$APP"
check_err $? "the end user cannot reach app"
check_eq "$(kmap_rloc branch "$APP/32")" $RLOC_GW1 "branch map-cache: app"
log_test "the branch reaches app through DC-1"

host_move app || tap_diag "move: $(cat "$MOVE_OUT")"

RET=0
wait_until $STEP_WAIT dyn_is fhr2 "$APP/32" local
check_err $? "DC-2's FHR does not list app as local"
kctl fhr2 host show 2>/dev/null | grep -q "$APP"
check_err $? "DC-2's kernel does not list app: $(kctl fhr2 host show 2>&1)"
logged fhr2 "$APP/32 detected on eth1300"
check_err $? "no detection in DC-2's FHR's log"
log_test "step: DC-2's first-hop router detects app (an announcement, then its probe)"

RET=0
wait_until $STEP_WAIT logged fhr2 "EID-notify $APP/32 to gateway $NOTIFY_GW2"
check_err $? "DC-2's FHR sent no EID-notify"
wait_until $STEP_WAIT logged gw2 "$APP/32 notified by first-hop router $FHR2_UPLINK"
check_err $? "DC-2's gateway did not accept it"
check_eq "$(dyn_state gw2 "$APP/32")" notified "DC-2's gateway: app"
tx gw2 ip route show "$APP" | grep -q .
check_err $? "no route to app on DC-2's gateway"
log_test "step: EID-notify from DC-2's FHR to DC-2's gateway"

RET=0
wait_until $STEP_WAIT registered_at "$APP/32" $RLOC_GW2
check_err $? "the Map-Server maps app to $(ms_rloc "$APP/32")"
log_test "step: DC-2's gateway registers app, the Map-Server maps it to DC-2"

RET=0
wait_until $STEP_WAIT dyn_is gw1 "$APP/32" away
check_err $? "DC-1's gateway: app is '$(dyn_state gw1 "$APP/32")', not away"
kmap_line gw1 "$APP/32" | grep -q "via $RLOC_GW2.* away"
check_err $? "no away entry in DC-1's kernel: $(kmap_line gw1 "$APP/32")"
logged gw1 "$APP/32 moved away to $RLOC_GW2 (Map-Notify from $RLOC_MS)"
check_err $? "not logged"
log_test "step: DC-1's gateway gets the Map-Notify and installs an away entry"

RET=0
wait_until $STEP_WAIT dyn_is fhr1 "$APP/32" ""
check_err $? "DC-1's FHR still lists app ($(dyn_state fhr1 "$APP/32"))"
kctl fhr1 host show 2>/dev/null | grep -q "$APP\b"
check_fail $? "DC-1's kernel still lists app"
logged fhr1 "$APP/32 moved away (Map-Notify from gateway $NOTIFY_GW1), forgotten here"
check_err $? "not logged"
log_test "step: DC-1's FHR forgets app"

RET=0
user_ping "$APP"
check_err $? "a ping the branch sent to DC-1 was not answered"
wait_until $STEP_WAIT logged gw1 "SMR for $APP/32 sent to ITR $RLOC_BRANCH"
check_err $? "DC-1's gateway sent no SMR"
wait_until $STEP_WAIT logged branch "SMR from $RLOC_GW1 for $APP/32"
check_err $? "the branch logged no SMR"
log_test "step: traffic still sent to DC-1 reaches app, DC-1 solicits the branch (SMR)"

RET=0
wait_until $STEP_WAIT kmap_is branch "$APP/32" $RLOC_GW2
check_err $? "branch map-cache: app via $(kmap_rloc branch "$APP/32")"
check_eq "$(branch_rloc "$APP/32")" $RLOC_GW2 "lispd's map-cache at the branch"
user_ping "$APP" 5
check_err $? "pings through DC-2 not answered"
log_test "step: the branch's map-cache points to DC-2, pings answered"

# Moving back.
host_move app || tap_diag "move: $(cat "$MOVE_OUT")"
RET=0
wait_until $STEP_WAIT registered_at "$APP/32" $RLOC_GW1
check_err $? "the Map-Server maps app to $(ms_rloc "$APP/32")"
wait_until $STEP_WAIT dyn_is gw1 "$APP/32" notified
check_err $? "DC-1's gateway: app is '$(dyn_state gw1 "$APP/32")'"
kmap_line gw1 "$APP/32" | grep -q away
check_fail $? "DC-1 kept its away entry"
wait_until $STEP_WAIT dyn_is gw2 "$APP/32" away
check_err $? "DC-2's gateway: app is '$(dyn_state gw2 "$APP/32")', not away"
user_ping "$APP" 3
check_err $? "pings not answered after moving back"
wait_until $STEP_WAIT kmap_is branch "$APP/32" $RLOC_GW1
check_err $? "branch map-cache: app via $(kmap_rloc branch "$APP/32")"
[ "$RET" = 0 ] || fail_diag gw1 gw2
log_test "moving back: DC-1 registers app again, DC-2 has the away entry, the branch follows"

# Two hosts at once.
user_ping "$DB" || tap_diag "the end user cannot reach db before the move"
move_prepare "$run/move2.log" app db && move_go && move_wait ||
	tap_diag "move: $(cat "$MOVE_OUT")"
RET=0
wait_until $STEP_WAIT registered_at "$APP/32" $RLOC_GW2
check_err $? "Map-Server: app at $(ms_rloc "$APP/32")"
wait_until $STEP_WAIT registered_at "$DB/32" $RLOC_GW2
check_err $? "Map-Server: db at $(ms_rloc "$DB/32")"
check_eq "$(dyn_state fhr2 "$APP/32") $(dyn_state fhr2 "$DB/32")" "local local" "DC-2's FHR"
wait_until $STEP_WAIT dyn_is gw1 "$DB/32" away
check_err $? "DC-1's gateway: db is '$(dyn_state gw1 "$DB/32")'"
check_eq "$(dyn_state gw1 "$APP/32")" away "DC-1's gateway: app"
user_ping "$APP" 3 && user_ping "$DB" 3
check_err $? "pings to app and db not all answered"
wait_until $STEP_WAIT kmap_is branch "$DB/32" $RLOC_GW2
check_err $? "branch map-cache: db via $(kmap_rloc branch "$DB/32")"
[ "$RET" = 0 ] || fail_diag gw1 gw2 fhr2
log_test "two hosts moving at once (app and db, the application's two tiers)"

# A move while the Map-Server restarts: app goes back to DC-1 with the
# Map-Server down; once it is back, the mapping system must say DC-1.
RET=0
lisp_stop ms
host_move app || tap_diag "move: $(cat "$MOVE_OUT")"
sleep 2
lisp_start ms
check_err $? "the Map-Server did not start again"
# The gateways register their hosts at once and then every minute.
wait_until 75 registered_at "$APP/32" $RLOC_GW1
check_err $? "75 s after the restart the Map-Server maps app to '$(ms_rloc "$APP/32")'"
sleep $((2 * REGISTER_INTERVAL))
check_eq "$(ms_rloc "$APP/32")" $RLOC_GW1 "two refresh intervals later, the Map-Server: app"
check_eq "$(dyn_state gw1 "$APP/32")" notified "DC-1's gateway: app"
user_ping "$APP" 3
check_err $? "pings to app not answered"
wait_until $STEP_WAIT kmap_is branch "$APP/32" $RLOC_GW1
check_err $? "branch map-cache: app via $(kmap_rloc branch "$APP/32")"
[ "$RET" = 0 ] || { fail_diag gw1 gw2 fhr1 fhr2; tap_diag "$(lshow ms site)"; }
log_test "a move while the Map-Server restarts ends with the mapping system right"

# A stale claim, as when a move races the Map-Server's restart: DC-2's
# gateway registers app once more (it had not found app gone yet), then
# withdraws it.  DC-1 is told app moved away, but app is still there:
# DC-1's FHR probes it before forgetting it, finds it and notifies again.
RET=0
# A host claimed back so in the last minute is not probed again (the
# race of test 12 may have done it): wait that minute out.
! grep -q "$APP/32 detected .*still here, claimed back" "$LISP_RUN/fhr1.log" || sleep 61
log_gw1=$(wc -l <"$LISP_RUN/gw1.log")
log_fhr1=$(wc -l <"$LISP_RUN/fhr1.log")
since() { tail -n +$(($2 + 1)) "$LISP_RUN/$1.log" | grep -qF -- "$3"; }	# since BOX LINES TEXT
claim() { tx gw2 $NOTIFY $RLOC_MS "$KEY_DC" "$APP/32" $RLOC_GW2 --register "$@"; }
claim
wait_until $STEP_WAIT since gw1 "$log_gw1" "$APP/32 moved away to $RLOC_GW2"
check_err $? "DC-1's gateway was not told app moved away"
claim --ttl 0
wait_until $STEP_WAIT registered_at "$APP/32" $RLOC_GW1
check_err $? "the Map-Server maps app to '$(ms_rloc "$APP/32")', not DC-1"
since fhr1 "$log_fhr1" "$APP/32 probed in case it is still here"
check_err $? "DC-1's FHR did not probe app"
wait_until $STEP_WAIT dyn_is gw1 "$APP/32" notified
check_err $? "DC-1's gateway: app is '$(dyn_state gw1 "$APP/32")'"
user_ping "$APP" 3
check_err $? "pings to app not answered"
[ "$RET" = 0 ] || { fail_diag gw1 gw2 fhr1; tap_diag "$(lshow ms site)"; }
log_test "a stale claim from the other site: the site that has the host probes it and claims it back"

# Silent hosts: s1a has said nothing since it came up (it answers the
# FHR's probes); s1b leaves without a word (its link goes down).
RET=0
S1B=$(host_addr s1b)
ip -n "$(tns s1b)" link set eth0 down
wait_until $((DYN_TIMEOUT * 4 + STEP_WAIT)) dyn_is fhr1 "$S1B/32" ""
check_err $? "DC-1's FHR still lists s1b"
logged fhr1 "$S1B/32 silent for"
check_err $? "the FHR did not log s1b going silent"
wait_until $STEP_WAIT dyn_is gw1 "$S1B/32" ""
check_err $? "DC-1's gateway still lists s1b"
wait_until $((3 * REGISTER_INTERVAL + STEP_WAIT)) registered_at "$S1B/32" ""
check_err $? "the Map-Server still has s1b"
check_eq "$(dyn_state fhr1 "$(host_addr s1a)/32")" local "DC-1's FHR: the silent s1a"
check_eq "$(ms_rloc "$(host_addr s1a)/32")" $RLOC_GW1 "Map-Server: the silent s1a"
log_test "silent hosts: one that left ages out everywhere, one still there stays"

# EID-notifies that must be refused.
before=$(dyn_table gw1)
ms_before=$(lshow ms site -j | jq -r '.[].eid' | sort)
auth0=$(stat_of gw1 map-register-auth-failed)
rej0=$(stat_of gw1 map-register-record-rejected)
mal0=$(stat_of gw1 rx-malformed)
refused0=$(grep -c "EID-notify from $FHR1_UPLINK refused" "$LISP_RUN/gw1.log")
log0=$(wc -l <"$LISP_RUN/gw1.log")
sendn() { tx fhr1 $NOTIFY $NOTIFY_GW1 "$@"; }
sendn "$KEY_FHR" 10.13.0.99/32 $FHR1_UPLINK --bad-key
sendn "$KEY_FHR" 10.13.0.98/32 $FHR1_UPLINK --no-auth
sendn "$KEY_FHR" 10.13.0.97/32 $FHR1_UPLINK --bad-key --alg 1
sendn "$KEY_FHR" 10.99.0.1/32 $FHR1_UPLINK
sendn "$KEY_FHR" 10.13.0.0/25 $FHR1_UPLINK
sendn "$KEY_FHR" 10.13.0.96/32 $FHR1_UPLINK --truncate
# The counters count every refusal; the log has one line per counter and
# second (the rest are counted in a later line's "N more suppressed").
refusals() { echo $(( $(grep -c "EID-notify from $FHR1_UPLINK refused" "$LISP_RUN/gw1.log") - refused0 )); }
all_counted() {
	[ $(($(stat_of gw1 map-register-auth-failed) - auth0)) -ge 3 ] &&
		[ $(($(stat_of gw1 map-register-record-rejected) - rej0)) -ge 2 ] &&
		[ $(($(stat_of gw1 rx-malformed) - mal0)) -ge 1 ]
}
wait_until $STEP_WAIT all_counted
new_log() { tail -n +$((log0 + 1)) "$LISP_RUN/gw1.log"; }

RET=0
check_eq "$(($(stat_of gw1 map-register-auth-failed) - auth0))" 3 "map-register-auth-failed counted"
check_eq "$(($(stat_of gw1 map-register-record-rejected) - rej0))" 2 "map-register-record-rejected counted"
check_eq "$(($(stat_of gw1 rx-malformed) - mal0))" 1 "rx-malformed counted"
for why in map-register-auth-failed map-register-record-rejected \
	   rx-malformed-truncated; do
	new_log | grep -q "EID-notify from $FHR1_UPLINK refused: .*\\[$why\\]"
	check_err $? "no refusal logged under $why"
done
[ "$(refusals)" -ge 3 ] && [ "$(refusals)" -le 6 ]
check_err $? "$(refusals) refusals logged for 6 refused EID-notifies"
check_eq "$(dyn_table gw1)" "$before" "DC-1's gateway's dynamic-EID table changed"
check_eq "$(lshow ms site -j | jq -r '.[].eid' | sort)" "$ms_before" "the Map-Server's registrations changed"
tx gw1 ip route show proto 43 | grep -q "10.13.0.9[6-9]\|10.99.0.1\|10.13.0.0/25"
check_fail $? "a route was installed for a refused EID"
kill -0 "${LISPD_PID[gw1]}"
check_err $? "DC-1's gateway died"
[ "$RET" = 0 ] && true || tap_diag "$(grep -i "refused\|malformed" "$LISP_RUN/gw1.log" | tail -n 8)"
log_test "bad, unauthenticated and malformed EID-notifies: refused, logged, counted, nothing changes"

RET=0
sendn "$KEY_FHR" 10.13.0.95/32 $FHR1_UPLINK
wait_until $STEP_WAIT dyn_is gw1 10.13.0.95/32 notified
check_err $? "a well-formed EID-notify from the same tool was not accepted"
log_test "the same tool's well-formed EID-notify is accepted (the refusals were for the reasons given)"

# Registrations of hosts that are still there are refreshed: every
# minute, so the Map-Server's expiry (180 s) never gets below ~120 s.
RET=0
for h in s1a s2a db; do
	e=$(lshow ms site -j | jq -r --arg e "$(host_addr $h)/32" '.[] | select(.eid == $e) | .expires')
	[ -n "$e" ] && [ "$e" -ge 100 ]
	check_err $? "$h: the Map-Server's registration expires in '${e:-(none)}' s"
done
log_test "registrations of the hosts still there are refreshed"

lisp_stop_all
topo_destroy

# ---------------------------------------------------------------------------
# ASM: no LAN extension; DC-2's FHR has the gateway where app lands.
if ! up asm; then
	tap_not_ok "ASM: topology and registrations" "$(lshow ms site 2>&1)"
	tap_done
fi
RET=0
user_ping "$APP"
check_err $? "the end user cannot reach app at DC-1"
host_move app || tap_diag "move: $(cat "$MOVE_OUT")"
wait_until $STEP_WAIT registered_at "$APP/32" $RLOC_GW2
check_err $? "the Map-Server maps app to $(ms_rloc "$APP/32")"
wait_until $STEP_WAIT dyn_is gw1 "$APP/32" away
check_err $? "DC-1's gateway: app is '$(dyn_state gw1 "$APP/32")'"
user_ping "$APP" 3
check_err $? "pings after the move not answered"
wait_until $STEP_WAIT kmap_is branch "$APP/32" $RLOC_GW2
check_err $? "branch map-cache: app via $(kmap_rloc branch "$APP/32")"
[ "$RET" = 0 ] || fail_diag gw1 gw2 fhr2
log_test "ASM: app moves without a LAN extension, the branch follows it to DC-2"

if [ "$TAP_FAIL" -eq 0 ]; then
	rm -rf "$run"
else
	tap_diag "logs in $run"
fi
tap_done
