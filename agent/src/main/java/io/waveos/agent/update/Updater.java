package io.waveos.agent.update;

import io.waveos.agent.companion.Approvals;
import io.waveos.agent.config.CompanionConfig.Approval;
import io.waveos.agent.config.ServiceConfig;
import io.waveos.agent.config.UpdatesConfig;
import io.waveos.agent.platform.MonotonicClock;
import io.waveos.agent.platform.Scheduler;
import io.waveos.agent.platform.WallClock;
import io.waveos.agent.platform.Worker;
import io.waveos.agent.supervision.ServiceMachine;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.EventSink;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.install.Activated;
import io.waveos.bundles.install.Recovery;
import io.waveos.bundles.install.SlotInstaller;
import io.waveos.bundles.manifest.Manifest;
import io.waveos.bundles.platform.SlotStorage;
import io.waveos.bundles.verify.VerifiedManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The update capability on the loop: inbox -> preflight (worker) -> install approval -> install
 * (worker: mark bad, write, fsync, verify, activate) -> restart the services from the new slot ->
 * trial -> commit approval -> commit, or roll back with the failed criterion. One bundle at a time;
 * success is reported ({@code update.committed}) only after the commit.
 */
public final class Updater {

    /** What the updater needs from the rest of the agent, on the loop thread. */
    public interface Host {
        /** Validates service changes without applying them; {@link IllegalArgumentException} names the problem. */
        void checkRedefine(Map<String, Optional<ServiceConfig>> changes);

        /** Applies service changes through the supervisor (stop the old, start the new). */
        void redefine(Map<String, Optional<ServiceConfig>> changes, String reason);

        Optional<ServiceMachine> service(String name);

        boolean inSafeMode();
    }

    /**
     * @param files the state and inbox file systems
     * @param loop submits an input to the agent's loop (from any thread)
     */
    public record Ports(SlotStorage files, Worker worker, Scheduler scheduler, MonotonicClock clock, WallClock wall,
            EventSink events, Consumer<UpdateInput> loop, Approvals approvals) {
    }

    private final UpdatesConfig config;
    private final String agentVersion;
    private final Ports ports;
    private final Host host;
    private final SlotInstaller installer;
    private final Inbox inbox;
    private final TrustStore trust;
    private final SlotServices slotServices;
    private final Trials trials;
    private boolean available;
    /** A bundle between intake and activation; the inbox is not scanned meanwhile. */
    private Optional<Path> inFlight = Optional.empty();

    public Updater(UpdatesConfig config, String agentVersion, Path stateDir, Path evidenceDir, Ports ports,
            Host host) {
        this.config = config;
        this.agentVersion = agentVersion;
        this.ports = ports;
        this.host = host;
        Path updatesDir = stateDir.resolve("updates");
        this.installer = new SlotInstaller(ports.files(), updatesDir);
        this.inbox = new Inbox(ports.files(), config.inbox());
        this.trust = new TrustStore(ports.files(), config.trustRoot(), updatesDir, ports.wall());
        this.slotServices = new SlotServices(installer, host, updatesDir);
        this.trials = new Trials(ports, host, installer, slotServices, new Evidence(ports.files(), evidenceDir,
                ports.wall()));
    }

    /**
     * At start, before the services start: resumes or rolls back an interrupted install, defines the
     * services of every active app slot, and begins watching the inbox.
     */
    public void start() {
        try {
            trust.load().forEach(ports.events()::emit);
            available = true;
        } catch (BundleRejected | IOException e) {
            ports.events().emit(Event.of(EventCode.UPDATE_UNAVAILABLE, "update",
                    "no usable trust root at " + config.trustRoot() + ": " + e.getMessage() + "; bundles stay in the inbox"));
        }
        List<Recovery> recoveries;
        try {
            recoveries = installer.recover();
        } catch (IOException e) {
            recoveries = List.of();
            ports.events().emit(Event.of(EventCode.UPDATE_UNAVAILABLE, "update",
                    "cannot read the install journals: " + e.getMessage()));
        }
        for (Recovery r : recoveries) {
            if (r instanceof Recovery.Abandoned a) {
                ports.events().emit(Event.of(EventCode.UPDATE_RECOVERED, a.component(), "an install cut at step "
                        + a.step() + " was abandoned; the active slot is unchanged and the bundle will be offered again",
                        "bundle_id", a.bundleId(), "version", a.version()));
            } else if (r instanceof Recovery.RolledBackOnRecovery rb) {
                ports.events().emit(trials.rolledBack(rb.rolledBack(), "unknown"));
            } else if (r instanceof Recovery.FloorRaised f) {
                ports.events().emit(Event.of(EventCode.UPDATE_RECOVERED, f.component(),
                        "a commit cut before its floor was raised is completed", "floor_from", f.from(), "floor", f.to()));
                committedOnRecovery(f);
            }
        }
        slotServices.defineAll().forEach(ports.events()::emit);
        for (Recovery r : recoveries) {
            if (r instanceof Recovery.ResumeTrial t) {
                trials.resume(t.slot(), t.interruptions());
            }
        }
        if (available) {
            scanLater();
        }
    }

    /**
     * The commit the cut interrupted is complete only now: success is reported now, as the trial's
     * commit reports it (the push ledger, the API's flag and key sources and the policy act on it).
     */
    private void committedOnRecovery(Recovery.FloorRaised f) {
        try {
            Optional<io.waveos.bundles.install.ActiveSlot> slot = installer.active(f.component());
            ports.events().emit(Event.of(EventCode.UPDATE_COMMITTED, f.component(), "trial passed; slot "
                    + slot.map(io.waveos.bundles.install.ActiveSlot::slot).orElse("?")
                    + " committed (the commit was completed at start)", "bundle_id",
                    slot.map(io.waveos.bundles.install.ActiveSlot::bundleId).orElse(""), "version", f.to(), "floor", f.to()));
        } catch (IOException e) {
            ports.events().emit(Event.of(EventCode.UPDATE_UNAVAILABLE, f.component(),
                    "cannot read the committed slot after completing its commit: " + e.getMessage()));
        }
    }

    public void handle(UpdateInput input) {
        if (input instanceof UpdateInput.Scan) {
            scan();
        } else if (input instanceof UpdateInput.Preflighted p) {
            preflighted(p);
        } else if (input instanceof UpdateInput.Staged s) {
            staged(s);
        } else if (input instanceof UpdateInput.TrialTick t) {
            trials.tick(t.generation());
        }
    }

    /**
     * The operator's {@code update rollback}: ends a running trial by rolling back to the previous
     * slot. A committed release is not rolled back (its floor forbids the older version); a newer
     * bundle replaces it. Returns the control-socket answer.
     */
    public String manualRollback(String operator) {
        if (trials.rollBackNow(operator)) {
            return "ok rolled back\n";
        }
        return "error no trial is running; a committed release is replaced by installing a newer version\n";
    }

    /**
     * Bundles and trust roots waiting in the inbox, for telemetry's {@code agent::inbox_queue_depth};
     * empty when the inbox cannot be listed. Lists the folder: call once per sample, not per event.
     */
    public Optional<Integer> inboxDepth() {
        try {
            return Optional.of(inbox.pending());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** True while a bundle is being installed or tried. */
    public boolean busy() {
        return inFlight.isPresent() || trials.running();
    }

    private void scanLater() {
        ports.scheduler().schedule(config.scanInterval(), () -> ports.loop().accept(new UpdateInput.Scan()));
    }

    private void scan() {
        scanLater();
        if (busy()) {
            return;
        }
        Optional<Path> next;
        try {
            Optional<Path> root = inbox.nextRoot();
            if (root.isPresent()) {
                rotateRoot(root.get());
                return;
            }
            next = inbox.next();
        } catch (IOException e) {
            ports.events().emit(Event.of(EventCode.UPDATE_UNAVAILABLE, "update",
                    "cannot list the inbox " + config.inbox() + ": " + e.getMessage()));
            return;
        }
        if (next.isEmpty()) {
            return;
        }
        Path bundle = next.get();
        inFlight = Optional.of(bundle);
        ports.events().emit(Event.of(EventCode.UPDATE_RECEIVED, "update", "bundle found in the inbox",
                "bundle", bundle.getFileName().toString()));
        Map<String, Long> floors;
        try {
            floors = floors();
        } catch (IOException e) {
            reject(bundle, Optional.empty(), Rejections.io(bundle, e));
            return;
        }
        var verifier = trust.verifier(config, agentVersion, floors);
        ports.worker().run(() -> {
            UpdateInput result;
            try (InputStream in = ports.files().open(bundle)) {
                result = new UpdateInput.Preflighted(bundle, Optional.of(verifier.verifyManifest(in)), Optional.empty());
            } catch (BundleRejected r) {
                result = new UpdateInput.Preflighted(bundle, Optional.empty(), Optional.of(r));
            } catch (IOException e) {
                result = new UpdateInput.Preflighted(bundle, Optional.empty(), Optional.of(Rejections.io(bundle, e)));
            }
            ports.loop().accept(result);
        });
    }

    /** A new trust root from the inbox: accepted only when the current root's and its own thresholds signed it. */
    private void rotateRoot(Path file) throws IOException {
        try {
            byte[] bytes = ports.files().read(file).orElseThrow(() -> new IOException(file + " vanished"));
            var next = trust.rotate(bytes);
            ports.events().emit(Event.of(EventCode.TRUST_ROOT_ROTATED, "update", "new trust root accepted",
                    "trust_root_version", next.version(), "keys", next.keys().size()));
            inbox.consumed(file).ifPresent(ports.events()::emit);
        } catch (BundleRejected r) {
            reject(file, Optional.empty(), r);
        }
    }

    private void preflighted(UpdateInput.Preflighted p) {
        if (p.rejected().isPresent()) {
            reject(p.bundle(), Optional.empty(), p.rejected().get());
            return;
        }
        VerifiedManifest vm = p.manifest().orElseThrow();
        Manifest m = vm.manifest();
        try {
            trust.sawSignedTime(m.created());
            host.checkRedefine(slotServices.changesFor(m, slotServices.placeholderSlot(m),
                    slotServices.activeManifest(m.component())));
        } catch (BundleRejected r) {
            reject(p.bundle(), Optional.of(m), r);
            return;
        } catch (IllegalArgumentException e) {
            reject(p.bundle(), Optional.of(m), Rejections.incompatible("manifest.services", e.getMessage()));
            return;
        } catch (IOException e) {
            reject(p.bundle(), Optional.of(m), Rejections.io(p.bundle(), e));
            return;
        }
        String what = m.component() + " " + m.versionName() + " (version " + m.version() + ", bundle " + m.bundleId() + ")";
        ports.approvals().ask(Approval.INSTALL, "install " + what, d -> {
            if (!d.approved()) {
                reject(p.bundle(), Optional.of(m), Rejections.notApproved("install", d.reason()));
                return;
            }
            ports.events().emit(Event.of(EventCode.UPDATE_INSTALLING, m.component(), "writing the target slot for " + what,
                    "bundle_id", m.bundleId(), "version", m.version()));
            install(p.bundle(), vm);
        });
    }

    private void install(Path bundle, VerifiedManifest vm) {
        Map<String, Long> floors;
        try {
            floors = floors();
        } catch (IOException e) {
            reject(bundle, Optional.of(vm.manifest()), Rejections.io(bundle, e));
            return;
        }
        var verifier = trust.verifier(config, agentVersion, floors);
        ports.worker().run(() -> {
            UpdateInput result;
            try {
                // The bundle is read again through the verifier: a file swapped since preflight is
                // refused before any payload byte reaches the slot.
                Activated a = installer.install(verifier.payload(vm, () -> ports.files().open(bundle)),
                        config.spaceMarginBytes());
                result = new UpdateInput.Staged(bundle, vm, Optional.of(a), Optional.empty());
            } catch (BundleRejected r) {
                result = new UpdateInput.Staged(bundle, vm, Optional.empty(), Optional.of(r));
            }
            ports.loop().accept(result);
        });
    }

    private Map<String, Long> floors() throws IOException {
        Map<String, Long> floors = new java.util.HashMap<>();
        for (String c : installer.components()) {
            floors.put(c, installer.floor(c));
        }
        return floors;
    }

    private void staged(UpdateInput.Staged s) {
        Manifest m = s.manifest().manifest();
        if (s.rejected().isPresent()) {
            reject(s.bundle(), Optional.of(m), s.rejected().get());
            return;
        }
        inbox.consumed(s.bundle()).ifPresent(ports.events()::emit);
        inFlight = Optional.empty();
        trials.begin(m, s.activated().orElseThrow());
    }

    private void reject(Path bundle, Optional<Manifest> m, BundleRejected r) {
        inFlight = Optional.empty();
        ports.events().emit(Event.of(EventCode.UPDATE_REJECTED, m.map(Manifest::component).orElse("update"),
                r.getMessage(), "bundle", bundle.getFileName().toString(), "error", r.error().code(),
                "member", r.member()));
        inbox.rejected(bundle).ifPresent(ports.events()::emit);
    }
}
