package io.waveos.companion.link;

import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.ErrorCode;
import io.waveos.companion.proto.LinkError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The asking side of requests (the device's CommandRequests): at most {@code maxOutstandingRequests}
 * wait for an answer, each retransmitted with its original seq every retransmit interval until its
 * answer arrives or its timeout passes. Each ends exactly once: answered or failed. Times are
 * monotonic nanos.
 */
final class Requester {

    /** Longest request id in UTF-8 bytes (spec section 9.2). */
    static final int MAX_ID_BYTES = 64;

    private static final class Outstanding {
        final Envelope envelope;
        final long deadlineNanos;
        long retransmitAtNanos;

        Outstanding(Envelope envelope, long retransmitAtNanos, long deadlineNanos) {
            this.envelope = envelope;
            this.retransmitAtNanos = retransmitAtNanos;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private final int maxOutstanding;
    private final long retransmitNanos;
    private final long timeoutNanos;
    private final Outbox outbox;
    private final Tally tally;
    /** By id, in the order they were made. */
    private final Map<String, Outstanding> outstanding = new LinkedHashMap<>();

    Requester(LinkConfig config, Outbox outbox, Tally tally) {
        this.maxOutstanding = config.maxOutstandingRequests();
        this.retransmitNanos = config.retransmitInterval().toNanos();
        this.timeoutNanos = config.requestTimeout().toNanos();
        this.outbox = outbox;
        this.tally = tally;
    }

    /** What is wrong with a request id, if anything: it has 1 to 64 UTF-8 bytes. */
    static Optional<String> invalidId(String id) {
        int bytes = id.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_ID_BYTES) {
            return Optional.of("a request id has 1.." + MAX_ID_BYTES + " UTF-8 bytes, this one " + bytes);
        }
        return Optional.empty();
    }

    /**
     * Sends the request in {@code body} (a CommandRequest), or refuses it with a RequestFailed.
     *
     * @throws IllegalArgumentException if the id is invalid
     * @throws IllegalStateException if a request with this id is outstanding
     */
    void request(Envelope.Builder body, LinkState state, long nowNanos, List<LinkOutput> out) {
        String id = body.getCommandRequest().getId();
        invalidId(id).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        if (outstanding.containsKey(id)) {
            throw new IllegalStateException("request " + id + " is already outstanding");
        }
        if (state != LinkState.UP) {
            out.add(new LinkOutput.RequestFailed(id, RequestFailure.LINK_NOT_UP, "the link is " + state));
        } else if (outstanding.size() >= maxOutstanding) {
            out.add(new LinkOutput.RequestFailed(id, RequestFailure.OUTSTANDING_LIMIT,
                    maxOutstanding + " requests are already waiting for an answer"));
        } else if (!outbox.fits(body)) {
            out.add(new LinkOutput.RequestFailed(id, RequestFailure.TOO_LARGE,
                    "larger than the payload limit of " + outbox.maxPayloadBytes() + " bytes"));
        } else {
            Envelope env = outbox.send(body, true, out);
            outstanding.put(id, new Outstanding(env, nowNanos + retransmitNanos, nowNanos + timeoutNanos));
        }
    }

    /** Fails the requests whose timeout has passed, then retransmits those due, oldest first. */
    void tick(long nowNanos, List<LinkOutput> out) {
        for (Iterator<Map.Entry<String, Outstanding>> it = outstanding.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Outstanding> e = it.next();
            if (nowNanos - e.getValue().deadlineNanos >= 0) {
                it.remove();
                tally.add(LinkCount.TIMEOUT);
                out.add(new LinkOutput.RequestFailed(e.getKey(), RequestFailure.TIMED_OUT,
                        "no answer within " + timeoutNanos / 1_000_000 + " ms"));
            }
        }
        for (Outstanding o : outstanding.values()) {
            if (nowNanos - o.retransmitAtNanos >= 0) {
                o.retransmitAtNanos = nowNanos + retransmitNanos;
                tally.add(LinkCount.RETRANSMIT);
                outbox.resend(o.envelope, out);
            }
        }
    }

    /** A CommandDecision ends its request, once; a decision for no outstanding request is late. */
    void onDecision(Envelope env, List<LinkOutput> out) {
        String id = env.getCommandDecision().getRequestId();
        if (outstanding.remove(id) != null) {
            out.add(new LinkOutput.RequestAnswered(id, env));
        } else {
            tally.add(LinkCount.LATE_ANSWER);
        }
    }

    /**
     * A LinkError that answers an outstanding request ends it as PEER_ERROR, except BUSY: the request
     * is retried until its timeout. Returns false if it answers none of them.
     */
    boolean onError(LinkError err, List<LinkOutput> out) {
        long seq = err.getInReplyToSeq();
        if (seq == 0) {
            return false;
        }
        for (Iterator<Map.Entry<String, Outstanding>> it = outstanding.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Outstanding> e = it.next();
            if (e.getValue().envelope.getSeq() == seq) {
                if (err.getCode() != ErrorCode.ERROR_CODE_BUSY) {
                    it.remove();
                    out.add(new LinkOutput.RequestFailed(e.getKey(), RequestFailure.PEER_ERROR,
                            "the peer answered " + err.getCode() + ": " + err.getText()));
                }
                return true;
            }
        }
        return false;
    }

    /** Fails every outstanding request as SESSION_ENDED, oldest first. */
    void failAll(String reason, List<LinkOutput> out) {
        List<String> ids = new ArrayList<>(outstanding.keySet());
        outstanding.clear();
        for (String id : ids) {
            out.add(new LinkOutput.RequestFailed(id, RequestFailure.SESSION_ENDED, reason));
        }
    }
}
