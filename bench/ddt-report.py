#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# bench/ddt-report.py RAW... [--write FILE]: bench/ddt's raw records
# (build/bench-ddt/raw.jsonl, one file per run) -> the table: per path
# (plain Map-Resolver, DDT warm, DDT cold) the latency and the
# throughput, medians over the repetitions, and the ratios taken within
# each repetition (path over plain, cold over warm): median and spread
# ((max - min) / median).  Given several runs, one column per run and
# the spread of the run medians.
import json
import statistics
import sys

PATHS = ("plain", "warm", "cold")
NAMES = {"plain": "plain Map-Resolver", "warm": "DDT, warm cache",
         "cold": "DDT, cold cache"}


def load(path):
    recs, stats = {}, {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if "stats" in r:
                stats[r["stats"]] = r
                continue
            recs.setdefault((r["rep"], r["path"], r["what"]), r)
    return recs, stats


def figure(r, what):
    """The figure of one record: p50 latency in us, or answers/s."""
    res = r["result"]
    return res["p50_us"] if what == "latency" else res["rate"]


def per_rep(recs, what, fn):
    reps = sorted({k[0] for k in recs})
    out = []
    for rep in reps:
        try:
            out.append(fn({p: recs[(rep, p, what)] for p in PATHS}))
        except (KeyError, TypeError, ZeroDivisionError):
            pass
    return out


def spread(v):
    if len(v) < 2 or statistics.median(v) == 0:
        return 0.0
    return (max(v) - min(v)) / statistics.median(v) * 100


def rows(recs, stats):
    """(label, median, spread %) per line of the table."""
    out = []
    for what, unit in (("latency", "p50 us"), ("throughput", "answers/s")):
        for p in PATHS:
            v = per_rep(recs, what, lambda d, p=p: figure(d[p], what))
            out.append((f"{what} {NAMES[p]} ({unit})", v))
        if what == "throughput":
            for p in PATHS:
                v = per_rep(recs, what, lambda d, p=p:
                            d[p]["mr_cpu_s"] * 1e6 /
                            d[p]["result"]["answered"])
                out.append((f"  resolver CPU per answer, {p} (us)", v))
        for p in ("warm", "cold"):
            v = per_rep(recs, what, lambda d, p=p:
                        figure(d[p], what) / figure(d["plain"], what))
            out.append((f"RATIO {what} {p}/plain", v))
        v = per_rep(recs, what, lambda d:
                    figure(d["cold"], what) / figure(d["warm"], what))
        out.append((f"RATIO {what} cold/warm", v))
    lost = sum(r["result"]["lost"] for r in recs.values())
    out.append(("Map-Requests unanswered (all paths)", [lost]))
    # Every EID is registered: a negative answer means a registration
    # expired or a path went wrong, and the figures do not measure
    # lookups of registered EIDs.
    neg = sum(r["result"]["negative"] for r in recs.values())
    out.append(("negative Map-Replies (all paths; must be 0)", [neg]))
    for n, label in (("mrw", "warm"), ("mrc", "cold")):
        s = stats.get(n)
        if s and s.get("map-request-received"):
            out.append((f"  {label}: DDT Map-Requests sent per request",
                        [s.get("ddt-map-request-sent", 0) /
                         s["map-request-received"]]))
    return [(label, statistics.median(v) if v else float("nan"), spread(v))
            for label, v in out]


def main():
    args = sys.argv[1:]
    write = None
    if "--write" in args:
        i = args.index("--write")
        write = args[i + 1]
        del args[i:i + 2]
    if not args:
        sys.exit("usage: bench/ddt-report.py RAW... [--write FILE]")
    runs = [rows(*load(a)) for a in args]
    head = "%-46s" % "" + "".join("  %18s" % f"run {i + 1} (spread)"
                                  for i in range(len(runs)))
    if len(runs) > 1:
        head += "  %10s" % "runs apart"
    lines = [head]
    for i, (label, _, _) in enumerate(runs[0]):
        line = "%-46s" % label
        meds = []
        for run in runs:
            med, sp = run[i][1], run[i][2]
            meds.append(med)
            line += "  %11.3f (%4.1f%%)" % (med, sp)
        if len(runs) > 1:
            line += "  %9.1f%%" % spread(meds)
        lines.append(line)
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if write:
        with open(write, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
