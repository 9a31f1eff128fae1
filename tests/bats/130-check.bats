#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# --check: the kernel validates the whole batch and commits nothing.

load helpers

setup() { setup_ns; }
teardown() { teardown_ns; }

@test "--check catches a jump to a missing chain that --test cannot" {
	printf '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j NOPE\nCOMMIT\n' > "$BATS_TEST_TMPDIR/f"
	run "$FW_BIN/fw-restore" --test "$BATS_TEST_TMPDIR/f"
	[ "$status" -eq 0 ]
	run in_ns "$FW_BIN/fw-restore" --check "$BATS_TEST_TMPDIR/f"
	[ "$status" -eq 4 ]
	[[ "$output" == *"f:3:1: error: kernel rejected adding the rule"* ]]
	[ -z "$(kstate "$NS")" ]
}

@test "--check reports every bad rule, not just the first" {
	printf '*filter\n-A INPUT -j NOPE1\n-A INPUT -j ACCEPT\n-A OUTPUT -j NOPE2\nCOMMIT\n' > "$BATS_TEST_TMPDIR/f"
	run in_ns "$FW_BIN/fw-restore" --check "$BATS_TEST_TMPDIR/f"
	[ "$status" -eq 4 ]
	[[ "$output" == *"f:2:1:"* ]]
	[[ "$output" == *"f:4:1:"* ]]
	[[ "$output" != *"f:3:1:"* ]]
}

@test "--check of a good file succeeds and changes nothing" {
	in_ns "$FW_BIN/fw-restore" "$FIX/core.v6" -6
	before=$(kstate "$NS")
	run in_ns "$FW_BIN/fw-restore" --check "$FIX/core.v4"
	[ "$status" -eq 0 ]
	diff -u <(echo "$before") <(kstate "$NS")
}

@test "--check runs unprivileged in a private user+network namespace" {
	command -v unshare >/dev/null || skip "no unshare"
	run setpriv --reuid=65534 --regid=65534 --clear-groups unshare -rn "$FW_BIN/fw-restore" --check "$FIX/core.v4"
	[ "$status" -eq 0 ] || skip "user namespaces not available here: $output"
}
