#!/usr/bin/env bash
# What an attach does to a warm service's JIT: for each variant, a fresh samples/jvm-serving pinned to TASKSET_SERVICE
# (cpu 1) under a closed loop of CLIENTS clients (TASKSET_OTHERS, cpu 0, where the collector runs too); after WARMUP s
# it is attached for SECS s, then left alone for AFTER s. Once a second: the service's answers and CPU (the load
# generator's --progress/--cpu-of) and the CPU of its JIT compiler threads (C1/C2, from /proc/PID/task/*/stat).
# Per variant, per 5 s window from 10 s before the attach: answers/s relative to the 10 s before it, and the JIT's
# share of the core. VARIANTS is a ;-separated list of attach options: "none" = no attach (the A/A: what the
# windows do by themselves), "-" = the defaults. Writes bench/out/jvm-jit.md.
# Env: VARIANTS ("none;-;--jfr on"), WARMUP (40), SECS (30), AFTER (20), CLIENTS (16), SKIP_BUILD=1,
# TASKSET_SERVICE, TASKSET_OTHERS; SUMMARY_ONLY=1 summarizes the last run's files again.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build
set_cli ""
WARMUP="${WARMUP:-40}"; SECS="${SECS:-30}"; AFTER="${AFTER:-20}"; CLIENTS="${CLIENTS:-16}"
SVC_CPUS="${TASKSET_SERVICE:-1}"; OTHER_CPUS="${TASKSET_OTHERS:-0}"
J="$OUT/jvm-jit"
[ "${SUMMARY_ONLY:-0}" = 1 ] || { rm -rf "$J"; mkdir -p "$J"; }
IFS=';' read -r -a variants <<< "${VARIANTS:-none;-;--jfr on}"
TICK_HZ="$(getconf CLK_TCK)"

# jit_log PID FILE: once a second "epoch_s ticks", ticks = user + system of the JVM's C1/C2 compiler threads
jit_log() {
  while kill -0 "$1" 2>/dev/null; do
    echo "$(date +%s) $(threads_cpu "$1" | awk '/^C[12]_Compiler/ { s += $2 } END { print s + 0 }')" >> "$2"
    sleep 1
  done
}

i=0
[ "${SUMMARY_ONLY:-0}" = 1 ] && { i="$(ls "$J"/label-*.txt | wc -l)"; variants=(); }
for v in "${variants[@]}"; do
  i=$((i + 1))
  serving_start "$J" "$SVC_CPUS"
  pid=$SERVICE_PID
  taskset -c "$OTHER_CPUS" java -cp "$SERVING_JAR" dev.throughline.samples.serving.LoadGenerator --port "$SERVICE_PORT" \
    --closed "$CLIENTS" --duration-s $((WARMUP + SECS + AFTER + 2)) --histogram "$J/load-$i.hgrm" \
    --progress "$J/progress-$i.txt" --cpu-of "$pid" > "$J/load-$i.out" 2> "$J/load-$i.err" &
  load=$!
  taskset -c "$OTHER_CPUS" bash -c "$(declare -f threads_cpu jit_log); jit_log $pid $J/jit-$i.txt" &
  sleep "$WARMUP"
  attach_at="$(date +%s)"
  if [ "$v" != none ]; then
    opts=(); [ "$v" != "-" ] && read -r -a opts <<< "$v"
    taskset -c "$OTHER_CPUS" $TL attach "$pid" --duration "${SECS}s" "${opts[@]}" -o "$J/$i.tlcap" --force \
      > /dev/null 2> "$J/$i-attach.err" || echo "attach failed: $(tail -1 "$J/$i-attach.err")" >&2
  else
    sleep "$SECS"
  fi
  wait "$load" || true
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  label="attach $v"; [ "$v" = "-" ] && label="attach (defaults)"; [ "$v" = none ] && label="no attach (A/A)"
  jfr=""
  if [ "$v" != none ]; then
    jfr="$($TL report "$J/$i.tlcap" | sed -n 's/^JFR: JVM agent, pid [0-9]*: \(off ([a-z]*)\).*/\1/p')"
  fi
  echo "$label|$attach_at|${jfr:-}" > "$J/label-$i.txt"
done

python3 - "$J" "$i" "$SECS" "$TICK_HZ" <<'EOF' | tee "$OUT/jvm-jit.md"
import sys
d, n, secs, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

def series(path, col):
    out = {}
    for line in open(path):
        f = line.split()
        if len(f) > col:
            t = int(f[0]) // 1000 if len(f[0]) > 11 else int(f[0])
            out[t] = int(f[col])
    return out

print(f"### An attach and the service's JIT: answers/s per 5 s window vs the 10 s before the attach; JIT (C1+C2) % of a core")
print()
windows = list(range(-10, secs + 20, 5))
print("| variant | " + " | ".join(f"{w:+d}…{w + 5:+d} s" for w in windows) + " | JIT CPU, attach window |")
print("|---|" + "---|" * len(windows) + "---|")
for i in range(1, n + 1):
    label, at, jfr = open(f"{d}/label-{i}.txt").read().strip().split("|")
    at = int(at)
    ok = series(f"{d}/progress-{i}.txt", 1)
    jit = series(f"{d}/jit-{i}.txt", 1)

    def at_or_before(series, t):  # the jit log may skip a second (reading /proc takes a while): the last line up to t
        keys = [k for k in series if t - 2 <= k <= t]
        return (max(keys), series[max(keys)]) if keys else None

    def per_s(series, a, b):
        x, y = at_or_before(series, a), at_or_before(series, b)
        return (y[1] - x[1]) / (y[0] - x[0]) if x and y and y[0] > x[0] else None

    def rate(a, b):
        return per_s(ok, a, b)

    def jit_share(a, b):
        r = per_s(jit, a, b)
        return None if r is None else r / hz

    base = rate(at - 10, at)
    cells = []
    for w in windows:
        r, s = rate(at + w, at + w + 5), jit_share(at + w, at + w + 5)
        cells.append("?" if r is None or not base else f"{100 * (r / base - 1):+.0f} %"
                     + ("" if s is None else f" · JIT {100 * s:.0f} %"))
    whole = jit_share(at, at + secs)
    name = label + (f" [{jfr}]" if jfr else "")
    print(f"| {name} | " + " | ".join(cells) + f" | {'?' if whole is None else f'{whole * secs:.1f} s'} |")
print()
print(f"(before the attach: answers/s over its 10 s = the baseline of each row; JIT = C1+C2 threads' CPU as a share of one core)")
EOF
