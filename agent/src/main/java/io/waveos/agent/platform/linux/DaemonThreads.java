package io.waveos.agent.platform.linux;

import java.util.concurrent.ThreadFactory;

/** Daemon platform threads with a fixed name, for long-lived workers such as the spool's writer. */
public final class DaemonThreads implements ThreadFactory {
    private final String name;

    public DaemonThreads(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }
}
