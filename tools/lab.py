#!/usr/bin/env python3
"""
lab.py - the coursework labs' skeleton generator (labs/README.md).

The tree is the reference solution. A lab's solution regions are marked in
the sources, each followed by the stub that replaces it in the student's
copy:

    /* LAB demand: BEGIN */
    static vm_fault_t do_anonymous_page(struct vm_fault *vmf)
    {
            ... the reference code ...
    }
    /* LAB demand: END */
    /* LAB demand: STUB
    static vm_fault_t do_anonymous_page(struct vm_fault *vmf)
    {
            (void)vmf;
            return VM_FAULT_SIGSEGV;
    }
    */

`lab.py make NAME --out DIR` copies the tree to DIR with every region of
lab NAME replaced by its stub (and a line naming the lab's handout above
it); the other labs' regions stay as they are. A stub is code only, no
comment: `/*` inside a comment is a compiler warning and `*/` would end
it. In NASM files the markers are `; LAB NAME: BEGIN`, `; LAB NAME:
END`, and the stub is `; LAB NAME: STUB` ... `; LAB NAME: STUB END` with
every line between starting with `;` (one space after it is dropped).

A lab is a directory labs/NAME/ with a lab.json (its tests, tools/grade.py).
The generator refuses, with file:line and what is wrong: a marker of a lab
that does not exist, a malformed marker, a BEGIN inside another region
(regions do not nest), an END without its BEGIN or of another lab, a
region left open, an END not directly followed by its STUB, a STUB after
no region, a STUB never closed, and a lab with no region at all.

    lab.py list                        the labs, in course order
    lab.py check                       validate every marker in the tree
    lab.py make NAME --out DIR [--git] [--force]
    lab.py strip NAME FILE             one file's student copy, on stdout

Python 3 standard library only.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

TOOLS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(TOOLS)

# Files the markers may be in, by their comment syntax.
C_EXTS = (".c", ".h", ".S")
ASM_EXTS = (".asm", ".inc")
NAME = r"[a-z][a-z0-9_]*"

C_BEGIN = re.compile(r"^\s*/\* LAB (%s): BEGIN \*/\s*$" % NAME)
C_END = re.compile(r"^\s*/\* LAB (%s): END \*/\s*$" % NAME)
C_STUB = re.compile(r"^\s*/\* LAB (%s): STUB\s*$" % NAME)
C_STUB_CLOSE = re.compile(r"^\s*\*/\s*$")
ASM_BEGIN = re.compile(r"^\s*; LAB (%s): BEGIN\s*$" % NAME)
ASM_END = re.compile(r"^\s*; LAB (%s): END\s*$" % NAME)
ASM_STUB = re.compile(r"^\s*; LAB (%s): STUB\s*$" % NAME)
ASM_STUB_CLOSE = re.compile(r"^\s*; LAB (%s): STUB END\s*$" % NAME)
# Anything that looks like a marker; it must then match one of the above.
LOOSE = re.compile(r"\bLAB\s+\S+?\s*:?\s*(BEGIN|END|STUB)\b", re.I)


class MarkerError(Exception):
    """A marker problem, with the file and line it is at."""

    def __init__(self, path, line, msg):
        super().__init__("%s:%d: %s" % (path, line, msg))
        self.path, self.line, self.msg = path, line, msg


class Region:
    """One marked region: lines [begin, stub_end] (0-based, inclusive)
    are replaced by the stub's text."""

    def __init__(self, lab, begin):
        self.lab = lab
        self.begin = begin
        self.end = None
        self.stub_start = None
        self.stub_end = None
        self.stub = []


def known_labs(root=REPO):
    """{name: lab.json contents} for every labs/NAME/lab.json under root."""
    labs = {}
    d = os.path.join(root, "labs")
    if not os.path.isdir(d):
        return labs
    for name in sorted(os.listdir(d)):
        f = os.path.join(d, name, "lab.json")
        if os.path.isfile(f):
            with open(f) as fp:
                try:
                    labs[name] = json.load(fp)
                except ValueError as e:
                    raise SystemExit("lab.py: %s: not JSON: %s" % (f, e))
    return labs


def lab_order(labs):
    return sorted(labs, key=lambda n: (labs[n].get("order", 99), n))


def parse(path, text, labs):
    """The regions of one file's text; MarkerError on any problem. labs:
    the known lab names."""
    asm = path.endswith(ASM_EXTS)
    begin_re, end_re, stub_re, close_re = (
        (ASM_BEGIN, ASM_END, ASM_STUB, ASM_STUB_CLOSE) if asm else
        (C_BEGIN, C_END, C_STUB, C_STUB_CLOSE))
    lines = text.split("\n")
    regions = []
    open_region = None      # inside BEGIN..END
    stub_region = None      # inside STUB..close
    want_stub = None        # the region whose END was the previous line

    def check_lab(name, n):
        if name not in labs:
            raise MarkerError(path, n, "unknown lab %r (labs: %s; a lab is "
                              "a directory labs/NAME/ with a lab.json)" %
                              (name, ", ".join(sorted(labs)) or "none"))

    for i, line in enumerate(lines):
        n = i + 1
        if stub_region is not None:
            r = stub_region
            m = close_re.match(line)
            if m and (not asm or m.group(1) == r.lab):
                r.stub_end = i
                stub_region = None
                continue
            if asm:
                if not line.lstrip().startswith(";"):
                    raise MarkerError(path, n, "LAB %s: STUB line does not "
                                      "start with ';' (the stub opened at "
                                      "line %d ends with `; LAB %s: STUB "
                                      "END`)" % (r.lab, r.stub_start + 1,
                                                 r.lab))
                body = line.lstrip()[1:]
                r.stub.append(body[1:] if body.startswith(" ") else body)
            else:
                if "*/" in line or "/*" in line:
                    raise MarkerError(path, n, "LAB %s: the STUB opened at "
                                      "line %d holds a comment (a stub is "
                                      "code only: `/*` inside a comment is "
                                      "a warning, `*/` ends it; the "
                                      "generator puts a line naming the "
                                      "handout above the stub)" %
                                      (r.lab, r.stub_start + 1))
                r.stub.append(line)
            if LOOSE.search(line):
                raise MarkerError(path, n, "marker inside the STUB of lab "
                                  "%s opened at line %d" %
                                  (r.lab, r.stub_start + 1))
            continue

        m_begin, m_end, m_stub = (begin_re.match(line), end_re.match(line),
                                  stub_re.match(line))
        if not (m_begin or m_end or m_stub):
            if LOOSE.search(line):
                raise MarkerError(path, n, "malformed LAB marker %r (the "
                                  "forms: %s)" % (line.strip(),
                                                  "`; LAB name: BEGIN`, "
                                                  "`; LAB name: END`, "
                                                  "`; LAB name: STUB`" if asm
                                                  else "`/* LAB name: BEGIN "
                                                  "*/`, `/* LAB name: END */`"
                                                  ", `/* LAB name: STUB`"))
            if want_stub is not None:
                raise MarkerError(path, n, "LAB %s: END at line %d must be "
                                  "followed directly by its STUB block" %
                                  (want_stub.lab, want_stub.end + 1))
            continue
        if want_stub is not None and not m_stub:
            raise MarkerError(path, n, "LAB %s: END at line %d must be "
                              "followed directly by its STUB block" %
                              (want_stub.lab, want_stub.end + 1))
        if m_begin:
            name = m_begin.group(1)
            check_lab(name, n)
            if open_region is not None:
                raise MarkerError(path, n, "LAB %s: BEGIN inside the region "
                                  "of lab %s opened at line %d (regions do "
                                  "not nest)" % (name, open_region.lab,
                                                 open_region.begin + 1))
            open_region = Region(name, i)
        elif m_end:
            name = m_end.group(1)
            check_lab(name, n)
            if open_region is None:
                raise MarkerError(path, n, "LAB %s: END without a BEGIN" %
                                  name)
            if open_region.lab != name:
                raise MarkerError(path, n, "LAB %s: END closes the region "
                                  "of lab %s opened at line %d" %
                                  (name, open_region.lab,
                                   open_region.begin + 1))
            if i == open_region.begin + 1:
                raise MarkerError(path, n, "LAB %s: empty region" % name)
            open_region.end = i
            want_stub = open_region
            open_region = None
        else:
            name = m_stub.group(1)
            check_lab(name, n)
            if want_stub is None:
                raise MarkerError(path, n, "LAB %s: STUB without a region "
                                  "(it follows the region's END line)" % name)
            if want_stub.lab != name:
                raise MarkerError(path, n, "LAB %s: STUB follows the END of "
                                  "lab %s" % (name, want_stub.lab))
            want_stub.stub_start = i
            stub_region = want_stub
            regions.append(want_stub)
            want_stub = None
    if open_region is not None:
        raise MarkerError(path, open_region.begin + 1, "LAB %s: BEGIN "
                          "without an END" % open_region.lab)
    if want_stub is not None:
        raise MarkerError(path, want_stub.end + 1, "LAB %s: END is not "
                          "followed by its STUB block" % want_stub.lab)
    if stub_region is not None:
        raise MarkerError(path, stub_region.stub_start + 1, "LAB %s: STUB "
                          "never closed (by a line `%s`)" %
                          (stub_region.lab, "; LAB %s: STUB END" %
                           stub_region.lab if asm else "*/"))
    return regions


def strip(path, text, lab, labs):
    """text with lab's regions replaced by their stubs; (new text, number
    of regions replaced)."""
    regions = parse(path, text, labs)
    lines = text.split("\n")
    asm = path.endswith(ASM_EXTS)
    done = 0
    for r in reversed(regions):
        if r.lab != lab:
            continue
        indent = re.match(r"\s*", lines[r.begin]).group(0)
        note = ("%s; LAB %s: yours to write (labs/%s/README.md)" if asm else
                "%s/* LAB %s: yours to write (labs/%s/README.md) */") % (
                    indent, lab, lab)
        lines[r.begin:r.stub_end + 1] = [note] + r.stub
        done += 1
    return "\n".join(lines), done


def source_files(root):
    """The tree's files (relative paths): git's tracked and untracked but
    not ignored files when root is a git work tree, else every file
    outside build directories."""
    try:
        p = subprocess.run(["git", "-C", root, "ls-files", "-z", "-co",
                            "--exclude-standard"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, check=True)
        files = [f for f in p.stdout.decode().split("\0") if f]
        return sorted(f for f in files
                      if os.path.isfile(os.path.join(root, f)))
    except (subprocess.CalledProcessError, FileNotFoundError):
        pass
    files = []
    for d, dirs, names in os.walk(root):
        dirs[:] = [x for x in dirs if not (x == ".git" or x == "build" or
                                           x.startswith("build-"))]
        for f in names:
            files.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(files)


def marked(f):
    return f.endswith(C_EXTS + ASM_EXTS)


def read(root, f):
    with open(os.path.join(root, f), encoding="utf-8") as fp:
        return fp.read()


def scan(root, labs):
    """{relative path: regions} for every file with a marker; raises
    MarkerError at the first problem."""
    found = {}
    for f in source_files(root):
        if not marked(f):
            continue
        text = read(root, f)
        if "LAB" not in text:
            continue
        regions = parse(f, text, labs)
        if regions:
            found[f] = regions
    return found


def make(root, lab, out, git=False, force=False):
    """Write lab's student tree to out; returns the regions replaced."""
    labs = known_labs(root)
    if lab not in labs:
        raise SystemExit("lab.py: unknown lab %r (labs: %s)" %
                         (lab, ", ".join(lab_order(labs)) or "none"))
    found = scan(root, labs)  # every marker checked, not only lab's
    if not any(r.lab == lab for rs in found.values() for r in rs):
        raise SystemExit("lab.py: lab %s has no marked region in %s" %
                         (lab, root))
    out = os.path.abspath(out)
    if os.path.exists(out) and os.listdir(out):
        if not force:
            raise SystemExit("lab.py: %s exists and is not empty (--force "
                             "replaces it)" % out)
        shutil.rmtree(out)
    replaced = 0
    for f in source_files(root):
        src = os.path.join(root, f)
        dst = os.path.join(out, f)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if f in found and any(r.lab == lab for r in found[f]):
            text, n = strip(f, read(root, f), lab, labs)
            replaced += n
            with open(dst, "w", encoding="utf-8") as fp:
                fp.write(text)
            shutil.copymode(src, dst)
        else:
            # With its mtime: tools/run_tests.py's labs step lends this
            # tree's objects to the skeleton's build, and make compiles
            # only what is newer than its object.
            shutil.copy2(src, dst, follow_symlinks=False)
    # make grade with no LAB= in the student's tree grades this lab.
    with open(os.path.join(out, ".lab"), "w") as fp:
        fp.write(lab + "\n")
    if git:
        env = dict(os.environ, GIT_AUTHOR_NAME="lab.py",
                   GIT_AUTHOR_EMAIL="lab.py@localhost",
                   GIT_COMMITTER_NAME="lab.py",
                   GIT_COMMITTER_EMAIL="lab.py@localhost")
        for cmd in (["init", "-q"], ["add", "-A"],
                    ["commit", "-q", "-m", "lab %s: starting point" % lab]):
            subprocess.run(["git", "-C", out] + cmd, env=env, check=True)
    return replaced


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Generate a lab's student tree from the reference "
                    "tree (labs/README.md).")
    ap.add_argument("--root", default=REPO, help="the reference tree "
                    "(default: this repository)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list", help="the labs, in course order")
    sub.add_parser("check", help="validate every LAB marker in the tree")
    p = sub.add_parser("make", help="write a lab's student tree")
    p.add_argument("lab")
    p.add_argument("--out", required=True, help="directory to create")
    p.add_argument("--git", action="store_true",
                   help="make it a fresh git repository with one commit "
                        "(no history: the solutions are not in it)")
    p.add_argument("--force", action="store_true",
                   help="replace --out if it exists")
    p = sub.add_parser("strip", help="one file's student copy, on stdout")
    p.add_argument("lab")
    p.add_argument("file")
    args = ap.parse_args(argv)
    root = os.path.abspath(args.root)
    labs = known_labs(root)
    try:
        if args.cmd == "list":
            for name in lab_order(labs):
                print("%-10s %s" % (name, labs[name].get("title", "")))
        elif args.cmd == "check":
            found = scan(root, labs)
            per = {}
            for f, rs in sorted(found.items()):
                for r in rs:
                    per.setdefault(r.lab, []).append(
                        "%s:%d" % (f, r.begin + 1))
            for name in lab_order(labs):
                print("%-10s %d region(s) %s" % (
                    name, len(per.get(name, [])),
                    " ".join(per.get(name, []))))
        elif args.cmd == "make":
            n = make(root, args.lab, args.out, args.git, args.force)
            print("lab %s: %d region(s) replaced by stubs in %s" %
                  (args.lab, n, os.path.abspath(args.out)))
        elif args.cmd == "strip":
            if args.lab not in labs:
                raise SystemExit("lab.py: unknown lab %r (labs: %s)" %
                                 (args.lab, ", ".join(lab_order(labs))))
            text, _ = strip(args.file, read(root, args.file)
                            if not os.path.isabs(args.file) else
                            open(args.file).read(), args.lab, labs)
            sys.stdout.write(text)
    except MarkerError as e:
        print("lab.py: error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
