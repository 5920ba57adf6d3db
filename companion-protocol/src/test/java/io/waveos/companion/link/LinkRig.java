package io.waveos.companion.link;

import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.frame.EnvelopeCodec;
import io.waveos.companion.frame.Frame;
import io.waveos.companion.frame.FrameDecoder;
import io.waveos.companion.frame.MalformedEnvelopeException;
import io.waveos.companion.proto.CommandDecision;
import io.waveos.companion.proto.CommandRequest;
import io.waveos.companion.proto.DecisionReason;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.Envelope.BodyCase;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A device and a Guardian session joined by an in-test byte shuttle, in virtual time, with an ordered
 * log of everything both ends output. Time moves only in {@link #advance}, in steps of {@link #STEP}: at
 * each step both ends tick (device first), then the wire is drained; the wire delivers instantly, in
 * the order frames were sent, unless a fault drops them. The Guardian's owner answers each delivered
 * CommandRequest at once with {@link #guardianDecides}'s decision (approve by default).
 *
 * <p>Log lines: {@code t=<ms> <side> <what>}, e.g. {@code t=250 device tx COMMAND_REQUEST r1 seq=2}.
 */
final class LinkRig {

    static final Duration STEP = Duration.ofMillis(50);
    /** An arbitrary origin: the link must only use time differences. */
    static final long ORIGIN_NANOS = 7_000_000_000_000L;

    private record InFlight(Endpoint from, byte[] wire, String description) {}

    private final LinkParts parts;
    private final LinkConfig config;
    private final Map<Endpoint, LinkSession> sessions = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, FrameDecoder> taps = new EnumMap<>(Endpoint.class);
    private final EnvelopeCodec codec;
    private final Deque<InFlight> wire = new ArrayDeque<>();
    private final List<String> log = new ArrayList<>();
    private final Map<Endpoint, List<Envelope>> delivered = new EnumMap<>(Map.of(
            Endpoint.DEVICE, new ArrayList<>(), Endpoint.GUARDIAN, new ArrayList<>()));
    private final List<Predicate<InFlight>> drops = new ArrayList<>();
    private Function<CommandRequest, Optional<CommandDecision>> guardianDecides = LinkRig::approve;
    private final Set<Endpoint> cutFrom = java.util.EnumSet.noneOf(Endpoint.class);
    private long nowNanos = ORIGIN_NANOS;

    LinkRig(LinkConfig config, boolean keyed) {
        this.parts = new LinkParts(keyed);
        this.config = config;
        this.codec = parts.codec();
        for (Endpoint end : Endpoint.values()) {
            sessions.put(end, parts.boot(end, config));
            taps.put(end, parts.decoder(end));
        }
    }

    static LinkRig plain(LinkConfig config) {
        return new LinkRig(config, false);
    }

    static LinkRig keyed(LinkConfig config) {
        return new LinkRig(config, true);
    }

    /** Starts both ends and drains the wire. */
    LinkRig started() {
        perform(Endpoint.DEVICE, device().start(nowNanos));
        perform(Endpoint.GUARDIAN, guardian().start(nowNanos));
        drain();
        return this;
    }

    LinkSession device() {
        return sessions.get(Endpoint.DEVICE);
    }

    LinkSession guardian() {
        return sessions.get(Endpoint.GUARDIAN);
    }

    LinkParts parts() {
        return parts;
    }

    long nowNanos() {
        return nowNanos;
    }

    long elapsedMillis() {
        return (nowNanos - ORIGIN_NANOS) / 1_000_000;
    }

    /** Calls {@code action} on one end at the current time, performs its outputs and drains the wire. */
    List<LinkOutput> on(Endpoint end, BiFunction<LinkSession, Long, List<LinkOutput>> action) {
        List<LinkOutput> outputs = action.apply(sessions.get(end), nowNanos);
        perform(end, outputs);
        drain();
        return outputs;
    }

    /** Sends a CommandRequest with {@code id} from the device. */
    List<LinkOutput> deviceRequests(String id) {
        return on(Endpoint.DEVICE, (s, now) -> s.request(commandRequest(id), now));
    }

    static Envelope.Builder commandRequest(String id) {
        return Envelope.newBuilder().setCommandRequest(CommandRequest.newBuilder().setId(id)
                .setKind(io.waveos.companion.proto.CommandKind.COMMAND_KIND_REBOOT)
                .setRisk(io.waveos.companion.proto.Risk.RISK_HIGH));
    }

    static Optional<CommandDecision> approve(CommandRequest request) {
        return Optional.of(CommandDecision.newBuilder().setRequestId(request.getId()).setApprove(true)
                .setReason(DecisionReason.DECISION_REASON_ALLOWED).setRule("test").build());
    }

    /** How the Guardian's owner answers a delivered request (empty: it does not answer). */
    void guardianDecides(Function<CommandRequest, Optional<CommandDecision>> owner) {
        guardianDecides = owner;
    }

    /** Advances time by {@code duration}, ticking both ends every {@link #STEP}. */
    void advance(Duration duration) {
        long end = nowNanos + duration.toNanos();
        while (nowNanos < end) {
            nowNanos = Math.min(end, nowNanos + STEP.toNanos());
            perform(Endpoint.DEVICE, device().tick(nowNanos));
            perform(Endpoint.GUARDIAN, guardian().tick(nowNanos));
            drain();
        }
    }

    /** Loses the next frame {@code from} sends whose description starts with {@code prefix} (e.g. "COMMAND_DECISION"). */
    void loseNext(Endpoint from, String prefix) {
        boolean[] used = {false};
        drops.add(f -> {
            if (!used[0] && f.from() == from && f.description().startsWith(prefix)) {
                used[0] = true;
                return true;
            }
            return false;
        });
    }

    /** Loses every frame in both directions until {@link #heal}. */
    void cut() {
        cutFrom.addAll(Set.of(Endpoint.values()));
    }

    /** Loses every frame {@code from} sends until {@link #heal}. */
    void cut(Endpoint from) {
        cutFrom.add(from);
    }

    void heal() {
        cutFrom.clear();
    }

    /** Before {@link #started}: gives {@code end} its own config and description. */
    LinkRig replace(Endpoint end, LinkConfig endConfig, PeerInfo info) {
        sessions.put(end, parts.boot(end, endConfig, info));
        return this;
    }

    /** Frames {@code env} as {@code from} would on a plain link and hands it to the other end. */
    void injectFrom(Endpoint from, Envelope env) {
        if (parts.keyed()) {
            throw new IllegalStateException("inject into plain links only: keyed frames need the sender's counters");
        }
        inject(peer(from), parts.encoder(from).encode(Frame.plain(codec.encode(env))));
    }

    /** Replaces {@code end} by a fresh session with a new boot id (counters resumed from its store), started now. */
    void reboot(Endpoint end) {
        wire.clear();
        sessions.put(end, parts.boot(end, config));
        log("t=" + elapsedMillis() + " " + name(end) + " reboots");
        perform(end, sessions.get(end).start(nowNanos));
        drain();
    }

    /** Hands raw bytes to {@code to}'s session, as if they came off the line, and drains. */
    void inject(Endpoint to, byte[] bytes) {
        perform(to, sessions.get(to).onBytes(bytes, 0, bytes.length, nowNanos));
        drain();
    }

    List<String> log() {
        return List.copyOf(log);
    }

    /** The log without beat traffic (HEARTBEAT and TIME_WITNESS transmissions and deliveries). */
    List<String> logWithoutBeats() {
        return log.stream().filter(l -> !l.contains(" HEARTBEAT") && !l.contains(" TIME_WITNESS")).toList();
    }

    /** The log lines that contain any of {@code words}. */
    List<String> logOf(String... words) {
        return log.stream().filter(l -> Set.of(words).stream().anyMatch(l::contains)).toList();
    }

    /** Everything delivered to {@code end}'s owner, in order. */
    List<Envelope> delivered(Endpoint end) {
        return List.copyOf(delivered.get(end));
    }

    void clearLog() {
        log.clear();
    }

    private void perform(Endpoint end, List<LinkOutput> outputs) {
        String t = "t=" + elapsedMillis() + " " + name(end) + " ";
        for (LinkOutput o : outputs) {
            if (o instanceof LinkOutput.Transmit tx) {
                String description = describe(end, tx.wire());
                log(t + "tx " + description);
                wire.add(new InFlight(end, tx.wire(), description));
            } else if (o instanceof LinkOutput.Deliver d) {
                log(t + "deliver " + describe(d.env()));
                delivered.get(end).add(d.env());
                if (end == Endpoint.GUARDIAN && d.env().getBodyCase() == BodyCase.COMMAND_REQUEST) {
                    guardianDecides.apply(d.env().getCommandRequest())
                            .ifPresent(decision -> perform(end, guardian().reply(decision, nowNanos)));
                }
            } else if (o instanceof LinkOutput.StateChanged c) {
                log(t + c.from() + " -> " + c.to());
            } else if (o instanceof LinkOutput.RequestAnswered a) {
                log(t + "answered " + a.id() + (a.answer().getCommandDecision().getApprove() ? " approve" : " deny"));
            } else if (o instanceof LinkOutput.RequestFailed f) {
                log(t + "failed " + f.id() + " " + f.failure());
            } else if (o instanceof LinkOutput.PeerReset r) {
                log(t + "peer reset " + r.oldBootId() + " -> " + r.newBootId());
            } else if (o instanceof LinkOutput.HandshakeRefused r) {
                log(t + "handshake refused: " + r.reason());
            } else if (o instanceof LinkOutput.NotSent n) {
                log(t + "not sent " + n.body() + ": " + n.reason());
            }
        }
    }

    private void drain() {
        InFlight f;
        while ((f = wire.poll()) != null) {
            InFlight frame = f;
            if (cutFrom.contains(f.from()) || drops.stream().anyMatch(p -> p.test(frame))) {
                log("t=" + elapsedMillis() + " wire loses " + name(f.from()) + " " + f.description());
                continue;
            }
            Endpoint to = peer(f.from());
            perform(to, sessions.get(to).onBytes(f.wire(), 0, f.wire().length, nowNanos));
        }
    }

    /** Decodes a frame {@code from} sent, with a tap decoder of its own, to name it in the log. */
    private String describe(Endpoint from, byte[] wire) {
        List<Frame> frames = taps.get(peer(from)).feed(wire, 0, wire.length);
        if (frames.size() != 1) {
            return "?";
        }
        try {
            return describe(codec.decode(frames.get(0).payload()));
        } catch (MalformedEnvelopeException e) {
            return "malformed";
        }
    }

    static String describe(Envelope env) {
        String what = switch (env.getBodyCase()) {
            case COMMAND_REQUEST -> "COMMAND_REQUEST " + env.getCommandRequest().getId();
            case COMMAND_DECISION -> "COMMAND_DECISION " + env.getCommandDecision().getRequestId();
            case ERROR -> "ERROR " + env.getError().getCode().name().replace("ERROR_CODE_", "")
                    + " re=" + env.getError().getInReplyToSeq();
            default -> env.getBodyCase().name();
        };
        return what + " seq=" + env.getSeq();
    }

    private void log(String line) {
        log.add(line);
    }

    static String name(Endpoint end) {
        return end == Endpoint.DEVICE ? "device" : "guardian";
    }

    static Endpoint peer(Endpoint end) {
        return end == Endpoint.DEVICE ? Endpoint.GUARDIAN : Endpoint.DEVICE;
    }
}
