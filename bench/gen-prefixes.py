#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# bench/gen-prefixes.py N DEV RLOC [SEED]: print N "map-cache add" lines
# for distinct random IPv4 /32 EIDs in 11.0.0.0 - 99.255.255.255 (never
# 10/8, where the benchmark's real EIDs live), for lispctl -b.
import random
import sys

n, dev, rloc = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 9300)
lo, hi = 11 << 24, 100 << 24
out = sys.stdout
buf = []
for a in rng.sample(range(lo, hi), n):
    buf.append("map-cache add %s %d.%d.%d.%d/32 rloc %s\n" %
               (dev, a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, rloc))
    if len(buf) >= 65536:
        out.write("".join(buf))
        buf = []
out.write("".join(buf))
