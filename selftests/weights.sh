#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Locator selection (RFC 9301 section 5.4): the lowest usable priority
# wins, weights split flows within it, priority 255 and unreachable
# locators are never used.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip
lisp_load_module || skip_all "cannot load lisp.ko"
topo_setup || { tap_not_ok "topology setup"; tap_done; }
topo_map 4
ip -n "$X2" addr add 192.0.2.3/24 dev eth0
ip -n "$X2" addr add 192.0.2.4/24 dev eth0
E=10.2.0.0/24
FLOWS=300

# Locator counters are shared by every entry using the locator: keep
# only the test's entry and measure from a baseline.
lctl "$X1" map-cache del lisp0 fd02::/64
declare -A BASE
share() {	# share RLOC: packets sent to it since the last set_entry
	echo $(( $(rloc_packets "$X1" $E "$1") - ${BASE[$1]:-0} ))
}

set_entry() {
	local r
	lctl "$X1" map-cache replace lisp0 $E "$@"
	for r in 192.0.2.2 192.0.2.3 192.0.2.4; do
		BASE[$r]=$(rloc_packets "$X1" $E $r)
	done
}

RET=0
set_entry rloc 192.0.2.2 priority 1 weight 50 rloc 192.0.2.3 priority 1 weight 50 \
	rloc 192.0.2.4 priority 2 weight 100
udp_flows "$H1" 10.2.0.1 $FLOWS
a=$(share 192.0.2.2) b=$(share 192.0.2.3) c=$(share 192.0.2.4)
tap_diag "50/50/backup: $a $b $c"
[ $((a + b)) -eq $FLOWS ] && [ "$c" -eq 0 ]
check_err $? "priority 2 locator used, or flows lost ($a+$b of $FLOWS)"
[ "$a" -ge $((FLOWS * 3 / 10)) ] && [ "$b" -ge $((FLOWS * 3 / 10)) ]
check_err $? "50/50 split is $a/$b"
log_test "equal weights split flows, the backup priority is unused"

RET=0
set_entry rloc 192.0.2.2 priority 1 weight 90 rloc 192.0.2.3 priority 1 weight 10
udp_flows "$H1" 10.2.0.1 $FLOWS
a=$(share 192.0.2.2) b=$(share 192.0.2.3)
tap_diag "90/10: $a $b"
[ "$a" -ge $((FLOWS * 75 / 100)) ] && [ "$b" -ge 1 ]
check_err $? "90/10 split came out $a/$b"
log_test "weights 90/10 give about 90% and 10%"

RET=0
set_entry rloc 192.0.2.2 priority 1 weight 50 unreachable rloc 192.0.2.3 priority 1 weight 50 \
	rloc 192.0.2.4 priority 2
udp_flows "$H1" 10.2.0.1 100
a=$(share 192.0.2.2) b=$(share 192.0.2.3)
[ "$a" -eq 0 ] && [ "$b" -eq 100 ]
check_err $? "unreachable locator got $a, the other $b of 100"
log_test "an unreachable locator is skipped"

RET=0
set_entry rloc 192.0.2.2 priority 255 rloc 192.0.2.3 priority 255 rloc 192.0.2.4 priority 3
udp_flows "$H1" 10.2.0.1 100
c=$(share 192.0.2.4)
[ "$c" -eq 100 ]
check_err $? "priority 3 got $c of 100 while the others are 255"
log_test "priority 255 locators are never used"

RET=0
set_entry rloc 192.0.2.2 priority 255
before=$(lisp_stat "$X1" lisp0 tx-no-rloc)
udp_flows "$H1" 10.2.0.1 10
[ $(( $(lisp_stat "$X1" lisp0 tx-no-rloc) - before )) -eq 10 ]
check_err $? "packets to an entry with no usable locator not counted"
log_test "an entry with no usable locator drops and counts"

RET=0
set_entry rloc 192.0.2.2 priority 1 weight 0 rloc 192.0.2.3 priority 1 weight 0
udp_flows "$H1" 10.2.0.1 $FLOWS
a=$(share 192.0.2.2) b=$(share 192.0.2.3)
[ "$a" -ge $((FLOWS * 3 / 10)) ] && [ "$b" -ge $((FLOWS * 3 / 10)) ]
check_err $? "all-zero weights split $a/$b"
log_test "all-zero weights split evenly"

# One flow always takes one locator.
RET=0
set_entry rloc 192.0.2.2 rloc 192.0.2.3
in_ns "$H1" bash -c 'exec 3>/dev/udp/10.2.0.1/9; for ((i = 0; i < 50; i++)); do echo x >&3; done'
a=$(share 192.0.2.2) b=$(share 192.0.2.3)
[ "$a" -eq 0 ] || [ "$b" -eq 0 ]
check_err $? "one flow spread over two locators ($a/$b)"
log_test "a flow sticks to one locator"

tap_done
