#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# races: requests that run without RTNL (the genl family has parallel_ops)
# racing the device's or an interface's removal.
#   - STATS_GET in a loop against "ip link del": the counters live until
#     the last reference to the device is gone;
#   - DB_ADD and MAP_ADD of distinct prefixes, three writers at once,
#     against "ip link del", then rmmod: nothing is left behind (no
#     "Slab cache still has objects", no WARNING);
#   - "ip link set ... type lisp iid" rebinding one device while another
#     of the same port takes traffic: no packet is lost to the rebind;
#   - DYN_ADD naming an interface while it is deleted: the policy never
#     keeps an interface that is gone.
# tools/vm also fails the run on any oops/WARNING in the kernel log.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_root
require_vm
require_cmd ip ping dmesg
lisp_load_module || skip_all "cannot load lisp.ko"
DMESG_BASE=$(dmesg | wc -l)
BAD_RE='WARNING|BUG|Oops|refcount|general protection|use-after-free|KASAN|kmem_cache_destroy|still has objects'

# db_at_least NS N: lisp0 in NS has N database entries or more.
db_at_least() {
	[ "$(lctl "$1" database show lisp0 2>/dev/null | wc -l)" -ge "$2" ]
}

tmp=$(mktemp -d -p "$REPO_ROOT/build" races.XXXXXX)
defer rm -rf "$tmp"
setup_ns R || { tap_not_ok "namespace"; tap_done; }

# ---------------------------------------------------------------------------
RET=0
for i in $(seq 1 500); do echo "stats lisp0"; done >"$tmp/stats"
ok=0
for i in $(seq 1 10); do
	ip -n "$R" link add lisp0 type lisp && ip -n "$R" link set lisp0 up ||
		{ check_err 1 "ip link add lisp0 ($i) failed"; break; }
	[ "$(lisp_stat "$R" lisp0 rx-packets)" = 0 ] && ok=$((ok + 1))
	pids=()
	for j in 1 2; do
		lctl "$R" -b "$tmp/stats" >/dev/null 2>&1 &
		pids+=($!)
	done
	sleep 0.$((RANDOM % 5))
	ip -n "$R" link del lisp0
	check_err $? "ip link del lisp0 ($i) failed"
	wait "${pids[@]}"
done
check_eq "$ok" 10 "lispctl stats on a fresh device"
dmesg_clean
log_test "STATS_GET racing ip link del, 10 times: no splat"

# ---------------------------------------------------------------------------
RET=0
for w in 1 2 3; do
	for i in $(seq 0 999); do
		echo "database add lisp0 10.$w.$((i / 250)).$((i % 250))/32"
		echo "map-cache add lisp0 172.$((15 + w)).$((i / 250)).$((i % 250))/32 rloc 192.0.2.2"
		echo "map-cache add lisp0 fd0$w::$i/128 rloc 2001:db8::2"
	done >"$tmp/add$w"
done
for i in $(seq 1 5); do
	ip -n "$R" link add lisp0 type lisp ||
		{ check_err 1 "ip link add lisp0 ($i) failed"; break; }
	pids=()
	for w in 1 2 3; do
		lctl "$R" -b "$tmp/add$w" >/dev/null 2>&1 &
		pids+=($!)
	done
	# Delete it while the writers are still busy: after the first
	# entries, a different number each round.
	wait_for 60 db_at_least "$R" $((i * 20))
	check_err $? "round $i: the writers added nothing"
	ip -n "$R" link del lisp0
	check_err $? "ip link del lisp0 ($i) failed"
	wait "${pids[@]}"
done
cleanup_all_ns
lisp_unload_module
check_err $? "rmmod lisp failed"
sleep 1
dmesg_clean
log_test "DB_ADD/MAP_ADD (3 writers) racing ip link del, then rmmod: nothing leaked"

# ---------------------------------------------------------------------------
# Two devices share port 4341 on X2: lisp0 (iid 0) carries the pings and
# lisp1 is rebound between iids over and over.  A reader on lisp1's old
# hash chain must not be sent down the new one and miss lisp0.

RET=0
lisp_load_module || { tap_not_ok "insmod"; tap_done; }
topo_setup && topo_map 4
check_err $? "topology setup failed"
ip -n "$X2" link add lisp1 type lisp iid 64 && ip -n "$X2" link set lisp1 up
check_err $? "lisp1 on X2 failed"
wait_for 20 ns_ping "$H1" 10.2.0.1
check_err $? "no ping before the rebinds"
u0=$(lisp_stat "$X2" lisp0 rx-unknown-iid)
in_ns "$H1" ping -q -c 300 -i 0.01 -W 2 10.2.0.1 >"$tmp/ping" 2>&1 &
pp=$!
for i in $(seq 1 100); do
	ip -n "$X2" link set lisp1 type lisp iid $((64 * (i % 2 + 1) + (i % 7)))
done
wait "$pp"
check_err $? "pings lost while lisp1 was rebound: $(grep loss "$tmp/ping")"
check_eq "$(lisp_stat "$X2" lisp0 rx-unknown-iid)" "$u0" "rx-unknown-iid on X2"
dmesg_clean
log_test "100 iid rebinds of lisp1 while lisp0 of the same port takes traffic"

# ---------------------------------------------------------------------------
RET=0
setup_ns R2 || { tap_not_ok "namespace R2"; tap_done; }
for i in $(seq 1 40); do
	ip -n "$R2" link add "d$i" type dummy ||
		{ check_err 1 "ip link add d$i failed"; break; }
	lctl "$R2" dyn add "p$i" prefix 10.9.0.0/24 dev "d$i" >/dev/null 2>&1 &
	p=$!
	ip -n "$R2" link del "d$i"
	wait "$p"
done
# Every interface named is gone: no policy may still watch one.
out=$(lctl "$R2" -j dyn show 2>&1)
stale=$(grep -o '"devs":\[[^]]' <<<"$out" | wc -l)
check_eq "$stale" 0 "policies watching a deleted interface: $out"
dmesg_clean
log_test "DYN_ADD racing the deletion of its interface, 40 times"

tap_done
