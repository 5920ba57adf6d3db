package io.waveos.companion.guardian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.CommandDecision;
import io.waveos.companion.proto.CommandKind;
import io.waveos.companion.proto.CommandRequest;
import io.waveos.companion.proto.DecisionReason;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.HealthReport;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.ResetWitness;
import io.waveos.companion.proto.Risk;
import io.waveos.companion.proto.SafeModeOrder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Guardian core's behaviours, in virtual time, asserted as the ordered list of its actions. */
class GuardianTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final GuardianEpoch EPOCH = new GuardianEpoch(3, 0);
    private static final Envelope HEALTHY = Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder()
            .setMode(AgentMode.AGENT_MODE_NORMAL).setLoopHealthy(true).setLoopLagMs(2).setSummary("ok")).build();
    private static final DenyPattern BAD_BUNDLE = new DenyPattern("bad-bundle",
            Optional.of(CommandKind.COMMAND_KIND_INSTALL), "bundle", Pattern.compile("2\\.3\\.1"), "bricks rev-B");

    private static GuardianConfig config() {
        GuardianConfig d = GuardianConfig.DEFAULT;
        return new GuardianConfig(d.watchdog(), d.gate().withDenyPatterns(List.of(BAD_BUNDLE)), d.trend(),
                d.tickPeriod(), d.logMaxBytes());
    }

    /** Drives one core in virtual time and keeps every action it returned, in order. */
    private static final class Driver {
        final Guardian guardian;
        final List<GuardianAction> actions = new ArrayList<>();
        long now;

        Driver(GuardianConfig config, List<ResetWitness> pending) {
            guardian = new Guardian(config, EPOCH, pending, 0);
            actions.addAll(guardian.start(0));
        }

        Driver(List<ResetWitness> pending) {
            this(config(), pending);
        }

        Driver() {
            this(List.of());
        }

        List<GuardianAction> at(long nanos, List<GuardianAction> returned) {
            now = nanos;
            actions.addAll(returned);
            return returned;
        }

        List<GuardianAction> envelope(long nanos, Envelope envelope) {
            return at(nanos, guardian.onEnvelope(nanos, envelope));
        }

        List<GuardianAction> tick(long nanos) {
            return at(nanos, guardian.onTick(nanos));
        }

        /** A healthy heartbeat every second over [from, to], with ticks every 100 ms. */
        void beat(long from, long to) {
            for (long t = from; t <= to; t += 100 * MS) {
                if ((t - from) % S == 0) {
                    envelope(t, HEALTHY);
                }
                tick(t);
            }
        }

        /** Ticks every 100 ms over (from, to]. */
        void silence(long from, long to) {
            for (long t = from + 100 * MS; t <= to; t += 100 * MS) {
                tick(t);
            }
        }

        GuardianAction.Reply request(long nanos, CommandKind kind, Risk risk, Map<String, String> parameters) {
            List<GuardianAction> returned = envelope(nanos, Envelope.newBuilder().setSeq(9).setExpectsReply(true)
                    .setCommandRequest(CommandRequest.newBuilder().setId("r-" + nanos).setKind(kind).setRisk(risk)
                            .putAllParameters(parameters))
                    .build());
            return (GuardianAction.Reply) returned.get(returned.size() - 1);
        }
    }

    /** Without the watchdog: these scenarios are about the trend, with no heartbeats to keep it quiet. */
    private static Driver withoutWatchdog() {
        GuardianConfig c = config();
        WatchdogConfig w = c.watchdog();
        WatchdogConfig off = new WatchdogConfig(false, w.heartbeatPeriod(), w.grace(), w.stuckHeartbeats(),
                w.maxLoopLag(), w.bootGrace(), w.armAtStart(), w.pulseWidth(), w.maxResets(), w.resetWindow());
        return new Driver(new GuardianConfig(off, c.gate(), c.trend(), c.tickPeriod(), c.logMaxBytes()), List.of());
    }

    private static <T extends GuardianAction> List<T> only(List<GuardianAction> actions, Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static List<GuardianCode> codes(List<GuardianAction> actions) {
        return only(actions, GuardianAction.Record.class).stream().map(r -> r.event().code()).toList();
    }

    private static ResetWitness sentWitness(List<GuardianAction> actions) {
        return only(actions, GuardianAction.Send.class).stream().map(GuardianAction.Send::message)
                .filter(Envelope::hasResetWitness).map(Envelope::getResetWitness).findFirst().orElseThrow();
    }

    @Test
    void resetsTheDeviceWhenHeartbeatsStopForTheGraceAndNotBefore() {
        Driver d = new Driver();
        d.beat(0, 20 * S);
        d.silence(20 * S, 30 * S - 100 * MS);
        assertEquals(List.of(), only(d.actions, GuardianAction.PulseReset.class), "not before the 10 s grace");

        List<GuardianAction> reset = d.tick(30 * S);

        assertEquals(3, reset.size(), reset.toString());
        GuardianEvent logged = ((GuardianAction.Record) reset.get(0)).event();
        assertEquals(GuardianCode.DEVICE_RESET, logged.code());
        assertEquals("HEARTBEATS_STOPPED", logged.reason());
        assertTrue(logged.durable(), "a reset is fsynced before the pulse");
        ResetWitness witness = ((GuardianAction.SaveWitnesses) reset.get(1)).pending().get(0);
        assertEquals(10, witness.getMissedHeartbeats());
        assertEquals(20_000, witness.getLastHeartbeatMonotonicMs());
        assertEquals(30_000, witness.getResetMonotonicMs());
        assertEquals(3, witness.getGuardianBootCounter());
        assertEquals(new GuardianAction.PulseReset(Duration.ofMillis(200)), reset.get(2));
    }

    @Test
    void resetsTheDeviceWhenHeartbeatsReportAStuckLoop() {
        Driver d = new Driver();
        d.beat(0, 5 * S);
        Envelope stuck = Envelope.newBuilder().setHeartbeat(HEALTHY.getHeartbeat().toBuilder().setLoopHealthy(false)
                .setLoopLagMs(9_000)).build();
        assertTrue(d.envelope(6 * S, stuck).isEmpty());
        assertTrue(d.envelope(7 * S, stuck).isEmpty());
        List<GuardianAction> reset = d.envelope(8 * S, stuck);
        assertEquals(List.of(GuardianCode.DEVICE_RESET), codes(reset));
        assertEquals("LOOP_STUCK", ((GuardianAction.Record) reset.get(0)).event().reason());
        assertEquals(1, only(reset, GuardianAction.PulseReset.class).size());
    }

    @Test
    void doesNotStormResetsAtADeviceThatNeverComesBack() {
        Driver d = new Driver();
        d.beat(0, 5 * S);
        d.silence(5 * S, 3600 * S);
        assertEquals(3, only(d.actions, GuardianAction.PulseReset.class).size(), "at most 3 resets an hour");
        assertEquals(1, codes(d.actions).stream().filter(c -> c == GuardianCode.DEVICE_RESET_SUPPRESSED).count(),
                "the suppression is logged once, not at every tick");
    }

    @Test
    void reportsTheWitnessWhenTheDeviceIsBackAndForgetsItAfterTheNextHeartbeat() {
        Driver d = new Driver();
        d.at(0, d.guardian.onLinkUp(0, "Hello"));
        d.beat(0, 5 * S);
        d.silence(5 * S, 15 * S);
        assertEquals(1, d.guardian.pendingWitnesses().size());

        d.at(16 * S, d.guardian.onLinkDown(16 * S, "peer silent"));
        List<GuardianAction> back = d.at(40 * S, d.guardian.onPeerRestarted(40 * S));
        back = new ArrayList<>(back);
        back.addAll(d.at(40 * S, d.guardian.onLinkUp(40 * S, "Hello from the new boot")));

        assertEquals(List.of(GuardianCode.DEVICE_RESTARTED, GuardianCode.LINK_UP), codes(back));
        assertTrue(((GuardianAction.Record) back.get(0)).event().text().contains("after the Guardian reset it"));
        ResetWitness witness = sentWitness(back);
        assertTrue(witness.getGuardianResetDevice());
        assertEquals(10, witness.getMissedHeartbeats());
        assertEquals(1, only(back, GuardianAction.Send.class).size(), "sent once, not again at link-up");

        List<GuardianAction> heard = d.envelope(41 * S, HEALTHY);
        assertEquals(List.of(GuardianCode.WITNESS_REPORTED), codes(heard));
        assertEquals(new GuardianAction.SaveWitnesses(List.of()), heard.get(1));
        assertEquals(List.of(), d.guardian.pendingWitnesses());
    }

    @Test
    void aWitnessSurvivesTheGuardiansOwnRestartAndIsReportedWhenTheLinkReturns() throws IOException {
        FakeStateFolder folder = new FakeStateFolder();
        Driver first = new Driver();
        first.beat(0, 5 * S);
        first.silence(5 * S, 15 * S);
        for (GuardianAction.SaveWitnesses save : only(first.actions, GuardianAction.SaveWitnesses.class)) {
            new GuardianState(EPOCH.bootCounter(), save.pending()).save(folder);
        }
        folder.powerCut();

        GuardianState loaded = GuardianState.load(folder);
        Driver second = new Driver(loaded.pendingWitnesses());
        assertTrue(codes(second.actions).contains(GuardianCode.GUARDIAN_STARTED));
        List<GuardianAction> up = second.at(S, second.guardian.onLinkUp(S, "Hello"));

        ResetWitness witness = sentWitness(up);
        assertEquals("HEARTBEATS_STOPPED", witness.getReason().substring(0, witness.getReason().indexOf(':')));
        assertEquals(15_000, witness.getResetMonotonicMs());
        assertEquals(3, witness.getGuardianBootCounter(), "the times belong to the run that saw the reset");
    }

    @Test
    void aWitnessIsNotForgottenByAHeartbeatThatArrivesBeforeItWasSent() {
        Driver d = new Driver();
        d.at(0, d.guardian.onLinkUp(0, "Hello"));
        d.beat(0, 2 * S);
        Envelope stuck = Envelope.newBuilder().setHeartbeat(HEALTHY.getHeartbeat().toBuilder().setLoopHealthy(false))
                .build();
        d.envelope(3 * S, stuck);
        d.envelope(4 * S, stuck);
        d.envelope(5 * S, stuck);
        assertEquals(1, d.guardian.pendingWitnesses().size(), "reset while the link is up");
        List<GuardianAction> late = d.envelope(5 * S + 500 * MS, HEALTHY);
        assertFalse(codes(late).contains(GuardianCode.WITNESS_REPORTED), "the device is about to reset; keep it");
        assertEquals(1, d.guardian.pendingWitnesses().size());
    }

    @Test
    void witnessesADeviceThatRestartedOnItsOwn() {
        Driver d = new Driver();
        d.at(0, d.guardian.onLinkUp(0, "Hello"));
        d.beat(0, 4 * S);
        List<GuardianAction> restarted = d.at(7 * S + 500 * MS, d.guardian.onPeerRestarted(7 * S + 500 * MS));

        assertEquals(List.of(GuardianCode.DEVICE_RESTARTED), codes(restarted));
        ResetWitness witness = sentWitness(restarted);
        assertFalse(witness.getGuardianResetDevice());
        assertEquals(3, witness.getMissedHeartbeats());
        assertEquals(4_000, witness.getLastHeartbeatMonotonicMs());
        assertTrue(witness.getReason().startsWith("DEVICE_RESTARTED"), witness.getReason());
        assertEquals(List.of(witness), only(restarted, GuardianAction.SaveWitnesses.class).get(0).pending());
    }

    @Test
    void vetoesAKnownBadPatternAndLogsTheRuleBeforeAnswering() {
        Driver d = new Driver();
        d.beat(0, 2 * S);
        List<GuardianAction> before = new ArrayList<>(d.actions);
        GuardianAction.Reply reply = d.request(3 * S, CommandKind.COMMAND_KIND_INSTALL, Risk.RISK_MEDIUM,
                Map.of("bundle", "2.3.1"));

        CommandDecision decision = reply.decision();
        assertFalse(decision.getApprove());
        assertEquals(DecisionReason.DECISION_REASON_KNOWN_BAD_PATTERN, decision.getReason());
        assertEquals("deny-pattern:bad-bundle", decision.getRule());
        assertEquals("r-3000000000", decision.getRequestId());
        List<GuardianAction> added = d.actions.subList(before.size(), d.actions.size());
        GuardianEvent logged = ((GuardianAction.Record) added.get(0)).event();
        assertEquals(GuardianCode.COMMAND_DENIED, logged.code());
        assertEquals("deny-pattern:bad-bundle", logged.rule());
        assertEquals("DECISION_REASON_KNOWN_BAD_PATTERN", logged.reason());
        assertEquals("r-3000000000", logged.details().get("request_id"));
        assertTrue(logged.durable());
        assertEquals(reply, added.get(1), "the log record comes before the answer");
    }

    @Test
    void deniesRiskyCommandsWhileTheDeviceReportsSafeMode() {
        Driver d = new Driver();
        d.envelope(0, Envelope.newBuilder().setHeartbeat(HEALTHY.getHeartbeat().toBuilder()
                .setMode(AgentMode.AGENT_MODE_SAFE)).build());
        CommandDecision reboot = d.request(S, CommandKind.COMMAND_KIND_REBOOT, Risk.RISK_LOW, Map.of()).decision();
        assertEquals(DecisionReason.DECISION_REASON_HEALTH_DEGRADED, reboot.getReason());
        assertEquals(CommandGate.RULE_DEGRADED, reboot.getRule());
        assertTrue(d.request(2 * S, CommandKind.COMMAND_KIND_COMMIT, Risk.RISK_LOW, Map.of()).decision().getApprove());
    }

    @Test
    void rateLimitsReboots() {
        Driver d = new Driver();
        for (int i = 0; i < 3; i++) {
            assertTrue(d.request(i * S, CommandKind.COMMAND_KIND_REBOOT, Risk.RISK_LOW, Map.of()).decision().getApprove());
        }
        CommandDecision fourth = d.request(10 * S, CommandKind.COMMAND_KIND_REBOOT, Risk.RISK_LOW, Map.of()).decision();
        assertEquals(DecisionReason.DECISION_REASON_RATE_LIMITED, fourth.getReason());
        assertEquals(CommandGate.RULE_REBOOT_RATE, fourth.getRule());
    }

    /** Reports once a second with memory 0.60 rising 0.0005/s plus noise: it crosses 0.95 at 700 s. */
    private static List<GuardianAction> risingMemory(Driver d, long fromSecond, long toSecond) {
        Random noise = new Random(11);
        List<GuardianAction> all = new ArrayList<>();
        for (long t = fromSecond; t < toSecond; t++) {
            double ratio = 0.60 + 0.0005 * t + 0.004 * noise.nextGaussian();
            all.addAll(d.envelope(t * S, Envelope.newBuilder().setHealthReport(HealthReport.newBuilder()
                    .setMemoryTotalBytes(1_000_000).setMemoryUsedBytes((long) (ratio * 1_000_000))).build()));
            all.addAll(d.tick(t * S));
        }
        return all;
    }

    @Test
    void ordersSafeModeWellBeforeAPredictedCrossingAndHoldsTheSafeModeLine() {
        Driver d = withoutWatchdog();
        d.at(0, d.guardian.onLinkUp(0, "Hello"));
        List<GuardianAction> actions = risingMemory(d, 0, 700);

        List<GuardianAction.Send> orders = only(actions, GuardianAction.Send.class).stream()
                .filter(s -> s.message().hasSafeModeOrder()).toList();
        assertEquals(1, orders.size());
        SafeModeOrder order = orders.get(0).message().getSafeModeOrder();
        assertTrue(order.getReason().startsWith("memory_used_ratio "), order.getReason());
        assertTrue(order.getPrediction().getEtaMs() <= 600_000);
        int index = actions.indexOf(orders.get(0));
        assertEquals(new GuardianAction.SetSafeModeLine(true), actions.get(index - 1));
        GuardianEvent logged = ((GuardianAction.Record) actions.get(index - 2)).event();
        assertEquals(GuardianCode.SAFE_MODE_ORDERED, logged.code());
        assertEquals("trend:memory_used_ratio", logged.rule());
        assertEquals(order.getReason(), logged.text());
        assertTrue(d.guardian.safeModeLineAsserted());

        CommandDecision exit = d.request(d.now, CommandKind.COMMAND_KIND_SAFE_MODE_EXIT, Risk.RISK_LOW, Map.of())
                .decision();
        assertEquals(DecisionReason.DECISION_REASON_SAFE_MODE_ORDERED, exit.getReason());
    }

    @Test
    void releasesTheSafeModeLineWhenTheOrdersMinimumDurationHasPassed() {
        Driver d = withoutWatchdog();
        risingMemory(d, 0, 200);
        long orderedAt = only(d.actions, GuardianAction.Record.class).stream()
                .filter(r -> r.event().code() == GuardianCode.SAFE_MODE_ORDERED).findFirst().orElseThrow()
                .event().monotonicMs() * MS;
        assertTrue(d.tick(orderedAt + 600 * S - MS).isEmpty());
        List<GuardianAction> released = d.tick(orderedAt + 600 * S);
        assertEquals(List.of(GuardianCode.SAFE_MODE_LINE_RELEASED), codes(released));
        assertEquals(new GuardianAction.SetSafeModeLine(false), released.get(1));
        assertFalse(d.guardian.safeModeLineAsserted());
    }

    @Test
    void repeatsAnOrderInForceWithItsRemainingDurationWhenTheLinkComesBack() {
        Driver d = withoutWatchdog();
        risingMemory(d, 0, 200);
        long orderedAt = only(d.actions, GuardianAction.Record.class).stream()
                .filter(r -> r.event().code() == GuardianCode.SAFE_MODE_ORDERED).findFirst().orElseThrow()
                .event().monotonicMs() * MS;
        List<GuardianAction> up = d.at(orderedAt + 100 * S, d.guardian.onLinkUp(orderedAt + 100 * S, "heard again"));
        SafeModeOrder again = only(up, GuardianAction.Send.class).get(0).message().getSafeModeOrder();
        assertEquals(500_000, again.getMinDurationMs());

        List<GuardianAction> later = d.at(orderedAt + 700 * S, d.guardian.onLinkUp(orderedAt + 700 * S, "back"));
        assertEquals(List.of(), only(later, GuardianAction.Send.class), "no order once it has expired");
    }

    @Test
    void aNoisyFlatDeviceGetsNoOrderAndNoReset() {
        Driver d = new Driver();
        Random noise = new Random(5);
        for (long t = 0; t < 3600; t++) {
            d.envelope(t * S, HEALTHY);
            double ratio = 0.80 + 0.02 * noise.nextGaussian();
            d.envelope(t * S, Envelope.newBuilder().setHealthReport(HealthReport.newBuilder()
                    .setMemoryTotalBytes(1_000_000).setMemoryUsedBytes((long) (ratio * 1_000_000))).build());
            d.tick(t * S);
        }
        assertEquals(List.of(GuardianCode.GUARDIAN_STARTED), codes(d.actions));
    }
}
