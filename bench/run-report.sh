#!/usr/bin/env bash
# (4) `throughline report` on a capture of >= 10M slices, JVM start included, with baselines in the same
# hyperfine run: sqlite3 opening the capture, `java -version`, and the CLI's own --help (JVM + CLI start).
# The one import of the big trace (-Xmx1g) is timed too, as a second import data point.
# Env: SLICES (default 10000000), RUNS (10), SKIP_BUILD=1.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need hyperfine hyperfine
need sqlite3 sqlite3
need python3 python3
build
echo "start $(cat /proc/loadavg)" > "$OUT/report-load.txt"
set_cli "-Xmx1g"
SLICES="${SLICES:-10000000}"
TRACE="$OUT/trace-slices-$SLICES.json"
CAP="$OUT/report-$SLICES.tlcap"
generate "$TRACE" --slices "$SLICES"
if [ ! -f "$CAP" ] || [ "$TRACE" -nt "$CAP" ] || [ "$FROZEN/VERSION" -nt "$CAP" ]; then
  echo "bench: importing $TRACE into $CAP (once, -Xmx1g)..." >&2
  /usr/bin/time -f '%e %M' -o "$OUT/report-import-time.txt" $TL import "$TRACE" -o "$CAP" --force
fi
hyperfine --runs "${RUNS:-10}" --warmup 1 --export-json "$OUT/report-hyperfine.json" \
  -n baseline-sqlite3 "sqlite3 $CAP 'select count(*) from meta'" \
  -n baseline-java-version "java -version" \
  -n baseline-cli-help "$TL --help" \
  -n report "$TL report $CAP" \
  -n report-json "$TL report --json $CAP"
$TL report "$CAP" > "$OUT/report-output.txt"
echo "end $(cat /proc/loadavg)" >> "$OUT/report-load.txt"
python3 "$ROOT/bench/summarize.py" report "$OUT/report-hyperfine.json" "$CAP" "$TRACE.stats" "$OUT/report-import-time.txt" \
  | tee "$OUT/report.md"
