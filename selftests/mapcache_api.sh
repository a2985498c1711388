#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The genl API's own validation: requests lispctl would never build are
# refused by the kernel with a clear extack reason and change nothing.
# Large tables load in batch and dump completely across many messages.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"

require_cmd ip python3
lisp_load_module || skip_all "cannot load lisp.ko"
topo_setup || { tap_not_ok "topology setup"; tap_done; }
topo_map 4
RAW="$LIB_DIR/tools/genl_raw.py"

# What an entry is, without its clocks.
snapshot() { lctl "$X1" map-cache show | sed 's/ age .*//' | sort; }
before=$(snapshot)

# refused ERRNO MESSAGE-FRAGMENT CMD ATTR...
refused() {
	local want=$1 frag=$2 out
	shift 2
	RET=0
	out=$(in_ns "$X1" $PY "$RAW" "$@" 2>&1)
	check_fail $? "accepted: $*"
	grep -q "error $want" <<<"$out"
	check_err $? "want $want, got: $out"
	if [ -n "$frag" ]; then
		grep -qi -- "$frag" <<<"$out"
		check_err $? "extack lacks '$frag': $out"
	fi
	[ "$(snapshot)" = "$before" ]
	check_err $? "the map-cache changed"
	log_test "refused ($want): ${frag:-$*}"
}

D="ifname=lisp0"
refused EINVAL "longer than the address" map_add $D eid_inet=10.3.0.0 eid_plen=33 "rlocs=inet=192.0.2.2"
refused EINVAL "bits set past the prefix" map_add $D eid_inet=10.3.0.1 eid_plen=24 "rlocs=inet=192.0.2.2"
refused EINVAL "exactly one of" map_add $D eid_inet=10.3.0.0 eid_inet6=fd03:: eid_plen=24 "rlocs=inet=192.0.2.2"
refused EINVAL "exactly one of" map_add $D eid_plen=24 "rlocs=inet=192.0.2.2"
refused EINVAL "cannot have RLOCs" map_add $D eid_inet=10.3.0.0 eid_plen=24 action=3 "rlocs=inet=192.0.2.2"
refused EINVAL "at least one RLOC" map_add $D eid_inet=10.3.0.0 eid_plen=24
refused E2BIG "more than 8" map_add $D eid_inet=10.3.0.0 eid_plen=24 \
	"rlocs=inet=192.0.2.11;inet=192.0.2.12;inet=192.0.2.13;inet=192.0.2.14;inet=192.0.2.15;inet=192.0.2.16;inet=192.0.2.17;inet=192.0.2.18;inet=192.0.2.19"
refused EINVAL "unicast" map_add $D eid_inet=10.3.0.0 eid_plen=24 "rlocs=inet=224.0.0.5"
refused EINVAL "unicast" map_add $D eid_inet=10.3.0.0 eid_plen=24 "rlocs=inet6=ff02::1"
refused EINVAL "exactly one of" map_add $D eid_inet=10.3.0.0 eid_plen=24 "rlocs=inet=192.0.2.2,inet6=2001:db8::2"
refused EINVAL "duplicate" map_add $D eid_inet=10.3.0.0 eid_plen=24 "rlocs=inet=192.0.2.2;inet=192.0.2.2"
refused ERANGE "out of range" map_add $D eid_inet=10.3.0.0 eid_plen=24 action=9
refused EINVAL "" map_add $D eid_inet=10.3.0.0 eid_plen=24 "rlocs=inet=192.0.2.2,packets=5"
refused EINVAL "" map_add $D eid_inet=10.3.0.0 eid_plen=24 iid=5 "rlocs=inet=192.0.2.2"
refused ERANGE "size" map_add $D raw=5:0a0300 eid_plen=24 "rlocs=inet=192.0.2.2"
refused ENODEV "no device" map_add eid_inet=10.3.0.0 eid_plen=24 "rlocs=inet=192.0.2.2"
refused ENODEV "no such lisp device" map_add ifname=eth0 eid_inet=10.3.0.0 eid_plen=24 "rlocs=inet=192.0.2.2"
refused ENOENT "no such map-cache entry" map_del $D eid_inet=10.9.0.0 eid_plen=24
refused EEXIST "exists" db_add $D eid_inet=10.1.0.0 eid_plen=24

RET=0
out=$(in_ns "$X1" $PY "$RAW" map_add $D eid_inet=10.3.0.0 eid_plen=24 "rlocs=inet=192.0.2.2,priority=2,weight=7")
check_err $? "a well-formed request was refused: $out"
map_line "$X1" 10.3.0.0/24 | grep -q "192.0.2.2 prio 2 weight 7"
check_err $? "entry not as requested: $(map_line "$X1" 10.3.0.0/24)"
log_test "the same request well-formed is accepted"

RET=0
out=$(lctl "$X1" map-cache get lisp0 10.3.0.77)
grep -q "^10.3.0.0/24 " <<<"$out"
check_err $? "longest match for 10.3.0.77 gave: $out"
out=$(lctl "$X1" map-cache get lisp0 10.3.0.77/32 2>&1)
check_fail $? "exact get of a missing /32 succeeded: $out"
log_test "get: longest match by address, exact by prefix"

# Many entries: load in batch, dump them all, delete, flush.
N=20000
batch="$REPO_ROOT/build/mapcache_api.$$"
defer rm -f "$batch"
awk -v n=$N 'BEGIN { for (i = 0; i < n; i++)
	printf "map-cache add lisp0 100.%d.%d.%d/32 rloc 192.0.2.2\n", int(i / 65536), int(i / 256) % 256, i % 256 }' >"$batch"
RET=0
lctl "$X1" -b "$batch"
check_err $? "batch load failed"
n=$(lctl "$X1" map-cache show lisp0 | grep -c '^100\.')
[ "$n" -eq $N ]
check_err $? "dump lists $n of $N entries"
log_test "$N entries loaded in batch and dumped completely"

RET=0
sed 's/ add / del /; s/ rloc 192.0.2.2$//' "$batch" | awk 'NR % 2' >"$batch.del"
lctl "$X1" -b "$batch.del"
check_err $? "batch delete failed"
n=$(lctl "$X1" map-cache show lisp0 | grep -c '^100\.')
[ "$n" -eq $((N / 2)) ]
check_err $? "after deleting half, $n remain"
ns_ping "$H1" 10.2.0.1
check_err $? "forwarding broken with a large table"
lctl "$X1" map-cache flush lisp0
n=$(lctl "$X1" map-cache show lisp0 | wc -l)
[ "$n" -eq 0 ]
check_err $? "$n entries after flush"
rm -f "$batch.del"
log_test "half deleted, forwarding intact, flush empties the table"

tap_done
