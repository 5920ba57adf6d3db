package io.waveos.companion.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Integration tests over a real PTY pair made by socat (skipped where socat is not installed). */
class SerialTransportTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    // a fixed folder for the whole test JVM: jSerialComm loads its library once per process
    private final JSerialCommNativeLibrary nativeLibrary =
            new JSerialCommNativeLibrary(Path.of("target", "transport-test-native"));
    private final List<ByteTransport> transports = new ArrayList<>();
    private SocatPtyPair socat;

    @BeforeEach
    void startSocat() throws IOException {
        assumeTrue(SocatPtyPair.available(), "socat is not installed");
        socat = SocatPtyPair.start(dir);
    }

    @AfterEach
    void stopEverything() {
        transports.forEach(ByteTransport::close);
        if (socat != null) {
            socat.close();
        }
    }

    @Test
    void carriesEveryByteValueInBothDirections() throws IOException {
        RecordingReceiver atA = new RecordingReceiver();
        RecordingReceiver atB = new RecordingReceiver();
        SerialTransport a = transport(socat.a());
        SerialTransport b = transport(socat.b());
        a.open(atA);
        b.open(atB);

        byte[] up = new byte[256];
        byte[] down = new byte[256];
        for (int i = 0; i < 256; i++) {
            up[i] = (byte) i;
            down[i] = (byte) (255 - i);
        }
        a.send(up);
        b.send(down);

        Eventually.until(BOUND, () -> atA.size() == 256 && atB.size() == 256,
                () -> "a has " + atA.size() + ", b has " + atB.size());
        assertArrayEquals(up, atB.bytes());
        assertArrayEquals(down, atA.bytes());
    }

    @Test
    void carriesA64KiBBurstIntactAndInOrder() throws IOException {
        RecordingReceiver atB = new RecordingReceiver();
        SerialTransport a = transport(socat.a());
        a.open(new RecordingReceiver());
        transport(socat.b()).open(atB);
        byte[] burst = new byte[64 * 1024];
        new Random(64).nextBytes(burst);

        a.send(burst);

        Eventually.until(BOUND, () -> atB.size() >= burst.length, () -> "b has " + atB.size());
        assertArrayEquals(burst, atB.bytes());
    }

    @Test
    void reportsThePeerGoneWhenSocatDiesAndThenRefusesToSend() throws IOException {
        RecordingReceiver atA = new RecordingReceiver();
        SerialTransport a = transport(socat.a());
        a.open(atA);

        socat.kill();

        Eventually.until(BOUND, () -> !atA.closes().isEmpty(), () -> "onClosed after socat died");
        assertEquals(1, atA.closes().size());
        assertTrue(atA.closes().get(0).startsWith("peer gone"), atA.closes().get(0));
        assertThrows(IOException.class, () -> a.send(new byte[] {1}));
        a.close();
        assertEquals(1, atA.closes().size(), "onClosed exactly once");
    }

    @Test
    void reopensAfterCloseAndCarriesBytesAgain() throws IOException {
        RecordingReceiver atB = new RecordingReceiver();
        SerialTransport a = transport(socat.a());
        transport(socat.b()).open(atB);
        RecordingReceiver first = new RecordingReceiver();
        a.open(first);
        a.send(new byte[] {1});
        Eventually.until(BOUND, () -> atB.size() == 1, () -> "first byte");

        a.close();
        assertEquals(List.of("closed locally"), first.closes(), "onClosed before close returns");
        assertThrows(IOException.class, () -> a.send(new byte[] {2}));

        RecordingReceiver second = new RecordingReceiver();
        a.open(second);
        a.send(new byte[] {3});
        Eventually.until(BOUND, () -> atB.size() == 2, () -> "byte after reopening");
        assertArrayEquals(new byte[] {1, 3}, atB.bytes());
        assertEquals(List.of(), second.closes());
    }

    @Test
    void opensADeviceExclusively() throws IOException {
        SerialTransport first = transport(socat.a());
        SerialTransport second = transport(socat.a());
        first.open(new RecordingReceiver());

        assertThrows(IOException.class, () -> second.open(new RecordingReceiver()));
        first.close();
        second.open(new RecordingReceiver());
    }

    @Test
    void refusesToOpenTwiceAndToSendBeforeOpen() throws IOException {
        SerialTransport a = transport(socat.a());
        assertThrows(IOException.class, () -> a.send(new byte[] {1}));
        a.open(new RecordingReceiver());
        assertThrows(IllegalStateException.class, () -> a.open(new RecordingReceiver()));
    }

    @Test
    void failsToOpenAMissingDevice() {
        SerialTransport missing = transport(dir.resolve("no-such-device"));
        assertThrows(IOException.class, () -> missing.open(new RecordingReceiver()));
    }

    private SerialTransport transport(Path device) {
        SerialTransport transport = new SerialTransport(device.toString(), SerialSettings.of(115_200), nativeLibrary);
        transports.add(transport);
        return transport;
    }
}
