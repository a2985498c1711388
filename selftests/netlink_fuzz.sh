#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# netlink_fuzz: a bounded random walk of generic netlink requests against
# the lisp family (selftests/tools/genl_fuzz.py: random commands,
# attribute types, lengths and nesting, and model steps whose outcome is
# known), while devices and namespaces come and go:
#   - as root, beside a loop that deletes and re-creates the device the
#     random requests name and a namespace with a lisp device in it;
#   - as root of a user namespace that owns its own network namespace
#     (unshare -Urn), on devices it made there;
#   - as an unprivileged user: every request refused with EPERM.
# Pass: every refusal carries an extended-ack message (but the generic
# netlink core's EOPNOTSUPP/EPERM), the modelled map-cache holds exactly
# what the accepted requests said, no splat (tools/vm fails the run on
# one), and the module unloads.  FUZZ_ITERATIONS (default 3000) per run.

source "$(dirname "$0")/lib.sh"
source "$LIB_DIR/topo.sh"

require_root
require_vm
require_cmd ip python3 unshare setpriv

FUZZ="$PY $LIB_DIR/tools/genl_fuzz.py"
: "${FUZZ_ITERATIONS:=3000}"

lisp_load_module || skip_all "cannot load lisp.ko"
setup_ns N
ip -n "$N" link add fz0 type lisp iid 100 &&
	ip -n "$N" link set fz0 up &&
	ip -n "$N" link add fz1 type lisp iid 101 &&
	ip -n "$N" link set fz1 up ||
	{ tap_not_ok "fuzz devices"; tap_done; }

out=$(mktemp -p "$REPO_ROOT/build" fuzz.XXXXXX)
defer rm -f "$out" "$out.churn"

# churn: fz1 and a scratch namespace with a lisp device, made and
# deleted over and over until the file $out.churn goes.
churn() {
	local i=0 ns
	while [ -e "$out.churn" ]; do
		ip -n "$N" link del fz1 2>/dev/null
		ip -n "$N" link add fz1 type lisp iid 101 2>/dev/null &&
			ip -n "$N" link set fz1 up 2>/dev/null
		ns=fzscratch-$$-$i
		ip netns add "$ns" 2>/dev/null &&
			ip -n "$ns" link add lisp0 type lisp 2>/dev/null &&
			ip -n "$ns" link set lisp0 up 2>/dev/null
		ip netns del "$ns" 2>/dev/null
		i=$((i + 1))
		sleep 0.05
	done
	echo $i >"$out.churned"
}

# report WHAT: the fuzzer's JSON in $out, as diagnostics.
report() {
	tap_diag "$1: $(jq -c '{iterations, model_steps, accepted, refused, state}' "$out" 2>/dev/null || cat "$out")"
	jq -e '.unexplained | length == 0' "$out" >/dev/null 2>&1 ||
		tap_diag "refusals without a message: $(jq -c .unexplained "$out" 2>/dev/null)"
	jq -e '.model_mismatch | length == 0' "$out" >/dev/null 2>&1 ||
		tap_diag "model mismatches: $(jq -c .model_mismatch "$out" 2>/dev/null)"
}

RET=0
touch "$out.churn"
churn &
churn_pid=$!
in_ns "$N" $FUZZ -n "$FUZZ_ITERATIONS" -s 1 --model fz0 --target fz1 >"$out"
rc=$?
rm -f "$out.churn"
wait $churn_pid
check_err $rc "the fuzzer found a problem"
report "root"
tap_diag "churn: fz1 and a scratch namespace re-made $(cat "$out.churned" 2>/dev/null) times"
rm -f "$out.churned"
ip -n "$N" -d link show fz0 | grep -q "lisp iid 100"
check_err $? "fz0 changed: $(ip -n "$N" -d link show fz0 2>&1)"
log_test "root: $FUZZ_ITERATIONS random requests beside device and namespace churn; refusals explained, state as modelled"

RET=0
unshare -Urn sh -c '
	ip link add fz0 type lisp iid 100 && ip link set fz0 up &&
	ip link add fz1 type lisp iid 101 && ip link set fz1 up &&
	exec '"$FUZZ"' -n '"$FUZZ_ITERATIONS"' -s 2 --model fz0 --target fz1' >"$out" 2>&1
check_err $? "the fuzzer found a problem in a user namespace"
report "user namespace root"
log_test "root of a user namespace, in its own namespace: refusals explained, state as modelled"

RET=0
# entries NS: fz0's map-cache without its timers (age, idle).
entries() {
	lctl "$N" map-cache show fz0 2>&1 | sed 's/ age [^ ]* idle [^ ]*//'
}
before=$(entries)
in_ns "$N" setpriv --reuid 65534 --regid 65534 --clear-groups \
	$FUZZ -n $((FUZZ_ITERATIONS / 3)) -s 3 --model fz0 --target fz1 \
	--unprivileged >"$out" 2>&1
check_err $? "an unprivileged user got a request through"
report "unprivileged"
check_eq "$(entries)" "$before" "fz0's map-cache after the unprivileged run"
log_test "an unprivileged user: every request refused"

RET=0
cleanup_all_ns
lisp_unload_module
check_err $? "rmmod after the fuzzing"
log_test "rmmod after the fuzzing"

tap_done
