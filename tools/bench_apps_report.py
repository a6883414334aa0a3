#!/usr/bin/env python3
"""bench_apps_report.py - the table, CSVs and plot of `make bench-apps`.

Reads the logs tools/bench-apps.sh left in build/bench/apps/: for each
program NAME (app_malloc, app_sort, app_hash, and bb_sort, bb_gzip,
bb_awk: busybox run by user/app_busybox.c) and mode MODE (off, poe,
linux, linux-ourlibc), NAME-MODE.log, the serial console with the APP
lines of user/app_util.h (the output contract is at its top), and
NAME-MODE.rc, the exit status of tools/qemu.sh (our kernel: the program's
own) or of tools/bench-linux.sh (whose NAME-MODE.err says why it failed).
A NAME-MODE.na instead says why that run does not apply (bench-apps.sh
skips linux-ourlibc for busybox, which is Debian's binary in every run):
the table shows it as n/a, and it is no failure.

Checks every run and fails loudly (exit status 1, a FAILED line per
problem, after the table) when one is missing or wrong: no APP,result or
APP,done line, a result that is not ok, a non-zero exit status, POE not on
in the poe run (or on in another), a Linux run that is not Linux, or a
checksum that differs between the runs of one program with the same
parameters (every run computes the same result, whatever the kernel).

Prints, headed by the measurement mode, the kernels and the QEMU command
lines, one row per run: the ticks of the program's window, its minor
faults (getrusage), the POE fast-path hits and their share of the faults,
the share of the faults that were in POE regions (all but those the
fall-back counters put outside any VM_POE region), and the ticks POE's
background work spent in the window; then the end-to-end changes in
percent: POE on against off, and our kernel against Linux running the
same binary and against Linux running the glibc build; and the gain POE
on would have had, estimated the patent's way: fast-path hits x the
latency difference of a write fault, as faultbench measured it on the same
kernel (build/bench/apps/faultbench.log, which bench-apps.sh writes).
Writes

  build/bench/apps.csv          one row per run, with those figures
  build/bench/apps_phases.csv   one row per phase of each run
  build/bench/apps.dat, apps.png  ticks per run relative to our kernel
                                with POE off (tools/bench_apps.gp)
"""

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys

import bench_report  # the serial-log and faultbench-log parsing

HERE = os.path.dirname(os.path.abspath(__file__))

MODE_TITLE = {
    "off": "ours, POE off",
    "poe": "ours, POE on",
    "linux": "Linux, glibc build",
    "linux-ourlibc": "Linux, our binary",
}
# tools/qemu.sh's exit statuses beyond the program's own.
QEMU_EXIT = {2: " (kernel panic)", 124: " (timed out: BENCH_TIMEOUT)",
             125: " (the kernel never exited: a triple fault?)",
             126: " (QEMU failed to start)"}
APP_RE = re.compile(r"APP,(info|phase|result|poe|startup|done)(,.*)?$")
RESULT_FIELDS = 12  # APP,result,prog,status,ticks,minflt,majflt,hits,
                    #   fallbacks,fb_not_poeable,bg_ticks,checksum


class Run:
    def __init__(self, app, mode):
        self.app, self.mode = app, mode
        self.info = {}
        self.phases = []        # (name, ticks, minflt)
        self.result = None      # dict
        self.poe = None         # dict: the APP,poe line
        self.startup = None     # minor faults before the window
        self.done = None        # exit status on the APP,done line
        self.rc = None          # the script's exit status
        self.qemu = None
        self.notes = []         # the program's own lines (WRONG, notes)
        self.why = None         # bench-linux.sh's reason for a failure
        self.na = None          # why the run does not apply (.na file)


def parse(d, app, mode):
    r = Run(app, mode)
    base = os.path.join(d, "%s-%s" % (app, mode))
    try:
        with open(base + ".rc") as f:
            r.rc = int(f.read().strip() or "-1")
    except (OSError, ValueError):
        pass
    if os.path.exists(base + ".na"):
        with open(base + ".na") as f:
            r.na = f.read().strip() or "does not apply"
        return r
    if os.path.exists(base + ".err"):
        with open(base + ".err") as f:
            r.why = f.read().strip()
    if not os.path.exists(base + ".log"):
        return r
    for line in bench_report.serial_lines(base + ".log"):
        if r.qemu is None and bench_report.qemu_command(line):
            r.qemu = bench_report.qemu_command(line)
            continue
        if re.match(r"^app_\w+: ", line):
            r.notes.append(line)
        m = APP_RE.search(line)
        if not m:
            continue
        f = m.group(0).split(",")
        try:
            if f[1] == "info":
                for kv in f[2:]:
                    if "=" in kv:
                        k, v = kv.split("=", 1)
                        r.info[k] = v
            elif f[1] == "phase" and len(f) == 6:
                r.phases.append((f[3], int(f[4]), int(f[5])))
            elif f[1] == "result" and len(f) == RESULT_FIELDS:
                r.result = {
                    "status": f[3], "ticks": int(f[4]), "minflt": int(f[5]),
                    "majflt": int(f[6]), "hits": int(f[7]),
                    "fallbacks": int(f[8]), "fb_not_poeable": int(f[9]),
                    "bg_ticks": int(f[10]), "checksum": f[11]}
            elif f[1] == "poe" and len(f) == 8:
                r.poe = {"not_marked": int(f[3]), "table_empty": int(f[4]),
                         "locked": int(f[5]), "disabled": int(f[6]),
                         "prefault_threads": int(f[7])}
            elif f[1] == "startup" and len(f) == 4:
                r.startup = int(f[3])
            elif f[1] == "done" and len(f) == 3:
                r.done = int(f[2])
        except ValueError:
            continue    # a line cut by console noise
    return r


def params(run):
    """The program's parameters, as its APP,info line gave them."""
    return ",".join("%s=%s" % (k, v) for k, v in sorted(run.info.items())
                    if k not in ("prog", "kernel", "poe"))


def problems(run):
    """Why this run does not count (empty: it does, or does not apply)."""
    why = []
    if run.na:
        return why
    if run.result is None:
        why.append("no APP,result line" + (
            " (%s)" % run.why if run.why else
            " (no log)" if not run.info and run.rc is None else ""))
    elif run.result["status"] != "ok":
        why.append("WRONG RESULT (the program's check failed)")
    if run.done is None and run.result is not None:
        why.append("no APP,done line")
    elif run.done not in (None, 0):
        why.append("the program exited with status %d" % run.done)
    if run.rc not in (None, 0):
        why.append("the run's exit status was %d%s" % (
            run.rc, " (%s)" % run.why if run.why else
            QEMU_EXIT.get(run.rc, "")))
    elif run.rc is None:
        why.append("no exit status (.rc file): the run did not end")
    kernel = run.info.get("kernel", "")
    if run.info:
        if run.mode.startswith("linux") and not kernel.startswith("Linux"):
            why.append("ran on '%s', not Linux" % kernel)
        if not run.mode.startswith("linux") and kernel.startswith("Linux"):
            why.append("ran on Linux, not our kernel")
        if run.mode == "poe" and run.info.get("poe") != "1":
            why.append("POE was not on (poe.always=1 ignored?)")
        if run.mode != "poe" and run.info.get("poe") == "1":
            why.append("POE was on")
    return why


def pct(a, b):
    if a is None or b is None or b == 0:
        return None
    return 100.0 * (a - b) / b


def fmt_pct(v):
    return "-" if v is None else "%+.2f%%" % v


def share(n, d):
    if n is None or d is None or n < 0 or d <= 0:
        return None
    return 100.0 * n / d


def fault_latency(path):
    """(full-handler write fault, warm fast-path write fault) medians, in
    ticks, of the largest sweep in a faultbench log (its FB,row lines:
    FB,row,mode,kind,pages,n,min,median,...), or None."""
    rows = bench_report.parse_log("poe", path).rows
    both = sorted(pages for (mode, kind, pages) in rows
                  if mode == "off" and kind == "write" and
                  ("warm", "write", pages) in rows)
    if not both:
        return None
    return (rows[("off", "write", both[-1])]["median"],
            rows[("warm", "write", both[-1])]["median"])


def plot(d, apps, modes, runs):
    dat = os.path.join(d, "..", "apps.dat")
    png = os.path.join(d, "..", "apps.png")
    # Only the modes with a run to show: gnuplot refuses a column of NaN
    # (linux-ourlibc when only busybox was measured).
    modes = [m for m in modes
             if any(runs.get((a, m)) and runs[(a, m)].result for a in apps)]
    if not modes:
        return None, "no run to plot"
    rows = []
    for a in apps:
        base = runs.get((a, "off"))
        bt = base.result["ticks"] if base and base.result else None
        vals = []
        for m in modes:
            r = runs.get((a, m))
            t = r.result["ticks"] if r and r.result else None
            vals.append("%.4f" % (t / bt) if t and bt else "NaN")
        rows.append((a.replace("app_", ""), vals))
    with open(dat, "w") as f:
        f.write("# program " + " ".join('"%s"' % MODE_TITLE[m] for m in modes)
                + "   (ticks / ours with POE off)\n")
        for name, vals in rows:
            f.write("%s %s\n" % (name, " ".join(vals)))
    gp = shutil.which("gnuplot")
    if not gp:
        return None, "gnuplot missing (tools/install-deps.sh bench installs gnuplot-nox)"
    terms = subprocess.run([gp, "-e", "set terminal"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT).stdout.decode()
    term = "pngcairo" if re.search(r"^\s*pngcairo\b", terms, re.M) else "png"
    p = subprocess.run([gp, "-c", os.path.join(HERE, "bench_apps.gp"), dat,
                        png, str(len(modes)), term],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        return None, "gnuplot failed: " + p.stdout.decode(
            "utf-8", "replace").strip()
    return os.path.normpath(png), None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", default=os.path.join("build", "bench", "apps"))
    ap.add_argument("--linuxdir", default=os.path.join("build", "linux"))
    ap.add_argument("--apps", default="app_malloc app_sort app_hash "
                    "bb_sort bb_gzip bb_awk")
    ap.add_argument("--modes", default="off poe linux linux-ourlibc")
    ap.add_argument("--fblog",
                    default=os.path.join("build", "bench", "apps",
                                         "faultbench.log"),
                    help="faultbench's log on our kernel: the fault "
                    "latencies for the estimate")
    args = ap.parse_args()
    d = args.dir
    apps, modes = args.apps.split(), args.modes.split()
    runs = {(a, m): parse(d, a, m) for a in apps for m in modes}

    failed = []
    for (a, m), r in sorted(runs.items()):
        for why in problems(r):
            failed.append("%s (%s): %s" % (a, MODE_TITLE.get(m, m), why))
    for a in apps:
        seen = {}
        for m in modes:
            r = runs[(a, m)]
            if r.result:
                seen.setdefault(params(r), []).append(
                    (m, r.result["checksum"]))
        for p, sums in seen.items():
            if len({c for _, c in sums}) > 1:
                failed.append("%s: the runs disagree on the result (%s): %s"
                              % (a, p, ", ".join("%s %s" % (MODE_TITLE[m], c)
                                                 for m, c in sums)))

    # ---- header -------------------------------------------------------
    out = []
    any_run = next((r for r in runs.values() if r.qemu), None)
    cmd = any_run.qemu if any_run else ""
    if "-icount" in cmd:
        mode = ("TCG -icount shift=0: 1 tick = 1 guest instruction (each rep "
                "iteration counts); the same on every run")
    elif "-accel kvm" in cmd:
        mode = "KVM: ticks are host TSC cycles"
    else:
        mode = "TCG without -icount: ticks are not a stable unit"
    out.append("POE on real programs: ticks of each program's own window "
               "(rdtsc around all its work, frees included)")
    out.append("Measurement: " + mode)
    kernels = {}
    for r in runs.values():
        if r.info.get("kernel"):
            kernels.setdefault("linux" if r.mode.startswith("linux")
                               else "ours", (r.info["kernel"], r.qemu))
    vfile = os.path.join(args.linuxdir, "version")
    deb = ""
    if os.path.exists(vfile):
        with open(vfile) as f:
            v = f.read().split()
        if len(v) >= 2:
            deb = " (Debian package %s %s)" % (v[0], v[1])
    for who, title in (("ours", "Ours: "), ("linux", "Linux:")):
        if who in kernels:
            k, q = kernels[who]
            out.append("%s %s%s" % (title, k, deb if who == "linux" else ""))
            out.append("  " + (q or "(no QEMU command line in the log)"))
    for a in apps:
        r = runs.get((a, modes[0]))
        if r and r.info:
            out.append("%-7s %s" % (a.replace("app_", ""), params(r)))
    out.append("")

    # ---- the runs -----------------------------------------------------
    hdr = "%-7s %-19s %14s %9s %16s %11s %12s" % (
        "program", "run", "ticks", "minflt", "fast-path hits",
        "POE region", "POE bg ticks")
    out.append(hdr)
    out.append("-" * len(hdr))
    for a in apps:
        for m in modes:
            r = runs[(a, m)]
            name = a.replace("app_", "")
            if r.na:
                out.append("%-7s %-19s %s" % (name, MODE_TITLE[m],
                                              "n/a: " + r.na))
                continue
            if not r.result:
                out.append("%-7s %-19s %s" % (name, MODE_TITLE[m],
                                              "MISSING (see below)"))
                continue
            x = r.result
            hits = region = bg = "-"
            if x["hits"] >= 0 and m == "poe":
                s = share(x["hits"], x["minflt"])
                hits = "{:,} ({:.1f}%)".format(x["hits"], s) if s is not None \
                    else str(x["hits"])
                s = share(x["hits"] + x["fallbacks"] - x["fb_not_poeable"],
                          x["minflt"])
                region = "%.1f%%" % s if s is not None else "-"
                bg = "{:,}".format(x["bg_ticks"])
            out.append("%-7s %-19s %14s %9s %16s %11s %12s%s" % (
                name, MODE_TITLE[m], "{:,}".format(x["ticks"]),
                "{:,}".format(x["minflt"]), hits, region, bg,
                "" if x["status"] == "ok" else "  WRONG RESULT"))
    out.append("")
    # busybox's start-up is inside its window (bb_*: 0 here).
    starts = sorted({r.startup for (a, _), r in runs.items()
                     if r.startup is not None and not a.startswith("bb_")})
    out.append("minflt: getrusage(RUSAGE_SELF) over the window (before it: "
               "%s faults of exec and start-up);" % (
                   "-" if not starts else "%d" % starts[0] if len(starts) == 1
                   else "%d to %d" % (starts[0], starts[-1])))
    out.append("fast-path hits: poe_stats, share of minflt;")
    out.append("POE region: the faults in VM_POE regions (hits and "
               "fall-backs there), the most POE could serve;")
    out.append("POE bg ticks: pre-fault, post-fault and refill work in the "
               "window (one CPU: already inside its ticks).")
    if any(a.startswith("bb_") for a in apps):
        out.append("bb_*: Debian's static busybox (the same binary in every "
                   "run) run by user/app_busybox.c: ticks")
        out.append("from its fork to the end of wait4(), its exec and "
                   "start-up included; minflt busybox's own")
        out.append("(RUSAGE_CHILDREN); \"glibc build\" is the wrapper's "
                   "build, busybox is the same.")
    out.append("")
    poe_runs = [(a, runs[(a, "poe")]) for a in apps
                if "poe" in modes and runs[(a, "poe")].poe]
    if poe_runs:
        out.append("The POE runs' faults in POE regions that the fast path "
                   "missed, by reason:")
        out.append("  %-8s %12s %15s %12s %8s %9s" % (
            "program", "pf threads", "not yet marked", "table empty",
            "locked", "POE off"))
        for a, r in poe_runs:
            p = r.poe
            out.append("  %-8s %12s %15s %12s %8s %9s" % (
                a.replace("app_", ""), "{:,}".format(p["prefault_threads"]),
                "{:,}".format(p["not_marked"]),
                "{:,}".format(p["table_empty"]), "{:,}".format(p["locked"]),
                "{:,}".format(p["disabled"])))
        out.append("  pf threads: pre-fault threads started in the window (one "
                   "per POE region longer than poe.mark_sync")
        out.append("  pages: mmap marks a shorter one itself); not yet "
                   "marked: touched before the PTE was marked;")
        out.append("  table empty: the CPU's pre-allocated pages ran out.")
        out.append("")

    # ---- end-to-end changes -------------------------------------------
    def ticks(a, m):
        r = runs.get((a, m))
        return r.result["ticks"] if r and r.result else None

    changes = [
        ("POE on vs off", "poe", "off"),
        ("POE off vs Linux, same binary", "off", "linux-ourlibc"),
        ("POE on vs Linux, same binary", "poe", "linux-ourlibc"),
        ("POE off vs Linux, glibc build", "off", "linux"),
        ("POE on vs Linux, glibc build", "poe", "linux"),
    ]
    changes = [c for c in changes if c[1] in modes and c[2] in modes]
    out.append("End-to-end change in ticks (+ = slower than the second):")
    out.append("  %-32s %s" % ("", " ".join("%10s" % a.replace("app_", "")
                                            for a in apps)))
    for title, m1, m2 in changes:
        out.append("  %-32s %s" % (title, " ".join(
            "%10s" % fmt_pct(pct(ticks(a, m1), ticks(a, m2))) for a in apps)))
    # The patent's way: faults x the latency difference, against the
    # measured change. Every fault of these programs is a first write.
    lat = fault_latency(args.fblog)
    if "poe" in modes and "off" in modes:
        if lat:
            full, fast = lat

            def estimate(a):
                r = runs[(a, "poe")]
                t = ticks(a, "off")
                if not r.result or r.result["hits"] < 0 or not t:
                    return None
                return -100.0 * r.result["hits"] * (full - fast) / t
            out.append("  %-32s %s" % ("POE on vs off, estimated", " ".join(
                "%10s" % fmt_pct(estimate(a)) for a in apps)))
            out.append("  estimated as the patent does: the POE run's hits x "
                       "(full-handler write fault %d - fast-path" % full)
            out.append("  write fault %d ticks: faultbench's medians, %s) "
                       "over the POE-off ticks" % (fast, args.fblog))
        else:
            out.append("  (POE on vs off, estimated: no fault latencies in "
                       "%s)" % args.fblog)
    out.append("")

    # ---- files ----------------------------------------------------------
    top = os.path.normpath(os.path.join(d, ".."))
    csv_runs = os.path.join(top, "apps.csv")
    csv_phases = os.path.join(top, "apps_phases.csv")
    with open(csv_runs, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["program", "mode", "kernel", "params", "status", "ticks",
                    "minflt", "majflt", "hits", "fallbacks",
                    "fb_not_poeable", "bg_ticks", "checksum",
                    "vs_poe_off_pct", "vs_linux_same_binary_pct",
                    "vs_linux_glibc_pct", "fb_not_marked",
                    "fb_table_empty", "fb_locked", "fb_disabled",
                    "prefault_threads", "startup_minflt"])
        for a in apps:
            for m in modes:
                r = runs[(a, m)]
                if not r.result:
                    continue
                x = r.result
                vs = [pct(x["ticks"], ticks(a, b)) if b != m else None
                      for b in ("off", "linux-ourlibc", "linux")]
                w.writerow([a, m, r.info.get("kernel", ""), params(r),
                            x["status"], x["ticks"], x["minflt"],
                            x["majflt"], x["hits"], x["fallbacks"],
                            x["fb_not_poeable"], x["bg_ticks"],
                            x["checksum"]] +
                           ["" if v is None else "%.3f" % v for v in vs] +
                           ([r.poe[k] for k in ("not_marked", "table_empty",
                                                "locked", "disabled",
                                                "prefault_threads")]
                            if r.poe else [""] * 5) +
                           ["" if r.startup is None else r.startup])
    with open(csv_phases, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["program", "mode", "phase", "ticks", "minflt"])
        for a in apps:
            for m in modes:
                for p in runs[(a, m)].phases:
                    w.writerow([a, m, p[0], p[1], p[2]])
    png, why = plot(d, apps, modes, runs)
    out.append("Files: %s, %s, %s" % (csv_runs, csv_phases,
                                      png or "(no plot: %s)" % why))
    out.append("Logs:  %s/NAME-MODE.log" % os.path.normpath(d))

    for a in apps:
        for m in modes:
            for n in runs[(a, m)].notes:
                if "WRONG" in n or "cannot" in n or "usage" in n:
                    out.append("  %s (%s): %s" % (a, MODE_TITLE[m], n))
    if failed:
        out.append("")
        for f in failed:
            out.append("FAILED: " + f)
        out.append("bench-apps: %d problem(s): the table above is not a "
                   "complete, right measurement" % len(failed))
    print("\n".join(out))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
