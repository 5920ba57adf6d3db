package io.waveos.companion.guardian;

import io.waveos.companion.proto.CommandDecision;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.ResetWitness;
import java.time.Duration;
import java.util.List;

/**
 * What the {@link Guardian} core asks its executor to do. The executor performs a list of actions in
 * order: the order carries the safety orderings (log and persist before pulsing, log before
 * answering).
 */
public sealed interface GuardianAction {

    /**
     * Send a message to the device, fire-and-forget. {@code message} has only its body set; the link
     * fills in sender, seq and ack.
     */
    record Send(Envelope message) implements GuardianAction {
    }

    /** Answer a delivered CommandRequest with {@code decision}. */
    record Reply(CommandDecision decision) implements GuardianAction {
    }

    /** Pulse the reset line for {@code width}. */
    record PulseReset(Duration width) implements GuardianAction {
    }

    /** Drive the safe-mode line. */
    record SetSafeModeLine(boolean asserted) implements GuardianAction {
    }

    /** Write a record to the Guardian's log (fsynced when it is durable). */
    record Record(GuardianEvent event) implements GuardianAction {
    }

    /** Persist the witnesses not yet reported (replacing what was stored), durably. */
    record SaveWitnesses(List<ResetWitness> pending) implements GuardianAction {
        public SaveWitnesses {
            pending = List.copyOf(pending);
        }
    }
}
