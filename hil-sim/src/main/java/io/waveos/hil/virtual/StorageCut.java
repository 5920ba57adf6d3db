package io.waveos.hil.virtual;

import io.waveos.agent.platform.fake.FakeStorage;
import io.waveos.bundles.platform.CrashingStorage;
import io.waveos.bundles.platform.PowerCutException;
import io.waveos.hil.scenario.CutPoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A power cut at a storage write in tier 1: once armed, counts the agent's mutating operations on its
 * two storage ports (the agent's {@link FakeStorage} and the updater's {@link CrashingStorage}), in
 * order, each named as {@code CrashingStorage.mutations()} names it ({@code "rename /sim/state/..."}),
 * and just before the Nth in scope makes both storages refuse that operation and every later one
 * until the power cut, which {@code onCut} schedules at once. The bench's own writes (a bundle pushed
 * into the inbox) are not the agent's and are not counted. Armed without a cut point's {@code nth},
 * it only counts (what a sweep's first run does). Not thread-safe: the virtual clock's thread only.
 */
final class StorageCut {
    private final CrashingStorage slots;
    private final Path updatesDir;
    private Optional<Armed> armed = Optional.empty();
    private final List<String> counted = new ArrayList<>();
    private Optional<String> refused = Optional.empty();
    private boolean down;
    private boolean bench;

    private record Armed(CutPoint.Scope scope, OptionalInt nth, Runnable onCut) {
    }

    StorageCut(FakeStorage storage, CrashingStorage slots, Path updatesDir) {
        this.slots = slots;
        this.updatesDir = updatesDir;
        storage.beforeEachMutation(this::agentStorage);
        slots.beforeEachMutation(this::slotStorage);
    }

    /** From now on counts the operations in {@code point}'s scope; {@code onCut} runs when the power must go. */
    void arm(CutPoint point, Runnable onCut) {
        counted.clear();
        armed = Optional.of(new Armed(point.scope(), point.nth(), onCut));
    }

    /** Stops counting (the end of the scenario: the rig's graceful stop is not part of it). */
    void disarm() {
        armed = Optional.empty();
    }

    /** The power is back (both storages were power-cut): writes work again; a cut falls only once. */
    void restored() {
        down = false;
    }

    /** Runs a write of the bench (not the agent's): not counted, and never cut. */
    void byBench(IoAction action) throws IOException {
        bench = true;
        try {
            action.run();
        } finally {
            bench = false;
        }
    }

    /** The bench's write. */
    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    /** The operations in scope counted since arming, the refused one last when the cut fell. */
    List<String> counted() {
        return List.copyOf(counted);
    }

    /** Whether the cut fell and the power has not been cut yet: every write fails meanwhile. */
    boolean down() {
        return down;
    }

    /** The operation the cut fell before, once it fell. */
    Optional<String> refused() {
        return refused;
    }

    private void agentStorage(String op, Path path) throws IOException {
        if (down) {
            throw new PowerCutException(op + " " + path);
        }
        if (reached(op, path)) {
            throw new PowerCutException(op + " " + path);
        }
    }

    private void slotStorage(String op, Path path) {
        // cutAt(0): the crashing storage refuses this very operation, and everything until powerCut()
        if (down || reached(op, path)) {
            slots.cutAt(0);
        }
    }

    private boolean reached(String op, Path path) {
        if (bench || armed.isEmpty()) {
            return false;
        }
        boolean inScope = switch (armed.get().scope()) {
            case ANY -> true;
            case UPDATES -> path.toAbsolutePath().normalize().startsWith(updatesDir);
        };
        if (!inScope) {
            return false;
        }
        counted.add(op + " " + path);
        OptionalInt nth = armed.get().nth();
        if (nth.isEmpty() || counted.size() < nth.getAsInt()) {
            return false;
        }
        down = true;
        refused = Optional.of(op + " " + path);
        Runnable onCut = armed.get().onCut();
        armed = Optional.empty();
        slots.cutAt(0);
        onCut.run();
        return true;
    }
}
