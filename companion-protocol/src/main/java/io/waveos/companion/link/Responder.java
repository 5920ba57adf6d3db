package io.waveos.companion.link;

import io.waveos.companion.proto.CommandDecision;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.ErrorCode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answering side of requests (the Guardian's), idempotent by request id: a request is delivered to
 * the owner once; a repeat while the owner decides is dropped; a repeat after the decision is answered
 * with the remembered decision. Bounded: at most {@code maxOutstandingRequests} wait for the owner
 * (more are answered BUSY, and one not answered within the request timeout is forgotten, since its
 * sender has given up), and the last {@code maxRememberedRequests} decisions are kept.
 */
final class Responder {

    private final int maxPending;
    private final int maxRemembered;
    private final long timeoutNanos;
    private final Outbox outbox;
    private final Tally tally;
    private final Map<String, Long> pendingSinceNanos = new LinkedHashMap<>();
    private final Map<String, CommandDecision> answered = new LinkedHashMap<>();

    Responder(LinkConfig config, Outbox outbox, Tally tally) {
        this.maxPending = config.maxOutstandingRequests();
        this.maxRemembered = config.maxRememberedRequests();
        this.timeoutNanos = config.requestTimeout().toNanos();
        this.outbox = outbox;
        this.tally = tally;
    }

    /** An in-session CommandRequest (new or repeated). */
    void onRequest(Envelope env, long nowNanos, List<LinkOutput> out) {
        String id = env.getCommandRequest().getId();
        Optional<String> invalid = Requester.invalidId(id);
        CommandDecision decided = answered.get(id);
        if (invalid.isPresent()) {
            answerError(ErrorCode.ERROR_CODE_INVALID, invalid.get(), env.getSeq(), out);
        } else if (decided != null) {
            tally.add(LinkCount.DUPLICATE);
            outbox.send(Envelope.newBuilder().setCommandDecision(decided), false, out);
        } else if (pendingSinceNanos.containsKey(id)) {
            tally.add(LinkCount.DUPLICATE);
        } else if (pendingSinceNanos.size() >= maxPending) {
            tally.add(LinkCount.BUSY_REFUSAL);
            answerError(ErrorCode.ERROR_CODE_BUSY, maxPending + " requests wait for a decision", env.getSeq(), out);
        } else {
            pendingSinceNanos.put(id, nowNanos);
            out.add(new LinkOutput.Deliver(env));
        }
    }

    /**
     * Records the owner's decision, to answer repeats of the request with; the caller sends it.
     *
     * @throws IllegalStateException if this request id was already answered
     */
    void remember(CommandDecision decision) {
        String id = decision.getRequestId();
        if (answered.containsKey(id)) {
            throw new IllegalStateException("request " + id + " was already answered");
        }
        pendingSinceNanos.remove(id);
        answered.put(id, decision);
        if (answered.size() > maxRemembered) {
            Iterator<String> oldest = answered.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** Forgets requests the owner has not answered within the request timeout. */
    void tick(long nowNanos) {
        pendingSinceNanos.values().removeIf(since -> nowNanos - since >= timeoutNanos);
    }

    /** Forgets everything: the peer restarted and may reuse its request ids. */
    void forget() {
        pendingSinceNanos.clear();
        answered.clear();
    }

    void answerError(ErrorCode code, String text, long inReplyToSeq, List<LinkOutput> out) {
        outbox.send(Handshake.error(code, text, inReplyToSeq), false, out);
    }
}
