package io.waveos.agent.update.tool;

import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.manifest.Rfc3339;
import io.waveos.bundles.signature.Ed25519;
import io.waveos.bundles.signature.Envelope;
import io.waveos.bundles.signature.SignatureTally;
import io.waveos.bundles.trust.Role;
import io.waveos.bundles.trust.TrustRoot;
import io.waveos.bundles.trust.TrustRootCodec;
import io.waveos.bundles.trust.TrustRootFile;
import io.waveos.bundles.trust.TrustedKey;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code bundle trust ...}: create, sign, edit, show and verify trust root files. An edit
 * ({@code add-key}, {@code remove-key}, {@code set-threshold}) of a SIGNED root starts the next version
 * (version + 1, unsigned, to be signed by a threshold of the old root's and of its own root keys); an
 * edit of an UNSIGNED root amends that draft without changing its version, so edits can be chained.
 */
final class TrustCommands {

    private static final Set<String> EDIT = Set.of("--root", "--out", "--expires", "--version");

    private TrustCommands() {
    }

    static int run(String[] args, Invocation inv) throws BadInput, BundleRejected, IOException {
        if (args.length == 0) {
            throw new BadInput("expected one of init, sign, add-key, remove-key, set-threshold, show, verify");
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "init" -> init(rest, inv);
            case "sign" -> sign(rest, inv);
            case "add-key", "remove-key", "set-threshold" -> edit(args[0], rest, inv);
            case "show" -> TrustShow.show(rest, inv);
            case "verify" -> TrustShow.verify(rest, inv);
            default -> throw new BadInput("unknown trust command '" + args[0]
                    + "' (init, sign, add-key, remove-key, set-threshold, show, verify)");
        };
    }

    private static int init(String[] args, Invocation inv) throws BadInput, IOException {
        Options opts = Options.parse(args, Set.of("--out", "--key", "--threshold", "--expires", "--version"), Set.of());
        opts.positionals(0, "no positional arguments");
        Path out = Path.of(opts.required("--out"));
        List<TrustedKey> keys = new ArrayList<>();
        for (String spec : opts.all("--key")) {
            keys.add(keySpec(spec));
        }
        if (keys.isEmpty()) {
            throw new BadInput("--key PUB.pem[:ROLES] is required (once per key)");
        }
        Map<Role, Integer> thresholds = new EnumMap<>(Role.class);
        for (Role r : Role.values()) {
            thresholds.put(r, 1);
        }
        thresholds.putAll(thresholds(opts.optional("--threshold").orElse("")));
        Instant expires = OperatorFiles.time(opts.required("--expires"), "--expires");
        long version = opts.number("--version", 1);
        TrustRoot root = build(() -> new TrustRoot(version, expires, keys, thresholds));
        OperatorFiles.createNew(out, TrustRootFile.write(TrustRootFile.unsigned(root)));
        inv.out().println(out + ": trust root version " + version + ", " + keys.size() + " keys, thresholds "
                + thresholdText(root) + ", expires " + Rfc3339.format(expires) + "; unsigned: sign it with "
                + root.threshold(Role.ROOT) + " root key(s) (waveos bundle trust sign)");
        return BundleTool.OK;
    }

    private static int sign(String[] args, Invocation inv) throws BadInput, BundleRejected, IOException {
        Options opts = Options.parse(args, Set.of("--root", "--key"), Set.of());
        opts.positionals(0, "no positional arguments");
        Path file = Path.of(opts.required("--root"));
        KeyPair key = OperatorFiles.privateKey(opts.required("--key"));
        Envelope env = TrustRootFile.envelope(OperatorFiles.read(file, "a trust root file"));
        TrustRoot root = TrustRootCodec.parse(env.payload());
        String keyid = Ed25519.keyid(key.getPublic());
        if (env.signatures().stream().anyMatch(s -> s.keyid().equals(keyid))) {
            throw new BadInput(file + ": already signed by key " + keyid);
        }
        OperatorFiles.replace(file, TrustRootFile.write(env.signedWith(key)));
        boolean own = root.keysFor(Role.ROOT).containsKey(keyid);
        inv.out().println(file + ": signed by " + keyid + (own ? " (a root key of this root)"
                : " (not a root key of this root: counts only as a key of the current root in a rotation)")
                + "; " + (env.signatures().size() + 1) + " signature(s)");
        return BundleTool.OK;
    }

    private static int edit(String what, String[] args, Invocation inv) throws BadInput, BundleRejected, IOException {
        Set<String> valued = new java.util.HashSet<>(EDIT);
        valued.addAll(switch (what) {
            case "add-key" -> Set.of("--key");
            case "remove-key" -> Set.of("--key", "--keyid");
            default -> Set.of("--threshold");
        });
        Options opts = Options.parse(args, valued, Set.of());
        opts.positionals(0, "no positional arguments");
        Path in = Path.of(opts.required("--root"));
        Path out = Path.of(opts.required("--out"));
        Envelope env = TrustRootFile.envelope(OperatorFiles.read(in, "a trust root file"));
        TrustRoot current = TrustRootCodec.parse(env.payload());
        boolean draft = env.signatures().isEmpty();
        long version = opts.number("--version", draft ? current.version() : current.version() + 1);
        Instant expires = opts.optional("--expires").isPresent()
                ? OperatorFiles.time(opts.required("--expires"), "--expires") : current.expires();
        TrustRoot next = build(() -> change(what, opts, current).withVersion(version, expires));
        if (!draft && next.version() <= current.version()) {
            throw new BadInput("--version " + version + " must be above the signed root's version " + current.version());
        }
        OperatorFiles.replace(out, TrustRootFile.write(TrustRootFile.unsigned(next)));
        inv.out().println(out + ": trust root version " + next.version() + " (" + (draft ? "draft amended" : "next after "
                + current.version()) + "), " + next.keys().size() + " keys, thresholds " + thresholdText(next)
                + "; unsigned: sign with " + current.threshold(Role.ROOT) + " root key(s) of version " + current.version()
                + " and " + next.threshold(Role.ROOT) + " of version " + next.version());
        return BundleTool.OK;
    }

    private static TrustRoot change(String what, Options opts, TrustRoot current) throws BadInput {
        switch (what) {
            case "add-key" -> {
                return current.withKey(keySpec(opts.required("--key")));
            }
            case "remove-key" -> {
                Optional<String> keyid = opts.optional("--keyid");
                Optional<String> key = opts.optional("--key");
                if (keyid.isPresent() == key.isPresent()) {
                    throw new BadInput("give exactly one of --keyid ID or --key PUB.pem");
                }
                String id = keyid.isPresent() ? keyid.get() : Ed25519.keyid(OperatorFiles.publicKey(key.get()));
                if (current.keys().stream().noneMatch(k -> k.keyid().equals(id))) {
                    throw new BadInput("key " + id + " is not in the root");
                }
                return current.withoutKey(id);
            }
            default -> {
                TrustRoot t = current;
                for (Map.Entry<Role, Integer> e : thresholds(opts.required("--threshold")).entrySet()) {
                    t = t.withThreshold(e.getKey(), e.getValue());
                }
                return t;
            }
        }
    }

    /** Builds a root, turning a broken rule into {@link BadInput}. */
    private static TrustRoot build(RootSupplier supplier) throws BadInput {
        try {
            return supplier.get();
        } catch (IllegalArgumentException e) {
            throw new BadInput("the trust root would be invalid: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface RootSupplier {
        TrustRoot get() throws BadInput;
    }

    /** {@code PATH[:ROLES]}: a public key file and its comma-separated roles (all roles when omitted). */
    static TrustedKey keySpec(String spec) throws BadInput {
        int colon = spec.lastIndexOf(':');
        String path = colon < 0 ? spec : spec.substring(0, colon);
        Set<Role> roles = EnumSet.allOf(Role.class);
        if (colon >= 0) {
            roles = EnumSet.noneOf(Role.class);
            for (String name : spec.substring(colon + 1).split(",", -1)) {
                roles.add(Role.fromWire(name).orElseThrow(() -> new BadInput("--key " + spec
                        + ": unknown role \"" + name + "\", expected roles among root, app, config, certs")));
            }
        }
        return TrustedKey.of(OperatorFiles.publicKey(path), roles);
    }

    /** {@code ROLE=N,...}. */
    static Map<Role, Integer> thresholds(String text) throws BadInput {
        Map<Role, Integer> out = new EnumMap<>(Role.class);
        if (text.isEmpty()) {
            return out;
        }
        for (String part : text.split(",", -1)) {
            String[] kv = part.split("=", -1);
            Optional<Role> role = kv.length == 2 ? Role.fromWire(kv[0]) : Optional.empty();
            if (role.isEmpty() || !kv[1].matches("[1-9][0-9]{0,2}")) {
                throw new BadInput("--threshold: expected ROLE=N with ROLE among root, app, config, certs and N >= 1, got \""
                        + part + "\"");
            }
            out.put(role.get(), Integer.parseInt(kv[1]));
        }
        return out;
    }

    static String thresholdText(TrustRoot root) {
        Map<String, Object> t = new LinkedHashMap<>();
        for (Role r : Role.values()) {
            t.put(r.wireName(), root.threshold(r) + "/" + root.keysFor(r).size());
        }
        return t.toString().replace("{", "").replace("}", "").replace(" ", "");
    }

    /** keyid to verdict against the root keys of {@code root}: valid, invalid, or not-a-root-key. */
    static Map<String, String> signatureVerdicts(Envelope env, TrustRoot root) {
        SignatureTally tally = SignatureTally.of(env, root.keysFor(Role.ROOT));
        Map<String, String> out = new LinkedHashMap<>();
        for (Envelope.Signature s : env.signatures()) {
            out.put(s.keyid(), tally.valid().contains(s.keyid()) ? "valid"
                    : tally.invalid().contains(s.keyid()) ? "invalid" : "not-a-root-key");
        }
        return out;
    }
}
