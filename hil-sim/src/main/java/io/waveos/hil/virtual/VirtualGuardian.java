package io.waveos.hil.virtual;

import io.waveos.agent.Agent;
import io.waveos.agent.LinkReceiver;
import io.waveos.agent.LoopEvent;
import io.waveos.agent.companion.GuardianLink;
import io.waveos.agent.companion.HealthSampler;
import io.waveos.agent.config.CompanionConfig;
import io.waveos.agent.platform.EventLoop;
import io.waveos.agent.platform.SystemMetrics;
import io.waveos.agent.platform.fake.FakeTime;
import io.waveos.agent.telemetry.EventSink;
import io.waveos.companion.frame.EnvelopeCodec;
import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.frame.FrameDecoder;
import io.waveos.companion.frame.FrameEncoder;
import io.waveos.companion.frame.FrameLimits;
import io.waveos.companion.guardian.Guardian;
import io.waveos.companion.guardian.GuardianConfig;
import io.waveos.companion.guardian.GuardianConfigException;
import io.waveos.companion.guardian.GuardianEpoch;
import io.waveos.companion.guardian.GuardianLog;
import io.waveos.companion.guardian.GuardianProperties;
import io.waveos.companion.guardian.GuardianRuntime;
import io.waveos.companion.guardian.ReplayFloor;
import io.waveos.companion.link.BeatSource;
import io.waveos.companion.link.LinkConfig;
import io.waveos.companion.link.LinkSession;
import io.waveos.companion.link.PeerInfo;
import io.waveos.companion.proto.TimeWitness;
import io.waveos.companion.transport.ByteTransport;
import io.waveos.companion.transport.CutMode;
import io.waveos.companion.transport.FaultPlan;
import io.waveos.companion.transport.PipePair;
import io.waveos.companion.transport.PipeTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;

/**
 * The reference Guardian in tier 1: its real core and runtime ({@code guardian.Guardian},
 * {@code GuardianRuntime}) and the agent's real {@link GuardianLink}, joined by a
 * {@code transport.PipePair} on the virtual clock. The link is plain (tier 2 tests the authenticated
 * one). Faults: {@link #noise} flips bits of every frame on the wire with a seeded random source (both
 * directions); {@link #cut} is the board losing power (its loop stops, the wire goes silent, nothing
 * is closed) and {@link #restore} boots it again (a new Guardian run on the same flash). The reset line is {@link SimulatedResetLine}: a pulse power-cycles the
 * device through {@code onReset}. The agent's end is opened for each agent run and closed when that
 * agent dies, as a TCP connection would be. Not thread-safe: the rig's one thread drives it.
 */
final class VirtualGuardian {
    static final Map<String, String> DEFAULTS = Map.of("watchdog.grace", "3s", "watchdog.boot-grace", "15s");
    private final FakeTime time;
    private final PipePair pipe;
    private final GuardianConfig config;
    private final InMemoryStateFolder folder = new InMemoryStateFolder();
    private GuardianRuntime runtime;
    private int boots;
    private boolean powered;
    private final SimulatedResetLine line;
    private final Random flips;
    private double ber;
    private boolean guardianEndOpen;

    VirtualGuardian(Map<String, String> rules, FakeTime time, long seed, Runnable onReset) {
        this.time = time;
        this.pipe = PipeTransport.pair(FaultPlan.NONE, FaultPlan.NONE, new Random(seed), time::nanos);
        this.flips = new Random(seed * 131 + 3);
        this.line = new SimulatedResetLine(onReset);
        Properties props = new Properties();
        DEFAULTS.forEach(props::setProperty);
        rules.forEach(props::setProperty);
        try {
            config = GuardianProperties.parse(props, "guardian.rules").config();
        } catch (GuardianConfigException e) {
            throw new IllegalArgumentException("the Guardian refuses the scenario's rules: " + e.getMessage(), e);
        }
        boot();
    }

    /** The board starts: a new Guardian run (boot counter + 1) on the same state folder. */
    private void boot() {
        boots++;
        GuardianEpoch epoch = new GuardianEpoch(boots, time.nanos());
        try {
            FrameLimits limits = FrameLimits.DEFAULT;
            FrameEncoder encoder = FrameEncoder.plain(limits);
            LinkSession link = new LinkSession(LinkConfig.DEFAULTS.withHeartbeatPeriod(config.watchdog()
                    .heartbeatPeriod()), Endpoint.GUARDIAN, encoder, FrameDecoder.plain(limits), Optional.empty(),
                    new EnvelopeCodec(encoder.maxPayloadBytes()), new PeerInfo(PeerInfo.PROTOCOL_VERSION,
                            List.of("command-gate", "reset-witness", "time-witness", "trend-safe-mode"), "hil-device",
                            "sim", "guardian-sim-" + boots), BeatSource.timeWitnesses(n -> TimeWitness.newBuilder()
                            .setGuardianMonotonicMs(epoch.monotonicMs(n)).setGuardianBootCounter(boots).build()));
            runtime = new GuardianRuntime(new Guardian(config, epoch, List.of(), time.nanos()), link, line,
                    new GuardianLog(folder, () -> VirtualRig.ORIGIN.toEpochMilli() + time.nanos() / 1_000_000, boots,
                            1 << 20), folder, ReplayFloor.load(folder), epoch);
        } catch (IOException e) {
            throw new UncheckedIOException("the in-memory Guardian cannot start: " + e.getMessage(), e);
        }
        runtime.start(time.nanos());
        powered = true;
        if (guardianEndOpen) {
            runtime.connected(frame -> send(pipe.b(), frame), time.nanos());
        }
    }

    /**
     * The agent's side of the link for one agent run, built as {@code CompanionSetup} builds it (a
     * plain link) and connected to the pipe's device end; bytes and closes become loop events.
     */
    GuardianLink attach(CompanionConfig cfg, String runId, SystemMetrics metrics, EventSink events,
            EventLoop<LoopEvent> loop, java.util.function.Supplier<Agent> agent) {
        FrameLimits limits = FrameLimits.DEFAULT;
        FrameEncoder encoder = FrameEncoder.plain(limits);
        LinkSession session = new LinkSession(LinkConfig.DEFAULTS.withHeartbeatPeriod(cfg.heartbeat())
                .withMissesBeforeLost(cfg.misses()).withRequestTimeout(cfg.requestTimeout()), Endpoint.DEVICE, encoder,
                FrameDecoder.plain(limits), Optional.empty(), new EnvelopeCodec(encoder.maxPayloadBytes()),
                new PeerInfo(PeerInfo.PROTOCOL_VERSION, List.of("health-report"), "hil-device", "sim", runId),
                BeatSource.heartbeats(() -> agent.get().heartbeat()));
        HealthSampler sampler = new HealthSampler(metrics, events);
        PipeTransport device = pipe.a();
        GuardianLink link = new GuardianLink(cfg, session, time, events, bytes -> send(device, bytes),
                () -> sampler.sample(time.nanos(), agent.get().healthFigures()),
                (reason, min) -> agent.get().guardianOrderedSafe(reason, min), runId);
        openGuardianEnd();
        try {
            device.open(new LinkReceiver(loop, () -> { }));
        } catch (IOException e) {
            loop.submit(new LoopEvent.CompanionClosed("cannot open the pipe: " + e.getMessage()));
        }
        return link;
    }

    /** The agent died: its end of the link closes with its process. */
    void detach() {
        pipe.a().close();
    }

    /** One tick of the Guardian's loop, after the clock moved: deliver what is due, then its timers. */
    void tick() {
        pipe.pump();
        if (powered) {
            runtime.tick(time.nanos());
        }
        pipe.pump();
    }

    void noise(double bitErrorRate) {
        this.ber = bitErrorRate;
    }

    /** The Guardian board loses power: its loop stops and the wire goes silent both ways. */
    void cut() {
        powered = false;
        pipe.cut(CutMode.SILENT);
    }

    /** The board is powered again and boots. */
    void restore() {
        pipe.restore();
        boot();
    }

    /** Reset pulses so far. */
    int resets() {
        return line.pulses();
    }

    private void openGuardianEnd() {
        if (guardianEndOpen) {
            return;
        }
        PipeTransport guardian = pipe.b();
        try {
            guardian.open(new ByteTransport.Receiver() {
                @Override
                public void onBytes(byte[] buf, int off, int len) {
                    if (powered) {
                        runtime.onBytes(buf, off, len, time.nanos());
                    }
                }

                @Override
                public void onClosed(String reason) {
                    guardianEndOpen = false;
                    if (powered) {
                        runtime.disconnected(reason, time.nanos());
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("the Guardian's end of the pipe: " + e.getMessage(), e);
        }
        guardianEndOpen = true;
        runtime.connected(frame -> send(guardian, frame), time.nanos());
    }

    private void send(PipeTransport end, byte[] bytes) {
        byte[] wire = bytes.clone();
        if (ber > 0) {
            for (int i = 0; i < wire.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    if (flips.nextDouble() < ber) {
                        wire[i] ^= (byte) (1 << bit);
                    }
                }
            }
        }
        try {
            end.send(wire);
        } catch (IOException e) {
            // the wire is down (cut, or the other end closed): the bytes are lost, as on a real line
            return;
        }
    }

    static Duration tickPeriod() {
        return Duration.ofMillis(100);
    }
}
