#!/usr/bin/env python3
"""
syscall_coverage.py - which test calls each system call the kernel
implements. Reads the call table (kernel/syscall.c: every __NR_name
there), the numbers (include/uapi/asm/unistd.h, include/uapi/private.h,
include/uapi/poe.h), and the user-space tests (tests/user/*.c and *.h,
tests/posix/*.c and *.h), and prints a Markdown table: number, name, and
the test files that make the call.

A test makes a call when its source names SYS_name or __NR_name, calls
name(...), or calls the libc function that wraps it (ALIASES: glibc's
and our libc's names, e.g. sigaction() for rt_sigaction); a call that
only libc's own start-up makes (set_tid_address, arch_prctl) counts
through the functions that need it (pthread_create, thread_create).

    tools/syscall_coverage.py            the table, then the uncovered
    tools/syscall_coverage.py --check    exit 1 when a call is uncovered

tests/host/test_syscall_coverage.py runs the check in the host step, so
a system call added without a test fails `make test`.
"""

import argparse
import glob
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The libc functions that make each call, where their names differ.
ALIASES = {
    "newfstatat": ["fstatat"],
    "pread64": ["pread"],
    "pwrite64": ["pwrite"],
    "rt_sigaction": ["sigaction", "signal"],
    "rt_sigprocmask": ["sigprocmask", "pthread_sigmask"],
    "rt_sigpending": ["sigpending"],
    "rt_sigsuspend": ["sigsuspend"],
    "rt_sigqueueinfo": ["sigqueue"],
    # A handler's return: every test whose handler returns.
    "rt_sigreturn": ["sigaction"],
    "exit_group": ["exit", "_exit"],
    "exit": ["pthread_exit", "thread_create", "pthread_create"],
    "wait4": ["waitpid", "wait"],
    "clone": ["pthread_create", "thread_create"],
    "getdents64": ["readdir", "getdents"],
    "set_tid_address": ["pthread_create", "thread_create"],
    "arch_prctl": ["pthread_create", "thread_create"],
    "prlimit64": ["getrlimit", "setrlimit", "prlimit"],
    "pselect6": ["pselect"],
    "getcpu": ["sched_getcpu"],
    "clock_gettime": ["time_ns", "clock_gettime"],
    # Run by the kernel itself when a sleep restarts after a handler.
    "restart_syscall": ["clock_nanosleep", "nanosleep"],
    "futex": ["pthread_join", "pthread_mutex_lock", "pthread_cond_wait"],
    "set_robust_list": ["pthread_create"],
    "poe_stats": ["poe_get_stats", "poe_stats_now"],
}

# Calls no test makes on purpose, with the reason the table prints.
EXEMPT = {
    "rseq": "ENOSYS by design (kernel/sys.c); glibc calls it at the "
            "start of every glibc program of the posix step and goes on "
            "without it",
}

TEST_GLOBS = ["tests/user/*.c", "tests/user/*.h", "tests/posix/*.c",
              "tests/posix/*.h"]


def implemented():
    """Every name the call table of kernel/syscall.c maps."""
    with open(os.path.join(REPO, "kernel", "syscall.c")) as f:
        src = f.read()
    return sorted(set(re.findall(r"__NR_([a-z0-9_]+)", src)))


def numbers():
    """name -> number, from the ABI headers."""
    nr = {}
    for h in ("include/uapi/asm/unistd.h", "include/uapi/private.h",
              "include/uapi/poe.h"):
        with open(os.path.join(REPO, h)) as f:
            for m in re.finditer(r"#define\s+__NR_([a-z0-9_]+)\s+(\d+)",
                                 f.read()):
                nr[m.group(1)] = int(m.group(2))
    return nr


def strip_comments(text):
    """C source without its comments, so that a call named only in a
    comment does not count."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def test_sources():
    """path (relative to the repository) -> text without comments."""
    out = {}
    for g in TEST_GLOBS:
        for p in sorted(glob.glob(os.path.join(REPO, g))):
            with open(p) as f:
                out[os.path.relpath(p, REPO)] = strip_comments(f.read())
    return out


def covering(name, sources):
    """The test files that make call name."""
    words = [name] + ALIASES.get(name, [])
    pat = re.compile(r"\b(?:SYS_%s|__NR_%s)\b|\b(?:%s)\s*\(" % (
        re.escape(name), re.escape(name),
        "|".join(re.escape(w) for w in words)))
    return [p for p, text in sources.items() if pat.search(text)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="only report uncovered calls; exit 1 if any")
    args = ap.parse_args(argv)
    nr = numbers()
    sources = test_sources()
    missing = []
    rows = []
    for name in implemented():
        files = covering(name, sources)
        if name not in nr:
            print("syscall_coverage: no number for __NR_%s in the ABI "
                  "headers" % name, file=sys.stderr)
            return 2
        if not files and name not in EXEMPT:
            missing.append(name)
        shown = ", ".join(os.path.basename(p) for p in files[:4])
        if len(files) > 4:
            shown += " and %d more" % (len(files) - 4)
        rows.append((nr[name], name, shown or EXEMPT.get(name, "NONE")))
    if not args.check:
        print("| nr | call | tests that make it |")
        print("|---|---|---|")
        for n, name, shown in sorted(rows):
            print("| %d | `%s` | %s |" % (n, name, shown))
    for name in missing:
        print("syscall_coverage: no test makes %s (%d)" % (name, nr[name]),
              file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
