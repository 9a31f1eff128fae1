#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Error messages: FILE:LINE:COL, the line and a caret, every error of the
# run. Golden files: golden/NAME.in -> golden/NAME.err (fw-restore --test).

load helpers

@test "error messages match the golden files" {
	local in name fail=0
	for in in "$BATS_TEST_DIRNAME"/golden/*.in; do
		name=${in%.in}
		run "$FW_BIN/fw-restore" --test "$in"
		[ "$status" -ne 0 ] || { echo "$in: accepted"; fail=1; }
		# name the file as the golden file does
		diff -u "$name.err" <(echo "$output" | sed "s|$BATS_TEST_DIRNAME/golden/||") || fail=1
	done
	[ "$fail" -eq 0 ]
}

@test "stdin is named <stdin>" {
	run "$FW_BIN/fw-restore" --test < "$BATS_TEST_DIRNAME/golden/unknown-option.in"
	[ "$status" -eq 2 ]
	[[ "$output" == "<stdin>:3:17: error: unknown option '--dprt'"* ]]
}

@test "a kernel error names the line of the rule that failed" {
	setup_ns
	printf '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\n-A INPUT -g NOWHERE\nCOMMIT\n' > "$BATS_TEST_TMPDIR/k"
	run in_ns "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/k"
	teardown_ns
	[ "$status" -eq 4 ]
	[[ "$output" == *"/k:4:1: error: kernel rejected adding the rule: No such file or directory"* ]]
}
