package io.waveos.agent;

import io.waveos.agent.config.AgentConfig;
import io.waveos.agent.platform.ExitStatus;
import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.platform.ServiceNotifier;
import io.waveos.agent.platform.WatchdogDevice;
import io.waveos.agent.platform.fake.DirectEventLoop;
import io.waveos.agent.platform.fake.FakeProber;
import io.waveos.agent.platform.fake.FakeProcessLauncher;
import io.waveos.agent.platform.fake.FakeTime;
import io.waveos.agent.supervision.OrphanSweep;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The real {@link Agent} wired to deterministic twins, driven in virtual time. */
final class AgentHarness {
    final FakeTime time = new FakeTime();
    final FakeProcessLauncher launcher = new FakeProcessLauncher();
    final FakeProber prober = new FakeProber();
    final DirectEventLoop<LoopEvent> loop = new DirectEventLoop<>();
    final List<Event> events = new ArrayList<>();
    /** Everything with side effects outside the agent, in order: intents, reboots, notify, kicks. */
    final List<String> actions = new ArrayList<>();
    final List<Map<String, ProcessIdentity>> ledger = new ArrayList<>();
    Optional<Duration> systemdWatchdog = Optional.empty();
    int flushes;
    /** Also receives every event (a test may put a real EventLog here). */
    io.waveos.agent.telemetry.EventSink tee = e -> { };
    final Agent agent;

    AgentHarness(AgentConfig config) {
        this(config, true);
    }

    AgentHarness(AgentConfig config, boolean withWatchdogDevice) {
        this(config, withWatchdogDevice, new io.waveos.agent.companion.NoGuardian());
    }

    AgentHarness(AgentConfig config, io.waveos.agent.companion.Approvals approvals) {
        this(config, true, approvals);
    }

    AgentHarness(AgentConfig config, boolean withWatchdogDevice, io.waveos.agent.companion.Approvals approvals) {
        WatchdogDevice device = new WatchdogDevice() {
            @Override
            public void kick() {
                actions.add("kick");
            }

            @Override
            public void disarm() {
                actions.add("disarm");
            }
        };
        ServiceNotifier notifier = new ServiceNotifier() {
            @Override
            public void notify(String state) {
                actions.add("notify " + state);
            }

            @Override
            public Optional<Duration> watchdogInterval() {
                return systemdWatchdog;
            }
        };
        Agent.Hooks hooks = new Agent.Hooks() {
            @Override
            public void flushEvents() {
                flushes++;
            }

            @Override
            public void recordRebootIntent(String reason) {
                actions.add("intent " + reason);
            }

            @Override
            public void finished() {
                actions.add("finished");
                loop.stop();
            }
        };
        agent = new Agent(config, new Agent.Ports(launcher, prober, time, time, e -> {
            events.add(e);
            tee.emit(e);
        }, loop,
                running -> ledger.add(Map.copyOf(running)), reason -> actions.add("reboot " + reason),
                withWatchdogDevice ? Optional.of(device) : Optional.empty(), notifier, () -> 0.5, approvals), hooks);
        loop.bind(agent::handle);
    }

    void start() {
        start(List.of());
    }

    void start(List<OrphanSweep.Candidate> leftovers) {
        loop.submit(new LoopEvent.Start(leftovers));
        time.runDue();
    }

    /** {@code times} crashes of {@code service}, half a second apart. */
    void crashRepeatedly(String service, int times) {
        for (int i = 0; i < times; i++) {
            crash(service, 1);
            advance(Duration.ofMillis(500));
        }
    }

    void crash(String service, int code) {
        launcher.exit(service, ExitStatus.code(code));
    }

    void advance(Duration d) {
        time.advance(d);
    }

    List<String> codes() {
        return events.stream().map(e -> e.code().wire()).collect(Collectors.toList());
    }

    /** Codes of the events about {@code subject}, in order. */
    List<String> codesFor(String subject) {
        return events.stream().filter(e -> e.subject().equals(subject)).map(e -> e.code().wire())
                .collect(Collectors.toList());
    }

    List<Event> eventsWith(EventCode code) {
        return events.stream().filter(e -> e.code() == code).collect(Collectors.toList());
    }

    Event last(EventCode code) {
        List<Event> l = eventsWith(code);
        if (l.isEmpty()) {
            throw new AssertionError("no " + code + " event in " + codes());
        }
        return l.get(l.size() - 1);
    }
}
