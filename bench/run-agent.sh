#!/usr/bin/env bash
# Issue 3's agent figures, on samples/pytorch-train with Debian's torch (CPU):
#  (a) agent overhead: the sample's median step time without and with the Python agent at defaults
#      (100 Hz sampling, --torch-profiler off), RUNS (5) alternating runs each, same session; and the cost
#      of --torch-profiler on (same alternation);
#  (b) the input-bound what-if against reality: record with --workers 0, read the predicted step time,
#      rerun with 4 workers, compare (target: within 15 %);
#  (c) events/s the collector writes from one agent that sends 1M slices flat out (CollectorThroughput).
# Env: RUNS (5), STEPS (60), SKIP_BUILD=1.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need python3 python3
build
set_cli ""
PY=/usr/bin/python3
TRAIN="$ROOT/samples/pytorch-train/train.py"
STEPS="${STEPS:-60}"
ARGS=(--workers 0 --transform-ms 2 --steps "$STEPS")
A="$OUT/agent"; rm -rf "$A"; mkdir -p "$A"
echo "start $(cat /proc/loadavg)" > "$A/load.txt"
for i in $(seq 1 "${RUNS:-5}"); do
  "$PY" "$TRAIN" "${ARGS[@]}" --metrics-out "$A/plain-$i.json" > /dev/null
  $TL record -o "$A/rec-$i.tlcap" --force -- "$PY" "$TRAIN" "${ARGS[@]}" --metrics-out "$A/agent-$i.json" > /dev/null 2>&1
  $TL record -o "$A/tp-$i.tlcap" --force --torch-profiler -- "$PY" "$TRAIN" "${ARGS[@]}" --metrics-out "$A/tp-$i.json" > /dev/null 2>&1
done
# (b) what-if: the prediction from a --workers 0 recording, then the real thing with 4 workers
W=(--transform-ms 10 --batch 16 --steps 30)
$TL record -o "$A/whatif-w0.tlcap" --force -- "$PY" "$TRAIN" --workers 0 "${W[@]}" --metrics-out "$A/whatif-w0.json" > /dev/null 2>&1
$TL report "$A/whatif-w0.tlcap" --json > "$A/whatif-w0.report.json"
$TL record -o "$A/whatif-w4.tlcap" --force -- "$PY" "$TRAIN" --workers 4 "${W[@]}" --metrics-out "$A/whatif-w4.json" > /dev/null 2>&1
# (c) events/s the collector sustains from one agent sending flat out (overflow dropped and counted)
java -cp "$BENCH_JAR" dev.throughline.bench.CollectorThroughput 1000000 "${RUNS:-5}" > "$A/collector.txt"
echo "end $(cat /proc/loadavg)" >> "$A/load.txt"
python3 - "$A" "${RUNS:-5}" <<'PYEOF' | tee "$OUT/agent.md"
import json, statistics, sys
a, runs = sys.argv[1], int(sys.argv[2])
plain = [json.load(open(f"{a}/plain-{i}.json"))["median_step_ms"] for i in range(1, runs + 1)]
agent = [json.load(open(f"{a}/agent-{i}.json"))["median_step_ms"] for i in range(1, runs + 1)]
tp = [json.load(open(f"{a}/tp-{i}.json"))["median_step_ms"] for i in range(1, runs + 1)]
mp, ma, mt = statistics.median(plain), statistics.median(agent), statistics.median(tp)
print("## Agent overhead (samples/pytorch-train --workers 0 --transform-ms 2, median step per run)\n")
print("| | runs | median of run medians (ms) | spread (ms) |")
print("|---|---:|---:|---:|")
print(f"| without agent | {runs} | {mp:.2f} | {min(plain):.2f}–{max(plain):.2f} |")
print(f"| with agent (100 Hz sampling) | {runs} | {ma:.2f} | {min(agent):.2f}–{max(agent):.2f} |")
print(f"| with agent and --torch-profiler | {runs} | {mt:.2f} | {min(tp):.2f}–{max(tp):.2f} |")
print(f"\nOverhead: **{100 * (ma - mp) / mp:+.1f} %** (target ≤ 2 %); with --torch-profiler on: **{100 * (mt - mp) / mp:+.1f} %**"
      " (torch's own per-op recording; no target).\n")
rep = json.load(open(f"{a}/whatif-w0.report.json"))
f = [x for x in rep["findings"] if x["rule"] == "input_bound"]
w0 = json.load(open(f"{a}/whatif-w0.json"))
w4 = json.load(open(f"{a}/whatif-w4.json"))
print("## Input-bound what-if vs reality (--transform-ms 10 --batch 16 --steps 30)\n")
if not f:
    print("no input_bound finding on the --workers 0 recording")
else:
    pred = f[0]["what_if"]["predicted_ns"] / 1e6
    cur = f[0]["what_if"]["current_ns"] / 1e6
    meas = w4["mean_step_ms"]
    print(f"- workers 0: step {w0['mean_step_ms']:.1f} ms measured by the loop, {cur:.1f} ms in the capture; finding {f[0]['severity']}: {f[0]['message']}")
    print(f"- predicted with 4 workers: **{pred:.1f} ms**; measured with 4 workers: **{meas:.1f} ms**"
          f" (mean step of the loop); error **{100 * (pred - meas) / meas:+.1f} %** (target within ±15 %)")
rows = [l.split() for l in open(f"{a}/collector.txt") if l.strip()]
rates = sorted(float(r[4]) for r in rows)
print("\n## Collector throughput (one agent, 1M slice frames sent flat out)\n")
print(f"written/s: median **{statistics.median(rates):,.0f}** (min {rates[0]:,.0f}, max {rates[-1]:,.0f}) over {len(rates)} runs;"
      f" the rest of each million was dropped at the bounded queue and counted")
PYEOF
