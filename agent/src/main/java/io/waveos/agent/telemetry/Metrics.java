package io.waveos.agent.telemetry;

/**
 * The metric names the collectors produce (the {@code name} part of a {@link MetricKey}); the
 * reference with units and meaning is {@code docs/telemetry.md}. Names never change once released.
 */
public final class Metrics {
    private Metrics() {
    }

    // system, subject empty
    public static final String CPU_PERMILLE = "cpu_permille";
    public static final String LOAD1 = "load1";
    public static final String LOAD5 = "load5";
    public static final String LOAD15 = "load15";
    public static final String MEM_TOTAL_BYTES = "mem_total_bytes";
    public static final String MEM_USED_BYTES = "mem_used_bytes";
    public static final String MEM_AVAILABLE_BYTES = "mem_available_bytes";
    public static final String TEMP_MAX_MILLICELSIUS = "temp_max_millicelsius";
    // system, subject a thermal zone
    public static final String TEMP_MILLICELSIUS = "temp_millicelsius";
    // system, subject a network interface
    public static final String NET_RX_BYTES = "net_rx_bytes";
    public static final String NET_TX_BYTES = "net_tx_bytes";
    public static final String NET_RX_ERRORS = "net_rx_errors";
    public static final String NET_TX_ERRORS = "net_tx_errors";
    // system, subject a file system role (state, logs)
    public static final String DISK_TOTAL_BYTES = "disk_total_bytes";
    public static final String DISK_USED_BYTES = "disk_used_bytes";
    public static final String DISK_AVAILABLE_BYTES = "disk_available_bytes";

    // service, subject the service name (cpu_permille is of one core there)
    public static final String UP = "up";
    public static final String RSS_BYTES = "rss_bytes";
    public static final String THREADS = "threads";
    public static final String OPEN_FDS = "open_fds";
    public static final String RESTARTS_TOTAL = "restarts_total";
    /** Lines a service logged at an error level, from the spool's capture. */
    public static final String LOG_ERRORS_TOTAL = "log_errors_total";
    public static final String UPTIME_MS = "uptime_ms";
    public static final String EXITS_TOTAL = "exits_total";
    public static final String LAST_EXIT_CODE = "last_exit_code";
    public static final String LAST_EXIT_SIGNAL = "last_exit_signal";
    public static final String ERROR_EVENTS_PER_MIN = "error_events_per_min";

    // agent, subject empty (error_events_per_min also here, over all subjects)
    public static final String HEAP_USED_BYTES = "heap_used_bytes";
    public static final String HEAP_MAX_BYTES = "heap_max_bytes";
    public static final String EVENT_LOOP_LAG_MS = "event_loop_lag_ms";
    public static final String EVENT_LOOP_QUEUE_DEPTH = "event_loop_queue_depth";
    public static final String INBOX_QUEUE_DEPTH = "inbox_queue_depth";
    public static final String EVENTS_TOTAL = "events_total";
    public static final String SPOOL_QUEUE_DEPTH = "spool_queue_depth";
    public static final String SPOOL_WRITTEN_BYTES_TOTAL = "spool_written_bytes_total";
    public static final String SPOOL_DROPPED_TOTAL = "spool_dropped_total";
    public static final String SPOOL_DROPPED_BYTES_TOTAL = "spool_dropped_bytes_total";
    public static final String SPOOL_RETENTION_DROPPED_TOTAL = "spool_retention_dropped_total";
    public static final String SPOOL_FORWARDED_TOTAL = "spool_forwarded_total";
    public static final String SPOOL_FORWARD_DUPLICATES_TOTAL = "spool_forward_duplicates_total";
    public static final String SPOOL_FORWARD_BREAKERS_OPEN = "spool_forward_breakers_open";
}
