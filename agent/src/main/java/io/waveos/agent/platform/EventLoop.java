package io.waveos.agent.platform;

/**
 * The agent's single event loop: one thread handles every submitted event in submission order.
 *
 * <p>{@link #submit} may be called from any thread. The real loop runs on its own thread; the
 * deterministic twin handles events synchronously on the caller's thread (after the event being
 * handled, never re-entrantly).
 */
public interface EventLoop<E> {
    void submit(E event);

    /** Stops taking events once the current one is handled. Idempotent. */
    void stop();

    /**
     * Events submitted and not yet taken for handling (the one being handled is not counted). Any
     * thread; a moment's figure, for health reports.
     */
    int backlog();
}
