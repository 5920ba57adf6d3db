package io.waveos.bundles.archive;

import static io.waveos.bundles.archive.Archives.concat;
import static io.waveos.bundles.archive.Archives.endMarker;
import static io.waveos.bundles.archive.Archives.padded;
import static io.waveos.bundles.archive.Archives.pax;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.archive.Archives.Entry;
import io.waveos.bundles.archive.Archives.Header;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TarReaderHostileTest {

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

    private static byte[] file(String name, byte[] content) {
        return concat(new Header(name, '0', content.length).block(), padded(content));
    }

    private static BundleRejected rejected(byte[] archive, BundleError expected) {
        return rejected(archive, Long.MAX_VALUE, expected);
    }

    private static BundleRejected rejected(byte[] archive, long cap, BundleError expected) {
        BundleRejected e = assertThrows(BundleRejected.class,
                () -> Archives.readAll(new ByteArrayInputStream(archive), cap));
        assertEquals(expected, e.error(), e::getMessage);
        return e;
    }

    @Test
    void acceptsAHandMadeArchiveSoTheHostileVariantsBelowDifferOnlyInTheirFlaw() throws Exception {
        List<Entry> entries = Archives.readAll(concat(file("payload/a", HELLO), endMarker()));
        assertEquals("payload/a", entries.get(0).member().name());
        assertArrayEquals(HELLO, entries.get(0).content());
    }

    @Test
    void refusesABadHeaderChecksum() {
        byte[] archive = concat(file("payload/a", HELLO), endMarker());
        archive[10] ^= 1;
        BundleRejected e = rejected(archive, BundleError.ARCHIVE_MALFORMED);
        assertEquals("header at byte 0", e.member());
        assertTrue(e.rule().contains("checksum"), e.rule());
    }

    @Test
    void acceptsTheSignedChecksumSumAsPosixAllows() throws Exception {
        Header h = new Header("payload/\u00e9", '0', 0);
        byte[] block = h.block();
        int signed = 0;
        for (int i = 0; i < 512; i++) {
            signed += (i >= 148 && i < 156) ? ' ' : block[i];
        }
        System.arraycopy(String.format("%06o\0 ", signed).getBytes(StandardCharsets.US_ASCII), 0, block, 148, 8);

        assertEquals("payload/\u00e9", Archives.readAll(concat(block, endMarker())).get(0).member().name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0000000000x", "00000000 12", "-0000000012", "0000000009"})
    void refusesANonOctalSize(String size) {
        byte[] archive = concat(new Header("payload/a", '0', 0).field(124, 12, size).block(), endMarker());
        BundleRejected e = rejected(archive, BundleError.ARCHIVE_MALFORMED);
        assertTrue(e.rule().startsWith("size"), e.rule());
    }

    @Test
    void acceptsSpacePaddedAndNulTerminatedOctalFields() throws Exception {
        byte[] archive = concat(new Header("payload/a", '0', 5).field(124, 12, "     5 ").field(100, 8, "644 ").block(),
                padded(HELLO), endMarker());
        Entry e = Archives.readAll(archive).get(0);
        assertEquals(5, e.member().size());
        assertEquals(0644, e.member().mode());
    }

    @Test
    void refusesAHeaderWithoutUstarMagic() {
        byte[] archive = concat(new Header("payload/a", '0', 0).field(257, 8, "").block(), endMarker());
        BundleRejected e = rejected(archive, BundleError.ARCHIVE_MALFORMED);
        assertTrue(e.rule().contains("magic"), e.rule());
    }

    @Test
    void acceptsGnuMagicAndIgnoresTheGnuAreaWhereUstarHasItsPrefix() throws Exception {
        byte[] archive = concat(new Header("payload/a", '0', 5).field(257, 8, "ustar  ").text(345, "01234567012").block(),
                padded(HELLO), endMarker());
        assertEquals("payload/a", Archives.readAll(archive).get(0).member().name());
    }

    @ParameterizedTest
    @ValueSource(chars = {'L', 'K'})
    void refusesGnuLongNameAndLongLinkHeaders(char type) {
        byte[] longName = ("payload/" + "x".repeat(200)).getBytes(StandardCharsets.UTF_8);
        byte[] archive = concat(new Header("././@LongLink", type, longName.length).field(257, 8, "ustar  ").block(),
                padded(longName), file("payload/x", HELLO), endMarker());
        BundleRejected e = rejected(archive, BundleError.ARCHIVE_MALFORMED);
        assertTrue(e.rule().contains("GNU long"), e.rule());
    }

    @Test
    void joinsTheUstarPrefixAndName() throws Exception {
        byte[] archive = concat(new Header("file.bin", '0', 0).text(345, "payload/deep/dir").block(), endMarker());
        assertEquals("payload/deep/dir/file.bin", Archives.readAll(archive).get(0).member().name());
    }

    @Test
    void refusesANameThatIsNotUtf8() {
        Header h = new Header("payload/", '0', 0).raw(8, (byte) 0xc3, (byte) 0x28);
        BundleRejected e = rejected(concat(h.block(), endMarker()), BundleError.NAME_INVALID);
        assertTrue(e.rule().contains("UTF-8"), e.rule());
    }

    @Test
    void refusesATruncatedHeader() {
        byte[] archive = Arrays.copyOf(file("payload/a", HELLO), 300);
        BundleRejected e = rejected(archive, BundleError.TRUNCATED);
        assertTrue(e.rule().contains("inside a header"), e.rule());
    }

    @Test
    void refusesContentThatEndsBeforeItsDeclaredSize() throws Exception {
        byte[] archive = Arrays.copyOf(file("payload/a", new byte[2000]), 512 + 1000);
        TarReader reader = new TarReader(new ByteArrayInputStream(archive), Long.MAX_VALUE);
        reader.next();
        TruncatedArchiveException e = assertThrows(TruncatedArchiveException.class, () -> reader.content().readAllBytes());
        assertEquals(BundleError.TRUNCATED, e.getRejection().error());
        assertEquals("payload/a", e.getRejection().member());
        assertThrows(IllegalStateException.class, reader::next);
    }

    @Test
    void refusesContentThatEndsBeforeItsDeclaredSizeWhenSkipped() {
        byte[] archive = Arrays.copyOf(file("payload/a", new byte[2000]), 512 + 1000);
        BundleRejected e = assertThrows(BundleRejected.class, () -> {
            TarReader reader = new TarReader(new ByteArrayInputStream(archive), Long.MAX_VALUE);
            reader.next();
            reader.next();
        });
        assertEquals(BundleError.TRUNCATED, e.error());
        assertEquals("payload/a", e.member());
    }

    @Test
    void refusesAnArchiveThatEndsInsideThePadding() {
        byte[] archive = Arrays.copyOf(file("payload/a", HELLO), 512 + 100);
        assertEquals(BundleError.TRUNCATED, rejected(archive, BundleError.TRUNCATED).error());
    }

    @Test
    void refusesAnArchiveWithoutItsEndMarker() {
        BundleRejected e = rejected(file("payload/a", HELLO), BundleError.TRUNCATED);
        assertTrue(e.rule().contains("end-of-archive"), e.rule());
    }

    @Test
    void acceptsASingleZeroBlockAtTheEndOfTheStream() throws Exception {
        byte[] archive = concat(file("payload/a", HELLO), new byte[512]);
        assertEquals(1, Archives.readAll(archive).size());
    }

    @Test
    void refusesASecondEndBlockThatIsNotZero() {
        byte[] tail = new byte[1024];
        tail[700] = 1;
        rejected(concat(file("payload/a", HELLO), tail), BundleError.ARCHIVE_MALFORMED);
    }

    @Test
    void refusesAnArchiveLargerThanTheCapWithoutReadingPastIt() throws Exception {
        byte[] archive = concat(file("a", new byte[600]), file("b", new byte[600]), endMarker());
        long cap = 512 + 1024 + 512 + 500;
        TarReader reader = new TarReader(new ByteArrayInputStream(archive), cap);
        reader.next();
        BundleRejected e = assertThrows(BundleRejected.class, reader::next);
        assertEquals(BundleError.TOO_LARGE, e.error());
        assertEquals("b", e.member());
        assertTrue(reader.position() <= cap, "position " + reader.position());
        // Exactly the cap is enough.
        assertEquals(2, Archives.readAll(new ByteArrayInputStream(archive), archive.length).size());
        // One byte short of the first end block is not; the optional second block is read only as far as the cap allows.
        rejected(archive, archive.length - 512 - 1, BundleError.TOO_LARGE);
        assertEquals(2, Archives.readAll(new ByteArrayInputStream(archive), archive.length - 1).size());
    }

    @Test
    void refusesAPaxHeaderLargerThan64KiB() {
        String big = "comment=" + "c".repeat(PaxRecords.MAX_BYTES);
        String record = (big.length() + 7) + " " + big + "\n";
        BundleRejected e = rejected(concat(pax(record), file("payload/a", HELLO), endMarker()), BundleError.TOO_LARGE);
        assertTrue(e.member().contains("pax"), e.member());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "18 path=payload/ab\\n|does not end at a newline",
        "17 path=payload/ab\\n|does not end at a newline",
        "019 path=payload/ab\\n|decimal length",
        "18path=payload/abc\\n|followed by a space",
        "11 pathXYZ\\n|<key>=<value>",
        "7 =abc\\n|<key>=<value>",
        "99 path=payload/ab\\n|runs past",
        "19 path=payload/ab\\n11 size=12\\n11 size=12\\n|appears twice",
        "19 path=payload/ab\\nJUNK|decimal length",
        "12 size=1x3\\n|decimal digits",
        "8 path=\\n|must not be empty",
        "22 GNU.sparse.major=1\\n|GNU sparse",
    })
    void refusesMalformedPaxRecords(String records, String rule) {
        String body = records.replace("\\n", "\n");
        BundleRejected e = rejected(concat(pax(body), file("payload/a", HELLO), endMarker()), BundleError.ARCHIVE_MALFORMED);
        assertTrue(e.rule().contains(rule), e.rule());
    }

    @Test
    void appliesPaxPathLinkpathAndSizeAndIgnoresOtherKeys() throws Exception {
        byte[] content = new byte[700];
        Arrays.fill(content, (byte) 7);
        byte[] archive = concat(pax("30 mtime=1700000000.123456789\n19 path=payload/ab\n12 size=700\n"),
                new Header("ignored", '0', 0).block(), padded(content),
                pax("21 linkpath=target/t\n"), new Header("payload/l", '2', 0).block(), endMarker());
        List<Entry> entries = Archives.readAll(archive);
        assertEquals("payload/ab", entries.get(0).member().name());
        assertArrayEquals(content, entries.get(0).content());
        assertEquals(TarMember.Type.SYMLINK, entries.get(1).member().type());
        assertEquals("target/t", entries.get(1).member().linkName());
    }

    @Test
    void refusesAPaxPathThatIsNotUtf8() {
        byte[] body = concat("12 path=a".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
        byte[] archive = concat(new Header("././@PaxHeader", 'x', body.length).block(), padded(body),
                file("payload/a", HELLO), endMarker());
        rejected(archive, BundleError.NAME_INVALID);
    }

    @Test
    void refusesAPaxGlobalHeader() {
        byte[] body = "19 path=payload/ab\n".getBytes(StandardCharsets.UTF_8);
        byte[] archive = concat(new Header("pax_global_header", 'g', body.length).block(), padded(body),
                file("payload/a", HELLO), endMarker());
        BundleRejected e = rejected(archive, BundleError.ARCHIVE_MALFORMED);
        assertTrue(e.rule().contains("global"), e.rule());
    }

    @Test
    void refusesAPaxHeaderFollowedByTheEndMarker() {
        BundleRejected e = rejected(concat(file("payload/a", HELLO), pax("19 path=payload/ab\n"), endMarker()),
                BundleError.ARCHIVE_MALFORMED);
        assertTrue(e.rule().contains("end marker"), e.rule());
    }

    @Test
    void refusesTwoPaxHeadersInARow() {
        rejected(concat(pax("19 path=payload/ab\n"), pax("19 path=payload/cd\n"), file("payload/a", HELLO), endMarker()),
                BundleError.ARCHIVE_MALFORMED);
    }

    @ParameterizedTest
    @CsvSource({
        "'0',REGULAR", "'7',REGULAR", "'1',HARDLINK", "'2',SYMLINK", "'3',CHAR_DEVICE", "'4',BLOCK_DEVICE",
        "'5',DIRECTORY", "'6',FIFO", "'S',OTHER", "'V',OTHER", "'A',OTHER", "'X',OTHER",
    })
    void mapsEveryTypeflagExactly(char typeflag, TarMember.Type type) throws Exception {
        Header h = new Header("payload/m", typeflag, 0).text(157, "payload/target");
        List<Entry> entries = Archives.readAll(concat(h.block(), file("payload/next", HELLO), endMarker()));
        assertEquals(type, entries.get(0).member().type());
        assertEquals("payload/target", entries.get(0).member().linkName());
        assertEquals("payload/next", entries.get(1).member().name());
    }

    @Test
    void mapsTheNulTypeflagToRegular() throws Exception {
        Header h = new Header("payload/m", '\0', 5);
        assertEquals(TarMember.Type.REGULAR, Archives.readAll(concat(h.block(), padded(HELLO), endMarker())).get(0).member().type());
    }

    @Test
    void skipsTheContentOfUnknownTypesByTheirSize() throws Exception {
        byte[] archive = concat(new Header("payload/o", 'Q', 700).block(), padded(new byte[700]),
                file("payload/next", HELLO), endMarker());
        List<Entry> entries = Archives.readAll(archive);
        assertEquals(TarMember.Type.OTHER, entries.get(0).member().type());
        assertEquals(700, entries.get(0).content().length);
        assertEquals("payload/next", entries.get(1).member().name());
    }

    @ParameterizedTest
    @ValueSource(chars = {'1', '2', '3', '4', '5', '6'})
    void refusesAContentlessTypeThatDeclaresContent(char typeflag) {
        byte[] archive = concat(new Header("payload/m", typeflag, 5).block(), padded(HELLO), endMarker());
        BundleRejected e = rejected(archive, BundleError.ARCHIVE_MALFORMED);
        assertTrue(e.rule().contains("size 0"), e.rule());
    }

    @Test
    void readsAGnuBase256Size() throws Exception {
        byte[] size = new byte[12];
        size[0] = (byte) 0x80;
        size[11] = 5;
        byte[] archive = concat(new Header("payload/a", '0', 0).raw(124, size).block(), padded(HELLO), endMarker());
        assertArrayEquals(HELLO, Archives.readAll(archive).get(0).content());
    }

    @Test
    void refusesANegativeBase256Size() {
        byte[] size = new byte[12];
        Arrays.fill(size, (byte) 0xff);
        rejected(concat(new Header("payload/a", '0', 0).raw(124, size).block(), endMarker()), BundleError.ARCHIVE_MALFORMED);
    }

    @Test
    void refusesANegativeBase256NumberThatWouldFitItsField() {
        byte[] minusOne = new byte[8];
        Arrays.fill(minusOne, (byte) 0xff);
        BundleRejected e = rejected(concat(new Header("payload/a", '0', 0).raw(108, minusOne).block(), endMarker()),
                BundleError.ARCHIVE_MALFORMED);
        assertTrue(e.rule().startsWith("uid is not a non-negative"), e.rule());
    }

    @Test
    void aHugeDeclaredSizeIsRefusedByTheCapBeforeAnyContentIsRead() throws Exception {
        byte[] size = new byte[12];
        size[0] = (byte) 0x80;
        size[4] = 0x7f; // about 2^63 / 2^8: far beyond any stream
        byte[] archive = concat(new Header("payload/huge", '0', 0).raw(124, size).block(), padded(HELLO), endMarker());
        Archives.OneByteAtATime in = new Archives.OneByteAtATime(archive);
        TarReader reader = new TarReader(in, 1 << 20);
        BundleRejected e = assertThrows(BundleRejected.class, reader::next);
        assertEquals(BundleError.TOO_LARGE, e.error());
        assertEquals(512, in.served);
    }

    @Test
    void aHugeDeclaredSizeUnderAnUnlimitedCapEndsAsTruncatedWithoutBuffering() throws Exception {
        byte[] archive = concat(new Header("payload/huge", '0', 077777777777L).block(), padded(HELLO));
        TarReader reader = new TarReader(new ByteArrayInputStream(archive), Long.MAX_VALUE);
        assertEquals(077777777777L, reader.next().orElseThrow().size());
        InputStream content = reader.content();
        byte[] buf = new byte[4096];
        long total = 0;
        TruncatedArchiveException e = null;
        try {
            for (int n = content.read(buf); n >= 0; n = content.read(buf)) {
                total += n;
            }
        } catch (TruncatedArchiveException t) {
            e = t;
        }
        assertTrue(e != null, "no truncation reported");
        assertEquals(512, total);
        assertEquals(archive.length, reader.position());
    }
}
