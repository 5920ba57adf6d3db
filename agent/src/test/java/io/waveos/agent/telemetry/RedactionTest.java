package io.waveos.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void masksEveryOccurrenceOfEverySecretLongestFirst() {
        Redaction r = new Redaction(List.of("abcd", "abcd-efgh"));
        assertEquals("token *** and *** and ***", r.apply("token abcd-efgh and abcd and abcd"));
    }

    @Test
    void masksPemPrivateKeyBlocksWithoutBeingTold() {
        String pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n";
        assertEquals("key: ***\nafter", Redaction.none().apply("key: " + pem + "after"));
        assertEquals("***", Redaction.none().apply("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE"));
    }

    @Test
    void ignoresValuesTooShortToSearchFor() {
        assertEquals(0, new Redaction(List.of("abc", "")).size());
        assertEquals("abc", new Redaction(List.of("abc")).apply("abc"));
    }

    @Test
    void anEventLogWithARedactionNeverWritesTheSecret() throws Exception {
        io.waveos.agent.platform.fake.FakeStorage storage = new io.waveos.agent.platform.fake.FakeStorage();
        java.nio.file.Path file = java.nio.file.Path.of("/e.jsonl");
        try (EventLog log = new EventLog(storage, file, new io.waveos.agent.platform.fake.FakeTime(),
                new Redaction(List.of("s3cret-value")))) {
            log.emit(Event.of(EventCode.SERVICE_STARTING, "s3cret-value", "uses s3cret-value", "env", "T=s3cret-value",
                    "n", 1));
        }
        String text = new String(storage.read(file).orElseThrow(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(false, text.contains("s3cret"), text);
        assertEquals(new EventChainVerifier.Valid(1), EventChainVerifier.verify(text));
    }
}
