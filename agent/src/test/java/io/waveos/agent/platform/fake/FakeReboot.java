package io.waveos.agent.platform.fake;

import io.waveos.agent.platform.Reboot;
import java.util.ArrayList;
import java.util.List;

/** Records the reasons it was asked to reboot for, in order; never reboots. Not thread-safe. */
public final class FakeReboot implements Reboot {
    private final List<String> reasons = new ArrayList<>();

    @Override
    public void reboot(String reason) {
        reasons.add(reason);
    }

    public List<String> reasons() {
        return List.copyOf(reasons);
    }
}
