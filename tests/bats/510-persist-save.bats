#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# fw-persist save against --root trees, each in its own network namespace:
# contents (checked against iptables-nft-save), mode, backup, layouts.

load '../boot/persist-lib'

setup() {
	need_root
	mkroot debian
	put_rules "$BATS_TEST_TMPDIR/in.v4" rules_v4
	put_rules "$BATS_TEST_TMPDIR/in.v6" rules_v6
	LOAD="iptables-nft-restore $BATS_TEST_TMPDIR/in.v4; ip6tables-nft-restore $BATS_TEST_TMPDIR/in.v6"
}

@test "save writes both families, 0600 root, no timestamps, = iptables-nft-save" {
	run ns "$LOAD; \$FWP --root \$ROOT save
		iptables-nft-save | grep -v '^#' > \$ROOT/oracle.v4
		ip6tables-nft-save | grep -v '^#' > \$ROOT/oracle.v6"
	echo "$output"
	[ "$status" -eq 0 ]
	for f in 4 6; do
		file=$ROOT/etc/iptables/rules.v$f
		[ "$(stat -c '%a %u %g %F' "$file")" = "600 0 0 regular file" ]
		diff -u "$ROOT/oracle.v$f" <(grep -v '^#' "$file")
		! grep -E '(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} ' "$file"
	done
	grep -q '192.0.2.1/32' "$ROOT/etc/iptables/rules.v4"
	grep -q '2001:db8::1/128' "$ROOT/etc/iptables/rules.v6"
	[ -z "$(ls -A "$ROOT/etc/iptables" | grep -v '^rules.v[46]$')" ]
}

@test "save keeps the previous file as .bak; an unchanged save replaces nothing" {
	put_rules "$ROOT/etc/iptables/rules.v4" rules_v4 7
	cp "$ROOT/etc/iptables/rules.v4" "$BATS_TEST_TMPDIR/old.v4"
	run ns "$LOAD; \$FWP --root \$ROOT save"
	[ "$status" -eq 0 ]
	cmp "$BATS_TEST_TMPDIR/old.v4" "$ROOT/etc/iptables/rules.v4.bak"
	grep -q 192.0.2.1/32 "$ROOT/etc/iptables/rules.v4"
	ino=$(stat -c %i "$ROOT/etc/iptables/rules.v4")
	run ns "$LOAD; \$FWP --root \$ROOT save"
	[ "$status" -eq 0 ]
	[[ "$output" == *"unchanged: the IPv4 rules"* ]]
	[ "$(stat -c %i "$ROOT/etc/iptables/rules.v4")" = "$ino" ]
	cmp "$BATS_TEST_TMPDIR/old.v4" "$ROOT/etc/iptables/rules.v4.bak"
}

@test "BACKUP=no keeps no backup" {
	mkdir -p "$ROOT/etc/fw"
	echo BACKUP=no > "$ROOT/etc/fw/persist.conf"
	put_rules "$ROOT/etc/iptables/rules.v4" rules_v4 7
	run ns "$LOAD; \$FWP --root \$ROOT save"
	[ "$status" -eq 0 ]
	[ ! -e "$ROOT/etc/iptables/rules.v4.bak" ]
}

@test "save replaces an unsafe file by a safe one" {
	put_rules "$ROOT/etc/iptables/rules.v4" rules_v4
	chmod 0666 "$ROOT/etc/iptables/rules.v4"
	run ns "$LOAD; \$FWP --root \$ROOT save"
	[ "$status" -eq 0 ]
	[ "$(stat -c %a "$ROOT/etc/iptables/rules.v4")" = 600 ]
}

@test "save on the rhel and ifupdown layouts" {
	echo ID=centos > "$ROOT/etc/os-release"
	run ns "$LOAD; \$FWP --root \$ROOT save"
	[ "$status" -eq 0 ]
	grep -q 192.0.2.1/32 "$ROOT/etc/sysconfig/iptables"
	grep -q 2001:db8::1/128 "$ROOT/etc/sysconfig/ip6tables"
	run ns "$LOAD; \$FWP --root \$ROOT --layout ifupdown save"
	[ "$status" -eq 0 ]
	grep -q 192.0.2.1/32 "$ROOT/etc/iptables.rules"
	grep -q 2001:db8::1/128 "$ROOT/etc/ip6tables.rules"
}

@test "counters only on request (--counters, SAVE_COUNTERS)" {
	run ns "$LOAD; \$FWP --root \$ROOT save"
	! grep -q '^\[[0-9]*:[0-9]*\] -A' "$ROOT/etc/iptables/rules.v4"
	run ns "$LOAD; \$FWP --root \$ROOT save --counters"
	[ "$status" -eq 0 ]
	grep -q '^\[[0-9]*:[0-9]*\] -A' "$ROOT/etc/iptables/rules.v4"
	mkdir -p "$ROOT/etc/fw"
	echo SAVE_COUNTERS=yes > "$ROOT/etc/fw/persist.conf"
	run ns "$LOAD; \$FWP --root \$ROOT save"
	grep -q '^\[[0-9]*:[0-9]*\] -A' "$ROOT/etc/iptables/rules.v6"
}

@test "an empty kernel saves files that restore to nothing" {
	run ns "\$FWP --root \$ROOT save"
	[ "$status" -eq 0 ]
	[ -f "$ROOT/etc/iptables/rules.v4" ]
	[ -z "$(grep -v '^#' "$ROOT/etc/iptables/rules.v4")" ]
}
