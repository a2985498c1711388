# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/topo.sh - the two-site topology most data-plane tests share.
#
#   H1 ---- X1 ====== underlay ====== X2 ---- H2
#   10.1.0.1   lisp0             lisp0   10.2.0.1
#   fd01::1    192.0.2.1 / 2001:db8::1   fd02::1
#              192.0.2.2 / 2001:db8::2
#
# X1 and X2 are xTRs: each has a lisp0 device, routes the other site's
# EID prefixes into it, and lists its own site in its database. Map-cache
# entries are left to the test (topo_map OUTER).

export IP_LIB_DIR="$REPO_ROOT/tools/iproute2"

# topo_setup [IP LINK OPTIONS FOR lisp0...]
topo_setup() {
	setup_ns H1 X1 X2 H2 || return 1
	connect_ns "$H1" eth0 "10.1.0.1/24 fd01::1/64" \
		"$X1" eth1 "10.1.0.254/24 fd01::fe/64" || return 1
	connect_ns "$X1" eth0 "192.0.2.1/24 2001:db8::1/64" \
		"$X2" eth0 "192.0.2.2/24 2001:db8::2/64" || return 1
	connect_ns "$X2" eth1 "10.2.0.254/24 fd02::fe/64" \
		"$H2" eth0 "10.2.0.1/24 fd02::1/64" || return 1
	ip -n "$H1" route add default via 10.1.0.254
	ip -n "$H1" -6 route add default via fd01::fe
	ip -n "$H2" route add default via 10.2.0.254
	ip -n "$H2" -6 route add default via fd02::fe

	local x peer4 peer6 site
	for x in "$X1" "$X2"; do
		in_ns "$x" sysctl -qw net.ipv4.ip_forward=1 \
			net.ipv6.conf.all.forwarding=1
		ip -n "$x" link add lisp0 type lisp "$@" || return 1
		ip -n "$x" link set lisp0 up || return 1
	done
	ip -n "$X1" route add 10.2.0.0/24 dev lisp0
	ip -n "$X1" -6 route add fd02::/64 dev lisp0
	ip -n "$X2" route add 10.1.0.0/24 dev lisp0
	ip -n "$X2" -6 route add fd01::/64 dev lisp0
	lctl "$X1" database add lisp0 10.1.0.0/24 &&
		lctl "$X1" database add lisp0 fd01::/64 &&
		lctl "$X2" database add lisp0 10.2.0.0/24 &&
		lctl "$X2" database add lisp0 fd02::/64
}

# topo_map 4|6: static map-cache entries for both sites over an IPv4 or
# IPv6 underlay (replacing what was there).
topo_map() {
	local r1 r2
	if [ "$1" = 4 ]; then r1=192.0.2.1 r2=192.0.2.2; else r1=2001:db8::1 r2=2001:db8::2; fi
	lctl "$X1" map-cache replace lisp0 10.2.0.0/24 rloc "$r2" &&
		lctl "$X1" map-cache replace lisp0 fd02::/64 rloc "$r2" &&
		lctl "$X2" map-cache replace lisp0 10.1.0.0/24 rloc "$r1" &&
		lctl "$X2" map-cache replace lisp0 fd01::/64 rloc "$r1"
}

# The helpers below avoid starting python: under TCG that costs seconds.

# lisp_stat NS DEV NAME: one counter of lispctl stats (rx-not-ours...).
lisp_stat() {
	local k v

	while read -r k v _; do
		[ "$k" = "$3" ] && { echo "$v"; return 0; }
	done < <(lctl "$1" stats "$2")
	echo NaN
}

# map_line NS EID: the map-cache entry for EID (exact prefix), one line.
map_line() {
	lctl "$1" -s map-cache show | awk -v e="$2" '$1 == e'
}

# map_packets NS EID: packets the entry forwarded.
map_packets() {
	map_line "$1" "$2" | awk '{ for (i = 1; i < NF; i++) if ($i == "packets") n = $(i + 1); print n + 0 }'
}

# rloc_packets NS EID RLOC: packets sent to that locator (counted per
# locator, across every entry that uses it: compare before and after).
rloc_packets() {
	map_line "$1" "$2" | tr ',' '\n' |
		awk -v r="$3" '{ for (i = 1; i < NF; i++) if ($i == r) hit = 1; if (hit) { for (i = 1; i < NF; i++) if ($i == "packets") { print $(i + 1); exit } } }
			END { if (!hit) print 0 }'
}

# udp_flows NS DST COUNT: COUNT datagrams to DST:9, each from a fresh
# socket and so another source port: each is its own flow.
udp_flows() {
	in_ns "$1" bash -c 'for ((i = 0; i < $2; i++)); do echo x >/dev/udp/$1/9; done' _ "$2" "$3"
}

# ---- lispd on this topology (the lispd_* tests) ----
#
# M, the Map-Server/Map-Resolver at 198.51.100.1, sits behind X2. Each
# lispd NAME runs from $run/NAME.conf, logs to $run/NAME.log and answers
# lispctl on $sock/NAME.sock; its pid is $pid_NAME.

LISPD=${LISPD:-$REPO_ROOT/lispd/build/lispd}	# LISPD=... tries another build

# lispd_dirs TEST: $run (kept when the test fails) and $sock.
lispd_dirs() {
	run=$(mktemp -d -p "$REPO_ROOT/build" "$1.XXXXXX") || return 1
	sock=$(mktemp -d -p /tmp lispd.XXXXXX) || return 1
	defer rm -rf "$sock"
}

# ms_conf [SETTING...]: M's $run/m.conf, the Map-Server and Map-Resolver
# of site a (key-a: 10.1.0.0/24, fd01::/64) and site b (key-b: 10.2.0.0/16
# and its more-specifics, fd02::/64), with each SETTING a top-level line.
ms_conf() {
	{
		echo "roles = { map-server, map-resolver }"
		echo "control-socket = \"$sock/m.sock\""
		printf '%s\n' "$@"
		cat <<EOC
site a {
	key = "key-a"
	eid-prefix 10.1.0.0/24 {}
	eid-prefix fd01::/64 {}
}
site b {
	key = "key-b"
	eid-prefix 10.2.0.0/16 { accept-more-specifics = true }
	eid-prefix fd02::/64 {}
}
EOC
	} >"$run/m.conf"
}

# xtr_conf NAME KEY RLOC PREFIX... [-- SETTING...]: $run/NAME.conf, an ITR
# and ETR on lisp0 for each PREFIX at RLOC, registering with M under KEY
# ("key-b algorithm = hmac-sha-1-96" picks the algorithm too).
xtr_conf() {
	local name=$1 key=$2 rloc=$3
	shift 3
	{
		echo "roles = { itr, etr }"
		echo "xtr-interface = \"lisp0\""
		echo "control-socket = \"$sock/$name.sock\""
		while [ $# -gt 0 ] && [ "$1" != -- ]; do
			echo "database-mapping \"$1\" { rloc $rloc {} }"
			shift
		done
		[ "${1-}" = -- ] && shift
		printf '%s\n' "$@"
		set -- $key
		echo "map-server 198.51.100.1 { key = \"$1\" ${*:2} }"
		echo "map-resolver = { 198.51.100.1 }"
	} >"$run/$name.conf"
}

# start_sites [START]: M, then, once it answers, X1 and X2, each by START
# NS NAME (start, or the test's own).
start_sites() {
	local run_one=${1:-start}
	$run_one "$M" m
	wait_for 10 test -S "$sock/m.sock"
	$run_one "$X1" x1
	$run_one "$X2" x2
}

# registered [v6]: M holds X1's 10.1.0.0/24 and X2's 10.2.0.0/24 (X2
# registers from its M-facing address); with v6, fd01::/64 and fd02::/64
# as well.
registered() {
	local s
	s=$(show m site 2>/dev/null) || return 1
	grep -q "10.1.0.0/24 iid 0 registrant 192.0.2.1 " <<<"$s" &&
		grep -q "10.2.0.0/24 iid 0 registrant 198.51.100.2 " <<<"$s" &&
		{ [ "${1-}" != v6 ] ||
			{ grep -q "fd01::/64" <<<"$s" && grep -q "fd02::/64" <<<"$s"; }; }
}

# topo_ms_link: link M (already set up) to X2; X1 and M route to each other.
topo_ms_link() {
	connect_ns "$X2" eth2 198.51.100.2/24 "$M" eth0 198.51.100.1/24 ||
		return 1
	ip -n "$X1" route add 198.51.100.0/24 via 192.0.2.2
	ip -n "$M" route add default via 198.51.100.2
}

# start NS NAME: ip netns exec execs lispd, so $! is lispd itself.
start() {
	ip netns exec "$1" "$LISPD" -d -v -c "$run/$2.conf" >"$run/$2.log" 2>&1 &
	eval "pid_$2=$!"
	defer kill "$!"
}
show() {	# show NAME WHAT
	LISPD_SOCKET="$sock/$1.sock" "$LISPCTL" show "$2"
}
stat_of() {	# stat_of NAME COUNTER
	show "$1" statistics | awk -v k="$2" '$1 == k { print $2 }'
}

# lispd_stop NAME...: SIGTERM to each, and each must exit with status 0.
lispd_stop() {
	local n p
	for n in "$@"; do
		p=pid_$n
		kill -TERM "${!p}"
	done
	for n in "$@"; do
		p=pid_$n
		wait "${!p}"
		check_err $? "pid ${!p} exit status"
	done
}

# lispd_done NAME...: the end of a lispd test; when it failed, the last
# 20 lines of each NAME's log.
lispd_done() {
	local c
	if [ "$TAP_FAIL" -eq 0 ]; then
		rm -rf "$run"
	else
		for c in "$@"; do
			tap_diag "--- $c.log (in $run)"
			tap_diag "$(tail -n 20 "$run/$c.log")"
		done
	fi
	tap_done
}

# ---- tenants: hosts with the same addresses behind one pair of xTRs ----

# echoes NS: ICMP echo requests NS has received.
echoes() {
	local p
	ns_pid p "$1" || return 1
	awk '$1 == "Icmp:" { if (c) { print $c; exit }
		for (i = 2; i <= NF; i++) if ($i == "InEchos") c = i }' \
		"/proc/$p/net/snmp"
}

# tenant_links XNS NS_A NS_B SITE: the host-facing veths eth-a and eth-b of
# XNS, to hosts NS_A and NS_B at SITE.1 (routed by SITE.254).
tenant_links() {
	local t h
	for t in a b; do
		h=$2
		[ $t = b ] && h=$3
		connect_ns "$h" eth0 "$4.1/24" "$1" eth-$t "" || return 1
		ip -n "$h" route add default via "$4.254" || return 1
	done
}

# vrf_lisp XNS T IID TABLE SITE: tenant T of XNS in VRF vrf-T (TABLE): its
# host link eth-T (SITE.254) and its lisp device lisp-T of instance-id IID.
vrf_lisp() {
	printf '%s\n' "link add vrf-$2 type vrf table $4" "link set vrf-$2 up" \
		"link set eth-$2 master vrf-$2" "addr add $5.254/24 dev eth-$2" \
		"link add lisp-$2 type lisp iid $3" \
		"link set lisp-$2 master vrf-$2" | ip -n "$1" -b -
}

# reaches SRC DST TO NOT X2NS NOTDEV: a ping from SRC to DST is answered,
# by TO (its echo count moves), not by NOT, and X2's NOTDEV (the other
# tenant's lisp device, in namespace X2NS) decapsulated nothing.
reaches() {
	local to0 not0 rx0
	to0=$(echoes "$3") not0=$(echoes "$4")
	rx0=$(lisp_stat "$5" "$6" rx-packets)
	ns_ping "$1" "$2"
	check_err $? "no reply from $2"
	[ "$(echoes "$3")" -gt "$to0" ]
	check_err $? "the ping did not reach its tenant's host"
	[ "$(echoes "$4")" -eq "$not0" ]
	check_err $? "the other tenant's host got the ping"
	[ "$(lisp_stat "$5" "$6" rx-packets)" -eq "$rx0" ]
	check_err $? "the other tenant's $6 decapsulated it"
}

# isolated SRC NOT: tenant a's host cannot reach b's 10.2.0.2 (on NOT).
isolated() {
	local not0
	not0=$(echoes "$2")
	PING_TIMEOUT=2 ns_ping "$1" 10.2.0.2
	check_fail $? "tenant a reached tenant b's 10.2.0.2"
	[ "$(echoes "$2")" -eq "$not0" ]
	check_err $? "tenant b's host got tenant a's ping"
}

# ---- DDT (lispd_ddt*.sh): lispds on one LAN, 192.0.2.0/24 ----
#
# The LAN is a bridge br0 in namespace C (192.0.2.100); each lispd NAME
# runs from $run/NAME.conf as above.

# ddt_lan_setup: C's bridge.
ddt_lan_setup() {
	bridge_add "$C" br0 && ip -n "$C" addr add 192.0.2.100/24 dev br0
}

# ddt_lan NS ADDR: NS's eth0 at ADDR on the LAN.
ddt_lan() {
	bridge_port "$C" br0 "p${2##*.}" "$1" eth0 "$2/24"
}

# ddt_node_conf NAME AUTHORITATIVE DELEGATION-LINES: a DDT node.
ddt_node_conf() {
	printf '%s\n' "roles = { ddt-node }" \
		"control-socket = \"$sock/$1.sock\"" \
		"ddt-authoritative-prefix = { \"$2\" }" "$3" >"$run/$1.conf"
}

# ddt_ms_conf NAME SITE PREFIX...: a DDT Map-Server authoritative for
# each PREFIX, all of site SITE (key "key-SITE").
ddt_ms_conf() {
	local name=$1 site=$2 p auth="" eids=""
	shift 2
	for p in "$@"; do
		auth+="${auth:+, }\"$p\""
		eids+=" eid-prefix $p {}"
	done
	printf '%s\n' "roles = { map-server }" \
		"control-socket = \"$sock/$name.sock\"" \
		"ddt-authoritative-prefix = { $auth }" \
		"site $site { key = \"key-$site\"$eids }" >"$run/$name.conf"
}

# The NAT traversal topology of lispd_nat_rtr.sh and lispd_nat_oor.sh:
#
#   HA --- X ---- NAT ==== 198.51.100.0/24 ==== R (RTR) ==== B --- HB
#   10.1.0.1 10.0.0.2 .1 (masquerade)  |        .2           .3  10.2.0.1
#                                      M .4 (map-server, map-resolver)
#
# nat_rtr_setup X: the namespaces (X, the xTR behind the NAT, named by
# the caller), the links, routes and forwarding, lisp0 on R (decap-any
# rloc-check ctrl-punt) and on B. The NAT's rule and X's data plane are
# the test's. Sets NATPUB, RTR, BPUB and MS, the public addresses.
nat_rtr_setup() {
	NATPUB=198.51.100.1 RTR=198.51.100.2 BPUB=198.51.100.3 MS=198.51.100.4
	setup_ns HA "$1" NAT R B HB M || return 1
	local x=${!1} n
	connect_ns "$HA" eth0 10.1.0.1/24 "$x" eth1 10.1.0.254/24 &&
		connect_ns "$x" eth0 10.0.0.2/24 "$NAT" in0 10.0.0.1/24 &&
		connect_ns "$B" eth1 10.2.0.254/24 "$HB" eth0 10.2.0.1/24 &&
		bridge_add "$R" br0 &&
		bridge_port "$R" br0 p0 "$NAT" out0 "$NATPUB/24" &&
		bridge_port "$R" br0 p1 "$B" eth0 "$BPUB/24" &&
		bridge_port "$R" br0 p2 "$M" eth0 "$MS/24" || return 1
	__addrs_up "$R" br0 "$RTR/24" | ip -n "$R" -b - || return 1
	ip -n "$HA" route add default via 10.1.0.254 &&
		ip -n "$HB" route add default via 10.2.0.254 &&
		ip -n "$x" route add default via 10.0.0.1 || return 1
	for n in "$x" "$NAT" "$R" "$B"; do
		in_ns "$n" sysctl -qw net.ipv4.ip_forward=1 || return 1
	done
	printf '%s\n' "link add lisp0 type lisp" "link set lisp0 up" \
		"route add 10.1.0.0/24 dev lisp0" | ip -n "$B" -b - &&
		printf '%s\n' \
		"link add lisp0 type lisp decap-any rloc-check ctrl-punt" \
		"link set lisp0 up" "route add 10.1.0.0/24 dev lisp0" \
		"route add 10.2.0.0/24 dev lisp0" | ip -n "$R" -b -
}

# nat_rtr_confs: $run/m.conf (M: sites a and b, R as its RTR),
# $run/r.conf (R) and $run/b.conf (B).
nat_rtr_confs() {
	cat >"$run/m.conf" <<EOC
roles = { map-server, map-resolver }
control-socket = "$sock/m.sock"
rtr-address = { $RTR }
site a { key = "key-a" eid-prefix 10.1.0.0/24 {} }
site b { key = "key-b" eid-prefix 10.2.0.0/24 {} }
EOC
	cat >"$run/r.conf" <<EOC
roles = { rtr }
xtr-interface = "lisp0"
control-socket = "$sock/r.sock"
map-server $MS { key = "relay-only" }
map-resolver = { $MS }
info-request-interval = 3
rtr-max-xtrs = 16
EOC
	cat >"$run/b.conf" <<EOC
roles = { itr, etr }
xtr-interface = "lisp0"
control-socket = "$sock/b.sock"
database-mapping "10.2.0.0/24" { rloc $BPUB {} }
map-server $MS { key = "key-b" }
map-resolver = { $MS }
EOC
}
