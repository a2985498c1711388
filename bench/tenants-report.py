#!/usr/bin/python3 -S
# SPDX-License-Identifier: GPL-2.0
"""bench/tenants-report.py RAW [--write FILE]: the table of bench/tenants.

Reads the raw records of bench/tenants-guest.sh (one JSON object a line)
and prints, per figure, the median over the repetitions and the range
(min..max); with --write, the same table as Markdown into FILE.
"""
import json
import statistics
import sys


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def num(v):
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return None if v != v else v


def spread(vals, fmt):
    vals = [v for v in map(num, vals) if v is not None]
    if not vals:
        return "n/a", "n/a"
    med = fmt.format(statistics.median(vals))
    rng = " / ".join(fmt.format(v) for v in vals)
    return med, rng


def peak(polls):
    """The highest Map-Register rate M's counter shows between two polls."""
    best, t0, c0 = 0.0, 0.0, 0
    for q in polls:
        if q["t"] > t0:
            best = max(best, (q["ms_mreg_rx"] - c0) / (q["t"] - t0))
        t0, c0 = q["t"], q["ms_mreg_rx"]
    return best


def rows(recs):
    setup = next(r for r in recs if r["kind"] == "setup")
    n, p = setup["tenants"], setup["prefixes"]
    by = lambda k: [r for r in recs if r["kind"] == k]
    reg, mv, mem, topo = by("register"), by("move"), by("memory"), by("topology")
    out = []

    def add(name, vals, fmt="{:.1f}", unit=""):
        med, rng = spread(vals, fmt)
        out.append((name, med + unit, rng))

    for t in topo:
        add("%s: %d devices created (ip -batch), s (wall)" % (t["xtr"], t["devices"]),
            [t["secs"]])
    add("M: start until its control socket answers (%d sites), s (wall)" % n,
        [r["secs"] for r in by("ms_start")])
    for x in ("x1", "x2"):
        add("%s: start until all %d tenants' registrations acked, s (wall)"
            % (x.upper(), n), [r[x + "_secs"] for r in reg])
    for x in ("x1", "x2"):
        add("%s: prefixes M holds from it (of %d)" % (x.upper(), n * p),
            [r["ms_rows_" + x] for r in reg], "{:.0f}")
    add("M: Map-Registers received until then", [r["ms_mreg_rx"] for r in reg], "{:.0f}")
    add("M: first to last new registration, s (wall)",
        [num(r["ms_last"]) - num(r["ms_first"]) for r in reg
         if num(r["ms_last"]) is not None and num(r["ms_first"]) is not None], "{:.2f}")
    add("M: Map-Registers/s over that span (wall)",
        [2 * n / max(num(r["ms_last"]) - num(r["ms_first"]), 1e-3) for r in reg
         if num(r["ms_last"]) is not None and num(r["ms_first"]) is not None], "{:.0f}")
    add("M: Map-Registers/s, busiest poll interval (wall)",
        [peak([q for q in recs if q["kind"] == "poll" and q["rep"] == r["rep"]])
         for r in reg], "{:.0f}")
    add("M: Map-Register authentication failures", [r["ms_mreg_auth"] for r in reg], "{:.0f}")
    add("M: UDP receive-buffer drops", [r["ms_udp_rcvbuf_drops"] for r in reg], "{:.0f}")
    add("X1 + X2: Map-Registers sent", [r["x1_mreg_tx"] + r["x2_mreg_tx"] for r in reg], "{:.0f}")
    base = next((r["rss_kb"] for r in recs if r["kind"] == "baseline"), 0)
    add("lispd VmRSS with one tenant (baseline), MB", [base / 1024])
    for d, name in (("x1", "X1"), ("x2", "X2"), ("m", "M")):
        ms = [r for r in mem if r["daemon"] == d]
        add("%s lispd VmRSS, MB" % name, [r["rss_kb"] / 1024 for r in ms])
        add("%s lispd VmHWM, MB" % name, [r["hwm_kb"] / 1024 for r in ms])
        add("%s lispd CPU time until all registered, s" % name,
            [r.get("cpu_secs") for r in ms], "{:.1f}")
        add("%s lispd VmRSS per tenant, kB: (RSS - %d kB) / %d" % (name, base, n - 1),
            [(r["rss_kb"] - base) / max(n - 1, 1) for r in ms])
    add("M lispd VmHWM before its site table is dumped, MB",
        [r["ms_hwm_before_dump_kb"] / 1024 for r in reg if "ms_hwm_before_dump_kb" in r])
    cpu_m = {r["rep"]: num(r.get("cpu_secs")) for r in mem if r["daemon"] == "m"}
    add("M: CPU time per Map-Register received, ms",
        [1000 * cpu_m[r["rep"]] / r["ms_mreg_rx"] for r in reg
         if cpu_m.get(r["rep"]) and r["ms_mreg_rx"]], "{:.1f}")
    add("M: Map-Registers received during the move (both reloads)",
        [r["ms_mreg_rx_total"] - next(g["ms_mreg_rx"] for g in reg if g["rep"] == r["rep"])
         for r in mv if "ms_mreg_rx_total" in r], "{:.0f}")
    add("move: until M maps tenant %s's prefix to X1, s (wall)" % setup["move_tenant"],
        [r["ms_secs"] for r in mv], "{:.2f}")
    add("move: until X2's map-cache points to X1, s (wall)", [r["cache_secs"] for r in mv], "{:.2f}")
    add("move: until X2's lispd logs the new entry installed, s (wall)",
        [r.get("x2_installed_secs") for r in mv], "{:.2f}")
    add("move: X1's reload (SIGHUP to roles running), s (wall)",
        [r.get("x1_reload_secs") for r in mv], "{:.2f}")
    add("move: X2's reload, s (wall)", [r.get("x2_reload_secs") for r in mv], "{:.2f}")
    add("move: pings lost in tenant %s (10/s)" % setup["move_tenant"],
        [r["move_lost"] for r in mv], "{:.0f}")
    add("move: pings sent in tenant %s" % setup["move_tenant"], [r["move_sent"] for r in mv], "{:.0f}")
    add("move: pings lost in %d other tenants" % (mv[0]["others_tenants"] if mv else 0),
        [r["others_lost"] for r in mv], "{:.0f}")
    add("move: pings sent in those tenants", [r["others_sent"] for r in mv], "{:.0f}")
    return setup, out


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    write = None
    if "--write" in args:
        i = args.index("--write")
        write = args[i + 1]
        del args[i:i + 2]
    setup, out = rows(load(args[0]))
    head = ("%d tenants x %d prefixes per xTR, kernel %s, %d vCPUs, %d MB; %d repetitions"
            % (setup["tenants"], setup["prefixes"], setup["kernel"], setup["cpus"],
               setup["mem_kb"] // 1024, setup["reps"]))
    w = max(len(r[0]) for r in out)
    print(head)
    print("%-*s  %10s  %s" % (w, "", "median", "each run"))
    for name, med, rng in out:
        print("%-*s  %10s  %s" % (w, name, med, rng))
    if write:
        with open(write, "w") as f:
            f.write("# bench/tenants results\n\n%s (`bench/tenants`, see bench/README.md).\n"
                    "Figures marked *wall* are wall-clock times in an emulated (TCG) guest\n"
                    "on a shared host.\n\n" % head)
            f.write("| figure | median | each run |\n|---|---:|---|\n")
            for name, med, rng in out:
                f.write("| %s | %s | %s |\n" % (name, med, rng))


if __name__ == "__main__":
    main()
