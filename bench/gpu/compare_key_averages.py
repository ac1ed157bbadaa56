#!/usr/bin/env python3
"""Compares a capture's per-name totals with torch's own key_averages() from the same run.

    compare_key_averages.py KEY_AVERAGES.json CAPTURE_TOTALS.csv [--tolerance 0.02]

KEY_AVERAGES.json: written by the Python agent when THROUGHLINE_TORCH_KEY_AVERAGES=FILE is set (torch's
parse of the very chunks the agent streamed). CAPTURE_TOTALS.csv: `throughline query CAPTURE --csv` of
`category,name,count,total_ns` per name (see run-on-gpu.sh). Kernels (category 9) are compared with torch's
self device time, CPU ops (category 4) with its CPU time total; the 10 largest of each, and their sum.
Prints a Markdown table; exits 1 when a compared total differs by more than the tolerance.
"""
import csv
import json
import sys


def main(argv):
    tolerance = 0.02
    if "--tolerance" in argv:
        i = argv.index("--tolerance")
        tolerance = float(argv[i + 1])
        del argv[i:i + 2]
    table = json.load(open(argv[0]))["rows"]
    capture = {}
    with open(argv[1]) as f:
        for row in csv.DictReader(f):
            capture[(int(row["category"]), row["name"])] = (int(row["count"]), int(row["total_ns"]))
    failed = False
    print("| kind | name | capture count | torch count | capture total (µs) | torch total (µs) | difference |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for category, kind, field in ((9, "kernel", "self_device_time_total_us"), (4, "cpu op", "cpu_time_total_us")):
        names = sorted((n for (c, n) in capture if c == category), key=lambda n: -capture[(category, n)][1])[:10]
        sum_capture = sum_torch = 0.0
        for name in names:
            count, total_ns = capture[(category, name)]
            row = table.get(name)
            if row is None:
                print("| %s | %s | %d | — | %.1f | — | not in torch's table |" % (kind, name[:60], count, total_ns / 1e3))
                failed = True
                continue
            ours, theirs = total_ns / 1e3, row[field]
            diff = (ours - theirs) / theirs if theirs else float("inf")
            sum_capture += ours
            sum_torch += theirs
            print("| %s | %s | %d | %d | %.1f | %.1f | %+.2f %% |" % (kind, name[:60], count, row["count"], ours, theirs, 100 * diff))
            failed |= abs(diff) > tolerance
        if names:
            diff = (sum_capture - sum_torch) / sum_torch if sum_torch else float("inf")
            print("| %s | **top %d together** | | | %.1f | %.1f | **%+.2f %%** |" % (kind, len(names), sum_capture, sum_torch, 100 * diff))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
