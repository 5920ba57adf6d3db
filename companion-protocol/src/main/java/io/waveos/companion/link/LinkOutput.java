package io.waveos.companion.link;

import io.waveos.companion.proto.Envelope;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a {@link LinkSession} asks its owner to do or to know. Each call returns its outputs in order;
 * the owner performs them in that order (a {@link Transmit} is written to the transport, the rest are
 * events for the owner's logic and log).
 */
public sealed interface LinkOutput {

    /**
     * Write these bytes to the transport: one whole frame, delimiter included.
     *
     * @param wire the frame's bytes (copied in and out)
     */
    record Transmit(byte[] wire) implements LinkOutput {
        public Transmit {
            wire = wire.clone();
        }

        @Override
        public byte[] wire() {
            return wire.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Transmit t && Arrays.equals(t.wire, wire);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(wire);
        }

        @Override
        public String toString() {
            return "Transmit[" + wire.length + " bytes]";
        }
    }

    /**
     * An application message from the peer, delivered once however often it arrived: a Heartbeat,
     * HealthReport, ModeReport or CommandRequest on the Guardian; a SafeModeOrder, ResetWitness or
     * TimeWitness on the device; a LinkError that answers none of this side's requests on either.
     * A delivered CommandRequest must be answered with {@link LinkSession#reply}.
     */
    record Deliver(Envelope env) implements LinkOutput {
        public Deliver {
            Objects.requireNonNull(env, "env");
        }
    }

    /** The link's state changed; {@code reason} says why, for the log. */
    record StateChanged(LinkState from, LinkState to, String reason) implements LinkOutput {
        public StateChanged {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The peer answered request {@code id} (a CommandDecision); emitted once per request. */
    record RequestAnswered(String id, Envelope answer) implements LinkOutput {
        public RequestAnswered {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(answer, "answer");
        }
    }

    /**
     * Request {@code id} ended without an answer, or was refused before it was sent. Emitted at most once
     * per request; a request is either answered or failed.
     *
     * @param failure the stable code (for events and policy: fail-open or fail-closed)
     * @param reason details for the log
     */
    record RequestFailed(String id, RequestFailure failure, String reason) implements LinkOutput {
        public RequestFailed {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The peer restarted: its Hello (or HelloAck) names a boot id other than the one seen before. The
     * session state for the peer has been reset; requests of the old session have failed.
     */
    record PeerReset(String oldBootId, String newBootId) implements LinkOutput {
        public PeerReset {
            Objects.requireNonNull(oldBootId, "oldBootId");
            Objects.requireNonNull(newBootId, "newBootId");
        }
    }

    /**
     * A handshake was refused (a protocol version neither side can speak, a device the Guardian is not
     * paired with, a Hello without a boot id). The link keeps trying; this is emitted again only when
     * the reason changes.
     */
    record HandshakeRefused(String reason) implements LinkOutput {
        public HandshakeRefused {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A message was not sent: the link had no session, the envelope did not fit the payload limit, or
     * no frame counter could be reserved (its storage failed: the link fails closed).
     */
    record NotSent(Envelope.BodyCase body, String reason) implements LinkOutput {
        public NotSent {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
