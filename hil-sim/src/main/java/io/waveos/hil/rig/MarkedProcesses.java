package io.waveos.hil.rig;

import io.waveos.agent.fixture.ProcTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The live processes a device's agents launched: those whose environment carries the instance
 * marker of its state folder (the agent gives every service {@code WAVEOS_AGENT_MARKER}). The marker is
 * unique to one work folder, so only processes this run started are ever found or killed.
 */
final class MarkedProcesses {
    private final Path state;

    MarkedProcesses(Path state) {
        this.state = state;
    }

    Optional<String> marker() throws IOException {
        Path id = state.resolve("instance_id");
        return Files.exists(id) ? Optional.of(Files.readString(id, StandardCharsets.UTF_8).trim()) : Optional.empty();
    }

    List<ProcTable.Proc> live() throws IOException {
        Optional<String> m = marker();
        return m.isPresent() ? ProcTable.marked(m.get()) : List.of();
    }

    /** SIGKILL to every marked process, as a power cut would. Returns how many were killed. */
    int killAll() throws IOException {
        int n = 0;
        for (ProcTable.Proc p : live()) {
            Optional<ProcessHandle> h = ProcessHandle.of(p.pid());
            if (h.isPresent() && h.get().destroyForcibly()) {
                n++;
            }
        }
        return n;
    }
}
