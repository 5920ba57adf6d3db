package io.waveos.agent;

import io.waveos.agent.config.AgentConfig;
import io.waveos.agent.config.EscalationConfig;
import io.waveos.agent.config.ModesConfig;
import io.waveos.agent.config.OutputConfig;
import io.waveos.agent.config.PathsConfig;
import io.waveos.agent.config.ReadinessConfig;
import io.waveos.agent.config.RebootConfig;
import io.waveos.agent.config.RestartConfig;
import io.waveos.agent.config.ServiceConfig;
import io.waveos.agent.config.ShutdownConfig;
import io.waveos.agent.config.StopConfig;
import io.waveos.agent.config.WatchdogConfig;
import io.waveos.agent.platform.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds configurations for tests without YAML. */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static Service service(String name) {
        return new Service(name);
    }

    /** SAFE left after 10 min without essential failure; DEGRADED retried after 5 min. */
    public static final ModesConfig MODES = new ModesConfig(Duration.ofMinutes(10), Duration.ofMinutes(5));

    /** A service whose restart intensity is exceeded by its third exit within a minute. */
    public static Service fragile(String name) {
        return service(name).intensity(2, Duration.ofSeconds(60));
    }

    public static AgentConfig agent(EscalationConfig escalation, ModesConfig modes, Service... services) {
        List<ServiceConfig> list = new ArrayList<>();
        for (Service s : services) {
            list.add(s.build());
        }
        return new AgentConfig(1, "test-device", new PathsConfig(Path.of("/state"), Path.of("/logs")), list,
                escalation, modes, new WatchdogConfig(Optional.empty(), Duration.ofSeconds(5), Optional.empty()),
                RebootConfig.defaults(), OutputConfig.defaults(), new ShutdownConfig(Duration.ofSeconds(30)));
    }

    public static AgentConfig agent(Service... services) {
        return agent(EscalationConfig.defaults(), ModesConfig.defaults(), services);
    }

    /** A mutable service description. */
    public static final class Service {
        private final String name;
        private List<String> command;
        private boolean essential;
        private boolean safe;
        private List<String> deps = List.of();
        private ReadinessConfig ready = ReadinessConfig.started();
        private StopConfig stop = StopConfig.defaults();
        private RestartConfig.Policy policy = RestartConfig.Policy.ALWAYS;
        private RestartConfig.Backoff backoff = new RestartConfig.Backoff(Duration.ZERO, Duration.ofSeconds(30), 2.0,
                0.0, Duration.ofSeconds(60));
        private RestartConfig.Intensity intensity = new RestartConfig.Intensity(5, Duration.ofSeconds(60));

        Service(String name) {
            this.name = name;
            this.command = List.of("/opt/" + name);
        }

        public Service command(String... c) {
            command = List.of(c);
            return this;
        }

        public Service essential() {
            essential = true;
            return this;
        }

        public Service allowedInSafeMode() {
            safe = true;
            return this;
        }

        public Service dependsOn(String... d) {
            deps = List.of(d);
            return this;
        }

        public Service tcpReady(int port, Duration timeout) {
            ready = new ReadinessConfig(ReadinessConfig.Kind.TCP, List.of(), "127.0.0.1", port, null, timeout,
                    Duration.ofMillis(200));
            return this;
        }

        public Service stop(Signal signal, Duration timeout) {
            stop = new StopConfig(signal, timeout);
            return this;
        }

        public Service policy(RestartConfig.Policy p) {
            policy = p;
            return this;
        }

        public Service backoff(Duration initial, Duration max, double factor, double jitter, Duration resetAfter) {
            backoff = new RestartConfig.Backoff(initial, max, factor, jitter, resetAfter);
            return this;
        }

        public Service intensity(int max, Duration within) {
            intensity = new RestartConfig.Intensity(max, within);
            return this;
        }

        ServiceConfig build() {
            return new ServiceConfig(name, command, Map.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                    essential, safe, deps, ready, stop, new RestartConfig(policy, backoff, intensity));
        }
    }
}
