#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The ifupdown hook (persist/fw-persist-ifupdown): one restore per boot however
# often ifupdown runs it, nothing after the unit, exit 0 on bookkeeping
# problems. Each test in its own network namespace.

load '../boot/persist-lib'

setup() {
	need_root
	mkroot debian
	R4=$ROOT/etc/iptables/rules.v4
	put_rules "$R4" rules_v4
	put_rules "$ROOT/etc/iptables/rules.v6" rules_v6
	export FW_PERSIST=$FWP FW_PERSIST_ROOT=$ROOT
}

# the calls ifupdown makes at boot
IFUP='for i in --all lo eth0; do IFACE=$i MODE=start PHASE=pre-up $HOOK; echo "$i:$?"; iptables-nft -A INPUT -j DROP -m comment --comment after-$i; done'

@test "three calls (--all, lo, eth0) restore exactly once" {
	run ns "$IFUP; live_rules"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"--all:0"*"lo:0"*"eth0:0"* ]]
	[ "$(echo "$output" | grep -c 'restored the rules')" -eq 1 ]
	# a second restore would have removed the rules added after the first call
	[[ "$output" == *"192.0.2.1/32"* ]]
	[[ "$output" == *"after---all"*"after-lo"*"after-eth0"* ]]
	[ "$(cat "$ROOT/run/fw-persist/restored")" = "ok by ifupdown hook" ]
}

@test "the hook does nothing when the unit already restored" {
	run ns "\$FWP --root \$ROOT restore -q; iptables-nft -F INPUT; $IFUP; live_rules"
	[ "$status" -eq 0 ]
	[[ "$output" != *"restored the rules"* ]]
	[[ "$output" != *"192.0.2.1/32"* ]]
}

@test "the stamp is also checked under the lock (fw-persist --hook)" {
	run ns "\$FWP --root \$ROOT restore -q; \$FWP --root \$ROOT restore --hook"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already restored this boot"* ]]
}

@test "the hook waits for the lock the unit holds, then skips" {
	mkdir -p "$ROOT/run/fw-persist"
	# a stand-in for the unit: holds the lock a second, then stamps
	run ns "flock $ROOT/run/fw-persist/lock sh -c 'sleep 1; echo ok > $ROOT/run/fw-persist/restored' &
		sleep 0.3; IFACE=lo MODE=start $HOOK; echo hook:\$?; wait"
	echo "$output"
	[[ "$output" == *"hook:0"* ]]
	[[ "$output" == *"already restored this boot"* ]]
	[[ "$output" != *"restored the rules"* ]]
}

@test "bookkeeping problems never fail the hook: /run unusable" {
	rm -rf "$ROOT/run"
	echo "not a directory" > "$ROOT/run"
	run ns "IFACE=eth0 MODE=start $HOOK; echo hook:\$?; live_rules"
	echo "$output"
	[[ "$output" == *"hook:0"* ]]
	[[ "$output" == *"cannot open the lock"* ]]
	[[ "$output" == *"192.0.2.1/32"* ]]
}

@test "a broken rules file: exit 0, unless IFUP_FAIL_CLOSED=yes" {
	echo garbage > "$R4"
	run ns "IFACE=eth0 MODE=start $HOOK"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$R4"* ]]
	rm -r "$ROOT/run"
	mkdir -p "$ROOT/etc/fw"
	echo IFUP_FAIL_CLOSED=yes > "$ROOT/etc/fw/persist.conf"
	run ns "IFACE=eth0 MODE=start $HOOK"
	[ "$status" -eq 1 ]
	[[ "$output" == *"refusing to raise eth0"* ]]
}

@test "a broken persist.conf does not fail the hook" {
	mkdir -p "$ROOT/etc/fw"
	echo 'IFUP_FAIL_CLOSED=maybe' > "$ROOT/etc/fw/persist.conf"
	run ns "IFACE=eth0 MODE=start $HOOK"
	[ "$status" -eq 0 ]
	[[ "$output" == *"persist.conf:1: bad value of IFUP_FAIL_CLOSED"* ]]
}

@test "no fw-persist program: exit 0" {
	run env FW_PERSIST=/nonexistent/fw-persist IFACE=eth0 "$HOOK"
	[ "$status" -eq 0 ]
	[[ "$output" == *"not found"* ]]
}

@test "the hook's name has no dot (run-parts skips those)" {
	run run-parts --test "$REPO/persist"
	[[ "$output" == *"fw-persist-ifupdown"* ]]
}
