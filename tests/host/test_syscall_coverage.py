#!/usr/bin/env python3
"""
test_syscall_coverage.py - every system call in the kernel's table is
made by at least one user or posix test (tools/syscall_coverage.py),
and the checker itself notices a call that no test makes. Prints TAP
(tap.py) for the host step of tools/run_tests.py.
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tap  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools"))
import syscall_coverage as cov  # noqa: E402


class Coverage(unittest.TestCase):
    def test_every_call_has_a_test(self):
        sources = cov.test_sources()
        missing = [n for n in cov.implemented()
                   if n not in cov.EXEMPT and not cov.covering(n, sources)]
        self.assertEqual(missing, [], "calls no test makes")

    def test_every_call_has_a_number(self):
        nr = cov.numbers()
        self.assertEqual([n for n in cov.implemented() if n not in nr], [])

    def test_a_call_without_a_test_is_found(self):
        # Only a comment names it: that is not a test making the call.
        sources = {"tests/user/t_x.c": cov.strip_comments(
            "/* uses frobnicate() */\nint main(void) { return 0; }\n")}
        self.assertEqual(cov.covering("frobnicate", sources), [])
        sources["tests/user/t_y.c"] = "x = syscall(SYS_frobnicate, 1);\n"
        self.assertEqual(cov.covering("frobnicate", sources),
                         ["tests/user/t_y.c"])


if __name__ == "__main__":
    sys.exit(tap.main(__name__))
