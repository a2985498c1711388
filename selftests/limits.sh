#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# limits: what one device can make the kernel hold is bounded and paid
# for by whoever asked.  The map-cache holds at most map-max entries (a
# link option, 1048576 by default, lowered at runtime): an add past it is
# refused with an extack reason, counted (map-full), and changes nothing.
# The database holds at most 65536 prefixes (db-full).  Entries and their
# locators - per-cpu counters and route caches included - are charged to
# the memory cgroup of the process that added them.

source "$(dirname "$0")/lib.sh"
source "$LIB_DIR/topo.sh"

require_root
require_vm
require_cmd ip awk

lisp_load_module || skip_all "cannot load lisp.ko"

batch=$(mktemp -p "$REPO_ROOT/build" limits.XXXXXX)
defer rm -f "$batch"

RET=0
setup_ns X
check_err $? "setup_ns"
ip -n "$X" link add lisp0 type lisp && ip -n "$X" link set lisp0 up
check_err $? "lisp0"
ip -n "$X" -d link show lisp0 | grep -q " map-max 1048576 "
check_err $? "default map-max is not 1048576: $(ip -n "$X" -d link show lisp0)"
log_test "a new device has map-max 1048576"

entries() { lctl "$X" map-cache show lisp0 | grep -c '^10\.'; }

# gen FIRST COUNT: map-cache add lines for 10.x.y.z/32, one RLOC each.
gen() {
	awk -v f="$1" -v n="$2" 'BEGIN { for (i = f; i < f + n; i++)
		printf "map-cache add lisp0 10.%d.%d.%d/32 rloc 198.18.%d.%d\n",
			int(i / 65536), int(i / 256) % 256, i % 256,
			int(i / 256) % 256, i % 256 }'
}

# refused_add EID: lispctl map-cache add is refused with the extack
# reason, map-full moves by one and the table does not change.
refused_add() {
	local before full out
	before=$(lctl "$X" map-cache show lisp0 | sed 's/ age .*//')
	full=$(lisp_stat "$X" lisp0 map-full)
	out=$(lctl "$X" map-cache add lisp0 "$1" rloc 198.18.255.1 2>&1)
	check_fail $? "add of $1 past the limit accepted"
	grep -q "map-cache full: the device's map-max is reached (ENOSPC)" <<<"$out"
	check_err $? "no extack reason: $out"
	check_eq "$(lisp_stat "$X" lisp0 map-full)" $((full + 1)) "map-full"
	[ "$(lctl "$X" map-cache show lisp0 | sed 's/ age .*//')" = "$before" ]
	check_err $? "the map-cache changed"
}

RET=0
ip -n "$X" link set lisp0 type lisp map-max 100
check_err $? "ip link set map-max 100"
ip -n "$X" -d link show lisp0 | grep -q " map-max 100 "
check_err $? "ip -d link show: $(ip -n "$X" -d link show lisp0)"
gen 0 100 >"$batch"
lctl "$X" -b "$batch"
check_err $? "100 adds under map-max 100 failed"
check_eq "$(entries)" 100 "entries"
refused_add 10.99.0.0/24
lctl "$X" map-cache replace lisp0 10.0.0.5/32 rloc 198.18.254.1
check_err $? "replacing an entry at the limit was refused"
check_eq "$(entries)" 100 "entries after replace"
log_test "map-max 100: the 101st add refused (ENOSPC, extack, map-full +1), replace allowed"

RET=0
ip -n "$X" link set lisp0 type lisp map-max 50
check_err $? "ip link set map-max 50"
check_eq "$(entries)" 100 "entries kept when the limit went down"
refused_add 10.99.0.0/24
gen 0 60 | sed 's/ add / del /; s/ rloc .*//' >"$batch"
lctl "$X" -b "$batch"
check_err $? "deleting 60"
check_eq "$(entries)" 40 "entries after deleting 60"
gen 1000 10 >"$batch"
lctl "$X" -b "$batch"
check_err $? "adding 10 up to the lowered limit"
refused_add 10.99.0.0/24
check_eq "$(entries)" 50 "entries at the lowered limit"
log_test "map-max lowered to 50 at runtime: keeps 100, refuses until below, fills to 50"

RET=0
awk 'BEGIN { for (i = 0; i < 65536; i++)
	printf "database add lisp0 100.%d.%d.0/24\n", int(i / 256), i % 256 }' >"$batch"
lctl "$X" -b "$batch"
check_err $? "65536 database adds failed"
out=$(lctl "$X" database add lisp0 10.255.0.0/16 2>&1)
check_fail $? "the 65537th database prefix was accepted"
grep -q "database full (65536 prefixes) (ENOSPC)" <<<"$out"
check_err $? "no extack reason: $out"
check_eq "$(lisp_stat "$X" lisp0 db-full)" 1 "db-full"
check_eq "$(lctl "$X" database show lisp0 | wc -l)" 65536 "database prefixes"
log_test "database of 65536 prefixes refuses the next (ENOSPC, extack, db-full +1)"

# --- memory cgroup charge ------------------------------------------------

CG=/sys/fs/cgroup
RET=0
if ! grep -qw memory "$CG/cgroup.controllers" 2>/dev/null; then
	tap_skip "memory cgroup charge" "no cgroup v2 memory controller at $CG"
	tap_done
fi
grep -qw memory "$CG/cgroup.subtree_control" ||
	echo +memory >"$CG/cgroup.subtree_control"
cg=$CG/lisp-limits.$$
mkdir "$cg"
check_err $? "mkdir $cg"
defer rmdir "$cg"

ip -n "$X" link set lisp0 type lisp map-max 1048576
lctl "$X" map-cache flush lisp0
N=10000
gen 0 $N >"$batch"

# In a shell moved into the cgroup: the batch, with memory.current and
# the percpu charge read before and after (lispctl itself has exited).
# The shell joins the cgroup outside the namespace: ip netns exec mounts
# a sysfs of its own, without the cgroup hierarchy.
out=$(bash -c '
	echo $$ >"$1/cgroup.procs" || exit 1
	c0=$(cat "$1/memory.current")
	p0=$(awk "\$1 == \"percpu\" { print \$2 }" "$1/memory.stat")
	ip netns exec "$4" "$2" -b "$3" || exit 2
	c1=$(cat "$1/memory.current")
	p1=$(awk "\$1 == \"percpu\" { print \$2 }" "$1/memory.stat")
	echo $c0 $c1 $p0 $p1' _ "$cg" "$LISPCTL" "$batch" "$X" 2>&1)
check_err $? "batch in the cgroup failed: $out"
read -r c0 c1 p0 p1 <<<"$out"
check_eq "$(entries)" $N "entries loaded"
cur=$((c1 - c0)) pcpu=$((p1 - p0)) ncpu=$(nproc)
tap_diag "$N entries, each with its own RLOC, added from $cg ($ncpu cpus):"
tap_diag "  memory.current +$cur bytes ($((cur / N)) per entry), percpu +$pcpu ($((pcpu / N)) per entry)"
tap_diag "  $(grep -E '^(lisp_trie4|kmalloc-(96|128|192|256)) ' /proc/slabinfo | awk '{ printf "%s %s/%s, ", $1, $2, $3 }')"
# An entry (~100 bytes), its trie nodes, its locator (struct, trie node)
# are well over 200 bytes; the locator's per-cpu counters (24 bytes) and
# dst_cache (16+ bytes) come per cpu.
[ "$cur" -ge $((N * 200)) ]
check_err $? "memory.current grew by only $cur bytes for $N entries"
[ "$pcpu" -ge $((N * 40 * ncpu)) ]
check_err $? "percpu charge grew by only $pcpu bytes for $N locators on $ncpu cpus"
log_test "$N entries charged to the caller's cgroup: +$((cur / N)) bytes each, percpu +$((pcpu / N))"

RET=0
lctl "$X" map-cache flush lisp0
check_err $? "flush"
slowwait 60 bash -c "[ \$(cat $cg/memory.current) -lt $((c0 + cur / 2)) ]"
check_err $? "memory.current did not go down after the flush: $(cat "$cg/memory.current")"
log_test "flushing the map-cache gives the charge back ($(cat "$cg/memory.current") bytes left)"

tap_done
