#!/usr/bin/env bash
#
# cppcheck.sh - static analysis of the C tree with cppcheck (Debian's),
# the half of `make check` that looks for bugs: errors, warnings,
# portability and performance findings. Style findings are left out:
# the compilers' -Wall -Wextra -Werror already hold the style line.
#
# Usage: tools/cppcheck.sh [BUILD_DIR]
#   BUILD_DIR  where cppcheck keeps its cache between runs
#              (default build/cppcheck)
#
# The tree is three programs with three sets of headers, so three runs:
#   kernel  kernel/ mm/ fs/ drivers/ arch/    include/, arch/x86_64/include/
#           tests/kernel/
#   user    libc/ user/ tests/user/           libc/include/, include/uapi/
#   host    tests/host/, tests/fuzz/ (kernel  tests/host/include/ first,
#           code on the host, HOST_TEST)      as tests/host/Makefile does
# Each run checks the one configuration the build uses (-D given), not
# every #ifdef combination. Findings that are not bugs are suppressed
# inline (/* cppcheck-suppress ID ; why */) or in tools/cppcheck.supp,
# always with the reason. Exit status 1 when anything is found.

set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
cache=${1:-build/cppcheck}
CPPCHECK=${CPPCHECK:-cppcheck}

if ! command -v "$CPPCHECK" >/dev/null 2>&1; then
	echo "cppcheck.sh: no $CPPCHECK (tools/install-deps.sh check installs it)" >&2
	exit 1
fi

jobs=$(nproc 2>/dev/null || echo 1)
common=(--quiet --std=c11 --enable=warning,portability,performance
	--inline-suppr --suppressions-list=tools/cppcheck.supp
	--error-exitcode=1 -j "$jobs" -D__GNUC__ -D__x86_64__
	--template='{file}:{line}:{column}: {severity}: {message} [{id}]')

rc=0
run() {
	local name=$1
	shift
	mkdir -p "$cache/$name"
	"$CPPCHECK" "${common[@]}" --cppcheck-build-dir="$cache/$name" "$@" || rc=1
}

run kernel -Iinclude -Iarch/x86_64/include -Iinclude/uapi \
	kernel mm fs drivers arch tests/kernel
run user -Ilibc/include -Iinclude/uapi \
	libc user tests/user
run host -DHOST_TEST -Itests/host/include -Iinclude -Iarch/x86_64/include \
	-Itests/host tests/host tests/fuzz

if [ $rc -ne 0 ]; then
	echo "cppcheck.sh: findings above; fix them, or suppress one that is not a bug with its reason (see tools/cppcheck.supp)" >&2
fi
exit $rc
