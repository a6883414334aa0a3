#!/usr/bin/env python3
"""
test_beside.py - host tests of tools/run_tests.py's steps run beside
others (BESIDE, docs/testing.md): which steps go beside which, and the
replay of a runner process's output into this runner's results, with a
fake runner process. Prints TAP, as the other tests/host/test_*.py.
"""

import io
import os
import sys
import unittest
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tap  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                "tools"))
import run_tests as rt  # noqa: E402


def fake_runner(text, rc):
    """A command that prints text and exits with rc, as a child runner."""
    return [sys.executable, "-c",
            "import sys; sys.stdout.write(%r); sys.exit(%d)" % (text, rc)]


def replay(text, rc):
    """(the Reporter, what was printed) after a Beside whose runner
    process prints text and exits with rc is reported into a Reporter
    that already holds one result."""
    rep = rt.Reporter()
    buf = io.StringIO()
    saved = rt.child_argv
    rt.child_argv = lambda step: fake_runner(text, rc)
    try:
        with redirect_stdout(buf):
            rep.ok("before")
            rt.Beside("user").report(rep)
    finally:
        rt.child_argv = saved
    return rep, buf.getvalue()


class Plan(unittest.TestCase):
    def test_default_steps(self):
        plan = rt.beside_plan(list(rt.DEFAULT_STEPS))
        self.assertEqual(plan, {"user": ("smp", "smppoe"),
                                "upoe": ("usmp", "posix")})

    def test_alone_or_with_a_parallel_step_it_runs_in_place(self):
        for steps in (["user"], ["upoe"], ["smp", "smppoe", "usmp"],
                      ["host", "user"], ["ulinuxvm", "user"]):
            with self.subTest(steps):
                self.assertEqual(rt.beside_plan(steps), {})
        self.assertEqual(rt.beside_plan(["smp", "user"]),
                         {"user": ("smp", "smppoe")})

    def test_every_window_holds_only_icount_steps(self):
        for step, start, until in rt.BESIDE:
            window = rt.STEPS[rt.STEPS.index(start):rt.STEPS.index(until)]
            self.assertTrue(set(window) <= set(rt.BESIDE_OK), window)


class Replay(unittest.TestCase):
    def test_results_are_renumbered_and_lines_kept(self):
        rep, printed = replay(
            "# === user tests\n  | ok 1 t_a\nok 1 user: t_a\n"
            "ok 2 oops: #PF decoded\nnot ok 3 user: t_b\n# why it failed\n"
            "ok 4 user: t_c # SKIP no CPU\n# ran user in 3s\n"
            "# failed: user: t_b\n# 1 skipped\n2 passed, 1 failed\n", 1)
        self.assertEqual((rep.passed, rep.failed, rep.skipped), (3, 1, 1))
        self.assertEqual(rep.failures, ["user: t_b"])
        self.assertIn("\nok 2 user: t_a\nok 3 oops: #PF decoded\n"
                      "not ok 4 user: t_b\n# why it failed\n"
                      "ok 5 user: t_c # SKIP no CPU\n", printed)
        self.assertIn("  | ok 1 t_a\n", printed)
        self.assertNotIn("2 passed, 1 failed", printed)
        self.assertNotIn("# 1 skipped", printed)

    def test_a_runner_that_crashed_fails(self):
        for text, rc in (("ok 1 user: t_a\nTraceback (most recent call "
                          "last):\n", 1),
                         ("ok 1 user: t_a\n# ran user in 1s\n"
                          "2 passed, 0 failed\n", 0),
                         ("ok 1 user: t_a\n# ran user in 1s\n"
                          "1 passed, 0 failed\n", 2)):
            with self.subTest(text=text, rc=rc):
                rep, printed = replay(text, rc)
                self.assertEqual(rep.failures, [
                    "user: its runner process ended with its summary"])
                self.assertEqual(rep.passed, 2)


if __name__ == "__main__":
    sys.exit(tap.main(__name__))
