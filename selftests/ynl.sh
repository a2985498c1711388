#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's YNL command line (tools/net/ynl/cli.py of the kernel tree,
# run from there, nothing copied) drives the device from our specs
# alone: rt-link with Documentation/netlink/specs/rt-link-lisp.yaml
# merged in creates and dumps lisp links, and lisp.yaml drives every
# command of the genl family and its events group.
# Documentation/netlink.rst, "The YNL command line".

source "$(dirname "$0")/lib.sh"

KSRC=${KSRC:-/usr/src/linux-source-6.12}
CLI=$KSRC/tools/net/ynl/cli.py
SPECS=$REPO_ROOT/Documentation/netlink/specs

require_cmd ip jq python3
# The CLI and the specs are the same on both kernels, and one run costs
# minutes under TCG: make check runs it on 6.12 (YNL_ALL_KERNELS=1: on
# any kernel).
case $(uname -r) in
6.12.*) ;;
*) [ "${YNL_ALL_KERNELS:-0}" = 1 ] ||
	skip_all "run on 6.12 only (YNL_ALL_KERNELS=1 for $(uname -r))" ;;
esac
[ -r "$CLI" ] || skip_all "no kernel ynl CLI at $CLI"
python3 -c 'import yaml, jsonschema' 2>/dev/null ||
	skip_all "the ynl CLI needs python3-yaml and python3-jsonschema"
lisp_load_module || skip_all "cannot load lisp.ko"
setup_ns N || { tap_not_ok "namespace"; tap_done; }
TMPD=$(mktemp -d)
defer rm -rf "$TMPD"
python3 "$LIB_DIR/tools/rt_link_lisp.py" \
	"$KSRC/Documentation/netlink/specs/rt_link.yaml" "$TMPD/rt_link.yaml" ||
	{ tap_not_ok "merge rt-link-lisp.yaml into the kernel's rt_link.yaml"; tap_done; }

# genl ARGS...: the lisp family; rtl ARGS...: rt-link. JSON on stdout,
# "Netlink error: ... error: -ERRNO" and exit 1 on a refused request.
# Each spec is checked against its schema once, here; the calls then
# skip it (--no-schema): under TCG the check is most of a call's time.
python3 "$CLI" --spec "$SPECS/lisp.yaml" --list-ops \
	--schema "$KSRC/Documentation/netlink/genetlink-legacy.yaml" >/dev/null ||
	{ tap_not_ok "lisp.yaml against the kernel's genetlink-legacy schema"; tap_done; }
python3 "$CLI" --spec "$TMPD/rt_link.yaml" --list-ops \
	--schema "$KSRC/Documentation/netlink/netlink-raw.yaml" >/dev/null ||
	{ tap_not_ok "rt_link.yaml with lisp against the netlink-raw schema"; tap_done; }
genl() {
	in_ns "$N" python3 "$CLI" --output-json --spec "$SPECS/lisp.yaml" \
		--no-schema "$@"
}
rtl() {
	in_ns "$N" python3 "$CLI" --output-json --spec "$TMPD/rt_link.yaml" \
		--no-schema "$@"
}
# refused ERRNO ARGS...: the request fails with that errno.
refused() {
	local want=$1 out
	shift
	out=$(genl "$@" 2>&1)
	check_fail $? "accepted: $*"
	grep -q "error: -$want\b" <<<"$out"
	check_err $? "want -$want: $out"
}
# jeq JSON FILTER WANT MSG
jeq() { check_eq "$(jq -c "$2" <<<"$1" 2>&1)" "$3" "$4"; }

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

ip -n "$N" addr add 10.9.0.1/32 dev lisp0
ip -n "$N" link set lisp0 up
ip -n "$N" route add 10.30.0.0/16 dev lisp0

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
# The CLI subscribes only once it has loaded the spec (seconds under
# TCG): keep sending (one MISS a second at most) while it listens.
genl --subscribe events --sleep 25 >"$TMPD/events" &
ev=$!
for i in $(seq 22); do
	in_ns "$N" ping -c1 -W1 10.30.0.7 >/dev/null 2>&1
done
wait $ev
check_err $? "cli.py --subscribe events"
jq -c '[.[] | select(.name == "miss") | .msg | [."eid-inet", .iid]] | unique' \
	"$TMPD/events" >"$TMPD/miss"
check_eq "$(cat "$TMPD/miss")" '[["10.30.0.7",101]]' "miss events"
out=$(genl --do stats-get --json "{$D}")
jeq "$out" '[.iid, (.stats."tx-miss" >= 1)]' '[101,true]' "stats-get"
out=$(genl --dump stats-get)
jeq "$out" '[.[] | .iid]' '[101,0]' "stats-get dump of both devices"
log_test "events: a miss; stats-get do and dump count it"

# --- dynamic EIDs -------------------------------------------------------------
RET=0
ip -n "$N" link add lan0 type dummy && ip -n "$N" link set lan0 up
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
ops=$(genl --list-ops | awk '{print $1}' | sort | tr '\n' ' ')
check_eq "$ops" "db-add db-del db-get dyn-add dyn-del dyn-get host-del host-get map-add map-del map-flush map-get map-replace stats-get " \
	"the family's operations (add a test here for a new one)"
log_test "every request of the spec is driven above (dyn-add by lispctl)"

tap_done
