#!/usr/bin/env python3
"""
run_tests.py - the test runner behind `make test` (docs/testing.md).

Runs, in this order, and counts every result as one test:

  host   every build/host/test_* (cmocka) with CMOCKA_MESSAGE_OUTPUT=TAP;
         each TAP result counts, results a crash cut off count as failures
  fuzzhost  the libFuzzer harnesses of tests/fuzz/ (build/fuzz/fuzz_*,
         make fuzz-host-build): each replays its corpus tests/fuzz/corpus/
         NAME/ (regression inputs included), then fuzzes --fuzz-runs
         inputs from it with a fixed seed; two results per harness, and
         a crash, sanitizer report, timeout or broken contract fails
  ktest  boots the kernel with test=all (tools/qemu.sh --kernel) and parses
         its KTAP; every serial line is echoed as it arrives
  smp    every kernel suite again on several CPUs (docs/smp.md): with SMP=2
         and again with SMP=4, (1) test=all under -icount, where the CPUs
         take turns on one virtual clock, so the timing tests hold however
         loaded the host is; (2) test=smp without -icount, the CPUs running
         in parallel (QEMU's multi-threaded TCG) as on real hardware; (3)
         the plain and mm user tests (usertests plain mm), in parallel
         too, so that the t_smp_* races are real, ending with usertests'
         free-page baseline check; and once more at SMP=2 with
         mm.fault_lock=global, the mmap_lock suite under -icount, where
         mmap_lock.global_fault_lock_waits_for_a_reader must run and
         pass. The boots under -icount, (1) and mm.fault_lock=global,
         come first. Each boot must print `smp: N CPUs online` with its N
  smppoe the poe user tests, and every user test with poe.always=1, at
         SMP=2 and SMP=4, in parallel (make test-smp runs smp, smppoe
         and usmp); each boot must print `smp: N CPUs online` too
  usmp   the plain and mm user tests at SMP=2 under -icount, where QEMU
         runs the two vCPUs in turn: a test that waits for a task on the
         other CPU must let QEMU switch (docs/testing.md, "Several CPUs
         under -icount"), or it hangs here; must print `smp: 2 CPUs
         online`
  oops   boots with test=oops_pf: passes only when the decoded #PF error
         code, a symbolized Call Trace (ktest_pf_oops_trigger, kmain) and the
         panic line appear and the kernel exits with code 2
  cmdline boots with command lines a user gets wrong: init=bin/sh
         (relative) and an empty init= must print why and exit with code
         3, not run the default job and exit 0; poe.always=yes must mean
         on (Linux's booleans: poestat shows proc_enabled 1) and
         poe.always=maybe be rejected with a console line; a command line
         over 1,023 bytes is truncated with a warning and the kernel
         boots and exits 0; t_aslr sees a new layout at every exec
         without norandmaps and the same one with it. Every other boot
         gets norandmaps, so that it repeats exactly under -icount
  iso    boots build/os.iso through GRUB (the `make run` path): banner,
         `Memory: N KiB RAM` equal to QEMU's -m, the default job's
         faultbench table (`faultbench --table`) from its header row to
         its last line (the note on what a tick means), not one `FB,`
         line (those are for make bench), exit code 0
  gdb    starts QEMU halted with a gdb stub and runs gdb in batch mode,
         twice. The default job: `hbreak mem_map_init`, `continue`, `bt`
         must show mem_map_init and kmain; then, stopped on the return of
         show_free_areas(), the freepages helper (tools/gdb/mm.py) must
         print the kernel's line order by order. init=/bin/pfdemo (one POE
         fast-path fault, one full-handler fault, then the kernel's mm
         dump, fault_stats, poe_stats and meminfo, then a SIGSEGV):
         stopped on the return of each of those calls, vmas, pagewalk,
         tasks, freepages, faultstats and poe-table must agree field by
         field with what the kernel printed there, and pf-trace's lines
         with the SIGSEGV line and the faults pfdemo made; seven results
  ulinux builds tests/user/*.c with the host compiler against glibc into
         build/ulinux/ and runs the harness there on this Linux host
         (build/ulinux/usertests build/ulinux all); each KTAP result counts,
         the meminfo check is a SKIP on Linux
  ulinuxvm (only with --only; make test-linux-vm) the same tests, built
         -static, on Debian's Linux 6.1, the kernel make bench boots
         (tools/fetch-linux.sh downloads it into --linux once): packed
         with usertests and tools/linux-init.c as /init into a gzipped
         cpio initramfs, booted by tools/qemu.sh as tools/bench-linux.sh
         boots it (MEM from --ulinuxvm-mem); the KTAP is parsed as
         ulinux's, the exit status is the one linux-init prints before
         it powers off; --ulinuxvm-tests narrows it
  ulibc  runs the user tests built against our libc (make user:
         build/user/bin/usertests build/user/bin all) on this Linux host: our
         ABI is Linux's, so the static binaries run unchanged
  user   boots the kernel with build/initrd.tar and init=/bin/usertests
         (tools/qemu.sh --kernel ... --initrd ...) and parses its KTAP;
         the kernel exits with init's status (0: all passed)
  upoe   the same user tests again with poe.always=1: every program runs
         with the POE pipeline on, so every mm semantics test also checks
         that POE changes no memory contents; then the poe tests once more
         with poe.walker=c, on the C walker (the #PF stub runs the
         assembly one by default), which must say so on the console
  posix  the real-libc tests (tests/posix/p_*.c, make posix): each built
         static with musl and with glibc (p_pie* as static PIEs instead)
         into build/posix/VARIANT/NAME, run natively on this Linux host
         (each must exit 0 and print PASS NAME), then all in one boot of
         the kernel, init=/bin/posixrun, where each must exit 0 and print
         the same ok/not ok/PASS lines as on Linux; POSIX_XFAIL lists the
         programs expected to fail on the kernel (reported XFAIL; one that
         passes is a failure); then once more at SMP=2 without -icount
         (KERNEL_BOOTS), results named "... on the kernel at SMP=2"
  busybox tests/busybox/run.sh under a static busybox (--busybox,
         /bin/busybox): run natively with `busybox sh` in a temporary
         directory (the oracle), then booted as init from a copy of the
         initrd with /bin/busybox and tests/busybox/ added as /busybox/
         (init=/bin/busybox -- sh /busybox/run.sh /tmp/bb); each case's
         lines must equal the host's; BUSYBOX_XFAIL lists the cases
         expected to differ (reported XFAIL; one that passes is a
         failure); then once more at SMP=2 without -icount, as posix.
         A missing busybox fails the step
  fuzz   the system-call fuzzer (user/fuzz.c) booted as init, a short run
         of make fuzz: seed 1 at SMP=1 and seed 2 at SMP=2 with
         poe.always=1, a fixed number of rounds each, under -icount and
         --repeatable; each boot passes when it ends with `fuzz: result:
         PASS`, exit code 0, no panic, no `fuzz: FAIL` line (a leak, a
         hang, a result the kernel must never give) and none of the
         kernel's complaints about its own state; every system call of
         the fuzzer's table must have been made, and (irqsoff.trace=1)
         the longest interrupts-off section must be reported, and is
         printed; then seed 1 again, which must draw the same calls (the
         same program hash and counts)

  labs   every lab of labs/ (labs/README.md), proven: make grade on this
         tree (the reference solution) scores full marks; the lab's
         skeleton (tools/lab.py) builds with -Werror in a temporary tree
         (compiling only what the skeleton changed: every other object
         is this tree's, seed_lab_build()), and make grade on it scores below full marks and 0 on each of
         the lab's core tests. Only the lab's own tests boot, with this
         tree's initrd when no lab region is in user space

Every step but ulinuxvm runs by default (DEFAULT_STEPS); --only picks
some. user and upoe each run in a runner process of their own beside
boots under -icount (BESIDE: user beside smp's, which come first, upoe
beside usmp), their results reported when they end; no boot with its
CPUs in parallel runs beside them (end_beside()).

A hang (per-boot timeout), a panic, a missing KTAP header or plan line, a
result missing from the plan, or an unexpected exit code is a failure, never
a pass. Every QEMU process is killed on the way out. Prints `ok`/`not ok`
per test as it completes; the last line is `N passed, N failed` (skipped
tests are reported on the line before it and counted in neither). Exit
status 1 when anything failed.

Python 3 standard library only.
"""

import argparse
import concurrent.futures
import difflib
import gzip
import os
import queue
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

TOOLS = os.path.dirname(os.path.abspath(__file__))
QEMU_SH = os.path.join(TOOLS, "qemu.sh")

# Every step, in the order they run; DEFAULT_STEPS when --only is not given.
STEPS = ("host", "fuzzhost", "ulinux", "ulinuxvm", "ulibc", "ktest", "smp",
         "smppoe", "usmp", "user", "upoe", "posix", "busybox", "poison",
         "fuzz", "labs", "oops",
         "cmdline", "iso", "gdb")
# ulinuxvm only when asked for (make test-linux-vm): a download and a long
# boot, which would push make test past its time.
DEFAULT_STEPS = tuple(s for s in STEPS if s != "ulinuxvm")
STEP_ALIASES = {"kernel": "ktest", "oops_pf": "oops", "grub": "iso",
                "usertests": "user", "glibc": "ulinux", "libfuzzer": "fuzzhost",
                "syscalls": "fuzz", "libc": "posix"}
# The harnesses of tests/fuzz/, in the order the fuzzhost step runs them.
FUZZ_TARGETS = ("elf", "initrd", "cmdline", "vsprintf")
REPO = os.path.dirname(TOOLS)

# A TAP/KTAP result line. cmocka writes `ok 1 - name` and, for a skipped
# test, `not ok 3 # SKIP name`; the kernel writes `ok 1 suite.name` and
# `ok 3 suite.name # SKIP reason`.
RESULT_RE = re.compile(
    r"^(?P<ok>ok|not ok)\s+(?P<num>\d+)\b\s*(?:-\s*)?(?P<name>[^#]*?)\s*"
    r"(?:#\s*(?P<directive>SKIP|TODO)\b\s*(?P<reason>.*))?\s*$", re.IGNORECASE)
PLAN_RE = re.compile(r"^1\.\.(\d+)\s*(?:#.*)?$")
KTAP_HEADER_RE = re.compile(r"^KTAP version 1\s*$")
PANIC_RE = re.compile(r"Kernel panic - not syncing:\s*(.*)")
ANSI_RE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[@-_])")

# What the oops_pf boot must print (see the kernel's ktest_pf_oops).
OOPS_ERROR_RE = re.compile(
    r"error 0x[0-9a-f]+ \[P=0 W=0 U=0 RSVD=0 I/D=0\]")
OOPS_TRACE_RE = re.compile(r"Call Trace:")
OOPS_TRIGGER_RE = re.compile(
    r"\[<[0-9a-f]+>\]\s+ktest_pf_oops_trigger\+0x[0-9a-f]+")
OOPS_KMAIN_RE = re.compile(r"\[<[0-9a-f]+>\]\s+kmain\+0x[0-9a-f]+")

# The boot line of smp_init() (arch/x86_64/smpboot.c).
SMP_ONLINE_RE = re.compile(r"\bsmp: (\d+) CPUs? online\b")
SMP_SIZES = (2, 4)  # the step's SMP= values

BANNER_RE = re.compile(r"(?:^|\s)POE kernel\b")
MEMORY_RE = re.compile(r"Memory:\s*(\d+)\s*KiB RAM")
# The default job's `faultbench --table` (user/faultbench.c): the table's
# header row, and its last line (TABLE_END_NOTE: what a tick means).
FB_TABLE_HEAD_RE = re.compile(r"^faultbench: mode\s+kind\s+pages\b")
FB_TABLE_END_RE = re.compile(r"^faultbench: ticks under plain TCG .*make bench")

# Kernel exit codes (isa-debug-exit) and qemu.sh's own statuses.
EXIT_NAMES = {
    0: "success",
    1: "a test failed",
    2: "panic",
    3: "init= unusable",
    124: "qemu.sh timeout",
    125: "kernel did not exit through isa-debug-exit (triple fault?)",
    126: "QEMU failed to start",
}


def describe_exit(code):
    if code is None:
        return "unknown (still running)"
    if code < 0:
        return "none: killed by signal %d" % -code
    if code in EXIT_NAMES:
        return "%d (%s)" % (code, EXIT_NAMES[code])
    if code > 128:
        return "%d (signal %d)" % (code, code - 128)
    return str(code)


class Reporter:
    """Numbers results across all steps and keeps the totals."""

    def __init__(self):
        self.n = 0
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []

    def ok(self, name):
        self.n += 1
        self.passed += 1
        out("ok %d %s" % (self.n, name))

    def skip(self, name, reason):
        self.n += 1
        self.skipped += 1
        out("ok %d %s # SKIP %s" % (self.n, name, reason))

    def fail(self, name, why=()):
        self.n += 1
        self.failed += 1
        self.failures.append(name)
        out("not ok %d %s" % (self.n, name))
        for w in why:
            out("# %s" % w)

    def check(self, name, problems):
        if problems:
            self.fail(name, problems)
        else:
            self.ok(name)


def out(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def clean_line(raw):
    s = raw.decode("utf-8", "replace")
    s = ANSI_RE.sub("", s)
    s = s.replace("\r", "").rstrip("\n")
    return "".join(c for c in s if c == "\t" or c >= " ")


# --- process handling -------------------------------------------------------

LIVE = set()   # Popen objects whose process groups we must kill on exit


def spawn(cmd, **kw):
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                         start_new_session=True, **kw)
    LIVE.add(p)
    return p


def kill_group(p, grace=3.0):
    """Terminate p's whole process group (qemu.sh, QEMU, tee, timeout)."""
    if p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            p.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(p.pid, signal.SIGKILL)   # stragglers in the group
    except (ProcessLookupError, PermissionError):
        pass
    try:
        p.wait(grace)
    except subprocess.TimeoutExpired:
        pass
    LIVE.discard(p)


def kill_all():
    for p in list(LIVE):
        kill_group(p, grace=1.0)


def on_signal(signum, frame):
    kill_all()
    out("# interrupted by signal %d" % signum)
    sys.exit(128 + signum)


def run_stream(cmd, timeout, on_line, env=None, prefix="  | ", echo=True):
    """
    Run cmd (stdout and stderr merged), echo each line with prefix as it
    arrives (unless echo is False) and hand it to on_line. Kills the process
    group after timeout seconds. Returns (exit status or None, timed_out).
    """
    p = spawn(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    q = queue.Queue()

    def reader():
        for raw in iter(p.stdout.readline, b""):
            q.put(raw)
        q.put(None)

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    deadline = time.monotonic() + timeout
    timed_out = False
    eof = False

    def handle(raw):
        line = clean_line(raw)
        if echo:
            out(prefix + line)
        on_line(line)

    while not eof:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        try:
            item = q.get(timeout=min(remaining, 1.0))
        except queue.Empty:
            continue
        if item is None:
            eof = True
        else:
            handle(item)
    if timed_out:
        out("# timed out after %ss, killing %s" % (timeout, cmd[0]))
        kill_group(p)
    else:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            kill_group(p)
    t.join(2)
    while True:           # lines that arrived while we were killing
        try:
            item = q.get_nowait()
        except queue.Empty:
            break
        if item is not None:
            handle(item)
    kill_group(p, grace=1.0)
    return p.returncode, timed_out


def qemu_cmd(args, *qargs, timeout=None, randmaps=False):
    """tools/qemu.sh with a backstop timeout in case this runner dies
    (timeout: the runner's own, default --timeout). The kernel's command
    line (--append) gets `norandmaps` first, unless randmaps: every exec
    then lays the program out the same way (docs/address-space.md), so
    that an -icount boot repeats exactly, failures included; the cmdline
    step tests the randomization itself, and its command lines as they
    are typed."""
    qargs = list(qargs)
    if not randmaps and "--append" in qargs:
        i = qargs.index("--append") + 1
        qargs[i] = "norandmaps " + qargs[i]
    return [args.qemu, "--timeout",
            str(int(timeout or args.timeout) + 30)] + qargs


# --- host unit tests ----------------------------------------------------------

def host_binaries(d):
    if not os.path.isdir(d):
        return None
    bins = []
    for f in sorted(os.listdir(d)):
        path = os.path.join(d, f)
        if (f.startswith("test_") and os.path.isfile(path)
                and os.access(path, os.X_OK) and "." not in f):
            bins.append(path)
    return bins


def run_host(args, rep):
    out("# === host unit tests (%s)" % args.host)
    bins = host_binaries(args.host)
    if not bins:
        rep.fail("host: test binaries", [
            "no executable test_* in %s (did `make` build the host tests?)"
            % args.host])
        return
    env = dict(os.environ)
    env["CMOCKA_MESSAGE_OUTPUT"] = "TAP"
    # Undefined behaviour must fail a test, not just print a warning.
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    env.setdefault("ASAN_OPTIONS", "abort_on_error=0")
    # The host tests of the Python tools (tests/host/test_*.py) print TAP
    # as the cmocka programs do.
    hostdir = os.path.join(REPO, "tests", "host")
    bins += sorted(os.path.join(hostdir, f) for f in os.listdir(hostdir)
                   if f.startswith("test_") and f.endswith(".py"))
    for b in bins:
        run_host_binary(args, rep, b, env)


def run_host_binary(args, rep, path, env):
    base = os.path.basename(path)
    out("# --- %s" % path)
    st = {"plans": 0, "results": 0, "failed": 0, "last_plan_seen": False}

    def on_line(line):
        # Echo what the result lines below do not restate: diagnostics,
        # printk output, sanitizer reports.
        m = PLAN_RE.match(line)
        if m:
            st["plans"] += int(m.group(1))
            return
        m = RESULT_RE.match(line)
        if not m:
            out("  | " + line)
            return
        st["results"] += 1
        name = m.group("name") or ""
        directive = (m.group("directive") or "").upper()
        reason = (m.group("reason") or "").strip()
        if directive in ("SKIP", "TODO"):
            # cmocka: `not ok 3 # SKIP name`
            rep.skip("host/%s: %s" % (base, name or reason or m.group("num")),
                     directive.lower())
        elif m.group("ok").lower() == "ok":
            rep.ok("host/%s: %s" % (base, name))
        else:
            st["failed"] += 1
            rep.fail("host/%s: %s" % (base, name))

    rc, timed_out = run_stream([path], args.timeout, on_line, env=env,
                               echo=False)
    missing = st["plans"] - st["results"]
    why = []
    if timed_out:
        why.append("timed out after %ss" % args.timeout)
    elif rc != 0:
        why.append("exit status %s" % describe_exit(rc))
    for i in range(max(missing, 0)):
        rep.fail("host/%s: result %d of %d missing" %
                 (base, st["results"] + i + 1, st["plans"]),
                 why if i == 0 else [])
    if st["plans"] == 0 and st["results"] == 0:
        rep.fail("host/%s: no TAP output" % base,
                 why + ["is it a cmocka program?"])
    elif missing < 0:
        rep.fail("host/%s: more results than planned" % base)
    elif missing == 0 and rc != 0 and st["failed"] == 0:
        # Every test passed but the program failed: a sanitizer report
        # after the tests (LeakSanitizer), exit() from a test, ...
        rep.fail("host/%s: exit status" % base,
                 why + ["all results ok, but the program failed"])


# --- fuzz harnesses (libFuzzer) ---------------------------------------------

# libFuzzer's closing line: `#3000 DONE cov: 132 ft: 334 corp: 51/15627b ...`
FUZZ_DONE_RE = re.compile(r"^#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+) corp: (\S+)")
# Lines that say why a harness failed.
FUZZ_WHY_RE = re.compile(r"contract broken|ERROR: |runtime error|SUMMARY: |"
                         r"Test unit written to|^==\d+==")


def run_fuzzhost(args, rep):
    out("# === fuzz harnesses (%s)" % args.fuzz)
    no_core_dumps()
    for name in FUZZ_TARGETS:
        binary = os.path.join(args.fuzz, "fuzz_" + name)
        corpus = os.path.join(REPO, "tests", "fuzz", "corpus", name)
        label = "fuzzhost/%s" % name
        if not os.access(binary, os.X_OK):
            rep.fail(label, ["no %s (did `make fuzz-host-build` run?)"
                             % binary])
            continue
        files = sorted(os.path.join(corpus, f) for f in os.listdir(corpus))
        if not files:  # without arguments libFuzzer would fuzz forever
            rep.fail(label, ["no inputs in %s" % corpus])
            continue
        # 1. Every input as it is (fuzz_init(): replayed, not narrowed).
        why = []

        def keep_why(line, why=why):
            if FUZZ_WHY_RE.search(line):
                why.append(line)

        rc, timed_out = run_stream([binary] + files, args.timeout, keep_why,
                                   echo=False)
        rep.check("%s: corpus (%d inputs)" % (label, len(files)),
                  fuzz_problems(rc, timed_out, args.timeout, why))
        # 2. Fuzzing from the corpus: a fresh scratch directory for new
        #    inputs (never the tree's), a fixed seed, a fixed number of runs.
        scratch = os.path.join(args.fuzz, "smoke", name)
        crashdir = os.path.join(args.fuzz, "crash")
        shutil.rmtree(scratch, ignore_errors=True)
        os.makedirs(scratch)
        os.makedirs(crashdir, exist_ok=True)
        why, st = [], {}

        def on_line(line, why=why, st=st):
            keep_why(line, why)
            m = FUZZ_DONE_RE.match(line)
            if m:
                st["done"] = m.groups()

        t0 = time.monotonic()
        rc, timed_out = run_stream(
            [binary, "-runs=%d" % args.fuzz_runs, "-seed=1", "-timeout=25",
             "-rss_limit_mb=2048", "-print_final_stats=1",
             "-artifact_prefix=%s/%s-" % (crashdir, name), scratch, corpus],
            args.timeout, on_line, echo=False)
        problems = fuzz_problems(rc, timed_out, args.timeout, why)
        if not problems and "done" not in st:
            problems = ["no `DONE` line: did libFuzzer run at all?"]
        if "done" in st:
            runs, cov, ft, corp = st["done"]
            dt = time.monotonic() - t0
            out("# %s: %s runs in %.1fs (%.0f/s, start-up included), "
                "cov %s, ft %s, corpus %s"
                % (label, runs, dt, int(runs) / dt, cov, ft, corp))
        rep.check("%s: %d runs" % (label, args.fuzz_runs), problems)


def fuzz_problems(rc, timed_out, timeout, why):
    if timed_out:
        return ["timed out after %ss" % timeout] + why[:20]
    if rc != 0:
        return ["exit status %s" % describe_exit(rc)] + why[:20]
    return []


# --- in-kernel tests (KTAP) ----------------------------------------------------

class KtapParser:
    """Flat KTAP v1 from the serial console, reported as it arrives."""

    def __init__(self, rep, label):
        self.rep = rep
        self.label = label
        self.header = False
        self.plan = None
        self.seen = set()
        self.failed = 0
        self.problems = []
        self.panic = None

    def feed(self, line):
        m = PANIC_RE.search(line)
        if m and self.panic is None:
            self.panic = m.group(1).strip() or "(no reason)"
        if KTAP_HEADER_RE.match(line):
            if self.header:
                self.problems.append("second KTAP header (kernel rebooted?)")
            self.header = True
            return
        m = PLAN_RE.match(line)
        if m:
            if self.plan is not None:
                self.problems.append("second plan line %r" % line)
            else:
                self.plan = int(m.group(1))
            return
        m = RESULT_RE.match(line)
        if not m:
            return
        num = int(m.group("num"))
        name = "%s: %s" % (self.label, m.group("name") or "#%d" % num)
        directive = (m.group("directive") or "").upper()
        if not self.header or self.plan is None:
            self.problems.append("result before KTAP header/plan: %r" % line)
        if num in self.seen:
            self.rep.fail(name, ["duplicate result number %d" % num])
            self.failed += 1
            return
        self.seen.add(num)
        if self.plan is not None and num > self.plan:
            self.rep.fail(name, ["result %d is beyond the plan 1..%d" %
                                 (num, self.plan)])
            self.failed += 1
        elif directive in ("SKIP", "TODO"):
            self.rep.skip(name, (m.group("reason") or directive).strip())
        elif m.group("ok").lower() == "ok":
            self.rep.ok(name)
        else:
            self.failed += 1
            self.rep.fail(name)


def icount_args():
    """--icount under TCG (the default); KVM has no instruction counting."""
    return ["--icount"] if os.environ.get("ACCEL", "tcg") == "tcg" else []


def run_ktest(args, rep):
    cmdline = "test=%s" % args.ktest
    out("# === in-kernel tests: %s" % cmdline)
    if not os.path.isfile(args.kernel):
        rep.fail("ktest: boot", ["no kernel image %s (run make)" % args.kernel])
        return
    k = KtapParser(rep, "ktest")
    # -icount: virtual time then advances with guest instructions only, so
    # the timing tests (sleeps, delayed work "at most one tick late") see
    # the same clock however loaded the host is (docs/testing.md).
    rc, timed_out = run_stream(
        qemu_cmd(args, *icount_args(), "--kernel", args.kernel, "--append", cmdline),
        args.timeout, k.feed)

    finish_ktap(rep, "ktest", k, rc, timed_out, args.timeout,
                run_name="ktest: boot (%s)" % cmdline,
                empty_plan="test=%s selected no test" % args.ktest)


def smp_boot(args, rep, n, label, cmdline, icount, initrd=False,
             empty_plan=None, timeout=None, must_run=()):
    """One SMP=n boot of a KTAP-printing kernel run (test=... or
    usertests), its results under label, and its `smp: n CPUs online`;
    timeout in seconds (default --timeout). must_run names results
    (suite.name) that must come and not be skipped: the tests the boot's
    command line is for."""
    timeout = timeout or args.timeout
    if not icount:
        end_beside(rep)  # nothing runs beside CPUs in parallel (BESIDE)
    out("# === %s: SMP=%d %s%s" % (label, n, "--icount " if icount else "",
                                    cmdline))
    k = KtapParser(rep, label)
    oom = OomLines()
    online = []
    ran = {}  # result name -> its SKIP reason, or None

    def on_line(line):
        oom.feed(line)
        m = SMP_ONLINE_RE.search(line)
        if m:
            online.append(int(m.group(1)))
        m = RESULT_RE.match(line)
        if m:
            skipped = (m.group("directive") or "").upper() == "SKIP"
            ran[m.group("name")] = (m.group("reason") or "SKIP").strip() \
                if skipped else None
        k.feed(line)

    env = dict(os.environ)
    env["SMP"] = str(n)
    opts = (icount_args() if icount else []) + ["--kernel", args.kernel]
    if initrd:
        opts += ["--initrd", args.initrd]
    rc, timed_out = run_stream(
        qemu_cmd(args, *opts, "--append", cmdline, timeout=timeout),
        timeout, on_line, env=env)
    finish_ktap(rep, label, k, rc, timed_out, timeout,
                run_name="%s: boot (%s)" % (label, cmdline),
                empty_plan=empty_plan)
    if initrd:  # the user tests (the ktests kill fake tasks of their own)
        oom.check(rep, label)
    rep.check("%s: boot line `smp: %d CPUs online`" % (label, n),
              [] if online == [n] else
              ["expected one line `smp: %d CPUs online`, saw %s" %
               (n, ", ".join("`smp: %d`" % c for c in online) or "none")])
    for name in must_run:
        rep.check("%s: %s ran" % (label, name),
                  ["no result for %s" % name] if name not in ran else
                  ["skipped (%s)" % ran[name]] if ran[name] else [])


# The boots of the two SMP steps, each made at every size of SMP_SIZES:
# (label after "smpN ", kernel command line, --icount, with the initrd,
# timeout in units of --timeout).
SMP_BOOTS = (
    # Every kernel suite, the CPUs taking turns on one virtual clock.
    ("ktest", "test=all", True, False, 1),
    # The smp suite again with the CPUs in parallel.
    ("parallel", "test=smp", False, False, 1),
    # The t_smp_* races and the free-page baseline, in parallel: 50 to
    # 100 s at SMP=4 on a loaded 2-core host, too close to one timeout.
    ("user", "init=/bin/usertests -- /bin plain mm", False, True, 2),
)
SMPPOE_BOOTS = (
    ("poe", "init=/bin/usertests -- /bin poe", False, True, 1),
    # Every user test: 40 to 100 s at SMP=4 on a loaded 2-core host,
    # too close to one timeout.
    ("upoe", "poe.always=1 init=/bin/usertests -- /bin all", False, True,
     2),
)


def missing_images(args, initrd=True):
    """Why a boot cannot run: the kernel image, and the initrd when the
    boot needs it, that do not exist (an empty list when both do)."""
    why = []
    if not os.path.isfile(args.kernel):
        why.append("no kernel image %s (run make)" % args.kernel)
    if initrd and not os.path.isfile(args.initrd):
        why.append("no initrd %s (run make initrd)" % args.initrd)
    return why


def run_smp_boots(args, rep, step, boots, after_icount=None):
    """Every boot of boots (SMP_BOOTS, SMPPOE_BOOTS) at each SMP size,
    through smp_boot(): those under -icount first, then after_icount()
    if given, then those with the CPUs in parallel (a step beside this
    one, BESIDE, ends before the first of them: smp_boot()); one failure
    named `STEP: boot` when the kernel or the initrd is missing."""
    why = missing_images(args, any(b[3] for b in boots))
    if why:
        rep.fail("%s: boot" % step, why)
        return
    for under_icount in (True, False):
        for n in SMP_SIZES:
            for label, cmdline, icount, initrd, slow in boots:
                if icount != under_icount:
                    continue
                smp_boot(args, rep, n, "smp%d %s" % (n, label), cmdline,
                         icount, initrd=initrd, timeout=args.timeout * slow,
                         empty_plan=None if initrd else
                         "%s selected no test" % cmdline)
        if under_icount and after_icount:
            after_icount()


def run_smp(args, rep):
    # mm.fault_lock=global (arch/x86_64/fault.c), the patent's baseline
    # that make bench-smp measures: the mmap_lock ktests, under -icount
    # for their sleeps, with the test that shows the mode is on.
    def fault_lock_global():
        smp_boot(args, rep, 2, "smp2 global", "mm.fault_lock=global "
                 "test=mmap_lock", True, empty_plan="test=mmap_lock "
                 "selected no test", must_run=(
                     "mmap_lock.global_fault_lock_waits_for_a_reader",))

    run_smp_boots(args, rep, "smp", SMP_BOOTS, after_icount=fault_lock_global)


def run_smp_poe(args, rep):
    run_smp_boots(args, rep, "smppoe", SMPPOE_BOOTS)


# The usmp boot: (SMP=, command line). Under -icount QEMU 7.2 runs the
# vCPUs one after the other, and a vCPU that neither halts nor executes
# PAUSE keeps the next one from running at all; the smp and smppoe steps
# run the user tests with the CPUs in parallel, where that cannot show.
# This boot is where a test that spins for a task on another CPU without
# cpu_relax() (tests/user/utest.h) hangs, as t_getrusage's did. SMP=2
# only: at SMP=4 the t_smp_* races' hot loops on CPU 1, which must not
# pause, would starve CPUs 2 and 3 the same way. 40 to 70 s on a loaded
# 2-core host.
USMP_BOOT = (2, "init=/bin/usertests -- /bin plain mm oom")


def run_user_smp(args, rep):
    n, cmdline = USMP_BOOT
    why = missing_images(args)
    if why:
        rep.fail("usmp: boot", why)
        return
    smp_boot(args, rep, n, "usmp", cmdline, True, initrd=True,
             timeout=args.timeout * 2)


# --- oops_pf -------------------------------------------------------------------

def run_oops(args, rep):
    name = "oops: test=oops_pf prints decoded #PF error code and symbolized backtrace"
    out("# === kernel #PF oops: test=oops_pf")
    if not os.path.isfile(args.kernel):
        rep.fail(name, ["no kernel image %s (run make)" % args.kernel])
        return
    st = {"error": False, "trace": False, "trigger": False, "kmain": False,
          "panic": False}

    def on_line(line):
        if OOPS_ERROR_RE.search(line):
            st["error"] = True
        if OOPS_TRACE_RE.search(line):
            st["trace"] = True
        elif st["trace"]:
            if OOPS_TRIGGER_RE.search(line):
                st["trigger"] = True
            if OOPS_KMAIN_RE.search(line):
                st["kmain"] = True
        if PANIC_RE.search(line):
            st["panic"] = True

    timeout = min(args.timeout, 60)
    rc, timed_out = run_stream(
        qemu_cmd(args, "--kernel", args.kernel, "--append", "test=oops_pf"),
        timeout, on_line)
    why = []
    if timed_out:
        why.append("timed out after %ss" % timeout)
    if not st["error"]:
        why.append("missing the error-code line: error 0x.. "
                   "[P=0 W=0 U=0 RSVD=0 I/D=0]")
    if not st["trace"]:
        why.append("missing `Call Trace:`")
    if not st["trigger"]:
        why.append("missing a trace line ` [<addr>] ktest_pf_oops_trigger+0x..`"
                   " after Call Trace:")
    if not st["kmain"]:
        why.append("missing a trace line ` [<addr>] kmain+0x..` after Call Trace:")
    if not st["panic"]:
        why.append("missing `Kernel panic - not syncing:`")
    if not timed_out and rc != 2:
        why.append("kernel exit code %s, expected 2 (panic)" % describe_exit(rc))
    rep.check(name, why)


# --- command lines a user gets wrong ----------------------------------------

def run_cmdline(args, rep):
    """Boots whose command line is wrong in a way a user writes it: each
    must say so on the console and end as documented (docs/testing.md)."""
    out("# === command lines a user gets wrong")
    long_line = "loglevel=7 " * 100 + "init=/bin/true"   # 1,114 bytes
    cases = [
        # (name, append, initrd?, want exit, console lines that must appear)
        ("cmdline: init=bin/sh (relative) fails with exit code 3",
         "init=bin/sh", True, 3,
         [r"bad value 'bin/sh' for init", r"init: the init= of the "
          r"command line is not an absolute path"]),
        ("cmdline: an empty init= fails with exit code 3",
         "init=", True, 3, [r"init: the init= of the command line"]),
        ("cmdline: poe.always=yes means on, as Linux parses booleans",
         "poe.always=yes init=/bin/poestat", True, 0,
         [r"^\s*proc_enabled\s+1\b"]),
        ("cmdline: poe.always=maybe is rejected on the console",
         "poe.always=maybe init=/bin/true", True, 0,
         [r"poe: poe.always=maybe rejected"]),
        ("cmdline: a line over 1,023 bytes is truncated with a warning",
         long_line, False, 0,
         [r"boot: command line longer than 1023 bytes; truncated",
          r"default job: uptime"]),
        # Double quotes, as Linux's next_arg(): one word with its blanks
        # (two spaces kept), a value's quotes gone; an open quote runs to
        # the end of the line, with a warning.
        ("cmdline: double quotes make one word of init's argument",
         'init=/bin/echo -- "two  spaces" x="1 2" "open quote', True, 0,
         [r"^two  spaces x=1 2 open quote$",
          r"cmdline: unterminated quote in the word starting 'open quote'"]),
        # Layout randomization, which every other boot turns off: on by
        # default, off with norandmaps (tests/user/t_aslr.c checks it).
        ("cmdline: without norandmaps, each exec randomizes the stack, "
         "mmap and brk", "init=/bin/t_aslr -- on", True, 0,
         [r"t_aslr: all \d+ checks passed"]),
        ("cmdline: norandmaps gives every exec the same layout",
         "norandmaps init=/bin/t_aslr -- off", True, 0,
         [r"t_aslr: all \d+ checks passed"]),
    ]
    for name, append, initrd, want, lines in cases:
        if not os.path.isfile(args.kernel) or \
                (initrd and not os.path.isfile(args.initrd)):
            rep.fail(name, ["no kernel %s or initrd %s (run make)" % (
                args.kernel, args.initrd)])
            continue
        seen = [False] * len(lines)

        def on_line(line, seen=seen, lines=lines):
            for i, pat in enumerate(lines):
                if re.search(pat, line):
                    seen[i] = True

        qargs = ["--kernel", args.kernel]
        if initrd:
            qargs += ["--initrd", args.initrd]
        timeout = min(args.timeout, 60)
        rc, timed_out = run_stream(qemu_cmd(args, *qargs, "--append", append,
                                            randmaps=True),
                                   timeout, on_line)
        why = []
        if timed_out:
            why.append("timed out after %ss" % timeout)
        elif rc != want:
            why.append("kernel exit code %s, expected %d" % (
                describe_exit(rc), want))
        why += ["missing a console line matching /%s/" % p
                for p, ok in zip(lines, seen) if not ok]
        rep.check(name, why)


# --- GRUB ISO boot ----------------------------------------------------------

def mem_kib(spec):
    """QEMU -m syntax (default unit MiB) -> KiB, or None."""
    m = re.match(r"^(?:size=)?(\d+)([KMGT]?)(?:i?B)?$", spec.strip(), re.I)
    if not m:
        return None
    n = int(m.group(1))
    unit = (m.group(2) or "M").upper()
    return n * {"K": 1, "M": 1024, "G": 1024 ** 2, "T": 1024 ** 3}[unit]


def run_iso(args, rep):
    name = "iso: GRUB boot prints banner, memory total, the faultbench table, powers off"
    out("# === GRUB ISO boot (default job): %s" % args.iso)
    if not os.path.isfile(args.iso):
        rep.fail(name, ["no ISO %s (run make)" % args.iso])
        return
    mem = os.environ.get("MEM", "256M")
    want = mem_kib(mem)
    st = {"banner": False, "mem": [], "panic": None, "head": False,
          "end": False, "fb": []}

    def on_line(line):
        if BANNER_RE.search(line):
            st["banner"] = True
        if FB_TABLE_HEAD_RE.search(line):
            st["head"] = True
        if st["head"] and FB_TABLE_END_RE.search(line):
            st["end"] = True
        if line.lstrip().startswith("FB,"):
            st["fb"].append(line)
        m = MEMORY_RE.search(line)
        if m:
            st["mem"].append(int(m.group(1)))
        m = PANIC_RE.search(line)
        if m:
            st["panic"] = m.group(1)

    timeout = min(args.timeout, 90)
    rc, timed_out = run_stream(qemu_cmd(args, "--iso", args.iso),
                               timeout, on_line)
    why = []
    if timed_out:
        why.append("timed out after %ss" % timeout)
    if not st["banner"]:
        why.append("no boot banner `POE kernel ...`")
    if not st["head"]:
        why.append("no faultbench table (its header row `faultbench: mode kind "
                   "pages ...`)")
    elif not st["end"]:
        why.append("the default job's faultbench table did not finish (no "
                   "`faultbench: ticks under plain TCG ...` line after it)")
    if st["fb"]:
        why.append("%d line(s) starting with FB, (machine output for make "
                   "bench; make run must not print them), first: %s" %
                   (len(st["fb"]), st["fb"][0][:80]))
    if st["panic"] is not None:
        why.append("Kernel panic - not syncing: %s" % st["panic"])
    if want is None:
        why.append("cannot parse MEM=%r" % mem)
    elif not st["mem"]:
        why.append("no `Memory: N KiB RAM` line")
    elif st["mem"][0] != want:
        why.append("Memory: %d KiB RAM, but QEMU has -m %s = %d KiB" %
                   (st["mem"][0], mem, want))
    if not timed_out and rc != 0:
        why.append("exit code %s, expected 0" % describe_exit(rc))
    rep.check(name, why)


# --- gdb ------------------------------------------------------------------------

def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def listening(port):
    """True when some socket listens on port (read /proc, do not connect:
    a connection that closes would let QEMU's halted CPU run)."""
    for f in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(f) as fh:
                next(fh)
                for row in fh:
                    cols = row.split()
                    if (len(cols) > 3 and cols[3] == "0A"
                            and int(cols[1].rsplit(":", 1)[1], 16) == port):
                        return True
        except OSError:
            continue
    return False


def gdb_boot(args, qargs, gdb_ex, timeout):
    """Boot tools/qemu.sh with qargs, halted with a gdb stub on a free
    port, and run `gdb -batch` with the commands gdb_ex (one -ex each)
    against args.kernel. Returns (gdb's lines, the console's lines, what
    went wrong); QEMU is gone when it returns."""
    port = free_port()
    log = tempfile.TemporaryFile()
    qemu = spawn(qemu_cmd(args, "--gdb-port", str(port), *qargs),
                 stdout=log, stderr=subprocess.STDOUT)
    why = []
    lines = []
    try:
        deadline = time.monotonic() + 15
        while not listening(port):
            if qemu.poll() is not None or time.monotonic() > deadline:
                why.append("QEMU's gdb stub never listened on port %d "
                           "(qemu.sh exit %s)" % (port, describe_exit(qemu.poll())))
                break
            time.sleep(0.1)
        if not why:
            gdb_cmd = [args.gdb, "-batch", "-nx",
                       "-ex", "set pagination off",
                       "-ex", "set confirm off",
                       "-ex", "set print frame-arguments none",
                       "-ex", "set architecture i386:x86-64",
                       "-ex", "file %s" % args.kernel,
                       "-ex", "target remote 127.0.0.1:%d" % port]
            for c in gdb_ex:
                gdb_cmd += ["-ex", c]
            gdb_cmd += ["-ex", "kill"]
            out("# + " + " ".join(shlex.quote(a) for a in gdb_cmd))
            rc, timed_out = run_stream(gdb_cmd, timeout, lines.append,
                                       prefix="  gdb| ")
            if timed_out:
                why.append("gdb timed out after %ss" % timeout)
    finally:
        try:
            qemu.wait(5)
        except subprocess.TimeoutExpired:
            pass
        kill_group(qemu, grace=2.0)
        log.seek(0)
        console = [clean_line(raw) for raw in log.read().splitlines()]
        log.close()
    return lines, console, why


def show_console(console):
    for line in console:
        out("  qemu| " + line)


def gdb_sections(lines):
    """{name: [lines]} of gdb output cut at the `@@name` markers that the
    step's `echo @@name\n` commands print (a name seen twice: name#2)."""
    sec, name = {}, None
    for line in lines:
        m = re.match(r"^@@(\S+)\s*$", line)
        if m:
            name = m.group(1)
            while name in sec:
                name += "#2"
            sec[name] = []
        elif name is not None:
            sec[name].append(line)
    return sec


# What pfdemo and the kernel print at the known points of the pfdemo boot.
PFDEMO_RE = re.compile(r"pfdemo: pid (\d+), A (0x[0-9a-f]+) .* B (0x[0-9a-f]+)")
PFDEMO_STATS_RE = re.compile(r"pfdemo: (fault_stats proc|fault_stats global|"
                             r"poe_stats|meminfo) (.*)$")
KWALK_RE = re.compile(r"walk ([0-9a-f]{16}):\s*$")
KENTRY_RE = re.compile(r"^\s+(pgd|pud|pmd|pte) ([0-9a-f]{16}) (.*?)\s*$")
KPFN_RE = re.compile(r"^\s+pfn (0x[0-9a-f]+)(?: \(zero page\))? refcount (-?\d+)")
GWALK_RE = re.compile(r"^pagewalk (0x[0-9a-f]+) in pid (\d+) ")
GENTRY_RE = re.compile(r"^\s+(pgd|pud|pmd|pte)\[\d+\] @0x[0-9a-f]+ = "
                       r"0x([0-9a-f]{16})  (.*?)  \[(.*)\]\s*$")
KILL_RE = re.compile(r"pid (\d+) \((\S+)\): SIGSEGV at rip (0x[0-9a-f]+): "
                     r"page fault at (0x[0-9a-f]+) error (0x[0-9a-f]+) "
                     r"(\[.*? mode)")
PFTRACE_RE = re.compile(r"pf-trace: #\d+ cpu (\d+) pid (-?\d+) \((.*?)\): "
                        r"address (0x[0-9a-f]+) error (0x[0-9a-f]+) "
                        r"(\[.*? mode), rip (0x[0-9a-f]+).*?; (.*)$")
FREE_LINE_RE = re.compile(r"(page_alloc: free blocks by order:.*\(\d+ on "
                          r"per-CPU lists\))")


def stat_pairs(text):
    """'read 1 write 2' -> {'read': 1, 'write': 2}"""
    w = text.split()
    return {w[i]: int(w[i + 1]) for i in range(0, len(w) - 1, 2)}


def kernel_walks(console):
    """{va: ([(level, raw, bits)], (pfn, refcount) or None)} from the
    kernel's dump_pagetable() lines (mm/pgtable.c)."""
    walks, cur = {}, None
    for line in console:
        m = KWALK_RE.search(line)
        if m:
            cur = int(m.group(1), 16)
            walks[cur] = ([], None)
            continue
        if cur is None:
            continue
        m = KENTRY_RE.match(line)
        if m:
            walks[cur][0].append((m.group(1), int(m.group(2), 16), m.group(3)))
            continue
        m = KPFN_RE.match(line)
        if m:
            walks[cur] = (walks[cur][0], (int(m.group(1), 16), int(m.group(2))))
            continue
        cur = None
    return walks


def gdb_walks(lines):
    """{va: ([(level, raw, bits)], [details])} from pagewalk's output."""
    walks, cur = {}, None
    for line in lines:
        m = GWALK_RE.match(line)
        if m:
            cur = int(m.group(1), 16)
            walks[cur] = ([], [])
            continue
        m = GENTRY_RE.match(line)
        if m and cur is not None:
            walks[cur][0].append((m.group(1), int(m.group(2), 16), m.group(3)))
            walks[cur][1].append(m.group(4))
    return walks


def check_gdb_free(name, gdb_lines, console, rep):
    """freepages at the return of show_free_areas(): its totals line must
    be the kernel's line, order by order."""
    why = []
    k = [m.group(1) for m in map(FREE_LINE_RE.search, console) if m]
    g = [m.group(1) for m in map(FREE_LINE_RE.search, gdb_lines) if m]
    if not k:
        why.append("the kernel printed no `page_alloc: free blocks` line")
    if not g:
        why.append("freepages printed no `page_alloc: free blocks` line")
    if k and g and k[-1] != g[-1]:
        why.append("kernel: %s" % k[-1])
        why.append("gdb:    %s" % g[-1])
    for line in gdb_lines:
        if "disagree" in line or "Python Exception" in line or \
                line.startswith("Error"):
            why.append("gdb: %s" % line)
    rep.check(name, why)
    return bool(why)


def run_gdb(args, rep):
    """Two boots under gdb: the default job (a backtrace, and freepages
    against show_free_areas()), and pfdemo (every other helper of
    tools/gdb/mm.py against what the kernel prints at the same point)."""
    out("# === gdb: break on mem_map_init in the default job")
    name = "gdb: hbreak mem_map_init, continue, bt names mem_map_init and kmain"
    if not os.path.isfile(args.kernel):
        rep.fail(name, ["no kernel image %s (run make)" % args.kernel])
        return
    timeout = min(args.timeout, 60)
    mm_py = os.path.join(TOOLS, "gdb", "mm.py")
    lines, console, why = gdb_boot(args, ("--kernel", args.kernel), [
        "source %s" % mm_py,
        "hbreak mem_map_init", "continue", "bt", "delete",
        # delete before finish: resuming from a breakpoint stop sometimes
        # stops at the same breakpoint again, before its instruction ran
        # (QEMU's TCG without -icount, about 1 boot in 30); finish would
        # then return at once, before show_free_areas() printed anything.
        "hbreak show_free_areas", "continue", "delete", "finish",
        "echo @@freepages\\n", "freepages", "echo @@tasks\\n", "tasks"],
        timeout)
    gdb_out = "\n".join(lines)
    bt_why = list(why)
    if not re.search(r"^#0\s+(?:0x[0-9a-f]+\s+in\s+)?mem_map_init\b",
                     gdb_out, re.M):
        bt_why.append("frame #0 is not mem_map_init")
    if not re.search(r"^#\d+\s+(?:0x[0-9a-f]+\s+in\s+)?kmain\b",
                     gdb_out, re.M):
        bt_why.append("no frame in kmain")
    rep.check(name, bt_why)
    sec = gdb_sections(lines)
    free_bad = check_gdb_free("gdb: freepages equals show_free_areas() of "
                              "the default job", sec.get("freepages", [])
                              if not why else [], console, rep)
    if bt_why or free_bad:
        show_console(console)
    run_gdb_pfdemo(args, rep, mm_py, timeout)


def run_gdb_pfdemo(args, rep, mm_py, timeout):
    out("# === gdb: the mm helpers (tools/gdb/mm.py) at pfdemo's known points")
    names = ["vmas", "pagewalk", "tasks", "freepages", "faultstats",
             "poe-table", "pf-trace"]
    names = ["gdb: %s agrees with the kernel (pfdemo)" % n for n in names]
    if not os.path.isfile(args.initrd):
        for n in names:
            rep.fail(n, ["no initrd %s (run make initrd)" % args.initrd])
        return
    walk_pages = ["pagewalk $lo+0x%x" % (i * 4096) for i in range(6)]
    lines, console, why = gdb_boot(args, (
        "--kernel", args.kernel, "--initrd", args.initrd, "--append",
        "poe.period_ms=10000 poe.prezero=0 init=/bin/pfdemo -- segv"), [
        "source %s" % mm_py,
        # From kmain on the kernel's text is mapped: pf-trace plants a
        # software breakpoint there, as it does after tools/gdbinit.
        "thbreak kmain", "continue", "pf-trace print",
        "thbreak *sys_mm_dump", "continue",
        "set $lo = $rdi", "set $hi = $rsi", "finish",
        "echo @@vmas\\n", "vmas",
        "echo @@pagewalk\\n"] + walk_pages + [
        "echo @@tasks-mm_dump\\n", "tasks",
        "thbreak *sys_fault_stats", "continue", "finish",
        "echo @@faultstats\\n", "faultstats",
        "thbreak *sys_poe_stats", "continue", "finish",
        "echo @@poe-table\\n", "poe-table 0",
        "echo @@faultstats-poe\\n", "faultstats",
        "thbreak *sys_meminfo", "continue", "finish",
        "echo @@freepages\\n", "freepages",
        "echo @@tasks\\n", "tasks",
        "echo @@pf-trace-on\\n", "pf-trace on", "continue", "bt 1",
        "pf-trace print", "continue"], timeout)
    sec = gdb_sections(lines)
    checks = [[] for _ in names]
    if why:
        for c in checks:
            c.extend(why)
    bad = [l for l in lines if "Python Exception" in l or
           l.startswith("Error occurred in Python")]
    m = [PFDEMO_RE.search(l) for l in console]
    m = [x for x in m if x]
    stats = {}
    for l in console:
        s = PFDEMO_STATS_RE.search(l)
        if s:
            stats[s.group(1)] = stat_pairs(s.group(2))
    if not m or len(stats) < 4:
        for c in checks:
            c.append("pfdemo did not print its addresses and counters")
        for n, c in zip(names, checks):
            rep.check(n, c + bad)
        show_console(console)
        return
    pid, va_a, va_b = int(m[0].group(1)), int(m[0].group(2), 16), \
        int(m[0].group(3), 16)

    # vmas: the kernel's dump_mm() lines, word for word.
    c = checks[0]
    kv = [re.search(r"(vma [0-9a-f]{16}-[0-9a-f]{16} .*|mm: \d+ vmas.*)$", l)
          for l in console]
    kv = [x.group(1).rstrip() for x in kv if x]
    gv = [l.rstrip() for l in sec.get("vmas", [])
          if l.startswith("vma ") or l.startswith("mm: ")]
    if not kv:
        c.append("the kernel printed no mm dump")
    elif kv != gv:
        c.append("kernel: %s" % " | ".join(kv))
        c.append("gdb:    %s" % " | ".join(gv))
    if not any("%016x-" % va_b in l and "flags 0x8000" in l for l in gv):
        c.append("no VM_POE VMA starting at B 0x%x in vmas" % va_b)

    # pagewalk: each level's raw entry and bits, the frame, the POE mark.
    c = checks[1]
    kw = kernel_walks(console)
    gw = gdb_walks(sec.get("pagewalk", []))
    if not kw:
        c.append("the kernel printed no page-table walk")
    for va, (kent, kpfn) in sorted(kw.items()):
        if va not in gw:
            c.append("no pagewalk of 0x%x" % va)
            continue
        gent, gdet = gw[va]
        if kent != gent:
            c.append("0x%x: kernel %s" % (va, kent))
            c.append("0x%x: gdb    %s" % (va, gent))
            continue
        if kpfn is not None and not re.match(
                r"pfn 0x%x( \(zero page\))? refcount %d$" % kpfn, gdet[-1]):
            c.append("0x%x: kernel pfn 0x%x refcount %d, gdb [%s]"
                     % ((va,) + kpfn + (gdet[-1],)))
        raw = kent[-1][1]
        if kent[-1][0] == "pte" and raw and not raw & 1:
            want = "POEABLE LOCK=%d TGID=%d rights %s" % (
                raw >> 5 & 1, pid, "|".join(
                    r for r, b in (("RW", raw & 2), ("NX", raw >> 63)) if b)
                or "RO") if raw & 4 else None
            if want and not gdet[-1].startswith(want):
                c.append("0x%x: POE mark 0x%x of pid %d: gdb [%s], want "
                         "[%s ...]" % (va, raw, pid, gdet[-1], want))
    marks = [va for va, (e, d) in gw.items() if d and d[-1].startswith("POEABLE")]
    if not marks:
        c.append("no POEable PTE among the pages walked (B+1 page should be)")
    if not any(e and e[-1][2].startswith("- RO U") for e, d in gw.values()):
        c.append("no read-only POE mark among the pages walked (B+3 pages "
                 "should be)")
    if va_b in gw and not (gw[va_b][1] and gw[va_b][1][-1].startswith("pfn")):
        c.append("B 0x%x is not mapped after the fast-path fault" % va_b)

    # tasks: the count meminfo reports, and pfdemo running on CPU 0.
    c = checks[2]
    tl = sec.get("tasks", [])
    cnt = [re.match(r"(\d+) tasks on all_tasks", l) for l in tl]
    cnt = [int(x.group(1)) for x in cnt if x]
    if cnt != [stats["meminfo"].get("nr_tasks")]:
        c.append("tasks counts %s, meminfo nr_tasks %s" % (
            cnt, stats["meminfo"].get("nr_tasks")))
    if not any(re.match(r"\s*%d\s+%d\s+RUNNING\s+0\s+0x[0-9a-f]+ pfdemo \*$"
                        % (pid, pid), l) for l in tl):
        c.append("no `%d %d RUNNING 0 ... pfdemo *` line" % (pid, pid))

    # freepages: the totals meminfo reports.
    c = checks[3]
    ft = [re.search(r"; (\d+) of (\d+) pages free", l)
          for l in sec.get("freepages", [])]
    ft = [(int(x.group(1)), int(x.group(2))) for x in ft if x]
    want = (stats["meminfo"].get("free_pages"),
            stats["meminfo"].get("managed_pages"))
    if ft != [want]:
        c.append("freepages free/managed %s, meminfo %s" % (ft, want))
    if any("disagree" in l for l in sec.get("freepages", [])):
        c.append("freepages: a free list disagrees with its nr_free")

    # faultstats: fault_stats' numbers, process and global, kind by kind.
    c = checks[4]
    rows = {}
    for l in sec.get("faultstats", []):
        x = re.match(r"FAULT_(\w+)\s+(\d+)\s+(\d+)", l)
        if x:
            rows[x.group(1).lower()] = (int(x.group(2)), int(x.group(3)))
    kinds = {"read": "read", "write": "write", "cow": "cow",
             "zero_page": "zero_page", "stack_growth": "stack_growth",
             "segfault": "segv", "total": "total", "poe": "poe"}
    for col, key in ((0, "fault_stats proc"), (1, "fault_stats global")):
        for k, v in stats[key].items():
            got = rows.get(kinds.get(k, k), (None, None))[col]
            if got != v:
                c.append("%s %s: kernel %d, gdb %s" % (key, k, v, got))
    walker = {}
    for l in sec.get("faultstats-poe", []):
        x = re.match(r"\s+(hits|fb_\w+)\s+(\d+)", l)
        if x:
            walker[x.group(1)] = int(x.group(2))
    for k in ("hits", "fb_table_empty", "fb_pte_locked", "fb_table_locked"):
        if walker.get(k) != stats["poe_stats"].get(k):
            c.append("poe_stats %s: kernel %s, gdb %s" % (
                k, stats["poe_stats"].get(k), walker.get(k)))

    # poe-table: the census poe_stats took, and B's entry.
    c = checks[5]
    pt = sec.get("poe-table", [])
    ent = [re.match(r"\s+\[(\d+)\] va (0x[0-9a-f]+) tgid (\d+) pfn "
                    r"(0x[0-9a-f]+) used (\d) valid (\d)", l) for l in pt]
    ent = [(int(x.group(1)), int(x.group(2), 16), int(x.group(3)),
            int(x.group(4), 16), int(x.group(5)), int(x.group(6)))
           for x in ent if x]
    hdr = [re.match(r"header: head (\d+) tail (\d+) nr_entries (\d+)", l)
           for l in pt]
    hdr = [tuple(map(int, x.groups())) for x in hdr if x]
    ps = stats["poe_stats"]
    if not hdr:
        c.append("poe-table printed no header")
    else:
        head, tail, n = hdr[0]
        if n != ps.get("nr_entries"):
            c.append("nr_entries: kernel %s, gdb %d" % (ps.get("nr_entries"), n))
        used = [e for e in ent if e[4]]
        valid = [e for e in ent if e[5]]
        if len(used) != ps.get("table_used") or \
                len(valid) != ps.get("table_valid"):
            c.append("used/valid entries: kernel %s/%s, gdb %d/%d" % (
                ps.get("table_used"), ps.get("table_valid"), len(used),
                len(valid)))
        ub = [e for e in used if e[1] == va_b]
        kb = kw.get(va_b, ([], None))[1]
        if len(ub) != 1:
            c.append("no used entry for B 0x%x: %s" % (va_b, used))
        else:
            i, _, tgid, pfn = ub[0][:4]
            if tgid != pid:
                c.append("B's entry: tgid %d, pfdemo is pid %d" % (tgid, pid))
            if kb is None or pfn != kb[0]:
                c.append("B's entry: pfn 0x%x, the kernel's walk of B: %s"
                         % (pfn, kb))
            if tail != (1 if i == n else i + 1):
                c.append("tail %d is not the entry after B's (%d)" % (tail, i))

    # pf-trace: A's fault, and the fatal one as the kernel reports it.
    c = checks[6]
    tr = [PFTRACE_RE.search(l) for l in lines]
    tr = [x for x in tr if x]
    a = [x for x in tr if int(x.group(4), 16) == va_a]
    if len(a) != 1:
        c.append("%d pf-trace lines for A 0x%x, want 1" % (len(a), va_a))
    else:
        a = a[0]
        if (a.group(2), a.group(5), a.group(6)) != (
                str(pid), "0x6",
                "[P=0 W=1 U=1 RSVD=0 I/D=0] not-present write in user mode"):
            c.append("A's fault: %s" % a.group(0))
        kva = [l for l in kv if l.startswith("vma %016x-" % va_a)]
        if not kva or not a.group(8).startswith(kva[0][:len("vma ") + 33 + 5]):
            c.append("A's fault: %s, the kernel's VMA of A: %s" % (
                a.group(8), kva))
    if any(int(x.group(4), 16) == va_b for x in tr):
        c.append("pf-trace saw a full-handler fault at B 0x%x (the fast "
                 "path's)" % va_b)
    kill = [x for x in map(KILL_RE.search, console) if x]
    if not kill:
        c.append("the kernel printed no SIGSEGV line for pfdemo")
    else:
        k = kill[-1]
        s = [x for x in tr if x.group(4) == k.group(4)]
        if not s or (s[-1].group(5), s[-1].group(6), s[-1].group(7)) != (
                k.group(5), k.group(6), k.group(3)):
            c.append("kernel: %s" % k.group(0))
            c.append("gdb:    %s" % (s[-1].group(0) if s else None))
        elif not s[-1].group(8).startswith("vma: none"):
            c.append("the fatal fault has a VMA: %s" % s[-1].group(8))
    on = sec.get("pf-trace-on", [])
    if not any(re.match(r"#0\s+(?:0x[0-9a-f]+\s+in\s+)?do_page_fault\b", l)
               for l in on):
        c.append("pf-trace on did not stop in do_page_fault")

    for n, c in zip(names, checks):
        rep.check(n, c + bad)
    if any(checks) or bad:
        show_console(console)


# --- user-mode tests: on Linux (glibc, our libc) and on the kernel ---------------

def finish_ktap(rep, label, k, rc, timed_out, timeout, run_name=None,
                empty_plan=None):
    """Failures for a KTAP run beyond its own results: a hang, a panic, a
    missing header/plan/result, an exit status that disagrees with the
    results (1 if any failed, else 0). With results missing, the first of
    them carries the explanation; otherwise a bad run (panic after the last
    result, wrong exit status, no plan) is one failure of its own, named
    run_name (default "LABEL: run"). empty_plan, if given, explains a 1..0
    plan as a failure."""
    why = []
    if timed_out:
        why.append("timed out after %ss (hang?)" % timeout)
    if k.panic:
        why.append("Kernel panic - not syncing: %s" % k.panic)
    if not k.header:
        why.append("no `KTAP version 1` header")
    if k.plan is None:
        why.append("no plan line `1..N`")
    elif k.plan == 0 and empty_plan:
        why.append("empty plan 1..0: %s" % empty_plan)
    why += k.problems
    if not timed_out:
        expected = 1 if k.failed else 0
        if rc != expected:
            why.append("exit status %s, expected %d" %
                       (describe_exit(rc), expected))
    missing = sorted(set(range(1, (k.plan or 0) + 1)) - k.seen)
    for i, num in enumerate(missing):
        rep.fail("%s: test %d of %d (no result)" % (label, num, k.plan),
                 ["%d of %d results missing" % (len(missing), k.plan)] +
                 why if i == 0 else [])
    if why and not missing:
        rep.fail(run_name or "%s: run" % label, why)


def no_core_dumps():
    """The fault tests kill children with SIGSEGV etc.: no core files."""
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
        resource.setrlimit(resource.RLIMIT_CORE, (0, hard))
    except (ImportError, ValueError, OSError):
        pass


def glibc_test_cmd(args, incdir, src, exe, extra=()):
    """The host compiler's command line that builds the user test src
    against glibc into exe (steps ulinux and ulinuxvm): glibc's headers
    first, then incdir (the headers glibc lacks) and our uapi; extra:
    more flags (-static for ulinuxvm)."""
    return [args.hostcc, "-std=gnu11", "-O2", "-g", "-Wall",
            "-D_GNU_SOURCE"] + list(extra) + [
            "-idirafter", incdir,
            "-idirafter", os.path.join(REPO, "include", "uapi"),
            "-o", exe, src,
            os.path.join(REPO, "libc", "thread.c")]


def build_glibc_tests(args, rep, label, outdir, names=None, extra=()):
    """Build the user tests tests/user/NAME.c (every one, or those of
    names, usertests always) against glibc into outdir/NAME, in parallel
    (one compiler per CPU), with glibc_test_cmd(); their extra headers go
    to args.ulinux/include. A failed build is a failure "LABEL: build
    NAME" with the command and its first 30 lines of output. Returns True
    when usertests, the harness, was built."""
    srcdir = os.path.join(REPO, "tests", "user")
    incdir = os.path.join(os.path.abspath(args.ulinux), "include")
    os.makedirs(incdir, exist_ok=True)
    os.makedirs(outdir, exist_ok=True)
    # Only the headers glibc lacks; everything else is glibc's own.
    for h in ("thread.h", "poe.h", "private.h"):
        with open(os.path.join(REPO, "libc", "include", h)) as src, \
                open(os.path.join(incdir, h), "w") as dst:
            dst.write(src.read())
    srcs = sorted(f[:-2] for f in os.listdir(srcdir) if f.endswith(".c"))
    if "usertests" not in srcs:
        rep.fail("%s: build" % label, ["no tests/user/usertests.c"])
        return False
    if names is not None:
        unknown = sorted(set(names) - set(srcs))
        if unknown:
            rep.fail("%s: build" % label,
                     ["no tests/user/%s.c" % n for n in unknown])
        srcs = [n for n in srcs if n in names or n == "usertests"]
    cmds = [glibc_test_cmd(args, incdir, os.path.join(srcdir, n + ".c"),
                           os.path.join(outdir, n), extra) for n in srcs]

    def build(cmd):
        return subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)

    built = True
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as ex:
        for name, cmd, p in zip(srcs, cmds, ex.map(build, cmds)):
            if p.returncode != 0:
                built = built and name != "usertests"
                rep.fail("%s: build %s" % (label, name),
                         ["+ " + " ".join(shlex.quote(a) for a in cmd)] +
                         p.stdout.decode("utf-8", "replace").splitlines()[:30])
    return built


def run_ulinux(args, rep):
    out("# === user tests on Linux against glibc (%s)" % args.ulinux)
    outdir = os.path.abspath(args.ulinux)
    if not build_glibc_tests(args, rep, "ulinux", outdir):
        return
    run_usertests_host(args, rep, "ulinux",
                       os.path.join(outdir, "usertests"), outdir)


# The ulinuxvm step's boot line: tools/bench-linux.sh's, so that the tests
# run on the Linux that make bench measures (Linux passes init the words
# after `--`); qemu_cmd() must not add norandmaps, which Linux obeys too.
# rootfstype=ramfs: the initramfs unpacked into ramfs, not tmpfs, so the
# test binaries are no shmem files (t_uffd registers a file mapping of
# itself and expects EINVAL, which Linux gives for ramfs but not shmem).
# transparent_hugepage=madvise, our kernel's default (bench-linux.sh
# measures 4 KiB faults with never): t_thp checks huge pages on 6.1 too.
ULINUXVM_APPEND = ("console=ttyS0 quiet panic=-1 "
                   "transparent_hugepage=madvise rootfstype=ramfs")
# tools/linux-init.c's last line: usertests' exit status, the run's.
LINUX_INIT_RE = re.compile(
    r"^linux-init: usertests (exit status|killed by signal) (\d+)")


def cpio_newc(root, image):
    """Pack the tree root into image, a gzip-compressed cpio -H newc
    archive (Linux's initramfs format), owned by root, with mtime 0 and in
    sorted order (as tools/bench-linux.sh: the same image for the same
    files). Compressed, because QEMU loads the image into guest RAM and
    Linux unpacks it there into another copy: a hundred static glibc
    programs (80 MiB) twice do not fit in 256 MiB, 80 MiB and a gzip of
    them do. Returns a list of problems (empty when it worked)."""
    for d, dirs, files in os.walk(root):
        for f in dirs + files:
            os.utime(os.path.join(d, f), (0, 0), follow_symlinks=False)
    names = subprocess.run(["find", "."], cwd=root, stdout=subprocess.PIPE,
                           check=True).stdout.decode().split("\n")
    names = "\n".join(sorted(n for n in names if n)) + "\n"
    p = subprocess.run(["cpio", "--quiet", "-o", "-H", "newc",
                        "-R", "0:0", "--reproducible"], cwd=root,
                       input=names.encode(), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        return ["cpio -o -H newc failed: %s" %
                p.stderr.decode("utf-8", "replace").strip()]
    with open(image, "wb") as raw, \
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as img:
        img.write(p.stdout)
    return []


def run_ulinuxvm(args, rep):
    """The user tests on Debian's Linux (the kernel make bench boots,
    tools/fetch-linux.sh), in QEMU: built as the ulinux step builds them
    but -static, packed with usertests and tools/linux-init.c as /init
    into a cpio initramfs, booted by tools/qemu.sh as tools/bench-linux.sh
    boots it; usertests' KTAP is parsed as the ulinux step's. The tests:
    --ulinuxvm-tests (names or groups), default every group but oom."""
    words = args.ulinuxvm_tests.replace(",", " ").split()
    words = words or list(HOST_GROUPS)
    out("# === user tests on Debian's Linux in QEMU against static glibc: "
        "usertests %s" % " ".join(words))
    label = "ulinuxvm"
    p = subprocess.run(["bash", os.path.join(TOOLS, "fetch-linux.sh"),
                        args.linux])
    vmlinuz = os.path.join(args.linux, "vmlinuz")
    if p.returncode != 0:
        try:
            with open(os.path.join(args.linux, "fetch.err")) as f:
                why = f.read().strip()
        except OSError:
            why = "tools/fetch-linux.sh exit status %d" % p.returncode
        rep.fail("%s: Debian's kernel" % label, [why])
        return
    if not shutil.which("cpio"):
        rep.fail("%s: initramfs" % label,
                 ["no cpio (tools/install-deps.sh bench installs it)"])
        return
    vmdir = os.path.join(os.path.abspath(args.ulinux), "vm")
    root = os.path.join(vmdir, "root")
    shutil.rmtree(root, ignore_errors=True)
    bindir = os.path.join(root, "bin")
    # Only the named tests when no group is named (faster to build).
    names = words if all(w.startswith("t_") for w in words) else None
    if not build_glibc_tests(args, rep, label, bindir, names, ["-static"]):
        return
    cmd = [args.hostcc, "-std=gnu11", "-O2", "-Wall", "-static",
           "-o", os.path.join(root, "init"),
           os.path.join(TOOLS, "linux-init.c")]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        rep.fail("%s: build init" % label,
                 ["+ " + " ".join(shlex.quote(a) for a in cmd)] +
                 p.stdout.decode("utf-8", "replace").splitlines()[:30])
        return
    for d in ("proc", "sys", "dev", "tmp"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    image = os.path.join(vmdir, "initramfs.cpio.gz")
    why = cpio_newc(root, image)
    if why:
        rep.fail("%s: initramfs" % label, why)
        return
    k = KtapParser(rep, label)
    status = []

    def on_line(line):
        m = LINUX_INIT_RE.match(line)
        if m:
            code = int(m.group(2))
            status.append(code if m.group(1) == "exit status" else -code)
        k.feed(line)

    append = ULINUXVM_APPEND + " -- " + " ".join(words)
    timeout = args.ulinuxvm_timeout
    env = dict(os.environ, MEM=args.ulinuxvm_mem)
    # Without SMAP unless CPU says otherwise: QEMU's TCG pops a far
    # return's stack as an implicit supervisor access, which SMAP
    # refuses, and Linux retries that fault for ever where a real CPU
    # raises #GP (t_fault_ac_lret, t_entry_flags). Our kernel kills the
    # program instead; with SMAP off both kernels see the real CPU's #GP.
    if env.get("ACCEL", "tcg") in ("tcg", "mttcg"):
        env.setdefault("CPU", "max,la57=off,smap=off")
    out("# MEM=%s SMP=%s ACCEL=%s CPU=%s" % (args.ulinuxvm_mem,
                                             env.get("SMP", "1"),
                                             env.get("ACCEL", "tcg"),
                                             env.get("CPU", "(qemu.sh's)")))
    rc, timed_out = run_stream(
        qemu_cmd(args, "--poweroff-ok", "--repeatable", *icount_args(),
                 "--kernel", vmlinuz, "--initrd", image, "--append", append,
                 timeout=timeout, randmaps=True),
        timeout, on_line, env=env)
    if not timed_out and rc != 0:
        k.problems.append("tools/qemu.sh exit status %s" % describe_exit(rc))
    if status:
        rc = status[0]
    elif not timed_out:
        # Linux powers off (or, with panic=-1, reboots, which -no-reboot
        # turns into QEMU's exit) only through linux-init or a panic.
        k.problems.append("no `linux-init: usertests exit status` line "
                          "(init failed, or Linux panicked)")
        rc = 1 if k.failed else 0
    finish_ktap(rep, label, k, rc, timed_out, timeout)


def run_ulibc(args, rep):
    out("# === user tests on Linux against our libc (%s)" % args.user_bin)
    harness = os.path.join(args.user_bin, "usertests")
    if not os.access(harness, os.X_OK):
        rep.fail("ulibc: usertests", ["no %s (run make user)" % harness])
        return
    run_usertests_host(args, rep, "ulibc", harness, args.user_bin)


def run_usertests_host(args, rep, label, harness, testdir):
    no_core_dumps()
    k = KtapParser(rep, label)
    # Every group but `oom` (a fork bomb and a memory hog: this kernel
    # only; t_oom also skips itself wherever meminfo() is ENOSYS).
    rc, timed_out = run_stream([harness, testdir] + list(HOST_GROUPS),
                               args.timeout, k.feed)
    finish_ktap(rep, label, k, rc, timed_out, args.timeout)


# The usertests groups the Linux steps (ulinux, ulibc) run: all but `oom`.
HOST_GROUPS = ("plain", "mm", "poe")

# t_oom (tests/user/t_oom.c) announces its memory hog's pid; the kernel's
# OOM killer (mm/oom_kill.c) prints Linux's line for the process it kills.
OOM_HOG_RE = re.compile(r"# t_oom: hog pid (\d+) maps (\d+) kB")
OOM_KILL_RE = re.compile(
    r"Out of memory: Killed process (-?\d+) \((.*?)\) total-vm:(\d+)kB, "
    r"anon-rss:(\d+)kB, file-rss:(\d+)kB, shmem-rss:(\d+)kB, UID:(\d+) "
    r"pgtables:(\d+)kB oom_score_adj:(-?\d+)")


class OomLines:
    """The OOM killer's console lines of one boot, and t_oom's hogs: each
    hog must be named by exactly one kill line, in Linux's format, and no
    kill line may name anything else (the fork bomb, the supervisor)."""

    def __init__(self):
        self.hogs = {}   # pid -> kB it maps
        self.kills = []  # (pid, the line)
        self.odd = []    # `Out of memory` lines OOM_KILL_RE does not match

    def feed(self, line):
        m = OOM_HOG_RE.search(line)
        if m:
            self.hogs[m.group(1)] = int(m.group(2))
        m = OOM_KILL_RE.search(line)
        if m:
            self.kills.append((m, line.strip()))
        elif "Out of memory" in line:
            self.odd.append(line.strip())

    def check(self, rep, label):
        if not self.hogs and not self.kills and not self.odd:
            return  # t_oom did not run in this boot
        why = ["not Linux's format: %s" % l for l in self.odd]
        for pid, kb in sorted(self.hogs.items()):
            mine = [(m, l) for m, l in self.kills if m.group(1) == pid]
            if len(mine) != 1:
                why.append("hog %s: %d kill lines, expected 1" %
                           (pid, len(mine)))
                continue
            m, l = mine[0]
            vm, anon, frss, srss, uid, pgt, adj = (
                int(m.group(i)) for i in range(3, 10))
            if (m.group(2) != "t_oom" or frss or srss or uid or adj or
                    not 0 < anon <= vm or vm < kb or pgt <= 0):
                why.append("hog %s (maps %d kB): wrong line: %s" %
                           (pid, kb, l))
        why += ["killed a process that is not a hog: %s" % l
                for m, l in self.kills if m.group(1) not in self.hogs]
        rep.check("%s: the OOM killer killed each t_oom hog, with one "
                  "line in Linux's format, and nothing else" % label, why)


def run_user(args, rep, label="user", extra="", group="all",
             must_print=None):
    """usertests GROUP on the kernel, extra before it on the command line;
    must_print, if given, is a console line the boot must print."""
    cmdline = extra + "init=/bin/usertests -- /bin " + group
    out("# === user tests on the kernel: %s" % cmdline)
    why = missing_images(args)
    if why:
        rep.fail("%s: boot" % label, why)
        return
    k = KtapParser(rep, label)
    oom = OomLines()
    printed = []

    def on_line(line):
        if must_print and must_print in line:
            printed.append(line)
        oom.feed(line)
        k.feed(line)

    rc, timed_out = run_stream(
        qemu_cmd(args, *icount_args(), "--kernel", args.kernel,
                 "--initrd", args.initrd, "--append", cmdline),
        args.timeout, on_line)
    finish_ktap(rep, label, k, rc, timed_out, args.timeout)
    oom.check(rep, label)
    if must_print:
        rep.check("%s: console line `%s`" % (label, must_print),
                  [] if printed else ["no such line: %s did not take effect"
                                      % extra.strip()])


def run_user_poe(args, rep):
    run_user(args, rep, "upoe", "poe.always=1 ")
    # The poe tests again on the C walker: the #PF stub runs the assembly
    # walker (arch/x86_64/poe_walk.asm) unless poe.walker=c; the C one
    # (arch/x86_64/poe_walk.c) is the reference and must keep passing.
    run_user(args, rep, "upoe c", "poe.always=1 poe.walker=c ", group="poe",
             must_print="poe: poe.walker=c: the #PF stub runs the C walker")


# --- real C libraries (tests/posix/) ------------------------------------------

# The real-libc tests that are EXPECTED TO FAIL ON OUR KERNEL, each with
# what it waits for: "VARIANT/NAME" (VARIANT: musl, glibc, musl-pie,
# glibc-pie) -> reason. The posix step reports such a failure as XFAIL
# (a pass) and fails when one passes, so that the entry is removed as
# soon as the kernel can run the program. On the Linux host every
# program must pass.
POSIX_XFAIL = {
}

# The lines of a real-libc test that must be the same on the kernel as
# on Linux (tests/posix/ptest.h): everything else on the console is the
# kernel's.
POSIX_LINE_RE = re.compile(r"^(?:ok - |not ok - |PASS |FAIL )")
POSIXRUN_RE = re.compile(r"^posixrun: (?:run (\S+)|(\S+): (exit|signal) "
                         r"(\d+)|(\S+): (.*))$")


def posix_programs(d):
    """[(VARIANT/NAME, host path)] of the built real-libc tests."""
    progs = []
    if not os.path.isdir(d):
        return progs
    for v in sorted(os.listdir(d)):
        vd = os.path.join(d, v)
        if not os.path.isdir(vd):
            continue
        for f in sorted(os.listdir(vd)):
            path = os.path.join(vd, f)
            if os.path.isfile(path) and os.access(path, os.X_OK):
                progs.append(("%s/%s" % (v, f), path))
    return progs


# The kernel boots of the posix and busybox steps: (SMP=, --icount).
# Each compares what the programs print with Linux's, so that timing
# cannot matter, and the SMP=2 boot adds what only two CPUs do: a
# thread, a child or a pipe's other end running on the other CPU
# (migration, wakeups across CPUs, TLB shootdowns under a libc). SMP=1
# under -icount repeats exactly; SMP=2 runs without it, the CPUs in
# parallel: under -icount QEMU runs the vCPUs in turns and a thread that
# spins without PAUSE (p_pthread's spin(), waiting for a thread on the
# other CPU) keeps the other vCPU from ever running, a hang that would
# say nothing about the kernel (docs/testing.md, "Several CPUs under
# `-icount`"). The SMP=2 boots add 8 s (posix) and 22 s (busybox) on a
# 2-core host.
KERNEL_BOOTS = ((1, True), (2, False))


def run_posix(args, rep):
    """Every real-libc test of tests/posix/, built with musl and glibc
    (make posix): first natively on this Linux host, where each must
    exit 0 and print PASS; then all in one boot of the kernel, under
    /bin/posixrun, where each must exit 0 and print the same lines as on
    Linux, unless POSIX_XFAIL expects it to fail."""
    out("# === real C libraries (musl, glibc) on Linux and on the kernel: "
        "%s" % args.posix)
    progs = posix_programs(args.posix)
    if not progs:
        rep.fail("posix: programs", ["no programs under %s (make posix "
                                     "BUILD=...; needs musl-gcc, "
                                     "tools/install-deps.sh)" % args.posix])
        return
    no_core_dumps()
    host = {}
    for key, path in progs:
        try:
            p = subprocess.run([path], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=60)
            lines = [clean_line(l) for l in p.stdout.splitlines(True)]
            rc = p.returncode
        except subprocess.TimeoutExpired:
            lines, rc = ["(timed out after 60 s)"], None
        for l in lines:
            out("  | " + l)
        mine = [l for l in lines if POSIX_LINE_RE.match(l)]
        host[key] = mine
        name = os.path.basename(key)
        rep.check("posix: %s on Linux" % key,
                  [] if rc == 0 and mine and mine[-1] == "PASS " + name
                  else ["exit status %s; last line %r" % (
                      describe_exit(rc), mine[-1] if mine else None)])
    why = missing_images(args)
    if why:
        rep.fail("posix: boot", why)
        return
    for n, icount in KERNEL_BOOTS:
        posix_boot(args, rep, progs, host, n, icount)


def smp_env(n):
    """The environment of a tools/qemu.sh boot with n CPUs: SMP=n, or
    for n == 1 None (this one's, as for every other one-CPU boot)."""
    if n == 1:
        return None
    env = dict(os.environ)
    env["SMP"] = str(n)
    return env


def boot_suffix(n):
    """What a posix or busybox result of the boot with n CPUs adds to
    its name: nothing at SMP=1 (the names the results always had), else
    " at SMP=n"."""
    return "" if n == 1 else " at SMP=%d" % n


def check_online(rep, label, n, online):
    """One result: the boot's console said `smp: n CPUs online` once
    (online: the counts it said), so that an SMP=n boot really had n."""
    rep.check("%s: boot line `smp: %d CPUs online`" % (label, n),
              [] if online == [n] else
              ["expected one line `smp: %d CPUs online`, saw %s" %
               (n, ", ".join("`smp: %d`" % c for c in online) or "none")])


def posix_boot(args, rep, progs, host, n, icount):
    """One boot of the kernel at SMP=n (under -icount if icount) with
    init=/bin/posixrun: every program of progs must exit 0 and print the
    lines host has for it, unless POSIX_XFAIL expects it to fail."""
    sfx = boot_suffix(n)
    got = {}   # VARIANT/NAME -> {"lines": [...], "end": str}
    cur = [None]
    online = []

    def on_line(line):
        m = SMP_ONLINE_RE.search(line)
        if m:
            online.append(int(m.group(1)))
        m = POSIXRUN_RE.match(line)
        if m and m.group(1):
            key = m.group(1)[len("/bin/posix-"):]
            cur[0] = key
            got[key] = {"lines": [], "end": None, "notes": []}
        elif m and m.group(2) and cur[0]:
            got[cur[0]]["end"] = "%s %s" % (m.group(3), m.group(4))
            cur[0] = None
        elif m and m.group(5) and cur[0]:
            got[cur[0]]["notes"].append(m.group(6))
        elif cur[0] and POSIX_LINE_RE.match(line):
            got[cur[0]]["lines"].append(line)
        elif cur[0] and "unimplemented syscall" in line:
            got[cur[0]]["notes"].append(line.strip())

    out("# --- posix: SMP=%d %sinit=/bin/posixrun" % (
        n, "--icount " if icount else ""))
    rc, timed_out = run_stream(
        qemu_cmd(args, *(icount_args() if icount else []), "--kernel",
                 args.kernel, "--initrd", args.initrd, "--append",
                 "init=/bin/posixrun"),
        args.timeout, on_line, env=smp_env(n))
    if timed_out or rc not in (0, 1):
        rep.fail("posix: the kernel's boot%s" % sfx, [
            "timed out" if timed_out else
            "kernel exit code %s" % describe_exit(rc)])
    if n > 1:
        check_online(rep, "posix" + sfx, n, online)
    for key, _ in progs:
        name = "posix: %s on the kernel%s" % (key, sfx)
        r = got.get(key)
        if r is None:
            why = ["posixrun never ran /bin/posix-%s (not in the initrd?)"
                   % key]
        else:
            why = []
            if r["end"] != "exit 0":
                why.append("ended with %s" % (r["end"] or "nothing"))
            if r["lines"] != host.get(key):
                why.append("its lines differ from Linux's (-linux +kernel):")
                why += ["  " + d for d in difflib.unified_diff(
                    host.get(key, []), r["lines"], lineterm="", n=1)][2:22]
            if why:  # what the kernel said about it may tell why
                why += ["  note: %s" % x for x in r["notes"][:5]]
        if key in POSIX_XFAIL and r is not None:
            if why:
                rep.ok("%s # XFAIL %s" % (name, POSIX_XFAIL[key]))
            else:
                rep.fail(name + " passed, but POSIX_XFAIL expects it to "
                         "fail: take it off that list")
        else:
            rep.check(name, why)


# --- busybox (tests/busybox/) -----------------------------------------------

# The cases of tests/busybox/run.sh EXPECTED TO DIFFER ON OUR KERNEL from
# the host's busybox, each with what it waits for. Reported as XFAIL (a
# pass); one that passes fails the step, so the entry goes in the commit
# that makes the case pass.
BUSYBOX_XFAIL = {
}
BUSYBOX_DIR = os.path.join(REPO, "tests", "busybox")
BUSYBOX_CASE_RE = re.compile(r"^=== (\S+)(?: status (\d+))?$")


def busybox_cases(lines):
    """{case: [its lines, the status line last]} of run.sh's output, in
    order, and whether the script's last line came; other lines before
    the first case are dropped."""
    cases, cur, ended = {}, None, False
    for line in lines:
        m = BUSYBOX_CASE_RE.match(line)
        if line == "busybox-run: end":
            ended = True
        elif m and not m.group(2):
            cur = m.group(1)
            cases[cur] = []
        elif cur is not None:
            cases[cur].append(line)
            if m and m.group(1) == cur:
                cur = None
    return cases, ended


def busybox_initrd(args, tmp):
    """A copy of args.initrd with args.busybox as /bin/busybox and every
    file of tests/busybox/ under /busybox/ (EXTRA_PROGRAMS and
    EXTRA_FILES, as user.mk lays them out); its path, or raise
    RuntimeError saying why not."""
    root = os.path.join(tmp, "initrd")
    os.makedirs(root)
    subprocess.run(["tar", "-xf", os.path.abspath(args.initrd), "-C", root],
                   check=True)
    os.makedirs(os.path.join(root, "bin"), exist_ok=True)
    shutil.copy2(args.busybox, os.path.join(root, "bin", "busybox"))
    specs = ["%s:/busybox/%s" % (os.path.join(BUSYBOX_DIR, f), f)
             for f in sorted(os.listdir(BUSYBOX_DIR))]
    p = subprocess.run(["bash", os.path.join(TOOLS, "initrd-add-files.sh"),
                        root] + specs, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    if p.returncode:
        raise RuntimeError(p.stdout.strip())
    tar = os.path.join(tmp, "initrd-busybox.tar")
    subprocess.run(["tar", "--format=ustar", "--owner=0", "--group=0",
                    "--numeric-owner", "--mtime=@0", "--sort=name", "-cf",
                    tar] + sorted(os.listdir(root)), cwd=root, check=True)
    return tar


def run_busybox(args, rep):
    """tests/busybox/run.sh under busybox sh: on this host (the oracle),
    then booted as init on the kernel; each case's lines must be the
    host's, unless BUSYBOX_XFAIL expects the case to differ."""
    out("# === busybox sh on Linux and on the kernel: %s" % args.busybox)
    if not (os.path.isfile(args.busybox) and os.access(args.busybox,
                                                       os.X_OK)):
        rep.fail("busybox: binary", [
            "no busybox at %s: install busybox-static "
            "(tools/install-deps.sh) or pass --busybox PATH" % args.busybox])
        return
    script = os.path.join(BUSYBOX_DIR, "run.sh")
    with tempfile.TemporaryDirectory(prefix="busybox-") as tmp:
        try:
            p = subprocess.run([os.path.abspath(args.busybox), "sh", script,
                                os.path.join(tmp, "bb")], cwd=tmp,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=60)
            lines = [clean_line(l) for l in p.stdout.splitlines(True)]
        except subprocess.TimeoutExpired:
            lines = ["(timed out after 60 s)"]
        host, ended = busybox_cases(lines)
        bad = [c for c, l in host.items() if l[-1:] != ["=== %s status 0" % c]]
        rep.check("busybox: run.sh on Linux", [] if ended and host and not bad
                  else ["cases failing on the host: %s%s" % (
                      ", ".join(bad), "" if ended else "; no end line")]
                  + ["  | " + l for l in lines[-10:]])
        for c in BUSYBOX_XFAIL:
            if c not in host:
                rep.fail("busybox: BUSYBOX_XFAIL names %s, which run.sh "
                         "does not have" % c)
        why = missing_images(args)
        if why:
            rep.fail("busybox: boot", why)
            return
        try:
            initrd = busybox_initrd(args, tmp)
        except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
            rep.fail("busybox: initrd", [str(e)])
            return
        for n, icount in KERNEL_BOOTS:
            busybox_boot(args, rep, initrd, host, n, icount)


def busybox_boot(args, rep, initrd, host, n, icount):
    """One boot of the kernel at SMP=n (under -icount if icount) from
    initrd (busybox_initrd()) with run.sh as init: each case of host
    (busybox_cases() of the run on Linux) must print the same lines,
    unless BUSYBOX_XFAIL expects it to differ."""
    sfx = boot_suffix(n)
    kernel = []
    notes = {}
    cur = [None]
    online = []

    def on_line(line):
        m = SMP_ONLINE_RE.search(line)
        if m:
            online.append(int(m.group(1)))
        if "unimplemented syscall" in line:
            notes.setdefault(cur[0], []).append(line.strip())
            return
        m = BUSYBOX_CASE_RE.match(line)
        if m:
            cur[0] = None if m.group(2) else m.group(1)
        kernel.append(line)

    out("# --- busybox: SMP=%d %sinit=/bin/busybox" % (
        n, "--icount " if icount else ""))
    rc, timed_out = run_stream(
        qemu_cmd(args, *(icount_args() if icount else []), "--kernel",
                 args.kernel, "--initrd", initrd, "--append",
                 "init=/bin/busybox -- sh /busybox/run.sh /tmp/bb"),
        min(args.timeout, 150), on_line, env=smp_env(n))
    got, ended = busybox_cases(kernel)
    rep.check("busybox: the kernel's boot%s" % sfx,
              [] if not timed_out and rc == 0 and ended else
              ["timed out" if timed_out else
               "kernel exit code %s" % describe_exit(rc)
               if rc != 0 else "run.sh never ended"])
    if n > 1:
        check_online(rep, "busybox" + sfx, n, online)
    for c, want in host.items():
        name = "busybox: %s on the kernel%s" % (c, sfx)
        have = got.get(c)
        if have is None:
            why = ["the case never ran on the kernel"]
        elif have != want:
            why = ["its lines differ from Linux's (-linux +kernel):"]
            why += ["  " + d for d in difflib.unified_diff(
                want, have, lineterm="", n=1)][2:22]
            why += ["  note: %s" % x for x in notes.get(c, [])[:5]]
        else:
            why = []
        if c in BUSYBOX_XFAIL:
            if why:
                rep.ok("%s # XFAIL %s" % (name, BUSYBOX_XFAIL[c]))
            else:
                rep.fail(name + " passed, but BUSYBOX_XFAIL expects it to "
                         "differ: take it off that list")
        else:
            rep.check(name, why)


# --- page poisoning (mm/page_poison.c) --------------------------------------------

# The poison step's boots, all with page_poison=1: (label, SMP=,
# --icount, command line, with the initrd, results that must run and not
# skip). Every freed page then holds 0xaa and every allocation checks
# it, so a write into a free page anywhere in these runs is a report.
# About 60 s together on a loaded 2-core host.
POISON_BOOTS = (
    ("poison ktest", 1, True, "page_poison=1 test=all", False,
     ("page_poison.use_after_free_is_reported",
      "page_poison.zeroed_list_page_is_checked",
      "page_poison.prezeroing_checks_first",
      "page_poison.checker_finds_the_bytes")),
    # POE on in every program: its refills take pages off the zeroed
    # list and the buddy allocator on both CPUs, and its idle time
    # zeroes free pages ahead, each checked first. The CPUs in parallel,
    # as in the smppoe step: under -icount t_poe_refill's idle CPU never
    # gets to help (it fails there with poisoning off too). A zeroed
    # list of 1,024 pages, not 1/8 of memory: after the tests before it
    # have drained the list, refilling 7,926 poisoned pages kept the
    # idle CPU busy through all three of t_poe_refill's sweeps, so that
    # no refill was ever handed to it; 1,024 fill and still take the
    # checks before the zeroing.
    ("poison upoe", 2, False, "page_poison=1 poe.always=1 poe.prezero=1024 "
     "init=/bin/usertests -- /bin all", True, ()),
)
POISON_ON_RE = re.compile(r"page_poison: on: ")
# Linux's first line of a report (check_poison_mem()); one a test caused
# on purpose ends "(expected by a test)" instead and passes.
POISON_REPORT_RE = re.compile(
    r"pagealloc: (memory corruption|single bit error)\s*$")


def run_poison(args, rep):
    """Each POISON_BOOTS boot: its KTAP results, and failures for a
    corruption report, in a user boot a complaint of the kernel about its
    own state (KERNEL_COMPLAINT_RE: a bad free, a leaked POE entry, ...),
    no line
    saying poisoning is on, or a must-run test that did not run. A leak
    fails through the results: each ktest checks the free pages it
    found, usertests the free-page baseline."""
    for label, n, icount, cmdline, initrd, must_run in POISON_BOOTS:
        why = missing_images(args, initrd)
        if why:
            rep.fail("%s: boot" % label, why)
            continue
        out("# === %s: SMP=%d %s%s" % (label, n, "--icount " if icount
                                        else "", cmdline))
        k = KtapParser(rep, label)
        st = {"on": False, "reports": [], "complaints": [], "ran": {}}

        def on_line(line, st=st, k=k):
            if POISON_ON_RE.search(line):
                st["on"] = True
            if POISON_REPORT_RE.search(line):
                st["reports"].append(line.strip())
            elif initrd and KERNEL_COMPLAINT_RE.search(line) and \
                    not PANIC_RE.search(line):
                # Not in test=all, whose page_alloc tests free twice
                # on purpose; a panic is finish_ktap()'s.
                st["complaints"].append(line.strip())
            m = RESULT_RE.match(line)
            if m:
                skipped = (m.group("directive") or "").upper() == "SKIP"
                st["ran"][m.group("name")] = \
                    (m.group("reason") or "SKIP").strip() if skipped else None
            k.feed(line)

        env = dict(os.environ)
        env["SMP"] = str(n)
        opts = (icount_args() if icount else []) + ["--kernel", args.kernel]
        if initrd:
            opts += ["--initrd", args.initrd]
        rc, timed_out = run_stream(
            qemu_cmd(args, *opts, "--append", cmdline), args.timeout, on_line,
            env=env)
        finish_ktap(rep, label, k, rc, timed_out, args.timeout,
                    run_name="%s: boot (%s)" % (label, cmdline))
        rep.check("%s: `page_poison: on` at boot" % label,
                  [] if st["on"] else ["no such line: page_poison=1 did "
                                       "not take effect"])
        rep.check("%s: no corruption report" % label, st["reports"][:5])
        rep.check("%s: no complaint of the kernel" % label,
                  st["complaints"][:5])
        for name in must_run:
            rep.check("%s: %s ran" % (label, name),
                      ["no result for %s" % name] if name not in st["ran"]
                      else ["skipped (%s)" % st["ran"][name]]
                      if st["ran"][name] else [])


# --- the system-call fuzzer (user/fuzz.c) -----------------------------------------

# The fuzz step's boots: (label, SMP=, words before init=, fuzz's
# arguments). About 10 s each on a loaded 2-core host; make fuzz
# (tools/fuzz.sh) is the long run. irqsoff.trace=1: the totals end with
# the longest interrupts-off section (kernel/irqsoff.c), printed here.
FUZZ_BOOTS = (
    ("fuzz smp1", 1, "irqsoff.trace=1 ", "seed=1 rounds=30"),
    ("fuzz smp2 poe", 2, "irqsoff.trace=1 poe.always=1 ", "seed=2 rounds=25"),
)
FUZZ_TOTALS_RE = re.compile(
    r"fuzz: totals: seed (\d+), (\d+) rounds, (\d+) calls, (\d+) actions, "
    r"virtual time ([\d.]+) s, cpus (\d+), poe (\S+)")
FUZZ_CALLS_RE = re.compile(
    r"fuzz: calls (\S+)\s+(\d+)\s+ok\s+(\d+)\s+efault\s+(\d+)")
FUZZ_HASH_RE = re.compile(r"fuzz: program hash ([0-9a-f]+)")
FUZZ_RESULT_RE = re.compile(r"fuzz: result: (PASS|FAIL)")
FUZZ_IRQSOFF_RE = re.compile(r"fuzz: irqsoff: (longest interrupts-off .*)")
# user/fuzz.c's print_thp(): the huge-page events of the run.
FUZZ_THP_RE = re.compile(r"fuzz: thp: (\d+) huge faults, (\d+) fall-backs, "
                         r"(\d+) huge pmds split")
FUZZ_FAIL_RE = re.compile(r"fuzz: FAIL |fuzz:   ")
# What the kernel prints when its own state is wrong (tools/fuzz.sh has
# the same list).
KERNEL_COMPLAINT_RE = re.compile(
    r"Kernel panic - not syncing|Oops: |BUG at |page_alloc: bad free|"
    r"page_alloc: .* of pfn|kmalloc: .* of .* by|mmput: .* left rss|"
    r"poe: entry .* (leaked|still reserved)|"
    r"smp: cross-CPU call with interrupts off|traps: unexpected interrupt|"
    r"ran again after exiting|init exited with signal")


def fuzz_boot(args, rep, label, n, extra, fargs):
    """One boot of the fuzzer; returns what it printed (totals, calls,
    hash), or None when the boot failed."""
    cmdline = "loglevel=5 %sinit=/bin/fuzz -- %s" % (extra, fargs)
    out("# === %s: SMP=%d %s" % (label, n, cmdline))
    st = {"totals": None, "calls": {}, "hash": None, "result": None,
          "fail": [], "complaints": [], "tail": [], "irqsoff": None,
          "thp": None}

    def on_line(line):
        st["tail"] = (st["tail"] + [line])[-30:]
        m = FUZZ_TOTALS_RE.search(line)
        if m:
            st["totals"] = m.groups()
        m = FUZZ_CALLS_RE.search(line)
        if m:
            st["calls"][m.group(1)] = int(m.group(2))
        m = FUZZ_HASH_RE.search(line)
        if m:
            st["hash"] = m.group(1)
        m = FUZZ_RESULT_RE.search(line)
        if m:
            st["result"] = m.group(1)
        m = FUZZ_IRQSOFF_RE.search(line)
        if m:
            st["irqsoff"] = m.group(1)
        m = FUZZ_THP_RE.search(line)
        if m:
            st["thp"] = (int(m.group(1)), int(m.group(3)))
        if FUZZ_FAIL_RE.search(line) and len(st["fail"]) < 60:
            st["fail"].append(line)
        if KERNEL_COMPLAINT_RE.search(line) and len(st["complaints"]) < 20:
            st["complaints"].append(line)

    env = dict(os.environ)
    env["SMP"] = str(n)
    t0 = time.monotonic()
    # The console is long (a line per round, the kernel's line for
    # every program it kills): not echoed; the summary and, on a
    # failure, its reasons and last lines are.
    rc, timed_out = run_stream(
        qemu_cmd(args, *icount_args(), "--repeatable", "--kernel",
                 args.kernel, "--initrd", args.initrd, "--append", cmdline),
        args.timeout, on_line, env=env, echo=False)
    why = []
    if timed_out:
        why.append("timed out after %ss (hang?)" % args.timeout)
    elif rc != 0:
        why.append("exit status %s, expected 0" % describe_exit(rc))
    why += ["kernel: " + c for c in st["complaints"]]
    why += st["fail"]
    if st["result"] != "PASS":
        why.append("no `fuzz: result: PASS` (%s)" % (st["result"] or "none"))
    if st["totals"] is None:
        why.append("no `fuzz: totals:` line")
    if why:
        why += ["last console lines:"] + ["| " + l for l in st["tail"]]
        why.append("repeat: make fuzz SEED=%s SMP=%d POE=%s ROUNDS=%s" % (
            re.search(r"seed=(\d+)", fargs).group(1), n,
            "always" if "poe.always=1" in extra else "off",
            re.search(r"rounds=(\d+)", fargs).group(1)))
        rep.fail("%s: %s without a panic, hang, leak or wrong result" %
                 (label, fargs), why)
        return None
    seed, rounds, calls, actions, vt, cpus, poe = st["totals"]
    out("# %s: %s rounds, %s calls, %s actions, %s s of virtual time, "
        "cpus %s, poe %s, in %.0f s" % (label, rounds, calls, actions, vt,
                                        cpus, poe, time.monotonic() - t0))
    rep.ok("%s: %s without a panic, hang, leak or wrong result" %
           (label, fargs))
    never = sorted(k for k, v in st["calls"].items() if v == 0)
    rep.check("%s: every system call and action of the fuzzer made" % label,
              [] if st["calls"] and not never else
              ["never made: %s" % (", ".join(never) or "(no `fuzz: calls` "
                                   "lines)")])
    # The huge-page workouts (the `huge` action, docs/thp.md) must have
    # mapped 2 MiB pages and split some: else they test nothing.
    rep.check("%s: the fuzzer mapped and split huge pages" % label,
              [] if st["thp"] and st["thp"][0] > 0 and st["thp"][1] > 0 else
              ["`fuzz: thp:` says %s" % (
                  "%d huge faults, %d splits" % st["thp"] if st["thp"] else
                  "nothing (no line)")])
    # A figure, not a limit (docs/testing.md): only its absence fails.
    if "irqsoff.trace=1" in extra:
        out("# %s: %s" % (label, st["irqsoff"] or "no irqsoff line"))
        rep.check("%s: the longest interrupts-off section traced" % label,
                  [] if st["irqsoff"] else
                  ["no `fuzz: irqsoff: longest ...` line with "
                   "irqsoff.trace=1"])
    return st


def run_fuzz(args, rep):
    why = missing_images(args)
    if why:
        rep.fail("fuzz: boot", why)
        return
    first = None
    for i, (label, n, extra, fargs) in enumerate(FUZZ_BOOTS):
        st = fuzz_boot(args, rep, label, n, extra, fargs)
        if i == 0:
            first = st
    if icount_args() and first is not None:
        # Under -icount and --repeatable the whole run repeats: the same
        # seed must draw the same calls, or a failure could not be
        # replayed from its seed.
        label, n, extra, fargs = FUZZ_BOOTS[0]
        again = fuzz_boot(args, rep, "fuzz repeat", n, extra, fargs)
        if again is not None:
            rep.check("fuzz repeat: %s again draws the same calls" % fargs,
                      [] if (again["hash"], again["calls"]) ==
                      (first["hash"], first["calls"]) else
                      ["program hash %s, first run %s" % (again["hash"],
                                                          first["hash"])] +
                      ["%s: %d calls, first run %d" % (k, v,
                                                       first["calls"].get(k, 0))
                       for k, v in sorted(again["calls"].items())
                       if v != first["calls"].get(k)])


# --- the coursework labs (labs/, tools/lab.py, tools/grade.py) ---------------------

# Where the kernel's sources are (the Makefile's C_SRCS and ASM_SRCS): only
# their objects are lent to a lab's skeleton build (seed_lab_build()).
KERNEL_SRC_DIRS = ("kernel/", "mm/", "fs/", "drivers/", "arch/", "boot/",
                   "tests/kernel/")


def dep_file(path):
    """(target, [prerequisites]) of a make dependency file that gcc -MMD
    or nasm -M wrote: its first rule only, the object's; None when it has
    no rule."""
    with open(path, encoding="utf-8", errors="replace") as fp:
        text = fp.read().replace("\\\n", " ")
    rule = text.split("\n", 1)[0]
    if ":" not in rule:
        return None
    target, deps = rule.split(":", 1)
    return target.strip(), deps.split()


def seed_lab_build(ref_build, build, changed):
    """Lend the kernel objects of this tree's build ref_build to a lab's
    skeleton build directory build, so that its make compiles only what the
    skeleton changed: (objects lent, their total). changed: the tree files
    (relative paths) the skeleton differs in.

    An object is lent, with its dependency file and its timestamps, only
    when ref_build's flags.txt is there (it is copied too: a skeleton make
    with another compiler or other flags rewrites it and rebuilds all, as
    the Makefile does), its source is a kernel source, and none of its
    prerequisites (the source, every header it included) is in changed.
    Every other file of the skeleton is byte for byte this tree's, with
    the same mtime (tools/lab.py copies it with copy2), so the lent object
    is what the skeleton's make would compile from it with the same flags,
    -Werror included; a file edited after ref_build was made is newer than
    its object and make compiles it again. The dependency file's target
    names the object under ref_build's BUILD string: it is rewritten to
    build's, or make would not know the object's headers."""
    flags = os.path.join(ref_build, "flags.txt")
    if not os.path.isfile(flags):
        return 0, 0
    lent = total = 0
    changed = set(changed)
    for d, dirs, names in os.walk(ref_build):
        for name in names:
            if not name.endswith(".d"):
                continue
            dpath = os.path.join(d, name)
            obj = dpath[:-2] + ".o"
            rel = os.path.relpath(obj, ref_build)
            try:
                rule = dep_file(dpath)
            except OSError:
                continue
            if rule is None or not os.path.isfile(obj):
                continue
            target, deps = rule
            if not deps or not deps[0].startswith(KERNEL_SRC_DIRS) or \
                    not target.endswith(rel):
                continue
            total += 1
            if changed.intersection(deps):
                continue
            dst = os.path.join(build, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(obj, dst)
            with open(dpath, encoding="utf-8", errors="replace") as fp:
                text = fp.read()
            with open(dst[:-2] + ".d", "w", encoding="utf-8") as fp:
                fp.write(os.path.join(build, rel) +
                         text[len(target):] if text.startswith(target)
                         else text)
            shutil.copystat(dpath, dst[:-2] + ".d")
            lent += 1
    os.makedirs(build, exist_ok=True)
    shutil.copy2(flags, os.path.join(build, "flags.txt"))
    return lent, total


def run_labs(args, rep):
    import grade
    import lab as labtool
    grade.rt = sys.modules[__name__]  # one set of QEMU processes to kill
    why = missing_images(args)
    if why:
        rep.fail("labs: boot", why)
        return
    build = os.path.dirname(os.path.abspath(args.kernel))
    labs = labtool.known_labs(REPO)
    try:
        found = labtool.scan(REPO, labs)
    except labtool.MarkerError:
        found = {}  # labtool.make() says so, for each lab
    for name in labtool.lab_order(labs):
        out("# === lab %s: the reference, then the skeleton" % name)
        _, tests = grade.load(name)
        log = os.path.join(build, "labs", "grade-%s-main.log" % name)
        os.makedirs(os.path.dirname(log), exist_ok=True)
        with open(log, "w") as fp:
            grade.Grader(args.kernel, args.initrd, log=fp).run(tests)
        got = sum(t.earned for t in tests)
        total = sum(t.points for t in tests)
        out("# lab %s: the reference scores %d/%d" % (name, got, total))
        rep.check("labs: %s: the reference scores full marks (%d/%d)" %
                  (name, got, total),
                  ["%s: %s" % (t.name, "; ".join(t.why)) for t in tests
                   if not t.passed] + (["serial log: %s" % log]
                                       if got < total else []))
        tmp = tempfile.mkdtemp(prefix="lab-%s-" % name)
        try:
            tree = os.path.join(tmp, "tree")
            try:
                labtool.make(REPO, name, tree)
            except (SystemExit, labtool.MarkerError) as e:
                rep.fail("labs: %s: the skeleton is generated" % name,
                         [str(e)])
                continue
            kernel = os.path.join(tmp, "build", "kernel.elf")
            # Only the objects of the files the skeleton changed (and of
            # those that include them) are compiled; the rest are this
            # tree's (seed_lab_build()).
            mine = [f for f, rs in found.items()
                    if any(r.lab == name for r in rs)]
            lent, objs = seed_lab_build(build, os.path.join(tmp, "build"),
                                        mine)
            # -Werror: WERROR=1, make's default, spelled out.
            cmd = ["make", "--no-print-directory", "-C", tree, "-j2",
                   "BUILD=" + os.path.join(tmp, "build"), "WERROR=1",
                   "kernel"]
            p = subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
            lines = p.stdout.decode("utf-8", "replace").splitlines()
            out("# lab %s: the skeleton's kernel: %d of %d objects from "
                "%s, compiled: %s" % (
                    name, lent, objs, build, ", ".join(
                        x.split()[-1] for x in lines
                        if x.split()[:1] in (["CC"], ["NASM"])
                        and "ksyms" not in x) or "nothing"))
            rep.check("labs: %s: the skeleton builds with -Werror" % name,
                      [] if p.returncode == 0 else
                      ["+ " + " ".join(cmd)] +
                      [x for x in lines if not x.startswith("  ")][-20:])
            if p.returncode != 0:
                continue
            # User space is the reference's unless a region is in it.
            initrd = args.initrd
            if any(not f.startswith(("kernel/", "mm/", "arch/", "include/"))
                   for f in mine):
                p = subprocess.run(cmd[:-1] + ["initrd"],
                                   stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
                initrd = os.path.join(tmp, "build", "initrd.tar")
            _, tests = grade.load(name, root=tree)
            log = os.path.join(build, "labs", "grade-%s-skeleton.log" % name)
            with open(log, "w") as fp:
                grade.Grader(kernel, initrd, log=fp).run(tests)
            got = sum(t.earned for t in tests)
            total = sum(t.points for t in tests)
            out("# lab %s: the skeleton scores %d/%d (%s)" % (
                name, got, total, ", ".join(
                    "%s %d" % (t.name, t.earned) for t in tests if t.earned)
                or "nothing passed"))
            rep.check("labs: %s: the skeleton scores below full marks "
                      "(%d/%d)" % (name, got, total),
                      ["every test passed without the lab's code: serial "
                       "log %s" % log] if got >= total else [])
            rep.check("labs: %s: the skeleton scores 0 on the core tests "
                      "(%s)" % (name, ", ".join(t.name for t in tests
                                                if t.core)),
                      ["%s earned %d points without the lab's code" %
                       (t.name, t.earned) for t in tests
                       if t.core and t.earned])
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


# --- steps beside others ---------------------------------------------------------

# Steps that run in a runner process of their own beside other steps, on
# the second core: (step, the first step it runs beside, the step it must
# have ended before). Every boot in such a window, and the step's own,
# is under -icount, where the guest's clock counts its own instructions
# and a loaded host changes only how long a boot takes (each has a
# timeout of --timeout or more, several times what it needs). No boot
# with its CPUs in parallel (the races and idle-CPU tests) runs beside
# one: smp_boot() ends every step beside first. The host-only steps
# (host .. ulibc) are no window: they keep both cores busy themselves
# (compilers, sanitizers), and a boot beside them gained nothing. Their
# results come when they end, renumbered, with every line they printed.
BESIDE = (
    # Every user test, SMP=1 under -icount (80 to 100 s), beside the smp
    # step's boots under -icount (test=all at SMP=2 and 4, mmap_lock with
    # mm.fault_lock=global: 150 to 180 s), which come first; it ends
    # before the first boot with the CPUs in parallel.
    ("user", "smp", "smppoe"),
    # The same with poe.always=1, then poe.walker=c (100 to 120 s),
    # beside usmp's SMP=2 under -icount (100 to 120 s), one QEMU thread.
    ("upoe", "usmp", "posix"),
)
# The steps a window may hold: they boot only under -icount, but for
# smp's boots with the CPUs in parallel, which end every step beside
# first (smp_boot() calls end_beside()).
BESIDE_OK = ("smp", "usmp", "user", "upoe")
# The steps running beside (their Beside) now.
BESIDE_JOBS = {}


def end_beside(rep):
    """Wait for every step running beside (BESIDE_JOBS) and report it."""
    for step in list(BESIDE_JOBS):
        BESIDE_JOBS.pop(step).report(rep)


def beside_plan(steps):
    """{step: (start, until)} of the BESIDE entries that apply to the
    steps about to run: the step and another in its window are selected
    (a step run alone runs in its own place), and every selected step of
    the window is one of BESIDE_OK."""
    plan = {}
    for step, start, until in BESIDE:
        window = [s for s in STEPS[STEPS.index(start):STEPS.index(until)]
                  if s in steps and s != step]
        if step in steps and window and all(s in BESIDE_OK for s in window):
            plan[step] = (start, until)
    return plan


def child_argv(step):
    """This runner's command line, with --only STEP instead of its own."""
    argv, skip = [], False
    for a in sys.argv[1:]:
        if skip:
            skip = False
        elif a == "--only":
            skip = True
        elif not a.startswith("--only="):
            argv.append(a)
    return [sys.executable, os.path.abspath(__file__)] + argv + \
        ["--only", step]


# A result line as Reporter prints it (a name may hold `#`: `#PF`).
REPORTED_RE = re.compile(r"^(?P<ok>ok|not ok) \d+ (?P<name>.*?)"
                         r"(?: # SKIP (?P<reason>.*))?$")


class Beside:
    """One step run by a runner process of its own (child_argv()), its
    output in a temporary file until report() replays it."""

    def __init__(self, step):
        self.step = step
        self.fp = tempfile.TemporaryFile()
        out("# === %s: starts beside the next steps; its results come "
            "later" % step)
        self.t0 = time.monotonic()
        self.p = spawn(child_argv(step), stdout=self.fp,
                       stderr=subprocess.STDOUT)

    def report(self, rep):
        """Wait for the step's end and replay what it printed: its result
        lines through rep (renumbered), every other line as it was, its
        summary lines dropped. A runner that did not end with the summary
        (a crash), or whose count disagrees with its results, fails."""
        rc = self.p.wait()
        LIVE.discard(self.p)
        self.fp.seek(0)
        lines = [clean_line(x) for x in self.fp.read().splitlines()]
        self.fp.close()
        end = max([i for i, x in enumerate(lines) if x.startswith("# ran ")]
                  or [len(lines)])
        out("# === %s: ran beside the steps before (started %.0f s ago; "
            "%s); its output:" % (self.step, time.monotonic() - self.t0,
                                  lines[end][2:] if end < len(lines)
                                  else "no end line"))
        got = [0, 0]
        for line in lines[:end]:
            m = REPORTED_RE.match(line)
            if not m:
                out(line)
                continue
            name = m.group("name")
            if m.group("reason") is not None:
                rep.skip(name, m.group("reason"))
            elif m.group("ok") == "ok":
                rep.ok(name)
                got[0] += 1
            else:
                rep.fail(name)
                got[1] += 1
        last = lines[-1] if lines else ""
        m = re.match(r"^(\d+) passed, (\d+) failed$", last)
        # Only a failure: a clean end adds no result, so that the counts
        # are those of the step run in its place.
        if not (m and [int(m.group(1)), int(m.group(2))] == got and
                rc in (0, 1)):
            rep.fail("%s: its runner process ended with its summary" %
                     self.step, ["exit status %s, last line %r, %d passed "
                                 "and %d failed replayed" %
                                 (rc, last, got[0], got[1])] +
                     lines[end:][-10:])


# --- main -------------------------------------------------------------------------

def parse_only(values):
    steps = []
    for v in values or []:
        for s in v.split(","):
            s = STEP_ALIASES.get(s.strip(), s.strip())
            if s not in STEPS:
                raise SystemExit("run_tests.py: --only: unknown step %r "
                                 "(steps: %s)" % (s, ", ".join(STEPS)))
            steps.append(s)
    return steps or list(DEFAULT_STEPS)


def main():
    ap = argparse.ArgumentParser(
        description="Run host unit tests and boot the kernel under QEMU "
                    "for its tests; last line `N passed, N failed`.")
    ap.add_argument("--kernel", default="build/kernel.elf",
                    help="ELF kernel for direct (-kernel) boots")
    ap.add_argument("--iso", default="build/os.iso", help="GRUB rescue ISO")
    ap.add_argument("--host", default="build/host",
                    help="directory of host test binaries test_*")
    # One SMP=2 boot of every ktest takes ~60 s of host time; on a shared
    # 2-core host at load 10 that became 240 s of wall clock. A hang still
    # fails, only later.
    ap.add_argument("--timeout", type=float, default=300,
                    help="seconds per boot / host binary (default 300; "
                         "the oops, iso and gdb boots use at most 60-90)")
    ap.add_argument("--fuzz", default="build/fuzz",
                    help="directory of the fuzz harnesses fuzz_* "
                         "(make fuzz-host-build)")
    ap.add_argument("--fuzz-runs", type=int, default=3000, metavar="N",
                    help="inputs each harness fuzzes after its corpus "
                         "(step fuzzhost; default 3000)")
    ap.add_argument("--initrd", default="build/initrd.tar",
                    help="initrd for the user step (make initrd)")
    ap.add_argument("--user-bin", default="build/user/bin",
                    help="our-libc user programs for the ulibc step (make user)")
    ap.add_argument("--posix", default="build/posix",
                    help="the real-libc tests, VARIANT/NAME (make posix), "
                         "for the posix step")
    ap.add_argument("--busybox", default="/bin/busybox",
                    help="static busybox for the busybox step (package "
                         "busybox-static, tools/install-deps.sh)")
    ap.add_argument("--ulinux", default="build/ulinux",
                    help="output directory of the ulinux step's glibc builds")
    ap.add_argument("--linux", default="build/linux",
                    help="Debian's kernel for the ulinuxvm step, downloaded "
                         "once (tools/fetch-linux.sh)")
    ap.add_argument("--ulinuxvm-tests", default="", metavar="WORDS",
                    help="the ulinuxvm step's tests: names or groups, "
                         "space- or comma-separated (default: %s)"
                         % " ".join(HOST_GROUPS))
    ap.add_argument("--ulinuxvm-timeout", type=float, default=1200,
                    metavar="SEC",
                    help="seconds for the ulinuxvm step's one boot, every "
                         "test in it (default 1200)")
    # The initramfs holds ~80 MiB of static programs, in RAM, and
    # t_mm_churn's children map 256 MiB each on Linux: 256M is too small.
    ap.add_argument("--ulinuxvm-mem", default="1G", metavar="SIZE",
                    help="guest RAM of the ulinuxvm step's boot, QEMU -m "
                         "syntax (default 1G; not MEM)")
    ap.add_argument("--only", action="append", metavar="STEP",
                    help="run only these steps (repeat or comma-separate): "
                         + ", ".join(STEPS))
    ap.add_argument("--ktest", default="all", metavar="FILTER",
                    help="in-kernel test selection, the value of test= "
                         "(all, SUITE or SUITE.NAME; default all)")
    ap.add_argument("--hostcc", default=os.environ.get("HOSTCC", "gcc"),
                    help="compiler for the ulinux step (default $HOSTCC or gcc)")
    ap.add_argument("--qemu", default=QEMU_SH, help=argparse.SUPPRESS)
    ap.add_argument("--gdb", default="gdb", help=argparse.SUPPRESS)
    args = ap.parse_args()
    steps = parse_only(args.only)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    rep = Reporter()
    t0 = time.monotonic()
    run = {"host": run_host, "fuzzhost": run_fuzzhost, "ktest": run_ktest,
           "smp": run_smp,
           "smppoe": run_smp_poe, "usmp": run_user_smp,
           "oops": run_oops, "cmdline": run_cmdline, "iso": run_iso,
           "gdb": run_gdb,
           "ulinux": run_ulinux, "ulinuxvm": run_ulinuxvm,
           "ulibc": run_ulibc, "user": run_user,
           "upoe": run_user_poe, "posix": run_posix, "poison": run_poison,
           "busybox": run_busybox,
           "fuzz": run_fuzz,
           "labs": run_labs}
    plan = beside_plan(steps)
    started = set()  # the steps of plan started beside
    try:
        for s in STEPS:
            if s not in steps:
                continue
            for b, (start, until) in plan.items():
                if b in BESIDE_JOBS and STEPS.index(s) >= STEPS.index(until):
                    BESIDE_JOBS.pop(b).report(rep)
            for b, (start, until) in plan.items():
                if b not in started and STEPS.index(start) <= \
                        STEPS.index(s) < STEPS.index(until) and s != b:
                    started.add(b)
                    BESIDE_JOBS[b] = Beside(b)
            if s in plan:
                continue  # run by its own runner process (beside)
            t1 = time.monotonic()
            run[s](args, rep)
            out("# step %s: %.0f s" % (s, time.monotonic() - t1))
        end_beside(rep)
    finally:
        kill_all()

    out("# ran %s in %.0fs (ACCEL=%s MEM=%s)" % (
        ", ".join(s for s in STEPS if s in steps), time.monotonic() - t0,
        os.environ.get("ACCEL", "tcg"), os.environ.get("MEM", "256M")))
    for f in rep.failures:
        out("# failed: %s" % f)
    if rep.skipped:
        out("# %d skipped" % rep.skipped)
    if rep.passed + rep.failed == 0:
        out("# nothing ran")
    out("%d passed, %d failed" % (rep.passed, rep.failed))
    return 1 if rep.failed or rep.passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
