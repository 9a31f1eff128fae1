#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Boot tests of fw-persist: a cached Debian rootfs (build-rootfs.sh) with fw
# installed into a copy-on-write overlay, booted with systemd-nspawn in a
# private network namespace; checks run inside through nsenter.
#
#   tests/boot/run.sh [CASE...]     cases: debian ifupdown rhel broken story
#
# FW_BOOT_CACHE: where the rootfs and the runs live (/var/tmp/fw-boot).
# FW_BOOT_STAGE: a tree already installed with `make install DESTDIR=`
#                (default: this script runs make install PREFIX=/usr,
#                without sanitizers, in build dir FW_BOOT_BUILD).
# FW_BOOT_KEEP=1: keep every run directory (failed ones are always kept).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE_DIR=${FW_BOOT_CACHE:-/var/tmp/fw-boot}
BASE=$CACHE_DIR/rootfs
UNIT=fw-restore.service
FAILED=0
W= NSPID= L= CG=

log() { printf '%s\n' "$*" >&2; }

# --- one container -------------------------------------------------------

overlay_up() {
	W=$(mktemp -d "$CACHE_DIR/run.XXXXXX")
	mkdir -p "$W"/{upper,work,merged}
	mount -t overlay overlay \
		-o "lowerdir=$BASE,upperdir=$W/upper,workdir=$W/work" "$W/merged"
	# tar, not cp: the rootfs has merged /usr (lib -> usr/lib)
	tar -C "$STAGE" -cf - . | tar -C "$W/merged" -xf - --keep-directory-symlink --no-overwrite-dir
	inject_common "$W/merged"
}

overlay_down() {
	umount "$W/merged" 2>/dev/null || true
	if [ "$1" = ok ] && [ -z "${FW_BOOT_KEEP:-}" ]; then
		rm -rf "$W"
	else
		log "    kept $W (journal: journalctl -D $W/upper/var/log/journal)"
	fi
	W=
}

boot() {
	local i

	CG=fwboot.$$.$RANDOM
	for h in unified systemd; do mkdir -p "/sys/fs/cgroup/$h/$CG"; done
	(
		for h in unified systemd; do
			echo "$BASHPID" > "/sys/fs/cgroup/$h/$CG/cgroup.procs"
		done
		SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 exec systemd-nspawn \
			-D "$W/merged" --boot --private-network --register=no \
			--keep-unit -M "fwboot$$" --console=read-only \
			>> "$W/console.log" 2>&1 < /dev/null
	) &
	NSPID=$!
	for i in $(seq 100); do
		L=$(pgrep -P "$NSPID" -x systemd) && break
		sleep 0.1
	done
	[ -n "$L" ] || { log "    container did not start"; return 1; }
	NS="nsenter -t $L -m -u -i -n -p"
	for i in $(seq 60); do
		STATE=$(timeout 60 $NS systemctl is-system-running --wait \
			2>/dev/null) && break
		case $STATE in running|degraded) break ;; esac
		sleep 0.2
	done
}

poweroff() {
	[ -n "$NSPID" ] || return 0
	kill -s SIGRTMIN+4 "$L" 2>/dev/null || true
	wait "$NSPID" || true
	for h in unified systemd; do
		find "/sys/fs/cgroup/$h/$CG" -depth -type d -exec rmdir {} + \
			2>/dev/null || true
	done
	NSPID= L=
}

cleanup() {
	poweroff
	[ -z "$W" ] || overlay_down failed
}
trap cleanup EXIT

# --- what every container gets ------------------------------------------

inject_common() {
	local r=$1

	mkdir -p "$r/etc/network/interfaces.d" "$r/etc/network/if-pre-up.d"
	cat > "$r/etc/network/interfaces.d/fwtest" <<-EOF
	auto lo
	iface lo inet loopback

	auto fwt0
	iface fwt0 inet manual
	    pre-up ip link add fwt0 type veth peer name fwt1
	    up ip link set fwt0 up
	    post-down ip link del fwt0
	EOF
	# records the ruleset each time ifupdown is about to raise something
	cat > "$r/etc/network/if-pre-up.d/00-fwtest-probe" <<-'EOF'
	#!/bin/sh
	mkdir -p /run/fwtest
	echo "$IFACE" >> /run/fwtest/order
	{ iptables-nft-save; ip6tables-nft-save; } > "/run/fwtest/preup-$IFACE.txt" 2>&1
	exit 0
	EOF
	chmod 755 "$r/etc/network/if-pre-up.d/00-fwtest-probe"
}

enable_unit() {
	mkdir -p "$1/etc/systemd/system/multi-user.target.wants"
	ln -sf "$UNITDIR/$UNIT" "$1/etc/systemd/system/multi-user.target.wants/$UNIT"
}

# marker_rules FAMILY N: a small ruleset with the address marker N in it
marker_rules() {
	if [ "$1" = 4 ]; then
		printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -s 192.0.2.%s/32 -j ACCEPT\nCOMMIT\n' "$2"
	else
		printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -s 2001:db8::%s/128 -j ACCEPT\nCOMMIT\n' "$2"
	fi
}

put() {	# put FILE: stdin into a root-owned 0600 file
	mkdir -p "$(dirname "$1")"
	cat > "$1"
	chmod 600 "$1"
}

# --- checks ---------------------------------------------------------------

CASE_OK=1

check() {	# check DESCRIPTION COMMAND...: one line of the report
	local what=$1
	shift
	if "$@" > "$W/check.out" 2>&1; then
		log "    ok   $what"
	else
		log "    FAIL $what"
		sed 's/^/         | /' "$W/check.out" | head -n 20 >&2
		CASE_OK=0
	fi
}

has() {	# has TEXT PATTERN (captured first: no pipefail trouble)
	grep -q -e "$2" <<< "$1" || { echo "no '$2' in:"; echo "$1"; return 1; }
}

hasnt() {
	! grep -q -e "$2" <<< "$1" || { echo "unexpected '$2' in:"; echo "$1"; return 1; }
}

eq() {
	[ "$1" = "$2" ] || { echo "expected '$2', got '$1'"; return 1; }
}

prop() {	# prop UNIT PROPERTY
	$NS systemctl show -P "$2" "$1"
}

live() {
	$NS sh -c 'iptables-nft-save; ip6tables-nft-save'
}

unit_before_networking() {
	local a b
	a=$(prop $UNIT ActiveEnterTimestampMonotonic)
	b=$(prop networking.service InactiveExitTimestampMonotonic)
	echo "unit ready at $a us, networking started at $b us"
	[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ "$a" -le "$b" ]
}

journal() {	# journal ARGS: this boot's journal
	$NS journalctl -b --no-pager "$@"
}

# --- the cases ------------------------------------------------------------

case_debian() {
	local r=$W/merged
	marker_rules 4 41 | put "$r/etc/iptables/rules.v4"
	marker_rules 6 61 | put "$r/etc/iptables/rules.v6"
	enable_unit "$r"
	boot
	check "system is running" eq "$STATE" running
	check "unit succeeded and is active" eq "$(prop $UNIT Result)/$(prop $UNIT ActiveState)" success/active
	check "sd_notify STATUS= reached systemd (Type=notify)" has "$(prop $UNIT StatusText)" "restored '/etc/iptables/rules.v4', '/etc/iptables/rules.v6'"
	check "unit was ready before networking.service started" unit_before_networking
	check "ifupdown's first pre-up (--all) saw IPv4" has "$($NS cat /run/fwtest/preup---all.txt)" '192.0.2.41/32'
	check "ifupdown's first pre-up (--all) saw IPv6" has "$($NS cat /run/fwtest/preup---all.txt)" '2001:db8::61/128'
	check "pre-up of fwt0 saw IPv4 rules" has "$($NS cat /run/fwtest/preup-fwt0.txt)" '192.0.2.41/32'
	check "pre-up of fwt0 saw IPv6 rules" has "$($NS cat /run/fwtest/preup-fwt0.txt)" '2001:db8::61/128'
	check "live ruleset has both families" has "$(live)" '2001:db8::61/128'
	check "journal of the unit says what was restored" has "$(journal -u $UNIT)" "fw-persist.*restored the rules of '/etc/iptables/rules.v4', '/etc/iptables/rules.v6'"
	check "stamp written by the unit" eq "$($NS cat /run/fw-persist/restored)" "ok by command"
	check "hook restored nothing after the unit" eq "$(journal -t fw-persist | grep -c 'restored the rules')" 1
	check "fw-persist status: same (exit 0)" $NS fw-persist status
}

case_ifupdown() {
	local r=$W/merged
	marker_rules 4 42 | put "$r/etc/iptables.rules"
	marker_rules 6 62 | put "$r/etc/ip6tables.rules"
	boot
	check "system is running" eq "$STATE" running
	check "the unit is not enabled here" eq "$(prop $UNIT ActiveState)" inactive
	check "ifupdown ran the hooks three times" eq "$($NS cat /run/fwtest/order | tr '\n' ' ')" "--all lo fwt0 "
	check "pre-up of lo saw the rules" has "$($NS cat /run/fwtest/preup-lo.txt)" '192.0.2.42/32'
	check "pre-up of fwt0 saw both families" has "$($NS cat /run/fwtest/preup-fwt0.txt)" '2001:db8::62/128'
	check "restored exactly once" eq "$(journal -t fw-persist | grep -c 'restored the rules')" 1
	check "stamp written by the hook" eq "$($NS cat /run/fw-persist/restored)" "ok by ifupdown hook"
	check "layout detected as ifupdown" has "$($NS fw-persist config)" 'LAYOUT=ifupdown'
	check "networking.service succeeded" eq "$(prop networking.service Result)" success
}

case_rhel() {
	local r=$W/merged
	rm -f "$r/etc/os-release"
	printf 'NAME="CentOS Stream"\nID="centos"\nID_LIKE="rhel fedora"\n' > "$r/etc/os-release"
	marker_rules 4 43 | put "$r/etc/sysconfig/iptables"
	marker_rules 6 63 | put "$r/etc/sysconfig/ip6tables"
	printf 'IPTABLES_MODULES=""\nIPTABLES_SAVE_ON_STOP="yes"\nIPTABLES_SAVE_COUNTER="no"\n' \
		> "$r/etc/sysconfig/iptables-config"
	enable_unit "$r"
	boot
	check "system is running" eq "$STATE" running
	check "unit succeeded" eq "$(prop $UNIT Result)/$(prop $UNIT ActiveState)" success/active
	check "restored /etc/sysconfig/iptables and ip6tables" has "$(journal -u $UNIT)" "restored the rules of '/etc/sysconfig/iptables', '/etc/sysconfig/ip6tables'"
	check "unit was ready before networking.service started" unit_before_networking
	check "pre-up of fwt0 saw both families" has "$($NS cat /run/fwtest/preup-fwt0.txt)" '192.0.2.43/32'
	check "pre-up of fwt0 saw IPv6" has "$($NS cat /run/fwtest/preup-fwt0.txt)" '2001:db8::63/128'
	$NS iptables-nft -A INPUT -s 192.0.2.143/32 -j ACCEPT
	poweroff
	check "IPTABLES_SAVE_ON_STOP: the sandboxed unit saved at shutdown" has "$(cat "$W/upper/etc/sysconfig/iptables")" '192.0.2.143/32'
	check "the previous file was kept as iptables.bak" has "$(cat "$W/upper/etc/sysconfig/iptables.bak")" '192.0.2.43/32'
	check "saved file is 0600 root" eq "$(stat -c '%a %u' "$W/upper/etc/sysconfig/iptables")" "600 0"
}

case_broken() {
	local r=$W/merged
	marker_rules 4 44 | put "$r/etc/iptables/rules.v4"
	printf '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 2001:db8::64/128 -j ACCEPT\n-A INPUT -p tcp --dport 22 -j NO_SUCH_CHAIN\nCOMMIT\n' \
		| put "$r/etc/iptables/rules.v6"
	marker_rules 4 99 | put "$r/etc/fw/fallback.v4"
	mkdir -p "$r/etc/fw"
	echo 'FALLBACK_V4=/etc/fw/fallback.v4' > "$r/etc/fw/persist.conf"
	enable_unit "$r"
	boot
	check "boot reached multi-user.target anyway" eq "$($NS systemctl is-active multi-user.target)" active
	check "system is degraded (not running)" eq "$STATE" degraded
	check "the unit failed" eq "$(prop $UNIT Result)/$(prop $UNIT ActiveState)" exit-code/failed
	check "journal names the file and line" has "$(journal -u $UNIT)" "/etc/iptables/rules.v6:[0-9]*:[0-9]*: error"
	check "journal entry carries FW_FILE= and FW_LINE=" has "$(journal -u $UNIT -o verbose)" 'FW_FILE=/etc/iptables/rules.v6'
	check "journal says the kernel was left unchanged" has "$(journal -u $UNIT)" 'left unchanged'
	check "journal says the fallback was applied" has "$(journal -u $UNIT)" "applied the fallback rules of '/etc/fw/fallback.v4'"
	check "kernel holds the fallback rules" has "$(live)" '192.0.2.99/32'
	check "nothing of the broken set reached the kernel" hasnt "$(live)" '192.0.2.44/32\|2001:db8::64'
	check "status text says so" has "$(prop $UNIT StatusText)" 'fallback applied'
	check "exit status 5 (fallback applied)" eq "$(prop $UNIT ExecMainStatus)" 5
	check "networking still came up" eq "$(prop networking.service Result)" success
}

case_story() {
	local r=$W/merged saved1 saved2
	sed '/^#/d' "$HERE/fixtures/libvirt-nat.v4" | put "$r/etc/iptables/rules.v4"
	sed '/^#/d' "$HERE/fixtures/host.v6" | put "$r/etc/iptables/rules.v6"
	mkdir -p "$r/etc/fw"
	echo 'SAVE_ON_STOP=yes' > "$r/etc/fw/persist.conf"
	enable_unit "$r"
	boot
	check "boot 1: unit succeeded" eq "$(prop $UNIT Result)" success
	check "boot 1: DNAT 10122 -> 192.168.122.101:22 is live" has "$(live)" 'dport 10122 -j DNAT --to-destination 192.168.122.101:22'
	check "boot 1: FORWARD conntrack NEW,RELATED,ESTABLISHED is live" has "$(live)" '-d 192.168.122.101/32 -o virbr0 -p tcp -m conntrack --ctstate NEW,RELATED,ESTABLISHED'
	poweroff
	saved1=$(cat "$W/upper/etc/iptables/rules.v4" "$W/upper/etc/iptables/rules.v6")
	boot
	check "boot 2: unit restored the saved files" eq "$(prop $UNIT Result)" success
	check "boot 2: live equals saved (status exit 0)" $NS fw-persist status
	poweroff
	saved2=$(cat "$W/upper/etc/iptables/rules.v4" "$W/upper/etc/iptables/rules.v6")
	check "boot 1's ExecStop saved the files (SAVE_ON_STOP)" has "$saved1" '^# Generated by fw-persist'
	check "save -> reboot -> save is byte-identical" eq "$saved2" "$saved1"
	check "saved file has the port forward" has "$saved1" 'DNAT --to-destination 192.168.122.101:22'
	check "saved files carry no date" hasnt "$saved1" '20[0-9][0-9]$'
}

# --- driver ---------------------------------------------------------------

stage() {
	if [ -n "${FW_BOOT_STAGE:-}" ]; then
		STAGE=$FW_BOOT_STAGE
		return
	fi
	STAGE=$CACHE_DIR/stage
	rm -rf "$STAGE"
	# the rootfs has no sanitizer runtimes: a plain build, whatever
	# SANITIZE the environment holds
	make -s -C "$REPO" install B="${FW_BOOT_BUILD:-build-boot}" SANITIZE= \
		DESTDIR="$STAGE" PREFIX=/usr > /dev/null
	if ldd "$STAGE/usr/sbin/fw-persist" | grep -q 'libasan\|libubsan'; then
		log "boot tests need a build without sanitizers ($STAGE)"
		exit 1
	fi
}

main() {
	local c cases=${*:-debian ifupdown rhel broken story} t0

	[ "$(id -u)" = 0 ] || { log "boot tests need root"; exit 77; }
	"$HERE/build-rootfs.sh"
	stage
	UNITDIR=$(cd "$STAGE" && find . -name "$UNIT" -printf '%h\n' | head -n 1)
	UNITDIR=${UNITDIR#.}
	for c in $cases; do
		t0=$(date +%s%N)
		CASE_OK=1
		log "boot case $c:"
		overlay_up
		"case_$c"
		poweroff
		if [ $CASE_OK = 1 ]; then
			log "  PASS $c ($((($(date +%s%N) - t0) / 1000000)) ms)"
			overlay_down ok
		else
			log "  FAIL $c"
			overlay_down failed
			FAILED=1
		fi
	done
	exit $FAILED
}

main "$@"
