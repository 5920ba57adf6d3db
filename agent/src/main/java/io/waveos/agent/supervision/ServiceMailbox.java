package io.waveos.agent.supervision;

/**
 * Posts an input for a service onto the agent's loop. Safe to call from any thread (process exit
 * watchers, probe threads, timers); the input is handled later on the loop thread.
 */
@FunctionalInterface
public interface ServiceMailbox {
    void post(String service, ServiceInput input);
}
