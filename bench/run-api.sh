#!/usr/bin/env bash
# Issue 4: the cost of the Throughline API per call, without an agent and with an agent's IntervalBuffer installed
# and drained (JMH ApiCostBenchmark),
# with an empty baseline method in the same run. Builds only the modules it needs (offline); SKIP_BUILD=1 skips.
# Env: JMH_ARGS (extra JMH options, e.g. "-i 20").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out"
mkdir -p "$OUT/frozen-api"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "bench: building (mvn -o -q -B -pl profiler-agents/api,bench -am package -DskipTests)..." >&2
  (cd "$ROOT" && mvn -o -q -B -pl profiler-agents/api,bench -am package -DskipTests)
fi
# a frozen copy, so a rebuild by someone else mid-run cannot change what is being timed
cp "$ROOT/bench/target/throughline-bench.jar" "$OUT/frozen-api/"
echo "start $(cat /proc/loadavg)" > "$OUT/api-load.txt"
java -jar "$OUT/frozen-api/throughline-bench.jar" ApiCostBenchmark -rf json -rff "$OUT/api-jmh.json" ${JMH_ARGS:-} \
  | tee "$OUT/api-jmh.txt"
echo "end $(cat /proc/loadavg)" >> "$OUT/api-load.txt"
python3 - "$OUT/api-jmh.json" <<'PY' | tee "$OUT/api.md"
import json, statistics, sys
rows = json.load(open(sys.argv[1]))
print("| benchmark | median ns/op | min–max of the iterations | minus baseline |")
print("|---|---|---|---|")
med = {}
for r in rows:
    name = r["benchmark"].rsplit(".", 1)[1]
    raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
    med[name] = (statistics.median(raw), min(raw), max(raw))
base = med.get("baseline", (0, 0, 0))[0]
for name, (m, lo, hi) in med.items():
    print(f"| `{name}` | {m:.2f} | {lo:.2f}–{hi:.2f} | {m - base:+.2f} |")
PY
