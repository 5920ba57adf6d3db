package io.waveos.agent.evidence;

/**
 * Where capabilities report incidents that deserve an evidence pack.
 *
 * <p>Contract: called on the agent's loop thread; returns at once (the pack is assembled and written
 * off the loop); never throws for a failure to write a pack: that failure is itself an event.
 */
public interface Incidents {
    void report(Incident incident);
}
