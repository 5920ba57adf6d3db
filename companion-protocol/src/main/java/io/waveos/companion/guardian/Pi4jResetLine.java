package io.waveos.companion.guardian;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import java.time.Duration;

/**
 * {@link ResetLine} on two Pi4J 2.8.0 digital outputs.
 *
 * <p>The provider is chosen by {@link GpioSettings#provider()}: the mock provider (no hardware) or a
 * real one (gpiod, linuxfs), found among the Pi4J plugins on the classpath. A missing real provider is
 * an error naming the artifact to add; the Guardian never falls back to the mock silently, which would
 * leave a device that is never reset.
 *
 * <p>Both lines start released and are released again at shutdown. The end of a pulse is timed by the
 * given {@link Scheduler} (never a sleep), so the release runs on the scheduler's thread: pin access is
 * synchronised.
 */
public final class Pi4jResetLine implements ResetLine {
    private final Context context;
    private final DigitalOutput reset;
    private final DigitalOutput safeMode;
    private final GpioSettings settings;
    private final Scheduler scheduler;
    private boolean pulsing; // guarded by this
    private boolean safeModeAsserted; // guarded by this
    private boolean closed; // guarded by this

    private Pi4jResetLine(Context context, DigitalOutput reset, DigitalOutput safeMode, GpioSettings settings,
            Scheduler scheduler) {
        this.context = context;
        this.reset = reset;
        this.safeMode = safeMode;
        this.settings = settings;
        this.scheduler = scheduler;
    }

    /**
     * Opens the two lines, both released.
     *
     * @throws GpioException if the provider is not on the classpath or a pin cannot be opened
     */
    public static Pi4jResetLine open(GpioSettings settings, Scheduler scheduler) {
        Context context = newContext(settings.provider());
        try {
            DigitalOutput reset = output(context, settings, "guardian-reset", "Guardian reset line",
                    settings.resetPin(), released(settings.resetActiveHigh()));
            DigitalOutput safeMode = output(context, settings, "guardian-safe-mode", "Guardian safe-mode line",
                    settings.safeModePin(), released(settings.safeModeActiveHigh()));
            return new Pi4jResetLine(context, reset, safeMode, settings, scheduler);
        } catch (RuntimeException e) {
            shutdownQuietly(context, e);
            throw e instanceof GpioException g ? g : new GpioException("GPIO provider "
                    + settings.provider().configName() + ": cannot open pins " + settings.resetPin() + " and "
                    + settings.safeModePin() + ": " + e.getMessage(), e);
        }
    }

    /** The Pi4J context; for tests that inspect the mock pins. */
    Context context() {
        return context;
    }

    @Override
    public synchronized boolean pulseReset(Duration width) {
        if (width.isZero() || width.isNegative()) {
            throw new IllegalArgumentException("pulse width must be positive, was " + width);
        }
        if (pulsing || closed) {
            return false;
        }
        drive(reset, asserted(settings.resetActiveHigh()), "reset", settings.resetPin());
        pulsing = true;
        scheduler.schedule(width, this::endPulse);
        return true;
    }

    @Override
    public synchronized void setSafeMode(boolean asserted) {
        if (closed) {
            throw new IllegalStateException("the GPIO lines are closed");
        }
        drive(safeMode, asserted ? asserted(settings.safeModeActiveHigh()) : released(settings.safeModeActiveHigh()),
                "safe-mode", settings.safeModePin());
        safeModeAsserted = asserted;
    }

    @Override
    public synchronized boolean resetAsserted() {
        return pulsing;
    }

    @Override
    public synchronized boolean safeModeAsserted() {
        return safeModeAsserted;
    }

    /** Releases both lines and shuts the Pi4J context down (outputs go to their shutdown state). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pulsing = false;
        safeModeAsserted = false;
        RuntimeException failure = null;
        try {
            drive(reset, released(settings.resetActiveHigh()), "reset", settings.resetPin());
            drive(safeMode, released(settings.safeModeActiveHigh()), "safe-mode", settings.safeModePin());
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            context.shutdown();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private synchronized void endPulse() {
        if (closed || !pulsing) {
            return;
        }
        pulsing = false;
        drive(reset, released(settings.resetActiveHigh()), "reset", settings.resetPin());
    }

    private static Context newContext(GpioSettings.Provider provider) {
        switch (provider) {
            case MOCK -> {
                return Pi4J.newContextBuilder()
                        .add(new MockPlatform())
                        .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
                        .build();
            }
            case GPIOD, LINUXFS -> {
                Context context = Pi4J.newContextBuilder().autoDetect().build();
                if (!context.hasProvider(provider.pi4jId())) {
                    GpioException missing = new GpioException("GPIO provider '" + provider.configName()
                            + "' (Pi4J provider " + provider.pi4jId() + ") is not on the classpath: add "
                            + provider.artifact() + ":2.8.0 (and its native dependencies) to the Guardian, or run"
                            + " with --gpio mock on a machine without the reset wiring");
                    shutdownQuietly(context, missing);
                    throw missing;
                }
                return context;
            }
        }
        throw new AssertionError(provider);
    }

    private static DigitalOutput output(Context context, GpioSettings settings, String id, String name, int pin,
            DigitalState released) {
        return DigitalOutput.newBuilder(context)
                .id(id)
                .name(name)
                .address(pin)
                .initial(released)
                .shutdown(released)
                .provider(settings.provider().pi4jId())
                .build();
    }

    private static void drive(DigitalOutput output, DigitalState state, String line, int pin) {
        try {
            output.state(state);
        } catch (RuntimeException e) {
            throw new GpioException("cannot drive the " + line + " line (pin " + pin + ") " + state + ": "
                    + e.getMessage(), e);
        }
    }

    private static DigitalState asserted(boolean activeHigh) {
        return activeHigh ? DigitalState.HIGH : DigitalState.LOW;
    }

    private static DigitalState released(boolean activeHigh) {
        return activeHigh ? DigitalState.LOW : DigitalState.HIGH;
    }

    private static void shutdownQuietly(Context context, Exception cause) {
        try {
            context.shutdown();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
