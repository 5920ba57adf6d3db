package io.waveos.agent.companion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.CompanionConfig;
import io.waveos.agent.config.CompanionConfig.Approval;
import io.waveos.agent.platform.fake.FakeStorage;
import io.waveos.agent.platform.fake.FakeTime;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
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
import io.waveos.companion.link.BeatSource;
import io.waveos.companion.link.LinkConfig;
import io.waveos.companion.link.LinkOutput;
import io.waveos.companion.link.LinkSession;
import io.waveos.companion.link.LinkState;
import io.waveos.companion.link.PeerInfo;
import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.CommandDecision;
import io.waveos.companion.proto.DecisionReason;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.HealthReport;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.ResetWitness;
import io.waveos.companion.proto.SafeModeOrder;
import io.waveos.companion.proto.TimeWitness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The agent's end of the link against a real Guardian-side session, in virtual time. */
class GuardianLinkTest {
    private final FakeTime time = new FakeTime();
    private final FakeStorage storage = new FakeStorage();
    private final List<Event> events = new ArrayList<>();
    private final List<String> orders = new ArrayList<>();
    private final List<String> order = new ArrayList<>();
    private final List<byte[]> toGuardian = new ArrayList<>();
    private final List<Envelope> guardianReceived = new ArrayList<>();
    private boolean lineUp = true;
    private final LinkSession guardian;
    private final GuardianLink device;
    private final ReceiveFloor floor = new ReceiveFloor(storage, Path.of("/state/companion-receive-counter"));

    private static final class MemoryCounters implements CounterStore {
        private final Map<Slot, byte[]> slots = new EnumMap<>(Slot.class);

        @Override
        public byte[] read(Slot slot) {
            return slots.getOrDefault(slot, new byte[0]);
        }

        @Override
        public void write(Slot slot, byte[] bytes) {
            slots.put(slot, bytes.clone());
        }
    }

    GuardianLinkTest() throws Exception {
        storage.createDirectories(Path.of("/state"));
        byte[] d2g = new byte[32];
        byte[] g2d = new byte[32];
        for (int i = 0; i < 32; i++) {
            d2g[i] = (byte) i;
            g2d[i] = (byte) (100 + i);
        }
        LinkKeys keys = new LinkKeys(new LinkKey(1, d2g), new LinkKey(1, g2d));
        guardian = session(Endpoint.GUARDIAN, keys, BeatSource.timeWitnesses(
                now -> TimeWitness.newBuilder().setGuardianMonotonicMs(now / 1_000_000).build()), "");
        LinkSession deviceSession = session(Endpoint.DEVICE, keys, BeatSource.heartbeats(
                () -> Heartbeat.newBuilder().setMode(AgentMode.AGENT_MODE_NORMAL).setLoopHealthy(true).build()),
                "dev-1");
        CompanionConfig cfg = new CompanionConfig(Optional.empty(), 115_200, Optional.of("127.0.0.1"), 7700,
                Optional.empty(), 16, Duration.ofSeconds(1), 3, Duration.ofSeconds(5), Duration.ofSeconds(5), Map.of());
        device = new GuardianLink(cfg, deviceSession, time, events::add, bytes -> {
            if (lineUp) {
                toGuardian.add(bytes);
            }
        }, () -> HealthReport.newBuilder().setRestartsTotal(3).build(), (reason, min) -> {
            order.add("floor saved before acting: " + floorIsDurable());
            orders.add(reason + " for " + min.toSeconds() + "s");
        }, "run-1", Optional.of(floor));
    }

    private boolean floorIsDurable() {
        try {
            return storage.durableContent(Path.of("/state/companion-receive-counter")).isPresent();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private LinkSession session(Endpoint self, LinkKeys keys, BeatSource beats, String deviceId) throws Exception {
        LinkAuth auth = LinkAuth.of(self, 16, keys);
        FrameEncoder enc = FrameEncoder.authenticated(FrameLimits.DEFAULT, auth);
        return new LinkSession(LinkConfig.DEFAULTS, self, enc, FrameDecoder.authenticated(FrameLimits.DEFAULT, auth, 0),
                Optional.of(CounterReservation.open(new MemoryCounters(), 64)), new EnvelopeCodec(enc.maxPayloadBytes()),
                new PeerInfo(PeerInfo.PROTOCOL_VERSION, List.of(), deviceId, "test", self.name() + "-boot"), beats);
    }

    /** Moves bytes both ways until quiet; the Guardian's decisions come from {@code decide}. */
    private void pump(boolean approve) {
        for (int round = 0; round < 20; round++) {
            List<byte[]> batch = new ArrayList<>(toGuardian);
            toGuardian.clear();
            if (batch.isEmpty()) {
                return;
            }
            for (byte[] b : batch) {
                guardianOutputs(guardian.onBytes(b, 0, b.length, time.nanos()), approve);
            }
        }
    }

    private void guardianOutputs(List<LinkOutput> outs, boolean approve) {
        for (LinkOutput o : outs) {
            if (o instanceof LinkOutput.Transmit t && lineUp) {
                device.onBytes(t.wire());
            } else if (o instanceof LinkOutput.Deliver d) {
                guardianReceived.add(d.env());
                if (d.env().hasCommandRequest()) {
                    guardianOutputs(guardian.reply(CommandDecision.newBuilder()
                            .setRequestId(d.env().getCommandRequest().getId()).setApprove(approve)
                            .setReason(approve ? DecisionReason.DECISION_REASON_ALLOWED
                                    : DecisionReason.DECISION_REASON_HEALTH_DEGRADED)
                            .setReasonText(approve ? "ok" : "memory above 90%").setRule(approve ? "default" : "degraded")
                            .build(), time.nanos()), approve);
                }
            }
        }
    }

    private void up() {
        guardian.start(time.nanos());
        device.start();
        pump(true);
        assertEquals(LinkState.UP, device.state(), events.toString());
    }

    private void guardianSends(Envelope.Builder body) {
        guardianOutputs(guardian.send(body, time.nanos()), true);
    }

    @Test
    void asksTheGuardianAndReportsItsApprovalWithTheRule() {
        up();
        List<Approvals.Decision> decisions = new ArrayList<>();
        device.ask(Approval.REBOOT, "essential plc kept failing", decisions::add);
        pump(true);
        assertEquals(1, decisions.size());
        assertTrue(decisions.get(0).approved());
        Event decided = events.stream().filter(e -> e.code() == EventCode.APPROVAL_DECIDED).findFirst().orElseThrow();
        assertEquals("default", decided.fields().get("rule"));
        assertEquals("guardian", decided.fields().get("by"));
        assertTrue(guardianReceived.stream().anyMatch(e -> e.hasCommandRequest()
                && e.getCommandRequest().getParametersMap().get("reason").equals("essential plc kept failing")));
    }

    @Test
    void countsApprovalRequestsWaitingForADecisionAsItsQueue() {
        up();
        List<Approvals.Decision> decisions = new ArrayList<>();
        device.ask(Approval.REBOOT, "essential plc kept failing", decisions::add);
        assertEquals(1, device.pendingRequests(), "sent, not yet answered");
        pump(true);
        assertEquals(0, device.pendingRequests());
    }

    @Test
    void reportsTheGuardiansDenialWithItsReason() {
        up();
        List<Approvals.Decision> decisions = new ArrayList<>();
        device.ask(Approval.SAFE_MODE_EXIT, "stable for 10m", decisions::add);
        pump(false);
        assertFalse(decisions.get(0).approved());
        assertTrue(decisions.get(0).reason().contains("memory above 90%"), decisions.get(0).reason());
    }

    @Test
    void appliesThePolicyAtOnceWhenTheLinkIsNotUp() {
        List<Approvals.Decision> decisions = new ArrayList<>();
        device.ask(Approval.INSTALL, "bundle 42", decisions::add);
        device.ask(Approval.REBOOT, "last resort", decisions::add);
        assertFalse(decisions.get(0).approved(), "install must be denied without a Guardian by default");
        assertTrue(decisions.get(1).approved(), "reboot must be allowed without a Guardian by default");
        assertTrue(decisions.get(0).reason().contains("companion.when_unavailable.install is deny"));
    }

    @Test
    void appliesThePolicyWhenTheGuardianStopsAnsweringARequest() {
        up();
        List<Approvals.Decision> decisions = new ArrayList<>();
        lineUp = false;
        device.ask(Approval.COMMIT, "commit bundle 42", decisions::add);
        for (int i = 0; i < 120 && decisions.isEmpty(); i++) {
            time.advance(Duration.ofMillis(100));
            device.tick();
        }
        assertEquals(1, decisions.size(), "no decision after the request timeout");
        assertFalse(decisions.get(0).approved());
    }

    @Test
    void savesTheReplayFloorBeforeObeyingASafeModeOrder() throws Exception {
        up();
        guardianSends(Envelope.newBuilder().setSafeModeOrder(SafeModeOrder.newBuilder()
                .setReason("memory crosses 95% in ~40 s").setMinDurationMs(600_000)));
        assertEquals(List.of("memory crosses 95% in ~40 s for 600s"), orders);
        assertEquals(List.of("floor saved before acting: true"), order);
        long saved = floor.load();
        assertTrue(saved > 0, "the floor was not saved");
        assertTrue(storage.durableContent(Path.of("/state/companion-receive-counter")).isPresent(),
                "the floor is not durable");
    }

    @Test
    void recordsTheGuardiansResetWitness() {
        up();
        guardianSends(Envelope.newBuilder().setResetWitness(ResetWitness.newBuilder().setMissedHeartbeats(10)
                .setGuardianResetDevice(true).setReason("HEARTBEATS_STOPPED")));
        Event witness = events.stream().filter(e -> e.code() == EventCode.COMPANION_RESET_WITNESS).findFirst()
                .orElseThrow();
        assertEquals(10L, ((Number) witness.fields().get("missed_heartbeats")).longValue());
    }

    @Test
    void ticksAtHalfTheShorterOfHeartbeatAndRetransmitInterval() {
        // heartbeat 1 s, retransmit 250 ms: beats and retransmits are at most 125 ms late.
        assertEquals(Duration.ofMillis(125), device.tickInterval());
    }

    @Test
    void sendsAHealthReportOnceTheLinkIsUp() {
        up();
        device.tick();
        pump(true);
        assertTrue(guardianReceived.stream().anyMatch(e -> e.hasHealthReport() && e.getHealthReport().getRestartsTotal() == 3),
                guardianReceived.toString());
    }
}
