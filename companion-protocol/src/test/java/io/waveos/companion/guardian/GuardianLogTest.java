package io.waveos.companion.guardian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuardianLogTest {
    private final FakeStateFolder folder = new FakeStateFolder();
    private final GuardianLog log = new GuardianLog(folder, () -> 1_750_000_000_123L, 4, 4096);

    private static GuardianEvent event(GuardianCode code, boolean durable) {
        return new GuardianEvent(code, 81_234, "DECISION_REASON_KNOWN_BAD_PATTERN", "deny-pattern:bad-bundle",
                "INSTALL with bundle=\"2.3.1\" is\tknown-bad", Map.of("request_id", "r-17", "kind", "INSTALL"), durable);
    }

    @Test
    void writesOneJsonObjectPerLineWithTimeCodeReasonAndRule() throws IOException {
        log.write(event(GuardianCode.COMMAND_DENIED, true));
        assertEquals("{\"wall\":\"2025-06-15T15:06:40.123Z\",\"boot\":4,\"mono_ms\":81234,\"code\":\"COMMAND_DENIED\","
                + "\"reason\":\"DECISION_REASON_KNOWN_BAD_PATTERN\",\"rule\":\"deny-pattern:bad-bundle\","
                + "\"text\":\"INSTALL with bundle=\\\"2.3.1\\\" is\\tknown-bad\",\"kind\":\"INSTALL\","
                + "\"request_id\":\"r-17\"}\n", folder.text(GuardianLog.FILE));
    }

    @Test
    void leavesOutAnEmptyReasonAndRule() throws IOException {
        log.write(new GuardianEvent(GuardianCode.LINK_UP, 5, "", "", "link up", Map.of(), false));
        String line = folder.text(GuardianLog.FILE);
        assertTrue(!line.contains("\"reason\"") && !line.contains("\"rule\""), line);
    }

    @Test
    void aDurableRecordSurvivesAPowerCutAndAnOrdinaryOneMayNot() throws IOException {
        log.write(event(GuardianCode.LINK_UP, false));
        folder.powerCut();
        assertEquals("", folder.text(GuardianLog.FILE), "not synced: lost");

        log.write(event(GuardianCode.LINK_UP, false));
        log.write(event(GuardianCode.DEVICE_RESET, true));
        folder.powerCut();
        assertEquals(2, folder.text(GuardianLog.FILE).lines().count(), "the durable record syncs what came before");
    }

    @Test
    void rotatesToOnePreviousFileWhenFull() throws IOException {
        for (int i = 0; i < 40; i++) {
            log.write(event(GuardianCode.COMMAND_DENIED, false));
        }
        long current = folder.size(GuardianLog.FILE);
        long previous = folder.size(GuardianLog.PREVIOUS_FILE);
        assertTrue(previous >= 4096 && previous < 4096 + 400, "previous " + previous);
        assertTrue(current > 0 && current < 4096, "current " + current);
    }

    @Test
    void escapesControlCharacters() {
        byte[] line = log.line(new GuardianEvent(GuardianCode.PEER_ERROR, 0, "", "", "a\u0001b\nc\\", Map.of(), false));
        assertTrue(new String(line, java.nio.charset.StandardCharsets.UTF_8).contains("\"a\\u0001b\\nc\\\\\""));
    }

    @Test
    void refusesATinyLimit() {
        assertThrows(IllegalArgumentException.class, () -> new GuardianLog(folder, () -> 0, 1, 100));
    }
}
