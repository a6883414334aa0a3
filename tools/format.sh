#!/usr/bin/env bash
#
# format.sh - clang-format (with the repository's .clang-format) over the
# C tree: every *.c and *.h that git tracks under kernel/ mm/ fs/ drivers/ arch/
# include/ libc/ user/ tests/. Nothing there is generated (build/ksyms.c
# lives in build/), so there is nothing to exclude.
#
# Usage: tools/format.sh [--check | --diff | --list] [FILE...]
#   (none)   format the files in place
#   --check  change nothing; print each file that would change and fail
#            if any would (`make check` runs this: clang-format --dry-run
#            -Werror)
#   --diff   change nothing; print the diff a format would make and its
#            size in changed lines
#   --list   print the files this script works on
#   FILE...  only these files (default: the whole C tree)
#
# CLANG_FORMAT=clang-format-14 picks another binary. The configuration is
# written for clang-format 14, Debian 12's and so CI's: other versions
# format a few constructs differently, so --check names the version it ran.

set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
DIRS=(kernel mm fs drivers arch include libc user tests)

mode=inplace
case "${1:-}" in
--check)	mode=check; shift ;;
--diff)		mode=diff; shift ;;
--list)		mode=list; shift ;;
-h|--help)	sed -n '/^# Usage:/,/^# which/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
-*)		echo "format.sh: unknown option $1" >&2; exit 2 ;;
esac

files=()
if [ $# -gt 0 ]; then
	files=("$@")
elif git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	mapfile -t files < <(git ls-files -- "${DIRS[@]/%//*.c}" "${DIRS[@]/%//*.h}")
else
	mapfile -t files < <(find "${DIRS[@]}" -name '*.[ch]' | sort)
fi

if [ "$mode" = list ]; then
	printf '%s\n' "${files[@]}"
	exit 0
fi

if ! command -v "$CLANG_FORMAT" >/dev/null 2>&1; then
	echo "format.sh: no $CLANG_FORMAT (tools/install-deps.sh check installs it)" >&2
	exit 1
fi

case "$mode" in
inplace)
	"$CLANG_FORMAT" -i --style=file "${files[@]}"
	;;
check)
	# One line per file that is not formatted; clang-format's own
	# warnings (one per replacement) can run to thousands.
	log=$(mktemp)
	trap 'rm -f "$log"' EXIT
	rc=0
	"$CLANG_FORMAT" --dry-run -Werror --style=file "${files[@]}" >"$log" 2>&1 || rc=$?
	mapfile -t bad < <(sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' "$log" |
		awk '!seen[$0]++')
	if [ ${#bad[@]} -gt 0 ]; then
		printf '  not formatted: %s\n' "${bad[@]:0:30}"
		[ ${#bad[@]} -le 30 ] || echo "  ... and $((${#bad[@]} - 30)) more (tools/format.sh --diff shows them)"
		echo "format.sh: ${#bad[@]} of ${#files[@]} files are not formatted ($("$CLANG_FORMAT" --version | sed 's/.*version //')); run tools/format.sh (make format) and commit the result" >&2
		exit 1
	elif [ $rc -ne 0 ]; then
		head -20 "$log" >&2
		echo "format.sh: $CLANG_FORMAT failed (exit $rc)" >&2
		exit 1
	fi
	;;
diff)
	total=0
	for f in "${files[@]}"; do
		d=$("$CLANG_FORMAT" --style=file "$f" | diff -u --label "a/$f" --label "b/$f" "$f" - || true)
		[ -n "$d" ] || continue
		printf '%s\n' "$d"
		n=$(printf '%s\n' "$d" | tail -n +3 | grep -c '^[-+]' || true)
		total=$((total + n))
	done
	echo "format.sh: a format would change $total lines (added + removed)" >&2
	;;
esac
