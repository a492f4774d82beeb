#!/usr/bin/env python3
"""The test harness's hang watch (cc-test-harness --stacks-at).

A command still running at the deadline: the harness writes the stack of
each of its threads, ends it (nothing of it stays behind) and fails with
124. A command that ends before: its own exit status, at once.
"""
import os
import subprocess
import sys
import uuid

harness = sys.argv[1]
failures = []


def check(what, ok):
    print(('ok' if ok else 'not ok') + ' - ' + what)
    if not ok:
        failures.append(what)


marker = 'cc-hang-' + uuid.uuid4().hex
hang = subprocess.run(
    [harness, '--stacks-at', '1', '--', sys.executable, '-c',
     'import sys, time\nwhile True: time.sleep(0.1)', marker],
    capture_output=True, text=True, timeout=120)
err = hang.stderr
check('a hung command fails with 124', hang.returncode == 124)
check('the harness says it hung', 'still running after 1 s' in err)
check('its process is named', '=== process' in err and marker in err)
check('the stack of its thread is written',
      'Thread 1' in err and ('time_sleep' in err or 'select' in err or 'clock_nanosleep' in err))
check('the harness says it ended it', 'ended the test after 1 s' in err)
left = subprocess.run(['pgrep', '-f', marker], capture_output=True, text=True)
check('nothing of it is left running', left.stdout.strip() == '')

quick = subprocess.run([harness, '--stacks-at', '600', '--', 'sh', '-c', 'exit 3'],
                       capture_output=True, text=True, timeout=60)
check('a command that ends keeps its exit status', quick.returncode == 3)
check('and no stacks are written', 'still running' not in quick.stderr)

bad = subprocess.run([harness, '--stacks-at', 'soon', '--', 'true'],
                     capture_output=True, text=True, timeout=60)
check('a deadline that is not a number is refused',
      bad.returncode == 99 and 'needs a number of seconds' in bad.stderr)

if failures:
    print(err, file=sys.stderr)
print('1..%d' % 9)
sys.exit(1 if failures else 0)
