package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcStatTest {
    private static final String TAIL = " 0 -1 4194560 120 0 0 0 1 2 0 0 20 0 1 0 987654 8192 100 18446744073709551615";

    @Test
    void countsFieldsFromTheLastParenthesisSoCommandNamesMayHoldSpacesAndParentheses() {
        ProcStat stat = ProcStat.parse("4242 (evil) S 1 2 3 (x) R 17 4242 4242" + TAIL + "\n");
        assertEquals(new ProcStat('R', 17, 4242, 4242, 987654), stat);
        assertTrue(stat.alive());
    }

    @Test
    void treatsZombieAndDeadProcessesAsNotAlive() {
        assertFalse(ProcStat.parse("7 (sleep) Z 1 7 7" + TAIL).alive());
        assertFalse(ProcStat.parse("7 (sleep) X 1 7 7" + TAIL).alive());
    }

    @Test
    void rejectsTruncatedLines() {
        assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("7 (sleep) S 1 7 7 0"));
        assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("7 sleep"));
    }

    @Test
    void readsTheAgentsOwnStat() {
        ProcStat self = ProcStat.read(ProcessHandle.current().pid()).orElseThrow();
        assertTrue(self.alive());
        assertEquals(ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow(), self.ppid());
        assertTrue(self.startTicks() > 0);
    }

    @Test
    void readsNothingForAbsentProcesses() {
        assertEquals(Optional.empty(), ProcStat.read(0));
        assertEquals(Optional.empty(), ProcStat.read(Integer.MAX_VALUE));
    }
}
