#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tenants with lispd: one lispd per xTR serves two instance-ids whose
# hosts have the same addresses, each tenant in its own VRF, and one
# Map-Server keeps the sites of both apart.
#
#   H1a 10.1.0.1 -eth-a-+                       +-eth-a- H2a 10.2.0.1
#                       X1 eth0 ===== eth0 X2 -- M 198.51.100.1
#   H1b 10.1.0.1 -eth-b-+ 192.0.2.1  .2         +-eth-b- H2b 10.2.0.1
#                                                        and 10.2.0.2
# Tenant a is instance-id 100 (VRF table 10 on both), b is 200: in VRF
# table 20 on X1, on X2 in the tenant's own namespace H2b, where X2's
# lispd reaches its device (netns = H2b) while the underlay stays X2's.
# X2 also serves 10.3.0.0/24 in tenant a only.  Then a reload adds
# tenant c (instance-id 300) to X1 and drops b while a's ping runs.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip ping
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
lisp_load_module miss_hold_ms=30000 || skip_all "cannot load lisp.ko"

setup_ns H1A H1B X1 X2 H2A H2B M || { tap_not_ok "namespaces"; tap_done; }
RET=0
connect_ns "$X1" eth0 "192.0.2.1/24" "$X2" eth0 "192.0.2.2/24" &&
	tenant_links "$X1" "$H1A" "$H1B" 10.1.0 &&
	tenant_links "$X2" "$H2A" "$H2B" 10.2.0 &&
	ip -n "$H2B" addr add 10.2.0.2/24 dev eth0 &&
	topo_ms_link &&
	vrf_lisp "$X1" a 100 10 10.1.0 && vrf_lisp "$X1" b 200 20 10.1.0 &&
	vrf_lisp "$X2" a 100 10 10.2.0 &&
	ip -n "$X2" link add lisp-b netns "$H2B" type lisp iid 200
check_err $? "topology"
for x in "$X1" "$X2"; do
	in_ns "$x" sysctl -qw net.ipv4.ip_forward=1
done
ip -n "$X1" link set lisp-a up
ip -n "$X1" link set lisp-b up
ip -n "$X2" link set lisp-a up
ip -n "$H2B" link set lisp-b up
ip -n "$X1" route add 10.2.0.0/16 dev lisp-a table 10
ip -n "$X1" route add 10.2.0.0/16 dev lisp-b table 20
ip -n "$X1" route add 10.3.0.0/16 dev lisp-a table 10
ip -n "$X1" route add 10.3.0.0/16 dev lisp-b table 20
ip -n "$X2" route add 10.1.0.0/24 dev lisp-a table 10
ip -n "$H2B" route add 10.1.0.0/24 dev lisp-b
log_test "two tenants with the same addresses, in VRFs and a namespace"
[ $RET -eq 0 ] || tap_done

lispd_dirs lispd_tenants || { tap_not_ok "run directories"; tap_done; }

# site NAME KEY PREFIX: a Map-Server site.
site() {
	echo "site $1 { key = \"$2\" eid-prefix $3 {} }"
}

cat >"$run/m.conf" <<EOF
roles = { map-server, map-resolver }
control-socket = "$sock/m.sock"
instance-id 100 {
	$(site a1 key-a1 10.1.0.0/24)
	site a2 { key = "key-2" eid-prefix 10.2.0.0/24 {} eid-prefix 10.3.0.0/24 {} }
}
instance-id 200 {
	$(site b1 key-b1 10.1.0.0/24)
	$(site b2 key-2 10.2.0.0/24)
}
instance-id 300 {
	$(site c1 key-c1 10.1.0.0/24)
}
EOF

# xtr1 TENANTS...: X1's configuration, with the tenants named (a b c).
xtr1() {
	local t
	{
		echo "roles = { itr, etr }"
		echo "control-socket = \"$sock/x1.sock\""
		echo "map-server 198.51.100.1 { key = \"key-a1\" }"
		echo "map-resolver = { 198.51.100.1 }"
		for t in "$@"; do
			case $t in
			a) echo "instance-id 100 { interface = lisp-a" ;;
			b) echo "instance-id 200 { interface = lisp-b"
			   echo "  map-server 198.51.100.1 { key = \"key-b1\" }" ;;
			c) echo "instance-id 300 { interface = lisp-c"
			   echo "  map-server 198.51.100.1 { key = \"key-c1\" }" ;;
			esac
			echo "  database-mapping 10.1.0.0/24 { rloc 192.0.2.1 {} }"
			echo "}"
		done
	} >"$run/x1.conf"
}
xtr1 a b

cat >"$run/x2.conf" <<EOF
roles = { itr, etr }
control-socket = "$sock/x2.sock"
map-server 198.51.100.1 { key = "key-2" }
map-resolver = { 198.51.100.1 }
instance-id 100 {
	interface = lisp-a
	database-mapping 10.2.0.0/24 { rloc 192.0.2.2 {} }
	database-mapping 10.3.0.0/24 { rloc 192.0.2.2 {} }
}
instance-id 200 {
	interface = lisp-b
	netns = "$H2B"
	database-mapping "[200]10.2.0.0/24" { rloc 192.0.2.2 {} }
}
EOF

RET=0
for c in m x1 x2; do
	out=$("$LISPD" -n -c "$run/$c.conf" 2>&1)
	check_err $? "$c.conf: $out"
done
log_test "lispd -n accepts instance-id sections"

start_sites

# tenants_registered: every site of both tenants has its registrant.
tenants_registered() {
	local s
	s=$(show m site 2>/dev/null) || return 1
	grep -q " 10.1.0.0/24 iid 100 registrant 192.0.2.1 " <<<"$s" &&
		grep -q " 10.1.0.0/24 iid 200 registrant 192.0.2.1 " <<<"$s" &&
		grep -q " 10.2.0.0/24 iid 100 registrant 198.51.100.2 " <<<"$s" &&
		grep -q " 10.2.0.0/24 iid 200 registrant 198.51.100.2 " <<<"$s" &&
		grep -q " 10.3.0.0/24 iid 100 registrant 198.51.100.2 " <<<"$s"
}
RET=0
wait_for 20 tenants_registered
check_err $? "sites: $(show m site 2>&1)"
lctl "$X1" database show lisp-a | grep -q "^10.1.0.0/24"
check_err $? "lisp-a's database: $(lctl "$X1" database show 2>&1)"
lctl "$X1" database show lisp-b | grep -q "^10.1.0.0/24"
check_err $? "lisp-b's database: $(lctl "$X1" database show 2>&1)"
log_test "each tenant registered its prefixes in its instance-id, own keys"

RET=0
PING_TIMEOUT=25 reaches "$H1A" 10.2.0.1 "$H2A" "$H2B" "$H2B" lisp-b
log_test "tenant a's first ping resolves in a and reaches only a's host"
RET=0
PING_TIMEOUT=25 reaches "$H1B" 10.2.0.1 "$H2B" "$H2A" "$X2" lisp-a
lctl "$H2B" map-cache show lisp-b | grep -q "^10.1.0.0/24 .*192.0.2.1"
check_err $? "X2's lispd did not resolve in H2b: $(lctl "$H2B" map-cache show 2>&1)"
lctl "$H2B" database show lisp-b | grep -q "^10.2.0.0/24"
check_err $? "X2's lispd did not install b's database in H2b"
log_test "tenant b's first ping resolves in b and reaches only b's host"
RET=0
PING_TIMEOUT=5 isolated "$H1A" "$H2B"
log_test "tenant a cannot reach an address only tenant b has"

RET=0
out=$(show x1 map-cache 2>&1)
grep -q "^10.2.0.0/24 iid 100 .*rloc 192.0.2.2" <<<"$out"
check_err $? "tenant a's entry: $out"
grep -q "^10.2.0.0/24 iid 200 .*rloc 192.0.2.2" <<<"$out"
check_err $? "tenant b's entry: $out"
lctl "$X1" map-cache show lisp-a | grep -q "^10.2.0.0/24 .*192.0.2.2"
check_err $? "lisp-a: $(lctl "$X1" map-cache show 2>&1)"
lctl "$X1" map-cache show lisp-b | grep -q "^10.2.0.0/24 .*192.0.2.2"
check_err $? "lisp-b: $(lctl "$X1" map-cache show 2>&1)"
log_test "each tenant's mapping in its own device, shown with its instance-id"

# 10.3.0.0/24 is registered in tenant a only: b's request for it is
# answered negatively, whatever a has.
RET=0
PING_TIMEOUT=3 ns_ping "$H1A" 10.3.0.1
PING_TIMEOUT=3 ns_ping "$H1B" 10.3.0.1
wait_for 15 bash -c "$LISPCTL -n $X1 map-cache show lisp-a | grep -q '^10.3.0.0/24 .*192.0.2.2'"
check_err $? "tenant a: $(lctl "$X1" map-cache show lisp-a 2>&1)"
wait_for 15 bash -c "$LISPCTL -n $X1 map-cache show lisp-b | grep -q '^10.3.0.0/[0-9]* .*native-forward'"
check_err $? "tenant b: $(lctl "$X1" map-cache show lisp-b 2>&1)"
lctl "$X1" map-cache show lisp-b | grep "^10.3" | grep -q 192.0.2.2
check_fail $? "tenant b got tenant a's mapping: $(lctl "$X1" map-cache show lisp-b)"
log_test "a request in tenant b is never answered with tenant a's site"

# An SMR for tenant b's 10.2.0.1 (the Instance-ID LCAF of b): X1 asks
# the mapping system again in b only; a's entry for the same address is
# not asked for.
RET=0
if [ -x /usr/bin/python3 ]; then
	reqs() { grep -c "Map-Request for \[$1\]10.2.0.1/32 forwarded" "$run/m.log"; }
	a0=$(reqs 100) b0=$(reqs 200)
	in_ns "$X2" /usr/bin/python3 -S "$LIB_DIR/tools/lisp_ctrl.py" smr \
		--to 192.0.2.1 --iid 200 --seid 10.2.0.1 --eid 10.1.0.1
	wait_for 10 bash -c "grep -q 'SMR from 192.0.2.2 for \[200\]10.2.0.1/32: asking' '$run/x1.log'"
	check_err $? "X1 did not act on tenant b's SMR: $(grep SMR "$run/x1.log")"
	wait_for 10 bash -c "[ \$(grep -c 'Map-Request for \[200\]10.2.0.1/32 forwarded' '$run/m.log') -gt $b0 ]"
	check_err $? "no SMR-invoked request of tenant b reached the Map-Server"
	check_eq "$(reqs 100)" "$a0" "tenant a's requests for 10.2.0.1"
	log_test "an SMR in tenant b re-resolves in b only"
else
	log_test_skip "an SMR in tenant b re-resolves in b only" "no /usr/bin/python3"
fi

# Reload: c added, b dropped; a's traffic goes on untouched.
RET=0
ip -n "$X1" link add vrf-c type vrf table 30
ip -n "$X1" link set vrf-c up
ip -n "$X1" link add lisp-c type lisp iid 300
ip -n "$X1" link set lisp-c master vrf-c
ip -n "$X1" link set lisp-c up
a0=$(lctl "$X1" map-cache show lisp-a | awk '$1 == "10.2.0.0/24"')
in_ns "$H1A" ping -c 30 -i 0.2 -W 2 10.2.0.1 >"$run/ping-a.txt" 2>&1 &
ping_pid=$!
sleep 1
xtr1 a c
kill -HUP "$pid_x1"
wait "$ping_pid"
grep -q " 0% packet loss" "$run/ping-a.txt"
check_err $? "tenant a lost pings over the reload: $(tail -2 "$run/ping-a.txt")"
wait_for 10 bash -c "$LISPCTL -n $X1 database show lisp-c | grep -q '^10.1.0.0/24'"
check_err $? "tenant c's database: $(lctl "$X1" database show 2>&1)"
wait_for 20 bash -c "LISPD_SOCKET=$sock/m.sock $LISPCTL show site | grep -q ' 10.1.0.0/24 iid 300 registrant 192.0.2.1 '"
check_err $? "tenant c not registered: $(show m site 2>&1)"
show m site | grep -q " 10.1.0.0/24 iid 200 registrant "
check_fail $? "tenant b's registration left at the Map-Server: $(show m site)"
[ -z "$(lctl "$X1" database show lisp-b)" ]
check_err $? "tenant b's database left: $(lctl "$X1" database show lisp-b)"
lctl "$X1" map-cache show lisp-b | grep -q "^10.2.0.0/24"
check_fail $? "tenant b's learned mapping left: $(lctl "$X1" map-cache show lisp-b)"
lctl "$X1" map-cache show lisp-a | grep -q "^10.2.0.0/24 .*192.0.2.2"
check_err $? "tenant a's mapping: $(lctl "$X1" map-cache show lisp-a)"
log_test "SIGHUP adds tenant c, drops b, a loses no ping (was: ${a0:-none})"

RET=0
kill -0 "$pid_x1"
check_err $? "x1's lispd died"
lispd_stop m x1 x2
log_test "SIGTERM: clean exit"

lispd_done m x1 x2
