package io.waveos.bundles.install;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.manifest.Kind;
import io.waveos.bundles.manifest.Manifest;
import io.waveos.bundles.manifest.ManifestCodec;
import io.waveos.bundles.manifest.PayloadFile;
import io.waveos.bundles.manifest.ServiceDefinition;
import io.waveos.bundles.platform.SlotStorage;
import io.waveos.bundles.verify.Progress;
import io.waveos.bundles.verify.VerifiedPayload;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Installs verified bundles into A/B slots so that a power cut at any point leaves each component on
 * exactly one consistent slot (the old one, or the new one on trial or committed) and never lowers a
 * floor. Layout under {@code updatesDir}: {@code floors.json}, and per component
 * {@code components/<component>/state.json} (slot marks, active pointer, journal: one atomic file)
 * with the slot folders {@code a/} and {@code b/} beside it. {@code docs/updates.md} describes it.
 *
 * <p>Not thread-safe: the agent's event loop is its only caller. {@code updatesDir} must exist and be
 * durable (its parent synced) before the first install.
 */
public final class SlotInstaller {

    /** Restarts that may find a trial running before it is rolled back with {@code trial-interrupted}. */
    public static final int DEFAULT_MAX_TRIAL_INTERRUPTIONS = 1;

    private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final SlotStorage storage;
    private final Path updatesDir;
    private final int maxTrialInterruptions;

    /**
     * @param updatesDir where slots, state files and floors live; created (durably) by the first
     *     install if missing, but its parent (the agent's state folder) must already exist durably:
     *     the installer syncs the parent's entry for {@code updatesDir}, not the parents above it
     */
    public SlotInstaller(SlotStorage storage, Path updatesDir) {
        this(storage, updatesDir, DEFAULT_MAX_TRIAL_INTERRUPTIONS);
    }

    public SlotInstaller(SlotStorage storage, Path updatesDir, int maxTrialInterruptions) {
        if (maxTrialInterruptions < 0) {
            throw new IllegalArgumentException("maxTrialInterruptions must not be negative");
        }
        this.storage = storage;
        this.updatesDir = updatesDir.toAbsolutePath();
        this.maxTrialInterruptions = maxTrialInterruptions;
    }

    /** The component's anti-rollback floor: versions at or below it are refused; 0 when none. */
    public long floor(String component) throws IOException {
        return floors().getOrDefault(component, 0L);
    }

    /** The slot the component runs from; empty before its first activation or after a failed first one. */
    public Optional<ActiveSlot> active(String component) throws IOException {
        ComponentState s = state(component);
        return s.active().map(slot -> activeSlot(component, slot, s.slots().get(slot)));
    }

    /** Components that have a {@code state.json}, sorted. */
    public List<String> components() throws IOException {
        List<String> names = new ArrayList<>();
        for (String name : storage.list(componentsDir())) {
            if (storage.exists(stateFile(name))) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    /**
     * Steps 1 to 7: writes the bundle into the inactive slot and activates it on trial. On a
     * rejection the active slot is untouched and the target slot stays marked bad.
     *
     * @param payload streams the verified payload; called once
     * @param spaceMarginBytes free space to leave beyond the payload
     * @throws BundleRejected with the step's code; a storage failure is {@link BundleError#STORAGE_FAILED}
     *     with the {@link IOException} as cause
     * @throws IllegalStateException when the component is on trial (commit or roll back first)
     */
    public Activated install(Manifest m, PayloadStream payload, long spaceMarginBytes) throws BundleRejected {
        return install(m, payload, spaceMarginBytes, false);
    }

    /**
     * As {@link #install(Manifest, PayloadStream, long)} for a payload the library's own verifier
     * streams: its {@link io.waveos.bundles.verify.PayloadSink#completed} is trusted, so each byte is
     * hashed with SHA-256 once (by the verifier) and the read-back of step 6 compares CRC-32C instead
     * of hashing again. A caller's own {@link PayloadStream} is not trusted: the slot writer hashes what
     * it writes itself.
     */
    public Activated install(VerifiedPayload payload, long spaceMarginBytes) throws BundleRejected {
        return install(payload.manifest().manifest(), sink -> payload.streamTo(sink, Progress.none()),
                spaceMarginBytes, true);
    }

    private Activated install(Manifest m, PayloadStream payload, long spaceMarginBytes, boolean streamVerified)
            throws BundleRejected {
        try {
            return installSteps(m, payload, spaceMarginBytes, streamVerified);
        } catch (IOException e) {
            throw new BundleRejected(BundleError.STORAGE_FAILED, componentDir(m.component()).toString(),
                    "storage failed during the install: " + e, e);
        }
    }

    private Activated installSteps(Manifest m, PayloadStream payload, long margin, boolean streamVerified)
            throws BundleRejected, IOException {
        String c = m.component();
        if (!COMPONENT.matcher(c).matches() || c.equals(".") || c.equals("..")) {
            throw new BundleRejected(BundleError.PATH_UNSAFE, "manifest.component",
                    "a component name is 1 to 64 of [A-Za-z0-9._-] and not . or ..");
        }
        // 1. Plan: the target is the slot not running now, so the running one stays intact whatever happens.
        ComponentState state = state(c);
        if (state.journal().filter(j -> j.step() == Step.TRIAL).isPresent()) {
            throw new IllegalStateException(c + " is on trial: commit or roll back before installing");
        }
        Optional<String> previous = state.active();
        String target = previous.map(a -> a.equals("a") ? "b" : "a").orElse("a");
        Path slotDir = componentDir(c).resolve(target);
        // 2. Preflight, before anything is written: space, floor, kind. The verifier checked the floor
        //    too, but the floor decides whether a rollback is possible, so it is checked where it is kept.
        preflight(m, slotDir, margin);
        // 3. Mark the target bad before writing: a power cut mid-write must never activate a
        //    half-written slot. The component folder must be durable before its state file is.
        storage.createDirectories(componentDir(c));
        storage.syncDirectory(componentsDir());
        storage.syncDirectory(updatesDir);
        if (updatesDir.getParent() != null) {
            // The updates folder itself may be new: its entry in the state folder must be durable too.
            storage.syncDirectory(updatesDir.getParent());
        }
        SlotRecord record = new SlotRecord(Mark.BAD, m.version(), m.bundleId(), m.versionName());
        Journal journal = new Journal(m.bundleId(), m.version(), target, previous, Step.TARGET_BAD, 0,
                Optional.empty());
        ComponentState marked = state.withSlot(target, record).withJournal(journal);
        writeState(c, marked);
        // 4.-6. Write, fsync files and folders, read back and compare with the manifest.
        new SlotWriter(storage, slotDir, m, streamVerified).write(payload);
        // The manifest goes beside the slot (not in it: payload paths are the bundle's), synced with
        // it, so that a restarted agent knows the slot's services and trial without the bundle file.
        byte[] manifest = ManifestCodec.write(m);
        try (SlotStorage.WritableFile w = storage.create(manifestFile(c, target))) {
            w.write(manifest, 0, manifest.length);
            w.sync();
        }
        storage.syncDirectory(componentDir(c));
        // 7. Activate: one atomic, fsynced write of the state switches the pointer and marks the
        //    target on trial; a cut sees the old active slot or the new one, never neither.
        ComponentState activated = marked.withActive(Optional.of(target))
                .withSlot(target, record.marked(Mark.TRIAL)).withJournal(journal.at(Step.TRIAL));
        writeState(c, activated);
        // 8. and 9. (restart services, soak) are the caller's; 10. is commit() or rollBack().
        return new Activated(activeSlot(c, target, activated.slots().get(target)), previous);
    }

    private void preflight(Manifest m, Path slotDir, long margin) throws BundleRejected, IOException {
        long floor = floor(m.component());
        if (m.version() <= floor) {
            throw new BundleRejected(BundleError.ROLLBACK, "manifest.version",
                    "version " + m.version() + " is at or below the floor " + floor);
        }
        if (m.kind() != Kind.APP && !m.services().isEmpty()) {
            throw new BundleRejected(BundleError.INCOMPATIBLE, "manifest.services",
                    "only app bundles define services, this is " + m.kind().wireName());
        }
        if (m.kind() == Kind.CERTS && m.trial().isPresent()) {
            throw new BundleRejected(BundleError.INCOMPATIBLE, "manifest.trial", "certs bundles have no trial");
        }
        Set<String> services = new HashSet<>();
        for (ServiceDefinition s : m.services()) {
            if (!services.add(s.name())) {
                throw new BundleRejected(BundleError.INCOMPATIBLE, "manifest.services",
                        "service " + s.name() + " is defined twice");
            }
        }
        checkPaths(m, slotDir);
        long needed = Math.addExact(m.payloadBytes(), Math.max(0, margin));
        long available = Math.addExact(storage.usableSpace(updatesDir), SlotWriter.treeBytes(storage, slotDir));
        if (available < needed) {
            throw new BundleRejected(BundleError.NO_SPACE, updatesDir.toString(), needed
                    + " bytes needed (payload and margin), " + available + " available with the target slot freed");
        }
    }

    private void checkPaths(Manifest m, Path slotDir) throws BundleRejected {
        SlotWriter paths = new SlotWriter(storage, slotDir, m, false);
        Set<String> files = new HashSet<>();
        Set<String> folders = new HashSet<>();
        for (PayloadFile f : m.files()) {
            if (paths.resolve(f.path()).isEmpty()) {
                throw new BundleRejected(BundleError.PATH_UNSAFE, f.memberName(), "not a plain relative path");
            }
            if (!files.add(f.path())) {
                throw new BundleRejected(BundleError.MEMBER_DUPLICATE, f.memberName(), "listed twice");
            }
            for (int i = f.path().indexOf('/'); i >= 0; i = f.path().indexOf('/', i + 1)) {
                folders.add(f.path().substring(0, i));
            }
        }
        for (String folder : folders) {
            if (files.contains(folder)) {
                throw new BundleRejected(BundleError.PATH_UNSAFE, "payload/" + folder,
                        "listed as a file and used as a folder");
            }
        }
    }

    /**
     * Step 10, success: marks the slot good, then raises the floor to its version (never lowers it).
     * A cut between the two leaves a good slot above the floor, which {@link #recover()} heals.
     *
     * @throws IllegalStateException when the component is not on trial
     */
    public Committed commit(String component) throws IOException {
        ComponentState s = state(component);
        Journal j = onTrial(component, s);
        SlotRecord r = s.slots().get(j.target());
        writeState(component, s.withSlot(j.target(), r.marked(Mark.GOOD)).withJournal(j.at(Step.COMMITTED)));
        long floor = raiseFloor(component, r.version());
        return new Committed(component, j.target(), r.version(), r.bundleId(), floor);
    }

    /**
     * Step 10, failure: in one state write, activates the previous slot (when there is one and it is
     * good, else none), marks the trial slot bad and records the reason. The caller then restarts the
     * services from the restored slot and reports the reason.
     *
     * @throws IllegalStateException when the component is not on trial
     */
    public RolledBack rollBack(String component, RollbackReason reason) throws IOException {
        ComponentState s = state(component);
        Journal j = onTrial(component, s);
        Optional<String> restored = j.previous()
                .filter(p -> s.slots().containsKey(p) && s.slots().get(p).mark() == Mark.GOOD);
        SlotRecord failed = s.slots().get(j.target()).marked(Mark.BAD);
        writeState(component, s.withSlot(j.target(), failed).withActive(restored).withJournal(j.rolledBack(reason)));
        return new RolledBack(component, j.version(), reason, restored);
    }

    /**
     * At start, before any service runs from a slot: finishes what a power cut or crash interrupted.
     * An install before activation is abandoned (its slot stays bad); a trial is resumed, or rolled
     * back with {@code trial-interrupted} once restarts found it more than the allowed number of
     * times; a floor below the active good slot is raised. Safe to run again after a cut in it.
     */
    public List<Recovery> recover() throws IOException {
        List<Recovery> done = new ArrayList<>();
        for (String c : components()) {
            ComponentState s = state(c);
            if (s.journal().isPresent()) {
                Journal j = s.journal().get();
                switch (j.step()) {
                    case TARGET_BAD -> {
                        writeState(c, s.withJournal(j.at(Step.ABANDONED)));
                        done.add(new Recovery.Abandoned(c, j.bundleId(), j.version(), j.step()));
                    }
                    case TRIAL -> done.add(interruptedTrial(c, s, j));
                    case COMMITTED, ROLLED_BACK, ABANDONED -> { }
                }
            }
            ComponentState now = state(c);
            Optional<SlotRecord> good = now.active().map(a -> now.slots().get(a)).filter(r -> r.mark() == Mark.GOOD);
            long floor = floor(c);
            if (good.isPresent() && good.get().version() > floor) {
                raiseFloor(c, good.get().version());
                done.add(new Recovery.FloorRaised(c, floor, good.get().version()));
            }
        }
        return List.copyOf(done);
    }

    private Recovery interruptedTrial(String c, ComponentState s, Journal j) throws IOException {
        Journal counted = j.interrupted();
        if (counted.trialInterruptions() > maxTrialInterruptions) {
            Map<String, String> data = new LinkedHashMap<>();
            data.put("interruptions", Integer.toString(counted.trialInterruptions()));
            data.put("max", Integer.toString(maxTrialInterruptions));
            return new Recovery.RolledBackOnRecovery(
                    rollBack(c, new RollbackReason(Criterion.TRIAL_INTERRUPTED, data)));
        }
        writeState(c, s.withJournal(counted));
        return new Recovery.ResumeTrial(activeSlot(c, j.target(), s.slots().get(j.target())),
                counted.trialInterruptions());
    }

    private static Journal onTrial(String component, ComponentState s) {
        Optional<Journal> j = s.journal().filter(x -> x.step() == Step.TRIAL);
        if (j.isEmpty() || !s.active().equals(Optional.of(j.get().target()))) {
            throw new IllegalStateException(component + " has no install on trial");
        }
        return j.get();
    }

    private long raiseFloor(String component, long version) throws IOException {
        Map<String, Long> floors = new LinkedHashMap<>(floors());
        long raised = Math.max(floors.getOrDefault(component, 0L), version);
        if (raised != floors.getOrDefault(component, 0L)) {
            floors.put(component, raised);
            storage.writeAtomically(updatesDir.resolve("floors.json"), StateFile.writeFloors(floors));
        }
        return raised;
    }

    private Map<String, Long> floors() throws IOException {
        Path file = updatesDir.resolve("floors.json");
        Optional<byte[]> bytes = storage.read(file);
        return bytes.isEmpty() ? Map.of() : StateFile.parseFloors(bytes.get(), file);
    }

    private ComponentState state(String component) throws IOException {
        Path file = stateFile(component);
        Optional<byte[]> bytes = storage.read(file);
        return bytes.isEmpty() ? ComponentState.NONE : StateFile.parse(bytes.get(), file);
    }

    private void writeState(String component, ComponentState s) throws IOException {
        storage.writeAtomically(stateFile(component), StateFile.write(s));
    }

    private ActiveSlot activeSlot(String component, String slot, SlotRecord r) {
        return new ActiveSlot(component, slot, componentDir(component).resolve(slot), r.version(), r.bundleId(),
                r.versionName(), r.mark());
    }

    private Path componentsDir() {
        return updatesDir.resolve("components");
    }

    /**
     * The manifest a slot was installed from, kept beside the slot; empty when none was kept (a slot
     * that was never written).
     *
     * @throws IOException when the kept file cannot be read or is not a valid manifest
     */
    public Optional<Manifest> manifest(String component, String slot) throws IOException {
        Path file = manifestFile(component, slot);
        Optional<byte[]> bytes = storage.read(file);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ManifestCodec.parse(bytes.get()));
        } catch (BundleRejected e) {
            throw new IOException(file + ": the kept manifest is not valid: " + e.getMessage(), e);
        }
    }

    private Path manifestFile(String component, String slot) {
        return componentDir(component).resolve(slot + ".manifest.json");
    }

    private Path componentDir(String component) {
        return componentsDir().resolve(component);
    }

    private Path stateFile(String component) {
        return componentDir(component).resolve("state.json");
    }
}
