#!/usr/bin/env python3
"""Turns the raw results of the bench/run-*.sh scripts into medians, spreads and ratios (stdlib only).

  summarize.py ingest JMH.json                       -> markdown on stdout
  summarize.py import HYPERFINE.json STATS RSS_DIR CAPTURE
  summarize.py report HYPERFINE.json CAPTURE
  summarize.py machine                               -> the machine block for RESULTS.md
"""
import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import datetime, timezone


def med(xs):
    return statistics.median(xs)


def spread(xs):
    return min(xs), max(xs)


def props(path):
    out = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.strip().split("=", 1)
                out[k] = v
    return out


def fmt_int(x):
    return f"{x:,.0f}"


def load_note(section):
    """The load averages recorded by the run script at its start and end (the machine may be shared)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", f"{section}-load.txt")
    if not os.path.exists(path):
        return
    parts = []
    for line in open(path):
        w = line.split()
        if len(w) >= 4:
            parts.append(f"{w[0]} {w[1]}/{w[2]}/{w[3]}")
    print()
    print("Load average (1/5/15 min) at " + ", at ".join(parts) + " (2 cores; other work on the machine shows here).")


def verdict(ok):
    return "**met**" if ok else "**not met**"


def ingest(jmh_json):
    data = json.load(open(jmh_json))
    rows = {}
    for b in data:
        name = b["benchmark"].rsplit(".", 1)[1]
        n = int(b["params"]["slices"])
        ms = [x for fork in b["primaryMetric"]["rawData"] for x in fork]
        rate = [n / (m / 1000.0) for m in ms]
        rows[name] = (n, ms, rate)
    base = rows.get("baselineRawSqlite4Ints")
    print("| benchmark | slices per capture | runs | median ms/capture | median slices/s | spread (min–max slices/s) | vs baseline |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    order = ["baselineRawSqlite4Ints", "captureWriterNoArgs", "captureWriter", "captureWriterUniqueArgs"]
    for name in order + sorted(set(rows) - set(order)):
        if name not in rows:
            continue
        n, ms, rate = rows[name]
        lo, hi = spread(rate)
        ratio = med(rate) / med(base[2]) if base else float("nan")
        print(f"| `{name}` | {fmt_int(n)} | {len(ms)} | {med(ms):,.0f} | {fmt_int(med(rate))} | {fmt_int(lo)}–{fmt_int(hi)} | {ratio:.2f}× |")
    if "captureWriter" in rows:
        r = med(rows["captureWriter"][2])
        print()
        print(f"Headline (`captureWriter`): **{fmt_int(r)} slices/s**, target ≥ 1,000,000 slices/s: {verdict(r >= 1e6)}"
              + ("" if r >= 1e6 else f" ({r / 1e6:.0%} of target, {1e6 / r:.1f}× short)") + ".")
    load_note("ingest")


def hyperfine_rows(path):
    data = json.load(open(path))
    return {r["command"]: r for r in data["results"]}


def rss_list(path):
    """/usr/bin/time -f '%e %M' lines: wall seconds and max RSS in KiB."""
    if not os.path.exists(path):
        return []
    vals = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                vals.append(int(parts[1]))
    return vals


def import_(hf_json, stats_path, rss_dir, capture):
    rows = hyperfine_rows(hf_json)
    st = props(stats_path)
    json_bytes = int(st["bytes"])
    events = int(st["events"])
    slices = int(st["slices"])
    cap_bytes = os.path.getsize(capture) if os.path.exists(capture) else 0
    print(f"Trace: {json_bytes:,} bytes of JSON ({json_bytes / 2**30:.2f} GiB), {events:,} trace events"
          f" ({slices:,} complete slices, {int(st['kernels']):,} kernels, {int(st['steps']):,} steps).")
    print()
    print("| command | runs | median wall s | spread (min–max s) | MB/s (10^6 B) | events/s | median max RSS | vs import |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    imp = rows.get("import")
    for name, r in rows.items():
        t = r["times"]
        m = med(t)
        lo, hi = spread(t)
        rss = rss_list(os.path.join(rss_dir, f"rss-{name}.txt"))
        rss_s = f"{med(rss) / 1024:,.0f} MiB" if rss else "–"
        ratio = m / med(imp["times"]) if imp else float("nan")
        print(f"| `{name}` | {len(t)} | {m:.2f} | {lo:.2f}–{hi:.2f} | {json_bytes / 1e6 / m:,.0f} | {fmt_int(events / m)} | {rss_s} | {ratio:.2f}× |")
    if imp:
        m = med(imp["times"])
        mbs = json_bytes / 1e6 / m
        print()
        print(f"Import: **{mbs:,.1f} MB/s**, **{fmt_int(events / m)} events/s** (median of {len(imp['times'])});"
              f" target ≥ 100 MB/s: {verdict(mbs >= 100)}" + ("" if mbs >= 100 else f" ({mbs / 100:.0%} of target)") + ".")
        scan = rows.get("baseline-jsonscan")
        if scan:
            print(f"The parse-only floor (jackson-core over the same file, same -Xmx1g) runs at "
                  f"{json_bytes / 1e6 / med(scan['times']):,.0f} MB/s; the import takes {m / med(scan['times']):.1f}× as long.")
        rss = rss_list(os.path.join(rss_dir, "rss-import.txt"))
        if rss:
            print(f"Heap held at 1 GB (-Xmx1g): every run finished; max RSS median {med(rss) / 1024:,.0f} MiB"
                  f" (max {max(rss) / 1024:,.0f} MiB, includes metaspace, JIT and SQLite's page cache).")
    if cap_bytes:
        ratio = cap_bytes / json_bytes
        print()
        print(f"Capture size: {cap_bytes:,} bytes = **1/{json_bytes / cap_bytes:.1f} of the JSON** ({ratio:.3f});"
              f" target ≤ 1/4: {verdict(ratio <= 0.25)}.")
    load_note("import")


def report(hf_json, capture, stats_path=None, import_time=None):
    rows = hyperfine_rows(hf_json)
    if stats_path and import_time and os.path.exists(import_time):
        st = props(stats_path)
        secs, rss = open(import_time).read().split()[-2:]
        secs = float(secs)
        print(f"Built by one `import` (-Xmx1g, single run) of a {int(st['bytes']):,}-byte trace with {int(st['events']):,} events:"
              f" {secs:.1f} s, {int(st['bytes']) / 1e6 / secs:,.1f} MB/s, {fmt_int(int(st['events']) / secs)} events/s,"
              f" max RSS {int(rss) / 1024:,.0f} MiB; capture {os.path.getsize(capture) / int(st['bytes']):.3f} of the JSON.")
        print()
    slices = None
    try:
        slices = int(subprocess.check_output(["sqlite3", capture, "select count(*) from slice"], text=True).strip())
    except Exception:  # noqa: BLE001 - the count is informative only
        pass
    if slices is not None:
        print(f"Capture: {os.path.getsize(capture):,} bytes, {slices:,} slices.")
        print()
    print("| command | runs | median wall ms | spread (min–max ms) | mean ± σ ms | vs `report` |")
    print("|---|---:|---:|---:|---:|---:|")
    rep = rows.get("report")
    for name, r in rows.items():
        t = [x * 1000 for x in r["times"]]
        lo, hi = spread(t)
        ratio = med(t) / (med(rep["times"]) * 1000) if rep else float("nan")
        print(f"| `{name}` | {len(t)} | {med(t):,.0f} | {lo:,.0f}–{hi:,.0f} | {statistics.mean(t):,.0f} ± {statistics.pstdev(t):,.0f} | {ratio:.2f}× |")
    for name in ("report", "report-json"):
        if name in rows:
            m = med(rows[name]["times"])
            print()
            print(f"`{name}`: **{m * 1000:,.0f} ms** median wall (JVM start included); target ≤ 1 s: {verdict(m <= 1.0)}"
                  + ("" if m <= 1.0 else f" ({m:.1f}× the target)") + ".")
    load_note("report")


def machine():
    def cmd(args):
        try:
            return subprocess.check_output(args, text=True, stderr=subprocess.STDOUT).strip()
        except Exception:  # noqa: BLE001
            return "?"
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    osname = "?"
    if os.path.exists("/etc/os-release"):
        for line in open("/etc/os-release"):
            if line.startswith("PRETTY_NAME="):
                osname = line.split("=", 1)[1].strip().strip('"')
    java = cmd(["java", "-version"]).splitlines()
    print(f"- date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}")
    print(f"- CPU: {cpu}, nproc = {cmd(['nproc'])}")
    print(f"- RAM: {mem}")
    print(f"- OS: {osname}, kernel {platform.release()}")
    print(f"- JDK: {java[0] if java else '?'} ({java[1] if len(java) > 1 else ''})")
    print(f"- disk: {cmd(['sh', '-c', 'df -h --output=source,fstype,size . | tail -1'])}")
    print(f"- load average when the summary was written: {cmd(['cat', '/proc/loadavg'])}"
          " (1, 5, 15 min; the machine is shared with other builds)")
    version = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "frozen", "VERSION")
    if os.path.exists(version):
        lines = open(version).read().strip().splitlines()
        print(f"- code measured: {lines[0]}, {lines[1]}; " + "; ".join(f"`{l}`" for l in lines[2:]))


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "ingest":
        ingest(sys.argv[2])
    elif what == "import":
        import_(*sys.argv[2:6])
    elif what == "report":
        report(*sys.argv[2:6])
    elif what == "machine":
        machine()
    else:
        print(__doc__)
        sys.exit(2)
