#!/usr/bin/env bash
# (1) Ingest rate of slices into a capture (CaptureWriter: create -> N slices -> close, indexes, summaries and
# integrity check included), with the raw sqlite-jdbc 4-integer-row baseline in the same JMH run.
# Env: SLICES (default 1000000 per capture), ITERATIONS (7), WARMUP (3), SKIP_BUILD=1, JMH_ARGS (extra).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need python3 python3
build
echo "start $(cat /proc/loadavg)" > "$OUT/ingest-load.txt"
SLICES="${SLICES:-1000000}"
mkdir -p "$OUT/tmp"
java -jar "$BENCH_JAR" IngestBenchmark -p slices="$SLICES" -wi "${WARMUP:-3}" -i "${ITERATIONS:-7}" -f 1 \
  -jvmArgsAppend "-Xms2g -Xmx2g -Djava.io.tmpdir=$OUT/tmp" \
  -rf json -rff "$OUT/ingest-jmh.json" ${JMH_ARGS:-} | tee "$OUT/ingest-jmh.txt"
echo "end $(cat /proc/loadavg)" >> "$OUT/ingest-load.txt"
python3 "$ROOT/bench/summarize.py" ingest "$OUT/ingest-jmh.json" | tee "$OUT/ingest.md"
