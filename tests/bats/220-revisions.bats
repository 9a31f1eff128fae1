#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Extension revisions: asked of the kernel, highest first. FW_TEST_HIDE_REVS
# makes fw act as on an older kernel that lacks the highest revisions.

load helpers

setup() {
	setup_ns
	printf '*filter\n-A INPUT -p tcp -m conntrack --ctstate NEW,RELATED -m tcp --dport 22 -j ACCEPT\n-A INPUT -m conntrack --ctorigsrc 10.0.0.0/8 --ctorigdstport 80 ! --ctstatus ASSURED -j DROP\nCOMMIT\n' > "$BATS_TEST_TMPDIR/ct"
}
teardown() { teardown_ns; }

@test "without conntrack revision 3 the kernel gets revision 2, saved back the same" {
	in_ons "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/ct"
	FW_TEST_HIDE_REVS=conntrack:3 in_ns "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/ct"
	run in_ns nft --debug=netlink list chain ip filter INPUT
	[ "$(echo "$output" | grep -c 'match name conntrack rev 2')" -eq 2 ]
	diff -u <(in_ons "$FW_BIN/fw-save" | nocomment) <(in_ns "$FW_BIN/fw-save" | nocomment)
}

@test "without revisions 3 and 2: revision 1" {
	in_ons "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/ct"
	FW_TEST_HIDE_REVS=conntrack:3,conntrack:2 in_ns "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/ct"
	run in_ns nft --debug=netlink list chain ip filter INPUT
	[ "$(echo "$output" | grep -c 'match name conntrack rev 1')" -eq 2 ]
	diff -u <(in_ons "$FW_BIN/fw-save" | nocomment) <(in_ns "$FW_BIN/fw-save" | nocomment)
}

@test "what an older revision cannot say is an error at its line; nothing loaded" {
	printf '*filter\n-A INPUT -j ACCEPT\n-A INPUT -m conntrack --ctorigdstport 80:90 -j DROP\nCOMMIT\n' > "$BATS_TEST_TMPDIR/range"
	FW_TEST_HIDE_REVS=conntrack:3 run in_ns "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/range"
	[ "$status" -ne 0 ]
	[[ "$output" == *"range:3:13: error: the kernel has match 'conntrack' up to revision 2 only"* ]]
	[ -z "$(in_ns nft list ruleset)" ]
}

@test "a kernel without the module: a clear error naming it and the line" {
	FW_TEST_HIDE_REVS=conntrack:3,conntrack:2,conntrack:1 run in_ns "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/ct"
	[ "$status" -ne 0 ]
	[[ "$output" == *"ct:2:"*"the kernel has no match 'conntrack' revision 3 (module xt_conntrack missing?)"* ]]
	[ -z "$(in_ns nft list ruleset)" ]
}
