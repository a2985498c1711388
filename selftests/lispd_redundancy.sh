#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two Map-Servers/Map-Resolvers on the demo's topology (tools/demo/topo.sh
# with TOPO_MS2=1: ms 192.0.2.10 and ms2 192.0.2.11, both configured as
# map-server and map-resolver on the branch and the gateways, ms first).
#
# - every ETR and site gateway registers with both, and lispctl show
#   registration has a line per Map-Server, registered with each;
# - both Map-Servers have the same sites and answer alike: the same
#   records and TTLs for a registered EID, a site's unregistered space
#   and space no site has;
# - the seed's move with a 100 a second ping stream, ms killed (kill -9)
#   as the move begins: no ping lost, DC-2's gateway registered with
#   ms2 (and not with the dead ms), the branch redirected to DC-2
#   through ms2 after its request to ms went unanswered (lispctl show
#   map-resolver: ms's request unanswered, ms2 answering);
# - a fresh branch ITR whose first map-resolver is dead: its first
#   packet to a new EID is held while the request fails over and answered
#   in about 1 s (within the kernel's 3 s hold); the next new EID skips
#   the dead one at once (well under the 1 s a failover costs).

source "$(dirname "$0")/lib.sh"
source "$REPO_ROOT/tools/demo/topo.sh"
source "$REPO_ROOT/tools/demo/lisp.sh"

require_root
require_vm
require_cmd ip tc bridge jq /usr/bin/python3
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
lisp_load_module || skip_all "cannot load lisp.ko"

# Keep packet timestamps on (see tools/demo/run) from now on.
ping -q -i 10 127.0.0.1 >/dev/null 2>&1 &
defer kill $!

TOPO_PREFIX=red$$-
TOPO_MS2=1
APP=$(host_addr app)
run=$(mktemp -d -p "$REPO_ROOT/build" redundancy.XXXXXX)

down() {
	lisp_stop_all
	topo_destroy
}
defer down

# site_rloc BOX EID: the locator BOX's Map-Server has registered for EID.
site_rloc() {
	lshow "$1" site -j 2>/dev/null |
		jq -r --arg e "$2" '.[] | select(.eid == $e) | .rlocs[0].address' 2>/dev/null | head -n1
}
registered_both() {	# registered_both EID RLOC
	[ "$(site_rloc ms "$1")" = "$2" ] && [ "$(site_rloc ms2 "$1")" = "$2" ]
}
# reg_state BOX EID MS: BOX's registration of EID with Map-Server MS.
reg_state() {
	lshow "$1" registration -j 2>/dev/null |
		jq -r --arg e "$2" --arg m "$3" '.[] | select(.eid == $e and ."map-server" == $m) | .state' 2>/dev/null
}
# mr_field BOX MR KEY: what lispctl show map-resolver says of MR.
mr_field() {
	lshow "$1" map-resolver -j 2>/dev/null |
		jq -r --arg m "$2" --arg k "$3" '.[] | select(."map-resolver" == $m) | .[$k] // empty' 2>/dev/null
}
# sites BOX: the Map-Server's registrations, without their timers.
sites() {
	lshow "$1" site -j 2>/dev/null |
		jq -c '[.[] | {site, eid, registrant, "proxy-reply", rlocs}] | sort_by(.eid)'
}
# answer MR EID: the records of MR's answer to a lookup from the branch
# (who sent it differs: each Map-Server sends its negative answers).
answer() {
	tx branch "$TOPO_LISPCTL" -j lookup "$2" -m "$1" -t 3000 -c 2 2>&1 |
		jq -c '.records' 2>&1
}
# first_ping DST: the round trip of one ping from the end user, in ms;
# empty when unanswered.
first_ping() {
	tx user ping -c1 -W 8 "$1" 2>/dev/null | sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p'
}

RET=0
topo_build esm && lisp_setup "$run" && lisp_start ms ms2 &&
	lisp_start branch gw1 gw2 fhr1 fhr2
check_err $? "topology and lispd"
wake app db s1a s1b s2a s2b
wait_until 30 registered_both "$APP/32" $RLOC_GW1 &&
	wait_until 10 registered_both "$(host_addr s1a)/32" $RLOC_GW1 &&
	wait_until 10 registered_both "$(host_addr s1b)/32" $RLOC_GW1 &&
	wait_until 10 registered_both "$(host_addr s2a)/32" $RLOC_GW2 &&
	wait_until 10 registered_both "$EID_USER_NET" $RLOC_BRANCH
check_err $? "not every registration on both Map-Servers: ms: $(lshow ms site 2>&1); ms2: $(lshow ms2 site 2>&1)"
log_test "topology, lispd on every box, every host registered with both Map-Servers"
[ "$TAP_FAIL" -eq 0 ] || tap_done

RET=0
for ms in $RLOC_MS $RLOC_MS2; do
	check_eq "$(reg_state branch "$EID_USER_NET" $ms)" registered \
		"the branch's database with $ms"
	check_eq "$(reg_state gw1 "$APP/32" $ms)" registered \
		"DC-1's gateway's host app with $ms"
done
check_eq "$(lshow gw1 registration | grep -c "^$APP/32 .* map-server ")" 2 \
	"lispctl show registration: lines for app on DC-1's gateway"
tap_diag "$(lshow gw1 registration)"
log_test "an ETR and a site gateway register with both Map-Servers, a line each"

RET=0
check_eq "$(sites ms2)" "$(sites ms)" "the two Map-Servers' registrations"
for e in "$APP" 10.13.0.99 10.200.0.1; do
	a=$(answer $RLOC_MS "$e")
	b=$(answer $RLOC_MS2 "$e")
	check_eq "$b" "$a" "lookup $e through each"
	tap_diag "lookup $e: $a"
done
log_test "both Map-Servers answer alike: a registered EID, a site's hole, space no site has"

RET=0
tx user ping -c1 -W 10 "$APP" >/dev/null
check_err $? "the end user cannot reach app"
tx s2a ping -c1 -W 10 "$EID_USER" >/dev/null
check_err $? "s2a cannot reach the end user"
log_test "first contact through DC-1"

# The move at 100 pings a second, ms killed as the hypervisor switches
# over (just before: everything the move sets off finds it dead).
move_prepare "$run/move.log" app || tap_diag "mover: $(cat "$run/move.log")"
tx user ping -D -O -n -i 0.01 -c 600 -W 1 "$APP" >"$run/ping.log" 2>&1 &
pinger=$!
sleep 2
kill -9 "${LISPD_PID[ms]}"
t_kill=$(date +%s.%N)
move_go
{ wait "${LISPD_PID[ms]}"; } 2>/dev/null
unset "LISPD_PID[ms]"
move_wait || tap_diag "move: $(cat "$MOVE_OUT")"
redirected() { kmap_line branch "$APP/32" | grep -q "$RLOC_GW2"; }
wait_until 15 redirected
rc=$?
wait $pinger

RET=0
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$run/ping.log")
recv=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$run/ping.log")
lost_seqs=$(awk -v n="${sent:-0}" '/bytes from/ && !/DUP/ { if (match($0, /icmp_seq=[0-9]+/)) got[substr($0, RSTART + 9, RLENGTH - 9)] = 1 }
	END { for (i = 1; i <= n; i++) if (!(i in got)) printf "%s%d", c++ ? "," : "", i }' "$run/ping.log")
check_eq "$((${sent:-0} - ${recv:-0}))" 0 "pings lost (icmp_seq ${lost_seqs:-none}) of ${sent:-0}"
[ "${sent:-0}" -ge 500 ]
check_err $? "only ${sent:-0} pings sent"
log_test "the move with ms killed: no ping lost at 100 a second"

RET=0
check_err $rc "the branch's map-cache does not send app to DC-2: $(kmap_line branch "$APP/32")"
check_eq "$(site_rloc ms2 "$APP/32")" $RLOC_GW2 "ms2: app"
check_eq "$(reg_state gw2 "$APP/32" $RLOC_MS2)" registered "DC-2's gateway's app with ms2"
check_eq "$(reg_state gw2 "$APP/32" $RLOC_MS)" not-registered "DC-2's gateway's app with the dead ms"
# The branch subscribes through both (RFC 9437, tenant 1 of the demo):
# ms2, alive, publishes the move; or, when the SMR came first, the
# branch asks, and ms's silence is counted as it fails over to ms2.
# (its hold of 30 s may be over by now in a slow guest)
stat_in() { lshow "$1" statistics | awk -v k="$2" '$1 == k { print $2 }'; }
if [ "$(stat_in branch publication-received)" -ge 1 ] 2>/dev/null; then
	[ "$(stat_in ms2 publication-acked)" -ge 1 ] 2>/dev/null
	check_err $? "the branch took a publication, ms2 saw no ack: $(lshow ms2 subscriptions)"
	tap_diag "redirected by ms2's publication: $(lshow branch subscriptions | grep "$APP/32")"
else
	[ "$(mr_field branch $RLOC_MS unanswered)" -ge 1 ] 2>/dev/null
	check_err $? "the branch's map-resolver ms: no request counted unanswered"
	[ "$(mr_field branch $RLOC_MS2 answered)" -ge 1 ] 2>/dev/null
	check_err $? "the branch's map-resolver ms2 answered nothing"
fi
# The branch's side, in ms after the kill: the SMR, the request to the
# dead ms, the failover to ms2, the new mapping.
tap_diag "$(lisp_log_since branch "$t_kill" |
	grep -E "SMR from|Map-Request for $APP/32|map-resolver|map-cache $APP/32 installed|publication from" |
	awk -v k="$t_kill" '{ t = $1; $1 = ""; $2 = ""; printf "%+8.1f ms %s\n", (t - k) * 1000, substr($0, 3) }')"
tap_diag "$(lshow branch map-resolver)"
tap_diag "$(lshow gw2 registration | grep "$APP/32")"
log_test "the branch redirected to DC-2 through ms2 (its publication, or a failover that counts ms's silence)"

# A fresh ITR (its lispd restarted: nothing remembered) whose first
# map-resolver is dead: the held packet waits for the failover.
RET=0
lisp_stop branch
lisp_start branch
check_err $? "lispd on the branch did not restart"
rtt=$(first_ping "$(host_addr s1a)")
[ -n "$rtt" ]
check_err $? "the first ping to s1a was not answered"
awk -v r="${rtt:-99999}" 'BEGIN { exit !(r < 3000) }'
check_err $? "the first ping to s1a took ${rtt:-forever} ms"
check_eq "$(mr_field branch $RLOC_MS state)" silent "the restarted branch's map-resolver ms"
tap_diag "first ping to a new EID, first map-resolver dead: ${rtt:-unanswered} ms"
log_test "an ITR whose first map-resolver is dead resolves through the second, its packet held"

RET=0
rtt=$(first_ping "$(host_addr s1b)")
[ -n "$rtt" ]
check_err $? "the first ping to s1b was not answered"
awk -v r="${rtt:-99999}" 'BEGIN { exit !(r < 900) }'
check_err $? "the first ping to s1b took ${rtt:-forever} ms: the dead map-resolver asked first again?"
tap_diag "the next new EID: ${rtt:-unanswered} ms"
log_test "the dead map-resolver is remembered: the next EID is asked of ms2 first"

if [ "$TAP_FAIL" -eq 0 ]; then
	rm -rf "$run"
else
	tap_diag "logs in $run"
fi
tap_done
