package io.waveos.agent.platform.fake;

import io.waveos.agent.platform.ExitStatus;
import io.waveos.agent.platform.LaunchSpec;
import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.platform.ProcessLauncher;
import io.waveos.agent.platform.Signal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A process table in memory. Tests make processes exit with {@link #exit}; signals are recorded and,
 * unless a process is told to ignore them, TERM/INT/KILL make it exit at once.
 */
public final class FakeProcessLauncher implements ProcessLauncher {
    private long nextPid = 1000;
    private final Map<Long, Proc> live = new LinkedHashMap<>();
    private final List<LaunchSpec> launches = new ArrayList<>();
    private final List<String> signals = new ArrayList<>();
    private final Set<String> missingPrograms = new HashSet<>();
    private final Set<String> ignoringTerm = new HashSet<>();
    private final Map<Long, ProcessIdentity> foreign = new LinkedHashMap<>();
    private final Map<String, List<ProcessIdentity>> marked = new LinkedHashMap<>();

    @Override
    public RunningProcess start(LaunchSpec spec, ExitListener onExit) throws IOException {
        String program = spec.command().get(0);
        if (missingPrograms.contains(program)) {
            throw new IOException("Cannot run program \"" + program + "\": error=2, No such file or directory");
        }
        launches.add(spec);
        long pid = nextPid++;
        ProcessIdentity id = new ProcessIdentity(pid, pid, pid * 10);
        live.put(pid, new Proc(spec.service(), id, onExit));
        return () -> id;
    }

    @Override
    public boolean signalGroup(long pgid, Signal signal) {
        Proc p = live.get(pgid);
        ProcessIdentity f = foreign.get(pgid);
        if (p == null && f == null) {
            return false;
        }
        signals.add((p != null ? p.service : "pid" + pgid) + ":" + signal.name());
        boolean dies = signal == Signal.KILL
                || ((signal == Signal.TERM || signal == Signal.INT) && (p == null || !ignoringTerm.contains(p.service)));
        if (dies) {
            if (p != null) {
                exitProc(p, ExitStatus.signal(signal));
            } else {
                foreign.remove(pgid);
                marked.values().forEach(l -> l.removeIf(i -> i.pid() == pgid));
            }
        }
        return true;
    }

    @Override
    public Optional<ProcessIdentity> identify(long pid) {
        Proc p = live.get(pid);
        if (p != null) {
            return Optional.of(p.identity);
        }
        return Optional.ofNullable(foreign.get(pid));
    }

    @Override
    public List<ProcessIdentity> findMarked(String marker) {
        return List.copyOf(marked.getOrDefault(marker, List.of()));
    }

    /** Makes the running process of {@code service} exit. */
    public void exit(String service, ExitStatus status) {
        Proc p = live.values().stream().filter(x -> x.service.equals(service)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no live process for " + service));
        exitProc(p, status);
    }

    private void exitProc(Proc p, ExitStatus status) {
        live.remove(p.identity.pid());
        p.onExit.exited(status);
    }

    /** A process the agent did not start in this run (a previous agent's child, or a stranger). */
    public void addForeign(ProcessIdentity identity, Optional<String> marker) {
        foreign.put(identity.pid(), identity);
        marker.ifPresent(m -> marked.computeIfAbsent(m, k -> new ArrayList<>()).add(identity));
    }

    public void missingProgram(String program) {
        missingPrograms.add(program);
    }

    public void ignoreTerm(String service) {
        ignoringTerm.add(service);
    }

    public boolean isRunning(String service) {
        return live.values().stream().anyMatch(p -> p.service.equals(service));
    }

    public boolean isAlive(long pid) {
        return live.containsKey(pid) || foreign.containsKey(pid);
    }

    public long launchCount(String service) {
        return launches.stream().filter(l -> l.service().equals(service)).count();
    }

    public List<String> launchOrder() {
        return launches.stream().map(LaunchSpec::service).toList();
    }

    /** Signals as {@code service:SIGNAL}, in order. */
    public List<String> signals() {
        return List.copyOf(signals);
    }

    public Set<String> runningServices() {
        Set<String> s = new HashSet<>();
        live.values().forEach(p -> s.add(p.service));
        return s;
    }

    private record Proc(String service, ProcessIdentity identity, ExitListener onExit) {
    }

    /** The command of the latest launch of {@code service}. */
    public List<String> lastCommand(String service) {
        for (int i = launches.size() - 1; i >= 0; i--) {
            if (launches.get(i).service().equals(service)) {
                return launches.get(i).command();
            }
        }
        throw new AssertionError("never launched: " + service);
    }
}
