package io.waveos.agent.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Recorded telemetry through the rules: what would have fired, and when. */
class ReplayTest {
    static final String METRICS = """
            time,mono_ms,scope,subject,metric,value
            2026-11-22T05:00:00Z,1000,system,,cpu_permille,950
            2026-11-22T05:00:00Z,1000,service,web,rss_bytes,100
            2026-11-22T05:01:00Z,61000,system,,cpu_permille,960
            2026-11-22T05:02:00Z,121000,system,,cpu_permille,970
            2026-11-22T05:03:00Z,181000,system,,cpu_permille,100
            """;
    static final String EVENTS = """
            {"seq":1,"time":"2026-11-22T05:00:30Z","code":"service.exited","subject":"modem","reason":"x","fields":{"exit_code":1},"prev":""}
            {"seq":2,"time":"2026-11-22T05:00:40Z","code":"service.restart_scheduled","subject":"modem","reason":"x","fields":{"delay_ms":0},"prev":""}
            {"seq":3,"time":"2026-11-22T05:00:50Z","code":"service.exited","subject":"modem","reason":"x","fields":{"exit_code":1},"prev":""}
            {"seq":4,"time":"2026-11-22T05:00:55Z","code":"service.restart_scheduled","subject":"modem","reason":"x","fields":{"delay_ms":0},"prev":""}
            {"seq":5,"time":"2026-11-22T05:00:56Z","code":"some.future_code","subject":"x","reason":"x","fields":{},"prev":""}
            """;
    static final String POLICY = """
            policy_version: 7
            rules:
              - id: hot
                shadow: true
                when: {threshold: {metric: "system::cpu_permille", above: 900, for: 2m}}
                notify:
              - id: flapping
                when: {count: {event: service.exited, subject: modem, within: 1m, at_least: 2}}
                notify:
              - id: modem-restarts
                restart_limit: {service: modem, max: 1, per: 1h}
            """;

    @Test
    void printsWhatWouldHaveFiredAndWhenInTimeOrder() throws ConfigException {
        RecordedRun run = RecordedRun.parse(Optional.of(METRICS.getBytes(StandardCharsets.UTF_8)),
                Optional.of(EVENTS.getBytes(StandardCharsets.UTF_8)));
        assertEquals(4, run.samples().size());
        assertEquals(2, run.samples().get(0).values().size(), "rows with equal mono_ms are one sample");
        assertEquals(List.of("events.jsonl:5: unknown code some.future_code"), run.skipped());
        List<Replay.Decision> d = Replay.run(new PolicyLoader().parse("p.yaml", POLICY.getBytes(StandardCharsets.UTF_8)), run);
        List<String> lines = d.stream().map(Replay.Decision::line).toList();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("2026-11-22T05:00:50.000Z flapping notify fired: "), lines.get(0));
        assertTrue(lines.get(1).startsWith("2026-11-22T05:00:55.000Z modem-restarts restart_hold fired: "), lines.get(1));
        assertTrue(lines.get(2).startsWith("2026-11-22T05:02:00.000Z hot notify shadowed: would have fired"), lines.get(2));
    }

    @Test
    void aRecordedHoldIsReplayedFromTheLaddersOwnBackoffNotFromTheHeldDelay() throws ConfigException {
        String events = """
                {"seq":1,"time":"2026-11-22T05:00:10Z","code":"service.restart_scheduled","subject":"modem","reason":"x","fields":{"delay_ms":0,"backoff_ms":0},"prev":""}
                {"seq":2,"time":"2026-11-22T05:00:20Z","code":"service.restart_scheduled","subject":"modem","reason":"x","fields":{"delay_ms":3590000,"backoff_ms":200},"prev":""}
                """;
        RecordedRun run = RecordedRun.parse(Optional.of(METRICS.getBytes(StandardCharsets.UTF_8)),
                Optional.of(events.getBytes(StandardCharsets.UTF_8)));
        List<String> lines = Replay.run(new PolicyLoader().parse("p.yaml", POLICY.getBytes(StandardCharsets.UTF_8)), run)
                .stream().map(Replay.Decision::line).filter(l -> l.contains("restart_hold")).toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("held back 3589800ms"), "an hour after the first restart, less 10 s and the 200 ms backoff: " + lines.get(0));
    }

    @Test
    void refusesAMetricsFileWithAnotherHeader() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordedRun.parse(
                Optional.of("t,v\n1,2\n".getBytes(StandardCharsets.UTF_8)), Optional.empty()));
        assertTrue(e.getMessage().startsWith("metrics.csv:1:"), e.getMessage());
    }

    @Test
    void namesTheLineOfAMalformedRow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordedRun.parse(
                Optional.of((RecordedRun.HEADER + "\n2026-11-22T05:00:00Z,1,planet,,x,1\n").getBytes(StandardCharsets.UTF_8)),
                Optional.empty()));
        assertTrue(e.getMessage().startsWith("metrics.csv:2:"), e.getMessage());
    }
}
