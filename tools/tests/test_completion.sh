#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lispctl's bash completion (tools/lispctl/lispctl.bash-completion): what
# a user gets on TAB, with ip(8) stubbed to show one lisp device and one
# namespace, and its word lists checked against lispctl's own usage text
# so that a new object or show target cannot be left out.  Prints TAP.
# Usage: test_completion.sh LISPCTL COMPLETION_FILE
set -u
LISPCTL=$1
COMP=$2
n=0 failed=0
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

cat >"$T/ip" <<'STUB'
#!/bin/sh
case "$*" in
"-o link show type lisp") echo "7: lisp0: <NOARP,UP,LOWER_UP> mtu 1444" ;;
"-o link show") echo "1: lo: <LOOPBACK,UP>"; echo "2: eth0@if3: <UP>"
	echo "7: lisp0: <NOARP,UP,LOWER_UP> mtu 1444" ;;
"netns list") echo "blue (id: 0)" ;;
esac
STUB
chmod +x "$T/ip"
PATH=$T:$PATH
# shellcheck source=/dev/null
. "$COMP"

echo "TAP version 13"
# complete "LINE" "EXPECTED WORDS": TAB at the end of LINE
complete_is() {
	local line=$1 want=$2 got
	read -r -a COMP_WORDS <<<"$line"
	[ "${line: -1}" = " " ] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_lispctl
	got="${COMPREPLY[*]}"
	n=$((n + 1))
	if [ "$got" = "$want" ]; then
		echo "ok $n - completion of \"$line\""
	else
		echo "not ok $n - completion of \"$line\""
		echo "#   want: $want"
		echo "#   got:  $got"
		failed=$((failed + 1))
	fi
}

# The objects and show's targets as lispctl's usage lists them.
objs=$("$LISPCTL" help | sed -n '/^OBJECT := {/,/}/p' | tr -d '{}|' |
	sed 's/OBJECT :=//' | xargs)
# (the targets between the braces; an "[ instance-id IID ]" follows them)
shows=$("$LISPCTL" show help 2>&1 | sed -n '/show {/,/}/p' | tr '\n' ' ' |
	sed 's/.*show {//; s/}.*//' | tr -d '|' | xargs)

n=$((n + 1))
if [ "$objs" = "map-cache database stats monitor dyn host show lookup" ] &&
   [ "$shows" = "map-cache database registration map-resolver site dynamic-eid subscriptions referral-cache nat statistics" ]; then
	echo "ok $n - lispctl's usage lists the objects and show targets"
else
	echo "not ok $n - lispctl's usage lists the objects and show targets"
	echo "#   objects: $objs"
	echo "#   show: $shows"
	failed=$((failed + 1))
fi
complete_is "lispctl " "$objs help"
complete_is "lispctl -j show " "$shows"
complete_is "lispctl m" "map-cache monitor"
complete_is "lispctl map-cache " "add replace del flush get show help"
complete_is "lispctl mc add " "lisp0"
complete_is "lispctl map-cache add lisp0 10.2.0.0/16 rloc 192.0.2.1 " \
	"rloc priority weight unreachable port fixed-sport action ttl static away"
complete_is "lispctl map-cache add lisp0 10.2.0.0/16 action drop-" \
	"drop-policy drop-auth"
complete_is "lispctl map-cache add lisp0 10.2.0.0/16 rloc " ""
complete_is "lispctl map-cache add lisp0 10.2.0.0/16 rloc 192.0.2.1 port " ""
complete_is "lispctl -n " "blue"
complete_is "lispctl -n blue stats " "lisp0"
complete_is "lispctl dyn add vms dev " "lo eth0 lisp0"
complete_is "lispctl --dry" "--dry-run"
complete_is "lispctl host del vms 10.1.0.5 " "recheck"
complete_is "lispctl lookup 10.2.0.1 -" "-m -s -i -t -c -j"

echo "1..$n"
[ $failed = 0 ]
