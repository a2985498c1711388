#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Misses: a packet with no map-cache entry raises a MISS event on the
# genl "events" group (at most one per destination per second) and is
# held; once the mapping is installed the held packets are sent, so the
# first ping is not lost. Held packets are bounded, expire, and go when
# the device goes down.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip ping python3
# Hold long enough for a slow emulated guest; the expiry case shortens it.
lisp_load_module miss_hold_ms=30000 || skip_all "cannot load lisp.ko"
topo_setup iid 42 || { tap_not_ok "topology setup"; tap_done; }
# Only X2 knows the way back; X1 must resolve 10.2.0.0/24 itself.
lctl "$X2" map-cache add lisp0 10.1.0.0/24 rloc 192.0.2.1
lctl "$X2" map-cache add lisp0 fd01::/64 rloc 192.0.2.1

events=$(mktemp -p "$REPO_ROOT/build")
defer rm -f "$events"
monitor_start "$X1" "$events" -j ||
	{ tap_not_ok "lispctl monitor on X1 did not start"; tap_done; }

count_events() {	# count_events DST
	grep -c "\"event\":\"miss\".*\"dst\":\"$1\"" "$events"
}

for dst in 10.2.0.1 fd02::1; do
	case $dst in *:*) src=fd01::1 pfx=fd02::/64 ;; *) src=10.1.0.1 pfx=10.2.0.0/24 ;; esac

	RET=0
	# One echo request, waiting long enough for the mapping to arrive.
	in_ns "$H1" ping -c1 -W20 "$dst" >"$events.ping" 2>&1 &
	ping=$!
	wait_for 10 grep -q "\"dst\":\"$dst\"" "$events"
	check_err $? "no MISS event for $dst"
	line=$(grep "\"$dst\"" "$events" | head -n1)
	grep -q "\"src\":\"$src\"" <<<"$line" && grep -q '"iid":42' <<<"$line" &&
		grep -q '"dev":"lisp0"' <<<"$line"
	check_err $? "MISS event lacks dev/iid/src: $line"
	log_test "MISS event for $dst carries dev, iid 42 and source $src"

	RET=0
	held=$(lisp_stat "$X1" lisp0 tx-miss)
	[ "$held" -ge 1 ]
	check_err $? "tx-miss is $held"
	lctl "$X1" map-cache add lisp0 "$pfx" rloc 192.0.2.2
	wait $ping
	check_err $? "the first ping was lost: $(cat "$events.ping")"
	log_test "held first packet to $dst delivered once the mapping is installed"
done

# Rate limit: a stream to one unmapped destination raises one event per
# second, not one per packet.
RET=0
before=$(count_events 10.2.9.9)
lctl "$X1" map-cache del lisp0 10.2.0.0/24
ip -n "$X1" route add 10.2.9.0/24 dev lisp0
start=$(date +%s%N)
in_ns "$H1" ping -q -c 20 -i 0.05 -W1 10.2.9.9 >/dev/null 2>&1
ms=$(( ($(date +%s%N) - start) / 1000000 ))
misses_since() { [ $(( $(count_events 10.2.9.9) - before )) -ge 1 ]; }
wait_for 5 misses_since
sleep 0.5	# any event beyond the limit would be printed by now
n=$(( $(count_events 10.2.9.9) - before ))
[ "$n" -ge 1 ] && [ "$n" -le $((ms / 1000 + 2)) ]
check_err $? "$n MISS events for 20 packets in $ms ms (want 1..$((ms / 1000 + 2)))"
log_test "MISS events rate-limited per destination ($n for 20 packets)"

# Held packets are bounded per destination and dropped after the hold.
RET=0
ip -n "$X1" -d link show lisp0 | grep -q "miss-hold 30000 "
check_err $? "lisp0 did not take miss_hold_ms=30000 as its default: $(ip -n "$X1" -d link show lisp0 | grep lisp)"
ip -n "$X1" link set lisp0 type lisp miss-hold 2000
check_err $? "ip link set lisp0 type lisp miss-hold 2000 failed"
ip -n "$X1" -d link show lisp0 | grep -q "miss-hold 2000 "
check_err $? "ip -d link show does not print miss-hold 2000"
ip -n "$X1" -j -d link show lisp0 | grep -q '"miss_hold":2000'
check_err $? "ip -j -d link show lacks \"miss_hold\":2000"
drop0=$(lisp_stat "$X1" lisp0 tx-miss-drop)
in_ns "$H1" ping -q -c 10 -i 0.05 -W1 10.2.9.10 >/dev/null 2>&1
drop1=$(lisp_stat "$X1" lisp0 tx-miss-drop)
[ $((drop1 - drop0)) -ge 6 ]
check_err $? "tx-miss-drop moved by $((drop1 - drop0)) for 10 packets (hold 4)"
all_dropped() { [ $(( $(lisp_stat "$X1" lisp0 tx-miss-drop) - drop0 )) -ge 10 ]; }
wait_for 10 all_dropped
drop2=$(lisp_stat "$X1" lisp0 tx-miss-drop)
[ $((drop2 - drop0)) -ge 10 ]
check_err $? "held packets not dropped after the hold time ($((drop2 - drop0)))"
log_test "hold queue bounded (4 per destination) and expires"

# A device taken down drops what it held, as a neighbour's queue goes with
# its device: nothing that waited before the down leaves after the up.
RET=0
ip -n "$X1" link set lisp0 type lisp miss-hold 60000
drop0=$(lisp_stat "$X1" lisp0 tx-miss-drop) miss0=$(lisp_stat "$X1" lisp0 tx-miss)
in_ns "$H1" ping -q -c 2 -i 0.2 -W1 10.2.9.12 >/dev/null 2>&1
[ $(( $(lisp_stat "$X1" lisp0 tx-miss) - miss0 )) -eq 2 ]
check_err $? "two packets to 10.2.9.12 not held"
ip -n "$X1" link set lisp0 down
down_dropped() { [ $(( $(lisp_stat "$X1" lisp0 tx-miss-drop) - drop0 )) -ge 2 ]; }
wait_for 5 down_dropped
check_err $? "held packets outlived the down: tx-miss-drop moved by $(( $(lisp_stat "$X1" lisp0 tx-miss-drop) - drop0 ))"
ip -n "$X1" link set lisp0 up &&
	ip -n "$X1" route add 10.2.9.0/24 dev lisp0
tx0=$(lisp_stat "$X1" lisp0 tx-packets)
lctl "$X1" map-cache add lisp0 10.2.9.0/24 rloc 192.0.2.2
sleep 1
[ "$(lisp_stat "$X1" lisp0 tx-packets)" -eq "$tx0" ]
check_err $? "packets held before the down were sent after the up"
log_test "a device taken down drops the packets it held for a mapping"

tap_done
