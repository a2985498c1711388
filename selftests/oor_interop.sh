#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Interoperability with Open Overlay Router (oor, Debian package
# openoverlayrouter):
#
#   H1 -- X1 ===== 192.0.2.0/24 ===== X2 -- H2
#        (oor xTR)                     |  \ 203.0.113.0/24
#                  198.51.100.0/24     M   O  (oor Map-Server)
#                            (lispd MS/MR)
#
# X1 is an OOR xTR: it registers 10.1.0.0/24 with our Map-Server M
# (HMAC-SHA-1, key-id 1) and exchanges traffic with X2, our xTR (kernel
# data plane + lispd), each side resolving the other through M.  X2 also
# registers 10.2.0.0/24 with O, an OOR Map-Server: O's Map-Notify
# authenticates with our key, and O answers a Map-Request for our EID
# (forwarded to our ETR, whose Map-Reply comes back).

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

LISPD="$REPO_ROOT/lispd/build/lispd"
OOR=${OOR:-/usr/sbin/oor}
require_cmd ip ping
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
[ -x "$OOR" ] || skip_all "Open Overlay Router not installed ($OOR)"
modprobe tun 2>/dev/null
[ -c /dev/net/tun ] || skip_all "no /dev/net/tun: OOR's data plane needs a TUN device"
lisp_load_module miss_hold_ms=30000 || skip_all "cannot load lisp.ko"
topo_setup || { tap_not_ok "topology setup"; tap_done; }
setup_ns M O || { tap_not_ok "namespaces M O"; tap_done; }
connect_ns "$X2" eth2 198.51.100.2/24 "$M" eth0 198.51.100.1/24 ||
	{ tap_not_ok "link X2-M"; tap_done; }
connect_ns "$X2" eth3 203.0.113.2/24 "$O" eth0 203.0.113.5/24 ||
	{ tap_not_ok "link X2-O"; tap_done; }
# X1 is OOR's: no lisp device there, OOR brings its own TUN.
ip -n "$X1" link del lisp0
ip -n "$X1" route add default via 192.0.2.2
ip -n "$M" route add default via 198.51.100.2
ip -n "$O" route add default via 203.0.113.2

run=$(mktemp -d -p "$REPO_ROOT/build" oor_interop.XXXXXX)
sock=$(mktemp -d -p /tmp lispd.XXXXXX)
defer rm -rf "$sock"

cat >"$run/m.conf" <<EOC
roles = { map-server, map-resolver }
control-socket = "$sock/m.sock"
site a { key = "key-a" eid-prefix 10.1.0.0/24 {} }
site b { key = "key-b" eid-prefix 10.2.0.0/24 {} }
EOC
cat >"$run/x2.conf" <<EOC
roles = { itr, etr }
control-socket = "$sock/x2.sock"
database-mapping "10.2.0.0/24" { rloc 192.0.2.2 {} }
map-server 198.51.100.1 { key = "key-b" }
map-server 203.0.113.5 { key = "key-b" algorithm = hmac-sha-1-96 key-id = 1 full-hmac = true }
map-resolver = { 198.51.100.1 }
EOC
cat >"$run/oor-x1.conf" <<EOC
debug = 2
log-file = $run/oor-x1.log
operating-mode = xTR
encapsulation = LISP
map-request-retries = 2
rloc-probing {
    rloc-probe-interval = 0
    rloc-probe-retries = 0
    rloc-probe-retries-interval = 5
}
map-resolver = {
    198.51.100.1
}
map-server {
    address = 198.51.100.1
    key-type = 1
    key = key-a
    proxy-reply = off
}
database-mapping {
    eid-prefix = 10.1.0.0/24
    iid = 0
    rloc-iface {
        interface = eth0
        ip_version = 4
        priority = 1
        weight = 100
    }
}
EOC
cat >"$run/oor-o.conf" <<EOC
debug = 2
log-file = $run/oor-o.log
operating-mode = MS
control-iface = eth0
lisp-site {
    eid-prefix = 10.2.0.0/24
    key-type = 1
    key = key-b
    iid = 0
    accept-more-specifics = false
}
EOC

start() {	# start NS NAME: lispd
	ip netns exec "$1" "$LISPD" -d -v -c "$run/$2.conf" >"$run/$2.log" 2>&1 &
	eval "pid_$2=$!"
	defer kill "$!"
}
start_oor() {	# start_oor NS NAME
	ip netns exec "$1" "$OOR" -f "$run/oor-$2.conf" >"$run/oor-$2.out" 2>&1 &
	eval "pid_oor_$2=$!"
	defer kill "$!"
}
show() {	# show NAME WHAT
	LISPD_SOCKET="$sock/$1.sock" "$LISPCTL" show "$2"
}

start "$M" m
wait_for 5 test -S "$sock/m.sock"
start_oor "$O" o
start_oor "$X1" x1
sleep 3
for n in x1 o; do
	eval "p=\$pid_oor_$n"
	kill -0 "$p" 2>/dev/null && continue
	tap_diag "$(tail -n 20 "$run/oor-$n.out" "$run/oor-$n.log" 2>/dev/null)"
	skip_all "oor ($n) does not run in this VM, see above"
done
start "$X2" x2

RET=0
reg() { show m site | grep -q "site a 10.1.0.0/24 registrant 192.0.2.1 .*rloc 192.0.2.1"; }
wait_for 30 reg
check_err $? "OOR not registered with lispd: $(show m site 2>&1)"
log_test "an OOR xTR registers with lispd's Map-Server (HMAC-SHA-1)"

RET=0
ok=1
for i in 1 2 3 4 5; do
	in_ns "$H1" ping -c1 -W5 10.2.0.1 >/dev/null 2>&1 && { ok=0; break; }
done
check_err $ok "H1 (behind OOR) cannot reach H2 (behind lispd)"
out=$(in_ns "$H1" ping -c3 -i0.3 -W3 10.2.0.1 2>&1)
check_err $? "later pings: $out"
show x2 map-cache | grep -q "^10.1.0.0/24 .*rloc 192.0.2.1"
check_err $? "lispd did not resolve OOR's EIDs: $(show x2 map-cache 2>&1)"
log_test "traffic between an OOR xTR and a lispd xTR, each resolving the other"

RET=0
oreg() { show x2 database | grep -q "map-server 203.0.113.5 registered"; }
wait_for 30 oreg
check_err $? "no authenticated Map-Notify from OOR: $(show x2 database 2>&1)"
out=$(in_ns "$M" "$LISPCTL" lookup 10.2.0.1 -m 203.0.113.5 -t 3000 -c 3 2>&1)
check_err $? "OOR's Map-Server did not answer: $out"
grep -q "10.2.0.0/24 .*" <<<"$out" && grep -q "192.0.2.2 priority" <<<"$out"
check_err $? "OOR's answer: $out"
log_test "lispd's ETR registers with an OOR Map-Server, which answers for it"

if [ "$TAP_FAIL" -eq 0 ]; then
	rm -rf "$run"
else
	for c in m.log x2.log oor-x1.log oor-o.log; do
		tap_diag "--- $c (in $run)"
		tap_diag "$(tail -n 25 "$run/$c" 2>/dev/null)"
	done
fi
tap_done
