package io.waveos.agent.supervision;

import io.waveos.agent.config.ServiceConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependency graph of the services: a start order in which every service comes after its
 * dependencies (stable: otherwise in configuration order), and each service's dependents.
 * The configuration loader has already rejected unknown names and cycles; a cycle here is a bug.
 */
final class ServiceGraph {
    private final List<ServiceConfig> startOrder;
    private final Map<String, List<String>> dependents = new LinkedHashMap<>();

    ServiceGraph(List<ServiceConfig> services) {
        Map<String, ServiceConfig> byName = new LinkedHashMap<>();
        for (ServiceConfig s : services) {
            byName.put(s.name(), s);
            dependents.put(s.name(), new ArrayList<>());
        }
        for (ServiceConfig s : services) {
            for (String d : s.dependsOn()) {
                if (!dependents.containsKey(d)) {
                    throw new IllegalArgumentException("service " + s.name() + " depends on unknown service " + d);
                }
                dependents.get(d).add(s.name());
            }
        }
        Set<String> placed = new LinkedHashSet<>();
        List<ServiceConfig> order = new ArrayList<>();
        while (order.size() < services.size()) {
            boolean progress = false;
            for (ServiceConfig s : services) {
                if (!placed.contains(s.name()) && placed.containsAll(s.dependsOn())) {
                    placed.add(s.name());
                    order.add(s);
                    progress = true;
                }
            }
            if (!progress) {
                throw new IllegalArgumentException("dependency cycle among services " + byName.keySet());
            }
        }
        this.startOrder = List.copyOf(order);
    }

    List<ServiceConfig> startOrder() {
        return startOrder;
    }

    List<String> dependentsOf(String service) {
        return dependents.getOrDefault(service, List.of());
    }
}
