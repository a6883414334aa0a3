#!/usr/bin/env python3
"""bench_smp_report.py - the table, CSVs and plot of `make bench-smp`
(tools/bench-smp.sh; docs/testing.md).

Reads the serial logs in DIR (build/bench/smp/):

  pf1-VARIANT-NCPUS-RUN.log   user/pf1bench.c's PF1,row lines
                              (page_fault1, threads and processes mode)
  fb-NCPUS-RUN.log            user/faultbench.c's FB,row lines (the warm
                              POE write sweep and the full handler's)

and writes to OUT (build/bench/):

  smp.csv          variant,vcpus,run,mode,tasks,faults,elapsed_ns,faults_per_s
  smp_summary.csv  variant,mode,vcpus,runs,median,min,max,spread_pct,
                   scaling   (scaling: the median over runs of this run's
                   rate / the same run's 1-vCPU rate)
  smp_sweep.csv    vcpus,run,mode,kind,median,mean,p99,hits,n
  smp.png          faults per second against vCPUs (tools/bench_smp.gp)

and prints the tables. The spread is (max - min) / median: how noisy the
shared machine was. Exit status 0 when every log of our kernel has its
rows; a missing Linux row is reported, not a failure.
"""

import argparse
import collections
import csv
import os
import re
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PF1_RE = re.compile(r"PF1,row,(threads|processes),(\d+),(\d),(\d+),(\d+),(\d+),(\d+)\s*$")
# FB,row,mode,kind,pages,n,min,median,p90,p99,mean,hits (user/faultbench.c)
FB_RE = re.compile(r"FB,row,([a-z]+),([a-z]+),(\d+),(\d+),(\d+),(\d+),(\d+),(\d+),([\d.]+),(-?\d+)\s*$")
LOG_RE = re.compile(r"pf1-([a-z]+)-(\d+)-(\d+)\.log$")
FB_LOG_RE = re.compile(r"fb-(\d+)-(\d+)\.log$")


def read(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace").replace("\r", "").splitlines()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default="build/bench/smp")
    ap.add_argument("--out", default="build/bench")
    args = ap.parse_args()

    rows = []            # (variant, vcpus, run, mode, tasks, faults, ns, fps)
    missing = []
    for name in sorted(os.listdir(args.dir)):
        m = LOG_RE.match(name)
        if not m:
            continue
        variant, vcpus, run = m.group(1), int(m.group(2)), int(m.group(3))
        found = set()
        for line in read(os.path.join(args.dir, name)):
            r = PF1_RE.search(line)
            if r:
                found.add(r.group(1))
                rows.append((variant, vcpus, run, r.group(1), int(r.group(2)),
                             int(r.group(5)), int(r.group(6)), int(r.group(7))))
        for mode in ("threads", "processes"):
            if mode not in found:
                missing.append("%s: no %s row" % (name, mode))

    sweeps = []          # (vcpus, run, mode, kind, median, mean, p99, hits, n)
    for name in sorted(os.listdir(args.dir)):
        m = FB_LOG_RE.match(name)
        if not m:
            continue
        vcpus, run = int(m.group(1)), int(m.group(2))
        got = False
        for line in read(os.path.join(args.dir, name)):
            r = FB_RE.search(line)
            if r and r.group(2) in ("write", "read") and \
                    r.group(1) in ("warm", "cold", "off"):
                got = True
                sweeps.append((vcpus, run, r.group(1), r.group(2),
                               int(r.group(6)), float(r.group(9)),
                               int(r.group(8)), int(r.group(10)),
                               int(r.group(4))))
        if not got:
            missing.append("%s: no FB write rows" % name)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "smp.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["variant", "vcpus", "run", "mode", "tasks", "faults",
                    "elapsed_ns", "faults_per_s"])
        w.writerows(sorted(rows))

    by = collections.defaultdict(dict)   # (variant, mode, vcpus) -> run -> fps
    for variant, vcpus, run, mode, _t, _f, _ns, fps in rows:
        by[(variant, mode, vcpus)][run] = fps
    summary = []
    for (variant, mode, vcpus), runs in sorted(by.items()):
        vals = list(runs.values())
        med = statistics.median(vals)
        one = by.get((variant, mode, 1), {})
        ratios = [runs[r] / one[r] for r in runs if one.get(r)]
        summary.append((variant, mode, vcpus, len(vals), med, min(vals),
                        max(vals), 100.0 * (max(vals) - min(vals)) / med if med else 0,
                        statistics.median(ratios) if ratios else None))
    with open(os.path.join(args.out, "smp_summary.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["variant", "mode", "vcpus", "runs", "median", "min", "max",
                    "spread_pct", "scaling"])
        for s in summary:
            w.writerow(list(s[:7]) + ["%.1f" % s[7],
                                      "" if s[8] is None else "%.3f" % s[8]])
    with open(os.path.join(args.out, "smp_sweep.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["vcpus", "run", "mode", "kind", "median", "mean", "p99",
                    "hits", "n"])
        w.writerows(sorted(sweeps))

    print("make bench-smp: page_fault1 (128 MiB per task, one byte per page),"
          " tasks = vCPUs; MTTCG, wall-clock time")
    print("%-7s %-9s %5s %4s %12s %8s %8s" % ("variant", "mode", "vCPUs", "runs",
                                              "faults/s", "spread", "x 1vCPU"))
    for s in summary:
        print("%-7s %-9s %5d %4d %12.0f %7.1f%% %8s" % (
            s[0], s[1], s[2], s[3], s[4], s[7],
            "-" if s[8] is None else "%.2f" % s[8]))
    if sweeps:
        print()
        print("faultbench 4096-page sweeps, ticks per fault (TSC, wall"
              " clock under MTTCG), median over runs of each statistic")
        print("%5s %-5s %-5s %9s %9s %9s %8s" % (
            "vCPUs", "mode", "kind", "median", "mean", "p99", "hits"))
        g = collections.defaultdict(list)
        for vcpus, _run, mode, kind, med, mean, p99, hits, n in sweeps:
            g[(vcpus, mode, kind)].append((med, mean, p99, hits, n))
        stat = {}    # (vcpus, mode, kind) -> (median, mean, p99, hit %)
        for (vcpus, mode, kind), v in sorted(g.items()):
            hits = [x[3] for x in v if x[3] >= 0]
            hit = 100.0 * statistics.median(hits) / v[0][4] \
                if hits and mode != "off" else None
            stat[(vcpus, mode, kind)] = (
                statistics.median(x[0] for x in v),
                statistics.median(x[1] for x in v),
                statistics.median(x[2] for x in v), hit)
            s = stat[(vcpus, mode, kind)]
            print("%5d %-5s %-5s %9.0f %9.0f %9.0f %8s" % (
                vcpus, mode, kind, s[0], s[1], s[2],
                "%.1f%%" % hit if hit is not None else "-"))
        # The POE targets for several vCPUs, at each count above 1:
        # medians over the runs, so one noisy run does not decide.
        for vcpus in sorted({k[0] for k in stat if k[0] > 1}):
            ww = stat.get((vcpus, "warm", "write"))
            fw = stat.get((vcpus, "off", "write"))
            checks = []
            if ww and fw:
                checks += [
                    ("warm write mean <= 2 x its median",
                     "%.0f vs %.0f" % (ww[1], 2 * ww[0]), ww[1] <= 2 * ww[0]),
                    ("warm write p99 <= full handler p99",
                     "%.0f vs %.0f" % (ww[2], fw[2]), ww[2] <= fw[2]),
                    ("warm write hit rate >= 99.5%",
                     "%.1f%%" % (ww[3] or 0), (ww[3] or 0) >= 99.5)]
            for kind in ("write", "read"):
                c = stat.get((vcpus, "cold", kind))
                if c:
                    checks.append(("cold %s hit rate >= 95%%" % kind,
                                   "%.1f%%" % (c[3] or 0),
                                   (c[3] or 0) >= 95.0))
            poe_r = [s for s in summary if s[0] == "poe" and s[2] == vcpus]
            fine_r = [s for s in summary if s[0] == "fine" and s[2] == vcpus
                      and poe_r and s[1] == poe_r[0][1]]
            if poe_r and fine_r:
                checks.append(("page_fault1 %s POE / fine >= 1.0" %
                               poe_r[0][1],
                               "%.2f" % (poe_r[0][4] / fine_r[0][4]),
                               poe_r[0][4] >= fine_r[0][4]))
            if checks:
                print()
                print("Targets at %d vCPUs (medians over the runs; a "
                      "shared host: see the spread):" % vcpus)
                for name, fig, ok in checks:
                    print("  %-40s %-20s %s" % (name, fig,
                                                "met" if ok else "NOT met"))
    for m in missing:
        print("missing: " + m)

    gp = shutil.which("gnuplot")
    if not gp:
        print("plot: gnuplot missing (tools/install-deps.sh bench installs gnuplot-nox)")
    elif summary:
        dat = os.path.join(args.out, "smp.dat")
        with open(dat, "w") as f:
            for (variant, mode) in sorted({(s[0], s[1]) for s in summary}):
                f.write('"%s %s"\n' % (variant, mode))
                for s in summary:
                    if (s[0], s[1]) == (variant, mode):
                        f.write("%d %.0f\n" % (s[2], s[4]))
                f.write("\n\n")
        n = len({(s[0], s[1]) for s in summary})
        png = os.path.join(args.out, "smp.png")
        p = subprocess.run([gp, "-c", os.path.join(HERE, "bench_smp.gp"), dat,
                            png, str(n)], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        print("plot: " + (png if p.returncode == 0 else
                          "gnuplot failed: " + p.stdout.decode().strip()))

    ours_missing = [m for m in missing if not m.startswith("pf1-linux")]
    return 1 if ours_missing or not rows else 0


if __name__ == "__main__":
    sys.exit(main())
