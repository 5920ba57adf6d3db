package io.waveos.companion.guardian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuardianOptionsTest {

    @Test
    void readsASerialGuardianWithKeys() throws Exception {
        GuardianOptions o = GuardianOptions.parse(List.of("--port", "/dev/ttyUSB1", "--baud", "57600", "--state",
                "/var/lib/waveos-guardian", "--key-file", "/etc/waveos/link.keys", "--gpio", "gpiod",
                "--device-id", "dev-1"));
        assertEquals(Optional.of("/dev/ttyUSB1"), o.serialPort());
        assertEquals(57600, o.baud());
        assertEquals(Path.of("/var/lib/waveos-guardian"), o.stateDir());
        assertEquals(Optional.of(Path.of("/etc/waveos/link.keys")), o.keyFile());
        assertEquals(16, o.tagBytes());
        assertEquals(Optional.of(GpioSettings.Provider.GPIOD), o.gpioProvider());
        assertEquals("dev-1", o.deviceId());
    }

    @Test
    void readsATcpGuardianWithAnExplicitlyPlainLink() throws Exception {
        GuardianOptions o = GuardianOptions.parse(List.of("--tcp-listen", "127.0.0.1:7400", "--state", "s", "--plain"));
        assertEquals(7400, o.tcpListen().orElseThrow().getPort());
        assertEquals(Optional.empty(), o.keyFile());
    }

    @Test
    void refusesAnAmbiguousOrUnsafeCommandLine() {
        String[][] cases = {
            {"--port|/dev/x|--state|s", "--key-file FILE is required (or --plain, for development)"},
            {"--port|/dev/x|--state|s|--plain|--key-file|k", "--plain and --key-file exclude each other"},
            {"--port|/dev/x|--tcp-listen|h:1|--state|s|--plain", "exactly one of --port and --tcp-listen"},
            {"--state|s|--plain", "exactly one of --port and --tcp-listen"},
            {"--port|/dev/x|--plain", "--state DIR is required"},
            {"--tcp-listen|7400|--state|s|--plain", "--tcp-listen: expected HOST:PORT"},
            {"--port|/dev/x|--state|s|--plain|--tag-bytes|4", "--tag-bytes must be 8..32"},
            {"--port|/dev/x|--state|s|--plain|--gpio|sysfs", "--gpio: unknown GPIO provider 'sysfs'"},
            {"--port|/dev/x|--state|s|--plain|--verbose", "--verbose needs a value"},
            {"--port|/dev/x|--state|s|--plain|--colour|red", "unknown option --colour"},
        };
        for (String[] c : cases) {
            GuardianOptions.UsageException e = assertThrows(GuardianOptions.UsageException.class,
                    () -> GuardianOptions.parse(List.of(c[0].split("\\|"))), c[0]);
            assertTrue(e.getMessage().startsWith(c[1]), e.getMessage());
        }
    }
}
