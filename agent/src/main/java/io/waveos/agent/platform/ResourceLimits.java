package io.waveos.agent.platform;

import java.io.IOException;
import java.util.Optional;

/**
 * Kernel-enforced resource budgets (cgroup v2 {@code memory.max} and {@code cpu.max}) in a cgroup
 * subtree delegated to the agent. Never touches a cgroup outside that subtree.
 */
public interface ResourceLimits {
    /** Why budgets cannot be kernel-enforced here (no delegated, writable cgroup v2); empty when they can. */
    Optional<String> unavailable();

    /**
     * Moves process {@code pid} into the budget cgroup of {@code service} with these limits.
     *
     * @param memoryMaxBytes {@code memory.max}, empty for no limit
     * @param cpuPermille {@code cpu.max} as permille of one core, empty for no limit
     * @throws IOException when the subtree is unavailable or a write fails, naming the file
     */
    void place(String service, long pid, Optional<Long> memoryMaxBytes, Optional<Integer> cpuPermille)
            throws IOException;

    /** No delegated cgroup: budgets are measured, never kernel-enforced. */
    static ResourceLimits none(String why) {
        return new ResourceLimits() {
            @Override
            public Optional<String> unavailable() {
                return Optional.of(why);
            }

            @Override
            public void place(String service, long pid, Optional<Long> memoryMaxBytes, Optional<Integer> cpuPermille)
                    throws IOException {
                throw new IOException("no delegated cgroup: " + why);
            }
        };
    }
}
