#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages end to end, in the tools/vm guest (make check-deb):
#
#   apt-get install ./lisp-dkms_*.deb ./lispd_*.deb ./lispctl_*.deb,
#   DKMS builds lisp.ko for the running kernel, modprobe loads it from
#   the DKMS tree; on lispd_basic's topology X1's lispd runs from the
#   installed unit's lines (ExecStartPre, ExecStart as its User with its
#   AmbientCapabilities and RuntimeDirectory, ExecReload: systemd is not
#   PID 1 here) with /etc/lispd/lispd.conf, M and X2 run the installed
#   lispd too; the first ping resolves through them; then a purge, which
#   must leave no file, user, group or module behind.
#
# /usr, /etc and /var get a tmpfs overlay of their own for the run, so
# that dpkg can write and every file the packages leave is seen.
#
# Usage (as root, in the guest): selftests/deb/install.sh DEBDIR

source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../topo.sh"
TEST_NAME=deb_install

debdir=$(cd "${1:?usage: install.sh DEBDIR}" && pwd -P)
require_vm
require_root
require_cmd apt-get dkms ip ping setpriv
debs=()
for p in lisp-dkms lispd lispctl; do
	f=$(ls "$debdir"/${p}_*.deb 2>/dev/null | head -n1)
	[ -n "$f" ] || skip_all "no ${p}_*.deb in $debdir (make deb)"
	debs+=("$f")
done
kver=$(uname -r)
unit=/lib/systemd/system/lispd.service

# ---- writable /usr, /etc, /var with their own upper layers -------------
ovl=$(mktemp -d /tmp/deb-ovl.XXXXXX)
mount -t tmpfs tmpfs "$ovl" || skip_all "cannot mount a tmpfs"
for d in usr etc var; do
	mkdir -p "$ovl/$d/lower" "$ovl/$d/upper" "$ovl/$d/work"
	mount --bind "/$d" "$ovl/$d/lower" &&
		mount -t overlay -o "lowerdir=$ovl/$d/lower,upperdir=$ovl/$d/upper,workdir=$ovl/$d/work" \
			overlay "/$d" || skip_all "cannot overlay /$d"
done

# DKMS's postinst builds for the running kernel and for the newest one
# with headers: in the 6.1 guest that was a second build, for 6.12, which
# doubled a step that takes most of an hour under TCG and timed it out.
# Each kernel has its own run of this test: hide the others' headers in
# the overlay, so that the build here is this kernel's alone.
for b in /usr/lib/modules/*/build; do
	[ "$b" = "/usr/lib/modules/$kver/build" ] || rm -f "$b"
done

# ---- install -------------------------------------------------------------
# man-db's index over 9p under TCG takes minutes: not what is tested.
echo "man-db man-db/auto-update boolean false" | debconf-set-selections
RET=0
t0=$SECONDS
log=$(DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${debs[@]}" 2>&1)
check_err $? "apt-get install: $(tail -n 20 <<<"$log")"
version=$(dpkg-query -W -f='${Version}' lispd 2>/dev/null)
tap_diag "apt-get install took $((SECONDS - t0))s (DKMS build included)"
log_test "apt-get install ./lisp-dkms ./lispd ./lispctl ($version)"
[ -n "$version" ] || tap_done

RET=0
dkms status -m lisp -k "$kver" | grep -q ": installed"
check_err $? "dkms status: $(dkms status 2>&1)"
ko=$(modinfo -n lisp 2>&1)
check_eq "${ko%.ko*}" "/lib/modules/$kver/updates/dkms/lisp" "modinfo -n lisp"
log_test "DKMS built and installed lisp.ko for $kver"

# build_id FILE: the hex bytes of a GNU build-id note
build_id() {
	od -An -tx1 "$1" 2>/dev/null | tr -d ' \n'
}
RET=0
# (DKMS may have loaded it already: again, with a hold long enough for
# a slow emulated guest to resolve.)
lisp_module_loaded && rmmod lisp
modprobe lisp miss_hold_ms=30000
check_err $? "modprobe lisp failed"
LISP_LOADED_BY_TEST=1
case $ko in	# DKMS compresses it as the kernel's own modules are
*.xz) xz -dc "$ko" ;;
*.zst) zstd -qdc "$ko" ;;
*) cat "$ko" ;;
esac >"$ovl/lisp.ko"
objcopy -O binary --only-section=.note.gnu.build-id "$ovl/lisp.ko" "$ovl/ko.id"
id=$(build_id "$ovl/ko.id")
[ -n "$id" ]
check_err $? "no build-id in $ko"
check_eq "$(build_id /sys/module/lisp/notes/.note.gnu.build-id)" "$id" \
	"the loaded module is not $ko"
log_test "modprobe lisp loads the module from the DKMS tree"

RET=0
out=$(lispctl -V 2>&1)
check_eq "$out" "lispctl $version" "lispctl -V"
bash -c '. /usr/share/bash-completion/completions/lispctl && complete -p lispctl' \
	>/dev/null 2>&1
check_err $? "no bash completion for lispctl"
log_test "lispctl says the package version; its bash completion is installed"

# ---- the unit's lines ------------------------------------------------------
unit_get() {	# unit_get KEY: the value of KEY= in the installed unit
	sed -n "s/^$1=//p" "$unit" | tail -n1
}
RET=0
[ -f "$unit" ]
check_err $? "$unit not installed"
pre=$(unit_get ExecStartPre)
start=$(unit_get ExecStart)
reload=$(unit_get ExecReload)
user=$(unit_get User)
caps=$(unit_get AmbientCapabilities)
rdir=$(unit_get RuntimeDirectory)
rmode=$(unit_get RuntimeDirectoryMode)
check_eq "$user:$caps:$rdir" "lispd:CAP_NET_ADMIN:lispd" "the unit's User, capabilities, RuntimeDirectory"
getent passwd lispd >/dev/null
check_err $? "no system user lispd"
check_eq "$(stat -c '%U:%G %a' /etc/lispd/lispd.conf)" "root:lispd 640" \
	"/etc/lispd/lispd.conf owner and mode"
out=$($pre 2>&1)
check_err $? "$pre: $out"
log_test "the lispd user, lispd.conf for root and lispd, ExecStartPre accepts it"

# X1 runs the unit's way with its configuration as /etc/lispd/lispd.conf
# and its socket where the packaged lispd.conf puts it.
[ -x /usr/sbin/lispd ] || skip_all "lispd not installed"
LISPD=/usr/sbin/lispd
LISPCTL=/usr/sbin/lispctl
unset IP_LIB_DIR	# ip(8) finds the installed link_lisp.so
topo_setup || { tap_not_ok "topology setup"; tap_done; }
setup_ns M || { tap_not_ok "namespace M"; tap_done; }
topo_ms_link || { tap_not_ok "link X2-M"; tap_done; }
lispd_dirs deb_install || { tap_not_ok "run directories"; tap_done; }
sock_conf=$(sed -n 's/^control-socket = "\(.*\)"/\1/p' /etc/lispd/lispd.conf)
ms_conf
xtr_conf x1 "key-a" 192.0.2.1 10.1.0.0/24
xtr_conf x2 "key-b" 192.0.2.2 10.2.0.0/24
sed "s|^control-socket = .*|control-socket = \"$sock_conf\"|" "$run/x1.conf" \
	>/etc/lispd/lispd.conf

# As systemd would: the RuntimeDirectory, then ExecStart as User with
# only the ambient capabilities, no new privileges.
unit_start() {
	local cap=${caps#CAP_}
	mkdir -p "/run/$rdir"
	chown "$user:$user" "/run/$rdir"
	chmod "$rmode" "/run/$rdir"
	# shellcheck disable=SC2086
	(umask 0077; exec ip netns exec "$X1" setpriv --reuid="$user" --regid="$user" \
		--init-groups --inh-caps=-all,+${cap,,} --ambient-caps=-all,+${cap,,} \
		--bounding-set=-all,+${cap,,} --no-new-privs $start) >"$run/x1.log" 2>&1 &
	pid_x1=$!
	defer rm -rf "/run/$rdir"
	defer kill "$pid_x1"
}

RET=0
start "$M" m
wait_for 10 test -S "$sock/m.sock"
unit_start
start "$X2" x2
wait_for 20 registered
check_err $? "sites not registered: $(show m site 2>&1)"
mode=$(stat -c '%U %a' "$sock_conf" 2>&1)
[[ $mode == "lispd "*0 ]]
check_err $? "the control socket is $mode, not lispd's and closed to others"
log_test "lispd from the unit's ExecStart, as lispd with CAP_NET_ADMIN, registered"

RET=0
out=$(in_ns "$H1" ping -c1 -W25 10.2.0.1 2>&1)
check_err $? "first ping lost: $out"
out=$(env -u LISPD_SOCKET lispctl show map-cache 2>&1)
grep -q "10.2.0.0/24 .*action .* rloc 192.0.2.2" <<<"$out"
check_err $? "lispctl show map-cache (/etc/lispd/lispd.conf's socket): $out"
log_test "the first ping resolves; lispctl finds lispd through /etc/lispd/lispd.conf"

RET=0
env -u LISPD_SOCKET setpriv --reuid=nobody --regid=nogroup --clear-groups \
	lispctl show statistics >/dev/null 2>&1
check_fail $? "a user outside root and lispd reads the control socket"
log_test "the control socket refuses other users"

RET=0
check_eq "$(stat -c %U /proc/"$pid_x1")" "$user" "x1's lispd runs as"
cmd=${reload//\$MAINPID/$pid_x1}
$cmd
check_err $? "ExecReload: $cmd"
wait_for 10 grep -q "reloading /etc/lispd/lispd.conf" "$run/x1.log"
check_err $? "no reload in the log: $(tail -n 5 "$run/x1.log")"
env -u LISPD_SOCKET lispctl show statistics >/dev/null
check_err $? "lispd does not answer after the reload"
log_test "ExecReload (SIGHUP) reloads /etc/lispd/lispd.conf"

RET=0
lispd_stop m x2
kill -TERM "$pid_x1"
wait "$pid_x1"
check_err $? "x1 exit status"
log_test "SIGTERM stops the three cleanly"
cleanup_all_ns
for n in m x1 x2; do
	[ "$TAP_FAIL" -eq 0 ] || { tap_diag "--- $n.log"; tail -n 15 "$run/$n.log" | sed 's/^/# /'; }
done
rm -rf "$run"

# ---- purge -----------------------------------------------------------------
RET=0
modprobe -r lisp
check_err $? "modprobe -r lisp"
LISP_LOADED_BY_TEST=
t0=$SECONDS
log=$(DEBIAN_FRONTEND=noninteractive apt-get purge -y -q lisp-dkms lispd lispctl 2>&1)
check_err $? "apt-get purge: $(tail -n 20 <<<"$log")"
tap_diag "apt-get purge took $((SECONDS - t0))s"
log_test "apt-get purge lisp-dkms lispd lispctl"

RET=0
left=$(dkms status 2>&1 | grep -i lisp)
check_eq "$left" "" "dkms status"
getent passwd lispd >/dev/null
check_fail $? "user lispd is still there"
getent group lispd >/dev/null
check_fail $? "group lispd is still there"
check_eq "$(dpkg-statoverride --list | grep lispd)" "" "dpkg-statoverride"
# A file the packages left is one in an upper layer that the lower has not:
# dpkg's and apt's own records and logs aside, and DKMS's signing key
# (made on its first build, for every module; enrolled, it must stay).
left=
for d in usr etc var; do
	left+=$(cd "$ovl/$d/upper" && find . -mindepth 1 ! -type c -printf '%P\n' |
		while read -r f; do
			[ -e "$ovl/$d/lower/$f" ] || [ -L "$ovl/$d/lower/$f" ] || echo "/$d/$f"
		done | grep -Ev '^/var/(lib/dpkg|lib/apt|cache|log)/|^/var/lib/dkms/mok\.(key|pub)$')
done
check_eq "$left" "" "left behind"
log_test "the purge leaves no file, user, group, override or DKMS tree"

tap_done
