#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Interop with Open Overlay Router (OOR, Debian's openoverlayrouter), an
# independent LISP implementation.  Every box is a network namespace on
# one underlay LAN; U is its switch and the router OOR wants as default
# gateway:
#
#   H1 -- X1 (our xTR: lisp0 + lispd)        192.0.2.1   EID 10.1.0.0/24
#   H3 -- O  (OOR xTR, lispTun0)             192.0.2.3   EID 10.20.0.0/24
#         M  (our lispd Map-Server/Resolver) 192.0.2.10
#         Q  (OOR in MS mode)                192.0.2.11
#
# Part 1: O registers with M (OOR signs only with HMAC-SHA-1) and takes
# M's Map-Notify.  Part 2: H1 and H3 ping each other through X1 and O,
# both resolving through M with ECM Map-Requests.  Part 3: X1 and O
# register with Q instead; Q proxy-replies to a lispctl lookup of X1's
# EID with X1's RLOC, and the pings work with Q as Map-Server and
# Map-Resolver.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

OOR=${OOR:-/usr/sbin/oor}
require_cmd ip ping unshare stdbuf
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
[ -x "$OOR" ] || skip_all "OOR not installed ($OOR: apt-get install openoverlayrouter)"
# OOR's xTR data plane is a TUN device.
[ -c /dev/net/tun ] || modprobe tun 2>/dev/null
[ -c /dev/net/tun ] || skip_all "no /dev/net/tun (tun module) for OOR's data plane"
lisp_load_module miss_hold_ms=30000 || skip_all "cannot load lisp.ko"

R_X1=192.0.2.1 R_O=192.0.2.3 R_M=192.0.2.10 R_Q=192.0.2.11 R_U=192.0.2.254
KEY_X1=key-x1 KEY_O=key-oor

setup_ns U X1 O M Q H1 H3 || { tap_not_ok "namespaces"; tap_done; }
ip -n "$U" link add br0 type bridge &&
	ip -n "$U" addr add $R_U/24 dev br0 &&
	ip -n "$U" link set br0 up ||
	{ tap_not_ok "underlay switch"; tap_done; }
in_ns "$U" sysctl -qw net.ipv4.ip_forward=1 \
	net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.br0.send_redirects=0

# uplink NS PORT ADDR: NS's eth0 on the underlay switch.
uplink() {
	ip link add eth0 netns "$1" type veth peer name "$2" netns "$U" &&
		ip -n "$1" addr add "$3/24" dev eth0 &&
		ip -n "$1" link set eth0 up &&
		ip -n "$U" link set dev "$2" master br0 up
}
uplink "$X1" u-x1 $R_X1 && uplink "$O" u-o $R_O && uplink "$M" u-m $R_M &&
	uplink "$Q" u-q $R_Q || { tap_not_ok "underlay links"; tap_done; }
connect_ns "$H1" eth0 10.1.0.1/24 "$X1" eth1 10.1.0.254/24 &&
	connect_ns "$H3" eth0 10.20.0.1/24 "$O" eth1 10.20.0.254/24 ||
	{ tap_not_ok "site links"; tap_done; }
ip -n "$H1" route add default via 10.1.0.254
ip -n "$H3" route add default via 10.20.0.254
for n in "$O" "$M" "$Q"; do
	ip -n "$n" route add default via $R_U
done

in_ns "$X1" sysctl -qw net.ipv4.ip_forward=1
ip -n "$X1" link add lisp0 type lisp &&
	ip -n "$X1" link set lisp0 up &&
	ip -n "$X1" route add 10.20.0.0/24 dev lisp0 ||
	{ tap_not_ok "lisp0 on X1"; tap_done; }
# OOR routes the site's traffic into lispTun0 by source-address rules and
# writes decapsulated packets back into it: no reverse-path filter there.
in_ns "$O" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
	net.ipv4.conf.default.rp_filter=0

# Logs and configurations under build/ so that they outlive the VM
# (removed when all passed); sockets in /tmp: 9p cannot hold them.
run=$(mktemp -d -p "$REPO_ROOT/build" interop_oor.XXXXXX)
sock=$(mktemp -d -p /tmp interop_oor.XXXXXX)
defer rm -rf "$sock"

cat >"$run/m.conf" <<EOC
roles = { map-server, map-resolver }
control-socket = "$sock/m.sock"
site x1 {
	key = "$KEY_X1"
	eid-prefix 10.1.0.0/24 {}
}
site oor {
	key = "$KEY_O"
	eid-prefix 10.20.0.0/24 {}
}
EOC

# x1_conf NAME MAP-SERVER MAP-RESOLVER [MAP-SERVER OPTIONS]: X1.
x1_conf() {
	cat >"$run/$1.conf" <<EOC
roles = { itr, etr }
xtr-interface = "lisp0"
control-socket = "$sock/x1.sock"
database-mapping "10.1.0.0/24" { rloc $R_X1 { priority = 1 weight = 100 } }
map-server $2 { key = "$KEY_X1" $4 }
map-resolver = { $3 }
EOC
}
x1_conf x1-m $R_M $R_M
# OOR's "key-type 1" is RFC 6833's 16-bit Key ID field holding 1, which
# RFC 9301 reads as key-id 0, algorithm 1 (HMAC-SHA-1-96).  OOR skips 20
# bytes of MAC whatever the length field says: full-hmac.  proxy-reply:
# OOR itself answers for X1, which shows that it took the registration.
x1_conf x1-q $R_Q $R_Q \
	"key-id = 0 algorithm = hmac-sha-1-96 full-hmac = true proxy-reply = true"

# oor_xtr_conf NAME MAP-SERVER MAP-RESOLVER: the OOR xTR.
oor_xtr_conf() {
	cat >"$run/$1.conf" <<EOC
debug                  = 3
map-request-retries    = 2
operating-mode         = xTR
encapsulation          = LISP
nat_traversal_support  = off
rloc-probing {
    rloc-probe-interval             = 0
    rloc-probe-retries              = 0
    rloc-probe-retries-interval     = 1
}
map-resolver = { $3 }
map-server {
    address        = $2
    key-type       = 1
    key            = $KEY_O
    proxy-reply    = off
}
database-mapping {
    eid-prefix     = 10.20.0.0/24
    iid            = 0
    rloc-address {
        address    = $R_O
        priority   = 1
        weight     = 100
    }
}
EOC
}
oor_xtr_conf o-m $R_M $R_M
oor_xtr_conf o-q $R_Q $R_Q

cat >"$run/q.conf" <<EOC
debug                  = 3
operating-mode         = MS
control-iface          = eth0
lisp-site {
    eid-prefix            = 10.1.0.0/24
    key-type              = 1
    key                   = $KEY_X1
    iid                   = 0
    accept-more-specifics = false
}
lisp-site {
    eid-prefix            = 10.20.0.0/24
    key-type              = 1
    key                   = $KEY_O
    iid                   = 0
    accept-more-specifics = false
}
EOC

RET=0
for c in m x1-m x1-q; do
	out=$("$LISPD" -n -c "$run/$c.conf" 2>&1)
	check_err $? "$c.conf: $out"
done
log_test "lispd -n accepts the configurations (full-hmac towards OOR)"

# start_lispd NS NAME CONF: ip netns exec execs lispd, so $! is lispd.
start_lispd() {
	ip netns exec "$1" "$LISPD" -d -v -c "$run/$3.conf" >>"$run/$2.log" 2>&1 &
	eval "pid_$2=$!"
	defer kill "$!"
}
# start_oor NS NAME CONF: OOR in the foreground, its debug log (stdout,
# line-buffered: OOR writes log-file only as a daemon) in $run/CONF.log.
# Each gets its own /tmp, where OOR's API socket has a fixed name; the
# configuration is copied in, as $run may itself be under /tmp.
# unshare, sh and stdbuf exec: $! is OOR.
start_oor() {
	ip netns exec "$1" unshare -m sh -c \
		'mount -t tmpfs oor /tmp && cat >/tmp/oor.conf &&
		 exec stdbuf -oL "$0" -f /tmp/oor.conf </dev/null' \
		"$OOR" <"$run/$3.conf" >"$run/$3.log" 2>&1 &
	eval "pid_$2=$!"
	defer kill "$!"
}
stop() {	# stop NAME
	local p
	p=$(eval echo "\$pid_$1")
	kill "$p" 2>/dev/null
	wait "$p" 2>/dev/null
}
# received NS DST COUNT INTERVAL: how many of COUNT pings were answered.
received() {
	in_ns "$1" ping -c "$3" -i "$4" -W 2 "$2" 2>/dev/null |
		awk '/packets transmitted/ { print $4 + 0; f = 1 } END { if (!f) print 0 }'
}
# pings_both_ways WHAT: H1 -> H3 and H3 -> H1; a first burst may lose
# what waits for resolution (OOR drops while it asks), a later one must
# lose nothing.
pings_both_ways() {
	local n
	RET=0
	n=$(received "$H1" 10.20.0.1 10 0.5)
	[ "$n" -ge 6 ]
	check_err $? "H1 -> H3: $n of 10 answered while resolving"
	n=$(received "$H1" 10.20.0.1 20 0.2)
	check_eq "$n" 20 "H1 -> H3 after resolution"
	log_test "H1 (behind lispd) pings H3 (behind OOR), $1"

	RET=0
	n=$(received "$H3" 10.1.0.1 20 0.2)
	check_eq "$n" 20 "H3 -> H1"
	log_test "H3 (behind OOR) pings H1 (behind lispd), $1"
}
# oor_took_notify LOG: the OOR xTR logged a Map-Notify that acknowledges
# its registration, and refused none.
oor_took_notify() {
	grep -q "Map-Notify message confirms correct registration of 10.20.0.0/24" "$1" &&
		! grep -q "Map-Notify message is invalid" "$1"
}

# --- Part 1: OOR's xTR registers with our Map-Server -----------------------

start_lispd "$M" m m
wait_for 5 test -S "$sock/m.sock"
start_lispd "$X1" x1 x1-m
start_oor "$O" o o-m

RET=0
oor_registered() {
	show m site | grep -q "^site oor 10.20.0.0/24 iid 0 registrant $R_O .* rloc $R_O "
}
wait_for 30 oor_registered
check_err $? "no OOR registration: $(show m site 2>&1)"
log_test "OOR xTR registers 10.20.0.0/24 with lispd's Map-Server, rloc $R_O"

RET=0
x1_registered() { show m site | grep -q "^site x1 10.1.0.0/24 iid 0 registrant $R_X1"; }
wait_for 20 x1_registered
check_err $? "X1 not registered: $(show m site 2>&1)"
wait_for 10 oor_took_notify "$run/o-m.log"
check_err $? "OOR took no Map-Notify: $(grep -a -A2 'Map-Notify' "$run/o-m.log" | head -3)"
log_test "X1 registered too; OOR accepts lispd's Map-Notify"

# --- Part 2: traffic between the xTRs through our MS/MR --------------------

pings_both_ways "resolved through lispd's Map-Resolver"

RET=0
show x1 map-cache | grep -q "^10.20.0.0/24 .* rloc $R_O "
check_err $? "X1 map-cache: $(show x1 map-cache 2>&1)"
map_line "$X1" 10.20.0.0/24 | grep -q "$R_O"
check_err $? "X1 kernel map-cache: $(lctl "$X1" map-cache show 2>&1)"
log_test "X1's map-cache has OOR's site at rloc $R_O"

# --- Part 3: OOR as Map-Server and Map-Resolver ----------------------------

stop x1
stop o
lctl "$X1" map-cache flush lisp0
start_oor "$Q" q q
wait_for 10 listening "$Q" 4342 udp
start_lispd "$X1" x1 x1-q
start_oor "$O" o o-q

RET=0
q_notified() { show x1 database | grep -q "map-server $R_Q registered"; }
wait_for 30 q_notified
check_err $? "no Map-Notify from OOR accepted: $(show x1 database 2>&1)"
grep -q "Map-Register.*IP: $R_X1 -> $R_Q" "$run/q.log"
check_err $? "OOR logged no Map-Register from X1"
grep -q "Message validated with key associated to EID 10.1.0.0/24" "$run/q.log"
check_err $? "OOR did not validate X1's Map-Register: $(grep -a -A2 "IP: $R_X1 -> $R_Q" "$run/q.log" | head -3)"
log_test "X1 registers with OOR's Map-Server and accepts its Map-Notify"

RET=0
out=$(lctl "$X1" lookup 10.1.0.1 -m $R_Q 2>&1)
check_err $? "no answer: $out"
grep -q "^Map-Reply from $R_Q" <<<"$out"
check_err $? "not answered by OOR: $out"
grep -q "^    $R_X1 priority 1 weight 100" <<<"$out"
check_err $? "X1's RLOC missing: $out"
log_test "OOR's Map-Server proxy-replies for X1's EID with X1's RLOC"

RET=0
wait_for 30 oor_took_notify "$run/o-q.log"
check_err $? "the OOR xTR is not registered with the OOR Map-Server"
log_test "the OOR xTR registers with the OOR Map-Server"

pings_both_ways "resolved through OOR's Map-Server"

RET=0
show x1 map-cache | grep -q "^10.20.0.0/24 .* rloc $R_O "
check_err $? "X1 map-cache: $(show x1 map-cache 2>&1)"
log_test "X1 resolved OOR's site through OOR's Map-Resolver"

if [ "$TAP_FAIL" -eq 0 ]; then
	rm -rf "$run"
else
	for c in m x1 o-m q o-q; do
		[ -f "$run/$c.log" ] || continue
		tap_diag "--- $c.log (in $run)"
		tap_diag "$(grep -v -e 'Multicast packets' -e 'OUTPUT: Received EID fe80' "$run/$c.log" | tail -n 25)"
	done
fi
tap_done
