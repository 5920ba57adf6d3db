package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxBootFactsTest {
    @TempDir
    Path temp;

    @Test
    void readsTheBootIdWithoutItsNewline() throws IOException {
        Path bootId = Files.writeString(temp.resolve("boot_id"), "2b1c3d4e-0000-4000-8000-00000000abcd\n");

        assertEquals("2b1c3d4e-0000-4000-8000-00000000abcd", facts(bootId, Optional.empty()).bootId());
    }

    @Test
    void missingOrEmptyBootIdIsAnErrorNamingTheFile() throws IOException {
        Path missing = temp.resolve("missing");
        Path empty = Files.writeString(temp.resolve("empty"), "\n");

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> facts(missing, Optional.empty()).bootId());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertThrows(UncheckedIOException.class, () -> facts(empty, Optional.empty()).bootId());
    }

    @Test
    void readsTheKernelsBootIdByDefault() {
        assumeTrue(Files.isReadable(LinuxBootFacts.KERNEL_BOOT_ID), "no /proc boot id here");

        assertTrue(new LinuxBootFacts().bootId().matches("[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}"));
    }

    @Test
    void readsTheWatchdogBootStatusInDecimalOrHex() throws IOException {
        Path decimal = Files.writeString(temp.resolve("decimal"), "32\n");
        Path hex = Files.writeString(temp.resolve("hex"), "0x20\n");
        Path upperHex = Files.writeString(temp.resolve("upper"), "0X1f");

        assertEquals(Optional.of(32), status(decimal));
        assertEquals(Optional.of(0x20), status(hex));
        assertEquals(Optional.of(0x1f), status(upperHex));
    }

    @Test
    void watchdogBootStatusIsUnknownWhenTheFileIsAbsentOrNotConfigured() throws IOException {
        assertEquals(Optional.empty(), status(temp.resolve("absent")));
        assertEquals(Optional.empty(), facts(bootIdFile(), Optional.empty()).watchdogBootStatus());
    }

    @Test
    void watchdogBootStatusThatIsNotANumberIsAnError() throws IOException {
        Path garbage = Files.writeString(temp.resolve("garbage"), "card reset\n");

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> status(garbage));
        assertTrue(e.getMessage().contains("card reset"), e.getMessage());
    }

    private Optional<Integer> status(Path file) throws IOException {
        return facts(bootIdFile(), Optional.of(file)).watchdogBootStatus();
    }

    private Path bootIdFile() throws IOException {
        return Files.writeString(temp.resolve("boot_id"), "id\n");
    }

    private static LinuxBootFacts facts(Path bootId, Optional<Path> status) {
        return new LinuxBootFacts(bootId, status);
    }
}
