package io.waveos.agent.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks rules that span services, reporting at the line that breaks them: a name defined twice (at
 * the second definition), a dependency on an unknown name (at the {@code depends_on} entry) and
 * dependency cycles (at the entry that closes the cycle, naming the path {@code a -> b -> a}).
 *
 * <p>Services are visited in file order, so the report is the same for the same file. Self
 * dependencies are reported by {@link ServiceReader} and never reach this graph.
 */
final class CrossServiceCheck {

    private enum Visit { NEW, ON_PATH, DONE }

    private final NodeReader reader;
    private final Map<String, ServiceReader.Entry> byName = new LinkedHashMap<>();

    CrossServiceCheck(NodeReader reader) {
        this.reader = reader;
    }

    void check(List<ServiceReader.Entry> entries) {
        for (ServiceReader.Entry e : entries) {
            e.name().ifPresent(name -> {
                ServiceReader.Entry first = byName.putIfAbsent(name, e);
                if (first != null) {
                    reader.problem(e.nameLine(), NodeReader.child(e.path(), "name"), "duplicate service name "
                            + NodeReader.quote(name) + " (first defined at line " + first.nameLine() + ")");
                }
            });
        }
        for (ServiceReader.Entry e : entries) {
            for (ServiceReader.Dependency d : e.dependencies()) {
                if (!byName.containsKey(d.name())) {
                    reader.problem(d.line(), d.path(), "unknown service " + NodeReader.quote(d.name())
                            + "; defined services: " + String.join(", ", byName.keySet()));
                }
            }
        }
        Map<String, Visit> visits = new HashMap<>();
        for (String name : byName.keySet()) {
            visit(name, visits, new ArrayList<>());
        }
    }

    /** Depth-first; an edge back to a service on the current path closes a cycle. */
    private void visit(String name, Map<String, Visit> visits, List<String> path) {
        if (visits.getOrDefault(name, Visit.NEW) != Visit.NEW) {
            return;
        }
        visits.put(name, Visit.ON_PATH);
        path.add(name);
        for (ServiceReader.Dependency d : byName.get(name).dependencies()) {
            if (!byName.containsKey(d.name())) {
                continue;
            }
            if (visits.getOrDefault(d.name(), Visit.NEW) == Visit.ON_PATH) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(d.name()), path.size()));
                cycle.add(d.name());
                reader.problem(d.line(), d.path(), "dependency cycle: " + String.join(" -> ", cycle));
            } else {
                visit(d.name(), visits, path);
            }
        }
        path.remove(path.size() - 1);
        visits.put(name, Visit.DONE);
    }
}
