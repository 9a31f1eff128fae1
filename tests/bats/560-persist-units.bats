#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# make install of fw-persist's files, and `systemd-analyze verify` of the
# installed unit, failing on any message it prints (typos only warn).

load '../boot/persist-lib'
bats_require_minimum_version 1.5.0

setup() {
	DEST=$BATS_TEST_TMPDIR/dest
	UNITDIR=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null ||
		  echo /lib/systemd/system)
	make -s -C "$REPO" install DESTDIR="$DEST" PREFIX=/usr > /dev/null
}

@test "make install puts every file in place" {
	[ -x "$DEST/usr/sbin/fw-persist" ]
	[ -f "$DEST$UNITDIR/fw-restore.service" ]
	[ "$(stat -c %a "$DEST$UNITDIR/fw-restore.service")" = 644 ]
	[ "$(stat -c %a "$DEST/etc/network/if-pre-up.d/fw-persist")" = 755 ]
	[ -f "$DEST/etc/fw/persist.conf" ]
	[ -f "$DEST/usr/share/man/man8/fw-persist.8" ]
}

@test "@sbindir@ is filled in from PREFIX" {
	! grep -q @ "$DEST$UNITDIR/fw-restore.service"
	grep -qx 'ExecStart=/usr/sbin/fw-persist restore' "$DEST$UNITDIR/fw-restore.service"
	make -s -C "$REPO" install DESTDIR="$BATS_TEST_TMPDIR/d2" > /dev/null
	grep -qx 'ExecStart=/usr/local/sbin/fw-persist restore' \
		"$BATS_TEST_TMPDIR/d2$UNITDIR/fw-restore.service"
}

@test "systemd-analyze verify: no warning at all" {
	run --separate-stderr systemd-analyze verify --man=no --root="$DEST" \
		"$UNITDIR/fw-restore.service"
	echo "stdout: $output"
	echo "stderr: $stderr"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "the check catches a typo" {
	sed -i 's/^RemainAfterExit=/RemainAfterExitt=/' "$DEST$UNITDIR/fw-restore.service"
	run --separate-stderr systemd-analyze verify --man=no --root="$DEST" \
		"$UNITDIR/fw-restore.service"
	[[ "$stderr" == *"Unknown key 'RemainAfterExitt'"* ]]
}

@test "the unit has the ordering, conflicts and hardening asked for" {
	u=$DEST$UNITDIR/fw-restore.service
	for line in DefaultDependencies=no After=local-fs.target \
		    'Before=network-pre.target shutdown.target' \
		    Wants=network-pre.target Conflicts=shutdown.target \
		    'Conflicts=netfilter-persistent.service iptables.service ip6tables.service' \
		    Type=notify RemainAfterExit=yes \
		    'ExecReload=/usr/sbin/fw-persist reload' \
		    'ExecStop=/usr/sbin/fw-persist stop' \
		    CapabilityBoundingSet=CAP_NET_ADMIN ProtectSystem=strict \
		    ProtectHome=yes PrivateTmp=yes NoNewPrivileges=yes \
		    'RestrictAddressFamilies=AF_NETLINK AF_UNIX AF_INET AF_INET6' \
		    WantedBy=multi-user.target; do
		grep -qxF "$line" "$u" || { echo "missing: $line"; false; }
	done
}

@test "make install keeps an existing persist.conf" {
	echo SAVE_ON_STOP=yes > "$DEST/etc/fw/persist.conf"
	make -s -C "$REPO" install DESTDIR="$DEST" PREFIX=/usr > /dev/null
	[ "$(cat "$DEST/etc/fw/persist.conf")" = SAVE_ON_STOP=yes ]
}

@test "the default persist.conf is valid and changes nothing" {
	mkroot debian
	mkdir -p "$ROOT/etc/fw"
	cp "$REPO/persist/persist.conf" "$ROOT/etc/fw/"
	with=$("$DEST/usr/sbin/fw-persist" --root "$ROOT" config | grep -v '^# config')
	without=$("$DEST/usr/sbin/fw-persist" --root "$ROOT" --config /dev/null config |
		  grep -v '^# config')
	[ "$with" = "$without" ]
}
