package io.waveos.hil.virtual;

import io.waveos.agent.platform.fake.FakeProcessLauncher;
import io.waveos.agent.platform.fake.FakeTime;
import io.waveos.bundles.platform.SlotStorage;
import io.waveos.hil.rig.Progress;
import io.waveos.hil.rig.RunRecord;
import io.waveos.hil.scenario.Fault;
import io.waveos.hil.scenario.FaultKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One tier-1 run's bench: what injects the faults into the virtual device and performs what happens
 * behind the agent's back (the hardware watchdog's bite, the Guardian's reset line, a power cut at a
 * storage write), and records each as the report's dashed lines. Every power cycle kills the agent and
 * every process, power-cuts both storages and boots the device after a delay. Not thread-safe: the
 * virtual clock's thread only.
 */
final class VirtualBench {
    /** How long the device stays off after a reset (the watchdog's, the Guardian's), as in tier 2. */
    static final Duration RESET_OFF = Duration.ofMillis(300);
    private final FakeTime time;
    private final FakeProcessLauncher table;
    private final ScriptedLauncher launcher;
    private final Disks disks;
    private final HardwareWatchdog watchdog;
    private final JumpingWall wall;
    private final Progress progress;
    private final Updates updates;
    private final List<RunRecord.Injected> injected = new ArrayList<>();
    private final List<RunRecord.ClockStep> steps = new ArrayList<>();
    private VirtualDevice device;
    private Optional<VirtualGuardian> guardian = Optional.empty();
    private int version = 1;

    /**
     * Where pushed bundles come from and go.
     *
     * @param deviceClass the scenario's {@code device.updates.device_class}, empty without updates
     * @param buildDir a real folder where the operator's tool builds them
     */
    record Updates(VirtualBundles bundles, Optional<String> deviceClass, Path inbox, Path buildDir,
            String fakeService, Path controlFolder) {
    }

    VirtualBench(FakeTime time, FakeProcessLauncher table, ScriptedLauncher launcher, Disks disks,
            HardwareWatchdog watchdog, JumpingWall wall, Progress progress, Updates updates) {
        this.time = time;
        this.table = table;
        this.launcher = launcher;
        this.disks = disks;
        this.watchdog = watchdog;
        this.wall = wall;
        this.progress = progress;
        this.updates = updates;
    }

    void attach(VirtualDevice d, Optional<VirtualGuardian> g) {
        this.device = d;
        this.guardian = g;
    }

    List<RunRecord.Injected> injected() {
        return List.copyOf(injected);
    }

    List<RunRecord.ClockStep> clockSteps() {
        return List.copyOf(steps);
    }

    /**
     * The power goes now, for {@code off}: the agent and every process die, both storages keep only
     * what survives a cut; {@code byWatchdog} sets the next boot's watchdog status.
     */
    void powerCycle(String label, boolean byWatchdog, Duration off) {
        injected.add(new RunRecord.Injected(Duration.between(VirtualRig.ORIGIN, time.now()), label));
        device.powerCut(table, byWatchdog);
        time.schedule(off, device::startAgent);
    }

    /** One tick's look at the hardware watchdog: a bite power-cycles the device. */
    void checkWatchdog() {
        if (watchdog.bitesAt(time.nanos())) {
            note("reset by the hardware watchdog");
            powerCycle("reset: the hardware watchdog (no kick for " + HardwareWatchdog.TIMEOUT.toSeconds() + " s)",
                    true, RESET_OFF);
        }
    }

    /** Injects {@code f} now ({@code when} after the origin). */
    void inject(Fault f, Duration when) {
        if (f.kind() != FaultKind.POWER_CUT) {
            injected.add(new RunRecord.Injected(when, f.label()));
        }
        note("fault: " + f.label());
        switch (f.kind()) {
            case SERVICE -> launcher.actNow(f.service().orElseThrow(), f.action().orElseThrow(), f.everyStart());
            case KILL_AGENT -> {
                device.killAgent();
                time.schedule(Duration.ofMillis(300), device::startAgent);
            }
            case POWER_CUT -> {
                if (f.cut().isPresent()) {
                    // armed now; the power goes just before the Nth write in scope, as soon as the
                    // agent's code that tried it has returned (the storages refuse everything meanwhile)
                    disks.cut().arm(f.cut().get(), () -> time.schedule(Duration.ZERO, () -> {
                        String before = disks.cut().refused().orElse("?");
                        note("power cut before " + before);
                        powerCycle(f.label() + ": before " + before, false, f.length());
                    }));
                } else {
                    powerCycle(f.label(), false, f.length());
                }
            }
            case DISK_FULL -> {
                // every write, fsync, create, rename and delete fails until the space comes back
                disks.storage().failWrites(true);
                time.schedule(f.length(), () -> disks.storage().failWrites(false));
            }
            case CLOCK_JUMP -> {
                steps.add(new RunRecord.ClockStep(time.now(), f.length()));
                wall.jump(f.length());
            }
            case LINK_CUT -> {
                VirtualGuardian g = guardian.orElseThrow();
                g.cut();
                time.schedule(f.length(), g::restore);
            }
            case SERIAL_NOISE -> {
                VirtualGuardian g = guardian.orElseThrow();
                g.noise(Double.parseDouble(f.argument()));
                time.schedule(f.length(), () -> g.noise(0));
            }
            case FREEZE_AGENT -> time.schedule(f.length(), device.freezeAgent());
            case PUSH_BUNDLE -> push(f.argument());
            case API_ABUSE -> throw new IllegalStateException("fault " + f.kind().wire()
                    + " needs the agent's HTTP API on a real port: tier 2 only (the loader refuses it in tier 1)");
        }
    }

    /**
     * The operator drops a bundle into the inbox as the docs ask: written aside, fsynced, renamed in
     * when complete. These are the bench's writes, not the agent's: never counted for a cut.
     */
    private void push(String kind) {
        String deviceClass = updates.deviceClass().orElseThrow(() ->
                new IllegalStateException("push-bundle without device.updates"));
        version++;
        Path inbox = updates.inbox();
        try {
            byte[] bytes = updates.bundles().bundle(kind, version, deviceClass, updates.buildDir(),
                    updates.fakeService(), updates.controlFolder().resolve("app.ctl"));
            disks.cut().byBench(() -> {
                SlotStorage slots = disks.slots();
                slots.createDirectories(inbox);
                slots.syncDirectory(inbox.getParent());
                Path part = inbox.resolve(".app-" + version + ".part");
                try (SlotStorage.WritableFile w = slots.create(part)) {
                    w.write(bytes, 0, bytes.length);
                    w.sync();
                }
                slots.rename(part, inbox.resolve("app-" + version + ".wbundle"));
                slots.syncDirectory(inbox);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot push the " + kind + " bundle into the tier-1 inbox: "
                    + e.getMessage(), e);
        }
    }

    private void note(String what) {
        progress.note(String.format("%6.1f s  %s", Duration.between(VirtualRig.ORIGIN, time.now()).toMillis() / 1000.0,
                what));
    }
}
