#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build (once) the Debian bookworm rootfs the boot tests run in, cached under
# $FW_BOOT_CACHE (default /var/tmp/fw-boot). A half-built tree never becomes
# the cache: debootstrap writes DEST.tmp, which is renamed only when complete.
set -eu

CACHE_DIR=${FW_BOOT_CACHE:-/var/tmp/fw-boot}
DEST=$CACHE_DIR/rootfs
# libyaml-0-2, libmnl0, libnftnl11, libsystemd0: what fw links against
PKGS=systemd,systemd-sysv,iptables,nftables,ifupdown,iproute2,libyaml-0-2,libmnl0,libnftnl11
STAMP="bookworm minbase $PKGS v1"

if [ "$(cat "$DEST/.fwtest-stamp" 2>/dev/null)" = "$STAMP" ]; then
	exit 0
fi
if ! command -v debootstrap >/dev/null || ! command -v systemd-nspawn >/dev/null; then
	apt-get update
	apt-get install -y debootstrap systemd-container
fi
MIRROR=$(sed -n 's/^URIs: *\([^ ]*debian\)$/\1/p' \
	/etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
MIRROR=${MIRROR:-http://deb.debian.org/debian}

mkdir -p "$CACHE_DIR"
rm -rf "$DEST.tmp"
debootstrap --variant=minbase --include="$PKGS" bookworm "$DEST.tmp" "$MIRROR"
chroot "$DEST.tmp" apt-get clean
echo fwtest > "$DEST.tmp/etc/hostname"
echo "$STAMP" > "$DEST.tmp/.fwtest-stamp"
rm -rf "$DEST"
mv "$DEST.tmp" "$DEST"
