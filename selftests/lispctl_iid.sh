#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lispctl and instance-ids: two tenants' devices in one namespace, lisp0
# (iid 100) and lisp1 (iid 200), with the same prefixes in their
# map-caches, databases and dynamic-EID policies.  "iid N" (or
# "instance-id N") shows one tenant's rows of map-cache, database, stats
# and dyn, each row naming its instance-id, in text and JSON; "map-cache
# get [N]ADDR" looks ADDR up in the device of instance-id N, and says so
# when no device has it or two do (the same iid on another port).

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip jq
lisp_load_module || skip_all "cannot load lisp.ko"

setup_ns X || { tap_not_ok "setup_ns"; tap_done; }
ip -n "$X" -b - <<EOF || { tap_not_ok "devices"; tap_done; }
link add lisp0 type lisp iid 100
link add lisp1 type lisp iid 200
link add d0 type dummy
link add d1 type dummy
link set lisp0 up
link set lisp1 up
EOF
lctl "$X" -b - <<EOF || { tap_not_ok "tables"; tap_done; }
map-cache add lisp0 10.2.0.0/24 rloc 192.0.2.2
map-cache add lisp1 10.2.0.0/24 rloc 192.0.2.3
map-cache add lisp1 10.9.0.0/16 action drop
database add lisp0 10.1.0.0/24
database add lisp1 10.1.0.0/24
dyn add lan0 prefix 10.1.0.0/24 iid 100 dev d0
dyn add lan1 prefix 10.1.0.0/24 iid 200 dev d1
EOF

# rows CMD...: the output lines of lispctl in X, the clocks cut off.
rows() { lctl "$X" "$@" | sed 's/ age .*//'; }

RET=0
check_eq "$(rows map-cache show | grep -c ' iid 100 dev lisp0 ')" 1 \
	"unfiltered: tenant 100's entry"
check_eq "$(rows map-cache show | grep -c ' iid 200 dev lisp1 ')" 2 \
	"unfiltered: tenant 200's entries"
check_eq "$(rows map-cache show iid 200 | sort)" \
	"$(printf '%s\n' "10.2.0.0/24 iid 200 dev lisp1 via 192.0.2.3 prio 1 weight 100 ttl 0" \
		"10.9.0.0/16 iid 200 dev lisp1 action drop ttl 0")" \
	"map-cache show iid 200"
check_eq "$(rows map-cache show instance-id 100)" \
	"10.2.0.0/24 iid 100 dev lisp0 via 192.0.2.2 prio 1 weight 100 ttl 0" \
	"map-cache show instance-id 100"
check_eq "$(rows map-cache show dev lisp0 iid 200)" "" \
	"lisp0 has no row of instance-id 200"
log_test "map-cache show iid: one tenant's rows, the same prefix in both"

RET=0
check_eq "$(lctl "$X" -j map-cache show iid 200 |
	jq -r '.[] | "\(.iid) \(.dev) \(.eid)"' | sort | tr '\n' ' ')" \
	"200 lisp1 10.2.0.0/24 200 lisp1 10.9.0.0/16 " "JSON rows of iid 200"
check_eq "$(lctl "$X" -j map-cache show iid 300)" "[]" "no tenant 300: []"
log_test "map-cache show -j iid: \"iid\" in every row"

RET=0
check_eq "$(rows database show iid 100)" "10.1.0.0/24 iid 100 dev lisp0" \
	"database show iid 100"
check_eq "$(lctl "$X" -j database show instance-id 200 | jq -c '.[] | [.eid, .iid, .dev]')" \
	'["10.1.0.0/24",200,"lisp1"]' "database JSON of iid 200"
log_test "database show iid: one tenant's prefix"

RET=0
check_eq "$(lctl "$X" stats iid 200 | grep '^dev ')" "dev lisp1 iid 200:" \
	"stats iid 200: lisp1 only"
check_eq "$(lctl "$X" -j stats iid 100 | jq -r '.[] | "\(.dev) \(.iid)"')" \
	"lisp0 100" "stats JSON of iid 100"
log_test "stats iid: one tenant's device"

RET=0
check_eq "$(lctl "$X" dyn show iid 200 | grep -v '^ ')" \
	"lan1 prefix 10.1.0.0/24 iid 200 dev d1 timeout 300" "dyn show iid 200"
check_eq "$(lctl "$X" -j dyn show iid 100 | jq -r '.[] | "\(.name) \(.iid)"')" \
	"lan0 100" "dyn JSON of iid 100"
log_test "dyn show iid: one tenant's policy"

RET=0
check_eq "$(rows map-cache get '[200]10.2.0.5')" \
	"10.2.0.0/24 iid 200 dev lisp1 via 192.0.2.3 prio 1 weight 100 ttl 0" \
	"get [200]10.2.0.5"
check_eq "$(rows map-cache get '[100]10.2.0.5')" \
	"10.2.0.0/24 iid 100 dev lisp0 via 192.0.2.2 prio 1 weight 100 ttl 0" \
	"get [100]10.2.0.5"
check_eq "$(rows map-cache get '[200]10.9.0.0/16')" \
	"10.9.0.0/16 iid 200 dev lisp1 action drop ttl 0" "get [200]10.9.0.0/16"
out=$(lctl "$X" map-cache get '[100]10.9.1.1' 2>&1)
check_fail $? "tenant 100 found tenant 200's 10.9.0.0/16: $out"
log_test "map-cache get [IID]ADDR: in the device of that instance-id"

RET=0
out=$(lctl "$X" map-cache get '[300]10.2.0.5' 2>&1)
check_eq "$?:$out" \
	"1:lispctl: map-cache get: no lisp device in this namespace has instance-id 300" \
	"no device of iid 300"
out=$(lctl "$X" map-cache get lisp0 '[200]10.2.0.5' 2>&1)
check_eq "$?:$out" "1:lispctl: map-cache get: lisp0 does not have instance-id 200" \
	"DEV and [IID] disagree"
log_test "map-cache get [IID]: no such tenant, or not DEV's, said"

# Instance-id 200 on a second port: a filter shows both devices' rows, a
# get wants the device named.
RET=0
ip -n "$X" link add lisp2 type lisp iid 200 port 4400 &&
	lctl "$X" map-cache add lisp2 10.2.0.0/24 rloc 192.0.2.4
check_err $? "lisp2"
check_eq "$(rows map-cache show iid 200 | awk '{ print $1, $5 }' | sort | tr '\n' ' ')" \
	"10.2.0.0/24 lisp1 10.2.0.0/24 lisp2 10.9.0.0/16 lisp1 " \
	"show iid 200 with two devices"
out=$(lctl "$X" map-cache get '[200]10.2.0.5' 2>&1)
check_eq "$?:$out" \
	"1:lispctl: map-cache get: instance-id 200 is on 2 devices (lisp1, lisp2): name the device" \
	"ambiguous [200]"
check_eq "$(rows map-cache get lisp2 '[200]10.2.0.5')" \
	"10.2.0.0/24 iid 200 dev lisp2 via 192.0.2.4 prio 1 weight 100 ttl 0" \
	"get lisp2 [200]10.2.0.5"
log_test "instance-id on two devices: shown for both, get names them"

tap_done
