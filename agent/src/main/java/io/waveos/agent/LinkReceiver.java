package io.waveos.agent;

import io.waveos.agent.platform.EventLoop;
import io.waveos.companion.transport.ByteTransport;
import java.util.Arrays;

/**
 * Turns what a Guardian transport's reader thread sees into loop events: bytes (copied, the reader
 * reuses its buffer) and the close. Used by the agent's composition root and by the simulator, which
 * joins the same link over a pipe.
 */
public final class LinkReceiver implements ByteTransport.Receiver {
    private final EventLoop<LoopEvent> loop;
    private final Runnable afterClose;

    /** @param afterClose runs on the reader thread after the close was submitted (a reconnect, say) */
    public LinkReceiver(EventLoop<LoopEvent> loop, Runnable afterClose) {
        this.loop = loop;
        this.afterClose = afterClose;
    }

    @Override
    public void onBytes(byte[] buf, int off, int len) {
        loop.submit(new LoopEvent.CompanionBytes(Arrays.copyOfRange(buf, off, off + len)));
    }

    @Override
    public void onClosed(String reason) {
        loop.submit(new LoopEvent.CompanionClosed(reason));
        afterClose.run();
    }
}
