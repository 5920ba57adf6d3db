package io.waveos.companion.guardian;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The command line of {@code waveos guardian}: where the device is, where the Guardian keeps its state,
 * and the few settings that are wiring rather than behaviour (behaviour is in the {@code --config}
 * file, see {@link GuardianProperties}).
 *
 * @param serialPort {@code --port}: the serial device to the device's UART
 * @param baud {@code --baud}: the line speed
 * @param tcpListen {@code --tcp-listen}: listen for the device over TCP instead (simulator,
 *     serial-over-network)
 * @param stateDir {@code --state}: the Guardian's own folder (log, witnesses, counters)
 * @param configFile {@code --config}: a properties file; absent means every default
 * @param keyFile {@code --key-file}: the link keys; absent only with {@code --plain}
 * @param tagBytes {@code --tag-bytes}: the truncated tag length; both ends must agree
 * @param gpioProvider {@code --gpio}: overrides {@code gpio.provider} of the config file
 * @param deviceId {@code --device-id}: the device the Guardian is paired with; empty accepts any
 */
public record GuardianOptions(
        Optional<String> serialPort,
        int baud,
        Optional<InetSocketAddress> tcpListen,
        Path stateDir,
        Optional<Path> configFile,
        Optional<Path> keyFile,
        int tagBytes,
        Optional<GpioSettings.Provider> gpioProvider,
        String deviceId) {

    public static final String USAGE = String.join("\n",
            "usage: waveos guardian (--port DEVICE [--baud N] | --tcp-listen HOST:PORT) --state DIR",
            "                       (--key-file FILE [--tag-bytes N] | --plain)",
            "                       [--config FILE] [--gpio mock|gpiod|linuxfs] [--device-id ID]",
            "",
            "  --port DEVICE          the serial device wired to the device's UART, e.g. /dev/ttyAMA0",
            "  --baud N               line speed (default 115200)",
            "  --tcp-listen HOST:PORT listen for the device over TCP instead (simulator)",
            "  --state DIR            the Guardian's own folder: log, reset witnesses, counters",
            "  --key-file FILE        the link keys from the certs bundle (see docs/guardian.md)",
            "  --tag-bytes N          authentication tag length, 8..32 (default 16); as on the device",
            "  --plain                run the link without authentication (development only)",
            "  --config FILE          behaviour settings, a properties file (default: built-in defaults)",
            "  --gpio PROVIDER        the GPIO provider, overriding gpio.provider of the config file",
            "  --device-id ID         the device this Guardian is paired with (default: any)");

    /** The command line was wrong; the message says how. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    public GuardianOptions {
        if (serialPort.isPresent() == tcpListen.isPresent()) {
            throw new IllegalArgumentException("exactly one of --port and --tcp-listen is required");
        }
        if (baud <= 0) {
            throw new IllegalArgumentException("--baud must be positive, was " + baud);
        }
        if (tagBytes < 8 || tagBytes > 32) {
            throw new IllegalArgumentException("--tag-bytes must be 8..32, was " + tagBytes);
        }
    }

    /**
     * Parses the arguments after {@code guardian}.
     *
     * @throws UsageException naming the problem (the caller prints it with {@link #USAGE})
     */
    public static GuardianOptions parse(List<String> args) throws UsageException {
        Optional<String> port = Optional.empty();
        int baud = 115_200;
        Optional<InetSocketAddress> tcp = Optional.empty();
        Optional<Path> state = Optional.empty();
        Optional<Path> config = Optional.empty();
        Optional<Path> keyFile = Optional.empty();
        boolean plain = false;
        int tagBytes = 16;
        Optional<GpioSettings.Provider> gpio = Optional.empty();
        String deviceId = "";
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (flag.equals("--plain")) {
                plain = true;
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new UsageException(flag.startsWith("--") ? flag + " needs a value" : "unexpected " + flag);
            }
            String value = args.get(++i);
            switch (flag) {
                case "--port" -> port = Optional.of(value);
                case "--baud" -> baud = number(flag, value);
                case "--tcp-listen" -> tcp = Optional.of(hostPort(value));
                case "--state" -> state = Optional.of(Path.of(value));
                case "--config" -> config = Optional.of(Path.of(value));
                case "--key-file" -> keyFile = Optional.of(Path.of(value));
                case "--tag-bytes" -> tagBytes = number(flag, value);
                case "--gpio" -> {
                    try {
                        gpio = Optional.of(GpioSettings.Provider.byConfigName(value));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--gpio: " + e.getMessage());
                    }
                }
                case "--device-id" -> deviceId = value;
                default -> throw new UsageException("unknown option " + flag);
            }
        }
        if (state.isEmpty()) {
            throw new UsageException("--state DIR is required");
        }
        // Fail closed (spec 6.5): a link without keys is only ever asked for explicitly.
        if (keyFile.isPresent() == plain) {
            throw new UsageException(plain ? "--plain and --key-file exclude each other"
                    : "--key-file FILE is required (or --plain, for development)");
        }
        try {
            return new GuardianOptions(port, baud, tcp, state.get(), config, keyFile, tagBytes, gpio, deviceId);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static int number(String flag, String value) throws UsageException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + ": expected a number, was '" + value + "'");
        }
    }

    private static InetSocketAddress hostPort(String value) throws UsageException {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new UsageException("--tcp-listen: expected HOST:PORT, was '" + value + "'");
        }
        int port = number("--tcp-listen", value.substring(colon + 1));
        if (port < 0 || port > 65_535) {
            throw new UsageException("--tcp-listen: port must be 0..65535, was " + port);
        }
        return new InetSocketAddress(value.substring(0, colon), port);
    }
}
