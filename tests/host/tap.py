"""
tap.py - run a module's unittest tests and print TAP, one line per test,
as the cmocka programs print it, so that the host step of
tools/run_tests.py reads the Python host tests (tests/host/test_*.py)
like the C ones. A test with a failed subtest is one `not ok`; the
reasons follow it as `#` lines.
"""

import contextlib
import io
import sys
import unittest


class Tap(unittest.TextTestResult):
    """The result class that prints the TAP lines as tests end."""

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


def main(module_name):
    """Run every test of the module named module_name; print the plan
    and one TAP line per test. Returns the exit status: 0 when all
    passed, 1 otherwise."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(
        sys.modules[module_name])
    print("1..%d" % suite.countTestCases())
    sys.stdout.flush()
    with contextlib.redirect_stderr(io.StringIO()):
        result = unittest.TextTestRunner(stream=io.StringIO(),
                                         resultclass=Tap).run(suite)
    return 0 if result.wasSuccessful() else 1
