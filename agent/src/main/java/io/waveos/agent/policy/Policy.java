package io.waveos.agent.policy;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A validated policy: what the operator wrote, checked once.
 *
 * @param version the file's {@code policy_version}, a positive integer the operator raises with each change
 * @param source where it was read from (a file path, or {@code bundle <component> slot <s>})
 * @param sha256 of the file's bytes, for events and evidence
 * @param rules in file order; ids are unique
 */
public record Policy(int version, String source, String sha256, List<Rule> rules) {
    public Policy {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sha256, "sha256");
        if (version < 1) {
            throw new IllegalArgumentException("policy_version must be at least 1");
        }
        rules = List.copyOf(rules);
        Set<String> ids = new HashSet<>();
        int allowed = 0;
        for (Rule r : rules) {
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException("duplicate rule id " + r.id());
            }
            allowed += r.action() instanceof Action.AllowedModes ? 1 : 0;
        }
        if (allowed > 1) {
            throw new IllegalArgumentException("at most one allowed_modes rule");
        }
    }

    /** The empty policy in force before any is loaded. */
    public static Policy none() {
        return new Policy(1, "none", "", List.of());
    }
}
