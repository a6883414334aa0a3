#!/usr/bin/env python3
"""
test_initrd_files.py - host tests of tools/initrd-add-files.sh, which
puts user.mk's EXTRA_FILES into the initrd's staging tree: files land
at their absolute destination with their mode, tar makes a ustar entry
for each of their directories, and every wrong SPEC stops the build
with a message that names it. Prints TAP, as test_lab.py does, for the
host step of tools/run_tests.py.
"""

import contextlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(REPO, "tools", "initrd-add-files.sh")


class AddFiles(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.staging = os.path.join(self.tmp.name, "initrd")
        os.makedirs(os.path.join(self.staging, "bin"))
        with open(os.path.join(self.staging, "bin", "sh"), "w") as f:
            f.write("a program")
        self.src = os.path.join(self.tmp.name, "data.txt")
        with open(self.src, "w") as f:
            f.write("hello\n")
        os.chmod(self.src, 0o640)

    def tearDown(self):
        self.tmp.cleanup()

    def run_script(self, *specs):
        return subprocess.run(["bash", SCRIPT, self.staging] + list(specs),
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)

    def test_file_lands_with_mode_and_directories(self):
        p = self.run_script(self.src + ":/usr/share/x/data.txt",
                            self.src + ":/etc/data")
        self.assertEqual(p.returncode, 0, p.stdout)
        dest = os.path.join(self.staging, "usr/share/x/data.txt")
        with open(dest) as f:
            self.assertEqual(f.read(), "hello\n")
        self.assertEqual(os.stat(dest).st_mode & 0o777, 0o640)
        # as user.mk packs it: a ustar entry for every directory
        out = os.path.join(self.tmp.name, "initrd.tar")
        subprocess.run(["tar", "--format=ustar", "--owner=0", "--group=0",
                        "--numeric-owner", "--mtime=@0", "--sort=name",
                        "-cf", out, "bin", "etc", "usr"],
                       cwd=self.staging, check=True)
        with tarfile.open(out) as t:
            kinds = {m.name: m.type for m in t.getmembers()}
        for d in ("usr", "usr/share", "usr/share/x", "etc", "bin"):
            self.assertEqual(kinds.get(d), tarfile.DIRTYPE, d)
        self.assertEqual(kinds.get("usr/share/x/data.txt"), tarfile.REGTYPE)

    def test_bad_specs_are_refused_with_a_message(self):
        long_dest = "/" + "d/" * 130 + "f"
        cases = [
            ("no-colon-slash", self.src + ":relative", "is not host-path"),
            ("missing host file", "/no/such/file:/x", "no such regular"),
            ("a directory", self.tmp.name + ":/x", "no such regular"),
            ("dot-dot", self.src + ":/a/../b", "'..'"),
            ("dot", self.src + ":/a/./b", "'.'"),
            ("empty component", self.src + ":/a//b", "empty component"),
            ("trailing slash", self.src + ":/a/", "empty component"),
            ("too long", self.src + ":" + long_dest, "255 bytes"),
            ("taken by a program", self.src + ":/bin/sh", "already in"),
        ]
        for what, spec, msg in cases:
            with self.subTest(what):
                p = self.run_script(spec)
                self.assertEqual(p.returncode, 1, p.stdout)
                self.assertIn("EXTRA_FILES:", p.stdout)
                self.assertIn(msg, p.stdout)

    def test_second_spec_to_the_same_place_is_refused(self):
        p = self.run_script(self.src + ":/etc/a", self.src + ":/etc/a")
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn("/etc/a is already in the initrd", p.stdout)


class Tap(unittest.TextTestResult):
    """One TAP line per test; a test with a failed subtest is one
    `not ok`."""

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.n = 0
        self.why = None

    def startTest(self, test):
        super().startTest(test)
        self.why = []

    def stopTest(self, test):
        super().stopTest(test)
        self.n += 1
        print("%s %d - %s" % ("not ok" if self.why else "ok", self.n,
                              test.id().split(".", 1)[1]))
        for w in self.why:
            print("# " + w)
        sys.stdout.flush()

    def _fail(self, test, err, what=""):
        self.why += ([what] if what else []) + \
            self._exc_info_to_string(err, test).splitlines()

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._fail(test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self._fail(test, err)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._fail(test, err, "subtest %s:" % subtest._subDescription())


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(
        sys.modules[__name__])
    print("1..%d" % suite.countTestCases())
    sys.stdout.flush()
    with contextlib.redirect_stderr(io.StringIO()):
        result = unittest.TextTestRunner(stream=io.StringIO(),
                                         resultclass=Tap).run(suite)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
