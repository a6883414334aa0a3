#!/usr/bin/env bash
#
# qemu.sh - the one place QEMU's options live. `make run`, `make gdb`,
# tools/run_tests.py and the benchmarks all boot the kernel through this
# script, so every run uses the same machine (docs/testing.md).
#
# Usage:
#   tools/qemu.sh --iso build/os.iso                      # GRUB path (make run)
#   tools/qemu.sh --kernel build/kernel.elf [--append "test=all"]
#                                                         # direct boot (PVH note)
#   tools/qemu.sh --kernel build/kernel.elf --initrd build/initrd.tar \
#                 --append "init=/bin/usertests"          # with user programs
# Options:
#   --initrd FILE      load FILE as the initrd (QEMU -initrd; with --kernel
#                      only: with --iso, GRUB loads it as a module)
#   --gdb              start halted with a gdb stub on tcp port 1234 (-s -S)
#   --gdb-port PORT    start halted with a gdb stub on 127.0.0.1:PORT
#   --icount           -icount shift=0,align=off,sleep=off: the guest TSC
#                      advances one tick per guest instruction (measuring)
#   --repeatable       -seed 1 -rtc base=2000-01-01T00:00:00,clock=vm: RDRAND
#                      and the RTC (both read by Linux at boot: KASLR,
#                      entropy, the wall clock) give the same values on every
#                      run, so that with --icount a run repeats exactly
#                      (our kernel's layout randomization too: RDRAND and
#                      the TSC; give it norandmaps for the fixed layout of
#                      docs/address-space.md, as the benchmarks and
#                      tools/run_tests.py do)
#   --interactive      serial console and QEMU monitor multiplexed on stdio
#                      (Ctrl-A c switches, Ctrl-A x quits)
#   --timeout SEC      kill QEMU after SEC seconds (exit status 124)
#   --poweroff-ok      a guest that powers off (or reboots: -no-reboot) by
#                      itself ends QEMU with 0: report that as success (0),
#                      not 125. For a guest without isa-debug-exit, such as
#                      Linux (make bench-linux), which must check its own
#                      output to tell a power-off from a panic's reboot
#   --dry-run          print the command line and exit
#
# Environment:
#   ACCEL       tcg (default), mttcg (TCG with one host thread per vCPU:
#               -accel tcg,thread=multi, for SMP timing with the wall
#               clock) or kvm
#   MEM         guest RAM, QEMU -m syntax (default 256M)
#   CPU         CPU model (default max,la57=off; with kvm also
#               arch-capabilities=off)
#   SMP         number of CPUs, 1 to 16 (the kernel's NR_CPUS; default 1).
#               The kernel finds them in the ACPI MADT and starts them
#               (docs/smp.md); its boot log says "smp: N CPUs online"
#   QEMU        the QEMU binary (default qemu-system-x86_64)
#   QEMU_EXTRA  extra options appended verbatim (word-split)
#
# Exit status: the kernel's own code, written to isa-debug-exit
# (0 success / power-off, 1 a test failed, 2 panic). QEMU exits with
# (code << 1) | 1, which this script turns back into code. A QEMU exit of 0
# means the kernel never reached isa-debug-exit (for example a triple fault
# under -no-reboot): that is reported and turned into 125 (0 with
# --poweroff-ok). 126 means QEMU itself failed to start; 124 a --timeout.

# shellcheck disable=SC2054  # commas inside QEMU option values are intended
set -u

usage() {
	sed -n '/^# Usage:/,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//' | sed '$d' >&2
	exit 2
}

die() {
	echo "qemu.sh: $*" >&2
	exit 2
}

iso='' kernel='' initrd='' append='' have_append=0 gdb='' icount=0 interactive=0 timeout='' dry=0 poweroff_ok=0 repeatable=0
while [ $# -gt 0 ]; do
	case "$1" in
	--iso)		[ $# -ge 2 ] || usage; iso=$2; shift 2 ;;
	--kernel)	[ $# -ge 2 ] || usage; kernel=$2; shift 2 ;;
	--append)	[ $# -ge 2 ] || usage; append=$2; have_append=1; shift 2 ;;
	--initrd)	[ $# -ge 2 ] || usage; initrd=$2; shift 2 ;;
	--gdb)		gdb=1234; shift ;;
	--gdb-port)	[ $# -ge 2 ] || usage; gdb=$2; shift 2 ;;
	--icount)	icount=1; shift ;;
	--interactive)	interactive=1; shift ;;
	--timeout)	[ $# -ge 2 ] || usage; timeout=$2; shift 2 ;;
	--dry-run)	dry=1; shift ;;
	--poweroff-ok)	poweroff_ok=1; shift ;;
	--repeatable)	repeatable=1; shift ;;
	-h|--help)	usage ;;
	*)		echo "qemu.sh: unknown option '$1'" >&2; usage ;;
	esac
done

if [ -n "$iso" ] && [ -n "$kernel" ]; then
	die "give either --iso or --kernel, not both"
elif [ -z "$iso" ] && [ -z "$kernel" ]; then
	usage
fi
if [ "$have_append" = 1 ] && [ -z "$kernel" ]; then
	die "--append needs --kernel (with --iso, grub.cfg holds the command line)"
fi
if [ -n "$initrd" ] && [ -z "$kernel" ]; then
	die "--initrd needs --kernel (with --iso, GRUB loads the initrd as a module)"
fi
for f in $iso $kernel $initrd; do
	[ -f "$f" ] || die "no such file: $f (run make first)"
done
if [ -n "$gdb" ]; then
	case "$gdb" in *[!0-9]*|'') die "bad gdb port '$gdb'" ;; esac
fi
if [ -n "$timeout" ]; then
	case "$timeout" in *[!0-9]*|'') die "bad timeout '$timeout'" ;; esac
fi

QEMU=${QEMU:-qemu-system-x86_64}
ACCEL=${ACCEL:-tcg}
MEM=${MEM:-256M}
if [ "$ACCEL" = kvm ]; then
	# arch-capabilities=off: QEMU 7.2 under KVM on some (nested, AMD) hosts
	# dies with "failed to set MSR 0x10a"; the kernel does not read it.
	CPU=${CPU:-max,la57=off,arch-capabilities=off}
else
	CPU=${CPU:-max,la57=off}
fi
SMP=${SMP:-1}
# NR_CPUS in include/kernel/cpumask.h: CPUs beyond it would never start.
case "$SMP" in
''|*[!0-9]*) die "SMP='$SMP' is not a number of CPUs (1 to 16)" ;;
esac
if [ "$SMP" -lt 1 ] || [ "$SMP" -gt 16 ]; then
	die "SMP=$SMP: the kernel runs 1 to 16 CPUs (NR_CPUS)"
fi

command -v "$QEMU" >/dev/null 2>&1 ||
	die "$QEMU not found (run tools/install-deps.sh)"
if [ "$ACCEL" = kvm ] && ! [ -w /dev/kvm ]; then
	die "ACCEL=kvm but /dev/kvm is missing or not writable (unset ACCEL for TCG)"
fi
if [ "$icount" = 1 ] && [ "$ACCEL" != tcg ]; then
	die "--icount needs ACCEL=tcg (icount runs the vCPUs one at a time)"
fi
case "$ACCEL" in
tcg|kvm) accel=$ACCEL ;;
mttcg)   accel=tcg,thread=multi ;;
*)       die "unknown ACCEL '$ACCEL' (tcg, mttcg or kvm)" ;;
esac

args=(
	-machine pc
	-accel "$accel"
	-cpu "$CPU"
	-smp "$SMP"
	-m "$MEM"
	-no-reboot
	-display none
	-nic none
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
)
if [ "$interactive" = 1 ]; then
	args+=(-serial mon:stdio)
else
	args+=(-serial stdio -monitor none)
fi
if [ -n "$iso" ]; then
	args+=(-cdrom "$iso" -boot d)
else
	# An ELF64 kernel boots under -kernel only through its PVH ELF note.
	args+=(-kernel "$kernel")
	[ -n "$initrd" ] && args+=(-initrd "$initrd")
	[ "$have_append" = 1 ] && args+=(-append "$append")
fi
if [ -n "$gdb" ]; then
	if [ "$gdb" = 1234 ]; then
		args+=(-s -S)
	else
		args+=(-gdb "tcp:127.0.0.1:$gdb" -S)
	fi
fi
[ "$icount" = 1 ] && args+=(-icount shift=0,align=off,sleep=off)
[ "$repeatable" = 1 ] && args+=(-seed 1 -rtc base=2000-01-01T00:00:00,clock=vm)
# shellcheck disable=SC2206  # QEMU_EXTRA is word-split on purpose
[ -n "${QEMU_EXTRA:-}" ] && args+=(${QEMU_EXTRA})

cmd=("$QEMU" "${args[@]}")
if [ -n "$timeout" ]; then
	# --foreground: QEMU keeps the terminal (it puts stdio in raw mode).
	cmd=(timeout --foreground -k 5 "$timeout" "${cmd[@]}")
fi

# Print the command line, quoted so that it can be pasted back into a shell.
line=
for w in "${cmd[@]}"; do
	case "$w" in
	''|*[!A-Za-z0-9_./,=:@%+-]*) w="'${w//\'/\'\\\'\'}'" ;;
	esac
	line+=" $w"
done
echo "+$line" >&2
[ "$dry" = 1 ] && exit 0

# QEMU's own start-up errors also exit with status 1, which would read as
# "kernel code 0". Keep a copy of QEMU's stderr to tell the two apart.
# (fd 3 carries the serial console past the pipe, which takes stderr only.)
errlog=$(mktemp "${TMPDIR:-/tmp}/qemu-stderr.XXXXXX")
trap 'rm -f "$errlog"' EXIT
{ "${cmd[@]}" 2>&1 1>&3 3>&- | tee "$errlog" >&2; } 3>&1
st=${PIPESTATUS[0]}

if [ -n "$timeout" ] && [ "$st" = 124 ]; then
	echo "qemu.sh: timed out after ${timeout}s, QEMU killed" >&2
	exit 124
fi
if [ "$st" = 1 ] && grep -v ': warning: ' "$errlog" | grep -q "^$(basename "$QEMU"): "; then
	echo "qemu.sh: QEMU failed to start (see its message above)" >&2
	exit 126
fi
if [ "$st" = 0 ]; then
	[ "$poweroff_ok" = 1 ] && exit 0
	if grep -q 'Terminated via GDBstub' "$errlog"; then
		echo "qemu.sh: QEMU ended by gdb's kill" >&2
	else
		echo "qemu.sh: kernel did not exit through isa-debug-exit" >&2
	fi
	exit 125
fi
if [ "$st" -lt 128 ] && [ $((st & 1)) = 1 ]; then
	code=$(((st - 1) / 2))
	[ "$code" != 0 ] && echo "qemu.sh: kernel exit code $code" >&2
	exit "$code"
fi
# 128+N: QEMU was killed by signal N (Ctrl-C, the test runner's timeout).
exit "$st"
