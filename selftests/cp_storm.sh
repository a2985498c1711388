#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A control-plane storm: 100,000 random and mutated control messages
# (tools/lisp-ctlstorm) at UDP 4342 of a running Map-Server and of an
# xTR, from a stranger S that has no key:
#
#   H1 -- X1 ===== 192.0.2.0/24 ===== X2 -- H2
#                  2001:db8::/64       |  \  203.0.113.0/24, 2001:db8:3::/64
#                                      |   S  (the storm)
#                                      |  198.51.100.0/24
#                                      M   (map-server, map-resolver)
#
# Half goes to M (IPv4), half to X1 (IPv4 and IPv6).  What is asserted,
# for M and for X1 each (D: a counter's move over the storm):
#  - lispd is running and answers lispctl show;
#  - "show site" (M) and "show map-cache" (X1) are as before, timers
#    (expires) aside;
#  - every message sent was read: D rx + D kernel drops (Udp
#    RcvbufErrors of the namespace) >= the messages sent to it;
#  - every refusal has one reason: the reasons' counters (rx-malformed,
#    rx-unexpected, map-register-auth-failed, map-register-record-rejected,
#    map-register-replayed, map-reply-unknown-nonce, map-notify-ack-
#    unknown-nonce, map-request-no-itr-rloc, smr-uncached-ignored,
#    smr-rate-limited) move by as much as rx-refused, and the
#    rx-malformed-<reason> ones by as much as rx-malformed;
#  - what was not refused was answered: D rx - D rx-refused <= the
#    answers, M: map-reply-sent + map-request-forwarded + map-notify-sent
#    + map-referral-sent (an ECM whose flipped bit is DDT's D);
#    X1: map-reply-sent + map-register-sent (each answered by one
#    Map-Notify) + 2 x map-request-sent (an SMR asking again and its
#    Map-Reply);
#  - the log has at most one line per reason per second (lines of the
#    storm's time grouped by second and by their "[reason]"), and the
#    lines without a reason stay few;
#  - a real registration refresh happens during the storm (registrations
#    of both sites grow) and real Map-Requests (lispctl lookup through
#    M) are answered by the ETRs during and after it.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

STORM="$REPO_ROOT/tools/lisp-ctlstorm/lisp-ctlstorm"
COUNT=${CP_STORM_COUNT:-100000}
require_cmd ip ping awk
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
[ -x "$STORM" ] || skip_all "lisp-ctlstorm not built ($STORM: make userspace)"
[ -x /usr/bin/python3 ] || skip_all "no /usr/bin/python3 to read JSON"
lisp_load_module miss_hold_ms=30000 || skip_all "cannot load lisp.ko"
topo_setup || { tap_not_ok "topology setup"; tap_done; }
setup_ns M S || { tap_not_ok "namespaces M, S"; tap_done; }
topo_ms_link || { tap_not_ok "link X2-M"; tap_done; }
connect_ns "$X2" eth3 "203.0.113.254/24 2001:db8:3::fe/64" \
	"$S" eth0 "203.0.113.1/24 2001:db8:3::1/64" ||
	{ tap_not_ok "link X2-S"; tap_done; }
ip -n "$S" route add default via 203.0.113.254
ip -n "$S" -6 route add default via 2001:db8:3::fe
ip -n "$X1" route add 203.0.113.0/24 via 192.0.2.2
ip -n "$X1" -6 route add 2001:db8:3::/64 via 2001:db8::2

lispd_dirs cp_storm || { tap_not_ok "run directories"; tap_done; }

ms_conf
xtr_conf x1 key-a 192.0.2.1 10.1.0.0/24 fd01::/64 -- "map-register-interval = 10"
xtr_conf x2 key-b 192.0.2.2 10.2.0.0/24 fd02::/64 -- "map-register-interval = 10"

# Not topo.sh's start: without -v, as lispd runs (debug lines are not
# rate-limited; -v is the operator's choice to see each message).
start_quiet() {
	ip netns exec "$1" "$LISPD" -d -c "$run/$2.conf" >"$run/$2.log" 2>&1 &
	eval "pid_$2=$!"
	defer kill "$!"
}
start_sites start_quiet

RET=0
wait_for 30 registered v6
check_err $? "sites not registered: $(show m site 2>&1)"
out=$(in_ns "$H1" ping -c1 -W25 10.2.0.1 2>&1)
check_err $? "first ping lost: $out"
out=$(in_ns "$H1" ping -6 -c1 -W25 fd02::1 2>&1)
check_err $? "first IPv6 ping lost: $out"
cached() { show x1 map-cache | grep -q "^10.2.0.0/24 .*rloc 192.0.2.2" &&
	show x1 map-cache | grep -q "^fd02::/64 .*rloc 192.0.2.2"; }
wait_for 20 cached
check_err $? "X1's map-cache: $(show x1 map-cache 2>&1)"
log_test "setup: M has two sites registered, X1 a resolved map-cache"

# What must not change, timers aside.
notimers() { sed -E 's/ expires [0-9-]+//'; }
site_before=$(show m site | notimers | sort)
cache_before=$(show x1 map-cache | notimers | sort)

# The counters of NAME as "name value" lines.
stats() { show "$1" statistics; }
val() {	# val STATS-TEXT COUNTER
	awk -v k="$2" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }' <<<"$1"
}
# Kernel drops of UDP datagrams in a namespace (receive queue full).
udp_drops() {
	in_ns "$1" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 } else print $c["RcvbufErrors"] }' /proc/net/snmp
}
regs() {	# regs: the registrations of every site's EIDs, summed
	LISPD_SOCKET="$sock/m.sock" "$LISPCTL" -j show site |
		$PY -c 'import json, sys; print(sum(e["registrations"] for e in json.load(sys.stdin)))'
}

m0=$(stats m) x0=$(stats x1)
md0=$(udp_drops "$M") xd0=$(udp_drops "$X1")
reg0=$(regs)
mlog0=$(wc -l <"$run/m.log") xlog0=$(wc -l <"$run/x1.log")

RET=0
start_s=$(date +%s)
# A real Map-Request while the storm blows: X1's EID, through M.
lctl "$S" lookup 10.1.0.77 -m 198.51.100.1 -t 3000 -c 10 \
	>"$run/lookup.out" 2>&1 &
lk_pid=$!
out=$(in_ns "$S" "$STORM" -n "$COUNT" -s 4342 \
	-t "198.51.100.1@$sock/m.sock" -t "192.0.2.1@$sock/x1.sock" \
	-t "198.51.100.1@$sock/m.sock" -t "2001:db8::1@$sock/x1.sock" \
	-e 10.1.0.0/24 -e 10.2.0.0/24 -e 10.2.0.0/16 -e fd01::/64 \
	-e fd02::/64 2>&1)
check_err $? "the storm failed: $out"
tap_diag "storm: $(tr '\n' ' ' <<<"$out")"
n_m=$(awk '$1 == "target" && $2 == "198.51.100.1" { n += $3 } END { print n + 0 }' <<<"$out")
n_x=$(awk '$1 == "target" && $2 != "198.51.100.1" { n += $3 } END { print n + 0 }' <<<"$out")
check_eq "$((n_m + n_x))" "$COUNT" "messages sent"
wait "$lk_pid"
lk_rc=$?
lk=$(cat "$run/lookup.out")
# Read to the end: rx still moving means lispd is still at it.
settled() {
	local a b
	a=$(val "$(stats "$1")" rx)
	sleep 1
	b=$(val "$(stats "$1")" rx)
	[ "$a" = "$b" ]
}
wait_for 60 settled m
wait_for 60 settled x1
end_s=$(date +%s)
tap_diag "storm took $((end_s - start_s)) s; $n_m messages to M, $n_x to X1"
log_test "the storm is sent: $COUNT messages, ${n_m} to M, ${n_x} to X1"

RET=0
kill -0 "$pid_m" && kill -0 "$pid_x1"
check_err $? "a lispd died: m $(kill -0 "$pid_m" 2>&1 && echo up) x1 $(kill -0 "$pid_x1" 2>&1 && echo up)"
m1=$(stats m) && x1s=$(stats x1)
check_err $? "lispctl show statistics not answered"
log_test "both lispd still run and answer lispctl show"

RET=0
site_after=$(show m site | notimers | sort)
cache_after=$(show x1 map-cache | notimers | sort)
[ "$site_before" = "$site_after" ]
check_err $? "sites changed: before [$site_before] after [$site_after]"
[ "$cache_before" = "$cache_after" ]
check_err $? "map-cache changed: before [$cache_before] after [$cache_after]"
log_test "M's registrations and X1's map-cache are unchanged"

REASONS="rx-malformed rx-unexpected map-register-auth-failed
	map-register-record-rejected map-register-replayed
	map-reply-unknown-nonce map-notify-ack-unknown-nonce
	map-request-no-itr-rloc smr-uncached-ignored smr-rate-limited"
# delta BEFORE AFTER: "counter move" lines; one awk, forks cost under TCG.
delta() {
	awk 'NR == FNR { b[$1] = $2; next } { print $1, $2 - b[$1] }' \
		<(echo "$1") <(echo "$2")
}
# sum DELTAS COUNTER...: the counters' summed move ("rx-malformed-*": all
# of the codec's reasons).
sum() {
	local dl=$1
	shift
	awk -v want="$*" 'BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) k[w[i]] = 1 }
		($1 in k) || (k["rx-malformed-*"] && $1 ~ /^rx-malformed-/) { s += $2 }
		END { print s + 0 }' <<<"$dl"
}
# accounting NAME DELTAS SENT DROPS ANSWERS
accounting() {
	local n=$1 dl=$2 sent=$3 drops=$4 ans=$5 rx refused reasons mal malr
	rx=$(sum "$dl" rx)
	refused=$(sum "$dl" rx-refused)
	# shellcheck disable=SC2086
	reasons=$(sum "$dl" $REASONS)
	mal=$(sum "$dl" rx-malformed)
	malr=$(sum "$dl" "rx-malformed-*")
	tap_diag "$n: sent $sent, rx $rx, kernel drops $drops, refused $refused (malformed $mal), answered $ans"
	tap_diag "$n by reason: $(awk -v r="$REASONS" 'BEGIN { n = split(r, w); for (i = 1; i <= n; i++) k[w[i]] = 1 }
		(($1 in k) || $1 ~ /^rx-malformed-/) && $2 { printf "%s %s, ", $1, $2 }' <<<"$dl")"
	[ $((rx + drops)) -ge "$sent" ]
	check_err $? "$n: read $rx + dropped $drops < sent $sent"
	check_eq "$reasons" "$refused" "$n: the reasons' counters sum to rx-refused"
	check_eq "$malr" "$mal" "$n: rx-malformed-* sum to rx-malformed"
	[ $((rx - refused)) -le "$ans" ]
	check_err $? "$n: $((rx - refused)) messages neither refused nor answered ($ans answers)"
	[ "$refused" -ge $((sent / 2)) ]
	check_err $? "$n: only $refused of $sent refused: is the storm reaching lispd?"
}
RET=0
mdrops=$(($(udp_drops "$M") - md0))
xdrops=$(($(udp_drops "$X1") - xd0))
md=$(delta "$m0" "$m1")
xd=$(delta "$x0" "$x1s")
ma=$(sum "$md" map-reply-sent map-request-forwarded map-notify-sent \
	map-referral-sent)
xa=$(( $(sum "$xd" map-reply-sent map-register-sent) + 2 * $(sum "$xd" map-request-sent) ))
accounting M "$md" "$n_m" "$mdrops" "$ma"
accounting X1 "$xd" "$n_x" "$xdrops" "$xa"
log_test "every refusal is counted by reason; what was not refused was answered"

# log_per_second LOG FROM: the lines after line FROM, by second and
# "[reason]": "max N" (the most of one reason in one second) and
# "plain N" (lines without a reason).
log_per_second() {
	tail -n +"$(($2 + 1))" "$1" | awk '
		{ sec = substr($1, 1, 8); key = "" }
		match($0, /\[[a-z0-9-]+\]/) { key = substr($0, RSTART, RLENGTH) }
		key == "" { plain++; next }
		{ n[sec " " key]++; if (n[sec " " key] > max) max = n[sec " " key] }
		END { printf "max %d plain %d lines %d\n", max, plain, NR }'
}
RET=0
for c in m x1; do
	f=mlog0
	[ "$c" = x1 ] && f=xlog0
	r=$(log_per_second "$run/$c.log" "${!f}")
	tap_diag "$c.log during the storm: $r"
	read -r _ max _ plain _ lines <<<"$r"
	[ "$max" -le 1 ]
	check_err $? "$c: $max lines of one reason in one second"
	[ "$plain" -le 20 ]
	check_err $? "$c: $plain lines without a reason: $(tail -n +"$((${!f} + 1))" "$run/$c.log" | grep -v '\[[a-z0-9-]*\]' | head -5)"
	[ "$lines" -ge 1 ]
	check_err $? "$c: no refusal logged at all"
	grep -q "more suppressed)" "$run/$c.log"
	check_err $? "$c: no line tells of suppressed ones"
done
log_test "the log has at most one line per reason per second"

RET=0
reg1=$(regs)
[ "$reg1" -gt "$reg0" ]
check_err $? "no registration refreshed during the storm ($reg0 -> $reg1)"
check_err "$lk_rc" "lookup during the storm: $lk"
grep -q "Map-Reply from 192.0.2.1 " <<<"$lk"
check_err $? "not X1's reply: $lk"
out=$(lctl "$S" lookup 10.2.0.9 -m 198.51.100.1 -t 3000 -c 5 2>&1)
check_err $? "lookup after the storm: $out"
# X2 answers from its address towards S, with its own record.
grep -q "10.2.0.0/24 ttl 1440 authoritative, 1 locator" <<<"$out" &&
	grep -q "192.0.2.2 priority 1 weight 100 up local" <<<"$out"
check_err $? "not X2's reply: $out"
tap_diag "registrations $reg0 -> $reg1"
log_test "registrations refresh and lispctl lookup is answered through the storm"

RET=0
lispd_stop x1 x2 m
log_test "clean exit"

lispd_done m x1 x2
