package io.waveos.agent.watchdog;

import io.waveos.agent.watchdog.RunLedger.LastRun;
import io.waveos.agent.watchdog.RunLedger.Previous;
import io.waveos.agent.watchdog.RunLedger.RebootIntent;
import io.waveos.agent.watchdog.RunLedger.StateFile;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells how the previous run ended from what it left in the {@link RunLedger}, the current boot id
 * and the watchdog driver's boot status. A pure function; safe from any thread.
 *
 * <p>Rules, first match wins:
 * <ol>
 *   <li>{@code last_run.json} unreadable: UNKNOWN;
 *   <li>no previous run: FIRST_START;
 *   <li>{@code clean_shutdown.json} unreadable: UNKNOWN; a clean marker for the previous run:
 *       CLEAN_SHUTDOWN;
 *   <li>same boot id: AGENT_CRASH (also when a reboot intent was recorded: the reboot never happened);
 *   <li>boot id changed: {@code reboot_intent.json} unreadable: UNKNOWN; an intent by the previous
 *       run in its boot: PLANNED_REBOOT; otherwise boot status with {@link #WDIOF_CARDRESET}:
 *       WATCHDOG_RESET; boot status without it: POWER_LOSS; no boot status: UNKNOWN.
 * </ol>
 */
public final class ResetClassifier {

    /** Watchdog boot status bit: the last reboot was caused by the watchdog. */
    public static final int WDIOF_CARDRESET = 0x20;

    /** A reason and a sentence for the operator saying what it rests on. */
    public record Classification(ResetReason reason, String detail) {
        public Classification {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            if (detail.isBlank()) {
                throw new IllegalArgumentException("detail must not be blank");
            }
        }
    }

    private ResetClassifier() {
    }

    public static Classification classify(Previous previous, String currentBootId,
            Optional<Integer> watchdogBootStatus) {
        Objects.requireNonNull(currentBootId, "currentBootId");
        Objects.requireNonNull(watchdogBootStatus, "watchdogBootStatus");
        String unreadableLastRun = previous.unreadable().get(StateFile.LAST_RUN);
        if (unreadableLastRun != null) {
            return new Classification(ResetReason.UNKNOWN, unreadableLastRun);
        }
        if (previous.lastRun().isEmpty()) {
            return new Classification(ResetReason.FIRST_START, "no previous run is recorded");
        }
        LastRun last = previous.lastRun().get();
        String run = "run " + last.runId();
        String unreadableClean = previous.unreadable().get(StateFile.CLEAN_SHUTDOWN);
        if (unreadableClean != null) {
            return new Classification(ResetReason.UNKNOWN,
                    "cannot tell whether " + run + " shut down cleanly: " + unreadableClean);
        }
        Optional<RebootIntent> intent = previous.rebootIntent()
                .filter(i -> i.runId().equals(last.runId()) && i.bootId().equals(last.bootId()));
        // A controlled reboot stops the agent with SIGTERM (systemctl reboot), so it shuts down cleanly
        // too: the intent plus a new boot id is the more specific answer, checked first.
        if (intent.isPresent() && !last.bootId().equals(currentBootId)
                && !previous.unreadable().containsKey(StateFile.REBOOT_INTENT)) {
            return new Classification(ResetReason.PLANNED_REBOOT,
                    run + " requested a reboot at " + intent.get().time() + ": " + intent.get().reason());
        }
        if (previous.cleanShutdown().filter(c -> c.runId().equals(last.runId())).isPresent()) {
            return new Classification(ResetReason.CLEAN_SHUTDOWN, run + " shut down cleanly at "
                    + previous.cleanShutdown().get().time());
        }
        if (last.bootId().equals(currentBootId)) {
            return new Classification(ResetReason.AGENT_CRASH, run + " ended without a clean shutdown and the"
                    + " device did not reboot" + intent.map(i -> "; it recorded a reboot intent (" + i.reason()
                            + ") but the reboot was never executed").orElse(""));
        }
        String rebooted = "the device rebooted (boot id " + last.bootId() + " -> " + currentBootId + ")";
        String unreadableIntent = previous.unreadable().get(StateFile.REBOOT_INTENT);
        if (unreadableIntent != null) {
            return new Classification(ResetReason.UNKNOWN, rebooted
                    + " and whether it was planned cannot be told: " + unreadableIntent);
        }
        if (intent.isPresent()) {
            return new Classification(ResetReason.PLANNED_REBOOT,
                    run + " requested a reboot at " + intent.get().time() + ": " + intent.get().reason());
        }
        if (watchdogBootStatus.isEmpty()) {
            return new Classification(ResetReason.UNKNOWN, "rebooted without intent; no watchdog boot status"
                    + " to tell a watchdog reset from power loss; " + rebooted + " during " + run);
        }
        int status = watchdogBootStatus.get();
        String bits = String.format("watchdog boot status 0x%x", status);
        if ((status & WDIOF_CARDRESET) != 0) {
            return new Classification(ResetReason.WATCHDOG_RESET, "the watchdog reset the device: " + bits
                    + " has WDIOF_CARDRESET; " + rebooted + " during " + run + " without a reboot intent");
        }
        return new Classification(ResetReason.POWER_LOSS, "power loss or kernel crash: " + rebooted
                + " during " + run + " without a reboot intent, and " + bits + " lacks WDIOF_CARDRESET");
    }
}
