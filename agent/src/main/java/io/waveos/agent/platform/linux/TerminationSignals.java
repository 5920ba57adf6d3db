package io.waveos.agent.platform.linux;

/**
 * SIGTERM and SIGINT, as the JVM delivers them: through a shutdown hook. The action runs on the
 * hook's thread and decides the exit status itself with {@link Runtime#halt}, because a JVM that
 * exits after a signal would otherwise report 128 + signal (143 for SIGTERM).
 */
public final class TerminationSignals {
    private TerminationSignals() {
    }

    /** Runs {@code action} once when the JVM is asked to terminate. */
    public static void onTerminate(Runnable action) {
        Runtime.getRuntime().addShutdownHook(new Thread(action, "waveos-shutdown"));
    }

    /** Ends the JVM at once with {@code status}; valid inside the termination action. */
    public static void halt(int status) {
        Runtime.getRuntime().halt(status);
    }
}
