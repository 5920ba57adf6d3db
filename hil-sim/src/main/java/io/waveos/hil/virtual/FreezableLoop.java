package io.waveos.hil.virtual;

import io.waveos.agent.platform.EventLoop;
import io.waveos.agent.platform.fake.DirectEventLoop;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * The agent's loop in tier 1, which can be frozen like a SIGSTOPped process: while frozen, every event
 * (timers that fell due, bytes from the Guardian, process exits) waits in order, as in the kernel's
 * queues; {@link #thaw} hands them over in that order. Not thread-safe, like {@link DirectEventLoop}.
 */
final class FreezableLoop<E> implements EventLoop<E> {
    private final DirectEventLoop<E> inner = new DirectEventLoop<>();
    private final Deque<E> held = new ArrayDeque<>();
    private boolean frozen;

    void bind(Consumer<E> handler) {
        inner.bind(handler);
    }

    @Override
    public void submit(E event) {
        if (frozen) {
            held.add(event);
        } else {
            inner.submit(event);
        }
    }

    @Override
    public void stop() {
        held.clear();
        inner.stop();
    }

    @Override
    public int backlog() {
        return inner.backlog() + held.size();
    }

    boolean stopped() {
        return inner.stopped();
    }

    boolean frozen() {
        return frozen;
    }

    void freeze() {
        frozen = true;
    }

    void thaw() {
        frozen = false;
        while (!held.isEmpty() && !inner.stopped()) {
            inner.submit(held.poll());
        }
    }
}
