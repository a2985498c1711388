#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An xTR behind a NAT registers through an RTR, all lispd
# (draft-ietf-lisp-nat-traversal, issue 13):
#
#   HA --- A ---- NAT ==== 198.51.100.0/24 ==== R (RTR) ==== B --- HB
#   10.1.0.1 10.0.0.2 .1 (masquerade)  |        .2           .3  10.2.0.1
#                                      M .4 (map-server, map-resolver)
#
# A (nat-traversal, info-request-interval 3 s) learns from M's
# Info-Reply that it is behind the NAT and that R is its RTR; it sends
# everything to R from its port 4341 and registers through R: a
# Data-Map-Register inside a data packet, which R's kernel punts
# (ctrl-punt) with the NAT's address and port, R's lispd relays to M,
# and commits into R's map-cache once M's Map-Notify came; the
# Map-Notify goes back to A inside a data packet.  M then answers for
# A's EIDs with R.  HA and HB ping each other both ways; the NAT
# "reboots" (new port range, conntrack flushed) and the time until
# traffic flows again is printed; a replayed Data-Map-Register from
# another port does not move R's binding.  Then the NAT becomes
# symmetric (fully-random ports) and traffic recovers again; last, the
# NAT forgets idle bindings after 8 s and A's keepalive holds its own.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip ping nft conntrack tcpdump
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
lisp_load_module miss_hold_ms=30000 || skip_all "cannot load lisp.ko"

# nat_rule PORTS [FLAGS]: masquerade A's network behind NATPUB to a port
# of PORTS (FLAGS fully-random: a symmetric NAT, a random port for each
# new 5-tuple).
nat_rule() {
	in_ns "$NAT" nft -f - <<EOF
flush ruleset
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		ip saddr 10.0.0.0/24 oifname "out0" ip protocol udp masquerade to :$1 ${2-}
	}
}
EOF
}

setup() {
	nat_rtr_setup A && nat_rule 40000-40999 &&
		printf '%s\n' "link add lisp0 type lisp ctrl-punt" \
		"link set lisp0 up" "route add 10.2.0.0/24 dev lisp0" |
		ip -n "$A" -b -
}

setup || { tap_not_ok "topology setup"; tap_done; }
lispd_dirs lispd_nat_rtr || { tap_not_ok "run directories"; tap_done; }

nat_rtr_confs
cat >"$run/a.conf" <<EOC
roles = { itr, etr }
xtr-interface = "lisp0"
control-socket = "$sock/a.sock"
database-mapping "10.1.0.0/24" { rloc 10.0.0.2 {} }
map-server $MS { key = "key-a" }
map-resolver = { $MS }
nat-traversal = yes
info-request-interval = 3
EOC
RET=0
for c in m a r b; do
	out=$("$LISPD" -n -c "$run/$c.conf" 2>&1)
	check_err $? "$c.conf: $out"
done
log_test "lispd -n accepts the configurations (roles = { rtr })"

start "$M" m
wait_for 10 test -S "$sock/m.sock"
start "$R" r
start "$B" b
start "$A" a

# bound [PORT]: R's binding of A: the NAT's address and a port (PORT).
bound() {
	show r nat 2>/dev/null |
		grep -q "^rtr xtr-id [0-9a-f]* iid 0 nat $NATPUB port ${1:-4[0-9]*} private 10.0.0.2 map-server $MS .* eids 10.1.0.0/24"
}
# nat_port: R's port for A.
nat_port() {
	show r nat 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "port") { print $(i + 1); exit } }'
}

RET=0
wait_for 30 bound
check_err $? "R show nat: $(show r nat 2>&1); A: $(show a nat 2>&1)"
port=$(nat_port)
json=$(LISPD_SOCKET="$sock/r.sock" "$LISPCTL" -j show nat 2>&1)
grep -q "\"nat\": *\"$NATPUB\"" <<<"$json"
check_err $? "R lispctl -j show nat: $json"
site_ok() {
	show m site 2>/dev/null |
		grep -q "site a 10.1.0.0/24 iid 0 registrant $RTR .*proxy-reply rloc $RTR "
}
wait_for 10 site_ok
check_err $? "M show site: $(show m site 2>&1)"
a_reg() { show a nat 2>/dev/null | grep -q "rtr-registration registered"; }
wait_for 10 a_reg
check_err $? "A show nat: $(show a nat 2>&1)"
map_line "$R" 10.1.0.0/24 | grep -q "$NATPUB"
check_err $? "R map-cache: $(lctl "$R" map-cache show 2>&1)"
log_test "A registers through R: binding $NATPUB port $port, M lists A's EIDs at R, A's registration acknowledged"

RET=0
out=$(in_ns "$HA" ping -c1 -W25 10.2.0.1 2>&1)
check_err $? "HA -> HB: $out"
out=$(in_ns "$HB" ping -c1 -W25 10.1.0.1 2>&1)
check_err $? "HB -> HA: $out"
[ "$(lisp_stat "$R" lisp0 rx-ctrl)" -ge 1 ] 2>/dev/null
check_err $? "R rx-ctrl: $(lisp_stat "$R" lisp0 rx-ctrl)"
log_test "HA and HB ping each other through R, both ways"

# A Data-Map-Register as it leaves the NAT (inner UDP to 4342): captured
# at R, replayed below from another port of the NAT's address.
RET=0
cap="$run/dmr.pcap"
in_ns "$R" tcpdump -i br0 -c 1 -w "$cap" -U \
	"udp dst port 4341 and src host $NATPUB and udp[25] = 17 and udp[38:2] = 4342" \
	>"$run/tcpdump.out" 2>&1 &
tpid=$!
defer kill "$tpid"
tcpdump_ready "$run/tcpdump.out"
# -c 1: tcpdump exits once the packet is in the file (the file is not
# empty before that: the pcap header comes first).
captured() { ! kill -0 "$tpid" 2>/dev/null; }
wait_for 10 captured
check_err $? "no Data-Map-Register captured at R in 10 s"
kill_wait "$tpid"
replayed0=$(stat_of r rtr-map-register-replayed)
in_ns "$NAT" $PY - "$cap" "$NATPUB" "$RTR" <<'EOF'
import socket, struct, sys
d = open(sys.argv[1], 'rb').read()
n = struct.unpack('<I', d[24 + 8:24 + 12])[0]
pkt = d[24 + 16:24 + 16 + n]
ihl = (pkt[14] & 15) * 4
payload = pkt[14 + ihl + 8:]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[2], 45555))
s.sendto(payload, (sys.argv[3], 4341))
EOF
check_err $? "replay"
replayed() { [ "$(stat_of r rtr-map-register-replayed)" -gt "${replayed0:-0}" ]; }
wait_for 10 replayed
check_err $? "rtr-map-register-replayed: $(stat_of r rtr-map-register-replayed)"
bound "$port"
check_err $? "binding moved: $(show r nat 2>&1)"
log_test "a replayed Data-Map-Register from port 45555 is refused, the binding stays at port $port"

# reboot PORTS [FLAGS]: the NAT reboots with that rule, its bindings
# forgotten; $recovery: seconds until HA reaches HB again.
reboot() {
	nat_rule "$@" && in_ns "$NAT" conntrack -F 2>/dev/null
	check_err $? "NAT reboot"
	local t0 t1 i ok=0
	t0=$(date +%s.%N)
	for ((i = 0; i < 30; i++)); do
		if in_ns "$HA" ping -c1 -W1 10.2.0.1 >/dev/null 2>&1; then
			ok=1
			break
		fi
	done
	t1=$(date +%s.%N)
	[ $ok = 1 ]
	check_err $? "no traffic 30 pings after the NAT reboot: $(show r nat 2>&1)"
	recovery=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
}

# The NAT reboots: a new port range, its bindings forgotten.
RET=0
reboot 41000-41999
bound "41[0-9]*"
check_err $? "R's binding did not follow: $(show r nat 2>&1)"
out=$(in_ns "$HB" ping -c1 -W5 10.1.0.1 2>&1)
check_err $? "HB -> HA after the reboot: $out"
[ "$(stat_of r nat-binding-changed)" -ge 1 ] 2>/dev/null
check_err $? "nat-binding-changed: $(stat_of r nat-binding-changed)"
tap_diag "recovery after the NAT reboot: $recovery s (info-request-interval 3 s)"
log_test "NAT reboot (conntrack flushed, new port): traffic back after $recovery s, binding now port $(nat_port)"

# A symmetric NAT: another random port for each new 5-tuple. Control
# and data share A's one tuple to R, so R learns the port data uses.
RET=0
reboot 42000-42999 fully-random
bound "42[0-9]*"
check_err $? "R's binding did not follow: $(show r nat 2>&1)"
out=$(in_ns "$HB" ping -c1 -W5 10.1.0.1 2>&1)
check_err $? "HB -> HA behind the symmetric NAT: $out"
tap_diag "recovery after a reboot into a symmetric NAT: $recovery s"
log_test "symmetric NAT (fully-random): traffic back after $recovery s, binding port $(nat_port)"

# The NAT forgets an idle binding (conntrack's UDP timeout: 30 s, 120 s
# once both ways; 8 s here). A's Data-Map-Register every 3 s keeps it:
# after 20 s without a packet of the hosts, HB still reaches HA at once,
# through the same binding.
RET=0
in_ns "$NAT" sysctl -qw net.netfilter.nf_conntrack_udp_timeout=8 \
	net.netfilter.nf_conntrack_udp_timeout_stream=8
check_err $? "conntrack UDP timeouts"
port=$(nat_port)
sleep 20
bound "$port"
check_err $? "binding moved while idle: $(show r nat 2>&1)"
out=$(in_ns "$HB" ping -c1 -W2 10.1.0.1 2>&1)
check_err $? "HB -> HA after 20 s idle: $out"
log_test "idle for 20 s behind a NAT that forgets in 8 s: A's keepalive holds port $port, HB reaches HA at once"

RET=0
lispd_stop a b r m
log_test "clean exit"

lispd_done m r a b
