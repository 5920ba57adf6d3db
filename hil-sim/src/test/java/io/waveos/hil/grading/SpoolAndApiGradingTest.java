package io.waveos.hil.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.spool.RecordCodec;
import io.waveos.agent.spool.SegmentName;
import io.waveos.agent.spool.SpoolRecord;
import io.waveos.agent.spool.Stream;
import io.waveos.hil.rig.RunRecord;
import io.waveos.hil.scenario.Scenario;
import io.waveos.hil.scenario.ScenarioLoader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool and API kinds graded from records built by hand in the agent's own formats: segment
 * files of WSR1 records, audit lines as {@code AuditLog} writes them, a push ledger as {@code PushLedger}
 * saves it. Each kind passes on records that keep the promise and fails on records built to break it.
 */
class SpoolAndApiGradingTest {
    private static final Instant ORIGIN = Instant.parse("2026-11-22T08:00:00Z");

    @TempDir
    Path work;

    private RunRecord run() {
        return new RunRecord("s", 2, 1, work, work.resolve("logs"), ORIGIN, ORIGIN.plusSeconds(20), List.of(), Set.of(),
                List.of(), List.of(), List.of());
    }

    private List<Verdict> grade(String expect, boolean api) throws Exception {
        Scenario s = new ScenarioLoader().parse("s.yaml", "title: t\nduration: 20s\ntiers: [2]\ndevice:\n  services:\n"
                + "    - name: ticker\n    - name: flooder\n" + (api ? "  api: {}\n" : "") + "expect:\n" + expect);
        return new Grader().grade(s, run()).verdicts();
    }

    /** A segment file holding one record per line: {@code SERVICE SECONDS TEXT}. */
    private void segment(long first, String... lines) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long seq = first;
        for (String line : lines) {
            String[] p = line.split(" ", 3);
            long micros = ORIGIN.plusMillis((long) (Double.parseDouble(p[1]) * 1000)).toEpochMilli() * 1000;
            out.write(RecordCodec.encode(new SpoolRecord(seq++, micros, 0, p[0], Stream.STDOUT, 0,
                    p[2].getBytes(StandardCharsets.UTF_8))));
        }
        Path dir = work.resolve("logs/spool");
        Files.createDirectories(dir);
        Files.write(dir.resolve(new SegmentName(first, ORIGIN.toEpochMilli()).fileName()), out.toByteArray());
    }

    private static String ticks(double from, double to, double every) {
        StringBuilder b = new StringBuilder();
        for (double t = from; t <= to; t += every) {
            b.append("ticker ").append(t).append(" tick ").append((int) t).append(" ok\n");
        }
        return b.toString();
    }

    @Test
    void logLinesAreCountedAndSpacedFromTheSpoolSegments() throws Exception {
        segment(0, ticks(1, 10, 1).split("\n"));
        segment(10, ticks(11, 19, 1).split("\n"));
        List<Verdict> v = grade("  - {log: ticker, contains: tick, at_least: 18, every: 1500ms, between: [1s, 19s]}\n"
                + "  - {log: ticker, stream: stdout, contains: 'tick 5 ', at_most: 1}\n", false);
        assertTrue(v.get(0).passed(), v.get(0).observed());
        assertTrue(v.get(1).passed(), v.get(1).observed());
    }

    @Test
    void aSpoolMissingLinesFailsTheCountAndTheSpacing() throws Exception {
        segment(0, ticks(1, 5, 1).split("\n"));
        segment(5, ticks(9, 19, 1).split("\n"));
        List<Verdict> v = grade("  - {log: ticker, contains: tick, at_least: 18, between: [1s, 19s]}\n"
                + "  - {log: ticker, contains: tick, every: 1500ms, between: [1s, 19s]}\n"
                + "  - {log: ticker, stream: stderr, contains: tick}\n", false);
        assertEquals(List.of(false, false, false), v.stream().map(Verdict::passed).toList(), v.toString());
        assertTrue(v.get(1).observed().contains("widest gap 4000 ms from 5.00 s"), v.get(1).observed());
    }

    @Test
    void theSpoolsCapIsJudgedByItsSegmentFilesAtTheEnd() throws Exception {
        segment(0, ("flooder 1 " + "x".repeat(900) + "\n").repeat(100).split("\n"));
        List<Verdict> v = grade("  - {spool_within: 1MiB}\n  - {spool_within: 64KiB}\n", false);
        assertTrue(v.get(0).passed(), v.get(0).observed());
        assertTrue(!v.get(1).passed() && v.get(1).observed().startsWith("1 segments, 9"), v.get(1).observed());
    }

    @Test
    void anEmptySpoolKeepsNoCap() throws Exception {
        List<Verdict> v = grade("  - {spool_within: 1MiB}\n", false);
        assertTrue(!v.get(0).passed(), v.get(0).observed());
    }

    private void audit(String... decisions) throws Exception {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (String d : decisions) {
            String[] p = d.split(" ");
            b.append("{\"ts\":\"").append(ORIGIN.plusSeconds(++i)).append("\",\"peer\":\"127.0.0.1\",\"key_id\":\"-\","
                    + "\"method\":\"GET\",\"path\":\"/v1/status\",\"decision\":\"").append(p[0]).append("\",\"code\":\"")
                    .append(p[1]).append("\",\"status\":").append(p[2]).append("}\n");
        }
        Files.createDirectories(work.resolve("logs"));
        // a torn last line (a power cut mid-write) is no decision
        Files.writeString(work.resolve("logs/api-audit.jsonl"), b + "{\"ts\":\"2026-11-22T08:00:30Z\",\"decis");
    }

    @Test
    void auditDecisionsAreCountedByDecisionAndCode() throws Exception {
        audit("denied missing_auth 401", "denied bad_signature 401", "denied bad_signature 401",
                "refused rate_limited 429", "allowed ok 0");
        List<Verdict> v = grade("  - {api_audit: denied, code: bad_signature, at_least: 2}\n"
                + "  - {api_audit: denied, at_least: 3, at_most: 3}\n  - {api_audit: refused, between: [4s, 4s]}\n", true);
        assertEquals(List.of(true, true, true), v.stream().map(Verdict::passed).toList(), v.toString());
    }

    @Test
    void anAuditLogWithoutDenialsFails() throws Exception {
        audit("allowed ok 0", "allowed ok 0", "refused body_too_large 413");
        List<Verdict> v = grade("  - {api_audit: denied, at_least: 1}\n  - {api_audit: refused, code: rate_limited}\n"
                + "  - {api_audit: allowed, at_most: 1}\n", true);
        assertEquals(List.of(false, false, false), v.stream().map(Verdict::passed).toList(), v.toString());
        assertTrue(v.get(0).observed().startsWith("0 matching of 3 audit lines (allowed 2, refused 1)"),
                v.get(0).observed());
    }

    private void ledger(String... states) throws Exception {
        StringBuilder b = new StringBuilder("{\"next\":" + states.length + ",\"pushes\":[");
        for (int i = 0; i < states.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"install_id\":\"t-00000").append(i + 1).append("\",\"key\":\"k")
                    .append(i).append("\",\"state\":\"").append(states[i]).append("\"}");
        }
        Files.createDirectories(work.resolve("state/api"));
        Files.writeString(work.resolve("state/api/pushes.json"), b + "]}");
    }

    @Test
    void pushesAreCountedByStateFromTheDurableLedger() throws Exception {
        ledger("COMMITTED");
        List<Verdict> v = grade("  - {api_pushes: committed, at_least: 1, at_most: 1}\n  - {api_pushes: any, at_most: 1}\n"
                + "  - {api_pushes: rejected, at_most: 0}\n", true);
        assertEquals(List.of(true, true, true), v.stream().map(Verdict::passed).toList(), v.toString());
    }

    @Test
    void aRepeatedPushThatInstalledAgainFailsTheLedgerCount() throws Exception {
        ledger("COMMITTED", "REJECTED");
        List<Verdict> v = grade("  - {api_pushes: any, at_most: 1}\n  - {api_pushes: rejected, at_most: 0}\n"
                + "  - {api_pushes: trial}\n", true);
        assertEquals(List.of(false, false, false), v.stream().map(Verdict::passed).toList(), v.toString());
        assertTrue(v.get(0).observed().contains("{committed=1, rejected=1}"), v.get(0).observed());
    }

    @Test
    void anAgentThatNeverOpenedItsApiHasNoLedger() throws Exception {
        List<Verdict> v = grade("  - {api_pushes: any, at_most: 0}\n", true);
        assertTrue(!v.get(0).passed() && v.get(0).observed().contains("never opened its API"), v.get(0).observed());
    }

    @Test
    void theSpoolFigureSumsEachRunsLastCounterValue() {
        DeviceArtifacts a = new DeviceArtifacts(List.of(
                new DeviceArtifacts.Row(1, ORIGIN, "agent::spool_written_bytes_total", 100),
                new DeviceArtifacts.Row(1, ORIGIN.plusSeconds(1), "agent::spool_written_bytes_total", 300),
                new DeviceArtifacts.Row(2, ORIGIN.plusSeconds(2), "agent::spool_written_bytes_total", 50),
                new DeviceArtifacts.Row(2, ORIGIN.plusSeconds(2), "agent::spool_dropped_total", 7)), List.of());
        assertEquals("lines dropped 7, records deleted by retention 0, 350 bytes written",
                LogGrading.figures(a, DeviceLogs.none()).get("spool"));
    }
}
