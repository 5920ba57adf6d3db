package io.waveos.agent.mode;

import io.waveos.agent.telemetry.Event;
import java.time.Duration;

/** What the agent must do for a mode transition, in the order returned. */
public sealed interface ModeCommand {
    record Emit(Event event) implements ModeCommand {
    }

    record ArmTimer(ModeTimer timer, Duration delay, long token) implements ModeCommand {
    }

    /** Enter (true) or leave (false) SAFE: the supervisor stops or restarts non-safe services. */
    record SetSafe(boolean safe) implements ModeCommand {
    }

    /** Take one disabled service back with a fresh restart history. */
    record Enable(String service, String reason) implements ModeCommand {
    }

    /** Take every disabled service back. */
    record EnableAll(String reason) implements ModeCommand {
    }

    /**
     * Leaving SAFE needs the Guardian's approval: ask, and answer with {@link ModeInput.ExitDecision}.
     * The mode stays SAFE meanwhile.
     */
    record AskExitApproval(String reason) implements ModeCommand {
    }

    /** Controlled reboot: record and fsync the intent, then ask the reboot port. */
    record Reboot(String reason) implements ModeCommand {
    }
}
