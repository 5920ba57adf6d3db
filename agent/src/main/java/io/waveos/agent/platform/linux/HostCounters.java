package io.waveos.agent.platform.linux;

import io.waveos.agent.platform.SystemMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Parsers of {@code /proc/loadavg} and {@code /proc/net/dev} for {@link LinuxSystemMetrics}. A missing
 * file is an absent figure; content that cannot be parsed is an {@link IOException} naming the file and
 * line.
 */
final class HostCounters {
    private HostCounters() {
    }

    /** {@code 0.52 0.58 0.59 1/389 12345}: the first three fields. */
    static Optional<SystemMetrics.Load> load(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String[] f = text.split("\\s+");
        if (f.length < 3) {
            throw new IOException(file + ":1: expected three load averages in '" + shorten(text) + "'");
        }
        try {
            return Optional.of(new SystemMetrics.Load(Double.parseDouble(f[0]), Double.parseDouble(f[1]),
                    Double.parseDouble(f[2])));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ":1: expected three load averages in '" + shorten(text) + "'", e);
        }
    }

    /**
     * Two header lines, then {@code  eth0: rxBytes rxPackets rxErrs rxDrop rxFifo rxFrame rxCompressed
     * rxMulticast txBytes txPackets txErrs ...}, sorted by name.
     */
    static List<SystemMetrics.NetInterface> interfaces(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<SystemMetrics.NetInterface> out = new ArrayList<>();
        for (int i = 2; i < lines.size(); i++) {
            String text = lines.get(i);
            int colon = text.indexOf(':');
            if (colon < 0) {
                throw new IOException(file + ":" + (i + 1) + ": expected 'name: counters' in '" + shorten(text) + "'");
            }
            String name = text.substring(0, colon).trim();
            String[] f = text.substring(colon + 1).trim().split("\\s+");
            if (f.length < 11 || name.isEmpty()) {
                throw new IOException(file + ":" + (i + 1) + ": expected a name and 16 counters in '"
                        + shorten(text) + "'");
            }
            try {
                out.add(new SystemMetrics.NetInterface(name, Long.parseLong(f[0]), Long.parseLong(f[8]),
                        Long.parseLong(f[2]), Long.parseLong(f[10])));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ":" + (i + 1) + ": not a counter in '" + shorten(text) + "'", e);
            }
        }
        out.sort(Comparator.comparing(SystemMetrics.NetInterface::name));
        return out;
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
