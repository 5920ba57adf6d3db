package io.waveos.agent.update;

import io.waveos.agent.config.ServiceConfig;
import io.waveos.agent.supervision.ServiceMachine;
import io.waveos.agent.supervision.Supervisor;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** The {@link Updater.Host} over the agent's supervisor and mode, on the loop thread. */
public final class SupervisorHost implements Updater.Host {
    private final Supervisor supervisor;
    private final BooleanSupplier safeMode;
    private final BooleanSupplier shuttingDown;

    /**
     * @param safeMode true while the device is in SAFE
     * @param shuttingDown true once the agent stops its services: no service is redefined then
     */
    public SupervisorHost(Supervisor supervisor, BooleanSupplier safeMode, BooleanSupplier shuttingDown) {
        this.supervisor = supervisor;
        this.safeMode = safeMode;
        this.shuttingDown = shuttingDown;
    }

    @Override
    public void checkRedefine(Map<String, Optional<ServiceConfig>> changes) {
        supervisor.checkRedefine(changes);
    }

    @Override
    public void redefine(Map<String, Optional<ServiceConfig>> changes, String reason) {
        if (!shuttingDown.getAsBoolean()) {
            supervisor.redefine(changes, reason);
        }
    }

    @Override
    public Optional<ServiceMachine> service(String name) {
        return supervisor.service(name);
    }

    @Override
    public boolean inSafeMode() {
        return safeMode.getAsBoolean();
    }
}
