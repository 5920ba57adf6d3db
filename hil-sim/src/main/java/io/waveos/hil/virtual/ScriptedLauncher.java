package io.waveos.hil.virtual;

import io.waveos.agent.platform.ExitStatus;
import io.waveos.agent.platform.LaunchSpec;
import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.platform.ProcessLauncher;
import io.waveos.agent.platform.Signal;
import io.waveos.agent.platform.fake.FakeProcessLauncher;
import io.waveos.agent.platform.fake.FakeTime;
import io.waveos.hil.scenario.Scenario;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fake process table with the scenario's fake services in it: every launch of a service arms its
 * {@code on_start} actions as virtual timers (for a service an update bundle brought, the actions its
 * installed program names: {@code bin/app} is a script that execs the fake service with them, read
 * from the slot as tier 2's shell would run it); a crash or an exit makes that very process exit (a timer
 * of an earlier process of the service never touches a later one). Tier 1 models what the agent can
 * see of a process: its exit, and its memory and CPU figures ({@link VirtualResources}: a leak grows
 * the resident size until the process dies of it, a spin burns a core). Hangs, floods and corrupt
 * output act on things only real processes have (pipes, a control loop), so they are tier 2 actions.
 */
final class ScriptedLauncher implements ProcessLauncher {
    private final FakeProcessLauncher table;
    private final FakeTime time;
    private final VirtualResources resources;
    private final Map<String, List<Scenario.Action>> onStart = new java.util.HashMap<>();
    private final Map<String, Long> livePid = new java.util.HashMap<>();
    private final String fakeService;
    private final Programs programs;

    /** Reads an installed program (from the device's slot storage). */
    @FunctionalInterface
    interface Programs {
        Optional<byte[]> read(java.nio.file.Path program) throws IOException;
    }

    /**
     * @param fakeService the fake service's program, as the scenario's services name it
     * @param programs where other programs (a bundle's, in its slot) are read from
     */
    ScriptedLauncher(FakeProcessLauncher table, FakeTime time, VirtualResources resources,
            Map<String, List<Scenario.Action>> onStart, String fakeService, Programs programs) {
        this.table = table;
        this.time = time;
        this.resources = resources;
        this.fakeService = fakeService;
        this.programs = programs;
        onStart.forEach((k, v) -> this.onStart.put(k, new java.util.ArrayList<>(v)));
    }

    @Override
    public RunningProcess start(LaunchSpec spec, ExitListener onExit) throws IOException {
        List<Scenario.Action> actions = spec.command().get(0).equals(fakeService)
                ? onStart.getOrDefault(spec.service(), List.of()) : installed(spec.command().get(0));
        long[] started = new long[1];
        RunningProcess p = table.start(spec, status -> {
            resources.gone(started[0]);
            onExit.exited(status);
        });
        long pid = p.identity().pid();
        started[0] = pid;
        livePid.put(spec.service(), pid);
        resources.started(spec.service(), pid, p.identity().startTicks());
        for (Scenario.Action a : actions) {
            time.schedule(a.after(), () -> act(spec.service(), pid, a));
        }
        return p;
    }

    /**
     * The actions of an installed program: its {@code exec} line names the fake service, the service's
     * name and control file, then the actions ({@code KIND:AFTER_MS:CODE:BYTES_PER_S}). A program that
     * is missing or execs something else cannot be started, as exec(2) would fail.
     */
    private List<Scenario.Action> installed(String program) throws IOException {
        byte[] script = programs.read(java.nio.file.Path.of(program))
                .orElseThrow(() -> new java.nio.file.NoSuchFileException(program));
        for (String line : new String(script, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            List<String> words = java.util.Arrays.stream(line.trim().split(" +")).map(w -> w.replace("'", "")).toList();
            if (words.size() >= 4 && words.get(0).equals("exec") && words.get(1).equals(fakeService)) {
                List<Scenario.Action> out = new java.util.ArrayList<>();
                for (String wire : words.subList(4, words.size())) {
                    out.add(action(wire, program));
                }
                return out;
            }
        }
        throw new IOException(program + ": not a fake service's script (exec format error)");
    }

    private static Scenario.Action action(String wire, String program) throws IOException {
        String[] f = wire.split(":");
        for (Scenario.ActionKind k : Scenario.ActionKind.values()) {
            if (f.length == 4 && k.wire().equals(f[0])) {
                try {
                    return new Scenario.Action(java.time.Duration.ofMillis(Long.parseLong(f[1])), k,
                            Integer.parseInt(f[2]), Long.parseLong(f[3]));
                } catch (IllegalArgumentException e) {
                    throw new IOException(program + ": malformed action " + wire, e);
                }
            }
        }
        throw new IOException(program + ": malformed action " + wire);
    }

    /** Performs a service action on the live process of {@code service}, if any (and on every later start). */
    void actNow(String service, Scenario.Action a, boolean everyStart) {
        if (everyStart) {
            onStart.computeIfAbsent(service, k -> new java.util.ArrayList<>()).add(a);
        }
        time.schedule(a.after(), () -> {
            Long pid = livePid.get(service);
            if (pid != null) {
                act(service, pid, a);
            }
        });
    }

    /** One virtual tick of the processes' figures: a leaker whose heap is full dies as its JVM would. */
    void advanceFigures(java.time.Duration d) {
        for (String service : resources.advance(d)) {
            if (table.isRunning(service)) {
                table.exit(service, ExitStatus.code(VirtualResources.OOM_EXIT));
            }
        }
    }

    private void act(String service, long pid, Scenario.Action a) {
        if (!table.isAlive(pid) || !table.isRunning(service)) {
            return;
        }
        switch (a.kind()) {
            case CRASH -> table.exit(service, ExitStatus.code(134));
            case EXIT -> table.exit(service, ExitStatus.code(a.code()));
            case LEAK -> resources.leak(pid, a.bytesPerSecond());
            case SPIN -> resources.spin(pid);
            case HANG, FLOOD, CORRUPT -> throw new IllegalStateException(a.kind().wire() + " is a tier-2 action");
        }
    }

    @Override
    public boolean signalGroup(long pgid, Signal signal) {
        return table.signalGroup(pgid, signal);
    }

    @Override
    public Optional<ProcessIdentity> identify(long pid) {
        return table.identify(pid);
    }

    @Override
    public List<ProcessIdentity> findMarked(String marker) {
        return table.findMarked(marker);
    }
}
