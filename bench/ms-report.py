#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""bench/ms raw samples -> table with ratios lispd/OOR (and a Markdown
report with --write FILE).  Medians over the repetitions."""

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

LOADAVG = {}
TARGET_RATE = 100000
TARGET_RATIO = 5.0

CAVEATS = """
How to read it

* msg/s: messages answered (Map-Notify for a Map-Register, Map-Reply for
  a Map-Request) per second of the run, one load generator on the other
  CPU with a window of outstanding messages; every answer is matched to
  its message by nonce.
* per daemon CPU-second: answers divided by the CPU time (user + system,
  /proc/PID/stat) the daemon used in the run: what one core sustains when
  the daemon has it to itself.  On a shared machine this is the figure to
  compare; the msg/s line also measures how much CPU the daemon was given
  ("daemon CPU share": 1.00 is a whole core).
* The rate targets (>= 100,000 msg/s on one core, >= 5x OOR) are about
  one core's capacity, so they are read on the per CPU-second line; the
  ratio is OOR measured in the same run, alternating with lispd.
* Memory: VmRSS after loading the EIDs minus VmRSS before, divided by
  the EIDs; it includes the allocator's overhead and whatever the daemon
  allocates per registration (tables, timers, log buffers).

Caveats

* The machine has 2 CPUs and was shared with other engineers' qemu VMs
  and builds during the run (see the load average above): the daemons
  got a fraction of their CPU, and the msg/s lines move with that; the
  per-repetition rates show by how much.
* With 2 CPUs, the load generator has one CPU and pays the kernel's UDP
  costs of both directions about as much as the daemon does, so the
  msg/s line cannot show more than one load generator's rate; when the
  daemon's CPU share stays well under 1.00 the generator was the limit.
* Both daemons take the same Map-Registers: HMAC-SHA-1 with key-id 1
  and the whole 20-byte MAC, as OOR (RFC 6833) wants; the SHA-256 line
  is lispd only.  Map-Registers set the P bit, so both Map-Servers
  answer Map-Requests themselves (proxy Map-Reply).
* "first of each EID" includes creating the registration; lispd logs a
  line for each new registration (stderr to a file here), OOR at debug 0
  does not.
"""


def load(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    runs, mem = {}, {}
    for r in rows:
        key = (r["daemon"], r["what"])
        if r["what"].startswith("loadavg-"):
            LOADAVG[r["what"][8:]] = r["loadavg"]
        elif r["what"] == "memory":
            mem.setdefault(r["daemon"], []).append(r)
        else:
            runs.setdefault(key, []).append(r)
    return runs, mem


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def summary(runs, mem):
    s = {}
    for (daemon, what), rs in runs.items():
        res = [r["result"] for r in rs]
        s[(daemon, what)] = {
            "rate": med([x["rate"] for x in res]),
            "cpu_rate": med([x["answered"] / r["cpu_s"] if r["cpu_s"] > 0
                             else None for x, r in zip(res, rs)]),
            "cpu_share": med([r["cpu_s"] / x["seconds"] if x["seconds"]
                              else None for x, r in zip(res, rs)]),
            "loss": med([x["loss"] for x in res]),
            "p50": med([x["p50_us"] for x in res]),
            "p99": med([x["p99_us"] for x in res]),
            "rates": [round(x["rate"]) for x in res],
            "cpu_rates": [round(x["answered"] / r["cpu_s"]) if r["cpu_s"] > 0
                          else None for x, r in zip(res, rs)],
            "n": len(res),
            "eids": res[0]["eids"],
        }
    for daemon, ms in mem.items():
        eids = s[(daemon, "load")]["eids"]
        s[(daemon, "memory")] = {
            "per_eid": med([(m["rss1_kb"] - m["rss0_kb"]) * 1024 / eids
                            for m in ms]),
            "rss1": med([m["rss1_kb"] for m in ms]),
        }
    return s


def fmt(x, f="%.0f"):
    return "-" if x is None else f % x


def ratio(a, b):
    return a / b if a is not None and b else None


def table(s):
    out = []
    w = out.append
    w("%-44s %10s %10s %10s  %s" % ("", "lispd", "OOR", "lispd/OOR",
                                    "target"))
    rows = [
        ("load", "Map-Register, first of each EID"),
        ("register", "Map-Register, refresh (HMAC-SHA-1)"),
        ("register-sha256", "Map-Register, refresh (HMAC-SHA-256)"),
        ("request", "Map-Request (ECM), proxy Map-Reply"),
    ]
    for what, label in rows:
        a = s.get(("lispd", what), {})
        b = s.get(("oor", what), {})
        tgt = ">= %dk/s, >= %gx" % (TARGET_RATE // 1000, TARGET_RATIO)
        w("%-44s %10s %10s %10s  %s" % (
            label + ", msg/s", fmt(a.get("rate")), fmt(b.get("rate")),
            fmt(ratio(a.get("rate"), b.get("rate")), "%.2f"),
            tgt if what in ("register", "request") else ""))
        w("%-44s %10s %10s %10s" % (
            "  per daemon CPU-second", fmt(a.get("cpu_rate")),
            fmt(b.get("cpu_rate")),
            fmt(ratio(a.get("cpu_rate"), b.get("cpu_rate")), "%.2f")))
        w("%-44s %10s %10s" % (
            "  daemon CPU share of the run", fmt(a.get("cpu_share"), "%.2f"),
            fmt(b.get("cpu_share"), "%.2f")))
        w("%-44s %10s %10s" % (
            "  latency p50 / p99 (us)",
            "%s/%s" % (fmt(a.get("p50")), fmt(a.get("p99"))) if a else "-",
            "%s/%s" % (fmt(b.get("p50")), fmt(b.get("p99"))) if b else "-"))
        w("%-44s %10s %10s" % (
            "  loss", fmt(a.get("loss"), "%.4f"), fmt(b.get("loss"), "%.4f")))
    a = s.get(("lispd", "memory"), {})
    b = s.get(("oor", "memory"), {})
    w("%-44s %10s %10s %10s" % (
        "Memory per registered EID (RSS), bytes", fmt(a.get("per_eid")),
        fmt(b.get("per_eid")),
        fmt(ratio(a.get("per_eid"), b.get("per_eid")), "%.2f")))
    w("%-44s %10s %10s" % ("  RSS after the load, kB", fmt(a.get("rss1")),
                            fmt(b.get("rss1"))))
    w("")
    w("Per repetition: msg/s; per daemon CPU-second:")
    for (daemon, what), v in sorted(s.items()):
        if "rates" in v:
            w("  %-6s %-16s %s; %s" % (daemon, what, v["rates"],
                                      v["cpu_rates"]))
    return "\n".join(out)


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True,
                              text=True).stdout.strip()
    except OSError:
        return ""


def machine():
    model = sh("lscpu | sed -n 's/^Model name: *//p'")
    return {
        "cpu": model or platform.processor(),
        "ncpu": os.cpu_count(),
        "kernel": platform.release(),
        "oor": sh("dpkg-query -W -f='${Version}' openoverlayrouter"),
        "commit": sh("git -C %s rev-parse --short HEAD" %
                     os.path.dirname(os.path.abspath(__file__))),
        "date": datetime.datetime.now(datetime.timezone.utc)
        .strftime("%Y-%m-%d %H:%M UTC"),
    }


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: ms-report.py RAW.jsonl [--write FILE]")
    runs, mem = load(sys.argv[1])
    s = summary(runs, mem)
    t = table(s)
    print(t)
    if "--write" in sys.argv:
        m = machine()
        reps = max(v["n"] for v in s.values() if "n" in v)
        eids = s[("lispd", "load")]["eids"]
        with open(sys.argv[sys.argv.index("--write") + 1], "w") as f:
            f.write("# Map-Server benchmark: lispd and Open Overlay Router\n\n")
            f.write("Recorded by `make bench-ms` (bench/ms, bench/README.md).\n\n")
            f.write("* Date: %s; lispd at commit %s; OOR %s (Debian "
                    "package openoverlayrouter).\n" %
                    (m["date"], m["commit"], m["oor"]))
            f.write("* Machine: %s, %s CPUs, kernel %s; load average "
                    "(1, 5, 15 min) at the start of the run: %s, at its "
                    "end: %s.\n" %
                    (m["cpu"], m["ncpu"], m["kernel"],
                     LOADAVG.get("start", "?"), LOADAVG.get("end", "?")))
            f.write("* Load: %d host EIDs (/32s in 10.0.0.0/8, one site "
                    "with accept-more-specifics), one locator each; "
                    "medians of %d repetitions.\n\n" % (eids, reps))
            f.write("```\n%s\n```\n" % t)
            f.write(CAVEATS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
