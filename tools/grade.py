#!/usr/bin/env python3
"""
grade.py - score a lab, as xv6's gradelib does (labs/README.md).

    grade.py LAB [--kernel K] [--initrd I] [--tests DIR] [--format text|csv]

A lab's tests and their points are in labs/LAB/lab.json:

    {"title": "...", "order": 2,
     "tests": [
       {"name": "lab_demand.read_maps_the_zero_page", "kind": "ktest",
        "points": 10, "core": true},
       {"name": "t_mm_zero_fill", "kind": "user", "points": 5},
       {"name": "lab_pgwalk.dump_prints_each_level", "kind": "ktest",
        "points": 10, "expect": ["^walk 0000100000000000:$", "..."]}
     ]}

kind `ktest`: an in-kernel test SUITE.NAME, booted as test=SUITE (one boot
per suite); `user`: a user test of tests/user/usertests.c, or its
free_pages_back_to_baseline check, booted as init=/bin/usertests -- /bin
NAME... (one boot for all of them); `program`: a program booted as init
(`"cmd": "/bin/prog -- args"`) that passes when the kernel exits with
code 0. Optional keys: `metric` (a regular expression whose first group
is a number the test prints) with `tiers` ([[bound, points], ...]: the
points of the first bound the number is within, at most each bound, or
at least with `"better": "higher"`; the best tier is the test's
points), `append` (kernel command line words before the test's own),
`smp` (CPUs, default 1), `icount` (false: the CPUs run in parallel, as
the smppoe step's boots, for a test that needs an idle CPU to make
progress meanwhile), `timeout` (seconds per boot), `expect` (regular
expressions that the lines the test printed, between the previous result
and its own, must match in this order), `core` (the lab's core tests:
tools/run_tests.py's `labs` step checks that the skeleton scores 0 on
each).

Every boot goes through tools/qemu.sh under -icount with norandmaps (the
runner's qemu_cmd()), so a run repeats exactly. A test passes only with a
clean `ok` (a SKIP earns nothing) and every `expect` line. A hang or a
panic scores 0 for the test that was running: when a boot dies with more
than one of its tests unreported, each of those is booted again alone,
so that only the guilty one loses its points. A boot that dies before its
harness printed anything (the kernel cannot run init) fails all its tests.

--tests DIR (make grade GRADE_TESTS=DIR) adds a teacher's hidden tests:
DIR/LAB.json (the format above, its tests added to the lab's), DIR/kernel/
*.c (in-kernel tests, built into a kernel of their own in BUILD/grade-
hidden, with tests/kernel/ on the include path) and DIR/bin/* (static
programs for `program` tests, added to that build's initrd).

Output: one line per test with its points and `Score: N/M`; with --format
csv, one line per test: lab,test,kind,points,max,result,why (result:
pass or fail). Exit status 0 only at full marks, 1 below, 2 when the lab
cannot be graded at all. Every serial line is kept in --log (default
BUILD/grade-LAB.log).

Python 3 standard library only.
"""

import argparse
import csv
import glob
import io
import json
import os
import re
import subprocess
import sys
import time

TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
import run_tests as rt  # noqa: E402  (the runner's boot and KTAP helpers)

REPO = rt.REPO
KINDS = ("ktest", "user", "program")
BASELINE = "free_pages_back_to_baseline"
DEFAULT_TIMEOUT = 120


class Test:
    def __init__(self, d, where):
        bad = [k for k in d if k not in ("name", "kind", "points", "core",
                                         "append", "smp", "timeout",
                                         "expect", "cmd", "metric",
                                         "tiers", "better", "icount")]
        if bad or "name" not in d or d.get("kind") not in KINDS or \
                not isinstance(d.get("points"), int) or d["points"] < 0:
            raise SystemExit("grade.py: %s: bad test %r (needs name, kind "
                             "in %s, points >= 0; unknown keys: %s)" %
                             (where, d, "/".join(KINDS),
                              ", ".join(bad) or "none"))
        self.name = d["name"]
        self.kind = d["kind"]
        self.points = d["points"]
        self.core = bool(d.get("core"))
        self.append = d.get("append", "")
        self.smp = int(d.get("smp", 1))
        self.icount = bool(d.get("icount", True))
        self.timeout = float(d.get("timeout", DEFAULT_TIMEOUT))
        self.expect = [re.compile(e) for e in d.get("expect", [])]
        self.cmd = d.get("cmd", "")
        # Speed points: the first group of metric, on the lines the test
        # printed, against tiers [[at most, points], ...] (with "better":
        # "higher", [[at least, points], ...]): the points of the first
        # tier it is within, best first (0 past the last).
        self.metric = re.compile(d["metric"]) if "metric" in d else None
        self.higher = d.get("better", "lower") == "higher"
        if d.get("better", "lower") not in ("lower", "higher"):
            raise SystemExit("grade.py: %s: test %r: better is lower or "
                             "higher" % (where, d.get("name")))
        self.tiers = sorted(((float(a), int(b)) for a, b in
                             d.get("tiers", [])), reverse=self.higher)
        if (self.metric is None) != (not self.tiers) or (
                self.tiers and max(b for _, b in self.tiers) != self.points):
            raise SystemExit("grade.py: %s: test %r: metric and tiers go "
                             "together, and the best tier is worth the "
                             "test's points" % (where, self.name))
        self.value = None
        if self.kind == "ktest" and "." not in self.name:
            raise SystemExit("grade.py: %s: ktest %r is not SUITE.NAME" %
                             (where, self.name))
        if self.kind == "program" and not self.cmd:
            raise SystemExit("grade.py: %s: program test %r has no cmd" %
                             (where, self.name))
        self.hidden = False
        # The outcome.
        self.passed = False
        self.earned = 0
        self.why = []


def load(lab, hidden=None, root=REPO):
    """(lab.json's contents, [Test]) of lab, with hidden's tests added."""
    path = os.path.join(root, "labs", lab, "lab.json")
    if not os.path.isfile(path):
        labs = sorted(os.path.basename(os.path.dirname(p)) for p in
                      glob.glob(os.path.join(root, "labs", "*", "lab.json")))
        raise SystemExit("grade.py: unknown lab %r (labs: %s)" %
                         (lab, ", ".join(labs) or "none"))
    with open(path) as fp:
        spec = json.load(fp)
    tests = [Test(d, path) for d in spec.get("tests", [])]
    if hidden:
        hpath = os.path.join(hidden, lab + ".json")
        if os.path.isfile(hpath):
            with open(hpath) as fp:
                for d in json.load(fp).get("tests", []):
                    t = Test(d, hpath)
                    t.hidden = True
                    tests.append(t)
    names = [(t.kind, t.name) for t in tests]
    dup = sorted(set(n for n in names if names.count(n) > 1))
    if dup:
        raise SystemExit("grade.py: lab %s: tests listed twice: %s" %
                         (lab, ", ".join(n for _, n in dup)))
    if not tests:
        raise SystemExit("grade.py: lab %s has no tests" % lab)
    return spec, tests


class Boot:
    """One QEMU boot of a KTAP-printing run; per result name: (ok, skip
    reason or None, the lines since the previous result)."""

    def __init__(self, cmdline, smp, initrd):
        self.cmdline = cmdline
        self.smp = smp
        self.initrd = initrd
        self.results = {}
        self.header = False
        self.panic = None
        self.window = []
        self.rc = None
        self.timed_out = False
        self.seconds = 0.0

    def feed(self, line):
        m = rt.PANIC_RE.search(line)
        if m and self.panic is None:
            self.panic = m.group(1).strip() or "(no reason)"
        if rt.KTAP_HEADER_RE.match(line):
            self.header = True
            self.window = []
            return
        if rt.PLAN_RE.match(line):
            self.window = []
            return
        m = rt.RESULT_RE.match(line)
        if not m or not self.header:
            self.window.append(line)
            return
        skip = (m.group("directive") or "").upper() == "SKIP"
        self.results[m.group("name")] = (
            m.group("ok").lower() == "ok",
            (m.group("reason") or "SKIP").strip() if skip else None,
            self.window)
        self.window = []

    def death(self):
        """Why the boot ended badly, or None."""
        if self.timed_out:
            return "hang: no end within the boot's timeout"
        if self.panic:
            return "Kernel panic - not syncing: %s" % self.panic
        if self.rc not in (0, 1):
            return "the kernel ended with exit status %s" % \
                rt.describe_exit(self.rc)
        return None


class Grader:
    def __init__(self, kernel, initrd, timeout_scale=1.0, log=None,
                 verbose=False, qemu=None):
        self.qemu = qemu or rt.QEMU_SH  # tests/host/test_lab.py: a fake
        self.kernel = kernel
        self.initrd = initrd
        self.scale = timeout_scale
        self.log = log
        self.verbose = verbose
        self.boots = 0

    def boot(self, cmdline, smp, timeout, initrd=False, icount=True):
        b = Boot(cmdline, smp, initrd)
        ns = argparse.Namespace(qemu=self.qemu, timeout=timeout)
        opts = (rt.icount_args() if icount else []) + \
            ["--kernel", self.kernel]
        if initrd:
            opts += ["--initrd", self.initrd]
        env = dict(os.environ, SMP=str(smp))
        if self.log:
            self.log.write("### boot: SMP=%d %s\n" % (smp, cmdline))

        def on_line(line):
            if self.log:
                self.log.write(line + "\n")
            b.feed(line)

        t0 = time.monotonic()
        b.rc, b.timed_out = rt.run_stream(
            rt.qemu_cmd(ns, *opts, "--append", cmdline, timeout=timeout),
            timeout, on_line, env=env, echo=self.verbose)
        b.seconds = time.monotonic() - t0
        self.boots += 1
        if self.log:
            self.log.write("### end: exit %s after %.1f s%s\n" % (
                rt.describe_exit(b.rc), b.seconds,
                ", timed out" if b.timed_out else ""))
            self.log.flush()
        return b

    def cmdline(self, kind, tests, append):
        pre = (append + " ") if append else ""
        if kind == "ktest":
            suites = sorted(set(t.name.split(".")[0] for t in tests))
            assert len(suites) == 1
            return pre + "test=" + (tests[0].name if len(tests) == 1
                                    else suites[0])
        if kind == "user":
            names = [t.name for t in tests if t.name != BASELINE]
            return pre + "init=/bin/usertests -- /bin " + \
                (" ".join(names) if names else "t_hello")
        return pre + "init=" + tests[0].cmd

    def judge(self, t, b):
        """t's outcome from boot b; False when b has no result for it."""
        if t.kind == "program":
            t.passed = b.death() is None and b.rc == 0
            if not t.passed:
                t.why = [b.death() or "exit status %s, expected 0" %
                         rt.describe_exit(b.rc)]
            window = b.window
        else:
            r = b.results.get(t.name)
            if r is None:
                return False
            ok, skip, window = r
            t.passed = ok and skip is None
            if skip is not None:
                t.why = ["skipped (%s): a skip earns nothing" % skip]
            elif not ok:
                t.why = [line for line in window if line.startswith("#")][-8:] \
                    or ["not ok"]
        if t.passed and t.expect:
            i = 0
            for e in t.expect:
                while i < len(window) and not e.search(window[i]):
                    i += 1
                if i == len(window):
                    t.passed = False
                    t.why = ["no line matching /%s/ (in order) among the "
                             "%d lines it printed%s" % (
                                 e.pattern, len(window),
                                 ": " + " | ".join(window[:6]) if window
                                 else "")]
                    break
                i += 1
        if t.passed and t.metric:
            vals = [m.group(1) for m in map(t.metric.search, window) if m]
            if not vals:
                t.passed = False
                t.why = ["no line matching /%s/: no measurement" %
                         t.metric.pattern]
            else:
                t.value = float(vals[-1])
                tier = [b for a, b in t.tiers
                        if (t.value >= a if t.higher else t.value <= a)]
                t.earned = tier[0] if tier else 0
                t.passed = t.earned == t.points
                t.why = ["measured %g: %s" % (t.value, ", ".join(
                    "%s %g for %d" % (">=" if t.higher else "<=", a, b)
                    for a, b in t.tiers))]
                return True
        t.earned = t.points if t.passed else 0
        return True

    def run_group(self, kind, tests, append, smp, alone=False):
        timeout = max(t.timeout for t in tests) * self.scale
        b = self.boot(self.cmdline(kind, tests, append), smp, timeout,
                      initrd=kind != "ktest", icount=tests[0].icount)
        if kind == "program":
            self.judge(tests[0], b)
            return
        missing = [t for t in tests if not self.judge(t, b)]
        if not missing:
            return
        death = b.death() or "no result (exit status %s)" % \
            rt.describe_exit(b.rc)
        rerun = [t for t in missing if t.name != BASELINE]
        if alone or not b.header or len(missing) == 1 or not rerun:
            for t in missing:
                t.why = [death] + (["the boot printed no KTAP: it never "
                                    "reached the tests"]
                                   if not b.header else [])
            return
        # Several unreported: the boot died in one of them. Each alone.
        for t in missing:
            if t.name == BASELINE:
                t.why = [death, "counted only when the whole group runs"]
            else:
                self.run_group(kind, [t], append, smp, alone=True)

    def run(self, tests):
        groups = {}
        for t in tests:
            if t.kind == "ktest":
                key = (t.kind, t.append, t.smp, t.icount,
                       t.name.split(".")[0])
            elif t.kind == "user":
                key = (t.kind, t.append, t.smp, t.icount, "")
            else:
                key = (t.kind, t.append, t.smp, t.icount, t.name)
            groups.setdefault(key, []).append(t)
        for (kind, append, smp, _, _), ts in groups.items():
            self.run_group(kind, ts, append, smp)


def build_hidden(hidden, build):
    """Build a kernel and initrd with hidden's in-kernel tests and
    programs into BUILD/grade-hidden; (kernel, initrd), or None when
    hidden has neither."""
    ksrc = sorted(glob.glob(os.path.join(hidden, "kernel", "*.c")))
    bins = sorted(p for p in glob.glob(os.path.join(hidden, "bin", "*"))
                  if os.path.isfile(p))
    if not ksrc and not bins:
        return None
    out = os.path.join(os.path.abspath(build), "grade-hidden")
    cmd = ["make", "--no-print-directory", "-C", REPO, "BUILD=" + out,
           "KTEST_EXTRA=" + " ".join(os.path.abspath(p) for p in ksrc),
           "EXTRA_PROGRAMS=" + " ".join(os.path.abspath(p) for p in bins),
           "kernel", "initrd"]
    print("# building the hidden tests: %s" % " ".join(cmd), file=sys.stderr)
    if subprocess.run(cmd).returncode != 0:
        raise SystemExit("grade.py: could not build with the hidden tests "
                         "of %s" % hidden)
    return (os.path.join(out, "kernel.elf"), os.path.join(out, "initrd.tar"))


def report(lab, spec, tests, fmt, stream=sys.stdout):
    got = sum(t.earned for t in tests)
    total = sum(t.points for t in tests)
    if fmt == "csv":
        w = csv.writer(stream, lineterminator="\n")
        for t in tests:
            w.writerow([lab, t.name, t.kind, t.earned, t.points,
                        "pass" if t.passed else "fail", "; ".join(t.why)])
        return got, total
    stream.write("== lab %s: %s ==\n" % (lab, spec.get("title", "")))
    for t in tests:
        label = t.name + (" (hidden)" if t.hidden else "")
        stream.write(("%-58s %-4s %3d/%d" % (
            label, "OK" if t.passed else "FAIL", t.earned,
            t.points)).rstrip() + "\n")
        if not t.passed or t.metric:
            for w in t.why[:8]:
                stream.write("    %s\n" % w)
    stream.write("Score: %d/%d\n" % (got, total))
    return got, total


def main(argv=None):
    ap = argparse.ArgumentParser(description="Score a lab (labs/README.md).")
    ap.add_argument("lab", nargs="?", help="the lab (default: the tree's "
                    ".lab file, which make lab writes)")
    ap.add_argument("--build", default="build",
                    help="build directory (kernel.elf, initrd.tar, the log)")
    ap.add_argument("--kernel", help="default BUILD/kernel.elf")
    ap.add_argument("--initrd", help="default BUILD/initrd.tar")
    ap.add_argument("--tests", default=os.environ.get("GRADE_TESTS") or None,
                    metavar="DIR", help="a teacher's hidden tests")
    ap.add_argument("--format", choices=("text", "csv"),
                    default=os.environ.get("GRADE_FORMAT") or "text")
    ap.add_argument("--log", help="serial log (default BUILD/grade-LAB.log)")
    ap.add_argument("--timeout-scale", type=float, default=1.0,
                    help="multiply every boot's timeout (a slow host)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="echo the serial console")
    args = ap.parse_args(argv)
    lab = args.lab
    if not lab and os.path.isfile(os.path.join(REPO, ".lab")):
        with open(os.path.join(REPO, ".lab")) as fp:
            lab = fp.read().strip()
    if not lab:
        raise SystemExit("grade.py: which lab? (LAB=NAME; labs: %s)" %
                         ", ".join(sorted(os.listdir(os.path.join(REPO,
                                                                  "labs")))))
    if args.format == "csv":
        # The runner's own notes (a timeout) must not break the CSV.
        rt.out = lambda line: sys.stderr.write(line + "\n")
    spec, tests = load(lab, args.tests)
    kernel = args.kernel or os.path.join(args.build, "kernel.elf")
    initrd = args.initrd or os.path.join(args.build, "initrd.tar")
    if args.tests:
        built = build_hidden(args.tests, args.build)
        if built:
            kernel, initrd = built
    for f in [kernel] + ([initrd] if any(t.kind != "ktest" for t in tests)
                         else []):
        if not os.path.isfile(f):
            print("grade.py: no %s (make kernel initrd)" % f, file=sys.stderr)
            return 2
    logpath = args.log or os.path.join(args.build, "grade-%s.log" % lab)
    os.makedirs(os.path.dirname(os.path.abspath(logpath)), exist_ok=True)
    t0 = time.monotonic()
    with open(logpath, "w") as log:
        g = Grader(kernel, initrd, args.timeout_scale, log, args.verbose)
        try:
            g.run(tests)
        finally:
            rt.kill_all()
    got, total = report(lab, spec, tests, args.format)
    if args.format == "text":
        print("# %d boot(s) in %.0f s; serial log: %s" %
              (g.boots, time.monotonic() - t0, logpath))
    return 0 if got == total else 1


if __name__ == "__main__":
    sys.exit(main())
