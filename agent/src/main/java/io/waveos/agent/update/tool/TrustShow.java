package io.waveos.agent.update.tool;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.manifest.Rfc3339;
import io.waveos.bundles.signature.Envelope;
import io.waveos.bundles.trust.Role;
import io.waveos.bundles.trust.TrustRoot;
import io.waveos.bundles.trust.TrustRootCodec;
import io.waveos.bundles.trust.TrustRootFile;
import io.waveos.bundles.trust.TrustedKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code bundle trust show} (read a root, signed or not, for a person or as JSON) and
 * {@code bundle trust verify} (a self-signed root as a device would load it, or a rotation from a
 * current root to the next as a device would accept it). Stateless.
 */
final class TrustShow {

    private TrustShow() {
    }

    static int show(String[] args, Invocation inv) throws BadInput, BundleRejected {
        Options opts = Options.parse(args, Set.of(), Set.of("--json"));
        Path file = Path.of(opts.positionals(1, "one trust root file").get(0));
        Envelope env = TrustRootFile.envelope(OperatorFiles.read(file, "a trust root file"));
        TrustRoot root = TrustRootCodec.parse(env.payload());
        Map<String, String> verdicts = TrustCommands.signatureVerdicts(env, root);
        if (opts.flag("--json")) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("file", file.toString());
            doc.put("version", root.version());
            doc.put("expires", Rfc3339.format(root.expires()));
            List<Object> keys = new ArrayList<>();
            for (TrustedKey k : root.keys()) {
                keys.add(InspectCommand.object("keyid", k.keyid(), "roles", k.sortedRoles().stream().map(Role::wireName).toList()));
            }
            doc.put("keys", keys);
            Map<String, Object> t = new LinkedHashMap<>();
            for (Role r : Role.values()) {
                t.put(r.wireName(), (long) root.threshold(r));
            }
            doc.put("thresholds", t);
            List<Object> sigs = new ArrayList<>();
            verdicts.forEach((id, v) -> sigs.add(InspectCommand.object("keyid", id, "against_own_root_keys", v)));
            doc.put("signatures", sigs);
            inv.out().println(Json.write(doc));
            return BundleTool.OK;
        }
        inv.out().println("trust root " + file + ": version " + root.version() + ", expires " + Rfc3339.format(root.expires()));
        inv.out().println("thresholds " + TrustCommands.thresholdText(root) + " (needed/holders)");
        inv.out().println("keys " + root.keys().size() + ":");
        for (TrustedKey k : root.keys()) {
            inv.out().println("  " + k.keyid() + "  " + String.join(",", k.sortedRoles().stream().map(Role::wireName).toList()));
        }
        inv.out().println("signatures " + verdicts.size() + (verdicts.isEmpty() ? " (unsigned)" : ":"));
        verdicts.forEach((id, v) -> inv.out().println("  " + id + "  " + v));
        return BundleTool.OK;
    }

    static int verify(String[] args, Invocation inv) throws BadInput, BundleRejected {
        Options opts = Options.parse(args, Set.of("--current", "--next", "--now"), Set.of());
        Instant now = opts.optional("--now").isPresent()
                ? OperatorFiles.time(opts.required("--now"), "--now") : inv.clock().instant();
        Optional<String> current = opts.optional("--current");
        Optional<String> next = opts.optional("--next");
        if (current.isPresent() != next.isPresent()) {
            throw new BadInput("give both --current OLD and --next NEW, or one self-signed root file");
        }
        if (current.isEmpty()) {
            Path file = Path.of(opts.positionals(1, "one trust root file (or --current OLD --next NEW)").get(0));
            TrustRoot root = TrustRootFile.load(OperatorFiles.read(file, "a trust root file"));
            if (root.expiredAt(now)) {
                throw new BundleRejected(BundleError.TRUST_ROOT_EXPIRED, "trust-root.expires",
                        "later than " + Rfc3339.format(now) + ", is " + Rfc3339.format(root.expires()));
            }
            inv.out().println(file + ": OK: trust root version " + root.version() + ", signed by a threshold ("
                    + root.threshold(Role.ROOT) + ") of its own root keys, expires " + Rfc3339.format(root.expires()));
            return BundleTool.OK;
        }
        opts.positionals(0, "no positional arguments with --current and --next");
        Path oldFile = Path.of(current.get());
        Path newFile = Path.of(next.get());
        TrustRoot old = TrustRootFile.load(OperatorFiles.read(oldFile, "the current trust root"));
        TrustRoot accepted = TrustRootFile.rotate(old, OperatorFiles.read(newFile, "the next trust root"), now);
        inv.out().println(newFile + ": OK: rotation from version " + old.version() + " to " + accepted.version()
                + " is signed by a threshold of both roots' root keys (" + old.threshold(Role.ROOT) + " old, "
                + accepted.threshold(Role.ROOT) + " new), expires " + Rfc3339.format(accepted.expires()));
        return BundleTool.OK;
    }
}
