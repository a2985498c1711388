#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/guest.sh - the part of bench/run that runs inside the tools/vm
# guest.  Builds the two-xTR topology of selftests/topo.sh, adds an
# equivalent vxlan path next to the lisp one, measures, and hands the raw
# samples to bench/report.py.  Never fails on a number: the exit status is
# non-zero only when the benchmark could not run at all.
#
#   H1 ---- X1 ====== underlay veth ====== X2 ---- H2
#           lisp0  (UDP 4341, 1 or N map-cache entries)  lisp0
#           vx0    (UDP 4789, vni 100, static unicast)  vx0
#
# The path under test is chosen by the routes to the remote site in X1 and
# X2 only; H1, H2, the veths and the addresses never change.

set -u -o pipefail

BENCH_DIR=${BENCH_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)}
REPO=$(cd "$BENCH_DIR/.." && pwd -P)
cd "$REPO" || exit 1

quick=0
reps=3
secs=5
entries=1000000
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1; reps=1; secs=2; entries=200000; shift ;;
	--reps) reps=$2; shift 2 ;;
	--reps=*) reps=${1#*=}; shift ;;
	--time) secs=$2; shift 2 ;;
	--time=*) secs=${1#*=}; shift ;;
	--entries) entries=$2; shift 2 ;;
	--entries=*) entries=${1#*=}; shift ;;
	*) echo "bench: unknown option $1" >&2; exit 2 ;;
	esac
done
# --quick followed by explicit values: the explicit ones win (handled by
# the order of the options, as usual).

# The selftest helpers give us namespaces, veths, module loading and the
# clean-up on exit.  Their TAP output is not wanted here.
source "$REPO/selftests/lib.sh" >/dev/null
source "$REPO/selftests/topo.sh"
TAP_DONE=1

KVER=$(uname -r)
OUT_DIR=$REPO/build/bench
mkdir -p "$OUT_DIR" || exit 1
RAW=$OUT_DIR/raw-$KVER.jsonl
JSON=$OUT_DIR/results-$KVER.json
: >"$RAW"
PY=/usr/bin/python3
[ -x $PY ] || PY=python3

log() { echo "bench: $*" >&2; }
source "$BENCH_DIR/lib.sh"

for t in ip iperf3 "$LISPCTL"; do
	command -v "$t" >/dev/null || { log "$t is missing"; exit 2; }
done
[ "${LISP_VM:-}" = 1 ] || { log "runs only inside tools/vm (use bench/run)"; exit 2; }

T_START=$(now)
modprobe pktgen || { log "modprobe pktgen failed"; exit 2; }
modprobe vxlan || { log "modprobe vxlan failed"; exit 2; }
lisp_load_module || { log "cannot load lisp.ko"; exit 2; }

# ---------------------------------------------------------------------------
# Topology

topo_setup || { log "topo_setup failed"; exit 2; }
topo_map 4 || { log "topo_map failed"; exit 2; }
MTU=$(ip -n "$X1" -j link show lisp0 | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["mtu"])')

# vxlan: one L3-over-UDP path equivalent to lisp0.  A point-to-point
# vxlan with a single unicast remote (the all-zeros fdb entry that
# "remote" creates), no learning, fixed MACs and permanent neighbour
# entries, so no ARP or flooding ever happens; outer UDP checksum off as
# lisp does over IPv4 (RFC 9300 5.3); same MTU as lisp0 so TCP uses the
# same MSS on both.
vx_mac() { printf '02:00:00:00:%02x:01' "$1"; }
i=1
for x in "$X1" "$X2"; do
	me=192.0.2.$i peer=192.0.2.$((3 - i))
	ip -n "$x" link add vx0 address "$(vx_mac $i)" type vxlan id 100 \
		local "$me" remote "$peer" dstport 4789 dev eth0 nolearning \
		noudpcsum || { log "vxlan setup failed"; exit 2; }
	ip -n "$x" link set vx0 mtu "$MTU" up
	ip -n "$x" addr add 172.31.0.$i/30 dev vx0
	ip -n "$x" neigh replace 172.31.0.$((3 - i)) lladdr "$(vx_mac $((3 - i)))" \
		dev vx0 nud permanent
	i=$((i + 1))
done

# use_path lisp|vxlan: route H1 <-> H2 through that tunnel in X1 and X2.
use_path() {
	case $1 in
	lisp)
		ip -n "$X1" route replace 10.2.0.0/24 dev lisp0
		ip -n "$X2" route replace 10.1.0.0/24 dev lisp0 ;;
	vxlan)
		ip -n "$X1" route replace 10.2.0.0/24 via 172.31.0.2 dev vx0
		ip -n "$X2" route replace 10.1.0.0/24 via 172.31.0.1 dev vx0 ;;
	esac
	wait_for 10 ns_ping "$H1" 10.2.0.1 || log "no ping H1 -> H2 over $1"
}

# ctr NS DEV NAME: one interface counter.
ctr() { in_ns "$1" cat "/sys/class/net/$2/statistics/$3"; }
tun_dev() { [ "$1" = vxlan ] && echo vx0 || echo lisp0; }

# ---------------------------------------------------------------------------
# Measurements

in_ns "$H2" iperf3 -s -D >/dev/null 2>&1
wait_for 10 in_ns "$H2" sh -c 'ss -Hltn sport = :5201 | grep -q .'

# tcp CASE PATH REP STREAMS
tcp() {
	local case=$1 path=$2 rep=$3 p=$4 dev j before after bps retr
	dev=$(tun_dev "$path")
	before=$(ctr "$X1" "$dev" tx_packets)
	j=$(in_ns "$H1" timeout $((secs + 30)) iperf3 -c 10.2.0.1 -t "$secs" -O 1 \
		-P "$p" -J 2>/dev/null)
	after=$(ctr "$X1" "$dev" tx_packets)
	read -r bps retr < <($PY -c '
import json, sys
try:
    e = json.loads(sys.stdin.read())["end"]
    print(e["sum_received"]["bits_per_second"], e["sum_sent"].get("retransmits", 0))
except Exception:
    print("nan nan")' <<<"$j")
	rec kind=tcp$p case="$case" path="$path" rep="$rep" bps="$bps" \
		retrans="$retr" tun_tx=$((after - before))
	log "$(printf '%-8s tcp x%d rep %d: %8.1f Mbit/s (retrans %s)' \
		"$case" "$p" "$rep" "$($PY -c "print($bps/1e6)" 2>/dev/null || echo 0)" "$retr")"
}

# shellcheck disable=SC2034 # pktgen_setup (lib.sh) sends to it
X1_MAC=$(in_ns "$X1" cat /sys/class/net/eth1/address)
# ctr_ts NS DEV NAME: "TIME VALUE", the counter and a timestamp taken in
# the same process, so slow namespace switches under TCG do not skew rates.
ctr_ts() {
	in_ns "$1" sh -c 'echo "$(date +%s.%N) $(cat "/sys/class/net/$0/statistics/$1")"' "$2" "$3"
}
# rate "T0 V0" "T1 V1": per second.
rate() { $PY -c 'import sys; a, b = sys.argv[1].split(), sys.argv[2].split(); print((float(b[1]) - float(a[1])) / (float(b[0]) - float(a[0])))' "$1" "$2"; }

# pps CASE PATH REP: pktgen from H1 (one kthread, CPU 0) for 1 s of
# warm-up plus $secs s of measurement; rates from interface counters.
pps() {
	local case=$1 path=$2 rep=$3 dev pid s0 s1 f0 f1 r0 r1 d0 d1 rx
	dev=$(tun_dev "$path")
	pktgen_setup 0 64 || { rec kind=pps case="$case" path="$path" rep="$rep" rx_pps=nan; return; }
	in_ns "$H1" sh -c 'echo start >/proc/net/pktgen/pgctrl' 2>/dev/null &
	pid=$!
	sleep 1
	r0=$(ctr_ts "$H2" eth0 rx_packets); s0=$(ctr_ts "$H1" eth0 tx_packets)
	f0=$(ctr_ts "$X1" eth0 tx_packets); d0=$(ctr "$X1" "$dev" tx_packets)
	sleep "$secs"
	r1=$(ctr_ts "$H2" eth0 rx_packets); s1=$(ctr_ts "$H1" eth0 tx_packets)
	f1=$(ctr_ts "$X1" eth0 tx_packets); d1=$(ctr "$X1" "$dev" tx_packets)
	pg pgctrl stop
	wait "$pid" 2>/dev/null
	rx=$(rate "$r0" "$r1")
	rec kind=pps case="$case" path="$path" rep="$rep" \
		secs="$($PY -c "print(${r1%% *} - ${r0%% *})")" \
		tx_pps="$(rate "$s0" "$s1")" fwd_pps="$(rate "$f0" "$f1")" \
		rx_pps="$rx" tun_tx=$((d1 - d0))
	log "$(printf '%-8s pps    rep %d: %8.0f pkt/s at H2' "$case" "$rep" "$rx")"
}

# round CASE PATH REP: one repetition of every measurement on one path.
round() {
	use_path "$2"
	tcp "$1" "$2" "$3" 1
	tcp "$1" "$2" "$3" 4
	pps "$1" "$2" "$3"
}

# diag PHASE: the counters that explain a slow or lossy run: every non-zero
# lisp0 counter of X1 and X2, softnet backlog drops, and drops on the
# veths and tunnels.
diag() {
	local x nz
	for x in X1 X2; do
		nz=$(lctl "${!x}" stats lisp0 2>/dev/null |
			awk 'NF == 2 && $2 != 0 && $2 ~ /^[0-9]+$/ {printf "%s=%s;", $1, $2}')
		rec kind=diag phase="$1" what="lisp0-$x" counters="${nz:-none}"
	done
	local a b rest sd=0
	while read -r a b rest; do sd=$((sd + 0x$b)); done </proc/net/softnet_stat
	rec kind=diag phase="$1" what=softnet-dropped counters="$sd"
	local ns d out=
	for ns in H1 X1 X2 H2; do
		for d in eth0 eth1 lisp0 vx0; do
			out+=$(in_ns "${!ns}" sh -c 'for c in rx_dropped tx_dropped; do
				f=/sys/class/net/$0/statistics/$c
				[ -r "$f" ] && [ "$(cat "$f")" != 0 ] && printf "%s:%s:%s=%s;" "$1" "$0" "$c" "$(cat "$f")"
			done; true' "$d" "$ns" 2>/dev/null)
		done
	done
	rec kind=diag phase="$1" what=if-drops counters="${out:-none}"
}

# Record the offload settings both tunnels run with (defaults, untouched).
for d in lisp0 vx0; do
	f=$(in_ns "$X1" ethtool -k "$d" 2>/dev/null |
		awk -F': ' '/^(generic-segmentation-offload|generic-receive-offload|tx-udp_tnl-segmentation|rx-gro-list|tx-checksumming):/ {printf "%s=%s;", $1, $2}' | tr -d ' ')
	rec kind=features dev="$d" features="${f:-unknown}"
done

log "kernel $KVER, $(nproc) vCPUs, reps $reps, ${secs}s per measurement, $entries entries, lisp0/vx0 mtu $MTU"

# Phase A: lisp (1 map-cache entry per xTR) and vxlan, interleaved so that
# host noise hits both alike.
for ((r = 1; r <= reps; r++)); do
	round lisp1 lisp "$r"
	round vxlanA vxlan "$r"
done
diag A

# ---------------------------------------------------------------------------
# The big map-cache in X1 (the encapsulating xTR for H1 -> H2 data).

meminfo() {
	awk '/^(MemFree|Slab|SReclaimable|SUnreclaim|Percpu|VmallocUsed):/ {printf "%s=%.0f ", $1, $2 * 1024}' /proc/meminfo |
		tr -d ':'
}
slab_snap() { awk 'NR > 2 {print $1, $3 * $4}' /proc/slabinfo; }

log "generating $entries random /32 map-cache entries"
PFX=/tmp/bench-prefixes.txt
$PY "$BENCH_DIR/gen-prefixes.py" "$entries" lisp0 192.0.2.2 >"$PFX" || exit 2
sync; echo 3 >/proc/sys/vm/drop_caches; sleep 1
m0=$(meminfo); slab_snap >/tmp/slab0
log "loading with lispctl -b"
t0=$(now)
lctl "$X1" -b "$PFX" >/tmp/load.out 2>&1
load_rc=$?
t1=$(now)
load_s=$($PY -c "print($t1 - $t0)")
[ $load_rc = 0 ] || log "lispctl -b exited $load_rc: $(tail -3 /tmp/load.out)"
sleep 1; echo 3 >/proc/sys/vm/drop_caches; sleep 1
m1=$(meminfo); slab_snap >/tmp/slab1
log "loaded in ${load_s}s"
# Count what the kernel holds: one line per entry in the dump.
count=$(lctl "$X1" map-cache show lisp0 2>/dev/null | grep -c '/')
rec kind=load entries="$entries" secs="$load_s" rc="$load_rc" dumped="$count"
# shellcheck disable=SC2086
rec kind=mem when=before $m0
# shellcheck disable=SC2086
rec kind=mem when=after $m1
join /tmp/slab0 /tmp/slab1 2>/dev/null | awk '{d = $3 - $2; if (d > 1048576 || d < -1048576) print $1, d}' |
	while read -r name d; do rec kind=slab cache="$name" delta="$d"; done
ns_ping "$H1" 10.2.0.1 || log "no ping H1 -> H2 with the big map-cache"

# Phase B: lisp with the big map-cache, vxlan again as the reference for
# the drift between the phases.
for ((r = 1; r <= reps; r++)); do
	round lispN lisp "$r"
	round vxlanB vxlan "$r"
done
diag B

# Removing the big map-cache: time and what memory comes back.
t0=$(now)
lctl "$X1" map-cache flush lisp0 >/dev/null 2>&1
frc=$?
t1=$(now)
sleep 1; echo 3 >/proc/sys/vm/drop_caches; sleep 1
m2=$(meminfo)
rec kind=flush secs="$($PY -c "print($t1 - $t0)")" rc="$frc"
# shellcheck disable=SC2086
rec kind=mem when=flushed $m2
rm -f "$PFX"

# The kernel's own anchor for bulk programming: the same N /32s as routes
# via the same next hop, by one ip -batch in X1 (ip's own -n: one exec,
# as lctl), into a table no packet of the benchmark consults.
log "loading the same $entries /32s as routes with ip -batch"
RT=/tmp/bench-routes.txt
$PY "$BENCH_DIR/gen-prefixes.py" --route 1000 "$entries" eth0 192.0.2.2 >"$RT" || exit 2
sync; echo 3 >/proc/sys/vm/drop_caches; sleep 1
m3=$(meminfo)
t0=$(now)
ip -n "$X1" -batch "$RT" >/tmp/routes.out 2>&1
rrc=$?
t1=$(now)
sleep 1; echo 3 >/proc/sys/vm/drop_caches; sleep 1
m4=$(meminfo)
[ $rrc = 0 ] || log "ip -batch exited $rrc: $(tail -3 /tmp/routes.out)"
rcount=$(ip -n "$X1" -4 route show table 1000 | grep -c '^[0-9]')
rec kind=routes entries="$entries" secs="$($PY -c "print($t1 - $t0)")" rc="$rrc" installed="$rcount"
# shellcheck disable=SC2086
rec kind=mem when=routes_before $m3
# shellcheck disable=SC2086
rec kind=mem when=routes_after $m4
ip -n "$X1" route flush table 1000
rm -f "$RT"

rec kind=meta kernel="$KVER" vcpus="$(nproc)" mem_mb="$(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo)" \
	reps="$reps" secs="$secs" entries="$entries" quick="$quick" mtu="$MTU" \
	accel=tcg \
	wall_s="$($PY -c "print($(now) - $T_START)")" date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
$PY "$BENCH_DIR/report.py" "$RAW" "$JSON"
