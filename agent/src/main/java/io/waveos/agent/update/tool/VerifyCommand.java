package io.waveos.agent.update.tool;

import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.manifest.Manifest;
import io.waveos.bundles.manifest.Rfc3339;
import io.waveos.bundles.trust.Role;
import io.waveos.bundles.trust.TrustRoot;
import io.waveos.bundles.trust.TrustRootFile;
import io.waveos.bundles.verify.BundleVerifier;
import io.waveos.bundles.verify.PayloadSink;
import io.waveos.bundles.verify.VerifiedManifest;
import io.waveos.bundles.verify.VerifyPolicy;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/**
 * {@code bundle verify B.wbundle --root ROOT [--device-class C] [--floor N] [--agent-version V]
 * [--now T] [--progress]}: the whole bundle through the library's {@link BundleVerifier}, exactly as a
 * device checks it (payload hashed and discarded). Exit 0 with a one-line summary, or exit
 * {@link BundleTool#REFUSED} with {@code error: <code>: <member>: <rule>}. Without {@code --now} the
 * wall clock is the trusted time; without {@code --device-class}, {@code --agent-version} or
 * {@code --floor} those checks are skipped (floor 0).
 */
final class VerifyCommand {

    private VerifyCommand() {
    }

    static int run(String[] args, Invocation inv) throws BadInput, BundleRejected, IOException {
        Options opts = Options.parse(args,
                Set.of("--root", "--device-class", "--floor", "--agent-version", "--now"), Set.of("--progress"));
        Path bundle = OperatorFiles.existing(opts.positionals(1, "one bundle file").get(0), "the bundle to verify");
        TrustRoot root = TrustRootFile.load(OperatorFiles.read(Path.of(opts.required("--root")), "the trust root (--root)"));
        Instant now = opts.optional("--now").isPresent()
                ? OperatorFiles.time(opts.required("--now"), "--now") : inv.clock().instant();
        VerifyPolicy policy = VerifyPolicy.at(now).withFloor(opts.number("--floor", 0));
        if (opts.optional("--device-class").isPresent()) {
            policy = policy.withDeviceClass(opts.required("--device-class"));
        }
        if (opts.optional("--agent-version").isPresent()) {
            String v = opts.required("--agent-version");
            if (!v.matches("\\d{1,9}(\\.\\d{1,9}){0,7}")) {
                throw new BadInput("--agent-version: expected a dotted numeric version like 1.4.0, got \"" + v + "\"");
            }
            policy = policy.withAgentVersion(v);
        }
        VerifiedManifest verified;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(bundle), 1 << 16)) {
            verified = new BundleVerifier(root, policy).verify(in, PayloadSink.discard(), ProgressMeter.of(inv, opts, "verify"));
        }
        Manifest m = verified.manifest();
        Role role = Role.forKind(m.kind());
        inv.out().println(bundle + ": OK: " + m.kind().wireName() + " " + m.component() + " version " + m.version()
                + " (" + m.versionName() + "), " + m.files().size() + " files, " + m.payloadBytes() + " bytes, signed by "
                + verified.signedBy().size() + " of " + root.keysFor(role).size() + " " + role.wireName()
                + " keys (threshold " + root.threshold(role) + "), expires " + Rfc3339.format(m.expires()));
        return BundleTool.OK;
    }
}
