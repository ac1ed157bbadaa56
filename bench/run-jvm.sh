#!/usr/bin/env bash
# Issue 4's JVM-agent figures, on samples/jvm-serving with its own load generator (bench/RESULTS.md, "JVM agent"):
#  1. steady state, closed loop (maximum throughput): run-jvm-ab.sh at the agent's defaults, windows with and
#     without the agent alternating inside one service JVM pinned to one core (target: ≤ 1 % fewer ok/s);
#  2. steady state, open loop at RATE/s (about half the pinned service's capacity): p99 (target: ≤ 3 % higher);
#  3. the same as 1 with `--event cpu` (perf_events), the engine the defaults moved away from;
#  4. the seconds right after an attach, JFR on and off, and the attach latency: run-jvm-attach.sh;
#  5. the API's cost per call, with and without an agent's buffer: run-api.sh (JMH).
# Env: PAIRS (6), RUNS (3, for 4), RATE (3000), SKIP_BUILD=1; the scripts' own variables pass through.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PAIRS="${PAIRS:-6}" RUNS="${RUNS:-3}"
NAME=defaults "$DIR/run-jvm-ab.sh" # builds (unless SKIP_BUILD=1) and freezes the app; the rest reuse that copy
NAME=defaults-open RATE="${RATE:-3000}" SKIP_BUILD=1 "$DIR/run-jvm-ab.sh"
NAME=event-cpu OPTS=--event=cpu SKIP_BUILD=1 "$DIR/run-jvm-ab.sh"
SKIP_BUILD=1 "$DIR/run-jvm-attach.sh"
SKIP_BUILD=1 "$DIR/run-api.sh"
OUT="$DIR/out"
cat "$OUT/jvm-ab-defaults.md" "$OUT/jvm-ab-defaults-open.md" "$OUT/jvm-ab-event-cpu.md" "$OUT/jvm-attach.md" \
  "$OUT/api.md" > "$OUT/jvm.md"
echo "bench: wrote $OUT/jvm.md" >&2
