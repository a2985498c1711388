#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# malformed: what X1's lisp0 does with crafted datagrams sent to its data
# port from the underlay (from X2's namespace, with a plain UDP socket).
# Each kind of bad packet must be dropped, counted under its own reason
# by exactly the number sent, and never reach H1; well-formed crafted
# packets (the positive controls) must reach H1.  Also: a frame that is
# not IP sent into lisp0 through a packet socket counts tx-bad-proto.
#
# H1's view is its ICMP counters: every inner packet is an echo request
# for H1, so Icmp InEchos / Icmp6InEchos count what was delivered.

source "$(dirname "$0")/lib.sh"
source "$LIB_DIR/topo.sh"

require_root
require_vm
require_cmd ip python3 tcpdump

CRAFT="$LIB_DIR/tools/lisp_craft.py"
N=3

declare -A S0 S1

# snap ARRAY: X1's lisp0 counters (lispctl stats, plus rx/tx_dropped of
# the netdevice) and H1's echo-request counters.  Only lispctl is an
# exec: the rest is read from /proc/PID/net of a process in X1 and one
# in H1 (this runs three times a case, and execs are costly under TCG).
snap() {
	local -n a=$1
	local k v rest names i px ph f
	local -a n x
	a=()
	ns_pid px "$X1" && ns_pid ph "$H1" || return 1
	while read -r k v rest; do
		[ -z "$rest" ] && [[ $v =~ ^[0-9]+$ ]] && a[$k]=$v
	done < <(lctl "$X1" stats lisp0)
	# dev: "lisp0: rx-bytes packets errs drop fifo frame compressed
	# multicast tx-bytes packets errs drop ..."
	while IFS= read -r rest; do
		[[ $rest =~ ^\ *lisp0: ]] || continue
		read -r -a x <<<"${rest#*:}"
		a[rx_dropped]=${x[3]}
		a[tx_dropped]=${x[11]}
	done </proc/$px/net/dev
	# snmp: an "Icmp:" line of names, then one of values.
	names=
	for f in snmp snmp6; do
		while read -r k rest; do
			case $k in
			Icmp:)
				if [ -z "$names" ]; then
					names=$rest
					continue
				fi
				read -r -a n <<<"$names"
				read -r -a x <<<"$rest"
				for i in "${!n[@]}"; do
					[ "${n[i]}" = InEchos ] && a[h1-echo4]=${x[i]}
				done ;;
			Icmp6InEchos) a[h1-echo6]=$rest ;;
			esac
		done </proc/$ph/net/$f
	done
}

# delta NAME: S1[NAME] - S0[NAME]
delta() {
	echo $(( ${S1[$1]:-0} - ${S0[$1]:-0} ))
}

# counter_is NAME N: the counter moved by N since S0 (for wait_for).
counter_is() {
	snap S1
	[ "$(delta "$1")" -ge "$2" ]
}

# expect_only NAME N [ALSO...]: NAME moved by exactly N, and no other
# rx counter moved except the ones named in ALSO (e.g. rx_dropped).  (tx
# counters are left alone: lisp0's own IPv6 multicast - MLD, router
# solicitations - counts tx-no-route now and then.)
expect_only() {
	local name=$1 n=$2 k
	shift 2
	check_eq "$(delta "$name")" "$n" "$name"
	for k in "${!S1[@]}"; do
		[ "$k" = "$name" ] && continue
		case $k in rx*|h1-*) ;; *) continue ;; esac
		case " $* " in *" $k "*) continue ;; esac
		[ "$(delta "$k")" = 0 ] || check_err 1 "$k moved by $(delta "$k")"
	done
}

# craft RLOC ARGS...: send from X2's namespace, through one lisp_craft.py
# that serves the whole test (started by craft_start).
craft() {
	local reply

	echo "udp $*" >&"${CRAFTD[1]}" && read -r -t 30 reply <&"${CRAFTD[0]}" ||
		reply="error: lisp_craft.py serve did not answer"
	[ "$reply" = ok ] && return 0
	echo "craft $*: $reply" >&2
	return 1
}

craft_start() {
	coproc CRAFTD { in_ns "$X2" $PY "$CRAFT" serve; }
	defer kill "$CRAFTD_PID"
}

# drop_case DESC COUNTER RLOC CRAFT-ARGS...: send N bad packets, expect
# COUNTER +N, nothing else but rx_dropped (when the drop is the device's),
# nothing at H1.
drop_case() {
	local desc=$1 counter=$2 rloc=$3 also=
	shift 3
	RET=0
	case $counter in
	rx-bad-inner|rx-not-ours|rx-ecn-drop) also=rx_dropped ;;
	esac
	snap S0
	craft "$rloc" --count $N "$@"
	check_err $? "sending failed"
	wait_for 5 counter_is "$counter" $N
	sleep 0.3
	snap S1
	expect_only "$counter" $N $also
	[ -n "$also" ] && check_eq "$(delta rx_dropped)" $N "lisp0 rx_dropped"
	check_eq "$(delta h1-echo4)" 0 "echo requests delivered to H1 (IPv4)"
	check_eq "$(delta h1-echo6)" 0 "echo requests delivered to H1 (IPv6)"
	log_test "$desc: $counter +$N, nothing delivered"
}

# pass_case DESC FAMILY(4|6) RLOC CRAFT-ARGS...: N good packets reach H1.
pass_case() {
	local desc=$1 fam=$2 rloc=$3
	shift 3
	RET=0
	snap S0
	craft "$rloc" --count $N "$@"
	check_err $? "sending failed"
	wait_for 5 counter_is h1-echo$fam $N
	sleep 0.3
	snap S1
	check_eq "$(delta h1-echo$fam)" $N "echo requests H1 received"
	check_eq "$(delta rx-packets)" $N "lisp0 rx-packets"
	check_eq "$(delta rx_dropped)" 0 "lisp0 rx_dropped"
	for k in rx-truncated rx-bad-flags rx-encrypted rx-unknown-iid \
		 rx-bad-inner rx-not-ours rx-ecn-drop rx-nomem; do
		check_eq "$(delta $k)" 0 "$k"
	done
	log_test "$desc"
}

lisp_load_module || skip_all "cannot load lisp.ko"

RET=0
topo_setup
check_err $? "topo_setup failed"
topo_map 4
check_err $? "topo_map failed"
craft_start
ns_ping "$H1" 10.2.0.1
check_err $? "H1 cannot ping H2 through the tunnel"
log_test "topology up, H1 pings H2"

R4=192.0.2.1
R6=2001:db8::1

# --- positive controls --------------------------------------------------

pass_case "valid header (N, nonce), inner ICMP echo to H1 is delivered" 4 $R4 \
	--flags 0x80 --inner icmp4
pass_case "valid header, inner ICMPv6 echo to H1 is delivered" 6 $R4 \
	--flags 0x80 --inner icmp6
pass_case "I bit clear (L bit, LSBs look like iid 777) maps to instance-id 0" 4 $R4 \
	--flags 0xc0 --w2 $(((777 << 8) | 1)) --inner icmp4
pass_case "I bit set with instance-id 0 is delivered to the iid 0 device" 4 $R4 \
	--flags 0x88 --w2 0 --inner icmp4
pass_case "no flags at all (no nonce) is delivered" 4 $R4 \
	--flags 0x00 --w1 0 --inner icmp4
pass_case "outer CE over inner ECT(0) is delivered" 4 $R4 \
	--outer-tos 0x03 --tos 0x02 --inner icmp4

# --- bad packets --------------------------------------------------------

drop_case "4-byte datagram (shorter than the LISP header)" rx-truncated $R4 \
	--inner none --truncate 4
drop_case "empty datagram" rx-truncated $R4 --inner none --truncate 0
drop_case "N and V bits both set" rx-bad-flags $R4 --flags 0x90
drop_case "KK bits 01 (LISP-crypto)" rx-encrypted $R4 --flags 0x81
drop_case "KK bits 11 (LISP-crypto)" rx-encrypted $R4 --flags 0x83
drop_case "instance-id 777 that no device has" rx-unknown-iid $R4 \
	--flags 0x88 --w2 $((777 << 8))
drop_case "inner version nibble 5" rx-bad-inner $R4 --inner ver5
drop_case "inner IPv4 header cut to 12 bytes" rx-bad-inner $R4 --inner trunc4
drop_case "inner IPv4 destination 10.9.9.9 outside the database" rx-not-ours $R4 \
	--inner icmp4 --eid 10.9.9.9
drop_case "inner IPv6 destination fd09::1 outside the database" rx-not-ours $R4 \
	--inner icmp6 --eid fd09::1
drop_case "outer CE, inner Not-ECT (RFC 6040)" rx-ecn-drop $R4 \
	--outer-tos 0x03 --tos 0x00 --inner icmp4
drop_case "outer CE, inner Not-ECT IPv6 (RFC 6040)" rx-ecn-drop $R4 \
	--outer-tos 0x03 --tos 0x00 --inner icmp6

# --- the same over an IPv6 underlay --------------------------------------

pass_case "IPv6 underlay: valid header, inner ICMP echo is delivered" 4 $R6 \
	--flags 0x80 --inner icmp4
drop_case "IPv6 underlay: 4-byte datagram" rx-truncated $R6 --inner none --truncate 4
drop_case "IPv6 underlay: N and V bits both set" rx-bad-flags $R6 --flags 0x90
drop_case "IPv6 underlay: instance-id 777" rx-unknown-iid $R6 \
	--flags 0x88 --w2 $((777 << 8))
drop_case "IPv6 underlay: outer CE, inner Not-ECT" rx-ecn-drop $R6 \
	--outer-tos 0x03 --tos 0x00 --inner icmp4

# --- CE is carried into the inner header ---------------------------------

RET=0
ceerr=$(mktemp -p "$REPO_ROOT/build")
defer rm -f "$ceerr"
in_ns "$H1" timeout 60 tcpdump -ni eth0 -c $N -w /dev/null \
	'icmp[icmptype] = icmp-echo and (ip[1] & 3) = 3' 2>"$ceerr" &
tcpd=$!
tcpdump_ready "$ceerr"
craft $R4 --count $N --outer-tos 0x03 --tos 0x01 --inner icmp4
wait $tcpd
check_err $? "H1 did not see $N echo requests marked CE"
log_test "outer CE over inner ECT(1): H1 receives the packet marked CE"

# --- tx: not IP into lisp0 -------------------------------------------------

RET=0
snap S0
in_ns "$X1" $PY "$CRAFT" pkt lisp0 --count $N --proto 0x0806 --inner arp
check_err $? "packet socket send failed"
wait_for 5 counter_is tx-bad-proto $N
snap S1
expect_only tx-bad-proto $N
check_eq "$(delta tx-packets)" 0 "lisp0 tx-packets"
check_eq "$(( $(delta tx_dropped) - $(delta tx-no-route) ))" $N \
	"lisp0 tx_dropped (less tx-no-route)"
log_test "ARP frame sent into lisp0 by a packet socket: tx-bad-proto +$N"

RET=0
snap S0
in_ns "$X1" $PY "$CRAFT" pkt lisp0 --count $N --proto 0x0800 --inner trunc4
check_err $? "packet socket send failed"
wait_for 5 counter_is tx-bad-proto $N
snap S1
expect_only tx-bad-proto $N
check_eq "$(delta tx-packets)" 0 "lisp0 tx-packets"
log_test "12-byte IPv4 header sent into lisp0: tx-bad-proto +$N"

# --- decapsulation policy: an empty database is not an open relay ---------

RET=0
lctl "$X1" database del lisp0 10.1.0.0/24 &&
	lctl "$X1" database del lisp0 fd01::/64
check_err $? "database del"
[ -z "$(lctl "$X1" database show lisp0)" ]
check_err $? "X1's database is not empty: $(lctl "$X1" database show lisp0)"
ip -n "$X1" -d link show lisp0 | grep -q " nopetr nodecap-any"
check_err $? "lisp0 is not nopetr nodecap-any by default: $(ip -n "$X1" -d link show lisp0)"
log_test "X1's lisp0 with an empty database, neither petr nor decap-any"

drop_case "empty database: spoofed inner source 203.0.113.5 to H1" rx-not-ours $R4 \
	--inner icmp4 --src 203.0.113.5
drop_case "empty database: inner IPv6 to H1" rx-not-ours $R4 --inner icmp6
drop_case "empty database, IPv6 underlay: inner IPv4 to H1" rx-not-ours $R6 \
	--inner icmp4

RET=0
ip -n "$X1" link set lisp0 type lisp decap-any
check_err $? "ip link set lisp0 type lisp decap-any"
ip -n "$X1" -d link show lisp0 | grep -q " nopetr decap-any"
check_err $? "ip -d link show lacks decap-any: $(ip -n "$X1" -d link show lisp0)"
log_test "decap-any set at runtime and shown by ip -d link show"
pass_case "empty database, decap-any: inner IPv4 is delivered" 4 $R4 --inner icmp4
pass_case "empty database, decap-any: inner IPv6 is delivered" 6 $R4 --inner icmp6
lctl "$X1" database add lisp0 10.9.0.0/24
pass_case "decap-any with a database that does not cover the destination" 4 $R4 \
	--inner icmp4

ip -n "$X1" link set lisp0 type lisp nodecap-any
drop_case "database 10.9.0.0/24 only: inner IPv4 to H1" rx-not-ours $R4 --inner icmp4
lctl "$X1" database del lisp0 10.9.0.0/24

ip -n "$X1" link set lisp0 type lisp petr
pass_case "empty database, petr: inner IPv4 is delivered" 4 $R4 --inner icmp4

ip -n "$X1" link set lisp0 type lisp nopetr
drop_case "petr off again: inner IPv4 to H1" rx-not-ours $R4 --inner icmp4
lctl "$X1" database add lisp0 10.1.0.0/24 &&
	lctl "$X1" database add lisp0 fd01::/64

RET=0
ns_ping "$H1" 10.2.0.1
check_err $? "IPv4"
ns_ping "$H1" fd02::1
check_err $? "IPv6"
log_test "the tunnel still works afterwards"

tap_done
