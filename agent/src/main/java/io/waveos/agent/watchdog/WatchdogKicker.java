package io.waveos.agent.watchdog;

import io.waveos.agent.platform.ServiceNotifier;
import io.waveos.agent.platform.WatchdogDevice;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.EventSink;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the hardware watchdog (when the device has one) and systemd's watchdog (when the unit sets
 * {@code WatchdogSec}) fed, and disarms the hardware one on a clean shutdown. A failing kick is
 * reported once, and its recovery once, so a broken device does not flood the event log. Loop thread
 * only: a hung loop stops kicking, which is the point.
 */
public final class WatchdogKicker {
    private final Optional<WatchdogDevice> device;
    private final ServiceNotifier notifier;
    private final Duration configured;
    private final EventSink events;
    private boolean failing;

    /**
     * @param configured the kick interval from the configuration; systemd's interval halved wins when
     *                   it is shorter
     */
    public WatchdogKicker(Optional<WatchdogDevice> device, ServiceNotifier notifier, Duration configured,
            EventSink events) {
        this.device = Objects.requireNonNull(device, "device");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.configured = Objects.requireNonNull(configured, "configured");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** Whether there is a hardware watchdog, whose disarming on shutdown needs an approval. */
    public boolean hasDevice() {
        return device.isPresent();
    }

    /** One kick of each watchdog there is. */
    public void kick() {
        device.ifPresent(w -> {
            try {
                w.kick();
                if (failing) {
                    failing = false;
                    events.emit(Event.of(EventCode.WATCHDOG_ARMED, "watchdog", "kicking again"));
                }
            } catch (IOException e) {
                if (!failing) {
                    failing = true;
                    events.emit(Event.of(EventCode.WATCHDOG_ERROR, "watchdog",
                            "cannot kick the watchdog device: " + e.getMessage()));
                }
            }
        });
        if (notifier.watchdogInterval().isPresent()) {
            notifier.notify("WATCHDOG=1");
        }
    }

    /** The configured kick interval, or half of systemd's watchdog interval if that is shorter. */
    public Duration interval() {
        return notifier.watchdogInterval().map(d -> d.dividedBy(2))
                .filter(half -> half.compareTo(configured) < 0 && !half.isZero()).orElse(configured);
    }

    /**
     * The hardware watchdog's part of a clean shutdown: magic close when {@code approved}, else left
     * armed (the board resets unless an agent comes back in time, which is what a refusal asks for).
     */
    public void shutdown(boolean approved) {
        device.ifPresent(w -> {
            if (!approved) {
                events.emit(Event.of(EventCode.WATCHDOG_ARMED, "watchdog",
                        "left armed on shutdown: disarming was refused"));
                return;
            }
            try {
                w.disarm();
                events.emit(Event.of(EventCode.WATCHDOG_DISARMED, "watchdog", "magic close on clean shutdown"));
            } catch (IOException e) {
                events.emit(Event.of(EventCode.WATCHDOG_ERROR, "watchdog",
                        "magic close failed; the board may reset: " + e.getMessage()));
            }
        });
    }
}
