#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/peers-profile.sh - where each path's instructions go: the
# topology of bench/peers-guest.sh, then per path 20,000 64-byte pktgen
# packets under perf's cpu-clock sampling.  Under tools/vm --icount the
# clock counts instructions, so the samples share out instructions.
# Run it in the guest:
#
#   tools/vm --kernel 6.12 --cpus 1 --icount 0 -- bash bench/peers-profile.sh
#
# Output: build/bench/prof-PATH.txt, the guest ns (instructions) per
# packet of one run without perf, then perf's symbols of at least
# PROF_LIMIT (0.5) % of the samples, then the split by object.
# pv_native_safe_halt is idle time (perf's own start and stop), not the
# path.  PROF_PATHS picks the paths (all five by default).
set -u
echo 0 >/proc/sys/kernel/kptr_restrict	# symbols for perf report
# shellcheck source=bench/peers-guest.sh
source "$(dirname "${BASH_SOURCE[0]}")/peers-guest.sh" --reps 0 \
	--paths "${PROF_PATHS:-plain bareudp vxlan geneve lisp}"
for p in $paths; do
	use_path "$p" || continue
	pktgen_setup 20000 64 || continue
	pg pgctrl start
	in_ns "$H1" awk '/^Result: OK:/ { sub(/\(.*/, "", $3)
		printf "guest ns per packet: %.1f\n", $3 * 1000 / 20000 }' \
		/proc/net/pktgen/eth0 >"$OUT_DIR/prof-$p.txt"
	pktgen_setup 20000 64 || continue
	in_ns "$H1" perf record -q -e cpu-clock -F 20000 -a -o "/tmp/p-$p.data" -- \
		sh -c 'echo start >/proc/net/pktgen/pgctrl' >/dev/null 2>&1
	{
		perf report -i "/tmp/p-$p.data" --stdio --no-children --sort sym \
			--percent-limit "${PROF_LIMIT:-0.5}"
		perf report -i "/tmp/p-$p.data" --stdio --no-children --sort dso
	} 2>/dev/null | grep -v -e '^#' -e '^$' >>"$OUT_DIR/prof-$p.txt"
	log "profiled $p: $OUT_DIR/prof-$p.txt"
done
