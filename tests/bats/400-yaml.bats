#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The YAML form: round trips of realistic rulesets through the kernel and
# through the converter, both families in one transaction, errors.

load helpers

Y=$TOP/tests/yaml
RULESETS=$TOP/../shared/conformance/rulesets

setup() {
	case "$BATS_TEST_DESCRIPTION" in
	convert*) ;;
	*) setup_ns; need_oracle ;;
	esac
}
teardown() { teardown_ns; }

# The realistic rulesets: ours, and the conformance kit's when it is there.
rulesets() {
	ls "$Y"/*.v4.rules "$Y"/*.v6.rules
	ls "$RULESETS"/*.v4.rules "$RULESETS"/*.v6.rules 2>/dev/null || true
}

fam_of() { case $1 in *.v6.*) echo 6 ;; *) echo 4 ;; esac; }

@test "convert: iptables-save text to YAML and back is byte for byte the same" {
	for f in $(rulesets); do
		fam=$(fam_of "$f")
		# canonical text first (the kit's files are hand-written)
		fw_save -"$fam" -c --no-comments --from "$f" > "$BATS_TEST_TMPDIR/t" || continue
		fw_save -"$fam" -c --no-comments --from "$BATS_TEST_TMPDIR/t" --format=yaml > "$BATS_TEST_TMPDIR/y"
		fw_save -"$fam" -c --no-comments --from "$BATS_TEST_TMPDIR/y" --from-format=yaml > "$BATS_TEST_TMPDIR/t2"
		cmp "$BATS_TEST_TMPDIR/t" "$BATS_TEST_TMPDIR/t2"
		# and YAML to YAML is stable
		fw_save -c --no-comments --from "$BATS_TEST_TMPDIR/y" --from-format=yaml --format=yaml | cmp - "$BATS_TEST_TMPDIR/y"
	done
}

@test "convert: runs without privileges or netlink, from standard input" {
	[ "$(id -u)" = 0 ] || skip "needs root to drop privileges"
	[ -z "${FW_VALGRIND:-}" ] || skip "the valgrind stand-in runs the program from a root-only directory"
	cp "$FW_BIN/fw-save" "$BATS_TEST_TMPDIR/fw-save"
	chmod 755 "$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR/fw-save"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups --no-new-privs \
		"$BATS_TEST_TMPDIR/fw-save" --from - --format=yaml --no-comments < "$Y/server.v4.rules"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ipv4:"* ]]
	[[ "$output" == *"- tcp: {dport: 22}"* ]]
}

@test "convert: a text file with -I/-D is refused, at its line" {
	run fw_save --from "$Y/bad-commands.rules"
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad-commands.rules:5:1: error: '-I' cannot be converted"* ]]
	[ "$(grep -c ': error: ' <<< "$output")" -eq 4 ]
}

@test "convert: two families to text need -4 or -6" {
	run fw_save --from "$Y/docs-example.in.yaml" --from-format=yaml
	[ "$status" -eq 2 ]
	[[ "$output" == *"choose one with -4 or -6"* ]]
	fw_save -6 --no-comments --from "$Y/docs-example.in.yaml" --from-format=yaml | grep -qx -- '-A INPUT -p ipv6-icmp -j ACCEPT'
}

@test "the oracle's ruleset through fw-save/fw-restore --format=yaml: same kernel state" {
	for f in "$Y/server.v4.rules" "$Y/strings.v4.rules" "$Y/server.v6.rules"; do
		ip=iptables; [ "$(fam_of "$f")" = 6 ] && ip=ip6tables
		in_ons "$ip-nft-restore" -c "$f"
	done
	in_ons "$FW_BIN/fw-save" -c --format=yaml > "$BATS_TEST_TMPDIR/y"
	grep -q '^ipv4:' "$BATS_TEST_TMPDIR/y"
	grep -q '^ipv6:' "$BATS_TEST_TMPDIR/y"
	in_ns "$FW_BIN/fw-restore" -c --format=yaml "$BATS_TEST_TMPDIR/y"
	diff -u <(kstate "$ONS") <(kstate "$NS")
	diff -u <(in_ons iptables-nft-save -c | nocomment) <(in_ns iptables-nft-save -c | nocomment)
	diff -u <(in_ons ip6tables-nft-save -c | nocomment) <(in_ns ip6tables-nft-save -c | nocomment)
}

@test "a YAML file loads the same kernel state as its text" {
	in_ons iptables-nft-restore -c "$Y/server.v4.rules"
	in_ns "$FW_BIN/fw-restore" -c --format=yaml < "$Y/server.v4.yaml"
	diff -u <(kstate "$ONS") <(kstate "$NS")
	# without -c, counters are not applied, as with the text form
	ip netns del "$NS"; ip netns add "$NS"
	ip netns del "$ONS"; ip netns add "$ONS"
	in_ons iptables-nft-restore "$Y/server.v4.rules"
	in_ns "$FW_BIN/fw-restore" --format=yaml "$Y/server.v4.yaml"
	diff -u <(kstate "$ONS") <(kstate "$NS")
}

@test "a large YAML file (its parser in a thread of its own) loads what its text does" {
	# over fw-restore's threshold for parsing beside the encoder
	awk 'BEGIN { print "*filter"; print ":INPUT DROP [0:0]"; print ":FORWARD ACCEPT [0:0]";
		print ":OUTPUT ACCEPT [0:0]"; print ":svc - [0:0]"
		for (i = 0; i < 6000; i++) {
			if (i % 3 == 0) printf "-A INPUT -s 10.%d.%d.0/24 -p tcp -m tcp --dport %d -m comment --comment \"r %d\" -j svc\n", i / 250, i % 250, 1024 + i, i
			else if (i % 3 == 1) printf "-A svc -p udp -m multiport --dports %d,%d -m conntrack --ctstate NEW -j ACCEPT\n", i, i + 1
			else printf "-A FORWARD -i eth%d -o virbr0 -j LOG --log-prefix \"f%d \"\n", i % 9, i
		}
		print "COMMIT" }' > "$BATS_TEST_TMPDIR/big.rules"
	fw_save -4 --no-comments --from "$BATS_TEST_TMPDIR/big.rules" --format=yaml > "$BATS_TEST_TMPDIR/big.yaml"
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/big.rules")" -gt 262144 ]
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/big.yaml")" -gt 262144 ]
	in_ons iptables-nft-restore "$BATS_TEST_TMPDIR/big.rules"
	in_ns "$FW_BIN/fw-restore" --format=yaml "$BATS_TEST_TMPDIR/big.yaml"
	diff -u <(kstate "$ONS") <(kstate "$NS")
	ip netns del "$NS"; ip netns add "$NS"
	in_ns "$FW_BIN/fw-restore" "$BATS_TEST_TMPDIR/big.rules"
	diff -u <(kstate "$ONS") <(kstate "$NS")
}

@test "fw-save --format=yaml: both families by default, -4/-6/-t select" {
	in_ns iptables-nft -A INPUT -s 192.0.2.1 -j DROP
	in_ns ip6tables-nft -t raw -A OUTPUT -j ACCEPT
	in_ns "$FW_BIN/fw-save" --format=yaml --no-comments > "$BATS_TEST_TMPDIR/both"
	grep -qx 'ipv4:' "$BATS_TEST_TMPDIR/both"
	grep -qx 'ipv6:' "$BATS_TEST_TMPDIR/both"
	run in_ns "$FW_BIN/fw-save" -6 --format=yaml --no-comments
	[[ "$output" != *"ipv4"* && "$output" == *"  raw:"* ]]
	run in_ns "$FW_BIN/fw-save" -4 -t nat --format=yaml --no-comments
	[[ "$output" == *"  nat:"* && "$output" != *"filter"* && "$output" != *"ipv6"* ]]
	run in_ns "$FW_BIN/fw-save" -4 -c --format=yaml --no-comments
	[[ "$output" == *"- counters: [0, 0]"* ]]
}

@test "both families in one transaction: applied together" {
	in_ns ip6tables-nft -A INPUT -s 2001:db8::99 -j DROP
	in_ns "$FW_BIN/fw-restore" --format=yaml "$Y/docs-example.in.yaml"
	in_ns iptables-nft-save | grep -qx -- '-A LOGDROP -j DROP'
	in_ns ip6tables-nft-save | grep -qx -- '-A INPUT -p ipv6-icmp -j ACCEPT'
	# the old IPv6 table was replaced, not added to
	! in_ns ip6tables-nft-save | grep -q 2001:db8::99
}

bad_v6_part() {
	sed 's/        - protocol: ipv6-icmp/        - jump: nosuchchain\n&/' "$Y/docs-example.in.yaml"
}

@test "both families in one transaction: a bad IPv6 part leaves IPv4 untouched" {
	in_ns iptables-nft-restore -c "$Y/server.v4.rules"
	in_ns ip6tables-nft-restore -c "$Y/server.v6.rules"
	before=$(kstate "$NS")
	# the kernel refuses the IPv6 part (a jump to a missing chain)
	bad_v6_part > "$BATS_TEST_TMPDIR/bad.yaml"
	line=$(grep -n nosuchchain "$BATS_TEST_TMPDIR/bad.yaml" | cut -d: -f1)
	run in_ns "$FW_BIN/fw-restore" --format=yaml "$BATS_TEST_TMPDIR/bad.yaml"
	[ "$status" -eq 4 ]
	[[ "$output" == *"bad.yaml:$line:11: error: kernel rejected adding the rule"* ]]
	[ "$(kstate "$NS")" = "$before" ]
	# the parser refuses the IPv6 part
	sed 's/ipv6-icmp/nosuchproto/' "$Y/docs-example.in.yaml" > "$BATS_TEST_TMPDIR/bad2.yaml"
	run in_ns "$FW_BIN/fw-restore" --format=yaml "$BATS_TEST_TMPDIR/bad2.yaml"
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad2.yaml:"*"unknown protocol 'nosuchproto'"* ]]
	[ "$(kstate "$NS")" = "$before" ]
	# --check finds the kernel's error and commits nothing either
	run in_ns "$FW_BIN/fw-restore" --check --format=yaml "$BATS_TEST_TMPDIR/bad.yaml"
	[ "$status" -eq 4 ]
	[ "$(kstate "$NS")" = "$before" ]
}

@test "fw-restore --format=yaml: -4/-6, -T, -n, --test, --check" {
	f=$Y/docs-example.in.yaml
	in_ns "$FW_BIN/fw-restore" -6 --format=yaml "$f"
	[ -z "$(in_ns iptables-nft-save)" ]
	in_ns ip6tables-nft-save | grep -q ipv6-icmp
	in_ns "$FW_BIN/fw-restore" -T filter -4 --format=yaml < "$f"
	in_ns iptables-nft-save | grep -q LOGDROP
	# -n: rules are added to the built-in chains; a user chain declared
	# again is flushed first (as with the text form)
	in_ns "$FW_BIN/fw-restore" -n -4 --format=yaml "$f"
	[ "$(in_ns iptables-nft-save | grep -c -- '-A INPUT -i lo -j ACCEPT')" -eq 2 ]
	[ "$(in_ns iptables-nft-save | grep -c -- '-A LOGDROP -j DROP')" -eq 1 ]
	before=$(kstate "$NS")
	in_ns "$FW_BIN/fw-restore" --check --format=yaml "$f"
	"$FW_BIN/fw-restore" --test --format=yaml "$f"
	[ "$(kstate "$NS")" = "$before" ]
}

@test "errors point into the YAML and nothing is loaded" {
	in_ns iptables-nft-restore "$Y/server.v4.rules"
	before=$(kstate "$NS")
	for f in "$Y"/bad-*.yaml; do
		run in_ns sh -c "cd '$Y' && '$FW_BIN/fw-restore' --format=yaml '$(basename "$f")'"
		[ "$status" -eq 2 ]
		diff -u "${f%.yaml}.err" <(echo "$output")
	done
	[ "$(kstate "$NS")" = "$before" ]
}

@test "odd strings survive the kernel: quotes, backslashes, '!', UTF-8, other bytes" {
	printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m comment --comment "bad\xff\xfebytes \\"q\\" \\\\ !x"\n-A INPUT -j LOG --log-prefix "\xc3\xbcber: "\nCOMMIT\n' > "$BATS_TEST_TMPDIR/odd"
	in_ons iptables-nft-restore "$BATS_TEST_TMPDIR/odd"
	in_ons "$FW_BIN/fw-save" --format=yaml > "$BATS_TEST_TMPDIR/y"
	grep -q '!!binary' "$BATS_TEST_TMPDIR/y"
	in_ns "$FW_BIN/fw-restore" --format=yaml "$BATS_TEST_TMPDIR/y"
	diff -u <(kstate "$ONS") <(kstate "$NS")
}

@test "an incompatible table is said so in YAML and left alone by a restore" {
	in_ons nft add table ip filter
	in_ons nft add chain ip filter INPUT '{ type filter hook input priority 0; }'
	in_ons nft add rule ip filter INPUT ip saddr . ip daddr '{ 192.0.2.1 . 192.0.2.2 }' accept
	in_ons iptables-nft -t nat -A POSTROUTING -o eth0 -j MASQUERADE
	in_ons "$FW_BIN/fw-save" -4 --format=yaml > "$BATS_TEST_TMPDIR/y"
	grep -qx '  filter: incompatible' "$BATS_TEST_TMPDIR/y"
	in_ns iptables-nft -A INPUT -j ACCEPT
	in_ns "$FW_BIN/fw-restore" --format=yaml "$BATS_TEST_TMPDIR/y"
	in_ns iptables-nft-save -t filter | grep -qx -- '-A INPUT -j ACCEPT'
	in_ns iptables-nft-save -t nat | grep -qx -- '-A POSTROUTING -o eth0 -j MASQUERADE'
}
