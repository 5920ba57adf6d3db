package io.waveos.agent.update;

import io.waveos.agent.config.ServiceConfig;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.install.ActiveSlot;
import io.waveos.bundles.install.SlotInstaller;
import io.waveos.bundles.manifest.Kind;
import io.waveos.bundles.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which service definitions each slot brings, and the supervisor changes that activating or leaving a
 * slot makes. App bundles define services; config and certs bundles restart the services their trial
 * names ({@code must_be_ready}) so that those read the new files.
 */
final class SlotServices {
    private final SlotInstaller installer;
    private final Updater.Host host;
    private final Path updatesDir;
    private final BundleServices bundleServices = new BundleServices();

    SlotServices(SlotInstaller installer, Updater.Host host, Path updatesDir) {
        this.installer = installer;
        this.host = host;
        this.updatesDir = updatesDir;
    }

    /** At start: defines the services of every active app slot; events for slots that cannot be read. */
    List<Event> defineAll() {
        List<Event> problems = new ArrayList<>();
        Map<String, Optional<ServiceConfig>> all = new LinkedHashMap<>();
        try {
            for (String component : installer.components()) {
                Optional<ActiveSlot> active = installer.active(component);
                if (active.isEmpty()) {
                    continue;
                }
                try {
                    Optional<Manifest> m = installer.manifest(component, active.get().slot());
                    if (m.isPresent() && m.get().kind() == Kind.APP) {
                        bundleServices.of(m.get(), active.get().dir()).forEach((n, c) -> all.put(n, Optional.of(c)));
                    }
                } catch (BundleRejected | IOException e) {
                    problems.add(Event.of(EventCode.UPDATE_UNAVAILABLE, component,
                            "cannot define the services of the active slot: " + e.getMessage()));
                }
            }
            if (!all.isEmpty()) {
                host.redefine(all, "services of the active slots");
            }
        } catch (IOException | IllegalArgumentException e) {
            problems.add(Event.of(EventCode.UPDATE_UNAVAILABLE, "update",
                    "cannot define the services of the active slots: " + e.getMessage()));
        }
        return problems;
    }

    /** A slot folder for checking a manifest's services before anything is written. */
    Path placeholderSlot(Manifest m) {
        return updatesDir.resolve("components").resolve(m.component()).resolve("next");
    }

    /**
     * The changes that running {@code next} from {@code slotDir} makes when {@code previous} ran before:
     * its services defined from the slot, the previous slot's services it drops removed.
     */
    Map<String, Optional<ServiceConfig>> changesFor(Manifest next, Path slotDir, Optional<Manifest> previous)
            throws BundleRejected {
        Map<String, Optional<ServiceConfig>> changes = new LinkedHashMap<>();
        if (next.kind() != Kind.APP) {
            next.trial().ifPresent(t -> t.mustBeReady().forEach(name ->
                    host.service(name).ifPresent(m -> changes.put(name, Optional.of(m.config())))));
            return changes;
        }
        Map<String, ServiceConfig> defined = bundleServices.of(next, slotDir);
        previous.filter(p -> p.kind() == Kind.APP).ifPresent(p -> p.services().forEach(s -> {
            if (!defined.containsKey(s.name())) {
                changes.put(s.name(), Optional.empty());
            }
        }));
        defined.forEach((n, c) -> changes.put(n, Optional.of(c)));
        return changes;
    }

    /** The manifest of the slot that is active now for {@code component}. */
    Optional<Manifest> activeManifest(String component) throws IOException {
        Optional<ActiveSlot> a = installer.active(component);
        return a.isEmpty() ? Optional.empty() : installer.manifest(component, a.get().slot());
    }

    Optional<Manifest> manifest(String component, String slot) throws IOException {
        return installer.manifest(component, slot);
    }
}
