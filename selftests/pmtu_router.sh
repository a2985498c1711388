#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pmtu_router: path MTU learned from an underlay router (RFC 9300 section
# 7.1, stateless), through the socket's encap_err_lookup: the ICMP
# fragmentation-needed / packet-too-big that a router sends about our
# outer packet names the UDP socket of the data port, and only an error
# whose quoted packet is LISP of an instance-id we serve updates the path.
#
#   H1 -- X1 ---1500--- U ---1400--- X3 -- H3
#                       |
#         X2 ---1500----+
#
# The xTRs' own links are 1500 bytes; only U's link to X3 is 1400.  For
# both underlays and both inner families: the first DF packet too big for
# the path is lost at U (which tells X1), the next earns H1 the inner MTU
# 1364 (IPv4 underlay) or 1344 (IPv6 underlay), DF pings of that size then
# go through, and an iperf3 TCP stream completes.  Then the same through
# an away entry (X1 sends to X2, whose EID moved to X3: X2 learns the path
# and tells H1).  Then on port 4400 with the device on instance-id 7
# sharing its socket with a second device (instance-id 8): the direct
# path over an IPv4 underlay and the away path over an IPv6 one, or every
# case with PMTU_ROUTER_FULL=1 (soak_pmtu_router.sh).

source "$(dirname "$0")/lib.sh"
source "$LIB_DIR/topo.sh"

require_root
require_vm
require_cmd ip ping iperf3 jq

UMTU=1400

lisp_load_module || skip_all "cannot load lisp.ko"

# setup LINKOPTS...: the topology, each xTR's lisp0 made with LINKOPTS.
setup() {
	local x
	cleanup_all_ns
	setup_ns H1 X1 U X2 X3 H3 || return 1
	connect_ns "$H1" eth0 "10.1.0.1/24 fd01::1/64" \
		"$X1" eth1 "10.1.0.254/24 fd01::fe/64" &&
	connect_ns "$X1" eth0 "192.0.2.1/24 2001:db8:1::1/64" \
		"$U" u1 "192.0.2.254/24 2001:db8:1::fe/64" &&
	connect_ns "$X2" eth0 "198.51.100.2/24 2001:db8:2::2/64" \
		"$U" u2 "198.51.100.254/24 2001:db8:2::fe/64" &&
	connect_ns "$X3" eth0 "$(x3_addrs)" \
		"$U" u3 "203.0.113.254/24 2001:db8:3::fe/64" &&
	connect_ns "$X3" eth1 "10.3.0.254/24 fd03::fe/64" \
		"$H3" eth0 "$(h3_addrs)" || return 1
	ip -n "$U" link set u3 mtu $UMTU && ip -n "$X3" link set eth0 mtu $UMTU ||
		return 1
	ip -n "$H1" route add default via 10.1.0.254 &&
		ip -n "$H1" -6 route add default via fd01::fe &&
		ip -n "$H3" route add default via 10.3.0.254 &&
		ip -n "$H3" -6 route add default via fd03::fe || return 1
	ip -n "$X1" route add default via 192.0.2.254 &&
		ip -n "$X1" -6 route add default via 2001:db8:1::fe &&
		ip -n "$X2" route add default via 198.51.100.254 &&
		ip -n "$X2" -6 route add default via 2001:db8:2::fe &&
		ip -n "$X3" route add default via 203.0.113.254 &&
		ip -n "$X3" -6 route add default via 2001:db8:3::fe || return 1
	# Every ICMP error is sent: the test counts on each one.
	for x in "$U" "$X1" "$X2" "$X3" "$H1" "$H3"; do
		in_ns "$x" sysctl -qw net.ipv4.ip_forward=1 \
			net.ipv6.conf.all.forwarding=1 \
			net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
	done
	for x in "$X1" "$X2" "$X3"; do
		ip -n "$x" link add lisp0 type lisp "$@" &&
			ip -n "$x" link set lisp0 up || return 1
		if [ -n "$SECOND" ]; then
			ip -n "$x" link add lisp1 type lisp $SECOND &&
				ip -n "$x" link set lisp1 up || return 1
		fi
	done
	ip -n "$X1" route add 10.3.0.0/24 dev lisp0 &&
		ip -n "$X1" -6 route add fd03::/64 dev lisp0 &&
		ip -n "$X3" route add 10.1.0.0/24 dev lisp0 &&
		ip -n "$X3" -6 route add fd01::/64 dev lisp0 &&
		ip -n "$X2" route add 10.1.0.0/24 dev lisp0 &&
		ip -n "$X2" -6 route add fd01::/64 dev lisp0 || return 1
	lctl "$X1" database add lisp0 10.1.0.0/24 &&
		lctl "$X1" database add lisp0 fd01::/64 &&
		lctl "$X3" database add lisp0 10.3.0.0/24 &&
		lctl "$X3" database add lisp0 fd03::/64
}

# Every case has a destination and a locator of X3 of its own, so that
# no path MTU learned in one case is left for the next (learned MTUs live
# on the routes and the module's route cache, per destination).
NCASES=8
h3_addrs() {
	local i
	for ((i = 1; i <= NCASES; i++)); do printf '10.3.0.%d/24 fd03::%d/64 ' $i $i; done
}
x3_addrs() {
	local i
	for ((i = 1; i <= NCASES; i++)); do
		printf '203.0.113.%d/24 2001:db8:3::%d/64 ' $((10 + i)) $((10 + i))
	done
}

# rloc X 4|6 [CASE]: the xTR's underlay address (X3's of that case).
rloc() {
	case $1$2 in
	X14) echo 192.0.2.1 ;; X16) echo 2001:db8:1::1 ;;
	X24) echo 198.51.100.2 ;; X26) echo 2001:db8:2::2 ;;
	X34) echo 203.0.113.$((10 + $3)) ;; X36) echo 2001:db8:3::$((10 + $3)) ;;
	esac
}

# maps UL CASE [away]: map-cache entries over the UL underlay to X3's
# locator of CASE; with "away" X1 sends H3's site to X2, which has away
# entries for the case's destinations to that locator.
maps() {
	local ul=$1 i=$2 via=X3 e
	[ "${3:-}" = away ] && via=X2
	for e in 10.3.0.0/24 fd03::/64; do
		lctl "$X1" map-cache replace lisp0 $e rloc "$(rloc $via "$ul" "$i")" ||
			return 1
	done
	# H3 "moved" from X2's site: away entries are host routes.
	if [ $via = X2 ]; then
		for e in 10.3.0.$i/32 fd03::$i/128; do
			lctl "$X2" map-cache replace lisp0 $e rloc "$(rloc X3 "$ul" "$i")" away ||
				return 1
		done
	fi
	for e in 10.1.0.0/24 fd01::/64; do
		lctl "$X3" map-cache replace lisp0 $e rloc "$(rloc X1 "$ul")" &&
			lctl "$X2" map-cache replace lisp0 $e rloc "$(rloc X1 "$ul")" ||
			return 1
	done
}

# h1_mtu DST: the path MTU H1 has learned for DST ("" when none).
h1_mtu() {
	ip -n "$H1" route get "$1" 2>/dev/null |
		awk '{ for (i = 1; i < NF; i++) if ($i == "mtu") print $(i + 1) }'
}

# df_ping DST SIZE [COUNT]: DF pings of SIZE bytes (IP total) from H1.
df_ping() {
	local dst=$1 size=$2 hdr=28
	case $dst in *:*) hdr=48 ;; esac
	in_ns "$H1" ping -M do -c "${3:-1}" -i 0.2 -W 2 -s $((size - hdr)) "$dst" \
		>/dev/null 2>&1
}

# learned DST MTU: one more DF ping that does not fit, then H1 knows MTU.
learned() {
	df_ping "$1" $UMTU
	[ "$(h1_mtu "$1")" = "$2" ]
}

# icmp_in_errors NS 4|6: ICMP errors NS received that nobody claimed.
icmp_in_errors() {
	if [ "$2" = 4 ]; then
		in_ns "$1" awk '$1 == "Icmp:" { if (!h++) { for (i = 2; i <= NF; i++) if ($i == "InErrors") c = i; next } print $c }' /proc/net/snmp
	else
		in_ns "$1" awk '$1 == "Icmp6InErrors" { print $2 }' /proc/net/snmp6
	fi
}

# pmtu_case UL INNER_DST LEARNER WHAT: the checks for one underlay and
# inner family; LEARNER is the xTR whose packets U refuses.
pmtu_case() {
	local ul=$1 dst=$2 ns=$3 what=$4 mtu out bits icmp0 err0 n
	if [ "$ul" = 4 ]; then mtu=$((UMTU - 36)); else mtu=$((UMTU - 56)); fi

	RET=0
	# Neighbours and a small packet first: only size can fail below.
	wait_for 10 ns_ping "$H1" "$dst"
	check_err $? "no ping to $dst at all"
	icmp0=$(lisp_stat "$ns" lisp0 rx-icmp-err)
	err0=$(icmp_in_errors "$ns" "$ul")
	wait_for 10 learned "$dst" $mtu
	check_err $? "H1 has path MTU '$(h1_mtu "$dst")' to $dst, want $mtu"
	n=$(( $(lisp_stat "$ns" lisp0 rx-icmp-err) - icmp0 ))
	[ "$n" -ge 1 ]
	check_err $? "the learning xTR's lisp0 counted $n ICMP errors (rx-icmp-err)"
	check_eq "$(icmp_in_errors "$ns" "$ul")" "$err0" "ICMP errors left unclaimed (InErrors) on the learning xTR"
	df_ping "$dst" "$mtu" 3
	check_err $? "DF pings of $mtu bytes to $dst lost"
	df_ping "$dst" $((mtu + 1))
	check_fail $? "a DF ping of $((mtu + 1)) bytes went through"
	log_test "$what, IPv$ul underlay, to $dst: H1 learns MTU $mtu, DF pings of that size pass"

	RET=0
	iperf3_server "$H3"
	check_err $? "iperf3 server on H3"
	out=$(in_ns "$H1" iperf3 -c "$dst" -n 4M -J 2>&1)
	check_err $? "iperf3 to $dst failed: $(tail -n 3 <<<"$out")"
	bits=$(jq -r '.end.sum_received.bytes // 0' <<<"$out" 2>/dev/null)
	[ "${bits:-0}" -gt 0 ]
	check_err $? "iperf3 received ${bits:-0} bytes"
	wait "$IPERF3_PID" 2>/dev/null
	log_test "$what, IPv$ul underlay, to $dst: TCP completes ($bits bytes)"
}

# one UL CASE DST LEARNER WHAT [away]
one() {
	case " $ONLY " in "  "|*" $1$2 "*) ;; *) return ;; esac
	maps "$1" "$2" "${6:-}" || { tap_not_ok "$5: map-cache for case $2"; return; }
	pmtu_case "$1" "$3" "$4" "$5"
}

run_all() {
	local what=$1 ul i=0
	shift
	setup "$@" || { tap_not_ok "$what: topology"; return; }
	for ul in 4 6; do
		one $ul $((++i)) 10.3.0.$i "$X1" "$what"
		one $ul $((++i)) fd03::$i "$X1" "$what"
		one $ul $((++i)) 10.3.0.$i "$X2" "$what, away path" away
		one $ul $((++i)) fd03::$i "$X2" "$what, away path" away
	done
}

SECOND=
ONLY=
run_all "port 4341"
SECOND="iid 8 port 4400"
# UL and case number: IPv4 underlay direct to IPv4 and IPv6 EIDs, IPv6
# underlay through the away entry.
ONLY="41 42 67 68"
[ "${PMTU_ROUTER_FULL:-0}" = 1 ] && ONLY=
run_all "port 4400, iid 7 beside iid 8" iid 7 port 4400

tap_done
