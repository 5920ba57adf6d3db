package io.waveos.agent.platform.linux;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import io.waveos.agent.config.SafeModeLineConfig;
import io.waveos.agent.platform.SafeModeLine;
import java.io.IOException;
import io.waveos.companion.guardian.Pi4jLogging;

/**
 * {@link SafeModeLine} on a Pi4J 2.8.0 digital input.
 *
 * <p>The provider is the configured one: the mock (no hardware; the pin starts released and only a
 * test drives it) or a real one (linuxfs, gpiod)
 * found among the Pi4J plugins on the class path. A missing real provider is an error naming the
 * artifact; the agent never falls back to the mock, which would hide the Guardian's line.
 *
 * <p>The internal pull resistor is set towards "released" (pull-up when active low), so an
 * unconnected input reads released, as with the documented external pull-up. Pi4J's own logging is
 * routed through tinylog with board detection (ERROR lines on any machine that is not a Raspberry Pi)
 * silenced, unless tinylog is configured otherwise. Thread-safe.
 */
public final class Pi4jSafeModeLine implements SafeModeLine {
    private final Context context;
    private final DigitalInput input;
    private final SafeModeLineConfig config;
    private boolean closed; // guarded by this

    private Pi4jSafeModeLine(Context context, DigitalInput input, SafeModeLineConfig config) {
        this.context = context;
        this.input = input;
        this.config = config;
    }

    /**
     * Opens the input pin.
     *
     * @throws IOException if the provider is not on the class path or the pin cannot be opened
     */
    public static Pi4jSafeModeLine open(SafeModeLineConfig config) throws IOException {
        Pi4jLogging.configureConsole();
        Context context = switch (config.provider()) {
            case MOCK -> Pi4J.newContextBuilder().add(new MockPlatform()).add(MockDigitalInputProvider.newInstance())
                    .build();
            case LINUXFS, GPIOD -> Pi4J.newContextBuilder().autoDetect().build();
        };
        try {
            if (!context.hasProvider(config.provider().pi4jId())) {
                throw new IOException("GPIO provider " + config.provider().pi4jId() + " is not on the class path: add "
                        + config.provider().artifact() + ":2.8.0 (and its native dependencies) to the agent, or "
                        + "remove companion.safe_mode_line");
            }
            DigitalInput input = context.create(DigitalInput.newConfigBuilder(context)
                    .id("waveos-safe-mode-line")
                    .name("Guardian safe-mode line")
                    .address(config.pin())
                    .pull(config.activeLow() ? PullResistance.PULL_UP : PullResistance.PULL_DOWN)
                    .provider(config.provider().pi4jId()));
            if (input instanceof MockDigitalInput mock) {
                // A mock pin has no pull resistor: start it released, as a wired, idle line reads.
                mock.mockState(config.activeLow() ? DigitalState.HIGH : DigitalState.LOW);
            }
            return new Pi4jSafeModeLine(context, input, config);
        } catch (IOException | RuntimeException e) {
            try {
                context.shutdown();
            } catch (RuntimeException shutdown) {
                e.addSuppressed(shutdown);
            }
            throw e instanceof IOException io ? io : new IOException("cannot open the safe-mode line (pin "
                    + config.pin() + ", " + config.provider().pi4jId() + "): " + e.getMessage(), e);
        }
    }

    /** The Pi4J input; tests drive the mock pin through it. */
    DigitalInput input() {
        return input;
    }

    @Override
    public synchronized boolean asserted() throws IOException {
        if (closed) {
            throw new IOException("the safe-mode line is closed");
        }
        DigitalState state;
        try {
            state = input.state();
        } catch (RuntimeException e) {
            throw new IOException("cannot read the safe-mode line (pin " + config.pin() + "): " + e.getMessage(), e);
        }
        return switch (state) {
            case LOW -> config.activeLow();
            case HIGH -> !config.activeLow();
            case UNKNOWN -> throw new IOException("the safe-mode line (pin " + config.pin() + ") reads UNKNOWN");
        };
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            context.shutdown();
        }
    }

}
