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

@test "errors of the parser and of the encoder come in line order, over many commands" {
	# the parser runs in a thread of its own and hands commands over in
	# blocks (common/cmdpipe.c): its errors and the encoder's must still
	# interleave by line, and the limit on messages keep the first ones
	awk 'BEGIN {
		print "*filter"; print ":INPUT ACCEPT [0:0]"; line = 2
		for (i = 0; i < 12000; i++) {
			line++
			if (i % 97 == 13) { print "-A INPUT --bogus"; bad[++n] = line ":10" }
			else if (i % 89 == 40) { print "-A NOSUCH -j ACCEPT"; bad[++n] = line ":1" }
			else if (i % 1000 == 500) { print "junk"; bad[++n] = line ":1" }
			else print "-A INPUT -s 10.0." int(i / 250) "." i % 250 " -j ACCEPT"
		}
		print "COMMIT"
		for (k = 1; k <= n; k++) print bad[k] > "/dev/stderr"
	}' > "$BATS_TEST_TMPDIR/m" 2> "$BATS_TEST_TMPDIR/want"
	run "$FW_BIN/fw-restore" --test "$BATS_TEST_TMPDIR/m"
	[ "$status" -eq 2 ]
	echo "$output" | sed -n 's|^.*/m:\([0-9]*:[0-9]*\): error: .*|\1|p' > "$BATS_TEST_TMPDIR/got"
	# 200 shown, then a count of the rest
	total=$(wc -l < "$BATS_TEST_TMPDIR/want")
	[ "$total" -gt 250 ]
	head -n 200 "$BATS_TEST_TMPDIR/want" | diff -u - "$BATS_TEST_TMPDIR/got"
	[[ "$output" == *"fw: $((total - 200)) more messages not shown"* ]]
}
