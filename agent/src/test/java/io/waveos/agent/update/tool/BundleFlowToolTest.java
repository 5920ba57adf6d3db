package io.waveos.agent.update.tool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build, sign, verify and inspect through the command line, as an operator runs them. */
class BundleFlowToolTest {

    @TempDir
    Path dir;
    private ToolRunner tool;

    @BeforeEach
    void keysRootAndPayload() throws IOException {
        tool = new ToolRunner(dir);
        tool.run("keygen", "--out", "@a").ok();
        tool.run("keygen", "--out", "@b").ok();
        tool.run("trust", "init", "--out", "@root.json", "--key", "@a.pub.pem", "--key", "@b.pub.pem",
                "--threshold", "root=2,app=2", "--expires", "2028-01-01T00:00:00Z").ok();
        tool.run("trust", "sign", "--root", "@root.json", "--key", "@a.pem").ok();
        tool.run("trust", "sign", "--root", "@root.json", "--key", "@b.pem").ok();
        tool.payloadAndTemplate();
    }

    @Test
    void aBundleSignedByOneOfTwoRequiredKeysIsRefusedUntilTheSecondHolderSigns() {
        tool.run("build", "--dir", "@payload", "--manifest", "@template.json", "--out", "@web.wbundle", "--key", "@a.pem").ok();
        tool.run("verify", "@web.wbundle", "--root", "@root.json").refused("threshold-not-met");

        tool.run("sign", "--bundle", "@web.wbundle", "--key", "@b.pem").ok();
        ToolRunner.Result ok = tool.run("verify", "@web.wbundle", "--root", "@root.json", "--device-class", "pi4",
                "--floor", "6", "--agent-version", "0.1.0").ok();
        assertTrue(ok.out().contains("OK: app web version 7"), ok.out());
        assertTrue(ok.out().contains("signed by 2 of 2 app keys"), ok.out());
        assertEquals(1, ok.out().strip().lines().count());
    }

    @Test
    void signingTwiceWithTheSameKeyIsRefusedAndLeavesTheBundleUnchanged() throws IOException {
        tool.run("build", "--dir", "@payload", "--manifest", "@template.json", "--out", "@web.wbundle", "--key", "@a.pem").ok();
        byte[] before = Files.readAllBytes(tool.path("web.wbundle"));
        tool.run("sign", "--bundle", "@web.wbundle", "--key", "@a.pem").badInput("already signed by key");
        assertArrayEquals(before, Files.readAllBytes(tool.path("web.wbundle")));
        try (var leftovers = Files.list(dir)) {
            assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void largePayloadsShowProgressInFivePercentStepsAndSmallOnesShowNone() throws IOException {
        tool.run("build", "--dir", "@payload", "--manifest", "@template.json", "--out", "@small.wbundle",
                "--key", "@a.pem", "--key", "@b.pem", "--progress").ok();
        ToolRunner.Result small = tool.run("verify", "@small.wbundle", "--root", "@root.json", "--progress").ok();
        assertEquals("", small.err());

        byte[] big = new byte[(int) ProgressMeter.MIN_BYTES + 4096];
        new java.util.Random(7).nextBytes(big);
        Files.write(tool.path("payload/big.bin"), big);
        ToolRunner.Result built = tool.run("build", "--dir", "@payload", "--manifest", "@template.json", "--out",
                "@big.wbundle", "--key", "@a.pem", "--key", "@b.pem", "--progress").ok();
        assertTrue(built.err().contains("build: writing: 100%"), built.err());
        ToolRunner.Result r = tool.run("verify", "@big.wbundle", "--root", "@root.json", "--progress").ok();
        List<Integer> steps = r.err().lines().map(l -> {
            assertTrue(l.matches("verify: \\d+% \\([0-9.]+ of 8\\.0 MiB\\)"), l);
            return Integer.parseInt(l.substring("verify: ".length(), l.indexOf('%')));
        }).toList();
        assertEquals(0, steps.get(0), r.err());
        assertEquals(100, steps.get(steps.size() - 1), r.err());
        for (int i = 1; i < steps.size(); i++) {
            assertEquals(0, steps.get(i) % 5, r.err());
            assertTrue(steps.get(i) > steps.get(i - 1), r.err());
        }
        assertTrue(steps.size() >= 15, "most 5 % steps are shown: " + r.err());
        assertEquals("", tool.run("verify", "@big.wbundle", "--root", "@root.json").ok().err(),
                "no progress without --progress on a non-interactive stderr");
    }

    @Test
    void aChangedPayloadByteIsRefusedAsHashMismatch() throws IOException {
        tool.run("build", "--dir", "@payload", "--manifest", "@template.json", "--out", "@web.wbundle",
                "--key", "@a.pem", "--key", "@b.pem").ok();
        tool.run("verify", "@web.wbundle", "--root", "@root.json").ok();
        byte[] bytes = Files.readAllBytes(tool.path("web.wbundle"));
        int at = indexOf(bytes, "echo hello".getBytes(StandardCharsets.US_ASCII));
        bytes[at] ^= 0x20;
        Files.write(tool.path("web.wbundle"), bytes);
        ToolRunner.Result r = tool.run("verify", "@web.wbundle", "--root", "@root.json").refused("hash-mismatch");
        assertTrue(r.err().contains("payload/bin/app"), r.err());
    }

    @Test
    void policyOptionsRefuseTheWrongDeviceAFloorAtTheVersionAndALaterTime() {
        tool.run("build", "--dir", "@payload", "--manifest", "@template.json", "--out", "@web.wbundle",
                "--key", "@a.pem", "--key", "@b.pem").ok();
        tool.run("verify", "@web.wbundle", "--root", "@root.json", "--device-class", "pi5").refused("device-class");
        tool.run("verify", "@web.wbundle", "--root", "@root.json", "--floor", "7").refused("rollback");
        tool.run("verify", "@web.wbundle", "--root", "@root.json", "--now", "2027-06-01T00:00:00Z").refused("expired");
        tool.run("verify", "@web.wbundle", "--root", "@root.json", "--now", "yesterday").badInput("--now");
    }

    @Test
    void buildIsDeterministicAndNormalisesModes() throws IOException {
        tool.run("build", "--dir", "@payload", "--manifest", "@template.json", "--out", "@one.wbundle", "--key", "@a.pem").ok();
        tool.run("build", "--dir", "@payload", "--manifest", "@template.json", "--out", "@two.wbundle", "--key", "@a.pem").ok();
        assertArrayEquals(Files.readAllBytes(tool.path("one.wbundle")), Files.readAllBytes(tool.path("two.wbundle")));

        ToolRunner.Result r = tool.run("inspect", "@one.wbundle").ok();
        assertTrue(r.out().contains("0755"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("0755") && l.endsWith("bin/app")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("0644") && l.endsWith("config.json")), r.out());
        assertTrue(r.out().contains("UNVERIFIED"), r.out());
    }

    @Test
    void inspectJsonIsOneDocumentWithTheManifestAndUnverifiedSignatures() throws Exception {
        tool.run("build", "--dir", "@payload", "--manifest", "@template.json", "--out", "@web.wbundle",
                "--key", "@a.pem", "--key", "@b.pem").ok();
        ToolRunner.Result r = tool.run("inspect", "@web.wbundle", "--json").ok();
        Map<String, Object> doc = Json.parseObject(r.out().strip().getBytes(StandardCharsets.UTF_8));
        List<?> sigs = (List<?>) doc.get("signatures");
        assertEquals(2, sigs.size());
        assertEquals(false, ((Map<?, ?>) sigs.get(0)).get("verified"));
        Map<?, ?> manifest = (Map<?, ?>) doc.get("manifest");
        assertEquals("web", manifest.get("component"));
        List<?> files = (List<?>) manifest.get("files");
        assertEquals("bin/app", ((Map<?, ?>) files.get(0)).get("path"));
        assertEquals("config.json", ((Map<?, ?>) files.get(1)).get("path"));
    }

    @Test
    void anUnsignedBuildIsRefusedAsUnsigned() {
        tool.run("build", "--dir", "@payload", "--manifest", "@template.json", "--out", "@web.wbundle").ok();
        tool.run("verify", "@web.wbundle", "--root", "@root.json").refused("unsigned");
    }

    @Test
    void buildRefusesSymlinksSpecialFilesAndTemplatesThatListFiles() throws Exception {
        Files.createSymbolicLink(tool.path("payload/link"), tool.path("payload/config.json"));
        tool.run("build", "--dir", "@payload", "--manifest", "@template.json", "--out", "@web.wbundle")
                .badInput(tool.path("payload/link") + ": is a symbolic link");
        Files.delete(tool.path("payload/link"));
        ToolRunner.exec(List.of("mkfifo", tool.path("payload/fifo").toString())).ok();
        tool.run("build", "--dir", "@payload", "--manifest", "@template.json", "--out", "@web.wbundle")
                .badInput(tool.path("payload/fifo") + ": is a special file");
        Files.delete(tool.path("payload/fifo"));

        Files.writeString(tool.path("listed.json"), ToolRunner.TEMPLATE.replace("}}",
                "},\"files\":[{\"path\":\"x\",\"size\":0,\"sha256\":\"" + "0".repeat(64) + "\",\"mode\":\"0644\"}]}"));
        tool.run("build", "--dir", "@payload", "--manifest", "@listed.json", "--out", "@web.wbundle")
                .badInput("must not list files");
        Files.writeString(tool.path("broken.json"), "{\"format\":1,");
        tool.run("build", "--dir", "@payload", "--manifest", "@broken.json", "--out", "@web.wbundle")
                .badInput(tool.path("broken.json") + ": not a JSON object");
        Files.writeString(tool.path("badid.json"), ToolRunner.TEMPLATE.replace("web-7", "web 7"));
        tool.run("build", "--dir", "@payload", "--manifest", "@badid.json", "--out", "@web.wbundle")
                .badInput("manifest-malformed: manifest.bundle_id");
        assertTrue(Files.notExists(tool.path("web.wbundle")));
    }

    @Test
    void inspectAndVerifyRefuseAFileThatIsNotABundle() throws IOException {
        Files.writeString(tool.path("junk.wbundle"), "not a tar archive at all");
        tool.run("inspect", "@junk.wbundle").refused("truncated");
        tool.run("verify", "@junk.wbundle", "--root", "@root.json").refused("truncated");
        tool.run("verify", "@missing.wbundle", "--root", "@root.json").badInput("no such file");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
