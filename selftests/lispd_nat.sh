#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# NAT discovery with lispd (draft-ermagan-lisp-nat-traversal):
#
#   X ------------- NAT ------------------ M
#   10.0.0.5   10.0.0.1 | 198.51.100.2     198.51.100.1
#              (nftables masquerade)
#
# X's lispd (nat-traversal, info-request-interval 2 s) asks M, its
# Map-Server, with signed Info-Requests what the NAT made of it; M
# answers with the address and port the request came from and its RTR.
# "lispctl show nat" on X shows the translation.  The NAT then
# "reboots": its port range changes and its conntrack table is flushed;
# the next exchange reports the new port.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip nft conntrack
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
lisp_load_module || skip_all "cannot load lisp.ko"
setup_ns X NAT M || { tap_not_ok "namespaces X NAT M"; tap_done; }
connect_ns "$X" eth0 10.0.0.5/24 "$NAT" eth0 10.0.0.1/24 ||
	{ tap_not_ok "link X-NAT"; tap_done; }
connect_ns "$NAT" eth1 198.51.100.2/24 "$M" eth0 198.51.100.1/24 ||
	{ tap_not_ok "link NAT-M"; tap_done; }
ip -n "$X" route add default via 10.0.0.1
in_ns "$NAT" sysctl -qw net.ipv4.ip_forward=1
ip -n "$X" link add lisp0 type lisp && ip -n "$X" link set lisp0 up ||
	{ tap_not_ok "X lisp0"; tap_done; }

# nat_port PORT: masquerade what leaves towards M to source port PORT.
nat_port() {
	in_ns "$NAT" nft -f - <<EON
flush ruleset
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "eth1" meta l4proto udp masquerade to :$1
	}
}
EON
}
nat_port 20000 || { tap_not_ok "nftables masquerade"; tap_done; }

lispd_dirs lispd_nat || { tap_not_ok "run directories"; tap_done; }
cat >"$run/m.conf" <<EOC
roles = { map-server, map-resolver }
control-socket = "$sock/m.sock"
rtr-address = { 198.51.100.9 }
site a { key = "key-a" eid-prefix 10.1.0.0/24 {} }
EOC
cat >"$run/x.conf" <<EOC
roles = { itr, etr }
xtr-interface = "lisp0"
control-socket = "$sock/x.sock"
database-mapping "10.1.0.0/24" { rloc 10.0.0.5 {} }
map-server 198.51.100.1 { key = "key-a" }
map-resolver = { 198.51.100.1 }
nat-traversal = yes
info-request-interval = 2
EOC

# behind PORT: X's lispd says it is behind the NAT, translated to PORT.
behind() {
	show x nat 2>/dev/null | grep -q "^map-server 198.51.100.1 iid 0 behind-nat private 10.0.0.5 translated 198.51.100.2 port $1 .* rtrs 198.51.100.9 "
}

start "$M" m
wait_for 10 test -S "$sock/m.sock"
start "$X" x

RET=0
wait_for 20 behind 20000
check_err $? "show nat: $(show x nat 2>&1)"
[ "$(stat_of m info-reply-sent)" -ge 1 ] 2>/dev/null
check_err $? "M info-reply-sent: $(stat_of m info-reply-sent)"
log_test "X learns it is behind a NAT: 198.51.100.2 port 20000, RTR 198.51.100.9"

RET=0
nat_port 20001 && in_ns "$NAT" conntrack -F 2>/dev/null
check_err $? "NAT reboot"
wait_for 10 behind 20001
check_err $? "show nat: $(show x nat 2>&1)"
[ "$(stat_of x nat-binding-changed)" = 1 ]
check_err $? "nat-binding-changed: $(stat_of x nat-binding-changed)"
show x nat | grep -q " age [0-9]s "
check_err $? "binding age restarted: $(show x nat 2>&1)"
log_test "NAT reboot (conntrack flushed, new port): the next exchange reports port 20001"

RET=0
lispd_stop x m
log_test "clean exit"

lispd_done m x
