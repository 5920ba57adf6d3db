package io.waveos.companion.link;

import io.waveos.companion.frame.CounterReservation;
import io.waveos.companion.frame.EnvelopeCodec;
import io.waveos.companion.frame.Frame;
import io.waveos.companion.frame.FrameEncoder;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.Envelope.BodyCase;
import io.waveos.companion.proto.Sender;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Outgoing envelopes: stamps sender, seq, ack and expects_reply, serialises, takes a fresh frame counter
 * when the link is keyed, frames, and adds the {@link LinkOutput.Transmit}.
 */
final class Outbox {

    private final FrameEncoder encoder;
    private final Optional<CounterReservation> counters;
    private final EnvelopeCodec codec;
    private final Sender sender;
    private final ReceiveWindow window;
    private final Tally tally;
    private long nextSeq = LinkSession.FIRST_SEQ;

    Outbox(FrameEncoder encoder, Optional<CounterReservation> counters, EnvelopeCodec codec, Sender sender,
            ReceiveWindow window, Tally tally) {
        if (encoder.authenticates() != counters.isPresent()) {
            throw new IllegalArgumentException(encoder.authenticates()
                    ? "a keyed link needs a CounterReservation for its send counters"
                    : "a plain link has no frame counters; pass Optional.empty()");
        }
        if (codec.maxPayloadBytes() > encoder.maxPayloadBytes()) {
            throw new IllegalArgumentException("the codec allows payloads of " + codec.maxPayloadBytes()
                    + " bytes but the encoder only " + encoder.maxPayloadBytes());
        }
        this.encoder = encoder;
        this.counters = counters;
        this.codec = codec;
        this.sender = sender;
        this.window = window;
        this.tally = tally;
    }

    /** The next envelope is the first of a session (seq 1). */
    void restartNumbering() {
        nextSeq = LinkSession.FIRST_SEQ;
    }

    /** Sends {@code body} as a new envelope with the next seq; returns it, for retransmission. */
    Envelope send(Envelope.Builder body, boolean expectsReply, List<LinkOutput> out) {
        return sendAs(body, nextSeq++, expectsReply, out);
    }

    /** Sends {@code body} with the given seq (an answer repeated with its original seq). */
    Envelope sendAs(Envelope.Builder body, long seq, boolean expectsReply, List<LinkOutput> out) {
        Envelope env = body.clone().setSender(sender).setSeq(seq).setAck(window.ack())
                .setExpectsReply(expectsReply).build();
        transmit(env, out);
        return env;
    }

    /** Sends {@code env} again: the same seq, the current ack. */
    void resend(Envelope env, List<LinkOutput> out) {
        transmit(env.toBuilder().setAck(window.ack()).build(), out);
    }

    /** Sends outside any session: seq 0 and ack 0 (the unsolicited HelloAck, a LinkError refusing a Hello). */
    void sendSessionless(Envelope.Builder body, List<LinkOutput> out) {
        transmit(body.clone().setSender(sender).setSeq(0).setAck(0).setExpectsReply(false).build(), out);
    }

    /** Whether the body fits the payload limit with the largest seq and ack the link may add. */
    boolean fits(Envelope.Builder body) {
        return body.clone().setSender(sender).setSeq(-1L).setAck(-1L).setExpectsReply(true).build()
                .getSerializedSize() <= codec.maxPayloadBytes();
    }

    int maxPayloadBytes() {
        return codec.maxPayloadBytes();
    }

    LinkOutput notSent(BodyCase body, String reason) {
        tally.add(LinkCount.NOT_SENT);
        return new LinkOutput.NotSent(body, reason);
    }

    private void transmit(Envelope env, List<LinkOutput> out) {
        if (env.getSerializedSize() > codec.maxPayloadBytes()) {
            // Callers check what they are given; this catches what a peer made large (a HelloAck
            // echoing a long device id), so that nothing a peer sends can make the link throw.
            out.add(notSent(env.getBodyCase(), "larger than the payload limit of " + codec.maxPayloadBytes() + " bytes"));
            return;
        }
        try {
            out.add(new LinkOutput.Transmit(frame(env)));
            tally.add(LinkCount.FRAMES_SENT);
        } catch (IOException e) {
            out.add(notSent(env.getBodyCase(), "no frame counter could be reserved (fail closed): " + e.getMessage()));
        }
    }

    /**
     * One frame carrying {@code env}. Every frame of a keyed link takes a new counter, so a
     * retransmission is a new frame to the receiver's replay check.
     *
     * @throws IOException if no counter can be reserved: its storage failed or the counter space is used up
     */
    private byte[] frame(Envelope env) throws IOException {
        byte[] payload = codec.encode(env);
        if (counters.isEmpty()) {
            return encoder.encode(Frame.plain(payload));
        }
        long counter;
        try {
            counter = counters.get().next();
        } catch (IllegalStateException exhausted) {
            throw new IOException(exhausted.getMessage(), exhausted);
        }
        return encoder.encode(Frame.authenticated(encoder.sendKeyId(), counter, payload));
    }
}
