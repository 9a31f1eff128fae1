#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# fw-persist restore, reload and stop against --root trees, each in its own
# network namespace; the kernel state is read back with iptables-nft-save.

load '../boot/persist-lib'

setup() {
	need_root
	mkroot debian
	R4=$ROOT/etc/iptables/rules.v4
	R6=$ROOT/etc/iptables/rules.v6
	# a ruleset already in the kernel, which a failed restore must keep
	PRE="iptables-nft -A OUTPUT -d 198.51.100.9 -j DROP"
}

conf() {
	mkdir -p "$ROOT/etc/fw"
	printf '%s\n' "$@" > "$ROOT/etc/fw/persist.conf"
}

bad_v6() {
	cat <<-RULES
	*filter
	:INPUT ACCEPT [0:0]
	-A INPUT -s 2001:db8::7/128 -j ACCEPT
	-A INPUT -p tcp --dport 22 -j NO_SUCH_CHAIN
	COMMIT
	RULES
}

@test "restore loads both families" {
	put_rules "$R4" rules_v4
	put_rules "$R6" rules_v6
	run ns "\$FWP --root \$ROOT restore; live_rules"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"-A INPUT -s 192.0.2.1/32 -p tcp -m tcp --dport 22 -j ACCEPT"* ]]
	[[ "$output" == *"-A INPUT -s 2001:db8::1/128 -p tcp -m tcp --dport 22 -j ACCEPT"* ]]
	[[ "$output" == *":FORWARD DROP"* ]]
	[ "$(cat "$ROOT/run/fw-persist/restored")" = "ok by command" ]
}

@test "no saved files: says so and succeeds" {
	run ns "\$FWP --root \$ROOT restore"
	[ "$status" -eq 0 ]
	[[ "$output" == *"no saved rules"* ]]
	[[ "$output" == *"nothing to restore"* ]]
}

@test "only one family saved: that one is restored" {
	put_rules "$R6" rules_v6
	run ns "\$FWP --root \$ROOT restore; live_rules"
	[ "$status" -eq 0 ]
	[[ "$output" == *"2001:db8::1/128"* ]]
	[[ "$output" == *"no IPv4 rules"* ]]
}

@test "an invalid file: FILE:LINE, nothing applied (one transaction), kernel kept" {
	put_rules "$R4" rules_v4
	put_rules "$R6" bad_v6
	run ns "$PRE; \$FWP --root \$ROOT restore && exit 99; echo rc=\$?; live_rules"
	echo "$output"
	[[ "$output" == *"rc=3"* ]]
	[[ "$output" == *"$R6:"[45]":"*"error"* ]]
	[[ "$output" == *"the kernel ruleset was left unchanged"* ]]
	# the valid IPv4 file was not applied either, the old rule is still there
	[[ "$output" != *"192.0.2.1/32"* ]]
	[[ "$output" != *"2001:db8::7"* ]]
	[[ "$output" == *"-A OUTPUT -d 198.51.100.9/32 -j DROP"* ]]
	[ "$(cat "$ROOT/run/fw-persist/restored")" = "failed by command" ]
}

@test "a rules file not owned by root is refused" {
	put_rules "$R4" rules_v4
	chown nobody "$R4"
	run ns "$PRE; \$FWP --root \$ROOT restore && exit 99; echo rc=\$?; live_rules"
	[[ "$output" == *"rc=3"* ]]
	[[ "$output" == *"refusing '$R4': owned by uid $(id -u nobody), not by root"* ]]
	[[ "$output" != *"192.0.2.1/32"* ]]
	[[ "$output" == *"198.51.100.9/32"* ]]
}

@test "a rules file writable by group or others is refused" {
	put_rules "$R6" rules_v6
	for mode in 0620 0602 0666; do
		chmod $mode "$R6"
		run ns "\$FWP --root \$ROOT restore"
		[ "$status" -eq 3 ]
		[[ "$output" == *"refusing '$R6': writable by group or others (mode ${mode#0}"* ]] ||
		[[ "$output" == *"(mode $mode)"* ]]
	done
	chmod 0644 "$R6"
	run ns "\$FWP --root \$ROOT restore"
	[ "$status" -eq 0 ]
}

@test "an unreadable rules file (a directory) fails clearly" {
	mkdir -p "$R4"
	run ns "\$FWP --root \$ROOT restore"
	[ "$status" -eq 3 ]
	[[ "$output" == *"refusing '$R4': not a regular file"* ]]
}

@test "fallback: applied after a failed restore, exit 5" {
	put_rules "$R4" rules_v4
	put_rules "$R6" bad_v6
	put_rules "$ROOT/etc/fw/fallback.v4" rules_v4 99
	conf FALLBACK_V4=/etc/fw/fallback.v4
	run ns "$PRE; \$FWP --root \$ROOT restore && exit 99; echo rc=\$?; live_rules"
	echo "$output"
	[[ "$output" == *"rc=5"* ]]
	[[ "$output" == *"$R6:"[45]":"* ]]
	[[ "$output" == *"applied the fallback rules of '$ROOT/etc/fw/fallback.v4'"* ]]
	[[ "$output" == *"192.0.2.99/32"* ]]
	[ "$(cat "$ROOT/run/fw-persist/restored")" = "failed, fallback applied by command" ]
}

@test "fallback that fails too: exit 3, kernel kept" {
	put_rules "$R6" bad_v6
	put_rules "$ROOT/etc/fw/fallback.v6" bad_v6
	conf FALLBACK_V6=/etc/fw/fallback.v6
	run ns "$PRE; \$FWP --root \$ROOT restore && exit 99; echo rc=\$?; live_rules"
	[[ "$output" == *"rc=3"* ]]
	[[ "$output" == *"the fallback rules of '$ROOT/etc/fw/fallback.v6' failed too"* ]]
	[[ "$output" == *"198.51.100.9/32"* ]]
}

@test "--once: a second restore in the same boot does nothing" {
	put_rules "$R4" rules_v4
	run ns "\$FWP --root \$ROOT restore --once; iptables-nft -A INPUT -j DROP
		\$FWP --root \$ROOT restore --once; live_rules"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already restored this boot"* ]]
	[[ "$output" == *"-A INPUT -j DROP"* ]]
}

@test "reload restores again; SAVE_ON_RESTART saves first" {
	put_rules "$R4" rules_v4
	run ns "\$FWP --root \$ROOT restore; iptables-nft -A INPUT -j DROP
		\$FWP --root \$ROOT reload; live_rules"
	[ "$status" -eq 0 ]
	[[ "$output" != *"-A INPUT -j DROP"* ]]
	conf SAVE_ON_RESTART=yes
	run ns "\$FWP --root \$ROOT restore; iptables-nft -A INPUT -j DROP
		\$FWP --root \$ROOT reload; live_rules"
	[ "$status" -eq 0 ]
	[[ "$output" == *"-A INPUT -j DROP"* ]]
	grep -q -- '-A INPUT -j DROP' "$R4"
}

@test "stop leaves the rules in place by default" {
	put_rules "$R4" rules_v4
	run ns "\$FWP --root \$ROOT restore; iptables-nft -A INPUT -j DROP
		\$FWP --root \$ROOT stop; live_rules"
	[ "$status" -eq 0 ]
	[[ "$output" == *"leaving the firewall rules in place"* ]]
	[[ "$output" == *"192.0.2.1/32"* ]]
	! grep -q -- '-A INPUT -j DROP' "$R4"
}

@test "stop: SAVE_ON_STOP saves, FLUSH_ON_STOP flushes" {
	put_rules "$R4" rules_v4
	put_rules "$R6" rules_v6
	conf SAVE_ON_STOP=yes FLUSH_ON_STOP=yes
	run ns "\$FWP --root \$ROOT restore; iptables-nft -A INPUT -j DROP
		\$FWP --root \$ROOT stop; live_rules"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q -- '-A INPUT -j DROP' "$R4"
	[[ "$output" != *"-A "* ]]
	[[ "$output" != *"DROP ["* ]]
}

@test "stop and reload do not save over the files after a failed restore" {
	put_rules "$R6" bad_v6
	cp "$R6" "$BATS_TEST_TMPDIR/bad.v6"
	conf SAVE_ON_STOP=yes SAVE_ON_RESTART=yes
	run ns "\$FWP --root \$ROOT restore || true; \$FWP --root \$ROOT stop"
	[ "$status" -eq 4 ]
	[[ "$output" == *"not saving (SAVE_ON_STOP): this boot's restore failed"* ]]
	cmp "$R6" "$BATS_TEST_TMPDIR/bad.v6"
	run ns "\$FWP --root \$ROOT restore || true; \$FWP --root \$ROOT reload"
	[ "$status" -eq 4 ]
	cmp "$R6" "$BATS_TEST_TMPDIR/bad.v6"
}
