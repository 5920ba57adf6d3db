package io.waveos.agent.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.fake.FakeNotifier;
import io.waveos.agent.platform.fake.FakeWatchdogDevice;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WatchdogKickerTest {
    private final List<Event> events = new ArrayList<>();
    private final FakeWatchdogDevice device = new FakeWatchdogDevice();

    private List<EventCode> codes() {
        return events.stream().map(Event::code).toList();
    }

    @Test
    void aFailingDeviceIsReportedOnceAndItsRecoveryOnce() {
        WatchdogKicker k = new WatchdogKicker(Optional.of(device), new FakeNotifier(), Duration.ofSeconds(1), events::add);
        k.kick();
        device.failWith("EIO");
        k.kick();
        k.kick();
        k.kick();
        device.recover();
        k.kick();
        k.kick();
        assertEquals(List.of(EventCode.WATCHDOG_ERROR, EventCode.WATCHDOG_ARMED), codes());
        assertTrue(events.get(0).reason().contains("EIO"), events.get(0).reason());
        assertEquals(3, device.kicks());
    }

    @Test
    void systemdsWatchdogIsFedAndHalfItsIntervalWinsWhenShorter() {
        FakeNotifier systemd = new FakeNotifier(Optional.of(Duration.ofSeconds(4)));
        WatchdogKicker k = new WatchdogKicker(Optional.empty(), systemd, Duration.ofSeconds(5), events::add);
        k.kick();
        assertEquals(List.of("WATCHDOG=1"), systemd.states());
        assertEquals(Duration.ofSeconds(2), k.interval());
        assertEquals(Duration.ofMillis(500), new WatchdogKicker(Optional.empty(), systemd, Duration.ofMillis(500),
                events::add).interval());
        assertEquals(Duration.ofSeconds(5), new WatchdogKicker(Optional.empty(), new FakeNotifier(),
                Duration.ofSeconds(5), events::add).interval());
        assertFalse(k.hasDevice());
    }

    @Test
    void aRefusedDisarmLeavesTheDeviceArmedAndSaysSo() {
        WatchdogKicker k = new WatchdogKicker(Optional.of(device), new FakeNotifier(), Duration.ofSeconds(1), events::add);
        k.kick();
        k.shutdown(false);
        assertTrue(device.armed());
        assertEquals(0, device.disarms());
        assertEquals(List.of(EventCode.WATCHDOG_ARMED), codes());
        k.shutdown(true);
        assertEquals(1, device.disarms());
        assertEquals(EventCode.WATCHDOG_DISARMED, codes().get(1));
    }
}
