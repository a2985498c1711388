#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Dynamic EIDs: a first-hop router R detects the hosts of its LAN that
# talk to it, and only those, on a LAN stretched to another data centre.
#
#   H1 (10.1.0.11)  H2 (10.1.0.12)  H5 (10.1.0.15)
#        \              |              /
#         +--------- S (bridge) ------+---- dci ==== D (bridge) ---- H3
#                       |                                     (10.1.0.13)
#                 R r-lan 10.1.0.1 / fd01::1
#                 R r-wan 10.4.0.1 ---- H4 10.4.0.2, 10.1.0.99/32
#
# The DCI port of S drops frames from or to R's MAC and ARP from or for
# R's address in both directions: OTV with FHRP isolation.  R runs the
# policy "lan" (10.1.0.0/24 and fd01::/64 as "lan6", dev r-lan, iid 7);
# no lisp device exists at all.

source "$(dirname "$0")/lib.sh"

RAW="$LIB_DIR/tools/genl_raw.py"
FRAMES="$LIB_DIR/tools/dyn_frames.py"

require_root
require_vm
require_cmd ip ping tc python3 bridge
lisp_load_module || skip_all "cannot load lisp.ko"

# ---------------------------------------------------------------------------
# Topology

setup_ns R S D H1 H2 H3 H4 H5 || { tap_not_ok "namespaces"; tap_done; }

topo() {
	bridge_add "$S" br0 && bridge_add "$D" br0 &&
	bridge_port "$S" br0 s-r "$R" r-lan "10.1.0.1/24 fd01::1/64" &&
	bridge_port "$S" br0 s-h1 "$H1" eth0 "10.1.0.11/24 fd01::11/64" &&
	bridge_port "$S" br0 s-h2 "$H2" eth0 "10.1.0.12/24 fd01::12/64" &&
	bridge_port "$S" br0 s-h5 "$H5" eth0 "10.1.0.15/24" &&
	bridge_port "$D" br0 d-h3 "$H3" eth0 "10.1.0.13/24" &&
	ip link add s-dci netns "$S" type veth peer name d-dci netns "$D" &&
	ip -n "$S" link set s-dci master br0 && ip -n "$S" link set s-dci up &&
	ip -n "$D" link set d-dci master br0 && ip -n "$D" link set d-dci up &&
	connect_ns "$R" r-wan "10.4.0.1/24" "$H4" eth0 "10.4.0.2/24" &&
	ip -n "$H4" addr add 10.1.0.99/32 dev eth0 &&
	ip -n "$H4" route add default via 10.4.0.1 &&
	ip -n "$R" route add 10.1.0.99/32 dev r-wan &&
	in_ns "$R" sysctl -qw net.ipv4.ip_forward=1 &&
	for h in "$H1" "$H2" "$H3" "$H5"; do
		ip -n "$h" route add default via 10.1.0.1 || return 1
	done
}

# OTV-style FHRP isolation on the DCI port, both directions.
dci_filter() {
	local dir
	tc -n "$S" qdisc add dev s-dci clsact || return 1
	for dir in ingress egress; do
		tc -n "$S" filter add dev s-dci "$dir" protocol all pref 1 \
			flower src_mac "$RMAC" action drop &&
		tc -n "$S" filter add dev s-dci "$dir" protocol all pref 2 \
			flower dst_mac "$RMAC" action drop &&
		tc -n "$S" filter add dev s-dci "$dir" protocol arp pref 3 \
			flower arp_sip 10.1.0.1 action drop &&
		tc -n "$S" filter add dev s-dci "$dir" protocol arp pref 4 \
			flower arp_tip 10.1.0.1 action drop || return 1
	done
}

RET=0
topo
check_err $? "topology"
RMAC=$(in_ns "$R" cat /sys/class/net/r-lan/address)
H1MAC=$(in_ns "$H1" cat /sys/class/net/eth0/address)
H2MAC=$(in_ns "$H2" cat /sys/class/net/eth0/address)
H5MAC=$(in_ns "$H5" cat /sys/class/net/eth0/address)
dci_filter
check_err $? "tc flower filter on the DCI port"
# Across the DCI, H3 reaches H1 but not R.
ns_ping "$H3" 10.1.0.11
check_err $? "H3 cannot reach H1 across the DCI"
ns_ping "$H3" 10.1.0.1
check_fail $? "H3 reaches R: the DCI filter does not work"
log_test "topology: stretched LAN, DCI isolates the gateway"

events=$(mktemp -p "$REPO_ROOT/build")
defer rm -f "$events"
monitor_start "$R" "$events" -j ||
	{ tap_not_ok "lispctl monitor on R did not start"; tap_done; }

# count_events EVENT EID: lines of the monitor for that host.
count_events() {
	grep -c "\"event\":\"eid-$1\".*\"eid\":\"$2\"" "$events"
}

# host_line EID: the host's line of "host show", empty when unknown.
host_line() {
	lctl "$R" host show | awk -v e="$1" '$1 == e'
}

# counter POLICY NAME: one number of "dyn show POLICY".
counter() {
	lctl "$R" dyn show "$1" |
		awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'
}

# events_are EVENT EID N: the monitor printed exactly N such events.
events_are() {
	[ "$(count_events "$1" "$2")" -eq "$3" ]
}

# counter_above POLICY NAME VALUE
counter_above() {
	[ "$(counter "$1" "$2")" -gt "$3" ]
}

# ---------------------------------------------------------------------------
# Policies

RET=0
lctl "$R" dyn add lan prefix 10.1.0.0/24 iid 7 dev r-lan
check_err $? "dyn add lan"
lctl "$R" dyn add lan6 prefix fd01::/64 iid 7 dev r-lan timeout 300
check_err $? "dyn add lan6"
out=$(lctl "$R" dyn show)
grep -q "^lan prefix 10.1.0.0/24 iid 7 dev r-lan timeout 300" <<<"$out"
check_err $? "dyn show: $out"
grep -q "^lan6 prefix fd01::/64 iid 7 dev r-lan timeout 300" <<<"$out"
check_err $? "dyn show lacks lan6: $out"
lctl "$R" -j dyn show | grep -q '"name":"lan","prefix":"10.1.0.0/24","iid":7,"devs":\["r-lan"\]'
check_err $? "dyn show -j: $(lctl "$R" -j dyn show)"
log_test "dyn add / dyn show (no lisp device needed)"

# ---------------------------------------------------------------------------
# Routed traffic: one event, however many packets.

RET=0
# H1 knows R's MAC already, so only routed packets can reveal it.
ip -n "$H1" neigh replace 10.1.0.1 lladdr "$RMAC" dev eth0 nud permanent
in_ns "$H1" ping -q -c 20 -i 0.05 -W 2 10.4.0.2 >/dev/null
check_err $? "H1 cannot ping H4 through R"
wait_for 5 grep -q '"eid":"10.1.0.11"' "$events"
check_err $? "no EID_DETECTED for H1"
in_ns "$H1" ping -q -c 10 -i 0.05 -W 2 10.4.0.2 >/dev/null
sleep 0.5
n=$(count_events detected 10.1.0.11)
check_eq "$n" 1 "EID_DETECTED events for H1 after 30 packets"
line=$(grep '"eid-detected".*"10.1.0.11"' "$events" | head -n1)
for kv in '"policy":"lan"' '"iid":7' "\"mac\":\"$H1MAC\"" '"dev":"r-lan"' \
	  '"detect":"routed"'; do
	grep -qF "$kv" <<<"$line"
	check_err $? "event lacks $kv: $line"
done
host_line 10.1.0.11 | grep -q "policy lan iid 7 mac $H1MAC dev r-lan detect routed age"
check_err $? "host show: $(lctl "$R" host show)"
lctl "$R" -j host show | grep -q '"eid":"10.1.0.11".*"idle_ms":'
check_err $? "host show -j: $(lctl "$R" -j host show)"
log_test "routed traffic from H1: one EID_DETECTED (routed), whatever the packet count"

# ---------------------------------------------------------------------------
# The other data centre: H3's traffic crosses the LAN, its announcements
# reach R, but R's probes never reach it.

RET=0
probes0=$(counter lan probes)
ignored0=$(counter lan ignored)
ip -n "$S" neigh flush all 2>/dev/null
in_ns "$H3" ping -q -c 5 -i 0.1 -W 2 10.1.0.11 >/dev/null
check_err $? "H3 cannot ping H1"
in_ns "$H3" $PY "$FRAMES" garp eth0 10.1.0.13
check_err $? "sending H3's gratuitous ARP"
# Three probes a second apart, then the candidate is dropped.
slowwait 10 counter_above lan ignored "$ignored0"
check_err $? "IGNORED did not move ($(counter lan ignored))"
probes1=$(counter lan probes)
[ "$probes1" -ge $((probes0 + 3)) ]
check_err $? "probes moved from $probes0 to $probes1, want +3"
check_eq "$(count_events detected 10.1.0.13)" 0 "EID_DETECTED for H3"
check_eq "$(host_line 10.1.0.13)" "" "H3 in host show"
log_test "H3 at the other site: traffic and gratuitous ARP do not detect it (probes $probes0->$probes1, ignored +1)"

# ---------------------------------------------------------------------------
# Announcements of local hosts are confirmed by a probe.

RET=0
probes0=$(counter lan probes)
in_ns "$H2" $PY "$FRAMES" garp eth0 10.1.0.12
check_err $? "sending H2's gratuitous ARP"
wait_for 5 grep -q '"eid-detected".*"eid":"10.1.0.12"' "$events"
check_err $? "no EID_DETECTED for H2 after its gratuitous ARP"
grep '"eid-detected".*"10.1.0.12"' "$events" | grep -q '"detect":"arp"'
check_err $? "H2 not detected by ARP: $(grep 10.1.0.12 "$events")"
host_line 10.1.0.12 | grep -q "policy lan iid 7 mac $H2MAC dev r-lan detect arp"
check_err $? "host show: $(host_line 10.1.0.12)"
# Answered at once: the first probe did it (a second would be 1 s later).
sleep 1.5
probes=$(($(counter lan probes) - probes0))
check_eq "$probes" 1 "probes sent to detect H2"
log_test "H2's gratuitous ARP: probed, detected by its reply to the first probe"

RET=0
# R knows H5's MAC (a static neighbour); H5 announces only its MAC.
ip -n "$R" neigh replace 10.1.0.15 lladdr "$H5MAC" dev r-lan nud permanent
in_ns "$H5" $PY "$FRAMES" rarp eth0
check_err $? "sending H5's RARP"
wait_for 5 grep -q '"eid-detected".*"eid":"10.1.0.15"' "$events"
check_err $? "no EID_DETECTED for H5 after its RARP"
host_line 10.1.0.15 | grep -q "mac $H5MAC dev r-lan detect arp"
check_err $? "host show: $(host_line 10.1.0.15)"
log_test "RARP from H5, whose MAC R knows: probed and detected"

# ---------------------------------------------------------------------------
# IPv6

RET=0
in_ns "$H1" $PY "$FRAMES" ns eth0 fd01::11 fd01::1
check_err $? "sending H1's NS"
wait_for 5 grep -q '"eid-detected".*"eid":"fd01::11"' "$events"
check_err $? "no EID_DETECTED for fd01::11"
host_line fd01::11 | grep -q "policy lan6 iid 7 mac $H1MAC dev r-lan detect nd"
check_err $? "host show: $(host_line fd01::11)"
log_test "IPv6: a neighbour solicitation for R's address detects H1 (nd)"

RET=0
in_ns "$H2" $PY "$FRAMES" una eth0 fd01::12
check_err $? "sending H2's unsolicited NA"
wait_for 5 grep -q '"eid-detected".*"eid":"fd01::12"' "$events"
check_err $? "no EID_DETECTED for fd01::12 after its unsolicited NA"
host_line fd01::12 | grep -q "detect nd"
check_err $? "host show: $(host_line fd01::12)"
log_test "IPv6: an unsolicited NA is probed with a unicast NS; the NA reply detects"

# ---------------------------------------------------------------------------
# Hosts that must never be detected.

RET=0
# Inside the prefix, but behind R's other interface.
in_ns "$H4" ping -q -c 3 -i 0.1 -W 2 -I 10.1.0.99 10.4.0.1 >/dev/null
check_err $? "H4 cannot ping R from 10.1.0.99"
# On the policy interface, but outside the prefix.
ip -n "$H1" addr add 10.2.0.5/32 dev eth0
in_ns "$H1" ping -q -c 3 -i 0.1 -W 1 -I 10.2.0.5 10.4.0.2 >/dev/null
sleep 0.5
check_eq "$(count_events detected 10.1.0.99)" 0 "events for 10.1.0.99"
check_eq "$(count_events detected 10.2.0.5)" 0 "events for 10.2.0.5"
check_eq "$(host_line 10.1.0.99)$(host_line 10.2.0.5)" "" "host show"
log_test "outside the prefix, or on a non-policy interface: never detected"

# ---------------------------------------------------------------------------
# Bad requests change nothing and say why.

RET=0
before=$(lctl "$R" -j dyn show)
lanidx=$(in_ns "$R" cat /sys/class/net/r-lan/ifindex)
many=$(seq -s, 1 17)
bad() {		# bad EXPECTED-TEXT genl_raw ARGS...
	local want=$1 out
	shift
	out=$(in_ns "$R" $PY "$RAW" "$@" 2>&1)
	if [ $? -eq 0 ] || ! grep -qF "$want" <<<"$out"; then
		check_err 1 "$* -> '$out', want '$want'"
	fi
}
bad "missing policy name" dyn_add eid_inet=10.9.0.0 eid_plen=16 \
	dyn_ifindexes="$lanidx"
bad "policy name longer than 31 characters" dyn_add \
	dyn_name=abcdefghijklmnopqrstuvwxyz0123456 eid_inet=10.9.0.0 \
	eid_plen=16 dyn_ifindexes="$lanidx"
bad "prefix length longer than the address" dyn_add dyn_name=x \
	eid_inet=10.9.0.0 eid_plen=33 dyn_ifindexes="$lanidx"
bad "address has bits set past the prefix length" dyn_add dyn_name=x \
	eid_inet=10.9.0.1 eid_plen=16 dyn_ifindexes="$lanidx"
bad "no such interface" dyn_add dyn_name=x eid_inet=10.9.0.0 \
	eid_plen=16 dyn_ifindexes=4242
bad "more than 16 interfaces" dyn_add dyn_name=x eid_inet=10.9.0.0 \
	eid_plen=16 dyn_ifindexes="$many"
bad "timeout must be 1..86400 seconds" dyn_add dyn_name=lan \
	eid_inet=10.1.0.0 eid_plen=24 dyn_ifindexes="$lanidx" dyn_timeout=0
bad "no interfaces" dyn_add dyn_name=x eid_inet=10.9.0.0 eid_plen=16
bad "no such dynamic-EID policy" dyn_del dyn_name=nope
bad "no such host in the policy" host_del dyn_name=lan eid_inet=10.1.0.77
bad "no such dynamic-EID policy" host_del dyn_name=nope eid_inet=10.1.0.11
# lispctl shows the kernel's reason.
out=$(lctl "$R" dyn add lan prefix 10.1.0.0/24 dev r-lan timeout 0 2>&1)
check_fail $? "lispctl accepted timeout 0"
grep -q "Error: timeout must be 1..86400 seconds (EINVAL)" <<<"$out"
check_err $? "lispctl: $out"
after=$(lctl "$R" -j dyn show)
check_eq "$after" "$before" "policies changed by refused requests"
log_test "bad requests refused with their extack reason, nothing changed"

RET=0
# An unprivileged user may look but not change.
out=$(in_ns "$R" setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$LISPCTL" dyn del lan 2>&1)
check_fail $? "nobody deleted a policy"
grep -q EPERM <<<"$out"
check_err $? "unprivileged dyn del: $out"
log_test "dyn del needs CAP_NET_ADMIN"

# ---------------------------------------------------------------------------
# Silence: probed, then EID_GONE.

RET=0
lctl "$R" dyn add lan prefix 10.1.0.0/24 iid 7 dev r-lan timeout 2
check_err $? "dyn add lan timeout 2 (replace)"
host_line 10.1.0.11 | grep -q "policy lan"
check_err $? "replacing the policy dropped H1"
# H2 vanishes without a word; H1 stays and answers the probes.
ip -n "$H2" addr del 10.1.0.12/24 dev eth0
slowwait 15 grep -q '"eid-gone".*"eid":"10.1.0.12"' "$events"
check_err $? "no EID_GONE for H2; hosts: $(lctl "$R" host show 2>&1); policies: $(lctl "$R" dyn show 2>&1); last events: $(tail -n 3 "$events")"
idle=$(grep '"eid-gone".*"10.1.0.12"' "$events" | head -n1 |
	sed -n 's/.*"idle_ms":\([0-9]*\).*/\1/p')
[ -n "$idle" ] && [ "$idle" -ge 2000 ]
check_err $? "EID_GONE idle_ms '$idle', want >= 2000"
check_eq "$(host_line 10.1.0.12)" "" "H2 still in host show"
sleep 4
check_eq "$(count_events gone 10.1.0.11)" 0 "EID_GONE for H1, which answers probes"
host_line 10.1.0.11 | grep -q "policy lan"
check_err $? "H1 dropped although it answers: $(lctl "$R" host show)"
[ "$(counter lan gone)" -ge 1 ]
check_err $? "gone counter $(counter lan gone)"
log_test "silent host probed, then EID_GONE (idle ${idle} ms); a host that answers stays"

# ---------------------------------------------------------------------------
# HOST_DEL: the host moved away; it is detected again when it talks to us.

RET=0
# Back to a long timeout: no probe reply may detect H1 in the meantime.
lctl "$R" dyn add lan prefix 10.1.0.0/24 iid 7 dev r-lan
check_err $? "dyn add lan (replace, timeout 300)"
sleep 1
lctl "$R" host del lan 10.1.0.11
check_err $? "host del"
check_eq "$(host_line 10.1.0.11)" "" "H1 still in host show"
out=$(lctl "$R" host del lan 10.1.0.11 2>&1)
check_fail $? "deleting H1 twice"
grep -q "no such host in the policy" <<<"$out"
check_err $? "host del twice: $out"
in_ns "$H1" ping -q -c 3 -i 0.1 -W 2 10.4.0.2 >/dev/null
wait_for 5 events_are detected 10.1.0.11 2
check_err $? "H1 not detected again ($(count_events detected 10.1.0.11) events)"
host_line 10.1.0.11 | grep -q "detect routed"
check_err $? "host show: $(host_line 10.1.0.11)"
log_test "host del forgets H1; its next packet detects it again"

# recheck (what lispd asks when told a host moved away): H5, silent but
# still here, answers the probe and is detected again without sending
# anything; with its link down it is forgotten without an event.  (H5:
# the tests below count H1's events.)
RET=0
in_ns "$H5" ping -q -c 2 -i 0.1 -W 2 10.1.0.1 >/dev/null
h5_known() { [ -n "$(host_line 10.1.0.15)" ]; }
wait_for 5 h5_known
check_err $? "H5 not detected"
n5=$(count_events detected 10.1.0.15)
lctl "$R" host del lan 10.1.0.15 recheck
check_err $? "host del recheck"
wait_for 5 events_are detected 10.1.0.15 $((n5 + 1))
check_err $? "H5 not detected again by the probe ($(count_events detected 10.1.0.15) events)"
host_line 10.1.0.15 | grep -q "detect arp"
check_err $? "host show: $(host_line 10.1.0.15)"
ignored0=$(counter lan ignored)
ip -n "$H5" link set eth0 down
lctl "$R" host del lan 10.1.0.15 recheck
check_err $? "host del recheck (H5 down)"
slowwait 10 counter_above lan ignored "$ignored0"
check_err $? "IGNORED did not move ($(counter lan ignored))"
check_eq "$(host_line 10.1.0.15)" "" "H5 (down) in host show"
check_eq "$(count_events detected 10.1.0.15)" $((n5 + 1)) "EID_DETECTED events for H5"
out=$(lctl "$R" host del lan 10.1.0.11 again 2>&1)
check_fail $? "host del with a stray word"
log_test "host del recheck: a host still here answers the probe and is detected again; one gone is forgotten"

# ---------------------------------------------------------------------------
# Teardown with hosts present.

RET=0
n=$(lctl "$R" host show lan | wc -l)
[ "$n" -ge 1 ]
check_err $? "lan has no hosts before dyn del"
lctl "$R" dyn del lan
check_err $? "dyn del lan"
check_eq "$(lctl "$R" host show lan)" "" "hosts of lan after dyn del"
lctl "$R" dyn show | grep -q "^lan "
check_fail $? "lan still listed"
lctl "$R" host show lan6 | grep -q fd01::11
check_err $? "dyn del lan dropped lan6's hosts"
log_test "dyn del with $n hosts: policy and hosts gone, other policy intact"

RET=0
# Interface removal: the policy stops watching it and its hosts go.
lctl "$R" dyn add lan prefix 10.1.0.0/24 dev r-lan dev r-wan
check_err $? "dyn add lan on two interfaces"
in_ns "$H1" ping -q -c 2 -i 0.1 -W 2 10.4.0.2 >/dev/null
wait_for 5 events_are detected 10.1.0.11 3
check_err $? "H1 not detected by the new policy"
ip -n "$R" link del r-wan
never_within 5 grep -q '"eid-gone".*"eid":"10.1.0.11"' "$events"
check_err $? "H1 (on r-lan) gone when r-wan was removed"
lctl "$R" dyn show lan | grep -q "^lan prefix 10.1.0.0/24 iid 0 dev r-lan timeout"
check_err $? "r-wan still in the policy: $(lctl "$R" dyn show lan)"
ip -n "$S" link del s-r
wait_for 5 grep -q '"eid-gone".*"eid":"10.1.0.11"' "$events"
check_err $? "no EID_GONE for H1 when r-lan went away"
check_eq "$(lctl "$R" host show)" "" "hosts after r-lan went away"
log_test "interface removal: dropped from the policies, its hosts EID_GONE"

RET=0
# A namespace with a policy and a host, deleted while the host is being
# probed; then rmmod with policies, a host and probes in flight.
setup_ns N
connect_ns "$N" n0 10.7.0.1/24 "$H1" h1n 10.7.0.2/24
lctl "$N" dyn add n prefix 10.7.0.0/24 dev n0 timeout 1
check_err $? "dyn add in a second namespace"
ns_ping "$H1" 10.7.0.1
lctl "$N" host show n | grep -q "^10.7.0.2 "
check_err $? "no host in the second namespace"
ip netns del "$N"
check_err $? "ip netns del with a policy and a host"
connect_ns "$R" v0 10.6.0.1/24 "$H1" h1v 10.6.0.2/24
lctl "$R" dyn add six prefix 10.6.0.0/24 dev v0 timeout 1
check_err $? "dyn add on v0"
ns_ping "$H1" 10.6.0.1
lctl "$R" host show six | grep -q "^10.6.0.2 "
check_err $? "no host on v0"
sleep 1.5
lisp_unload_module
check_err $? "rmmod with policies present"
lisp_module_loaded
check_fail $? "module still loaded"
log_test "netns deletion and rmmod with policies and hosts present"

tap_done
