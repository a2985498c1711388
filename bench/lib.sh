# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# bench/lib.sh - what the guest scripts of bench/ share.  They set RAW,
# the file of raw records, before calling rec.

now() { date +%s.%N; }

# rec KEY=VALUE...: one raw record (numbers or plain words only).
rec() {
	local kv out="" sep=""
	for kv in "$@"; do
		case ${kv#*=} in
		''|*[!0-9.e+-]*) out+="$sep\"${kv%%=*}\": \"${kv#*=}\"" ;;
		*) out+="$sep\"${kv%%=*}\": ${kv#*=}" ;;
		esac
		sep=", "
	done
	echo "{$out}" >>"$RAW"
}

# pg FILE LINE: one pktgen command in H1, written to /proc/net/pktgen/FILE.
pg() { in_ns "$H1" sh -c "echo '$2' >/proc/net/pktgen/$1"; }

# pktgen_setup COUNT SIZE: H1's pktgen (one kthread, CPU 0) sends COUNT
# (0: until stopped) packets of SIZE bytes (frame without FCS), one flow
# 10.1.0.1:9 -> 10.2.0.1:9, to X1_MAC; clone_skb 0 because veth cannot
# share skbs, no delay.
pktgen_setup() {
	pg pgctrl reset 2>/dev/null
	pg kpktgend_0 rem_device_all
	pg kpktgend_0 "add_device eth0" || return 1
	local c
	for c in "count $1" "clone_skb 0" "burst 1" "pkt_size $2" "delay 0" \
		"dst 10.2.0.1" "src_min 10.1.0.1" "src_max 10.1.0.1" \
		"dst_mac $X1_MAC" "udp_src_min 9" "udp_src_max 9" \
		"udp_dst_min 9" "udp_dst_max 9"; do
		pg eth0 "$c" || { log "pktgen: '$c' refused"; return 1; }
	done
}
