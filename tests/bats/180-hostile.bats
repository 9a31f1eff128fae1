#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Kernel state written by nft, not iptables: fw-save prints what
# iptables-nft-save prints, or fails where it fails, and never changes
# the kernel.

load helpers

setup() { setup_ns; need_oracle; }
teardown() { teardown_ns; }

# nft commands (one per argument) in $NS, then compare both saves: same
# text, and failure where the oracle fails. The kernel must not change.
nft_case() {
	local c
	in_ns iptables-nft-restore "$FIX/core.v4"
	for c in "$@"; do
		in_ns nft "$c"
	done
	local before after
	before=$(kstate "$NS")
	run in_ns iptables-nft-save
	local ostatus=$status oout
	oout=$(echo "$output" | nocomment)
	run in_ns "$FW_BIN/fw-save"
	after=$(kstate "$NS")
	[ "$before" = "$after" ]
	if [ "$ostatus" -ne 0 ]; then
		[ "$status" -ne 0 ]
		[[ "$output" == *"table"*"chain"* ]]
		return 0
	fi
	[ "$status" -eq 0 ]
	diff -u <(echo "$oout") <(echo "$output" | nocomment)
}

@test "tables of other families and names are ignored" {
	nft_case "add table inet fw" \
		"add chain inet fw in { type filter hook input priority 0; }" \
		"add rule inet fw in ct state established accept" \
		"add table bridge br" "add table netdev nd" "add table ip mine" \
		"add chain ip mine c { type filter hook forward priority 10; }"
}

@test "sets, maps and named counters in an iptables table" {
	nft_case "add set ip filter s { type ipv4_addr; elements = { 1.2.3.4 } }" \
		"add map ip filter m { type ipv4_addr : verdict; }" \
		"add counter ip filter cnt"
}

@test "a flowtable in an iptables table" {
	in_ns nft "add flowtable ip filter ft { hook ingress priority 0; devices = { lo }; }" 2>/dev/null ||
		skip "this kernel has no flowtables"
	nft_case "add flowtable ip filter ft2 { hook ingress priority 0; devices = { lo }; }"
}

@test "a rule using a set lookup: incompatible, not a rule that matches all" {
	# iptables-nft-save 1.8.9 prints "-A INPUT -j ACCEPT" here, dropping
	# the lookup (docs/compat.md); fw refuses the table instead.
	in_ns iptables-nft-restore "$FIX/core.v4"
	in_ns nft "add set ip filter s { type ipv4_addr; elements = { 1.2.3.4 } }"
	in_ns nft "add rule ip filter INPUT ip saddr @s accept"
	run in_ns "$FW_BIN/fw-save"
	[ "$status" -eq 0 ]
	[[ "$output" == *"# Table \`filter' is incompatible, use 'nft' tool."* ]]
	[[ "$output" != *"-A INPUT -j ACCEPT"* ]]
}

@test "a base chain with an unusual priority or hook in filter" {
	nft_case "add chain ip filter odd { type filter hook input priority 3; }" \
		"add rule ip filter odd accept" \
		"add chain ip filter OUTPUT2 { type filter hook prerouting priority 0; }"
}

@test "nft rules that iptables can read: addresses, ports, marks, counters" {
	nft_case "add rule ip filter INPUT ip saddr 192.0.2.1 counter accept" \
		"add rule ip filter INPUT ip daddr 10.0.0.0/8 tcp dport 22 drop" \
		"add rule ip filter INPUT iifname \"eth*\" udp sport 53 accept" \
		"add rule ip filter INPUT meta mark 0x10 return" \
		"add rule ip filter INPUT tcp flags & (syn|ack) == syn accept"
}

@test "nft rules with expressions iptables never writes" {
	nft_case "add rule ip filter INPUT ct state established accept"
}

@test "nft-written comments (rule userdata)" {
	nft_case "add rule ip filter INPUT tcp dport 22 accept comment \"ssh from anywhere\"" \
		"add rule ip filter INPUT accept comment \"it's a \\\"quote\\\"\""
}

@test "nft rules iptables reads with other matches: ttl, pkttype, icmp, log" {
	nft_case "add rule ip filter INPUT ip ttl 5 drop" \
		"add rule ip filter INPUT meta pkttype broadcast drop" \
		"add rule ip filter INPUT icmp type echo-request accept" \
		"add rule ip filter INPUT log prefix \"in: \" group 3"
}

@test "a log without a group (an nft log, not NFLOG)" {
	nft_case "add rule ip filter INPUT log prefix \"x \" level info"
}

@test "a limit in bytes" {
	nft_case "add rule ip filter INPUT limit rate 10 kbytes/second accept"
}
