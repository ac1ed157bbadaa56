#!/usr/bin/env bash
# Issue 4's JVM-agent figures, on samples/jvm-serving with its own load generator:
#  (a) maximum throughput, closed loop (CLIENTS clients, SECS s), without and with the agent attached at defaults,
#      RUNS alternating runs each, a fresh service per run; target: ≤ 1 % fewer ok/s with the agent;
#  (b) p99 at a fixed open-loop rate (RATE/s, SECS s), same alternation; target: ≤ 3 % higher with the agent;
#  (c) attach latency: `throughline attach` from the command to "attached" (the Attach API's attach + loadAgent,
#      timed inside the CLI), on a fresh service each run;
#  (d) CPU cost, robust to a busy machine: the service's CPU time per 1,000 answered requests with and without
#      the agent (/proc/PID/stat), and the collector's (the attach CLI's) CPU time (/usr/bin/time).
# Both variants run WARMUP (8) s of the same load before the measured SECS: the service's JIT warms up, and with
# the agent attached the agent's own code and JFR's stream parser get compiled too (in the first seconds after an
# attach the C2 compiler thread is the largest CPU user; measured with per-thread CPU from /proc), so the figures
# are the steady state. The first seconds after an attach are a one-time cost, reported by (c) and in RESULTS.md.
# Env: RUNS (5), SECS (10), WARMUP (8), CLIENTS (4), RATE (300), SKIP_BUILD=1.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build
set_cli ""
JAR="$ROOT/samples/jvm-serving/target/jvm-serving.jar"
[ -f "$JAR" ] || { echo "bench: $JAR is missing; build first" >&2; exit 1; }
RUNS="${RUNS:-5}"; SECS="${SECS:-10}"; WARMUP="${WARMUP:-8}"; CLIENTS="${CLIENTS:-4}"; RATE="${RATE:-300}"
J="$OUT/jvm"; rm -rf "$J"; mkdir -p "$J"
echo "start $(cat /proc/loadavg)" > "$J/load.txt"

start_service() { # prints the pid; the port goes to $J/port
  java -Xmx256m -XX:+UseG1GC -jar "$JAR" --port 0 --workers 2 --max-batch 8 --max-wait-ms 2 > "$J/service.out" 2> "$J/service.err" &
  local pid=$!
  for _ in $(seq 1 100); do grep -q '^listening on' "$J/service.out" 2>/dev/null && break; sleep 0.1; done
  sed -n 's/^listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$J/service.out" > "$J/port"
  echo "$pid"
}

load() { # MODE OUTFILE: closed or open loop against the running service, WARMUP s of warm-up
  local port; port="$(cat "$J/port")"
  if [ "$1" = closed ]; then
    java -cp "$JAR" dev.throughline.samples.serving.LoadGenerator --port "$port" --closed "$CLIENTS" --warmup-s "$WARMUP" \
      --duration-s "$SECS" --histogram "$2.hgrm" > "$2"
  else
    java -cp "$JAR" dev.throughline.samples.serving.LoadGenerator --port "$port" --rate "$RATE" --warmup-s "$WARMUP" \
      --duration-s "$SECS" --histogram "$2.hgrm" > "$2"
  fi
}

one() { # MODE AGENT(0|1) RUN
  local pid; pid="$(start_service)"
  if [ "$2" = 1 ]; then
    /usr/bin/time -f "collector_cpu_s %U %S" -o "$J/$1-collector-$3.time" \
      $TL attach "$pid" --duration "$((WARMUP + SECS + 10))s" -o "$J/$1-agent-$3.tlcap" --force > /dev/null 2> "$J/$1-attach-$3.err" &
    local attach=$!
    for _ in $(seq 1 100); do grep -q 'attached to pid' "$J/$1-attach-$3.err" 2>/dev/null && break; sleep 0.1; done
  fi
  local name; name="$1-$([ "$2" = 1 ] && echo agent || echo plain)-$3"
  load "$1" "$J/$name.txt" &
  local loader=$!
  # the service's CPU (utime + stime, clock ticks: fields 14 and 15 of /proc/PID/stat) over the measured window only
  sleep "$WARMUP"
  local t0; t0="$(awk '{print $14 + $15}' "/proc/$pid/stat")"
  wait "$loader"
  awk -v t0="$t0" '{print "service_cpu_ticks", $14 + $15 - t0}' "/proc/$pid/stat" > "$J/$name.cpu"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  if [ "$2" = 1 ]; then wait "$attach" || true; fi
}

for i in $(seq 1 "$RUNS"); do
  one closed 0 "$i"; one closed 1 "$i"
  one open 0 "$i"; one open 1 "$i"
done
# (c) attach latency on fresh services (the CLI prints "attached to pid N (...) in X ms")
for i in $(seq 1 "$RUNS"); do
  pid="$(start_service)"
  $TL attach "$pid" --duration 1s -o "$J/latency-$i.tlcap" --force > /dev/null 2> "$J/latency-$i.err" || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
echo "end $(cat /proc/loadavg)" >> "$J/load.txt"

python3 - "$J" "$RUNS" "$SECS" "$CLIENTS" "$RATE" <<'PYEOF' | tee "$OUT/jvm.md"
import re, statistics, sys, glob
j, runs, secs, clients, rate = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
def parse(path):
    t = open(path).read()
    ok_s = float(re.search(r"= ([0-9.]+) ok/s", t).group(1))
    p99 = float(re.search(r"p99 ([0-9.]+)", t).group(1))
    return ok_s, p99
def med(xs): return statistics.median(xs)
cp = [parse(f"{j}/closed-plain-{i}.txt")[0] for i in range(1, runs + 1)]
ca = [parse(f"{j}/closed-agent-{i}.txt")[0] for i in range(1, runs + 1)]
op = [parse(f"{j}/open-plain-{i}.txt")[1] for i in range(1, runs + 1)]
oa = [parse(f"{j}/open-agent-{i}.txt")[1] for i in range(1, runs + 1)]
import os
hz = os.sysconf("SC_CLK_TCK")
def cpu_per_k(mode, kind):
    out = []
    for i in range(1, runs + 1):
        ticks = float(open(f"{j}/{mode}-{kind}-{i}.cpu").read().split()[1])
        t = open(f"{j}/{mode}-{kind}-{i}.txt").read()
        ok = int(re.search(r"ok (\d+)", t).group(1))
        out.append(1000.0 * ticks / hz / ok * 1000)  # ms of CPU per 1,000 answered requests, measured window
    return out
lat = []
for f in sorted(glob.glob(f"{j}/latency-*.err")):
    m = re.search(r"in ([0-9.]+) ms", open(f).read())
    if m: lat.append(float(m.group(1)))
load = open(f"{j}/load.txt").read().split()
print(f"## JVM agent overhead on samples/jvm-serving ({runs} alternating runs each; load average {load[1]} at start, {load[7]} at end)\n")
print("| figure | without agent (median, spread) | with agent attached (median, spread) | change | target |")
print("|---|---:|---:|---:|---|")
print(f"| closed loop, {clients} clients, {secs} s: ok/s | {med(cp):,.0f} ({min(cp):,.0f}–{max(cp):,.0f}) | {med(ca):,.0f} ({min(ca):,.0f}–{max(ca):,.0f}) | **{100*(med(ca)-med(cp))/med(cp):+.1f} %** | ≥ −1 % |")
print(f"| open loop {rate}/s, {secs} s: p99 ms | {med(op):.3f} ({min(op):.3f}–{max(op):.3f}) | {med(oa):.3f} ({min(oa):.3f}–{max(oa):.3f}) | **{100*(med(oa)-med(op))/med(op):+.1f} %** | ≤ +3 % |")
for mode in ("closed", "open"):
    p, a = cpu_per_k(mode, "plain"), cpu_per_k(mode, "agent")
    col = []
    for i in range(1, runs + 1):
        f = f"{j}/{mode}-collector-{i}.time"
        if os.path.exists(f):
            parts = open(f).read().split()
            k = parts.index("collector_cpu_s")
            col.append(float(parts[k + 1]) + float(parts[k + 2]))
    print(f"| {mode} loop: service CPU ms per 1,000 requests | {med(p):.0f} ({min(p):.0f}–{max(p):.0f}) | {med(a):.0f} ({min(a):.0f}–{max(a):.0f}) | **{100*(med(a)-med(p))/med(p):+.1f} %** | — |")
    if col:
        print(f"| {mode} loop: the collector's CPU (attach CLI, whole run) | — | {med(col):.1f} s ({min(col):.1f}–{max(col):.1f}) | | — |")
if lat:
    print(f"\nAttach latency (Attach API attach + loadAgent, fresh service each time, {len(lat)} runs): median **{med(lat):.0f} ms** ({min(lat):.0f}–{max(lat):.0f}).")
PYEOF
