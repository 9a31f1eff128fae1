#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# fw-save and fw-restore need no iptables or nft program: they talk
# netlink themselves.

load helpers

setup() { setup_ns; need_oracle; }
teardown() { teardown_ns; }

# Run "$@" in $NS with every iptables and nft program replaced by a
# program that fails, and an empty PATH.
without_tools() {
	unshare -m sh -c '
		for p in /usr/sbin/xtables-nft-multi /usr/sbin/xtables-legacy-multi /usr/sbin/nft; do
			[ -e "$p" ] && mount --bind /bin/false "$p"
		done
		! /usr/sbin/iptables-nft -L >/dev/null 2>&1 || exit 99
		exec "$(command -v ip)" netns exec "$0" env PATH=/nonexistent "$@"' "$NS" "$@"
}

@test "restore and save work where iptables and nft cannot run" {
	command -v unshare >/dev/null || skip "no unshare"
	without_tools "$FW_BIN/fw-restore" -c "$FIX/core.v4"
	without_tools "$FW_BIN/fw-save" -c > "$BATS_TEST_TMPDIR/fw"
	in_ons iptables-nft-restore -c "$FIX/core.v4"
	diff -u <(kstate "$ONS") <(kstate "$NS")
	diff -u <(in_ons iptables-nft-save -c | nocomment) <(nocomment < "$BATS_TEST_TMPDIR/fw")
}

@test "fw-restore and fw-save execute no other program" {
	command -v strace >/dev/null || skip "strace not installed"
	# LeakSanitizer cannot run under ptrace: no leak check while traced
	ASAN_OPTIONS=detect_leaks=0 in_ns strace -f -qq -e trace=execve -o "$BATS_TEST_TMPDIR/tr" "$FW_BIN/fw-restore" "$FIX/core.v4"
	ASAN_OPTIONS=detect_leaks=0 in_ns strace -f -qq -e trace=execve -o "$BATS_TEST_TMPDIR/tr2" "$FW_BIN/fw-save"
	[ "$(grep -c execve "$BATS_TEST_TMPDIR/tr")" -eq 1 ]
	[ "$(grep -c execve "$BATS_TEST_TMPDIR/tr2")" -eq 1 ]
}
