#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# races: requests that run without RTNL (the genl family has parallel_ops)
# racing the device's or an interface's removal.
#   - STATS_GET in a loop against "ip link del": the counters live until
#     the last reference to the device is gone;
# tools/vm also fails the run on any oops/WARNING in the kernel log.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_root
require_vm
require_cmd ip ping dmesg
lisp_load_module || skip_all "cannot load lisp.ko"
DMESG_BASE=$(dmesg | wc -l)
BAD_RE='WARNING|BUG|Oops|refcount|general protection|use-after-free|KASAN|kmem_cache_destroy|still has objects'

dmesg_clean() {
	local bad
	bad=$(dmesg | tail -n +$((DMESG_BASE + 1)) | grep -E "$BAD_RE")
	[ -z "$bad" ] && return 0
	check_err 1 "kernel log: $(echo "$bad" | head -5)"
	return 1
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

tap_done
