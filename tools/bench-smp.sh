#!/usr/bin/env bash
#
# bench-smp.sh - the SMP fault benchmark (`make bench-smp`; docs/testing.md):
# will-it-scale's page_fault1 (user/pf1bench.c) in threads mode (one mm)
# and processes mode, with as many tasks as vCPUs, on
#   fine    our kernel, default (fine-grained) fault locking
#   global  our kernel booted with mm.fault_lock=global: one mm-wide lock
#           held for the whole of every fault
#   poe     our kernel, pf1bench --poe (the POE fast path)
#   linux   Debian's Linux 6.1 (tools/bench-linux.sh), same QEMU machine
# at each vCPU count, plus faultbench's warm POE sweep (per-fault median,
# mean, p99) at each vCPU count.
#
# Timing is the wall clock under MTTCG (ACCEL=mttcg: one host thread per
# vCPU), so the machine's load shows: every configuration runs RUNS times,
# interleaved (run 1 of everything, then run 2, ...), and the report gives
# medians, the spread, and ratios to the 1-vCPU figure of the same run.
# Our kernel boots with norandmaps: every run maps at the same addresses
# (docs/address-space.md), so the layout is not one more source of noise.
#
# Usage: tools/bench-smp.sh
# Environment:
#   BENCH_SMP_CPUS="1 2 4"           vCPU counts
#   BENCH_SMP_VARIANTS="fine global poe linux"
#   BENCH_SMP_RUNS=5                 repetitions
#   BENCH_SMP_ITERS=4                page_fault1 rounds per task
#   BENCH_SMP_MEM=1G                 guest RAM (each task maps 128 MiB)
#   BENCH_TIMEOUT=600                seconds per boot
#   BUILD=build
# Output: $BUILD/bench/smp/ (one log per boot), $BUILD/bench/smp.csv, and
# the report of tools/bench_smp_report.py (table, CSVs, plot).
# Exit status: 0 when every run of our kernel produced its rows.

set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
cd "$repo" || exit 1

BUILD=${BUILD:-build}
CPUS=${BENCH_SMP_CPUS:-1 2 4}
VARIANTS=${BENCH_SMP_VARIANTS:-fine global poe linux}
RUNS=${BENCH_SMP_RUNS:-5}
ITERS=${BENCH_SMP_ITERS:-4}
SMP_MEM=${BENCH_SMP_MEM:-1G}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-600}
dir=$BUILD/bench/smp
mkdir -p "$dir"
rm -f "$dir"/*.log "$dir"/*.err

case "$RUNS" in *[!0-9]*|''|0) echo "bench-smp: BENCH_SMP_RUNS must be a positive number" >&2; exit 2 ;; esac
for v in $VARIANTS; do
	case "$v" in fine|global|poe|linux) ;; *) echo "bench-smp: unknown variant '$v'" >&2; exit 2 ;; esac
done

status=0
ours() { # ours LOG CPUS APPEND-EXTRA PF1-ARGS...
	local log=$1 n=$2 extra=$3
	shift 3
	ACCEL=mttcg SMP=$n MEM=$SMP_MEM bash tools/qemu.sh --timeout "$BENCH_TIMEOUT" \
		--kernel "$BUILD/kernel.elf" --initrd "$BUILD/initrd.tar" \
		--append "loglevel=4 norandmaps $extra init=/bin/$*" </dev/null >"$log" 2>&1
	local st=$?
	if [ "$st" != 0 ]; then
		echo "bench-smp: $log: tools/qemu.sh exit $st" >&2
		status=1
	fi
	# A kernel that does not know an option only warns: its rows would
	# be the default kernel's under another name. Drop them.
	if grep -q "cmdline: unknown parameter" "$log"; then
		echo "bench-smp: $log: the kernel does not know '$extra'; rows dropped" >&2
		mv "$log" "${log%.log}.err"
		status=1
	fi
}

for run in $(seq 1 "$RUNS"); do
	for n in $CPUS; do
		pf1=(pf1bench -- --both --tasks "$n" --iters "$ITERS")
		for v in $VARIANTS; do
			log=$dir/pf1-$v-$n-$run.log
			echo "bench-smp: run $run/$RUNS, $n vCPU(s), $v" >&2
			case "$v" in
			fine)   ours "$log" "$n" "" "${pf1[@]}" ;;
			global) ours "$log" "$n" "mm.fault_lock=global" "${pf1[@]}" ;;
			poe)    ours "$log" "$n" "" "${pf1[@]}" --poe ;;
			linux)
				ACCEL=mttcg SMP=$n MEM=$SMP_MEM BENCH_ICOUNT=0 BENCH_PROG=pf1bench \
				BENCH_LOG=$log BUILD=$BUILD bash tools/bench-linux.sh -- \
					--both --tasks "$n" --iters "$ITERS" >/dev/null 2>&1 ||
					echo "bench-smp: the Linux run failed: $(cat "${log%.log}.err" 2>/dev/null)" >&2
				;;
			esac
		done
		# The warm POE sweep at this vCPU count (per-fault latency).
		echo "bench-smp: run $run/$RUNS, $n vCPU(s), faultbench warm sweep" >&2
		ours "$dir/fb-$n-$run.log" "$n" "" faultbench -- --csv --tput-iters 0 4096
	done
done

python3 tools/bench_smp_report.py --dir "$dir" --out "$BUILD/bench" || status=1
exit $status
