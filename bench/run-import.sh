#!/usr/bin/env bash
# (2) Chrome JSON import rate (events/s, MB/s of uncompressed JSON) with the heap held at 1 GB, and
# (3) capture size vs. the JSON, on a generated 2 GiB Kineto-style trace. hyperfine times, in one run:
#   baseline-cat      cat TRACE > /dev/null          (reading the file from the page cache)
#   baseline-jsonscan java -Xmx1g JsonScan TRACE      (jackson-core token scan: the parse floor)
#   import            java -Xmx1g ... import TRACE -o OUT --force   (the CLI, as ./throughline runs it)
# each wrapped in /usr/bin/time for its max RSS.
# Env: SIZE (default 2g), RUNS (5), SKIP_BUILD=1.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need hyperfine hyperfine
need python3 python3
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing: apt-get install -y time" >&2; exit 1; }
build
echo "start $(cat /proc/loadavg)" > "$OUT/import-load.txt"
set_cli "-Xmx1g"
SIZE="${SIZE:-2g}"
TRACE="$OUT/trace-$SIZE.json"
generate "$TRACE" --size "$SIZE"
CAP="$OUT/import-$SIZE.tlcap"
RSS="$OUT/import-rss"
rm -rf "$RSS"; mkdir -p "$RSS"
cat "$TRACE" > /dev/null   # page cache warm for every command alike
hyperfine --runs "${RUNS:-5}" --export-json "$OUT/import-hyperfine.json" \
  -n baseline-cat "/usr/bin/time -f '%e %M' -a -o $RSS/rss-baseline-cat.txt cat $TRACE > /dev/null" \
  -n baseline-jsonscan "/usr/bin/time -f '%e %M' -a -o $RSS/rss-baseline-jsonscan.txt java -Xmx1g -cp $BENCH_JAR dev.throughline.bench.JsonScan $TRACE" \
  -n import "/usr/bin/time -f '%e %M' -a -o $RSS/rss-import.txt $TL import $TRACE -o $CAP --force"
need sqlite3 sqlite3
{ echo "slices by category in $CAP:"
  sqlite3 "$CAP" "select c.name || ' ' || s.count from summary_category s join category c on c.id = s.category order by s.count desc"
  echo "loss:"; sqlite3 "$CAP" "select source || ' ' || kind || ' ' || count from loss"
  echo "rows: slice $(sqlite3 "$CAP" 'select count(*) from slice'), arg_set $(sqlite3 "$CAP" 'select count(*) from arg_set'), flow $(sqlite3 "$CAP" 'select count(*) from flow'), instant $(sqlite3 "$CAP" 'select count(*) from instant'), string $(sqlite3 "$CAP" 'select count(*) from string')"
} | tee "$OUT/import-capture.txt"
stats="$TRACE.stats"
echo "end $(cat /proc/loadavg)" >> "$OUT/import-load.txt"
python3 "$ROOT/bench/summarize.py" import "$OUT/import-hyperfine.json" "$stats" "$RSS" "$CAP" | tee "$OUT/import.md"
