package io.waveos.agent.platform.fake;

import io.waveos.agent.platform.BootFacts;
import java.util.Optional;

/** Boot facts the test sets; a "reboot" in a scenario is {@link #setBootId} with a new id. */
public final class FakeBootFacts implements BootFacts {
    private String bootId;
    private Optional<Integer> watchdogBootStatus = Optional.empty();

    public FakeBootFacts(String bootId) {
        this.bootId = bootId;
    }

    @Override
    public String bootId() {
        return bootId;
    }

    @Override
    public Optional<Integer> watchdogBootStatus() {
        return watchdogBootStatus;
    }

    public void setBootId(String bootId) {
        this.bootId = bootId;
    }

    public void setWatchdogBootStatus(Optional<Integer> status) {
        this.watchdogBootStatus = status;
    }
}
