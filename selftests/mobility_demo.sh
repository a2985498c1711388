#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo's topology and verdict (tools/demo/run, Documentation/demo.rst).
#
# First the bare topology, without LISP: the stretched VLANs carry frames
# between the sites, FHRP isolation keeps each site's hosts on their own
# gateway (same address and MAC on both first-hop routers), the routed
# hops reach each site's gateway, the move puts the VM behind DC-2's
# first-hop router, and what DC-1's gateway routes to the VM after it left
# still crosses the interconnect.  Then the demo itself, with its two
# tenants of the same addresses (one lispd serves both on the branch, the
# gateways and the Map-Server): a 100 a second ping stream from each
# tenant's end user while both VMs migrate at once; no ping may be lost
# in either tenant, the branch must end up sending to DC-2 in both, each
# tenant's VM and end user receive only their own tenant's pings and
# replies, and the Map-Server's sites and the gateways' dynamic-EID
# tables keep each tenant's mappings under its own sites and policies.
# The timing is printed, not asserted (an emulated guest on a shared
# machine).

source "$(dirname "$0")/lib.sh"
source "$REPO_ROOT/tools/demo/topo.sh"

require_root
require_vm
require_cmd ip tc bridge tcpdump jq nstat /usr/bin/python3
[ -x "$REPO_ROOT/lispd/build/lispd" ] || skip_all "lispd not built"
lisp_load_module || skip_all "cannot load lisp.ko"

TOPO_PREFIX=mdt$$-
defer topo_destroy
topo_build esm || { tap_not_ok "topology setup"; tap_done; }

pings() { tx "$1" ping -c1 -W2 "$2" >/dev/null 2>&1; }
echos() { tx "$1" nstat -az IcmpInEchos | awk '$1 == "IcmpInEchos" { print $2 }'; }

RET=0
pings app "$(host_addr s2a)"
check_err $? "app (DC-1) cannot reach s2a (DC-2) on VLAN 1300"
pings db "$(host_addr s2b)"
check_err $? "db (DC-1) cannot reach s2b (DC-2) on VLAN 1301"
log_test "the DCI stretches VLANs 1300 and 1301 between the sites"

RET=0
pings app $GW_IP_1300
check_err $? "app cannot reach its gateway"
pings s2a $GW_IP_1300
check_err $? "s2a cannot reach its gateway"
tx fhr1 ip neigh show dev eth1300 | grep -q "^$(host_addr app) "
check_err $? "DC-1's FHR did not hear from app"
tx fhr2 ip neigh show dev eth1300 | grep -q "^$(host_addr app) "
check_fail $? "DC-2's FHR heard from app, across the DCI"
tx fhr1 ip neigh show dev eth1300 | grep -q "^$(host_addr s2a) "
check_fail $? "DC-1's FHR heard from s2a, across the DCI"
[ "$(dci_drops)" -gt 0 ]
check_err $? "the DCI filters dropped nothing"
log_test "FHRP isolation: the same gateway at both sites, each host uses its own"

RET=0
pings app $NOTIFY_GW1
check_err $? "app does not reach DC-1's site gateway through fw1"
pings s2a $NOTIFY_GW2
check_err $? "s2a does not reach DC-2's site gateway through fw2"
pings app $NOTIFY_GW2
check_fail $? "app reaches DC-2's gateway while at DC-1"
log_test "routed hops: FHR -- transit hop -- site gateway in each DC"

RET=0
host_move app
check_err $? "the move failed: $(cat "$MOVE_OUT")"
pings app $NOTIFY_GW2
check_err $? "app does not reach DC-2's gateway after the move"
pings app $NOTIFY_GW1
check_fail $? "app still reaches DC-1's gateway after the move"
tx sw2 ip link show p-app 2>/dev/null | grep -q "master br1300"
check_err $? "app's port is not on DC-2's VLAN 1300"
tap_diag "switch-over took $(awk -v a="$(move_field move app)" -v b="$(move_field up app)" 'BEGIN { printf "%.1f", (b - a) * 1000 }') ms"
log_test "the move: the VM's port on DC-2's switch, DC-2's FHR its gateway"

RET=0
a=$(echos app)
tx fhr1 ping -c1 -W1 "$(host_addr app)" >/dev/null 2>&1
b=$(echos app)
[ "${b:-0}" -gt "${a:-0}" ]
check_err $? "DC-1's FHR's packets to app no longer reach it ($a -> $b)"
log_test "until LISP redirects, what DC-1 routes to the VM crosses the DCI"

RET=0
host_move app
pings app $NOTIFY_GW1
check_err $? "app does not reach DC-1's gateway after moving back"
log_test "the VM moves back"
topo_destroy

# The demo, with its verdict.
out=$(mktemp -d -p "$REPO_ROOT/build" mobility_demo.XXXXXX)
"$REPO_ROOT/tools/demo/run" --out "$out" >"$out/demo.txt" 2>&1
rc=$?
v() { awk -v k="$1" '$1 == k { print $2 }' "$out/verdict.txt" 2>/dev/null; }
tap_diag "$(sed -n '/== verdict/,$p' "$out/demo.txt")"

RET=0
[ -s "$out/verdict.txt" ]
check_err $? "the demo did not finish (status $rc): $(tail -n 5 "$out/demo.txt")"
for k in "" t2_; do
	t=$([ -z "$k" ] && echo 1 || echo 2)
	check_eq "$(v ${k}lost)" 0 "tenant $t: pings lost during the move (icmp_seq $(v ${k}lost_seqs))"
	[ "$(v ${k}sent)" -ge 400 ] 2>/dev/null
	check_err $? "tenant $t: only $(v ${k}sent) pings sent"
done
log_test "demo: no ping lost at 100 a second in either tenant while both VMs migrate"

RET=0
check_eq "$(v branch_rloc)" "$RLOC_GW2" "tenant 1: the branch's map-cache for the VM"
check_eq "$(v t2_branch_rloc)" "$RLOC_GW2" "tenant 2: the branch's map-cache for the VM"
log_test "demo: the branch's map-cache ends pointing to DC-2 in both tenants"

RET=0
check_eq "$(v traffic_isolated)" ok "tenant 1's traffic"
check_eq "$(v t2_traffic_isolated)" ok "tenant 2's traffic"
check_eq "$(v mappings_isolated)" ok "mappings"
check_eq "$(v host_routes)" ok "the gateways' host routes towards the first-hop routers"
log_test "demo: neither tenant receives the other's traffic or holds its mappings"

# Tenant 1's branch subscribes (RFC 9437), tenant 2's is solicited.
RET=0
check_eq "$(v redirect_path)" publish-subscribe "tenant 1: how the branch learned the move"
check_eq "$(v t2_redirect_path)" smr "tenant 2: how the branch learned the move"
log_test "demo: tenant 1 redirected by publish/subscribe, tenant 2 by SMR"

tap_diag "timing (not asserted): switch-over $(v switch_over_ms) ms; tenant 1 (pub/sub): traffic through DC-2 after $(v arrive_dc2_ms) ms, branch map-cache $(v branch_mapcache_ms) ms, redirected $(v redirect_ms) ms, $(v detect_to_redirect_ms) ms after detection; tenant 2 (SMR): $(v t2_arrive_dc2_ms), $(v t2_branch_mapcache_ms), $(v t2_redirect_ms) ms, $(v t2_detect_to_redirect_ms) ms after detection"
if [ "$TAP_FAIL" -eq 0 ]; then
	rm -rf "$out"
else
	tap_diag "logs in $out"
fi
tap_done
