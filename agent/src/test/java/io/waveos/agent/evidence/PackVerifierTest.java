package io.waveos.agent.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.fake.FakeStorage;
import io.waveos.agent.platform.fake.FakeTime;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.EventLog;
import io.waveos.bundles.signature.Ed25519;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PackVerifierTest {
    static final KeyPair KEY = Ed25519.fromSeed(new byte[32]);

    static byte[] events(int n) throws IOException {
        FakeStorage storage = new FakeStorage();
        Path file = Path.of("/events.jsonl");
        try (EventLog log = new EventLog(storage, file, new FakeTime())) {
            for (int i = 0; i < n; i++) {
                log.emit(Event.of(i % 3 == 0 ? EventCode.SERVICE_EXITED : EventCode.SERVICE_STARTING, "modem",
                        "event " + i + " " + "x".repeat(40)));
            }
        }
        return storage.read(file).orElseThrow();
    }

    static byte[] pack(byte[] events, long cap) {
        return PackWriter.build(new PackContent("run-1-1", Instant.parse("2026-11-22T08:00:00Z"), "dev", "run-1",
                new Incident(IncidentKind.CRASH_LOOP, "modem", "3 exits in 60 s", List.of("modem")),
                Map.of("agent", "1.0"), "{}\n".getBytes(StandardCharsets.UTF_8), events,
                "time,mono_ms,scope,subject,metric,value\n2026-11-22T08:00:00.000Z,1,system,,load1,0.5\n"
                        .getBytes(StandardCharsets.US_ASCII),
                Map.of("logs/modem.stderr.log", "lost carrier\n".getBytes(StandardCharsets.UTF_8))), KEY, cap);
    }

    @Test
    void aFreshPackVerifiesWithTheKeyItNamesAndWithThePinnedKey() throws IOException {
        byte[] pack = pack(events(20), 1 << 20);
        PackVerifier.Verified v = assertInstanceOf(PackVerifier.Verified.class, PackVerifier.verify(pack, Optional.empty()));
        assertEquals(20, v.events());
        assertTrue(v.eventsFromGenesis());
        assertEquals(Ed25519.keyid(KEY.getPublic()), v.keyid());
        assertInstanceOf(PackVerifier.Verified.class, PackVerifier.verify(pack, Optional.of(KEY.getPublic())));
    }

    @Test
    void aPackSignedByAnotherKeyIsRefusedWhenTheDeviceKeyIsPinned() throws IOException {
        byte[] pack = pack(events(3), 1 << 20);
        KeyPair other = Ed25519.fromSeed(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
            19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        PackVerifier.Refused r = assertInstanceOf(PackVerifier.Refused.class,
                PackVerifier.verify(pack, Optional.of(other.getPublic())));
        assertEquals("pack.dsse.json", r.member());
    }

    @Test
    void anAlteredEventIsRefusedNamingTheEventsMember() throws IOException {
        byte[] pack = pack(events(5), 1 << 20);
        byte[] tampered = replace(pack, "event 2 ", "event 9 ");
        PackVerifier.Refused r = assertInstanceOf(PackVerifier.Refused.class,
                PackVerifier.verify(tampered, Optional.empty()));
        assertEquals("events.jsonl", r.member());
        assertTrue(r.why().contains("SHA-256"), r.why());
    }

    @Test
    void anAlteredLogTailIsRefusedNamingIt() throws IOException {
        byte[] tampered = replace(pack(events(2), 1 << 20), "lost carrier", "all is well!");
        PackVerifier.Refused r = assertInstanceOf(PackVerifier.Refused.class,
                PackVerifier.verify(tampered, Optional.empty()));
        assertEquals("logs/modem.stderr.log", r.member());
    }

    @Test
    void aChangedManifestBreaksTheSignature() throws IOException {
        byte[] pack = pack(events(2), 1 << 20);
        // the manifest is base64 in the envelope: change one character of it
        String text = new String(pack, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\"payload\":\"") + 20;
        char c = text.charAt(at);
        byte[] tampered = pack.clone();
        tampered[at] = (byte) (c == 'A' ? 'B' : 'A');
        PackVerifier.Refused r = assertInstanceOf(PackVerifier.Refused.class,
                PackVerifier.verify(tampered, Optional.empty()));
        assertEquals("pack.dsse.json", r.member());
    }

    @Test
    void theCapKeepsTheNewestEventsAndTheirChainStillVerifies() throws IOException {
        byte[] all = events(3000);
        long cap = 128 * 1024;
        byte[] pack = pack(all, cap);
        assertTrue(pack.length <= cap, pack.length + " > " + cap);
        PackVerifier.Verified v = assertInstanceOf(PackVerifier.Verified.class, PackVerifier.verify(pack, Optional.empty()));
        assertTrue(v.events() > 100 && v.events() < 3000, "kept " + v.events());
        assertTrue(!v.eventsFromGenesis());
    }

    @Test
    void theDecisionTraceHoldsThePolicyEventsOnly() {
        byte[] events = ("{\"seq\":1,\"code\":\"policy.decision\"}\n{\"seq\":2,\"code\":\"service.exited\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"seq\":1,\"code\":\"policy.decision\"}\n",
                new String(PackWriter.decisions(events), StandardCharsets.UTF_8));
    }

    private static byte[] replace(byte[] pack, String from, String to) {
        String text = new String(pack, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains(from), from);
        return text.replaceFirst(java.util.regex.Pattern.quote(from), to).getBytes(StandardCharsets.ISO_8859_1);
    }
}
