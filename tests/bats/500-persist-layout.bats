#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# fw-persist: layout detection from os-release, persist.conf, iptables-config
# knobs and options (no kernel involved: `fw-persist config`).

load '../boot/persist-lib'

setup() {
	[ -x "$FWP" ] || skip "no $FWP"
	mkroot debian
}

os_release() {
	printf '%s\n' "$@" > "$ROOT/etc/os-release"
}

conf() {
	mkdir -p "$ROOT/etc/fw"
	printf '%s\n' "$@" > "$ROOT/etc/fw/persist.conf"
}

@test "debian: /etc/iptables/rules.v4 and rules.v6" {
	run fwp config
	[ "$status" -eq 0 ]
	[[ "$output" == *"LAYOUT=debian"* ]]
	[[ "$output" == *"RULES_V4=/etc/iptables/rules.v4"* ]]
	[[ "$output" == *"RULES_V6=/etc/iptables/rules.v6"* ]]
	[[ "$output" == *"SAVE_ON_STOP=no"* ]]
	[[ "$output" == *"FLUSH_ON_STOP=no"* ]]
	[[ "$output" == *"BACKUP=yes"* ]]
}

@test "ubuntu and derivatives through ID_LIKE are debian" {
	os_release 'ID=ubuntu' 'ID_LIKE=debian'
	run fwp config
	[[ "$output" == *"LAYOUT=debian"* ]]
	os_release 'NAME="Linux Mint"' 'ID=linuxmint' 'ID_LIKE="ubuntu debian"'
	run fwp config
	[[ "$output" == *"LAYOUT=debian"* ]]
	[[ "$output" == *"ID=linuxmint"* ]]
}

@test "rhel family: /etc/sysconfig/iptables and ip6tables" {
	for os in 'ID="centos"' 'ID=rhel' 'ID=fedora' 'ID="rocky"' \
		  'ID=almalinux' 'ID="ol"' 'ID=amzn'; do
		os_release "$os"
		run fwp config
		[[ "$output" == *"LAYOUT=rhel"* ]] || { echo "$os"; false; }
		[[ "$output" == *"RULES_V4=/etc/sysconfig/iptables"$'\n'* ]]
		[[ "$output" == *"RULES_V6=/etc/sysconfig/ip6tables"$'\n'* ]]
	done
	os_release 'ID=myrhel' 'ID_LIKE="rhel centos fedora"'
	run fwp config
	[[ "$output" == *"LAYOUT=rhel"* ]]
}

@test "unknown or missing os-release falls back to debian" {
	os_release 'ID=arch'
	run fwp config
	[ "$status" -eq 0 ]
	[[ "$output" == *"LAYOUT=debian"* ]]
	[[ "$output" == *"not recognized"* ]]
	rm "$ROOT/etc/os-release"
	run fwp config
	[[ "$output" == *"LAYOUT=debian"* ]]
	[[ "$output" == *"no os-release"* ]]
}

@test "/usr/lib/os-release is read when /etc/os-release is missing" {
	rm "$ROOT/etc/os-release"
	mkdir -p "$ROOT/usr/lib"
	echo 'ID=centos' > "$ROOT/usr/lib/os-release"
	run fwp config
	[[ "$output" == *"LAYOUT=rhel"* ]]
}

@test "debian with only /etc/iptables.rules is the ifupdown layout" {
	touch "$ROOT/etc/ip6tables.rules"
	run fwp config
	[[ "$output" == *"LAYOUT=ifupdown"* ]]
	[[ "$output" == *"RULES_V4=/etc/iptables.rules"* ]]
	[[ "$output" == *"RULES_V6=/etc/ip6tables.rules"* ]]
	mkdir -p "$ROOT/etc/iptables"
	touch "$ROOT/etc/iptables/rules.v4"
	run fwp config
	[[ "$output" == *"LAYOUT=debian"* ]]
}

@test "persist.conf LAYOUT overrides os-release, --layout overrides both" {
	conf 'LAYOUT=rhel'
	run fwp config
	[[ "$output" == *"LAYOUT=rhel"* ]]
	run fwp --layout ifupdown config
	[[ "$output" == *"LAYOUT=ifupdown"* ]]
	[[ "$output" == *"RULES_V4=/etc/iptables.rules"* ]]
}

@test "--config reads another file" {
	printf 'LAYOUT=rhel\n' > "$BATS_TEST_TMPDIR/other.conf"
	run fwp --config "$BATS_TEST_TMPDIR/other.conf" config
	[[ "$output" == *"LAYOUT=rhel"* ]]
}

@test "rules and fallback paths from persist.conf and options" {
	conf '# comment' '' 'export RULES_V4="/srv/fw/v4"' \
	     "RULES_V6='/srv/fw/v6'  " 'FALLBACK_V4=/etc/fw/fallback.v4'
	run fwp config
	[ "$status" -eq 0 ]
	[[ "$output" == *"RULES_V4=/srv/fw/v4"$'\n'* ]]
	[[ "$output" == *"RULES_V6=/srv/fw/v6"$'\n'* ]]
	[[ "$output" == *"FALLBACK_V4=/etc/fw/fallback.v4"* ]]
	run fwp --rules-v4 /x/4 -6 /x/6 config
	[[ "$output" == *"RULES_V4=/x/4"$'\n'* ]]
	[[ "$output" == *"RULES_V6=/x/6"$'\n'* ]]
}

@test "rhel: iptables-config knobs apply, persist.conf wins over them" {
	os_release 'ID=centos'
	mkdir -p "$ROOT/etc/sysconfig"
	cat > "$ROOT/etc/sysconfig/iptables-config" <<-EOF
	# sample
	IPTABLES_MODULES=""
	IPTABLES_MODULES_UNLOAD="yes"
	IPTABLES_SAVE_ON_STOP="yes"
	IPTABLES_SAVE_ON_RESTART="yes"
	IPTABLES_SAVE_COUNTER="yes"
	IPTABLES_STATUS_NUMERIC="yes"
	EOF
	run fwp config
	[[ "$output" == *"SAVE_ON_STOP=yes"* ]]
	[[ "$output" == *"SAVE_ON_RESTART=yes"* ]]
	[[ "$output" == *"SAVE_COUNTERS=yes"* ]]
	conf 'SAVE_ON_STOP=no'
	run fwp config
	[[ "$output" == *"SAVE_ON_STOP=no"* ]]
	[[ "$output" == *"SAVE_COUNTERS=yes"* ]]
}

@test "iptables-config is not read on the debian layout" {
	mkdir -p "$ROOT/etc/sysconfig"
	echo 'IPTABLES_SAVE_ON_STOP=yes' > "$ROOT/etc/sysconfig/iptables-config"
	run fwp config
	[[ "$output" == *"SAVE_ON_STOP=no"* ]]
}

@test "bad persist.conf: unknown key, bad value, relative path -> exit 2, FILE:LINE" {
	conf '' 'SAVE_ON_STOPP=yes'
	run fwp config
	[ "$status" -eq 2 ]
	[[ "$output" == *"persist.conf:2: unknown setting 'SAVE_ON_STOPP'"* ]]
	conf 'BACKUP=maybe'
	run fwp config
	[ "$status" -eq 2 ]
	[[ "$output" == *"BACKUP wants yes or no, not 'maybe'"* ]]
	[[ "$output" == *"persist.conf:1: bad value of BACKUP"* ]]
	conf 'RULES_V4=rules.v4'
	run fwp config
	[ "$status" -eq 2 ]
	[[ "$output" == *"must be an absolute path"* ]]
	conf 'LAYOUT="debian'
	run fwp config
	[ "$status" -eq 2 ]
	[[ "$output" == *"persist.conf:1: unterminated quote"* ]]
	conf 'LAYOUT=slackware'
	run fwp config
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown layout 'slackware'"* ]]
}

@test "usage errors exit 2" {
	run fwp
	[ "$status" -eq 2 ]
	run fwp frobnicate
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown command 'frobnicate'"* ]]
	run fwp --no-such-option status
	[ "$status" -eq 2 ]
	run fwp --layout gentoo config
	[ "$status" -eq 2 ]
	run fwp --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: fw-persist"* ]]
}
