#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lispd end to end: two xTRs (ITR + ETR) and a Map-Server/Map-Resolver,
# each a lispd in its own namespace, over the two-site topology with M
# hanging off X2:
#
#   H1 -- X1 ===== 192.0.2.0/24 ===== X2 -- H2
#                                      |  198.51.100.0/24
#                                      M   (map-server, map-resolver)
#
# The ETRs register their sites; the first ping from H1 to H2 misses in
# X1's kernel, which holds it while lispd asks M (ECM Map-Request), M
# forwards to X2's ETR, X2 answers X1 and X1 installs the mapping: the
# ping is answered (X2 resolves the way back the same way).  Then a
# negative Map-Reply for space no site has, a malformed message to M,
# a restart of X1's lispd adopting the kernel's entries, SIGHUP and a
# clean SIGTERM.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip ping
[ -x "$LISPD" ] || skip_all "lispd not built ($LISPD)"
# Hold long enough for a slow emulated guest to resolve.
lisp_load_module miss_hold_ms=30000 || skip_all "cannot load lisp.ko"
topo_setup || { tap_not_ok "topology setup"; tap_done; }
setup_ns M || { tap_not_ok "namespace M"; tap_done; }
topo_ms_link || { tap_not_ok "link X2-M"; tap_done; }

# Logs and configurations under build/ so that they outlive the VM
# (removed when all passed); sockets in /tmp: 9p cannot hold them.
lispd_dirs lispd || { tap_not_ok "run directories"; tap_done; }

ms_conf
xtr_conf x1 "key-a algorithm = hmac-sha-256-128" 192.0.2.1 10.1.0.0/24 fd01::/64
xtr_conf x2 "key-b algorithm = hmac-sha-1-96" 192.0.2.2 10.2.0.0/24 fd02::/64

RET=0
for c in m x1 x2; do
	out=$("$LISPD" -n -c "$run/$c.conf" 2>&1)
	check_err $? "$c.conf: $out"
done
log_test "lispd -n accepts the three configurations"

start_sites

RET=0
wait_for 20 registered v6
check_err $? "sites not registered: $(show m site 2>&1)"
log_test "both ETRs registered their prefixes (SHA-256 and SHA-1 keys)"

RET=0
notified() { show x1 database | grep -q "map-server 198.51.100.1 registered"; }
wait_for 5 notified
check_err $? "x1 does not see its Map-Notify: $(show x1 database 2>&1)"
lctl "$X1" database show | grep -q "10.1.0.0/24"
check_err $? "10.1.0.0/24 not in X1's kernel database"
log_test "Map-Notify acknowledged the registration; database in the kernel"

RET=0
out=$(in_ns "$H1" ping -c1 -W25 10.2.0.1 2>&1)
check_err $? "first ping lost: $out"
log_test "first IPv4 ping crosses miss, Map-Request, Map-Reply, install"

RET=0
map_line "$X1" 10.2.0.0/24 | grep -q 192.0.2.2
check_err $? "X1 map-cache: $(lctl "$X1" map-cache show 2>&1)"
show x1 map-cache | grep -q "10.2.0.0/24 iid 0 action .* rloc 192.0.2.2"
check_err $? "lispctl show map-cache: $(show x1 map-cache 2>&1)"
map_line "$X2" 10.1.0.0/24 | grep -q 192.0.2.1
check_err $? "X2 map-cache: $(lctl "$X2" map-cache show 2>&1)"
log_test "both ITRs installed the other site with its TTL"

# lispctl -c reads the configuration through lispd's loader: show asks
# the lispd of that file at its control-socket, lookup its map-resolver.
RET=0
out=$(env -u LISPD_SOCKET "$LISPCTL" -c "$run/x1.conf" show map-cache 2>&1)
echo "$out" | grep -q "10.2.0.0/24 iid 0 action .* rloc 192.0.2.2"
check_err $? "lispctl -c x1.conf show map-cache: $out"
out=$(lctl "$X1" -c "$run/x1.conf" lookup 10.2.0.1 -t 3000 -c 3 2>&1)
echo "$out" | grep -q "^Map-Request for 10.2.0.1 to 198.51.100.1, "
check_err $? "lookup did not ask x1.conf's map-resolver: $out"
echo "$out" | grep -q "^  10.2.0.0/24 ttl [0-9]* authoritative, 1 locator"
check_err $? "lookup through x1.conf: $out"
log_test "lispctl -c x1.conf: show asks its lispd, lookup its map-resolver"

RET=0
out=$(in_ns "$H1" ping -6 -c1 -W25 fd02::1 2>&1)
check_err $? "first ping lost: $out"
log_test "first IPv6 ping (EIDs over an IPv4 underlay) is answered"

RET=0
ip -n "$X1" route add 10.3.0.0/24 dev lisp0
in_ns "$H1" ping -c1 -W3 10.3.0.1 >/dev/null 2>&1
wait_for 10 bash -c "$LISPCTL -n $X1 map-cache show | grep -q '^10.3.0.0/16.*native-forward'"
check_err $? "no negative entry: $(lctl "$X1" map-cache show 2>&1)"
log_test "negative Map-Reply for space no site has: 10.3.0.0/16 native-forward"

RET=0
in_ns "$X2" bash -c 'printf "\x30\x00\x00\x01junk" >/dev/udp/198.51.100.1/4342'
wait_for 5 bash -c "LISPD_SOCKET=$sock/m.sock $LISPCTL show statistics | grep -q 'rx-malformed  *[1-9]'"
check_err $? "not counted: $(show m statistics 2>&1 | head -3)"
grep -q "malformed Map-Register from 198.51.100.2" "$run/m.log"
check_err $? "not logged"
kill -0 "$pid_m"
check_err $? "the map-server died"
log_test "a malformed Map-Register is logged with its reason and counted"

RET=0
kill -TERM "$pid_x1"
wait "$pid_x1"
start "$X1" x1
wait_for 10 bash -c "LISPD_SOCKET=$sock/x1.sock $LISPCTL show map-cache | grep -q '^10.2.0.0/24 '"
check_err $? "not adopted: $(show x1 map-cache 2>&1)"
grep -q "adopted 3 entries" "$run/x1.log"
check_err $? "log: $(grep adopted "$run/x1.log")"
in_ns "$H1" ping -c1 -W5 10.2.0.1 >/dev/null 2>&1
check_err $? "no ping after the restart"
log_test "a restarted lispd adopts the map-cache entries it left in the kernel"

RET=0
k0=$(lctl "$X1" map-cache show lisp0 | awk '{ print $1, $2, $3 }')
out=$(timeout 60 ip netns exec "$X1" "$LISPD" -d -c "$run/x1.conf" 2>&1)
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ]
check_err $? "a second lispd on x1's configuration exited with $rc: $out"
grep -q "another lispd answers on $sock/x1.sock" <<<"$out"
check_err $? "no reason given: $out"
show x1 map-cache | grep -q '^10.2.0.0/24 '
check_err $? "the running lispd no longer answers: $(show x1 map-cache 2>&1)"
check_eq "$(lctl "$X1" map-cache show lisp0 | awk '{ print $1, $2, $3 }')" "$k0" \
	"X1's map-cache in the kernel"
log_test "a second lispd on a running one's control socket refuses to start"

RET=0
kill -HUP "$pid_m" || { wait "$pid_m"; tap_diag "map-server gone, status $?"; }
wait_for 5 grep -q "running roles" "$run/m.log"
check_err $? "no reload in the log"
kill -0 "$pid_m"
check_err $? "died on SIGHUP"
log_test "SIGHUP reloads"

RET=0
kill -TERM "$pid_x1" "$pid_x2" "$pid_m"
for p in "$pid_x1" "$pid_x2" "$pid_m"; do
	wait "$p"
	rc=$?
	check_err $rc "pid $p exit status $rc"
done
[ ! -e "$sock/m.sock" ]
check_err $? "control socket left behind"
log_test "SIGTERM: clean exit"

lispd_done m x1 x2
