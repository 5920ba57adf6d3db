package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingOutputFileTest {
    private static final int MAX = 1024;

    @TempDir
    Path dir;

    @Test
    void appendsWhileTheLiveFileStaysWithinItsCap() throws IOException {
        Path live = dir.resolve("svc.stdout.log");
        try (RotatingOutputFile file = new RotatingOutputFile(live, MAX, 2)) {
            write(file, 'a', 1000);
            write(file, 'b', 24);
        }
        assertEquals("a".repeat(1000) + "b".repeat(24), read(live));
        assertFalse(Files.exists(dir.resolve("svc.stdout.log.1")));
    }

    @Test
    void rotatesBeforeAWriteThatWouldExceedTheCap() throws IOException {
        Path live = dir.resolve("svc.stdout.log");
        try (RotatingOutputFile file = new RotatingOutputFile(live, MAX, 2)) {
            write(file, 'a', 1000);
            write(file, 'b', 100);
        }
        assertEquals("a".repeat(1000), read(dir.resolve("svc.stdout.log.1")));
        assertEquals("b".repeat(100), read(live));
    }

    @Test
    void keepsTheNewestRotatedFilesAndDropsOlderOnes() throws IOException {
        Path live = dir.resolve("svc.stdout.log");
        try (RotatingOutputFile file = new RotatingOutputFile(live, MAX, 2)) {
            for (char c = 'a'; c <= 'e'; c++) {
                write(file, c, MAX);
            }
        }
        assertEquals("e".repeat(MAX), read(live));
        assertEquals("d".repeat(MAX), read(dir.resolve("svc.stdout.log.1")));
        assertEquals("c".repeat(MAX), read(dir.resolve("svc.stdout.log.2")));
        assertFalse(Files.exists(dir.resolve("svc.stdout.log.3")));
    }

    @Test
    void splitsAWriteLargerThanTheCapAcrossFiles() throws IOException {
        Path live = dir.resolve("svc.stdout.log");
        try (RotatingOutputFile file = new RotatingOutputFile(live, MAX, 3)) {
            write(file, 'x', 3000);
        }
        assertEquals(MAX, Files.size(dir.resolve("svc.stdout.log.2")));
        assertEquals(MAX, Files.size(dir.resolve("svc.stdout.log.1")));
        assertEquals(3000 - 2 * MAX, Files.size(live));
    }

    @Test
    void truncatesTheLiveFileWhenNoRotatedFilesAreKept() throws IOException {
        Path live = dir.resolve("svc.stdout.log");
        try (RotatingOutputFile file = new RotatingOutputFile(live, MAX, 0)) {
            write(file, 'a', 1000);
            write(file, 'b', 100);
        }
        assertEquals("b".repeat(100), read(live));
        assertFalse(Files.exists(dir.resolve("svc.stdout.log.1")));
    }

    @Test
    void continuesAnExistingLiveFileAndDeletesFilesBeyondTheKeepCount() throws IOException {
        Path live = dir.resolve("svc.stdout.log");
        Files.writeString(live, "a".repeat(500));
        Files.writeString(dir.resolve("svc.stdout.log.2"), "stale");
        Files.writeString(dir.resolve("svc.stdout.log.3"), "stale");
        try (RotatingOutputFile file = new RotatingOutputFile(live, MAX, 1)) {
            write(file, 'b', 100);
            write(file, 'c', 600);
        }
        assertEquals("a".repeat(500) + "b".repeat(100), read(dir.resolve("svc.stdout.log.1")));
        assertEquals("c".repeat(600), read(live));
        assertFalse(Files.exists(dir.resolve("svc.stdout.log.2")));
        assertFalse(Files.exists(dir.resolve("svc.stdout.log.3")));
    }

    @Test
    void recordsBytesDroppedWhileTheDirectoryWasGoneOnceWritingWorksAgain() throws IOException {
        Path logs = dir.resolve("logs");
        Path live = logs.resolve("svc.stdout.log");
        try (RotatingOutputFile file = new RotatingOutputFile(live, MAX, 1)) {
            write(file, 'a', 1000);
            Files.delete(live);
            Files.delete(logs);
            write(file, 'b', 100);
            assertEquals(100, file.droppedBytes());
            assertTrue(file.lastError().contains("NoSuchFile"), file.lastError());

            Files.createDirectories(logs);
            write(file, 'c', 10);
        }
        String content = read(live);
        assertTrue(content.startsWith("[waveos: dropped 100 bytes of output: "), content);
        assertTrue(content.endsWith("]\n" + "c".repeat(10)), content);
    }

    @Test
    void writesOnlyTheGivenSliceOfTheBuffer() throws IOException {
        Path live = dir.resolve("svc.stdout.log");
        byte[] buffer = "0123456789".getBytes(StandardCharsets.US_ASCII);
        try (RotatingOutputFile file = new RotatingOutputFile(live, MAX, 1)) {
            file.write(buffer, 3, 4);
        }
        assertArrayEquals("3456".getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(live));
    }

    private static void write(RotatingOutputFile file, char c, int count) {
        byte[] bytes = new byte[count];
        Arrays.fill(bytes, (byte) c);
        file.write(bytes, 0, count);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }
}
