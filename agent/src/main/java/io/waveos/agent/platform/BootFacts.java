package io.waveos.agent.platform;

import java.util.Optional;

/** Facts about the current boot that the agent reads at start. */
public interface BootFacts {
    /** The kernel's boot id ({@code /proc/sys/kernel/random/boot_id}). */
    String bootId();

    /**
     * The watchdog driver's boot status bits ({@code /sys/class/watchdog/watchdogN/bootstatus}),
     * empty when the kernel does not expose them. Bit 0x20 ({@code WDIOF_CARDRESET}) means the last
     * reboot was caused by the watchdog.
     */
    Optional<Integer> watchdogBootStatus();
}
