# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/lib.sh - helpers for the LISP VM selftests (bash).
#
# A selftest sources this file, runs its cases and ends with tap_done:
#
#	#!/bin/bash
#	source "$(dirname "$0")/lib.sh"
#	require_cmd ip ping
#	setup_ns A B
#	connect_ns "$A" veth0 192.0.2.1/24 "$B" veth0 192.0.2.2/24
#	RET=0
#	in_ns "$A" ping -c1 -W2 192.0.2.2 >/dev/null
#	check_err $? "no reply from B"
#	log_test "A pings B"
#	tap_done
#
# Output is TAP version 13 with automatic numbering; every description is
# prefixed with the test's name.  Exit status follows kselftest: 0 all
# passed, 1 something failed, 4 everything was skipped.  On exit every
# namespace made by setup_ns is deleted, the commands registered with
# defer run (last first), and a module loaded by lisp_load_module is
# removed.

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd "$LIB_DIR/.." && pwd -P)
TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}
LISPCTL="$REPO_ROOT/tools/lispctl/lispctl"

readonly KSFT_PASS=0 KSFT_FAIL=1 KSFT_SKIP=4

TAP_N=0			# results printed so far
TAP_PASS=0
TAP_FAIL=0
TAP_SKIP=0
TAP_PLANNED=
TAP_DONE=
TAP_LAST=$SECONDS		# when the previous result was printed
RET=0			# check_err/check_fail state, reset by log_test
RET_MSG=
NS_LIST=()		# namespaces to delete on exit
DEFER_LIST=()		# commands to run on exit, last first
LISP_LOADED_BY_TEST=

# Tunables.
: "${WAIT_TIMEOUT:=10}"		# default seconds for wait_for/slowwait
: "${PING_TIMEOUT:=4}"		# seconds ping waits for one reply
# Every deadline of wait_for/slowwait is stretched by WAIT_SCALE. The
# deadlines in the tests are what an idle emulated guest needs; a shared
# CI host running two VMs can be several times slower, and a deadline
# only costs time when the behaviour is already wrong, so be generous.
: "${WAIT_SCALE:=4}"
export WAIT_SCALE		# tools/demo's scripts, run by the tests, use it too

# The distribution's tools, not a user's shims (a pyenv python3 takes
# seconds to start under emulation).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
# The test helpers use only the standard library: without the site
# module (-S) python starts in a third of the time under TCG.
PY="/usr/bin/python3 -S"

echo "TAP version 13"

# ---------------------------------------------------------------------------
# TAP

tap_plan() {
	TAP_PLANNED=$1
	echo "1..$1"
}

tap_diag() {
	local line
	while IFS= read -r line; do
		echo "# $line"
	done <<<"$*"
}

# A result that took long says so, so that a slow check's log shows
# where the time went.
tap_took() {
	local d=$((SECONDS - TAP_LAST))

	TAP_LAST=$SECONDS
	[ "$d" -ge 20 ] && echo "# took ${d}s"
	return 0
}

tap_ok() {
	tap_took
	TAP_N=$((TAP_N + 1))
	TAP_PASS=$((TAP_PASS + 1))
	echo "ok $TAP_N - $TEST_NAME: $1"
}

# tap_not_ok DESC [REASON]
tap_not_ok() {
	tap_took
	TAP_N=$((TAP_N + 1))
	TAP_FAIL=$((TAP_FAIL + 1))
	echo "not ok $TAP_N - $TEST_NAME: $1"
	[ -n "${2:-}" ] && tap_diag "$2"
	return 0
}

# tap_skip DESC REASON
tap_skip() {
	tap_took
	TAP_N=$((TAP_N + 1))
	TAP_SKIP=$((TAP_SKIP + 1))
	echo "ok $TAP_N - $TEST_NAME: $1 # SKIP ${2:-}"
}

# tap_result RC DESC [REASON]: 0 ok, 4 skip, anything else not ok
tap_result() {
	local rc=$1 desc=$2
	case $rc in
	0) tap_ok "$desc" ;;
	"$KSFT_SKIP") tap_skip "$desc" "${3:-}" ;;
	*) tap_not_ok "$desc" "${3:-exit status $rc}" ;;
	esac
}

# Skip the whole test (or what is left of it) and exit.
skip_all() {
	tap_skip "${TEST_NAME}" "$*"
	tap_done
}

# Print the plan if none was given, and exit with the kselftest status.
tap_done() {
	TAP_DONE=1
	[ -n "$TAP_PLANNED" ] || echo "1..$TAP_N"
	if [ -n "$TAP_PLANNED" ] && [ "$TAP_PLANNED" != "$TAP_N" ]; then
		tap_diag "planned $TAP_PLANNED tests but ran $TAP_N"
		TAP_FAIL=$((TAP_FAIL + 1))
	fi
	tap_diag "$TEST_NAME: $TAP_PASS passed, $TAP_FAIL failed, $TAP_SKIP skipped"
	if [ "$TAP_FAIL" -gt 0 ]; then
		exit $KSFT_FAIL
	elif [ "$TAP_PASS" -eq 0 ] && [ "$TAP_SKIP" -gt 0 ]; then
		exit $KSFT_SKIP
	fi
	exit $KSFT_PASS
}

# ---------------------------------------------------------------------------
# check_err style assertions: each check records the first failure in RET
# and RET_MSG; log_test prints the result and resets them.

check_err() {
	local rc=$1 msg=${2:-}
	if [ "$rc" -ne 0 ] && [ "$RET" -eq 0 ]; then
		RET=$rc
		RET_MSG=$msg
	fi
	return 0
}

# The command was expected to fail.
check_fail() {
	local rc=$1 msg=${2:-}
	if [ "$rc" -eq 0 ] && [ "$RET" -eq 0 ]; then
		RET=1
		RET_MSG=$msg
	fi
	return 0
}

# check_eq ACTUAL EXPECTED MSG
check_eq() {
	if [ "$1" != "$2" ]; then
		check_err 1 "${3:-} (got '$1', expected '$2')"
	fi
	return 0
}

# log_test DESC: ok/not ok from the checks since the last log_test.
log_test() {
	if [ "$RET" -ne 0 ]; then
		tap_not_ok "$1" "$RET_MSG"
	else
		tap_ok "$1"
	fi
	RET=0
	RET_MSG=
}

# log_test_skip DESC REASON
log_test_skip() {
	tap_skip "$1" "${2:-}"
	RET=0
	RET_MSG=
}

# ---------------------------------------------------------------------------
# Requirements

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip_all "$c is not installed"
	done
}

require_root() {
	[ "$(id -u)" = 0 ] || skip_all "needs root"
}

# Only inside the tools/vm guest (sets LISP_VM=1): tests that load modules
# or change global state must not run on a developer's machine.
require_vm() {
	[ "${LISP_VM:-}" = 1 ] || skip_all "runs only inside tools/vm"
}

# dmesg_clean: no line of the kernel log after the first DMESG_BASE
# matches BAD_RE (both set by the test); else check_err with the first five.
dmesg_clean() {
	local bad
	bad=$(dmesg | tail -n +$((DMESG_BASE + 1)) | grep -E "$BAD_RE")
	[ -z "$bad" ] && return 0
	check_err 1 "kernel log: $(echo "$bad" | head -5)"
	return 1
}

# kill_wait PID...: end the test's own background processes and reap them.
kill_wait() {
	local p
	for p in "$@"; do
		kill "$p" 2>/dev/null
	done
	for p in "$@"; do
		wait "$p" 2>/dev/null
	done
}

# ---------------------------------------------------------------------------
# Cleanup

# defer CMD [ARG]...: run at exit, the last registered first.
defer() {
	local q
	printf -v q '%q ' "$@"
	DEFER_LIST+=("$q")
}

# Kills what runs in the test's namespaces and deletes them: one pass
# over /proc by the shell and one ip for all (execs are what costs).
cleanup_all_ns() {
	local ns p pids=()
	[ ${#NS_LIST[@]} -eq 0 ] && return 0
	for p in /proc/[0-9]*; do
		for ns in "${NS_LIST[@]}"; do
			if [ "$p/ns/net" -ef "/run/netns/$ns" ]; then
				pids+=("${p#/proc/}")
				break
			fi
		done
	done
	[ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
	printf 'netns del %s\n' "${NS_LIST[@]}" | ip -force -b - 2>/dev/null
	NS_LIST=()
	NS_PID=()
}

__lib_exit() {
	local rc=$? i
	trap - EXIT
	for ((i = ${#DEFER_LIST[@]} - 1; i >= 0; i--)); do
		eval "${DEFER_LIST[i]}" >/dev/null 2>&1
	done
	DEFER_LIST=()
	cleanup_all_ns
	[ -n "$LISP_LOADED_BY_TEST" ] && lisp_unload_module >/dev/null 2>&1
	if [ -z "$TAP_DONE" ]; then
		# The test died without tap_done: make that visible.
		if [ "$rc" -ne 0 ] && [ "$rc" -ne $KSFT_SKIP ]; then
			tap_not_ok "exited early with status $rc"
		fi
		TAP_DONE=1
		[ -n "$TAP_PLANNED" ] || echo "1..$TAP_N"
		[ "$TAP_FAIL" -gt 0 ] && rc=$KSFT_FAIL
	fi
	exit "$rc"
}
trap __lib_exit EXIT
trap 'exit 130' INT TERM HUP

# ---------------------------------------------------------------------------
# Namespaces

# setup_ns VAR...: make one namespace per VAR with a unique name, store the
# name in VAR, bring lo up, turn off IPv6 DAD and register it for deletion.
setup_ns() {
	local var name
	for var in "$@"; do
		name="${var,,}-$(mktemp -u XXXXXX)"
		if ! ip netns add "$name"; then
			tap_diag "ip netns add $name failed"
			return 1
		fi
		NS_LIST+=("$name")
		printf -v "$var" '%s' "$name"
		ip -n "$name" link set lo up
		in_ns "$name" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 2>/dev/null
	done
}

# in_ns NS CMD [ARG]...
in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# ns_pid VAR NS: VAR = the pid of a process that lives in NS, started
# the first time.  /proc/PID/net/ is NS's /proc/net/ (dev, snmp, snmp6),
# read by the shell with no exec: what a counter poll costs under TCG.
# (The process is a background job: a bare "wait" would wait for it.)
declare -A NS_PID
ns_pid() {
	local __nsp=${NS_PID[$2]:-}

	if [ -z "$__nsp" ] || ! [ /proc/$__nsp/ns/net -ef "/run/netns/$2" ]; then
		ip netns exec "$2" sleep 1000000 </dev/null >/dev/null 2>&1 &
		__nsp=$!
		NS_PID[$2]=$__nsp
		# ip netns exec enters NS, then becomes sleep: wait for the first.
		__poll 10 0.05 test /proc/$__nsp/ns/net -ef "/run/netns/$2" || return 1
	fi
	printf -v "$1" '%s' "$__nsp"
}

# lctl NS ARGS...: lispctl in NS.  Its own -n enters only the network
# namespace: one exec, where ip netns exec takes two and a mount namespace.
lctl() {
	local ns=$1
	shift
	"$LISPCTL" -n "$ns" "$@"
}

# connect_ns NS1 IF1 ADDRS1 NS2 IF2 ADDRS2: a veth pair between the two
# namespaces, both ends up, each with its (space separated) addresses in
# ip-address form (192.0.2.1/24, 2001:db8::1/64).  IPv6 addresses are
# added nodad.
connect_ns() {
	local ns1=$1 if1=$2 a1=$3 ns2=$4 if2=$5 a2=$6
	ip link add "$if1" netns "$ns1" type veth peer name "$if2" netns "$ns2" || return 1
	__addrs_up "$ns1" "$if1" "$a1" | ip -n "$ns1" -b - || return 1
	__addrs_up "$ns2" "$if2" "$a2" | ip -n "$ns2" -b - || return 1
}

# bridge_add NS BR: a bridge, without STP (ports forward at once), up.
bridge_add() {
	printf '%s\n' "link add $2 type bridge" "link set $2 type bridge stp_state 0" \
		"link set $2 up" | ip -n "$1" -b -
}

# bridge_port BRNS BR PORT PEERNS PEERIF ADDRS: a veth pair whose end PORT
# is a port of BR and whose end PEERIF, in PEERNS, has ADDRS (as
# connect_ns gives them).
bridge_port() {
	ip link add "$3" netns "$1" type veth peer name "$5" netns "$4" || return 1
	printf '%s\n' "link set $3 master $2" "link set $3 up" | ip -n "$1" -b - || return 1
	__addrs_up "$4" "$5" "$6" | ip -n "$4" -b -
}

# __addrs_up NS DEV ADDRS: the ip -batch lines that give DEV its
# addresses and bring it up (one ip for all: each exec counts under TCG).
__addrs_up() {
	local a
	for a in $3; do
		case $a in
		*:*) echo "addr add $a dev $2 nodad" ;;
		*) echo "addr add $a dev $2" ;;
		esac
	done
	echo "link set $2 up"
}

# ---------------------------------------------------------------------------
# Waiting

# wait_for TIMEOUT CMD [ARG]...: run CMD every 0.1 s until it succeeds;
# 1 after TIMEOUT * WAIT_SCALE seconds (TIMEOUT may be "" for
# $WAIT_TIMEOUT).
wait_for() {
	__poll $(( ${1:-$WAIT_TIMEOUT} * WAIT_SCALE )) 0.1 "${@:2}"
}

# slowwait TIMEOUT CMD [ARG]...: the same, once a second.
slowwait() {
	__poll $(( ${1:-$WAIT_TIMEOUT} * WAIT_SCALE )) 1 "${@:2}"
}

# never_within SECONDS CMD [ARG]...: 0 when CMD did not succeed once in
# SECONDS (not stretched: a test of something that must not happen).
never_within() {
	! __poll "$1" 0.1 "${@:2}"
}

# Polling costs a fork or more each time, and under TCG forks are what
# the machine spends: after two seconds, poll at most twice a second.
__poll() {
	local timeout=$1 step=$2 start now ms
	shift 2
	start=${EPOCHREALTIME//[!0-9]/}
	while :; do
		"$@" && return 0
		now=${EPOCHREALTIME//[!0-9]/}
		ms=$(((now - start) / 1000))
		[ "$ms" -ge $((timeout * 1000)) ] && return 1
		[ "$ms" -ge 2000 ] && [ "$step" = 0.1 ] && step=0.5
		sleep "$step"
	done
}

# listening NS PORT [udp]: something in NS listens on PORT (TCP by default).
listening() {
	local opt=-Hltn
	[ "${3:-}" = udp ] && opt=-Hlun
	[ -n "$(ip netns exec "$1" ss $opt "sport = :$2" 2>/dev/null)" ]
}

# iperf3_server NS [ARG]...: an iperf3 server for one test (-1) in the
# background, returned once it listens on 5201; its pid in IPERF3_PID.
iperf3_server() {
	local ns=$1
	shift
	ip netns exec "$ns" iperf3 -s -1 "$@" >/dev/null 2>&1 &
	IPERF3_PID=$!
	wait_for 10 listening "$ns" 5201
}

# tcpdump_ready ERRFILE: tcpdump, started with its stderr in ERRFILE, has
# opened its capture ("listening on ...").
tcpdump_ready() {
	wait_for 10 grep -q "listening on" "$1"
}

# ns_ping NS ADDR: one ping (v4 or v6 by the address) from NS.
ns_ping() {
	local ns=$1 addr=$2
	case $addr in
	*:*) in_ns "$ns" ping -6 -c1 -W"$PING_TIMEOUT" "$addr" ;;
	*) in_ns "$ns" ping -4 -c1 -W"$PING_TIMEOUT" "$addr" ;;
	esac >/dev/null 2>&1
}

# monitor_start NS FILE [OPTION]...: lispctl [OPTION]... monitor in NS
# writing to FILE, returned once it has joined the events group (its
# "listening" line in FILE.err); killed at exit; pid in MONITOR_PID.
monitor_start() {
	local ns=$1 file=$2
	shift 2
	in_ns "$ns" "${LISPCTL:-$REPO_ROOT/tools/lispctl/lispctl}" "$@" monitor >"$file" 2>"$file.err" &
	MONITOR_PID=$!
	defer kill "$MONITOR_PID"
	defer rm -f "$file.err"
	# lispctl's start under TCG with the other kernel's VM beside it
	# once took more than 10 s: wait longer, and say why on failure.
	wait_for 30 grep -q "listening for" "$file.err" && return 0
	if kill -0 "$MONITOR_PID" 2>/dev/null; then
		tap_diag "lispctl monitor in $ns: no \"listening\" line after 30 s"
	else
		tap_diag "lispctl monitor in $ns exited"
	fi
	tap_diag "$(sed "s/^/  stderr: /" "$file.err")"
	return 1
}

# ---------------------------------------------------------------------------
# The LISP module

: "${LISP_KO:=$REPO_ROOT/build/kmod-$(uname -r)/kmod/lisp.ko}"

lisp_module_loaded() {
	[ -d /sys/module/lisp ]
}

# lisp_load_module [PARAM=VALUE]...: insmod $LISP_KO; skips the rest of
# the test when it is not built for the running kernel, fails (returns 1)
# when insmod does.
lisp_load_module() {
	if [ ! -f "$LISP_KO" ]; then
		skip_all "lisp.ko not built for $(uname -r) ($LISP_KO)"
	fi
	if lisp_module_loaded; then
		tap_diag "lisp already loaded; reloading"
		rmmod lisp || return 1
	fi
	local dep
	for dep in $(modinfo -F depends "$LISP_KO" | tr , ' '); do
		modprobe "$dep" || { tap_diag "modprobe $dep failed"; return 1; }
	done
	if ! insmod "$LISP_KO" "$@"; then
		tap_diag "insmod $LISP_KO failed"
		return 1
	fi
	LISP_LOADED_BY_TEST=1
}

lisp_unload_module() {
	LISP_LOADED_BY_TEST=
	lisp_module_loaded || return 0
	rmmod lisp
}
