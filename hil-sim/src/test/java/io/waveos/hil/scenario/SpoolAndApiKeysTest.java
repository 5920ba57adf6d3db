package io.waveos.hil.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The loader's keys for the log spool and the local API: read when right, refused with FILE:LINE: KEY.PATH when not. */
class SpoolAndApiKeysTest {
    private static final String HEAD = "title: t\nduration: 20s\ntiers: [2]\ndevice:\n  services:\n    - name: ticker\n";

    private static Scenario parse(String text) throws ScenarioException {
        return new ScenarioLoader().parse("s.yaml", text);
    }

    private static List<String> problems(String text) {
        ScenarioException e = assertThrows(ScenarioException.class, () -> parse(text));
        return List.of(e.getMessage().split("\n"));
    }

    @Test
    void readsSpoolCapsLogAndSpoolExpectations() throws Exception {
        Scenario s = parse(HEAD + "  spool: {segment_size: 256KiB, max_total_size: 1MiB, durability: always}\nexpect:\n"
                + "  - {log: ticker, stream: stdout, contains: tick, at_least: 5, every: 1500ms, between: [1s, 10s]}\n"
                + "  - {log: agent, contains: service.exited, at_most: 0}\n  - {spool_within: 1MiB}\n");
        assertEquals(Map.of("segment_size", "256KiB", "max_total_size", "1MiB", "durability", "always"),
                s.device().spool());
        assertEquals(new Expectation.Log("ticker", Optional.of("stdout"), "tick", 5, Integer.MAX_VALUE,
                Optional.of(Duration.ofMillis(1500)), Duration.ofSeconds(1), Duration.ofSeconds(10), 9),
                s.expectations().get(0));
        Expectation.Log none = (Expectation.Log) s.expectations().get(1);
        assertEquals(List.of(0, 0), List.of(none.atLeast(), none.atMost()));
        assertEquals(new Expectation.SpoolWithin(1L << 20, 11), s.expectations().get(2));
    }

    @Test
    void readsTheApiItsFaultsAndItsExpectations() throws Exception {
        Scenario s = parse(HEAD + "  updates: {device_class: hil}\n  api: {request_timeout: 2s}\nfaults:\n"
                + "  - {at: 1s, do: api-abuse, for: 5s, rate: 20}\n  - {at: 2s, do: push-bundle, bundle: good, via: api}\n"
                + "  - {at: 3s, do: push-bundle, bundle: repeat, via: api}\n  - {at: 4s, do: push-bundle, bundle: good}\n"
                + "expect:\n  - {api_audit: denied, code: bad_signature, at_least: 3}\n"
                + "  - {api_pushes: committed, at_most: 1}\n");
        assertEquals(Optional.of(Map.of("request_timeout", "2s")), s.device().api());
        assertEquals(FaultKind.API_ABUSE, s.faults().get(0).kind());
        assertEquals("20", s.faults().get(0).argument());
        assertEquals(Duration.ofSeconds(5), s.faults().get(0).length());
        assertEquals(List.of(false, true, true, false), s.faults().stream().map(Fault::viaApi).toList());
        assertEquals("push the previous bundle again via the API", s.faults().get(2).label());
        assertEquals(new Expectation.ApiAudit("denied", Optional.of("bad_signature"), 3, Integer.MAX_VALUE,
                Duration.ZERO, Duration.ofDays(365), 15), s.expectations().get(0));
        assertEquals(new Expectation.ApiPushes("committed", 1, 1, 16), s.expectations().get(1));
    }

    @Test
    void spoolAndApiExpectationsAreRefusedInTierOne() {
        List<String> p = problems("title: t\nduration: 20s\ndevice:\n  services:\n    - name: ticker\n  api: {}\n"
                + "expect:\n  - {log: ticker, contains: tick}\n  - {api_pushes: any}\n");
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("s.yaml:8: expect[0].log: 'log' is graded from the agent's log spool, which only "
                + "tier 2 runs"), p.get(0));
        assertTrue(p.get(1).startsWith("s.yaml:9: expect[1].api_pushes: 'api_pushes' is graded from the agent's local "
                + "API"), p.get(1));
    }

    @Test
    void theApiKindsAndFaultsNeedDeviceApi() {
        List<String> p = problems(HEAD + "  updates: {device_class: hil}\nfaults:\n  - {at: 1s, do: api-abuse, for: 2s, rate: 5}\n"
                + "  - {at: 2s, do: push-bundle, bundle: good, via: api}\nexpect:\n  - {api_audit: denied}\n");
        assertEquals(List.of("s.yaml:9: faults: api-abuse needs the agent's API (device.api, e.g. 'api: {}')",
                "s.yaml:10: faults: push-bundle via: api needs the agent's API (device.api, e.g. 'api: {}')",
                "s.yaml:12: expect[0].api_audit: 'api_audit' needs the agent's API (device.api, e.g. 'api: {}')"), p);
    }

    @Test
    void deviceSpoolAndApiAreCheckedByTheAgentsOwnLoader() {
        List<String> p = problems(HEAD + "  spool: {segment_size: 1MiB, max_total_size: 1MiB, dir: /tmp/x}\n"
                + "  api: {burst: many}\nexpect: []\n");
        assertTrue(p.stream().anyMatch(l -> l.startsWith("s.yaml:7: device.spool.dir: unknown key (known here: "
                + "durability,")), p.toString());
        assertTrue(p.stream().anyMatch(l -> l.startsWith("s.yaml:7: device.spool: the agent's configuration loader "
                + "refuses it: spool: max_total_size must be at least twice segment_size")), p.toString());
        assertTrue(p.stream().anyMatch(l -> l.startsWith("s.yaml:8: device.api: the agent's configuration loader "
                + "refuses it: api.limits.burst:")), p.toString());
    }

    @Test
    void badLogAndApiExpectationsAreRefusedWithTheirKeyPath() {
        List<String> p = problems(HEAD + "  api: {}\nexpect:\n  - {log: nosuch, contains: x}\n  - {log: ticker}\n"
                + "  - {log: ticker, contains: x, stream: both}\n  - {api_audit: forbidden}\n"
                + "  - {api_pushes: done}\n  - {api_pushes: any, at_least: 3, at_most: 2}\n  - {spool_within: lots}\n");
        assertEquals(List.of("s.yaml:9: expect[0].log: no service named 'nosuch' in device.services",
                "s.yaml:10: expect[1].contains: missing required key",
                "s.yaml:11: expect[2].stream: expected one of stdout, stderr, agent, got 'both'",
                "s.yaml:12: expect[3].api_audit: expected one of allowed, denied, refused, got 'forbidden'",
                "s.yaml:13: expect[4].api_pushes: expected one of any, received, verifying, rejected, installing, trial, "
                        + "committed, rolled_back, got 'done'",
                "s.yaml:14: expect[5].at_most: at_most 2 is below at_least 3",
                "s.yaml:15: expect[6].spool_within: expected a size such as 512KiB or 1MiB, got 'lots'"), p);
    }

    @Test
    void badApiFaultsAreRefused() {
        List<String> p = problems(HEAD + "  updates: {device_class: hil}\n  api: {}\nfaults:\n"
                + "  - {at: 1s, do: push-bundle, bundle: repeat, via: api}\n  - {at: 2s, do: push-bundle, bundle: repeat}\n"
                + "  - {at: 3s, do: kill-agent, via: api}\n  - {at: 4s, do: api-abuse, for: 2s, rate: 1000}\n"
                + "  - {at: 5s, do: push-bundle, bundle: good, via: mail}\n"
                + "  - {at: 6s, do: push-bundle, bundle: good, via: api}\nexpect: []\n");
        assertEquals(List.of("s.yaml:10: faults: 'bundle: repeat' needs a push of a bundle via: api before it",
                "s.yaml:11: faults[1].bundle: 'repeat' pushes the previous API push again: it needs 'via: api'",
                "s.yaml:12: faults[2].via: only a push-bundle takes 'via'",
                "s.yaml:13: faults[3].rate: expected an int in 1..200, got 1000",
                "s.yaml:14: faults[4].via: expected one of inbox, api, got 'mail'"), p);
    }

    @Test
    void apiAbuseIsRefusedInTierOne() {
        List<String> p = problems("title: t\nduration: 20s\ndevice:\n  services:\n    - name: ticker\n  api: {}\n"
                + "faults:\n  - {at: 1s, do: api-abuse, for: 2s, rate: 5}\nexpect: []\n");
        assertEquals(List.of("s.yaml:8: faults[0].do: fault 'api-abuse' cannot be injected in tier [1] yet (tiers that "
                + "can: [2]); narrow the scenario's tiers"), p);
    }
}
