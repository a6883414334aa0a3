#!/usr/bin/env bash
#
# bench-linux.sh - the Linux column of the fault benchmarks (docs/testing.md):
# Debian's own kernel, booted in the same QEMU configuration
# as ours (tools/qemu.sh: same CPU model, MEM, SMP, ACCEL and -icount),
# running a benchmark from user/ (faultbench.c, or pf1bench.c for
# `make bench-smp`, an app_*.c for `make bench-apps`, or umapsort.c for
# `make bench`'s UMap sort line) built statically
# against glibc as its /init.
#
# Usage: tools/bench-linux.sh [-- BENCHMARK-ARGS...]
#   (default arguments for faultbench: 100 4096; `make bench-linux` passes
#   BENCH_ARGS)
#
# Steps:
#   1. the kernel: tools/fetch-linux.sh (`apt-get download
#      linux-image-amd64` and the versioned linux-image-6.x package it
#      depends on, unpacked with `dpkg -x`); its vmlinuz and config are
#      kept in build/linux/ (a cache: skipped when build/linux/vmlinuz is
#      there; never committed)
#   2. the benchmark for Linux: host gcc, -static, glibc's headers plus our
#      <poe.h> and <thread.h> (as tools/run_tests.py builds the ulinux tests);
#      or, with BENCH_BIN, that static program as it is (make bench-apps
#      runs our libc's build of a program on Linux too)
#   3. the initramfs: `cpio -H newc`, /init (the benchmark) and the
#      BENCH_FILES; the kernel's built-in initramfs already holds
#      /dev/console
#   4. the run: tools/qemu.sh --repeatable [--icount] --poweroff-ok
#      --kernel vmlinuz --initrd initramfs.cpio --append "console=ttyS0 quiet panic=-1
#      transparent_hugepage=madvise -- ARGS"; Linux passes the words after
#      `--` to init. madvise (our kernel's default; Debian's 6.1 is built
#      with CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS): only a range
#      advised MADV_HUGEPAGE gets 2 MiB pages, which faultbench's huge and
#      corun rows ask for; its 4 KiB rows advise MADV_NOHUGEPAGE and so
#      take one fault per 4 KiB as under `never`. Checked when the boot
#      moved from never to madvise, with MEM=512M so that huge pages were
#      really on (faultbench --tput-iters 1 --huge 0 --corun 0 100 1024,
#      -icount): every min and median the same, p90 within 6 ticks, the
#      throughput loop 121,415 and 121,413 faults/s, means within 0.7%
#      but the 100-page read sweep's (1347.4 and 1394.0: one timer
#      interrupt more or less among 100 samples), the same jitter that
#      merely reordering the arguments of a `never` boot gives. In the
#      256 MiB guest Linux turns huge pages off at boot whatever the mode
#      (hugepage_init(): less than 512 MiB of RAM); faultbench, as /init,
#      writes the mode into /sys/kernel/mm/transparent_hugepage/enabled
#      before its 2 MiB rows, after the 4 KiB fault rows and the
#      throughput loop. LINUX_THP=never boots the old way. The
#      benchmark powers the VM off (reboot(RB_POWER_OFF)) after its done line
#      (`FB,done`, `PF1,done`, `APP,done`).
#      --repeatable pins RDRAND and the RTC, which Linux reads at boot;
#      without it two -icount runs differ in the tails (p90, p99, mean).
#   The serial log goes to build/bench/linux.log (or BENCH_LOG).
#
# Environment: ACCEL, MEM, CPU, SMP as for tools/qemu.sh (--icount unless
# ACCEL is not tcg, or BENCH_ICOUNT=0); HOSTCC (default gcc); BUILD
# (default build); BENCH_TIMEOUT seconds for the Linux run (default 600);
# BENCH_PROG the program in user/ (default faultbench); BENCH_BIN a static
# program to run as /init instead of building BENCH_PROG (its done line is
# still BENCH_PROG's); BENCH_FILES="host/path:/dest/path ..." more files
# for the initramfs, as user.mk's EXTRA_FILES (tools/initrd-add-files.sh:
# make bench-apps puts /bin/busybox there for user/app_busybox.c);
# BENCH_LOG the log; LINUX_THP the transparent_hugepage= mode (madvise;
# always or never).
#
# Exit status: 0 when the log holds the benchmark's done line; 1
# otherwise (download, build, boot or benchmark failed: the reason is
# printed and, for the report, written to build/bench/linux.err).

set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
cd "$repo" || exit 1

BUILD=${BUILD:-build}
HOSTCC=${HOSTCC:-gcc}
ACCEL=${ACCEL:-tcg}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-600}
BENCH_PROG=${BENCH_PROG:-faultbench}
BENCH_ICOUNT=${BENCH_ICOUNT:-1}
linuxdir=$BUILD/linux
benchdir=$BUILD/bench
log=${BENCH_LOG:-$benchdir/linux.log}
err=${log%.log}.err
case "$BENCH_PROG" in
faultbench) done_line=FB,done ;;
pf1bench)   done_line=PF1,done ;;
umapsort)   done_line=UMAPSORT,done ;;
app_*)      done_line=APP,done ;;
*) echo "bench-linux: unknown BENCH_PROG '$BENCH_PROG' (faultbench, pf1bench, umapsort or app_*)" >&2; exit 2 ;;
esac
BENCH_BIN=${BENCH_BIN:-}
BENCH_FILES=${BENCH_FILES:-}
LINUX_THP=${LINUX_THP:-madvise}
case "$LINUX_THP" in
always|madvise|never) ;;
*) echo "bench-linux: LINUX_THP='$LINUX_THP': always, madvise or never" >&2; exit 2 ;;
esac

args=()
if [ $# -gt 0 ]; then
	[ "$1" = -- ] || { sed -n '/^# Usage:/,/^#   (default/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
	shift
	args=("$@")
fi
[ ${#args[@]} -gt 0 ] || [ "$BENCH_PROG" != faultbench ] || args=(100 4096)

mkdir -p "$linuxdir" "$benchdir"
rm -f "$err" "$log"

fail() {
	echo "bench-linux: $*" >&2
	echo "$*" > "$err"
	exit 1
}

bash tools/install-deps.sh bench || fail "missing tools (cpio) for the Linux run"

# ---- 1. Debian's kernel, cached in build/linux/ (tools/fetch-linux.sh) ---
bash tools/fetch-linux.sh "$linuxdir" ||
	fail "$(cat "$linuxdir/fetch.err" 2>/dev/null || echo "tools/fetch-linux.sh failed")"

# ---- 2. the benchmark, static, against glibc ------------------------------
incdir=$benchdir/linux-include
mkdir -p "$incdir"
cp libc/include/poe.h libc/include/thread.h "$incdir/"	# glibc lacks only these
fb=$benchdir/$BENCH_PROG-linux
if [ -n "$BENCH_BIN" ]; then
	[ -x "$BENCH_BIN" ] || fail "BENCH_BIN $BENCH_BIN is not an executable (make user?)"
	fb=$BENCH_BIN
else
	"$HOSTCC" -std=gnu11 -O2 -Wall -static -idirafter "$incdir" -idirafter include/uapi \
		-o "$fb" "user/$BENCH_PROG.c" libc/thread.c ||
		fail "building $BENCH_PROG for Linux ($HOSTCC -static) failed"
fi

# ---- 3. the initramfs: /init = the benchmark, and BENCH_FILES ---------------
root=$benchdir/linux-initramfs-$BENCH_PROG
rm -rf "$root" && mkdir -p "$root"
cp "$fb" "$root/init" && chmod 755 "$root/init"
if [ -n "$BENCH_FILES" ]; then
	# shellcheck disable=SC2086  # one word per file
	msg=$(bash tools/initrd-add-files.sh "$root" $BENCH_FILES 2>&1) ||
		fail "BENCH_FILES: $msg"
fi
# mtime 0 everywhere: the same image, byte for byte, on every run.
find "$root" -exec touch -h -d @0 {} +
cpio_img=$benchdir/linux-initramfs-$BENCH_PROG.cpio
(cd "$root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible) > "$cpio_img" ||
	fail "cpio -H newc failed"

# ---- 4. boot it -------------------------------------------------------------
icount=()
[ "$ACCEL" = tcg ] && [ "$BENCH_ICOUNT" = 1 ] && icount=(--icount)
append="console=ttyS0 quiet panic=-1 transparent_hugepage=$LINUX_THP -- ${args[*]}"
t0=$(date +%s.%N)
bash tools/qemu.sh --poweroff-ok --repeatable "${icount[@]}" --timeout "$BENCH_TIMEOUT" \
	--kernel "$linuxdir/vmlinuz" --initrd "$cpio_img" --append "$append" 2>&1 < /dev/null | tee "$log"
st=${PIPESTATUS[0]}
t1=$(date +%s.%N)
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
echo "bench-linux: wall time ${wall} s" | tee -a "$log" >&2

[ "$st" = 0 ] || fail "the Linux run failed (tools/qemu.sh exit $st; log in $log)"
grep -q "^$done_line" "$log" ||
	fail "Linux powered off or rebooted without $BENCH_PROG's $done_line (a panic? see $log)"
echo "bench-linux: done; log in $log" >&2
exit 0
