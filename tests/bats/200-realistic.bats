#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Realistic rulesets (Docker, kube-proxy, ufw, fail2ban, a router, the
# story's libvirt host) against the oracle, both ways: what fw-restore
# loads equals what iptables-nft-restore loads, byte for byte, and what
# fw-save prints equals iptables-nft-save, in both directions.

load helpers

setup() { setup_ns; need_oracle; }
teardown() { teardown_ns; }

both_ways() {
	local file=$1 fam=$2
	# fw-restore vs iptables-nft-restore, kernel bytes and save text
	oracle_compare "$file" "$fam" -c
	# what fw-save prints, iptables-nft-restore loads back identically
	local ipr=iptables-nft-restore
	[ "$fam" = 6 ] && ipr=ip6tables-nft-restore
	in_ns "$FW_BIN/fw-save" -"$fam" -c > "$BATS_TEST_TMPDIR/saved"
	ip netns del "$ONS"; ip netns add "$ONS"
	in_ons "$ipr" -c "$BATS_TEST_TMPDIR/saved"
	in_ns "$ipr" -c "$BATS_TEST_TMPDIR/saved"
	diff -u <(kstate "$ONS") <(kstate "$NS")
}

@test "Docker with published ports" { both_ways "$FIX/realistic/docker.v4" 4; }
@test "kube-proxy services" { both_ways "$FIX/realistic/kube-proxy.v4" 4; }
@test "ufw" { both_ways "$FIX/realistic/ufw.v4" 4; }
@test "fail2ban" { both_ways "$FIX/realistic/fail2ban.v4" 4; }
@test "a router with raw, mangle, nat and filter (IPv4)" { both_ways "$FIX/realistic/router.v4" 4; }
@test "the router's IPv6 side" { both_ways "$FIX/realistic/router.v6" 6; }
@test "the story: libvirt NAT with a port forward to a guest's ssh" { both_ways "$FIX/story.v4" 4; }
