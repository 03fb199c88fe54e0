#!/usr/bin/python3
"""Runs the Python bridge's tests (unittest discovery in python/tests) and ends with one line in xunit's summary
form, "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T - python/tests", which scripts/test.sh adds to its
closing "N passed, N failed, N skipped" line. Exit code 1 when a test failed or errored.

    /usr/bin/python3 python/tests/run.py [-v] [pattern]     # e.g. run.py test_shard*.py
"""
import os
import sys
import unittest


def main(argv):
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.dirname(here)
    sys.path.insert(0, top)                          # import streaming_bridge from python/ without installing it
    suite = unittest.defaultTestLoader.discover(here, pattern=args[0] if args else "test*.py", top_level_dir=top)
    result = unittest.TextTestRunner(verbosity=2 if verbose else 1, stream=sys.stdout).run(suite)
    for test, reason in result.skipped:
        print(f"python/tests: skipped {test.id()}: {reason}")
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    word = "Passed" if failed == 0 else "Failed"
    print(f"{word}!  - Failed: {failed}, Passed: {passed}, Skipped: {skipped}, Total: {result.testsRun} - python/tests (unittest)")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
