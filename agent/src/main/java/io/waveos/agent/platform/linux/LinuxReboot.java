package io.waveos.agent.platform.linux;

import io.waveos.agent.platform.Reboot;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reboots by running the configured command ({@code systemctl reboot} by default), only when
 * {@code reboot.enabled} is true. Otherwise it records the request and prints one line saying the
 * reboot was not performed.
 *
 * <p>Every request is recorded with its outcome ({@link #requests()}); a command that cannot start,
 * exits non-zero or is still running after {@value #WAIT_SECONDS} seconds is also reported to the error
 * stream. The command inherits the agent's stdout and stderr and reads /dev/null. The calling thread
 * waits for the command.
 *
 * <p>Thread-safe.
 */
public final class LinuxReboot implements Reboot {
    static final long WAIT_SECONDS = 60;

    private final boolean enabled;
    private final List<String> command;
    private final PrintStream errors;
    private final List<Request> requests = new ArrayList<>();

    /**
     * @param enabled {@code reboot.enabled} from the configuration; false only records requests
     * @param command the program and its arguments
     */
    public LinuxReboot(boolean enabled, List<String> command) {
        this(enabled, command, System.err);
    }

    LinuxReboot(boolean enabled, List<String> command, PrintStream errors) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("reboot command must not be empty");
        }
        this.enabled = enabled;
        this.command = List.copyOf(command);
        this.errors = errors;
    }

    /** What happened to a reboot request. */
    public enum Outcome {
        /** {@code reboot.enabled} is false: nothing was run. */
        NOT_ENABLED,
        /** The command exited 0; the reboot is under way. */
        COMMAND_SUCCEEDED,
        /** The command could not start, exited non-zero or did not finish in time. */
        COMMAND_FAILED
    }

    /** One reboot request; {@code detail} says why the command failed, or is empty. */
    public record Request(String reason, Outcome outcome, String detail) {
    }

    @Override
    public synchronized void reboot(String reason) {
        if (!enabled) {
            requests.add(new Request(reason, Outcome.NOT_ENABLED, ""));
            errors.println("reboot NOT performed because reboot.enabled is false (requested: " + reason + ")");
            return;
        }
        errors.println("rebooting (requested: " + reason + "): running " + command);
        Optional<String> failure = run();
        if (failure.isEmpty()) {
            requests.add(new Request(reason, Outcome.COMMAND_SUCCEEDED, ""));
        } else {
            requests.add(new Request(reason, Outcome.COMMAND_FAILED, failure.get()));
            errors.println("reboot FAILED (requested: " + reason + "): " + command + " " + failure.get());
        }
    }

    /** Every request so far, oldest first. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Runs the command; returns why it failed, or empty when it exited 0. */
    private Optional<String> run() {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            return Optional.of("could not start: " + e.getMessage());
        }
        try {
            if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                // Left running: it may still reboot, and killing it could leave a half-done shutdown.
                return Optional.of("still running after " + Duration.ofSeconds(WAIT_SECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while waiting for it");
        }
        int exit = process.exitValue();
        return exit == 0 ? Optional.empty() : Optional.of("exited with code " + exit);
    }
}
