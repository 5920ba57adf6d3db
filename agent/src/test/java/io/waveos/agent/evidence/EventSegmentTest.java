package io.waveos.agent.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventSegmentTest {
    @Test
    void theProofOfAWholeLogMatchesItFromGenesis() throws IOException {
        byte[] events = PackVerifierTest.events(5);
        EventSegment proof = EventSegment.of(events);
        assertEquals(new EventSegment(5, 1, 5, EventSegment.ZEROS, proof.lastLineSha256()), proof);
        assertEquals(Optional.empty(), proof.check(events));
    }

    @Test
    void aTailOfTheLogIsProvedFromItsOwnFirstLine() throws IOException {
        byte[] tail = PackWriter.frontCut(PackVerifierTest.events(50), 1000, 0);
        EventSegment proof = EventSegment.of(tail);
        assertTrue(proof.firstSeq() > 1 && proof.lastSeq() == 50, proof.toString());
        assertEquals(Optional.empty(), proof.check(tail));
    }

    @Test
    void aChangedLastLineIsCaughtByTheSignedLastLineHash() throws IOException {
        byte[] events = PackVerifierTest.events(3);
        EventSegment proof = EventSegment.of(events);
        byte[] changed = new String(events, StandardCharsets.UTF_8).replace("event 2 ", "event 7 ")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.of("line 3: its SHA-256 does not match the signed last_line_sha256"), proof.check(changed));
    }

    @Test
    void aRemovedMiddleLineBreaksTheChain() throws IOException {
        String[] lines = new String(PackVerifierTest.events(4), StandardCharsets.UTF_8).split("\n");
        EventSegment proof = EventSegment.of(PackVerifierTest.events(4));
        String without = lines[0] + "\n" + lines[2] + "\n" + lines[3] + "\n";
        Optional<String> problem = proof.check(without.getBytes(StandardCharsets.UTF_8));
        assertTrue(problem.isPresent() && problem.get().contains("3 lines, the signed proof says 4"), problem.toString());
    }
}
