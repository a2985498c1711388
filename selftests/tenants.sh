#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tenants: two instance-ids with the same EID prefixes on one pair of
# xTRs, static mappings. Each tenant's lisp device is first enslaved to
# the tenant's VRF, then moved into the tenant's own namespace; in both
# the outer packets and the UDP socket stay in the underlay (X1, X2),
# the decapsulated packets enter the tenant, and no packet crosses.
#
#   H1a 10.1.0.1 -eth-a-+                       +-eth-a- H2a 10.2.0.1
#                       X1 eth0 ===== eth0 X2
#   H1b 10.1.0.1 -eth-b-+ 192.0.2.1  .2         +-eth-b- H2b 10.2.0.1
#                                                        and 10.2.0.2
# Tenant a is instance-id 100 (VRF table 10), b is 200 (table 20); only
# b has 10.2.0.2.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip ping ss
lisp_load_module || skip_all "cannot load lisp.ko"

# dev_tx NS DEV: packets DEV has sent.
dev_tx() {
	local p
	ns_pid p "$1" || return 1
	awk -v d="$2" '{ sub(/^ +/, ""); split($0, a, /: */)
		if (a[1] == d) { split(a[2], f, / +/); print f[10] } }' \
		"/proc/$p/net/dev"
}

# dummy NS DEV [VRF]: a dummy device, up (in VRF), that sends nothing of
# its own (no IPv6): its packet count is what was routed to it.
dummy() {
	ip -n "$1" link add "$2" type dummy &&
		in_ns "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1" &&
		ip -n "$1" link set "$2" ${3:+master "$3"} up
}

# tenant_lisp NS DEV SITE REMOTE RLOC [TABLE]: DEV up, the remote site
# routed into it (in TABLE), its database and map-cache.
tenant_lisp() {
	ip -n "$1" link set "$2" up &&
		ip -n "$1" route add "$4.0/24" dev "$2" table "${6:-main}" &&
		lctl "$1" database add "$2" "$3.0/24" &&
		lctl "$1" map-cache add "$2" "$4.0/24" rloc "$5"
}

# vrf_tenant XNS T IID TABLE SITE REMOTE RLOC: tenant T of XNS in VRF vrf-T
# (vrf_lisp), with static entries.
vrf_tenant() {
	vrf_lisp "$1" "$2" "$3" "$4" "$5" &&
		tenant_lisp "$1" "lisp-$2" "$5" "$6" "$7" "$4"
}


# isolation MODE NSA NSB: the tenants' pings, with X2's lisp-a in NSA and
# its lisp-b in NSB.
isolation() {
	RET=0
	reaches "$H1A" 10.2.0.1 "$H2A" "$H2B" "$3" lisp-b
	log_test "$1: tenant a's ping reaches only tenant a's host"
	RET=0
	reaches "$H1B" 10.2.0.1 "$H2B" "$H2A" "$2" lisp-a
	log_test "$1: tenant b's ping reaches only tenant b's host"
	RET=0
	isolated "$H1A" "$H2B"
	log_test "$1: tenant a cannot reach an address only tenant b has"
}

# native MODE NS DEV WHERE: H1a's ping to 10.3.0.1, which X1's lisp-a
# (in NS) forwards natively, leaves by NS's DEV, not by X1's dum-u (the
# underlay's main table).
native() {
	local nat0 in0 main0
	RET=0
	nat0=$(lisp_stat "$2" lisp-a tx-native)
	in0=$(dev_tx "$2" "$3") main0=$(dev_tx "$X1" dum-u)
	PING_TIMEOUT=1 ns_ping "$H1A" 10.3.0.1
	[ "$(lisp_stat "$2" lisp-a tx-native)" -gt "$nat0" ]
	check_err $? "tx-native did not move"
	[ "$(dev_tx "$2" "$3")" -gt "$in0" ]
	check_err $? "not routed by the tenant's table"
	[ "$(dev_tx "$X1" dum-u)" -eq "$main0" ]
	check_err $? "routed by the underlay's main table"
	log_test "$1: native-forward stays in the tenant's $4"
}

# ns_idle NS: no process lives in NS.
ns_idle() {
	local p
	for p in /proc/[0-9]*; do
		[ "$p/ns/net" -ef "/run/netns/$1" ] && return 1
	done 2>/dev/null
	return 0
}

# ns_gone NS: delete NS once what ran in it (monitor, ns_pid) is gone;
# the kernel tears it down some time later.
ns_gone() {
	local p
	for p in /proc/[0-9]*; do
		[ "$p/ns/net" -ef "/run/netns/$1" ] && kill "${p#/proc/}"
	done 2>/dev/null
	wait_for 5 ns_idle "$1" || return 1
	ip netns del "$1"
}

setup_ns X1 X2 H1A H1B H2A H2B || { tap_not_ok "namespaces"; tap_done; }
connect_ns "$X1" eth0 192.0.2.1/24 "$X2" eth0 192.0.2.2/24 &&
	tenant_links "$X1" "$H1A" "$H1B" 10.1.0 &&
	tenant_links "$X2" "$H2A" "$H2B" 10.2.0 &&
	ip -n "$H2B" addr add 10.2.0.2/24 dev eth0 ||
	{ tap_not_ok "topology setup"; tap_done; }
for x in "$X1" "$X2"; do
	in_ns "$x" sysctl -qw net.ipv4.ip_forward=1
done

# ---- (1) VRF: lisp-a in vrf-a with eth-a, lisp-b in vrf-b with eth-b ----

vrf_tenant "$X1" a 100 10 10.1.0 10.2.0 192.0.2.2 &&
	vrf_tenant "$X1" b 200 20 10.1.0 10.2.0 192.0.2.2 &&
	vrf_tenant "$X2" a 100 10 10.2.0 10.1.0 192.0.2.1 &&
	vrf_tenant "$X2" b 200 20 10.2.0 10.1.0 192.0.2.1 ||
	{ tap_not_ok "VRF tenants setup"; tap_done; }
# A decoy in tenant a's table: an outer packet routed by the VRF would
# go to dum-a instead of eth0.
dummy "$X1" dum-a vrf-a
ip -n "$X1" route add 192.0.2.2/32 dev dum-a table 10

isolation VRF "$X2" "$X2"

RET=0
eth0=$(dev_tx "$X1" eth0) decoy=$(dev_tx "$X1" dum-a)
ns_ping "$H1A" 10.2.0.1
check_err $? "no reply"
[ "$(dev_tx "$X1" eth0)" -gt "$eth0" ]
check_err $? "nothing left by the underlay's eth0"
[ "$(dev_tx "$X1" dum-a)" -eq "$decoy" ]
check_err $? "outer packet routed by tenant a's VRF table"
log_test "VRF: outer packets follow the underlay's main table"

RET=0
out=$(ip -n "$X1" -d link show lisp-a)
grep -q "master vrf-a" <<<"$out"
check_err $? "lisp-a is not in vrf-a: $out"
grep -q "link-netns" <<<"$out"
check_fail $? "a link-netns for a device in its underlay: $out"
[ "$(in_ns "$X2" ss -Hlun 'sport = :4341' | grep -c '0.0.0.0:4341')" -eq 1 ]
check_err $? "X2 has not exactly one IPv4 socket on 4341 for both tenants"
log_test "VRF: both tenants share the underlay's socket"

# A native-forward entry routes the inner packet in the tenant's VRF:
# H1a's packets enter lisp-a by a rule for what arrives from vrf-a;
# the main table (the underlay) knows another way.
dummy "$X1" dum-u
printf '%s\n' "route add 10.3.0.0/24 dev dum-u" \
	"route add 10.3.0.0/24 dev dum-a table 10" \
	"route add 10.3.0.0/24 dev lisp-a table 100" \
	"rule add iif vrf-a lookup 100 pref 100" \
	"rule add iif eth-a lookup 100 pref 101" | ip -n "$X1" -b -
lctl "$X1" map-cache add lisp-a 10.3.0.0/24 action native-forward
native VRF "$X1" dum-a VRF

# ---- (2) netns: each tenant's lisp device and host link in its own
# namespace (T1a, T1b on X1; T2a, T2b on X2), the socket in X1 / X2 ----

for x in "$X1" "$X2"; do
	printf '%s\n' "link del lisp-a" "link del lisp-b" "link del vrf-a" \
		"link del vrf-b" | ip -n "$x" -b -
done
setup_ns T1A T1B T2A T2B || { tap_not_ok "tenant namespaces"; tap_done; }

# ns_tenant XNS TNS T IID SITE REMOTE RLOC: tenant T's host link and lisp
# device into TNS: tenant a's device is created there from XNS, tenant
# b's is moved there after its creation.
ns_tenant() {
	in_ns "$2" sysctl -qw net.ipv4.ip_forward=1
	ip -n "$1" link set "eth-$3" netns "$2" &&
		printf '%s\n' "addr add $5.254/24 dev eth-$3" \
			"link set eth-$3 up" | ip -n "$2" -b - || return 1
	if [ "$3" = a ]; then
		ip -n "$1" link add "lisp-$3" netns "$2" type lisp iid "$4"
	else
		ip -n "$1" link add "lisp-$3" type lisp iid "$4" &&
			ip -n "$1" link set "lisp-$3" netns "$2"
	fi || return 1
	tenant_lisp "$2" "lisp-$3" "$5" "$6" "$7"
}

RET=0
ns_tenant "$X1" "$T1A" a 100 10.1.0 10.2.0 192.0.2.2 &&
	ns_tenant "$X2" "$T2A" a 100 10.2.0 10.1.0 192.0.2.1
check_err $? "cannot create lisp-a in the tenant's namespace"
ns_tenant "$X1" "$T1B" b 200 10.1.0 10.2.0 192.0.2.2 &&
	ns_tenant "$X2" "$T2B" b 200 10.2.0 10.1.0 192.0.2.1
check_err $? "cannot move lisp-b into the tenant's namespace"
log_test "netns: lisp devices created in and moved to tenant namespaces"

RET=0
for x in "$X1" "$X2"; do
	listening "$x" 4341 udp
	check_err $? "no socket on 4341 in the underlay $x"
done
for t in "$T1A" "$T1B" "$T2A" "$T2B"; do
	listening "$t" 4341 udp
	check_fail $? "a socket on 4341 in the tenant namespace $t"
done
log_test "netns: the UDP socket stays in the underlay"

RET=0
for t in "$T1A:lisp-a:$X1" "$T2B:lisp-b:$X2"; do
	IFS=: read -r ns dev x <<<"$t"
	out=$(ip -n "$ns" -d link show "$dev")
	grep -Eq "link-netns $x|link-netnsid [0-9]" <<<"$out"
	check_err $? "no link-netns in: $out"
done
log_test "netns: ip -d link show names the underlay's namespace"

isolation netns "$T2A" "$T2B"

# Native forwarding in T1a's table, not in X1's (which has dum-u).
dummy "$T1A" dum-t
printf '%s\n' "route add 10.3.0.0/24 dev dum-t" \
	"route add 10.3.0.0/24 dev lisp-a table 100" \
	"rule add iif eth-a lookup 100 pref 100" | ip -n "$T1A" -b -
lctl "$T1A" map-cache add lisp-a 10.3.0.0/24 action native-forward
native netns "$T1A" dum-t namespace

RET=0
events=$(mktemp)
defer rm -f "$events"
ip -n "$T1A" route add 10.9.0.0/24 dev lisp-a
monitor_start "$T1A" "$events" -j
check_err $? "lispctl monitor did not start in $T1A"
PING_TIMEOUT=1 ns_ping "$H1A" 10.9.0.1
wait_for 5 grep -q '"event":"miss".*"dst":"10.9.0.1"' "$events"
check_err $? "no MISS for 10.9.0.1 in the tenant namespace"
log_test "netns: MISS events go to the device's namespace"

# A tenant namespace owned by a user namespace: its root programs the
# device moved there, but the link attributes (instance-id, port, local
# address) stay the underlay administrator's.
RET=0
uout=$(mktemp)
defer rm -f "$uout" "$uout.err"
cat >"$uout.sh" <<'EOF'
LC=$1 OUT=$2
for i in $(seq 1 300); do
	ip link show lisp-u >/dev/null 2>&1 && break
	sleep 0.1
done
ip link set lisp-u type lisp iid 301 2>>"$OUT.err" && echo "iid changed" >>"$OUT"
ip link set lisp-u type lisp port 4999 2>>"$OUT.err" && echo "port changed" >>"$OUT"
"$LC" map-cache add lisp-u 10.5.0.0/24 rloc 192.0.2.2 2>>"$OUT.err" &&
	echo "map-cache programmed" >>"$OUT"
echo done >>"$OUT"
EOF
defer rm -f "$uout.sh"
unshare -Urn bash "$uout.sh" "$LISPCTL" "$uout" </dev/null >/dev/null 2>&1 &
upid=$!
wait_for 10 eval '! [ /proc/$upid/ns/net -ef /proc/self/ns/net ]'
ip -n "$X1" link add lisp-u type lisp iid 300 &&
	ip -n "$X1" link set lisp-u netns "$upid"
check_err $? "cannot move lisp-u into the user namespace's network namespace"
wait_for 30 grep -q done "$uout"
check_err $? "the tenant's script did not finish: $(cat "$uout" "$uout.err" 2>/dev/null)"
grep -q "changed" "$uout"
check_fail $? "the tenant changed the underlay's link attributes: $(cat "$uout")"
grep -q "underlay's administrator" "$uout.err"
check_err $? "no reason given to the tenant: $(cat "$uout.err")"
grep -q "map-cache programmed" "$uout"
check_err $? "the tenant cannot program its map-cache: $(cat "$uout.err")"
wait "$upid"
log_test "netns: a tenant programs its device, not the underlay's link attributes"

# A device moved on leaves behind what it held for a mapping: tenant a's
# packet, waiting in T1a, is not sent from T1b once a mapping arrives
# there (nor routed there by a native-forward entry).
RET=0
printf '%s\n' "link add lisp-m type lisp iid 500 miss-hold 60000" \
	"link set lisp-m netns $T1A" | ip -n "$X1" -b - &&
	ip -n "$T1A" link set lisp-m up &&
	ip -n "$T1A" route add 10.8.0.0/24 dev lisp-m
check_err $? "cannot set up lisp-m in $T1A"
PING_TIMEOUT=1 ns_ping "$H1A" 10.8.0.1
[ "$(lisp_stat "$T1A" lisp-m tx-miss)" -eq 1 ]
check_err $? "tenant a's packet to 10.8.0.1 is not held"
ip -n "$T1A" link set lisp-m netns "$T1B"
check_err $? "cannot move lisp-m to $T1B"
[ "$(lisp_stat "$T1B" lisp-m tx-miss-drop)" -eq 1 ]
check_err $? "the held packet was not dropped by the move: $(lctl "$T1B" stats lisp-m | grep -E 'tx-(miss|packets)' | tr -s ' \n' ' ')"
ip -n "$T1B" link set lisp-m up &&
	lctl "$T1B" map-cache add lisp-m 10.8.0.0/24 rloc 192.0.2.2
check_err $? "cannot bring lisp-m up and map 10.8.0.0/24 in $T1B"
sleep 1
tx=$(lisp_stat "$T1B" lisp-m tx-packets)
[ "$tx" -eq 0 ]
check_err $? "tenant a's held packet left from tenant b's namespace ($tx sent)"
log_test "netns: a device moved on drops the packets it held"

# A tenant namespace going takes its device; the last device of an
# underlay takes the socket; the underlay going takes its devices.
RET=0
ns_gone "$T1B"
listening "$X1" 4341 udp
check_err $? "X1's socket went with one of its two devices"
ns_gone "$T1A"
wait_for 5 eval '! listening "$X1" 4341 udp'
check_err $? "X1's socket outlived its last device"
ns_gone "$X2"
wait_for 5 eval '! ip -n "$T2A" link show lisp-a >/dev/null 2>&1'
check_err $? "lisp-a outlived its underlay namespace"
ip -n "$T2B" link show eth-b >/dev/null
check_err $? "the tenant namespace lost its other devices"
log_test "netns: devices and sockets go with their namespaces"

tap_done
