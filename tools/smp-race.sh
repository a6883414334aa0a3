#!/usr/bin/env bash
#
# smp-race.sh - the long run of the SMP race tests (`make test-smp-race`;
# docs/testing.md): each tests/user/t_smp_* test, booted as init with a
# large round count, at each vCPU count, under MTTCG so that the vCPUs
# really run at the same time. `make test` runs the same tests with their
# short default counts.
#
# Usage: tools/smp-race.sh
# Environment:
#   RACE_ROUNDS=10000      rounds per test
#   RACE_SMP="2 4"         vCPU counts
#   RACE_TESTS="t_smp_shootdown t_smp_fault_race t_smp_fork_race t_smp_migrate t_smp_poe_exit"
#   RACE_TIMEOUT=3600      seconds per boot
#   ACCEL=mttcg, MEM=512M  as for tools/qemu.sh
#   BUILD=build
# Exit status: 0 when every run passed; the failing runs are listed.

set -u

here=$(cd "$(dirname "$0")" && pwd)
cd "$(dirname "$here")" || exit 1

BUILD=${BUILD:-build}
ROUNDS=${RACE_ROUNDS:-10000}
SMPS=${RACE_SMP:-2 4}
TESTS=${RACE_TESTS:-t_smp_shootdown t_smp_fault_race t_smp_fork_race t_smp_migrate t_smp_poe_exit}
TIMEOUT=${RACE_TIMEOUT:-3600}
export ACCEL=${ACCEL:-mttcg} MEM=${MEM:-512M}
dir=$BUILD/race
mkdir -p "$dir"
failed=()

for n in $SMPS; do
	for t in $TESTS; do
		r=$ROUNDS
		log=$dir/$t-smp$n.log
		start=$(date +%s)
		SMP=$n bash tools/qemu.sh --timeout "$TIMEOUT" --kernel "$BUILD/kernel.elf" \
			--initrd "$BUILD/initrd.tar" \
			--append "loglevel=4 init=/bin/$t -- $r" </dev/null >"$log" 2>&1
		st=$?
		verdict=$(grep -a "# $t: \(all [0-9]* checks passed\|[0-9]* of [0-9]* checks failed\)" "$log" | tail -n 1)
		echo "smp-race: SMP=$n $t $r rounds: exit $st in $(( $(date +%s) - start )) s: ${verdict:-no verdict}"
		if [ "$st" != 0 ] || ! grep -aq "# $t: all [0-9]* checks passed" "$log"; then
			failed+=("SMP=$n $t (log: $log)")
		fi
	done
done
if [ ${#failed[@]} -gt 0 ]; then
	printf 'smp-race: FAILED: %s\n' "${failed[@]}"
	exit 1
fi
echo "smp-race: all passed"
