package io.waveos.agent.update;

import io.waveos.agent.config.CompanionConfig.Approval;
import io.waveos.agent.config.ServiceConfig;
import io.waveos.agent.supervision.ServiceMachine;
import io.waveos.agent.supervision.ServiceState;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.install.Activated;
import io.waveos.bundles.install.ActiveSlot;
import io.waveos.bundles.install.Committed;
import io.waveos.bundles.install.Criterion;
import io.waveos.bundles.install.RollbackReason;
import io.waveos.bundles.install.RolledBack;
import io.waveos.bundles.install.SlotInstaller;
import io.waveos.bundles.install.TrialJudge;
import io.waveos.bundles.install.TrialObservation;
import io.waveos.bundles.install.TrialVerdict;
import io.waveos.bundles.manifest.Manifest;
import io.waveos.bundles.manifest.TrialCriteria;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Steps 8 to 10 of an install: restart the services from the new slot, judge the trial every
 * {@link #TICK} until the soak ends or a criterion fails, then ask to commit and commit, or roll back
 * to the previous slot with an event and an evidence file naming the criterion and its data.
 */
final class Trials {
    static final Duration TICK = Duration.ofSeconds(1);

    /** One running trial. {@code expected}: the definitions under trial; {@code stale}: machines of the old ones. */
    private record Trial(Manifest manifest, ActiveSlot slot, long startNanos, long generation,
            Map<String, ServiceConfig> expected, Set<ServiceMachine> stale) {
    }

    private final Updater.Ports ports;
    private final Updater.Host host;
    private final SlotInstaller installer;
    private final SlotServices services;
    private final Evidence evidence;
    private Optional<Trial> current = Optional.empty();
    private long generation;

    Trials(Updater.Ports ports, Updater.Host host, SlotInstaller installer, SlotServices services, Evidence evidence) {
        this.ports = ports;
        this.host = host;
        this.installer = installer;
        this.services = services;
        this.evidence = evidence;
    }

    boolean running() {
        return current.isPresent();
    }

    /** Step 8: the slot is active; restart the affected services from it and start the soak. */
    void begin(Manifest m, Activated a) {
        Map<String, Optional<ServiceConfig>> changes;
        try {
            Optional<Manifest> previous = a.previousSlot().isEmpty() ? Optional.empty()
                    : services.manifest(m.component(), a.previousSlot().get());
            changes = services.changesFor(m, a.slot().dir(), previous);
            Set<ServiceMachine> stale = staleMachines(changes);
            host.redefine(changes, "update activates slot " + a.slot().slot() + " of " + m.component());
            emit(Event.of(EventCode.UPDATE_ACTIVATED, m.component(), "slot " + a.slot().slot() + " is active; trial "
                    + m.trial().map(t -> "of " + t.soak().toSeconds() + " s").orElse("skipped (none in the manifest)"),
                    "bundle_id", m.bundleId(), "version", m.version(), "slot", a.slot().slot()));
            start(m, a.slot(), changes, stale);
        } catch (BundleRejected | IOException | IllegalArgumentException e) {
            ActiveSlot slot = a.slot();
            current = Optional.of(new Trial(m, slot, ports.clock().nanos(), ++generation, Map.of(), Set.of()));
            rollBack(new RollbackReason(Criterion.SERVICE_FAILED, Map.of("error", String.valueOf(e.getMessage()))));
        }
    }

    /** After a restart during a trial: the services are already defined from the slot; the soak starts again. */
    void resume(ActiveSlot slot, int interruptions) {
        try {
            Manifest m = services.manifest(slot.component(), slot.slot()).orElseThrow(() -> new IOException(
                    "no manifest kept for slot " + slot.slot()));
            Map<String, Optional<ServiceConfig>> defined = services.changesFor(m, slot.dir(), Optional.empty());
            emit(Event.of(EventCode.UPDATE_RECOVERED, slot.component(), "trial resumed after a restart of the agent",
                    "version", slot.version(), "interruptions", interruptions));
            start(m, slot, defined, Set.of());
        } catch (BundleRejected | IOException e) {
            RollbackReason reason = new RollbackReason(Criterion.SERVICE_FAILED,
                    Map.of("error", "cannot resume the trial: " + e.getMessage()));
            try {
                RolledBack rb = installer.rollBack(slot.component(), reason);
                emit(rolledBack(rb, slot.bundleId()));
            } catch (IOException failed) {
                emit(Event.of(EventCode.UPDATE_ROLLBACK_FAILED, slot.component(), "rollback after " + reason
                        + " failed: " + failed.getMessage(), "bundle_id", slot.bundleId(), "version", slot.version()));
            }
        }
    }

    private void start(Manifest m, ActiveSlot slot, Map<String, Optional<ServiceConfig>> changes,
            Set<ServiceMachine> stale) {
        Map<String, ServiceConfig> expected = new LinkedHashMap<>();
        changes.forEach((n, c) -> c.ifPresent(cfg -> expected.put(n, cfg)));
        Trial t = new Trial(m, slot, ports.clock().nanos(), ++generation, expected, stale);
        current = Optional.of(t);
        if (m.trial().isEmpty()) {
            askCommit(t);
        } else {
            arm(t);
        }
    }

    /** Step 9: judges the trial against its criteria. */
    void tick(long gen) {
        if (current.isEmpty() || current.get().generation() != gen) {
            return;
        }
        Trial t = current.get();
        TrialCriteria criteria = t.manifest().trial().orElseThrow();
        TrialVerdict v = TrialJudge.judge(criteria, observe(t));
        if (v instanceof TrialVerdict.Pending) {
            arm(t);
        } else if (v instanceof TrialVerdict.Passed) {
            askCommit(t);
        } else if (v instanceof TrialVerdict.Failed f) {
            rollBack(f.reason());
        }
    }

    private TrialObservation observe(Trial t) {
        Map<String, TrialObservation.Service> seen = new LinkedHashMap<>();
        t.expected().forEach((name, cfg) -> {
            Optional<ServiceMachine> m = host.service(name).filter(x -> !t.stale().contains(x));
            seen.put(name, m.map(x -> new TrialObservation.Service(x.state() == ServiceState.RUNNING,
                    (int) Math.max(0, x.launches() - 1), x.state() == ServiceState.DISABLED))
                    .orElse(new TrialObservation.Service(false, 0, false)));
        });
        return new TrialObservation(Duration.ofNanos(ports.clock().nanos() - t.startNanos()), seen, host.inSafeMode());
    }

    private void arm(Trial t) {
        long gen = t.generation();
        ports.scheduler().schedule(TICK, () -> ports.loop().accept(new UpdateInput.TrialTick(gen)));
    }

    /** Step 10a: success is reported only after the commit (mark good, raise the floor). */
    private void askCommit(Trial t) {
        Manifest m = t.manifest();
        ports.approvals().ask(Approval.COMMIT, "commit " + m.component() + " version " + m.version(), d -> {
            if (current.isEmpty() || current.get().generation() != t.generation()) {
                return;
            }
            if (!d.approved()) {
                rollBack(new RollbackReason(Criterion.COMMIT_DENIED, Map.of("reason", d.reason())));
                return;
            }
            try {
                Committed c = installer.commit(m.component());
                current = Optional.empty();
                emit(Event.of(EventCode.UPDATE_COMMITTED, m.component(), "trial passed; slot " + c.slot()
                        + " committed", "bundle_id", c.bundleId(), "version", c.version(), "floor", c.floor()));
            } catch (IOException e) {
                rollBack(new RollbackReason(Criterion.COMMIT_DENIED, Map.of("error", String.valueOf(e.getMessage()))));
            }
        });
    }

    /** An operator ends the running trial with a rollback ({@code manual}); false when no trial runs. */
    boolean rollBackNow(String operator) {
        if (current.isEmpty()) {
            return false;
        }
        rollBack(new RollbackReason(Criterion.MANUAL, Map.of("operator", operator)));
        return true;
    }

    /** Step 10b: back to the previous slot, its services restored, the criterion in an event and evidence. */
    private void rollBack(RollbackReason reason) {
        Trial t = current.orElseThrow();
        current = Optional.empty();
        Manifest m = t.manifest();
        Map<String, Object> observed = snapshot(t);
        try {
            RolledBack rb = installer.rollBack(m.component(), reason);
            Optional<Manifest> restored = services.activeManifest(m.component());
            Map<String, Optional<ServiceConfig>> changes = new LinkedHashMap<>();
            t.expected().keySet().forEach(n -> changes.put(n, Optional.empty()));
            if (restored.isPresent()) {
                changes.putAll(services.changesFor(restored.get(), installer.active(m.component()).orElseThrow().dir(),
                        Optional.of(m)));
            } else if (m.kind() != io.waveos.bundles.manifest.Kind.APP) {
                t.expected().forEach((n, c) -> changes.put(n, Optional.of(c)));
            }
            host.redefine(changes, "rollback of " + m.component() + " version " + m.version() + ": " + reason);
            emit(evidence.write("rollback", m.component(), evidenceOf(t, reason, observed)));
            emit(Event.of(EventCode.UPDATE_ROLLED_BACK, m.component(), "trial failed: " + reason.criterion().code()
                    + " " + reason.data(), "bundle_id", m.bundleId(), "version", m.version(),
                    "criterion", reason.criterion().code(), "restored_slot", rb.restoredSlot().orElse("none")));
        } catch (BundleRejected | IOException | IllegalArgumentException e) {
            emit(evidence.write("rollback-failed", m.component(), evidenceOf(t, reason, observed)));
            emit(Event.of(EventCode.UPDATE_ROLLBACK_FAILED, m.component(), "rollback after " + reason.criterion().code()
                    + " failed: " + e.getMessage(), "bundle_id", m.bundleId(), "version", m.version()));
        }
    }

    private Map<String, Object> evidenceOf(Trial t, RollbackReason reason, Map<String, Object> observed) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("bundle_id", t.manifest().bundleId());
        doc.put("version", t.manifest().version());
        doc.put("version_name", t.manifest().versionName());
        doc.put("slot", t.slot().slot());
        doc.put("criterion", reason.criterion().code());
        doc.put("data", new LinkedHashMap<>(reason.data()));
        doc.put("trial_ms", Duration.ofNanos(ports.clock().nanos() - t.startNanos()).toMillis());
        t.manifest().trial().ifPresent(c -> doc.put("criteria", Map.of("soak_ms", c.soak().toMillis(),
                "must_be_ready", c.mustBeReady(), "max_restarts", c.maxRestarts())));
        doc.put("services", observed);
        return doc;
    }

    private Map<String, Object> snapshot(Trial t) {
        Map<String, Object> out = new LinkedHashMap<>();
        t.expected().keySet().forEach(name -> host.service(name).ifPresent(m -> out.put(name, Map.of(
                "state", m.state().name(), "launches", m.launches(), "restarts_since_stable", m.restartsSinceStable()))));
        out.put("safe_mode", host.inSafeMode());
        return out;
    }

    private Set<ServiceMachine> staleMachines(Map<String, Optional<ServiceConfig>> changes) {
        Set<ServiceMachine> stale = Collections.newSetFromMap(new IdentityHashMap<>());
        changes.keySet().forEach(n -> host.service(n).ifPresent(stale::add));
        return stale;
    }

    /** The event of a rollback done by the installer at start ({@code trial-interrupted}) or on resume. */
    Event rolledBack(RolledBack rb, String bundleId) {
        emit(evidence.write("rollback", rb.component(), Map.of("bundle_id", bundleId, "version", rb.version(),
                "criterion", rb.reason().criterion().code(), "data", new LinkedHashMap<>(rb.reason().data()))));
        return Event.of(EventCode.UPDATE_ROLLED_BACK, rb.component(), "trial failed: " + rb.reason().criterion().code()
                + " " + rb.reason().data(), "bundle_id", bundleId, "version", rb.version(),
                "criterion", rb.reason().criterion().code(), "restored_slot", rb.restoredSlot().orElse("none"));
    }

    private void emit(Event e) {
        ports.events().emit(e);
    }
}
