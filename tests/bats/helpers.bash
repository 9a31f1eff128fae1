# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for the bats tests: binaries, throwaway network
# namespaces, and the oracle (iptables-nft) beside fw.

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
FW_BIN=${FW_BIN:-$TOP/build}
FIX=$TOP/tests/fixtures

need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
}

need_oracle() {
	command -v iptables-nft-restore >/dev/null || skip "iptables-nft not installed"
}

# One namespace per test for fw ($NS) and one for the oracle ($ONS).
setup_ns() {
	need_root
	NS=fwt-$$-${BATS_TEST_NUMBER}
	ONS=fwo-$$-${BATS_TEST_NUMBER}
	ip netns add "$NS"
	ip netns add "$ONS"
}

teardown_ns() {
	[ -n "${NS:-}" ] && ip netns del "$NS" 2>/dev/null
	[ -n "${ONS:-}" ] && ip netns del "$ONS" 2>/dev/null
	return 0
}

in_ns() { ip netns exec "$NS" "$@"; }
in_ons() { ip netns exec "$ONS" "$@"; }

fw_restore() { "$FW_BIN/fw-restore" "$@"; }
fw_save() { "$FW_BIN/fw-save" "$@"; }

# A kernel-state dumper that shows every attribute (compat payload bytes,
# chain counters): the conformance kit's nfdump when it is beside the
# project ($FW_NFDUMP_SRC to point elsewhere), else nft's netlink view
# with handles dropped and tables in a fixed order.
NFDUMP_SRC=${FW_NFDUMP_SRC:-$TOP/../shared/conformance/tools/nfdump.c}
nfdump_bin() {
	local bin
	[ -f "$NFDUMP_SRC" ] || return 0
	bin=/tmp/fw-bats-nfdump-$(md5sum < "$NFDUMP_SRC" | cut -c1-12)
	if [ -x "$bin" ] || gcc -O2 -o "$bin" "$NFDUMP_SRC" -lnftnl -lmnl 2>/dev/null; then
		echo "$bin"
	fi
}

# Order-independent form of "nft --debug=netlink list ruleset": netlink
# rule blocks grouped per chain (rule order kept), listing blocks per
# table, each kind sorted; handles and positions dropped.
normalize_nft() {
	python3 -c '
import re, sys
text = sys.stdin.read()
blocks, cur = [], []
for line in text.splitlines():
	if not line.strip():
		if cur: blocks.append(cur); cur = []
		continue
	if re.match(r"^table ", line) and cur:
		blocks.append(cur); cur = []
	cur.append(line.rstrip())
if cur: blocks.append(cur)
rules, tables = {}, []
for b in blocks:
	# "FAMILY TABLE CHAIN HANDLE [POSITION]": the first rule of a chain
	# has no position
	m = re.match(r"^(ip6? \S+ \S+) \d+( \d+)?$", b[0])
	if m:
		rules.setdefault(m.group(1), []).append("\n".join(b[1:]))
	else:
		tables.append("\n".join(b))
for k in sorted(rules):
	print(k); print("\n".join(rules[k]))
print("\n".join(sorted(tables)))
'
}

# kstate NSNAME: the full kernel state of a namespace, comparable.
kstate() {
	local bin
	bin=$(nfdump_bin)
	if [ -n "$bin" ]; then
		ip netns exec "$1" "$bin"
	else
		ip netns exec "$1" nft --debug=netlink list ruleset 2>/dev/null |
			normalize_nft
	fi
}

# save text without comment lines
nocomment() { grep -v '^#' || true; }

# Load FILE with the oracle into $ONS and with fw into $NS (same extra
# options), then require identical kernel state and identical save text.
oracle_compare() {
	local file=$1 fam=${2:-4}; shift 2 || shift $#
	local ipr=iptables-nft-restore ips=iptables-nft-save
	if [ "$fam" = 6 ]; then ipr=ip6tables-nft-restore; ips=ip6tables-nft-save; fi
	in_ons "$ipr" "$@" "$file"
	in_ns "$FW_BIN/fw-restore" -"$fam" "$@" "$file"
	diff -u <(kstate "$ONS") <(kstate "$NS")
	diff -u <(in_ons "$ips" -c | nocomment) <(in_ns "$ips" -c | nocomment)
	diff -u <(in_ons "$ips" | nocomment) <(in_ns "$FW_BIN/fw-save" -"$fam" | nocomment)
	diff -u <(in_ons "$ips" -c | nocomment) <(in_ns "$FW_BIN/fw-save" -"$fam" -c | nocomment)
}
