#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Instance-ids: devices of one namespace share the port's sockets and the
# instance-id in the LISP header picks the device. Tenants stay apart.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip ping python3
lisp_load_module || skip_all "cannot load lisp.ko"
topo_setup iid 100 || { tap_not_ok "topology setup"; tap_done; }
topo_map 4
# A second tenant on X2, same port, its own instance-id and EID space.
ip -n "$X2" link add lisp1 type lisp iid 200
ip -n "$X2" link set lisp1 up
lctl "$X2" database add lisp1 10.9.0.0/24

RET=0
ns_ping "$H1" 10.2.0.1
check_err $? "iid 100 traffic not delivered"
[ "$(lisp_stat "$X2" lisp1 rx-packets)" -eq 0 ]
check_err $? "tenant 200's device received tenant 100's packets"
log_test "instance-id 100 reaches only its device"

RET=0
ip -n "$X2" -d link show lisp0 | grep -q "iid 100"
check_err $? "ip -d link show lacks iid 100"
ip -n "$X2" -d link show lisp1 | grep -q "iid 200"
check_err $? "ip -d link show lacks iid 200"
log_test "ip -d link show prints each device's instance-id"

RET=0
out=$(ip -n "$X2" link add lisp2 type lisp iid 200 2>&1)
check_fail $? "a second device with iid 200 on port 4341 was created"
grep -qi "instance-id" <<<"$out"
check_err $? "error does not explain: $out"
log_test "duplicate instance-id on one port refused"

RET=0
ip -n "$X2" link add lisp2 type lisp iid 200 port 4400
check_err $? "iid 200 on another port refused"
ip -n "$X2" link del lisp2 2>/dev/null
log_test "the same instance-id on another port is allowed"

# X1 now stamps tenant 200's id on packets for tenant 100's EIDs:
# X2's lisp1 gets them and refuses them, nothing reaches H2.
RET=0
ip -n "$X1" link set lisp0 type lisp iid 200
before=$(lisp_stat "$X2" lisp1 rx-not-ours)
ns_ping "$H1" 10.2.0.1
check_fail $? "packet crossed from tenant 200 into tenant 100"
[ "$(lisp_stat "$X2" lisp1 rx-not-ours)" -gt "$before" ]
check_err $? "lisp1 rx-not-ours did not move"
log_test "a tenant cannot reach another tenant's EIDs"

RET=0
ip -n "$X1" link set lisp0 type lisp iid 777
before=$(lisp_stat "$X2" lisp0 rx-unknown-iid)
ns_ping "$H1" 10.2.0.1
check_fail $? "packet with an unknown instance-id delivered"
[ "$(lisp_stat "$X2" lisp0 rx-unknown-iid)" -gt "$before" ]
check_err $? "rx-unknown-iid did not move"
log_test "unknown instance-id dropped and counted"

RET=0
ip -n "$X1" link set lisp0 type lisp iid 100
ns_ping "$H1" 10.2.0.1
check_err $? "changing the instance-id back did not restore traffic"
log_test "instance-id changed on a running device"

tap_done
