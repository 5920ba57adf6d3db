package io.waveos.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.platform.fake.FakeStorage;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PushLedgerTest {
    private final PushLedger ledger = new PushLedger();

    private PushLedger.Push push(String key) throws Exception {
        PushLedger.Reservation r = ledger.reserve(key, "t");
        assertTrue(r.fresh());
        return ledger.placed(r.push().installId());
    }

    private String state(PushLedger.Push p) {
        PushLedger.Push now = ledger.get(p.installId()).orElseThrow();
        return now.state().wire() + now.code().map(c -> "(" + c + ")").orElse("");
    }

    @Test
    void followsAPushFromReceivedThroughTrialToCommitted() throws Exception {
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
    void reportsARejectionAndARollbackWithTheirCodes() throws Exception {
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
    void aRepeatedKeyReturnsTheFirstPushAndAnAbandonedOneIsForgotten() throws Exception {
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
    void eventsForBundlesNotPushedThroughTheApiMoveNothing() throws Exception {
        PushLedger.Push p = push("k");
        ledger.observe(Event.of(EventCode.UPDATE_RECEIVED, "update", "x", "bundle", "manual.wbundle"));
        ledger.observe(Event.of(EventCode.UPDATE_COMMITTED, "app", "x"));
        assertEquals("received", state(p));
    }

    @Test
    void aRepeatAfterAPowerCutReturnsTheFirstPushWithItsStateAndAnUnfinishedBodyIsForgotten() throws Exception {
        FakeStorage storage = new FakeStorage();
        Path file = Path.of("/state/api/pushes.json");
        PushLedger before = PushLedger.open(storage, file);
        PushLedger.Push done = before.placed(before.reserve("sha256:aa", "t").push().installId());
        PushLedger.Push inTrial = before.placed(before.reserve("key:fleet:k2", "t").push().installId());
        PushLedger.Push cut = before.reserve("sha256:cut", "t").push();
        before.observe(Event.of(EventCode.UPDATE_RECEIVED, "update", "x", "bundle", done.file().orElseThrow()));
        before.observe(Event.of(EventCode.UPDATE_COMMITTED, "app", "x"));
        before.observe(Event.of(EventCode.UPDATE_RECEIVED, "update", "x", "bundle", inTrial.file().orElseThrow()));
        before.observe(Event.of(EventCode.UPDATE_ACTIVATED, "app", "x"));
        PushLedger.Push last = before.placed(before.reserve("sha256:last", "t").push().installId());
        storage.powerLoss();

        PushLedger after = PushLedger.open(storage, file);
        PushLedger.Reservation again = after.reserve("sha256:aa", "u");
        assertFalse(again.fresh(), "a repeat after the restart was placed again");
        assertEquals(done.installId(), again.push().installId());
        assertEquals(PushLedger.State.COMMITTED, again.push().state());
        assertEquals(PushLedger.State.TRIAL, after.get(inTrial.installId()).orElseThrow().state());
        after.observe(Event.of(EventCode.UPDATE_ROLLED_BACK, "app", "x", "criterion", "not_ready"));
        assertEquals("rolled_back(not_ready)", after.get(inTrial.installId()).orElseThrow().state().wire() + "("
                + after.get(inTrial.installId()).orElseThrow().code().orElseThrow() + ")",
                "the push in trial before the restart is followed to its end");
        assertEquals(Optional.of(PushLedger.State.RECEIVED), after.get(last.installId()).map(PushLedger.Push::state),
                "a push placed just before the power cut");
        assertEquals(Optional.empty(), after.get(cut.installId()));
        assertTrue(after.reserve("sha256:cut", "u").fresh());
    }
}
