package io.waveos.agent.platform.fake;

import io.waveos.agent.platform.ProcessPriority;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Records priority changes as {@code nice PGID N} and {@code io PGID CLASS LEVEL}; can refuse them. */
public final class FakeProcessPriority implements ProcessPriority {
    public final List<String> calls = new ArrayList<>();
    private boolean refuse;

    /** Every later call fails as the OS would without permission. */
    public void refuse() {
        refuse = true;
    }

    @Override
    public void setNice(long pgid, int nice) throws IOException {
        if (refuse) {
            throw new IOException("EPERM");
        }
        calls.add("nice " + pgid + " " + nice);
    }

    @Override
    public void setIoPriority(long pgid, IoClass ioClass, int level) throws IOException {
        if (refuse) {
            throw new IOException("EPERM");
        }
        calls.add("io " + pgid + " " + ioClass + " " + level);
    }
}
