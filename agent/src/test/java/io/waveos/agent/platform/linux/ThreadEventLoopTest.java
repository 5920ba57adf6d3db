package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThreadEventLoopTest {
    @Test
    void backlogCountsEventsNotYetHandled() {
        ThreadEventLoop<String> loop = new ThreadEventLoop<>("test-loop", e -> { });

        loop.submit("a");
        loop.submit("b");
        loop.submit("c");

        assertEquals(3, loop.backlog(), "the loop was never started, so nothing was taken");
    }
}
