#!/usr/bin/env python3
"""bench_report.py - the table, CSV and plot of `make bench` (docs/testing.md).

Reads the serial logs of the two benchmark runs, in which user/faultbench.c
printed its results as whole lines starting with `FB,` (console noise may
sit between them; see the output contract at the top of faultbench.c):

  build/bench/poe.log     our kernel (make bench)
  build/bench/linux.log   Debian's Linux (tools/bench-linux.sh); when it is
                          missing, build/bench/linux.err says why
  build/bench/umap-poe.log, umap-poe-nowp.log, umap-linux.log,
  umap-linux-nowp.log
                          user/umapsort.c on ours and on Linux, each with
                          and without (--no-wp) write-protect faults: each
                          UMAPSORT, line (the UMap sort section; optional)

and writes

  build/bench/faultbench.csv   kernel,mode,kind,pages,n,min,median,p90,p99,
                               mean,hits   (kernel: poe or linux)
  build/bench/throughput.csv   kernel,mode,pages_per_iter,iters,faults,
                               elapsed_ns,faults_per_s,bg_ticks,
                               faults_per_s_with_bg
  build/bench/cdf.dat          the plotted distributions (gnuplot blocks)
  build/bench/faultbench.png   their CDFs on one set of axes (tools/bench.gp)

and prints one table (ticks per fault of the largest sweep: min, median,
mean, p90, p99 and the fast-path hit rate for every row, the cold POE
sweeps included), a second one of the faults user space resolves (the
userfaultfd round trip and its steps, Appel and Li's TRAP, PROT1 and
UNPROT), ours and Linux's line by line, whether the warm write sweep
meets its targets, what the POE refills did during the sweeps (the
FB,refill lines), the ratios and the throughput, the 2 MiB table (the
huge write and read faults, the user memset, the write fault's zeroing
and the rest from our thp_fault_zero_ticks, n/a on Linux, each sweep's
FB,thp check, INVALID where it got no 2 MiB pages) and the co-runner's
(FB,corun: its pace during the huge faults over its pace alone), headed
by the measurement mode, the Linux version and both QEMU command lines.

--thp: make bench-thp's report instead: the logs thp-ours-MODE-smpN.log
and thp-linux-smpN.log (thp-*-smpN.err: why a run was skipped), the
2 MiB table per vCPU count, our page_init modes beside Linux, and one
co-runner table; exit status 0 when every run of ours finished.

Exit status: 0 when our kernel's log is complete (FB,done), 1 otherwise.
A missing Linux part is reported in the table, not as a failure.
--only linux: just the Linux part (make bench-linux); then its log decides.
"""

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

FB_RE = re.compile(r"FB,(info|row|cdf|tput|refill|mmap|thp|corun|done)"
                   r"(,.*)?$")
ROW_FIELDS = 12      # FB,row,mode,kind,pages,n,min,median,p90,p99,mean,hits
REFILL_FIELDS = 14   # FB,refill,mode,kind,pages,waits,wait_pages,wait_max,
                     #   refill_batch,bg_pages,help_pages,prezeroed_taken,
                     #   prezeroed_before,fault_prezeroed (a log from
                     #   before the last field has 13)
MMAP_FIELDS = 6      # FB,mmap,mode,kind,pages,ticks
CDF_FIELDS = 5 + 101
TPUT_FIELDS = 10
THP_FIELDS = 11      # FB,thp,mode,kind,pages,alloc,fallback,anon_kb,
                     #   refaults,valid,zero_ticks
CORUN_FIELDS = 10    # FB,corun,cpus,cpu,faults,alone_iters,alone_ns,
                     #   burst_iters,burst_ns,ratio_x1000
THP_MODES = ("huge", "corun", "poehuge")   # rows counted in 2 MiB pages


class Run:
    """The parsed FB lines of one kernel's log."""

    def __init__(self, name):
        self.name = name
        self.info = {}
        self.rows = {}          # (mode, kind, pages) -> dict
        self.cdf = {}           # (mode, kind, pages) -> [q0..q100]
        self.refill = {}        # (mode, kind, pages) -> dict
        self.mmap = {}          # (mode, kind, pages) -> ticks of its mmap
        self.tput = {}          # mode -> dict
        self.thp = {}           # (mode, kind) -> FB,thp dict
        self.corun = None       # the FB,corun dict
        self.done = False
        self.qemu = None        # the QEMU command line of the run
        self.notes = []         # faultbench's own human lines worth showing
        self.missing = None     # why there is no data


def serial_lines(path):
    """The lines of a serial log (one boot through tools/qemu.sh), without
    carriage returns or trailing blanks. Also used by bench_apps_report."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    return [raw.replace("\r", "").rstrip() for raw in text.splitlines()]


def qemu_command(line):
    """The QEMU command line if line is tools/qemu.sh's echo of it (the
    --timeout wrapper dropped), else None."""
    if not (line.startswith("+ ") and "qemu-system" in line):
        return None
    return re.sub(r"^timeout --foreground -k \d+ \d+ ", "", line[2:])


def parse_log(name, path):
    run = Run(name)
    if not os.path.exists(path):
        run.missing = "no %s" % path
        return run
    for line in serial_lines(path):
        if run.qemu is None and qemu_command(line):
            run.qemu = qemu_command(line)
            continue
        i = line.find("faultbench: ")
        if i >= 0 and re.search(r"skipped|gave up|failed", line[i:]):
            run.notes.append(line[i:])
        m = FB_RE.search(line)
        if not m:
            continue
        f = m.group(0).split(",")
        kind = f[1]
        try:
            if kind == "done":
                run.done = True
            elif kind == "info":
                for kv in f[2:]:
                    if "=" in kv:
                        k, v = kv.split("=", 1)
                        run.info[k] = v
            elif kind == "row" and len(f) == ROW_FIELDS:
                key = (f[2], f[3], int(f[4]))
                run.rows[key] = {
                    "mode": f[2], "kind": f[3], "pages": int(f[4]),
                    "n": int(f[5]), "min": int(f[6]), "median": int(f[7]),
                    "p90": int(f[8]), "p99": int(f[9]), "mean": float(f[10]),
                    "hits": int(f[11])}
            elif kind == "refill" and len(f) in (REFILL_FIELDS - 1,
                                                 REFILL_FIELDS):
                run.refill[(f[2], f[3], int(f[4]))] = {
                    "waits": int(f[5]), "wait_pages": int(f[6]),
                    "wait_max": int(f[7]), "batch": int(f[8]),
                    "bg_pages": int(f[9]), "help_pages": int(f[10]),
                    "from_list": int(f[11]), "list_before": int(f[12]),
                    "miss_list": (int(f[13]) if len(f) == REFILL_FIELDS
                                  else None)}
            elif kind == "mmap" and len(f) == MMAP_FIELDS:
                run.mmap[(f[2], f[3], int(f[4]))] = int(f[5])
            elif kind == "thp" and len(f) == THP_FIELDS:
                run.thp[(f[2], f[3])] = {
                    "pages": int(f[4]), "alloc": int(f[5]),
                    "fallback": int(f[6]), "anon_kb": int(f[7]),
                    "refaults": int(f[8]), "valid": f[9] == "1",
                    "zero_ticks": int(f[10])}
            elif kind == "corun" and len(f) == CORUN_FIELDS:
                run.corun = dict(zip(
                    ("cpus", "cpu", "faults", "alone_iters", "alone_ns",
                     "burst_iters", "burst_ns", "ratio_x1000"),
                    (int(x) for x in f[2:])))
            elif kind == "cdf" and len(f) == CDF_FIELDS:
                run.cdf[(f[2], f[3], int(f[4]))] = [int(x) for x in f[5:]]
            elif kind == "tput" and len(f) == TPUT_FIELDS:
                run.tput[f[2]] = {
                    "mode": f[2], "pages_per_iter": int(f[3]),
                    "iters": int(f[4]), "faults": int(f[5]),
                    "elapsed_ns": int(f[6]), "faults_per_s": int(f[7]),
                    "bg_ticks": int(f[8]), "faults_per_s_with_bg": int(f[9])}
        except ValueError:
            continue    # a line cut by console noise: ignore it
    if not run.done:
        run.missing = "%s has no FB,done line (the run did not finish)" % path
    return run


def linux_missing_reason(bench_dir, run):
    err = os.path.join(bench_dir, "linux.err")
    if os.path.exists(err):
        with open(err) as f:
            return f.read().strip()
    if run.missing and run.missing.startswith("no "):
        return run.missing + " (make bench-linux did not run)"
    return run.missing


def mode_of(cmd):
    if not cmd:
        return "unknown (no QEMU command line in the log)"
    if "-accel kvm" in cmd:
        return "KVM: ticks are host TSC cycles"
    if "-icount" in cmd:
        return ("TCG -icount shift=0: 1 tick = 1 guest instruction "
                "(each rep iteration counts); identical on every run")
    return "TCG without -icount: ticks are not a stable unit"


def fmt_ratio(a, b):
    if a is None or b is None:
        return None
    if b == 0:
        return "inf"
    return "%.2f" % (a / b)


# The user-level rows (faultbench's uffd-* and mprotect modes): (title,
# mode, kind); an indented title is a step of the row above it.
USER_ROWS = [
    ("userfaultfd round trip, monitor same CPU", "uffd-same", "write"),
    ("  fault until the monitor's read returns", "uffd-same", "toread"),
    ("  the monitor's UFFDIO_COPY", "uffd-same", "copy"),
    ("  the ioctl's return until the access is done", "uffd-same", "resume"),
    ("userfaultfd round trip, monitor other CPU", "uffd-cross", "write"),
    ("  fault until the monitor's read returns", "uffd-cross", "toread"),
    ("  the monitor's UFFDIO_COPY", "uffd-cross", "copy"),
    ("  the ioctl's return until the access is done", "uffd-cross", "resume"),
    ("userfaultfd round trip, monitor unpinned", "uffd-any", "write"),
    ("TRAP: SIGSEGV, handler mprotects, retry", "mprotect", "trap"),
    ("PROT1: mprotect one page PROT_NONE", "mprotect", "prot1"),
    ("UNPROT: mprotect it back read-write", "mprotect", "unprot"),
]


def user_rows(poe, lin, pages, only):
    """The table of the faults user space resolves (userfaultfd, SIGSEGV
    and mprotect), ours and Linux's line by line, and the ratios of their
    medians: a list of lines."""
    runs = [(n, r) for n, r in (("ours", poe), ("Linux", lin))
            if only != {"ours": "linux", "Linux": "poe"}[n]]
    out = ["Faults user space resolves, ticks per fault, %d-page sweeps "
           "(CPUs: %s):" % (pages, ", ".join(
               "%s %s" % (n, r.info.get("cpus", "?")) for n, r in runs))]
    out.append("  %-52s %8s %8s %9s %8s %8s" % ("", "min", "median", "mean",
                                                "p90", "p99"))
    for title, mode, kind in USER_ROWS:
        have = [(n, r.rows.get((mode, kind, pages))) for n, r in runs
                if r.done]
        if not any(row for _, row in have):
            # uffd-cross needs two CPUs and uffd-any a failed
            # sched_getaffinity: no word on rows no run was meant to have.
            if mode in ("uffd-same", "mprotect") and \
                    not title.startswith("  "):
                out.append("  %-52s not measured (see the notes above)" %
                           title)
            continue
        for n, row in have:
            name = "%-5s %s" % (n, title.strip())
            if title.startswith("  "):
                name = "  " + name
            if row is None:
                out.append("  %-52s not measured" % name[:52])
                continue
            out.append("  %-52s %8d %8d %9.1f %8d %8d" % (
                name[:52], row["min"], row["median"], row["mean"],
                row["p90"], row["p99"]))
    if len(runs) == 2 and poe.done and lin.done:
        ratios = []
        for title, mode, kind in USER_ROWS:
            if title.startswith("  "):
                continue
            a = lin.rows.get((mode, kind, pages))
            b = poe.rows.get((mode, kind, pages))
            if a and b:
                ratios.append("%s %s %s" % (
                    mode, kind, fmt_ratio(a["median"], b["median"])))
        if ratios:
            out.append("  Linux / ours, medians: " + ", ".join(ratios))
    for mode in ("uffd-same", "uffd-cross", "uffd-any"):
        early = ["%s %s of %d" % (n, r.info["uffd_early_%s_%d" % (mode, pages)],
                                  pages)
                 for n, r in runs
                 if r.done and "uffd_early_%s_%d" % (mode, pages) in r.info]
        if early:
            out.append("  %s: the access completed before the monitor's "
                       "UFFDIO_COPY returned (its resume is then in" % mode)
            out.append("    the copy step, its resume step 0; on one CPU, "
                       "the wake-up preempted the monitor): %s" %
                       ", ".join(early))
    out.append("  (uffd: one write per registered page; a monitor thread "
               "blocked in read(2) UFFDIO_COPYs the page in.")
    out.append("  TRAP includes the handler's UNPROT; PROT1 splits the "
               "page's VMA, UNPROT merges it back.)")
    out.append("")
    return out


# The 2 MiB rows (faultbench's huge and corun modes): (title, mode, kind).
THP_ROWS = [
    ("write fault (2 MiB zeroed, one pmd)", "huge", "write"),
    ("read fault (the huge zero page)", "huge", "read"),
    ("user memset of 2 MiB mapped (rep stosb)", "huge", "memset"),
    ("POE 2 MiB fast path (the huge table)", "poehuge", "write"),
]


def thp_row(run, mode, kind):
    """The FB,row of a 2 MiB sweep (any size), or None."""
    if not run.done:
        return None
    for (m, k, _), r in run.rows.items():
        if m == mode and k == kind:
            return r
    return None


def thp_check_text(c):
    """What FB,thp said about one sweep, for people."""
    def fig(v, unit=""):
        return "?" if v < 0 else "%d%s" % (v, unit)
    return "thp_fault_alloc +%s, fallback +%s, AnonHugePages %s, %s faults " \
        "on a second touch" % (fig(c["alloc"]), fig(c["fallback"]),
                               fig(c["anon_kb"], " kB"), fig(c["refaults"]))


def thp_zeroing(run):
    """(mean zeroing ticks per huge write fault, the rest of the fault's
    mean) from our kernel's thp_fault_zero_ticks, or (None, None) where
    the counter is missing (Linux) or the row is not valid."""
    r, c = thp_row(run, "huge", "write"), run.thp.get(("huge", "write"))
    if not r or not c or not c["valid"] or c["zero_ticks"] < 0 or \
            c["alloc"] <= 0:
        return None, None
    z = c["zero_ticks"] / c["alloc"]
    return z, r["mean"] - z


def thp_section(runs, title_extra=""):
    """The 2 MiB table: for each (name, run) in runs, the huge write,
    read and memset rows (INVALID where the faults were not 2 MiB pages),
    the write fault's zeroing and the rest (ours; n/a on Linux), and the
    co-runner. A list of lines; empty when no run has a huge row."""
    runs = [(n, r) for n, r in runs if r.done]
    if not any(r.thp or r.corun for _, r in runs):
        return []
    pages = next((c["pages"] for _, r in runs for c in r.thp.values()), 0)
    out = ["2 MiB pages (transparent huge pages, MADV_HUGEPAGE, "
           "transparent_hugepage=madvise), ticks per 2 MiB fault, "
           "%d x 2 MiB%s:" % (pages, title_extra)]
    w = max([14] + [len(n) for n, _ in runs])
    out.append("  %-*s %-40s %9s %9s %11s %9s %9s" % (
        w, "", "", "min", "median", "mean", "p90", "p99"))
    for title, mode, kind in THP_ROWS:
        for n, run in runs:
            r, c = thp_row(run, mode, kind), run.thp.get((mode, kind))
            if r is None:
                out.append("  %-*s %-40s not measured" % (w, n, title))
            elif c is not None and not c["valid"]:
                out.append("  %-*s %-40s INVALID: not 2 MiB pages (%s)" % (
                    w, n, title, thp_check_text(c)))
            else:
                out.append("  %-*s %-40s %9d %9d %11.1f %9d %9d" % (
                    w, n, title, r["min"], r["median"], r["mean"], r["p90"],
                    r["p99"]))
    out.append("  The write fault's mean, split (ticks per fault):")
    for n, run in runs:
        z, rest = thp_zeroing(run)
        wr, ms = thp_row(run, "huge", "write"), thp_row(run, "huge", "memset")
        if z is not None:
            zs = "zeroing %11.1f  the rest %9.1f  (thp_fault_zero_ticks)" % (
                z, rest)
        else:
            zs = "zeroing         n/a  the rest       n/a  (%s)" % (
                "no thp_fault_zero_ticks: Linux has no such counter"
                if "Linux" in run.info.get("kernel", "") else
                "no valid counter")
        out.append("    %-*s %s" % (w, n, zs))
        cw = run.thp.get(("huge", "write"))
        if wr and ms and (not cw or cw["valid"]):
            out.append("    %-*s mean fault - mean user memset: %.1f "
                       "(an estimate of the rest on any kernel)" % (
                           w, n, wr["mean"] - ms["mean"]))
    if len(runs) >= 2:
        ratios = []
        for kind in ("write", "read", "memset"):
            a, b = thp_row(runs[-1][1], "huge", kind), \
                thp_row(runs[0][1], "huge", kind)
            ca, cb = runs[-1][1].thp.get(("huge", kind)), \
                runs[0][1].thp.get(("huge", kind))
            if a and b and (not ca or ca["valid"]) and \
                    (not cb or cb["valid"]):
                ratios.append("%s %s" % (kind, fmt_ratio(a["median"],
                                                         b["median"])))
        if ratios:
            out.append("  %s / %s, medians: %s" % (
                runs[-1][0], runs[0][0], ", ".join(ratios)))
    for n, run in runs:
        for (mode, kind), c in sorted(run.thp.items()):
            out.append("  check %-*s %-5s %-5s %s: %s" % (
                w, n, mode, kind, thp_check_text(c),
                "2 MiB pages" if c["valid"] else "NOT 2 MiB pages, INVALID"))
    out.append("")
    return out


def corun_section(entries):
    """The co-runner table: entries are (name, page_init, run). A list of
    lines; empty when none has an FB,corun line."""
    entries = [(n, m, r) for n, m, r in entries if r.done and r.corun]
    if not entries:
        return []
    out = ["Co-runner (a CPU-bound thread pinned with the faulting thread "
           "to one CPU; its loop iterations per ms,",
           "alone and during the faulter's burst of huge write faults; "
           "ratio = burst / alone):"]
    out.append("  %-14s %-10s %4s %6s %10s %10s %6s %11s %11s %11s" % (
        "kernel", "page_init", "CPUs", "faults", "alone it/ms", "burst it/ms",
        "ratio", "fault med", "fault mean", "fault p99"))
    for name, mode, run in entries:
        c = run.corun
        ra = c["alone_iters"] * 1e6 / c["alone_ns"] if c["alone_ns"] else 0
        rb = c["burst_iters"] * 1e6 / c["burst_ns"] if c["burst_ns"] else 0
        r, chk = thp_row(run, "corun", "write"), run.thp.get(("corun",
                                                             "write"))
        lat = "%11d %11.1f %11d" % (r["median"], r["mean"], r["p99"]) \
            if r else "%11s %11s %11s" % ("-", "-", "-")
        if chk is not None and not chk["valid"]:
            lat = "  INVALID: not 2 MiB pages"
        out.append("  %-14s %-10s %4d %6d %11.0f %11.0f %6.3f %s" % (
            name, mode, c["cpus"], c["faults"], ra, rb,
            c["ratio_x1000"] / 1000.0, lat))
    out.append("  (page_init: the command line's word, - when none; a "
               "kernel without off-level zeroing warns and zeroes inline.")
    out.append("  With 1 CPU the two threads share it round-robin; with 2 "
               "the other CPU is idle, so the co-runner keeps")
    out.append("  its progress only if the zeroing moves off its CPU or "
               "the faulter sleeps.)")
    out.append("")
    return out


def thp_logs(d):
    """bench-thp's logs in d: [(name, page_init, smp, run)], ours first
    (by vCPU count, then mode), then Linux."""
    found = []
    for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        m = re.match(r"thp-(ours-(.+)|linux)-smp(\d+)\.log$", f)
        if m:
            run = parse_log("ours" if m.group(2) else "linux",
                            os.path.join(d, f))
            found.append(("ours" if m.group(2) else "Linux",
                          run.info.get("page_init", m.group(2) or "-"),
                          int(m.group(3)), m.group(2) or "", run, f))
        m = re.match(r"thp-(ours-(.+)|linux)-smp(\d+)\.err$", f)
        if m and not os.path.exists(os.path.join(d, f[:-4] + ".log")):
            run = Run("linux")
            with open(os.path.join(d, f)) as fh:
                run.missing = "skipped: " + fh.read().strip()
            found.append(("ours" if m.group(2) else "Linux",
                          m.group(2) or "-", int(m.group(3)),
                          m.group(2) or "", run, f))
    found.sort(key=lambda e: (e[0] != "ours", e[2], e[3]))
    return found


def thp_report(d):
    """make bench-thp: the 2 MiB table per vCPU count (ours in each mode
    beside Linux) and the co-runner table. Exit status 0 when every
    log of ours finished."""
    logs = thp_logs(d)
    if not logs:
        print("bench-thp: no thp-*.log in %s" % d)
        return 1
    out = ["2 MiB pages and the co-runner (make bench-thp)",
           "Measurement: " + mode_of(next((e[4].qemu for e in logs
                                          if e[4].qemu), None))]
    for name, mode, smp, _, run, f in logs:
        if run.done or run.qemu:
            out.append("  %s: %s%s" % (f, run.qemu or "(no QEMU command "
                                       "line)", "" if run.done else
                                       "  -- MISSING: " + str(run.missing)))
        else:
            out.append("  %s: %s" % (f, run.missing))
    out.append("")
    for smp in sorted({e[2] for e in logs}):
        col = [("%s %s" % (n, m) if n == "ours" else n, r)
               for n, m, s, _, r, _ in logs if s == smp]
        out.extend(thp_section(col, ", %d vCPU%s" % (smp, "" if smp == 1
                                                     else "s")))
    out.extend(corun_section([("%s smp%d" % (n, s), m, r)
                              for n, m, s, _, r, _ in logs]))
    print("\n".join(out))
    return 0 if all(e[4].done for e in logs if e[0] == "ours") else 1


def write_csvs(bench_dir, runs):
    with open(os.path.join(bench_dir, "faultbench.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["kernel", "mode", "kind", "pages", "n", "min", "median",
                    "p90", "p99", "mean", "hits"])
        for run in runs:
            for key in sorted(run.rows, key=lambda k: (k[2], k[0], k[1])):
                r = run.rows[key]
                w.writerow([run.name, r["mode"], r["kind"], r["pages"], r["n"],
                            r["min"], r["median"], r["p90"], r["p99"],
                            "%.1f" % r["mean"], r["hits"]])
    with open(os.path.join(bench_dir, "throughput.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["kernel", "mode", "pages_per_iter", "iters", "faults",
                    "elapsed_ns", "faults_per_s", "bg_ticks",
                    "faults_per_s_with_bg"])
        for run in runs:
            for mode in sorted(run.tput):
                t = run.tput[mode]
                w.writerow([run.name, mode, t["pages_per_iter"], t["iters"],
                            t["faults"], t["elapsed_ns"], t["faults_per_s"],
                            t["bg_ticks"], t["faults_per_s_with_bg"]])


def plot(bench_dir, curves, pages):
    """CDFs of the given (title, quantiles) on one set of axes."""
    dat = os.path.join(bench_dir, "cdf.dat")
    png = os.path.join(bench_dir, "faultbench.png")
    with open(dat, "w") as f:
        f.write("# faultbench latency CDFs, %d-page sweeps: ticks fraction;"
                " one block per distribution\n" % pages)
        for title, q in curves:
            f.write('"%s"\n' % title)
            for i, v in enumerate(q):
                f.write("%d %.2f\n" % (max(v, 1), i / 100.0))
            f.write("\n\n")
    if not curves:
        return "no distributions to plot"
    gp = shutil.which("gnuplot")
    if not gp:
        return "gnuplot missing (tools/install-deps.sh bench installs gnuplot-nox)"
    terms = subprocess.run([gp, "-e", "set terminal"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT).stdout.decode()
    term = "pngcairo" if re.search(r"^\s*pngcairo\b", terms, re.M) else "png"
    p = subprocess.run([gp, "-c", os.path.join(HERE, "bench.gp"), dat, png,
                        str(len(curves)), term, str(pages)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        return "gnuplot failed: " + p.stdout.decode("utf-8", "replace").strip()
    return None


UMAP_RE = re.compile(r"UMAPSORT,(\d+),(\d+),(\d+),(\d+),(\d+),(\d+),(\d+),"
                     r"([01]),(\d+),(\d+),(ok|FAILED)")


def parse_umap(path):
    """umapsort's UMAPSORT, line in path as a dict, or None."""
    if not os.path.isfile(path):
        return None
    for line in serial_lines(path):
        m = UMAP_RE.search(line)
        if m:
            keys = ("pages", "bufsize", "faults", "fills", "evictions",
                    "writebacks", "wp_faults", "wp", "us", "kib_s")
            r = dict(zip(keys, (int(v) for v in m.groups()[:10])))
            r["ok"] = m.group(11) == "ok"
            return r
    return None


def umap_section(d):
    """The UMap sort lines: umapsort through umap() on each kernel."""
    runs = (("ours", parse_umap(os.path.join(d, "umap-poe.log"))),
            ("ours", parse_umap(os.path.join(d, "umap-poe-nowp.log"))),
            ("Linux", parse_umap(os.path.join(d, "umap-linux.log"))),
            ("Linux", parse_umap(os.path.join(d, "umap-linux-nowp.log"))))
    out = ["UMap sort (user/umapsort: a file of random u64 sorted in place "
           "through umap(), buffer smaller than the file; docs/umap.md):"]
    if not any(r for _, r in runs):
        return out + ["  (not measured: no UMAPSORT line in umap-poe.log "
                      "or umap-linux*.log)", ""]
    out.append("  %-6s %6s %6s %-5s %7s %7s %9s %11s %9s %10s %8s %s" % (
        "kernel", "pages", "buffer", "dirty", "faults", "fills", "evictions",
        "write-backs", "wp-faults", "sort+unmap", "KiB/s", "check"))
    for name, r in runs:
        if not r:
            out.append("  %-6s (not measured)" % name)
            continue
        out.append("  %-6s %6d %6d %-5s %7d %7d %9d %11d %9d %7.1f ms %8d %s" % (
            name, r["pages"], r["bufsize"], "wp" if r["wp"] else "all",
            r["faults"], r["fills"], r["evictions"], r["writebacks"],
            r["wp_faults"], r["us"] / 1000.0, r["kib_s"],
            "ok" if r["ok"] else "FAILED"))
    # Ours against Linux in the same dirty-tracking mode: the runs whose
    # mode the pager reported, not the one asked for (it falls back).
    for o in (r for n, r in runs if n == "ours" and r and r["kib_s"]):
        for r in (r for n, r in runs if n == "Linux" and r and r["kib_s"]):
            if r["wp"] == o["wp"]:
                out.append("  throughput ours/Linux (%s): %.2f" % (
                    "wp" if r["wp"] else "all", o["kib_s"] / r["kib_s"]))
    out.append("  dirty: wp = write-protect faults find the dirty pages; "
               "all = every page of the writable")
    out.append("  map is written back (each kernel's second line: "
               "umapsort --no-wp).")
    out.append("  Times are the guest's clock.")
    out.append("")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", default=os.path.join("build", "bench"),
                    help="where the logs are and the outputs go")
    ap.add_argument("--linuxdir", default=os.path.join("build", "linux"),
                    help="bench-linux.sh's kernel cache (for the version)")
    ap.add_argument("--only", choices=["poe", "linux"],
                    help="report one kernel only")
    ap.add_argument("--thp", action="store_true",
                    help="the 2 MiB report of make bench-thp "
                    "(thp-*.log)")
    args = ap.parse_args()
    d = args.dir
    os.makedirs(d, exist_ok=True)
    if args.thp:
        return thp_report(d)

    poe = parse_log("poe", os.path.join(d, "poe.log"))
    lin = parse_log("linux", os.path.join(d, "linux.log"))
    if args.only == "linux":
        poe = Run("poe")
        poe.missing = "not run (make bench-linux)"
    elif args.only == "poe":
        lin = Run("linux")
        lin.missing = "not run"
    lin_why = None
    if not lin.done:
        lin_why = linux_missing_reason(d, lin) if args.only != "poe" else "not run"
    runs = [r for r in (poe, lin) if r.rows or r.tput]
    write_csvs(d, runs)

    # The largest sweep that either kernel ran (4096 by default).
    sizes = sorted({k[2] for r in runs for k in r.rows
                    if k[0] != "floor" and k[0] not in THP_MODES})
    pages = sizes[-1] if sizes else 0

    def row(run, mode, kind):
        if not run.done:
            return None
        return run.rows.get((mode, kind, pages))

    lines = [
        ("POE fast path, write (warm)", row(poe, "warm", "write"), True),
        ("POE fast path, read (warm)", row(poe, "warm", "read"), True),
        ("POE write, cold (after mmap)", row(poe, "cold", "write"), True),
        ("POE read, cold (after mmap)", row(poe, "cold", "read"), True),
        ("Full handler, read fault", row(poe, "off", "read"), False),
        ("Full handler, write fault", row(poe, "off", "write"), False),
        ("Full handler, read-then-write", row(poe, "off", "rw"), False),
        ("Null trap (int $0x81, floor)", row(poe, "floor", "nulltrap"), False),
        ("Linux read fault", row(lin, "off", "read"), False),
        ("Linux write fault", row(lin, "off", "write"), False),
    ]
    if args.only == "linux":
        lines = lines[8:]

    # ---- header -----------------------------------------------------------
    out = []
    cmd = poe.qemu or lin.qemu
    out.append("Page-fault latency, ticks per fault (TSC, timer overhead "
               "subtracted), %d-page sweeps" % pages)
    out.append("Measurement: " + mode_of(cmd))
    linux_ver = lin.info.get("kernel", "")
    vfile = os.path.join(args.linuxdir, "version")
    if os.path.exists(vfile):
        with open(vfile) as f:
            v = f.read().split()
        if len(v) >= 2:
            linux_ver += " (Debian package %s %s)" % (v[0], v[1])
    if args.only != "linux":
        out.append("Ours:  %s%s" % (poe.info.get("kernel", "?"),
                   "" if poe.done else "  -- MISSING: " + str(poe.missing)))
        out.append("  " + (poe.qemu or "(no QEMU command line in the log)"))
    if args.only != "poe":
        if lin.done:
            out.append("Linux: " + linux_ver)
            out.append("  " + (lin.qemu or "(no QEMU command line in the log)"))
        else:
            out.append("Linux: MISSING -- " + str(lin_why))
    for run in (poe, lin):
        for n in run.notes:
            out.append("  note (%s): %s" % (run.name, n))
    out.append("")

    # ---- the table --------------------------------------------------------
    hdr = "%-32s %8s %8s %9s %8s %8s %9s" % ("", "min", "median", "mean",
                                             "p90", "p99", "hit rate")
    out.append(hdr)
    out.append("-" * len(hdr))
    for title, r, poe_row in lines:
        if r is None:
            why = "not measured"
            if title.startswith("Linux") and not lin.done:
                why = "missing (see above)"
            elif title.startswith("POE") and poe.done and \
                    poe.info.get("poe") == "0":
                why = "skipped: no POE in this kernel yet"
            elif title.startswith("Null") and poe.done:
                why = "skipped: poe_get_stats missing"
            out.append("%-32s %s" % (title, why))
            continue
        hit = "-"
        if poe_row and r["hits"] >= 0 and r["n"]:
            pm = r["hits"] * 1000 // r["n"]     # truncated, as faultbench
            hit = "%d.%d%%" % (pm // 10, pm % 10)
        out.append("%-32s %8d %8d %9.1f %8d %8d %9s" % (
            title, r["min"], r["median"], r["mean"], r["p90"], r["p99"],
            hit))
    out.append("")

    # ---- faults user space resolves ----------------------------------------
    out.extend(user_rows(poe, lin, pages, args.only))

    # ---- the targets of the POE sweeps -------------------------------------
    ww, fw = row(poe, "warm", "write"), row(poe, "off", "write")
    if ww and fw and ww["n"] and args.only != "linux":
        def hit_of(r):
            # truncated to 0.1%, as in the table above
            if not r or not r["n"] or r["hits"] < 0:
                return None
            return r["hits"] * 1000 // r["n"] / 10.0

        def hit_check(name, r, floor):
            h = hit_of(r)
            return (name, "%.1f%%" % h if h is not None else "n/a",
                    h is not None and h >= floor)

        hit = hit_of(ww)
        t_off, t_poe = poe.tput.get("off"), poe.tput.get("warm")
        checks = [
            ("warm write mean <= 2 x its median",
             "%.1f vs %d" % (ww["mean"], 2 * ww["median"]),
             ww["mean"] <= 2 * ww["median"]),
            ("warm write p99 <= full handler write p99",
             "%d vs %d" % (ww["p99"], fw["p99"]), ww["p99"] <= fw["p99"]),
            ("warm write hit rate >= 99.5%",
             "%.1f%%" % hit if hit is not None else "n/a",
             hit is not None and hit >= 99.5),
            hit_check("cold write hit rate >= 95%",
                      row(poe, "cold", "write"), 95.0),
            hit_check("cold read hit rate >= 95%",
                      row(poe, "cold", "read"), 95.0),
            ("fast path median <= 100 ticks",
             "%d" % ww["median"], ww["median"] <= 100),
        ]
        if t_off and t_poe:
            checks.append(("page_fault1 POE / POE off >= 1.0",
                           "%.2f" % (t_poe["faults_per_s"] /
                                     max(t_off["faults_per_s"], 1)),
                           t_poe["faults_per_s"] >= t_off["faults_per_s"]))
        out.append("Targets (POE sweeps, 1 CPU):")
        for name, fig, ok in checks:
            out.append("  %-42s %-22s %s" % (name, fig, "met" if ok else
                                              "NOT met"))
        out.append("")

    # ---- what the refills did during the POE rows ---------------------------
    refills = [(m, k) for m, k in (("warm", "write"), ("warm", "read"),
                                   ("cold", "write"), ("cold", "read"))
               if poe.done and (m, k, pages) in poe.refill]
    if refills and args.only != "linux":
        batch = poe.refill[(refills[0][0], refills[0][1], pages)]["batch"]
        out.append("POE refills during the sweeps (poe.entries=%s, poe.low=%s, "
                   "poe.refill_batch=%d):" % (
                       poe.info.get("nr_entries", "?"),
                       poe.info.get("low_watermark", "?"), batch))
        out.append("  %-12s %7s %11s %9s %9s %11s %10s %10s %10s" % (
            "sweep", "waits", "wait pages", "max wait", "idle pgs",
            "help pages", "from list", "miss list", "list was"))
        for m, k in refills:
            f = poe.refill[(m, k, pages)]
            out.append("  %-12s %7d %11d %9d %9d %11d %10d %10s %10d" % (
                m + " " + k, f["waits"], f["wait_pages"], f["wait_max"],
                f["bg_pages"], f["help_pages"], f["from_list"],
                "-" if f["miss_list"] is None else f["miss_list"],
                f["list_before"]))
        out.append("  max wait: the most pages zeroed on a CPU while one task "
                   "there waited, since boot (<= the batch)")
        out.append("  from list: pages refills took from the zeroed list "
                   "(zeroed ahead in idle time, no memset); miss list: pages "
                   "the full handler took from it for the sweep's misses; "
                   "list was: its length when the sweep began")
        mm = [(m, poe.mmap.get((m, "write", pages)))
              for m in ("off", "cold", "warm")]
        if any(v is not None for _, v in mm):
            out.append("  mmap of the sweep's %d pages, ticks: %s" % (
                pages, ", ".join("%s %s" % (m, v if v is not None else "-")
                                 for m, v in mm)))
            out.append("  (with POE, mmap marks the first poe.mark_sync "
                       "pages itself and starts the pre-fault thread)")
        out.append("")

    # ---- ratios of medians -----------------------------------------------
    def med(r):
        return r["median"] if r else None

    poe_w, full_r, full_w = med(lines[0][1]) if args.only != "linux" else None, \
        med(row(poe, "off", "read")), med(row(poe, "off", "write"))
    lin_r, lin_w = med(row(lin, "off", "read")), med(row(lin, "off", "write"))
    ratios = [
        ("full read / POE", full_r, poe_w,
         "the full handler's read fault is slower than the POE fast path"),
        ("full write / POE", full_w, poe_w,
         "the full handler's write fault is slower than the POE fast path"),
        ("Linux read / ours-full read", lin_r, full_r,
         "Linux's read fault is slower than our full handler's"),
        ("Linux write / ours-full write", lin_w, full_w,
         "Linux's write fault is slower than our full handler's"),
        ("Linux write / POE", lin_w, poe_w,
         "Linux's write fault is slower than the POE fast path"),
    ]
    if args.only != "linux":
        out.append("Ratios of medians (POE = the warm fast-path write fault):")
        for name, a, b, meaning in ratios:
            v = fmt_ratio(a, b)
            out.append("  %-30s %6s   >1 means %s" % (
                name, v if v else "n/a", meaning))
        out.append("")

    # ---- throughput --------------------------------------------------------
    out.append("Throughput (will-it-scale page_fault1: mmap 128 MiB, write one "
               "byte per page, munmap; faults per second of virtual time):")
    out.append("  %-6s %-5s %8s %11s %11s %12s %8s %11s" % (
        "kernel", "mode", "faults", "elapsed ms", "faults/s", "bg ticks",
        "bg share", "f/s with bg"))
    any_t = False
    one_cpu = bool(re.search(r"-smp 1( |$)", poe.qemu or ""))
    for run in (poe, lin):
        if not run.done:
            continue
        for mode in ("off", "warm"):
            t = run.tput.get(mode)
            if not t:
                continue
            any_t = True
            share = "-"
            khz = int(run.info.get("tsc_khz", "0") or 0)
            if t["bg_ticks"] >= 0 and khz and t["elapsed_ns"]:
                share = "%.0f%%" % (100.0 * t["bg_ticks"] * 1e6 / khz /
                                    t["elapsed_ns"])
            out.append("  %-6s %-5s %8d %11.1f %11d %12s %8s %11s" % (
                "ours" if run.name == "poe" else "Linux", mode, t["faults"],
                t["elapsed_ns"] / 1e6, t["faults_per_s"],
                t["bg_ticks"] if t["bg_ticks"] >= 0 else "-", share,
                t["faults_per_s_with_bg"] if t["faults_per_s_with_bg"] >= 0
                else "-"))
    if not any_t:
        out.append("  (none measured)")
    out.append("  bg ticks: POE's pre-fault, post-fault and refill work "
               "during the loop (bg share: as a part of the elapsed time);")
    out.append("  \"with bg\" adds them to the elapsed time.%s" % (
        " With one CPU (-smp 1) that work ran inside" if one_cpu else ""))
    if one_cpu:
        out.append("  the loop's elapsed time already, so \"with bg\" counts "
                   "it twice: a pessimistic bound.")
    out.append("")

    # ---- 2 MiB pages and the co-runner -------------------------------------
    thp_runs = [(n, r) for n, r in (("ours", poe), ("Linux", lin))
                if args.only != {"ours": "linux", "Linux": "poe"}[n]]
    out.extend(thp_section(thp_runs))
    out.extend(corun_section([(n, r.info.get("page_init", "-"), r)
                              for n, r in thp_runs]))

    out.extend(umap_section(d))

    # ---- plot ---------------------------------------------------------------
    curves = []
    for title, run, key in (
            ("POE warm write", poe, ("warm", "write", pages)),
            ("POE warm read", poe, ("warm", "read", pages)),
            ("ours full read", poe, ("off", "read", pages)),
            ("ours full write", poe, ("off", "write", pages)),
            ("Linux read", lin, ("off", "read", pages)),
            ("Linux write", lin, ("off", "write", pages))):
        if run.done and key in run.cdf:
            curves.append((title, run.cdf[key]))
    why = plot(d, curves, pages)
    out.append("Files: %s, %s, %s%s" % (
        os.path.join(d, "faultbench.csv"), os.path.join(d, "throughput.csv"),
        os.path.join(d, "faultbench.png"),
        "" if why is None else "  (no plot: %s)" % why))
    print("\n".join(out))

    if args.only == "linux":
        return 0 if lin.done else 1
    return 0 if poe.done else 1


if __name__ == "__main__":
    sys.exit(main())
