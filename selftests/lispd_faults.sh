#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lispd crashes under traffic: the kernel keeps forwarding, and a
# restarted lispd takes up where the dead one was.
#
#   H1 -- X1 ===== 192.0.2.0/24 ===== X2 -- H2 (10.2.0.1, 10.2.1.1)
#                                      |  198.51.100.0/24
#                                      M   (map-server, map-resolver)
#
# 1. kill -9 of X1's lispd during a 100 pps ping H1 -> H2: no ping lost,
#    the kernel entry never leaves, the restarted lispd adopts it with
#    what its TTL has left (record-ttl 1 minute), registers again and
#    refreshes the entry before it expires, the ping still running.
# 2. kill -9 of the Map-Server during the same ping (day-long TTLs by
#    now, after a SIGHUP with record-ttl 1440): no ping lost; both
#    sites registered again within a register interval of its restart,
#    a site's unregistered space is answered with TTL 0 while it warms
#    up (registration-timeout), and a fresh resolution goes through it.
# 3. kill -9 of X1's lispd while a MISS is pending (the MISS unread, the
#    packets held by the kernel): the restarted lispd resolves the held
#    destination when the kernel repeats the MISS for the next packet,
#    and the held first packet is delivered.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip ping
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
lisp_load_module miss_hold_ms=30000 || skip_all "cannot load lisp.ko"
topo_setup || { tap_not_ok "topology setup"; tap_done; }
setup_ns M || { tap_not_ok "namespace M"; tap_done; }
topo_ms_link || { tap_not_ok "link X2-M"; tap_done; }
# 10.2.1.0/24: a second prefix of site b, resolved by no one before 3.
ip -n "$H2" addr add 10.2.1.1/32 dev lo
ip -n "$X2" route add 10.2.1.0/24 via 10.2.0.1
ip -n "$X1" route add 10.2.1.0/24 dev lisp0

lispd_dirs lispd_faults || { tap_not_ok "run directories"; tap_done; }

INTERVAL=5	# map-register-interval
SLACK=25	# for an emulated guest

ms_conf "registration-timeout = 30"
# ITR and ETR, 1-minute records.
xtr_settings=("map-register-interval = $INTERVAL" "record-ttl = 1")
xtr_conf x1 key-a 192.0.2.1 10.1.0.0/24 fd01::/64 -- "${xtr_settings[@]}"
xtr_conf x2 key-b 192.0.2.2 10.2.0.0/24 10.2.1.0/24 fd02::/64 -- "${xtr_settings[@]}"

RET=0
for c in m x1 x2; do
	out=$("$LISPD" -n -c "$run/$c.conf" 2>&1)
	check_err $? "$c.conf: $out"
done
sed 's/record-ttl = 1/record-ttl = 0/' "$run/x1.conf" >"$run/bad.conf"
out=$("$LISPD" -n -c "$run/bad.conf" 2>&1)
check_fail $? "record-ttl 0 accepted"
grep -q "record-ttl 0 out of range 1..10080" <<<"$out"
check_err $? "no reason given: $out"
log_test "record-ttl: 1 minute accepted, 0 refused with a reason"

site_json() {	# M's sites as JSON, on one line
	LISPD_SOCKET="$sock/m.sock" "$LISPCTL" -j show site 2>/dev/null |
		tr -d ' \n'
}
# reg_count EID: how many Map-Registers M accepted for EID.
reg_count() {
	site_json | grep -o "\"eid\":\"$1\"[^}]*\"registrations\":[0-9]*" |
		sed 's/.*://'
}
# ping_result FILE: "transmitted received" from ping's summary.
ping_result() {
	awk '/packets transmitted/ { print $1, $4 }' "$1"
}
# ping_ok FILE: the whole ping was answered (and it ran).
ping_ok() {
	local tx rx
	read -r tx rx < <(ping_result "$1")
	[ -n "$tx" ] && [ "$tx" -gt 0 ] && [ "$tx" = "$rx" ]
}

start_sites

RET=0
wait_for 30 registered
check_err $? "not registered: $(show m site 2>&1)"
out=$(in_ns "$H1" ping -c1 -W25 10.2.0.1 2>&1)
check_err $? "first ping lost: $out"
show x1 map-cache | grep -q "^10.2.0.0/24 iid 0 action .* ttl 60 .*192.0.2.2"
check_err $? "X1: $(show x1 map-cache 2>&1)"
log_test "X1 and X2 resolve each other through M (60 s TTL)"

# ---- 1. kill -9 of X1's lispd ----

# The ping lasts until 15 s past the entry's expiry: across the crash
# and the refresh before the expiry (at 100 pps at most: longer when
# the guest is slow).
left=$(show x1 map-cache | awk '$1 == "10.2.0.0/24" { print $9 }')
count=$(((left + 15) * 100))
in_ns "$H1" ping -q -i 0.01 -c "$count" -W 2 10.2.0.1 >"$run/ping1.out" 2>&1 &
ping1=$!
defer kill "$ping1"

# The kernel's entry, every 0.1 s (or as fast as the guest goes), until
# told to stop: a line per poll, "ok" or "missing", with its time.
poll_kernel() {
	while [ ! -e "$run/poll.stop" ]; do
		if map_line "$X1" 10.2.0.0/24 | grep -q 192.0.2.2; then
			echo "ok ${EPOCHREALTIME/[.,]/}"
		else
			echo "missing ${EPOCHREALTIME/[.,]/}"
		fi
		sleep 0.1
	done
}
# polls_between FROM TO (microseconds): the polls in that window.
polls_between() {
	awk -v a="$1" -v b="$2" '$2 >= a && $2 <= b { n++ } END { print n + 0 }' \
		"$run/poll.out"
}
poll_kernel >"$run/poll.out" 2>&1 &
poller=$!

RET=0
sleep 1
adopted_before=$(grep -c "adopted" "$run/x1.log")
killed=${EPOCHREALTIME/[.,]/}
kill -KILL "$pid_x1"
wait "$pid_x1" 2>/dev/null
[ -S "$sock/x1.sock" ]
check_err $? "no stale control socket to test the restart with"
sleep 2
kill -0 "$ping1"
check_err $? "the ping ended during the crash: $(cat "$run/ping1.out")"
mv "$run/x1.log" "$run/x1.log.crashed"
restarted=${EPOCHREALTIME/[.,]/}
start "$X1" x1
adopted() { show x1 map-cache 2>/dev/null | grep -q "^10.2.0.0/24 "; }
wait_for 30 adopted
check_err $? "not adopted: $(show x1 map-cache 2>&1)"
touch "$run/poll.stop"
wait "$poller"
line=$(show x1 map-cache | grep "^10.2.0.0/24 ")
grep -q "^10.2.0.0/24 iid 0 action none ttl 60 expires [0-9]* .*192.0.2.2" <<<"$line"
check_err $? "adopted entry: $line"
exp=$(awk '{ print $9 }' <<<"$line")
t_adopt=$(date +%s)
[ "$exp" -gt 0 ] && [ "$exp" -lt 60 ]
check_err $? "expires in $exp s, not what the TTL has left"
grep -q "map-cache: adopted 1 entries from the kernel" "$run/x1.log"
check_err $? "log: $(grep -h adopted "$run/x1.log" "$run/x1.log.crashed")"
[ "$adopted_before" = 0 ]
check_err $? "the first lispd adopted something"
grep -q "no control socket" "$run/x1.log"
check_fail $? "the stale control socket refused the restart"
grep -q "^missing" "$run/poll.out"
check_fail $? "the kernel entry went: $(head -3 "$run/poll.out")"
polls=$(polls_between "$killed" "$restarted")
[ "$polls" -ge 1 ]
check_err $? "no poll of the kernel while no lispd ran"
tap_diag "$(wc -l <"$run/poll.out") polls of the kernel, $polls while no lispd ran"
log_test "kill -9 of X1's lispd: kernel entry kept, adopted with its TTL's rest"

RET=0
t0=$(date +%s)
reg_x1() { show x1 database | grep -q "map-server 198.51.100.1 registered"; }
wait_for $((INTERVAL + SLACK)) reg_x1
check_err $? "X1 not registered again: $(show x1 database 2>&1)"
tap_diag "X1 registered again $(($(date +%s) - t0)) s after its restart"
registered
check_err $? "M: $(show m site 2>&1)"
log_test "the restarted X1 registers again within a register interval"

RET=0
refreshed() {
	[ "$(stat_of x1 map-cache-refresh-asked)" -ge 1 ] &&
		[ "$(stat_of x1 map-cache-installed)" -ge 1 ]
}
wait_for $((left + SLACK)) refreshed
check_err $? "no refresh: $(show x1 statistics | grep map-cache)"
check_eq "$(stat_of x1 map-cache-expired)" 0 "expired instead of refreshed"
# Unrefreshed, it would expire at t_adopt + exp: now it is later.
t=$(date +%s)
exp2=$(show x1 map-cache | awk '$1 == "10.2.0.0/24" { print $9 }')
[ $((t + ${exp2:-0})) -gt $((t_adopt + exp)) ]
check_err $? "expires in ${exp2:-?} s, $((t - t_adopt)) s after it had $exp s left"
map_line "$X1" 10.2.0.0/24 | grep -q 192.0.2.2
check_err $? "kernel: $(lctl "$X1" map-cache show 2>&1)"
kill -0 "$ping1"
check_err $? "the ping ended before the refresh"
log_test "the adopted entry, in use, is refreshed before its TTL runs out"

RET=0
wait "$ping1"
ping_ok "$run/ping1.out"
check_err $? "ping: $(tail -2 "$run/ping1.out")"
tap_diag "ping: $(grep transmitted "$run/ping1.out")"
log_test "100 pps ping across the crash, restart and refresh: none lost"

# ---- 2. kill -9 of the Map-Server ----

# With day-long TTLs: an entry whose TTL runs out while the Map-Server
# is down, or back but without the registrations yet (it answers
# negatively for a site's space then), stops its traffic; that is the
# TTL's meaning, not what this part tests.  The refreshes of a slow
# ping bring the new TTL.
RET=0
sed -i 's/record-ttl = 1$/record-ttl = 1440/' "$run/x1.conf" "$run/x2.conf"
kill -HUP "$pid_x1" "$pid_x2"
in_ns "$H1" ping -q -i 0.2 -c 1000 -W 2 10.2.0.1 >/dev/null 2>&1 &
pingt=$!
long_ttl() {
	show x1 map-cache | grep -q "^10.2.0.0/24 .* ttl 86400 .*192.0.2.2" &&
		show x2 map-cache | grep -q "^10.1.0.0/24 .* ttl 86400 .*192.0.2.1"
}
wait_for $((60 + SLACK)) long_ttl
check_err $? "X1: $(show x1 map-cache 2>&1); X2: $(show x2 map-cache 2>&1)"
kill "$pingt"
wait "$pingt" 2>/dev/null
log_test "SIGHUP to record-ttl 1440: the refreshes bring day-long TTLs"

RET=0
in_ns "$H1" ping -q -i 0.01 -c 2000 -W 2 10.2.0.1 >"$run/ping2.out" 2>&1 &
ping2=$!
defer kill "$ping2"
sleep 1
kill -KILL "$pid_m"
wait "$pid_m" 2>/dev/null
sleep 2
start "$M" m
t0=$(date +%s)
wait_for $((INTERVAL + SLACK)) registered
check_err $? "sites not back: $(show m site 2>&1)"
t=$(($(date +%s) - t0))
tap_diag "both sites registered again $t s after M's restart"
[ "$(reg_count 10.1.0.0/24)" -ge 1 ] && [ "$(reg_count 10.2.0.0/24)" -ge 1 ]
check_err $? "registrations: $(site_json)"
grep -q "no control socket" "$run/m.log"
check_fail $? "the stale control socket refused the restart"
log_test "kill -9 of M: both sites registered again within a register interval"

# For a registration timeout (30 s here) after its start, M cannot tell
# a site's space that is not registered from one whose ETR has not
# registered again yet: it says so with TTL 0, "ask again".
RET=0
out=$(lctl "$X2" lookup 10.2.200.1 -m 198.51.100.1 -t 3000 -c 5 2>&1)
check_err $? "no answer: $out"
if [ $(($(date +%s) - t0)) -lt 28 ]; then
	grep -Eq "10\.2\.(0\.0/16|128\.0/17) ttl 0 negative action native-forward" <<<"$out"
	check_err $? "not TTL 0 while M warms up: $out"
	[ "$(stat_of m negative-map-reply-warming-up)" -ge 1 ]
	check_err $? "negative-map-reply-warming-up did not move"
else
	tap_diag "the lookup came too late to see M's warm-up"
fi
log_test "restarted M: a site's unregistered space is TTL 0 while registrations may be missing"

RET=0
out=$(in_ns "$H1" ping -6 -c1 -W25 fd02::1 2>&1)
check_err $? "no fresh resolution: $out"
show x1 map-cache | grep -q "^fd02::/64 .*192.0.2.2"
check_err $? "X1: $(show x1 map-cache 2>&1)"
[ "$(stat_of m map-request-forwarded)" -ge 1 ]
check_err $? "the restarted M forwarded no Map-Request"
log_test "a fresh resolution goes through the restarted M"

RET=0
wait "$ping2"
ping_ok "$run/ping2.out"
check_err $? "ping: $(tail -2 "$run/ping2.out")"
tap_diag "ping: $(grep transmitted "$run/ping2.out")"
log_test "100 pps ping across M's crash: none lost"

# ---- 3. kill -9 of X1's lispd with a MISS pending ----

# Stopped, X1's lispd leaves the MISS unread and asks nothing: the
# kernel holds the packets (4 per destination, 30 s) with no one
# resolving them; kill -9 then loses the unread MISS with the socket.
# The restarted lispd learns of the destination when the kernel repeats
# the MISS for a later packet (at most once a second): the held packets
# go then.  Packets beyond the 4 held while no lispd runs are dropped,
# and counted so: the ping loses those, and only those.
RET=0
drop0=$(lisp_stat "$X1" lisp0 tx-miss-drop)
miss0=$(lisp_stat "$X1" lisp0 tx-miss)
kill -STOP "$pid_x1"
in_ns "$H1" ping -c 16 -i 0.5 -W 5 10.2.1.1 >"$run/ping3.out" 2>&1 &
ping3=$!
defer kill "$ping3"
held() { [ "$(lisp_stat "$X1" lisp0 tx-miss)" -gt "$miss0" ]; }
wait_for 20 held
check_err $? "no packet held"
kill -KILL "$pid_x1"
wait "$pid_x1" 2>/dev/null
sleep 1
mv "$run/x1.log" "$run/x1.log.crashed2"
start "$X1" x1
wait "$ping3"
drop=$(($(lisp_stat "$X1" lisp0 tx-miss-drop) - drop0))
read -r tx rx < <(ping_result "$run/ping3.out")
grep -q "icmp_seq=1 " "$run/ping3.out"
check_err $? "the held first packet was not delivered: $(cat "$run/ping3.out")"
grep -q "icmp_seq=16 " "$run/ping3.out"
check_err $? "the last ping unanswered: $(tail -3 "$run/ping3.out")"
check_eq "$((tx - rx))" "$drop" "pings lost vs. held packets dropped"
show x1 map-cache | grep -q "^10.2.1.0/24 .*192.0.2.2"
check_err $? "X1: $(show x1 map-cache 2>&1)"
[ "$(stat_of x1 kernel-miss)" -ge 1 ]
check_err $? "the restarted lispd heard no MISS"
tap_diag "ping: $(grep transmitted "$run/ping3.out"), $drop dropped by the hold queue"
log_test "kill -9 with a MISS pending: the held destination resolves after the restart"

RET=0
lispd_stop x1 x2 m
log_test "clean exit"

lispd_done m x1 x2
