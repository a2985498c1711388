#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A hundred tenants on one lispd per xTR, all with the same addresses:
#
#   X1 [vrf-N: h-N 10.1.0.254, lisp-N iid 1000+N]  N = 1..100
#      eth0 192.0.2.1 ====== 192.0.2.2 eth0
#   X2 [vrf-N: h-N 10.2.0.254, lisp-N iid 1000+N] -- M 198.51.100.1
#
# Every tenant registers its prefix in its instance-id with its own key,
# and a ping from each of X1's VRFs to 10.2.0.254 resolves in its tenant
# and is decapsulated by that tenant's device alone.  A reload drops
# tenant 1 and adds tenant 101 without touching the others' entries.
# TENANTS overrides the count.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

N=${TENANTS:-100}
require_cmd ip ping
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
lisp_load_module miss_hold_ms=30000 || skip_all "cannot load lisp.ko"
setup_ns X1 X2 M || { tap_not_ok "namespaces"; tap_done; }

# tenant_dev XNS K SITE: tenant K's VRF, host address and lisp device.
tenant_dev() {
	printf '%s\n' "link add vrf-$2 type vrf table $2" "link set vrf-$2 up" \
		"link add h-$2 type dummy" "link set h-$2 master vrf-$2" \
		"addr add $3.254/24 dev h-$2" "link set h-$2 up" \
		"link add lisp-$2 type lisp iid $((1000 + $2))" \
		"link set lisp-$2 master vrf-$2" "link set lisp-$2 up"
}

RET=0
connect_ns "$X1" eth0 192.0.2.1/24 "$X2" eth0 192.0.2.2/24 &&
	topo_ms_link &&
	in_ns "$X2" sysctl -qw net.ipv4.ip_forward=1
check_err $? "underlay (X2 routes X1's control traffic to M)"
for k in $(seq 1 $((N + 1))); do
	tenant_dev "$X1" "$k" 10.1.0
	echo "route add 10.2.0.0/24 dev lisp-$k table $k"
done | ip -n "$X1" -b -
check_err $? "X1's tenants"
for k in $(seq 1 $((N + 1))); do
	tenant_dev "$X2" "$k" 10.2.0
	echo "route add 10.1.0.0/24 dev lisp-$k table $k"
done | ip -n "$X2" -b -
check_err $? "X2's tenants"
log_test "$N tenants with the same addresses in as many VRFs on each xTR"
[ $RET -eq 0 ] || tap_done

lispd_dirs lispd_tenants_scale || { tap_not_ok "run directories"; tap_done; }

# The Map-Server: two sites in each tenant's instance-id.
{
	echo "roles = { map-server, map-resolver }"
	echo "control-socket = \"$sock/m.sock\""
	for k in $(seq 1 $((N + 1))); do
		echo "instance-id $((1000 + k)) {"
		echo " site x1-$k { key = \"k1-$k\" eid-prefix 10.1.0.0/24 {} }"
		echo " site x2-$k { key = \"k2-$k\" eid-prefix 10.2.0.0/24 {} }"
		echo "}"
	done
} >"$run/m.conf"

# xtr NAME RLOC SITE FROM TO: an xTR's tenants FROM..TO, a key each.
xtr() {
	local k
	{
		echo "roles = { itr, etr }"
		echo "control-socket = \"$sock/$1.sock\""
		echo "map-resolver = { 198.51.100.1 }"
		for k in $(seq "$4" "$5"); do
			echo "instance-id $((1000 + k)) { interface = lisp-$k"
			echo " database-mapping $3.0/24 { rloc $2 {} }"
			echo " map-server 198.51.100.1 { key = \"k${1#x}-$k\" } }"
		done
	} >"$run/$1.conf"
}
xtr x1 192.0.2.1 10.1.0 1 "$N"
xtr x2 192.0.2.2 10.2.0 1 "$N"

t0=$(date +%s)
start_sites

# nregistered: how many sites the Map-Server has a registration of.
nregistered() {
	show m site 2>/dev/null | grep -c " registrant "
}
all_registered() {
	[ "$(nregistered)" -eq $((2 * N)) ]
}
RET=0
wait_for 120 all_registered
check_err $? "$(nregistered) of $((2 * N)) registered"
log_test "all $((2 * N)) sites registered, each in its instance-id ($(($(date +%s) - t0)) s)"

# ping_tenant K: from X1's vrf-K to X2's 10.2.0.254.
ping_tenant() {
	in_ns "$X1" ping -c1 -W25 -I "vrf-$1" 10.2.0.254 >/dev/null 2>&1
}
RET=0
t0=$(date +%s)
pids=()
for k in $(seq 1 "$N"); do
	ping_tenant "$k" &
	pids+=($!)
	# A few at a time: the guest is emulated.  (Not a bare wait: the
	# lispds are children too.)
	if [ ${#pids[@]} -eq 10 ]; then
		wait "${pids[@]}"
		pids=()
	fi
done
[ ${#pids[@]} -eq 0 ] || wait "${pids[@]}"
lost=0
for k in $(seq 1 "$N"); do
	ping_tenant "$k" || { lost=$((lost + 1)); tap_diag "tenant $k: no reply"; }
done
check_eq "$lost" 0 "tenants without a reply"
log_test "a ping in each of the $N tenants resolves and is answered ($(($(date +%s) - t0)) s)"

# Every tenant's device on X2 decapsulated its own two pings, no more: a
# packet of another tenant would have added to one of them.
RET=0
bad=0
for k in $(seq 1 "$N"); do
	rx=$(lisp_stat "$X2" "lisp-$k" rx-packets)
	[ "$rx" = 2 ] || { bad=$((bad + 1)); tap_diag "lisp-$k rx-packets $rx"; }
done
check_eq "$bad" 0 "devices that decapsulated other than their 2 pings"
rx=$(lisp_stat "$X2" "lisp-$((N + 1))" rx-packets)
check_eq "$rx" 0 "the unconfigured tenant's device"
log_test "each tenant's pings decapsulated by its own device alone"

RET=0
out=$(show x1 map-cache)
check_eq "$(grep -c "^10.2.0.0/24 iid 1[0-9]* .*rloc 192.0.2.2" <<<"$out")" "$N" \
	"map-cache rows with their instance-id"
log_test "lispctl show map-cache: $N rows, one per instance-id"

# Reload: tenant 1 goes, tenant N+1 comes; the others keep their entries.
RET=0
before=$(lctl "$X1" map-cache show | grep -v "iid 1001 " | awk '{ print $1, $3, $7 }' | sort)
xtr x1 192.0.2.1 10.1.0 2 $((N + 1))
kill -HUP "$pid_x1"
wait_for 30 bash -c "LISPD_SOCKET=$sock/m.sock $LISPCTL show site | grep -q ' 10.1.0.0/24 iid $((1001 + N)) registrant 192.0.2.1 '"
check_err $? "tenant $((N + 1)) not registered"
[ -z "$(lctl "$X1" database show lisp-1)" ]
check_err $? "tenant 1's database left behind"
after=$(lctl "$X1" map-cache show | grep -v "iid 1001 " | awk '{ print $1, $3, $7 }' | sort)
check_eq "$after" "$before" "the other tenants' map-cache"
ping_tenant 50
check_err $? "tenant 50 after the reload"
log_test "SIGHUP: tenant 1 out, tenant $((N + 1)) in, the others untouched"

RET=0
lispd_stop m x1 x2
log_test "SIGTERM: clean exit"

lispd_done m x1 x2
