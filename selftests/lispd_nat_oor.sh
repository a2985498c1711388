#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Open Overlay Router's xTR behind a NAT registers through lispd's RTR
# with lispd's Map-Server (issue 13, interop):
#
#   HA --- O ---- NAT ==== 198.51.100.0/24 ==== R (RTR) ==== B --- HB
#   10.1.0.1 10.0.0.2 .1 (masquerade)  |        .2           .3  10.2.0.1
#                                      M .4 (map-server, map-resolver)
#
# OOR (nat_traversal_support) asks M with an Info-Request, learns R from
# the Info-Reply, and registers through R its own way: the Map-Register
# (P, I, R bits) in an ECM with the R bit, sent from its data port 4341
# straight to R's control port.  R takes the NAT's address and port from
# that packet, relays the Map-Register to M, commits the binding into
# its kernel map-cache on M's Map-Notify and answers OOR with a
# Data-Map-Notify from its control port.  Then HA (behind OOR) and HB
# (behind lispd's B) ping each other through R.  A plain masquerade: OOR
# sends control (4341 -> R's 4342) and data (4341 -> R's 4341) on two
# tuples, so R reaches it only while the NAT keeps port 4341 for both.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

OOR=${OOR:-/usr/sbin/oor}
require_cmd ip ping nft conntrack unshare stdbuf
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
[ -x "$OOR" ] || skip_all "OOR not installed ($OOR)"
[ -c /dev/net/tun ] || modprobe tun 2>/dev/null
[ -c /dev/net/tun ] || skip_all "no /dev/net/tun for OOR's data plane"
lisp_load_module miss_hold_ms=30000 || skip_all "cannot load lisp.ko"

setup() {
	nat_rtr_setup O || return 1
	in_ns "$O" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0
	in_ns "$NAT" nft -f - <<EOF
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		ip saddr 10.0.0.0/24 oifname "out0" masquerade
	}
}
EOF
}

setup || { tap_not_ok "topology setup"; tap_done; }
lispd_dirs lispd_nat_oor || { tap_not_ok "run directories"; tap_done; }

nat_rtr_confs
cat >"$run/o.conf" <<EOC
debug                  = 3
map-request-retries    = 2
operating-mode         = xTR
encapsulation          = LISP
nat_traversal_support  = on
rloc-probing {
    rloc-probe-interval             = 0
    rloc-probe-retries              = 0
    rloc-probe-retries-interval     = 1
}
map-resolver = { $MS }
map-server {
    address        = $MS
    key-type       = 1
    key            = key-a
    proxy-reply    = on
}
database-mapping {
    eid-prefix     = 10.1.0.0/24
    iid            = 0
    rloc-iface {
        interface  = eth0
        ip_version = 4
        priority   = 1
        weight     = 100
    }
}
EOC

start_oor() {
	ip netns exec "$1" unshare -m sh -c \
		'mount -t tmpfs oor /tmp && cat >/tmp/oor.conf &&
		 exec stdbuf -oL "$0" -f /tmp/oor.conf </dev/null' \
		"$OOR" <"$run/$2.conf" >"$run/$2.log" 2>&1 &
	defer kill "$!"
}

start "$M" m
wait_for 10 test -S "$sock/m.sock"
start "$R" r
start "$B" b
start_oor "$O" o

bound() { show r nat 2>/dev/null | grep -q " nat $NATPUB port 4341 private 10.0.0.2 map-server $MS .* eids 10.1.0.0/24"; }
RET=0
wait_for 40 bound
check_err $? "R show nat: $(show r nat 2>&1); OOR: $(grep -i 'nat\|rtr\|regist' "$run/o.log" | tail -5)"
map_line "$R" 10.1.0.0/24 | grep -q "$NATPUB port 4341"
check_err $? "R map-cache: $(lctl "$R" map-cache show 2>&1)"
log_test "OOR registers through R: binding $NATPUB port 4341, in R's map-cache"
# OOR lists its private RLOC beside R's: M keeps it, never to be used.
site_ok() {
	show m site 2>/dev/null | grep -q "site a 10.1.0.0/24 iid 0 registrant $RTR .*rloc 10.0.0.2 priority 255 weight 100, $RTR priority 1 "
}
RET=0
wait_for 10 site_ok
check_err $? "M show site: $(show m site 2>&1)"
log_test "M lists OOR's EIDs at R, its private RLOC at priority 255"
RET=0
out=$(in_ns "$HA" ping -c3 -W5 10.2.0.1 2>&1)
check_err $? "HA -> HB: $out"
out=$(in_ns "$HB" ping -c3 -W5 10.1.0.1 2>&1)
check_err $? "HB -> HA: $out"
[ "$RET" = 0 ] || tap_diag "M: $(show m site 2>&1); B: $(lctl "$B" map-cache show 2>&1); R: $(lctl "$R" map-cache show 2>&1)"
log_test "HA (behind OOR behind NAT) and HB ping each other through R"

RET=0
lispd_stop r b m
log_test "clean exit"
lispd_done m r b
