#!/usr/bin/env bash
#
# fetch-linux.sh - Debian's own Linux kernel, the oracle that the Linux runs
# boot in QEMU: the Linux column of the benchmarks (tools/bench-linux.sh)
# and the user tests on Linux 6.1 (tools/run_tests.py, step ulinuxvm;
# docs/testing.md).
#
# Usage: tools/fetch-linux.sh [DIR]     (default: $BUILD/linux, BUILD=build)
#
# `apt-get download linux-image-amd64` and the versioned linux-image-6.x
# package it depends on (apt-cache depends), unpacked with `dpkg -x`; its
# vmlinuz and config are kept in DIR, with DIR/version holding three
# words: the package, its Debian version and the kernel release
# (`linux-image-6.1.0-57-amd64 6.1.192-3 6.1.0-57-amd64`). DIR is a cache:
# nothing is downloaded when DIR/vmlinuz and DIR/version are there (delete
# DIR for a newer kernel); it is never committed. The modules (hundreds of
# MiB) are not kept: the runs boot an initramfs whose /init is all they
# run. As root, with no package lists, it runs `apt-get update` first.
#
# Prints `fetch-linux: Linux RELEASE (Debian package ...)` on stderr.
# Exit status 0 when DIR/vmlinuz is there; 1 otherwise, with the reason
# on stderr and in DIR/fetch.err (for the callers' reports).

set -u

here=$(cd "$(dirname "$0")" && pwd)
cd "$(dirname "$here")" || exit 1

dir=${1:-${BUILD:-build}/linux}
mkdir -p "$dir" || exit 1
rm -f "$dir/fetch.err"

fail() {
	echo "fetch-linux: $*" >&2
	echo "$*" > "$dir/fetch.err"
	exit 1
}

if [ ! -s "$dir/vmlinuz" ] || [ ! -s "$dir/version" ]; then
	command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 ||
		fail "no apt-get/dpkg here: Linux's kernel comes from Debian's linux-image-amd64"
	deps() { apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *|\{0,1\}Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1; }
	pkg=$(deps)
	if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
		echo "fetch-linux: no package lists for linux-image-amd64; apt-get update" >&2
		apt-get update -q >&2
		pkg=$(deps)
	fi
	[ -n "$pkg" ] || fail "apt-cache depends linux-image-amd64 names no linux-image-6.x package (run apt-get update as root?)"
	debs=$dir/debs
	rm -rf "$debs" && mkdir -p "$debs"
	aptopt=()
	# As root apt drops to the _apt user for downloads, which cannot
	# write here; stay root (the files are only unpacked, never installed).
	[ "$(id -u)" = 0 ] && aptopt=(-o APT::Sandbox::User=root)
	echo "fetch-linux: apt-get download linux-image-amd64 $pkg" >&2
	(cd "$debs" && apt-get download -q "${aptopt[@]}" linux-image-amd64 "$pkg") >&2 ||
		fail "apt-get download linux-image-amd64 $pkg failed (no network or no package lists?)"
	deb=$(ls "$debs/$pkg"_*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || fail "apt-get download left no $pkg .deb"
	tree=$dir/tree
	rm -rf "$tree"
	dpkg -x "$deb" "$tree" || fail "dpkg -x $deb failed"
	vmlinuz=$(ls "$tree"/boot/vmlinuz-* 2>/dev/null | head -n 1)
	[ -n "$vmlinuz" ] || fail "no boot/vmlinuz-* in $deb"
	kver=${vmlinuz##*/vmlinuz-}
	cp "$vmlinuz" "$dir/vmlinuz"
	cp "$tree/boot/config-$kver" "$dir/config" 2>/dev/null
	rm -rf "$tree"
	echo "$pkg $(dpkg-deb -f "$deb" Version) $kver" > "$dir/version"
fi
read -r pkg pkgver kver < "$dir/version"
echo "fetch-linux: Linux $kver (Debian package $pkg $pkgver, cached in $dir/)" >&2
exit 0
