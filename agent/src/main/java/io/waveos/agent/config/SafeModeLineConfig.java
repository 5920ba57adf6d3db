package io.waveos.agent.config;

/**
 * The device's end of the Guardian's safe-mode line ({@code companion.safe_mode_line}): a GPIO input.
 *
 * @param provider the Pi4J provider that reads the pin
 * @param pin the BCM number of the input pin, 0..63
 * @param activeLow true when a low level means asserted (the documented wiring: the Guardian's
 *     open-drain transistor pulls the device's pulled-up input to ground)
 */
public record SafeModeLineConfig(Provider provider, int pin, boolean activeLow) {
    /** Pi4J 2.8.0 digital-input providers. */
    public enum Provider {
        /** No hardware: the line reads released unless a test drives the mock pin. */
        MOCK("mock-digital-input", "com.pi4j:pi4j-plugin-mock"),
        /** The legacy sysfs GPIO interface. */
        LINUXFS("linuxfs-digital-input", "com.pi4j:pi4j-plugin-linuxfs"),
        /** The GPIO character device through libgpiod. */
        GPIOD("gpiod-digital-input", "com.pi4j:pi4j-plugin-gpiod");

        private final String pi4jId;
        private final String artifact;

        Provider(String pi4jId, String artifact) {
            this.pi4jId = pi4jId;
            this.artifact = artifact;
        }

        /** Pi4J's id of the digital-input provider. */
        public String pi4jId() {
            return pi4jId;
        }

        /** The Maven artifact (version 2.8.0) that carries the provider. */
        public String artifact() {
            return artifact;
        }
    }

    public SafeModeLineConfig {
        if (provider == null) {
            throw new IllegalArgumentException("a GPIO provider is required");
        }
        if (pin < 0 || pin > 63) {
            throw new IllegalArgumentException("the safe-mode pin must be 0..63, was " + pin);
        }
    }
}
