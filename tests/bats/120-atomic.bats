#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# All or nothing: on any error the kernel keeps exactly what it had.

load helpers

setup() {
	setup_ns
	in_ns "$FW_BIN/fw-restore" -c --ipv4 "$FIX/core.v4" --ipv6 "$FIX/core.v6"
	BEFORE=$(kstate "$NS")
}
teardown() { teardown_ns; }

unchanged() { diff -u <(echo "$BEFORE") <(kstate "$NS"); }

@test "a bad last table: nothing of the earlier tables is applied" {
	printf '*raw\n-A PREROUTING -j DROP\nCOMMIT\n*filter\n-A INPUT -j NO_SUCH_CHAIN\nCOMMIT\n' > "$BATS_TEST_TMPDIR/bad"
	run in_ns "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/bad"
	[ "$status" -eq 4 ]
	[[ "$output" == *"bad:5:"*"kernel rejected"* ]]
	unchanged
}

@test "a parse error in the last table: nothing is sent" {
	printf '*raw\n-A PREROUTING -j DROP\nCOMMIT\n*filter\n-A INPUT --bogus\nCOMMIT\n' > "$BATS_TEST_TMPDIR/bad"
	run in_ns "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/bad"
	[ "$status" -eq 2 ]
	unchanged
}

@test "a missing COMMIT: nothing is applied" {
	printf '*filter\n-A INPUT -j ACCEPT\n' > "$BATS_TEST_TMPDIR/bad"
	run in_ns "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/bad"
	[ "$status" -eq 2 ]
	unchanged
}

@test "--ipv4 good and --ipv6 bad: neither family changes" {
	printf '*filter\n-A INPUT -j DROP\nCOMMIT\n' > "$BATS_TEST_TMPDIR/good4"
	printf '*filter\n-A INPUT -j MISSING\nCOMMIT\n' > "$BATS_TEST_TMPDIR/bad6"
	run in_ns "$FW_BIN/fw-restore" --ipv4 "$BATS_TEST_TMPDIR/good4" --ipv6 "$BATS_TEST_TMPDIR/bad6"
	[ "$status" -ne 0 ]
	unchanged
}

@test "--ipv6 with a parse error: IPv4 untouched" {
	printf '*filter\n-A INPUT -j DROP\nCOMMIT\n' > "$BATS_TEST_TMPDIR/good4"
	printf '*filter\n-A INPUT -s 1.2.3.4 -j DROP\nCOMMIT\n' > "$BATS_TEST_TMPDIR/bad6"
	run in_ns "$FW_BIN/fw-restore" --ipv4 "$BATS_TEST_TMPDIR/good4" --ipv6 "$BATS_TEST_TMPDIR/bad6"
	[ "$status" -eq 2 ]
	unchanged
}
