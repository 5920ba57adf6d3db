#!/usr/bin/env bash
# Local API under wrk (issue #7, docs/benchmarks.md "Local API"): the real agent jar with the unit's JVM
# flags, 10 idle services, api on 127.0.0.1 with open_metrics (wrk cannot sign requests).
#   1. wrk on /healthz and on /metrics (unsigned) at 16 connections: requests/s and p95;
#   2. a flood of unauthenticated /v1/status requests (64 connections): status counts, the agent's RSS
#      sampled every second during it (bounded?), /healthz latency right after.
#   bench/api-wrk.sh        (knobs: SECONDS_EACH=10; needs wrk (apt-get install wrk), agent/target/waveos-agent.jar)
# Starts only its own agent (and its services) and stops it with SIGTERM at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
: "${SECONDS_EACH:=10}" "${PORT:=17480}"
command -v wrk >/dev/null || { echo "missing: wrk (apt-get install wrk)" >&2; exit 1; }
W="$(mktemp -d /tmp/api-wrk.XXXXXX)"
AGENT_PID=""
cleanup() { if [ -n "$AGENT_PID" ]; then kill -TERM "$AGENT_PID" 2>/dev/null || true; wait "$AGENT_PID" 2>/dev/null || true; fi; rm -rf "$W"; }
trap cleanup EXIT
# start_agent NAME LIMITS: an agent on $PORT with those api limits (a YAML flow map, or empty).
start_agent() {
  local d="$W/$1"
  mkdir -p "$d"
  {
    echo "schema_version: 1"; echo "device_id: wrk-bench"
    echo "paths: {state: $d/state, logs: $d/logs}"
    echo "api:"; echo "  port: $PORT"; echo "  open_metrics: true"
    echo "  keys: [{id: bench, secret: bench-secret-0123456789, role: viewer}]"
    if [ -n "$2" ]; then echo "  limits: $2"; fi
    echo "services:"
    for i in $(seq 0 9); do echo "  - {name: idle$i, command: [/bin/sleep, '100000']}"; done
  } > "$d/agent.yaml"
  # The unit's flags (packaging/systemd/waveos-agent.service).
  java -Xmx32m -Xss256k -XX:+UseSerialGC -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError \
    -jar "$ROOT/agent/target/waveos-agent.jar" agent --config "$d/agent.yaml" > "$d/agent.out" 2>&1 &
  AGENT_PID=$!
  for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "the agent did not answer /healthz" >&2; cat "$d/agent.out" >&2; exit 1
}
stop_agent() { kill -TERM "$AGENT_PID"; wait "$AGENT_PID" || true; AGENT_PID=""; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$AGENT_PID/status"; }
cat > "$W/p95.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("p95_ms %.2f p50_ms %.2f\n", latency:percentile(95) / 1000, latency:percentile(50) / 1000))
end
LUA
# 1. Throughput, with the per-key and per-peer limits lifted so that every answer is a real one (200;
#    an unsigned /metrics scrape spends the peer budget of failures_per_second).
start_agent throughput "{requests_per_second: 1000000, burst: 1000000, failures_per_second: 1000000, max_concurrent: 64}"
echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg), agent RSS $(rss) kB at start"
for path in /healthz /metrics; do
  echo "== wrk -t2 -c16 -d${SECONDS_EACH}s $path"
  wrk -t2 -c16 -d"${SECONDS_EACH}s" -s "$W/p95.lua" "http://127.0.0.1:$PORT$path" | grep -E "Requests/sec|Non-2xx|p95_ms|requests in"
done
stop_agent
# 2. A flood of unsigned requests against the default limits.
start_agent flood ""
echo "== flood: wrk -t2 -c64 -d${SECONDS_EACH}s /v1/status, unsigned, default limits; agent RSS $(rss) kB before"
max=0
( for _ in $(seq "$SECONDS_EACH"); do r=$(rss); echo "$r"; sleep 1; done ) > "$W/rss.txt" &
wrk -t2 -c64 -d"${SECONDS_EACH}s" -s "$W/p95.lua" "http://127.0.0.1:$PORT/v1/status" | grep -E "Requests/sec|Non-2xx|requests in"
wait $!
echo "agent RSS during the flood (kB, one a second): $(tr '\n' ' ' < "$W/rss.txt")"
echo "agent RSS max $(sort -n "$W/rss.txt" | tail -1) kB, after $(rss) kB"
echo "/healthz right after: $(curl -o /dev/null -s -w '%{http_code} in %{time_total}s' "http://127.0.0.1:$PORT/healthz")"
echo "audit lines: $(cat "$W"/flood/logs/api-audit.jsonl* 2>/dev/null | wc -l)"
echo "services still supervised: $(grep -c '"code":"service.exited"' "$W"/flood/logs/runs/2*/events.jsonl) service exits during the flood (0 expected)"
