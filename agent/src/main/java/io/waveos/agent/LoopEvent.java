package io.waveos.agent;

import io.waveos.agent.mode.ModeTimer;
import io.waveos.agent.supervision.ServiceInput;

/** Everything the agent's loop reacts to. I/O threads and timers only create these and submit them. */
public sealed interface LoopEvent {
    /** Begin: sweep the previous generation's processes, then start the services. */
    record Start(java.util.List<io.waveos.agent.supervision.OrphanSweep.Candidate> leftovers) implements LoopEvent {
        public Start {
            leftovers = java.util.List.copyOf(leftovers);
        }
    }

    /** An input for one service (exit, probe result, timer). */
    record ForService(String service, ServiceInput input) implements LoopEvent {
    }

    record ModeTimerFired(ModeTimer timer, long token) implements LoopEvent {
    }

    /** A step of the policy's executor (a throttle's duty cycle) to run on the loop. */
    record ForPolicy(Runnable step) implements LoopEvent {
    }

    /** Time to kick the watchdogs (only a healthy loop gets here, so a stuck loop stops the kicks). */
    record WatchdogTick() implements LoopEvent {
    }

    /** Time to fsync routine events. */
    record FlushTick() implements LoopEvent {
    }

    /** Re-check orphans of the previous generation (kill those past their stop timeout). */
    record OrphanCheck() implements LoopEvent {
    }

    /** Stop everything and exit (SIGTERM, SIGINT). */
    record Shutdown(String reason) implements LoopEvent {
    }

    /** The shutdown budget is spent. */
    record ShutdownDeadline() implements LoopEvent {
    }

    /** Record an event observed outside the loop (events are written by the loop thread only). */
    record Emit(io.waveos.agent.telemetry.Event event) implements LoopEvent {
    }

    /** Bytes from the Guardian link's transport (copied off the reader thread). */
    record CompanionBytes(byte[] bytes) implements LoopEvent {
    }

    /** The Guardian link's timer, armed for monotonic time {@code dueNanos} (its lateness is the loop lag). */
    record CompanionTick(long dueNanos) implements LoopEvent {
    }

    /** The Guardian link's transport closed. */
    record CompanionClosed(String reason) implements LoopEvent {
    }

    /** Time to read the Guardian's safe-mode line (once a second, from the loop). */
    record SafeLinePoll() implements LoopEvent {
    }

    /** An operator asked for NORMAL mode. */
    record OperatorClear(String operator) implements LoopEvent {
    }

    /**
     * A request on the control socket ({@code status}, {@code mode clear}); the loop completes
     * {@code reply} with the answer text.
     */
    record Control(String request, String operator, java.util.concurrent.CompletableFuture<String> reply)
            implements LoopEvent {
    }

    /** An input for the update capability (inbox scan, worker result, trial tick). */
    record ForUpdater(io.waveos.agent.update.UpdateInput input) implements LoopEvent {
    }

    /** Time to take a telemetry sample; armed for monotonic time {@code dueNanos} (its lateness is the loop lag). */
    record SampleTick(long dueNanos) implements LoopEvent {
    }

    /** Time to hand the buffered samples to metrics.csv. */
    record MetricsWriteTick() implements LoopEvent {
    }

    /** Time for the scheduled evidence pack. */
    record EvidenceTick() implements LoopEvent {
    }

    /** A step of the local API (reading or changing agent state for a request) to run on the loop. */
    record ForApi(Runnable step) implements LoopEvent {
    }
}
