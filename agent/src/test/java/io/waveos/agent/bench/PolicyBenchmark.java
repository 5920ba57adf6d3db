package io.waveos.agent.bench;

import io.waveos.agent.config.ConfigException;
import io.waveos.agent.policy.PolicyCommand;
import io.waveos.agent.policy.PolicyEngine;
import io.waveos.agent.policy.PolicyLoader;
import io.waveos.agent.telemetry.MetricKey;
import io.waveos.agent.telemetry.Sample;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rule-evaluation throughput: leaf condition evaluations per second on one core (target: at least
 * 1 M/s). A policy of 10 notify rules with {@link #LEAVES} leaf conditions in all (thresholds with
 * {@code for} and hysteresis, a rate, counts, all/any/not) is fed samples of 10 services' figures;
 * one sample evaluates every leaf once. Run with {@code MODULE=agent bench/jmh.sh PolicyBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyBenchmark {
    static final int LEAVES = 19;
    /** Samples prepared in advance, one second apart (the stream repeats after them). */
    static final int SAMPLES = 1024;

    private PolicyEngine engine;
    private Sample[] samples;
    private int next;

    static String policy() {
        StringBuilder b = new StringBuilder("policy_version: 1\nrules:\n");
        for (int i = 0; i < 10; i++) {
            String s = "svc" + i;
            String when = switch (i % 4) {
                case 0 -> "{threshold: {metric: 'service:" + s + ":rss_bytes', above: 200MiB, clear: 150MiB, for: 30s}}";
                case 1 -> "{all: [{threshold: {metric: 'service:" + s + ":cpu_permille', above: 900, for: 1m}},"
                        + " {not: {threshold: {metric: 'system::mem_available_bytes', below: 64MiB}}}]}";
                case 2 -> "{any: [{rate: {metric: 'service:" + s + ":restarts_total', window: 10m, per: 1m, above: 3}},"
                        + " {count: {event: service.exited, subject: " + s + ", within: 10m, at_least: 5}},"
                        + " {threshold: {metric: 'service:" + s + ":cpu_permille', above: 990}}]}";
                default -> "{all: [{threshold: {metric: 'system::cpu_permille', above: 950, for: 2m}},"
                        + " {threshold: {metric: 'service:" + s + ":rss_bytes', above: 100MiB}}]}";
            };
            b.append("  - id: r").append(i).append("\n    when: ").append(when).append("\n    notify:\n");
        }
        return b.toString();
    }

    @Setup
    public void setUp() throws ConfigException {
        engine = new PolicyEngine(new PolicyLoader().parse("bench.yaml", policy().getBytes(StandardCharsets.UTF_8)));
        if (engine.conditionLeaves() != LEAVES) {
            throw new IllegalStateException("expected " + LEAVES + " leaves, got " + engine.conditionLeaves());
        }
        samples = new Sample[SAMPLES];
        for (int k = 0; k < SAMPLES; k++) {
            Map<MetricKey, Double> v = new LinkedHashMap<>();
            v.put(MetricKey.system("cpu_permille"), 500.0 + k % 500);
            v.put(MetricKey.system("mem_available_bytes"), 512.0 * (1 << 20));
            for (int i = 0; i < 10; i++) {
                String s = "svc" + i;
                v.put(MetricKey.service(s, "cpu_permille"), (double) ((k * 37 + i * 11) % 1000));
                v.put(MetricKey.service(s, "rss_bytes"), (90.0 + (k % 20)) * (1 << 20));
                v.put(MetricKey.service(s, "restarts_total"), (double) (k / 64));
            }
            samples[k] = new Sample(Instant.EPOCH, k * 1_000_000_000L, v);
        }
    }

    @Benchmark
    @OperationsPerInvocation(LEAVES)
    public List<PolicyCommand> evaluateOneSample() {
        return engine.onSample(samples[next++ & (SAMPLES - 1)]);
    }
}
