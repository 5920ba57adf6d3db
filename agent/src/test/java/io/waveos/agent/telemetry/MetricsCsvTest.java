package io.waveos.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.fake.FakeStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsCsvTest {
    static final Path DIR = Path.of("/logs/runs/r1");
    final FakeStorage storage = new FakeStorage();

    static Sample sample(long second) {
        Map<MetricKey, Double> v = new LinkedHashMap<>();
        v.put(MetricKey.system("cpu_permille"), 125.0);
        v.put(MetricKey.system("load1"), 0.25);
        v.put(new MetricKey(Scope.SYSTEM, "eth0", "net_rx_bytes"), 123456789.0);
        v.put(MetricKey.service("modem", "rss_bytes"), 1048576.0);
        return new Sample(Instant.parse("2026-11-22T08:00:00Z").plusSeconds(second), second * 1_000_000_000L, v);
    }

    String read(String name) throws IOException {
        return new String(storage.read(DIR.resolve(name)).orElseThrow(), StandardCharsets.US_ASCII);
    }

    @Test
    void writesTheFixedHeaderThenOneRowPerValue() throws IOException {
        MetricsCsv csv = new MetricsCsv(storage, DIR.resolve("metrics.csv"), 1 << 20, 2);
        csv.write(List.of(sample(60)));
        assertEquals("""
                time,mono_ms,scope,subject,metric,value
                2026-11-22T08:01:00.000Z,60000,system,,cpu_permille,125
                2026-11-22T08:01:00.000Z,60000,system,,load1,0.25
                2026-11-22T08:01:00.000Z,60000,system,eth0,net_rx_bytes,123456789
                2026-11-22T08:01:00.000Z,60000,service,modem,rss_bytes,1048576
                """, read("metrics.csv"));
    }

    @Test
    void everyWrittenRowSurvivesAPowerCut() throws IOException {
        MetricsCsv csv = new MetricsCsv(storage, DIR.resolve("metrics.csv"), 1 << 20, 2);
        csv.write(List.of(sample(1), sample(2)));
        storage.powerLoss();
        assertEquals(1 + 8, read("metrics.csv").split("\n").length);
    }

    @Test
    void rotatesAtTheSizeCapAndKeepsOnlyTheConfiguredNumberOfOldFiles() throws IOException {
        MetricsCsv csv = new MetricsCsv(storage, DIR.resolve("metrics.csv"), 4096, 2);
        for (int i = 0; i < 100; i++) {
            csv.write(List.of(sample(i)));
        }
        assertEquals(List.of("metrics.csv", "metrics.csv.1", "metrics.csv.2"), storage.list(DIR));
        for (String name : storage.list(DIR)) {
            String text = read(name);
            assertTrue(text.startsWith(MetricsCsv.HEADER + "\n"), name);
            assertTrue(text.length() <= 4096, name + " is " + text.length());
        }
        assertTrue(read("metrics.csv").contains("2026-11-22T08:01:39.000Z"), "the newest rows are in the live file");
    }

    @Test
    void aFailedWriteIsReportedAndTheNextWriteStartsOnAFreshLine() throws IOException {
        MetricsCsv csv = new MetricsCsv(storage, DIR.resolve("metrics.csv"), 1 << 20, 2);
        csv.write(List.of(sample(1)));
        storage.failWrites(true);
        assertThrows(IOException.class, () -> csv.write(List.of(sample(2))));
        storage.failWrites(false);
        csv.write(List.of(sample(3)));
        String[] lines = read("metrics.csv").split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            assertTrue(lines[i].equals(MetricsCsv.HEADER) || lines[i].split(",", -1).length == 6, lines[i]);
        }
        assertEquals(1 + 8, lines.length - 1, "rows of the first and third write, no fragment");
    }
}
