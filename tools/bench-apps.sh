#!/usr/bin/env bash
#
# bench-apps.sh - `make bench-apps` (docs/testing.md, README "POE on real
# programs"): the POE pipeline measured end to end on fault-heavy
# programs, user/app_malloc.c, app_sort.c and app_hash.c, and Debian's
# unmodified static busybox running sort, gzip and awk on a 4 MiB text
# (bb_sort, bb_gzip, bb_awk: user/app_busybox.c with applet=NAME, which
# writes the input, runs busybox and measures it from outside), each
# booted as init (our kernel) or /init (Linux) in the QEMU machine of
# `make bench`:
# tools/qemu.sh --repeatable --icount, one CPU, so a tick is one guest
# instruction and every figure is exact and the same on every run; our
# kernel with norandmaps, the fixed layout (docs/address-space.md). Modes:
#   off           our kernel, POE off (the full fault handler)
#   poe           our kernel booted with poe.always=1: the program runs
#                 with POE on from exec
#   linux         Debian's Linux 6.1 (tools/bench-linux.sh), the program
#                 built statically against glibc, as `make bench` builds
#                 faultbench
#   linux-ourlibc the same Linux running our libc's build of the program
#                 (build/initrd/bin/NAME, the very binary our kernel runs),
#                 so that only the kernel differs. Not for bb_*: busybox
#                 is Debian's binary in every mode already (only its
#                 wrapper's libc would differ); the run is left out and
#                 NAME-linux-ourlibc.na says why, for the report's table
# busybox goes into a copy of our initrd ($BUILD/bench/initrd-busybox.tar,
# only for the bb_* runs, so that the other programs boot the image they
# always do) and into Linux's initramfs (BENCH_FILES) at /bin/busybox.
# Each program times its own work (rdtsc), reads its minor faults with
# getrusage(RUSAGE_SELF) and POE's fast-path hits with poe_stats, checks
# its result and prints APP lines (user/app_util.h);
# tools/bench_apps_report.py turns the logs into a table, a CSV and a plot,
# and fails when any run is missing or its result is wrong.
#
# Usage: tools/bench-apps.sh        (make bench-apps builds what it needs)
# Environment:
#   BENCH_APPS="app_malloc app_sort app_hash bb_sort bb_gzip bb_awk"
#                                    the programs (bb_APPLET: busybox APPLET)
#   BENCH_APPS_MODES="off poe linux linux-ourlibc"
#   BENCH_APP_ARGS_<program>="key=N ..."         its arguments (default:
#                                    the program's own defaults; bb_*
#                                    get applet=APPLET first, e.g.
#                                    BENCH_APP_ARGS_bb_sort="kib=8192")
#   BUSYBOX=/bin/busybox             the static busybox (busybox-static)
#   BENCH_TIMEOUT=600                seconds per boot
#   BUILD=build, and MEM, CPU, ACCEL as for tools/qemu.sh
# Output: $BUILD/bench/apps/NAME-MODE.log (the serial log) and
# NAME-MODE.rc (tools/qemu.sh's or bench-linux.sh's exit status), then the
# report ($BUILD/bench/apps.csv, apps.png), which also estimates POE's gain
# the patent's way from the fault latencies faultbench measures on the same
# kernel ($BUILD/bench/apps/faultbench.log, a few seconds' run).
# Exit status: the report's: 0 when every run finished with a right
# result, 1 otherwise.

set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
cd "$repo" || exit 1

BUILD=${BUILD:-build}
APPS=${BENCH_APPS:-app_malloc app_sort app_hash bb_sort bb_gzip bb_awk}
BUSYBOX=${BUSYBOX:-/bin/busybox}
MODES=${BENCH_APPS_MODES:-off poe linux linux-ourlibc}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-600}
ACCEL=${ACCEL:-tcg}
dir=$BUILD/bench/apps
mkdir -p "$dir"
rm -f "$dir"/*.log "$dir"/*.rc "$dir"/*.err "$dir"/*.na

for m in $MODES; do
	case "$m" in off|poe|linux|linux-ourlibc) ;;
	*) echo "bench-apps: unknown mode '$m' (off poe linux linux-ourlibc)" >&2; exit 2 ;;
	esac
done
# The program in user/ that a name runs, and its first arguments.
prog_of() { case "$1" in bb_*) echo app_busybox ;; *) echo "$1" ;; esac; }
args_of() { case "$1" in bb_*) echo "applet=${1#bb_}" ;; esac; }
need_bb=
for a in $APPS; do
	case "$a" in
	bb_sort|bb_gzip|bb_awk) need_bb=1 ;;
	bb_*) echo "bench-apps: unknown busybox applet '$a' (bb_sort bb_gzip bb_awk)" >&2; exit 2 ;;
	esac
	p=$(prog_of "$a")
	[ -f "user/$p.c" ] || { echo "bench-apps: no user/$p.c" >&2; exit 2; }
done

# Our initrd plus busybox, for the bb_* runs: the image as user.mk writes
# it (ustar, owner 0, mtime 0, sorted), so that it is the same on every
# run. Only a static busybox boots on either kernel.
bb_initrd=$BUILD/bench/initrd-busybox.tar
if [ -n "$need_bb" ]; then
	if [ ! -x "$BUSYBOX" ] || readelf -l "$BUSYBOX" 2>/dev/null | grep -q INTERP; then
		echo "bench-apps: $BUSYBOX is not a static busybox (install busybox-static: tools/install-deps.sh bench)" >&2
		exit 2
	fi
	stage=$BUILD/bench/initrd-busybox
	rm -rf "$stage" && mkdir -p "$stage" &&
		tar -xf "$BUILD/initrd.tar" -C "$stage" || exit 2
	if [ ! -e "$stage/bin/busybox" ]; then	# not already EXTRA_PROGRAMS
		bash tools/initrd-add-files.sh "$stage" "$BUSYBOX:/bin/busybox" || exit 2
	fi
	# shellcheck disable=SC2046  # the top-level names, one word each
	(cd "$stage" && tar --format=ustar --owner=0 --group=0 --numeric-owner \
		--mtime=@0 --sort=name -cf "$repo/$bb_initrd" $(ls -A)) || exit 2
fi
icount=()
[ "$ACCEL" = tcg ] && icount=(--icount)

t0=$(date +%s)
for a in $APPS; do
	var=BENCH_APP_ARGS_$a
	p=$(prog_of "$a")
	args=$(args_of "$a")
	args=$args${!var:+${args:+ }${!var}}
	initrd=$BUILD/initrd.tar
	files=
	case "$a" in bb_*) initrd=$bb_initrd; files="$BUSYBOX:/bin/busybox" ;; esac
	for m in $MODES; do
		log=$dir/$a-$m.log
		if [ "$m" = linux-ourlibc ] && [ "$p" = app_busybox ]; then
			echo "busybox is Debian's binary in every run (linux runs it too)" >"$dir/$a-$m.na"
			continue
		fi
		echo "bench-apps: $a ($m)${args:+ $args}" >&2
		case "$m" in
		off|poe)
			extra=
			[ "$m" = poe ] && extra=poe.always=1
			bash tools/qemu.sh --repeatable "${icount[@]}" \
				--timeout "$BENCH_TIMEOUT" \
				--kernel "$BUILD/kernel.elf" --initrd "$initrd" \
				--append "loglevel=4 norandmaps $extra init=/bin/$p${args:+ -- $args}" \
				</dev/null >"$log" 2>&1
			echo $? >"$dir/$a-$m.rc"
			;;
		linux|linux-ourlibc)
			bin=
			# The initrd's copy: what our kernel runs, debug
			# information stripped (no build paths in it).
			[ "$m" = linux-ourlibc ] && bin=$BUILD/initrd/bin/$p
			# shellcheck disable=SC2086  # the arguments are words
			BUILD=$BUILD BENCH_PROG=$p BENCH_BIN=$bin BENCH_LOG=$log \
				BENCH_FILES=$files \
				bash tools/bench-linux.sh -- $args >/dev/null 2>"$dir/$a-$m.stderr"
			echo $? >"$dir/$a-$m.rc"
			;;
		esac
	done
done
# The fault latencies for the report's estimate: faultbench's 4096-page
# sweeps on the same kernel, POE off and warm (a few seconds).
echo "bench-apps: faultbench (fault latencies for the estimate)" >&2
bash tools/qemu.sh --repeatable "${icount[@]}" --timeout "$BENCH_TIMEOUT" \
	--kernel "$BUILD/kernel.elf" --initrd "$BUILD/initrd.tar" \
	--append "loglevel=4 norandmaps init=/bin/faultbench -- --csv --tput-iters 0 4096" \
	</dev/null >"$dir/faultbench.log" 2>&1 ||
	echo "bench-apps: faultbench failed: no estimate (see $dir/faultbench.log)" >&2
echo "bench-apps: $(( $(date +%s) - t0 )) s of runs" >&2
python3 tools/bench_apps_report.py --dir "$dir" --linuxdir "$BUILD/linux" \
	--fblog "$dir/faultbench.log" --apps "$APPS" --modes "$MODES"
