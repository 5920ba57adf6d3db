#!/usr/bin/env bash
# Log spool benchmarks of issue #6: see docs/benchmarks.md, "Log spool (#6)".
#
#   bench/spool-bench.sh          (knobs: N=200000 records for batch and none, N/20 for always;
#                                  SECONDS_CAPTURE=10; DIR=a folder on the disk to measure, default /var/tmp)
#
# Needs the agent built (agent/target/waveos-agent.jar and test-classes: mvn -o -pl agent -am verify).
# 1. append: 256-byte records through the spool's writer under always / batch / none, each followed by
#    a raw FileChannel append loop of the same record size at the same fsync cadence (the baseline).
# 2. capture: `yes` writing 100-byte lines through the launcher's pipe reader into the spool (batch);
#    lines/s written and dropped, and the benchmark JVM's CPU (the agent's capture path).
# Writes only a temporary folder under DIR, removed at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
: "${N:=200000}" "${SECONDS_CAPTURE:=10}" "${DIR:=/var/tmp}"
CP="$ROOT/agent/target/test-classes:$ROOT/agent/target/waveos-agent.jar"
WORK="$(mktemp -d "$DIR/spool-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
FLAGS=(-Xmx32m -Xss256k -XX:+UseSerialGC -XX:-UsePerfData)
echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) fs $(df -T "$WORK" | awk 'NR==2{print $2}')"
java "${FLAGS[@]}" -cp "$CP" io.waveos.agent.bench.SpoolBench append "$WORK/append" "$N"
java "${FLAGS[@]}" -cp "$CP" io.waveos.agent.bench.SpoolBench capture "$WORK/capture" "$SECONDS_CAPTURE"
