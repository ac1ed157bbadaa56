#!/usr/bin/env bash
# The GPU probes checked for real, in two steps because the GPU machine has no JDK and no network:
#
#   bench/gpu/run-on-gpu.sh build   # here (JDK 17 + Maven): jars + a jlink-ed JRE -> bench/gpu/carry/ (< 64 MiB)
#   bench/gpu/run-on-gpu.sh run     # there (driver, CUDA 13): the sample alone, then GpuCheck; results table;
#                                   # then end to end through the CLI: the PyTorch sample on CUDA recorded with
#                                   # --torch-profiler (kernel totals per name vs torch's own key_averages() of
#                                   # the same run) and samples/jvm-gpu recorded under the JVM agent (CUPTI)
#
# With the device tool: build here, then run(command="bench/gpu/run-on-gpu.sh run", carry=["bench/gpu/carry"]).
# `run` prints the table and, where $OUT is set, writes it to $OUT/gpu-check.md with the full log beside it.
# Environment: GPU_CHECK=0 (skip the sample alone and GpuCheck), TORCH_TIMEOUT (150 s), PYTHON (python3: one with CUDA torch), SIZE, ITERATIONS, BUSY_SECONDS (GpuCheck's flags), DEBUG=1 (JavaCPP's loader log).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
carry="$here/carry"

build() {
  command -v jlink >/dev/null || { echo "run-on-gpu: jlink missing (a JDK 17 is needed to build)" >&2; exit 1; }
  (cd "$root" && mvn -q -B -DskipTests package -pl gpu-probes,samples/jvm-gpu,samples/jvm-serving,profiler-agents/jvm,app,bench -am)
  rm -rf "$carry"
  mkdir -p "$carry/lib"
  cp "$root/gpu-probes/target/throughline-gpu-probes-"*.jar "$carry/lib/gpu-probes.jar"
  cp "$root/samples/jvm-gpu/target/jvm-gpu.jar" "$carry/"
  cp "$root/samples/jvm-gpu/target/lib/"*.jar "$carry/lib/"   # jvm-gpu.jar's manifest finds them in lib/
  # the CLI (record, report, query) without the workbench's JavaFX and charts, and the JVM agent
  mkdir -p "$carry/app"
  cp "$root/app/target/throughline-app.jar" "$carry/app/"
  find "$root/app/target/lib" -name '*.jar' ! -name 'javafx-*' ! -name 'jfreechart*' ! -name 'org.jfree*' \
    ! -name 'cuda-*' ! -name 'javacpp-*' -exec cp {} "$carry/app/" \;
  cp "$root/profiler-agents/jvm/target/throughline-jvm-agent.jar" "$carry/"
  cp "$root/samples/jvm-serving/target/jvm-serving.jar" "$carry/"   # for jvm-ab (self-contained, shaded)
  mkdir -p "$carry/classes/dev/throughline/bench"                    # the machine's steadiness, beside them
  cp "$root/bench/target/classes/dev/throughline/bench/MachineSteadiness.class" "$carry/classes/dev/throughline/bench/"
  local jre; jre="$(mktemp -d)/jre"
  jlink --add-modules java.base,java.sql,java.logging,java.management,jdk.management,java.instrument,jdk.attach,jdk.jfr,jdk.unsupported,java.naming,jdk.httpserver \
    --strip-debug --no-header-files --no-man-pages --compress=2 --output "$jre"
  tar -C "$(dirname "$jre")" -czf "$carry/jre.tar.gz" jre   # gzipped: 23 MB instead of 40 on the wire
  rm -rf "$(dirname "$jre")"
  echo "commit $(cd "$root" && git rev-parse --short HEAD) built $(date -u '+%Y-%m-%d %H:%M UTC')" > "$carry/VERSION"
  du -sh "$carry"
  local bytes; bytes="$(du -sb "$carry" | cut -f1)"
  [ "$bytes" -lt $((60 * 1024 * 1024)) ] || { echo "run-on-gpu: carry is $bytes bytes, over the 64 MiB limit" >&2; exit 1; }
}

# Directories holding each CUDA library the presets link, wherever this machine keeps them: the toolkit,
# the driver's folder (/usr/local/nvidia in containers), or the pip wheels PyTorch brought (nvidia/*/lib).
library_path() {
  local roots=(/usr/local/cuda/lib64 /usr/local/cuda/extras/CUPTI/lib64 /usr/local/cuda/targets/x86_64-linux/lib
               /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu /usr/lib64)
  local py site
  for py in python3 /opt/torch/.venv/bin/python3; do
    site="$($py -c 'import site; print(" ".join(site.getsitepackages()))' 2>/dev/null || true)"
    for s in $site; do [ -d "$s/nvidia" ] && roots+=("$s/nvidia"); done
  done
  local dirs=() lib found
  for lib in libcuda.so.1 libnvidia-ml.so.1 libcudart.so.13 libcupti.so.13 libcublas.so.13 libcublasLt.so.13; do
    found=""
    for r in "${roots[@]}"; do
      [ -d "$r" ] || continue
      found="$(find -L "$r" -maxdepth 4 -name "$lib" -print -quit 2>/dev/null || true)"
      [ -n "$found" ] && break
    done
    if [ -n "$found" ]; then
      echo "  $lib: $found" >&2
      dirs+=("$(dirname "$found")")
    else
      echo "  $lib: NOT FOUND" >&2
    fi
  done
  local IFS=:
  echo "${dirs[*]}"
}

# unpack_jre DIR: the carried JRE into DIR/jre (a fresh DIR each time); where the agent jar goes, record and attach
# find it (profiler-agents/jvm/target under throughline.home).
unpack_jre() {
  [ -f "$carry/jre.tar.gz" ] || { echo "run-on-gpu: $carry/jre.tar.gz missing: run 'build' first and carry bench/gpu/carry" >&2; exit 1; }
  rm -rf "$1" && mkdir -p "$1" "$root/profiler-agents/jvm/target" && tar -C "$1" -xzf "$carry/jre.tar.gz"
  cp "$carry/throughline-jvm-agent.jar" "$root/profiler-agents/jvm/target/"
}

run() {
  local work=/tmp/throughline-gpu
  unpack_jre "$work"
  local java="$work/jre/bin/java"
  local log="${OUT:-$work}/gpu-check.log"
  {
    echo "== $(cat "$carry/VERSION"); $(date -u '+%Y-%m-%d %H:%M UTC')"
    nvidia-smi -L 2>&1 || true
    nvidia-smi --query-gpu=driver_version,name,memory.total --format=csv,noheader 2>&1 || true
    echo "== libraries"
    local lp; lp="$(library_path)"
    export LD_LIBRARY_PATH="$lp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    local debug=()
    [ "${DEBUG:-0}" = 1 ] && debug=(-Dorg.bytedeco.javacpp.logger.debug=true)
    local rc=0
    if [ "${GPU_CHECK:-1}" = 1 ]; then
      echo "== the sample alone"
      "$java" "${debug[@]}" -jar "$carry/jvm-gpu.jar" --iterations 5 --size 2048 || echo "(sample exit $?)"
      echo "== GpuCheck"
      set +e
      "$java" "${debug[@]}" -cp "$carry/lib/*:$carry/jvm-gpu.jar" dev.throughline.gpu.check.GpuCheck \
        --size "${SIZE:-8192}" --iterations "${ITERATIONS:-30}" --busy-seconds "${BUSY_SECONDS:-6}" \
        --table "${OUT:-$work}/gpu-check.md"
      rc=$?
      set -e
      echo "== GpuCheck exit $rc (0 all passed, 1 a check failed, 2 no GPU)"
    fi
    end_to_end || rc=1
    return $rc
  } 2>&1 | tee "$log"
  return "${PIPESTATUS[0]}"
}

# Through the CLI, as a user runs it: record, report, compare. Writes captures and tables to ${OUT:-$work}.
end_to_end() {
  local out="${OUT:-$work}" ok=0
  tl() { "$java" -Dthroughline.home="$root" -cp "$carry/app/*:$carry/lib/*" dev.throughline.app.Main "$@"; }
  echo "== issue 3: the PyTorch sample on CUDA, --torch-profiler (and torch's own key_averages of the same run)"
  # a watchdog: a job still running after TORCH_TIMEOUT s gets its Python processes' stacks dumped (faulthandler,
  # SIGABRT) instead of running out the device call's time unexplained (the first GPU run hung in a worker)
  PYTHONFAULTHANDLER=1 THROUGHLINE_TORCH_KEY_AVERAGES="$out/key_averages.json" tl record -o "$out/torch-cuda.tlcap" \
    --force --torch-profiler -- "${PYTHON:-python3}" "$root/samples/pytorch-train/train.py" --device cuda --workers 2 \
    --steps 40 --batch 64 &
  local job=$! waited=0
  while kill -0 "$job" 2>/dev/null && [ "$waited" -lt "${TORCH_TIMEOUT:-150}" ]; do sleep 1; waited=$((waited + 1)); done
  if kill -0 "$job" 2>/dev/null; then
    echo "== still running after ${TORCH_TIMEOUT:-150} s: the Python stacks (faulthandler)"
    pkill -ABRT -f "samples/pytorch-train/train.py" || true
  fi
  wait "$job" || ok=1
  tl report "$out/torch-cuda.tlcap" > "$out/torch-cuda.report.txt" 2>&1 || ok=1
  head -40 "$out/torch-cuda.report.txt"
  tl query "$out/torch-cuda.tlcap" --csv --max-rows 100000 "SELECT n.category, s.value AS name, n.count, n.total_ns \
    FROM summary_name n JOIN string s ON s.id = n.name_id WHERE n.category IN (4, 9)" > "$out/torch-cuda-totals.csv" || ok=1
  python3 "$root/bench/gpu/compare_key_averages.py" "$out/key_averages.json" "$out/torch-cuda-totals.csv" \
    | tee "$out/torch-key-averages.md" || ok=1
  echo "== issue 5: samples/jvm-gpu recorded under the JVM agent (CUPTI through the sample's own presets)"
  tl record -o "$out/jvm-gpu.tlcap" --force -- "$java" -jar "$carry/jvm-gpu.jar" --iterations 20 --size 4096 || ok=1
  tl report "$out/jvm-gpu.tlcap" > "$out/jvm-gpu.report.txt" 2>&1 || ok=1
  head -40 "$out/jvm-gpu.report.txt"
  tl query "$out/jvm-gpu.tlcap" "SELECT key, value FROM meta WHERE key LIKE 'agent.jvm.%.cupti' OR key LIKE 'gpu.%'" || ok=1
  tl query "$out/jvm-gpu.tlcap" "SELECT c.name AS category, count(*), sum(s.dur_ns) FROM slice s JOIN category c ON c.id = s.category \
    WHERE s.category IN (8, 9, 10, 11, 12) GROUP BY 1" || ok=1
  return $ok
}

# Issue 4's JVM-agent figures on the GPU machine's cores, which a shared 2-core box cannot give: several
# configurations at once, each on its own two cores (service | load generator + collector) from JVM_FIRST_CPU (2), or
# three with JVM_COLLECTOR_CORE=1 (the collector apart, so that it never delays the open loop's sends).
# `jvm-ab` runs bench/run-jvm-ab.sh (a load generator per window), `jvm-steady` bench/run-jvm-steady.sh (one load for
# the whole run); JVM_CONFIGS lists the configurations as NAME|OPTS|RATE|CONTROL, one per line (RATE: jvm-ab only).
# Writes $OUT/jvm.tar.gz (the results and their raw files, no captures).
JVM_AB_DEFAULT='defaults|||
control|||1
base|--event=off,--jfr=off||
cpu-nojfr|--jfr=off||
cpu-1ms-nojfr|--jfr=off,--interval=1ms||
cpu-100ms-nojfr|--jfr=off,--interval=100ms||
defaults-open||3000|'
JVM_STEADY_DEFAULT='control|||1
defaults|||
base|--event=off,--jfr=off||
cpu-nojfr|--jfr=off||'
side_by_side() { # SCRIPT CONFIGS
  local script="$1" configs="$2"
  [ -f "$carry/jvm-serving.jar" ] || { echo "run-on-gpu: $carry/jvm-serving.jar missing: run 'build' first" >&2; exit 1; }
  local work=/tmp/throughline-jvm
  unpack_jre "$work"
  export PATH="$work/jre/bin:$PATH"
  # the layout bench/common.sh expects: a frozen app and the service's jar (the agent jar: unpack_jre)
  local frozen="$root/bench/out/frozen"
  rm -rf "$frozen" && mkdir -p "$frozen/lib" "$root/samples/jvm-serving/target"
  cp "$carry/app/throughline-app.jar" "$frozen/"
  find "$carry/app" -name '*.jar' ! -name throughline-app.jar -exec cp {} "$frozen/lib/" \;
  cp "$carry/VERSION" "$frozen/VERSION"
  cp "$carry/jvm-serving.jar" "$root/samples/jvm-serving/target/"
  local out="${OUT:-$work}" cpu="${JVM_FIRST_CPU:-2}" name opts rate control pids=() tag="${script%.sh}"
  tag="${tag#run-}"
  {
    echo "== $(cat "$carry/VERSION"); $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cpus; $(java -version 2>&1 | head -1)"
    grep -m1 'model name' /proc/cpuinfo; echo "perf_event_paranoid $(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null)"
    echo "loadavg $(cat /proc/loadavg)"
  } | tee "$out/$tag-machine.txt"
  while IFS='|' read -r name opts rate control; do
    [ -n "$name" ] || continue
    local collector=$((cpu + 1)) width=2
    [ "${JVM_COLLECTOR_CORE:-0}" = 1 ] && { collector=$((cpu + 2)); width=3; }
    echo "== $name on cpus $cpu (service), $((cpu + 1)) (load), $collector (collector): OPTS=$opts RATE=$rate CONTROL=$control"
    NAME="$name" OPTS="$opts" RATE="$rate" CONTROL="${control:-0}" TASKSET_SERVICE="$cpu" TASKSET_OTHERS="$((cpu + 1))" \
      TASKSET_COLLECTOR="$collector" SKIP_BUILD=1 "$root/bench/$script" > "$out/$tag-$name.log" 2>&1 &
    pids+=($!)
    cpu=$((cpu + width))
  done <<< "$configs"
  # meanwhile, on the next free core: how steady the machine's CPU is (bench MachineSteadiness), a minute at a time
  ( while kill -0 "${pids[@]}" 2>/dev/null; do
      taskset -c "$cpu" java -cp "$carry/classes" dev.throughline.bench.MachineSteadiness --seconds 60 --window 15 || break
    done > "$out/$tag-steadiness.txt" 2>&1 ) &
  local rc=0 p steadiness=$!
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  wait "$steadiness" || true
  cat "$out/$tag-steadiness.txt"
  cat "$root"/bench/out/"$tag"-*.md
  (cd "$root/bench/out" && tar -czf "$out/$tag.tar.gz" --exclude='*.tlcap' --exclude='*.hgrm' "$tag" "$tag"-*.md)
  return $rc
}

case "${1:-}" in
  build) build ;;
  run) run ;;
  jvm-ab) side_by_side run-jvm-ab.sh "${JVM_CONFIGS:-$JVM_AB_DEFAULT}" ;;
  jvm-steady) side_by_side run-jvm-steady.sh "${JVM_CONFIGS:-$JVM_STEADY_DEFAULT}" ;;
  *) echo "usage: $0 build | run | jvm-ab | jvm-steady   (build here; the others on the GPU machine, bench/gpu/carry carried)" >&2
     exit 64 ;;
esac
