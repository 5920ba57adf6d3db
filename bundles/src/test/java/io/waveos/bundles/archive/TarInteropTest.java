package io.waveos.bundles.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.bundles.archive.Archives.Entry;
import io.waveos.bundles.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Interop with GNU tar and Python's tarfile in both directions (both are installed wherever CI runs). */
class TarInteropTest {

    private static final String LONG_DIR = "payload/" + "d".repeat(110);
    private static final String LONG_NAME = LONG_DIR + "/" + "f".repeat(60) + ".bin";
    private static final String UTF8_NAME = "payload/grüße-日本.txt";

    @TempDir
    Path dir;

    /** Files with the edge cases: empty, exactly one block, a name that needs the ustar prefix or pax. */
    private Map<String, byte[]> files(boolean utf8) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("manifest.dsse.json", "{\"payloadType\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        files.put("payload/empty", new byte[0]);
        byte[] block = new byte[512];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 7);
        }
        files.put("payload/block", block);
        files.put(LONG_NAME, "long".getBytes(StandardCharsets.UTF_8));
        if (utf8) {
            files.put(UTF8_NAME, "utf".getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ustar", "pax"})
    void readsArchivesWrittenByGnuTar(String format) throws Exception {
        Map<String, byte[]> files = files(format.equals("pax"));
        Path src = dir.resolve("src");
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.createDirectories(src.resolve(f.getKey()).getParent());
            Files.write(src.resolve(f.getKey()), f.getValue());
        }
        Path archive = dir.resolve("gnu.tar");
        List<String> cmd = new ArrayList<>(List.of("tar", "--format=" + format, "--no-recursion", "-cf",
                archive.toString(), "-C", src.toString()));
        cmd.addAll(files.keySet());
        run(cmd);

        List<Entry> entries = Archives.readAll(Files.readAllBytes(archive));

        assertMembers(files, entries);
    }

    @ParameterizedTest
    @ValueSource(strings = {"USTAR_FORMAT", "PAX_FORMAT"})
    void readsArchivesWrittenByPythonTarfile(String format) throws Exception {
        Map<String, byte[]> files = files(format.equals("PAX_FORMAT"));
        Path src = dir.resolve("src");
        Files.createDirectories(src);
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", String.join("\n",
                "import sys, tarfile, io",
                "with tarfile.open(sys.argv[1], 'w', format=tarfile." + format + ") as t:",
                "    for i in range(2, len(sys.argv), 2):",
                "        data = open(sys.argv[i + 1], 'rb').read()",
                "        info = tarfile.TarInfo(sys.argv[i]); info.size = len(data); info.mode = 0o644",
                "        t.addfile(info, io.BytesIO(data))"), dir.resolve("py.tar").toString()));
        int i = 0;
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = src.resolve("f" + i++);
            Files.write(p, f.getValue());
            cmd.add(f.getKey());
            cmd.add(p.toString());
        }
        run(cmd);

        List<Entry> entries = Archives.readAll(Files.readAllBytes(dir.resolve("py.tar")));

        assertMembers(files, entries);
    }

    @Test
    void gnuTarListsAndExtractsWhatTarWriterWrote() throws Exception {
        Map<String, byte[]> files = files(true);
        Path archive = writeWithTarWriter(files);

        String listing = run(List.of("tar", "-tvf", archive.toString()));
        Path out = Files.createDirectories(dir.resolve("out"));
        run(List.of("tar", "-xf", archive.toString(), "-C", out.toString()));

        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            assertTrue(listing.contains(f.getKey()), () -> f.getKey() + " missing from\n" + listing);
            assertArrayEquals(f.getValue(), Files.readAllBytes(out.resolve(f.getKey())), f.getKey());
        }
        assertTrue(listing.lines().allMatch(l -> l.startsWith("-rw-r--r-- 0/0")), listing);
    }

    @Test
    void pythonTarfileReadsWhatTarWriterWrote() throws Exception {
        Map<String, byte[]> files = files(true);
        Path archive = writeWithTarWriter(files);

        String json = run(List.of("python3", "-c", String.join("\n",
                "import sys, tarfile, json",
                "with tarfile.open(sys.argv[1], 'r:') as t:",
                "    print(json.dumps([[m.name, m.type.decode(), m.mode, m.mtime, t.extractfile(m).read().hex()]"
                        + " for m in t.getmembers()], ensure_ascii=False))"),
                archive.toString()));

        List<?> members = (List<?>) Json.parse(json.trim().getBytes(StandardCharsets.UTF_8));
        assertEquals(files.size(), members.size());
        int i = 0;
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            List<?> m = (List<?>) members.get(i++);
            assertEquals(List.of(f.getKey(), "0", 0644L, 0L, java.util.HexFormat.of().formatHex(f.getValue())), m);
        }
    }

    private Path writeWithTarWriter(Map<String, byte[]> files) throws IOException {
        Path archive = dir.resolve("writer.tar");
        try (TarWriter w = new TarWriter(Files.newOutputStream(archive))) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                w.addFile(f.getKey(), 0644, f.getValue());
            }
        }
        return archive;
    }

    private static void assertMembers(Map<String, byte[]> files, List<Entry> entries) {
        assertEquals(List.copyOf(files.keySet()), entries.stream().map(e -> e.member().name()).toList());
        for (Entry e : entries) {
            assertEquals(TarMember.Type.REGULAR, e.member().type(), e.member().name());
            assertEquals(0644, e.member().mode() & 07777, e.member().name());
            assertArrayEquals(files.get(e.member().name()), e.content(), e.member().name());
        }
    }

    /** Runs a tool with a UTF-8 locale, bounded in time; returns its stdout, fails on a non-zero exit. */
    private String run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> command + " failed:\n" + text);
        return text;
    }
}
