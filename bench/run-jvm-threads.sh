#!/usr/bin/env bash
# Where the service's CPU goes with and without the JVM agent: per-thread CPU time of samples/jvm-serving from
# /proc/PID/task/*/stat over the measured window (after WARMUP s of the same load), grouped by thread name:
# the service's own threads, the agent's (throughline-agent*), JFR's, the JIT compilers, GC, and the rest.
# One run per variant, in the order given; VARIANTS is a list of "name:agent options" ("plain" = no agent), e.g.
#   VARIANTS="plain default:- off:--event=off" bench/run-jvm-threads.sh
# Env: SECS (10), WARMUP (8), CLIENTS (16), SKIP_BUILD=1, TASKSET_SERVICE / TASKSET_OTHERS (cpu lists for taskset;
# empty = no pinning), SERVICE_JAR and AGENT_HOME (another build's jvm-serving.jar and throughline.home, to compare
# two agents), TAG (a suffix for the result names).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build
set_cli ""
TL="${TL/-Dthroughline.home=$ROOT/-Dthroughline.home=${AGENT_HOME:-$ROOT}}"
SERVING_JAR="${SERVICE_JAR:-$SERVING_JAR}"
SECS="${SECS:-10}"; WARMUP="${WARMUP:-8}"; CLIENTS="${CLIENTS:-16}"
VARIANTS="${VARIANTS:-plain default:-}"
J="$OUT/jvm-threads"; mkdir -p "$J"
# always backgrounded: exec, so that $! is the java process itself
pin() { local cpus="$1"; shift; if [ -n "$cpus" ]; then exec taskset -c "$cpus" "$@"; else exec "$@"; fi; }

for v in $VARIANTS; do
  name="${v%%:*}${TAG:-}"; opts="${v#*:}"
  serving_start "$J" "${TASKSET_SERVICE:-}"
  pid=$SERVICE_PID
  if [ "${v%%:*}" != plain ]; then
    extra=""; [ "$opts" != "-" ] && { extra="${opts//=/ }"; extra="${extra//,/ }"; }
    pin "${TASKSET_OTHERS:-}" $TL attach "$pid" --duration "$((WARMUP + SECS + 10))s" $extra -o "$J/$name.tlcap" --force \
      > /dev/null 2> "$J/$name-attach.err" &
    attach=$!
    for _ in $(seq 1 100); do grep -q 'attached to pid' "$J/$name-attach.err" 2>/dev/null && break; sleep 0.1; done
  fi
  serving_load "${TASKSET_OTHERS:-}" "$J/$name.txt" --closed "$CLIENTS" --warmup-s "$WARMUP" --duration-s "$SECS" &
  loader=$!
  sleep "$WARMUP"
  threads_cpu "$pid" > "$J/$name.t0"
  wait "$loader"
  threads_cpu "$pid" > "$J/$name.t1"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  [ "${v%%:*}" != plain ] && { wait "$attach" || true; }
  python3 - "$J/$name" "$SECS" <<'PYEOF'
import sys, re, os, collections
base, secs = sys.argv[1], float(sys.argv[2])
hz = os.sysconf("SC_CLK_TCK")
def read(p):
    d = collections.Counter()
    for line in open(p):
        parts = line.split()
        if len(parts) == 2:
            d[parts[0]] += int(parts[1])
    return d
t0, t1 = read(base + ".t0"), read(base + ".t1")
def group(n):
    if n.startswith("throughline"): return "agent: " + n
    if n.startswith("JFR"): return "JFR: " + n
    if n.startswith("C2") or n.startswith("C1"): return "JIT"
    if n.startswith("G1") or n.startswith("GC") or n == "VM_Thread": return "GC / VM thread"
    if n.startswith("HTTP") or n.startswith("pool") or n.startswith("worker") or n.startswith("serv") or n.startswith("batch"): return "service: " + re.sub(r"-?\d+$", "", n)
    return "other: " + re.sub(r"-?\d+$", "", n)
g = collections.Counter()
for n in set(t0) | set(t1):
    g[group(n)] += t1[n] - t0[n]
txt = open(base + ".txt").read()
ok = float(re.search(r"= ([0-9.]+) ok/s", txt).group(1))
total = sum(g.values())
print(f"## {os.path.basename(base)}: {ok:.0f} ok/s, service CPU {total / hz:.2f} s in {secs:.0f} s, "
      f"{1e6 * total / hz / (ok * secs):.1f} µs per request")
for k, v in sorted(g.items(), key=lambda kv: -kv[1]):
    if v:
        print(f"  {v / hz:6.2f} s  {k}")
PYEOF
done | tee -a "$OUT/jvm-threads.md"
