#!/usr/bin/env python3
"""faultprof - where the instructions of one page fault go.

Boots the kernel under -icount with faultbench as init (the same machine
and command line as `make bench`, docs/testing.md), stops at one fault of
one faultbench sweep in gdb, single-steps it from the first instruction of
the #PF stub (trap_stub_14) to the iretq that returns to the faulting
program, and prints how many instructions each function ran: a call tree
(inclusive and self counts) and a flat profile. Under -icount one tick is
one instruction, so the total is the fault's cost as faultbench measures
it; the script prints faultbench's median for the same sweep beside it.

    tools/faultprof.py [--kind read|write|rw]
                       [--mode off|cold|warm|uffd-same|trap]
                       [--page N|LIST] [--pages N] [--build DIR] [--append WORDS]
                       [--depth N] [--min N] [--no-inline] [--trace FILE]
                       [--log FILE] [--check] [--timeout SEC]

    --kind, --mode  which faultbench sweep (user/faultbench.c): the full
                    handler is --mode off (the default), the POE fast path
                    --mode warm or cold; --mode uffd-same --kind write the
                    userfaultfd round trip, stepped from the fault through
                    the monitor thread (kernel and user mode) until the
                    faulting thread retries its access, and cut where it
                    changes hands (each switch of mode or task);
                    --mode trap --kind write a fault of the TRAP
                    sweep (faultbench's mprotect rows): the fault, the
                    SIGSEGV handler and its mprotect, rt_sigreturn,
                    until the write is retried, cut the same way
    --page N        which fault of the sweep (default 5: page 0 also
                    builds the page tables; pages 1 to 511 of a 2 MiB
                    page table all take the same path). A list such as
                    0-63 or 5,100-110 traces each of them in one run and
                    prints a line per fault, with what made it dearer
                    than the cheapest, then the dearest in full
    --pages N       the sweep's size (default 4096, as make bench)
    --build DIR     kernel.elf, initrd.tar and user/bin/faultbench from DIR
                    (default build)
    --append WORDS  more words for the kernel's command line
                    (e.g. poe.walker=c)
    --depth N       print the call tree N calls deep (default 6)
    --min N         leave out tree nodes under N instructions (default 1)
    --no-inline     leave out the functions the compiler inlined (the
                    tree shows them under the function they were inlined
                    into, marked "(inline)", from the DWARF line tables)
    --trace FILE    write every instruction: its number, address,
                    function+offset, disassembly and source line
    --log FILE      keep the serial console (faultbench's FB, lines)
    --timeout SEC   give up after SEC seconds (default 600)
    --check         exit 1 unless the instructions traced (of the first
                    page given) are as many as faultbench's median ticks
                    for the sweep (a check of the tool: the default page
                    is a median fault)

Needs gdb with Python and objdump/nm (binutils). SMP=N in the environment
is passed on to tools/qemu.sh; the figures the project compares are those
of one CPU. Every step is one gdb `stepi` (about a millisecond): a write
fault, with its 4096-iteration `rep stosb`, takes a few seconds.

How it counts: each `stepi` runs one instruction, and each iteration of a
`rep` instruction is one step, as it is one tick under -icount. QEMU's gdb
stub masks interrupts while it single-steps, so the trace is a fault that
no timer interrupt cut into, like the bulk of faultbench's samples (its
median). Functions are told apart by the kernel's ELF symbols; a `call`
opens a child in the tree, a `ret` closes it, and a jump into another
symbol (trap_stub_14 -> trap_common, a tail call) continues as a sibling.

The same file is loaded into gdb (gdb -x tools/faultprof.py), where it
does the stepping; the FAULTPROF_* environment variables carry the
parameters across. docs/testing.md, "Where one fault's instructions go".
"""

import argparse
import bisect
import os
import re
import socket
import subprocess
import sys
import tempfile

USER_TOP = 0x0000800000000000
KINDS = {"read": 0, "write": 1, "rw": 2}
# The error code of a sweep's timed fault (asm/trap_pf.h): user (4), write
# (2), present (1). rw times the write after an untimed read: copy-on-write
# of the zero page, a protection fault.
KIND_EC = {"read": 0x4, "write": 0x6, "rw": 0x7}


# ---- inside gdb --------------------------------------------------------


def gdb_main():
    import gdb  # pylint: disable=import-error,import-outside-toplevel

    env = os.environ
    port = env["FAULTPROF_PORT"]
    kernel = env["FAULTPROF_KERNEL"]
    prog = env["FAULTPROF_PROG"]
    mode = env["FAULTPROF_MODE"]
    kind = env["FAULTPROF_KIND"]
    pages = [int(x) for x in env["FAULTPROF_PAGES"].split(",")]
    pages_n = int(env["FAULTPROF_NPAGES"])
    out = env["FAULTPROF_OUT"]

    def run(cmd):
        return gdb.execute(cmd, to_string=True)

    def reg(name):
        return int(gdb.parse_and_eval("(unsigned long)$" + name))

    def u64(addr):
        mem = gdb.selected_inferior().read_memory(addr, 8)
        return int.from_bytes(bytes(mem), "little")

    def fail(msg):
        with open(out, "w", encoding="ascii") as f:
            f.write("error " + msg + "\n")
        run("kill")

    run("set pagination off")
    run("set confirm off")
    run("set architecture i386:x86-64")
    run("file " + kernel)
    # faultbench runs as init: it is the only program at its addresses.
    run("add-symbol-file %s" % prog)
    run("target remote localhost:" + port)
    # Other vCPUs (SMP=N) stay stopped while this one steps.
    run("set scheduler-locking step")
    # measure(mode, kind, pages, ...) in user/faultbench.c starts a sweep;
    # measure_uffd(mode, pages, ...) a userfaultfd one, and the mprotect
    # rows come after the last of those.
    # Mode trap: measure_mprotect(pages, ...), whose timed writes come
    # after its mprotect(p, len, PROT_NONE) of the whole range (before it,
    # the untimed first touch faults too); finish() comes after the last
    # sweep.
    uffd = mode.startswith("uffd") or mode == "trap"
    start, after = (("measure_mprotect", "finish") if mode == "trap" else
                    ("measure_uffd", "measure_mprotect") if uffd else
                    ("measure", "measure"))
    run("hbreak " + start)
    while True:
        run("continue")
        if mode == "trap":
            if reg("rdi") == pages_n:
                break
            continue
        m = gdb.parse_and_eval("(char *)$rdi").string()
        if m == mode and (uffd or reg("rsi") == KINDS[kind]):
            break
    run("delete")
    if mode == "trap":
        run("hbreak mprotect")
        while True:
            run("continue")
            if reg("rdx") == 0:  # PROT_NONE: the range, before the sweep
                break
        run("delete")
    run("hbreak " + after)
    # From here: the sweep's faults. A new measure() means it had none
    # (or fewer than asked for).
    stub = int(gdb.parse_and_eval("(unsigned long)&trap_stub_14"))
    first = None
    f = open(out, "w", encoding="ascii")  # pylint: disable=consider-using-with
    for page in pages:
        run("hbreak trap_stub_14")
        while True:
            run("continue")
            if reg("pc") != stub:
                f.close()
                return fail("the %s %s sweep took no fault with error "
                            "code 0x%x at page %d" % (mode, kind,
                                                      KIND_EC[kind], page))
            rsp = reg("rsp")
            ec, rip, cs = u64(rsp), u64(rsp + 8), u64(rsp + 16)
            if not cs & 3 or ec != KIND_EC[kind]:
                continue  # a user copy, or another kind of fault
            if (mode != "trap" and uffd and
                    not run("info symbol 0x%x" % rip).startswith(start +
                                                                  " ")):
                continue  # the monitor thread's stack, as it starts
            cr2 = reg("cr2")
            if first is None:
                first = cr2  # page 0 of the sweep
            if cr2 == first + page * 4096:
                break
        run("delete")
        pcs = [reg("pc")]
        while True:
            run("stepi")
            pc = reg("pc")
            if uffd and pc == rip:
                break  # the faulting thread retries its access
            if not uffd and pc < USER_TOP:
                break  # the iretq (the last pc recorded) went back
            # A round trip also runs the monitor, in user mode too.
            pcs.append(pc)
        f.write("fault page=%d cr2=0x%x ec=0x%x\n" % (page, cr2, ec))
        for pc in pcs:
            f.write("%x\n" % pc)
        run("hbreak " + after)
    f.close()
    # Let faultbench finish, for its figures.
    run("delete")
    run("detach")


# ---- the analysis ------------------------------------------------------


class Symbols:
    """The kernel's text symbols, for pc -> function."""

    # gcc's clones (foo.constprop.0) are functions of their own; NASM's
    # local labels (trap_common.from_kernel, ..@12.full in a macro) are
    # part of the symbol before them.
    CLONE = re.compile(r"\.(constprop|isra|part|cold|lto_priv)\b")

    def __init__(self, elf, user=None):
        """The text symbols of elf, and of the user program user (named
        "user:NAME") when given."""
        syms = []
        for path, prefix in ((elf, ""), (user, "user:")):
            if not path:
                continue
            out = subprocess.run(["nm", "-n", "--defined-only", path],
                                 check=True, capture_output=True,
                                 text=True).stdout
            for line in out.splitlines():
                parts = line.split()
                if len(parts) != 3 or parts[1] not in "Tt":
                    continue
                name = parts[2]
                if "." in name and not self.CLONE.search(name):
                    continue  # a label inside the symbol before it
                syms.append((int(parts[0], 16), prefix + name))
        self.addrs, self.names = [], []
        for addr, name in sorted(syms, key=lambda s: s[0]):
            if self.addrs and self.addrs[-1] == addr:
                continue  # two names for one address: keep the first
            self.addrs.append(addr)
            self.names.append(name)

    def lookup(self, pc):
        i = bisect.bisect_right(self.addrs, pc) - 1
        if i < 0:
            return "?", pc
        return self.names[i], pc - self.addrs[i]


def disassemble(elf):
    """pc -> the instruction's text (objdump, Intel syntax)."""
    out = subprocess.run(["objdump", "-d", "-w", "--no-show-raw-insn",
                          "-M", "intel", elf],
                         check=True, capture_output=True, text=True).stdout
    insns = {}
    for line in out.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s+(.*)$", line)
        if m:
            insns[int(m.group(1), 16)] = m.group(2).strip()
    return insns


def inline_frames(elf, pcs, root_dir):
    """pc -> [(function, file:line), ...], innermost first: the functions
    the compiler inlined at pc (addr2line -i), the last one the symbol's
    own function."""
    uniq = sorted(set(pcs))
    out = subprocess.run(["addr2line", "-e", elf, "-f", "-i", "-a"] +
                         ["%x" % pc for pc in uniq],
                         check=True, capture_output=True,
                         text=True).stdout.splitlines()
    frames, pc, i = {}, None, 0
    while i < len(out):
        if out[i].startswith("0x"):
            pc = int(out[i], 16)
            frames[pc] = []
            i += 1
            continue
        where = out[i + 1] if i + 1 < len(out) else "??"
        if "//" in where:  # NASM: its directory, then the path again
            where = where[where.rindex("//") + 2:]
        if where.startswith(root_dir + "/"):
            where = where[len(root_dir) + 1:]
        frames[pc].append((out[i], where.split(" ")[0]))
        i += 2
    return frames


class Node:
    def __init__(self, name, parent):
        self.name, self.parent = name, parent
        self.self, self.calls = 0, 0
        self.children = {}  # name -> Node, in order of first call
        self.inlined = {}  # (outer, ..., inner) inlined functions -> count

    def child(self, name):
        if name not in self.children:
            self.children[name] = Node(name, self)
        node = self.children[name]
        node.calls += 1
        return node

    def total(self):
        return self.self + sum(c.total() for c in self.children.values())


def build_tree(pcs, syms, insns, frames):
    """The call tree of the trace; returns (root, flat self counts)."""
    root = Node("<fault>", None)
    top = None
    pending_call = False
    flat = {}
    for pc in pcs:
        fn, _ = syms.lookup(pc)
        if top is None:
            top = root.child(fn)
        elif pending_call:
            top = top.child(fn)
        elif fn != top.name:
            # A jump (or falling through) into another symbol: a sibling.
            top = top.parent.child(fn)
        pending_call = False
        top.self += 1
        flat[fn] = flat.get(fn, 0) + 1
        # What the compiler inlined here, outermost first, without the
        # function itself.
        chain = tuple(f for f, _ in reversed(frames.get(pc, [])[:-1]))
        top.inlined[chain] = top.inlined.get(chain, 0) + 1
        mnem = insns.get(pc, "").split(" ")[0]
        if mnem == "call":
            pending_call = True
        elif mnem == "ret" and top.parent is not root:
            top = top.parent
    return root, flat


def print_inlined(node, depth, minimum, out):
    """The node's own instructions by the functions inlined into it."""
    sums = {}  # prefix of a chain -> instructions under it
    for chain, n in node.inlined.items():
        for k in range(1, len(chain) + 1):
            sums[chain[:k]] = sums.get(chain[:k], 0) + n
    for prefix in sorted(sums, key=lambda p: [(-sums[p[:k]], p[k - 1])
                                              for k in range(1,
                                                             len(p) + 1)]):
        if sums[prefix] < minimum:
            continue
        own = node.inlined.get(prefix, 0)
        out.append("%7d %6d %6s  %s%s (inline)" % (
            sums[prefix], own, "", "  " * (depth + len(prefix)),
            prefix[-1]))


def print_tree(node, depth, maxdepth, minimum, inline, out):
    for c in node.children.values():
        total = c.total()
        if total < minimum:
            continue
        out.append("%7d %6d %6d  %s%s" % (total, c.self, c.calls,
                                          "  " * depth, c.name))
        if inline:
            print_inlined(c, depth, minimum, out)
        if depth + 1 < maxdepth:
            print_tree(c, depth + 1, maxdepth, minimum, inline, out)
        elif c.children:
            out[-1] += "  (+ calls)"


def bench_row(log, mode, kind, pages):
    """faultbench's FB,row for the sweep: (median, mean, p99) or None."""
    for line in log.splitlines():
        f = line.strip().split(",")
        if (len(f) >= 12 and f[:2] == ["FB", "row"] and f[2] == mode
                and f[3] == kind and f[4] == str(pages)):
            return f[7], f[10], f[9]
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse_pages(spec, npages):
    """"5" or "0-63" or "5,100-110" -> a sorted list of page numbers."""
    pages = set()
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        lo = int(lo)
        hi = int(hi) if hi else lo
        if not 0 <= lo <= hi < npages:
            raise ValueError("page %s is not in 0..%d" % (part, npages - 1))
        pages.update(range(lo, hi + 1))
    return sorted(pages)


def segments(pcs, syms):
    """A userfaultfd round trip cut where it changes hands: at each switch
    between kernel and user mode and after each return from
    __switch_to_asm (the other task runs from there). A list of (where,
    instructions, {function: self count})."""
    out = []
    prev_fn = None
    for pc in pcs:
        fn, _ = syms.lookup(pc)
        where = "user" if pc < USER_TOP else "kernel"
        if (not out or out[-1][0] != where or
                (prev_fn == "__switch_to_asm" and fn != prev_fn)):
            out.append((where, 0, {}))
        w, n, flat = out[-1]
        flat[fn] = flat.get(fn, 0) + 1
        out[-1] = (w, n + 1, flat)
        prev_fn = fn
    return out


def user_too(mode):
    """Whether mode's trace runs on in user mode until the faulting
    access is retried (a userfaultfd monitor, or a SIGSEGV handler)."""
    return mode.startswith("uffd") or mode == "trap"


def report(pcs, head, args, syms, insns, frames, row):
    """The full report of one traced fault, as lines."""
    tree, flat = build_tree(pcs, syms, insns, frames)
    out = ["faultprof: %s %s fault, page %s of the %d-page sweep "
           "(cr2 %s, error code %s)" % (args.mode, args.kind, head["page"],
                                        args.pages, head["cr2"],
                                        head["ec"]),
           "  %d instructions from trap_stub_14 to the iretq" % len(pcs)
           if not user_too(args.mode) else
           "  %d instructions from trap_stub_14 to the retried access "
           "(the %s included)" % (len(pcs), "handler's" if args.mode == "trap"
                                  else "monitor's")]
    if row:
        # The stops at the breakpoints disturb the clock readings of the
        # faults gdb stopped at, and so the sweep's mean and tail; its
        # median is one undisturbed fault.
        out.append("  faultbench's median for this sweep: %s ticks" % row[0])
    if user_too(args.mode):
        out += ["", "where it changes hands (kernel/user, and each "
                "__switch_to_asm: the other thread runs from there):",
                "  step  instrs  mode    functions (self instructions)"]
        for i, (where, n, seg) in enumerate(segments(pcs, syms), 1):
            top = sorted(seg.items(), key=lambda kv: -kv[1])
            out.append("  %4d %7d  %-6s  %s%s" % (
                i, n, where, ", ".join("%s %d" % kv for kv in top[:5]),
                ", ..." if len(top) > 5 else ""))
        out += ["  (the call tree below follows call and ret, which a "
                "context switch mixes up: trust the flat profile)"]
    out += ["", "call tree (a call opens a level; incl = the function "
            "and what it called):",
            "   incl   self  calls  function"]
    print_tree(tree, 0, args.depth, args.min, args.inline, out)
    out += ["", "flat profile (instructions run in each function itself):",
            "   self      %  function"]
    for fn, n in sorted(flat.items(), key=lambda kv: -kv[1]):
        out.append("%7d %5.1f%%  %s" % (n, 100.0 * n / len(pcs), fn))
    return out, flat


def main():
    ap = argparse.ArgumentParser(
        description="Count the instructions of one page fault, by "
        "function (gdb single-steps a faultbench fault under -icount).")
    ap.add_argument("--kind", choices=sorted(KINDS), default="read")
    ap.add_argument("--mode", choices=["off", "cold", "warm", "uffd-same",
                                       "trap"],
                    default="off")
    ap.add_argument("--page", default="5")
    ap.add_argument("--pages", type=int, default=4096)
    ap.add_argument("--build", default="build")
    ap.add_argument("--append", default="")
    ap.add_argument("--depth", type=int, default=6)
    ap.add_argument("--min", type=int, default=1)
    ap.add_argument("--trace")
    ap.add_argument("--no-inline", dest="inline", action="store_false")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--log")
    ap.add_argument("--timeout", type=int, default=600)
    args = ap.parse_args()
    try:
        pages = parse_pages(args.page, args.pages)
    except ValueError as e:
        ap.error("--page: %s" % e)
    if user_too(args.mode) and args.kind != "write":
        ap.error("--mode %s times writes only: --kind write" % args.mode)

    root_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    kernel = os.path.join(args.build, "kernel.elf")
    initrd = os.path.join(args.build, "initrd.tar")
    prog = os.path.join(args.build, "user", "bin", "faultbench")
    for f in (kernel, initrd, prog):
        if not os.path.exists(f):
            sys.exit("faultprof: no %s (make kernel initrd)" % f)

    port = free_port()
    # The fixed layout (docs/address-space.md): the fault's address, and
    # the page tables the sweep meets, as faultbench's own runs. An older
    # kernel (--build) without the option has no randomization either.
    with open(kernel, "rb") as f:
        norandmaps = "norandmaps" if b"norandmaps" in f.read() else ""
    cmdline = " ".join(w for w in ["loglevel=4", norandmaps, args.append,
                                   "init=/bin/faultbench", "--", "--csv",
                                   "--tput-iters", "0", str(args.pages)]
                       if w)
    qemu = subprocess.Popen(
        ["bash", os.path.join(root_dir, "tools", "qemu.sh"), "--icount",
         "--repeatable", "--timeout", str(args.timeout), "--gdb-port",
         str(port), "--kernel", kernel, "--initrd", initrd, "--append",
         cmdline],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    with tempfile.NamedTemporaryFile("r", suffix=".pcs") as tmp:
        env = dict(os.environ, FAULTPROF_PORT=str(port),
                   FAULTPROF_KERNEL=kernel, FAULTPROF_PROG=prog,
                   FAULTPROF_MODE=args.mode, FAULTPROF_KIND=args.kind,
                   FAULTPROF_PAGES=",".join(map(str, pages)),
                   FAULTPROF_NPAGES=str(args.pages),
                   FAULTPROF_OUT=tmp.name)
        gdb = subprocess.run(["gdb", "-q", "-batch", "-nx", "-x",
                              os.path.abspath(__file__)],
                             env=env, capture_output=True, text=True,
                             timeout=args.timeout, check=False)
        lines = tmp.read().splitlines()
    log, _ = qemu.communicate(timeout=args.timeout)
    if args.log:
        with open(args.log, "w", encoding="utf-8") as f:
            f.write(log)
    if not lines or lines[0].startswith("error"):
        sys.stderr.write(gdb.stdout + gdb.stderr + log)
        sys.exit("faultprof: %s" % (lines[0] if lines else
                                    "gdb recorded nothing"))
    faults = []  # (head, pcs), in page order
    for line in lines:
        if line.startswith("fault "):
            faults.append((dict(kv.split("=") for kv in line.split()[1:]),
                           []))
        else:
            faults[-1][1].append(int(line, 16))

    uffd = user_too(args.mode)
    syms = Symbols(kernel, prog if uffd else None)
    insns = disassemble(kernel)
    if uffd:  # the monitor's user-mode instructions too
        insns.update(disassemble(prog))
    frames = inline_frames(kernel, [pc for _, pcs in faults for pc in pcs
                                    if pc >= USER_TOP], root_dir)
    row = (bench_row(log, "mprotect", "trap", args.pages)
           if args.mode == "trap" else
           bench_row(log, args.mode, args.kind, args.pages))

    if args.trace:
        with open(args.trace, "w", encoding="ascii") as f:
            for head, pcs in faults:
                if len(faults) > 1:
                    f.write("# page %s\n" % head["page"])
                for i, pc in enumerate(pcs, 1):
                    fn, off = syms.lookup(pc)
                    fr = frames.get(pc) or [("?", "?")]
                    f.write("%5d %x %-28s %-44s %s\n" % (
                        i, pc, "%s+0x%x" % (fn, off), insns.get(pc, "?"),
                        fr[0][1] if fr[0][0] == fn else
                        "%s (%s)" % (fr[0][1], fr[0][0])))
    if len(faults) == 1:
        out, _ = report(faults[0][1], faults[0][0], args, syms, insns,
                        frames, row)
    else:
        # One line per fault, what made it dearer than the cheapest, then
        # the dearest in full.
        flats = [build_tree(pcs, syms, insns, frames)[1]
                 for _, pcs in faults]
        low = min(range(len(faults)), key=lambda i: len(faults[i][1]))
        high = max(range(len(faults)), key=lambda i: len(faults[i][1]))
        out = ["faultprof: %s %s faults of the %d-page sweep, by page "
               "(instructions; more than page %s, the cheapest, in):" % (
                   args.mode, args.kind, args.pages,
                   faults[low][0]["page"])]
        if row:
            out.append("  faultbench's median for this sweep: %s ticks" %
                       row[0])
        for (head, pcs), flat in zip(faults, flats):
            more = sorted(((n - flats[low].get(fn, 0), fn)
                           for fn, n in flat.items()
                           if n != flats[low].get(fn, 0)), reverse=True)
            out.append("  page %5s %7d  %s" % (
                head["page"], len(pcs),
                ", ".join("%+d %s" % (d, fn) for d, fn in more[:4])))
        full, _ = report(faults[high][1], faults[high][0], args, syms,
                         insns, frames, row)
        out += ["", "the dearest of them:"] + full
    print("\n".join(out))

    if qemu.returncode != 0:
        sys.exit("faultprof: QEMU exited with %d" % qemu.returncode)
    n = len(faults[0][1])
    if args.check and (not row or str(n) != row[0]):
        sys.exit("faultprof: --check: %d instructions traced, faultbench's "
                 "median is %s" % (n, row[0] if row else "missing"))


if __name__ == "__main__":
    # Inside gdb, which main() starts with FAULTPROF_PORT set. Not `import
    # gdb`: outside gdb that finds tools/gdb/, a namespace package.
    if "FAULTPROF_PORT" in os.environ:
        gdb_main()
    else:
        main()
