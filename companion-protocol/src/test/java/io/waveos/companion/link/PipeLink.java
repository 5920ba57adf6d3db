package io.waveos.companion.link;

import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.proto.CommandDecision;
import io.waveos.companion.proto.CommandRequest;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.transport.ByteTransport;
import io.waveos.companion.transport.FaultPlan;
import io.waveos.companion.transport.PipePair;
import io.waveos.companion.transport.PipeTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * A device and a Guardian session over a {@link PipeTransport} pair with fault injection, in virtual
 * time: each {@link #advance} step ticks both ends and pumps the pipe. Records every output except
 * transmissions, per end; the Guardian's owner answers requests at once (approve).
 */
final class PipeLink {

    private final Map<Endpoint, LinkSession> sessions = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, PipeTransport> ends = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, List<LinkOutput>> events = new EnumMap<>(Endpoint.class);
    private final PipePair pair;
    private final Function<CommandRequest, Optional<CommandDecision>> guardianDecides = LinkRig::approve;
    private long nowNanos = LinkRig.ORIGIN_NANOS;

    PipeLink(LinkConfig config, boolean keyed, FaultPlan plan, long seed) {
        LinkParts parts = new LinkParts(keyed);
        pair = PipeTransport.pair(plan, plan, new Random(seed), () -> nowNanos);
        ends.put(Endpoint.DEVICE, pair.a());
        ends.put(Endpoint.GUARDIAN, pair.b());
        for (Endpoint end : Endpoint.values()) {
            sessions.put(end, parts.boot(end, config));
            events.put(end, new ArrayList<>());
            try {
                ends.get(end).open(new ByteTransport.Receiver() {
                    @Override
                    public void onBytes(byte[] buf, int off, int len) {
                        perform(end, sessions.get(end).onBytes(buf, off, len, nowNanos));
                    }

                    @Override
                    public void onClosed(String reason) {
                        throw new AssertionError("the pipe closed: " + reason);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Endpoint end : Endpoint.values()) {
            perform(end, sessions.get(end).start(nowNanos));
        }
        pair.pump();
    }

    LinkSession session(Endpoint end) {
        return sessions.get(end);
    }

    PipePair pair() {
        return pair;
    }

    /** Every output of {@code end} except transmissions, in order. */
    List<LinkOutput> events(Endpoint end) {
        return List.copyOf(events.get(end));
    }

    List<Envelope> delivered(Endpoint end) {
        return events.get(end).stream().filter(LinkOutput.Deliver.class::isInstance)
                .map(o -> ((LinkOutput.Deliver) o).env()).toList();
    }

    void request(String id) {
        perform(Endpoint.DEVICE, session(Endpoint.DEVICE).request(LinkRig.commandRequest(id), nowNanos));
        pair.pump();
    }

    /** Advances by {@code duration} in steps of {@code step}: device tick, Guardian tick, pump. */
    void advance(Duration duration, Duration step) {
        long end = nowNanos + duration.toNanos();
        while (nowNanos < end) {
            nowNanos = Math.min(end, nowNanos + step.toNanos());
            perform(Endpoint.DEVICE, session(Endpoint.DEVICE).tick(nowNanos));
            perform(Endpoint.GUARDIAN, session(Endpoint.GUARDIAN).tick(nowNanos));
            pair.pump();
        }
    }

    private void perform(Endpoint end, List<LinkOutput> outputs) {
        for (LinkOutput o : outputs) {
            if (o instanceof LinkOutput.Transmit tx) {
                try {
                    ends.get(end).send(tx.wire());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                continue;
            }
            events.get(end).add(o);
            if (end == Endpoint.GUARDIAN && o instanceof LinkOutput.Deliver d && d.env().hasCommandRequest()) {
                guardianDecides.apply(d.env().getCommandRequest())
                        .ifPresent(decision -> perform(end, session(end).reply(decision, nowNanos)));
            }
        }
    }
}
