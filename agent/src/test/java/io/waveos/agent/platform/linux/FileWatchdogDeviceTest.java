package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWatchdogDeviceTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path temp;

    private final ExecutorService reader = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopReader() {
        reader.shutdownNow();
    }

    @Test
    void refusesTheHostsWatchdogUnlessTheOperatorAllowsIt() {
        for (String name : new String[] {"/dev/watchdog", "/dev/watchdog0", "/dev/watchdog12", "/dev/../dev/watchdog1"}) {
            assertThrows(IllegalArgumentException.class, () -> new FileWatchdogDevice(Path.of(name), false), name);
            new FileWatchdogDevice(Path.of(name), true); // constructing never opens
        }
    }

    @Test
    void refusesASymlinkThatLeadsToTheHostsWatchdog() throws IOException {
        Path hop = Files.createSymbolicLink(temp.resolve("hop"), Path.of("/dev/watchdog0"));
        Path link = Files.createSymbolicLink(temp.resolve("wd"), hop.getFileName());

        assertThrows(IllegalArgumentException.class, () -> new FileWatchdogDevice(link, false));
    }

    @Test
    void acceptsOtherDevicePathsThatOnlyLookSimilar() {
        assertFalse(FileWatchdogDevice.namesRealDevice(Path.of("/dev/watchdogs-are-nice")));
        assertFalse(FileWatchdogDevice.namesRealDevice(Path.of("/tmp/dev/watchdog")));
    }

    @Test
    void writesOneByteForEachKickThenTheMagicCloseCharacter() throws IOException {
        Path file = Files.createFile(temp.resolve("watchdog"));
        FileWatchdogDevice device = new FileWatchdogDevice(file, false);

        device.kick();
        device.kick();
        device.kick();
        device.disarm();

        assertEquals("kkkV", Files.readString(file, StandardCharsets.US_ASCII));
    }

    @Test
    void kickAfterDisarmOpensAndArmsAgain() throws IOException {
        Path file = Files.createFile(temp.resolve("watchdog"));
        FileWatchdogDevice device = new FileWatchdogDevice(file, false);

        device.kick();
        device.disarm();
        device.kick();
        device.kick();
        device.disarm();

        // Reopened without truncation, writing from the start: "kV" overwritten by "kkV".
        assertEquals("kkV", Files.readString(file, StandardCharsets.US_ASCII));
    }

    @Test
    void disarmWithoutAKickNeitherOpensNorWrites() throws IOException {
        Path file = Files.createFile(temp.resolve("watchdog"));

        new FileWatchdogDevice(file, false).disarm();

        assertEquals(0, Files.size(file));
    }

    @Test
    void kickOnAMissingPathFailsWithoutCreatingIt() {
        Path missing = temp.resolve("no-such-watchdog");
        FileWatchdogDevice device = new FileWatchdogDevice(missing, false);

        assertThrows(IOException.class, device::kick);
        assertFalse(Files.exists(missing));
    }

    @Test
    void kicksAndMagicCloseTravelThroughAFifo() throws Exception {
        Path fifo = temp.resolve("watchdog.fifo");
        assumeTrue(mkfifo(fifo), "mkfifo is not available");
        // The constructor must not open: opening a FIFO for writing blocks until a reader comes.
        FileWatchdogDevice device = new FileWatchdogDevice(fifo, false);
        Future<String> received = reader.submit(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
        });

        assertTimeoutPreemptively(BOUND, () -> {
            device.kick();
            device.kick();
            device.disarm();
        });

        assertEquals("kkV", received.get(BOUND.toSeconds(), TimeUnit.SECONDS));
    }

    private static boolean mkfifo(Path path) throws InterruptedException {
        try {
            Process process = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
            return process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException notInstalled) {
            return false;
        }
    }
}
