#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Counts the results of the `meson test` runs of build-aux/test.

Usage: test-summary.py RECORD [--expect LOG]… [--failed WHAT]…

RECORD has one line "LOG EXIT-STATUS" per `meson test` run, LOG being the
testlog JSON file it wrote (one JSON object per test). Tests that speak TAP
are counted per subtest; a test that crashed, timed out or broke its plan
after its last subtest adds one failure. A run that left no log, or exited
non-zero with no failing test in its log, is a failure too, and so is each
--failed WHAT (a build that failed).

Prints the failures, then exactly one last line "N passed, N failed, N skipped",
and exits 1 when anything failed or nothing ran.
"""

import json
import os
import re
import sys

TAP_RESULT = re.compile(r'^(not ok|ok)\b\s*(?:\d+)?\s*(?:-\s*)?([^#]*)(?:#\s*(\S+)(.*))?$')
TAP_SKIP_ALL = re.compile(r'^1\.\.0\b.*#\s*skip', re.IGNORECASE)
PASSED_RESULTS = {'OK', 'EXPECTEDFAIL'}


def count_test(entry, counts, failures, where):
    name = where + ': ' + entry.get('name', '?')
    result = entry.get('result', 'ERROR')
    passed = failed = skipped = 0
    skip_all = False

    for line in (entry.get('stdout') or '').splitlines():
        line = line.strip()
        if TAP_SKIP_ALL.match(line):
            skip_all = True
            continue
        m = TAP_RESULT.match(line)
        if not m:
            continue
        ok = m.group(1) == 'ok'
        directive = (m.group(3) or '').lower()
        if directive.startswith('skip'):
            skipped += 1
        elif directive.startswith('todo'):
            if ok:
                # As for meson, a TODO that passes is an unexpected pass.
                failed += 1
                failures.append(f'{name}: unexpected pass: {line}')
            else:
                # An expected failure (g_test_incomplete ()).
                skipped += 1
        elif ok:
            passed += 1
        else:
            failed += 1
            failures.append(f'{name}: {line}')

    if passed + failed + skipped == 0:
        # Not TAP, or no subtest ran: the test counts as one.
        if result in PASSED_RESULTS:
            passed = 1
        elif result == 'SKIP' or skip_all:
            skipped = 1
        else:
            failed = 1
            failures.append(f'{name}: {result}')
    elif result not in PASSED_RESULTS and result != 'SKIP' and failed == 0:
        failed += 1
        failures.append(f'{name}: {result} after its last subtest '
                        f'(exit status {entry.get("returncode")})')

    counts['passed'] += passed
    counts['failed'] += failed
    counts['skipped'] += skipped


def main(argv):
    record = argv[1]
    expected = []
    failures = []
    i = 2
    while i < len(argv):
        if argv[i] == '--expect':
            expected.append(argv[i + 1])
            i += 2
        elif argv[i] == '--failed':
            failures.append(argv[i + 1])
            i += 2
        else:
            raise SystemExit(f'unknown argument {argv[i]}')

    counts = {'passed': 0, 'failed': len(failures), 'skipped': 0}
    runs = {}
    with open(record, encoding='utf-8') as f:
        for line in f:
            log, _, status = line.strip().rpartition(' ')
            if log:
                runs[log] = int(status)

    for log in expected:
        if log not in runs:
            counts['failed'] += 1
            failures.append(f'{log}: the run did not take place')

    for log, status in runs.items():
        before = counts['failed']
        try:
            with open(log, encoding='utf-8') as f:
                entries = [json.loads(line) for line in f if line.strip()]
        except (OSError, ValueError) as e:
            counts['failed'] += 1
            failures.append(f'{log}: no readable test log ({e})')
            continue
        # "_build-asan/testlog-asan" tells the runs of one test apart.
        where = os.path.join(os.path.basename(os.path.dirname(os.path.dirname(log))),
                             os.path.splitext(os.path.basename(log))[0])
        for entry in entries:
            count_test(entry, counts, failures, where)
        if status != 0 and counts['failed'] == before:
            counts['failed'] += 1
            failures.append(f'{log}: meson test exited with status {status}')

    if counts['passed'] + counts['failed'] == 0:
        counts['failed'] += 1
        failures.append('no test ran')

    if failures:
        print('Failures:')
        for failure in failures:
            print(f'  {failure}')
    print(f"{counts['passed']} passed, {counts['failed']} failed, "
          f"{counts['skipped']} skipped")
    return 1 if counts['failed'] else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
