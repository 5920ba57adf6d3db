package io.waveos.agent.update;

import io.waveos.agent.config.ConfigException;
import io.waveos.agent.config.ConfigLoader;
import io.waveos.agent.config.ServiceConfig;
import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.manifest.Manifest;
import io.waveos.bundles.manifest.ServiceDefinition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an app bundle's service definitions into {@link ServiceConfig}s that run from a slot, with the
 * config file's own rules. A relative program ({@code command[0]}) or {@code workdir} is resolved
 * against the slot's folder and must stay inside it; without a {@code workdir} the slot's folder is the
 * working directory. {@value #SLOT_PLACEHOLDER} in any command argument is replaced by the slot's folder.
 */
final class BundleServices {
    /** Replaced by the slot's folder in every command argument, so {@code [/usr/bin/python3, ${slot}/app.py]} works. */
    static final String SLOT_PLACEHOLDER = "${slot}";
    private final ConfigLoader loader = new ConfigLoader();

    /** The services, by name, in manifest order; {@code INCOMPATIBLE} naming the definition when one is invalid. */
    Map<String, ServiceConfig> of(Manifest manifest, Path slotDir) throws BundleRejected {
        Map<String, ServiceConfig> out = new LinkedHashMap<>();
        List<ServiceDefinition> defs = manifest.services();
        for (int i = 0; i < defs.size(); i++) {
            String where = "manifest.services[" + i + "]";
            Map<String, Object> spec = new LinkedHashMap<>(defs.get(i).spec());
            spec.put("command", command(spec.get("command"), slotDir, where));
            Object workdir = spec.get("workdir");
            spec.put("workdir", workdir instanceof String w ? inside(slotDir, w, where + ".workdir").toString()
                    : slotDir.toString());
            try {
                ServiceConfig c = loader.parseService("bundle " + manifest.bundleId() + " " + where, Json.write(spec));
                out.put(c.name(), c);
            } catch (ConfigException e) {
                throw new BundleRejected(BundleError.INCOMPATIBLE, where, e.getMessage().strip());
            }
        }
        return out;
    }

    private static Object command(Object command, Path slotDir, String where) throws BundleRejected {
        if (!(command instanceof List<?> list) || list.isEmpty() || !(list.get(0) instanceof String program)) {
            return command; // the config rules report the shape
        }
        List<Object> resolved = new ArrayList<>();
        for (Object arg : list) {
            resolved.add(arg instanceof String a ? a.replace(SLOT_PLACEHOLDER, slotDir.toString()) : arg);
        }
        if (!program.startsWith("/")) {
            resolved.set(0, inside(slotDir, program, where + ".command[0]").toString());
        }
        return resolved;
    }

    private static Path inside(Path slotDir, String relative, String where) throws BundleRejected {
        if (relative.startsWith("/")) {
            return Path.of(relative);
        }
        Path p = slotDir.resolve(relative).normalize();
        if (!p.startsWith(slotDir)) {
            throw new BundleRejected(BundleError.PATH_UNSAFE, where, "a relative path must stay inside the slot, got "
                    + relative);
        }
        return p;
    }
}
