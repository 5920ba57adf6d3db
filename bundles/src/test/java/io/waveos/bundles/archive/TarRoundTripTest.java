package io.waveos.bundles.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.bundles.archive.Archives.Entry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TarRoundTripTest {

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void readsBackSmallEmptyAndBlockSizedFilesWithTheirContent() throws Exception {
        byte[] small = random(100, 1);
        byte[] exact = random(512, 2);
        byte[] bigger = random(513 + 8192 * 3, 3);
        byte[] archive = Archives.write("a.txt", small, "empty", new byte[0], "exact", exact, "bigger", bigger);

        List<Entry> entries = Archives.readAll(archive);

        assertEquals(List.of("a.txt", "empty", "exact", "bigger"), entries.stream().map(e -> e.member().name()).toList());
        assertArrayEquals(small, entries.get(0).content());
        assertArrayEquals(new byte[0], entries.get(1).content());
        assertArrayEquals(exact, entries.get(2).content());
        assertArrayEquals(bigger, entries.get(3).content());
        for (Entry e : entries) {
            assertEquals(TarMember.Type.REGULAR, e.member().type());
            assertEquals(0644, e.member().mode());
            assertEquals(e.content().length, e.member().size());
            assertEquals("", e.member().linkName());
        }
    }

    @Test
    void anEmptyArchiveHasNoMembersAndIsOneRecord() throws Exception {
        byte[] archive = Archives.write();

        assertEquals(10240, archive.length);
        assertEquals(List.of(), Archives.readAll(archive));
    }

    @Test
    void longAndUtf8NamesTravelInPaxPathRecords() throws Exception {
        String longName = "payload/" + "d".repeat(120) + "/" + "f".repeat(150) + ".bin";
        String utf8 = "payload/grüße/日本語/émoji-🚀.txt";
        String exactly100 = "payload/" + "x".repeat(92);
        byte[] archive = Archives.write(longName, "L", utf8, "U", exactly100, "X");

        List<Entry> entries = Archives.readAll(archive);

        assertEquals(List.of(longName, utf8, exactly100), entries.stream().map(e -> e.member().name()).toList());
        assertEquals(List.of("L", "U", "X"), entries.stream().map(Entry::text).toList());
        // The 100-character ASCII name fits the ustar field: no pax header, so the member starts at 0.
        byte[] only100 = Archives.write(exactly100, "X");
        assertEquals('0', only100[156]);
    }

    @Test
    void writesTheSameBytesForTheSameFiles() {
        byte[] first = Archives.write("payload/a", "one", "payload/ü" + "b".repeat(200), "two");
        byte[] second = Archives.write("payload/a", "one", "payload/ü" + "b".repeat(200), "two");

        assertArrayEquals(first, second);
        assertEquals(0, first.length % 10240);
    }

    @Test
    void readsCorrectlyWhenTheStreamGivesOneByteAtATime() throws Exception {
        String longName = "payload/" + "n".repeat(300);
        byte[] content = random(5000, 4);
        byte[] archive = Archives.write("manifest.dsse.json", "{}", longName, content, "z", new byte[0]);

        List<Entry> entries = Archives.readAll(new Archives.OneByteAtATime(archive), Long.MAX_VALUE);

        assertEquals(List.of("manifest.dsse.json", longName, "z"), entries.stream().map(e -> e.member().name()).toList());
        assertArrayEquals(content, entries.get(1).content());
    }

    @Test
    void skipsUnreadContentAndNeverReadsPastTheSecondZeroBlock() throws Exception {
        byte[] archive = Archives.write("a", random(3000, 5), "b", "bee");
        Archives.OneByteAtATime in = new Archives.OneByteAtATime(archive);
        TarReader reader = new TarReader(in, Long.MAX_VALUE);

        assertEquals("a", reader.next().orElseThrow().name());
        assertEquals("b", reader.next().orElseThrow().name());
        assertEquals("bee", new String(reader.content().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), reader.next());
        assertEquals(Optional.empty(), reader.next());

        long expected = 512 + 3072 + 512 + 512 + 1024;
        assertEquals(expected, reader.position());
        assertEquals(expected, in.served);
        assertTrue(archive.length > expected, "the record padding is left unread");
    }

    @Test
    void contentStopsAtTheDeclaredSizeEvenWhenReadPiecemeal() throws Exception {
        byte[] content = random(1500, 6);
        TarReader reader = new TarReader(new ByteArrayInputStream(Archives.write("a", content)), Long.MAX_VALUE);
        reader.next();
        InputStream in = reader.content();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        got.write(in.read());
        byte[] buf = new byte[700];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            got.write(buf, 0, n);
        }
        assertArrayEquals(content, got.toByteArray());
        assertEquals(-1, in.read());
    }

    @Test
    void writerRefusesContentShorterThanDeclared() {
        TarWriter w = new TarWriter(new ByteArrayOutputStream());
        IOException e = assertThrows(IOException.class,
                () -> w.addFile("payload/x", 0644, 10, new ByteArrayInputStream(new byte[4])));
        assertTrue(e.getMessage().contains("4 of 10"), e.getMessage());
    }
}
