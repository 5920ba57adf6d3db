package io.waveos.agent.spool;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogLevelTest {
    private static boolean error(String line) {
        return LogLevel.isError(line.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void recognisesTheCommonErrorLevelWordsInAnyCase() {
        for (String line : new String[] {"2026-11-22T05:00:00Z ERROR modem lost", "[error] disk", "level=error msg=x",
                "E FATAL: out of memory", "crit: sensor", "kernel panic", "ERR bad frame", "<emerg> power"}) {
            assertTrue(error(line), line);
        }
    }

    @Test
    void ignoresOtherLevelsWordsThatOnlyContainTheLevelAndTextPastTheScanLimit() {
        for (String line : new String[] {"INFO all good", "warning: errors=0 terror", "errored", "", "\u0000\u00ff\u0001",
                "x".repeat(LogLevel.SCAN_BYTES) + " ERROR late"}) {
            assertFalse(error(line), line);
        }
    }
}
