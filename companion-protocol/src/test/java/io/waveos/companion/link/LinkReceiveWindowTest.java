package io.waveos.companion.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LinkReceiveWindowTest {

    @Test
    void acksTheHighestSeqReceivedInOrderAndRefusesRepeats() {
        ReceiveWindow w = new ReceiveWindow();
        w.resetTo(1);

        assertTrue(w.holdsOnlyFirst(1));
        assertTrue(w.accept(2));
        assertFalse(w.holdsOnlyFirst(1));
        assertFalse(w.accept(2));
        assertFalse(w.accept(1));
        assertEquals(2, w.ack());
    }

    @Test
    void acceptsReorderedSeqsOnceAndAcksThemWhenTheGapFills() {
        ReceiveWindow w = new ReceiveWindow();
        w.resetTo(1);

        assertTrue(w.accept(4));
        assertTrue(w.accept(3));
        assertEquals(1, w.ack());
        assertFalse(w.accept(4));
        assertTrue(w.accept(2));
        assertEquals(4, w.ack());
    }

    @Test
    void givesUpOnAGapThatFallsOutOfTheWindow() {
        ReceiveWindow w = new ReceiveWindow();
        w.resetTo(1);

        assertTrue(w.accept(3));
        assertTrue(w.accept(1 + ReceiveWindow.SIZE + 5));
        // Seqs 2..6 were more than 64 below the newest: given up (and 3 had arrived anyway).
        assertEquals(6, w.ack());
        assertFalse(w.accept(2));
        assertTrue(w.accept(7));
        assertEquals(7, w.ack());
    }

    @Test
    void handlesSeqsAsUnsigned64BitNumbers() {
        ReceiveWindow w = new ReceiveWindow();
        w.resetTo(1);

        assertTrue(w.accept(-1L));
        assertEquals(-1L - ReceiveWindow.SIZE, w.ack());
        assertFalse(w.accept(-1L));
        assertFalse(w.accept(5));
    }

    @Test
    void resetForgetsEverything() {
        ReceiveWindow w = new ReceiveWindow();
        w.resetTo(1);
        w.accept(2);
        w.reset();

        assertEquals(0, w.ack());
        assertTrue(w.accept(2));
    }
}
