# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for tests/bats/5*-persist*.bats (loaded with bats' `load`).
# Everything that touches the kernel runs in a new network namespace.

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
FWP=${FW_BIN:-$REPO/build}/fw-persist
HOOK=$REPO/persist/fw-persist-ifupdown
export FWP HOOK REPO

# A test tree: $ROOT with /etc/os-release saying ID=$1.
mkroot() {
	ROOT=$BATS_TEST_TMPDIR/root
	mkdir -p "$ROOT/etc"
	printf 'ID=%s\n' "${1:-debian}" > "$ROOT/etc/os-release"
	export ROOT
}

fwp() {
	"$FWP" --root "$ROOT" "$@"
}

# ns 'script': run a shell script in a private network namespace.
ns() {
	unshare -n -- bash -ec "$1"
}

need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	[ -x "$FWP" ] || skip "no $FWP"
}

# Rules with a marker each, in the canonical form iptables-nft-save prints.
rules_v4() {
	cat <<-RULES
	*filter
	:INPUT ACCEPT [0:0]
	:FORWARD DROP [0:0]
	:OUTPUT ACCEPT [0:0]
	-A INPUT -s 192.0.2.${1:-1}/32 -p tcp -m tcp --dport 22 -j ACCEPT
	-A INPUT -i lo -j ACCEPT
	COMMIT
	RULES
}

rules_v6() {
	cat <<-RULES
	*filter
	:INPUT ACCEPT [0:0]
	:FORWARD DROP [0:0]
	:OUTPUT ACCEPT [0:0]
	-A INPUT -s 2001:db8::${1:-1}/128 -p tcp -m tcp --dport 22 -j ACCEPT
	COMMIT
	RULES
}

# put_rules FILE CONTENT-FUNCTION [ARG]: a root-owned 0600 rules file.
put_rules() {
	mkdir -p "$(dirname "$1")"
	"$2" "${3:-}" > "$1"
	chmod 0600 "$1"
}

# The live rules of both families without comments (the oracle's view).
live_rules() {
	{ iptables-nft-save; ip6tables-nft-save; } | sed '/^#/d'
}
export -f rules_v4 rules_v6 put_rules live_rules
