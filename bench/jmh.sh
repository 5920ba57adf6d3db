#!/usr/bin/env bash
# Runs the JMH benchmarks (test-scoped in their modules) on one core:
#   bench/jmh.sh [JMH options]                   e.g. bench/jmh.sh FrameCodecBenchmark -f 1
#   MODULE=agent bench/jmh.sh [JMH options]      e.g. MODULE=agent bench/jmh.sh PolicyBenchmark
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
MODULE="${MODULE:-companion-protocol}"
CP_FILE="$(mktemp)"
# One reactor build: sibling modules resolve to their target/ folders (never to ~/.m2); the last
# module built is $MODULE, so the file holds its test classpath.
mvn -B -q -o -pl "$MODULE" -am test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
  -Dmdep.includeScope=test
CP="$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
# taskset pins the benchmark JVM to one core, as the targets are stated per core.
exec taskset -c 0 java -cp "$CP" org.openjdk.jmh.Main "$@"
