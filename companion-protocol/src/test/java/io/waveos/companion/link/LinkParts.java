package io.waveos.companion.link;

import io.waveos.companion.frame.CounterReservation;
import io.waveos.companion.frame.CounterStore;
import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.frame.EnvelopeCodec;
import io.waveos.companion.frame.FrameDecoder;
import io.waveos.companion.frame.FrameEncoder;
import io.waveos.companion.frame.FrameLimits;
import io.waveos.companion.frame.LinkAuth;
import io.waveos.companion.frame.LinkKey;
import io.waveos.companion.frame.LinkKeys;
import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.TimeWitness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the sessions of a test link: plain or keyed, each end with its own boot id, stores and beats. */
final class LinkParts {

    static final String DEVICE_ID = "press-07";
    static final int TAG_BYTES = 16;
    static final LinkKeys KEYS = new LinkKeys(
            new LinkKey(1, HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")),
            new LinkKey(1, HexFormat.of().parseHex("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f")));

    /** A counter store in memory; it survives a "reboot" of its end, and can be made to fail. */
    static final class MemoryCounterStore implements CounterStore {
        private final Map<Slot, byte[]> slots = new EnumMap<>(Slot.class);
        boolean failing;
        int writes;

        @Override
        public byte[] read(Slot slot) {
            return slots.getOrDefault(slot, new byte[0]).clone();
        }

        @Override
        public void write(Slot slot, byte[] bytes) throws IOException {
            if (failing) {
                throw new IOException("storage failed");
            }
            writes++;
            slots.put(slot, bytes.clone());
        }
    }

    private final boolean keyed;
    private final Map<Endpoint, MemoryCounterStore> stores = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, Integer> boots = new EnumMap<>(Endpoint.class);
    private int heartbeats;

    LinkParts(boolean keyed) {
        this.keyed = keyed;
        for (Endpoint e : Endpoint.values()) {
            stores.put(e, new MemoryCounterStore());
            boots.put(e, 0);
        }
    }

    boolean keyed() {
        return keyed;
    }

    MemoryCounterStore store(Endpoint end) {
        return stores.get(end);
    }

    /** A new session for {@code end}, as after a boot: a new boot id, counters resumed from its store. */
    LinkSession boot(Endpoint end, LinkConfig config) {
        return boot(end, config, info(end, boots.merge(end, 1, Integer::sum)));
    }

    LinkSession boot(Endpoint end, LinkConfig config, PeerInfo info) {
        return new LinkSession(config, end, encoder(end), decoder(end), counters(end), codec(), info, beats(end));
    }

    static PeerInfo info(Endpoint end, int boot) {
        return switch (end) {
            case DEVICE -> new PeerInfo(1, List.of("health-report", "command-gate"), DEVICE_ID, "agent 0.1",
                    "device-boot-" + boot);
            case GUARDIAN -> new PeerInfo(1, List.of("command-gate", "time-witness"), DEVICE_ID, "guardian 0.1",
                    "guardian-boot-" + boot);
        };
    }

    FrameEncoder encoder(Endpoint end) {
        return keyed ? FrameEncoder.authenticated(FrameLimits.DEFAULT, auth(end)) : FrameEncoder.plain(FrameLimits.DEFAULT);
    }

    /** A decoder for frames sent to {@code end}. */
    FrameDecoder decoder(Endpoint end) {
        return keyed ? FrameDecoder.authenticated(FrameLimits.DEFAULT, auth(end), 0) : FrameDecoder.plain(FrameLimits.DEFAULT);
    }

    EnvelopeCodec codec() {
        return new EnvelopeCodec(encoder(Endpoint.DEVICE).maxPayloadBytes());
    }

    Optional<CounterReservation> counters(Endpoint end) {
        if (!keyed) {
            return Optional.empty();
        }
        try {
            return Optional.of(CounterReservation.open(stores.get(end), 16));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LinkAuth auth(Endpoint end) {
        return LinkAuth.of(end, TAG_BYTES, KEYS);
    }

    /** Device heartbeats number themselves in loop_lag_ms (0, 1, 2...), so a test can tell them apart. */
    private BeatSource beats(Endpoint end) {
        return switch (end) {
            case DEVICE -> BeatSource.heartbeats(() -> Heartbeat.newBuilder().setMode(AgentMode.AGENT_MODE_NORMAL)
                    .setLoopHealthy(true).setLoopLagMs(heartbeats++).setSummary("ok").build());
            case GUARDIAN -> BeatSource.timeWitnesses(now -> TimeWitness.newBuilder()
                    .setGuardianMonotonicMs(now / 1_000_000).setGuardianBootCounter(boots.get(Endpoint.GUARDIAN)).build());
        };
    }
}
