#!/usr/bin/env bash
# What an attach costs a busy service in the seconds right after it, and the attach latency: samples/jvm-serving
# pinned to one core (TASKSET_SERVICE, cpu 1) and saturated by a closed loop (CLIENTS clients) from the other core
# (TASKSET_OTHERS, cpu 0); after WARMUP s of load, either nothing or `throughline attach` with each variant's
# options, then the service's ok/s and CPU per request over the next SECS s. A fresh service JVM per run (JFR's
# first start in a JVM is what makes HotSpot drop its compiled code), variants alternating, RUNS runs each.
# Attach latency: `attach` prints "attached to pid N (...) in X ms" (the Attach API's attach, the target's
# properties, the capture and collector set up, loadAgent).
# Env: VARIANTS ("plain default:- jfr:--jfr=on"; the default leaves JFR off on JDK < 23), RUNS (3), SECS (10), WARMUP (20), CLIENTS (16), SKIP_BUILD=1.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build
set_cli ""
RUNS="${RUNS:-3}"; SECS="${SECS:-10}"; WARMUP="${WARMUP:-20}"; CLIENTS="${CLIENTS:-16}"
VARIANTS="${VARIANTS:-plain default:- jfr:--jfr=on}"
SVC_CPUS="${TASKSET_SERVICE:-1}"; OTHER_CPUS="${TASKSET_OTHERS:-0}"
J="$OUT/jvm-attach"; rm -rf "$J"; mkdir -p "$J"
echo "start $(cat /proc/loadavg)" > "$J/load.txt"

load() { # SECONDS OUTFILE
  serving_load "$OTHER_CPUS" "$2" --closed "$CLIENTS" --warmup-s 0 --duration-s "$1"
}
for i in $(seq 1 "$RUNS"); do
  for v in $VARIANTS; do
    name="${v%%:*}"; opts="${v#*:}"; extra=""
    [ "$name" != plain ] && [ "$opts" != "-" ] && { extra="${opts//=/ }"; extra="${extra//,/ }"; }
    serving_start "$J" "$SVC_CPUS"
    pid=$SERVICE_PID
    load "$WARMUP" "$J/warmup-$name-$i.txt"
    if [ "$name" != plain ]; then
      taskset -c "$OTHER_CPUS" $TL attach "$pid" --duration "$((SECS + 3))s" $extra -o "$J/$name-$i.tlcap" --force \
        > /dev/null 2> "$J/$name-$i-attach.err" &
      attach=$!
      for _ in $(seq 1 100); do grep -q 'attached to pid' "$J/$name-$i-attach.err" 2>/dev/null && break; sleep 0.1; done
    fi
    c0="$(awk '{print $14 + $15}' "/proc/$pid/stat")"
    load "$SECS" "$J/$name-$i.txt"
    echo "$(( $(awk '{print $14 + $15}' "/proc/$pid/stat") - c0 ))" > "$J/$name-$i.ticks"
    [ "$name" != plain ] && { wait "$attach" || true; }
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
echo "end $(cat /proc/loadavg)" >> "$J/load.txt"

python3 - "$J" "$RUNS" "$SECS" "$VARIANTS" <<'PYEOF' | tee "$OUT/jvm-attach.md"
import os, re, statistics, sys
j, runs, secs, variants = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].split()
hz = os.sysconf("SC_CLK_TCK")
med = statistics.median
print(f"### The {secs} s right after an attach ({runs} fresh service JVMs per variant, pinned, closed loop; load {open(j + '/load.txt').read().split()[1]})\n")
print("| variant | ok/s (median, spread) | change | CPU µs/request | attach latency ms (median, spread) |")
print("|---|---:|---:|---:|---:|")
base = None
for v in variants:
    name, opts = (v.split(":", 1) + ["-"])[:2]
    ok, cpu, lat = [], [], []
    for i in range(1, runs + 1):
        t = open(f"{j}/{name}-{i}.txt").read()
        ok.append(float(re.search(r"= ([0-9.]+) ok/s", t).group(1)))
        n = int(re.search(r"ok (\d+)", t).group(1))
        cpu.append(1e6 * int(open(f"{j}/{name}-{i}.ticks").read()) / hz / n)
        if name != "plain":
            m = re.search(r"in ([0-9.]+) ms", open(f"{j}/{name}-{i}-attach.err").read())
            if m:
                lat.append(float(m.group(1)))
    if base is None:
        base = med(ok)
    label = "no attach" if name == "plain" else f"`attach {'(defaults)' if opts == '-' else opts.replace(',', ' ')}`"
    print(f"| {label} | {med(ok):,.0f} ({min(ok):,.0f}–{max(ok):,.0f}) | {100 * (med(ok) - base) / base:+.1f} % | "
          f"{med(cpu):.1f} | {f'{med(lat):.0f} ({min(lat):.0f}–{max(lat):.0f})' if lat else '—'} |")
PYEOF
