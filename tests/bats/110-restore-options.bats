#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# fw-restore's options, each against the oracle where it has one.

load helpers

setup() { setup_ns; need_oracle; }
teardown() { teardown_ns; }

@test "standard input works like a file argument" {
	in_ns "$FW_BIN/fw-restore" < "$FIX/core.v4"
	in_ons iptables-nft-restore < "$FIX/core.v4"
	diff -u <(kstate "$ONS") <(kstate "$NS")
}

@test "-n/--noflush adds to what is there, as the oracle" {
	# (-R after -D in one batch crashes iptables-nft-restore 1.8.9: keep -R first)
	printf '*filter\n-A INPUT -s 1.1.1.1 -j DROP\n-I INPUT 2 -s 2.2.2.2 -j DROP\n-R INPUT 3 -s 3.3.3.3 -j ACCEPT\n-D INPUT -i lo -j ACCEPT\n-P FORWARD ACCEPT\n:ADMIN - [0:0]\n-N EXTRA\n-A EXTRA -j RETURN\nCOMMIT\n' > "$BATS_TEST_TMPDIR/add"
	for ns in "$NS" "$ONS"; do ip netns exec "$ns" iptables-nft-restore "$FIX/core.v4"; done
	in_ns "$FW_BIN/fw-restore" --noflush "$BATS_TEST_TMPDIR/add"
	in_ons iptables-nft-restore --noflush "$BATS_TEST_TMPDIR/add"
	diff -u <(in_ons iptables-nft-save | nocomment) <(in_ns iptables-nft-save | nocomment)
}

@test "-n: -D by number, -F, -X, -Z on live chains" {
	printf '*filter\n-D INPUT 2\n-F ADMIN\n-X ADMIN\n-Z INPUT\nCOMMIT\n' > "$BATS_TEST_TMPDIR/cmds"
	printf '*filter\n:INPUT ACCEPT [9:9]\n:ADMIN - [0:0]\n-A INPUT -j ACCEPT\n-A INPUT -j DROP\n-A ADMIN -j DROP\nCOMMIT\n' > "$BATS_TEST_TMPDIR/base"
	for ns in "$NS" "$ONS"; do ip netns exec "$ns" iptables-nft-restore -c "$BATS_TEST_TMPDIR/base"; done
	in_ns "$FW_BIN/fw-restore" -n "$BATS_TEST_TMPDIR/cmds"
	in_ons iptables-nft-restore -n "$BATS_TEST_TMPDIR/cmds"
	diff -u <(in_ons iptables-nft-save -c | nocomment) <(in_ns iptables-nft-save -c | nocomment)
}

# Each input of --noflush commands against the oracle, from the same
# state with counters on chains and rules: same kernel state, same save.
noflush_cases() {
	local base=$1 cmds
	shift
	for cmds in "$@"; do
		printf '*filter\n%b\nCOMMIT\n' "$cmds" > "$BATS_TEST_TMPDIR/cmds"
		for ns in "$NS" "$ONS"; do
			ip netns exec "$ns" nft flush ruleset
			ip netns exec "$ns" iptables-nft-restore -c "$base"
		done
		in_ons iptables-nft-restore -n "$BATS_TEST_TMPDIR/cmds"
		in_ns "$FW_BIN/fw-restore" -n "$BATS_TEST_TMPDIR/cmds"
		echo "# input: $cmds"
		diff -u <(kstate "$ONS") <(kstate "$NS")
		diff -u <(in_ons iptables-nft-save -c | nocomment) <(in_ns "$FW_BIN/fw-save" -c | nocomment)
	done
}

@test "-n: -Z zeroes chain and rule counters as the oracle does" {
	printf '*filter\n:INPUT ACCEPT [10:1000]\n:FORWARD DROP [20:2000]\n:zz - [0:0]\n:aa - [0:0]\n[1:100] -A INPUT -s 10.0.0.1/32 -j ACCEPT\n[0:0] -A INPUT -s 10.0.0.2/32 -j ACCEPT\n[3:300] -A INPUT -j aa\n[4:400] -A aa -p tcp -m tcp --dport 22 -j ACCEPT\n[5:500] -A zz -m comment --comment x -j DROP\n[6:600] -A FORWARD -j zz\nCOMMIT\n' > "$BATS_TEST_TMPDIR/base"
	noflush_cases "$BATS_TEST_TMPDIR/base" '-Z' '-Z INPUT' '-Z aa' \
		'-Z INPUT 1' '-Z INPUT 2' '-D INPUT 1\n-Z INPUT\n-A INPUT -j ACCEPT\n-D INPUT 2' \
		'-A aa -j DROP\n-Z aa\n-D aa 2' '-I INPUT -j DROP\n-Z INPUT 2\n-R INPUT 3 -j REJECT' \
		'-N newc\n-A newc -j DROP\n-Z newc' '-F INPUT\n-Z'
	# past the last rule: 1.8.9 succeeds and does nothing; fw warns
	printf '*filter\n-Z INPUT 9\nCOMMIT\n' > "$BATS_TEST_TMPDIR/cmds"
	run in_ns "$FW_BIN/fw-restore" -n "$BATS_TEST_TMPDIR/cmds"
	[ "$status" -eq 0 ]
	[[ "$output" == *"cmds:2:1: warning: chain 'INPUT' has no rule 9: nothing zeroed"* ]]
}

@test "-n: -I and -D count the rules this input appended or inserted before" {
	printf '*filter\n:INPUT ACCEPT [0:0]\n:aa - [0:0]\n-A INPUT -s 10.0.0.1/32 -j ACCEPT\n-A INPUT -s 10.0.0.2/32 -j ACCEPT\n-A INPUT -j aa\n-A aa -j DROP\nCOMMIT\n' > "$BATS_TEST_TMPDIR/base"
	noflush_cases "$BATS_TEST_TMPDIR/base" '-I INPUT -j DROP' \
		'-A INPUT -j DROP\n-I INPUT 5 -j REJECT' \
		'-A INPUT -j DROP\n-I INPUT 2 -j REJECT\n-I INPUT 1 -p udp\n-D INPUT 5' \
		'-I INPUT -p udp\n-I INPUT -p tcp\n-A INPUT -p icmp\n-I INPUT 4 -j DROP\n-D INPUT 1' \
		'-A aa -j ACCEPT\n-I aa -j RETURN\n-D aa -j DROP\n-I aa 2 -p tcp'
}

@test "-T/--table restores only that table" {
	in_ns "$FW_BIN/fw-restore" -T raw "$FIX/core.v4"
	in_ons iptables-nft-restore -T raw "$FIX/core.v4"
	diff -u <(kstate "$ONS") <(kstate "$NS")
	run in_ns iptables-nft-save -t filter
	[[ "$output" != *"-A INPUT"* ]]
}

@test "-t/--test parses only and needs no kernel" {
	run "$FW_BIN/fw-restore" --test "$FIX/core.v4"
	[ "$status" -eq 0 ]
	# no privileges and no network namespace of our own: still fine
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$FW_BIN/fw-restore" -t "$FIX/core.v6" -6
	[ "$status" -eq 0 ]
	[ -z "$(kstate "$NS")" ]
}

@test "-w, -W, -M and -v are accepted" {
	run in_ns "$FW_BIN/fw-restore" -w -W 100 -M /bin/true -v "$FIX/core.v4"
	[ "$status" -eq 0 ]
	[[ "$output" == *"-A INPUT"* ]]
	in_ons iptables-nft-restore "$FIX/core.v4"
	diff -u <(in_ons iptables-nft-save | nocomment) <(in_ns iptables-nft-save | nocomment)
}

@test "-6 and the fw6-restore name restore IPv6" {
	in_ns "$FW_BIN/fw-restore" -6 "$FIX/core.v6"
	in_ons ip6tables-nft-restore "$FIX/core.v6"
	diff -u <(kstate "$ONS") <(kstate "$NS")
	ln -sf "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/fw6-restore"
	ip netns del "$NS"; ip netns add "$NS"
	in_ns "$BATS_TEST_TMPDIR/fw6-restore" "$FIX/core.v6"
	diff -u <(kstate "$ONS") <(kstate "$NS")
}

@test "--ipv4 and --ipv6 load both families in one run" {
	in_ns "$FW_BIN/fw-restore" --ipv4 "$FIX/core.v4" --ipv6 "$FIX/core.v6"
	in_ons iptables-nft-restore "$FIX/core.v4"
	in_ons ip6tables-nft-restore "$FIX/core.v6"
	diff -u <(kstate "$ONS") <(kstate "$NS")
}

@test "--help and --version" {
	run "$FW_BIN/fw-restore" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--noflush"* ]]
	run "$FW_BIN/fw-restore" --version
	[ "$status" -eq 0 ]
	run "$FW_BIN/fw-restore" --bogus
	[ "$status" -eq 2 ]
}
