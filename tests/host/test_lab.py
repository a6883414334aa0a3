#!/usr/bin/env python3
"""
test_lab.py - host tests of the labs' tooling (labs/README.md): the
skeleton generator tools/lab.py on small trees with good and broken
markers, the real tree's markers, and every lab's test list
(labs/NAME/lab.json) against the tests that exist. Prints TAP, so that
tools/run_tests.py's host step runs it like the cmocka programs.
"""

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tap  # noqa: E402
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools"))
import lab  # noqa: E402
import grade  # noqa: E402

LABS = {"alpha": {}, "beta": {}}

GOOD = """\
int keep(void);

/* LAB alpha: BEGIN */
int solved(int x)
{
	return x + 1;
}
/* LAB alpha: END */
/* LAB alpha: STUB
int solved(int x)
{
	(void)x;
	return -38;
}
*/

/* LAB beta: BEGIN */
int other(void)
{
	return 2;
}
/* LAB beta: END */
/* LAB beta: STUB
int other(void)
{
	return -38;
}
*/
"""

GOOD_ASM = """\
section .text
; LAB alpha: BEGIN
walk:
	mov rax, 1
	ret
; LAB alpha: END
; LAB alpha: STUB
;walk:
;	xor eax, eax
;	ret
; LAB alpha: STUB END
"""


def broken(old, new):
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


# (what is wrong, the text, the line the error must name, words it says)
BROKEN = [
    ("unknown lab", broken("LAB alpha: BEGIN", "LAB gamma: BEGIN"), 3,
     "unknown lab 'gamma'"),
    ("malformed marker", broken("/* LAB alpha: BEGIN */", "/* LAB alpha BEGIN */"),
     3, "malformed"),
    ("lower-case keyword", broken("/* LAB alpha: END */", "/* LAB alpha: end */"),
     8, "malformed"),
    ("nested regions", broken("int other(void)\n{\n\treturn 2;",
                              "/* LAB alpha: BEGIN */\nint other(void)\n{\n\treturn 2;"),
     18, "do not nest"),
    ("END without BEGIN", broken("/* LAB beta: BEGIN */\n", ""), 21,
     "END without a BEGIN"),
    ("END of another lab", broken("/* LAB alpha: END */", "/* LAB beta: END */"),
     8, "closes the region of lab alpha"),
    ("BEGIN never ended", GOOD.split("/* LAB beta: END */")[0], 17,
     "BEGIN without an END"),
    ("END without its STUB", broken("/* LAB alpha: END */\n",
                                    "/* LAB alpha: END */\n\n"), 9,
     "followed directly by its STUB"),
    ("STUB without a region", GOOD + "/* LAB beta: STUB\nint x;\n*/\n", 29,
     "STUB without a region"),
    ("STUB never closed", GOOD.rstrip("*/\n") + "\n", 23, "never closed"),
    ("comment in a STUB", broken("\t(void)x;", "\t(void)x; /* no */"), 12,
     "holds a comment"),
    ("empty region", broken("/* LAB alpha: BEGIN */\nint solved(int x)\n{\n"
                            "\treturn x + 1;\n}\n", "/* LAB alpha: BEGIN */\n"),
     4, "empty region"),
    ("STUB of another lab", broken("/* LAB alpha: STUB", "/* LAB beta: STUB"),
     9, "follows the END of lab alpha"),
]


def write_tree(root, files, labs=LABS):
    for name in labs:
        os.makedirs(os.path.join(root, "labs", name), exist_ok=True)
        with open(os.path.join(root, "labs", name, "lab.json"), "w") as fp:
            json.dump({"title": name, "tests": []}, fp)
    for path, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
        with open(os.path.join(root, path), "w") as fp:
            fp.write(text)


class Generator(unittest.TestCase):
    def test_strip_replaces_only_the_lab(self):
        text, n = lab.strip("x.c", GOOD, "alpha", LABS)
        self.assertEqual(n, 1)
        self.assertNotIn("return x + 1;", text)
        self.assertIn("\t(void)x;\n\treturn -38;", text)
        self.assertIn("/* LAB alpha: yours to write (labs/alpha/README.md) */\n"
                      "int solved(int x)\n", text)
        self.assertNotIn("LAB alpha: BEGIN", text)
        self.assertNotIn("LAB alpha: STUB", text)
        # beta's region, markers and stub stay as they were.
        self.assertIn(GOOD[GOOD.index("/* LAB beta: BEGIN"):], text)
        # and the result is itself a valid tree for the other lab
        self.assertEqual(len(lab.parse("x.c", text, LABS)), 1)

    def test_strip_asm(self):
        text, n = lab.strip("x.asm", GOOD_ASM, "alpha", LABS)
        self.assertEqual(n, 1)
        self.assertEqual(text, "section .text\n; LAB alpha: yours to write "
                         "(labs/alpha/README.md)\nwalk:\n\txor eax, eax\n"
                         "\tret\n")

    def test_broken_markers_are_refused(self):
        for what, text, line, words in BROKEN:
            with self.subTest(what):
                with self.assertRaises(lab.MarkerError) as cm:
                    lab.parse("mm/x.c", text, LABS)
                self.assertIn(words, str(cm.exception))
                self.assertTrue(str(cm.exception).startswith(
                    "mm/x.c:%d: " % line), str(cm.exception))

    def test_asm_stub_line_without_semicolon(self):
        text = GOOD_ASM.replace(";\tret", "\tret")
        with self.assertRaises(lab.MarkerError) as cm:
            lab.parse("x.asm", text, LABS)
        self.assertIn("does not start with ';'", str(cm.exception))

    def test_make_writes_the_tree(self):
        with tempfile.TemporaryDirectory() as d:
            src, out = os.path.join(d, "src"), os.path.join(d, "out")
            write_tree(src, {"mm/x.c": GOOD, "README": "LAB alpha: BEGIN\n"})
            n = lab.make(src, "alpha", out, git=True)
            self.assertEqual(n, 1)
            with open(os.path.join(out, "mm/x.c")) as fp:
                self.assertIn("return -38;", fp.read())
            with open(os.path.join(out, "README")) as fp:  # not a source
                self.assertEqual(fp.read(), "LAB alpha: BEGIN\n")
            with open(os.path.join(out, ".lab")) as fp:
                self.assertEqual(fp.read(), "alpha\n")
            log = subprocess.run(["git", "-C", out, "log", "--oneline"],
                                 stdout=subprocess.PIPE, check=True)
            self.assertEqual(len(log.stdout.splitlines()), 1)
            # an existing tree is kept unless forced
            with self.assertRaises(SystemExit):
                lab.make(src, "alpha", out)
            lab.make(src, "beta", out, force=True)

    def test_make_keeps_the_mtime_of_what_it_does_not_change(self):
        # The labs step lends this tree's objects to the skeleton's build
        # (run_tests.seed_lab_build()): make must see only the lab's files
        # as new, another lab's region and plain files as they were.
        with tempfile.TemporaryDirectory() as d:
            src, out = os.path.join(d, "src"), os.path.join(d, "out")
            other = GOOD.replace("alpha", "gamma")
            write_tree(src, {"mm/x.c": GOOD, "mm/y.c": "int y;\n",
                             "mm/z.c": other},
                       labs=dict(LABS, gamma={}))
            old = 1000000000
            for f in ("mm/x.c", "mm/y.c", "mm/z.c"):
                os.utime(os.path.join(src, f), (old, old))
            lab.make(src, "gamma", out)
            mtime = {f: os.stat(os.path.join(out, f)).st_mtime
                     for f in ("mm/x.c", "mm/y.c", "mm/z.c")}
            self.assertEqual(mtime["mm/x.c"], old)  # beta's region only
            self.assertEqual(mtime["mm/y.c"], old)
            self.assertGreater(mtime["mm/z.c"], old)  # gamma's stub

    def test_seed_lab_build_lends_only_untouched_objects(self):
        rt = grade.rt
        with tempfile.TemporaryDirectory() as d:
            ref, new = os.path.join(d, "ref"), os.path.join(d, "new")
            objs = {"mm/a": "mm/a.c include/h.h", "mm/b": "mm/b.c",
                    "kernel/c": "kernel/c.c include/k.h",
                    "user/u": "user/u.c"}  # not the kernel's: not lent
            for o, deps in objs.items():
                os.makedirs(os.path.join(ref, os.path.dirname(o)),
                            exist_ok=True)
                with open(os.path.join(ref, o + ".o"), "w") as fp:
                    fp.write(o)
                with open(os.path.join(ref, o + ".d"), "w") as fp:
                    fp.write("build/%s.o: %s \\\n\n%s:\n" % (
                        o, deps, deps.split()[-1]))
            self.assertEqual(rt.seed_lab_build(ref, new, ["mm/b.c"]),
                             (0, 0))  # no flags.txt: nothing lent
            with open(os.path.join(ref, "flags.txt"), "w") as fp:
                fp.write("cc -Werror\n")
            lent = rt.seed_lab_build(ref, new, ["mm/b.c", "include/k.h"])
            self.assertEqual(lent, (1, 3))
            self.assertTrue(os.path.isfile(os.path.join(new, "mm/a.o")))
            for o in ("mm/b.o", "kernel/c.o", "user/u.o"):
                self.assertFalse(os.path.exists(os.path.join(new, o)), o)
            with open(os.path.join(new, "mm/a.d")) as fp:
                self.assertTrue(fp.read().startswith(
                    os.path.join(new, "mm/a.o") + ": mm/a.c include/h.h"))
            with open(os.path.join(new, "flags.txt")) as fp:
                self.assertEqual(fp.read(), "cc -Werror\n")

    def test_make_refuses_a_broken_tree_with_a_clear_error(self):
        with tempfile.TemporaryDirectory() as d:
            src, out = os.path.join(d, "src"), os.path.join(d, "out")
            # The broken marker is in another lab's file: still refused.
            write_tree(src, {"mm/x.c": GOOD,
                             "kernel/y.c": broken("/* LAB beta: END */",
                                                  "/* LAB beta END */")})
            p = subprocess.run([sys.executable,
                                os.path.join(REPO, "tools", "lab.py"),
                                "--root", src, "make", "alpha", "--out", out],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            self.assertEqual(p.returncode, 1)
            err = p.stderr.decode()
            self.assertRegex(err, r"^lab.py: error: kernel/y.c:22: malformed "
                             r"LAB marker '/\* LAB beta END \*/'")
            self.assertFalse(os.path.exists(os.path.join(out, "mm")))

    def test_make_refuses_unknown_or_empty_lab(self):
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "src")
            write_tree(src, {"mm/x.c": GOOD.split("/* LAB beta")[0]})
            with self.assertRaisesRegex(SystemExit, "unknown lab 'gamma'"):
                lab.make(src, "gamma", os.path.join(d, "o1"))
            with self.assertRaisesRegex(SystemExit, "lab beta has no marked"):
                lab.make(src, "beta", os.path.join(d, "o2"))


# A stand-in for tools/qemu.sh: prints what the scenario file (JSON, in
# $FAKE_QEMU) gives for the first key found in the kernel command line,
# and exits with its status; appends the command line to $FAKE_QEMU.log.
FAKE_QEMU = """#!/usr/bin/env python3
import json, os, sys
argv = sys.argv
line = argv[argv.index("--append") + 1]
with open(os.environ["FAKE_QEMU"]) as fp:
    scenario = json.load(fp)
with open(os.environ["FAKE_QEMU"] + ".log", "a") as fp:
    fp.write(line + "\\n")
for key, lines, rc in scenario:
    if key in line:
        print("\\n".join(lines))
        sys.exit(rc)
sys.exit(125)
"""

KTAP = ["KTAP version 1"]


class Grader(unittest.TestCase):
    """tools/grade.py's scoring, on a fake QEMU: no kernel boots."""

    def grade(self, tests, scenario):
        with tempfile.TemporaryDirectory() as d:
            fake = os.path.join(d, "qemu.sh")
            with open(fake, "w") as fp:
                fp.write(FAKE_QEMU)
            os.chmod(fake, 0o755)
            env = os.path.join(d, "scenario.json")
            with open(env, "w") as fp:
                json.dump(scenario, fp)
            os.environ["FAKE_QEMU"] = env
            ts = [grade.Test(t, "test") for t in tests]
            g = grade.Grader("kernel.elf", "initrd.tar", qemu=fake)
            g.run(ts)
            with open(env + ".log") as fp:
                boots = fp.read().split("\n")[:-1]
            out = io.StringIO()
            got, total = grade.report("x", {"title": "t"}, ts, "text", out)
            csv = io.StringIO()
            grade.report("x", {}, ts, "csv", csv)
            return ts, boots, out.getvalue(), csv.getvalue()

    def test_points_skip_and_failure(self):
        ts, boots, out, csv = self.grade(
            [{"name": "s.a", "kind": "ktest", "points": 10},
             {"name": "s.b", "kind": "ktest", "points": 5},
             {"name": "s.c", "kind": "ktest", "points": 7}],
            [["test=s", KTAP + ["1..3", "ok 1 s.a",
                                "# s.b: f.c:9: expected 1 == 2",
                                "not ok 2 s.b",
                                "ok 3 s.c # SKIP no CPU"], 1]])
        self.assertEqual([t.earned for t in ts], [10, 0, 0])
        self.assertEqual(boots, ["norandmaps test=s"])
        self.assertIn("Score: 10/22", out)
        self.assertIn("# s.b: f.c:9: expected 1 == 2", out)
        self.assertIn("skipped (no CPU)", out)
        self.assertEqual(csv.splitlines()[0], "x,s.a,ktest,10,10,pass,")
        self.assertTrue(csv.splitlines()[1].startswith("x,s.b,ktest,0,5,fail,"))
        self.assertEqual(len(csv.splitlines()), 3)

    def test_a_panic_costs_only_the_guilty_test(self):
        ts, boots, out, _ = self.grade(
            [{"name": "s.a", "kind": "ktest", "points": 10},
             {"name": "s.b", "kind": "ktest", "points": 10},
             {"name": "s.c", "kind": "ktest", "points": 10}],
            [["test=s.b", KTAP + ["1..1", "ok 1 s.b"], 0],
             ["test=s.c", KTAP + ["1..1", "Kernel panic - not syncing: "
                                  "oops"], 2],
             ["test=s", KTAP + ["1..3", "ok 1 s.a",
                                "Kernel panic - not syncing: oops"], 2]])
        self.assertEqual([t.earned for t in ts], [10, 10, 0])
        self.assertEqual(sorted(boots), ["norandmaps test=s",
                                         "norandmaps test=s.b",
                                         "norandmaps test=s.c"])
        self.assertIn("Kernel panic - not syncing: oops", out)

    def test_a_boot_that_never_reaches_the_tests_fails_them_once(self):
        ts, boots, out, _ = self.grade(
            [{"name": "t_a", "kind": "user", "points": 10},
             {"name": "t_b", "kind": "user", "points": 10},
             {"name": grade.BASELINE, "kind": "user", "points": 10}],
            [["usertests", ["init: cannot run /bin/usertests",
                            "Kernel panic - not syncing: init"], 2]])
        self.assertEqual([t.earned for t in ts], [0, 0, 0])
        self.assertEqual(boots, ["norandmaps init=/bin/usertests -- /bin "
                                 "t_a t_b"])
        self.assertIn("never reached the tests", out)

    def test_expected_lines_in_order(self):
        tests = [{"name": "s.d", "kind": "ktest", "points": 10,
                  "expect": ["^walk 1:$", "^  pte .* D$"]}]
        good = KTAP + ["1..1", "walk 1:", "  pte 67 P RW D", "ok 1 s.d"]
        ts, _, _, _ = self.grade(tests, [["test=s.d", good, 0]])
        self.assertEqual(ts[0].earned, 10)
        bad = KTAP + ["1..1", "  pte 67 P RW D", "walk 1:", "ok 1 s.d"]
        ts, _, out, _ = self.grade(tests, [["test=s.d", bad, 0]])
        self.assertEqual(ts[0].earned, 0)
        self.assertIn("no line matching /^  pte .* D$/", out)

    def test_speed_tiers(self):
        tests = [{"name": "fb", "kind": "program", "points": 20,
                  "cmd": "/bin/fb", "metric": "^FB,(\\d+)$",
                  "tiers": [[200, 20], [600, 10]]}]
        for value, points in ((150, 20), (200, 20), (201, 10), (900, 0)):
            with self.subTest(value):
                ts, boots, out, _ = self.grade(
                    tests, [["init=/bin/fb", ["FB,%d" % value], 0]])
                self.assertEqual(ts[0].earned, points)
                self.assertEqual(boots, ["norandmaps init=/bin/fb"])
                self.assertIn("measured %d" % value, out)
        ts, _, _, _ = self.grade(tests, [["init=/bin/fb", ["FB,1"], 1]])
        self.assertEqual(ts[0].earned, 0)  # a failed run earns nothing

    def test_higher_is_better_tiers(self):
        tests = [{"name": "hits", "kind": "program", "points": 10,
                  "cmd": "/bin/fb", "metric": "^hits (\\d+)$",
                  "better": "higher", "tiers": [[900, 5], [1000, 10]]}]
        for value, points in ((1020, 10), (1000, 10), (950, 5), (10, 0)):
            with self.subTest(value):
                ts, _, out, _ = self.grade(
                    tests, [["init=/bin/fb", ["hits %d" % value], 0]])
                self.assertEqual(ts[0].earned, points)
                self.assertIn(">= 1000 for 10, >= 900 for 5", out)

    def test_bad_test_lists_are_refused(self):
        for bad in ({"name": "a", "kind": "ktest", "points": 1},
                    {"name": "a.b", "kind": "kunit", "points": 1},
                    {"name": "a.b", "kind": "ktest", "points": 1, "x": 1},
                    {"name": "p", "kind": "program", "points": 1},
                    {"name": "p", "kind": "program", "points": 5,
                     "cmd": "/bin/p", "metric": "(1)",
                     "tiers": [[1, 4]]}):
            with self.subTest(bad):
                with self.assertRaises(SystemExit):
                    grade.Test(bad, "here")


class RealTree(unittest.TestCase):
    def test_every_marker_is_well_formed(self):
        labs = lab.known_labs(REPO)
        found = lab.scan(REPO, labs)
        for name in labs:
            with self.subTest(name):
                self.assertTrue(any(r.lab == name for rs in found.values()
                                    for r in rs), "no region")

    def test_every_lab_lists_tests_that_exist(self):
        ktests = set()
        for f in os.listdir(os.path.join(REPO, "tests", "kernel")):
            if f.endswith(".c"):
                with open(os.path.join(REPO, "tests", "kernel", f)) as fp:
                    text = fp.read()
                ktests |= {"%s.%s" % m for m in re.findall(
                    r"^KTEST\((\w+),\s*(\w+)\)", text, re.M)}
                # test_poe.c's KTEST_WALKERS(name): poe.name_c, name_asm
                ktests |= {"poe.%s_%s" % (m, w) for m in re.findall(
                    r"^KTEST_WALKERS\((\w+)\)", text, re.M)
                    for w in ("c", "asm")}
        with open(os.path.join(REPO, "tests", "user", "usertests.c")) as fp:
            usertests = set(re.findall(r'"(t_\w+)"', fp.read()))
        usertests.add(grade.BASELINE)
        for name in lab.known_labs(REPO):
            with self.subTest(name):
                spec, tests = grade.load(name)
                self.assertTrue(os.path.isfile(os.path.join(
                    REPO, "labs", name, "README.md")))
                self.assertTrue(any(t.core for t in tests))
                self.assertTrue(all(t.points > 0 for t in tests))
                for t in tests:
                    if t.kind == "ktest":
                        self.assertIn(t.name, ktests)
                    elif t.kind == "user":
                        self.assertIn(t.name, usertests)


if __name__ == "__main__":
    sys.exit(tap.main(__name__))
