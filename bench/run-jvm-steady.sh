#!/usr/bin/env bash
# The agent's steady-state cost under ONE long load. samples/jvm-serving pinned to one core (TASKSET_SERVICE,
# default cpu 1) is saturated by a single closed-loop load generator (CLIENTS clients, TASKSET_OTHERS, default cpu 0,
# where the collector runs too) that lives for the whole run and logs, once a second, its answers and the service's
# CPU ticks read at the same instant (--progress, --cpu-of). Windows are cut from that log, so no window starts with
# a cold generator (run-jvm-ab.sh starts one per window: its own warm-up changes the load, and with it the batches
# and the service's CPU per request). After WARMUP s of load and one discarded recording, PAIRS pairs: SETTLE s then
# SECS s counted without the agent; attach, SETTLE s, SECS s counted with it (the recording ends right after). The
# settle is there in both states: attaching and detaching both make HotSpot recompile the API's call sites.
# CONTROL=1: no attach in either window (A/A), the method's own noise. Figures per window: answers/s and the
# service's CPU per answer (µs); per pair, the change. Writes bench/out/jvm-steady-NAME.md.
# Env: OPTS (attach options, comma-separated, e.g. --jfr=off,--event=off), PAIRS (6), SECS (15), SETTLE (8),
# WARMUP (30), CLIENTS (16), NAME (steady), CONTROL=1, SKIP_BUILD=1, TASKSET_SERVICE, TASKSET_OTHERS, TASKSET_COLLECTOR (default: TASKSET_OTHERS).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build
set_cli ""
PAIRS="${PAIRS:-6}"; SECS="${SECS:-15}"; SETTLE="${SETTLE:-8}"; WARMUP="${WARMUP:-30}"; CLIENTS="${CLIENTS:-16}"
NAME="${NAME:-steady}"; OPTS="${OPTS:-}"; CONTROL="${CONTROL:-0}"
SVC_CPUS="${TASKSET_SERVICE:-1}"; OTHER_CPUS="${TASKSET_OTHERS:-0}"; COLLECTOR_CPUS="${TASKSET_COLLECTOR:-$OTHER_CPUS}"
J="$OUT/jvm-steady/$NAME"; rm -rf "$J"; mkdir -p "$J"
extra="${OPTS//=/ }"; extra="${extra//,/ }"

serving_start "$J" "$SVC_CPUS"
pid=$SERVICE_PID
taskset -c "$OTHER_CPUS" java -cp "$SERVING_JAR" dev.throughline.samples.serving.LoadGenerator --port "$SERVICE_PORT" \
  --closed "$CLIENTS" --duration-s 86400 --histogram "$J/load.hgrm" --progress "$J/progress.txt" --cpu-of "$pid" \
  > "$J/load.out" 2> "$J/load.err" &
load=$!
trap 'kill $load $pid 2>/dev/null || true' EXIT

steal() { awk '/^cpu / {print $9}' /proc/stat; }
mark() { echo "$1 $(date +%s%3N) $(steal)" >> "$J/marks.txt"; }
attach() { serving_attach "$J" "$pid" "$COLLECTOR_CPUS" "$1" "$2" $extra; } # DURATION_S TAG

echo "start $(cat /proc/loadavg)" > "$J/load.txt"
sleep "$WARMUP"
attach 20 warmup-recording; a=$!; wait "$a" || true
for i in $(seq 1 "$PAIRS"); do
  sleep "$SETTLE"; mark "plain-$i-start"; sleep "$SECS"; mark "plain-$i-end"
  if [ "$CONTROL" = 1 ]; then
    sleep "$SETTLE"; mark "agent-$i-start"; sleep "$SECS"; mark "agent-$i-end"
  else
    attach $((SETTLE + SECS + 1)) "agent-$i"; a=$!
    sleep "$SETTLE"; mark "agent-$i-start"; sleep "$SECS"; mark "agent-$i-end"
    wait "$a" || true
  fi
done
echo "end $(cat /proc/loadavg)" >> "$J/load.txt"
kill "$load" 2>/dev/null || true; wait "$load" 2>/dev/null || true

python3 - "$J" "$PAIRS" "$NAME" "$OPTS" "$CONTROL" <<'PYEOF' | tee "$OUT/jvm-steady-$NAME.md"
import os, statistics, sys
j, pairs, name, opts, control = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5] == "1"
hz = os.sysconf("SC_CLK_TCK")
log = [tuple(map(int, l.split())) for l in open(f"{j}/progress.txt") if l.strip()]  # ms ok errors ticks
marks = {n: (int(t), int(s)) for n, t, s in (l.split() for l in open(f"{j}/marks.txt"))}
def fig(w):
    t0, s0 = marks[f"{w}-start"]; t1, s1 = marks[f"{w}-end"]
    inside = [r for r in log if t0 <= r[0] <= t1]
    a, b = inside[0], inside[-1]
    n = b[1] - a[1]
    return n / ((b[0] - a[0]) / 1e3), 1e6 * (b[3] - a[3]) / hz / n, (s1 - s0) / hz, b[2] - a[2]
p = [fig(f"plain-{i}") for i in range(1, pairs + 1)]
a = [fig(f"agent-{i}") for i in range(1, pairs + 1)]
okr = [100 * (y[0] - x[0]) / x[0] for x, y in zip(p, a)]
cpur = [100 * (y[1] - x[1]) / x[1] for x, y in zip(p, a)]
med = statistics.median
what = "A/A control: no attach in either window" if control else f"attach {opts or '(defaults)'}"
print(f"### `{name}`: {what} — {pairs} pairs under one closed-loop load; load {open(j + '/load.txt').read().split()[1]}")
print()
print("| pair | answers/s without | with | change | CPU µs/answer without | with | change | steal s (without, with) |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
for i, (x, y) in enumerate(zip(p, a), 1):
    print(f"| {i} | {x[0]:,.0f} | {y[0]:,.0f} | {okr[i-1]:+.1f} % | {x[1]:.1f} | {y[1]:.1f} | {cpur[i-1]:+.1f} % | {x[2]:.2f}, {y[2]:.2f} |")
print(f"| **median** | {med([x[0] for x in p]):,.0f} | {med([y[0] for y in a]):,.0f} | **{med(okr):+.1f} %** | "
      f"{med([x[1] for x in p]):.1f} | {med([y[1] for y in a]):.1f} | **{med(cpur):+.1f} %** | |")
errors = sum(x[3] + y[3] for x, y in zip(p, a))
print(f"\nPer-pair change in answers/s: {min(okr):+.1f} to {max(okr):+.1f} %; errors in the windows: {errors}.")
if not control:
    col = []
    for i in range(1, pairs + 1):
        t = open(f"{j}/agent-{i}-collector.time").read().split()
        k = t.index("cpu_s")
        col.append(float(t[k + 1]) + float(t[k + 2]))
    print(f"The collector (the `attach` CLI's JVM): {med(col):.1f} s of CPU per recording "
          f"({min(col):.1f}–{max(col):.1f}).")
PYEOF
