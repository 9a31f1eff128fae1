#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# A concurrent writer: fw-restore retries on a stale generation id and
# loses nothing of either side.

load helpers

setup() { setup_ns; need_oracle; }
teardown() {
	[ -n "${WRITER:-}" ] && kill "$WRITER" 2>/dev/null
	wait 2>/dev/null
	teardown_ns
}

big_file() {
	local n=$1 i
	echo '*filter'
	echo ':INPUT ACCEPT [0:0]'
	for ((i = 0; i < n; i++)); do
		echo "-A INPUT -s 10.$((i / 65536 % 256)).$((i / 256 % 256)).$((i % 256)) -p tcp --dport $((i % 60000 + 1)) -j ACCEPT"
	done
	echo 'COMMIT'
}

@test "restores under a concurrent iptables-nft writer: retried, nothing lost" {
	big_file 20000 > "$BATS_TEST_TMPDIR/big"
	in_ns iptables-nft -t raw -A PREROUTING -j ACCEPT
	# the writer adds rules to another table as fast as it can
	( for i in $(seq 1 400); do in_ns iptables-nft -t raw -A PREROUTING -s 192.0.2.$((i % 250)) -j ACCEPT || exit 1; done; touch "$BATS_TEST_TMPDIR/done" ) &
	WRITER=$!
	retried=0
	for i in 1 2 3 4 5 6; do
		run in_ns "$FW_BIN/fw-restore" -v "$BATS_TEST_TMPDIR/big"
		[ "$status" -eq 0 ] || { echo "$output" | grep -v '^ip -A' | tail -5; false; }
		[[ "$output" == *"retrying"* ]] && retried=$((retried + 1))
	done
	wait "$WRITER"
	WRITER=
	[ -f "$BATS_TEST_TMPDIR/done" ]
	# every write of the other writer is there, and the restored table is whole
	[ "$(in_ns iptables-nft-save -t raw | grep -c '^-A PREROUTING')" -eq 401 ]
	[ "$(in_ns iptables-nft-save -t filter | grep -c '^-A INPUT')" -eq 20000 ]
	echo "# fw-restore runs that retried: $retried" >&3
}

@test "two fw-restore at once: the result is one whole file, never a mix" {
	big_file 5000 > "$BATS_TEST_TMPDIR/a"
	sed 's/-j ACCEPT/-j DROP/' "$BATS_TEST_TMPDIR/a" > "$BATS_TEST_TMPDIR/b"
	for i in 1 2 3; do
		in_ns "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/a" &
		p1=$!
		in_ns "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/b" &
		p2=$!
		wait $p1
		wait $p2
		out=$(in_ns iptables-nft-save -t filter | grep '^-A')
		[ "$(echo "$out" | wc -l)" -eq 5000 ]
		a=$(echo "$out" | grep -c 'ACCEPT$' || true)
		[ "$a" -eq 0 ] || [ "$a" -eq 5000 ]
	done
}
