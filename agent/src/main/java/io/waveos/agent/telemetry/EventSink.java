package io.waveos.agent.telemetry;

/**
 * Where events go. Called only from the agent's loop thread.
 *
 * <p>Contract: when {@code emit} returns, the event has been written (it survives a crash of the
 * agent), and if its code is {@link EventCode#durable() durable} it has been fsynced (it survives a
 * power cut). A write failure is reported, never swallowed: the implementation counts it and keeps the
 * event in memory for the next attempt.
 */
public interface EventSink {
    void emit(Event event);
}
