package io.waveos.agent.supervision;

import io.waveos.agent.config.ReadinessConfig;
import io.waveos.agent.config.RestartConfig;
import io.waveos.agent.config.ServiceConfig;
import io.waveos.agent.platform.ExitStatus;
import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.platform.Signal;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The lifecycle of one service as an explicit state machine.
 *
 * <p>{@link #step} takes an input and the monotonic time and returns the commands to perform; it does
 * no I/O. Every state answers every input (a {@code switch} without {@code default}, so a new state
 * breaks the build). Timers and probes carry a token; an input whose token is stale (armed for an
 * earlier state or process) is ignored, because cancelling a timer can race with it firing.
 *
 * <p>Confined to the agent's loop thread.
 */
public final class ServiceMachine {
    /** The first step of backoff when {@code initial} is zero (the first restart is immediate). */
    static final Duration ZERO_INITIAL_STEP = Duration.ofMillis(100);

    private final ServiceConfig config;
    private final DoubleSupplier random;
    private final RestartGate gate;
    private ServiceState state = ServiceState.STOPPED;
    private long generation;
    private long launches;
    private Optional<ProcessIdentity> process = Optional.empty();
    private long startedNanos;
    private int restartsSinceStable;
    private final ArrayDeque<Long> exitTimes = new ArrayDeque<>();
    private boolean stopDisables;
    private boolean restartAfterStop;
    private boolean relaunchAfterStop;
    private String stopReason = "";

    /**
     * @param random uniform samples in [0, 1) for backoff jitter (seeded in tests)
     */
    public ServiceMachine(ServiceConfig config, DoubleSupplier random) {
        this(config, random, RestartGate.OPEN);
    }

    /** @param gate asked before each restart; may hold it back (policy rate limits) */
    public ServiceMachine(ServiceConfig config, DoubleSupplier random, RestartGate gate) {
        this.config = config;
        this.random = random;
        this.gate = gate;
    }

    public ServiceConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public ServiceState state() {
        return state;
    }

    public Optional<ProcessIdentity> process() {
        return process;
    }

    /** How many times a process was launched for this service; the current one's number. */
    public long launches() {
        return launches;
    }

    /** Restarts since the service last ran for the backoff reset period. */
    public int restartsSinceStable() {
        return restartsSinceStable;
    }

    /** Performs one transition. */
    public List<ServiceCommand> step(ServiceInput input, long nowNanos) {
        List<ServiceCommand> out = new ArrayList<>();
        if (input instanceof ServiceInput.Start s) {
            onStart(s, out);
        } else if (input instanceof ServiceInput.Launched l) {
            onLaunched(l, nowNanos, out);
        } else if (input instanceof ServiceInput.LaunchFailed f) {
            onLaunchFailed(f, nowNanos, out);
        } else if (input instanceof ServiceInput.Exited e) {
            onExited(e, nowNanos, out);
        } else if (input instanceof ServiceInput.ProbeDone p) {
            onProbe(p, out);
        } else if (input instanceof ServiceInput.TimerFired t) {
            onTimer(t, nowNanos, out);
        } else if (input instanceof ServiceInput.Stop s) {
            onStop(s, out);
        } else if (input instanceof ServiceInput.Enable en) {
            onEnable(en, out);
        }
        return out;
    }

    private void onStart(ServiceInput.Start s, List<ServiceCommand> out) {
        switch (state) {
            case STOPPED -> launch(s.reason(), out);
            case DISABLED, STARTING, RUNNING, BACKOFF -> { }
            case STOPPING -> {
                // Start again once the old process is gone.
                relaunchAfterStop = true;
                stopDisables = false;
            }
        }
    }

    private void launch(String reason, List<ServiceCommand> out) {
        enter(ServiceState.STARTING);
        launches++;
        out.add(emit(EventCode.SERVICE_STARTING, reason, "command", String.join(" ", config.command()),
                "attempt", restartsSinceStable + 1));
        out.add(new ServiceCommand.Launch());
    }

    private void onLaunched(ServiceInput.Launched l, long now, List<ServiceCommand> out) {
        switch (state) {
            case STARTING -> {
                process = Optional.of(l.identity());
                startedNanos = now;
                out.add(new ServiceCommand.ArmTimer(TimerKind.STABLE, config.restart().backoff().resetAfter(), launches));
                ReadinessConfig ready = config.ready();
                switch (ready.kind()) {
                    case STARTED -> becomeReady("process started", out);
                    case EXEC, TCP, HTTP -> {
                        out.add(new ServiceCommand.ArmTimer(TimerKind.READY_DEADLINE, ready.timeout(), generation));
                        out.add(new ServiceCommand.Probe(generation));
                    }
                }
            }
            case STOPPED, RUNNING, BACKOFF, STOPPING, DISABLED ->
                    throw new IllegalStateException(name() + ": launched while " + state);
        }
    }

    private void onLaunchFailed(ServiceInput.LaunchFailed f, long now, List<ServiceCommand> out) {
        switch (state) {
            case STARTING -> {
                out.add(emit(EventCode.SERVICE_START_FAILED, "the OS refused to start the command: " + f.error(),
                        "error", f.error()));
                afterFailure("failed to start: " + f.error(), now, out);
            }
            case STOPPED, RUNNING, BACKOFF, STOPPING, DISABLED ->
                    throw new IllegalStateException(name() + ": launch failed while " + state);
        }
    }

    private void onExited(ServiceInput.Exited e, long now, List<ServiceCommand> out) {
        if (process.isEmpty() || e.launch() != launches) {
            return; // an exit of an earlier process, already handled
        }
        long pgid = process.get().pgid();
        double ranSeconds = (now - startedNanos) / 1e9;
        process = Optional.empty();
        switch (state) {
            case STARTING, RUNNING -> {
                String what = "exited with " + e.status();
                out.add(emitExit(e.status(), what + " while " + state.name().toLowerCase(java.util.Locale.ROOT), ranSeconds));
                // Its descendants share its process group: stop them with it (no strays holding ports).
                out.add(new ServiceCommand.SignalGroup(pgid, Signal.KILL));
                RestartConfig.Policy policy = config.restart().policy();
                boolean restart = switch (policy) {
                    case ALWAYS -> true;
                    case ON_FAILURE -> !e.status().success();
                    case NEVER -> false;
                };
                if (restart) {
                    afterFailure(what, now, out);
                } else {
                    enter(ServiceState.STOPPED);
                    out.add(emit(EventCode.SERVICE_STOPPED, what + "; restart policy " + policy.name().toLowerCase(
                            java.util.Locale.ROOT) + " does not restart it"));
                    out.add(new ServiceCommand.Finished());
                }
            }
            case STOPPING -> {
                out.add(emitExit(e.status(), "exited after stop request (" + stopReason + ")", ranSeconds));
                out.add(new ServiceCommand.SignalGroup(pgid, Signal.KILL));
                if (restartAfterStop) {
                    restartAfterStop = false;
                    afterFailure("was stopped: " + stopReason, now, out);
                } else if (relaunchAfterStop) {
                    relaunchAfterStop = false;
                    launch("start requested while stopping", out);
                } else {
                    enter(stopDisables ? ServiceState.DISABLED : ServiceState.STOPPED);
                    out.add(emit(EventCode.SERVICE_STOPPED, stopReason));
                }
            }
            case STOPPED, BACKOFF, DISABLED ->
                    throw new IllegalStateException(name() + ": process exited while " + state);
        }
    }

    /** Counts an exit against the intensity and either schedules a restart or escalates. */
    private void afterFailure(String why, long now, List<ServiceCommand> out) {
        RestartConfig.Intensity intensity = config.restart().intensity();
        exitTimes.addLast(now);
        long windowStart = now - intensity.within().toNanos();
        while (!exitTimes.isEmpty() && exitTimes.peekFirst() <= windowStart) {
            exitTimes.removeFirst();
        }
        if (exitTimes.size() > intensity.max()) {
            String reason = exitTimes.size() + " exits within " + DurationText.of(intensity.within())
                    + " exceed the intensity limit of " + intensity.max() + " (last: " + why + ")";
            enter(ServiceState.DISABLED);
            out.add(emit(EventCode.INTENSITY_EXCEEDED, reason, "exits", exitTimes.size(), "max", intensity.max(),
                    "within_ms", intensity.within().toMillis(), "essential", config.essential()));
            out.add(new ServiceCommand.Escalate(reason));
            return;
        }
        restartsSinceStable++;
        Duration backoff = backoff(restartsSinceStable);
        Duration delay = gate.delay(name(), now, backoff);
        String held = delay.compareTo(backoff) > 0 ? " (held back by a policy restart limit)" : "";
        // backoff_ms is the ladder's own delay: policy replay asks the restart limits with it again.
        out.add(emit(EventCode.RESTART_SCHEDULED, why + held, "delay_ms", delay.toMillis(), "attempt",
                restartsSinceStable, "exits_in_window", exitTimes.size(), "backoff_ms", backoff.toMillis()));
        if (delay.isZero()) {
            launch("restart after " + why, out);
        } else {
            enter(ServiceState.BACKOFF);
            out.add(new ServiceCommand.ArmTimer(TimerKind.RESTART, delay, generation));
        }
    }

    /** Delay before restart {@code n} (1-based): exponential, capped, with jitter added. */
    Duration backoff(int n) {
        RestartConfig.Backoff b = config.restart().backoff();
        double baseNanos;
        if (b.initial().isZero()) {
            if (n == 1) {
                return Duration.ZERO;
            }
            baseNanos = ZERO_INITIAL_STEP.toNanos() * Math.pow(b.factor(), n - 2);
        } else {
            baseNanos = b.initial().toNanos() * Math.pow(b.factor(), n - 1);
        }
        double capped = Math.min(baseNanos, b.max().toNanos());
        double jittered = capped * (1.0 + b.jitter() * random.getAsDouble());
        return Duration.ofNanos((long) Math.min(jittered, Long.MAX_VALUE / 2.0));
    }

    private void onProbe(ServiceInput.ProbeDone p, List<ServiceCommand> out) {
        if (p.token() != generation) {
            return;
        }
        switch (state) {
            case STARTING -> {
                if (p.ready()) {
                    becomeReady("readiness probe succeeded: " + p.detail(), out);
                } else {
                    out.add(new ServiceCommand.ArmTimer(TimerKind.PROBE, config.ready().interval(), generation));
                }
            }
            case STOPPED, RUNNING, BACKOFF, STOPPING, DISABLED -> { }
        }
    }

    private void becomeReady(String reason, List<ServiceCommand> out) {
        enter(ServiceState.RUNNING);
        out.add(emit(EventCode.SERVICE_READY, reason, "pid", process.orElseThrow().pid()));
    }

    private void onTimer(ServiceInput.TimerFired t, long now, List<ServiceCommand> out) {
        if (t.kind() == TimerKind.STABLE) {
            onStable(t.token(), out);
            return;
        }
        if (t.token() != generation) {
            return;
        }
        switch (t.kind()) {
            case RESTART -> {
                if (state == ServiceState.BACKOFF) {
                    launch("backoff elapsed", out);
                }
            }
            case PROBE -> {
                if (state == ServiceState.STARTING) {
                    out.add(new ServiceCommand.Probe(generation));
                }
            }
            case READY_DEADLINE -> {
                if (state == ServiceState.STARTING) {
                    String why = "not ready within " + DurationText.of(config.ready().timeout());
                    out.add(emit(EventCode.SERVICE_NOT_READY, why));
                    restartAfterStop = true;
                    beginStop(why, false, out);
                }
            }
            case KILL -> {
                if (state == ServiceState.STOPPING && process.isPresent()) {
                    out.add(emit(EventCode.SERVICE_KILLED, "did not exit within " + DurationText.of(
                            config.stop().timeout()) + " of " + config.stop().signal().name()));
                    out.add(new ServiceCommand.SignalGroup(process.get().pgid(), Signal.KILL));
                }
            }
            case STABLE -> throw new AssertionError("handled above");
        }
    }

    private void onStable(long token, List<ServiceCommand> out) {
        boolean sameProcess = token == launches && process.isPresent();
        if (!sameProcess) {
            return;
        }
        switch (state) {
            case STARTING, RUNNING -> {
                if (restartsSinceStable > 0) {
                    out.add(emit(EventCode.BACKOFF_RESET, "ran for " + DurationText.of(
                            config.restart().backoff().resetAfter()) + " without exiting", "previous_restarts",
                            restartsSinceStable));
                    restartsSinceStable = 0;
                }
            }
            case STOPPED, BACKOFF, STOPPING, DISABLED -> { }
        }
    }

    private void onStop(ServiceInput.Stop s, List<ServiceCommand> out) {
        switch (state) {
            case STARTING, RUNNING -> {
                restartAfterStop = false;
                relaunchAfterStop = false;
                beginStop(s.reason(), s.disable(), out);
            }
            case STOPPING -> {
                restartAfterStop = false;
                relaunchAfterStop = false;
                stopDisables = stopDisables || s.disable();
            }
            case BACKOFF -> {
                enter(s.disable() ? ServiceState.DISABLED : ServiceState.STOPPED);
                out.add(emit(EventCode.SERVICE_STOPPED, s.reason() + " (restart cancelled)"));
            }
            case STOPPED -> {
                if (s.disable()) {
                    enter(ServiceState.DISABLED);
                    out.add(emit(EventCode.SERVICE_DISABLED, s.reason()));
                }
            }
            case DISABLED -> { }
        }
    }

    private void beginStop(String reason, boolean disable, List<ServiceCommand> out) {
        ProcessIdentity p = process.orElseThrow();
        enter(ServiceState.STOPPING);
        stopDisables = disable;
        stopReason = reason;
        out.add(emit(EventCode.SERVICE_STOPPING, reason, "signal", config.stop().signal().name(), "timeout_ms",
                config.stop().timeout().toMillis()));
        out.add(new ServiceCommand.SignalGroup(p.pgid(), config.stop().signal()));
        out.add(new ServiceCommand.ArmTimer(TimerKind.KILL, config.stop().timeout(), generation));
    }

    private void onEnable(ServiceInput.Enable en, List<ServiceCommand> out) {
        switch (state) {
            case DISABLED -> {
                enter(ServiceState.STOPPED);
                exitTimes.clear();
                restartsSinceStable = 0;
                out.add(emit(EventCode.SERVICE_STOPPED, "enabled again: " + en.reason()));
            }
            case STOPPED, STARTING, RUNNING, BACKOFF, STOPPING -> {
                exitTimes.clear();
            }
        }
    }

    private void enter(ServiceState next) {
        state = next;
        generation++;
    }

    private ServiceCommand emit(EventCode code, String reason, Object... fields) {
        Object[] all = new Object[fields.length + 2];
        all[0] = "state";
        all[1] = state.name();
        System.arraycopy(fields, 0, all, 2, fields.length);
        return new ServiceCommand.Emit(Event.of(code, name(), reason, all));
    }

    private ServiceCommand emitExit(ExitStatus status, String reason, double ranSeconds) {
        Object[] f = status.code().isPresent()
                ? new Object[] {"exit_code", status.code().get(), "ran_s", ranSeconds}
                : new Object[] {"signal", status.signal().orElseThrow().name(), "ran_s", ranSeconds};
        return emit(EventCode.SERVICE_EXITED, reason, f);
    }
}
