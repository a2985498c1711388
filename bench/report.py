#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# bench/report.py RAW.jsonl OUT.json - turn the raw samples bench/guest.sh
# recorded into the results table (stdout) and a JSON summary.  Reports
# targets, never enforces them: the exit status is 0 whenever it could
# read the samples.
import json
import math
import statistics
import sys

from reportlib import clean

raw, out = sys.argv[1], sys.argv[2]
recs = []
with open(raw) as f:
    for line in f:
        line = line.strip()
        if line:
            recs.append(json.loads(line))


def num(v):
    try:
        v = float(v)
    except (TypeError, ValueError):
        return math.nan
    return v


def samples(kind, case, field):
    return [num(r.get(field)) for r in recs
            if r.get("kind") == kind and r.get("case") == case]


def median(xs):
    xs = [x for x in xs if not math.isnan(x)]
    return statistics.median(xs) if xs else math.nan


def ratio(a, b):
    if math.isnan(a) or math.isnan(b) or b == 0:
        return math.nan
    return a / b


meta = next((r for r in recs if r.get("kind") == "meta"), {})
CASES = ["lisp1", "vxlanA", "lispN", "vxlanB"]
METRICS = [("tcp1", "bps", 1e6, "TCP 1 stream  (Mbit/s)"),
           ("tcp4", "bps", 1e6, "TCP 4 streams (Mbit/s)"),
           ("pps", "rx_pps", 1e3, "UDP 64 B at H2 (kpkt/s)")]

med = {}
allsamples = {}
for kind, field, _, _ in METRICS:
    for c in CASES:
        xs = samples(kind, c, field)
        allsamples.setdefault(kind, {})[c] = xs
        med.setdefault(kind, {})[c] = median(xs)
# What pktgen offered and what left X1's underlay, for the pps rows.
extra = {c: {"tx_pps": median(samples("pps", c, "tx_pps")),
             "fwd_pps": median(samples("pps", c, "fwd_pps"))} for c in CASES}

ratios = {}
for kind, _, _, _ in METRICS:
    m = med[kind]
    ratios[kind] = {
        "lisp_vs_vxlan": ratio(m["lisp1"], m["vxlanA"]),
        "big_vs_1": ratio(m["lispN"], m["lisp1"]),
        # The same, corrected for drift between the two phases by the
        # vxlan reference measured alongside each.
        "big_vs_1_normalised": ratio(ratio(m["lispN"], m["vxlanB"]),
                                     ratio(m["lisp1"], m["vxlanA"])),
        "vxlan_drift": ratio(m["vxlanB"], m["vxlanA"]),
    }

load = next((r for r in recs if r.get("kind") == "load"), {})
flush = next((r for r in recs if r.get("kind") == "flush"), {})
mem = {r["when"]: r for r in recs if r.get("kind") == "mem"}
n = num(load.get("entries"))
memory = {}
if "before" in mem and "after" in mem and n > 0:
    b, a = mem["before"], mem["after"]

    def d(k, x=a):
        return num(x.get(k)) - num(b.get(k))
    memory = {
        "unreclaimable_slab_plus_percpu_per_entry_B":
            (d("SUnreclaim") + d("Percpu")) / n,
        "slab_per_entry_B": d("Slab") / n,
        "percpu_per_entry_B": d("Percpu") / n,
        "vmalloc_per_entry_B": d("VmallocUsed") / n,
        "memfree_drop_per_entry_B": -d("MemFree") / n,
        "slab_caches_grown_B": {r["cache"]: num(r["delta"]) for r in recs
                                if r.get("kind") == "slab"},
    }
    if "flushed" in mem:
        grown = d("SUnreclaim") + d("Percpu")
        left = d("SUnreclaim", mem["flushed"]) + d("Percpu", mem["flushed"])
        memory["left_after_flush_B"] = left
        memory["returned_after_flush_pct"] = \
            100.0 * (grown - left) / grown if grown else math.nan
routes = next((r for r in recs if r.get("kind") == "routes"), {})
if "routes_before" in mem and "routes_after" in mem and num(routes.get("installed")) > 0:
    rb, ra = mem["routes_before"], mem["routes_after"]
    memory["route_unreclaimable_slab_plus_percpu_per_entry_B"] = \
        (num(ra.get("SUnreclaim")) - num(rb.get("SUnreclaim")) +
         num(ra.get("Percpu")) - num(rb.get("Percpu"))) / num(routes.get("installed"))
features = {r["dev"]: r["features"] for r in recs if r.get("kind") == "features"}


def fmt(x, nd=1):
    return "   n/a" if math.isnan(x) else "%.*f" % (nd, x)


def rfmt(x):
    return "  n/a" if math.isnan(x) else "%.3f" % x


N = int(n) if n > 0 else 0
nlabel = "%dk" % (N // 1000) if N % 1000 == 0 and N < 1000000 else \
    ("%gM" % (N / 1e6) if N else "N")
p = print
p()
p("LISP data-plane benchmark  kernel %s  %s vCPUs  %s MB  %s rep(s) x %s s  (medians)"
  % (meta.get("kernel", "?"), meta.get("vcpus", "?"), meta.get("mem_mb", "?"),
     meta.get("reps", "?"), meta.get("secs", "?")))
p("Absolute numbers under TCG mean little; read the ratios.")
p()
hdr = "%-24s %10s %10s %10s %10s" % ("", "lisp(1)", "vxlan", "lisp(%s)" % nlabel, "vxlan(B)")
p(hdr)
p("-" * len(hdr))
for kind, _, scale, label in METRICS:
    m = med[kind]
    p("%-24s %10s %10s %10s %10s" % (label, *(fmt(m[c] / scale) for c in CASES)))
p("%-24s %10s %10s %10s %10s" % ("  pktgen offered (kpkt/s)",
  *(fmt(extra[c]["tx_pps"] / 1e3) for c in CASES)))
p("%-24s %10s %10s %10s %10s" % ("  out X1 underlay (kpkt/s)",
  *(fmt(extra[c]["fwd_pps"] / 1e3) for c in CASES)))
p()
p("RATIOS                               TCP x1   TCP x4   64B pps   target")
p("  lisp / vxlan                       %s   %s   %s    >= 1.0"
  % tuple(rfmt(ratios[k]["lisp_vs_vxlan"]) for k in ("tcp1", "tcp4", "pps")))
p("  lisp %-5s / lisp 1 entry          %s   %s   %s    >= 0.9"
  % (nlabel, *(rfmt(ratios[k]["big_vs_1"]) for k in ("tcp1", "tcp4", "pps"))))
p("  the same, vxlan-normalised         %s   %s   %s"
  % tuple(rfmt(ratios[k]["big_vs_1_normalised"]) for k in ("tcp1", "tcp4", "pps")))
p("  (vxlan phase B / phase A: drift)   %s   %s   %s"
  % tuple(rfmt(ratios[k]["vxlan_drift"]) for k in ("tcp1", "tcp4", "pps")))
p()
if load:
    secs = num(load.get("secs"))
    p("Map-cache load: %d entries with lispctl -b in %s s (%s entries/s), exit %s, dump shows %s"
      % (N, fmt(secs, 1), fmt(N / secs if secs else math.nan, 0),
         load.get("rc"), load.get("dumped")))
if memory:
    p("Memory per entry: %s B unreclaimable slab + percpu  (slab %s B, percpu %s B, "
      "vmalloc %s B; MemFree drop %s B)"
      % (fmt(memory["unreclaimable_slab_plus_percpu_per_entry_B"], 0),
         fmt(memory["slab_per_entry_B"], 0), fmt(memory["percpu_per_entry_B"], 0),
         fmt(memory["vmalloc_per_entry_B"], 0), fmt(memory["memfree_drop_per_entry_B"], 0)))
    grown = sorted(memory["slab_caches_grown_B"].items(), key=lambda kv: -kv[1])
    if grown:
        p("  slab caches that grew (B/entry): " +
          ", ".join("%s %s" % (k, fmt(v / n, 0)) for k, v in grown[:6]))
if routes:
    # Rates over what each installed: ip -batch stops at its first error.
    rsecs, secs = num(routes.get("secs")), num(load.get("secs"))
    rn = num(routes.get("installed"))
    rrate = rn / rsecs if rsecs else math.nan
    lrate = N / secs if secs else math.nan
    p("Routes: the same %d /32s with ip -batch in %s s (%s routes/s), exit %s, table holds %s"
      % (N, fmt(rsecs, 1), fmt(rrate, 0), routes.get("rc"), routes.get("installed")))
    p("  install rate, lispctl -b / ip -batch: %s   (target >= 1.0; wall clock)"
      % rfmt(lrate / rrate if rrate else math.nan))
    if "route_unreclaimable_slab_plus_percpu_per_entry_B" in memory:
        p("  memory per route: %s B unreclaimable slab + percpu"
          % fmt(memory["route_unreclaimable_slab_plus_percpu_per_entry_B"], 0))
if flush:
    p("Flush of the big map-cache: %s s, exit %s; %s%% of that memory returned"
      % (fmt(num(flush.get("secs")), 1), flush.get("rc"),
         fmt(memory.get("returned_after_flush_pct", math.nan), 0)))
for dev, f in sorted(features.items()):
    p("Offloads %-5s (X1, defaults): %s" % (dev, f.replace(";", " ").strip()))
for r in recs:
    if r.get("kind") == "diag":
        p("Counters after phase %s, %s: %s" % (r.get("phase"), r.get("what"),
          str(r.get("counters")).replace(";", " ").strip()))
p("Wall time in the guest: %s s" % fmt(num(meta.get("wall_s")), 0))


res = {"meta": meta, "cases": {
    "lisp1": "lisp, 1 map-cache entry per xTR (phase A)",
    "vxlanA": "vxlan reference (phase A)",
    "lispN": "lisp, %d extra /32 entries in X1 (phase B)" % N,
    "vxlanB": "vxlan reference (phase B)"},
    "units": {"tcp1": "bit/s", "tcp4": "bit/s", "pps": "packets/s received at H2"},
    "median": med, "samples": allsamples, "pktgen": extra, "ratios": ratios,
    "targets": {"lisp_vs_vxlan": 1.0, "big_vs_1": 0.9},
    "load": load, "flush": flush, "routes": routes,
    "diag": [r for r in recs if r.get("kind") == "diag"], "memory": memory, "features": features}
with open(out, "w") as f:
    json.dump(clean(res), f, indent=1, sort_keys=True)
    f.write("\n")
p("Results: %s" % out)
