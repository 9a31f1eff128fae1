#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# fw-persist save under faults: kill -9 at every step (FW_PERSIST_FAULT) and
# at random moments (timeout -s KILL), a full file system, a failing dump.
# A rules file must always be the complete old one or the complete new one.

load '../boot/persist-lib'

setup() {
	need_root
	mkroot debian
	D=$ROOT/etc/iptables
	put_rules "$D/rules.v4" rules_v4 7
	put_rules "$D/rules.v6" rules_v6 7
	cp "$D/rules.v4" "$BATS_TEST_TMPDIR/old.v4"
	cp "$D/rules.v6" "$BATS_TEST_TMPDIR/old.v6"
	put_rules "$BATS_TEST_TMPDIR/in.v4" rules_v4
	put_rules "$BATS_TEST_TMPDIR/in.v6" rules_v6
	LOAD="iptables-nft-restore $BATS_TEST_TMPDIR/in.v4; ip6tables-nft-restore $BATS_TEST_TMPDIR/in.v6"
	# what a complete save of that ruleset writes
	mkdir -p "$BATS_TEST_TMPDIR/ref/etc"
	cp "$ROOT/etc/os-release" "$BATS_TEST_TMPDIR/ref/etc/"
	ns "$LOAD; \$FWP -q --root $BATS_TEST_TMPDIR/ref save"
	cp "$BATS_TEST_TMPDIR/ref/etc/iptables/rules.v4" "$BATS_TEST_TMPDIR/new.v4"
	cp "$BATS_TEST_TMPDIR/ref/etc/iptables/rules.v6" "$BATS_TEST_TMPDIR/new.v6"
	! cmp -s "$BATS_TEST_TMPDIR/old.v4" "$BATS_TEST_TMPDIR/new.v4"
}

# is FAMILY old|new: the rules file is exactly that version
is() {
	cmp "$D/rules.v$1" "$BATS_TEST_TMPDIR/$2.v$1"
}

no_temps() {
	[ -z "$(ls -A "$D" | grep -v '^rules\.v[46]\(\.bak\)\?$')" ]
}

@test "kill -9 at each step: old before the rename, new after it" {
	for point in after-create after-dump after-fsync after-backup \
		     before-commit before-rename between-families after-rename; do
		cp "$BATS_TEST_TMPDIR/old.v4" "$D/rules.v4"
		cp "$BATS_TEST_TMPDIR/old.v6" "$D/rules.v6"
		run ns "$LOAD; FW_PERSIST_FAULT=$point \$FWP -q --root \$ROOT save"
		[ "$status" -eq 137 ] || { echo "$point: $status $output"; false; }
		case $point in
		between-families|after-rename) is 4 new; is 6 old ;;
		*) is 4 old; is 6 old ;;
		esac
		[ "$(stat -c %a "$D/rules.v4")" = 600 ]
	done
	# the next save finishes the job and removes the leftovers
	run ns "$LOAD; \$FWP -q --root \$ROOT save"
	[ "$status" -eq 0 ]
	is 4 new
	is 6 new
	no_temps
}

@test "a failing dump leaves both files as they were" {
	run ns "$LOAD; FW_PERSIST_FAULT=dump-fail \$FWP --root \$ROOT save"
	echo "$output"
	[ "$status" -eq 4 ]
	[[ "$output" == *"cannot dump the live IPv4 ruleset; '$D/rules.v4' is left as it was"* ]]
	is 4 old
	is 6 old
	no_temps
}

@test "kill -9 at random moments of a large save: always old or new" {
	# 20000 rules make the dump and the write take a while
	{ echo '*filter'; echo ':INPUT ACCEPT [0:0]'
	  for i in $(seq 1 20000); do
		echo "-A INPUT -s 10.$((i / 250)).$((i % 250)).1/32 -j ACCEPT"
	  done; echo COMMIT; } > "$BATS_TEST_TMPDIR/big.v4"
	run ns "iptables-nft-restore $BATS_TEST_TMPDIR/big.v4
		t0=\$(date +%s%N)
		\$FWP -q --root $BATS_TEST_TMPDIR/ref save
		# kill at 40 moments spread over 1.5 times a whole save
		span=\$(( (\$(date +%s%N) - t0) * 3 / 2000000 + 1 ))
		new=\$(sha1sum < $BATS_TEST_TMPDIR/ref/etc/iptables/rules.v4)
		old=\$(sha1sum < $BATS_TEST_TMPDIR/old.v4)
		killed=0 done=0
		for ms in \$(seq 1 \$(( span / 40 + 1 )) \$span); do
			cp $BATS_TEST_TMPDIR/old.v4 $D/rules.v4
			if timeout -s KILL \$(printf '%d.%03d' \$((ms / 1000)) \$((ms % 1000))) \$FWP -q --root \$ROOT save
			then done=\$((done + 1)); else killed=\$((killed + 1)); fi
			now=\$(sha1sum < $D/rules.v4)
			[ \"\$now\" = \"\$old\" ] || [ \"\$now\" = \"\$new\" ] ||
				{ echo \"partial file after \$ms ms\"; exit 1; }
		done
		grep -c '^-A INPUT' $D/rules.v4
		echo killed=\$killed done=\$done"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *"killed=0 "* ]]
	[[ "$output" != *"done=0"* ]]
}

@test "a full file system: save fails, the old files stay whole" {
	{ echo '*filter'; echo ':INPUT ACCEPT [0:0]'
	  for i in $(seq 1 3000); do echo "-A INPUT -s 10.0.$((i % 250)).$((i / 250))/32 -j ACCEPT"; done
	  echo COMMIT; } > "$BATS_TEST_TMPDIR/big.v4"
	run unshare -n -m -- bash -ec "
		mount -t tmpfs -o size=64k,mode=0755 fwtest $D
		cp -p $BATS_TEST_TMPDIR/old.v4 $D/rules.v4
		cp -p $BATS_TEST_TMPDIR/old.v6 $D/rules.v6
		dd if=/dev/zero of=$D/filler bs=4k 2>/dev/null || true
		iptables-nft-restore $BATS_TEST_TMPDIR/big.v4
		rc=0; \$FWP --root \$ROOT save || rc=\$?
		echo rc=\$rc
		rm $D/filler
		cmp $D/rules.v4 $BATS_TEST_TMPDIR/old.v4
		cmp $D/rules.v6 $BATS_TEST_TMPDIR/old.v6
		ls -A $D"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"rc=4"* ]]
	[[ "$output" == *"No space left on device"* ]]
	[ "$(echo "$output" | tail -n 1)" = "rules.v4  rules.v6" ] ||
	[ "$(echo "$output" | tail -n 2 | tr '\n' ' ')" = "rules.v4 rules.v6 " ]
}
