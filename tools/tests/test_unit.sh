#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# systemd/lispd.service: its paths are lispd's defaults (lispd/core.h),
# the capabilities and address families are the ones lispd needs, and
# systemd-analyze security rates it 2.0 or better ("OK": 1.5 when
# written).  Prints TAP.  Usage: test_unit.sh TOPDIR
set -u
top=$1
unit=$top/systemd/lispd.service
n=0
failed=0

echo "TAP version 13"
tap() {	# tap STATUS DESCRIPTION [DIAGNOSTIC]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && echo "#   $3"
		failed=$((failed + 1))
	fi
}
val() { sed -n "s/^$1=//p" "$unit" | tail -n1; }
define() { sed -n "s/^#define $1[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$top/lispd/core.h"; }

conf=$(define LISPD_CONF)
sock=$(define LISPD_SOCK)
r=1
[ "$(val ExecStart)" = "/usr/sbin/lispd -d -c $conf" ] &&
	[ "$(val ExecStartPre)" = "/usr/sbin/lispd -n -c $conf" ] && r=0
tap $r "ExecStartPre checks and ExecStart runs LISPD_CONF ($conf)" \
	"ExecStart=$(val ExecStart) ExecStartPre=$(val ExecStartPre)"
r=1
[ "/run/$(val RuntimeDirectory)" = "$(dirname "$sock")" ] && r=0
tap $r "RuntimeDirectory holds LISPD_SOCK ($sock)" "RuntimeDirectory=$(val RuntimeDirectory)"
r=1
[ "$(val User)" = lispd ] && [ "$(val AmbientCapabilities)" = CAP_NET_ADMIN ] &&
	[ "$(val CapabilityBoundingSet)" = CAP_NET_ADMIN ] &&
	[ "$(val NoNewPrivileges)" = yes ] && [ "$(val ProtectSystem)" = strict ] &&
	[ "$(val RestrictAddressFamilies)" = "AF_INET AF_INET6 AF_NETLINK AF_UNIX" ] &&
	[ "$(val ExecReload)" = '/bin/kill -HUP $MAINPID' ] && r=0
tap $r "user lispd, CAP_NET_ADMIN only, read-only system, four address families, reload by SIGHUP"

if ! command -v systemd-analyze >/dev/null 2>&1; then
	n=$((n + 1))
	echo "ok $n - systemd-analyze security # SKIP systemd-analyze not installed"
else
	out=$(systemd-analyze security --offline=yes --threshold=20 "$unit" 2>&1)
	tap $? "systemd-analyze security: exposure 2.0 or lower" \
		"$(echo "$out" | tail -n1)"
	echo "# $(echo "$out" | tail -n1)"
fi

echo "1..$n"
[ $failed = 0 ]
