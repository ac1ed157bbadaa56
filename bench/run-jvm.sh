#!/usr/bin/env bash
# Issue 4's JVM-agent figures, on samples/jvm-serving with its own load generator (bench/RESULTS.md, "JVM agent"):
#  1. closed loop (maximum throughput), windows with and without the agent at defaults alternating inside one service
#     JVM pinned to one core (target: ≤ 1 % fewer ok/s): run-jvm-ab.sh, and its A/A control (CONTROL=1);
#  2. the same under one long load (windows cut from the generator's per-second log): run-jvm-steady.sh, and its A/A;
#  3. open loop at RATE/s (about half the pinned service's capacity): p99 (target: ≤ 3 % higher), and its A/A;
#  4. the seconds right after an attach, JFR on and off, and the attach latency: run-jvm-attach.sh; the 50 s after
#     one, per 5 s window, with the JIT's share of the core: run-jvm-jit.sh;
#  5. the agent's own threads' CPU, as each capture states it: run-jvm-agent-cpu.sh;
#  6. the API's cost per call, with and without an agent's buffer: run-api.sh (JMH).
# The A/A controls are what the A/B figures are read against: on a shared VM they move by more than 1 %.
# Env: PAIRS (6), RUNS (3, for 4), RATE (3000), SKIP_BUILD=1; the scripts' own variables pass through.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PAIRS="${PAIRS:-6}" RUNS="${RUNS:-3}"
rate="${RATE:-3000}"; unset RATE # only the open-loop runs get a rate (run-jvm-ab.sh goes open loop when RATE is set)
NAME=defaults "$DIR/run-jvm-ab.sh" # builds (unless SKIP_BUILD=1) and freezes the app; the rest reuse that copy
NAME=control CONTROL=1 SKIP_BUILD=1 "$DIR/run-jvm-ab.sh"
NAME=defaults SKIP_BUILD=1 "$DIR/run-jvm-steady.sh"
NAME=control CONTROL=1 SKIP_BUILD=1 "$DIR/run-jvm-steady.sh"
NAME=defaults-open RATE="$rate" SKIP_BUILD=1 "$DIR/run-jvm-ab.sh"
NAME=control-open RATE="$rate" CONTROL=1 SKIP_BUILD=1 "$DIR/run-jvm-ab.sh"
SKIP_BUILD=1 "$DIR/run-jvm-attach.sh"
SKIP_BUILD=1 "$DIR/run-jvm-jit.sh"
SKIP_BUILD=1 "$DIR/run-jvm-agent-cpu.sh"
SKIP_BUILD=1 "$DIR/run-api.sh"
OUT="$DIR/out"
cat "$OUT/jvm-ab-defaults.md" "$OUT/jvm-ab-control.md" "$OUT/jvm-steady-defaults.md" "$OUT/jvm-steady-control.md" \
  "$OUT/jvm-ab-defaults-open.md" "$OUT/jvm-ab-control-open.md" "$OUT/jvm-attach.md" "$OUT/jvm-jit.md" "$OUT/jvm-agent-cpu.md" \
  "$OUT/api.md" > "$OUT/jvm.md"
echo "bench: wrote $OUT/jvm.md" >&2
