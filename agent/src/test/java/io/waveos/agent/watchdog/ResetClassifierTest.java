package io.waveos.agent.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.watchdog.ResetClassifier.Classification;
import io.waveos.agent.watchdog.RunLedger.CleanShutdown;
import io.waveos.agent.watchdog.RunLedger.LastRun;
import io.waveos.agent.watchdog.RunLedger.Previous;
import io.waveos.agent.watchdog.RunLedger.RebootIntent;
import io.waveos.agent.watchdog.RunLedger.StateFile;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResetClassifierTest {

    private static final Instant STARTED = Instant.parse("2026-11-22T05:00:00Z");
    private static final Instant LATER = Instant.parse("2026-11-22T06:00:00Z");
    private static final String RUN = "20261122T050000Z-7";
    private static final String OLD_BOOT = "boot-a";
    private static final String NEW_BOOT = "boot-b";
    private static final LastRun LAST = new LastRun(RUN, OLD_BOOT, STARTED);
    private static final Optional<Integer> NO_STATUS = Optional.empty();

    @Test
    void noPreviousRunIsAFirstStart() {
        Classification c = ResetClassifier.classify(Previous.none(), NEW_BOOT, NO_STATUS);

        assertEquals(ResetReason.FIRST_START, c.reason());
    }

    @Test
    void aCleanMarkerForThePreviousRunIsACleanShutdown() {
        Previous p = previous(Optional.of(new CleanShutdown(RUN, LATER)), Optional.empty());

        Classification c = ResetClassifier.classify(p, OLD_BOOT, NO_STATUS);

        assertEquals(new Classification(ResetReason.CLEAN_SHUTDOWN,
                "run " + RUN + " shut down cleanly at 2026-11-22T06:00:00Z"), c);
    }

    @Test
    void aCleanShutdownFollowedByAnyRebootIsStillACleanShutdown() {
        Previous p = previous(Optional.of(new CleanShutdown(RUN, LATER)), Optional.empty());

        assertEquals(ResetReason.CLEAN_SHUTDOWN,
                ResetClassifier.classify(p, NEW_BOOT, Optional.of(ResetClassifier.WDIOF_CARDRESET)).reason());
    }

    @Test
    void aCleanMarkerLeftByAnOlderRunDoesNotCount() {
        Previous p = previous(Optional.of(new CleanShutdown("20261121T000000Z-6", LATER)), Optional.empty());

        assertEquals(ResetReason.AGENT_CRASH, ResetClassifier.classify(p, OLD_BOOT, NO_STATUS).reason());
    }

    @Test
    void aNewBootAfterTheRunRecordedItsRebootIntentIsAPlannedReboot() {
        Previous p = previous(Optional.empty(), Optional.of(new RebootIntent(RUN, OLD_BOOT, "safe mode did not help",
                LATER)));

        Classification c = ResetClassifier.classify(p, NEW_BOOT, Optional.of(0));

        assertEquals(new Classification(ResetReason.PLANNED_REBOOT,
                "run " + RUN + " requested a reboot at 2026-11-22T06:00:00Z: safe mode did not help"), c);
    }

    @Test
    void aControlledRebootThatAlsoShutDownCleanlyIsAPlannedReboot() {
        // systemctl reboot stops the agent with SIGTERM, so it writes its clean marker as well.
        Previous p = previous(Optional.of(new CleanShutdown(RUN, LATER)),
                Optional.of(new RebootIntent(RUN, OLD_BOOT, "essential service kept failing", LATER)));

        assertEquals(ResetReason.PLANNED_REBOOT, ResetClassifier.classify(p, NEW_BOOT, Optional.of(0)).reason());
    }

    @Test
    void anUnexecutedRebootIntentFollowedByACleanShutdownIsACleanShutdown() {
        Previous p = previous(Optional.of(new CleanShutdown(RUN, LATER)),
                Optional.of(new RebootIntent(RUN, OLD_BOOT, "reboot disabled", LATER)));

        assertEquals(ResetReason.CLEAN_SHUTDOWN, ResetClassifier.classify(p, OLD_BOOT, NO_STATUS).reason());
    }

    @Test
    void anIntentRecordedByAnotherRunIsNotThisRebootsIntent() {
        Previous p = previous(Optional.empty(), Optional.of(new RebootIntent("20261121T000000Z-6", OLD_BOOT, "old",
                LATER)));

        assertEquals(ResetReason.POWER_LOSS, ResetClassifier.classify(p, NEW_BOOT, Optional.of(0)).reason());
    }

    @Test
    void anIntentRecordedInAnotherBootIsNotThisRebootsIntent() {
        Previous p = previous(Optional.empty(), Optional.of(new RebootIntent(RUN, "boot-z", "old", LATER)));

        assertEquals(ResetReason.POWER_LOSS, ResetClassifier.classify(p, NEW_BOOT, Optional.of(0)).reason());
    }

    @Test
    void anUnplannedRebootWithTheCardResetBitIsAWatchdogReset() {
        Classification c = ResetClassifier.classify(previous(Optional.empty(), Optional.empty()), NEW_BOOT,
                Optional.of(0x20));

        assertEquals(ResetReason.WATCHDOG_RESET, c.reason());
        assertTrue(c.detail().contains("watchdog boot status 0x20 has WDIOF_CARDRESET"), c.detail());
        assertTrue(c.detail().contains("boot id " + OLD_BOOT + " -> " + NEW_BOOT), c.detail());
    }

    @Test
    void theCardResetBitCountsAmongOtherBits() {
        Classification c = ResetClassifier.classify(previous(Optional.empty(), Optional.empty()), NEW_BOOT,
                Optional.of(0x21));

        assertEquals(ResetReason.WATCHDOG_RESET, c.reason());
    }

    @Test
    void anUnplannedRebootWithoutTheCardResetBitIsPowerLossOrKernelCrash() {
        Classification c = ResetClassifier.classify(previous(Optional.empty(), Optional.empty()), NEW_BOOT,
                Optional.of(0x01));

        assertEquals(ResetReason.POWER_LOSS, c.reason());
        assertTrue(c.detail().startsWith("power loss or kernel crash: "), c.detail());
        assertTrue(c.detail().contains("watchdog boot status 0x1 lacks WDIOF_CARDRESET"), c.detail());
    }

    @Test
    void anUnplannedRebootWithoutBootStatusCannotBeTold() {
        Classification c = ResetClassifier.classify(previous(Optional.empty(), Optional.empty()), NEW_BOOT,
                NO_STATUS);

        assertEquals(ResetReason.UNKNOWN, c.reason());
        assertTrue(c.detail().startsWith("rebooted without intent; no watchdog boot status to tell a watchdog reset"
                + " from power loss"), c.detail());
    }

    @Test
    void theSameBootWithoutACleanMarkerIsAnAgentCrash() {
        Classification c = ResetClassifier.classify(previous(Optional.empty(), Optional.empty()), OLD_BOOT,
                NO_STATUS);

        assertEquals(new Classification(ResetReason.AGENT_CRASH,
                "run " + RUN + " ended without a clean shutdown and the device did not reboot"), c);
    }

    @Test
    void theSameBootIsAnAgentCrashWhateverTheWatchdogBootStatusSays() {
        Classification c = ResetClassifier.classify(previous(Optional.empty(), Optional.empty()), OLD_BOOT,
                Optional.of(ResetClassifier.WDIOF_CARDRESET));

        assertEquals(ResetReason.AGENT_CRASH, c.reason());
    }

    @Test
    void anIntentWithoutARebootIsAnAgentCrashThatMentionsTheUnexecutedReboot() {
        Previous p = previous(Optional.empty(), Optional.of(new RebootIntent(RUN, OLD_BOOT, "safe mode did not help",
                LATER)));

        Classification c = ResetClassifier.classify(p, OLD_BOOT, NO_STATUS);

        assertEquals(ResetReason.AGENT_CRASH, c.reason());
        assertTrue(c.detail().endsWith("it recorded a reboot intent (safe mode did not help) but the reboot was"
                + " never executed"), c.detail());
    }

    @Test
    void anUnreadableLastRunFileIsUnknownAndNamesTheFile() {
        Previous p = new Previous(Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(StateFile.LAST_RUN, "/state/last_run.json is not JSON: unexpected end of input at offset 3"));

        assertEquals(new Classification(ResetReason.UNKNOWN,
                "/state/last_run.json is not JSON: unexpected end of input at offset 3"),
                ResetClassifier.classify(p, NEW_BOOT, Optional.of(0)));
    }

    @Test
    void anUnreadableCleanMarkerIsUnknownBecauseTheShutdownMayHaveBeenClean() {
        Previous p = new Previous(Optional.of(LAST), Optional.empty(), Optional.empty(),
                Map.of(StateFile.CLEAN_SHUTDOWN, "/state/clean_shutdown.json is invalid: missing key \"time\""));

        Classification c = ResetClassifier.classify(p, OLD_BOOT, NO_STATUS);

        assertEquals(new Classification(ResetReason.UNKNOWN, "cannot tell whether run " + RUN
                + " shut down cleanly: /state/clean_shutdown.json is invalid: missing key \"time\""), c);
    }

    @Test
    void anUnreadableIntentAfterARebootIsUnknown() {
        Previous p = new Previous(Optional.of(LAST), Optional.empty(), Optional.empty(),
                Map.of(StateFile.REBOOT_INTENT, "/state/reboot_intent.json is not JSON: x at offset 0"));

        Classification c = ResetClassifier.classify(p, NEW_BOOT, Optional.of(ResetClassifier.WDIOF_CARDRESET));

        assertEquals(ResetReason.UNKNOWN, c.reason());
        assertTrue(c.detail().endsWith("/state/reboot_intent.json is not JSON: x at offset 0"), c.detail());
    }

    @Test
    void anUnreadableIntentDoesNotMatterWhenTheDeviceDidNotReboot() {
        Previous p = new Previous(Optional.of(LAST), Optional.empty(), Optional.empty(),
                Map.of(StateFile.REBOOT_INTENT, "/state/reboot_intent.json is not JSON: x at offset 0"));

        assertEquals(ResetReason.AGENT_CRASH, ResetClassifier.classify(p, OLD_BOOT, NO_STATUS).reason());
    }

    private static Previous previous(Optional<CleanShutdown> clean, Optional<RebootIntent> intent) {
        return new Previous(Optional.of(LAST), clean, intent, Map.of());
    }
}
