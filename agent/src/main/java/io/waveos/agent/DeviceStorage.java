package io.waveos.agent;

import io.waveos.agent.config.AgentConfig;
import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.crashsim.CrashShadow;
import io.waveos.agent.platform.linux.LinuxSlotStorage;
import io.waveos.agent.platform.linux.LinuxStorage;
import io.waveos.bundles.platform.SlotStorage;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The agent's two storage ports, built in one place: its own durable files ({@link Storage}) and the
 * updater's slots ({@link SlotStorage}). On a device they are the Linux adapters. The HIL simulator's
 * third seam, {@code -Dwaveos.storage=crash-shadow:<dir>} (never set on a device; docs/hil.md), wraps
 * both in a {@link CrashShadow} so that its power cuts can lose what a real one would.
 */
record DeviceStorage(Storage files, SlotStorage slots) {

    /**
     * @param property the value of {@code waveos.storage}, empty when not set
     * @throws IllegalArgumentException for a value other than {@code crash-shadow:<dir>}
     */
    static DeviceStorage select(Optional<String> property, AgentConfig config) throws IOException {
        if (property.isEmpty()) {
            return new DeviceStorage(new LinuxStorage(), new LinuxSlotStorage());
        }
        CrashShadow shadow = CrashShadow.open(CrashShadow.folder(property.get()),
                List.of(config.paths().state(), config.paths().logs()), config.paths().state().resolve("updates"));
        return new DeviceStorage(shadow.storage(), shadow.slotStorage());
    }
}
