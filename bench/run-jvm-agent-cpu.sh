#!/usr/bin/env bash
# What the JVM agent's own threads cost, as the capture states it (META agent_cpu: the CPU clocks of every
# throughline-agent* thread, read by the agent when it stops). For each variant (attach options), a fresh
# samples/jvm-serving pinned to TASKSET_SERVICE (cpu 1) under a closed loop of CLIENTS clients (TASKSET_OTHERS, cpu 0),
# attached after WARMUP s for SECS s; prints each capture's agent_cpu line into bench/out/jvm-agent-cpu.md.
# VARIANTS is a ;-separated list of attach options ("-" = the defaults), e.g. "-;--jfr on;--event off".
# Env: VARIANTS, SECS (20), WARMUP (12), CLIENTS (16), SKIP_BUILD=1, TASKSET_SERVICE, TASKSET_OTHERS;
# AGENT_HOME: another checkout or folder holding profiler-agents/jvm/target/throughline-jvm-agent.jar (an older agent
# to compare with).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build
set_cli ""
TL="${TL/-Dthroughline.home=$ROOT/-Dthroughline.home=${AGENT_HOME:-$ROOT}}"
SECS="${SECS:-20}"; WARMUP="${WARMUP:-12}"; CLIENTS="${CLIENTS:-16}"
SVC_CPUS="${TASKSET_SERVICE:-1}"; OTHER_CPUS="${TASKSET_OTHERS:-0}"
J="$OUT/jvm-agent-cpu"; rm -rf "$J"; mkdir -p "$J"
IFS=';' read -r -a variants <<< "${VARIANTS:--;--jfr on;--event off}"
{
  echo "### The agent's own threads (agent_cpu), ${SECS} s attached after ${WARMUP} s of a closed loop of ${CLIENTS}"
  echo
  i=0
  for v in "${variants[@]}"; do
    i=$((i + 1))
    serving_start "$J" "$SVC_CPUS"
    pid=$SERVICE_PID
    serving_load "$OTHER_CPUS" "$J/load-$i.txt" --closed "$CLIENTS" --warmup-s 0 --duration-s $((WARMUP + SECS + 5)) &
    load=$!
    sleep "$WARMUP"
    opts=(); [ "$v" != "-" ] && read -r -a opts <<< "$v"
    taskset -c "$OTHER_CPUS" $TL attach "$pid" --duration "${SECS}s" "${opts[@]}" -o "$J/$i.tlcap" --force \
      > /dev/null 2> "$J/$i-attach.err" || { echo "attach failed: $(tail -1 "$J/$i-attach.err")"; }
    wait "$load" || true
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
    label="attach $v"; [ "$v" = "-" ] && label="attach (defaults)"
    echo "- \`$label\` ($(grep -o '[0-9.]* ok/s' "$J/load-$i.txt")): $($TL report "$J/$i.tlcap" \
      | sed -n 's/^Agent cost: JVM agent, pid [0-9]*: //p')"
  done
} | tee "$OUT/jvm-agent-cpu.md"
