package io.waveos.agent.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The whole agent configuration. Cross-field rules (unique names, known dependencies, no cycles) are
 * checked by {@link ConfigLoader} where the line numbers are known; the constructor re-checks the
 * invariants that code relies on.
 */
public record AgentConfig(
        int schemaVersion,
        String deviceId,
        PathsConfig paths,
        List<ServiceConfig> services,
        EscalationConfig escalation,
        ModesConfig modes,
        WatchdogConfig watchdog,
        RebootConfig reboot,
        OutputConfig output,
        ShutdownConfig shutdown,
        Optional<CompanionConfig> companion,
        Optional<UpdatesConfig> updates,
        Optional<PolicyConfig> policy,
        TelemetryConfig telemetry,
        EvidenceConfig evidence,
        SpoolConfig spool,
        Optional<ApiConfig> api) {

    /** A configuration without the local API. */
    public AgentConfig(int schemaVersion, String deviceId, PathsConfig paths, List<ServiceConfig> services,
            EscalationConfig escalation, ModesConfig modes, WatchdogConfig watchdog, RebootConfig reboot,
            OutputConfig output, ShutdownConfig shutdown, Optional<CompanionConfig> companion,
            Optional<UpdatesConfig> updates, Optional<PolicyConfig> policy, TelemetryConfig telemetry,
            EvidenceConfig evidence, SpoolConfig spool) {
        this(schemaVersion, deviceId, paths, services, escalation, modes, watchdog, reboot, output, shutdown,
                companion, updates, policy, telemetry, evidence, spool, Optional.empty());
    }

    /**
     * A configuration with the default spool, keeping the per-service output files as well (what a
     * configuration built before the spool existed expects).
     */
    public AgentConfig(int schemaVersion, String deviceId, PathsConfig paths, List<ServiceConfig> services,
            EscalationConfig escalation, ModesConfig modes, WatchdogConfig watchdog, RebootConfig reboot,
            OutputConfig output, ShutdownConfig shutdown, Optional<CompanionConfig> companion,
            Optional<UpdatesConfig> updates, Optional<PolicyConfig> policy, TelemetryConfig telemetry,
            EvidenceConfig evidence) {
        this(schemaVersion, deviceId, paths, services, escalation, modes, watchdog, reboot, output, shutdown,
                companion, updates, policy, telemetry, evidence, SpoolConfig.defaults(paths).withOutputFiles(true));
    }

    /** A configuration with a policy and default telemetry and evidence sections. */
    public AgentConfig(int schemaVersion, String deviceId, PathsConfig paths, List<ServiceConfig> services,
            EscalationConfig escalation, ModesConfig modes, WatchdogConfig watchdog, RebootConfig reboot,
            OutputConfig output, ShutdownConfig shutdown, Optional<CompanionConfig> companion,
            Optional<UpdatesConfig> updates, Optional<PolicyConfig> policy) {
        this(schemaVersion, deviceId, paths, services, escalation, modes, watchdog, reboot, output, shutdown,
                companion, updates, policy, TelemetryConfig.defaults(), EvidenceConfig.defaults(paths));
    }

    /** A configuration without a policy. */
    public AgentConfig(int schemaVersion, String deviceId, PathsConfig paths, List<ServiceConfig> services,
            EscalationConfig escalation, ModesConfig modes, WatchdogConfig watchdog, RebootConfig reboot,
            OutputConfig output, ShutdownConfig shutdown, Optional<CompanionConfig> companion,
            Optional<UpdatesConfig> updates, TelemetryConfig telemetry, EvidenceConfig evidence) {
        this(schemaVersion, deviceId, paths, services, escalation, modes, watchdog, reboot, output, shutdown,
                companion, updates, Optional.empty(), telemetry, evidence);
    }

    /** A configuration without a policy, with default telemetry and evidence sections. */
    public AgentConfig(int schemaVersion, String deviceId, PathsConfig paths, List<ServiceConfig> services,
            EscalationConfig escalation, ModesConfig modes, WatchdogConfig watchdog, RebootConfig reboot,
            OutputConfig output, ShutdownConfig shutdown, Optional<CompanionConfig> companion,
            Optional<UpdatesConfig> updates) {
        this(schemaVersion, deviceId, paths, services, escalation, modes, watchdog, reboot, output, shutdown,
                companion, updates, Optional.empty());
    }

    /** A configuration without updates. */
    public AgentConfig(int schemaVersion, String deviceId, PathsConfig paths, List<ServiceConfig> services,
            EscalationConfig escalation, ModesConfig modes, WatchdogConfig watchdog, RebootConfig reboot,
            OutputConfig output, ShutdownConfig shutdown, Optional<CompanionConfig> companion) {
        this(schemaVersion, deviceId, paths, services, escalation, modes, watchdog, reboot, output, shutdown,
                companion, Optional.empty());
    }

    /** A configuration without a Guardian companion. */
    public AgentConfig(int schemaVersion, String deviceId, PathsConfig paths, List<ServiceConfig> services,
            EscalationConfig escalation, ModesConfig modes, WatchdogConfig watchdog, RebootConfig reboot,
            OutputConfig output, ShutdownConfig shutdown) {
        this(schemaVersion, deviceId, paths, services, escalation, modes, watchdog, reboot, output, shutdown,
                Optional.empty());
    }

    /** The only schema version this agent reads. */
    public static final int SCHEMA_VERSION = 1;

    public AgentConfig {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalArgumentException("schema_version must be " + SCHEMA_VERSION);
        }
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(escalation, "escalation");
        Objects.requireNonNull(modes, "modes");
        Objects.requireNonNull(watchdog, "watchdog");
        Objects.requireNonNull(reboot, "reboot");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(shutdown, "shutdown");
        Objects.requireNonNull(companion, "companion");
        Objects.requireNonNull(updates, "updates");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(telemetry, "telemetry");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(spool, "spool");
        Objects.requireNonNull(api, "api");
        services = List.copyOf(services);
        Set<String> names = new HashSet<>();
        for (ServiceConfig s : services) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("duplicate service name " + s.name());
            }
        }
        for (ServiceConfig s : services) {
            for (String d : s.dependsOn()) {
                if (!names.contains(d)) {
                    throw new IllegalArgumentException("service " + s.name() + " depends on unknown " + d);
                }
            }
        }
    }
}
