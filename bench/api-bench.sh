#!/usr/bin/env bash
# Local API benchmarks of issue #7: see docs/benchmarks.md, "Local API (#7)".
#
#   bench/api-bench.sh            (knobs: SECONDS_LOAD=10; DIR=a folder on the disk to measure, default /var/tmp)
#
# Needs the agent built (agent/target/waveos-agent.jar and test-classes: mvn -o -pl agent -am verify).
# 1. push burst: 1000 signed pushes of 200 distinct 64 KiB bundles at concurrency 50 through the real
#    server (auth, limits, streaming into an inbox with fsync, idempotency); the agent behind it is a
#    stand-in that answers at once (the install pipeline is measured in docs/updates.md).
#    Expect: statuses {202=1000}, 200 distinct install ids, 200 placed, 800 answered idempotently.
# 2. load: /healthz (unsigned) and signed /metrics at concurrency 16 for SECONDS_LOAD each.
# Writes only a temporary folder under DIR, removed at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
: "${SECONDS_LOAD:=10}" "${DIR:=/var/tmp}"
CP="$ROOT/agent/target/test-classes:$ROOT/agent/target/waveos-agent.jar"
WORK="$(mktemp -d "$DIR/api-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) cpus $(nproc)"
java -Xmx256m -cp "$CP" io.waveos.agent.bench.ApiPushBench push "$WORK/push"
java -Xmx256m -cp "$CP" io.waveos.agent.bench.ApiPushBench load "$WORK/load" "$SECONDS_LOAD"
