package io.waveos.agent.platform;

/**
 * Runs blocking jobs off the agent's loop, one at a time, in submission order: reading, verifying and
 * writing a bundle takes seconds, and a loop blocked that long would stop heartbeats and watchdog
 * kicks.
 *
 * <p>A job must not touch loop-owned state; it reports back only by submitting a loop event. A job
 * that throws is a bug: the real worker prints it and goes on with the next job.
 */
public interface Worker {
    void run(Runnable job);
}
