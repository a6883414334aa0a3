# mm.py - gdb commands for the mm subsystem (docs/testing.md, "Debugging").
#
# Loaded by tools/gdbinit (`make gdb`); by hand: `source tools/gdb/mm.py`
# in gdb, with build/kernel.elf's symbols loaded. After Linux's
# scripts/gdb (lx-ps, lx-pgtable, lx-mounts, ...: kernel structures read
# in Python through gdb's API) and Pintos' page-fault hook (stop in the
# #PF handler and show what faulted). `help COMMAND` says what each does:
#
#   vmas [PID]             the VMAs, as the kernel's mm dump prints them
#   pagewalk ADDR [PID]    every level's entry: address, raw value, bits
#   poe-table [CPU]        a CPU's POE pre-allocation table
#   tasks                  every task: pid, tgid, state, cpu, name
#   freepages              the buddy free lists per order, and the totals
#   faultstats [PID]       the fault counters, per process and global
#   pf-trace on|print|off  stop at (or print) every full-handler fault
#
# Every structure is read by its C type from the ELF's debug info
# (gdb.lookup_type, gdb.parse_and_eval), never at a hard-coded offset, so
# a new field in struct task or struct mm_struct changes nothing here.
# What debug info does not hold, #define'd bit values (_PAGE_*, VM_*,
# POE_ENTRY_*), is read from the headers of the tree this file is in
# (asm/pgtable_bits.h, mm/vma.h, mm/poe.h); the values below are only the
# fall-back when a header cannot be read. Page tables and POE tables are
# physical memory, read through the kernel's direct map (PAGE_OFFSET, the
# value of the symbol poe_page_offset in arch/x86_64/poe_walk.asm).
#
# Per-CPU data: one struct percpu per CPU in percpu_areas[]
# (arch/x86_64/percpu.c); in kernel mode GS.base ($gs_base in gdb) holds
# the running CPU's (in user mode the kernel's waits in $k_gs_base).
# QEMU shows each vCPU as a gdb thread: thread N is CPU N - 1.

import os
import re
import struct

import gdb

# ---- constants from the kernel's headers ------------------------------------

_HERE = os.path.dirname(os.path.abspath(
    globals().get("__file__", "tools/gdb/mm.py")))
_REPO = os.path.dirname(os.path.dirname(_HERE))

# The fall-back values: the headers' at the time of writing.
_FALLBACK = {
    "_PAGE_PRESENT": 1 << 0, "_PAGE_RW": 1 << 1, "_PAGE_USER": 1 << 2,
    "_PAGE_PWT": 1 << 3, "_PAGE_PCD": 1 << 4, "_PAGE_ACCESSED": 1 << 5,
    "_PAGE_DIRTY": 1 << 6, "_PAGE_PSE": 1 << 7, "_PAGE_GLOBAL": 1 << 8,
    "_PAGE_NX": 1 << 63, "_PAGE_PROTNONE": 1 << 9, "_PAGE_UFFD_WP": 1 << 10,
    "_PAGE_POEABLE": 1 << 2, "_PAGE_POE_LOCK": 1 << 5,
    "POE_PTE_TGID_SHIFT": 12, "PTE_PFN_MASK": 0x000ffffffffff000,
    "VM_READ": 0x1, "VM_WRITE": 0x2, "VM_EXEC": 0x4, "VM_SHARED": 0x8,
    "VM_MAYREAD": 0x10, "VM_MAYWRITE": 0x20, "VM_MAYEXEC": 0x40,
    "VM_MAYSHARE": 0x80, "VM_GROWSDOWN": 0x100, "VM_POE": 0x800000,
    "POE_ENTRY_VALID": 1 << 0, "POE_ENTRY_USED": 1 << 1,
    "POE_ENTRY_RESERVED": 1 << 2, "POE_TABLE_LOCK": 1 << 0,
    "POE_TABLE_FILL_LOCK": 1 << 1,
    "PAGE_OFFSET": 0xffff800000000000, "USER_TOP": 0x0000800000000000,
    "X86_PF_PROT": 1 << 0, "X86_PF_WRITE": 1 << 1, "X86_PF_USER": 1 << 2,
    "X86_PF_RSVD": 1 << 3, "X86_PF_INSTR": 1 << 4,
}
_HEADERS = ("arch/x86_64/include/asm/pgtable_bits.h",
            "arch/x86_64/include/asm/memlayout.h",
            "arch/x86_64/include/asm/trap_pf.h",
            "include/mm/vma.h", "include/mm/poe.h")
_DEFINE_RE = re.compile(r"^\s*#\s*define\s+([A-Za-z_]\w*)\s+(.+)$")
_consts = None


def _parse_headers():
    """{NAME: value} for every #define of _HEADERS whose value is an
    integer expression of numbers, earlier names, <<, |, &, ~, + and -."""
    found = {}
    for rel in _HEADERS:
        try:
            with open(os.path.join(_REPO, rel)) as fh:
                text = fh.read()
        except OSError:
            continue
        text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
        text = text.replace("\\\n", " ")
        for line in text.splitlines():
            m = _DEFINE_RE.match(line)
            if not m or "(" in m.group(1):
                continue
            expr = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1",
                          m.group(2).strip())
            if not re.fullmatch(r"[\w\s()<>|&~+\-]*", expr):
                continue
            names = set(re.findall(r"\b[A-Za-z_]\w*\b", expr))
            if not names <= set(found):
                continue
            try:
                found[m.group(1)] = eval(expr, {"__builtins__": {}},
                                         dict(found)) & (2**64 - 1)
            except Exception:  # not an expression after all
                continue
    return found


def C(name):
    """The value of the kernel's constant NAME: an enumerator from the debug
    info (X86_PF_*), else a #define of the headers (see the file comment),
    else the fall-back."""
    global _consts
    if _consts is None:
        _consts = {}
        _consts.update(_parse_headers())
    if name not in _consts:
        try:
            _consts[name] = int(gdb.parse_and_eval(name))
        except (gdb.error, RuntimeError):
            _consts[name] = _FALLBACK[name]
    return _consts[name]


# ---- reading the target -----------------------------------------------------

def lookup(name):
    """gdb.Value of the kernel variable name, or None when the ELF has none."""
    try:
        return gdb.parse_and_eval(name)
    except gdb.error:
        return None


def var(name):
    v = lookup(name)
    if v is None:
        raise gdb.GdbError("no symbol %s in the kernel's debug info (is "
                           "build/kernel.elf loaded?)" % name)
    return v


def typ(name):
    try:
        return gdb.lookup_type(name)
    except gdb.error:
        raise gdb.GdbError("no type %s in the kernel's debug info" % name)


def has_field(t, name):
    return any(f.name == name for f in t.strip_typedefs().fields())


def offsetof(tname, field):
    for f in typ(tname).strip_typedefs().fields():
        if f.name == field:
            return f.bitpos // 8
    raise gdb.GdbError("%s has no field %s" % (tname, field))


def read_mem(addr, size):
    try:
        return gdb.selected_inferior().read_memory(addr, size).tobytes()
    except gdb.MemoryError:
        raise gdb.GdbError("cannot read %d bytes at 0x%x (not mapped in the "
                           "page table in CR3?)" % (size, addr))


def read_u64(addr):
    return struct.unpack("<Q", read_mem(addr, 8))[0]


def page_offset():
    """PAGE_OFFSET, the start of the direct map: the kernel's own copy of
    it (poe_page_offset, read by the assembly walker), else the header's."""
    v = lookup("*(unsigned long *)&poe_page_offset")
    return int(v) if v is not None else C("PAGE_OFFSET")


def phys_to_virt(pa):
    return page_offset() + pa


def container_of(ptr, tname, member):
    t = typ(tname)
    addr = int(ptr) - offsetof(tname, member)
    return gdb.Value(addr).cast(t.pointer())


def list_for_each_entry(head, tname, member, limit=1000000):
    """The entries of the struct list_head at head (a gdb.Value of type
    struct list_head, not a pointer), as pointers to tname."""
    head_addr = int(head.address)
    node = head["next"]
    n = 0
    while int(node) != head_addr:
        if int(node) == 0 or n >= limit:
            raise gdb.GdbError("list at 0x%x is broken (NULL or a loop)"
                               % head_addr)
        yield container_of(node, tname, member)
        node = node["next"]
        n += 1


def nr_cpu_slots():
    """The number of struct percpu in percpu_areas[] (NR_CPUS)."""
    t = var("percpu_areas").type.strip_typedefs()
    lo, hi = t.range()
    return hi - lo + 1


def online_cpus():
    mask = lookup("__cpu_online_mask")
    if mask is None:
        return [0]
    bits = int(mask["bits"])
    cpus = [c for c in range(nr_cpu_slots()) if bits >> c & 1]
    return cpus or [0]


def percpu(cpu):
    if not 0 <= cpu < nr_cpu_slots():
        raise gdb.GdbError("no CPU %d (NR_CPUS is %d)" % (cpu, nr_cpu_slots()))
    return var("percpu_areas")[cpu]


def _reg(name):
    """Register name as an unsigned 64-bit number (QEMU describes some,
    such as gs_base, as signed), or None when the target has none."""
    try:
        return int(gdb.parse_and_eval("$" + name)) & (2**64 - 1)
    except (gdb.error, ValueError):
        return None


def this_cpu():
    """The CPU gdb is stopped on: the struct percpu GS.base points at (in
    kernel mode GS.base, in user mode KERNEL_GS_BASE after swapgs), else
    QEMU's thread number (thread N is CPU N - 1)."""
    areas = var("percpu_areas")
    base = int(areas.address)
    size = areas.type.strip_typedefs().target().sizeof
    for reg in ("gs_base", "k_gs_base"):
        gs = _reg(reg)
        if gs is not None and base <= gs < base + size * nr_cpu_slots():
            return (gs - base) // size
    th = gdb.selected_thread()
    return th.num - 1 if th is not None else 0


def current_task():
    return percpu(this_cpu())["curr"]


def all_tasks():
    """Every task: the list all_tasks, then the idle tasks of the CPUs
    other than CPU 0, which are not on it (include/kernel/sched.h)."""
    seen = set()
    for t in list_for_each_entry(var("all_tasks"), "struct task", "tasks"):
        seen.add(int(t))
        yield t
    for cpu in online_cpus():
        idle = percpu(cpu)["idle"]
        if int(idle) and int(idle) not in seen:
            seen.add(int(idle))
            yield idle


def find_task(pid):
    for t in all_tasks():
        if int(t["pid"]) == pid:
            return t
    raise gdb.GdbError("no task with pid %d" % pid)


def comm(t):
    return t["comm"].string(length=typ("struct task")["comm"].type.sizeof) \
        .split("\0")[0]


def task_mm(pid_arg):
    """(task, mm) for the PID argument, or the current task's mm: its own,
    or for a kernel thread the one it borrowed (active_mm)."""
    if pid_arg is None:
        t = current_task()
        if int(t) == 0:
            raise gdb.GdbError("no current task yet (stopped before the "
                               "scheduler started?); give a PID")
    else:
        t = find_task(pid_arg)
    mm = t["mm"]
    if int(mm) == 0:
        mm = t["active_mm"]
    if int(mm) == 0:
        raise gdb.GdbError("pid %d (%s) is a kernel thread with no mm"
                           % (int(t["pid"]), comm(t)))
    return t, mm


def parse_int(s, what):
    try:
        return int(gdb.parse_and_eval(s))
    except gdb.error as e:
        raise gdb.GdbError("%s: %s" % (what, e))


def args_of(arg, at_most):
    a = gdb.string_to_argv(arg)
    if len(a) > at_most:
        raise gdb.GdbError("too many arguments (see `help`)")
    return a


# ---- page tables ------------------------------------------------------------

LEVELS = (("pgd", 39), ("pud", 30), ("pmd", 21), ("pte", 12))


def kernel_bits(e):
    """The bits as the kernel's dump_pagetable() prints them
    (print_entry(), mm/pgtable.c): P/-, RW/RO, U/S, A, D, PS, NX."""
    s = ["P" if e & C("_PAGE_PRESENT") else "-",
         "RW" if e & C("_PAGE_RW") else "RO",
         "U" if e & C("_PAGE_USER") else "S"]
    for name, tok in (("_PAGE_ACCESSED", "A"), ("_PAGE_DIRTY", "D"),
                      ("_PAGE_PSE", "PS"), ("_PAGE_NX", "NX")):
        if e & C(name):
            s.append(tok)
    return " ".join(s)


def pte_poeable(e):
    return e & (C("_PAGE_PRESENT") | C("_PAGE_POEABLE")) == C("_PAGE_POEABLE")


def poe_tgid(e):
    return (e & C("PTE_PFN_MASK")) >> C("POE_PTE_TGID_SHIFT")


def zero_pfn():
    v = lookup("zero_pfn")
    return int(v) if v is not None else -1


def huge_zero_pfn():
    """The huge zero page's first pfn (mm/huge_memory.c), -1 if none."""
    v = lookup("huge_zero_pfn")
    return int(v) if v is not None and int(v) else -1


def huge_pmd_detail(e):
    """A pmd that maps a 2 MiB page (docs/thp.md): its frame, present or
    PROT_NONE."""
    pfn = (e & C("PTE_PFN_MASK") & ~((1 << 21) - 1)) >> 12
    d = "2M page (transparent huge page), pfn 0x%x" % pfn
    if pfn == huge_zero_pfn():
        d += " (huge zero page)"
    if not e & C("_PAGE_PRESENT"):
        d += ", PROT_NONE (not present)"
    return d


def pte_detail(e):
    """What a PTE means beyond the hardware bits: a frame, a POE mark, a
    PROT_NONE frame, or nothing."""
    pfn = (e & C("PTE_PFN_MASK")) >> 12
    if e & C("_PAGE_PRESENT"):
        d = "pfn 0x%x" % pfn
        if pfn == zero_pfn():
            d += " (zero page)"
        mem_map = lookup("mem_map")
        if mem_map is not None and pfn < int(var("max_pfn")):
            d += " refcount %d" % int(mem_map[pfn]["refcount"])
        if e & C("_PAGE_UFFD_WP"):
            d += " uffd-wp (a write is the userfaultfd monitor's)"
        return d
    if e == 0:
        return "none (empty)"
    if pte_poeable(e):
        rights = [n for n, b in (("RW", "_PAGE_RW"), ("NX", "_PAGE_NX"))
                  if e & C(b)]
        return ("POEABLE LOCK=%d TGID=%d rights %s (not present: a POE "
                "mark)" % (1 if e & C("_PAGE_POE_LOCK") else 0,
                           poe_tgid(e), "|".join(rights) or "RO"))
    if e & C("_PAGE_PROTNONE"):
        return "PROTNONE pfn 0x%x (a PROT_NONE frame)%s" % (
            pfn, " uffd-wp" if e & C("_PAGE_UFFD_WP") else "")
    return "not present"


def walk(mm, addr):
    """[(level, index, entry address, raw value)] down to the PTE, or to
    the first entry that is not present or maps a large page."""
    out = []
    table = int(mm["pgd"])
    for name, shift in LEVELS:
        idx = (addr >> shift) & 511
        ea = table + idx * 8
        e = read_u64(ea)
        out.append((name, idx, ea, e))
        if name == "pte" or (name != "pgd" and e & C("_PAGE_PSE")) or \
                not e & C("_PAGE_PRESENT"):
            break
        table = phys_to_virt(e & C("PTE_PFN_MASK"))
    return out


def present_ptes(mm, start, end):
    """How many PTEs of [start, end) have a frame (present or PROT_NONE)
    that is not the zero page: the rss the kernel's mm dump prints
    (vma_rss(), mm/mm_dump.c). Reads each existing page table once."""
    zp = zero_pfn()
    mask = C("PTE_PFN_MASK")
    frame = C("_PAGE_PRESENT") | C("_PAGE_PROTNONE")
    n = 0

    def entries(va):
        return struct.unpack("<512Q", read_mem(va, 4096))

    po = page_offset()
    pgd = entries(int(mm["pgd"]))
    addr = start
    while addr < end:
        e1 = pgd[(addr >> 39) & 511]
        nxt = min(end, ((addr >> 39) + 1) << 39)
        if e1 & 1:
            pud = entries(po + (e1 & mask))
            a2 = addr
            while a2 < nxt:
                e2 = pud[(a2 >> 30) & 511]
                n2 = min(nxt, ((a2 >> 30) + 1) << 30)
                if e2 & 1 and not e2 & C("_PAGE_PSE"):
                    pmd = entries(po + (e2 & mask))
                    a3 = a2
                    while a3 < n2:
                        e3 = pmd[(a3 >> 21) & 511]
                        n3 = min(n2, ((a3 >> 21) + 1) << 21)
                        if e3 & C("_PAGE_PSE") and e3 & frame:
                            # A 2 MiB page: its pages in the range,
                            # unless it is the huge zero page.
                            if (e3 & mask) >> 12 != huge_zero_pfn():
                                n += (n3 - a3) >> 12
                        elif e3 & 1:
                            pt = entries(po + (e3 & mask))
                            for i in range((a3 >> 12) & 511,
                                           ((n3 - 1) >> 12 & 511) + 1):
                                p = pt[i]
                                if p & frame and (p & mask) >> 12 != zp:
                                    n += 1
                        a3 = n3
                a2 = n2
        addr = nxt
    return n


# ---- VMAs -------------------------------------------------------------------

def vmas_of(mm):
    return list_for_each_entry(mm["mmap_list"], "struct vm_area_struct",
                               "vm_list")


def perms(f):
    return "%s%s%s%s" % ("r" if f & C("VM_READ") else "-",
                         "w" if f & C("VM_WRITE") else "-",
                         "x" if f & C("VM_EXEC") else "-",
                         "s" if f & C("VM_SHARED") else "p")


def c_hash_x(v):
    """C's %#lx: 0 prints as 0, everything else as 0x..."""
    return "%#x" % v if v else "0"


def vma_line(mm, vma):
    """One VMA exactly as dump_mm() (mm/mm_dump.c) prints it."""
    s, e, f = int(vma["vm_start"]), int(vma["vm_end"]), int(vma["vm_flags"])
    sb, brk = int(mm["start_brk"]), int(mm["brk"])
    tag = (" [stack]" if f & C("VM_GROWSDOWN") else
           " [heap]" if s <= sb < e and brk > sb else "")
    return "vma %016x-%016x %s flags %s rss %d%s" % (
        s, e, perms(f), c_hash_x(f), present_ptes(mm, s, e), tag)


def find_vma(mm, addr):
    """The first VMA with vm_end > addr, or None: Linux's find_vma()."""
    for v in vmas_of(mm):
        if int(v["vm_end"]) > addr:
            return v
    return None


# ---- the commands -----------------------------------------------------------

class Vmas(gdb.Command):
    """vmas [PID] - the VMAs of a process, as the kernel's mm dump prints them.

Usage: vmas            the current task's address space (a kernel thread:
                       the mm it runs on, active_mm)
       vmas PID        task PID's

One line per VMA, in address order, exactly as dump_mm() in mm/mm_dump.c
prints it for the mm_dump call (user/vmmap):

  vma START-END PERMS flags VM_FLAGS rss PAGES [stack|heap]

PERMS is rwx and p (private) or s (shared); VM_FLAGS the vm_flags word
(include/mm/vma.h; 0x800000 is VM_POE); rss the pages of the range mapped
to a frame other than the zero page, counted from the page tables. Then
the summary line: the number of VMAs (map_count), mm->rss and
nr_pgtables. Read-only: takes no lock, so stop the kernel where the mm
cannot change (or accept a torn view)."""

    def __init__(self):
        super().__init__("vmas", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        a = args_of(arg, 1)
        t, mm = task_mm(parse_int(a[0], "PID") if a else None)
        gdb.write("vmas of pid %d (%s), mm 0x%x\n" % (int(t["pid"]), comm(t),
                                                     int(mm)))
        for v in vmas_of(mm):
            gdb.write(vma_line(mm, v) + "\n")
        gdb.write("mm: %d vmas, rss %d pages, %d page-table pages\n" % (
            int(mm["map_count"]), int(mm["rss"]), int(mm["nr_pgtables"])))


class Pagewalk(gdb.Command):
    """pagewalk ADDR [PID] - walk the page tables for one address, level by level.

Usage: pagewalk ADDR         in the current task's address space
       pagewalk ADDR PID     in task PID's
ADDR is any gdb expression (0x7fff0000, $cr2, address, ...).

For each level (pgd = PML4, pud, pmd, pte; include/mm/pgtable.h) one line:

  LEVEL[INDEX] @ENTRY-ADDRESS = RAW-VALUE  BITS  [MEANING]

ENTRY-ADDRESS is the entry's direct-map address (PAGE_OFFSET + physical),
RAW-VALUE the 64-bit entry, BITS the bits as dump_pagetable() in
mm/pgtable.c prints them (P or - for present, RW/RO, U/S, A, D, PS, NX).
MEANING, for a PTE: the frame (pfn, the zero page, its refcount); for a
not-present POEable PTE (docs/poe.md, "The POEable PTE") the POE mark
decoded: the POEable bit (bit 2, the U/S position), the POE lock bit
(bit 5, the A position), the TGID of the owning process (bits 12..51)
and the rights the walker will map (RW, NX); a PROT_NONE frame; or an
empty entry. A pmd with PS maps a 2 MiB transparent huge page (docs/
thp.md): its frame, the huge zero page, or PROT_NONE; the walk ends
there. The walk stops at the first entry that is not present."""

    def __init__(self):
        super().__init__("pagewalk", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        a = args_of(arg, 2)
        if not a:
            raise gdb.GdbError("usage: pagewalk ADDR [PID]")
        addr = parse_int(a[0], "ADDR") & (2**64 - 1)
        t, mm = task_mm(parse_int(a[1], "PID") if len(a) > 1 else None)
        pgd = int(mm["pgd"])
        po = page_offset()
        gdb.write("pagewalk 0x%x in pid %d (%s): pgd 0x%x (phys 0x%x)%s\n" % (
            addr, int(t["pid"]), comm(t), pgd, pgd - po,
            ", loaded in CR3" if (_reg("cr3") or 0) & C("PTE_PFN_MASK")
            == pgd - po else ""))
        for name, idx, ea, e in walk(mm, addr):
            if name == "pte":
                more = pte_detail(e)
            elif name == "pmd" and e & C("_PAGE_PSE"):
                more = huge_pmd_detail(e)
            elif not e & C("_PAGE_PRESENT"):
                more = "none (empty): the walk ends" if e == 0 else \
                    "not present: the walk ends"
            elif name != "pgd" and e & C("_PAGE_PSE"):
                more = "large page, pfn 0x%x" % ((e & C("PTE_PFN_MASK")) >> 12)
            else:
                more = "table at phys 0x%x" % (e & C("PTE_PFN_MASK"))
            gdb.write("  %s[%d] @0x%x = 0x%016x  %s  [%s]\n" % (
                name, idx, ea, e, kernel_bits(e), more))


class PoeTable(gdb.Command):
    """poe-table [CPU] - a CPU's POE pre-allocation table: head, tail, entries.

Usage: poe-table         the table of the CPU gdb is stopped on
       poe-table CPU     CPU's (0, 1, ...)

The table is found as the walker finds it, through the CPU's POE register
(struct percpu's poe_reg: table_pfn, nr_entries, enable; docs/poe.md,
"The POE register"), and read through the direct map; poe_tables[CPU]
(mm/poe.c) must point at the same place. Prints the register, the header
(head: the next entry a producer fills; tail: the next the walker takes;
nr_entries; the lock word), then every entry that is not free, as

  [INDEX] va VA tgid TGID pfn PFN used U valid V [reserved] [<- head/tail]

(struct poe_entry: va holds the page address with VALID in bit 0, USED in
bit 1, RESERVED in bit 2), and the count of entries in each state."""

    def __init__(self):
        super().__init__("poe-table", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        a = args_of(arg, 1)
        cpu = parse_int(a[0], "CPU") if a else this_cpu()
        reg = percpu(cpu)["poe_reg"]
        pfn, n = int(reg["table_pfn"]), int(reg["nr_entries"])
        gdb.write("cpu %d: POE register table_pfn 0x%x nr_entries %d enable "
                  "%d low %d\n" % (cpu, pfn, n, int(reg["enable"]),
                                   int(reg["low"])))
        tables = lookup("poe_tables")
        kptr = int(tables[cpu]) if tables is not None else None
        if not pfn:
            gdb.write("no table: POE is off (poe_tables[%d] = 0x%x)\n"
                      % (cpu, kptr or 0))
            return
        addr = phys_to_virt(pfn << 12)
        t = gdb.Value(addr).cast(typ("struct poe_table").pointer())
        gdb.write("table at 0x%x (phys 0x%x); poe_tables[%d] = 0x%x%s\n" % (
            addr, pfn << 12, cpu, kptr or 0,
            "" if kptr == addr else "  (DIFFERS from the register!)"))
        h = t["hdr"]
        head, tail = int(h["head"]), int(h["tail"])
        gdb.write("header: head %d tail %d nr_entries %d lock 0x%x%s\n" % (
            head, tail, int(h["nr_entries"]), int(h["lock"]),
            (" (locked)" if int(h["lock"]) & C("POE_TABLE_LOCK") else "") +
            (" (filling)" if int(h["lock"]) & C("POE_TABLE_FILL_LOCK")
             else "")))
        esize = typ("struct poe_entry").sizeof
        raw = read_mem(addr + offsetof("struct poe_table", "ent"),
                       esize * (n + 1))
        # Decode with the field offsets of struct poe_entry.
        offs = {f.name: (f.bitpos // 8, f.type.sizeof)
                for f in typ("struct poe_entry").fields()}

        def field(i, name):
            o, s = offs[name]
            b = raw[i * esize + o:i * esize + o + s]
            return int.from_bytes(b, "little")

        counts = {"free": 0, "reserved": 0, "valid": 0, "used": 0}
        for i in range(1, n + 1):
            va = field(i, "va")
            used = 1 if va & C("POE_ENTRY_USED") else 0
            valid = 1 if va & C("POE_ENTRY_VALID") else 0
            resv = va & C("POE_ENTRY_RESERVED")
            state = ("used" if used else "valid" if valid else
                     "reserved" if resv else "free" if va == 0 else "?")
            counts[state] = counts.get(state, 0) + 1
            mark = "".join(s for s, j in (("  <- head", head),
                                          ("  <- tail", tail))
                           if j == i)
            if va == 0 and not mark:
                continue
            gdb.write("  [%d] va 0x%x tgid %d pfn 0x%x used %d valid %d%s%s\n"
                      % (i, va & ~0xfff, field(i, "tgid"), field(i, "pfn"),
                         used, valid, " reserved" if resv else "", mark))
        gdb.write("entries: %s\n" % ", ".join(
            "%s %d" % (k, v) for k, v in counts.items()))


class Tasks(gdb.Command):
    """tasks - every task: pid, tgid, state, cpu, name (like ps, or Linux's lx-ps).

Usage: tasks

Walks the list all_tasks (kernel/sched.c; zombies included) and adds the
idle tasks of the other CPUs, which are not on it. Columns: PID, TGID,
STATE (enum task_state, without TASK_), CPU (task->cpu: the CPU it runs
on, is queued on or last ran on), the task's address, and its name
(comm). `*` marks a task some CPU is running now (that CPU's
percpu->curr); `k` a kernel thread (PF_KTHREAD, no mm). The last line
counts the tasks on all_tasks, which the meminfo call reports as
nr_tasks."""

    def __init__(self):
        super().__init__("tasks", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        args_of(arg, 0)
        running = {}
        for cpu in online_cpus():
            running[int(percpu(cpu)["curr"])] = cpu
        gdb.write("%5s %5s %-13s %3s %-18s %s\n" % (
            "PID", "TGID", "STATE", "CPU", "TASK", "NAME"))
        n = 0
        on_list = set(int(t) for t in list_for_each_entry(
            var("all_tasks"), "struct task", "tasks"))
        for t in all_tasks():
            state = str(t["state"])
            if state.startswith("TASK_"):
                state = state[5:]
            flags = ""
            if int(t) in running:
                flags += "*"
            if int(t["mm"]) == 0:
                flags += "k"
            gdb.write("%5d %5d %-13s %3d 0x%016x %s%s\n" % (
                int(t["pid"]), int(t["tgid"]), state, int(t["cpu"]), int(t),
                comm(t), " " + flags if flags else ""))
            n += int(t) in on_list
        gdb.write("%d tasks on all_tasks\n" % n)


class Freepages(gdb.Command):
    """freepages - the buddy allocator's free lists per order, and the totals.

Usage: freepages

For each order 0..MAX_PAGE_ORDER (mm/page_alloc.c, free_area[]): the
number of free blocks (nr_free), the pages they hold, and the blocks
counted by walking the list (a difference means the list and the count
disagree). Then the totals, as show_free_areas() prints them:

  page_alloc: free blocks by order: 0:N 1:N ...; FREE of MANAGED pages free (PCP on per-CPU lists)

FREE is free_pages_count (buddy blocks and the zeroed list) plus every
CPU's per-CPU list (pcp_lists[]), the number nr_free_pages() and the
meminfo call report; the zeroed list (nr_zeroed) is shown apart."""

    def __init__(self):
        super().__init__("freepages", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        args_of(arg, 0)
        fa = var("free_area")
        lo, hi = fa.type.strip_typedefs().range()
        gdb.write("%5s %10s %10s %10s\n" % ("order", "blocks", "pages",
                                            "walked"))
        pages, blocks = 0, []
        for o in range(lo, hi + 1):
            nr = int(fa[o]["nr_free"])
            walked = sum(1 for _ in list_for_each_entry(
                fa[o]["free_list"], "struct page", "lru"))
            blocks.append(nr)
            pages += nr << o
            gdb.write("%5d %10d %10d %10d%s\n" % (
                o, nr, nr << o, walked,
                "" if walked == nr else "  (list and nr_free disagree!)"))
        fpc = lookup("free_pages_count")
        zeroed = lookup("nr_zeroed")
        managed = lookup("managed_pages")
        pcp = 0
        pcpl = lookup("pcp_lists")
        if pcpl is not None:
            plo, phi = pcpl.type.strip_typedefs().range()
            pcp = sum(int(pcpl[c]["count"]) for c in range(plo, phi + 1))
        on_lists = int(fpc) if fpc is not None else pages + int(zeroed or 0)
        gdb.write("buddy blocks %d pages, zeroed list %s pages, per-CPU "
                  "lists %d pages\n" % (
                      pages, int(zeroed) if zeroed is not None else "?", pcp))
        gdb.write("page_alloc: free blocks by order:%s; %d of %s pages free "
                  "(%d on per-CPU lists)\n" % (
                      "".join(" %d:%d" % (o, b) for o, b in
                              zip(range(lo, hi + 1), blocks)),
                      on_lists + pcp,
                      int(managed) if managed is not None else "?", pcp))


class Faultstats(gdb.Command):
    """faultstats [PID] - the kernel's page-fault counters, per process and global.

Usage: faultstats          the current task's process and the machine
       faultstats PID      task PID's process and the machine

The counters by kind (enum fault_kind, include/mm/fault_stats.h; names
from the debug info, so a new kind shows up by itself): the process's
(mm->faults), the machine's (every CPU's percpu->fault_events, summed, as
global_fault_count() does) and each online CPU's. These are the numbers
the fault_stats call (user/faultstat) copies out. Then the POE fast
path's counters: the walker's per CPU (percpu->poe_walker_stats, summed
as the poe_stats call does) and the rest of POE's (poe_counters), every
field of their structs."""

    def __init__(self):
        super().__init__("faultstats", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        a = args_of(arg, 1)
        t, mm = task_mm(parse_int(a[0], "PID") if a else None)
        kinds = [(f.name, f.enumval) for f in typ("enum fault_kind").fields()
                 if not f.name.startswith("NR_")]
        cpus = online_cpus()
        gdb.write("%-20s %10s %10s%s\n" % (
            "kind", "pid %d" % int(t["pid"]), "global",
            "".join(" %8s" % ("cpu%d" % c) for c in cpus)))
        for name, k in kinds:
            per = [int(percpu(c)["fault_events"]["count"][k])
                   for c in range(nr_cpu_slots())]
            gdb.write("%-20s %10d %10d%s\n" % (
                name, int(mm["faults"]["count"][k]), sum(per),
                "".join(" %8d" % per[c] for c in cpus)))
        ws = typ("struct poe_walker_stats")
        gdb.write("POE walker (percpu poe_walker_stats, summed):\n")
        for f in ws.fields():
            per = [int(percpu(c)["poe_walker_stats"][f.name])
                   for c in range(nr_cpu_slots())]
            gdb.write("  %-24s %10d%s\n" % (f.name, sum(per), "".join(
                " %8d" % per[c] for c in cpus)))
        pc = lookup("poe_counters")
        if pc is not None:
            gdb.write("POE counters (poe_counters):\n")
            for f in pc.type.strip_typedefs().fields():
                gdb.write("  %-24s %10d\n" % (f.name, int(pc[f.name])))


# ---- pf-trace ---------------------------------------------------------------

def pf_decode(ec):
    """The error code in the words of pf_decode() (arch/x86_64/fault.c),
    which the kernel prints on an oops or a SIGSEGV."""
    b = lambda n: 1 if ec & C(n) else 0
    return "[P=%d W=%d U=%d RSVD=%d I/D=%d] %s %s in %s mode" % (
        b("X86_PF_PROT"), b("X86_PF_WRITE"), b("X86_PF_USER"),
        b("X86_PF_RSVD"), b("X86_PF_INSTR"),
        "reserved-bit" if b("X86_PF_RSVD") else
        "protection" if b("X86_PF_PROT") else "not-present",
        "instruction fetch" if b("X86_PF_INSTR") else
        "write" if b("X86_PF_WRITE") else "read",
        "user" if b("X86_PF_USER") else "kernel")


def describe_vma(mm, addr):
    if addr >= C("USER_TOP"):
        return "vma: none (a kernel address)"
    if mm is None:
        return "vma: none (no mm: a kernel thread)"
    v = find_vma(mm, addr)
    if v is None:
        return "vma: none (no VMA at or above it)"
    s, e, f = int(v["vm_start"]), int(v["vm_end"]), int(v["vm_flags"])
    desc = "%016x-%016x %s flags %s" % (s, e, perms(f), c_hash_x(f))
    if addr >= s:
        return "vma %s%s" % (desc, " (VM_POE)" if f & C("VM_POE") else "")
    return "vma: none (next above: %s%s)" % (
        desc, "; VM_GROWSDOWN: the stack may grow to it"
        if f & C("VM_GROWSDOWN") else "")


class PfTraceBreakpoint(gdb.Breakpoint):
    """The breakpoint pf-trace plants on do_page_fault's first instruction,
    where the System V ABI still holds its arguments: regs in rdi,
    error_code in rsi, address (CR2) in rdx."""

    def __init__(self, addr, stop_mode):
        # A software breakpoint once the kernel's text is mapped; before
        # that (gdb attached at the reset vector) a hardware one. Either
        # may be reported more than once for one entry: see stop().
        try:
            read_mem(addr, 1)
            kind = gdb.BP_BREAKPOINT
        except gdb.GdbError:
            kind = gdb.BP_HARDWARE_BREAKPOINT
        super().__init__("*0x%x" % addr, kind, internal=False)
        self.stop_mode = stop_mode
        self.hits = 0
        self.last = None

    def stop(self):
        # Resuming from a breakpoint stop (gdb steps over the breakpoint,
        # then continues), QEMU's TCG without -icount sometimes stops at
        # the same breakpoint again before its instruction has run: about
        # one boot in 30, with a hardware or a software breakpoint. Such a
        # repeat has the same stack and arguments and no fault counted in
        # between; a real second fault would have been counted by the
        # first (do_user_addr_fault() counts FAULT_TOTAL on every path).
        key = tuple(_reg(r) for r in ("rsp", "rdi", "rsi", "rdx")) + (
            self.fault_total(),)
        if key == self.last:
            return False
        self.last = key
        self.hits += 1
        try:
            line = self.describe()
        except (gdb.error, gdb.GdbError) as e:
            line = "pf-trace: cannot decode this fault: %s" % e
        gdb.write(line + "\n")
        return self.stop_mode

    @staticmethod
    def fault_total():
        try:
            k = int(gdb.parse_and_eval("FAULT_TOTAL"))
            return sum(int(percpu(c)["fault_events"]["count"][k])
                       for c in range(nr_cpu_slots()))
        except (gdb.error, gdb.GdbError):
            return None

    def describe(self):
        regs = gdb.Value(_reg("rdi")).cast(typ("struct pt_regs").pointer())
        ec, cr2 = _reg("rsi"), _reg("rdx")
        cpu = this_cpu()
        t = percpu(cpu)["curr"]
        mm = t["mm"] if int(t) else None
        if mm is not None and int(mm) == 0:
            mm = None
        rip = int(regs["rip"])
        return ("pf-trace: #%d cpu %d pid %d (%s): address 0x%x error 0x%x "
                "%s, rip 0x%x%s; %s" % (
                    self.hits, cpu, int(t["pid"]) if int(t) else -1,
                    comm(t) if int(t) else "?", cr2, ec, pf_decode(ec), rip,
                    "" if _reg("cr2") in (None, cr2) else
                    " (CR2 now 0x%x)" % _reg("cr2"),
                    describe_vma(mm, cr2)))


_pf_bp = None


class PfTrace(gdb.Command):
    """pf-trace on|print|off - stop at, or only print, every full-handler page fault.

Usage: pf-trace on       stop at every fault the full handler takes
       pf-trace print    print each one and go on (do not stop)
       pf-trace off      remove the breakpoint
       pf-trace          say which mode is on and how many faults it saw

Plants a breakpoint on the first instruction of do_page_fault
(arch/x86_64/fault.c), which the #PF entry stub reaches for every kernel
fault and for every user fault the POE fast path did not resolve (faults
the walker resolves never get there: `hbreak poe_walk_asm_trap` stops in
those). For each fault it prints one line: the CPU, the task, the fault
address (CR2), the error code decoded as the kernel's pf_decode() prints
it ([P W U RSVD I/D] not-present/protection read/write/instruction fetch
in user/kernel mode), the faulting RIP, and the VMA find_vma() finds for
the address: the one containing it, or none (with the next one above,
and whether it is a stack that may grow down). In `on` mode gdb then
stops in do_page_fault, ready for `bt`, `pagewalk $cr2` or `finish`.
Given before paging is on (before kmain), it takes one of the four debug
registers (a hardware breakpoint); from kmain on, a software one."""

    def __init__(self):
        super().__init__("pf-trace", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, arg, from_tty):
        global _pf_bp
        a = args_of(arg, 1)
        mode = a[0] if a else None
        if mode is None:
            if _pf_bp is None or not _pf_bp.is_valid():
                gdb.write("pf-trace is off\n")
            else:
                gdb.write("pf-trace is %s (breakpoint %d), faults seen: "
                          "%d\n" % (
                    "on" if _pf_bp.stop_mode else "print", _pf_bp.number,
                    _pf_bp.hits))
            return
        if mode not in ("on", "print", "off"):
            raise gdb.GdbError("usage: pf-trace on|print|off")
        if _pf_bp is not None and _pf_bp.is_valid():
            if mode == "off":
                gdb.write("pf-trace off (faults seen: %d)\n" % _pf_bp.hits)
                _pf_bp.delete()
                _pf_bp = None
                return
            _pf_bp.stop_mode = mode == "on"
        elif mode == "off":
            gdb.write("pf-trace is off\n")
            return
        else:
            _pf_bp = PfTraceBreakpoint(int(var("do_page_fault").address),
                                       mode == "on")
        gdb.write("pf-trace %s: breakpoint %d at do_page_fault\n" % (
            mode, _pf_bp.number))


Vmas()
Pagewalk()
PoeTable()
Tasks()
Freepages()
Faultstats()
PfTrace()
