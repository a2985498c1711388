#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel data plane of NAT traversal, with a real NAT (nftables
# masquerade, conntrack) and static map-cache entries, as lispd programs
# them once it has learnt the binding from an Info-Request:
#
#   HA --- A ---- NAT ==== 198.51.100.0/24 ==== R (RTR) ==== B --- HB
#   10.1.0.1  10.0.0.2  .1 (masquerade)         .2           .3  10.2.0.1
#
# A's map-cache sends everything to the RTR from its own port 4341
# (fixed-sport), so the NAT holds one binding; the RTR (decap-any,
# rloc-check) reaches A at the NAT's address and translated port, and
# takes data only from the locators its map-cache lists for the inner
# source. A NAT reboot (new port) is followed by the RTR's entry.
#
# Control messages inside data packets (ctrl-punt, CTRL_SEND): A sends
# one to the RTR through the NAT, which punts it with the NAT's address
# and port; the RTR answers to that binding, and A punts the answer.
# rloc-check lets a site the RTR has no entry for reach A's EIDs (an
# entry with a port), not another site's.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip ping nft conntrack jq
RAW="$LIB_DIR/tools/genl_raw.py"
lisp_load_module || skip_all "cannot load lisp.ko"

NATPUB=198.51.100.1
RTR=198.51.100.2
BPUB=198.51.100.3

# nat_rule PORTS: masquerade A's network behind NATPUB to a port of PORTS
# (a range away from 4341, so that a translated port shows); the NAT's
# own packets keep theirs.
nat_rule() {
	in_ns "$NAT" nft -f - <<EOF
flush ruleset
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		ip saddr 10.0.0.0/24 oifname "out0" ip protocol udp masquerade to :$1
	}
}
EOF
}

setup() {
	setup_ns HA A NAT R B HB || return 1
	connect_ns "$HA" eth0 10.1.0.1/24 "$A" eth1 10.1.0.254/24 &&
		connect_ns "$A" eth0 10.0.0.2/24 "$NAT" in0 10.0.0.1/24 &&
		connect_ns "$B" eth1 10.2.0.254/24 "$HB" eth0 10.2.0.1/24 &&
		bridge_add "$R" br0 &&
		bridge_port "$R" br0 p0 "$NAT" out0 "$NATPUB/24" &&
		bridge_port "$R" br0 p1 "$B" eth0 "$BPUB/24" || return 1
	__addrs_up "$R" br0 "$RTR/24" | ip -n "$R" -b - || return 1
	ip -n "$HA" route add default via 10.1.0.254 &&
		ip -n "$HB" route add default via 10.2.0.254 &&
		ip -n "$A" route add default via 10.0.0.1 || return 1
	local x
	for x in "$A" "$NAT" "$R" "$B"; do
		in_ns "$x" sysctl -qw net.ipv4.ip_forward=1 || return 1
	done
	nat_rule 40000-40999 || return 1

	printf '%s\n' "link add lisp0 type lisp" "link set lisp0 up" \
		"route add 10.2.0.0/24 dev lisp0" | ip -n "$A" -b - &&
		printf '%s\n' "link add lisp0 type lisp" "link set lisp0 up" \
		"route add 10.1.0.0/24 dev lisp0" | ip -n "$B" -b - &&
		printf '%s\n' "link add lisp0 type lisp decap-any rloc-check" \
		"link set lisp0 up" "route add 10.1.0.0/24 dev lisp0" \
		"route add 10.2.0.0/24 dev lisp0" | ip -n "$R" -b - || return 1
	lctl "$A" database add lisp0 10.1.0.0/24 &&
		lctl "$B" database add lisp0 10.2.0.0/24 &&
		lctl "$A" map-cache add lisp0 0.0.0.0/0 rloc "$RTR" fixed-sport &&
		lctl "$B" map-cache add lisp0 10.1.0.0/24 rloc "$RTR" &&
		lctl "$R" map-cache add lisp0 10.2.0.0/24 rloc "$BPUB"
}

# bindings: the NAT's UDP conntrack entries from A's RLOC, one a line.
bindings() {
	in_ns "$NAT" conntrack -L -p udp -s 10.0.0.2 2>/dev/null | grep udp
}

# nat_port: the port the NAT gave A's data (the reply tuple's dport).
nat_port() {
	bindings | grep "dport=4341 " | head -n1 |
		awk '{ n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^dport=/) { n++; if (n == 2) { sub("dport=", "", $i); print $i } } }'
}

# spoof NS SRC SPORT DST INNER-SRC...: for each INNER-SRC, three LISP
# packets to DST from SRC:SPORT, each an ICMP echo from INNER-SRC to HB
# (or to $SPOOF_EID) (one python for them all).
spoof() {
	local ns=$1 src=$2 sport=$3 dst=$4 isrc out
	shift 4
	out=$(for isrc in "$@"; do
		echo "udp $dst --count 3 --saddr $src --sport $sport --src $isrc --eid ${SPOOF_EID:-10.2.0.1}"
	done | in_ns "$ns" $PY "$LIB_DIR/tools/lisp_craft.py" serve)
	[ "$(grep -cx ok <<<"$out")" = $# ] || { tap_diag "lisp_craft.py: $out"; return 1; }
}

rlocchk() {
	lisp_stat "$R" lisp0 rx-rloc-check
}

# ctrl_send NS ATTR=VALUE...: LISP_CMD_CTRL_SEND on NS's lisp0
# (genl_raw.py); its answer ("ok" or "error E: EXTACK") in $out.
ctrl_send() {
	local ns=$1
	shift
	out=$(in_ns "$ns" $PY "$RAW" ctrl_send "$@" 2>&1)
}

# ctrl_events FILE: the ctrl events lispctl -j monitor wrote to FILE.
ctrl_events() {
	grep -c '"event":"ctrl"' "$1"
}

# refused_binding LO HI: HA's ping crosses the NAT, which gives it a
# binding in LO-HI (into $port), and the RTR drops it (rx-rloc-check).
refused_binding() {
	local c0
	c0=$(rlocchk)
	PING_TIMEOUT=1 ns_ping "$HA" 10.2.0.1
	check_fail $? "HA reached HB through the RTR"
	[ "$(rlocchk)" -gt "$c0" ]
	check_err $? "rx-rloc-check did not move from $c0"
	port=$(nat_port)
	[ -n "$port" ] && [ "$port" -ge "$1" ] && [ "$port" -le "$2" ]
	check_err $? "no NAT binding for A's data in $1-$2: $(bindings)"
}

setup || { tap_not_ok "topology setup"; tap_done; }

RET=0
j=$(ip -n "$R" -j -d link show lisp0 | jq -c '.[0].linkinfo.info_data')
jq -e '.rloc_check == true and .decap_any == true' <<<"$j" >/dev/null
check_err $? "ip -j -d link show: $j"
ip -n "$A" -d link show lisp0 | grep -qw norloc-check
check_err $? "ip -d link show does not say norloc-check on A"
lctl "$A" -j map-cache show dev lisp0 |
	jq -e '.[0].rlocs[0] | .fixed_sport == true and (has("port") | not)' >/dev/null
check_err $? "A's entry in JSON: not fixed_sport, or a port"
log_test "rloc-check and fixed-sport shown (ip -d, JSON)"

# Before the RTR knows A, A's packets cross the NAT and are refused.
RET=0
refused_binding 40000 40999
log_test "unknown inner source dropped by the RTR (rx-rloc-check), NAT binding $NATPUB:$port"

# The RTR's entry for A: the binding, the tunnel's 5-tuple fixed.
RET=0
lctl "$R" map-cache add lisp0 10.1.0.0/24 rloc "$NATPUB" port "$port" fixed-sport
check_err $? "map-cache add ... port $port fixed-sport"
lctl "$R" map-cache show dev lisp0 | grep -q "10.1.0.0/24 .* via $NATPUB port $port prio 1 weight 100 fixed-sport"
check_err $? "lispctl map-cache show: $(lctl "$R" map-cache show dev lisp0)"
lctl "$R" -j map-cache get lisp0 10.1.0.0/24 |
	jq -e --argjson p "$port" '.[0].rlocs[0] | .port == $p and .fixed_sport == true' >/dev/null
check_err $? "JSON: $(lctl "$R" -j map-cache get lisp0 10.1.0.0/24)"
log_test "RTR entry for A at the NAT's address and port"

RET=0
rx0=$(lisp_stat "$R" lisp0 rx-packets)
ns_ping "$HA" 10.2.0.1
check_err $? "HA does not reach HB through the RTR"
[ "$(lisp_stat "$R" lisp0 rx-packets)" -gt "$rx0" ]
check_err $? "the RTR decapsulated nothing"
log_test "RTR decapsulates A's data from the NAT's port $port (not 4341), HA pings HB"

RET=0
ns_ping "$HB" 10.1.0.1
check_err $? "HB does not reach HA through the RTR and the NAT"
log_test "HB pings HA: RTR to $NATPUB:$port from port 4341 passes the NAT"

# Many flows, one binding: each datagram from a fresh source port.
RET=0
udp_flows "$HA" 10.2.0.1 6
ns_ping "$HA" 10.2.0.1
b=$(bindings)
[ "$(grep -c "sport=4341 dport=4341 " <<<"$b")" = 1 ] && [ "$(wc -l <<<"$b")" = 1 ]
check_err $? "not one UDP binding for A's data: $b"
log_test "several flows from A share one NAT binding (fixed source port)"

# A control message from A, LISP-encapsulated from its port 4341: the
# RTR without ctrl-punt treats it as data (no entry for A's private
# RLOC: rx-rloc-check); with ctrl-punt it becomes a CTRL event carrying
# the NAT's address and the port of A's one binding.
TMPF=$(mktemp -d)/ev
defer rm -rf "${TMPF%/ev}"
monitor_start "$R" "$TMPF.r" -j && monitor_start "$A" "$TMPF.a" -j ||
	{ tap_not_ok "lispctl monitor on R and A"; tap_done; }
REG=300000010102030405060708		# a 12-byte "Map-Register"
RET=0
c0=$(rlocchk)
t0=$(lisp_stat "$A" lisp0 tx-packets)
ctrl_send "$A" ifname=lisp0 "rlocs=inet=$RTR" "packet=10.0.0.2,$RTR,$REG"
check_eq "$out" ok "ctrl_send on A"
wait_for 5 test "$(rlocchk)" -gt "$c0"
check_err $? "the RTR without ctrl-punt did not count it in rx-rloc-check"
check_eq "$(lisp_stat "$R" lisp0 rx-ctrl)" 0 "R's rx-ctrl without ctrl-punt"
check_eq "$(ctrl_events "$TMPF.r")" 0 "ctrl events on R without ctrl-punt"
check_eq "$(lisp_stat "$A" lisp0 tx-ctrl)" 1 "A's tx-ctrl"
[ "$(lisp_stat "$A" lisp0 tx-packets)" -gt "$t0" ]
check_err $? "A's tx-packets did not move"
log_test "ctrl-send from A; the RTR without ctrl-punt takes it as data (rx-rloc-check)"

RET=0
ip -n "$R" link set lisp0 type lisp ctrl-punt
check_err $? "ip link set lisp0 type lisp ctrl-punt"
ip -n "$R" -j -d link show lisp0 | jq -e '.[0].linkinfo.info_data.ctrl_punt == true' >/dev/null
check_err $? "ip -j -d link show: ctrl_punt not true"
ip -n "$R" -d link show lisp0 | grep -qw ctrl-punt
check_err $? "ip -d link show does not say ctrl-punt"
c0=$(rlocchk)
ctrl_send "$A" ifname=lisp0 "rlocs=inet=$RTR" "packet=10.0.0.2,$RTR,$REG"
check_eq "$out" ok "ctrl_send on A"
wait_for 5 test "$(ctrl_events "$TMPF.r")" -ge 1
check_err $? "no ctrl event on R: $(cat "$TMPF.r")"
ev=$(grep '"event":"ctrl"' "$TMPF.r" | head -n1)
jq -e --arg s "$NATPUB" --argjson p "$port" \
	'.dev == "lisp0" and .src == $s and .sport == $p and .type == "map-register" and .len == 40' \
	<<<"$ev" >/dev/null
check_err $? "event: $ev (want from $NATPUB:$port)"
check_eq "$(lisp_stat "$R" lisp0 rx-ctrl)" 1 "R's rx-ctrl"
check_eq "$(lisp_stat "$R" lisp0 rx-ctrl-drop)" 0 "R's rx-ctrl-drop"
check_eq "$(rlocchk)" "$c0" "R's rx-rloc-check"
[ "$(bindings | wc -l)" = 1 ]
check_err $? "not one NAT binding: $(bindings)"
log_test "with ctrl-punt the RTR raises a ctrl event from $NATPUB:$port (the NAT's), counted"

# The RTR answers through A's binding; A (ctrl-punt) punts it. The text
# monitor line too.
RET=0
ip -n "$A" link set lisp0 type lisp ctrl-punt
check_err $? "ctrl-punt on A"
monitor_start "$A" "$TMPF.at" ||
	{ tap_not_ok "lispctl monitor (text) on A"; tap_done; }
ctrl_send "$R" ifname=lisp0 "rlocs=inet=$NATPUB,port=$port" \
	"packet=$RTR,10.0.0.2,400000010102030405060708"
check_eq "$out" ok "ctrl_send on R"
wait_for 5 test "$(ctrl_events "$TMPF.a")" -ge 1
check_err $? "no ctrl event on A: $(cat "$TMPF.a")"
ev=$(grep '"event":"ctrl"' "$TMPF.a" | head -n1)
jq -e --arg s "$RTR" '.src == $s and .sport == 4341 and .type == "map-notify"' \
	<<<"$ev" >/dev/null
check_err $? "event on A: $ev"
wait_for 5 grep -q " ctrl dev lisp0 iid 0 from $RTR:4341 type map-notify len 40\$" "$TMPF.at"
check_err $? "lispctl monitor text: $(cat "$TMPF.at")"
check_eq "$(lisp_stat "$R" lisp0 tx-ctrl)" 1 "R's tx-ctrl"
check_eq "$(lisp_stat "$A" lisp0 rx-ctrl)" 1 "A's rx-ctrl"
log_test "ctrl-send from the RTR to $NATPUB:$port crosses the NAT, A raises a ctrl event"

# Bad requests: refused with a reason, nothing sent.
RET=0
t0=$(lisp_stat "$A" lisp0 tx-packets)
ctrl_send "$A" ifname=lisp0 "rlocs=inet=$RTR" raw=41:00112233445566778899aabbccddeeff0011223344
check_eq "$out" "error EINVAL: LISP_A_PACKET is not an IPv4 or IPv6 packet" "not IP"
ctrl_send "$A" ifname=lisp0 "rlocs=inet=$RTR" \
	raw=41:4500006400000000401100000a000002c633640210f610f600080000
check_eq "$out" "error EINVAL: IPv4 total length is not the attribute's length" "length"
ctrl_send "$A" ifname=lisp0 "packet=10.0.0.2,$RTR,$REG"
check_eq "$out" "error EINVAL: no LISP_A_RLOCS: the RLOC to send to" "no RLOC"
ctrl_send "$A" ifname=lisp0 "rlocs=inet=$RTR;inet=$BPUB" "packet=10.0.0.2,$RTR,$REG"
check_eq "$out" "error EINVAL: give exactly one RLOC to send to" "two RLOCs"
ctrl_send "$A" ifname=nosuch "rlocs=inet=$RTR" "packet=10.0.0.2,$RTR,$REG"
check_eq "$out" "error ENODEV: no such lisp device" "unknown device"
check_eq "$(lisp_stat "$A" lisp0 tx-ctrl)" 2 "A's tx-ctrl (the two sent above)"
check_eq "$(lisp_stat "$A" lisp0 tx-packets)" "$t0" "A's tx-packets"
log_test "bad ctrl-send requests (not IP, length, no or two RLOCs, no device) refused with a reason"

# A site the RTR has no entry for reaches A's EIDs (an entry with a
# port, a NAT binding) through it; to B's EIDs (no port) it may not.
RET=0
c0=$(rlocchk)
rx0=$(lisp_stat "$A" lisp0 rx-packets)
SPOOF_EID=10.1.0.1 spoof "$B" "$BPUB" 6000 "$RTR" 10.3.0.1
check_err $? "sending 10.3.0.1 -> 10.1.0.1"
wait_for 5 test "$(lisp_stat "$A" lisp0 rx-packets)" -ge $((rx0 + 3))
check_err $? "A decapsulated $(( $(lisp_stat "$A" lisp0 rx-packets) - rx0 )) of 3 through the RTR"
check_eq "$(rlocchk)" "$c0" "R's rx-rloc-check"
log_test "rloc-check: an unknown site's EID reaches A's EIDs (the RTR's NAT binding)"

RET=0
c0=$(rlocchk)
spoof "$B" "$BPUB" 6000 "$RTR" 10.3.0.1
wait_for 5 test "$(rlocchk)" -ge $((c0 + 3))
check_err $? "rx-rloc-check $c0 -> $(rlocchk), expected +3"
log_test "rloc-check: an unknown site's EID to B's EIDs (no NAT binding): dropped"

# Right inner source, wrong outer port: from the NAT's address itself.
RET=0
c0=$(rlocchk)
spoof "$NAT" "$NATPUB" 5555 "$RTR" 10.1.0.1
check_err $? "sending from $NATPUB:5555"
wait_for 5 test "$(rlocchk)" -ge $((c0 + 3))
check_err $? "rx-rloc-check $c0 -> $(rlocchk), expected +3"
log_test "A's EID from the NAT's address but another port: dropped"

# Spoofed inner source from another RLOC, and a source no entry covers.
RET=0
c0=$(rlocchk)
d0=$(ip -n "$R" -j -s link show lisp0 | jq '.[0].stats64.rx.dropped')
spoof "$B" "$BPUB" 6000 "$RTR" 10.1.0.1 10.9.0.1
wait_for 5 test "$(rlocchk)" -ge $((c0 + 6))
check_err $? "rx-rloc-check $c0 -> $(rlocchk), expected +6"
d1=$(ip -n "$R" -j -s link show lisp0 | jq '.[0].stats64.rx.dropped')
[ "$d1" -ge $((d0 + 6)) ]
check_err $? "ip -s rx dropped $d0 -> $d1"
[ "$(rlocchk)" -eq $((c0 + 6)) ]
check_err $? "rx-rloc-check moved by more than the 6 spoofed packets"
log_test "spoofed inner source from B, unknown inner source: dropped, in rx dropped"

# A plain xTR does not check: B takes what the RTR refused.
RET=0
rx0=$(lisp_stat "$B" lisp0 rx-packets)
spoof "$NAT" "$NATPUB" 5555 "$BPUB" 10.9.0.1
wait_for 5 test "$(lisp_stat "$B" lisp0 rx-packets)" -ge $((rx0 + 3))
check_err $? "B decapsulated $(( $(lisp_stat "$B" lisp0 rx-packets) - rx0 )) of 3"
check_eq "$(lisp_stat "$B" lisp0 rx-rloc-check)" 0 "B's rx-rloc-check"
log_test "without rloc-check (a plain xTR) any source is decapsulated"

# The NAT reboots: bindings gone, the next one in another range.
RET=0
nat_rule 41000-41999 && in_ns "$NAT" conntrack -F 2>/dev/null
check_err $? "NAT reboot"
refused_binding 41000 41999
log_test "after a NAT reboot A's new binding ($port) is refused until the RTR learns it"

RET=0
lctl "$R" map-cache replace lisp0 10.1.0.0/24 rloc "$NATPUB" port "$port" fixed-sport
check_err $? "map-cache replace to port $port"
ns_ping "$HA" 10.2.0.1
check_err $? "HA does not reach HB after the update"
ns_ping "$HB" 10.1.0.1
check_err $? "HB does not reach HA after the update"
log_test "RTR entry updated to the new port: traffic recovers both ways"

tap_done
