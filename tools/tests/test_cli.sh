#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Command-line tests of lispctl (no kernel module needed: --dry-run
# parses and builds requests without sending) and of the ip plugin
# link_lisp.so through the real ip(8). Prints TAP.
# Usage: test_cli.sh LISPCTL PLUGIN_DIR MKLINKMSG
set -u
LISPCTL=$1
PLUGDIR=$2
MKLINKMSG=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
failed=0

echo "TAP version 13"
tap() { # tap RESULT DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		sed 's/^/#   /' "$T/err" "$T/out" 2>/dev/null | head -n 20
	fi
}
skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}
run() { # run ARGS...: status in $rc, output in $T/out and $T/err
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}
# expect STATUS PATTERN DESCRIPTION: last run's status and stderr
expect() {
	r=0
	[ "$rc" = "$1" ] || r=1
	[ -z "$2" ] || grep -q -- "$2" "$T/err" || r=1
	tap $r "$3"
}

run "$LISPCTL" -V
r=1; [ $rc = 0 ] && grep -q '^lispctl ' "$T/out" && r=0
tap $r "-V prints the version"
run "$LISPCTL" --help
r=1; [ $rc = 0 ] && grep -q 'map-cache' "$T/out" && r=0
tap $r "--help prints the usage, exit 0"
run "$LISPCTL"
expect 2 "Usage" "no arguments: usage, exit 2"
run "$LISPCTL" -Q map-cache show
expect 2 'unknown option "-Q"' "unknown option names the option"
run "$LISPCTL" frob
expect 2 'unknown object "frob"' "unknown object names the word"
run "$LISPCTL" --dry-run map-cache add lisp0 10.0.0.0/24 rloc 192.0.2.1 priority 1 weight 50
expect 0 "" "valid map-cache add, exit 0"
run "$LISPCTL" --dry-run map-cache add lisp0 10.0.0.0/24 rloc 192.0.2.1 pirority 1
expect 2 'unknown option "pirority"' "misspelt keyword named"
run "$LISPCTL" --dry-run map-cache add lisp0 10.0.0.0/24 rloc 192.0.2.1 priority 300
expect 2 'invalid priority "300"' "out of range priority named"
run "$LISPCTL" --dry-run map-cache add lisp0 10.0.0/24 rloc 192.0.2.1
expect 2 'invalid EID prefix "10.0.0/24"' "bad prefix named"
run "$LISPCTL" --dry-run map-cache add lisp0 10.0.0.0/24 rloc 192.0.2.300
expect 2 'invalid RLOC address "192.0.2.300"' "bad RLOC named"
run "$LISPCTL" --dry-run map-cache add lisp0 10.0.0.0/24 action explode
expect 2 'invalid action "explode"' "bad action named"
run "$LISPCTL" --dry-run map-cache zap lisp0
expect 2 'unknown command "zap"' "bad map-cache command named"
run "$LISPCTL" --dry-run database add lisp0 10.0.0.0/24 junk
expect 2 'unexpected "junk"' "trailing word named"
run "$LISPCTL" -n no-such-netns-here map-cache show
expect 1 'no-such-netns-here' "-n with a missing namespace fails, exit 1"

cat >"$T/batch" <<'B'
# a comment, then a blank line

map-cache add lisp0 10.0.0.0/24 rloc 192.0.2.1
map-cache add lisp0 10.0.1.0/24 rloc 192.0.2.1 priority 256
map-cache add lisp0 2001:db8::/32 rloc 192.0.2.1 rloc 2001:db8:ffff::1 weight 10
map-cache replace lisp0 10.0.2.0/24 action drop ttl 60   # trailing comment
map-cache add lisp0 10.0.3.0/24
database add lisp0 10.9.0.0/16
databse add lisp0 10.9.0.0/16
map-cache del lisp0 10.0.0.0/24
B
run "$LISPCTL" --dry-run -b "$T/batch"
expect 1 'line 4: map-cache add: invalid priority "256"' "batch: error on line 4 reported"
grep -q 'line 7: map-cache add: need at least one rloc' "$T/err"; tap $? "batch: error on line 7 reported"
grep -q 'line 9: unknown object "databse"' "$T/err"; tap $? "batch: error on line 9 reported"
r=1; [ "$(grep -c 'line [0-9]*:' "$T/err")" = 3 ] && r=0
tap $r "batch: exactly the 3 bad lines reported, the rest continue"
grep -q '3 of 10 lines failed' "$T/err"; tap $? "batch: summary line"
run sh -c "grep -v priority '$T/batch' | grep -v databse | grep -v '10.0.3.0' | '$LISPCTL' --dry-run -b -"
expect 0 "" "batch from stdin, all good: exit 0"

# A big batch is parsed quickly (the kernel side is timed in the VM).
awk 'BEGIN { for (i = 0; i < 100000; i++)
	printf "map-cache add lisp0 10.%d.%d.0/24 rloc 192.0.2.%d\n",
	       i / 256 % 256, i % 256, i % 250 + 1 }' >"$T/big"
start=$(date +%s)
run "$LISPCTL" --dry-run -b "$T/big"
secs=$(( $(date +%s) - start ))
r=1; [ $rc = 0 ] && [ $secs -le 5 ] && r=0
tap $r "batch: 100000 lines parsed and built in ${secs}s"

# ---- the ip plugin, through the real ip(8) ----
if ! command -v ip >/dev/null 2>&1; then
	skip "ip plugin" "ip not installed"
else
	export IP_LIB_DIR="$PLUGDIR"
	run ip link help lisp
	r=1; grep -q 'udp6zerocsumtx' "$T/out" "$T/err" && grep -q 'df { unset | set | inherit }' "$T/out" "$T/err" && r=0
	tap $r "ip link help lisp shows the plugin's help"
	for bad in "iid 16777216" "port 0" "port 65536" "ttl 256" "tos 1" "tos 0x100" \
		   "df maybe" "local 2001:db8::1" "local6 192.0.2.1" "frob" \
		   "miss-hold 3600001" "miss-hold -1"; do
		word=${bad#* }
		[ "$bad" = frob ] && word=frob
		run ip link add lisp0 type lisp $bad
		r=1; [ $rc != 0 ] && grep -q "\"$word\"" "$T/err" && grep -q '^Error: lisp:' "$T/err" && r=0
		tap $r "ip link add ... type lisp $bad: refused, names \"$word\""
	done
	run ip link add lisp0 type lisp ttl
	expect 1 '"ttl" needs a value' "option without value refused"
	if "$MKLINKMSG" "$T/link.nl" && ip -d monitor file "$T/link.nl" >"$T/out" 2>"$T/err"; then
		grep -q 'lisp iid 100 local 192.0.2.1 local6 2001:db8::1 port 4341 ttl 64 tos 0x10 df set udp6zerocsumtx nopetr nodecap-any map-max 1000 miss-hold 30000' "$T/out"
		tap $? "ip -d prints every IFLA_LISP_* attribute"
	else
		tap 1 "ip -d monitor file"
	fi
	if "$MKLINKMSG" "$T/link.nl" inherit && ip -d monitor file "$T/link.nl" >"$T/out" 2>"$T/err"; then
		grep -q 'ttl inherit tos inherit df inherit noudp6zerocsumtx petr decap-any' "$T/out"
		tap $? "ip -d prints inherit and the boolean options"
	else
		tap 1 "ip -d monitor file (inherit)"
	fi
fi

echo "1..$n"
[ $failed = 0 ]
