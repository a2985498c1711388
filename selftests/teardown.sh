#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# teardown: take the data plane apart under load.  While flood pings (IPv4
# and IPv6) and an iperf3 TCP stream cross the tunnel:
#   - flush X1's map-cache and put it back, over and over;
#   - replace X1's entries in a tight loop (IPv4 <-> IPv6 locators);
#   - delete lisp0 on X1, re-create it, traffic resumes;
#   - rmmod lisp with lisp devices in two namespaces: it must succeed and
#     the devices must be gone;
#   - load it again, delete a namespace holding a lisp device, rmmod;
#   - load it again: the tunnel works (ping both families, iperf3).
# After each step the kernel log must show no WARNING/BUG/Oops/refcount
# message and nothing waiting for a device to become free.

source "$(dirname "$0")/lib.sh"
source "$LIB_DIR/topo.sh"

require_root
require_vm
require_cmd ip ping iperf3 dmesg

DMESG_BASE=$(dmesg | wc -l)
BAD_RE='WARNING|BUG|Oops|refcount|general protection|unregister_netdevice: waiting|use-after-free|KASAN|kmemleak|stack'
PIDS=()

traffic_start() {
	iperf3_server "$H2"
	PIDS+=("$IPERF3_PID")
	in_ns "$H1" iperf3 -c 10.2.0.1 -t 900 >/dev/null 2>&1 &
	PIDS+=($!)
	in_ns "$H1" ping -q -f -w 900 10.2.0.1 >/dev/null 2>&1 &
	PIDS+=($!)
	in_ns "$H1" ping -6 -q -f -w 900 fd02::1 >/dev/null 2>&1 &
	PIDS+=($!)
}

traffic_stop() {
	kill_wait "${PIDS[@]}"
	PIDS=()
}

x1stat() {
	lctl "$X1" stats lisp0 | awk -v k="$1" '$1 == k { print $2 }'
}

# flowing: X1's lisp0 keeps encapsulating (its tx-packets moves).
flowing() {
	local a
	a=$(x1stat tx-packets)
	[ -n "$a" ] && wait_for 5 x1stat_above tx-packets "$a"
}
x1stat_above() {	# x1stat_above COUNTER VALUE
	local v
	v=$(x1stat "$1")
	[ -n "$v" ] && [ "$v" -gt "$2" ]
}

# x1_lisp_up: (re)create X1's lisp0 as topo_setup does, with an IPv4 map.
x1_lisp_up() {
	ip -n "$X1" link add lisp0 type lisp &&
		ip -n "$X1" link set lisp0 up &&
		ip -n "$X1" route add 10.2.0.0/24 dev lisp0 &&
		ip -n "$X1" -6 route add fd02::/64 dev lisp0 &&
		lctl "$X1" database add lisp0 10.1.0.0/24 &&
		lctl "$X1" database add lisp0 fd01::/64 &&
		lctl "$X1" map-cache replace lisp0 10.2.0.0/24 rloc 192.0.2.2 &&
		lctl "$X1" map-cache replace lisp0 fd02::/64 rloc 192.0.2.2
}

both_pings() {
	wait_for 10 ns_ping "$H1" 10.2.0.1 || { check_err 1 "no IPv4 ping $*"; return 1; }
	wait_for 10 ns_ping "$H1" fd02::1 || { check_err 1 "no IPv6 ping $*"; return 1; }
}

lisp_load_module || skip_all "cannot load lisp.ko"
defer traffic_stop

# --- phase 1 -----------------------------------------------------------

RET=0
topo_setup && topo_map 4
check_err $? "topology setup failed"
both_pings "before the load starts"
traffic_start
flowing
check_err $? "X1's lisp0 tx-packets does not grow"
log_test "traffic flows through the tunnel (ping -f v4+v6, iperf3)"

RET=0
for i in $(seq 1 15); do
	lctl "$X1" map-cache flush lisp0 || check_err 1 "flush $i failed"
	sleep 0.1
	topo_map 4 || check_err 1 "re-adding the map $i failed"
	sleep 0.1
done
both_pings "after the flush loop"
dmesg_clean
log_test "map-cache flushed 15 times under load, tunnel still works"

RET=0
batch=$(mktemp)
defer rm -f "$batch"
for i in $(seq 1 150); do
	echo "map-cache replace lisp0 10.2.0.0/24 rloc 2001:db8::2"
	echo "map-cache replace lisp0 fd02::/64 rloc 2001:db8::2 rloc 192.0.2.2"
	echo "map-cache replace lisp0 10.2.0.0/24 rloc 192.0.2.2 priority 2 rloc 2001:db8::2"
	echo "map-cache replace lisp0 fd02::/64 rloc 192.0.2.2"
done >"$batch"
for i in 1 2 3; do
	lctl "$X1" -b "$batch" || check_err 1 "batch $i of 600 replaces failed"
done
topo_map 4
both_pings "after the replace loop"
flowing
check_err $? "traffic stopped after the replace loop"
dmesg_clean
log_test "1800 map-cache replaces under load, tunnel still works"

RET=0
ip -n "$X1" link del lisp0
check_err $? "ip link del lisp0 failed"
ip -n "$X1" link show lisp0 >/dev/null 2>&1
check_fail $? "lisp0 still exists"
sleep 1
dmesg_clean
log_test "ip link del lisp0 on X1 under load"

RET=0
x1_lisp_up
check_err $? "re-creating lisp0 failed"
both_pings "after re-creating lisp0"
flowing
check_err $? "traffic did not resume through the new lisp0"
dmesg_clean
log_test "lisp0 re-created on X1, traffic resumes"

RET=0
flowing
check_err $? "no traffic before rmmod"
rmmod lisp
check_err $? "rmmod lisp with lisp devices present failed"
lisp_module_loaded
check_fail $? "/sys/module/lisp still exists"
ip -n "$X1" link show lisp0 >/dev/null 2>&1
check_fail $? "X1's lisp0 survived rmmod"
ip -n "$X2" link show lisp0 >/dev/null 2>&1
check_fail $? "X2's lisp0 survived rmmod"
traffic_stop
sleep 1
dmesg_clean
log_test "rmmod lisp under load with devices in two namespaces"

# --- phase 2 -----------------------------------------------------------

RET=0
lisp_load_module
check_err $? "insmod after rmmod failed"
cleanup_all_ns
topo_setup && topo_map 6
check_err $? "topology setup failed"
both_pings "after reloading the module"
traffic_start
flowing
check_err $? "no traffic"
log_test "module reloaded, traffic over an IPv6 underlay"

RET=0
ip netns del "$X2"
check_err $? "ip netns del X2 failed"
# The veth pair goes with X2: X1's lisp0 keeps taking H1's traffic and
# drops it for want of a route to the locator.
nr0=$(x1stat tx-no-route)
wait_for 5 x1stat_above tx-no-route "${nr0:-0}"
nr1=$(x1stat tx-no-route)
[ -n "$nr1" ] && [ "$nr1" -gt "${nr0:-0}" ]
check_err $? "X1's lisp0 does not count tx-no-route ($nr0 -> $nr1) after its peer vanished"
dmesg_clean
log_test "namespace X2 with its lisp0 deleted under load; X1 counts tx-no-route"

RET=0
ip netns del "$X1"
check_err $? "ip netns del X1 failed"
traffic_stop
# netns cleanup runs in a workqueue: rmmod must still work right after.
rmmod lisp
check_err $? "rmmod after deleting the namespaces failed"
lisp_module_loaded
check_fail $? "/sys/module/lisp still exists"
dmesg_clean
log_test "namespace X1 deleted under load, then rmmod lisp"

# --- phase 3 -----------------------------------------------------------

RET=0
lisp_load_module
check_err $? "insmod failed"
cleanup_all_ns
topo_setup && topo_map 4
check_err $? "topology setup failed"
both_pings "over IPv4 after the second reload"
topo_map 6
both_pings "over IPv6 after the second reload"
iperf3_server "$H2"
out=$(in_ns "$H1" iperf3 -c 10.2.0.1 -t 2 2>&1)
check_err $? "iperf3 failed: $(echo "$out" | tail -3)"
wait
log_test "module loads again and the tunnel works (ping v4/v6, iperf3)"

RET=0
cleanup_all_ns
lisp_unload_module
check_err $? "final rmmod failed"
lisp_module_loaded
check_fail $? "/sys/module/lisp still exists"
sleep 1
dmesg_clean
log_test "final unload; no WARNING/BUG/Oops/refcount in the kernel log"

tap_done
