package io.waveos.agent.telemetry;

/**
 * Stable event codes. The wire form ({@link #wire()}) appears in {@code events.jsonl} and evidence;
 * it never changes once released: add codes, never rename them.
 *
 * <p>{@link #durable()} codes are fsynced before the agent acts further (see docs/supervision.md,
 * "fsync policy"); the others are written at once and fsynced within the flush interval.
 */
public enum EventCode {
    AGENT_STARTED("agent.started", true),
    AGENT_STOPPING("agent.stopping", true),
    AGENT_STOPPED("agent.stopped", true),
    CONFIG_LOADED("config.loaded", true),
    CONFIG_REJECTED("config.rejected", true),
    PREVIOUS_RUN_CLASSIFIED("agent.previous_run", true),
    ORPHAN_FOUND("service.orphan_found", true),
    ORPHAN_STOPPED("service.orphan_stopped", true),
    SERVICE_STARTING("service.starting", false),
    SERVICE_START_FAILED("service.start_failed", false),
    SERVICE_READY("service.ready", false),
    SERVICE_NOT_READY("service.not_ready", false),
    SERVICE_EXITED("service.exited", false),
    RESTART_SCHEDULED("service.restart_scheduled", false),
    BACKOFF_RESET("service.backoff_reset", false),
    INTENSITY_EXCEEDED("service.intensity_exceeded", true),
    SERVICE_STOPPING("service.stopping", false),
    SERVICE_KILLED("service.killed", false),
    SERVICE_STOPPED("service.stopped", false),
    SERVICE_DISABLED("service.disabled", true),
    MODE_CHANGED("mode.changed", true),
    OPERATOR_COMMAND("operator.command", true),
    REBOOT_INTENT("reboot.intent", true),
    REBOOT_REQUESTED("reboot.requested", true),
    WATCHDOG_ARMED("watchdog.armed", true),
    WATCHDOG_DISARMED("watchdog.disarmed", true),
    WATCHDOG_ERROR("watchdog.error", true),
    NOTIFY_READY("systemd.ready", false),
    LOOP_STALLED("agent.loop_stalled", true),
    STATE_WRITE_FAILED("agent.state_write_failed", true),
    CONTROL_UNAVAILABLE("agent.control_unavailable", true),
    COMPANION_LINK("companion.link", true),
    COMPANION_SAFE_ORDER("companion.safe_mode_order", true),
    APPROVAL_REQUESTED("companion.approval_requested", true),
    APPROVAL_DECIDED("companion.approval_decided", true),
    COMPANION_RESET_WITNESS("companion.reset_witness", true),
    COMPANION_ERROR("companion.error", true),
    /** The host's figures for health reports became unreadable, or readable again. */
    HEALTH_FIGURES("companion.health_figures", true),
    /** The Guardian's safe-mode GPIO line was asserted or released, or cannot be read. */
    COMPANION_SAFE_LINE("companion.safe_mode_line", true),
    UPDATE_UNAVAILABLE("update.unavailable", true),
    UPDATE_RECEIVED("update.received", true),
    UPDATE_REJECTED("update.rejected", true),
    UPDATE_INSTALLING("update.installing", true),
    UPDATE_ACTIVATED("update.activated", true),
    UPDATE_COMMITTED("update.committed", true),
    UPDATE_ROLLED_BACK("update.rolled_back", true),
    UPDATE_ROLLBACK_FAILED("update.rollback_failed", true),
    UPDATE_RECOVERED("update.recovered", true),
    TRUST_ROOT_ROTATED("update.trust_root_rotated", true),
    EVIDENCE_WRITTEN("evidence.written", true),
    /** A policy was accepted and is in force (its file, version and rule count). */
    POLICY_LOADED("policy.loaded", true),
    /** A policy was refused (file:line of each problem); the policy in force is kept. */
    POLICY_REJECTED("policy.rejected", true),
    /** A policy rule decided something: the rule id, the action, fired or shadowed, and its inputs. */
    POLICY_DECISION("policy.decision", true),
    /** A policy action could not be performed through its port (e.g. nice refused by the OS). */
    POLICY_ACTION_FAILED("policy.action_failed", true),
    /** A signed evidence pack was written (fields: kind, file, bytes, removed_old). */
    EVIDENCE_PACK_WRITTEN("evidence.pack_written", true),
    /** An evidence pack could not be written (fields: kind, file). */
    EVIDENCE_PACK_FAILED("evidence.pack_failed", true),
    /** Telemetry figures became unreadable or readable again, or metrics.csv could not be written. */
    TELEMETRY_PROBLEM("telemetry.problem", true),
    /** Spool recovery cut a torn tail off the segment being written (fields: segment, from, to). */
    SPOOL_TAIL_TRUNCATED("spool.tail_truncated", true),
    /** A corrupt stretch in the middle of a segment was skipped (fields: segment, from, to, reason). */
    SPOOL_CORRUPT_RECORD("spool.corrupt_record", true),
    /** Log lines were dropped: retention, a full queue or a write failure (fields: reason, records, bytes). */
    SPOOL_DROPPED("spool.dropped", false),
    /** The spool cannot write (disk full, read-only folder) or can again (fields: state, error). */
    SPOOL_WRITE_STATE("spool.write_state", true),
    /** A forwarding target's circuit breaker opened or closed (fields: target, state, failures). */
    SPOOL_FORWARD_BREAKER("spool.forward_breaker", true),
    /** The local API is listening, or cannot be opened. */
    API_STATE("api.state", true),
    /** An admin overrode feature flags through the API. */
    API_FLAGS_OVERRIDDEN("api.flags_overridden", true),
    /** A bundle was pushed through the API into the inbox. */
    API_BUNDLE_PUSHED("api.bundle_pushed", true),
    /** A service restart was requested through the API. */
    API_RESTART_REQUESTED("api.restart_requested", true),
    /** Flags of the config bundle are in force (fields: source, flags: their names). */
    API_FLAGS_LOADED("api.flags_loaded", true),
    /** The config bundle's flags file was refused; the flags in force stay (fields: source, error). */
    API_FLAGS_REFUSED("api.flags_refused", true),
    /** API keys of the certs bundle are in force (fields: source, key_ids; never a secret). */
    API_KEYS_LOADED("api.keys_loaded", true),
    /** The certs bundle's API keys file was refused; the keys in force stay (fields: source, error). */
    API_KEYS_REFUSED("api.keys_refused", true);

    private final String wire;
    private final boolean durable;

    EventCode(String wire, boolean durable) {
        this.wire = wire;
        this.durable = durable;
    }

    public String wire() {
        return wire;
    }

    public boolean durable() {
        return durable;
    }
}
