# Sourced by the bench/run-*.sh scripts: paths, the build, and a frozen copy of the app to time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"

need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "bench: '$1' is missing; install it: apt-get install -y $2" >&2
  exit 1
}

FROZEN="$OUT/frozen"

# Builds the reactor (skipped with SKIP_BUILD=1), then copies the bench jar, the app jar and its libs to
# bench/out/frozen/, so that a rebuild by someone else mid-run cannot change what is being timed; every
# script of one run-all uses the same copy. The copy records which code it is (frozen/VERSION).
# (On the GPU machine, bench/gpu/run-on-gpu.sh jvm-ab lays out a frozen copy of the app without the bench jar.)
build() {
  if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$FROZEN/throughline-app.jar" ]; then
    if [ "${SKIP_BUILD:-0}" != 1 ]; then
      echo "bench: building (mvn -q -B -DskipTests package)..." >&2
      (cd "$ROOT" && mvn -q -B -DskipTests package)
    fi
    [ -f "$ROOT/bench/target/throughline-bench.jar" ] || { echo "bench: bench/target/throughline-bench.jar is missing; build first" >&2; exit 1; }
    rm -rf "$FROZEN"
    mkdir -p "$FROZEN"
    cp "$ROOT/bench/target/throughline-bench.jar" "$ROOT/app/target/throughline-app.jar" "$FROZEN/"
    cp -r "$ROOT/app/target/lib" "$FROZEN/lib"
    {
      echo "commit: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo none)" \
           "+ $(cd "$ROOT" && git status --porcelain 2>/dev/null | wc -l | tr -d ' ') changed/untracked paths"
      echo "built: $(date -u -r "$FROZEN/throughline-bench.jar" '+%Y-%m-%d %H:%M UTC')"
      (cd "$FROZEN" && sha256sum throughline-app.jar lib/throughline-storage-*.jar | sed 's/^\(.\{12\}\)[^ ]*/\1/')
    } > "$FROZEN/VERSION"
  fi
  BENCH_JAR="$FROZEN/throughline-bench.jar"
}

# TL runs the CLI exactly as ./throughline does (minus its "sources changed?" check), from the frozen copy.
set_cli() {
  TL="java ${1:-} -Dthroughline.home=$ROOT -cp $FROZEN/throughline-app.jar:$FROZEN/lib/* dev.throughline.app.Main"
}

# cpu_timed OUTFILE CMD...: runs CMD, then writes "cpu_s USER SYS" (its CPU seconds) to OUTFILE; GNU time where
# installed, else the shell's own `times` (the GPU machine has no /usr/bin/time).
cpu_timed() {
  local out="$1"; shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "cpu_s %U %S" -o "$out" "$@"
  else
    # `times` in this subshell itself (not in a pipe's): its second line is the CPU of the subshell's children
    local rc=0
    ( set +e; "$@"; rc=$?; times > "$out.raw"; exit $rc ) || rc=$?
    awk 'NR == 2 { gsub(/s/, ""); split($1, u, "m"); split($2, s, "m"); print "cpu_s", u[1] * 60 + u[2], s[1] * 60 + s[2] }' \
      "$out.raw" > "$out"
    rm -f "$out.raw"
    return $rc
  fi
}

# Generates a trace once (reused while its .stats says the same limits and seed).
generate() { # FILE LIMIT_FLAG LIMIT
  local file="$1" flag="$2" value="$3" want
  want="$flag $value seed=42"
  if [ -f "$file" ] && [ -f "$file.stats" ] && [ "$(cat "$file.limits" 2>/dev/null)" = "$want" ]; then
    echo "bench: reusing $file ($(grep '^bytes=' "$file.stats" | cut -d= -f2) bytes)" >&2
    return
  fi
  java -Xmx512m -cp "$BENCH_JAR" dev.throughline.bench.TraceGenerator "$flag" "$value" --seed 42 --out "$file"
  echo "$want" > "$file.limits"
}

# samples/jvm-serving for the JVM-agent scripts (run-jvm-*.sh): the service as every one of them runs it.
SERVING_JAR="$ROOT/samples/jvm-serving/target/jvm-serving.jar"

# serving_start DIR [CPUS]: starts the service in the background (pinned to CPUS when given), its output in DIR;
# SERVICE_FLAGS, when set, replaces its flags;
# sets SERVICE_PID (the java process itself) and SERVICE_PORT once it listens.
serving_start() {
  local dir="$1" cpus="${2:-}" pin=()
  [ -n "$cpus" ] && pin=(taskset -c "$cpus")
  # SERVICE_FLAGS replaces the service's flags (e.g. "--workers 2 --max-batch 1" for a load without batching)
  "${pin[@]}" java -Xmx256m -XX:+UseG1GC -jar "$SERVING_JAR" --port 0 ${SERVICE_FLAGS:---workers 2 --max-batch 8 --max-wait-ms 2} \
    > "$dir/service.out" 2> "$dir/service.err" &
  SERVICE_PID=$!
  for _ in $(seq 1 100); do grep -q '^listening on' "$dir/service.out" 2>/dev/null && break; sleep 0.1; done
  SERVICE_PORT="$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$dir/service.out")"
}

# serving_attach DIR PID CPUS DURATION_S TAG [ATTACH-OPTIONS...]: records PID with the attach CLI (pinned to CPUS)
# into DIR/TAG.tlcap, in the background ($! is that job: the caller waits for it), its CPU time in
# DIR/TAG-collector.time; returns once the agent is loaded.
serving_attach() {
  local dir="$1" pid="$2" cpus="$3" secs="$4" tag="$5"
  shift 5
  cpu_timed "$dir/$tag-collector.time" taskset -c "$cpus" \
    $TL attach "$pid" --duration "${secs}s" "$@" -o "$dir/$tag.tlcap" --force > /dev/null 2> "$dir/$tag-attach.err" &
  for _ in $(seq 1 100); do grep -q 'attached to pid' "$dir/$tag-attach.err" 2>/dev/null && break; sleep 0.1; done
}

# serving_load CPUS OUTFILE LOADGEN-ARGS...: the load generator against SERVICE_PORT (pinned to CPUS unless empty);
# its summary line goes to OUTFILE, its histogram to OUTFILE.hgrm.
serving_load() {
  local cpus="$1" out="$2" pin=()
  shift 2
  [ -n "$cpus" ] && pin=(taskset -c "$cpus")
  "${pin[@]}" java -cp "$SERVING_JAR" dev.throughline.samples.serving.LoadGenerator --port "$SERVICE_PORT" "$@" \
    --histogram "$out.hgrm" > "$out"
}

# threads_cpu PID: one line "name ticks" per thread of PID (spaces in the name as _; ticks = user + system, in
# clock ticks, from /proc/PID/task/*/stat): what run-jvm-threads.sh groups and run-jvm-jit.sh sums for the JIT.
threads_cpu() {
  for t in /proc/"$1"/task/*; do
    [ -r "$t/stat" ] || continue
    local comm; comm="$(cat "$t/comm" 2>/dev/null | tr ' ' '_')"
    awk -v c="$comm" '{ s = $0; sub(/.*\) /, "", s); split(s, f, " "); print c, f[12] + f[13] }' "$t/stat" 2>/dev/null
  done
}
