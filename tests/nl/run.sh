#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build tests/nl/nltest.c against common/nl.c and run it in a throwaway
# network namespace (never the caller's), then cross-check with nft.
# SANITIZE=address,undefined tests/nl/run.sh builds with sanitizers.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

CC=${CC:-gcc}
WARN="-std=gnu11 -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes
 -Wshadow -Wformat=2 -Wwrite-strings -Wundef -Wvla
 -Wdeclaration-after-statement -Werror"
SAN=
if [ -n "${SANITIZE:-}" ]; then
	SAN="-fsanitize=$SANITIZE -fno-sanitize-recover=$SANITIZE -fno-omit-frame-pointer"
fi
# shellcheck disable=SC2046,SC2086
build() {
	$CC $WARN -O1 -g $SAN "$@" -I"$top/common" \
		$(pkg-config --cflags libnftnl libmnl) \
		"$top/common/nl.c" "$top/common/nlmsg.c" "$top/common/util.c" \
		"$top/tests/nl/nltest.c" $(pkg-config --libs libnftnl libmnl)
}
build -o "$tmp/nltest"
# a receive buffer far too small for the answers: ENOBUFS, no hang
build -DNL_ACK_COST=1u -o "$tmp/nltest-nobufs"
# every sequence of rule dumps on two sockets, even of 2 chains, and the
# caller asking for a chain ahead whenever it can
build -DFW_NL_TWIN_CHAINS=2u -DNL_AHEAD_IDLE=0 -o "$tmp/nltest-twin"

if [ "$(id -u)" != 0 ] || ! unshare -n true 2>/dev/null; then
	echo "run.sh: needs root and unshare -n" >&2
	exit 77
fi

# Everything below runs inside the new namespace only; nltest also refuses
# to run in ours (its inode) or in any namespace with a ruleset.
ours=$(stat -L -c %i /proc/self/ns/net)
# shellcheck disable=SC2016
unshare -n sh -eu -c '
	tmp=$1 ours=$2
	arg=
	if command -v ipset >/dev/null; then
		ipset create foo hash:ip
		ipset create bar hash:net
		arg=--ipset
	else
		echo "run.sh: ipset not installed, ipset tests skipped"
	fi
	"$tmp/nltest" "$ours" $arg >"$tmp/out" 2>&1 || { cat "$tmp/out"; exit 1; }
	grep -v -e "^  \[" -e "^  rule:" -e "^\$" "$tmp/out"
	nft -a list ruleset >"$tmp/nft"
	fail=0
	for c in INPUT USER; do
		want=$(sed -n "s/^HANDLES $c://p" "$tmp/out" | xargs)
		got=$(nft -a list chain ip filter "$c" |
			grep -v "^\s*\(chain\|table\) " | sed -n "s/.* # handle \([0-9]*\)\$/\1/p" | xargs)
		if [ "$want" != "$got" ]; then
			echo "MISMATCH $c handles: nltest [$want] nft [$got]"
			fail=1
		fi
	done
	n=$(nft list chain ip filter BIG | grep -c "counter packets 0 bytes 0 accept" || true)
	[ "$n" = 20000 ] || { echo "MISMATCH BIG has $n rules"; fail=1; }
	if grep MISSING "$tmp/nft"; then
		echo "MISMATCH a rejected object was committed"
		fail=1
	fi
	want="bare filter intr other"
	got=$(nft list tables ip | sed "s/^table ip //" | sort | xargs)
	[ "$want" = "$got" ] || { echo "MISMATCH tables [$got]"; fail=1; }
	nft list chain ip filter INPUT
	nft list chain ip filter USER
	exit $fail
' sh "$tmp" "$ours"
unshare -n "$tmp/nltest-nobufs" "$ours" --nobufs
unshare -n "$tmp/nltest-twin" "$ours" >"$tmp/out" 2>&1 ||
	{ cat "$tmp/out"; exit 1; }
grep -e "^rules of" -e "failure" "$tmp/out"
echo "run.sh: PASS"
