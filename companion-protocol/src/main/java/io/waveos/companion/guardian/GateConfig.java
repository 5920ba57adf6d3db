package io.waveos.companion.guardian;

import io.waveos.companion.proto.CommandKind;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Settings of the {@link CommandGate}.
 *
 * @param denyPatterns known-bad trigger patterns, checked in order
 * @param riskyKinds command kinds that are risky whatever their declared risk
 * @param degraded when health counts as degraded (risky commands are denied then)
 * @param maxReboots at most this many REBOOT approvals within {@code rebootWindow}
 * @param rebootWindow the sliding window of the reboot rate limit
 * @param rememberedDecisions how many decisions are kept to answer a repeated request id identically
 */
public record GateConfig(
        List<DenyPattern> denyPatterns,
        Set<CommandKind> riskyKinds,
        DegradedLimits degraded,
        int maxReboots,
        Duration rebootWindow,
        int rememberedDecisions) {

    public static final Set<CommandKind> DEFAULT_RISKY_KINDS = Set.of(CommandKind.COMMAND_KIND_REBOOT,
            CommandKind.COMMAND_KIND_INSTALL, CommandKind.COMMAND_KIND_WATCHDOG_DISARM);

    public static final GateConfig DEFAULT = new GateConfig(List.of(), DEFAULT_RISKY_KINDS, DegradedLimits.DEFAULT,
            3, Duration.ofHours(1), 256);

    public GateConfig {
        denyPatterns = List.copyOf(denyPatterns);
        Set<String> names = new HashSet<>();
        for (DenyPattern pattern : denyPatterns) {
            if (!names.add(pattern.name())) {
                throw new IllegalArgumentException("deny pattern " + pattern.name() + " appears twice");
            }
        }
        riskyKinds = Set.copyOf(riskyKinds);
        if (degraded == null) {
            throw new IllegalArgumentException("degraded limits are required");
        }
        Validation.atLeast("reboot.max", maxReboots, 0);
        Validation.positive("reboot.window", rebootWindow);
        Validation.atLeast("remembered-decisions", rememberedDecisions, 1);
    }

    /** A copy with other deny patterns. */
    public GateConfig withDenyPatterns(List<DenyPattern> patterns) {
        return new GateConfig(patterns, riskyKinds, degraded, maxReboots, rebootWindow, rememberedDecisions);
    }
}
