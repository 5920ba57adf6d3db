package io.waveos.companion.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PipeTransportTest {

    private static final Duration MS = Duration.ofMillis(1);

    @Test
    void deliversBytesOnlyWhenPumped() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE, FaultPlan.NONE, new Random(1));
        RecordingReceiver b = openBoth(pair).b;

        pair.a().send(new byte[] {1, 2, 3});
        assertEquals(0, b.size());

        assertEquals(1, pair.pump());
        assertArrayEquals(new byte[] {1, 2, 3}, b.bytes());
    }

    @Test
    void synchronousPairDeliversBeforeSendReturnsAndRepliesAfterTheReceiverReturns() throws IOException {
        PipePair pair = PipeTransport.synchronousPair();
        RecordingReceiver atA = new RecordingReceiver();
        boolean[] insideB = {false};
        List<String> nestingSeenByA = new ArrayList<>();
        pair.a().open(new ByteTransport.Receiver() {
            @Override
            public void onBytes(byte[] buf, int off, int len) {
                nestingSeenByA.add(insideB[0] ? "nested" : "not nested");
                atA.onBytes(buf, off, len);
            }

            @Override
            public void onClosed(String reason) {
                atA.onClosed(reason);
            }
        });
        pair.b().open(new ByteTransport.Receiver() {
            @Override
            public void onBytes(byte[] buf, int off, int len) {
                insideB[0] = true;
                try {
                    pair.b().send(new byte[] {(byte) (buf[off] + 1)});
                } catch (IOException e) {
                    throw new AssertionError(e);
                } finally {
                    insideB[0] = false;
                }
            }

            @Override
            public void onClosed(String reason) {
            }
        });

        pair.a().send(new byte[] {41});

        assertArrayEquals(new byte[] {42}, atA.bytes(), "the reply arrived before send returned");
        assertEquals(List.of("not nested"), nestingSeenByA);
    }

    @Test
    void sameSeedGivesTheSameDeliveriesAndAnotherSeedDoesNot() throws IOException {
        assertEquals(runWithEveryFault(7), runWithEveryFault(7));
        assertNotEquals(runWithEveryFault(7), runWithEveryFault(8));
    }

    private static List<String> runWithEveryFault(long seed) throws IOException {
        FaultPlan plan = FaultPlan.NONE.withDropProbability(0.1).withBitErrorRate(1e-3)
                .withDuplicateProbability(0.05).withDelay(MS, MS.multipliedBy(5)).withReorderProbability(0.1)
                .withMaxChunkBytes(16);
        PipePair pair = PipeTransport.pair(plan, plan, new Random(seed));
        Ends ends = openBoth(pair);
        Random content = new Random(99);
        for (int i = 0; i < 1000; i++) {
            byte[] chunk = new byte[1 + content.nextInt(40)];
            content.nextBytes(chunk);
            pair.a().send(chunk);
            pair.b().send(chunk);
            pair.advance(MS);
        }
        pair.advance(MS.multipliedBy(10));
        List<String> log = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        ends.a.chunks().forEach(c -> log.add("a<" + hex.formatHex(c)));
        ends.b.chunks().forEach(c -> log.add("b<" + hex.formatHex(c)));
        log.add(pair.stats(PipePair.Direction.A_TO_B).toString());
        log.add(pair.stats(PipePair.Direction.B_TO_A).toString());
        return log;
    }

    @Test
    void flipsBitsAtTheConfiguredErrorRate() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE.withBitErrorRate(1e-3), FaultPlan.NONE, new Random(42));
        RecordingReceiver b = openBoth(pair).b;
        Random content = new Random(5);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) {
            byte[] chunk = new byte[1000];
            content.nextBytes(chunk);
            sent.writeBytes(chunk);
            pair.a().send(chunk);
            pair.pump();
        }

        byte[] expected = sent.toByteArray();
        byte[] received = b.bytes();
        assertEquals(1_000_000, received.length, "bit errors never change the length");
        long flipped = 0;
        for (int i = 0; i < expected.length; i++) {
            flipped += Integer.bitCount((expected[i] ^ received[i]) & 0xff);
        }
        // 8e6 bits at 1e-3: 8000 expected, standard deviation about 89; +-5% is 4.5 sigma
        assertTrue(flipped >= 7600 && flipped <= 8400, "flipped " + flipped + " bits, expected about 8000");
        assertEquals(flipped, pair.stats(PipePair.Direction.A_TO_B).bitsFlipped());
    }

    @Test
    void dropsChunksAtTheConfiguredProbabilityAndKeepsTheRestInOrder() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE.withDropProbability(0.1), FaultPlan.NONE, new Random(3));
        RecordingReceiver b = openBoth(pair).b;
        int sent = 100_000;
        for (int i = 0; i < sent; i++) {
            pair.a().send(index(i));
            pair.pump();
        }

        List<Integer> arrived = indices(b);
        double dropped = 1 - arrived.size() / (double) sent;
        // 10000 expected, standard deviation about 95: +-500 is over 5 sigma
        assertTrue(dropped >= 0.095 && dropped <= 0.105, "dropped fraction " + dropped);
        assertStrictlyIncreasing(arrived);
        assertEquals(sent - arrived.size(), pair.stats(PipePair.Direction.A_TO_B).chunksDropped());
    }

    @Test
    void duplicatesChunksAtTheConfiguredProbabilityRightAfterTheOriginal() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE.withDuplicateProbability(0.05), FaultPlan.NONE,
                new Random(4));
        RecordingReceiver b = openBoth(pair).b;
        int sent = 100_000;
        for (int i = 0; i < sent; i++) {
            pair.a().send(index(i));
        }
        pair.pump();

        List<Integer> arrived = indices(b);
        int duplicates = arrived.size() - sent;
        double rate = duplicates / (double) sent;
        // 5000 expected, standard deviation about 69: +-500 is over 7 sigma
        assertTrue(rate >= 0.045 && rate <= 0.055, "duplicate rate " + rate);
        assertEquals(sent, arrived.stream().distinct().count(), "every chunk arrived");
        for (int i = 1; i < arrived.size(); i++) {
            assertTrue(arrived.get(i) >= arrived.get(i - 1), "a duplicate follows its original at " + i);
        }
    }

    @Test
    void delaysDeliveryUntilVirtualTimeReachesTheDelay() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE.withDelay(Duration.ofMillis(10)), FaultPlan.NONE,
                new Random(1));
        RecordingReceiver b = openBoth(pair).b;
        pair.a().send(new byte[] {9});

        assertEquals(OptionalLong.of(Duration.ofMillis(10).toNanos()), pair.nextDueNanos());
        pair.advance(Duration.ofMillis(9));
        assertEquals(0, b.size());
        pair.advance(MS);
        assertArrayEquals(new byte[] {9}, b.bytes());
        assertEquals(OptionalLong.empty(), pair.nextDueNanos());
    }

    @Test
    void jitteredDelayNeverReordersChunks() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE.withDelay(Duration.ZERO, Duration.ofMillis(50)),
                FaultPlan.NONE, new Random(11));
        RecordingReceiver b = openBoth(pair).b;
        for (int i = 0; i < 1000; i++) {
            pair.a().send(index(i));
            if (i % 10 == 0) {
                pair.advance(MS);
            }
        }
        pair.advance(Duration.ofMillis(50));

        List<Integer> arrived = indices(b);
        assertEquals(1000, arrived.size());
        assertStrictlyIncreasing(arrived);
    }

    @Test
    void pairOnAnExternalTickerDeliversWhenThatTickerReachesTheDelay() throws IOException {
        long[] now = {1_000};
        PipePair pair = PipeTransport.pair(FaultPlan.NONE.withDelay(MS), FaultPlan.NONE, new Random(1),
                () -> now[0]);
        RecordingReceiver b = openBoth(pair).b;
        pair.a().send(new byte[] {1});

        assertEquals(0, pair.pump());
        now[0] += MS.toNanos();
        assertEquals(1, pair.pump());
        assertEquals(1, b.size());
        assertThrows(IllegalStateException.class, () -> pair.advance(MS));
    }

    @Test
    void reorderedChunkArrivesRightAfterItsSuccessor() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE.withReorderProbability(1), FaultPlan.NONE, new Random(1));
        RecordingReceiver b = openBoth(pair).b;
        for (int i = 0; i < 6; i++) {
            pair.a().send(index(i));
        }
        pair.a().send(index(6));
        pair.pump();

        assertEquals(List.of(1, 0, 3, 2, 5, 4), indices(b), "chunk 6 waits for a successor");
        pair.a().close();
        pair.pump();
        assertEquals(List.of(1, 0, 3, 2, 5, 4, 6), indices(b), "a close releases the held chunk first");
        assertEquals(List.of("peer closed"), b.closes());
    }

    @Test
    void splitsSendsIntoPiecesNoLargerThanTheMaximum() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE.withMaxChunkBytes(7), FaultPlan.NONE, new Random(2));
        RecordingReceiver b = openBoth(pair).b;
        byte[] payload = new byte[1000];
        new Random(3).nextBytes(payload);
        pair.a().send(payload);
        pair.pump();

        assertArrayEquals(payload, b.bytes());
        assertTrue(b.chunks().size() >= 1000 / 7, "pieces: " + b.chunks().size());
        assertTrue(b.chunks().stream().allMatch(c -> c.length >= 1 && c.length <= 7));
    }

    @Test
    void hardCutClosesBothEndsOnceLosesInFlightBytesAndRefusesUseUntilRestored() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE.withDelay(MS), FaultPlan.NONE, new Random(1));
        Ends ends = openBoth(pair);
        pair.a().send(new byte[] {1, 2});

        pair.cut(CutMode.CLOSE);
        pair.advance(MS.multipliedBy(5));

        assertEquals(List.of("link cut"), ends.a.closes());
        assertEquals(List.of("link cut"), ends.b.closes());
        assertEquals(0, ends.b.size());
        assertEquals(2, pair.stats(PipePair.Direction.A_TO_B).bytesLost());
        assertThrows(IOException.class, () -> pair.a().send(new byte[] {3}));
        assertThrows(IOException.class, () -> pair.a().open(new RecordingReceiver()));

        pair.restore();
        Ends again = openBoth(pair);
        pair.a().send(new byte[] {4});
        pair.advance(MS);
        assertArrayEquals(new byte[] {4}, again.b.bytes());
        assertEquals(List.of("link cut"), ends.a.closes(), "the old receivers hear nothing more");
    }

    @Test
    void silentCutSwallowsBytesWhileBothEndsStayOpen() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE, FaultPlan.NONE, new Random(1));
        Ends ends = openBoth(pair);

        pair.cut(CutMode.SILENT);
        pair.a().send(new byte[] {1});
        pair.b().send(new byte[] {2});
        pair.pump();
        assertEquals(0, ends.a.size() + ends.b.size());
        assertEquals(List.of(), ends.a.closes());
        assertEquals(List.of(), ends.b.closes());

        pair.restore();
        pair.a().send(new byte[] {3});
        pair.pump();
        assertArrayEquals(new byte[] {3}, ends.b.bytes());
    }

    @Test
    void plannedCutDeliversTheBytesBeforeItThenClosesBothEnds() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE.withCutAfterBytes(10, CutMode.CLOSE), FaultPlan.NONE,
                new Random(1));
        Ends ends = openBoth(pair);
        pair.a().send(new byte[] {0, 1, 2, 3, 4, 5});
        pair.a().send(new byte[] {6, 7, 8, 9, 10, 11});
        pair.pump();

        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, ends.b.bytes());
        assertEquals(List.of("bytes 6", "bytes 4", "closed: link cut (planned, A_TO_B)"), ends.b.events());
        assertEquals(List.of("closed: link cut (planned, A_TO_B)"), ends.a.events());
        assertTrue(pair.isCut());
    }

    @Test
    void plannedSilentCutSilencesOnlyItsDirection() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE.withCutAfterBytes(2, CutMode.SILENT), FaultPlan.NONE,
                new Random(1));
        Ends ends = openBoth(pair);
        pair.a().send(new byte[] {1, 2, 3});
        pair.a().send(new byte[] {4});
        pair.b().send(new byte[] {5});
        pair.pump();

        assertArrayEquals(new byte[] {1, 2}, ends.b.bytes());
        assertArrayEquals(new byte[] {5}, ends.a.bytes());
        assertEquals(List.of(), ends.a.closes());
        assertEquals(List.of(), ends.b.closes());
    }

    @Test
    void closingOneEndDeliversWhatWasSentBeforeThenTellsThePeer() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE.withDelay(Duration.ofMillis(5)), FaultPlan.NONE,
                new Random(1));
        Ends ends = openBoth(pair);
        pair.a().send(new byte[] {1, 2, 3});

        pair.a().close();
        assertEquals(List.of("closed locally"), ends.a.closes(), "onClosed before close returns");
        assertEquals(List.of(), ends.b.events());

        pair.advance(Duration.ofMillis(5));
        assertEquals(List.of("bytes 3", "closed: peer closed"), ends.b.events());
    }

    @Test
    void onClosedComesExactlyOncePerOpen() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE, FaultPlan.NONE, new Random(1));
        Ends ends = openBoth(pair);

        pair.a().close();
        pair.a().close();
        pair.pump();
        pair.cut(CutMode.CLOSE);

        assertEquals(List.of("closed locally"), ends.a.closes());
        assertEquals(List.of("peer closed"), ends.b.closes());
    }

    @Test
    void bytesArrivingAtAClosedEndAreLost() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE.withDelay(MS), FaultPlan.NONE, new Random(1));
        Ends ends = openBoth(pair);
        pair.a().send(new byte[] {1});
        pair.b().close();
        pair.advance(MS);

        assertEquals(0, ends.b.size());
        assertEquals(1, pair.stats(PipePair.Direction.A_TO_B).bytesLost());
    }

    @Test
    void refusesASendBeyondTheInFlightLimitUntilDelivered() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE.withInFlightLimitBytes(10), FaultPlan.NONE, new Random(1));
        openBoth(pair);
        pair.a().send(new byte[8]);

        assertThrows(IOException.class, () -> pair.a().send(new byte[8]));
        pair.pump();
        pair.a().send(new byte[8]);
    }

    @Test
    void refusesToSendBeforeOpenAndToOpenTwice() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE, FaultPlan.NONE, new Random(1));
        assertThrows(IOException.class, () -> pair.a().send(new byte[] {1}));
        pair.a().open(new RecordingReceiver());
        assertThrows(IllegalStateException.class, () -> pair.a().open(new RecordingReceiver()));
    }

    @Test
    void copiesTheSendersBufferSoLaterChangesDoNotLeak() throws IOException {
        PipePair pair = PipeTransport.pair(FaultPlan.NONE, FaultPlan.NONE, new Random(1));
        RecordingReceiver b = openBoth(pair).b;
        byte[] buffer = {1, 2};
        pair.a().send(buffer);
        buffer[0] = 9;
        pair.pump();

        assertArrayEquals(new byte[] {1, 2}, b.bytes());
    }

    @Test
    void faultPlanRejectsImpossibleValues() {
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.NONE.withDropProbability(1.5));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.NONE.withBitErrorRate(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.NONE.withDelay(MS, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.NONE.withMaxChunkBytes(0));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.NONE.withCutAfterBytes(-1, CutMode.CLOSE));
        assertEquals(1.0, FaultPlan.NONE.withDropProbability(1).dropProbability(), "the bounds are allowed");
    }

    private record Ends(RecordingReceiver a, RecordingReceiver b) {
    }

    private static Ends openBoth(PipePair pair) throws IOException {
        Ends ends = new Ends(new RecordingReceiver(), new RecordingReceiver());
        pair.a().open(ends.a);
        pair.b().open(ends.b);
        return ends;
    }

    private static byte[] index(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    private static List<Integer> indices(RecordingReceiver receiver) {
        ByteBuffer all = ByteBuffer.wrap(receiver.bytes());
        List<Integer> result = new ArrayList<>();
        while (all.remaining() >= 4) {
            result.add(all.getInt());
        }
        return result;
    }

    private static void assertStrictlyIncreasing(List<Integer> values) {
        for (int i = 1; i < values.size(); i++) {
            assertTrue(values.get(i) > values.get(i - 1), "out of order at " + i + ": " + values.get(i));
        }
    }
}
