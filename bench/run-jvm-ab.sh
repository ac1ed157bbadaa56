#!/usr/bin/env bash
# The agent's steady-state cost inside one service JVM, without the run-to-run spread of separate JVMs (their JIT
# decisions differ by several per cent from one start to the next): samples/jvm-serving pinned to one core
# (TASKSET_SERVICE, default cpu 1) and saturated by a closed loop (CLIENTS clients) from the other core
# (TASKSET_OTHERS, default cpu 0), where the collector (the attach CLI) runs too. After WARMUP s of load, one
# discarded recording of WARMUP s (JFR's first start in a JVM makes HotSpot drop its compiled code; the JIT needs
# seconds to compile it again), then PAIRS alternating windows of SECS s: without the agent, then with it attached
# (measured from SETTLE s after the attach). Each window's figure: the service's CPU time per answered request
# (/proc/PID/stat), and ok/s. Asymmetry, said in the results: the windows without the agent come after a recording,
# so JFR's idle threads and its instrumentation of JDK classes are there in both when it runs (OPTS=--jfr=on; the
# default leaves it off on JDK < 23).
# With RATE set, the windows are open loop at RATE requests/s instead (latency from the intended send times), and
# the figure that matters is p99.
# With CONTROL=1 the second window of each pair runs without an attach too (A/A, after the same warm-up recording):
# the method's own noise floor, to read the A/B figures against.
# Env: OPTS (agent options for `attach`, comma-separated, e.g. --jfr=off,--event=off), PAIRS (6), SECS (10),
# WARMUP (20), SETTLE (4), CLIENTS (16), RATE (unset: closed loop), NAME (result name, default ab), CONTROL=1,
# SKIP_BUILD=1, TASKSET_SERVICE and TASKSET_OTHERS (cpu lists), TASKSET_COLLECTOR (default: TASKSET_OTHERS).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build
set_cli ""
PAIRS="${PAIRS:-6}"; SECS="${SECS:-10}"; WARMUP="${WARMUP:-20}"; SETTLE="${SETTLE:-4}"; CLIENTS="${CLIENTS:-16}"
NAME="${NAME:-ab}"; OPTS="${OPTS:-}"
SVC_CPUS="${TASKSET_SERVICE:-1}"; OTHER_CPUS="${TASKSET_OTHERS:-0}"; COLLECTOR_CPUS="${TASKSET_COLLECTOR:-$OTHER_CPUS}"
J="$OUT/jvm-ab/$NAME"; rm -rf "$J"; mkdir -p "$J"
extra="${OPTS//=/ }"; extra="${extra//,/ }"

serving_start "$J" "$SVC_CPUS"
pid=$SERVICE_PID
trap 'kill $pid 2>/dev/null || true' EXIT

load() { # SECONDS OUTFILE: closed loop; no warm-up inside the generator, so that the service's CPU over the
  # generator's life is the CPU of exactly the requests it counts (the service is warm from the windows before)
  local mode=(--closed "$CLIENTS"); [ -n "${RATE:-}" ] && mode=(--rate "$RATE")
  serving_load "$OTHER_CPUS" "$2" "${mode[@]}" --warmup-s 0 --duration-s "$1"
}
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
steal() { awk '/^cpu / {print $9}' /proc/stat; }
window() { # NAME: SECS of load; the service's CPU ticks and the machine's steal ticks over exactly that load
  local c0 s0; c0="$(cpu)"; s0="$(steal)"
  load "$SECS" "$J/$1.txt"
  echo "$(( $(cpu) - c0 )) $(( $(steal) - s0 ))" > "$J/$1.ticks"
}
attach() { serving_attach "$J" "$pid" "$COLLECTOR_CPUS" "$1" "$2" $extra; } # DURATION_S TAG

echo "start $(cat /proc/loadavg)" > "$J/load.txt"
load "$WARMUP" "$J/warmup.txt"
attach "$WARMUP" warmup-recording; a=$!; load "$WARMUP" "$J/warmup-agent.txt"; wait "$a" || true
load 5 "$J/after-warmup.txt"
for i in $(seq 1 "$PAIRS"); do
  window "plain-$i"
  # the recording outlasts the window by a little (the generator's start and its last answers); the next window
  # starts only after the agent has stopped
  if [ "${CONTROL:-0}" = 1 ]; then
    load "$SETTLE" "$J/settle-$i.txt"
    window "agent-$i"
  else
    attach $((SETTLE + SECS + 2)) "agent-$i"; a=$!
    load "$SETTLE" "$J/settle-$i.txt"
    window "agent-$i"
    wait "$a" || true
  fi
done
echo "end $(cat /proc/loadavg)" >> "$J/load.txt"

python3 - "$J" "$PAIRS" "$NAME" "$OPTS" "${RATE:-}" "${CONTROL:-0}" <<'PYEOF' | tee "$OUT/jvm-ab-$NAME.md"
import os, re, statistics, sys
j, pairs, name, opts, rate = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
control = sys.argv[6] == "1"
hz = os.sysconf("SC_CLK_TCK")
def fig(w):
    txt = open(f"{j}/{w}.txt").read()
    ok_s = float(re.search(r"= ([0-9.]+) ok/s", txt).group(1))
    n = int(re.search(r"ok (\d+)", txt).group(1))
    ticks, steal = map(int, open(f"{j}/{w}.ticks").read().split())
    p99 = float(re.search(r"p99 ([0-9.]+)", txt).group(1))
    return ok_s, 1e6 * ticks / hz / n, steal / hz, p99
p = [fig(f"plain-{i}") for i in range(1, pairs + 1)]
a = [fig(f"agent-{i}") for i in range(1, pairs + 1)]
ratio = [100 * (y[1] - x[1]) / x[1] for x, y in zip(p, a)]
okr = [100 * (y[0] - x[0]) / x[0] for x, y in zip(p, a)]
med = statistics.median
mode = f"open loop {rate}/s" if rate else "closed loop"
what = "A/A control: no attach in either window" if control else f"attach {opts or '(defaults)'}"
print(f"### `{name}`: {what} — {pairs} pairs in one JVM, {mode}; load {open(j + '/load.txt').read().split()[1]}")
print()
p99r = [100 * (y[3] - x[3]) / x[3] for x, y in zip(p, a)]
col = []
for i in range(1, pairs + 1 if not control else 1):
    t = open(f"{j}/agent-{i}-collector.time").read().split()
    k = t.index("cpu_s")
    col.append(float(t[k + 1]) + float(t[k + 2]))
print("| pair | ok/s without | ok/s with | change | CPU µs/request without | with | change | p99 ms without | with | change | steal s (without, with) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for i, (x, y) in enumerate(zip(p, a), 1):
    print(f"| {i} | {x[0]:,.0f} | {y[0]:,.0f} | {okr[i-1]:+.1f} % | {x[1]:.1f} | {y[1]:.1f} | {ratio[i-1]:+.1f} % | "
          f"{x[3]:.3f} | {y[3]:.3f} | {p99r[i-1]:+.1f} % | {x[2]:.2f}, {y[2]:.2f} |")
print(f"| **median** | {med([x[0] for x in p]):,.0f} | {med([y[0] for y in a]):,.0f} | **{med(okr):+.1f} %** | "
      f"{med([x[1] for x in p]):.1f} | {med([y[1] for y in a]):.1f} | **{med(ratio):+.1f} %** | "
      f"{med([x[3] for x in p]):.3f} | {med([y[3] for y in a]):.3f} | **{med(p99r):+.1f} %** | |")
if col:
    print(f"\nThe collector (the `attach` CLI's JVM): {med(col):.1f} s of CPU per recording "
          f"({min(col):.1f}–{max(col):.1f}), JVM start and capture close included.")
PYEOF
