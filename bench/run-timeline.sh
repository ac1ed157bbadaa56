#!/usr/bin/env bash
# Issue 6: the timeline's frame time while panning and zooming, time to first overview, and the workbench
# heap, on a 10M-slice capture, headless (Monocle) with software rendering; the same script on the 40k-slice
# sample capture as the baseline, in the same run. Needs the 10M-slice capture of run-report.sh
# (bench/out/report-10000000.tlcap; CAP= another). A capture written before summary_lod existed gets it
# added first (timed: that is the close time the level of detail adds). NOLOD=1 also runs the first
# NOLOD_EVENTS (4) events, one pass, on a copy without summary_lod/summary_track (the fallback path, what
# the timeline did before), as a second baseline.
# Env: CAP, SKIP_BUILD=1, NOLOD=1, NOLOD_EVENTS. Output: bench/out/timeline-*.json, bench/out/timeline.md.
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
# each run opens the other capture first, so that the timed open is a warm one (the cold one is reported too)
run sample "$CAP" "$SAMPLE"
run 10m "$SAMPLE" "$CAP"
run sample-again "$CAP" "$SAMPLE"
if [ "${NOLOD:-0}" = 1 ]; then
  cp "$CAP" "$OUT/timeline-nolod.tlcap"
  sqlite3 "$OUT/timeline-nolod.tlcap" "drop table summary_lod; drop table summary_track;"
  run 10m-nolod "$SAMPLE" "$OUT/timeline-nolod.tlcap" "${NOLOD_EVENTS:-4}" -Dbench.quick=true
  rm -f "$OUT/timeline-nolod.tlcap"
fi
echo "end $(cat /proc/loadavg)" >> "$OUT/timeline-load.txt"
cat "$OUT/timeline-load.txt"
