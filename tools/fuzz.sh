#!/usr/bin/env bash
#
# fuzz.sh - the long run of the system-call fuzzer (`make fuzz`;
# docs/testing.md, "Fuzzing the kernel"): user/fuzz.c booted as init,
# once per seed and vCPU count, poe.always=1 for half of the boots, under
# -icount and --repeatable so that a seed repeats exactly. `make test`
# runs a short version of it (step fuzz of tools/run_tests.py).
#
# Each boot fails on: a kernel panic or oops (exit code 2, or the lines),
# the kernel's own complaints about its state (page_alloc, kmalloc,
# mmput, poe and smp warnings), a `fuzz: FAIL` line (a leak, a hang, a
# result the kernel must never give), init killed (the manager), no
# `fuzz: result: PASS`, a console silent for FUZZ_SILENCE host seconds
# (the guest hung), or the host timeout. For a panic or a silent console
# the boot is run again with trace=R from the round R it died in, and the
# calls before the end are printed (FUZZ_RETRACE=0: not).
#
# Usage: tools/fuzz.sh
# Environment (the short names are make fuzz's: make fuzz SEED=7 SMP=2
# POE=always ROUNDS=100):
#   SEED, FUZZ_SEEDS="1 2 3 4"  seeds
#   SMP, FUZZ_SMP="1 2"   vCPU counts
#   POE, FUZZ_POE=half    poe.always=1 when the seed's index plus the vCPU
#                         count's index is odd (each seed and each count
#                         gets both); off (0): never; always (1): always
#   FUZZ_MINUTES=10       virtual minutes per boot (fuzz minutes=)
#   ROUNDS, FUZZ_ROUNDS=0 rounds per boot (0: until FUZZ_MINUTES)
#   FUZZ_ARGS=            more arguments for fuzz (start=R trace=R
#                         round_ms=N workers=N calls=N cpu=0)
#   FUZZ_JOBS=1           boots at once
#   FUZZ_SILENCE=900      host seconds without console output: a hang
#   FUZZ_TIMEOUT=         host seconds per boot (default 60 per virtual
#                         second, at least 1800)
#   FUZZ_RETRACE=1        rerun a panicked or hung boot with trace=R
#   BUILD=build, MEM      as for tools/qemu.sh (ACCEL must be tcg: -icount)
# Output: one line per boot, its log in $BUILD/fuzz-kernel/, and the
# longest interrupts-off section of the boot (every boot gets
# irqsoff.trace=1; kernel/irqsoff.c); for a failed boot, the console
# lines that show why and the command that repeats it.
# Exit status: 0 when every boot passed.

set -u

here=$(cd "$(dirname "$0")" && pwd)
cd "$(dirname "$here")" || exit 1

BUILD=${BUILD:-build}
SEEDS=${FUZZ_SEEDS:-${SEED:-1 2 3 4}}
SMPS=${FUZZ_SMP:-${SMP:-1 2}}
POE=${FUZZ_POE:-${POE:-half}}
MINUTES=${FUZZ_MINUTES:-10}
ROUNDS=${FUZZ_ROUNDS:-${ROUNDS:-0}}
case $POE in
half) ;;
1|always|on|y|yes) POE=1 ;;
0|off|never|n|no) POE=0 ;;
*) echo "fuzz.sh: POE=$POE: half, always or off" >&2; exit 2 ;;
esac
ARGS=${FUZZ_ARGS:-}
JOBS=${FUZZ_JOBS:-1}
SILENCE=${FUZZ_SILENCE:-900}
RETRACE=${FUZZ_RETRACE:-1}
if [ -n "${FUZZ_TIMEOUT:-}" ]; then
	TIMEOUT=$FUZZ_TIMEOUT
else
	TIMEOUT=$((MINUTES * 3600))
	[ "$TIMEOUT" -lt 1800 ] && TIMEOUT=1800
fi
export ACCEL=${ACCEL:-tcg}
if [ "$ACCEL" != tcg ]; then
	echo "fuzz.sh: ACCEL=$ACCEL: the fuzzer runs under -icount, which needs tcg" >&2
	exit 2
fi
for f in "$BUILD/kernel.elf" "$BUILD/initrd.tar"; do
	[ -f "$f" ] || { echo "fuzz.sh: no $f (make kernel initrd)" >&2; exit 2; }
done
dir=$BUILD/fuzz-kernel
mkdir -p "$dir"

# What the kernel prints when its own state is wrong, besides a panic.
COMPLAINTS='Kernel panic - not syncing|Oops: |BUG at |page_alloc: bad free|page_alloc: .* of pfn|kmalloc: .* of .* by|mmput: .* left rss|poe: entry .* (leaked|still reserved)|smp: cross-CPU call with interrupts off|traps: unexpected interrupt|ran again after exiting|init exited with signal'

# run_boot SEED SMP POE EXTRA LOG: one boot; returns QEMU's status, or
# 124 when the console stayed silent for SILENCE seconds.
run_boot() {
	local seed=$1 n=$2 poe=$3 extra=$4 log=$5 append qpid size last t
	append="loglevel=5 irqsoff.trace=1"
	[ "$poe" = 1 ] && append="$append poe.always=1"
	append="$append init=/bin/fuzz -- seed=$seed minutes=$MINUTES rounds=$ROUNDS $ARGS $extra"
	# Its own session, so that the watchdog can kill QEMU and all.
	SMP=$n setsid bash tools/qemu.sh --icount --repeatable --timeout "$TIMEOUT" \
		--kernel "$BUILD/kernel.elf" --initrd "$BUILD/initrd.tar" \
		--append "$append" </dev/null >"$log" 2>&1 &
	qpid=$!
	last=-1
	t=$(date +%s)
	while kill -0 "$qpid" 2>/dev/null; do
		sleep 5
		size=$(stat -c %s "$log" 2>/dev/null || echo 0)
		if [ "$size" != "$last" ]; then
			last=$size
			t=$(date +%s)
		elif [ $(($(date +%s) - t)) -ge "$SILENCE" ]; then
			echo "fuzz.sh: no console output for $SILENCE s: killed" >>"$log"
			kill -TERM -- "-$qpid" 2>/dev/null
			sleep 3
			kill -KILL -- "-$qpid" 2>/dev/null
			wait "$qpid" 2>/dev/null
			return 124
		fi
	done
	wait "$qpid"
}

# The longest interrupts-off section of a boot (user/fuzz.c's totals,
# kernel/irqsoff.c): a figure to read, not a verdict (docs/testing.md).
irqsoff_line() {
	grep -a -o 'fuzz: irqsoff: longest interrupts-off.*' "$1" | tail -n 1 |
		sed 's/^fuzz: irqsoff: /fuzz.sh:   /'
}

# The round a boot was in when it ended: the one after the last finished.
failing_round() {
	local r
	r=$(grep -a -o 'fuzz: round [0-9]*:' "$1" | tail -n 1 | grep -o '[0-9]*')
	if [ -n "$r" ]; then
		echo $((r + 1))
	else
		echo "$ARGS" | grep -o 'start=[0-9]*' | grep -o '[0-9]*' || echo 0
	fi
}

# boot SEED SMP POE: one boot, its verdict line, and why it failed.
boot() {
	local seed=$1 n=$2 poe=$3 name log st start secs why=() totals r
	name=seed$seed-smp$n-poe$poe
	log=$dir/$name.log
	start=$(date +%s)
	run_boot "$seed" "$n" "$poe" "" "$log"
	st=$?
	secs=$(($(date +%s) - start))
	case $st in
	0) ;;
	1) why+=("the fuzzer found something (exit 1)") ;;
	2) why+=("kernel panic (exit 2)") ;;
	124) why+=("hang: killed after ${SILENCE} s of silence or the ${TIMEOUT} s timeout") ;;
	125) why+=("the kernel did not exit through isa-debug-exit (triple fault?)") ;;
	*) why+=("exit status $st (init killed by signal $st?)") ;;
	esac
	grep -aqE "$COMPLAINTS" "$log" && why+=("the kernel complained (below)")
	grep -aq 'fuzz: FAIL' "$log" && why+=("fuzz: FAIL lines (below)")
	grep -aq 'fuzz: result: PASS' "$log" || why+=("no \`fuzz: result: PASS\`")
	totals=$(grep -a -o 'fuzz: totals: .*' "$log" | tail -n 1 | sed 's/^fuzz: totals: //')
	if [ ${#why[@]} = 0 ]; then
		echo "fuzz.sh: $name: PASS in $secs s host: ${totals}"
		grep -a -o 'fuzz: faults only a real CPU raises.*' "$log" |
			sed 's/^fuzz: /fuzz.sh:   /'
		irqsoff_line "$log"
		return 0
	fi
	echo "fuzz.sh: $name: FAIL in $secs s host: ${totals:-no totals}"
	printf 'fuzz.sh:   %s\n' "${why[@]}"
	echo "fuzz.sh:   log: $log"
	grep -a -n -E "$COMPLAINTS|fuzz: FAIL|fuzz:   |fuzz: round [0-9]*: worker" "$log" |
		head -n 80 | sed 's/^/fuzz.sh:   | /'
	r=$(failing_round "$log")
	echo "fuzz.sh:   repeat: make fuzz BUILD=$BUILD SEED=$seed SMP=$n POE=$([ "$poe" = 1 ] && echo always || echo off) ROUNDS=$ROUNDS FUZZ_MINUTES=$MINUTES FUZZ_ARGS=\"$ARGS trace=$r\""
	echo "fuzz.sh:   the round alone: FUZZ_ARGS=\"start=$r rounds=1 trace=$r\" (the rounds before it not run)"
	if [ "$RETRACE" = 1 ] && { [ "$st" = 2 ] || [ "$st" = 124 ] ||
		grep -aqE "$COMPLAINTS" "$log"; }; then
		echo "fuzz.sh:   running it again with trace=$r: $dir/$name-trace.log"
		run_boot "$seed" "$n" "$poe" "trace=$r" "$dir/$name-trace.log"
		echo "fuzz.sh:   the calls before the end of the traced run:"
		grep -a -E "fuzz: trace |$COMPLAINTS" "$dir/$name-trace.log" |
			grep -a -m 1 -B 40 -E "$COMPLAINTS" | sed 's/^/fuzz.sh:   | /'
		grep -aqE "$COMPLAINTS" "$dir/$name-trace.log" ||
			grep -a 'fuzz: trace ' "$dir/$name-trace.log" | tail -n 40 |
			sed 's/^/fuzz.sh:   | /'
	fi
	return 1
}

if [ "$ROUNDS" != 0 ]; then each="$ROUNDS rounds"; else each="$MINUTES virtual minutes"; fi
echo "fuzz.sh: seeds $SEEDS, SMP $SMPS, poe.always=1: $POE, $each each, logs in $dir"
results=$dir/results.$$
: >"$results"
running=0
i=0
for seed in $SEEDS; do
	j=0
	for n in $SMPS; do
		case $POE in
		half) poe=$(((i + j) % 2)) ;;
		1) poe=1 ;;
		0) poe=0 ;;
		esac
		j=$((j + 1))
		if [ "$running" -ge "$JOBS" ]; then
			wait -n
			running=$((running - 1))
		fi
		{ boot "$seed" "$n" "$poe" || echo "seed $seed SMP=$n POE=$poe" >>"$results"; } &
		running=$((running + 1))
	done
	i=$((i + 1))
done
wait
if [ -s "$results" ]; then
	echo "fuzz.sh: FAILED: $(paste -sd, "$results" | sed 's/,/, /g')"
	rm -f "$results"
	exit 1
fi
rm -f "$results"
echo "fuzz.sh: all passed"
