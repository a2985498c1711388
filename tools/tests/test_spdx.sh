#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Every source file carries its program's licence
# (Documentation/coding-style.rst).  TAP: one result per directory rule.
# Usage: test_spdx.sh [TOPDIR]
top=${1:-$(dirname "$0")/../..}
cd "$top" || exit 1

n=0
bad=0

# sources PATHSPEC...: git-tracked C, shell and python files, and
# scripts without a suffix (a "#!" first line).
sources() {
	git ls-files -- "$@" | while read -r f; do
		case $f in
		*.c|*.h|*.sh|*.py) echo "$f" ;;
		*.*|*/Makefile|Makefile) ;;
		*) [ "$(head -c2 "$f")" = "#!" ] && echo "$f" ;;
		esac
	done
}

# rule NAME EXPECTED PATHSPEC...: the sources under PATHSPEC must name
# EXPECTED on their SPDX line.
rule() {
	name=$1 want=$2
	shift 2
	n=$((n + 1))
	wrong=
	for f in $(sources "$@"); do
		got=$(grep -m1 -o 'SPDX-License-Identifier: .*' "$f" |
			sed 's/^SPDX-License-Identifier: //; s/ *\*\/ *$//')
		[ "$got" = "$want" ] || wrong="$wrong $f(${got:-none})"
	done
	if [ -z "$wrong" ]; then
		echo "ok $n - licence of $name is $want"
	else
		echo "not ok $n - licence of $name is $want"
		echo "# wrong or missing:$wrong"
		bad=1
	fi
}

echo "TAP version 13"
rule "kmod/" "GPL-2.0" kmod
rule "uapi/" "(GPL-2.0 WITH Linux-syscall-note) OR MIT" uapi
rule "lispd/" "MIT" lispd
rule "tools/, selftests/, bench/, debian/" "GPL-2.0" tools selftests bench debian
echo "1..$n"
exit $bad
