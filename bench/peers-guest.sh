#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/peers-guest.sh - the part of bench/peers that runs inside the
# tools/vm guest: one topology, five paths between the same two hosts,
# each workload measured on every path in turn, repetition after
# repetition (plain, bareudp, vxlan, geneve, lisp, plain, ...).
#
#   H1 ---- X1 ====== underlay veth ====== X2 ---- H2
#           plain    routed over eth0 itself       plain
#           lisp0    UDP 4341, 1 map-cache entry   lisp0
#           bu0      bareudp UDP 6635, route encap bu0
#           vx0      vxlan UDP 4789, vni 100       vx0
#           gn0      geneve UDP 6081, vni 100      gn0
#
# Every measurement is of a fixed amount of work (a packet count, a byte
# count) timed by the guest's own clock: under tools/vm --icount that
# clock advances with the instructions the guest executes, so the rates
# are a property of the code, not of the host's load.  Never fails on a
# number; the exit status is non-zero only when the run could not be made.

set -u -o pipefail

BENCH_DIR=${BENCH_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)}
REPO=$(cd "$BENCH_DIR/.." && pwd -P)
cd "$REPO" || exit 1

reps=5
packets=20000
bytes=64M
paths="plain bareudp vxlan geneve lisp"
works="udp64 udp1400 tcp1 tcp4"
while [ $# -gt 0 ]; do
	case $1 in
	--reps) reps=$2; shift 2 ;;
	--packets) packets=$2; shift 2 ;;
	--bytes) bytes=$2; shift 2 ;;
	--paths) paths=$2; shift 2 ;;
	--work) works=$2; shift 2 ;;
	*) echo "bench: unknown option $1" >&2; exit 2 ;;
	esac
done

source "$REPO/selftests/lib.sh" >/dev/null
source "$REPO/selftests/topo.sh"
TAP_DONE=1

KVER=$(uname -r)
OUT_DIR=$REPO/build/bench
mkdir -p "$OUT_DIR" || exit 1
RAW=${BENCH_RAW:-$OUT_DIR/peers-raw-$KVER.jsonl}
: >"$RAW"
log() { echo "bench: $*" >&2; }
source "$BENCH_DIR/lib.sh"

[ "${LISP_VM:-}" = 1 ] || { log "runs only inside tools/vm (use bench/peers)"; exit 2; }
for t in ip iperf3 "$LISPCTL"; do
	command -v "$t" >/dev/null || { log "$t is missing"; exit 2; }
done

T_START=$(now)
modprobe pktgen && modprobe vxlan && modprobe geneve ||
	{ log "modprobe pktgen/vxlan/geneve failed"; exit 2; }
lisp_load_module || { log "cannot load lisp.ko"; exit 2; }
# Debian's kernels do not build bareudp; bench/peers builds it from the
# kernel's source when it can.
if [[ " $paths " == *" bareudp "* ]] && ! modprobe bareudp 2>/dev/null; then
	ko=$REPO/build/bareudp-$KVER/bareudp.ko
	modprobe udp_tunnel && modprobe ip6_udp_tunnel && insmod "$ko" ||
		{ log "no bareudp module ($ko); leaving bareudp out"; paths=${paths/bareudp/}; }
fi

# ---------------------------------------------------------------------------
# Topology

topo_setup || { log "topo_setup failed"; exit 2; }
topo_map 4 || { log "topo_map failed"; exit 2; }
MTU=$(ip -n "$X1" link show lisp0 | sed -n 's/.* mtu \([0-9]*\).*/\1/p')

# The L2 tunnels (vxlan, geneve): point to point, fixed MACs and
# permanent neighbours, so no ARP, learning or flooding ever happens;
# the xTRs route into them via the peer's tunnel address.  Outer UDP
# checksum off over IPv4 everywhere, as lisp does (RFC 9300 5.3); every
# tunnel gets lisp0's MTU, so TCP picks the same MSS on all of them.
l2_mac() { printf '02:00:00:00:%02x:%02x' "$1" "$2"; }
i=1
for x in "$X1" "$X2"; do
	me=192.0.2.$i peer=192.0.2.$((3 - i)) o=$((3 - i))
	ip -n "$x" link add vx0 address "$(l2_mac 1 $i)" type vxlan id 100 \
		local "$me" remote "$peer" dstport 4789 dev eth0 nolearning \
		noudpcsum || { log "vxlan setup failed"; exit 2; }
	ip -n "$x" link add gn0 address "$(l2_mac 2 $i)" type geneve id 100 \
		remote "$peer" dstport 6081 noudpcsum ||
		{ log "geneve setup failed"; exit 2; }
	ip -n "$x" addr add 172.31.0.$i/30 dev vx0
	ip -n "$x" addr add 172.31.1.$i/30 dev gn0
	ip -n "$x" neigh replace 172.31.0.$o lladdr "$(l2_mac 1 $o)" dev vx0 nud permanent
	ip -n "$x" neigh replace 172.31.1.$o lladdr "$(l2_mac 2 $o)" dev gn0 nud permanent
	if [[ " $paths " == *" bareudp "* ]]; then
		ip -n "$x" link add bu0 type bareudp dstport 6635 ethertype ipv4 ||
			{ log "bareudp setup failed"; exit 2; }
	fi
	for d in vx0 gn0 bu0; do
		ip -n "$x" link set "$d" mtu "$MTU" up 2>/dev/null
	done
	i=$((i + 1))
done

# use_path PATH: route H1 <-> H2 through PATH in X1 and X2.
use_path() {
	local a1 a2
	case $1 in
	plain)
		a1="via 192.0.2.2 dev eth0" a2="via 192.0.2.1 dev eth0" ;;
	lisp)
		a1="dev lisp0" a2="dev lisp0" ;;
	bareudp)
		a1="encap ip id 0 dst 192.0.2.2 dev bu0"
		a2="encap ip id 0 dst 192.0.2.1 dev bu0" ;;
	vxlan)
		a1="via 172.31.0.2 dev vx0" a2="via 172.31.0.1 dev vx0" ;;
	geneve)
		a1="via 172.31.1.2 dev gn0" a2="via 172.31.1.1 dev gn0" ;;
	esac
	# shellcheck disable=SC2086
	ip -n "$X1" route replace 10.2.0.0/24 $a1 &&
		ip -n "$X2" route replace 10.1.0.0/24 $a2 || return 1
	wait_for 10 ns_ping "$H1" 10.2.0.1 || { log "no ping H1 -> H2 over $1"; return 1; }
}
tun_dev() {
	case $1 in
	plain) echo eth0 ;; lisp) echo lisp0 ;; bareudp) echo bu0 ;;
	vxlan) echo vx0 ;; geneve) echo gn0 ;;
	esac
}

# ctr NS DEV NAME: one interface counter.
ctr() { in_ns "$1" cat "/sys/class/net/$2/statistics/$3"; }

# cpu_ticks: the guest's busy time so far (user+nice+system+irq+softirq,
# in USER_HZ ticks): how much of the measurement the CPU was working.
cpu_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8; exit}' /proc/stat; }

# ---------------------------------------------------------------------------
# UDP: pktgen in H1 sends $packets packets (pktgen_setup, lib.sh) and
# times itself with the guest clock ("Result: OK: N(...) usec").

# shellcheck disable=SC2034 # pktgen_setup (lib.sh) sends to it
X1_MAC=$(in_ns "$X1" cat /sys/class/net/eth1/address)
# H2 counts the packets on its veth and drops them at ingress: no UDP
# lookup and no rate-limited ICMP port unreachable (whose timing would
# vary), only the forwarding paths differ.
in_ns "$H2" tc qdisc add dev eth0 ingress &&
	in_ns "$H2" tc filter add dev eth0 ingress protocol ip flower \
		ip_proto udp dst_port 9 action drop ||
	{ log "tc ingress drop on H2 failed"; exit 2; }

# udp WORK PATH REP SIZE
udp() {
	local work=$1 path=$2 rep=$3 size=$4 dev r0 r1 d0 d1 c0 c1 res usec sent
	dev=$(tun_dev "$path")
	pktgen_setup "$packets" "$size" || { rec kind="$work" path="$path" rep="$rep" rate=nan; return; }
	r0=$(ctr "$H2" eth0 rx_packets); d0=$(ctr "$X1" "$dev" tx_packets)
	c0=$(cpu_ticks)
	pg pgctrl start
	c1=$(cpu_ticks)
	sleep 0.2	# what is still in a backlog reaches H2
	r1=$(ctr "$H2" eth0 rx_packets); d1=$(ctr "$X1" "$dev" tx_packets)
	res=$(in_ns "$H1" sed -n 's/^Result: OK: \([0-9]*\)(.*usec, \([0-9]*\) .*/\1 \2/p' /proc/net/pktgen/eth0)
	read -r usec sent <<<"$res"
	[ -n "${usec:-}" ] && [ "$usec" -gt 0 ] ||
		{ log "pktgen gave no result"; rec kind="$work" path="$path" rep="$rep" rate=nan; return; }
	rec kind="$work" path="$path" rep="$rep" usec="$usec" sent="$sent" \
		rx=$((r1 - r0)) tun_tx=$((d1 - d0)) cpu_ticks=$((c1 - c0)) \
		rate="$(awk -v n=$((r1 - r0)) -v u="$usec" 'BEGIN {printf "%.1f", n * 1e6 / u}')" \
		ns_per_pkt="$(awk -v n="$sent" -v u="$usec" 'BEGIN {printf "%.1f", u * 1e3 / n}')"
	log "$(printf '%-8s %-8s rep %d: %6d of %d at H2 in %d us guest' "$path" "$work" \
		"$rep" $((r1 - r0)) "$sent" "$usec")"
}

# tcp WORK PATH REP STREAMS: iperf3 H1 -> H2, $bytes per stream, the
# receiver's rate as iperf3 measures it (guest clock).
in_ns "$H2" iperf3 -s -D >/dev/null 2>&1
wait_for 10 in_ns "$H2" sh -c 'ss -Hltn sport = :5201 | grep -q .'
tcp() {
	local work=$1 path=$2 rep=$3 p=$4 dev d0 d1 j bps retr
	dev=$(tun_dev "$path")
	d0=$(ctr "$X1" "$dev" tx_packets)
	j=$(in_ns "$H1" timeout 600 iperf3 -c 10.2.0.1 -n "$bytes" -P "$p" -J 2>/dev/null)
	d1=$(ctr "$X1" "$dev" tx_packets)
	read -r retr bps < <(printf '%s\n' "$j" | sed -n \
		-e '/"sum_received"/,/}/s/.*"bits_per_second":[[:space:]]*\([0-9.e+]*\).*/\1/p' \
		-e '/"sum_sent"/,/}/s/.*"retransmits":[[:space:]]*\([0-9]*\).*/\1/p' | tr '\n' ' ')
	rec kind="$work" path="$path" rep="$rep" rate="${bps:-nan}" \
		retrans="${retr:-nan}" tun_tx=$((d1 - d0))
	log "$(printf '%-8s %-8s rep %d: %s bit/s (retrans %s)' "$path" "$work" "$rep" \
		"${bps:-?}" "${retr:-?}")"
}

run_work() {
	case $1 in
	udp64) udp "$1" "$2" "$3" 64 ;;
	udp1400) udp "$1" "$2" "$3" 1400 ;;
	tcp1) tcp "$1" "$2" "$3" 1 ;;
	tcp4) tcp "$1" "$2" "$3" 4 ;;
	esac
}

log "kernel $KVER, $(nproc) vCPU(s), icount shift ${LISP_VM_ICOUNT:-none}," \
	"reps $reps, $packets packets, $bytes per TCP stream, mtu $MTU, paths: $paths"
# A warm-up pass (not recorded as a sample): caches, ARP on the
# underlay, iperf3 and pktgen pages in the guest's page cache.
RAW_KEEP=$RAW RAW=/dev/null
for p in $paths; do
	use_path "$p" && packets=200 run_work udp64 "$p" 0 && bytes=1M tcp warm "$p" 0 1
done 2>/dev/null
RAW=$RAW_KEEP

for ((r = 1; r <= reps; r++)); do
	for p in $paths; do
		use_path "$p" || continue
		for w in $works; do
			run_work "$w" "$p" "$r"
		done
	done
done

rec kind=meta kernel="$KVER" vcpus="$(nproc)" icount="${LISP_VM_ICOUNT:-none}" \
	reps="$reps" packets="$packets" bytes="$bytes" mtu="$MTU" \
	paths="${paths// /,}" works="${works// /,}" \
	guest_s="$(awk -v a="$T_START" -v b="$(now)" 'BEGIN {print b - a}')"
