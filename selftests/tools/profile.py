#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""profile.py TRACE [DEPTH] - where a traced selftest spent its time.

TRACE is what make -C selftests run_tests PROFILE_DIR=DIR writes (bash -x
with every command stamped by $EPOCHREALTIME).  Each command at nesting
DEPTH or less (default 2: the test's own lines and the helpers they call)
is charged the time until the next such command; the commands that cost
most, summed by their first two words, are printed with their count.
"""

import collections
import re
import sys

LINE = re.compile(r"^(\++) (\d+\.\d+) (.*)")


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    depth = int(sys.argv[2]) if len(sys.argv) == 3 else 2
    events = []
    with open(sys.argv[1], errors="replace") as f:
        for line in f:
            m = LINE.match(line)
            if m and len(m.group(1)) <= depth:
                events.append((float(m.group(2)), m.group(3)))
    if len(events) < 2:
        print("no stamped commands in %s" % sys.argv[1], file=sys.stderr)
        return 1
    spent = collections.Counter()
    count = collections.Counter()
    for (t, cmd), (t_next, _) in zip(events, events[1:]):
        key = " ".join(cmd.split()[:2])[:70]
        spent[key] += t_next - t
        count[key] += 1
    print("%.1f s in %d commands" % (events[-1][0] - events[0][0], len(events)))
    for key, secs in spent.most_common(25):
        print("%8.1f s %6d  %s" % (secs, count[key], key))
    return 0


if __name__ == "__main__":
    sys.exit(main())
