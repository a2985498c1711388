#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# privilege: the genl family is for the network administrator of the
# namespace.  An unprivileged user (uid 65534, no capabilities) can join
# no events group (MISS events say who talks to whom), and gets EPERM for
# every command: map-cache, database and dynamic-EID dumps, counters,
# changes.  Root of a user namespace that owns a new network namespace
# (unshare -Urn) administers its own devices and sees its own events, and
# nothing of the namespace it came from.

source "$(dirname "$0")/lib.sh"
source "$LIB_DIR/topo.sh"

require_root
require_vm
require_cmd ip ping setpriv unshare timeout

lisp_load_module || skip_all "cannot load lisp.ko"

tmp=$(mktemp -d)
defer rm -rf "$tmp"
# A copy every user may run, wherever the repository is mounted.
install -m 0755 "$LISPCTL" "$tmp/lispctl"
chmod 0755 "$tmp"
LC=$tmp/lispctl

# NOBODY CMD...: as uid 65534 without capabilities (ip netns exec runs it).
NOBODY=(setpriv --reuid 65534 --regid 65534 --clear-groups)

# X: one lisp device, a map-cache entry, a database prefix, and a route
# into lisp0 for which there is no mapping: each ping raises a MISS.
RET=0
setup_ns X
check_err $? "setup_ns"
ip -n "$X" link add lisp0 type lisp &&
	ip -n "$X" link set lisp0 up &&
	ip -n "$X" addr add 10.1.0.254/32 dev lo &&
	ip -n "$X" route add 10.2.0.0/24 dev lisp0 src 10.1.0.254
check_err $? "lisp0 setup"
lctl "$X" map-cache add lisp0 10.3.0.0/24 rloc 192.0.2.9 &&
	lctl "$X" database add lisp0 10.1.0.0/24
check_err $? "map-cache and database entries"
log_test "namespace with a lisp device, a map-cache entry and a database"

# miss_to DST: one packet to an unmapped destination (raises a MISS).
miss_to() {
	in_ns "$X" ping -c1 -W1 "$1" >/dev/null 2>&1
}

# --- root of the namespace: the positive control -------------------------

RET=0
in_ns "$X" "$LC" monitor >"$tmp/root.ev" 2>&1 &
mon=$!
defer kill $mon
sleep 1
wait_for 30 bash -c "ip netns exec '$X' ping -c1 -W1 10.2.0.1 >/dev/null 2>&1; grep -q 'miss.*dst 10.2.0.1' '$tmp/root.ev'"
check_err $? "root's monitor saw no MISS: $(cat "$tmp/root.ev")"
log_test "root of the namespace receives MISS events"

# --- uid 65534 ------------------------------------------------------------

RET=0
in_ns "$X" "${NOBODY[@]}" "$LC" monitor >"$tmp/nobody.ev" 2>&1 &
nmon=$!
defer kill $nmon
# Either the join is refused at once, or (the defect) it listens: give it
# the events it would print.
for i in 1 2 3; do
	miss_to 10.2.0.$((10 + i))
	sleep 1
done
wait_for 30 grep -q "dst 10.2.0.13" "$tmp/root.ev"
check_err $? "root's monitor did not see the last MISS"
if kill -0 $nmon 2>/dev/null; then
	check_err 1 "uid 65534's monitor is still listening"
	kill $nmon
fi
grep -q "miss" "$tmp/nobody.ev"
check_fail $? "uid 65534 received MISS events: $(grep -c miss "$tmp/nobody.ev")"
grep -qi "join group.*not permitted" "$tmp/nobody.ev"
check_err $? "monitor did not fail with EPERM: $(cat "$tmp/nobody.ev")"
log_test "uid 65534 cannot join the events group (EPERM), sees no MISS"

# nobody_refused DESC LISPCTL-ARGS...: EPERM, and no entry printed.
nobody_refused() {
	local desc=$1 out rc
	shift
	RET=0
	out=$(in_ns "$X" "${NOBODY[@]}" "$LC" "$@" 2>&1)
	rc=$?
	check_fail $rc "uid 65534: lispctl $* succeeded: $out"
	grep -qi "not permitted" <<<"$out"
	check_err $? "lispctl $* did not say EPERM: $out"
	grep -q "10\.[13]\.0\.0/24" <<<"$out"
	check_fail $? "lispctl $* printed entries: $out"
	log_test "uid 65534: $desc refused (EPERM)"
}

nobody_refused "map-cache dump" map-cache show
nobody_refused "map-cache get" map-cache get lisp0 10.3.0.0/24
nobody_refused "database dump" database show
nobody_refused "stats get" stats lisp0
nobody_refused "stats dump" stats
nobody_refused "dynamic-EID policy dump" dyn show
nobody_refused "dynamic-EID host dump" host show
nobody_refused "map-cache add" map-cache add lisp0 10.4.0.0/24 rloc 192.0.2.9

RET=0
lctl "$X" map-cache show | grep -q "10.3.0.0/24"
check_err $? "root no longer sees the entry"
lctl "$X" map-cache show | grep -q "10.4.0.0/24"
check_fail $? "uid 65534's add went in"
log_test "root still dumps the map-cache; nothing was added"

# --- root of a user namespace with its own network namespace ---------------

# Everything runs inside one unshare -Urn: create and administer a device,
# raise and see its own MISS, and see none of X's.
cat >"$tmp/userns.sh" <<'EOF'
LC=$1 EV=$2
ip link set lo up || exit 10
ip link add lisp0 type lisp || exit 11
ip link set lisp0 up || exit 12
ip addr add 10.7.0.254/32 dev lo || exit 13
ip route add 10.8.0.0/24 dev lisp0 src 10.7.0.254 || exit 14
"$LC" map-cache add lisp0 10.9.0.0/24 rloc 192.0.2.9 || exit 15
"$LC" map-cache show | grep -q "10.9.0.0/24" || exit 16
"$LC" stats lisp0 | grep -q "rx-not-ours" || exit 17
"$LC" map-cache show | grep -q "10\.[13]\.0\.0/24" && exit 18
"$LC" monitor >"$EV" 2>&1 &
mon=$!
sleep 1
for i in $(seq 1 30); do
	ping -c1 -W1 10.8.0.1 >/dev/null 2>&1
	grep -q "miss.*dst 10.8.0.1" "$EV" && break
done
grep -q "miss.*dst 10.8.0.1" "$EV" || exit 19
# X (another namespace) raises MISS events now; wait for the parent.
for i in $(seq 1 600); do
	[ -e "$EV.done" ] && break
	sleep 0.1
done
kill $mon
exit 0
EOF
RET=0
unshare -Urn bash "$tmp/userns.sh" "$LC" "$tmp/userns.ev" >"$tmp/userns.out" 2>&1 &
uns=$!
wait_for 60 grep -q "dst 10.8.0.1" "$tmp/userns.ev"
check_err $? "no MISS event of its own in the user namespace: $(cat "$tmp/userns.ev" "$tmp/userns.out" 2>/dev/null)"
miss_to 10.2.0.77
wait_for 30 grep -q "dst 10.2.0.77" "$tmp/root.ev"
check_err $? "root's monitor did not see 10.2.0.77"
touch "$tmp/userns.ev.done"
wait $uns
rc=$?
check_err $rc "user-namespace script failed at step $rc: $(cat "$tmp/userns.out")"
grep -q "10\.2\.0\." "$tmp/userns.ev"
check_fail $? "the user namespace saw X's MISS events: $(grep 10.2.0 "$tmp/userns.ev")"
log_test "unshare -Urn: administers its own device and events, sees none of X's"

tap_done
