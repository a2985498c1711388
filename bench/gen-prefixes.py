#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# bench/gen-prefixes.py [--route TABLE] N DEV RLOC [SEED]: print N
# "map-cache add" lines for distinct random IPv4 /32 EIDs in 11.0.0.0 -
# 99.255.255.255 (never 10/8, where the benchmark's real EIDs live), for
# lispctl -b; with --route, the same /32s as "route add" lines via RLOC
# out of DEV in TABLE, for ip -batch.
import random
import sys

args = sys.argv[1:]
table = None
if args[:1] == ["--route"]:
    table, args = args[1], args[2:]
n, dev, rloc = int(args[0]), args[1], args[2]
rng = random.Random(int(args[3]) if len(args) > 3 else 9300)
lo, hi = 11 << 24, 100 << 24
out = sys.stdout
buf = []
for a in rng.sample(range(lo, hi), n):
    eid = "%d.%d.%d.%d/32" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255)
    if table is None:
        buf.append("map-cache add %s %s rloc %s\n" % (dev, eid, rloc))
    else:
        buf.append("route add %s via %s dev %s table %s\n" % (eid, rloc, dev, table))
    if len(buf) >= 65536:
        out.write("".join(buf))
        buf = []
out.write("".join(buf))
