package io.waveos.companion.bench;

import io.waveos.companion.frame.CounterReservation;
import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.frame.EnvelopeCodec;
import io.waveos.companion.frame.Frame;
import io.waveos.companion.frame.FrameDecoder;
import io.waveos.companion.frame.FrameEncoder;
import io.waveos.companion.frame.FrameLimits;
import io.waveos.companion.frame.LinkAuth;
import io.waveos.companion.frame.MalformedEnvelopeException;
import io.waveos.companion.link.BeatSource;
import io.waveos.companion.link.LinkConfig;
import io.waveos.companion.link.LinkOutput;
import io.waveos.companion.link.LinkSession;
import io.waveos.companion.link.LinkState;
import io.waveos.companion.link.PeerInfo;
import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.Sender;
import io.waveos.companion.proto.TimeWitness;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bytes on the wire per heartbeat and what they cost a 115 200-baud line (8N1: 11 520 bytes/s per
 * direction). Not a test; deterministic (virtual time, no I/O).
 *
 * <ol>
 *   <li>The frame of a typical Heartbeat (mode NORMAL, loop healthy, lag 3 ms, summary
 *       "7/7 services running") as the link stamps it (sender, seq, ack), plain and authenticated with a
 *       16-byte tag, for seq/ack varints of 1 to 5 bytes (seq restarts at 1 each session and grows by
 *       one per envelope).</li>
 *   <li>A device and a Guardian {@link LinkSession} (authenticated, and plain; default {@link LinkConfig}) joined by
 *       an instant in-memory wire in virtual time, ticked every millisecond, idle for 10 minutes after the
 *       handshake: the bytes and frames each direction carries, beats and beat repeats included.</li>
 *   <li>The same for shorter heartbeat periods (retransmit interval left at 250 ms), to find the
 *       shortest period that keeps the heartbeat direction under 10 % of the line.</li>
 * </ol>
 *
 * <p>Usage: {@code HeartbeatWireBench}.
 */
public final class HeartbeatWireBench {
    static final int TAG_BYTES = DecisionRoundTripBench.TAG_BYTES;
    static final double LINE_BYTES_PER_SECOND = 115_200 / 10.0; // 8N1: 10 bit times per byte
    static final String SUMMARY = "7/7 services running";

    private HeartbeatWireBench() {
    }

    static Heartbeat heartbeat() {
        return Heartbeat.newBuilder().setMode(AgentMode.AGENT_MODE_NORMAL).setLoopHealthy(true).setLoopLagMs(3)
                .setSummary(SUMMARY).build();
    }

    public static void main(String[] args) throws Exception {
        staticSizes();
        System.out.println();
        System.out.println("2. default link config (heartbeat 1 s, beat repeat / retransmit 250 ms),"
                + " 10 min idle after the handshake, virtual time:");
        System.out.println("   authenticated, T=16:");
        simulate(LinkConfig.DEFAULTS, Duration.ofMinutes(10), true).print("     ");
        System.out.println("   plain:");
        simulate(LinkConfig.DEFAULTS, Duration.ofMinutes(10), false).print("     ");
        System.out.println();
        System.out.println("3. heartbeat period sweep (retransmit_interval 250 ms), authenticated T=16, 2 min each:");
        System.out.println("   period  | device->Guardian (Heartbeat)          | Guardian->device (TimeWitness)");
        System.out.println("           | frames/s  bytes/s  B/frame  line %    | frames/s  bytes/s  line %");
        for (int ms : new int[] {1000, 500, 300, 260, 250, 200, 150, 100, 80, 70, 66, 65, 62, 61, 60, 55, 50, 40}) {
            Traffic t = simulate(LinkConfig.DEFAULTS.withHeartbeatPeriod(Duration.ofMillis(ms)), Duration.ofMinutes(2), true);
            System.out.printf("   %5d ms | %7.2f  %7.1f  %7.1f  %6.2f %%  | %7.2f  %7.1f  %6.2f %%%n", ms,
                    t.framesPerSecond(Endpoint.DEVICE), t.bytesPerSecond(Endpoint.DEVICE),
                    t.bytesPerFrame(Endpoint.DEVICE), 100 * t.bytesPerSecond(Endpoint.DEVICE) / LINE_BYTES_PER_SECOND,
                    t.framesPerSecond(Endpoint.GUARDIAN), t.bytesPerSecond(Endpoint.GUARDIAN),
                    100 * t.bytesPerSecond(Endpoint.GUARDIAN) / LINE_BYTES_PER_SECOND);
        }
    }

    /** Part 1: one heartbeat frame, plain and authenticated, by seq/ack varint length. */
    static void staticSizes() {
        EnvelopeCodec codec = new EnvelopeCodec(FrameEncoder.plain(FrameLimits.DEFAULT).maxPayloadBytes());
        FrameEncoder plain = FrameEncoder.plain(FrameLimits.DEFAULT);
        FrameEncoder auth16 = FrameEncoder.authenticated(FrameLimits.DEFAULT,
                LinkAuth.of(Endpoint.DEVICE, TAG_BYTES, DecisionRoundTripBench.KEYS));
        FrameEncoder auth8 = FrameEncoder.authenticated(FrameLimits.DEFAULT,
                LinkAuth.of(Endpoint.DEVICE, 8, DecisionRoundTripBench.KEYS));
        System.out.println("1. one Heartbeat {mode NORMAL, loop_healthy true, loop_lag_ms 3, summary \"" + SUMMARY
                + "\"} as the link sends it (sender DEVICE, seq, ack):");
        System.out.println("   seq/ack (varint bytes)   | body  payload | plain raw  wire | auth T=16 raw  wire"
                + " | auth T=8 wire");
        long[][] cases = {{2, 1}, {200, 200}, {20_000, 20_000}, {3_000_000, 3_000_000}, {300_000_000, 300_000_000}};
        for (long[] c : cases) {
            Envelope env = Envelope.newBuilder().setSender(Sender.SENDER_DEVICE).setSeq(c[0]).setAck(c[1])
                    .setHeartbeat(heartbeat()).build();
            byte[] payload = codec.encode(env);
            int body = heartbeat().getSerializedSize();
            byte[] plainWire = plain.encode(Frame.plain(payload));
            byte[] authWire = auth16.encode(Frame.authenticated(auth16.sendKeyId(), 123_456, payload));
            byte[] auth8Wire = auth8.encode(Frame.authenticated(auth8.sendKeyId(), 123_456, payload));
            System.out.printf("   %11d/%-11d (%d) | %4d  %7d | %9d  %4d | %13d  %4d | %13d%n", c[0], c[1],
                    varintBytes(c[0]), body, payload.length, 5 + payload.length, plainWire.length,
                    14 + TAG_BYTES + payload.length, authWire.length, auth8Wire.length);
        }
        System.out.println("   (raw = header..CRC; wire = COBS(raw) + 0x00 delimiter; COBS adds 1 byte below 254 raw bytes)");
    }

    static int varintBytes(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /** What one direction carried: frames and bytes, by body. */
    static final class Traffic {
        final Map<Endpoint, long[]> frames = new EnumMap<>(Endpoint.class);
        final Map<Endpoint, long[]> bytes = new EnumMap<>(Endpoint.class);
        final Map<Endpoint, Map<Envelope.BodyCase, long[]>> byBody = new EnumMap<>(Endpoint.class);
        double seconds;

        Traffic() {
            for (Endpoint e : Endpoint.values()) {
                frames.put(e, new long[1]);
                bytes.put(e, new long[1]);
                byBody.put(e, new EnumMap<>(Envelope.BodyCase.class));
            }
        }

        void add(Endpoint from, Envelope.BodyCase body, int wireBytes) {
            frames.get(from)[0]++;
            bytes.get(from)[0] += wireBytes;
            long[] b = byBody.get(from).computeIfAbsent(body, k -> new long[2]);
            b[0]++;
            b[1] += wireBytes;
        }

        double framesPerSecond(Endpoint from) {
            return frames.get(from)[0] / seconds;
        }

        double bytesPerSecond(Endpoint from) {
            return bytes.get(from)[0] / seconds;
        }

        double bytesPerFrame(Endpoint from) {
            return (double) bytes.get(from)[0] / frames.get(from)[0];
        }

        void print(String indent) {
            for (Endpoint from : Endpoint.values()) {
                System.out.printf("%s%-8s -> peer: %6.2f frames/s  %6.1f bytes/s  (%.1f B/frame)  = %.2f %% of 11 520 B/s;"
                        + " by body:", indent, from, framesPerSecond(from), bytesPerSecond(from), bytesPerFrame(from),
                        100 * bytesPerSecond(from) / LINE_BYTES_PER_SECOND);
                byBody.get(from).forEach((body, v) -> System.out.printf(" %s %d frames %d B;", body, v[0], v[1]));
                System.out.println();
            }
        }
    }

    /** Both ends in virtual time over an instant wire; counts what each sends after UP for {@code idle}. */
    static Traffic simulate(LinkConfig config, Duration idle, boolean keyed) throws IOException {
        Map<Endpoint, LinkSession> sessions = new EnumMap<>(Endpoint.class);
        Map<Endpoint, FrameDecoder> taps = new EnumMap<>(Endpoint.class);
        for (Endpoint end : Endpoint.values()) {
            LinkAuth auth = LinkAuth.of(end, TAG_BYTES, DecisionRoundTripBench.KEYS);
            FrameEncoder encoder = keyed ? FrameEncoder.authenticated(FrameLimits.DEFAULT, auth)
                    : FrameEncoder.plain(FrameLimits.DEFAULT);
            PeerInfo info = end == Endpoint.DEVICE
                    ? new PeerInfo(1, List.of("health-report", "command-gate"), "bench-device", "agent bench", "device-boot-1")
                    : new PeerInfo(1, List.of("command-gate", "time-witness"), "bench-device", "guardian bench",
                            "guardian-boot-1");
            BeatSource beats = end == Endpoint.DEVICE
                    ? BeatSource.heartbeats(HeartbeatWireBench::heartbeat)
                    : BeatSource.timeWitnesses(now -> TimeWitness.newBuilder().setGuardianMonotonicMs(now / 1_000_000)
                            .setGuardianBootCounter(3).build());
            sessions.put(end, new LinkSession(config, end, encoder, decoder(keyed, auth),
                    keyed ? Optional.of(CounterReservation.open(new DecisionRoundTripBench.MemoryCounterStore(), 65_536))
                            : Optional.empty(),
                    new EnvelopeCodec(encoder.maxPayloadBytes()), info, beats));
            // a tap decoding what is sent *to* end, to name the bodies
            taps.put(end, decoder(keyed, auth));
        }
        EnvelopeCodec codec = new EnvelopeCodec(FrameEncoder.plain(FrameLimits.DEFAULT).maxPayloadBytes());
        long step = Duration.ofMillis(1).toNanos();
        // an arbitrary origin, the time of day on a long-running Guardian (the TimeWitness carries it)
        long now = Duration.ofDays(3).toNanos();
        Deque<Object[]> wire = new ArrayDeque<>();
        Traffic traffic = new Traffic();
        boolean[] counting = {false};
        Sim sim = new Sim(sessions, taps, codec, wire, traffic, counting);
        sim.perform(Endpoint.DEVICE, sessions.get(Endpoint.DEVICE).start(now), now);
        sim.perform(Endpoint.GUARDIAN, sessions.get(Endpoint.GUARDIAN).start(now), now);
        sim.drain(now);
        long end = now + Duration.ofSeconds(5).toNanos();
        while (now < end) {
            now += step;
            sim.tickBoth(now);
        }
        if (sessions.get(Endpoint.DEVICE).state() != LinkState.UP || sessions.get(Endpoint.GUARDIAN).state() != LinkState.UP) {
            throw new IllegalStateException("link not UP after 5 s");
        }
        counting[0] = true;
        end = now + idle.toNanos();
        while (now < end) {
            now += step;
            sim.tickBoth(now);
        }
        traffic.seconds = idle.toNanos() / 1e9;
        return traffic;
    }

    private static FrameDecoder decoder(boolean keyed, LinkAuth auth) {
        return keyed ? FrameDecoder.authenticated(FrameLimits.DEFAULT, auth, 0) : FrameDecoder.plain(FrameLimits.DEFAULT);
    }

    private record Sim(Map<Endpoint, LinkSession> sessions, Map<Endpoint, FrameDecoder> taps, EnvelopeCodec codec,
            Deque<Object[]> wire, Traffic traffic, boolean[] counting) {

        void tickBoth(long now) {
            perform(Endpoint.DEVICE, sessions.get(Endpoint.DEVICE).tick(now), now);
            perform(Endpoint.GUARDIAN, sessions.get(Endpoint.GUARDIAN).tick(now), now);
            drain(now);
        }

        void perform(Endpoint from, List<LinkOutput> outputs, long now) {
            for (LinkOutput o : outputs) {
                if (o instanceof LinkOutput.Transmit tx) {
                    byte[] bytes = tx.wire();
                    if (counting[0]) {
                        traffic.add(from, body(peer(from), bytes), bytes.length);
                    } else {
                        body(peer(from), bytes); // keep the tap's replay state in step
                    }
                    wire.add(new Object[] {from, bytes});
                } else if (o instanceof LinkOutput.StateChanged c && counting[0]) {
                    throw new IllegalStateException(from + " " + c.from() + " -> " + c.to() + ": " + c.reason());
                }
            }
        }

        void drain(long now) {
            Object[] f;
            while ((f = wire.poll()) != null) {
                Endpoint to = peer((Endpoint) f[0]);
                byte[] bytes = (byte[]) f[1];
                perform(to, sessions.get(to).onBytes(bytes, 0, bytes.length, now), now);
            }
        }

        Envelope.BodyCase body(Endpoint to, byte[] bytes) {
            List<Frame> frames = taps.get(to).feed(bytes, 0, bytes.length);
            try {
                return frames.size() == 1 ? codec.decode(frames.get(0).payload()).getBodyCase() : Envelope.BodyCase.BODY_NOT_SET;
            } catch (MalformedEnvelopeException e) {
                return Envelope.BodyCase.BODY_NOT_SET;
            }
        }

        static Endpoint peer(Endpoint end) {
            return end == Endpoint.DEVICE ? Endpoint.GUARDIAN : Endpoint.DEVICE;
        }
    }
}
