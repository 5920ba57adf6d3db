package io.waveos.agent.mode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.EscalationConfig;
import io.waveos.agent.config.ModesConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A policy breaker's order through the pure mode machine. */
class PolicyOrderTest {
    final ModeMachine modes = new ModeMachine(EscalationConfig.defaults(),
            new ModesConfig(Duration.ofMinutes(10), Duration.ofMinutes(5)));

    static ModeCommand.ArmTimer timer(List<ModeCommand> out) {
        return out.stream().filter(c -> c instanceof ModeCommand.ArmTimer).map(c -> (ModeCommand.ArmTimer) c)
                .findFirst().orElseThrow();
    }

    @Test
    void degradedOrderRetriesNoEarlierThanTheBreakersProbe() {
        List<ModeCommand> out = modes.step(new ModeInput.PolicyOrder("storm", Mode.DEGRADED, "3 exits",
                Duration.ofMinutes(20)));
        assertEquals(Mode.DEGRADED, modes.mode());
        ModeCommand.ArmTimer t = timer(out);
        assertEquals(ModeTimer.DEGRADED_RETRY, t.timer());
        assertEquals(Duration.ofMinutes(20), t.delay());
        assertTrue(((ModeCommand.Emit) out.get(0)).event().reason().startsWith("policy rule storm: 3 exits"));
        modes.step(new ModeInput.TimerFired(t.timer(), t.token()));
        assertEquals(Mode.NORMAL, modes.mode());
    }

    @Test
    void safeOrderStopsWhatMayNotRunAndKeepsTheLongerOfBothPeriods() {
        List<ModeCommand> out = modes.step(new ModeInput.PolicyOrder("storm", Mode.SAFE, "3 exits", Duration.ofMinutes(1)));
        assertEquals(Mode.SAFE, modes.mode());
        assertTrue(out.contains(new ModeCommand.SetSafe(true)));
        assertEquals(Duration.ofMinutes(10), timer(out).delay(), "safe_exit_after is longer than probe_after");
    }

    @Test
    void aPolicyCannotOrderNormal() {
        assertThrows(IllegalArgumentException.class, () -> new ModeInput.PolicyOrder("r", Mode.NORMAL, "x", Duration.ZERO));
    }
}
