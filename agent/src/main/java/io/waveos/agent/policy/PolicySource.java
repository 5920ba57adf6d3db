package io.waveos.agent.policy;

import io.waveos.agent.config.ConfigException;
import io.waveos.agent.config.ConfigException.ConfigProblem;
import io.waveos.agent.config.PolicyConfig;
import io.waveos.agent.platform.Storage;
import io.waveos.agent.update.ActiveSlots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the policy in force comes from: the active slot of the configured config bundle when it
 * holds the policy file, else the configured file. Reads through the {@link Storage} port.
 */
public final class PolicySource {
    /** What loading found. */
    public sealed interface Result {
    }

    /** A valid policy. */
    public record Found(Policy policy) implements Result {
    }

    /** The policy at {@code source} is invalid or unreadable; each problem names file and line. */
    public record Refused(String source, List<ConfigProblem> problems) implements Result {
        public Refused {
            problems = List.copyOf(problems);
        }
    }

    /** Nothing to load (no file configured and no bundle slot holding one). */
    public record Absent(String why) implements Result {
    }

    private final PolicyConfig config;
    private final Storage storage;
    private final ActiveSlots slots;

    public PolicySource(PolicyConfig config, Storage storage, ActiveSlots slots) {
        this.config = config;
        this.storage = storage;
        this.slots = slots;
    }

    /** The configured bundle component, if any. */
    public Optional<String> bundle() {
        return config.bundle();
    }

    /** Loads the policy to use now. */
    public Result load() {
        if (config.bundle().isPresent()) {
            // A bundle slot holding the policy wins; without one the configured file is used.
            ActiveSlots.FileRead read = slots.read(config.bundle().get(), config.bundleFile(), storage);
            if (read instanceof ActiveSlots.Found f) {
                return parse(f.source(), f.bytes());
            }
            if (read instanceof ActiveSlots.Unreadable u) {
                return new Refused(u.source(), List.of(new ConfigProblem(u.source(), 0, "",
                        "cannot read the active slot: " + u.why())));
            }
        }
        if (config.file().isEmpty()) {
            return new Absent("the bundle " + config.bundle().orElse("") + " has no active slot holding "
                    + config.bundleFile() + " and no policy.file is configured");
        }
        Path file = config.file().get();
        try {
            Optional<byte[]> bytes = storage.read(file);
            if (bytes.isEmpty()) {
                return new Refused(file.toString(), List.of(new ConfigProblem(file.toString(), 0, "",
                        "cannot read the policy: no such file")));
            }
            return parse(file.toString(), bytes.get());
        } catch (IOException e) {
            return new Refused(file.toString(), List.of(new ConfigProblem(file.toString(), 0, "",
                    "cannot read the policy: " + e.getMessage())));
        }
    }

    private static Result parse(String source, byte[] bytes) {
        try {
            return new Found(new PolicyLoader().parse(source, bytes));
        } catch (ConfigException e) {
            return new Refused(source, e.problems());
        }
    }
}
