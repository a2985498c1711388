# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tools/demo/topo.sh - the mission scenario's topology in network
# namespaces (sourced by tools/demo/run and selftests/mobility*.sh).
#
#  user 10.9.0.1 -- branch (ITR/ETR, 192.0.2.20)
#                      |
#                     wan (bridge 192.0.2.0/24) ------------- ms 192.0.2.10
#                    /                  \                   (Map-Server/Resolver)
#     gw1 192.0.2.1 (xTR)             gw2 192.0.2.2 (xTR)
#      | 10.10.0.1/30                  | 10.11.0.1/30
#     fw1 (tenant transit hop)        fw2
#      | vlan10 10.10.1.0/30           | vlan11 10.11.1.0/30
#     fhr1 (first-hop router)         fhr2
#      | eth1300  eth1301              | eth1300  eth1301   10.13.0.1 / 10.13.1.1,
#     sw1 [br1300] [br1301] == DCI == sw2 [br1300] [br1301] the same MACs
#      |   app 10.13.0.14 (moves)      |   s2a 10.13.0.12
#      |   db  10.13.1.20              |   s2b 10.13.1.12
#      |   s1a 10.13.0.11, s1b 10.13.1.11
#
# ESM ("extended subnet", topo_build esm): one DCI link per VLAN between
# the two switches stands in for OTV.  Like OTV it carries the hosts' MAC
# addresses from site to site (the switches learn across it, so a host's
# announcement after a move re-points the old site's switch) and isolates
# the first-hop gateways (FHRP isolation): the gateway MAC is pinned to
# the local FHR's port on each switch (OTV never advertises it), and tc
# flower on both DCI ends, both directions, drops frames to the gateway
# MAC and ARP naming the gateway's address or MAC.  So each site's hosts
# resolve and use their own FHR, while what a gateway routes to a host on
# the far side still crosses, as with OTV.  TOPO_DCI_FILTER=strict drops
# every frame from the gateway MAC as well (no hair-pinning).
#
# ASM ("across subnets", topo_build asm): no DCI link; DC-2's FHR has the
# same gateway address and MAC on the segment where a host lands.
#
# The hypervisors: the link of a host that can move (TOPO_MOVABLE) ends
# in namespace hv (v-HOST), which has an uplink to each site's switch
# (HOST-1, HOST-2); tc joins v-HOST to the uplink of the site where the
# host runs, the other uplink drops what it receives.  host_move switches
# over (tools/demo/vmmove.py) and announces the host, as a hypervisor
# ends a live migration.
#
# TOPO_MS2=1 before topo_build: a second Map-Server/Resolver, ms2
# 192.0.2.11 on the WAN (tools/demo/lisp.sh configures both everywhere).
#
# Tenants (TOPO_TENANTS=2 before topo_build): a second tenant with the
# same addresses and MACs as the first, its own container at each site
# (t2fw1 -- t2fhr1, t2fw2 -- t2fhr2, VLANs 2300 and 2301 on the same
# switches and interconnect), its own hosts (t2app, t2db, ...) and end
# user (t2user).  Tenant 1 is instance-id 0 on lisp0, tenant 2 instance-id
# 200 on lisp2; on the branch and the gateways each tenant's interfaces
# and lisp device are in its VRF (vrf1 table 10, vrf2 table 20).  The
# gateways' lispd talks to the first-hop routers from the main table: each
# tenant's transit network (10.10/10.11 for tenant 1, 10.20/10.21 for
# tenant 2) is also routed there, and UDP sockets of the main table take
# what arrives on a VRF's interfaces (net.ipv4.udp_l3mdev_accept).  With
# one tenant nothing is in a VRF, as before.
#
# Namespaces are "$TOPO_PREFIX<name>"; tns NAME prints the full name, tx
# NAME CMD runs CMD in it.  topo_destroy removes everything.

TOPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
TOPO_REPO=$(cd "$TOPO_DIR/../.." && pwd -P)
: "${TOPO_PREFIX:=lm$$-}"
: "${TOPO_DCI_FILTER:=otv}"
: "${TOPO_TENANTS:=1}"
: "${TOPO_MS2:=0}"
TOPO_LISPCTL=$TOPO_REPO/tools/lispctl/lispctl
export IP_LIB_DIR="$TOPO_REPO/tools/iproute2"

# The address plan (the Documentation/demo.rst drawing).
RLOC_GW1=192.0.2.1
RLOC_GW2=192.0.2.2
RLOC_MS=192.0.2.10
RLOC_MS2=192.0.2.11		# TOPO_MS2=1
RLOC_BRANCH=192.0.2.20
EID_USER=10.9.0.1
EID_USER_NET=10.9.0.0/24
TENANT_NET=10.13.0.0/16
VLAN1300_NET=10.13.0.0/24
VLAN1301_NET=10.13.1.0/24
GW_IP_1300=10.13.0.1
GW_IP_1301=10.13.1.1
GW_MAC_1300=00:00:0c:07:ac:0d	# the HSRP virtual MACs of the seed's gateways
GW_MAC_1301=00:00:0c:07:ac:0e
NOTIFY_GW1=10.10.0.1		# the site gateway as its FHR sees it
NOTIFY_GW2=10.11.0.1
FHR1_UPLINK=10.10.1.2
FHR2_UPLINK=10.11.1.2
# notify_gw T N: tenant T's site gateway N as its FHR sees it
notify_gw() { echo "10.$1$(($2 - 1)).0.1"; }

# Hosts: name, site (1|2), VLAN, address, MAC.  app is the seed's
# application VM, db its back end; the others stay put and quiet.
TOPO_HOSTS=(
	"app 1 1300 10.13.0.14 52:54:00:13:00:14"
	"db 1 1301 10.13.1.20 52:54:00:13:01:20"
	"s1a 1 1300 10.13.0.11 52:54:00:13:00:11"
	"s1b 1 1301 10.13.1.11 52:54:00:13:01:11"
	"s2a 2 1300 10.13.0.12 52:54:00:13:00:12"
	"s2b 2 1301 10.13.1.12 52:54:00:13:01:12"
)

TOPO_MOVABLE=(app db)
TOPO_NAMES=(user branch wan ms gw1 fw1 fhr1 sw1 gw2 fw2 fhr2 sw2 hv
	app db s1a s1b s2a s2b)
TENANT2_IID=200
# tenant 1's lists, which __tenants extends with tenant 2's copies
__HOSTS1=("${TOPO_HOSTS[@]}")
__MOVABLE1=("${TOPO_MOVABLE[@]}")
__NAMES1=("${TOPO_NAMES[@]}")
TOPO_MODE=
declare -A TOPO_HOST_SITE=()
declare -A TOPO_HOST_PREF=()	# pref of a movable host's tc filters in hv

tns() { printf '%s%s' "$TOPO_PREFIX" "$1"; }

# The tenants' names and numbers.  tenants: 1 or 1 2; tenant_pre T: the
# prefix of its boxes' and hosts' names; tenant_iid T; tenant_dev T: its
# lisp device; tenant_vlans T; tenant_eid T PREFIX: PREFIX as lispd
# prints it in that tenant ([200]10.13.0.14/32); tenant_key T KEY: the
# tenant's copy of a key; host_tenant NAME.
tenants() { seq 1 "$TOPO_TENANTS"; }
tenant_pre() { [ "$1" = 1 ] || echo "t$1"; }
tenant_iid() { [ "$1" = 1 ] && echo 0 || echo $TENANT2_IID; }
tenant_dev() { [ "$1" = 1 ] && echo lisp0 || echo "lisp$1"; }
tenant_vlans() { echo "${1}300 ${1}301"; }
tenant_eid() { [ "$1" = 1 ] && echo "$2" || echo "[$(tenant_iid "$1")]$2"; }
tenant_key() { [ "$1" = 1 ] && echo "$2" || echo "$2-t$1"; }
host_tenant() { [[ $1 == t[0-9]* ]] && echo "${1:1:1}" || echo 1; }
# vlan_gw_ip VLAN, vlan_gw_mac VLAN: the first-hop gateway of VLAN x300
# is the one of 1300, of x301 the one of 1301 (the same in every tenant).
vlan_gw_ip() { [ "${1: -1}" = 0 ] && echo $GW_IP_1300 || echo $GW_IP_1301; }
vlan_gw_mac() { [ "${1: -1}" = 0 ] && echo $GW_MAC_1300 || echo $GW_MAC_1301; }
all_vlans() { local t; for t in $(tenants); do tenant_vlans "$t"; done; }

# __tenants: the host and box lists for TOPO_TENANTS tenants.
__tenants() {
	local t p h n s v a m
	TOPO_HOSTS=("${__HOSTS1[@]}") TOPO_MOVABLE=("${__MOVABLE1[@]}")
	TOPO_NAMES=("${__NAMES1[@]}")
	[ "$TOPO_MS2" = 1 ] && TOPO_NAMES+=(ms2)
	for t in $(seq 2 "$TOPO_TENANTS"); do
		p=$(tenant_pre "$t")
		TOPO_NAMES+=("${p}user" "${p}fw1" "${p}fhr1" "${p}fw2" "${p}fhr2")
		for h in "${__HOSTS1[@]}"; do
			read -r n s v a m <<<"$h"
			TOPO_HOSTS+=("$p$n $s $t${v:1} $a $m")
			TOPO_NAMES+=("$p$n")
		done
		for n in "${__MOVABLE1[@]}"; do TOPO_MOVABLE+=("$p$n"); done
	done
}

# __vrf NS T DEV...: with several tenants, DEV... into tenant T's VRF
# (made at first use); __table T: " table N" for its routes, or nothing.
declare -A __VRF=()
__vrf() {
	local ns=$1 t=$2 d
	shift 2
	[ "$TOPO_TENANTS" -gt 1 ] || return 0
	if [ -z "${__VRF[$ns/$t]:-}" ]; then
		__ip "$ns" "link add vrf$t type vrf table ${t}0
link set vrf$t up"
		__VRF[$ns/$t]=1
	fi
	for d in "$@"; do __ip "$ns" "link set $d master vrf$t"; done
}
__table() { [ "$TOPO_TENANTS" -gt 1 ] && echo " table ${1}0"; }
__iid() { [ "$1" = 1 ] || echo " iid $(tenant_iid "$1")"; }

tx() {
	local n=$1
	shift
	ip netns exec "$TOPO_PREFIX$n" "$@"
}

# tip NAME BATCH: ip commands (one a line) in one ip process.
tip() {
	ip -n "$TOPO_PREFIX$1" -batch - <<<"$2"
}

host_addr() { local a; read -r _ _ _ a _ < <(__host "$1") && echo "$a"; }
host_mac() { local m; read -r _ _ _ _ m < <(__host "$1") && echo "$m"; }
host_vlan() { local v; read -r _ _ v _ _ < <(__host "$1") && echo "$v"; }
__host() {
	local h
	for h in "${TOPO_HOSTS[@]}"; do
		[ "${h%% *}" = "$1" ] && { echo "$h"; return 0; }
	done
	return 1
}

# host_site NAME: where the host is attached now (1 or 2).
host_site() { echo "${TOPO_HOST_SITE[$1]}"; }

# Building is slow in an emulated guest (every ip(8) run costs a large
# fraction of a second), so the topology is written out first, one ip
# batch per namespace, and run with as few processes as possible.
declare -A __B=()	# namespace -> its ip batch
declare -A __BR=()	# namespace -> its bridge(8) batch
__VETH=			# the root namespace's batch: every veth pair
__TC=()			# tc batches: "namespace|commands"

__ip() { __B[$1]+="$2"$'\n'; }

# __veth NS1 IF1 NS2 IF2 [MAC1]: a pair, both ends up.
__veth() {
	__VETH+="link add $2 netns $TOPO_PREFIX$1 ${5:+address $5 }type veth peer name $4 netns $TOPO_PREFIX$3"$'\n'
	__ip "$1" "link set $2 up"
	__ip "$3" "link set $4 up"
}

__router() {
	tx "$1" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.default.send_redirects=0 >/dev/null
}

# The DC's own part: gw, and each tenant's fw -- fhr -- the switch's
# VLANs.  __site N
__site() {
	local n=$1 rloc t v
	rloc=$([ "$n" = 1 ] && echo $RLOC_GW1 || echo $RLOC_GW2)
	__veth wan "gw$n" "gw$n" eth0
	__ip wan "link set gw$n master br0"
	__ip "gw$n" "addr add $rloc/24 dev eth0"
	# bridges first: the namespace's batch runs before the hosts' ports
	for v in $(all_vlans); do
		__B[sw$n]="link add br$v type bridge stp_state 0 forward_delay 0
link set br$v up
${__B[sw$n]:-}"
	done
	for t in $(tenants); do
		__tenant_site "$n" "$t" "$rloc"
	done
}

# __tenant_site N T RLOC: tenant T's part of site N: the gateway's link
# eth$T and lisp device, the transit hop, the first-hop router.
__tenant_site() {
	local n=$1 t=$2 rloc=$3 a p dev tbl v
	a=10.$t$((n - 1)) p=$(tenant_pre "$t") dev=$(tenant_dev "$t")
	tbl=$(__table "$t")
	__veth "gw$n" "eth$t" "${p}fw$n" eth0
	__veth "${p}fw$n" eth1 "${p}fhr$n" "vlan$t$((n - 1))"
	for v in $(tenant_vlans "$t"); do
		__veth "${p}fhr$n" "eth$v" "sw$n" "fhr$v" "$(vlan_gw_mac "$v")"
		__ip "${p}fhr$n" "addr add $(vlan_gw_ip "$v")/24 dev eth$v"
		__ip "sw$n" "link set fhr$v master br$v"
	done
	__vrf "gw$n" "$t" "eth$t"
	__ip "gw$n" "addr add $a.0.1/30 dev eth$t
link add $dev type lisp local $rloc$(__iid "$t")"
	__vrf "gw$n" "$t" "$dev"
	__ip "gw$n" "link set $dev up
route add $TENANT_NET via $a.0.2$tbl
route add $a.1.0/30 via $a.0.2$tbl
route add $EID_USER_NET dev $dev$tbl"
	# lispd reaches the tenant's first-hop router from the main table
	[ -n "$tbl" ] && __ip "gw$n" "route add $a.1.0/30 via $a.0.2 dev eth$t"
	__ip "${p}fw$n" "addr add $a.0.2/30 dev eth0
addr add $a.1.1/30 dev eth1
route add default via $a.0.1
route add $TENANT_NET via $a.1.2"
	__ip "${p}fhr$n" "addr add $a.1.2/30 dev vlan$t$((n - 1))
route add default via $a.1.1"
}

# The interconnect: one link per VLAN, OTV-like (see the top).
__dci() {
	local v mac ip ns dir t
	for v in $(all_vlans); do
		__veth sw1 "dci$v" sw2 "dci$v"
		mac=$(vlan_gw_mac "$v") ip=$(vlan_gw_ip "$v")
		for ns in sw1 sw2; do
			__ip "$ns" "link set dci$v master br$v"
			__BR[$ns]+="fdb replace $mac dev fhr$v master static sticky"$'\n'
			t="qdisc add dev dci$v clsact"$'\n'
			for dir in ingress egress; do
				t+="filter add dev dci$v $dir pref 10 protocol all flower dst_mac $mac action drop
filter add dev dci$v $dir pref 11 protocol arp flower arp_sip $ip action drop
filter add dev dci$v $dir pref 12 protocol arp flower arp_tip $ip action drop
filter add dev dci$v $dir pref 13 protocol arp flower arp_sha $mac action drop
filter add dev dci$v $dir pref 14 protocol arp flower arp_tha $mac action drop"$'\n'
				[ "$TOPO_DCI_FILTER" = strict ] &&
					t+="filter add dev dci$v $dir pref 15 protocol all flower src_mac $mac action drop"$'\n'
			done
			__TC+=("$ns|$t")
		done
	done
}

# dci_drops: frames the FHRP isolation filters dropped, both switches.
dci_drops() {
	local ns v dir n=0 c
	[ "$TOPO_MODE" = esm ] || { echo 0; return 0; }
	for ns in sw1 sw2; do
		for v in $(all_vlans); do
			for dir in ingress egress; do
				c=$(tc -n "$(tns $ns)" -s filter show dev "dci$v" $dir 2>/dev/null |
					awk '/Sent [0-9]+ bytes/ { n += $4 } END { print n + 0 }')
				n=$((n + c))
			done
		done
	done
	echo "$n"
}

__host_add() {
	local name=$1 site vlan addr mac gw n
	read -r _ site vlan addr mac < <(__host "$name") || return 1
	gw=$(vlan_gw_ip "$vlan")
	if [[ " ${TOPO_MOVABLE[*]} " == *" $name "* ]]; then
		__veth "$name" eth0 hv "v-$name" "$mac"
		for n in 1 2; do
			__veth hv "$name-$n" "sw$n" "p-$name"
			__ip "sw$n" "link set p-$name master br$vlan"
		done
		n=$((3 - site))
		__TC+=("hv|qdisc add dev v-$name clsact
qdisc add dev $name-1 clsact
qdisc add dev $name-2 clsact
filter add dev v-$name ingress pref 1000 protocol all matchall action mirred egress redirect dev $name-$site
filter add dev $name-$site ingress pref 1000 protocol all matchall action mirred egress redirect dev v-$name
filter add dev $name-$n ingress pref 1000 protocol all matchall action drop")
		TOPO_HOST_PREF[$name]=1000
	else
		__veth "$name" eth0 "sw$site" "p-$name" "$mac"
		__ip "sw$site" "link set p-$name master br$vlan"
	fi
	__ip "$name" "addr add $addr/24 dev eth0
route add default via $gw"
	TOPO_HOST_SITE[$name]=$site
}

# topo_build esm|asm (TOPO_TENANTS tenants)
topo_build() {
	local n t p
	TOPO_MODE=$1
	case $TOPO_MODE in esm|asm) ;; *) echo "topo_build esm|asm" >&2; return 2 ;; esac
	__tenants
	__B=() __BR=() __VETH= __TC=() __VRF=()
	for n in "${TOPO_NAMES[@]}"; do
		__VETH="netns add $TOPO_PREFIX$n"$'\n'$__VETH
		__ip "$n" "link set lo up"
	done
	__ip wan "link add br0 type bridge stp_state 0 forward_delay 0
link set br0 up"
	__veth wan ms ms eth0
	__veth wan branch branch eth0
	__ip wan "link set ms master br0
link set branch master br0"
	__ip ms "addr add $RLOC_MS/24 dev eth0"
	if [ "$TOPO_MS2" = 1 ]; then
		__veth wan ms2 ms2 eth0
		__ip wan "link set ms2 master br0"
		__ip ms2 "addr add $RLOC_MS2/24 dev eth0"
	fi
	__ip branch "addr add $RLOC_BRANCH/24 dev eth0"
	for t in $(tenants); do
		p=$(tenant_pre "$t")
		__veth "${p}user" eth0 branch "eth$t"
		__vrf branch "$t" "eth$t"
		__ip branch "addr add 10.9.0.254/24 dev eth$t
link add $(tenant_dev "$t") type lisp local $RLOC_BRANCH$(__iid "$t")"
		__vrf branch "$t" "$(tenant_dev "$t")"
		__ip branch "link set $(tenant_dev "$t") up
route add $TENANT_NET dev $(tenant_dev "$t")$(__table "$t")"
		__ip "${p}user" "addr add $EID_USER/24 dev eth0
route add default via 10.9.0.254"
	done
	__site 1
	__site 2
	[ "$TOPO_MODE" = esm ] && __dci
	for n in "${TOPO_HOSTS[@]}"; do
		__host_add "${n%% *}" || return 1
	done

	ip -batch - <<<"$__VETH" || return 1
	# filters before any link is up: no loop through an idle uplink
	for t in "${__TC[@]}"; do
		tc -n "$TOPO_PREFIX${t%%|*}" -batch - <<<"${t#*|}" || return 1
	done
	for n in "${TOPO_NAMES[@]}"; do
		ip -n "$TOPO_PREFIX$n" -batch - <<<"${__B[$n]}" ||
			{ echo "topo: the batch of $n failed" >&2; return 1; }
	done
	for n in "${!__BR[@]}"; do
		bridge -n "$TOPO_PREFIX$n" -batch - <<<"${__BR[$n]}" || return 1
	done
	for n in branch gw1 gw2; do
		__router "$n" || return 1
	done
	for t in $(tenants); do
		p=$(tenant_pre "$t")
		for n in fw1 fhr1 fw2 fhr2; do
			__router "$p$n" || return 1
		done
	done
	if [ "$TOPO_TENANTS" -gt 1 ]; then
		for n in gw1 gw2; do
			tx "$n" sysctl -qw net.ipv4.udp_l3mdev_accept=1 >/dev/null || return 1
		done
	fi
}

topo_destroy() {
	local n
	pkill_ns() { ip netns pids "$1" 2>/dev/null | xargs -r kill 2>/dev/null; }
	for n in "${TOPO_NAMES[@]}"; do
		pkill_ns "$TOPO_PREFIX$n"
	done
	for n in "${TOPO_NAMES[@]}"; do
		ip netns del "$TOPO_PREFIX$n" 2>/dev/null
	done
	return 0
}

# The move: a hypervisor's switch-over.  tools/demo/vmmove.py holds a
# netlink socket in hv and a packet socket in each moving host, so that
# the switch-over and the announcement take a few system calls once it
# is told to go.
#
# move_prepare FIFO HOST... (to the other site): starts vmmove.py, waits
# until it is ready.  move_go: moves now; move_wait: its report (epoch
# times, one "key value" a line) is in $MOVE_OUT.
MOVE_PID=
MOVE_FD=
move_prepare() {
	local out=$1 h site to specs=()
	shift
	for h in "$@"; do
		site=${TOPO_HOST_SITE[$h]}
		to=$((3 - site))
		specs+=("$h,$(tns hv),$site,$to,${TOPO_HOST_PREF[$h]},$(tns "$h"),eth0,$(host_mac "$h"),$(host_addr "$h")")
		TOPO_HOST_PREF[$h]=$((TOPO_HOST_PREF[$h] - 1))
		TOPO_HOST_SITE[$h]=$to
	done
	MOVE_OUT=$out
	: >"$out"
	exec {MOVE_FD}> >(exec /usr/bin/python3 "$TOPO_DIR/vmmove.py" "${specs[@]}" >"$out" 2>&1)
	MOVE_PID=$!
	local i
	for ((i = 0; i < 300; i++)); do
		grep -q '^ready' "$out" && return 0
		grep -q '^error' "$out" && break
		sleep 0.1
	done
	cat "$out" >&2
	return 1
}

move_go() {
	echo go >&"$MOVE_FD"
	exec {MOVE_FD}>&-
}

move_wait() {
	local i
	for ((i = 0; i < 100; i++)); do
		grep -q '^done' "$MOVE_OUT" && return 0
		grep -q '^error' "$MOVE_OUT" && break
		sleep 0.1
	done
	cat "$MOVE_OUT" >&2
	return 1
}

# move_field KEY HOST: a time from the mover's report (move, up, announce).
move_field() {
	awk -v k="$1" -v h="$2" '$1 == k && $2 == h { print $3; exit }' "$MOVE_OUT"
}

# host_move HOST...: prepare and go at once.
host_move() {
	move_prepare "$(mktemp)" "$@" && move_go && move_wait
}
