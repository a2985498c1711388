#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/tenants-guest.sh - the part of bench/tenants that runs inside the
# tools/vm guest: N tenants (instance-ids) on one xTR pair and one
# Map-Server, P EID prefixes per tenant on each xTR.  Never fails on a
# number: the exit status is non-zero only when the benchmark could not
# run at all.
#
#   X1 [vrf-K: h-K 10.1.0.254, lisp-K iid 1000+K]  K = 1..N
#      eth0 192.0.2.1 ====== 192.0.2.2 eth0
#   X2 [vrf-K: h-K 10.2.0.254, lisp-K iid 1000+K] -- M 198.51.100.1
#
# X1 registers 10.1.0.0/24 .. 10.1.(P-1).0/24 in every tenant, X2
# 10.2.0.0/24 .. 10.2.(P-1).0/24; M has one site per tenant (its own key)
# with all 2P prefixes.  Per repetition: lispd on M, X1 and X2 started
# afresh, time until every registration is acknowledged, memory, then the
# move of tenant T's 10.2.(P-1).0/24 from X2 to X1 while S other tenants
# ping at 10/s.  Raw records go to build/bench-tenants/raw.jsonl.

set -u -o pipefail

BENCH_DIR=${BENCH_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)}
REPO=$(cd "$BENCH_DIR/.." && pwd -P)
cd "$REPO" || exit 1

N=1000		# tenants
P=10		# prefixes per tenant and xTR
reps=2
S=10		# tenants pinging during the move
T=500		# the tenant that moves
while [ $# -gt 0 ]; do
	case $1 in
	--tenants) N=$2; shift 2 ;;
	--prefixes) P=$2; shift 2 ;;
	--reps) reps=$2; shift 2 ;;
	--sample) S=$2; shift 2 ;;
	--move-tenant) T=$2; shift 2 ;;
	*) echo "bench-tenants: unknown option $1" >&2; exit 2 ;;
	esac
done
[ "$T" -le "$N" ] || T=$(((N + 1) / 2))
if [ "$P" -lt 1 ] || [ "$P" -gt 200 ]; then { echo "bench-tenants: --prefixes 1..200" >&2; exit 2; }; fi

source "$REPO/selftests/lib.sh" >/dev/null
source "$REPO/selftests/topo.sh"
TAP_DONE=1
[ -n "${BENCH_TRACE:-}" ] && set -x

OUT_DIR=$REPO/build/bench-tenants
mkdir -p "$OUT_DIR" || exit 1
RAW=$OUT_DIR/raw.jsonl
: >"$RAW"

log() { echo "bench-tenants: $*" >&2; }
source "$BENCH_DIR/lib.sh"
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

[ "${LISP_VM:-}" = 1 ] || { log "runs only inside tools/vm (use bench/tenants)"; exit 2; }
[ -x "$LISPD" ] || { log "lispd not built ($LISPD)"; exit 2; }
# A miss holds its packet for 30 s: the first ping of a tenant is not lost
# while it resolves.
lisp_load_module miss_hold_ms=30000 || { log "cannot load lisp.ko"; exit 2; }
setup_ns X1 X2 M || { log "namespaces"; exit 2; }
rec kind=setup tenants="$N" prefixes="$P" reps="$reps" sample="$S" \
	move_tenant="$T" kernel="$(uname -r)" cpus="$(nproc)" \
	mem_kb="$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)"

# ---------------------------------------------------------------------------
# Topology: the underlay, then every tenant's VRF, host dummy and lisp
# device, one ip -batch per xTR.

connect_ns "$X1" eth0 192.0.2.1/24 "$X2" eth0 192.0.2.2/24 && topo_ms_link &&
	in_ns "$X2" sysctl -qw net.ipv4.ip_forward=1 ||
	{ log "underlay"; exit 2; }

# VRF tables from 10001: 253..255 are the default, main and local tables,
# and a tenant's route in the local table would catch every tenant's
# traffic.
TABLE=10000
# tenants SITE PEER: the batch for one xTR (its own host address SITE.0.254,
# the peer's site PEER.0.0/16 routed into the tenant's lisp device).
tenants() {
	local k
	for k in $(seq 1 "$N"); do
		printf '%s\n' "link add vrf-$k type vrf table $((TABLE + k))" \
			"link set vrf-$k up" "link add h-$k type dummy" \
			"link set h-$k master vrf-$k" \
			"addr add $1.0.254/24 dev h-$k" "link set h-$k up" \
			"link add lisp-$k type lisp iid $((1000 + k))" \
			"link set lisp-$k master vrf-$k" "link set lisp-$k up" \
			"route add $2.0.0/16 dev lisp-$k table $((TABLE + k))"
	done
}
# Tenant T's moving prefix, 10.2.(P-1).0/24: routed into lisp-T on X2
# too; its host address 10.2.(P-1).1 is local on h-T of whichever xTR
# has it (a /32 local route wins over the /24).
MOVE_NET=10.2.$((P - 1)).0/24
MOVE_HOST=10.2.$((P - 1)).1
for x in X1 X2; do
	t0=$(now)
	if [ $x = X1 ]; then
		tenants 10.1 10.2 | ip -n "$X1" -b - || { log "X1's tenants"; exit 2; }
	else
		{ tenants 10.2 10.1
		  echo "route add $MOVE_NET dev lisp-$T table $((TABLE + T))"
		  echo "addr add $MOVE_HOST/32 dev h-$T"; } |
			ip -n "$X2" -b - || { log "X2's tenants"; exit 2; }
	fi
	rec kind=topology xtr=$x devices=$((3 * N)) secs="$(since "$t0")"
	log "$x: $N VRFs, dummies and lisp devices in $(since "$t0") s"
done

# ---------------------------------------------------------------------------
# Configurations (generated once; x1m and x2m are the ones after the move)

# The daemons' logs in the guest's tmpfs, not on the 9p share: a write
# there is a round trip to the host, and M writes a line per EID record.
run=$(mktemp -d /tmp/bench-tenants.XXXXXX) && sock=$run ||
	{ log "run directory"; exit 2; }
# One awk each: a fork per tenant costs seconds under TCG.
awk -v n="$N" -v p="$P" -v sock="$sock" 'BEGIN {
	print "roles = { map-server, map-resolver }"
	printf "control-socket = \"%s/m.sock\"\n", sock
	for (k = 1; k <= n; k++) {
		printf "instance-id %d {\n site t-%d { key = \"key-%d\"\n", 1000 + k, k, k
		for (s = 1; s <= 2; s++)
			for (i = 0; i < p; i++)
				printf "  eid-prefix 10.%d.%d.0/24 {}\n", s, i
		print " }\n}"
	}
}' >"$run/m.conf"

# xtr NAME RLOC SITE [EXTRA]: NAME's configuration; EXTRA is one more
# database-mapping of tenant T; NAME x2m lacks tenant T's last prefix.
xtr() {
	awk -v n="$N" -v p="$P" -v t="$T" -v sock="$sock" -v name="$1" \
		-v rloc="$2" -v site="$3" -v extra="${4-}" 'BEGIN {
		print "roles = { itr, etr }"
		printf "control-socket = \"%s/%s.sock\"\n", sock, substr(name, 1, 2)
		print "map-resolver = { 198.51.100.1 }"
		for (k = 1; k <= n; k++) {
			printf "instance-id %d { interface = lisp-%d\n", 1000 + k, k
			for (i = 0; i < p; i++)
				if (!(k == t && name == "x2m" && i == p - 1))
					printf " database-mapping %s.%d.0/24 { rloc %s {} }\n", site, i, rloc
			if (k == t && extra != "")
				printf " database-mapping %s { rloc %s {} }\n", extra, rloc
			printf " map-server 198.51.100.1 { key = \"key-%d\" } }\n", k
		}
	}' >"$run/$1.conf"
}
t0=$(now)
xtr x1 192.0.2.1 10.1
xtr x1m 192.0.2.1 10.1 "$MOVE_NET"
xtr x2 192.0.2.2 10.2
xtr x2m 192.0.2.2 10.2
log "configurations written in $(since "$t0") s ($(wc -l <"$run/x1.conf") lines per xTR)"

# ---------------------------------------------------------------------------
# Measurements

# The sampled tenants: S spread over 1..N, never T.
sampled=()
for i in $(seq 0 $((S - 1))); do
	k=$((1 + i * N / S))
	[ "$k" = "$T" ] && k=$((k + 1))
	sampled+=("$k")
done

# tod: seconds since midnight, as lispd's log timestamps (local time).
tod() { date +%H:%M:%S.%N | awk -F: '{ printf "%.3f", $1 * 3600 + $2 * 60 + $3 }'; }
# acked NAME: registrations NAME has seen acknowledged (one per tenant).
acked() { grep -ac "registered with map-server" "$run/$1.log"; }
# acked_at NAME COUNT: log time (seconds since midnight) of the COUNT-th.
acked_at() {
	grep -a "registered with map-server" "$run/$1.log" | sed -n "$2p" |
		awk '{ split($1, t, ":"); printf "%.3f", t[1] * 3600 + t[2] * 60 + t[3] }'
}
# m_reg_at head|tail: seconds from the xTRs' start to M's first or last
# new registration (one log line per EID record).
m_reg_at() {
	grep -a " registered by " "$run/m.log" | "$1" -n 1 |
		awk -v b="$tod0" '{ split($1, t, ":"); printf "%.3f", t[1] * 3600 + t[2] * 60 + t[3] - b }'
}
# log_at NAME TEXT: seconds from tod0 to the last log line of NAME with
# TEXT (a fixed string).
log_at() {
	grep -aF "$2" "$run/$1.log" | tail -n 1 |
		awk -v b="$tod0" '{ split($1, t, ":"); printf "%.3f", t[1] * 3600 + t[2] * 60 + t[3] - b }'
}
# reload_secs NAME: from NAME's "reloading" to its "running roles" line.
reload_secs() {
	awk '/ reloading / { split($1, t, ":"); a = t[1] * 3600 + t[2] * 60 + t[3] }
		a && / running roles: / { split($1, t, ":"); printf "%.2f", t[1] * 3600 + t[2] * 60 + t[3] - a; exit }' \
		"$run/$1.log"
}
mem() {	# mem PID FIELD: kB
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}
udp_drops() {	# udp_drops NS: UDP datagrams dropped for a full receive buffer
	in_ns "$1" awk '$1 == "Udp:" { if (c) { print $c; exit }
		for (i = 2; i <= NF; i++) if ($i == "RcvbufErrors") c = i }' /proc/net/snmp
}
sites_of() {	# sites_of REGISTRANT: rows of M's site table
	show m site 2>/dev/null | grep -c " registrant $1 "
}
x2_cache_rloc() {	# X2's kernel map-cache locator for tenant T's MOVE_NET
	lctl "$X2" map-cache show "lisp-$T" | awk -v e="$MOVE_NET" '$1 == e { print $7 }'
}
# moved_at_ms: M logged that X1 took tenant T's MOVE_NET from X2 (the
# site table says so too; dumping it is too slow to poll).
moved_at_ms() {
	grep -aqF "[$((1000 + T))]$MOVE_NET: RLOC set changed" "$run/m.log"
}
moved_in_site() {
	show m site 2>/dev/null | grep -qF "[$((1000 + T))]$MOVE_NET registrant 192.0.2.1 "
}
cpu() {	# cpu PID: user + system seconds so far
	awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat"
}
# pinger NS K DST TAG: ping at 10/s from vrf-K until SIGINT.
pinger() {
	ip netns exec "$1" ping -q -i 0.1 -W 1 -I "vrf-$2" "$3" \
		>"$run/ping-$4.out" 2>&1 &
	pings+=($!)
}
ping_loss() {	# ping_loss TAG: "sent received"
	awk '/packets transmitted/ { print $1, $4 }' "$run/ping-$1.out"
}

one_rep() {
	local r=$1 t0 tm s k p c1 c2 a a2 b t1 t2 i tc tr

	# The xTRs read the live copies, which the move replaces.
	cp "$run/x1.conf" "$run/x1.live" && cp "$run/x2.conf" "$run/x2.live"
	t0=$(now)
	start "$M" m
	wait_for 60 test -S "$sock/m.sock" || { log "M did not start"; return 1; }
	rec kind=ms_start rep="$r" secs="$(since "$t0")"
	a=$(udp_drops "$M")
	t0=$(now)
	tod0=$(tod)
	ip netns exec "$X1" "$LISPD" -d -v -c "$run/x1.live" >"$run/x1.log" 2>&1 &
	pid_x1=$!
	ip netns exec "$X2" "$LISPD" -d -v -c "$run/x2.live" >"$run/x2.log" 2>&1 &
	pid_x2=$!
	# Once a second: the Map-Server's Map-Register counter (cheap), the
	# acknowledged registrations in each xTR's log.
	for ((i = 0; i < 600; i++)); do
		sleep 1
		c1=$(acked x1) c2=$(acked x2)
		s=$(stat_of m map-register-received)
		rec kind=poll rep="$r" t="$(since "$t0")" x1_acked="$c1" \
			x2_acked="$c2" ms_mreg_rx="$s"
		[ "$c1" -ge "$N" ] && [ "$c2" -ge "$N" ] && break
		kill -0 "$pid_x1" "$pid_x2" "$pid_m" 2>/dev/null || break
	done
	t1=$(acked_at x1 "$N") t2=$(acked_at x2 "$N")
	t1=$(awk -v a="$t1" -v b="$tod0" 'BEGIN { if (a == "") print "NaN"; else printf "%.2f", a - b }')
	t2=$(awk -v a="$t2" -v b="$tod0" 'BEGIN { if (a == "") print "NaN"; else printf "%.2f", a - b }')
	# M's peak before the dumps of its site table below (JSON of every
	# registration, built in memory) raise it.
	a2=$(mem "$pid_m" VmHWM)
	c1=$(sites_of 192.0.2.1) c2=$(sites_of 198.51.100.2)
	b=$(udp_drops "$M")
	rec kind=register rep="$r" x1_secs="$t1" x2_secs="$t2" \
		x1_acked="$(acked x1)" x2_acked="$(acked x2)" \
		ms_rows_x1="$c1" ms_rows_x2="$c2" \
		ms_mreg_rx="$(stat_of m map-register-received)" \
		ms_mnot_tx="$(stat_of m map-notify-sent)" \
		ms_mreg_auth="$(stat_of m map-register-auth-failed)" \
		x1_mreg_tx="$(stat_of x1 map-register-sent)" \
		x2_mreg_tx="$(stat_of x2 map-register-sent)" \
		ms_first="$(m_reg_at head)" ms_last="$(m_reg_at tail)" \
		ms_udp_rcvbuf_drops=$((b - a)) ms_hwm_before_dump_kb="$a2"
	log "rep $r: registered X1 ${t1} s, X2 ${t2} s; M's site rows $c1 + $c2 (of $((N * P)) each)"
	for k in m x1 x2; do
		p=pid_$k
		rec kind=memory rep="$r" daemon=$k rss_kb="$(mem "${!p}" VmRSS)" \
			hwm_kb="$(mem "${!p}" VmHWM)" cpu_secs="$(cpu "${!p}")"
	done

	# The move.  First every pinging tenant resolves its peer (a miss is
	# held, not lost), then the pings run at 10/s.
	pings=()
	for k in "${sampled[@]}" "$T"; do
		ip netns exec "$X1" ping -c1 -W 25 -I "vrf-$k" 10.2.0.254 >/dev/null 2>&1 &
		pings+=($!)
	done
	wait "${pings[@]}"
	pings=()
	for k in "${sampled[@]}"; do
		pinger "$X1" "$k" 10.2.0.254 "t$k"
	done
	pinger "$X2" "$T" "$MOVE_HOST" move
	sleep 3
	# X1 takes the host address and registers MOVE_NET (a reload with
	# the extra database-mapping); once M maps it to X1, X2 lets go (a
	# reload without it): make before break, so that X2 never asks while
	# M still points at X2 itself.
	tm=$(now) tod0=$(tod)
	ip -n "$X1" addr add "$MOVE_HOST/32" dev "h-$T"
	cp "$run/x1m.conf" "$run/x1.live"
	kill -HUP "$pid_x1"
	tr=NaN
	for ((i = 0; i < 1500; i++)); do
		moved_at_ms && { tr=$(since "$tm"); break; }
		sleep 0.2
	done
	ip -n "$X2" addr del "$MOVE_HOST/32" dev "h-$T"
	cp "$run/x2m.conf" "$run/x2.live"
	kill -HUP "$pid_x2"
	tc=NaN
	for ((i = 0; i < 600; i++)); do
		[ "$(x2_cache_rloc)" = 192.0.2.1 ] && { tc=$(since "$tm"); break; }
		sleep 0.2
	done
	sleep 3
	moved_in_site || log "rep $r: M's site table does not show the move"
	kill -INT "${pings[@]}" 2>/dev/null
	wait "${pings[@]}" 2>/dev/null
	local lost=0 sent=0 recvd lm sm
	for k in "${sampled[@]}"; do
		read -r s recvd < <(ping_loss "t$k")
		sent=$((sent + ${s:-0}))
		lost=$((lost + ${s:-0} - ${recvd:-0}))
	done
	read -r sm recvd < <(ping_loss move)
	lm=$((${sm:-0} - ${recvd:-0}))
	rec kind=move rep="$r" ms_secs="$tr" cache_secs="$tc" \
		x2_installed_secs="$(log_at x2 "map-cache [$((1000 + T))]$MOVE_NET installed")" \
		x1_reload_secs="$(reload_secs x1)" x2_reload_secs="$(reload_secs x2)" \
		move_sent="${sm:-0}" move_lost="$lm" others_sent="$sent" \
		ms_mreg_rx_total="$(stat_of m map-register-received)" \
		others_lost="$lost" others_tenants="${#sampled[@]}"
	log "rep $r: move: M maps it to X1 after $tr s, X2's map-cache after $tc s; lost $lm of $sm in tenant $T, $lost of $sent in ${#sampled[@]} others"

	# Back to the start for the next repetition.
	lispd_stop m x1 x2 >/dev/null 2>&1
	ip -n "$X1" addr del "$MOVE_HOST/32" dev "h-$T"
	ip -n "$X2" addr add "$MOVE_HOST/32" dev "h-$T"
	for k in "${sampled[@]}" "$T"; do
		lctl "$X1" map-cache flush "lisp-$k"
		lctl "$X2" map-cache flush "lisp-$k"
	done
	cp "$run/x1.log" "$OUT_DIR/x1-$r.log"
	cp "$run/x2.log" "$OUT_DIR/x2-$r.log"
	cp "$run/m.log" "$OUT_DIR/m-$r.log"
}

# The baseline: lispd with one tenant of one prefix and no peer, so that
# the memory per tenant is (RSS - baseline) / (N - 1).
{
	echo "roles = { itr, etr }"
	echo "control-socket = \"$sock/b.sock\""
	echo "map-resolver = { 198.51.100.1 }"
	echo "instance-id 1001 { interface = lisp-1"
	echo " database-mapping 10.1.0.0/24 { rloc 192.0.2.1 {} }"
	echo " map-server 198.51.100.1 { key = \"key-1\" } }"
} >"$run/b.conf"
start "$X1" b
wait_for 15 test -S "$sock/b.sock" && sleep 2
rec kind=baseline rss_kb="$(mem "$pid_b" VmRSS)" hwm_kb="$(mem "$pid_b" VmHWM)"
lispd_stop b >/dev/null 2>&1

for r in $(seq 1 "$reps"); do
	one_rep "$r" || log "rep $r failed"
done
log "done: $RAW"
