package io.waveos.agent.telemetry;

import io.waveos.bundles.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code run_meta.json} says about a run.
 *
 * @param agentVersion the agent's version
 * @param deviceId the device this agent runs on
 * @param bootId the kernel boot id of this run
 * @param runId this run's id (the name of its {@link RunDirectory})
 * @param configSha256 lowercase hex SHA-256 of the configuration file's bytes
 * @param started when this run started (wall time)
 * @param previousStop how the previous run ended, as the watchdog classified it (its wire name,
 *     e.g. {@code agent_crash}, {@code first_start})
 * @param previousRunId the previous run's id; empty on a first start, and then not written
 * @param pid this agent's process id
 * @param policyVersion the {@code policy_version} of the policy file in force; empty when no policy is
 *     loaded, and then not written
 */
public record RunMeta(String agentVersion, String deviceId, String bootId, String runId, String configSha256,
        Instant started, String previousStop, Optional<String> previousRunId, long pid,
        Optional<String> policyVersion) {

    /** Without a policy. */
    public RunMeta(String agentVersion, String deviceId, String bootId, String runId, String configSha256,
            Instant started, String previousStop, Optional<String> previousRunId, long pid) {
        this(agentVersion, deviceId, bootId, runId, configSha256, started, previousStop, previousRunId, pid,
                Optional.empty());
    }

    /** The same, naming the policy in force (rewrite run_meta.json with it once the policy is loaded). */
    public RunMeta withPolicyVersion(String version) {
        return new RunMeta(agentVersion, deviceId, bootId, runId, configSha256, started, previousStop, previousRunId,
                pid, Optional.of(version));
    }

    public RunMeta {
        requireText(agentVersion, "agentVersion");
        requireText(deviceId, "deviceId");
        requireText(bootId, "bootId");
        requireText(runId, "runId");
        requireText(configSha256, "configSha256");
        if (!configSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("configSha256 must be 64 lowercase hex digits: " + configSha256);
        }
        Objects.requireNonNull(started, "started");
        requireText(previousStop, "previousStop");
        Objects.requireNonNull(previousRunId, "previousRunId");
        previousRunId.ifPresent(id -> requireText(id, "previousRunId"));
        Objects.requireNonNull(policyVersion, "policyVersion");
        policyVersion.ifPresent(v -> requireText(v, "policyVersion"));
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive: " + pid);
        }
    }

    /**
     * The file's bytes: one JSON object with keys agent_version, device_id, boot_id, run_id,
     * config_sha256, started, previous_stop, previous_run_id (only when known), pid, policy_version
     * (only when known), and a final newline.
     */
    public byte[] toJson() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("agent_version", agentVersion);
        m.put("device_id", deviceId);
        m.put("boot_id", bootId);
        m.put("run_id", runId);
        m.put("config_sha256", configSha256);
        m.put("started", Json.time(started));
        m.put("previous_stop", previousStop);
        previousRunId.ifPresent(id -> m.put("previous_run_id", id));
        m.put("pid", pid);
        policyVersion.ifPresent(v -> m.put("policy_version", v));
        return (Json.write(m) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
