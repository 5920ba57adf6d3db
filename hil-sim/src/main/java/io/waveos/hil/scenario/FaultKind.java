package io.waveos.hil.scenario;

import java.util.Set;

/** The kinds of fault on a scenario's timeline, and the tiers that can inject each today. */
public enum FaultKind {
    /** Tell a running fake service to crash, hang, leak, spin, flood, corrupt or exit. */
    SERVICE("service", Set.of(1, 2)),
    /** SIGKILL of the agent alone; its services keep running (crash-only recovery). */
    KILL_AGENT("kill-agent", Set.of(1, 2)),
    /** SIGSTOP of the agent for {@code for} (a hung agent), then SIGCONT unless a reset came first. */
    FREEZE_AGENT("freeze-agent", Set.of(1, 2)),
    /** The power goes: the agent and every service die at once; the device boots after {@code for}. */
    POWER_CUT("power-cut", Set.of(1, 2)),
    /**
     * A signed bundle dropped into the agent's inbox, or pushed through its API's signed {@code POST}
     * ({@code via: api}): {@code good}, {@code failing-trial}, {@code tampered}, {@code partial}, or through
     * the API {@code repeat} (the previous API push's bytes again) (needs {@code device.updates}).
     */
    PUSH_BUNDLE("push-bundle", Set.of(1, 2)),
    /**
     * Bit errors on the Guardian link at a rate ({@code ber}) for {@code for}: in tier 2 a noisy relay
     * between two socat PTY pairs flips the bits; in tier 1 the simulated wire does.
     */
    SERIAL_NOISE("serial-noise", Set.of(1, 2)),
    /** The Guardian link lost for {@code for}: in tier 2 the Guardian board loses power, then comes back. */
    LINK_CUT("link-cut", Set.of(1, 2)),
    /**
     * The device's wall clock steps by {@code by} (negative: back); the monotonic clock does not. Tier 1
     * only: tier 2 would have to step the host's clock.
     */
    CLOCK_JUMP("clock-jump", Set.of(1)),
    /**
     * The disk is full for {@code for}: every write, fsync, create, rename and delete of the agent fails.
     * Tier 1 only (the crash-simulating storage refuses writes; tier 2 would need a root mount).
     */
    DISK_FULL("disk-full", Set.of(1)),
    /**
     * Hostile traffic against the agent's local API for {@code for}, about {@code rate} requests a second:
     * unsigned requests, bad signatures, replayed nonces, oversized and slow bodies, all on loopback
     * (needs {@code device.api}). Tier 2 only: tier 1 opens no port.
     */
    API_ABUSE("api-abuse", Set.of(2));

    private final String wire;
    private final Set<Integer> tiers;

    FaultKind(String wire, Set<Integer> tiers) {
        this.wire = wire;
        this.tiers = tiers;
    }

    public String wire() {
        return wire;
    }

    /** The tiers that can inject this fault now; empty for kinds that are only declared hooks. */
    public Set<Integer> tiers() {
        return tiers;
    }
}
