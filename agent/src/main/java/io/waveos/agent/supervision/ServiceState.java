package io.waveos.agent.supervision;

/** Where a service is in its lifecycle. */
public enum ServiceState {
    /** Not running and not wanted (initial, stopped on request, or exited under its restart policy). */
    STOPPED,
    /** Launched; waiting for the readiness probe. */
    STARTING,
    /** Ready. */
    RUNNING,
    /** Exited; a restart is scheduled. */
    BACKOFF,
    /** The stop signal was sent; waiting for the exit (SIGKILL after the stop timeout). */
    STOPPING,
    /** Taken out of service by escalation; restarted only by mode recovery or an operator. */
    DISABLED
}
