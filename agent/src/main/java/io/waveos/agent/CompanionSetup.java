package io.waveos.agent;

import io.waveos.agent.companion.GuardianLink;
import io.waveos.agent.companion.HealthSampler;
import io.waveos.agent.companion.ReceiveFloor;
import io.waveos.agent.companion.StorageCounterStore;
import io.waveos.agent.config.CompanionConfig;
import io.waveos.agent.platform.MonotonicClock;
import io.waveos.agent.platform.Scheduler;
import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.SystemMetrics;
import io.waveos.agent.platform.linux.HostFiles;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.EventSink;
import io.waveos.companion.frame.CounterReservation;
import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.frame.EnvelopeCodec;
import io.waveos.companion.frame.FrameDecoder;
import io.waveos.companion.frame.FrameEncoder;
import io.waveos.companion.frame.FrameLimits;
import io.waveos.companion.frame.LinkAuth;
import io.waveos.companion.frame.LinkKeyFile;
import io.waveos.companion.frame.LinkKeyFileException;
import io.waveos.companion.link.BeatSource;
import io.waveos.companion.link.LinkConfig;
import io.waveos.companion.link.LinkSession;
import io.waveos.companion.link.PeerInfo;
import io.waveos.companion.proto.HealthReport;
import io.waveos.companion.transport.ByteTransport;
import io.waveos.companion.transport.JSerialCommNativeLibrary;
import io.waveos.companion.transport.SerialSettings;
import io.waveos.companion.transport.SerialTransport;
import io.waveos.companion.transport.TcpTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds the agent's Guardian link from the {@code companion} configuration: keys, counters, frame
 * codec, link session, transport, and the reconnecting connection that feeds the agent's loop.
 * Part of the composition root.
 */
final class CompanionSetup {
    /** Send counters are reserved this many at a time (one fsynced write per block). */
    static final int COUNTER_BLOCK = 4096;
    static final Duration RECONNECT_MIN = Duration.ofMillis(500);
    static final Duration RECONNECT_MAX = Duration.ofSeconds(10);

    private CompanionSetup() {
    }

    /** A configured, not yet connected link and its transport. */
    record Built(GuardianLink link, ByteTransport transport) {
    }

    /**
     * @throws IOException when the key file or counter state cannot be read, with the file named
     */
    static Built build(CompanionConfig cfg, Path state, String deviceId, String bootId, String runId,
            Storage storage, MonotonicClock clock, SystemMetrics metrics, EventSink events, Supplier<Agent> agent)
            throws IOException {
        Optional<LinkAuth> auth = Optional.empty();
        if (cfg.keyFile().isPresent()) {
            Path file = cfg.keyFile().get();
            byte[] text = storage.read(file).orElseThrow(() -> new IOException(file + ": no such key file"));
            try {
                LinkKeyFile keys = LinkKeyFile.parse(new String(text, StandardCharsets.UTF_8), file.toString());
                HostFiles.requireOwnerOnly(file);
                List<io.waveos.companion.frame.LinkKeys> others = keys.accepted().stream()
                        .filter(k -> !k.equals(keys.sign())).toList();
                auth = Optional.of(LinkAuth.of(Endpoint.DEVICE, cfg.tagBytes(), keys.sign(),
                        others.toArray(new io.waveos.companion.frame.LinkKeys[0])));
            } catch (LinkKeyFileException e) {
                throw new IOException(e.getMessage(), e);
            } finally {
                Arrays.fill(text, (byte) 0);
            }
        }
        FrameLimits limits = FrameLimits.DEFAULT;
        FrameEncoder encoder = auth.map(a -> FrameEncoder.authenticated(limits, a)).orElse(FrameEncoder.plain(limits));
        // The replay floor survives our restarts (spec 7.3), so an old recorded frame stays refused.
        ReceiveFloor floor = new ReceiveFloor(storage, state.resolve("companion-receive-counter"));
        long lastAccepted = auth.isPresent() ? floor.load() : 0;
        FrameDecoder decoder = auth.map(a -> FrameDecoder.authenticated(limits, a, lastAccepted))
                .orElse(FrameDecoder.plain(limits));
        Optional<CounterReservation> counters = auth.isPresent()
                ? Optional.of(CounterReservation.open(new StorageCounterStore(storage, state), COUNTER_BLOCK))
                : Optional.empty();
        PeerInfo self = new PeerInfo(PeerInfo.PROTOCOL_VERSION, List.of("health-report"), deviceId,
                AgentMain.version(), bootId);
        LinkConfig linkConfig = LinkConfig.DEFAULTS.withHeartbeatPeriod(cfg.heartbeat())
                .withMissesBeforeLost(cfg.misses()).withRequestTimeout(cfg.requestTimeout());
        LinkSession session = new LinkSession(linkConfig, Endpoint.DEVICE, encoder, decoder, counters,
                new EnvelopeCodec(encoder.maxPayloadBytes()), self, BeatSource.heartbeats(() -> agent.get().heartbeat()));
        ByteTransport transport = cfg.serialDevice().isPresent()
                ? new SerialTransport(cfg.serialDevice().get().toString(), SerialSettings.of(cfg.baud()),
                        new JSerialCommNativeLibrary(state.resolve("native")))
                : new TcpTransport(new InetSocketAddress(cfg.tcpHost().orElseThrow(), cfg.tcpPort()),
                        Duration.ofSeconds(2));
        HealthSampler sampler = new HealthSampler(metrics, events);
        Supplier<HealthReport> health = () -> sampler.sample(clock.nanos(), agent.get().healthFigures());
        GuardianLink link = new GuardianLink(cfg, session, clock, events, bytes -> {
            try {
                transport.send(bytes);
            } catch (IOException e) {
                events.emit(Event.of(EventCode.COMPANION_ERROR, "companion", "cannot write to " + transport.describe()
                        + ": " + e.getMessage()));
            }
        }, health, (reason, min) -> agent.get().guardianOrderedSafe(reason, min), runId,
                auth.isPresent() ? Optional.of(floor) : Optional.empty());
        return new Built(link, transport);
    }

    /**
     * Opens the transport and keeps it open: bytes and closes become loop events; after a close or a
     * failed open it retries with backoff (0.5 s doubling to 10 s) on the scheduler's thread.
     */
    static void connect(ByteTransport transport, Scheduler scheduler, io.waveos.agent.platform.EventLoop<LoopEvent> loop) {
        new Connection(transport, scheduler, loop).open(RECONNECT_MIN);
    }

    private static final class Connection {
        private final ByteTransport transport;
        private final Scheduler scheduler;
        private final io.waveos.agent.platform.EventLoop<LoopEvent> loop;

        Connection(ByteTransport transport, Scheduler scheduler, io.waveos.agent.platform.EventLoop<LoopEvent> loop) {
            this.transport = transport;
            this.scheduler = scheduler;
            this.loop = loop;
        }

        void open(Duration backoff) {
            try {
                transport.open(new LinkReceiver(loop, () -> scheduler.schedule(RECONNECT_MIN, () -> open(RECONNECT_MIN))));
            } catch (IOException | RuntimeException e) {
                loop.submit(new LoopEvent.CompanionClosed("cannot open " + transport.describe() + ": " + e.getMessage()
                        + "; retrying in " + backoff.toMillis() + " ms"));
                Duration next = backoff.multipliedBy(2).compareTo(RECONNECT_MAX) > 0 ? RECONNECT_MAX : backoff.multipliedBy(2);
                scheduler.schedule(backoff, () -> open(next));
            }
        }
    }
}
