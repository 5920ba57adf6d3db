#!/usr/bin/env bash
# WaveOS agent benchmarks, next to supervisord: see docs/benchmarks.md.
#
#   bench/run-benchmarks.sh [JAR]       (default: ../agent/target/waveos-agent.jar next to this script)
#
# 1. crash-to-restart latency: bench/crashloop.c under the agent (zero backoff), then under
#    supervisord (startsecs=0, autorestart=true), same binary, same machine, one run after the other
# 2. idle footprint: agent, agent with AppCDS and supervisord, 10 idle services each, side by side;
#    plus the agent with -XX:-UsePerfData (with and without AppCDS), the suggested fix for idle CPU
# 3. start to READY=1: the agent with 10 services, with and without AppCDS (and AppCDS with
#    -XX:-UsePerfData), interleaved runs
# Every agent runs with the systemd unit's JVM flags: -Xmx32m -Xss256k -XX:+UseSerialGC
# -XX:+ExitOnOutOfMemoryError (plus the variant's flags; figures in docs/benchmarks.md before issue #3
# also had -XX:TieredStopAtLevel=1).
#
# Knobs (environment): RESTARTS (agent, 500), SV_RESTARTS (supervisord, 200: it restarts about
# once a second, so this part takes ~4-5 minutes), WARMUP_RESTARTS (10, skipped for both),
# IDLE_SECONDS (60), IDLE_WARMUP (10), READY_RUNS (15), KEEP=1 keeps the temporary folder.
# JAVA and SUPERVISORD name the binaries (default: from PATH).
#
# Needs: java 17, supervisord (apt-get install -y supervisor; never started as a system service
# here, only as our own `supervisord -c CONF -n`), gcc, /usr/bin/python3. Uses only loopback and a
# temporary folder; signals only the processes it starts.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
JAR_IN="${1:-$HERE/../agent/target/waveos-agent.jar}"
PY=/usr/bin/python3
: "${RESTARTS:=500}" "${SV_RESTARTS:=200}" "${WARMUP_RESTARTS:=10}" "${IDLE_SECONDS:=60}" "${IDLE_WARMUP:=10}" "${READY_RUNS:=15}"

for tool in java supervisord gcc "$PY"; do
  command -v "${tool}" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
[ -f "$JAR_IN" ] || { echo "no agent jar at $JAR_IN" >&2; exit 1; }

# Latency figures follow the machine's load (2 vCPUs: a parallel build doubles them). Say so.
if "$PY" -c 'import os,sys; sys.exit(0 if os.getloadavg()[0] > 0.5 * os.cpu_count() else 1)'; then
  echo "WARNING: load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) CPUs: something else is running; figures will be noisy" >&2
fi
WORK="$(mktemp -d /tmp/wbench-run.XXXXXX)"
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$WORK"' EXIT; fi
# A private copy: the jar in target/ may be rebuilt while this runs.
cp "$JAR_IN" "$WORK/waveos-agent.jar"
JAR="$WORK/waveos-agent.jar"
gcc -O2 -Wall -o "$WORK/crashloop" "$HERE/crashloop.c"
TAG="wbench-$$-$(date +%s)"
W=("--jar" "$JAR" "--work" "$WORK" "--tag" "$TAG")

{
  echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), kernel $(uname -r)"
  echo "jdk: $(java -version 2>&1 | head -2 | tail -1)"
  echo "supervisord: $(supervisord --version), python $($PY -c 'import sys; print(sys.version.split()[0])')"
  echo "jar: $JAR_IN ($(sha256sum "$JAR" | cut -c1-16))"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "started: $(date -u +%FT%TZ)"
} | tee "$WORK/machine.txt"

echo "== 1. crash-to-restart latency (agent $RESTARTS restarts, then supervisord $SV_RESTARTS) ==" >&2
"$PY" "$HERE/wbench.py" crash "${W[@]}" --crashloop "$WORK/crashloop" --restarts "$RESTARTS" \
  --sv-restarts "$SV_RESTARTS" --warmup "$WARMUP_RESTARTS" > "$WORK/crash.log"
echo "== AppCDS archive (one agent run with -XX:ArchiveClassesAtExit) ==" >&2
"$PY" "$HERE/wbench.py" cds "${W[@]}" > "$WORK/cds.log"
echo "== 2. idle footprint (${IDLE_WARMUP}s warm-up, ${IDLE_SECONDS}s window) ==" >&2
"$PY" "$HERE/wbench.py" idle "${W[@]}" --warmup-seconds "$IDLE_WARMUP" --seconds "$IDLE_SECONDS" \
  --cds "$WORK/agent.jsa" --variant "agent -UsePerfData=-XX:-UsePerfData" \
  --variant "agent+AppCDS -UsePerfData=-XX:SharedArchiveFile={cds},-XX:-UsePerfData" > "$WORK/idle.log"
echo "== 3. start to READY ($READY_RUNS runs each) ==" >&2
"$PY" "$HERE/wbench.py" ready "${W[@]}" --runs "$READY_RUNS" --cds "$WORK/agent.jsa" \
  --variant "agent+AppCDS -UsePerfData=-XX:SharedArchiveFile={cds},-XX:-UsePerfData" > "$WORK/ready.log"

echo "finished: $(date -u +%FT%TZ), load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$WORK/machine.txt"
echo
"$PY" "$HERE/wbench.py" table --work "$WORK"
echo
echo "raw results: $WORK/{crash,idle,ready,cds}.json$([ "${KEEP:-0}" = 1 ] || echo ' (removed on exit; KEEP=1 keeps them)')"
