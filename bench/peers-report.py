#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# bench/peers-report.py RAW.jsonl [--out OUT.json] [--baseline BASE.json]
#                       [--host "k=v ..."]
#
# The samples of bench/peers-guest.sh -> the table of rates (median and
# range over the repetitions), the ratios lisp/peer and peer/plain taken
# repetition by repetition (each repetition measures every path in turn),
# and the comparison with a baseline: a ratio "moved" when its median
# differs from the baseline's by more than the larger of the two runs'
# spreads (max - min over the repetitions, relative to the median) and
# at least 2 %.  A benchmark: the exit status is 0 whenever the samples
# could be read, whatever moved.
import argparse
import json
import math
import statistics

from reportlib import clean

ap = argparse.ArgumentParser()
ap.add_argument("raw")
ap.add_argument("--out")
ap.add_argument("--baseline")
ap.add_argument("--host", default="")
args = ap.parse_args()

recs = [json.loads(line) for line in open(args.raw) if line.strip()]
meta = next((r for r in recs if r.get("kind") == "meta"), {})
host = dict(kv.split("=", 1) for kv in args.host.split())
PATHS = [p for p in ("plain", "bareudp", "vxlan", "geneve", "lisp")
         if p in str(meta.get("paths", "plain,bareudp,vxlan,geneve,lisp")).split(",")]
WORKS = [("udp64", "UDP 64 B (pkt/s at H2)", 1),
         ("udp1400", "UDP 1400 B (pkt/s at H2)", 1),
         ("tcp1", "TCP 1 stream (Mbit/s)", 1e6),
         ("tcp4", "TCP 4 streams (Mbit/s)", 1e6)]
# Two runs of the same code at different host loads differed by up to
# 1.5 % on a ratio (bench/RESULTS.md): smaller moves are not news.
FLOOR = 0.02


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def by_rep(work, path, field="rate"):
    return {r["rep"]: num(r.get(field)) for r in recs
            if r.get("kind") == work and r.get("path") == path
            and not math.isnan(num(r.get(field)))}


def summary(xs):
    xs = [x for x in xs if not math.isnan(x)]
    if not xs:
        return None
    m = statistics.median(xs)
    return {"median": m, "min": min(xs), "max": max(xs), "n": len(xs),
            "spread": (max(xs) - min(xs)) / m if m else math.nan}


works = [w for w in WORKS if any(r.get("kind") == w[0] for r in recs)]
rates, cost, ratios = {}, {}, {}
for w, _, _ in works:
    rates[w] = {p: summary(by_rep(w, p).values()) for p in PATHS}
    if w.startswith("udp"):
        cost[w] = {p: summary(by_rep(w, p, "ns_per_pkt").values()) for p in PATHS}
    pairs = [("lisp", p) for p in PATHS if p != "lisp"] + \
        [(p, "plain") for p in PATHS if p not in ("plain", "lisp")]
    ratios[w] = {}
    for a, b in pairs:
        ra, rb = by_rep(w, a), by_rep(w, b)
        s = summary([ra[k] / rb[k] for k in ra if k in rb and rb[k]])
        if s:
            ratios[w]["%s/%s" % (a, b)] = s

p = print
shift = meta.get("icount", "none")
p()
p("bench/peers  kernel %s  %s vCPU  %s reps  %s packets, %s per TCP stream  "
  "icount shift %s" % (meta.get("kernel", "?"), meta.get("vcpus", "?"),
                       meta.get("reps", "?"), meta.get("packets", "?"),
                       meta.get("bytes", "?"), shift))
if shift == "none":
    p("WALL CLOCK: guest time is the host's time; these figures move with the host's load.")
else:
    p("Guest time = instructions x 2^%s ns: rates are per guest second (see bench/README.md)."
      % shift)
if host:
    p("Host: %s CPUs, busy %s %%, load average (1 min) mean/max %s, %s s wall"
      % (host.get("cpus", "?"), host.get("busy_pct", "?"), host.get("load1", "?"),
         host.get("wall_s", "?")))
p()


def rng(s, scale=1, nd=0):
    if not s:
        return "n/a"
    return "%.*f (%.*f-%.*f)" % (nd, s["median"] / scale, nd, s["min"] / scale,
                                 nd, s["max"] / scale)


p("%-26s" % "median (min-max)" + "".join("%24s" % x for x in PATHS))
for w, label, scale in works:
    p("%-26s" % label + "".join("%24s" % rng(rates[w][x], scale, 1 if scale > 1 else 0)
                                for x in PATHS))
    if w in cost:
        p("%-26s" % "  guest ns per packet" +
          "".join("%24s" % rng(cost[w][x]) for x in PATHS))
        pl = cost[w].get("plain")
        if pl:
            p("%-26s" % "  over plain routing" + "".join(
                "%24s" % ("%+.0f" % (cost[w][x]["median"] - pl["median"]) if cost[w][x] else "n/a")
                for x in PATHS))
p()
p("RATIOS (per repetition; median, min-max, spread)")
for w, label, _ in works:
    for k, s in ratios[w].items():
        p("  %-8s %-14s %.3f  (%.3f-%.3f)  %.1f %%"
          % (w, k, s["median"], s["min"], s["max"], 100 * s["spread"]))


res = {"meta": meta, "host": host, "rates": rates, "ns_per_pkt": cost,
       "ratios": ratios,
       "units": {"udp64": "packets/s received at H2 (guest time)",
                 "udp1400": "packets/s received at H2 (guest time)",
                 "tcp1": "bit/s (iperf3 receiver, guest time)",
                 "tcp4": "bit/s (iperf3 receiver, guest time)"}}
if args.out:
    with open(args.out, "w") as f:
        json.dump(clean(res), f, indent=1, sort_keys=True)
        f.write("\n")
    p()
    p("Ratios: %s" % args.out)

if args.baseline:
    try:
        base = json.load(open(args.baseline))
    except (OSError, ValueError) as e:
        p("No baseline to compare with (%s)" % e)
        raise SystemExit(0)
    bm = base.get("meta", {})
    p()
    p("AGAINST %s (%s, kernel %s, icount shift %s)"
      % (args.baseline, base.get("host", {}).get("date", "?"), bm.get("kernel", "?"),
         bm.get("icount", "?")))
    if str(bm.get("icount")) != str(shift) or bm.get("kernel") != meta.get("kernel"):
        p("  (different kernel or shift: the comparison is only indicative)")
    moved = 0
    for w in ratios:
        for k, s in ratios[w].items():
            b = base.get("ratios", {}).get(w, {}).get(k)
            if not b or not b.get("median"):
                continue
            change = s["median"] / b["median"] - 1
            limit = max(s["spread"], b.get("spread") or 0, FLOOR)
            flag = abs(change) > limit
            moved += flag
            p("  %-8s %-14s %.3f -> %.3f  %+6.1f %%  (spread %.1f %%)%s"
              % (w, k, b["median"], s["median"], 100 * change, 100 * limit,
                 "  MOVED" if flag else ""))
    p("%d ratio(s) moved by more than the spread" % moved if moved
      else "No ratio moved by more than the spread.")
