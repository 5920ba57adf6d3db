package io.waveos.agent.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    private final List<String> lines = new ArrayList<>();

    private LineSplitter.LineSink sink() {
        return (line, flags) -> lines.add(new String(line, StandardCharsets.ISO_8859_1) + "|" + flags);
    }

    @Test
    void givesTheSameLinesWhereverTheInputIsSplit() {
        byte[] input = "one\ntwo two\n\nthree".getBytes(StandardCharsets.US_ASCII);
        for (int cut = 0; cut <= input.length; cut++) {
            lines.clear();
            LineSplitter s = new LineSplitter(64);
            s.feed(input, 0, cut, sink());
            s.feed(input, cut, input.length - cut, sink());
            s.finish(sink());
            assertEquals(List.of("one|0", "two two|0", "|0", "three|2"), lines, "cut at " + cut);
        }
    }

    @Test
    void cutsAnEnormousLineIntoFlaggedPiecesWithBoundedMemory() {
        LineSplitter s = new LineSplitter(4);
        byte[] input = "abcdefghij\nkl\n".getBytes(StandardCharsets.US_ASCII);
        for (byte b : input) {
            s.feed(new byte[] {b}, 0, 1, sink());
            assertEquals(true, s.pendingBytes() <= 4);
        }
        assertEquals(List.of("abcd|1", "efgh|1", "ij|0", "kl|0"), lines);
    }

    @Test
    void aLineOfExactlyTheMaximumIsNotMarkedTruncated() {
        LineSplitter s = new LineSplitter(4);
        byte[] input = "abcd\nefgh".getBytes(StandardCharsets.US_ASCII);
        s.feed(input, 0, input.length, sink());
        s.finish(sink());
        assertEquals(List.of("abcd|0", "efgh|2"), lines);
    }

    @Test
    void passesBinaryBytesThrough() {
        LineSplitter s = new LineSplitter(16);
        byte[] input = {0, (byte) 0xff, (byte) 0xfe, '\r', '\n'};
        s.feed(input, 0, input.length, sink());
        assertEquals(List.of("\u0000\u00ff\u00fe\r|0"), lines);
    }
}
