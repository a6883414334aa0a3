#!/usr/bin/env python3
"""
test_initrd_files.py - host tests of tools/initrd-add-files.sh, which
puts user.mk's EXTRA_FILES into the initrd's staging tree: files land
at their absolute destination with their mode, tar makes a ustar entry
for each of their directories, and every wrong SPEC stops the build
with a message that names it. Prints TAP (tap.py), as test_lab.py does, for the
host step of tools/run_tests.py.
"""

import os
import subprocess
import sys
import tarfile
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tap  # noqa: E402
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


if __name__ == "__main__":
    sys.exit(tap.main(__name__))
