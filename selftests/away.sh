#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Away entries and SMR events: the host E (10.2.0.5, fd02::5) moved from
# X2's site to X3's. X1 still encapsulates to X2, whose away entry E/32 ->
# X3 sends every packet on to X3 (no loss), raises an SMR event naming
# X1's RLOC (at most one a second) and counts rx-away. Two sites each
# pointing at the other end the loop by the inner TTL.
#
#   H1 -- X1 ====== X2 -- H2          X2 ====== X3 -- H3 (E)
#                192.0.2.0/24       192.0.3.0/24
#                2001:db8::/64      2001:db8:3::/64

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip ping awk
lisp_load_module || skip_all "cannot load lisp.ko"
topo_setup || { tap_not_ok "topology setup"; tap_done; }

E4=10.2.0.5 E6=fd02::5
X1_4=192.0.2.1 X1_6=2001:db8::1 X3_4=192.0.3.3 X3_6=2001:db8:3::3

# X3 and H3: E's new site, same anycast gateway addresses as X2's site.
setup_ns X3 H3 || { tap_not_ok "namespaces for X3/H3"; tap_done; }
connect_ns "$X2" eth2 "192.0.3.2/24 2001:db8:3::2/64" \
	"$X3" eth0 "$X3_4/24 $X3_6/64" &&
	connect_ns "$X3" eth1 "10.2.0.254/24 fd02::fe/64" \
		"$H3" eth0 "$E4/24 $E6/64" &&
	ip -n "$H3" route add default via 10.2.0.254 &&
	ip -n "$H3" -6 route add default via fd02::fe &&
	ip -n "$X3" route add default via 192.0.3.2 &&
	ip -n "$X3" -6 route add default via 2001:db8:3::2 &&
	ip -n "$X1" route add 192.0.3.0/24 via 192.0.2.2 &&
	ip -n "$X1" -6 route add 2001:db8:3::/64 via 2001:db8::2 &&
	in_ns "$X3" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 &&
	ip -n "$X3" link add lisp0 type lisp &&
	ip -n "$X3" link set lisp0 up &&
	ip -n "$X3" route add 10.1.0.0/24 dev lisp0 &&
	ip -n "$X3" -6 route add fd01::/64 dev lisp0 &&
	lctl "$X3" database add lisp0 $E4/32 &&
	lctl "$X3" database add lisp0 $E6/128 ||
	{ tap_not_ok "topology setup (X3, H3)"; tap_done; }

# map_all 4|6: every xTR's entries over an IPv4 or IPv6 underlay; X2's
# entries for E are away, towards X3.
map_all() {
	local x1=$X1_4 x3=$X3_4
	[ "$1" = 6 ] && x1=$X1_6 x3=$X3_6
	topo_map "$1" &&
		lctl "$X3" map-cache replace lisp0 10.1.0.0/24 rloc "$x1" &&
		lctl "$X3" map-cache replace lisp0 fd01::/64 rloc "$x1" &&
		lctl "$X2" map-cache replace lisp0 $E4 rloc "$x3" away &&
		lctl "$X2" map-cache replace lisp0 $E6 rloc "$x3" away
}

events=$(mktemp -p "$REPO_ROOT/build" away-events.XXXXXX)
defer rm -f "$events" "$events.cap" "$events.err"
monitor_start "$X2" "$events" -j &&
	monitor_start "$X2" "$events.txt" ||
	{ tap_not_ok "lispctl monitor on X2 did not start"; tap_done; }
defer rm -f "$events.txt"

# cap_has RLOC N: tcpdump's capture shows N packets to RLOC.
cap_has() {
	[ "$(grep -cF "> $1.4341: UDP" "$events.cap")" -ge "$2" ]
}

# smr_seen SRC DST ITR: at least one SMR event for that packet and ITR.
smr_seen() {
	[ "$(smr_events "$@")" -ge 1 ]
}

# smr_events SRC DST ITR: SMR events seen on X2 for that packet and ITR.
smr_events() {
	grep '"event":"smr"' "$events" |
		grep -F "\"src\":\"$1\"" | grep -F "\"dst\":\"$2\"" |
		grep -cF "\"itr\":\"$3\""
}

# ---------------------------------------------------------------------------
# The kernel refuses away entries that are not host routes with RLOCs.

RET=0
out=$(lctl "$X2" map-cache add lisp0 10.2.0.0/25 rloc $X3_4 away 2>&1)
check_fail $? "away on a /25 was accepted"
grep -q "host route" <<<"$out"
check_err $? "no extack reason: $out"
out=$(lctl "$X2" map-cache add lisp0 fd02::/64 rloc $X3_4 away 2>&1)
check_fail $? "away on a /64 was accepted"
out=$(lctl "$X2" map-cache replace lisp0 10.2.0.0/24 rloc $X3_4 away 2>&1)
check_fail $? "replace with away on a /24 was accepted"
grep -q "host route" <<<"$out"
check_err $? "no extack reason on replace: $out"
out=$(lctl "$X2" map-cache add lisp0 $E4 action drop away 2>&1)
check_fail $? "a negative away entry was accepted"
grep -q "negative action" <<<"$out"
check_err $? "no extack reason for the negative entry: $out"
n=$(lctl "$X2" map-cache show | grep -c away)
check_eq "$n" 0 "a refused away entry was installed"
log_test "away entries: only host routes with RLOCs, refusals carry extack"

RET=0
map_all 4
check_err $? "installing the mappings failed"
map_line "$X2" $E4/32 | grep -q " away"
check_err $? "map-cache show lacks the flag: $(map_line "$X2" $E4/32)"
# json_entry NS EID: that entry of map-cache show -j, one line.
json_entry() {
	lctl "$1" -j map-cache show | sed 's/},{"eid"/}\n{"eid"/g' |
		grep -F "\"eid\":\"$2\""
}
json_entry "$X2" $E6/128 | grep -q '"away":true'
check_err $? "map-cache show -j lacks \"away\":true: $(json_entry "$X2" $E6/128)"
json_entry "$X2" 10.1.0.0/24 | grep -q '"away":false'
check_err $? "map-cache show -j: an ordinary entry is not \"away\":false"
log_test "map-cache show prints the away flag (text and JSON)"

# ---------------------------------------------------------------------------
# away_ping E ITR UNDERLAY: H1 pings E through X2's away entry to X3.

away_ping() {
	local e=$1 itr=$2 ul=$3 src=10.1.0.1 x3=$X3_4 fam=-4
	local away0 smr0 rx3 rloc0 n pid
	case $e in *:*) src=fd01::1 fam=-6 ;; esac
	[ "$ul" = 6 ] && x3=$X3_6

	RET=0
	away0=$(lisp_stat "$X2" lisp0 rx-away)
	smr0=$(lisp_stat "$X2" lisp0 smr)
	rx3=$(lisp_stat "$X3" lisp0 rx-packets)
	rloc0=$(rloc_packets "$X2" "$e/$([ $fam = -4 ] && echo 32 || echo 128)" "$x3")
	pid=
	if command -v tcpdump >/dev/null; then
		in_ns "$X2" timeout 30 tcpdump -i eth2 -nn -l -Q out \
			"udp dst port 4341 and dst host $x3" \
			>"$events.cap" 2>"$events.err" &
		pid=$!
		wait_for 10 grep -q "listening on" "$events.err"
	fi

	out=$(in_ns "$H1" ping "$fam" -c 5 -i 0.2 -W 3 "$e" 2>&1)
	check_err $? "ping $e failed: $out"
	grep -q " 0% packet loss" <<<"$out"
	check_err $? "ping $e lost packets: $(grep loss <<<"$out")"

	n=$(( $(lisp_stat "$X2" lisp0 rx-away) - away0 ))
	[ "$n" -ge 5 ]
	check_err $? "X2 rx-away moved by $n for 5 echo requests"
	n=$(( $(lisp_stat "$X2" lisp0 smr) - smr0 ))
	[ "$n" -ge 1 ] && [ "$n" -le 3 ]
	check_err $? "X2 smr moved by $n for 5 packets in ~1 s (want 1..3)"
	n=$(( $(lisp_stat "$X3" lisp0 rx-packets) - rx3 ))
	[ "$n" -ge 5 ]
	check_err $? "X3 decapsulated $n packets, not the 5 echo requests"
	n=$(( $(rloc_packets "$X2" "$e/$([ $fam = -4 ] && echo 32 || echo 128)" "$x3") - rloc0 ))
	[ "$n" -ge 5 ]
	check_err $? "X2's away entry sent $n packets to $x3"
	if [ -n "$pid" ]; then
		# tcpdump prints each packet (-l) as it sees it.
		wait_for 10 cap_has "$x3" 5
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		n=$(grep -cF "> $x3.4341: UDP" "$events.cap")
		[ "$n" -ge 5 ]
		check_err $? "tcpdump on X2's underlay saw $n packets to $x3.4341"
	fi
	wait_for 5 smr_seen "$src" "$e" "$itr"
	check_err $? "no SMR event on X2 with src $src dst $e itr $itr"
	log_test "$e via away entry over IPv$ul underlay: no loss, re-encapsulated to $x3, SMR names ITR $itr"
}

away_ping $E4 $X1_4 4

RET=0
grep -qE "^[0-9T:.-]+ smr dev lisp0 iid 0 src 10\.1\.0\.1 dst $E4 itr $X1_4\$" "$events.txt"
check_err $? "lispctl monitor printed no SMR line: $(grep smr "$events.txt" | head -n1)"
log_test "lispctl monitor prints SMR events as text"

# Rate limit: 20 packets in ~2 s from one ITR give about one event a second.
RET=0
sleep 1.2	# past the rate limiter's one-second window
before=$(smr_events 10.1.0.1 $E4 $X1_4)
smr0=$(lisp_stat "$X2" lisp0 smr)
start=$(date +%s%N)
in_ns "$H1" ping -q -c 20 -i 0.1 -W 2 $E4 >/dev/null 2>&1
check_err $? "pings to $E4 lost"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
smrs_since() { [ $(( $(smr_events 10.1.0.1 $E4 $X1_4) - before )) -ge "$1" ]; }
wait_for 5 smrs_since 2
sleep 0.5	# any event beyond the limit would be printed by now
n=$(( $(smr_events 10.1.0.1 $E4 $X1_4) - before ))
c=$(( $(lisp_stat "$X2" lisp0 smr) - smr0 ))
[ "$n" -ge 2 ] && [ "$n" -le $((ms / 1000 + 2)) ]
check_err $? "$n SMR events for 20 packets in $ms ms (want 2..$((ms / 1000 + 2)))"
check_eq "$c" "$n" "smr counter and events seen differ"
log_test "SMR events rate-limited per ITR and entry ($n for 20 packets in $ms ms)"

away_ping $E6 $X1_4 4

RET=0
map_all 6
check_err $? "installing the IPv6-underlay mappings failed"
log_test "mappings over an IPv6 underlay"
away_ping $E4 $X1_6 6
away_ping $E6 $X1_6 6

# ---------------------------------------------------------------------------
# Without the away entry X2 delivers E locally, where it no longer is.

RET=0
lctl "$X2" map-cache del lisp0 $E4/32
check_err $? "deleting the away entry failed"
away0=$(lisp_stat "$X2" lisp0 rx-away)
ns_ping "$H1" $E4
check_fail $? "ping $E4 answered without the away entry"
check_eq "$(lisp_stat "$X2" lisp0 rx-away)" "$away0" "rx-away moved without an away entry"
log_test "without the away entry the packet is delivered at the old site (lost)"

# ---------------------------------------------------------------------------
# A loop: X2 says E is at X3, X3 says it is at X2. The TTL ends it.

RET=0
map_all 4
lctl "$X3" map-cache replace lisp0 $E4 rloc 192.0.3.2 away &&
	lctl "$X3" map-cache replace lisp0 $E6 rloc 192.0.3.2 away
check_err $? "installing the looping entries failed"
for e in $E4 $E6; do
	t2=$(lisp_stat "$X2" lisp0 rx-away-ttl)
	t3=$(lisp_stat "$X3" lisp0 rx-away-ttl)
	a2=$(lisp_stat "$X2" lisp0 rx-away)
	ns_ping "$H1" "$e"
	check_fail $? "ping $e answered through a loop"
	ttl_drops() {
		echo $(( $(lisp_stat "$X2" lisp0 rx-away-ttl) - t2 +
			 $(lisp_stat "$X3" lisp0 rx-away-ttl) - t3 ))
	}
	ttl_dropped() { [ "$(ttl_drops)" -ge 1 ]; }
	wait_for 5 ttl_dropped
	n=$(ttl_drops)
	check_eq "$n" 1 "rx-away-ttl on X2 + X3 after one looping packet to $e"
	a=$(( $(lisp_stat "$X2" lisp0 rx-away) - a2 ))
	[ "$a" -ge 10 ] && [ "$a" -le 64 ]
	check_err $? "X2 sent the looping packet to $e on $a times (want 10..64)"
done
drops=$(in_ns "$X2" cat /sys/class/net/lisp0/statistics/rx_dropped)
[ "$drops" -ge 1 ]
check_err $? "rx-away-ttl is not in lisp0's rx_dropped ($drops)"
log_test "a loop between two away entries ends by the inner TTL, counted in rx-away-ttl"

RET=0
lctl "$X3" map-cache del lisp0 $E4/32 && lctl "$X3" map-cache del lisp0 $E6/128
check_err $? "removing the looping entries failed"
ns_ping "$H1" $E4 && ns_ping "$H1" $E6
check_err $? "E unreachable after the loop was broken"
log_test "after the loop is broken E answers again"

# ---------------------------------------------------------------------------
# GRO-merged TCP (IPv6) through the away entry. X2's underlay from X1
# merges (veth NAPI, gro on); the link to X3 has a smaller MTU (1450), so
# X2's MTU check of the merged packet must see its real segment size: too
# big, refused with a Packet Too Big, and H1's TCP lowers its segments.
# With offloads off on X2's eth2 the segments are built there, and any
# too big is lost on the link.

away_tcp() {	# away_tcp LABEL
	local drop0 out
	RET=0
	drop0=$(in_ns "$X2" cat /sys/class/net/eth2/statistics/tx_dropped)
	in_ns "$H3" timeout 180 iperf3 -s -1 >/dev/null 2>&1 &
	local srv=$!
	wait_for 30 in_ns "$H3" sh -c 'ss -ltn | grep -q ":5201 "'
	out=$(in_ns "$H1" timeout 120 iperf3 -6 -c $E6 -n 4M 2>&1)
	check_err $? "iperf3 through the away entry did not complete ($1): $(tail -n 3 <<<"$out")"
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	check_eq "$(in_ns "$X2" cat /sys/class/net/eth2/statistics/tx_dropped)" "$drop0" \
		"X2's eth2 dropped packets too big for X3's link ($1)"
	log_test "GRO-merged TCP to $E6 via the away entry, 1450-byte link to X3, $1: 4 MB arrive"
}

if command -v iperf3 >/dev/null && command -v ethtool >/dev/null; then
	# veth runs NAPI (and GRO) only for a peer without TSO.
	in_ns "$X2" ethtool -K eth0 gro on >/dev/null &&
		in_ns "$X1" ethtool -K eth0 tso off >/dev/null &&
		ip -n "$X2" link set eth2 mtu 1450 &&
		ip -n "$X3" link set eth0 mtu 1450
	check_err $? "gro on X2's eth0, tso off on X1's / mtu 1450 on the X2-X3 link failed"
	away_tcp "offloads on"
	in_ns "$X2" ethtool -K eth2 tso off gso off >/dev/null
	in_ns "$X2" ethtool -K eth2 tx-udp_tnl-segmentation off >/dev/null 2>&1
	away_tcp "offloads off"
else
	log_test_skip "GRO-merged TCP via the away entry" "no iperf3 or ethtool"
fi

tap_done
