#!/usr/bin/env bash
# Issue 6: the timeline's frame time while panning and zooming, time to first overview, and the workbench
# heap, on a 10M-slice capture, headless (Monocle) with software rendering; the same script on the 40k-slice
# sample capture as the baseline, in the same run. Needs the 10M-slice capture of run-report.sh
# (bench/out/report-10000000.tlcap; CAP= another). A capture written before summary_lod existed gets it
# added first (timed: that is the close time the level of detail adds). NOLOD=1 also runs the first
# NOLOD_EVENTS (4) events, one pass, on a copy without summary_lod/summary_track (the fallback path, what
# the timeline did before), as a second baseline.
# Env: CAP, SKIP_BUILD=1, NOLOD=1, NOLOD_EVENTS. Output: bench/out/timeline-*.json (one per run), *-paint.json.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
CAP="${CAP:-$OUT/report-10000000.tlcap}"
SAMPLE="$ROOT/samples/resnet50-sample.tlcap"
[ -f "$CAP" ] || { echo "bench: $CAP is missing; run bench/run-report.sh first (or set CAP=)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench: apt-get install -y sqlite3" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: apt-get install -y time" >&2; exit 1; }
cd "$ROOT"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -o -q -B -pl profiler-agents/protocol,profiler-agents/api,storage,gpu-probes,app -am package test-compile -DskipTests
fi
# a frozen copy of what is timed, so that a rebuild elsewhere cannot change it mid-run
F="$OUT/timeline-frozen"
rm -rf "$F" && mkdir -p "$F"
cp -r app/target/classes "$F/app-classes"
cp -r app/target/test-classes "$F/app-test-classes"
cp -r storage/target/classes "$F/storage-classes"
MONOCLE="$(find ~/.m2/repository/org/testfx/openjfx-monocle/17.0.10 -name '*.jar' | head -1)"
CP="$F/app-classes:$F/app-test-classes:$F/storage-classes:$ROOT/app/target/lib/*:$MONOCLE"
FX="-Dprism.order=sw -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dheadless.geometry=1600x1000-32 -Djava.awt.headless=true -Djavafx.cachedir=$OUT/tmp/javafx-cache"
echo "commit $(git rev-parse --short HEAD), $(git status --porcelain | wc -l) changed paths; $(nproc) cores" > "$OUT/timeline-load.txt"
echo "start $(cat /proc/loadavg)" >> "$OUT/timeline-load.txt"

if [ "$(sqlite3 "$CAP" "select count(*) from sqlite_master where name='summary_lod'")" = 0 ]; then
  echo "bench: adding summary_lod to $CAP (timed)..." >&2
  java -Xmx1g -cp "$CP" dev.throughline.app.ui.AddTimelineLod "$CAP" | tee "$OUT/timeline-addlod.json"
fi
sqlite3 "$CAP" "select count(*) from slice" > "$OUT/timeline-slices.txt"

run() { # NAME WARMUP-CAPTURE CAPTURE [EVENTS [JAVA-FLAGS]]
  /usr/bin/time -v -o "$OUT/timeline-$1.time" java -Xmx1g $FX ${5:-} -Dbench.warmup="$2" -cp "$CP" \
    dev.throughline.app.ui.TimelineFrameBench "$3" ${4:-} | tee "$OUT/timeline-$1.json"
  echo "maxRssMB $(awk '/Maximum resident/ {printf "%.0f", $6/1024}' "$OUT/timeline-$1.time")" | tee -a "$OUT/timeline-$1.json"
}
# The render thread's "Painting" time per pulse (whole ms), from JavaFX's pulse logger, in pass 1 and the paced
# pass of a second run (the logger prints a dozen lines a pulse: kept out of the timed runs).
paint() { # NAME WARMUP-CAPTURE CAPTURE
  java -Xmx1g $FX -Djavafx.pulseLogger=true -Djavafx.pulseLogger.threshold=0 -Dbench.warmup="$2" -cp "$CP" \
    dev.throughline.app.ui.TimelineFrameBench "$3" > "$OUT/timeline-$1-pulses.log" 2>&1
  python3 - "$OUT/timeline-$1-pulses.log" <<'PY' | tee "$OUT/timeline-$1-paint.json"
import json, math, re, sys
# per pulse: the sum of its "Painting" phases (the window's scene and, when one shows, a popup's)
phase, current, paint = None, None, {"pass1": [], "paced": []}
def close_pulse():
    global current
    if current is not None and current[1] > 0:
        paint[current[0]].append(current[1])
    current = None
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"#bench (\w+) (begin|end)", line)
    if m:
        close_pulse()
        phase = m.group(1) if m.group(2) == "begin" else None
        continue
    if line.startswith("PULSE:"):
        close_pulse()
        current = [phase, 0] if phase else None
        continue
    m = re.search(r"\(\d+ \+(\d+)ms\): Painting", line)
    if m and current is not None:
        current[1] += int(m.group(1))
close_pulse()
def stats(v):
    v = sorted(v)
    if not v:
        return {"n": 0}
    rank = lambda q: v[max(0, math.ceil(q * len(v)) - 1)]
    return {"n": len(v), "median": rank(0.5), "p99": rank(0.99), "max": v[-1]}
print(json.dumps({k: stats(v) for k, v in paint.items()}))
PY
}
# each run opens the other capture first, so that the timed open is a warm one (the cold one is reported too)
run sample "$CAP" "$SAMPLE"
run 10m "$SAMPLE" "$CAP"
run sample-again "$CAP" "$SAMPLE"
paint sample "$CAP" "$SAMPLE"
paint 10m "$SAMPLE" "$CAP"
if [ "${NOLOD:-0}" = 1 ]; then
  cp "$CAP" "$OUT/timeline-nolod.tlcap"
  sqlite3 "$OUT/timeline-nolod.tlcap" "drop table summary_lod; drop table summary_track;"
  run 10m-nolod "$SAMPLE" "$OUT/timeline-nolod.tlcap" "${NOLOD_EVENTS:-4}" -Dbench.quick=true
  rm -f "$OUT/timeline-nolod.tlcap"
fi
echo "end $(cat /proc/loadavg)" >> "$OUT/timeline-load.txt"
cat "$OUT/timeline-load.txt"
