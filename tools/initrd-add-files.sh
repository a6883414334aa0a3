#!/usr/bin/env bash
#
# initrd-add-files.sh - copy host files into the initrd's staging tree
# (user.mk's EXTRA_FILES): each SPEC is host-path:/dest/path, split at its
# first ":/"; the file is copied to STAGING/dest/path with its mode, and
# its directories are made (tar then writes a ustar entry for each).
#
# Usage: tools/initrd-add-files.sh STAGING SPEC...
#
# Refused, with one line on stderr saying why, and exit status 1 (nothing
# of the offending SPEC is copied): a SPEC without ":/"; a host path that
# is not a regular file (missing, a directory); a destination with ".",
# ".." or an empty component, or a trailing "/"; one longer than the 255
# bytes of a ustar name and prefix; one that is already in STAGING (a
# program of the initrd, or an earlier SPEC).

set -eu

[ $# -ge 1 ] || { echo "usage: $0 STAGING SPEC..." >&2; exit 2; }
staging=$1
shift

for spec in "$@"; do
	case "$spec" in
	*:/*) ;;
	*) echo "EXTRA_FILES: '$spec' is not host-path:/dest/path" >&2; exit 1 ;;
	esac
	src=${spec%%:/*}
	dest=/${spec#*:/}
	if [ ! -f "$src" ]; then
		echo "EXTRA_FILES: $src: no such regular file on this host" >&2
		exit 1
	fi
	case "$dest/" in
	*/./* | */../* | *//*)
		echo "EXTRA_FILES: $dest: '.', '..' or an empty component in the destination" >&2
		exit 1 ;;
	esac
	if [ ${#dest} -gt 255 ]; then
		echo "EXTRA_FILES: $dest: longer than the 255 bytes a ustar name holds" >&2
		exit 1
	fi
	if [ -e "$staging$dest" ] || [ -L "$staging$dest" ]; then
		echo "EXTRA_FILES: $dest is already in the initrd" >&2
		exit 1
	fi
	mkdir -p "$(dirname "$staging$dest")"
	cp --preserve=mode "$src" "$staging$dest"
done
