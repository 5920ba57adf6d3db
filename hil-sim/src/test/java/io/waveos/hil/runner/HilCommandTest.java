package io.waveos.hil.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HilCommandTest {
    @TempDir
    Path work;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return new HilCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    @Test
    void listShowsEveryShippedScenarioWithItsTiers() throws Exception {
        assertEquals(0, run("hil", "list"));
        String text = out.toString(StandardCharsets.UTF_8);
        for (String name : new ScenarioLibrary().names()) {
            assertTrue(text.contains(name), name + " missing from:\n" + text);
        }
        assertTrue(text.matches("(?s).*clock-jump +tiers \\[1\\].*"), text);
        assertTrue(text.matches("(?s).*guardian-resets-hung-agent +tiers \\[1,2\\].*"), text);
    }

    @Test
    void tier1RunWritesAReportAndJunitXmlAndExitsZero() throws Exception {
        Path dir = work.resolve("report");
        assertEquals(0, run("hil", "run", "restart-after-crash", "power-cut-recovery", "--tier", "1", "--out",
                dir.toString()), out.toString(StandardCharsets.UTF_8));
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("PASS") && !html.contains("http://")
                || html.contains("xmlns='http://www.w3.org/2000/svg'"), "report");
        assertTrue(!html.contains("<script") && !html.contains("src="), "self-contained");
        String junit = Files.readString(dir.resolve("junit.xml"));
        assertTrue(junit.contains("tests=\"2\" failures=\"0\""), junit);
    }

    @Test
    void aFailingScenarioExitsOneAndItsFailureIsInTheJunitXml() throws Exception {
        Path file = work.resolve("bad.yaml");
        Files.writeString(file, "title: t\nduration: 4s\ntiers: [1]\ndevice:\n  services:\n    - name: a\n"
                + "expect:\n  - {final_mode: SAFE}\n");
        Path dir = work.resolve("report");
        assertEquals(1, run("hil", "run", file.toString(), "--tier", "1", "--out", dir.toString()));
        assertTrue(Files.readString(dir.resolve("junit.xml")).contains("final mode SAFE: observed final mode NORMAL"));
    }

    @Test
    void anInvalidScenarioFileExitsTwoNamingFileAndLine() throws Exception {
        Path file = work.resolve("broken.yaml");
        Files.writeString(file, "title: t\nduration: 4s\ndevice:\n  services: []\nexpect:\n  - {runs: zero}\n");
        assertEquals(2, run("hil", "run", file.toString(), "--tier", "1", "--out", work.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(file + ":6: expect[0].runs: expected an int"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownOptionsAndTiersAreUsageErrors() throws Exception {
        assertEquals(2, run("hil", "run", "--tier", "3"));
        assertEquals(2, run("hil", "frobnicate"));
        assertEquals(2, run());
    }
}
