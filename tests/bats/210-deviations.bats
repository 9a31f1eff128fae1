#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Where 1.8.9 encodes a rule with another meaning, fw encodes what the
# rule says (docs/compat.md, tests/conformance-deviations.txt).

load helpers

setup() { setup_ns; need_oracle; }
teardown() { teardown_ns; }

@test "! --sport A ! --dport B: two compares, the same saved text" {
	local f=$TOP/tests/rulesets/inverted-ports.v4.rules
	in_ns "$FW_BIN/fw-restore" "$f"
	in_ons iptables-nft-restore "$f"
	diff -u <(in_ons iptables-nft-save | nocomment) <(in_ns iptables-nft-save | nocomment)
	diff -u <(in_ons iptables-nft-save | nocomment) <(in_ns "$FW_BIN/fw-save" | nocomment)
	# 1.8.9: one 4-byte load of both ports; fw: two 2-byte loads, each != 
	run in_ons nft --debug=netlink list chain ip filter INPUT
	[ "$(echo "$output" | grep -c 'payload load 4b @ transport header + 0')" -eq 2 ]
	run in_ns nft --debug=netlink list chain ip filter INPUT
	[ "$(echo "$output" | grep -c 'payload load 4b @ transport header')" -eq 0 ]
	[ "$(echo "$output" | grep -c 'payload load 2b @ transport header + 0')" -eq 2 ]
	[ "$(echo "$output" | grep -c 'payload load 2b @ transport header + 2')" -eq 2 ]
	[ "$(echo "$output" | grep -c 'cmp neq reg 1')" -eq 4 ]
}

@test "! --dport 0:65535 keeps its negation (a rule that never matches)" {
	printf '*filter\n-A INPUT -p tcp -m tcp ! --dport 0:65535 -j DROP\nCOMMIT\n' > "$BATS_TEST_TMPDIR/f"
	in_ns "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/f"
	run in_ns nft --debug=netlink list chain ip filter INPUT
	[[ "$output" == *"range neq reg 1 0x00000000 0x0000ffff"* ]]
	run in_ns "$FW_BIN/fw-save"
	[[ "$output" == *"-A INPUT -p tcp -m tcp ! --dport 0:65535 -j DROP"* ]]
}
