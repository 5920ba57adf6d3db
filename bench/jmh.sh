#!/usr/bin/env bash
# Runs the JMH benchmarks (test-scoped in their modules) on one core:
#   bench/jmh.sh [JMH options]        e.g. bench/jmh.sh FrameCodecBenchmark -f 1
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
mvn -B -q -pl companion-protocol -am test-compile
CP_FILE="$(mktemp)"
mvn -B -q -pl companion-protocol dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
CP="companion-protocol/target/test-classes:companion-protocol/target/classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
# taskset pins the benchmark JVM to one core, as the targets are stated per core.
exec taskset -c 0 java -cp "$CP" org.openjdk.jmh.Main "$@"
