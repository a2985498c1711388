#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's YNL library (tools/net/ynl of the kernel tree, imported
# from there, nothing copied) drives the device from our specs alone:
# rt-link with Documentation/netlink/specs/rt-link-lisp.yaml merged in
# creates and dumps lisp links, and lisp.yaml drives every command of the
# genl family and its events group. One python3 process,
# tools/ynl_steps.py, runs every request: under TCG a python3 start and
# a spec parse cost seconds, the kernel's cli.py pays both per request.
# Documentation/netlink.rst, "The YNL command line".

source "$(dirname "$0")/lib.sh"

KSRC=${KSRC:-/usr/src/linux-source-6.12}
YNL=$KSRC/tools/net/ynl
SPECS=$REPO_ROOT/Documentation/netlink/specs

require_cmd ip jq python3
# Every kernel: 6.1's tree has no YNL, the 6.12 tree's library drives
# both (one process makes the run cheap enough for make check on each).
# 6.12 has the library in tools/net/ynl/lib, later trees in pyynl/lib.
[ -r "$YNL/lib/ynl.py" ] || [ -r "$YNL/pyynl/lib/ynl.py" ] ||
	skip_all "no kernel YNL library in $YNL"
setup_ns N || { tap_not_ok "namespace"; tap_done; }
TMPD=$(mktemp -d)
defer rm -rf "$TMPD"

# ynl_steps.py runs in the background, its stdin and stdout FIFOs that
# every function here (pipelines included) writes steps to and reads
# results from. It starts (seconds of imports) while the module loads.
mkfifo "$TMPD/steps.in" "$TMPD/steps.out"
in_ns "$N" python3 "$LIB_DIR/tools/ynl_steps.py" "$YNL" \
	<"$TMPD/steps.in" >"$TMPD/steps.out" 2>"$TMPD/steps.err" &
exec {STEPS_IN}>"$TMPD/steps.in" {STEPS_OUT}<"$TMPD/steps.out"
lisp_load_module || skip_all "cannot load lisp.ko"
# step JSON: one step of ynl_steps.py; its result line in STEP_RES.
step() {
	local rc
	# A driver that died fails the write: EPIPE, not the shell's death.
	trap '' PIPE
	printf '%s\n' "${1//$'\n'/ }" >&"$STEPS_IN" 2>/dev/null
	rc=$?
	trap - PIPE
	[ $rc = 0 ] && IFS= read -r -t 300 STEP_RES <&"$STEPS_OUT" && return
	STEP_RES=$(jq -cn --arg e "$(tail -n 3 "$TMPD/steps.err")" \
		'{errno: -1, error: ("ynl_steps.py gave no result: " + $e)}')
}
# result: STEP_RES as the kernel's cli.py prints it: the reply on
# stdout; "error: -ERRNO TEXT" on stderr and status 1 if refused.
# (ynl_steps.py writes "errno" first and "reply" last, so bash splits
# the line: a jq a request costs seconds under TCG.)
result() {
	local reply errno msg
	case $STEP_RES in
	'{"errno":0,"reply":'*)
		reply=${STEP_RES#'{"errno":0,"reply":'}
		printf '%s\n' "${reply%\}}"
		return 0 ;;
	esac
	errno=${STEP_RES#'{"errno":'}
	errno=${errno%%,*}
	msg=${STEP_RES#*'"error":"'}
	msg=${msg%'"}'}
	if [ "$errno" -gt 0 ] 2>/dev/null; then
		echo "error: -$errno $msg" >&2
	else
		echo "error: $msg" >&2
	fi
	return 1
}
# ynl FAMILY [--do OP|--dump OP|--list-ops|--subscribe GROUP|--ntf SECONDS]
#	[--json ATTRS] [--create] [--excl] [--replace]: the options of the
# kernel's cli.py (and --ntf: the notifications so far, waiting up to
# SECONDS for one), and its output (result).
ynl() {
	local fam=$1 req= attrs='{}' flags=
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--do | --dump | --subscribe) req="\"${1#--}\": \"$2\""; shift ;;
		--ntf) req="\"ntf\": $2"; shift ;;
		--list-ops) req='"list-ops": true' ;;
		--json) attrs=$2; shift ;;
		--create | --excl | --replace) flags+="${flags:+, }\"${1#--}\"" ;;
		*) echo "ynl: unknown option $1" >&2; return 2 ;;
		esac
		shift
	done
	step "{\"family\": \"$fam\", $req, \"attrs\": $attrs, \"flags\": [$flags]}"
	result
}
genl() { ynl lisp "$@"; }
rtl() { ynl rt-link "$@"; }
# refused ERRNO ARGS...: the request fails with that errno.
refused() {
	local want=$1 out
	shift
	out=$(genl "$@" 2>&1)
	check_fail $? "accepted: $*"
	[[ $out == "error: -$want "* ]]
	check_err $? "want -$want: $out"
}
# jeq JSON FILTER WANT MSG
jeq() { check_eq "$(jq -c "$2" <<<"$1" 2>&1)" "$3" "$4"; }

# Each spec is read once, checked against the kernel's schema for it.
step "{\"load\": \"lisp\", \"spec\": \"$SPECS/lisp.yaml\",
	\"schema\": \"$KSRC/Documentation/netlink/genetlink-legacy.yaml\"}"
if ! err=$(result 2>&1); then
	case $err in
	*"No module named"*)
		skip_all "YNL needs python3-yaml and python3-jsonschema (${err##*: })" ;;
	esac
	tap_not_ok "lisp.yaml against the kernel's genetlink-legacy schema" "$err"
	tap_done
fi
# The library joins a group by binding the socket, which one that has
# sent a request can no longer do: subscribe first.
genl --subscribe events >/dev/null ||
	{ tap_not_ok "subscribe to the lisp family's events"; tap_done; }
# rt-link: the kernel's rt_link.yaml with rt-link-lisp.yaml merged in
# (tools/rt_link_lisp.py, run by the driver).
step "{\"load\": \"rt-link\", \"spec\": \"$TMPD/rt_link.yaml\",
	\"merge\": {\"kernel\": \"$KSRC/Documentation/netlink/specs/rt_link.yaml\"},
	\"schema\": \"$KSRC/Documentation/netlink/netlink-raw.yaml\"}"
err=$(result 2>&1) ||
	{ tap_not_ok "rt_link.yaml with rt-link-lisp.yaml merged, against the netlink-raw schema" "$err"; tap_done; }

# --- rt-link --------------------------------------------------------------
RET=0
rtl --do newlink --create --excl --json '{"ifname": "lisp0",
	"linkinfo": {"kind": "lisp", "data": {"iid": 100, "local": "c0000201",
	"port": 4341, "ttl": 64, "df": 1, "map-max": 1000,
	"miss-hold-ms": 5000}}}' >/dev/null
check_err $? "newlink lisp0"
out=$(rtl --do getlink --json '{"ifname": "lisp0"}')
check_err $? "getlink lisp0"
jeq "$out" '.linkinfo.kind' '"lisp"' "kind"
jeq "$out" '.linkinfo.data | [.iid, .local, .port, .ttl, .df, ."map-max", ."miss-hold-ms", .external]' \
	'[100,"192.0.2.1",4341,64,"set",1000,5000,0]' "link attributes"
log_test "rt-link: newlink creates a lisp link, getlink dumps its attributes"

RET=0
rtl --do newlink --json '{"ifname": "lisp0",
	"linkinfo": {"kind": "lisp", "data": {"iid": 101}}}' >/dev/null
check_err $? "newlink change"
out=$(rtl --do getlink --json '{"ifname": "lisp0"}')
jeq "$out" '.linkinfo.data | [.iid, .ttl]' '[101,64]' "changed iid"
rtl --do newlink --create --excl --json '{"ifname": "lispx",
	"linkinfo": {"kind": "lisp", "data": {"external": 1, "port": 4350}}}' >/dev/null
check_err $? "newlink external"
out=$(rtl --dump getlink | jq -c '[.[] | select(.linkinfo.kind == "lisp") |
	[.ifname, .linkinfo.data.external]]')
check_eq "$out" '[["lisp0",0],["lispx",1]]' "dump of lisp links"
log_test "rt-link: change, external (IFLA_LISP_EXTERNAL), dump"

# One ip for the lot (lan0: the dynamic-EID policy's interface, below).
ip -n "$N" -b - <<EOF
addr add 10.9.0.1/32 dev lisp0
link set lisp0 up
route add 10.30.0.0/16 dev lisp0
link add lan0 type dummy
link set lan0 up
EOF

# --- map-cache --------------------------------------------------------------
D='"ifname": "lisp0"'
RET=0
genl --do map-add --json "{$D, \"eid-inet\": \"0a140000\", \"eid-plen\": 16,
	\"action\": \"native-forward\", \"ttl\": 60}" >/dev/null
check_err $? "map-add"
refused 17 --do map-add --json "{$D, \"eid-inet\": \"0a140000\", \"eid-plen\": 16,
	\"action\": \"drop\"}"
out=$(genl --do map-get --json "{$D, \"eid-inet\": \"0a140000\", \"eid-plen\": 16}")
jeq "$out" '[."eid-inet", ."eid-plen", .action, .ttl, .iid]' \
	'["10.20.0.0",16,"native-forward",60,101]' "map-get exact"
out=$(genl --do map-get --json "{$D, \"eid-inet\": \"0a140102\", \"lookup\": true}")
jeq "$out" '[."eid-inet", ."eid-plen"]' '["10.20.0.0",16]' "map-get lookup"
genl --do map-replace --json "{$D, \"eid-inet\": \"0a140000\", \"eid-plen\": 16,
	\"action\": \"drop\", \"ttl\": 30}" >/dev/null
check_err $? "map-replace"
out=$(genl --do map-get --json "{$D, \"eid-inet\": \"0a140000\", \"eid-plen\": 16}")
jeq "$out" '[.action, .ttl]' '["drop",30]' "replaced entry"
log_test "map-add, map-get (exact, lookup), map-replace; EEXIST on a second add"

RET=0
# A positive entry: cli.py cannot encode an indexed array (rlocs), so
# lispctl installs it; ynl decodes it.
lctl "$N" map-cache add lisp0 10.40.0.0/16 rloc 192.0.2.2 priority 2 weight 50 ttl 90
check_err $? "lispctl map-cache add"
out=$(genl --dump map-get --json "{$D}")
jeq "$out" '[.[] | [."eid-inet", ."eid-plen", .action]]' \
	'[["10.20.0.0",16,"drop"],["10.40.0.0",16,"none"]]' "map-get dump"
# An indexed array decodes as a list of {index: nest}.
jeq "$out" '.[1].rlocs | [.[] | to_entries[0].value | [.inet, .priority, .weight]]' \
	'[["192.0.2.2",2,50]]' "decoded RLOCs"
log_test "map-get dump decodes every entry and its RLOCs"

RET=0
genl --do map-del --json "{$D, \"eid-inet\": \"0a140000\", \"eid-plen\": 16}" >/dev/null
check_err $? "map-del"
refused 2 --do map-get --json "{$D, \"eid-inet\": \"0a140000\", \"eid-plen\": 16}"
refused 2 --do map-del --json "{$D, \"eid-inet\": \"0a140000\", \"eid-plen\": 16}"
genl --do map-flush --json "{$D}" >/dev/null
check_err $? "map-flush"
check_eq "$(genl --dump map-get --json "{$D}")" "[]" "map-cache after flush"
refused 19 --do map-flush --json '{"ifname": "nosuch"}'
log_test "map-del, map-flush; ENOENT and ENODEV"

# --- database ---------------------------------------------------------------
RET=0
genl --do db-add --json "{$D, \"eid-inet6\": \"fd010000000000000000000000000000\",
	\"eid-plen\": 48}" >/dev/null
check_err $? "db-add"
refused 17 --do db-add --json "{$D, \"eid-inet6\": \"fd010000000000000000000000000000\",
	\"eid-plen\": 48}"
out=$(genl --dump db-get --json "{$D}")
jeq "$out" '[.[] | [."eid-inet6", ."eid-plen", .iid]]' '[["fd01::",48,101]]' "db-get dump"
genl --do db-del --json "{$D, \"eid-inet6\": \"fd010000000000000000000000000000\",
	\"eid-plen\": 48}" >/dev/null
check_err $? "db-del"
check_eq "$(genl --dump db-get --json "{$D}")" "[]" "database after db-del"
refused 2 --do db-del --json "{$D, \"eid-inet6\": \"fd010000000000000000000000000000\",
	\"eid-plen\": 48}"
log_test "db-add, db-get dump, db-del; EEXIST and ENOENT"

# --- miss event and counters -----------------------------------------------
RET=0
# Subscribed since the start: drop what came before the pings. A packet
# to an EID with no entry raises a MISS (one a second at most): a ping,
# and another if the first got none.
genl --ntf 0 >/dev/null
for i in 1 2 3; do
	in_ns "$N" ping -c1 -W1 10.30.0.7 >/dev/null 2>&1
	ev=$(genl --ntf 3)
	[ "$ev" != "[]" ] && break
done
jeq "$ev" '[.[] | select(.name == "miss") | .msg | [."eid-inet", .iid]] | unique' \
	'[["10.30.0.7",101]]' "miss events"
out=$(genl --do stats-get --json "{$D}")
jeq "$out" '[.iid, (.stats."tx-miss" >= 1)]' '[101,true]' "stats-get"
out=$(genl --dump stats-get)
jeq "$out" '[.[] | .iid]' '[101,0]' "stats-get dump of both devices"
log_test "events: a miss; stats-get do and dump count it"

# --- control messages inside data packets ------------------------------------
RET=0
# ctrl-send from lisp0 (local 192.0.2.1) to its own RLOC: the packet
# comes back to port 4341 and, with ctrl-punt, up as a ctrl event. The
# inner packet: IPv4 UDP 192.0.2.1:4342 -> 192.0.2.1:4342, a 12-byte
# "Map-Register" (type 3), checksums right.
P=45000028000100004011f6c1c0000201c000020110f610f6001419c2300000010102030405060708
rtl --do newlink --json '{"ifname": "lisp0",
	"linkinfo": {"kind": "lisp", "data": {"ctrl-punt": 1}}}' >/dev/null
check_err $? "newlink ctrl-punt"
out=$(rtl --do getlink --json '{"ifname": "lisp0"}')
jeq "$out" '.linkinfo.data."ctrl-punt"' 1 "ctrl-punt link attribute"
ip -n "$N" addr add 192.0.2.1/32 dev lan0
# The event is multicast before the request's ACK (the packet loops back
# while the request runs): 6.12's library, reading it on the subscribed
# socket, loses the ACK. The request goes on a second, unsubscribed one.
step "{\"load\": \"lispq\", \"spec\": \"$SPECS/lisp.yaml\", \"schema\": \"\"}"
result >/dev/null
check_err $? "a second lisp family socket"
genl --ntf 0 >/dev/null
ynl lispq --do ctrl-send --json "{$D, \"rlocs\": [{\"inet\": \"c0000201\"}],
	\"packet\": \"$P\"}" >/dev/null
check_err $? "ctrl-send"
ev=$(genl --ntf 5)
jeq "$ev" '[.[] | select(.name == "ctrl") | .msg | [.iid, ."srloc-inet", ."srloc-port", .packet]]' \
	"[[101,\"192.0.2.1\",4341,\"$P\"]]" "ctrl event"
out=$(genl --do stats-get --json "{$D}")
jeq "$out" '.stats | [."tx-ctrl", ."rx-ctrl", ."rx-ctrl-drop"]' '[1,1,0]' "ctrl counters"
out=$(ynl lispq --do ctrl-send --json "{$D, \"rlocs\": [{\"inet\": \"c0000201\"}],
	\"packet\": \"${P:0:38}\"}" 2>&1)
check_fail $? "a 19-byte packet accepted"
[[ $out == "error: -22 "*"not an IPv4 or IPv6 packet"* ]]
check_err $? "want -22 and the reason: $out"
log_test "ctrl-send from lisp0 to itself: a ctrl event with the packet, counted"

# --- dynamic EIDs -------------------------------------------------------------
RET=0
# dyn-ifindexes is an indexed array of u32: lispctl adds the policy.
lctl "$N" dyn add lan prefix 10.1.0.0/24 iid 7 dev lan0
check_err $? "lispctl dyn add"
out=$(genl --dump dyn-get --json '{"dyn-name": "lan"}')
jeq "$out" '[.[] | [."dyn-name", .iid, ."eid-inet", ."eid-plen", ."dyn-timeout", ."dyn-hosts"]]' \
	'[["lan",7,"10.1.0.0",24,300,0]]' "dyn-get dump"
check_eq "$(genl --dump host-get --json '{"dyn-name": "lan"}')" "[]" "host-get dump"
refused 2 --do host-del --json '{"dyn-name": "lan", "eid-inet": "0a010005"}'
genl --do dyn-del --json '{"dyn-name": "lan"}' >/dev/null
check_err $? "dyn-del"
check_eq "$(genl --dump dyn-get)" "[]" "policies after dyn-del"
refused 2 --do dyn-del --json '{"dyn-name": "lan"}'
log_test "dyn-get, host-get, host-del, dyn-del"

RET=0
ops=$(genl --list-ops | jq -r '.[]' | sort | tr '\n' ' ')
check_eq "$ops" "ctrl-send db-add db-del db-get dyn-add dyn-del dyn-get host-del host-get map-add map-del map-flush map-get map-replace stats-get " \
	"the family's operations (add a test here for a new one)"
log_test "every request of the spec is driven above (dyn-add by lispctl)"

tap_done
