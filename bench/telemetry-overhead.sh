#!/usr/bin/env bash
# The agent's CPU cost of telemetry (issue #5 benchmark; figures in docs/benchmarks.md).
#
#   bench/telemetry-overhead.sh [SECONDS] [JAR]
#
# Starts two agents side by side in one run, each supervising the same 10 idle services
# (/bin/sleep): "on" samples every second (system, 10 services, agent; metrics.csv written every
# minute), "off" has telemetry disabled. Both have scheduled evidence packs off and the unit's JVM
# flags. After a 20 s warm-up it reads each agent's CPU time (utime+stime of /proc/PID/stat) over
# SECONDS (default 120) and prints CPU as % of one core, and the difference: the sampling overhead.
# Target: <= 1 % of one core. Writes nothing outside a temporary folder, which it removes.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SECS="${1:-120}"
JAR="${2:-$HERE/../agent/target/waveos-agent.jar}"
if [[ ! -f "$JAR" ]]; then
  (cd "$HERE/.." && mvn -B -q -o -DskipTests package -pl agent -am)
fi
JVM_FLAGS=(-Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError)
WORK="$(mktemp -d /tmp/wbench-telemetry.XXXXXX)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

config() { # name telemetry-enabled
  local dir="$WORK/$1"
  mkdir -p "$dir"
  {
    echo "schema_version: 1"
    echo "device_id: bench-$1"
    echo "paths: {state: $dir/state, logs: $dir/logs}"
    echo "telemetry: {enabled: $2, sample_interval: 1s, write_interval: 1m}"
    echo "evidence: {schedule: null}"
    echo "services:"
    for i in $(seq 1 10); do
      echo "  - name: svc$i"
      echo "    command: [/bin/sleep, \"1000000\"]"
    done
  } > "$dir/agent.yaml"
  echo "$dir/agent.yaml"
}

cpu_ticks() { # pid -> utime+stime
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

ON_CFG="$(config on true)"
OFF_CFG="$(config off false)"
java "${JVM_FLAGS[@]}" -jar "$JAR" agent --config "$ON_CFG" > "$WORK/on.out" 2>&1 &
PIDS+=("$!")
java "${JVM_FLAGS[@]}" -jar "$JAR" agent --config "$OFF_CFG" > "$WORK/off.out" 2>&1 &
PIDS+=("$!")
sleep 20
HZ="$(getconf CLK_TCK)"
ON0="$(cpu_ticks "${PIDS[0]}")"; OFF0="$(cpu_ticks "${PIDS[1]}")"; T0="$(date +%s.%N)"
sleep "$SECS"
ON1="$(cpu_ticks "${PIDS[0]}")"; OFF1="$(cpu_ticks "${PIDS[1]}")"; T1="$(date +%s.%N)"
ROWS="$(cat "$WORK"/on/logs/runs/current/metrics.csv 2>/dev/null | wc -l)"
awk -v on0="$ON0" -v on1="$ON1" -v off0="$OFF0" -v off1="$OFF1" -v t0="$T0" -v t1="$T1" -v hz="$HZ" \
    -v rows="$ROWS" 'BEGIN {
  secs = t1 - t0
  on = (on1 - on0) / hz / secs * 100
  off = (off1 - off0) / hz / secs * 100
  printf "window %.1f s, CLK_TCK %d\n", secs, hz
  printf "agent with sampling every 1 s (10 services): %.3f %% of one core\n", on
  printf "agent with telemetry off:                    %.3f %% of one core\n", off
  printf "sampling overhead:                           %.3f %% of one core (target <= 1 %%)\n", on - off
  printf "metrics.csv rows written so far: %d\n", rows
}'
