package io.waveos.agent.platform.fake;

import io.waveos.agent.platform.EventLoop;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A deterministic loop on the caller's thread: {@link #submit} queues the event and, unless an event
 * is being handled already, handles the queue to empty before returning.
 */
public final class DirectEventLoop<E> implements EventLoop<E> {
    private final ArrayDeque<E> queue = new ArrayDeque<>();
    private Consumer<E> handler = e -> {
        throw new IllegalStateException("no handler bound");
    };
    private boolean handling;
    private boolean stopped;

    public void bind(Consumer<E> handler) {
        this.handler = handler;
    }

    @Override
    public void submit(E event) {
        if (stopped) {
            return;
        }
        queue.add(event);
        if (handling) {
            return;
        }
        handling = true;
        try {
            while (!queue.isEmpty() && !stopped) {
                handler.accept(queue.poll());
            }
        } finally {
            handling = false;
        }
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public int backlog() {
        return queue.size();
    }

    public boolean stopped() {
        return stopped;
    }
}
