package io.waveos.companion.guardian;

import io.waveos.companion.frame.LinkKeyFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.companion.frame.CounterReservation;
import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.frame.EnvelopeCodec;
import io.waveos.companion.frame.FrameDecoder;
import io.waveos.companion.frame.FrameEncoder;
import io.waveos.companion.frame.FrameLimits;
import io.waveos.companion.frame.LinkAuth;
import io.waveos.companion.link.BeatSource;
import io.waveos.companion.link.LinkConfig;
import io.waveos.companion.link.LinkOutput;
import io.waveos.companion.link.LinkSession;
import io.waveos.companion.link.LinkState;
import io.waveos.companion.link.PeerInfo;
import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.CommandDecision;
import io.waveos.companion.proto.CommandKind;
import io.waveos.companion.proto.CommandRequest;
import io.waveos.companion.proto.DecisionReason;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.ResetWitness;
import io.waveos.companion.proto.Risk;
import io.waveos.companion.proto.TimeWitness;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Guardian's runtime with the real link: a device-side {@link LinkSession} talks to it byte for
 * byte, in virtual time. Covers what the core tests cannot: the order of frames on the wire, the
 * witness arriving after the new session's HelloAck, and the log on its storage.
 */
class GuardianRuntimeTest {
    private static final Duration STEP = Duration.ofMillis(100);
    private static final String KEYS = String.join("\n",
            "sign = 1",
            "key.1.device_to_guardian = 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
            "key.1.guardian_to_device = 202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");

    /** A Guardian runtime and a device link, wired to each other, driven in 100 ms steps. */
    private static final class Bench {
        final FakeScheduler scheduler = new FakeScheduler();
        final RecordingResetLine line = new RecordingResetLine(scheduler);
        final FakeStateFolder guardianFolder = new FakeStateFolder();
        final FakeStateFolder deviceFolder = new FakeStateFolder();
        final Optional<LinkKeyFile> keys;
        final GuardianRuntime runtime;
        final List<Envelope> deviceReceived = new ArrayList<>();
        final List<LinkOutput> deviceEvents = new ArrayList<>();
        final List<byte[]> toDevice = new ArrayList<>();
        LinkSession device;
        boolean deviceRunning;
        Heartbeat heartbeat = Heartbeat.newBuilder().setMode(AgentMode.AGENT_MODE_NORMAL).setLoopHealthy(true)
                .setSummary("ok").build();
        long now;

        Bench(boolean authenticated) throws Exception {
            keys = authenticated ? Optional.of(LinkKeyFile.parse(KEYS, "test keys")) : Optional.empty();
            GuardianEpoch epoch = new GuardianEpoch(1, 0);
            GuardianConfig d = GuardianConfig.DEFAULT;
            GuardianConfig config = new GuardianConfig(d.watchdog(), d.gate().withDenyPatterns(List.of(
                    new DenyPattern("bad-bundle", Optional.of(CommandKind.COMMAND_KIND_INSTALL), "bundle",
                            Pattern.compile("2\\.3\\.1"), "bricks rev-B"))), d.trend(), d.tickPeriod(), d.logMaxBytes());
            LinkSession link = link(Endpoint.GUARDIAN, guardianFolder, new PeerInfo(1, List.of("command-gate"), "",
                    "guardian-test", "g-boot"), BeatSource.timeWitnesses(n -> TimeWitness.newBuilder()
                            .setGuardianMonotonicMs(epoch.monotonicMs(n)).setGuardianBootCounter(1).build()));
            runtime = new GuardianRuntime(new Guardian(config, epoch, List.of(), 0), link, line,
                    new GuardianLog(guardianFolder, () -> 1_750_000_000_000L, 1, 1 << 20), guardianFolder,
                    ReplayFloor.load(guardianFolder), epoch);
            runtime.start(0);
            runtime.connected(toDevice::add, 0);
        }

        LinkSession link(Endpoint self, StateFolder folder, PeerInfo info, BeatSource beats) throws IOException {
            FrameLimits limits = FrameLimits.DEFAULT;
            if (keys.isEmpty()) {
                FrameEncoder encoder = FrameEncoder.plain(limits);
                return new LinkSession(LinkConfig.DEFAULTS, self, encoder, FrameDecoder.plain(limits), Optional.empty(),
                        new EnvelopeCodec(encoder.maxPayloadBytes()), info, beats);
            }
            LinkAuth auth = keys.get().auth(self, 16);
            FrameEncoder encoder = FrameEncoder.authenticated(limits, auth);
            return new LinkSession(LinkConfig.DEFAULTS, self, encoder, FrameDecoder.authenticated(limits, auth, 0),
                    Optional.of(CounterReservation.open(new StateFolderCounterStore(folder), 64)),
                    new EnvelopeCodec(encoder.maxPayloadBytes()), info, beats);
        }

        /** The device (re)boots: a new link with a new boot id, which sends its Hello. */
        void bootDevice(String bootId) throws IOException {
            device = link(Endpoint.DEVICE, deviceFolder, new PeerInfo(1, List.of(), "dev-1", "agent-test", bootId),
                    BeatSource.heartbeats(() -> heartbeat));
            deviceRunning = true;
            toDevice.clear();
            fromDevice(device.start(now));
        }

        void fromDevice(List<LinkOutput> outputs) {
            for (LinkOutput output : outputs) {
                if (output instanceof LinkOutput.Transmit t) {
                    byte[] wire = t.wire();
                    runtime.onBytes(wire, 0, wire.length, now);
                } else if (output instanceof LinkOutput.Deliver deliver) {
                    deviceReceived.add(deliver.env());
                } else {
                    deviceEvents.add(output);
                }
            }
            toDeviceNow();
        }

        void toDeviceNow() {
            while (!toDevice.isEmpty()) {
                byte[] wire = toDevice.remove(0);
                if (deviceRunning) {
                    fromDevice(device.onBytes(wire, 0, wire.length, now));
                }
            }
        }

        /** Advances both ends by {@code duration} in 100 ms steps; a hung device neither ticks nor reads. */
        void run(Duration duration) {
            for (long i = 0; i < duration.dividedBy(STEP); i++) {
                now += STEP.toNanos();
                scheduler.advance(STEP);
                runtime.tick(now);
                toDeviceNow();
                if (deviceRunning) {
                    fromDevice(device.tick(now));
                }
            }
        }

        List<String> log() {
            return guardianFolder.text(GuardianLog.FILE).lines().toList();
        }
    }

    @Test
    void aHungDeviceIsResetAndHearsTheWitnessAfterItsNewHello() throws Exception {
        Bench bench = new Bench(false);
        bench.bootDevice("boot-1");
        bench.run(Duration.ofSeconds(5));
        assertTrue(bench.deviceEvents.contains(new LinkOutput.StateChanged(LinkState.HANDSHAKING, LinkState.UP,
                "HelloAck from the Guardian (boot g-boot)")), bench.deviceEvents.toString());
        assertTrue(bench.deviceReceived.stream().anyMatch(Envelope::hasTimeWitness), "the Guardian beats");

        bench.deviceRunning = false; // the agent's loop hangs: no ticks, so no heartbeats
        bench.run(Duration.ofSeconds(9));
        assertEquals(List.of(), bench.line.events(), "not within the 10 s grace");
        bench.run(Duration.ofSeconds(2));
        assertEquals(List.of("15000ms reset asserted", "15200ms reset released"), bench.line.events());

        bench.bootDevice("boot-2");
        bench.run(Duration.ofSeconds(2));
        List<ResetWitness> witnesses = bench.deviceReceived.stream().filter(Envelope::hasResetWitness)
                .map(Envelope::getResetWitness).toList();
        assertEquals(1, witnesses.size(), bench.deviceReceived.toString());
        assertTrue(witnesses.get(0).getGuardianResetDevice());
        assertEquals(10, witnesses.get(0).getMissedHeartbeats());
        assertEquals(List.of(), bench.runtime.guardian().pendingWitnesses(), "reported: heartbeats came after it");
        assertEquals(0, GuardianState.load(bench.guardianFolder).pendingWitnesses().size(), "and forgotten on disk");

        List<String> codes = bench.log().stream().map(l -> l.replaceAll(".*\"code\":\"([A-Z_]+)\".*", "$1")).toList();
        assertEquals(List.of("GUARDIAN_STARTED", "LINK_UP", "LINK_DOWN", "DEVICE_RESET", "DEVICE_RESTARTED", "LINK_UP",
                "WITNESS_REPORTED"), codes);
    }

    @Test
    void aDeniedInstallIsAnsweredOverTheLinkAndLoggedWithItsRule() throws Exception {
        Bench bench = new Bench(true);
        bench.bootDevice("boot-1");
        bench.run(Duration.ofSeconds(2));

        bench.fromDevice(bench.device.request(Envelope.newBuilder().setCommandRequest(CommandRequest.newBuilder()
                .setId("install-1").setKind(CommandKind.COMMAND_KIND_INSTALL).setRisk(Risk.RISK_HIGH)
                .putParameters("bundle", "2.3.1")), bench.now));

        LinkOutput.RequestAnswered answered = bench.deviceEvents.stream()
                .filter(LinkOutput.RequestAnswered.class::isInstance).map(LinkOutput.RequestAnswered.class::cast)
                .findFirst().orElseThrow();
        CommandDecision decision = answered.answer().getCommandDecision();
        assertEquals("install-1", answered.id());
        assertFalse(decision.getApprove());
        assertEquals(DecisionReason.DECISION_REASON_KNOWN_BAD_PATTERN, decision.getReason());
        assertEquals("deny-pattern:bad-bundle", decision.getRule());

        String logged = bench.log().stream().filter(l -> l.contains("COMMAND_DENIED")).findFirst().orElseThrow();
        assertTrue(logged.contains("\"rule\":\"deny-pattern:bad-bundle\"")
                && logged.contains("\"reason\":\"DECISION_REASON_KNOWN_BAD_PATTERN\"")
                && logged.contains("\"request_id\":\"install-1\""), logged);
        assertTrue(ReplayFloor.load(bench.guardianFolder).value() > 0,
                "the device's counter was recorded before the request was acted on");
    }

    @Test
    void aDeviceThatKeepsBeatingIsNeverReset() throws Exception {
        Bench bench = new Bench(true);
        bench.bootDevice("boot-1");
        bench.run(Duration.ofMinutes(10));
        assertEquals(List.of(), bench.line.events());
        assertEquals(List.of("GUARDIAN_STARTED", "LINK_UP"), bench.log().stream()
                .map(l -> l.replaceAll(".*\"code\":\"([A-Z_]+)\".*", "$1")).toList());
    }
}
