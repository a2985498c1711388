#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tools/version in a scratch git repository: no tag, a release tag, commits
# after it, uncommitted changes, and a tree without git (the changelog).
# Prints TAP.  Usage: test_version.sh TOOLS_VERSION
set -u
V=$(readlink -f "$1")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
failed=0

echo "TAP version 13"
# is WANT_PATTERN DESCRIPTION: tools/version of $T/r matches
is() {
	got=$("$V" "$T/r" 2>&1)
	n=$((n + 1))
	if echo "$got" | grep -Eqx -- "$1"; then
		echo "ok $n - $2 ($got)"
	else
		echo "not ok $n - $2"
		echo "#   want: $1"
		echo "#   got:  $got"
		failed=$((failed + 1))
	fi
}

mkdir "$T/r"
g() { git -C "$T/r" -c user.name=t -c user.email=t@t "$@" >/dev/null 2>&1; }
g init -q
echo a >"$T/r/f"
g add f
g commit -q -m one
echo b >>"$T/r/f"
g commit -q -a -m two
is '0\.1~git2\.g[0-9a-f]{7}' "no tag: before 0.1, commit count and hash"
g tag -a v0.2 -m v0.2
is '0\.2' "on tag v0.2: 0.2"
echo c >>"$T/r/f"
g commit -q -a -m three
is '0\.2\+1\.g[0-9a-f]{7}' "one commit after v0.2: 0.2+1.gHASH"
echo d >>"$T/r/f"
is '0\.2\+1\.g[0-9a-f]{7}\.dirty' "uncommitted changes: .dirty"
n=$((n + 1))
if dpkg --compare-versions 0.1~git9.gabcdef0 lt 0.1 &&
   dpkg --compare-versions 0.2 lt 0.2+1.gabcdef0 &&
   dpkg --compare-versions 0.2+1.gabcdef0 lt 0.2+10.g0000000; then
	echo "ok $n - the versions sort as releases and snapshots should"
else
	echo "not ok $n - the versions sort as releases and snapshots should"
	failed=$((failed + 1))
fi
rm -rf "$T/r/.git"
mkdir "$T/r/debian"
printf 'lisp (0.3+2.g1234567) bookworm; urgency=medium\n\n  * x\n\n -- t <t@t.example>  Mon, 07 Dec 2026 12:00:00 +0000\n' \
	>"$T/r/debian/changelog"
is '0\.3\+2\.g1234567' "no git: debian/changelog's version"

echo "1..$n"
[ $failed = 0 ]
