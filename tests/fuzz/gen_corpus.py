#!/usr/bin/env python3
"""
gen_corpus.py - write the seed corpora of the fuzz harnesses
(tests/fuzz/corpus/TARGET/), small inputs that reach the interesting
paths of each parser at once, so that the fuzzer starts from there
rather than from nothing. The files are in the tree; run this again
after changing it. It writes seed-* and some regress-* (inputs that broke
the kernel: neighbours of what the fuzzer found, and the printf
harness's, which depend on its encoding); the other regress-* files are
the fuzzer's crashes, kept as they were.

    tests/fuzz/gen_corpus.py [--elf-from PROGRAM...]

  elf       static x86-64 executables: the layout our user programs
            have (user.mk links them at 0x400000, 4 KiB pages: headers,
            text, rodata, data+bss), two segments sharing a page, a
            bss-only segment, one PT_INTERP to reject, static PIEs
            (ET_DYN without PT_INTERP) to load at a base, a dynamically
            linked PIE to reject.
            --elf-from adds, for each PROGRAM (e.g. build/user/bin/init),
            its own ELF and program headers with each segment's file
            bytes cut to its first 48.
  initrd    ustar archives as user.mk's initrd: programs under bin/, a
            directory, links, a path long enough for the prefix field,
            an empty archive, one without its end blocks.
  cmdline   command lines as grub.cfg, tools/run_tests.py and users
            write them, right and wrong, double quotes included.
  vsprintf  raw formats (first byte 'r') and generated ones (first byte
            'g'): see fuzz_vsprintf.c for the layout.

Python 3 standard library only; the output is the same on every run.
"""

import argparse
import io
import os
import struct
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))

# --- ELF --------------------------------------------------------------------

EHDR = struct.Struct("<16sHHIQQQIHHHHHH")  # Elf64_Ehdr, 64 bytes
PHDR = struct.Struct("<IIQQQQQQ")  # Elf64_Phdr, 56 bytes
PT_LOAD, PT_INTERP, PT_GNU_STACK = 1, 3, 0x6474E551
PF_X, PF_W, PF_R = 1, 2, 4
ET_EXEC, ET_DYN = 2, 3


def elf(segments, entry, e_type=ET_EXEC):
    """segments: (p_type, flags, vaddr, file bytes, memsz); the file
    bytes follow the program header table, unaligned (the loader copies
    them, so p_offset need not match p_vaddr modulo the page size)."""
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    phoff = EHDR.size
    data_off = phoff + PHDR.size * len(segments)
    phdrs, blob = b"", b""
    for p_type, flags, vaddr, content, memsz in segments:
        off = data_off + len(blob) if content else 0
        phdrs += PHDR.pack(p_type, flags, off, vaddr, vaddr, len(content),
                           memsz, 0x1000 if p_type == PT_LOAD else 0x10)
        blob += content
    ehdr = EHDR.pack(ident, e_type, 62, 1, entry, phoff, 0, 0, EHDR.size,
                     PHDR.size, len(segments), 64, 0, 0)
    return ehdr + phdrs + blob


CODE = bytes.fromhex("31ffb83c0000000f05")  # xor edi,edi; mov eax,60; syscall


def elf_seeds():
    yield "seed-user-layout", elf([
        (PT_LOAD, PF_R, 0x400000, b"\x7fELF" + bytes(60), 0x158),
        (PT_LOAD, PF_R | PF_X, 0x401000, CODE + bytes(7), 0x3B00),
        (PT_LOAD, PF_R, 0x405000, b"hello\0%d\n\0", 0x1940),
        (PT_LOAD, PF_R | PF_W, 0x407000, bytes(range(32)), 0xE80),
        (PT_GNU_STACK, PF_R | PF_W, 0, b"", 0),
    ], 0x401000)
    yield "seed-tiny", elf([(PT_LOAD, PF_R | PF_X, 0x401000, CODE, len(CODE))],
                           0x401000)
    # text ends and data starts in one page: mapped once, R+W+X
    yield "seed-shared-page", elf([
        (PT_LOAD, PF_R | PF_X, 0x401000, CODE, 0x10A8),
        (PT_LOAD, PF_R | PF_W, 0x4020A8, b"data", 0x2000),
    ], 0x401000)
    yield "seed-bss-only", elf([
        (PT_LOAD, PF_R | PF_X, 0x401000, CODE, len(CODE)),
        (PT_LOAD, PF_R | PF_W, 0x600000, b"", 0x3000),
    ], 0x401000)
    yield "seed-interp", elf([
        (PT_INTERP, PF_R, 0x400200, b"/lib64/ld-linux-x86-64.so.2\0", 28),
        (PT_LOAD, PF_R | PF_X, 0x401000, CODE, len(CODE)),
    ], 0x401000)
    yield "seed-pie", elf([(PT_LOAD, PF_R | PF_X, 0x1000, CODE, len(CODE))],
                          0x1000, e_type=ET_DYN)
    # a static PIE as gcc -static-pie lays it out: linked at 0, headers,
    # text, data, with the bias applied to every segment and the entry
    yield "seed-static-pie", elf([
        (PT_LOAD, PF_R, 0x0, b"\x7fELF" + bytes(60), 0x2D0),
        (PT_LOAD, PF_R | PF_X, 0x1000, CODE + bytes(7), 0x3B00),
        (PT_LOAD, PF_R, 0x5000, b"hello\0", 0x800),
        (PT_LOAD, PF_R | PF_W, 0x6E80, bytes(range(32)), 0x1180),
        (PT_GNU_STACK, PF_R | PF_W, 0, b"", 0),
    ], 0x1000, e_type=ET_DYN)
    # a PIE with an interpreter: refused (no dynamic loader)
    yield "seed-pie-interp", elf([
        (PT_INTERP, PF_R, 0x238, b"/lib/ld-musl-x86_64.so.1\0", 25),
        (PT_LOAD, PF_R | PF_X, 0x0, CODE, 0x1000),
    ], 0x0, e_type=ET_DYN)


def elf_regressions():
    """Neighbours of the ELF input the fuzzer found (regress-segment-past-
    user-top): a segment starting in the last user page passed the
    bounds check, whose USER_TOP - PAGE_SIZE - p_vaddr wrapped."""
    # p_vaddr + p_memsz wraps past 2^64: nothing mapped, yet accepted
    yield "regress-segment-wraps", elf([
        (PT_LOAD, PF_R | PF_X, 0x401000, CODE, len(CODE)),
        (PT_LOAD, PF_R | PF_W, 0x7FFFFFFFFFFF, b"", 2**64 - 0x2000),
    ], 0x401000)
    # file bytes for the last user page and the first kernel one
    yield "regress-segment-into-kernel-half", elf([
        (PT_LOAD, PF_R | PF_W, 0x7FFFFFFFF000 + 0xFF0, b"x" * 32, 32),
    ], 0x401000)


def elf_from(path, keep=48):
    """path's ELF and program headers, each segment's bytes cut to keep."""
    with open(path, "rb") as f:
        img = f.read()
    eh = list(EHDR.unpack_from(img, 0))
    phoff, phnum = eh[5], eh[10]
    segs = []
    for i in range(phnum):
        ph = PHDR.unpack_from(img, phoff + i * PHDR.size)
        p_type, flags, off, vaddr, _, filesz, memsz, _ = ph
        content = img[off:off + min(filesz, keep)] if filesz else b""
        segs.append((p_type, flags, vaddr, content, memsz))
    return elf(segs, eh[4], e_type=eh[1])


# --- initrd (ustar) ---------------------------------------------------------

def tar(members, end_blocks=True):
    """members: (name, type, data or link target); a ustar archive as
    tarfile writes it, cut after its two zero blocks (or before them)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w",
                      format=tarfile.USTAR_FORMAT) as tf:
        for name, kind, data in members:
            ti = tarfile.TarInfo(name)
            ti.mtime, ti.uid, ti.gid, ti.uname, ti.gname = 0, 0, 0, "", ""
            ti.type = kind
            if kind == tarfile.REGTYPE:
                ti.size, ti.mode = len(data), 0o755
                tf.addfile(ti, io.BytesIO(data))
            else:
                if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE):
                    ti.linkname = data
                ti.mode = 0o755
                tf.addfile(ti)
    raw = buf.getvalue()
    end = len(raw.rstrip(b"\0"))
    end = (end + 511) // 512 * 512
    return raw[:end + (1024 if end_blocks else 0)]


def initrd_seeds():
    tiny = elf([(PT_LOAD, PF_R | PF_X, 0x401000, CODE, len(CODE))], 0x401000)
    yield "seed-programs.tar", tar([
        ("bin/init", tarfile.REGTYPE, tiny),
        ("bin/sh", tarfile.REGTYPE, tiny),
        ("bin/hello", tarfile.REGTYPE, b"hello\n"),
        ("bin/empty", tarfile.REGTYPE, b""),
    ])
    yield "seed-dirs-links.tar", tar([
        ("bin", tarfile.DIRTYPE, None),
        ("./bin/init", tarfile.REGTYPE, b"#!init\n"),
        ("/bin/sh", tarfile.REGTYPE, b"#!sh\n"),
        ("bin/link", tarfile.SYMTYPE, "init"),
        ("bin/hard", tarfile.LNKTYPE, "bin/init"),
    ])
    long_dir = "usr/share/" + "d" * 120
    yield "seed-long-name.tar", tar([
        (long_dir + "/" + "f" * 60, tarfile.REGTYPE, b"prefix and name\n"),
        ("bin/x", tarfile.REGTYPE, b"x" * 700),
    ])
    yield "seed-empty.tar", bytes(1024)
    yield "seed-no-end.tar", tar([("bin/init", tarfile.REGTYPE, b"init")],
                                 end_blocks=False)


# --- command lines ----------------------------------------------------------

CMDLINES = [
    "loglevel=7 init=/bin/init",
    "loglevel=6 init=/bin/usertests -- /bin all",
    "poe.always=1 poe.walker=c init=/bin/usertests -- /bin poe",
    "test=all",
    "test=vma.max_map_count_limit loglevel=8",
    "init=/bin/sh -- -x key=value -- --",
    "poe.always=yes poe.period_ms=0x10 mm.fault_lock=global loglevel=0",
    "init=bin/sh init= loglevel=9 loglevel=+7 loglevel=08 loglevel=0x8\n",
    "poe.always=maybe poe.always=OFF poe.always=on unknown.key=1 bare word",
    "\tloglevel=7\t\tinit=/bin/init  \t",
    "init=/" + "a" * 300 + " loglevel=1",
    " ".join("arg%d" % i for i in range(40)),
    "18446744073709551615 18446744073709551616 0xffffffffffffffff 0x "
    "0X1f 1K 4g 0x10M 2E 077 08 +5 -5 y n on off",
    "poe.period_ms=18446744073709551616 loglevel=0xffffffffffffffff "
    "poe.period_ms=0x10000000000000000 loglevel=01777777777777777777777",
    # double quotes, as Linux's next_arg() takes them
    'init=/bin/busybox -- sh -c "echo a | tr a b" x="1 2" \'q r\'',
    'init="/bin/sh" loglevel="7" "poe.always=1" a"b c"d "" "--"',
    'loglevel="7 -- a "unterminated b c',
    'x=" a=""" "=" "a="" -- y="z\t"\t"w=\tq"',
]


# --- printf formats -----------------------------------------------------------

RAW_FORMATS = [
    "%d %i %u %x %X %o %c %s %p %% %pS %pB",
    "%-08.3s|%*d|%.*s|%#x|%#o|%lld|%hhd|%hu|%zu|%td|%lx",
    "%-*.*s|%0*d|%-5c|%5%|%lq|%hlhd|%",
    "[%20s] [%-20s] [%.0s] [%.s] [%020d] [%-020x]",
    "plain text, no conversion at all",
]


def raw(fmt, size=64, pool=b"pool string one\0two\0"):
    return b"r" + bytes([size]) + fmt.encode() + b"\0" + pool


def conv(flags=0, width=None, star_w=None, prec=None, star_p=None,
         length=0, conv_i=0, value=0, string=0):
    """A conversion for the generated mode (fuzz_vsprintf.c gen_conv())."""
    wkind = 2 if star_w is not None else (1 if width is not None else 0)
    pkind = 2 if star_p is not None else (1 if prec is not None else 0)
    wide = wkind == 1 and width >= 256  # bit 7: three bytes of width
    b = bytes([0xC0, flags | wkind << 3 | pkind << 5 | wide << 7])
    if wkind == 1:
        b += struct.pack("<I", width)[:3 if wide else 1]
    if pkind == 1:
        b += bytes([prec])
    b += bytes([length, conv_i])
    if star_w is not None:
        b += struct.pack("<i", star_w)
    if star_p is not None:
        b += struct.pack("<i", star_p)
    if conv_i == 7:  # %s: which string
        b += bytes([string])
    elif conv_i not in (11, 12):  # not %% or unknown: a value
        b += struct.pack("<Q", value & (2**64 - 1))
    return b


def generated(parts, size=100):
    return b"g" + bytes([size]) + b"".join(
        p.encode() if isinstance(p, str) else p for p in parts)


def vsprintf_seeds():
    for i, f in enumerate(RAW_FORMATS):
        yield "seed-raw-%d" % i, raw(f)
    yield "seed-raw-truncated", raw(RAW_FORMATS[1], size=5)
    # d i u x X o c s p pS pB % q = 0..12; lengths "" hh h l ll z t
    yield "seed-gen-integers", generated([
        "n=", conv(conv_i=0, value=-42), " u=", conv(conv_i=2, length=3,
                                                     value=2**63),
        " x=", conv(flags=4, conv_i=3, value=0xbeef), " X=",
        conv(flags=2, width=12, conv_i=4, length=4, value=2**64 - 1),
        " o=", conv(flags=4, conv_i=5, value=8), " hh=",
        conv(conv_i=1, length=1, value=0x1ff), " z=",
        conv(flags=1, width=6, conv_i=0, length=5, value=-7)])
    yield "seed-gen-padding", generated([
        "[", conv(flags=2, width=5, conv_i=0, value=-42), "] [",
        conv(flags=6, width=8, conv_i=3, value=0xff), "] [",
        conv(flags=3, width=6, conv_i=2, value=17), "] [",
        conv(flags=2, star_w=7, conv_i=5, length=2, value=8), "] [",
        conv(star_w=-4, conv_i=0, value=5), "] [",
        conv(width=4, conv_i=6, value=ord("x")), "]"])
    yield "seed-gen-strings", generated([
        conv(width=10, conv_i=7, string=2), "|",
        conv(flags=1, star_w=-8, conv_i=7, string=1), "|",
        conv(star_p=3, conv_i=7, string=6), "|",
        conv(conv_i=7, string=3), "|", conv(flags=1, width=3, conv_i=6,
                                            value=ord("c")), "|",
        conv(conv_i=11)])
    yield "seed-gen-edges", generated([
        conv(star_w=300, conv_i=0, value=1), conv(star_p=-1, conv_i=7,
                                                         string=2),
        conv(prec=0, conv_i=7, string=2), conv(conv_i=12),
        conv(conv_i=8, value=0xffff8000001000), conv(conv_i=9, value=0x1234),
        conv(conv_i=10, value=0x1234)],
        size=0)


def vsprintf_regressions():
    """Inputs that broke the kernel once (the fuzzer found the first; the
    others are its neighbours), in this harness's encoding."""
    # "%-*hhd" with 0x6fc2e37f: 1.9 billion spaces before the width limit
    yield "regress-star-width-huge", generated([
        conv(flags=1, star_w=0x6FC2E37F, length=1, conv_i=0)])
    # INT_MAX: the output's length overflowed the int return value
    yield "regress-star-width-int-max", generated([
        conv(star_w=2**31 - 1, conv_i=0, value=1)], size=0)
    # INT_MIN: its negation (a negative width means '-') overflowed
    yield "regress-star-width-int-min", generated([
        conv(star_w=-2**31, conv_i=0, value=1)], size=16)
    # digits beyond INT_MAX in the format: the width and precision overflowed
    yield "regress-width-digits-overflow", raw(
        "[%99999999999d] [%.99999999999s]", size=32)


# --- main -------------------------------------------------------------------

def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--elf-from", nargs="*", default=[], metavar="PROGRAM",
                    help="static ELF programs whose headers to add")
    args = ap.parse_args()
    for name, data in elf_seeds():
        write("elf", name, data)
    for name, data in elf_regressions():
        write("elf", name, data)
    for path in args.elf_from:
        write("elf", "seed-" + os.path.basename(path), elf_from(path))
    for name, data in initrd_seeds():
        write("initrd", name, data)
    for i, line in enumerate(CMDLINES):
        write("cmdline", "seed-%02d" % i, line.encode())
    for name, data in vsprintf_seeds():
        write("vsprintf", name, data)
    for name, data in vsprintf_regressions():
        write("vsprintf", name, data)


if __name__ == "__main__":
    main()
