package io.waveos.companion.link;

import io.waveos.companion.frame.CounterReservation;
import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.frame.EnvelopeCodec;
import io.waveos.companion.frame.Frame;
import io.waveos.companion.frame.FrameDecoder;
import io.waveos.companion.frame.FrameEncoder;
import io.waveos.companion.frame.MalformedEnvelopeException;
import io.waveos.companion.link.LinkTransitions.Event;
import io.waveos.companion.link.LinkTransitions.Transition;
import io.waveos.companion.proto.CommandDecision;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.Envelope.BodyCase;
import io.waveos.companion.proto.ErrorCode;
import io.waveos.companion.proto.Hello;
import io.waveos.companion.proto.HelloAck;
import io.waveos.companion.proto.LinkError;
import io.waveos.companion.proto.Sender;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One end of the companion link with one peer (spec section 11): the handshake and peer resets, seq and
 * ack, beats and loss detection, and requests ({@link Requester} on the device, {@link Responder} on
 * the Guardian). Its state changes are the pure table {@link LinkTransitions}; this class detects the
 * events and performs the actions.
 *
 * <p><b>Threading.</b> None of its own, and not thread-safe: confined to its owner's thread (the agent's
 * event loop, the Guardian's loop). It does no I/O: the owner feeds received bytes to {@link #onBytes},
 * calls {@link #tick} at least every {@code min(retransmitInterval, heartbeatPeriod) / 2}, and performs
 * the returned {@link LinkOutput}s in order ({@link LinkOutput.Transmit}: write them to the transport).
 *
 * <p><b>Time.</b> Every call takes {@code nowNanos} from the owner's monotonic clock; only differences
 * are used. Time must not go backwards between calls.
 *
 * <p><b>Failures.</b> Nothing the peer or the line sends throws: bad frames are counted by the decoder,
 * unparsable payloads as {@link LinkCount#MALFORMED_PAYLOAD}, rule breaks as
 * {@link LinkCount#INVALID_ENVELOPE}. Outcomes are values ({@link LinkOutput.RequestFailed},
 * {@link LinkOutput.NotSent}); exceptions are for programming errors (a body this side never sends, a
 * request id reused while outstanding, {@code start} twice).
 *
 * <p><b>Replay across restarts</b> (spec section 7.3) is the owner's part: before acting on a delivered
 * CommandRequest, CommandDecision or SafeModeOrder it records {@link #lastAcceptedCounter()} durably.
 *
 * <p>About 400 lines of code: it is the one executor of the link's state machine and owns the state
 * the handshake, loss detection and dispatch share; the pure parts ({@link LinkTransitions},
 * {@link MessageRoutes}, {@link Handshake}, {@link ReceiveWindow}, {@link BeatSchedule}) and the two
 * halves of requests ({@link Requester}, {@link Responder}) are their own classes.
 */
public final class LinkSession {

    /** Seq of the first envelope of a session: the device's Hello and the Guardian's HelloAck. */
    static final long FIRST_SEQ = 1;

    private final Endpoint self;
    private final Sender peerSender;
    private final FrameDecoder decoder;
    private final EnvelopeCodec codec;
    private final PeerInfo selfInfo;
    private final BeatSource beats;
    private final long lossAfterNanos;
    private final long helloRetryNanos;
    private final ReceiveWindow window = new ReceiveWindow();
    private final Tally tally = new Tally();
    private final Outbox outbox;
    private final BeatSchedule beatSchedule;
    private final Requester requester;
    private final Responder responder;

    private LinkState state = LinkState.DISCONNECTED;
    private Optional<PeerInfo> peer = Optional.empty();
    private String peerBootId = "";
    private long lastHeardNanos;
    private Optional<Envelope> hello = Optional.empty();
    private long nextHelloNanos;
    private Optional<Long> lastAnnouncementNanos = Optional.empty();
    private String lastRefusal = "";

    /**
     * @param counters the send counters of a keyed link (whose encoder authenticates); empty for a
     *     plain link
     * @param selfInfo what this end says in its Hello or HelloAck
     * @param beats this end's beat content (the device: {@link BeatSource#heartbeats}; the Guardian:
     *     {@link BeatSource#timeWitnesses})
     * @throws IllegalArgumentException if the encoder and counters disagree about keys, the codec's
     *     payload limit exceeds the encoder's, or this end's Hello or HelloAck does not fit it
     */
    public LinkSession(LinkConfig config, Endpoint self, FrameEncoder encoder, FrameDecoder decoder,
            Optional<CounterReservation> counters, EnvelopeCodec codec, PeerInfo selfInfo, BeatSource beats) {
        this.self = Objects.requireNonNull(self, "self");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.selfInfo = Objects.requireNonNull(selfInfo, "selfInfo");
        this.beats = Objects.requireNonNull(beats, "beats");
        this.peerSender = senderOf(peerOf(self));
        this.lossAfterNanos = config.lossTimeout().toNanos();
        this.helloRetryNanos = config.helloRetryInterval().toNanos();
        this.outbox = new Outbox(encoder, counters, codec, senderOf(self), window, tally);
        this.beatSchedule = new BeatSchedule(config.heartbeatPeriod().toNanos(), config.retransmitInterval().toNanos());
        this.requester = new Requester(config, outbox, tally);
        this.responder = new Responder(config, outbox, tally);
        Envelope.Builder opening = switch (self) {
            case DEVICE -> Handshake.hello(selfInfo);
            case GUARDIAN -> Handshake.announcement(selfInfo);
        };
        if (!outbox.fits(opening)) {
            throw new IllegalArgumentException("the " + opening.getBodyCase() + " built from " + selfInfo
                    + " is " + tooLarge());
        }
    }

    /**
     * Starts the link: the device sends its Hello (and retries it from {@link #tick}); the Guardian waits
     * for one.
     *
     * @throws IllegalStateException if already started and not stopped since
     */
    public List<LinkOutput> start(long nowNanos) {
        if (state != LinkState.DISCONNECTED) {
            throw new IllegalStateException("the link is already started: " + state);
        }
        List<LinkOutput> out = new ArrayList<>();
        apply(Event.STARTED, "started", nowNanos, out);
        return List.copyOf(out);
    }

    /**
     * Stops the link (e.g. its transport closed): DISCONNECTED, outstanding requests failed. Bytes
     * received until the next {@link #start} are decoded and ignored. Idempotent.
     */
    public List<LinkOutput> stop(String reason, long nowNanos) {
        List<LinkOutput> out = new ArrayList<>();
        apply(Event.STOPPED, reason, nowNanos, out);
        return List.copyOf(out);
    }

    /** Feeds received bytes ({@code buf} is not kept) and returns what the frames they complete caused. */
    public List<LinkOutput> onBytes(byte[] buf, int off, int len, long nowNanos) {
        List<Frame> frames = decoder.feed(buf, off, len);
        if (frames.isEmpty()) {
            return List.of();
        }
        List<LinkOutput> out = new ArrayList<>();
        for (Frame frame : frames) {
            tally.add(LinkCount.FRAMES_RECEIVED);
            try {
                onEnvelope(codec.decode(frame.payload()), nowNanos, out);
            } catch (MalformedEnvelopeException e) {
                tally.add(LinkCount.MALFORMED_PAYLOAD);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Does what is due at {@code nowNanos}. Outputs in this order: loss detection (LOST; on the device
     * the requests fail and a new Hello goes out); request timeouts, then retransmissions, oldest first;
     * the device's Hello retry; the beat (a new one each period, else a repeat of the last one).
     */
    public List<LinkOutput> tick(long nowNanos) {
        List<LinkOutput> out = new ArrayList<>();
        if (state == LinkState.UP && nowNanos - lastHeardNanos >= lossAfterNanos) {
            apply(Event.PEER_SILENT, "nothing heard from the peer for " + lossAfterNanos / 1_000_000 + " ms",
                    nowNanos, out);
        }
        responder.tick(nowNanos);
        if (hasSession()) {
            requester.tick(nowNanos, out);
            beat(nowNanos, out);
        } else if (hello.isPresent() && nowNanos - nextHelloNanos >= 0) {
            tally.add(LinkCount.RETRANSMIT);
            nextHelloNanos = nowNanos + helloRetryNanos;
            outbox.resend(hello.get(), out);
        }
        return List.copyOf(out);
    }

    /**
     * Device: sends a CommandRequest and tracks it until it is answered ({@link LinkOutput.RequestAnswered})
     * or fails ({@link LinkOutput.RequestFailed}), retransmitting it with the same seq every retransmit
     * interval meanwhile. Refused at once with a RequestFailed when the link is not UP, when
     * {@code maxOutstandingRequests} are waiting, or when it does not fit a frame.
     *
     * @param body an envelope whose body is a CommandRequest with an id of 1 to 64 UTF-8 bytes, unique
     *     across boots (e.g. a ULID); the link sets sender, seq, ack and expects_reply
     * @throws IllegalArgumentException if the body is not a CommandRequest this side sends, or its id is invalid
     * @throws IllegalStateException if a request with this id is already outstanding
     */
    public List<LinkOutput> request(Envelope.Builder body, long nowNanos) {
        if (body.getBodyCase() != BodyCase.COMMAND_REQUEST || !MessageRoutes.sends(self, BodyCase.COMMAND_REQUEST)) {
            throw new IllegalArgumentException("the " + self + " does not send " + body.getBodyCase() + " as a request");
        }
        List<LinkOutput> out = new ArrayList<>();
        requester.request(body, state, nowNanos, out);
        return List.copyOf(out);
    }

    /**
     * Sends a message once, fire-and-forget (HealthReport, ModeReport, SafeModeOrder, ResetWitness...).
     * It may be lost on the line, so a message that states a condition is repeated by its owner while the
     * condition holds. Not sent ({@link LinkOutput.NotSent}) when this side has no session or it does not
     * fit a frame.
     *
     * @throws IllegalArgumentException if this side never sends this body, or it is a request or a
     *     decision (use {@link #request}, {@link #reply}), a Hello or HelloAck (the link's own), or none
     */
    public List<LinkOutput> send(Envelope.Builder body, long nowNanos) {
        BodyCase bc = body.getBodyCase();
        if (!MessageRoutes.sends(self, bc) || bc == BodyCase.HELLO || bc == BodyCase.HELLO_ACK
                || bc == BodyCase.COMMAND_REQUEST || bc == BodyCase.COMMAND_DECISION) {
            throw new IllegalArgumentException("the " + self + " does not send " + bc + " with send()");
        }
        if (!hasSession()) {
            return List.of(outbox.notSent(bc, "the link is " + state));
        }
        if (!outbox.fits(body)) {
            return List.of(outbox.notSent(bc, tooLarge()));
        }
        List<LinkOutput> out = new ArrayList<>();
        outbox.send(body, false, out);
        return List.copyOf(out);
    }

    /**
     * Guardian: answers a delivered CommandRequest. The decision is remembered by request id (the last
     * {@code maxRememberedRequests}), so a repeat of the request is answered with it again instead of
     * being delivered. Without a session it is only remembered ({@link LinkOutput.NotSent}), and sent
     * when the device repeats the request.
     *
     * @throws IllegalArgumentException if this side does not answer requests, or the request id is invalid
     * @throws IllegalStateException if this request id was already answered
     */
    public List<LinkOutput> reply(CommandDecision decision, long nowNanos) {
        if (!MessageRoutes.sends(self, BodyCase.COMMAND_DECISION)) {
            throw new IllegalArgumentException("the " + self + " does not answer requests");
        }
        Requester.invalidId(decision.getRequestId()).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        Envelope.Builder body = Envelope.newBuilder().setCommandDecision(decision);
        if (!outbox.fits(body)) {
            return List.of(outbox.notSent(BodyCase.COMMAND_DECISION, tooLarge()));
        }
        responder.remember(decision);
        if (!hasSession()) {
            return List.of(outbox.notSent(BodyCase.COMMAND_DECISION,
                    "the link is " + state + "; the decision is remembered for a repeat of the request"));
        }
        List<LinkOutput> out = new ArrayList<>();
        outbox.send(body, false, out);
        return List.copyOf(out);
    }

    public LinkState state() {
        return state;
    }

    /** The peer as its last accepted Hello or HelloAck described it (protocol version: the one spoken). */
    public Optional<PeerInfo> peer() {
        return peer;
    }

    public LinkCounters counters() {
        return tally.snapshot(decoder.dropCounts());
    }

    /** The counter of the last authenticated frame accepted from the peer (unsigned); persist it before acting. */
    public long lastAcceptedCounter() {
        return decoder.lastAcceptedCounter();
    }

    // ---- receiving -------------------------------------------------------------------------------

    /** What {@link #admit} made of an in-session envelope. */
    private enum Admission {
        /** Not in a session (or seq 0): ignored. */
        REFUSED,
        /** A seq not received before. */
        NEW,
        /** A seq received before. */
        REPEAT
    }

    private void onEnvelope(Envelope env, long now, List<LinkOutput> out) {
        if (env.getSender() != peerSender) {
            tally.add(LinkCount.INVALID_ENVELOPE);
            return;
        }
        if (state == LinkState.DISCONNECTED) {
            tally.add(LinkCount.OUT_OF_SESSION);
            return;
        }
        switch (MessageRoutes.inbound(self, env.getBodyCase())) {
            case HANDSHAKE -> {
                switch (self) {
                    case DEVICE -> onHelloAck(env, now, out);
                    case GUARDIAN -> onHello(env, now, out);
                }
            }
            case ERROR -> onError(env, now, out);
            case REQUEST -> {
                if (admit(env, now, out) != Admission.REFUSED) {
                    responder.onRequest(env, now, out);
                }
            }
            case ANSWER -> {
                if (admit(env, now, out) != Admission.REFUSED) {
                    requester.onDecision(env, out);
                }
            }
            case DELIVER -> deliver(env, admit(env, now, out), out);
            case UNSUPPORTED -> {
                if (admit(env, now, out) != Admission.REFUSED) {
                    onUnsupported(env, out);
                }
            }
        }
    }

    /**
     * Lets an in-session envelope through: its seq is recorded and the peer counts as heard. Refused when
     * this side has no session (a Guardian without one announces itself) or the seq is 0.
     */
    private Admission admit(Envelope env, long now, List<LinkOutput> out) {
        if (!hasSession()) {
            tally.add(LinkCount.OUT_OF_SESSION);
            if (self == Endpoint.GUARDIAN) {
                announce(now, out);
            }
            return Admission.REFUSED;
        }
        if (env.getSeq() == 0) {
            tally.add(LinkCount.INVALID_ENVELOPE);
            return Admission.REFUSED;
        }
        heard(now, out);
        return window.accept(env.getSeq()) ? Admission.NEW : Admission.REPEAT;
    }

    private void heard(long now, List<LinkOutput> out) {
        lastHeardNanos = now;
        if (state == LinkState.LOST) {
            apply(Event.PEER_HEARD, "heard from the peer again", now, out);
        }
    }

    /** Guardian: a Hello begins a session, unless it repeats the one that began the current session. */
    private void onHello(Envelope env, long now, List<LinkOutput> out) {
        Hello h = env.getHello();
        if (env.getSeq() == 0) {
            tally.add(LinkCount.INVALID_ENVELOPE);
            return;
        }
        Optional<Handshake.Refusal> refusal = Handshake.refuseHello(selfInfo, h);
        if (refusal.isPresent()) {
            refused(refusal.get().reason(), out);
            outbox.sendSessionless(Handshake.error(refusal.get().code(), refusal.get().reason(), env.getSeq()), out);
            return;
        }
        String boot = h.getBootId();
        if (hasSession() && boot.equals(peerBootId) && window.holdsOnlyFirst(env.getSeq())) {
            // Our HelloAck was lost or is still on its way: answer again; the session stays as it is.
            tally.add(LinkCount.DUPLICATE);
            heard(now, out);
            outbox.sendAs(Handshake.helloAck(selfInfo, h), FIRST_SEQ, false, out);
            return;
        }
        peerBooted(boot, out);
        peer = Optional.of(Handshake.peerOf(selfInfo, h));
        window.resetTo(env.getSeq());
        outbox.restartNumbering();
        beatSchedule.forgetLast();
        lastHeardNanos = now;
        tally.add(LinkCount.HANDSHAKE);
        apply(Event.HANDSHAKE_COMPLETED, "Hello from device '" + h.getDeviceId() + "' (boot " + boot + ")", now, out);
        outbox.send(Handshake.helloAck(selfInfo, h), false, out);
    }

    /**
     * Device: a HelloAck with an ack answers our Hello; one with ack 0 (or, while UP, from another boot)
     * announces a Guardian that has no session with us.
     */
    private void onHelloAck(Envelope env, long now, List<LinkOutput> out) {
        HelloAck ack = env.getHelloAck();
        String boot = ack.getBootId();
        if (boot.isBlank()) {
            tally.add(LinkCount.INVALID_ENVELOPE);
        } else if (env.getAck() == 0 || state == LinkState.UP && !boot.equals(peerBootId)) {
            peerBooted(boot, out);
            if (state == LinkState.UP) {
                apply(Event.PEER_DROPPED_SESSION, "the Guardian (boot " + boot + ") has no session with us", now, out);
            } else {
                tally.add(LinkCount.OUT_OF_SESSION);
            }
        } else if (state == LinkState.UP) {
            // Another answer to our Hello: the Guardian numbers from this seq again.
            tally.add(LinkCount.DUPLICATE);
            lastHeardNanos = now;
            window.resetTo(env.getSeq());
        } else {
            Optional<String> refusal = Handshake.refuseHelloAck(selfInfo, ack);
            if (refusal.isPresent()) {
                refused(refusal.get(), out);
                return;
            }
            peerBooted(boot, out);
            peer = Optional.of(Handshake.peerOf(ack));
            window.resetTo(env.getSeq());
            lastHeardNanos = now;
            tally.add(LinkCount.HANDSHAKE);
            apply(Event.HANDSHAKE_COMPLETED, "HelloAck from the Guardian (boot " + boot + ")", now, out);
        }
    }

    /** Records the peer's boot id; a different one than before is a peer reset. */
    private void peerBooted(String boot, List<LinkOutput> out) {
        if (!peerBootId.isEmpty() && !peerBootId.equals(boot)) {
            tally.add(LinkCount.PEER_RESET);
            out.add(new LinkOutput.PeerReset(peerBootId, boot));
            responder.forget();
        }
        peerBootId = boot;
    }

    private void refused(String reason, List<LinkOutput> out) {
        tally.add(LinkCount.HANDSHAKE_REFUSED);
        if (!reason.equals(lastRefusal)) {
            lastRefusal = reason;
            out.add(new LinkOutput.HandshakeRefused(reason));
        }
    }

    /** Guardian without a session: tells the device so (unsolicited HelloAck), at most once per Hello retry interval. */
    private void announce(long now, List<LinkOutput> out) {
        if (state != LinkState.HANDSHAKING
                || lastAnnouncementNanos.isPresent() && now - lastAnnouncementNanos.get() < helloRetryNanos) {
            return;
        }
        lastAnnouncementNanos = Optional.of(now);
        outbox.sendSessionless(Handshake.announcement(selfInfo), out);
    }

    /**
     * A LinkError with seq 0 refuses the device's Hello. In a session it ends the request it answers, or
     * is delivered once.
     */
    private void onError(Envelope env, long now, List<LinkOutput> out) {
        LinkError err = env.getError();
        if (env.getSeq() == 0) {
            if (self == Endpoint.DEVICE && !hasSession() && err.getInReplyToSeq() == FIRST_SEQ) {
                refused("the Guardian refused our Hello: " + err.getCode() + " " + err.getText(), out);
            } else {
                tally.add(LinkCount.OUT_OF_SESSION);
            }
            return;
        }
        Admission admission = admit(env, now, out);
        if (admission != Admission.REFUSED && !requester.onError(err, out)) {
            deliver(env, admission, out);
        }
    }

    private void deliver(Envelope env, Admission admission, List<LinkOutput> out) {
        switch (admission) {
            case NEW -> out.add(new LinkOutput.Deliver(env));
            case REPEAT -> tally.add(LinkCount.DUPLICATE);
            case REFUSED -> { }
        }
    }

    /** Spec 10.4: an unknown (or wrong-direction) body is ignored; a request is answered UNSUPPORTED. */
    private void onUnsupported(Envelope env, List<LinkOutput> out) {
        tally.add(LinkCount.UNSUPPORTED);
        if (env.getExpectsReply()) {
            String what = env.getBodyCase() == BodyCase.BODY_NOT_SET
                    ? "an unknown body (fields " + env.getUnknownFields().asMap().keySet() + ")"
                    : env.getBodyCase().toString();
            responder.answerError(ErrorCode.ERROR_CODE_UNSUPPORTED, "the " + self + " does not accept " + what,
                    env.getSeq(), out);
        }
    }

    // ---- state machine executor and beats ---------------------------------------------------------

    private void apply(Event event, String reason, long now, List<LinkOutput> out) {
        Transition t = LinkTransitions.next(self, state, event);
        LinkState from = state;
        state = t.to();
        if (from != state) {
            out.add(new LinkOutput.StateChanged(from, state, reason));
            lastRefusal = "";
            if (state == LinkState.LOST) {
                tally.add(LinkCount.LOSS);
            }
        }
        for (LinkTransitions.Action action : t.actions()) {
            switch (action) {
                case OPEN_SESSION -> {
                    closeSession();
                    outbox.restartNumbering();
                    nextHelloNanos = now + helloRetryNanos;
                    hello = Optional.of(outbox.send(Handshake.hello(selfInfo), true, out));
                }
                case CLOSE_SESSION -> closeSession();
                case FAIL_REQUESTS -> requester.failAll(reason, out);
                case ARM_BEATS -> beatSchedule.arm(now);
            }
        }
    }

    private void closeSession() {
        window.reset();
        hello = Optional.empty();
        beatSchedule.forgetLast();
        lastAnnouncementNanos = Optional.empty();
    }

    /** A new beat each period; in between, the last one again (same seq) every retransmit interval. */
    private void beat(long now, List<LinkOutput> out) {
        if (beatSchedule.newBeatDue(now)) {
            Envelope.Builder body = beats.beat(now);
            if (!MessageRoutes.sends(self, body.getBodyCase())) {
                throw new IllegalArgumentException(
                        "the beat source gave a " + body.getBodyCase() + ", which the " + self + " does not send");
            }
            if (outbox.fits(body)) {
                beatSchedule.sent(outbox.send(body, false, out), now);
            } else {
                beatSchedule.forgetLast();
                out.add(outbox.notSent(body.getBodyCase(), "the beat is " + tooLarge()));
            }
            return;
        }
        Optional<Envelope> repeat = beatSchedule.repeatDue(now);
        if (repeat.isPresent()) {
            tally.add(LinkCount.BEAT_REPEAT);
            outbox.resend(repeat.get(), out);
        }
    }

    private String tooLarge() {
        return "larger than the payload limit of " + outbox.maxPayloadBytes() + " bytes";
    }

    private boolean hasSession() {
        return LinkTransitions.hasSession(self, state);
    }

    private static Endpoint peerOf(Endpoint self) {
        return switch (self) {
            case DEVICE -> Endpoint.GUARDIAN;
            case GUARDIAN -> Endpoint.DEVICE;
        };
    }

    private static Sender senderOf(Endpoint endpoint) {
        return switch (endpoint) {
            case DEVICE -> Sender.SENDER_DEVICE;
            case GUARDIAN -> Sender.SENDER_GUARDIAN;
        };
    }
}
