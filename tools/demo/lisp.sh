# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tools/demo/lisp.sh - lispd on every box of tools/demo/topo.sh (sourced
# after it): configurations, start and stop, lispctl show, waits.
#
#   lisp_setup DIR      write the configurations into DIR (logs go there
#                       too); sockets live in a directory under /tmp
#   lisp_start BOX...   start lispd -d -v in BOX's namespace
#   lisp_stop BOX...    SIGTERM and wait
#   lshow BOX WHAT [-j] lispctl show WHAT, asked of BOX's lispd
#
# With TOPO_TENANTS=2 the Map-Server, the branch and the gateways serve
# both tenants in one lispd, one instance-id section each (tenant 2 with
# its own keys and sites); each tenant's first-hop routers are their own
# boxes (t2fhr1, t2fhr2).  With one tenant the files have no sections.
#
# With TOPO_MS2=1 (tools/demo/topo.sh) ms2 is a second Map-Server and
# Map-Resolver with ms's configuration, and every box has both as
# map-servers and map-resolvers, ms first.
#
# Tunables (environment, before lisp_setup): DYN_TIMEOUT (seconds of
# silence before a host is dropped, 300), REGISTER_INTERVAL (Map-Register
# and EID-notify refresh, 60), DEMO_SUBSCRIBE (1: the branch subscribes
# to tenant 1's mappings, RFC 9437; 0: no tenant does).

LISPD=${LISPD:-$TOPO_REPO/lispd/build/lispd}	# LISPD=... tries another build
LISP_BOXES=(ms branch gw1 gw2 fhr1 fhr2)	# and t2fhr1 t2fhr2 (lisp_setup)
: "${DYN_TIMEOUT:=300}"
: "${REGISTER_INTERVAL:=60}"
KEY_BRANCH=branch-key
KEY_DC=dc-key
KEY_FHR=fhr-key
declare -A LISPD_PID=()
LISP_RUN=
LISP_SOCK=

# __ms_rlocs: the Map-Servers' RLOCs, one a line.
__ms_rlocs() {
	echo "$RLOC_MS"
	[ "$TOPO_MS2" = 1 ] && echo "$RLOC_MS2"
	return 0
}

# __ms_lines KEY: a map-server line for each Map-Server, with KEY.
__ms_lines() {
	local a
	for a in $(__ms_rlocs); do
		echo "map-server $a { key = \"$1\" }"
	done
}

# __in_tenant T: the lines on stdin in tenant T's section, when there
# are several tenants; as they are otherwise.
__in_tenant() {
	if [ "$TOPO_TENANTS" -gt 1 ]; then
		echo "instance-id $(tenant_iid "$1") {"
		sed 's/^/\t/'
		echo "}"
	else
		cat
	fi
}

__lisp_conf() {
	local box=$1 t n rloc v net gw
	echo "control-socket = \"$LISP_SOCK/$box.sock\""
	case $box in
	ms|ms2)
		echo "roles = { map-server, map-resolver }"
		for t in $(tenants); do
			n=$([ "$t" = 1 ] || echo "-t$t")
			__in_tenant "$t" <<EOF
site branch$n {
	key = "$(tenant_key "$t" $KEY_BRANCH)"
	eid-prefix "$EID_USER_NET" {}
}
site tenant$n {
	key = "$(tenant_key "$t" $KEY_DC)"
	eid-prefix "$TENANT_NET" { accept-more-specifics = true }
}
EOF
		done
		;;
	branch)
		cat <<EOF
roles = { itr, etr }
map-register-interval = $REGISTER_INTERVAL
map-resolver = { $(__ms_rlocs | paste -sd, | sed 's/,/, /g') }
EOF
		[ "$TOPO_TENANTS" = 1 ] && echo 'xtr-interface = "lisp0"'
		for t in $(tenants); do
			{
				[ "$TOPO_TENANTS" = 1 ] || echo "interface = \"$(tenant_dev "$t")\""
				cat <<EOF
database-mapping "$EID_USER_NET" { rloc $RLOC_BRANCH { priority = 1 weight = 100 } }
EOF
				__ms_lines "$(tenant_key "$t" $KEY_BRANCH)"
				# tenant 1 learns moves by publish/subscribe, 2 by SMR
				if [ "$t" = 1 ] && [ "${DEMO_SUBSCRIBE:-1}" = 1 ]; then
					echo "subscribe = yes"
				fi
			} | __in_tenant "$t"
		done
		;;
	gw1|gw2)
		rloc=$([ "$box" = gw1 ] && echo $RLOC_GW1 || echo $RLOC_GW2)
		cat <<EOF
roles = { itr, etr }
map-register-interval = $REGISTER_INTERVAL
map-resolver = { $(__ms_rlocs | paste -sd, | sed 's/,/, /g') }
EOF
		[ "$TOPO_TENANTS" = 1 ] && echo 'xtr-interface = "lisp0"'
		for t in $(tenants); do
			{
				[ "$TOPO_TENANTS" = 1 ] || echo "interface = \"$(tenant_dev "$t")\""
				__ms_lines "$(tenant_key "$t" $KEY_DC)"
				# dynamic-eid names are per box: each tenant's VLANs'
				for v in $(tenant_vlans "$t"); do
					net=$([ "${v: -1}" = 0 ] && echo $VLAN1300_NET || echo $VLAN1301_NET)
					cat <<EOF
dynamic-eid vlan$v {
	eid-prefix = "$net"
	rloc $rloc { priority = 1 weight = 100 }
	eid-notify-key = "$(tenant_key "$t" $KEY_FHR)"
	timeout = $DYN_TIMEOUT
}
EOF
				done
			} | __in_tenant "$t"
		done
		;;
	*fhr1|*fhr2)
		t=$(host_tenant "$box")
		gw=$(notify_gw "$t" "${box: -1}")
		echo "roles = { first-hop-router }"
		echo "map-register-interval = $REGISTER_INTERVAL"
		for v in $(tenant_vlans "$t"); do
			net=$([ "${v: -1}" = 0 ] && echo $VLAN1300_NET || echo $VLAN1301_NET)
			cat <<EOF
dynamic-eid vlan$v {
	eid-prefix = "$net"
	interfaces = { "eth$v" }
	timeout = $DYN_TIMEOUT
	eid-notify $gw { key = "$(tenant_key "$t" $KEY_FHR)" }
}
EOF
		done | if [ "$t" = 1 ]; then cat; else __in_tenant "$t"; fi
		;;
	esac
}

# lisp_setup DIR: configurations for every box, checked with lispd -n.
lisp_setup() {
	local box out t
	LISP_RUN=$1
	LISP_SOCK=$(mktemp -d /tmp/lispd-demo.XXXXXX) || return 1
	LISP_BOXES=(ms branch gw1 gw2 fhr1 fhr2)
	[ "$TOPO_MS2" = 1 ] && LISP_BOXES=(ms ms2 branch gw1 gw2 fhr1 fhr2)
	for t in $(seq 2 "$TOPO_TENANTS"); do
		LISP_BOXES+=("t${t}fhr1" "t${t}fhr2")
	done
	for box in "${LISP_BOXES[@]}"; do
		__lisp_conf "$box" >"$LISP_RUN/$box.conf"
		out=$("$LISPD" -n -c "$LISP_RUN/$box.conf" 2>&1) ||
			{ echo "$box.conf: $out" >&2; return 1; }
	done
}

# lisp_start BOX...: ip netns exec execs lispd, so $! is lispd itself
# (not so through a shell function: that would be a subshell's pid).
lisp_start() {
	local box i
	for box in "$@"; do
		ip netns exec "$TOPO_PREFIX$box" "$LISPD" -d -v -c "$LISP_RUN/$box.conf" \
			>>"$LISP_RUN/$box.log" 2>&1 &
		LISPD_PID[$box]=$!
	done
	for box in "$@"; do
		for ((i = 0; i < 100 * ${WAIT_SCALE:-1}; i++)); do
			[ -S "$LISP_SOCK/$box.sock" ] && break
			kill -0 "${LISPD_PID[$box]}" 2>/dev/null || break
			sleep 0.1
		done
		[ -S "$LISP_SOCK/$box.sock" ] ||
			{ echo "lispd on $box did not start: $(tail -n 5 "$LISP_RUN/$box.log")" >&2; return 1; }
	done
}

lisp_stop() {
	local box pid rc=0
	for box in "$@"; do
		pid=${LISPD_PID[$box]:-}
		[ -n "$pid" ] || continue
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null || rc=$?
		unset "LISPD_PID[$box]"
	done
	return $rc
}

lisp_stop_all() {
	lisp_stop "${!LISPD_PID[@]}"
	[ -n "$LISP_SOCK" ] && rm -rf "$LISP_SOCK"
	return 0
}

# lshow BOX WHAT [-j]
lshow() {
	if [ "${3:-}" = -j ]; then
		LISPD_SOCKET="$LISP_SOCK/$1.sock" "$TOPO_LISPCTL" -j show "$2"
	else
		LISPD_SOCKET="$LISP_SOCK/$1.sock" "$TOPO_LISPCTL" show "$2"
	fi
}

# kctl BOX ARGS...: lispctl on BOX's kernel state.
kctl() {
	local b=$1
	shift
	tx "$b" "$TOPO_LISPCTL" "$@"
}

# lispctl's JSON rows carry "iid" and "eid" apart; the demo names a
# tenant's EID as lispd does, "[IID]EID" (iid 0: the EID alone): jq's key.
JQ_KEY='def key: (if (.iid // 0) != 0 then "[\(.iid)]" else "" end) + .eid; '
# ms_rloc EID: the locator the Map-Server has registered for EID (exact).
ms_rloc() {
	lshow ms site -j 2>/dev/null |
		jq -r --arg e "$1" "$JQ_KEY"'.[] | select(key == $e) | .rlocs[0].address' 2>/dev/null | head -n1
}

# branch_rloc EID: where the branch's lispd map-cache sends EID (exact).
branch_rloc() {
	lshow branch map-cache -j 2>/dev/null |
		jq -r --arg e "$1" "$JQ_KEY"'.[] | select(key == $e) | .rlocs[0].address' 2>/dev/null | head -n1
}

# dyn_state BOX EID: the state of EID in BOX's dynamic-EID table
# (local, notified, away; empty when absent).
dyn_state() {
	lshow "$1" dynamic-eid -j 2>/dev/null |
		jq -r --arg e "$2" "$JQ_KEY"'.[] | select(key == $e) | .state' 2>/dev/null | head -n1
}

# kmap_line BOX EID [DEV]: the kernel map-cache entry for EID (exact),
# one line (of DEV's map-cache: a tenant's device).
kmap_line() {
	kctl "$1" map-cache show ${3:+"$3"} 2>/dev/null | awk -v e="$2" '$1 == e'
}

# khost_has BOX EID: BOX's kernel lists EID among its detected hosts.
khost_has() {
	kctl "$1" host show 2>/dev/null | grep -q -- "$2"
}

# registered_at EID RLOC: the Map-Server maps EID to RLOC.
registered_at() {
	[ "$(ms_rloc "$1")" = "$2" ]
}

# wake HOST...: each host talks to its gateway once, as a booting
# machine does (ARP, then one ping), so that the first-hop router sees it.
wake() {
	local h gw pids=()
	for h in "$@"; do
		gw=$(vlan_gw_ip "$(host_vlan "$h")")
		tx "$h" ping -c1 -W1 "$gw" >/dev/null 2>&1 &
		pids+=($!)
	done
	wait "${pids[@]}"
}

# wait_until SECONDS CMD...: poll every 0.1 s, for SECONDS times
# WAIT_SCALE (the selftests' stretch for a loaded host; 1 in the demo).
wait_until() {
	local end=$((SECONDS + $1 * ${WAIT_SCALE:-1}))
	shift
	while ! "$@"; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.1
	done
}

# lisp_log_since BOX EPOCH: BOX's log lines from EPOCH on, each as
# "EPOCH.mmm BOX message" (lispd stamps HH:MM:SS.mmm wall clock time).
lisp_log_since() {
	local box=$1 from=$2 day
	day=$(date -d "$(date -d "@${from%.*}" +%F)" +%s)	# local midnight
	awk -v box="$box" -v from="$from" -v day="$day" '
		match($0, /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9] /) {
			split(substr($0, 1, 12), t, /[:.]/)
			e = day + t[1] * 3600 + t[2] * 60 + t[3] + t[4] / 1000
			if (e + 0.0005 >= from)
				printf "%.3f %s %s\n", e, box, substr($0, 14)
		}' "$LISP_RUN/$box.log"
}
