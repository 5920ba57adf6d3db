package io.waveos.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PushLedgerTest {
    private final PushLedger ledger = new PushLedger();

    private PushLedger.Push push(String key) {
        PushLedger.Reservation r = ledger.reserve(key, "t");
        assertTrue(r.fresh());
        return ledger.placed(r.push().installId());
    }

    private String state(PushLedger.Push p) {
        PushLedger.Push now = ledger.get(p.installId()).orElseThrow();
        return now.state().wire() + now.code().map(c -> "(" + c + ")").orElse("");
    }

    @Test
    void followsAPushFromReceivedThroughTrialToCommitted() {
        PushLedger.Push p = push("k1");
        assertEquals("received", state(p));
        ledger.observe(Event.of(EventCode.UPDATE_RECEIVED, "update", "x", "bundle", p.file().orElseThrow()));
        assertEquals("verifying", state(p));
        ledger.observe(Event.of(EventCode.UPDATE_INSTALLING, "app", "x"));
        assertEquals("installing", state(p));
        ledger.observe(Event.of(EventCode.UPDATE_ACTIVATED, "app", "x"));
        assertEquals("trial", state(p));
        ledger.observe(Event.of(EventCode.UPDATE_COMMITTED, "app", "x"));
        assertEquals("committed", state(p));
    }

    @Test
    void reportsARejectionAndARollbackWithTheirCodes() {
        PushLedger.Push a = push("a");
        PushLedger.Push b = push("b");
        ledger.observe(Event.of(EventCode.UPDATE_RECEIVED, "update", "x", "bundle", a.file().orElseThrow()));
        ledger.observe(Event.of(EventCode.UPDATE_REJECTED, "update", "x", "bundle", a.file().orElseThrow(),
                "error", "signature"));
        assertEquals("rejected(signature)", state(a));
        ledger.observe(Event.of(EventCode.UPDATE_RECEIVED, "update", "x", "bundle", b.file().orElseThrow()));
        ledger.observe(Event.of(EventCode.UPDATE_ACTIVATED, "app", "x"));
        ledger.observe(Event.of(EventCode.UPDATE_ROLLED_BACK, "app", "x", "criterion", "not_ready"));
        assertEquals("rolled_back(not_ready)", state(b));
        assertEquals("rejected(signature)", state(a), "a later push's events moved an earlier one");
    }

    @Test
    void aRepeatedKeyReturnsTheFirstPushAndAnAbandonedOneIsForgotten() {
        PushLedger.Push p = push("same");
        PushLedger.Reservation again = ledger.reserve("same", "t");
        assertFalse(again.fresh());
        assertEquals(p.installId(), again.push().installId());
        PushLedger.Reservation other = ledger.reserve("cut", "t");
        ledger.abandon(other.push().installId());
        assertTrue(ledger.reserve("cut", "t").fresh());
        assertEquals(Optional.empty(), ledger.get(other.push().installId()));
    }

    @Test
    void eventsForBundlesNotPushedThroughTheApiMoveNothing() {
        PushLedger.Push p = push("k");
        ledger.observe(Event.of(EventCode.UPDATE_RECEIVED, "update", "x", "bundle", "manual.wbundle"));
        ledger.observe(Event.of(EventCode.UPDATE_COMMITTED, "app", "x"));
        assertEquals("received", state(p));
    }
}
