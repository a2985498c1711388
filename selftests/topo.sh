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

LISPCTL="$REPO_ROOT/tools/lispctl/lispctl"
export IP_LIB_DIR="$REPO_ROOT/tools/iproute2"

# lispctl in a namespace.
lctl() {
	local ns=$1
	shift
	in_ns "$ns" "$LISPCTL" "$@"
}

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

# lisp_stat NS DEV NAME: one counter of lispctl stats (rx-not-ours...).
lisp_stat() {
	lctl "$1" -j stats "$2" | python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d[0] if isinstance(d, list) else d
print(d["stats"][sys.argv[1].replace("-", "_")])' "$3"
}

# map_json NS EID: the map-cache entry for EID (exact prefix) as JSON.
map_json() {
	lctl "$1" -j -s map-cache show | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    if e["eid"] == sys.argv[1]:
        print(json.dumps(e))' "$2"
}

# rloc_packets NS EID RLOC: packets the entry sent to that locator.
rloc_packets() {
	map_json "$1" "$2" | python3 -c '
import json, sys
e = json.load(sys.stdin)
print(sum(r.get("packets", 0) for r in e.get("rlocs", []) if r["rloc"] == sys.argv[1]))' "$3"
}

# udp_flows NS DST COUNT: COUNT datagrams to DST:9, each from another
# source port, so each is its own flow for the locator hash.
udp_flows() {
	in_ns "$1" python3 -c '
import socket, sys
dst, n = sys.argv[1], int(sys.argv[2])
fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
for i in range(n):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.sendto(b"x" * 32, (dst, 9))
    s.close()' "$2" "$3"
}
