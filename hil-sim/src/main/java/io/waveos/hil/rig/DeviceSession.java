package io.waveos.hil.rig;

import io.waveos.agent.platform.crashsim.CrashRestorer;
import io.waveos.agent.platform.crashsim.WriteCut;
import io.waveos.hil.scenario.CutPoint;
import io.waveos.hil.scenario.Fault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One tier-2 device while its scenario runs: injects each fault when it falls due, thaws a frozen
 * agent, brings a cut Guardian back, performs resets (watchdog bite, Guardian reset line) as power
 * cycles, and keeps the device's figures fresh. Faults through the API ({@code push-bundle via: api},
 * {@code api-abuse}) go to {@link ApiTraffic}, whose threads never hold the rig's (the rig stops it at
 * the end). Driven by {@link #step} from the rig's one thread.
 */
final class DeviceSession {
    private static final long FIGURES_EVERY_NANOS = 250_000_000L;
    private final PowerController power;
    private final GuardianProcess guardian;
    private final DeviceResets resets;
    private final HostFigures figures;
    private final Optional<UpdateBundles> bundles;
    private final Optional<ApiTraffic> api;
    private final Path controlFolder;
    private final Path inbox;
    private final Progress progress;
    private final List<Fault> pending;
    private final List<RunRecord.Injected> injected = new ArrayList<>();
    private long thawAt = Long.MAX_VALUE;
    private long linkBackAt = Long.MAX_VALUE;
    private long quietAt = Long.MAX_VALUE;
    private long figuresAt;
    /** A power cut armed at a storage write, waiting for the agent to reach it. */
    private Optional<Fault> armed = Optional.empty();
    private Duration armedAt = Duration.ZERO;

    DeviceSession(PowerController power, GuardianProcess guardian, DeviceResets resets, HostFigures figures,
            Optional<UpdateBundles> bundles, Path controlFolder, Path inbox, List<Fault> faults, Progress progress,
            Optional<ApiTraffic> api) {
        this.power = power;
        this.guardian = guardian;
        this.resets = resets;
        this.figures = figures;
        this.bundles = bundles;
        this.controlFolder = controlFolder;
        this.inbox = inbox;
        this.pending = new ArrayList<>(faults);
        this.progress = progress;
        this.api = api;
    }

    /** Everything due at {@code t} after the origin ({@code now} on the nano clock). */
    void step(long now, Duration t) throws IOException, InterruptedException {
        for (Fault f : List.copyOf(pending)) {
            if (t.compareTo(f.at()) >= 0) {
                pending.remove(f);
                injected.add(new RunRecord.Injected(t, f.label()));
                progress.note(String.format("%6.1f s  fault: %s", t.toMillis() / 1000.0, f.label()));
                inject(f, now, t);
            }
        }
        if (now >= linkBackAt) {
            linkBackAt = Long.MAX_VALUE;
            guardian.powerOn();
            progress.note(String.format("%6.1f s  the Guardian is back", t.toMillis() / 1000.0));
        }
        if (now >= quietAt) {
            quietAt = Long.MAX_VALUE;
            guardian.relay().ifPresent(r -> r.noise(0));
            progress.note(String.format("%6.1f s  the serial line is clean again", t.toMillis() / 1000.0));
        }
        if (now >= thawAt) {
            thawAt = Long.MAX_VALUE;
            power.thaw();
        }
        if (armed.isPresent()) {
            Optional<String> tripped = WriteCut.tripped(power.shadow());
            if (tripped.isPresent()) {
                Fault f = armed.get();
                armed = Optional.empty();
                progress.note(String.format("%6.1f s  the power goes at %s: %s", t.toMillis() / 1000.0,
                        f.cut().orElseThrow().label(), tripped.get()));
                injected.add(new RunRecord.Injected(t, "power cut at " + f.cut().orElseThrow().label()));
                cutPower(false, t);
                WriteCut.disarm(power.shadow());
                power.bootAfter(f.length());
            }
        }
        Optional<String> reset = resets.check(power);
        if (reset.isPresent()) {
            thawAt = Long.MAX_VALUE;
            injected.add(new RunRecord.Injected(t, "reset: " + reset.get()));
            progress.note(String.format("%6.1f s  reset by %s", t.toMillis() / 1000.0, reset.get()));
            cutPower(reset.get().startsWith("the hardware watchdog"), t);
            power.bootAfter(Duration.ofMillis(300));
        }
        for (String note : api.map(ApiTraffic::drainNotes).orElse(List.of())) {
            progress.note(String.format("%6.1f s  %s", t.toMillis() / 1000.0, note));
        }
        power.poll();
        if (now - figuresAt > FIGURES_EVERY_NANOS) {
            figuresAt = now;
            figures.update();
        }
    }

    List<RunRecord.Injected> injected() {
        return List.copyOf(injected);
    }

    /**
     * At the end of the run: a power cut armed at a storage write that the agent never reached is a
     * failed run, never a silent pass.
     */
    void requireNoArmedCut() {
        if (armed.isPresent()) {
            Fault f = armed.get();
            throw new IllegalStateException("the power cut armed at " + armedAt.toMillis() / 1000.0 + " s (line "
                    + f.line() + ") never tripped: the agent did not reach " + f.cut().orElseThrow().label()
                    + " before the scenario's end");
        }
    }

    /** A power cycle: everything dies, the disk becomes what the cut kept (the restore, on the timeline too). */
    private void cutPower(boolean byWatchdog, Duration t) throws IOException, InterruptedException {
        power.cut(byWatchdog);
        List<io.waveos.agent.platform.crashsim.RestoreReport> done = power.restores();
        if (!done.isEmpty() && done.get(done.size() - 1).changes() > 0) {
            injected.add(new RunRecord.Injected(t, "restore: " + done.get(done.size() - 1).summary()));
        }
    }

    private void inject(Fault f, long now, Duration t) throws IOException, InterruptedException {
        switch (f.kind()) {
            case SERVICE -> tellService(f);
            case KILL_AGENT -> {
                power.killAgent();
                power.bootAfter(Duration.ofMillis(300));
            }
            case FREEZE_AGENT -> {
                power.freeze();
                thawAt = now + f.length().toNanos();
            }
            case POWER_CUT -> {
                if (f.cut().isPresent()) {
                    // The agent's crash-shadow storage stops just before that write; step() then cuts.
                    CutPoint c = f.cut().get();
                    if (c.sweep() || armed.isPresent()) {
                        throw new IllegalStateException("tier 2 arms one power cut at one storage write at a time: "
                                + f.label());
                    }
                    WriteCut.arm(power.shadow(), switch (c.scope()) {
                        case ANY -> WriteCut.Scope.ANY;
                        case UPDATES -> WriteCut.Scope.UPDATES;
                    }, c.nth().getAsInt());
                    armed = Optional.of(f);
                    armedAt = f.at();
                } else {
                    cutPower(false, t);
                    power.bootAfter(f.length());
                }
            }
            case LINK_CUT -> {
                guardian.powerOff();
                linkBackAt = now + f.length().toNanos();
            }
            case PUSH_BUNDLE -> {
                if (f.viaApi()) {
                    api().push(f.argument());
                } else {
                    Path pushed = bundles.orElseThrow(() -> new IllegalStateException(
                            "push-bundle without device.updates")).push(f.argument(), inbox);
                    // The rig's file, complete and renamed in: durable for the restore, never taken away.
                    CrashRestorer.registerDurable(power.shadow(), pushed);
                }
            }
            case API_ABUSE -> api().abuse(f.length(), Integer.parseInt(f.argument()));
            case SERIAL_NOISE -> {
                guardian.relay().orElseThrow(() -> new IllegalStateException("serial-noise without the noisy relay"))
                        .noise(Double.parseDouble(f.argument()));
                quietAt = now + f.length().toNanos();
            }
            case CLOCK_JUMP, DISK_FULL ->
                    throw new IllegalStateException("fault " + f.kind().wire() + " is not injectable in tier 2 yet");
        }
    }

    private ApiTraffic api() {
        return api.orElseThrow(() -> new IllegalStateException("a fault through the API without device.api"));
    }

    private void tellService(Fault f) throws IOException {
        String line = f.action().orElseThrow().wire() + "\n";
        String service = f.service().orElseThrow();
        if (f.everyStart()) {
            // read by every later start of the service (FakeService: CONTROL_FILE.sticky)
            Files.writeString(controlFolder.resolve(service + ".ctl.sticky"), line, StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        Files.writeString(controlFolder.resolve(service + ".ctl"), line, StandardCharsets.US_ASCII,
                StandardOpenOption.APPEND);
    }
}
