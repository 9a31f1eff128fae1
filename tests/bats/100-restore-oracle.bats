#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# fw-restore leaves the kernel state iptables-nft-restore leaves, and
# fw-save prints what iptables-nft-save prints.

load helpers

setup() { setup_ns; need_oracle; }
teardown() { teardown_ns; }

@test "IPv4 core ruleset: same kernel state and save text as the oracle" {
	oracle_compare "$FIX/core.v4" 4
}

@test "IPv4 core ruleset with -c: counters restored like the oracle" {
	oracle_compare "$FIX/core.v4" 4 -c
}

@test "IPv6 core ruleset: same kernel state and save text as the oracle" {
	oracle_compare "$FIX/core.v6" 6
}

@test "fw-save output restored by fw-restore gives the same ruleset back" {
	in_ons iptables-nft-restore -c "$FIX/core.v4"
	in_ons "$FW_BIN/fw-save" -c > "$BATS_TEST_TMPDIR/fw.out"
	in_ns "$FW_BIN/fw-restore" -c "$BATS_TEST_TMPDIR/fw.out"
	diff -u <(in_ons iptables-nft-save -c | nocomment) <(in_ns iptables-nft-save -c | nocomment)
	# and the oracle's own text round trip gives the same kernel state
	in_ons iptables-nft-save -c > "$BATS_TEST_TMPDIR/o.out"
	in_ons iptables-nft-restore -c "$BATS_TEST_TMPDIR/o.out"
	diff -u <(kstate "$ONS") <(kstate "$NS")
}

@test "restoring twice replaces, it does not append" {
	in_ns "$FW_BIN/fw-restore" "$FIX/core.v4"
	in_ns "$FW_BIN/fw-restore" "$FIX/core.v4"
	in_ons iptables-nft-restore "$FIX/core.v4"
	diff -u <(in_ons iptables-nft-save | nocomment) <(in_ns iptables-nft-save | nocomment)
}

@test "a flush deletes chains the file does not declare, as the oracle" {
	printf '*filter\n:OLD - [0:0]\n-A INPUT -j OLD\nCOMMIT\n' > "$BATS_TEST_TMPDIR/old"
	in_ns "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/old"
	in_ons iptables-nft-restore "$BATS_TEST_TMPDIR/old"
	printf '*filter\n-A OUTPUT -j ACCEPT\nCOMMIT\n' > "$BATS_TEST_TMPDIR/new"
	in_ns "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/new"
	in_ons iptables-nft-restore "$BATS_TEST_TMPDIR/new"
	diff -u <(kstate "$ONS") <(kstate "$NS")
}

@test "an empty table block deletes the table, as the oracle" {
	in_ns "$FW_BIN/fw-restore" "$FIX/core.v4"
	in_ons iptables-nft-restore "$FIX/core.v4"
	printf '*filter\nCOMMIT\n' > "$BATS_TEST_TMPDIR/empty"
	in_ns "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/empty"
	in_ons iptables-nft-restore "$BATS_TEST_TMPDIR/empty"
	diff -u <(kstate "$ONS") <(kstate "$NS")
}
