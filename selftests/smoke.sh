#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# smoke: the harness and the VM themselves.  Two namespaces joined by a
# veth pair reach each other over IPv4 and IPv6, and an address nobody
# owns does not answer (so a broken network setup cannot pass).

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping

RET=0
setup_ns NS1 NS2
check_err $? "setup_ns failed"
connect_ns "$NS1" veth1 "192.0.2.1/24 2001:db8:1::1/64" \
	"$NS2" veth2 "192.0.2.2/24 2001:db8:1::2/64"
check_err $? "connect_ns failed"
log_test "two namespaces joined by veth"

RET=0
wait_for 5 in_ns "$NS1" sh -c 'grep -q up /sys/class/net/veth1/operstate'
check_err $? "veth1 did not come up"
wait_for 5 in_ns "$NS2" sh -c 'grep -q up /sys/class/net/veth2/operstate'
check_err $? "veth2 did not come up"
log_test "veth carrier up on both ends"

RET=0
ns_ping "$NS1" 192.0.2.2
check_err $? "no IPv4 reply from $NS2"
ns_ping "$NS2" 192.0.2.1
check_err $? "no IPv4 reply from $NS1"
log_test "IPv4 ping both ways"

RET=0
ns_ping "$NS1" 2001:db8:1::2
check_err $? "no IPv6 reply from $NS2"
log_test "IPv6 ping"

RET=0
PING_TIMEOUT=1 ns_ping "$NS1" 192.0.2.3
check_fail $? "a ping to an unconfigured address succeeded"
log_test "ping to an unconfigured address fails"

RET=0
in_ns "$NS1" ip -o addr show dev veth1 | grep -q '192.0.2.2/'
check_fail $? "$NS1 has $NS2's address"
log_test "namespaces are isolated"

tap_done
