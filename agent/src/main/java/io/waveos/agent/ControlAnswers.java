package io.waveos.agent;

import io.waveos.agent.mode.Mode;
import io.waveos.agent.supervision.ServiceMachine;
import io.waveos.agent.supervision.Supervisor;
import io.waveos.agent.update.Updater;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The answers to control-socket requests ({@code waveos status}, {@code mode clear}, {@code update
 * rollback}), given on the loop thread so each answer is a consistent snapshot. The text protocol is
 * in docs/runbook.md: a first line {@code ok ...} or {@code error ...}, then details.
 */
final class ControlAnswers {
    private final Supervisor supervisor;
    private final Supplier<Mode> mode;
    private final BooleanSupplier shuttingDown;
    private final Consumer<String> clearMode;
    private final Supplier<Optional<Updater>> updater;

    /**
     * @param clearMode runs an operator's clear of SAFE or DEGRADED through the mode machine, given the
     *                  operator's name
     */
    ControlAnswers(Supervisor supervisor, Supplier<Mode> mode, BooleanSupplier shuttingDown,
            Consumer<String> clearMode, Supplier<Optional<Updater>> updater) {
        this.supervisor = supervisor;
        this.mode = mode;
        this.shuttingDown = shuttingDown;
        this.clearMode = clearMode;
        this.updater = updater;
    }

    String answer(String request, String operator) {
        switch (request) {
            case "status":
                return status();
            case "mode clear":
                if (shuttingDown.getAsBoolean()) {
                    return "error the agent is shutting down\n";
                }
                clearMode.accept(operator);
                return "ok mode " + mode.get() + "\n";
            case "update rollback":
                return updater.get().map(u -> u.manualRollback(operator))
                        .orElse("error updates are not configured\n");
            default:
                String shown = request.length() > 40 ? request.substring(0, 40) + "..." : request;
                return "error unknown request '" + shown + "'; known: status, mode clear, update rollback, "
                        + "evidence export\n";
        }
    }

    private String status() {
        StringBuilder b = new StringBuilder("ok\nmode " + mode.get() + "\n");
        for (ServiceMachine m : supervisor.services()) {
            b.append("service ").append(m.name()).append(' ').append(m.state())
                    .append(m.process().map(p -> " pid " + p.pid()).orElse(""))
                    .append(" restarts ").append(m.restartsSinceStable())
                    .append(m.config().essential() ? " essential" : "").append('\n');
        }
        return b.toString();
    }
}
