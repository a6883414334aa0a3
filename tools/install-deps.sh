#!/usr/bin/env bash
#
# install-deps.sh - check for the tools that building, booting, testing and
# debugging the kernel need, and install the missing ones on Debian/Ubuntu.
# `make run` and `make test` call this first, so a fresh Debian 12 machine
# needs nothing but `git clone` and the README's commands.
#
# Usage: tools/install-deps.sh [--check] [GROUP...]
#   GROUP   build  nasm, gcc, binutils, make, grub-mkrescue, GRUB BIOS modules,
#                  xorriso, mtools (everything `make` needs for the ISO);
#                  musl-gcc (musl-tools) and glibc's static libc.a
#                  (libc6-dev) for the real-libc tests of the initrd
#                  (tests/posix/)
#           run    qemu-system-x86_64
#           test   python3, gdb, libcmocka-dev (host unit tests),
#                  busybox-static (a static busybox to boot as init:
#                  EXTRA_PROGRAMS=/bin/busybox)
#           dev    bear (only for `make compile_commands.json`)
#           bench  cpio, gnuplot (gnuplot-nox) for `make bench`/`bench-linux`
#                  (the initramfs of the Linux run, the latency plot);
#                  busybox-static for `make bench-apps` (bb_sort, bb_gzip,
#                  bb_awk run Debian's busybox on both kernels)
#           check  clang, clang-format, cppcheck for `make check` and
#                  `make format` (the second compiler, the style, the
#                  static analysis)
#           fuzz   clang and libFuzzer's runtime (libclang-rt-14-dev, only
#                  recommended by clang) for `make fuzz-host` and the
#                  fuzzhost step of `make test`
#           all    every group above
#   Default: build run test.
#   --check  only report; never install.
#
# When something is missing: as root, `apt-get update && apt-get install -y`
# it (DEBIAN_FRONTEND=noninteractive); otherwise print the exact
# `sudo apt-get install -y ...` line and exit 1. Prints nothing when all is
# present.

set -eu

check_only=0
groups=()
for a in "$@"; do
	case "$a" in
	--check)		check_only=1 ;;
	build|run|test|dev|bench|check|fuzz)	groups+=("$a") ;;
	all)			groups+=(build run test dev bench check fuzz) ;;
	-h|--help)		sed -n '/^# Usage:/,/^# present/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*)			echo "install-deps.sh: unknown group '$a'" >&2; exit 2 ;;
	esac
done
[ ${#groups[@]} -gt 0 ] || groups=(build run test)

# Each requirement: "group  kind:what  debian-package".
# kind is cmd (a program on PATH), file (a path that must exist), dir, or
# clangrt (a file in clang's runtime directory, clang --print-runtime-dir).
reqs=(
	"build cmd:nasm                 nasm"
	"build cmd:gcc                  gcc"
	"build cmd:ld                   binutils"
	"build cmd:objcopy              binutils"
	"build cmd:make                 make"
	"build cmd:grub-mkrescue        grub-common"
	"build dir:/usr/lib/grub/i386-pc grub-pc-bin"
	"build cmd:xorriso              xorriso"
	"build cmd:mformat              mtools"
	"build cmd:musl-gcc             musl-tools"
	"build file:/usr/lib/x86_64-linux-gnu/libc.a libc6-dev"
	"run   cmd:qemu-system-x86_64   qemu-system-x86"
	"test  cmd:python3              python3"
	"test  cmd:gdb                  gdb"
	"test  file:/usr/include/cmocka.h libcmocka-dev"
	"test  file:/bin/busybox         busybox-static"
	"dev   cmd:bear                 bear"
	"bench cmd:cpio                 cpio"
	"bench cmd:gnuplot              gnuplot-nox"
	"bench file:/bin/busybox         busybox-static"
	"check cmd:clang                clang"
	"check cmd:clang-format         clang-format"
	"check cmd:cppcheck             cppcheck"
	"fuzz  cmd:clang                clang"
	"fuzz  clangrt:libclang_rt.fuzzer-x86_64.a libclang-rt-14-dev"
)

# clangrt: is this file in the runtime directory of the clang on PATH?
has_clangrt() {
	local dir
	dir=$(clang --print-runtime-dir 2>/dev/null) || return 1
	[ -f "$dir/$1" ]
}

wanted() {
	local g
	for g in "${groups[@]}"; do [ "$g" = "$1" ] && return 0; done
	return 1
}

missing_pkgs=()
missing_what=()
for r in "${reqs[@]}"; do
	read -r group check pkg <<<"$r"
	wanted "$group" || continue
	kind=${check%%:*}
	what=${check#*:}
	case "$kind" in
	cmd)	command -v "$what" >/dev/null 2>&1 && continue ;;
	file)	[ -f "$what" ] && continue ;;
	dir)	[ -d "$what" ] && continue ;;
	clangrt) has_clangrt "$what" && continue ;;
	esac
	missing_what+=("$what")
	case " ${missing_pkgs[*]:-} " in
	*" $pkg "*) ;;
	*) missing_pkgs+=("$pkg") ;;
	esac
done

[ ${#missing_pkgs[@]} -eq 0 ] && exit 0

echo "install-deps.sh: missing: ${missing_what[*]}" >&2
if [ "$check_only" = 1 ]; then
	echo "install with: sudo apt-get install -y ${missing_pkgs[*]}" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps.sh: no apt-get here; install the equivalents of these Debian packages: ${missing_pkgs[*]}" >&2
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "install-deps.sh: not root; run:" >&2
	echo "  sudo apt-get install -y ${missing_pkgs[*]}" >&2
	exit 1
fi

echo "install-deps.sh: installing: ${missing_pkgs[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing_pkgs[@]}" </dev/null

# Check again: a package that installed but did not provide what we need
# (e.g. a renamed package) must stop the build here, not later.
still=()
for r in "${reqs[@]}"; do
	read -r group check pkg <<<"$r"
	wanted "$group" || continue
	kind=${check%%:*}
	what=${check#*:}
	case "$kind" in
	cmd)	command -v "$what" >/dev/null 2>&1 && continue ;;
	file)	[ -f "$what" ] && continue ;;
	dir)	[ -d "$what" ] && continue ;;
	clangrt) has_clangrt "$what" && continue ;;
	esac
	still+=("$what")
done
if [ ${#still[@]} -gt 0 ]; then
	echo "install-deps.sh: still missing after install: ${still[*]}" >&2
	exit 1
fi
