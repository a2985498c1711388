#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lifetime: the module's state across namespaces, under load. X2's lisp0
# lives in a tenant namespace T (with the link to H2) while its socket
# and outer routes stay in X2; flood pings cross it both ways, a lispctl
# monitor listens in T, misses raise events and hold packets there, and a
# dynamic-EID policy has its hooks on T's link to H2. Then:
#   - lisp0 moves from T to U and back, five times, under that load;
#   - rmmod lisp with all of it running: it must succeed, nothing left;
#   - the module again, lisp0 created in T from X2, and X2 (the underlay)
#     deleted under load: lisp0 goes with it, T keeps its other links;
#   - rmmod once more.
# After each step the kernel log shows no WARNING/BUG/Oops/refcount and
# nothing waiting for a device to become free; tools/vm also fails the
# run on any such line.

source "$(dirname "$0")/lib.sh"
source "$LIB_DIR/topo.sh"

require_root
require_vm
require_cmd ip ping dmesg

DMESG_BASE=$(dmesg | wc -l)
BAD_RE='WARNING|BUG|Oops|refcount|general protection|unregister_netdevice: waiting|use-after-free|KASAN|still has objects'
PIDS=()

load_start() {
	in_ns "$H1" ping -q -f -w 600 10.2.0.1 >/dev/null 2>&1 &
	PIDS+=($!)
	in_ns "$H1" ping -6 -q -f -w 600 fd02::1 >/dev/null 2>&1 &
	PIDS+=($!)
	# Misses in T: events for the monitor, packets to hold.
	in_ns "$H2" ping -q -i 0.05 -w 600 10.9.0.1 >/dev/null 2>&1 &
	PIDS+=($!)
}

load_stop() {
	kill_wait "${PIDS[@]}"
	PIDS=()
}

# t_lisp: X2's lisp0, now in T, up with T's routes (a move takes them).
t_lisp() {
	printf '%s\n' "link set lisp0 up" "route add 10.1.0.0/24 dev lisp0" \
		"route add fd01::/64 dev lisp0" "route add 10.9.0.0/24 dev lisp0" |
		ip -n "$T" -b -
}

# tenant: X2's link to H2 and its lisp0 (created in T when $1 is "new")
# in T, with a monitor and a dynamic-EID policy there.
tenant() {
	ip -n "$X2" link set eth1 netns "$T" &&
		printf '%s\n' "addr add 10.2.0.254/24 dev eth1" \
			"addr add fd02::fe/64 dev eth1" "link set eth1 up" |
		ip -n "$T" -b - &&
		in_ns "$T" sysctl -qw net.ipv4.ip_forward=1 \
			net.ipv6.conf.all.forwarding=1 || return 1
	if [ "${1:-}" = new ]; then
		ip -n "$X2" link del lisp0 &&
			ip -n "$X2" link add lisp0 netns "$T" type lisp &&
			lctl "$T" database add lisp0 10.2.0.0/24 &&
			lctl "$T" database add lisp0 fd02::/64 &&
			lctl "$T" map-cache add lisp0 10.1.0.0/24 rloc 192.0.2.1 &&
			lctl "$T" map-cache add lisp0 fd01::/64 rloc 192.0.2.1
	else
		ip -n "$X2" link set lisp0 netns "$T"
	fi || return 1
	t_lisp || return 1
	monitor_start "$T" "$events" -j || return 1
	lctl "$T" dyn add lan prefix 10.2.0.0/24 dev eth1
}

# both_pings: the tunnel carries a ping each way, IPv4 and IPv6.
both_pings() {
	wait_for 10 ns_ping "$H1" 10.2.0.1 &&
		wait_for 10 ns_ping "$H1" fd02::1
}

t_tx_above() {	# t_tx_above N: lisp0 in T has sent more than N packets
	local v
	v=$(lisp_stat "$T" lisp0 tx-packets)
	[ "$v" != NaN ] && [ "$v" -gt "$1" ]
}

# flowing: lisp0 in T keeps sending (the pings' replies).
flowing() {
	local a
	a=$(lisp_stat "$T" lisp0 tx-packets)
	[ "$a" != NaN ] && wait_for 5 t_tx_above "$a"
}

lisp_load_module || skip_all "cannot load lisp.ko"
defer load_stop
events=$(mktemp -p "$REPO_ROOT/build" lifetime-events.XXXXXX)
defer rm -f "$events" "$events.err"

RET=0
topo_setup && topo_map 4 && setup_ns T U && tenant
check_err $? "setup failed"
both_pings
check_err $? "no ping across lisp0 in the tenant namespace"
load_start
flowing
check_err $? "lisp0 in T does not send"
wait_for 5 grep -q '"event":"miss"' "$events"
check_err $? "no MISS event in T"
dmesg_clean
log_test "lisp0 in a tenant namespace carries traffic, events and held packets"

RET=0
for i in $(seq 1 5); do
	ip -n "$T" link set lisp0 netns "$U" &&
		ip -n "$U" link set lisp0 up &&
		ip -n "$U" link set lisp0 netns "$T" &&
		t_lisp
	check_err $? "move $i of lisp0 between T and U failed"
done
flowing
check_err $? "traffic did not resume after the moves"
dmesg_clean
log_test "lisp0 moved between namespaces five times under load"

RET=0
rmmod lisp
check_err $? "rmmod lisp under load failed"
lisp_module_loaded
check_fail $? "/sys/module/lisp still exists"
ip -n "$T" link show lisp0 >/dev/null 2>&1
check_fail $? "lisp0 survived rmmod"
load_stop
sleep 1
dmesg_clean
log_test "rmmod lisp with a moved device, events, held packets and hooks in use"

RET=0
lisp_load_module
check_err $? "insmod after rmmod failed"
cleanup_all_ns
topo_setup && topo_map 4 && setup_ns T U && tenant new
check_err $? "setup after reloading failed"
both_pings
check_err $? "no ping after reloading"
load_start
flowing
check_err $? "lisp0 created in T does not send"
ip netns del "$X2"
wait_for 5 eval '! ip -n "$T" link show lisp0 >/dev/null 2>&1'
check_err $? "lisp0 outlived its underlay namespace"
ip -n "$T" link show eth1 >/dev/null
check_err $? "T lost its own link"
load_stop
sleep 1
dmesg_clean
log_test "the underlay namespace deleted under load: its device in T goes"

RET=0
cleanup_all_ns
lisp_unload_module
check_err $? "final rmmod failed"
sleep 1
dmesg_clean
log_test "final unload; no WARNING/BUG/Oops/refcount in the kernel log"

tap_done
