# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# bench/lib.sh - what the guest scripts of bench/ share.  They set RAW,
# the file of raw records, before calling rec.

now() { date +%s.%N; }

# rec KEY=VALUE...: one raw record (numbers or plain words only).
rec() {
	local kv out="" sep=""
	for kv in "$@"; do
		case ${kv#*=} in
		''|*[!0-9.e+-]*) out+="$sep\"${kv%%=*}\": \"${kv#*=}\"" ;;
		*) out+="$sep\"${kv%%=*}\": ${kv#*=}" ;;
		esac
		sep=", "
	done
	echo "{$out}" >>"$RAW"
}
