package io.waveos.companion.guardian;

import java.util.Locale;

/**
 * How the Guardian reaches its two GPIO lines.
 *
 * @param provider which Pi4J provider drives the pins
 * @param resetPin the BCM number of the reset line's pin
 * @param safeModePin the BCM number of the safe-mode line's pin; differs from {@code resetPin}
 * @param resetActiveHigh true when driving the pin high asserts reset (the usual wiring: the pin drives
 *     an open-drain transistor that pulls the device's active-low RESET to ground)
 * @param safeModeActiveHigh true when driving the pin high asserts the safe-mode line
 */
public record GpioSettings(Provider provider, int resetPin, int safeModePin, boolean resetActiveHigh,
        boolean safeModeActiveHigh) {

    /** The Pi4J 2.8.0 digital-output providers the Guardian knows. */
    public enum Provider {
        /** Pi4J's mock provider: no hardware; the default off a Guardian board. */
        MOCK("mock", "mock-digital-output", "com.pi4j:pi4j-plugin-mock"),
        /** The Linux GPIO character device through libgpiod (Raspberry Pi OS bookworm and later). */
        GPIOD("gpiod", "gpiod-digital-output", "com.pi4j:pi4j-plugin-gpiod"),
        /** The legacy sysfs GPIO interface. */
        LINUXFS("linuxfs", "linuxfs-digital-output", "com.pi4j:pi4j-plugin-linuxfs");

        private final String configName;
        private final String pi4jId;
        private final String artifact;

        Provider(String configName, String pi4jId, String artifact) {
            this.configName = configName;
            this.pi4jId = pi4jId;
            this.artifact = artifact;
        }

        /** The name used in configuration: mock, gpiod, linuxfs. */
        public String configName() {
            return configName;
        }

        /** Pi4J's id of the digital-output provider. */
        public String pi4jId() {
            return pi4jId;
        }

        /** The Maven artifact (version 2.8.0) that carries the provider. */
        public String artifact() {
            return artifact;
        }

        /** The provider named {@code name} in configuration. */
        public static Provider byConfigName(String name) {
            for (Provider provider : values()) {
                if (provider.configName.equals(name.toLowerCase(Locale.ROOT))) {
                    return provider;
                }
            }
            throw new IllegalArgumentException("unknown GPIO provider '" + name + "', expected mock, gpiod or linuxfs");
        }
    }

    /** The mock provider on pins 17 (reset) and 27 (safe mode), both active high. */
    public static final GpioSettings MOCK = new GpioSettings(Provider.MOCK, 17, 27, true, true);

    public GpioSettings {
        if (provider == null) {
            throw new IllegalArgumentException("a GPIO provider is required");
        }
        if (resetPin < 0 || resetPin > 63 || safeModePin < 0 || safeModePin > 63) {
            throw new IllegalArgumentException("GPIO pins must be 0..63, were reset " + resetPin + ", safe mode "
                    + safeModePin);
        }
        if (resetPin == safeModePin) {
            throw new IllegalArgumentException("the reset and safe-mode lines need different pins, both were "
                    + resetPin);
        }
    }
}
