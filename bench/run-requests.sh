#!/usr/bin/env bash
# Issue 4: how long the request-tail analysis takes on a 100k-request capture (RequestReportTiming: writes the
# capture once to bench/out/requests-N.tlcap, then times the slice scan, RequestTails.load and Report.of in one JVM),
# then the CLI `report` on it, JVM start included. Env: N (100000), SKIP_BUILD=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out"
N="${N:-100000}"
mkdir -p "$OUT"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$ROOT" && mvn -o -q -B -pl profiler-agents/api,bench -am package -DskipTests)
fi
echo "start $(cat /proc/loadavg)"
java -cp "$ROOT/bench/target/throughline-bench.jar" dev.throughline.bench.RequestReportTiming "$OUT/requests-$N.tlcap" "$N"
for i in 1 2 3; do
  /usr/bin/time -f "report (CLI, JVM start included): %e s, max RSS %M KB" \
    java -cp "$ROOT/app/target/throughline-app.jar:$ROOT/app/target/lib/*" dev.throughline.app.Main report \
    "$OUT/requests-$N.tlcap" > /dev/null
done
echo "end $(cat /proc/loadavg)"
