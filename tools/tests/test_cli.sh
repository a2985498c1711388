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
run "$LISPCTL" --dry-run map-cache add lisp0 10.0.0.0/24 rloc 192.0.2.1 port 40000 fixed-sport
expect 0 "" "map-cache add: rloc port and fixed-sport accepted"
run "$LISPCTL" --dry-run map-cache add lisp0 10.0.0.0/24 rloc 192.0.2.1 port 0
expect 2 'map-cache add: invalid port "0" (1..65535)' "map-cache add: rloc port 0 refused, named"
run "$LISPCTL" --dry-run map-cache add lisp0 10.0.0.0/24 port 4342 rloc 192.0.2.1
expect 2 'map-cache add: "port" must follow an rloc' "map-cache add: port before any rloc refused"
run "$LISPCTL" --dry-run map-cache add lisp0 10.0.0.0/24 fixed-sport rloc 192.0.2.1
expect 2 'map-cache add: "fixed-sport" must follow an rloc' "map-cache add: fixed-sport before any rloc refused"
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

# ---- lispd.conf through lispd's own loader: lookup and show ----
# The commented-out line and the quoted, multi-line list are what lispd
# reads and a text scan of the file gets wrong.
cat >"$T/list.conf" <<'C'
# map-resolver = { 127.0.0.9 } was the old one
roles = { itr }
map-resolver = {
	"127.0.0.2",
	"127.0.0.3"
}
C
run "$LISPCTL" -c "$T/list.conf" lookup 10.1.0.1 -t 1 -c 1
r=1; [ $rc = 1 ] && grep -q '^Map-Request for 10.1.0.1 to 127.0.0.2, ' "$T/out" &&
	grep -q 'no Map-Reply for 10.1.0.1 from 127.0.0.2 after 1 tries' "$T/err" && r=0
tap $r "lookup -c: the first map-resolver of the config's list"
printf 'roles = { itr }\nmap-resolver = { 127.0.0.2 }\nfrob = 1\n' >"$T/bad.conf"
run "$LISPCTL" -c "$T/bad.conf" lookup 10.1.0.1 -t 1 -c 1
r=1; [ $rc = 1 ] && [ "$(grep -c "^$T/bad.conf:3: no such option 'frob'\$" "$T/err")" = 1 ] &&
	grep -q "lookup: no -m MAP-RESOLVER, and $T/bad.conf does not load" "$T/err" &&
	[ ! -s "$T/out" ] && r=0
tap $r "lookup -c: a syntax error fails with the loader's file:line, once"
cat >"$T/nomr.conf" <<'C'
roles = { etr }
database-mapping 10.1.0.0/24 { rloc 192.0.2.1 { } }
map-server 198.51.100.1 { key = "k" }
C
run "$LISPCTL" -c "$T/nomr.conf" lookup 10.1.0.1 -t 1 -c 1
expect 2 "lookup: no -m MAP-RESOLVER and no map-resolver for instance-id 0 in $T/nomr.conf" \
	"lookup -c: no map-resolver in the config and no -m: named"
run "$LISPCTL" -c "$T/nomr.conf" lookup 10.1.0.1 -m 127.0.0.4 -t 1 -c 1
r=1; [ $rc = 1 ] && grep -q '^Map-Request for 10.1.0.1 to 127.0.0.4, ' "$T/out" && r=0
tap $r "lookup -m wins over the config"
# A one-reply Map-Resolver on port 4342 of a loopback address of this
# run's own: it answers Drop/Policy-Denied for 10.1.0.0/24.  With an IID
# it answers only a request whose record is that IID's LCAF with length
# 24, and answers in that instance-id.
cat >"$T/mr.py" <<'P'
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[2], 4342))
s.settimeout(10)
open(sys.argv[1], "w").close()
m, a = s.recvfrom(2048)
q = m[4 + 20 + 8:]                      # ECM, inner IPv4 and UDP
nonce, irc, o = q[4:12], q[2] & 0x1f, 12
afilen = {0: 0, 1: 4, 2: 16}
o += 2 + afilen[struct.unpack("!H", q[o:o + 2])[0]]      # source EID
for i in range(irc + 1):                                  # ITR-RLOCs
    o += 2 + afilen[struct.unpack("!H", q[o:o + 2])[0]]
net = bytes([10, 1, 0, 0])
eid = struct.pack("!H4s", 1, net)
if len(sys.argv) > 3:
    iid = int(sys.argv[3])
    got = struct.unpack("!xBHxxBxxxIH4s", q[o:o + 20])
    if got != (24, 16387, 2, iid, 1, net):
        sys.exit("request record: %r" % (got,))
    eid = struct.pack("!HBBBBHI", 16387, 0, 0, 2, 0, 10, iid) + eid
rec = struct.pack("!IBBHH", 15, 0, 24, 4 << 13, 0) + eid
s.sendto(bytes([0x20, 0, 0, 1]) + nonce + rec, a)
P
mr=127.77.$(($$ / 250 % 250)).$(($$ % 250 + 1))
# mr_start [IID]: the resolver, ready; its pid in $mrpid.
mr_start() {
	rm -f "$T/mr.ready"
	python3 "$T/mr.py" "$T/mr.ready" "$mr" "$@" 2>"$T/mr.err" &
	mrpid=$!
	i=0
	while [ ! -e "$T/mr.ready" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}
if command -v python3 >/dev/null 2>&1; then
	# A negative reply's action is named as map-cache names actions
	# (lnl's table).
	mr_start
	run "$LISPCTL" lookup 10.1.0.1 -m "$mr" -t 3000 -c 1
	wait $mrpid 2>/dev/null
	r=1; [ $rc = 0 ] && grep -q '^  10.1.0.0/24 ttl 15 negative action drop-policy$' "$T/out" && r=0
	tap $r "lookup names a negative reply's action as map-cache does"
else
	skip "lookup: a negative reply's action" "python3 not installed"
fi
printf 'roles = { itr }\nmap-resolver = { 127.0.0.2 }\ncontrol-socket = "%s"\n' \
	"$T/l.sock" >"$T/sock.conf"
if command -v socat >/dev/null 2>&1; then
	# A one-answer lispd: the request is read, a statistics answer sent.
	cat >"$T/lispd.sh" <<'S'
read l
echo '{"ok":true,"data":{"rx-malformed":"7"}}'
S
	socat UNIX-LISTEN:"$T/l.sock" EXEC:"sh $T/lispd.sh" &
	pid=$!
	i=0
	while [ ! -S "$T/l.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	run "$LISPCTL" -c "$T/sock.conf" show statistics
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	r=1; [ $rc = 0 ] && grep -q '^rx-malformed  *7$' "$T/out" && r=0
	tap $r "show -c: asks lispd at the config's control-socket"
else
	skip "show -c: the config's control-socket" "socat not installed"
fi
# ---- instance-ids: every row names its tenant, and a filter picks one ----
run "$LISPCTL" --dry-run map-cache show dev lisp0 instance-id 7
expect 0 "" "map-cache show dev DEV instance-id IID: accepted"
run "$LISPCTL" --dry-run map-cache show iid 16777216
expect 2 'map-cache show: invalid instance-id "16777216" (0..16777215)' \
	"map-cache show iid: past 24 bits refused, named"
run "$LISPCTL" --dry-run database show iid
expect 2 'database show: "iid" needs a value' "database show iid: no value, named"
run "$LISPCTL" --dry-run stats lisp0 iid 7 iid 8
expect 2 'stats: one instance-id only' "stats: two instance-ids refused"
run "$LISPCTL" --dry-run dyn show lan iid x
expect 2 'dyn show: invalid instance-id "x"' "dyn show iid: a bad one named"
run "$LISPCTL" --dry-run host show lan lan2
expect 2 'host show: unexpected "lan2"' "host show: a second name refused"
run "$LISPCTL" --dry-run map-cache get "[7]10.1.0.5"
expect 0 "" "map-cache get [IID]ADDR: no DEV needed"
run "$LISPCTL" --dry-run map-cache get
expect 2 'map-cache get: missing DEV (or \[IID\] before the EID)' \
	"map-cache get: neither DEV nor [IID], named"
run "$LISPCTL" --dry-run map-cache add lisp0 "[7]10.1.0.0/24" rloc 192.0.2.1
expect 2 'no \[IID\] here, the device has the instance-id' \
	"map-cache add [IID]: the device has the instance-id, said"
if command -v socat >/dev/null 2>&1; then
	# A lispd with two tenants, 0 and 7, with the same prefix in each table.
	cat >"$T/tenants.sh" <<'S'
read l
case $l in
*map-cache*) d='[{"eid":"10.2.0.0/24","action":0,"ttl":60,"expires":50,"rlocs":[{"address":"192.0.2.2","priority":1,"weight":100,"state":"up"}]},{"eid":"[7]10.2.0.0/24","action":0,"ttl":60,"expires":40,"rlocs":[{"address":"192.0.2.3","priority":1,"weight":100,"state":"up"}]}]' ;;
*database*) d='[{"eid":"10.1.0.0/24","rlocs":[]},{"eid":"[7]10.1.0.0/24","rlocs":[]}]' ;;
*site*) d='[{"site":"a","eid":"10.1.0.0/24","registrant":"192.0.2.1","expires":9,"proxy-reply":false,"rlocs":[]},{"site":"b","eid":"[7]10.1.0.0/24","registrant":"192.0.2.4","expires":9,"proxy-reply":false,"rlocs":[]}]' ;;
*subscriptions*) d='[{"role":"map-server","eid":"[7]10.2.0.0/16","subscriber":"192.0.2.50","xtr-id":"aa","state":"confirmed","publications":3,"acked":3,"expires":80},{"role":"itr","eid":"10.9.0.0/16","state":"unconfirmed","publications":0}]' ;;
*dynamic-eid*) d='[{"policy":"lan","eid":"10.1.0.5/32","state":"local","interface":"eth1","uptime":5},{"policy":"lan7","eid":"[7]10.1.0.5/32","state":"local","interface":"eth7","uptime":5}]' ;;
*nat*) d='[{"iid":0,"map-server":"192.0.2.1","state":"behind-nat","sent":4,"replies":3,"private":"10.0.0.5","translated":"198.51.100.7","port":61000,"binding-age":40,"last-reply":5,"rtrs":["203.0.113.9"]},{"iid":7,"map-server":"192.0.2.1","state":"unknown","sent":1,"replies":0}]' ;;
*) d='{"rx-malformed":"7"}' ;;
esac
echo "{\"ok\":true,\"data\":$d}"
S
	socat UNIX-LISTEN:"$T/t.sock",fork EXEC:"sh $T/tenants.sh" &
	pid=$!
	i=0
	while [ ! -S "$T/t.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	export LISPD_SOCKET="$T/t.sock"
	run "$LISPCTL" show map-cache
	r=1; [ $rc = 0 ] && grep -q '^10.2.0.0/24 iid 0 action none ttl 60 expires 50 rloc 192.0.2.2 ' "$T/out" &&
		grep -q '^10.2.0.0/24 iid 7 action none ttl 60 expires 40 rloc 192.0.2.3 ' "$T/out" && r=0
	tap $r "show map-cache: each row names its instance-id, 0 too"
	run "$LISPCTL" show map-cache instance-id 7
	r=1; [ $rc = 0 ] && [ "$(wc -l <"$T/out")" = 1 ] && grep -q '^10.2.0.0/24 iid 7 .*192.0.2.3' "$T/out" && r=0
	tap $r "show map-cache instance-id 7: that tenant's row only"
	run "$LISPCTL" -j show instance-id 0 map-cache
	r=1; [ $rc = 0 ] && grep -q '^\[{"eid":"10.2.0.0/24",.*"iid":0}\]$' "$T/out" && r=0
	tap $r "show instance-id 0 map-cache -j: one row, \"iid\": 0"
	run "$LISPCTL" -j show database iid 7
	r=1; [ $rc = 0 ] && grep -q '^\[{"eid":"10.1.0.0/24","rlocs":\[\],"iid":7}\]$' "$T/out" && r=0
	tap $r "show database iid 7 -j: the eid without [7], \"iid\": 7"
	run "$LISPCTL" show site iid 7
	r=1; [ $rc = 0 ] && [ "$(wc -l <"$T/out")" = 1 ] &&
		grep -q '^site b 10.1.0.0/24 iid 7 registrant 192.0.2.4 ' "$T/out" && r=0
	tap $r "show site iid 7: that tenant's registration only"
	run "$LISPCTL" show dynamic-eid iid 7
	r=1; [ $rc = 0 ] && [ "$(wc -l <"$T/out")" = 2 ] && grep -q '^Dyn-EID Name  *IID  *Dynamic-EID' "$T/out" &&
		grep -q '^lan7  *7  *10.1.0.5/32  *eth7 ' "$T/out" && r=0
	tap $r "show dynamic-eid iid 7: an IID column, that tenant's host only"
	run "$LISPCTL" show subscriptions iid 7
	r=1; [ $rc = 0 ] && [ "$(wc -l <"$T/out")" = 1 ] &&
		grep -q '^map-server 10.2.0.0/16 iid 7 subscriber 192.0.2.50 xtr-id aa confirmed publications 3 acked 3 expires 80$' "$T/out" && r=0
	tap $r "show subscriptions iid 7: the Map-Server's subscriber in that tenant"
	run "$LISPCTL" show sub
	r=1; [ $rc = 0 ] && grep -q '^itr 10.9.0.0/16 iid 0 unconfirmed publications 0$' "$T/out" && r=0
	tap $r "show sub: an ITR's own subscription"
	run "$LISPCTL" show nat
	r=1; [ $rc = 0 ] && [ "$(wc -l <"$T/out")" = 2 ] &&
		grep -q '^map-server 192.0.2.1 iid 0 behind-nat private 10.0.0.5 translated 198.51.100.7 port 61000 age 40s last-reply 5s rtrs 203.0.113.9 sent 4 replies 3$' "$T/out" &&
		grep -q '^map-server 192.0.2.1 iid 7 unknown sent 1 replies 0$' "$T/out" && r=0
	tap $r "show nat: the translated address and port, the binding's age, the RTRs"
	run "$LISPCTL" -j show nat iid 7
	r=1; [ $rc = 0 ] && grep -q '^\[{"iid":7,"map-server":"192.0.2.1","state":"unknown","sent":1,"replies":0}\]$' "$T/out" && r=0
	tap $r "show nat iid 7 -j: that tenant's row"
	run "$LISPCTL" show site iid 9
	r=1; [ $rc = 0 ] && [ ! -s "$T/out" ] && r=0
	tap $r "show site iid 9: no such tenant, no rows"
	run "$LISPCTL" show statistics iid 7
	expect 1 'lispd counts for all instance-ids together; a device.s counters: lispctl stats iid 7' \
		"show statistics iid: lispd's counters are not per tenant, said"
	unset LISPD_SOCKET
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
else
	skip "show with an instance-id" "socat not installed"
fi
# lookup [IID]EID/PLEN: the Map-Request's record is an IID LCAF with the
# prefix's length; the resolver answers only a request that has them.
if command -v python3 >/dev/null 2>&1; then
	mr_start 7
	run "$LISPCTL" lookup "[7]10.1.0.0/24" -m "$mr" -t 3000 -c 1
	wait $mrpid 2>/dev/null
	r=1; [ $rc = 0 ] && grep -q "^Map-Request for \\[7\\]10.1.0.0/24 to $mr, " "$T/out" &&
		grep -q '^  \[7\]10.1.0.0/24 ttl 15 negative action drop-policy$' "$T/out" && r=0
	tap $r "lookup [7]10.1.0.0/24: IID LCAF 7 and length 24 asked, tenant 7's record shown"
	[ $r = 0 ] || sed 's/^/#   /' "$T/mr.err"
else
	skip "lookup [IID]EID/PLEN" "python3 not installed"
fi
run "$LISPCTL" lookup "[7]10.1.0.1" -i 8 -m 127.0.0.1
expect 2 'lookup: "\[7\]10.1.0.1" and -i 8: two instance-ids' "lookup: [IID] and a different -i refused"
run "$LISPCTL" lookup "10.1.0.1/24" -m 127.0.0.1
expect 2 'lookup: "10.1.0.1/24": address has bits set past the prefix length' \
	"lookup: a prefix with host bits refused, named"

LISPD_SOCKET=$T/env.sock run "$LISPCTL" -c "$T/sock.conf" show statistics
expect 1 "cannot reach lispd at $T/env.sock:" "show: \$LISPD_SOCKET wins over -c"
run "$LISPCTL" -c "$T/bad.conf" show statistics
r=1; [ $rc = 1 ] && [ "$(grep -c "^$T/bad.conf:3: no such option 'frob'\$" "$T/err")" = 1 ] &&
	grep -q "show: $T/bad.conf does not load" "$T/err" && r=0
tap $r "show -c: a config that does not load is named, once"

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
		grep -q 'lisp iid 100 local 192.0.2.1 local6 2001:db8::1 port 4341 ttl 64 tos 0x10 df set udp6zerocsumtx nopetr nodecap-any map-max 1000 miss-hold 30000 noexternal norloc-check noctrl-punt' "$T/out"
		tap $? "ip -d prints every IFLA_LISP_* attribute"
	else
		tap 1 "ip -d monitor file"
	fi
	if "$MKLINKMSG" "$T/link.nl" inherit && ip -d monitor file "$T/link.nl" >"$T/out" 2>"$T/err"; then
		grep -q 'ttl inherit tos inherit df inherit noudp6zerocsumtx petr decap-any map-max 1000 miss-hold 30000 external rloc-check ctrl-punt' "$T/out"
		tap $? "ip -d prints inherit and the boolean options, external"
	else
		tap 1 "ip -d monitor file (inherit)"
	fi
fi

echo "1..$n"
[ $failed = 0 ]
