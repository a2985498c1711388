#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/ddt in the guest (one vCPU, --icount 0).  One LAN, a bridge in
# namespace ddt-lan, 192.0.2.0/24:
#
#   r   .1   root DDT node: 10.0.0.0/8 to t
#   t   .11  DDT node: 10.0.0.0/16 to Map-Server m
#   m   .21  DDT Map-Server, site 10.0.0.0/16 (more-specifics)
#   mrw .50  DDT Map-Resolver, root r (warm: its referral cache)
#   mrc .51  DDT Map-Resolver, root r, ddt-referral-cache-size = 0 (cold:
#            every request from the root)
#   p   .60  plain Map-Server and Map-Resolver in one lispd, same site
#   g   .100 lisp-loadgen
#
# N host EIDs 10.0.0.1... are registered with m and with p, proxy-reply
# (the P bit), so every Map-Reply comes from a Map-Server.  Per
# repetition, each path in turn (plain, warm, cold): the latency of
# Map-Requests sent one at a time, then the throughput of WINDOW
# outstanding for S guest seconds, with the Map-Resolver's CPU time.
# Raw records: build/bench-ddt/raw.jsonl.
set -u

EIDS=10000
REPS=3
LAT=300
TIME=2
WINDOW=64
while [ $# -gt 0 ]; do
	case $1 in
	--eids) EIDS=$2; shift 2 ;;
	--reps) REPS=$2; shift 2 ;;
	--lat) LAT=$2; shift 2 ;;
	--time) TIME=$2; shift 2 ;;
	--window) WINDOW=$2; shift 2 ;;
	*) echo "ddt-guest: unknown option $1" >&2; exit 2 ;;
	esac
done

REPO=$(cd "$BENCH_DIR/.." && pwd)
LISPD=$REPO/lispd/build/lispd
LOADGEN=$REPO/tools/lisp-loadgen/lisp-loadgen
OUT=$REPO/build/bench-ddt
RUN=$(mktemp -d /tmp/bench-ddt.XXXXXX)	# logs in tmpfs, not on 9p
KEY=benchkey
GEN=192.0.2.100
mkdir -p "$OUT"
RAW=$OUT/raw.jsonl
: >"$RAW"

say() { echo "bench/ddt: $*" >&2; }
die() { say "$*"; exit 1; }

pids=()
cleanup() {
	local p n
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for n in lan r t m mrw mrc p g; do
		ip netns del "ddt-$n" 2>/dev/null
	done
	cp "$RUN"/*.log "$OUT/" 2>/dev/null
}
trap cleanup EXIT

ip netns add ddt-lan || die "ip netns add"
printf '%s\n' "link add br0 type bridge" "link set br0 type bridge stp_state 0" \
	"link set br0 up" | ip -n ddt-lan -b -
port() {	# port NAME ADDR
	ip netns add "ddt-$1" &&
		ip link add "p$1" netns ddt-lan type veth peer name eth0 netns "ddt-$1" &&
		printf '%s\n' "link set p$1 master br0" "link set p$1 up" |
		ip -n ddt-lan -b - &&
		printf '%s\n' "addr add $2/24 dev eth0" "link set eth0 up" \
			"link set lo up" | ip -n "ddt-$1" -b -
}
port r 192.0.2.1 && port t 192.0.2.11 && port m 192.0.2.21 &&
	port mrw 192.0.2.50 && port mrc 192.0.2.51 && port p 192.0.2.60 &&
	port g $GEN || die "topology"

cat >"$RUN/r.conf" <<EOF
roles = { ddt-node }
ddt-authoritative-prefix = { "0.0.0.0/0" }
ddt-delegation "10.0.0.0/8" { deleg-nodes = { 192.0.2.11 } }
EOF
cat >"$RUN/t.conf" <<EOF
roles = { ddt-node }
ddt-authoritative-prefix = { "10.0.0.0/8" }
ddt-delegation "10.0.0.0/16" {
	delegation-type = map-server
	deleg-nodes = { 192.0.2.21 }
}
EOF
# Registered once: under -icount the guest clock jumps over idle time,
# past the default 3-minute registration timeout.
site="registration-timeout = 86400
site bench { key = $KEY eid-prefix 10.0.0.0/16 { accept-more-specifics = true } }"
printf '%s\n' "roles = { map-server }" \
	'ddt-authoritative-prefix = { "10.0.0.0/16" }' "$site" >"$RUN/m.conf"
printf '%s\n' "roles = { map-resolver }" \
	"ddt-root-addresses = { 192.0.2.1 }" >"$RUN/mrw.conf"
printf '%s\n' "roles = { map-resolver }" "ddt-root-addresses = { 192.0.2.1 }" \
	"ddt-referral-cache-size = 0" >"$RUN/mrc.conf"
printf '%s\n' "roles = { map-server, map-resolver }" "$site" >"$RUN/p.conf"

for n in r t m mrw mrc p; do
	sed -i "1a control-socket = \"$RUN/$n.sock\"" "$RUN/$n.conf"
	ip netns exec "ddt-$n" "$LISPD" -d -c "$RUN/$n.conf" >"$RUN/$n.log" 2>&1 &
	pids+=($!)
	eval "pid_$n=$!"
done
for n in r t m mrw mrc p; do
	for _ in $(seq 100); do
		ip netns exec "ddt-$n" ss -Huln 'sport = :4342' | grep -q . && break
		sleep 0.1
	done
done

# loadgen ARGS...: one lisp-loadgen run from g, its JSON.
loadgen() {
	ip netns exec ddt-g "$LOADGEN" -l $GEN -n "$EIDS" -k $KEY "$@"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
for ms in 192.0.2.21 192.0.2.60; do
	res=$(loadgen -m register -s $ms -c "$EIDS" -w 64) || die "register with $ms"
	grep -q "\"answered\": $EIDS," <<<"$res" ||
		die "not every EID registered with $ms: $res"
done
say "$EIDS EIDs registered with m and p"

server_of() {
	case $1 in plain) echo 192.0.2.60 ;; warm) echo 192.0.2.50 ;; cold) echo 192.0.2.51 ;; esac
}
pid_of() {
	case $1 in plain) echo "$pid_p" ;; warm) echo "$pid_mrw" ;; cold) echo "$pid_mrc" ;; esac
}
# measure PATH REP WHAT LOADGEN-ARGS...: one raw record.
measure() {
	local path=$1 rep=$2 what=$3 pid c0 c1 res
	shift 3
	pid=$(pid_of "$path")
	c0=$(cpu_ticks "$pid")
	res=$(loadgen -m request -s "$(server_of "$path")" "$@") ||
		die "$path $what: lisp-loadgen failed"
	c1=$(cpu_ticks "$pid")
	echo "{\"path\": \"$path\", \"rep\": $rep, \"what\": \"$what\"," \
		"\"mr_cpu_s\": $(awk -v a="$c0" -v b="$c1" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.3f", (b - a) / hz }'), \"result\": $res}" >>"$RAW"
	say "rep $rep $path $what: $res"
}

# Warm-up, not recorded: the warm resolver's cache gets the site's
# referral, every daemon has run its code once.
for path in plain warm cold; do
	loadgen -m request -s "$(server_of "$path")" -c 200 -w 8 >/dev/null
done
for rep in $(seq "$REPS"); do
	for path in plain warm cold; do
		measure "$path" "$rep" latency -c "$LAT" -w 1
		measure "$path" "$rep" throughput -t "$TIME" -w "$WINDOW"
	done
done
# The resolvers' counters: the warm one answered from its cache, the
# cold one asked the root, the DDT node and the Map-Server each time.
for n in mrw mrc; do
	LISPD_SOCKET="$RUN/$n.sock" "$REPO/tools/lispctl/lispctl" show statistics |
		awk -v n="$n" '$1 ~ /^(map-request-received|ddt-map-request-sent|referral-cache-hit|referral-cache-full|map-referral-received)$/ {
			s = s sprintf("%s\"%s\": %s", s ? ", " : "", $1, $2) }
			END { printf "{\"stats\": \"%s\", %s}\n", n, s }' >>"$RAW"
done
say "done"
