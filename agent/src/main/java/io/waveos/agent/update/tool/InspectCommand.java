package io.waveos.agent.update.tool;

import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.archive.TarReader;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.manifest.Manifest;
import io.waveos.bundles.manifest.PayloadFile;
import io.waveos.bundles.manifest.Rfc3339;
import io.waveos.bundles.manifest.ServiceDefinition;
import io.waveos.bundles.signature.Envelope;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code bundle inspect B.wbundle [--json]}: the manifest, the signatures' keyids and the files table,
 * read from the first member only (constant time, whatever the payload size). No trust root is used:
 * signatures are shown as unverified and the payload is not hashed; {@code bundle verify} checks both.
 * {@code --json} prints one JSON document: {@code bundle}, {@code envelope_sha256},
 * {@code signatures} ({@code keyid}, {@code verified: false}) and {@code manifest} (the signed manifest
 * JSON as stored).
 */
final class InspectCommand {

    private InspectCommand() {
    }

    static int run(String[] args, Invocation inv) throws BadInput, BundleRejected, IOException {
        Options opts = Options.parse(args, Set.of(), Set.of("--json"));
        Path bundle = OperatorFiles.existing(opts.positionals(1, "one bundle file").get(0), "the bundle to inspect");
        ManifestMember first;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(bundle), 1 << 16)) {
            first = ManifestMember.read(new TarReader(in, Long.MAX_VALUE));
        }
        if (opts.flag("--json")) {
            inv.out().println(json(bundle, first));
        } else {
            text(inv.out(), bundle, first);
        }
        return BundleTool.OK;
    }

    private static String json(Path bundle, ManifestMember first) throws BundleRejected {
        List<Object> sigs = new ArrayList<>();
        for (Envelope.Signature s : first.envelope().signatures()) {
            sigs.add(object("keyid", s.keyid(), "verified", false));
        }
        Object manifest;
        try {
            manifest = Json.parse(first.envelope().payload());
        } catch (Json.ParseException e) {
            throw new IllegalStateException("the manifest parsed once and must parse again", e);
        }
        return Json.write(object("bundle", bundle.toString(), "envelope_sha256", sha256Hex(first.bytes()),
                "signatures", sigs, "manifest", manifest));
    }

    private static void text(PrintStream out, Path bundle, ManifestMember first) {
        Manifest m = first.manifest();
        out.println("bundle        " + bundle);
        out.println("bundle_id     " + m.bundleId());
        out.println("kind          " + m.kind().wireName());
        out.println("component     " + m.component() + " version " + m.version() + " (" + m.versionName() + ")");
        out.println("created       " + Rfc3339.format(m.created()) + ", expires " + Rfc3339.format(m.expires()));
        out.println("devices       " + String.join(", ", m.compatibility().deviceClasses())
                + "; agent " + m.compatibility().minAgentVersion() + " or newer");
        if (!m.services().isEmpty()) {
            out.println("services      " + String.join(", ", m.services().stream().map(ServiceDefinition::name).toList()));
        }
        m.trial().ifPresent(t -> out.println("trial         soak " + t.soak().toSeconds() + " s, must be ready "
                + t.mustBeReady() + ", at most " + t.maxRestarts() + " restarts"));
        List<Envelope.Signature> sigs = first.envelope().signatures();
        out.println("signatures    " + sigs.size() + (sigs.isEmpty() ? " (unsigned)"
                : " (UNVERIFIED: inspect uses no trust root; run bundle verify)"));
        sigs.forEach(s -> out.println("  " + s.keyid()));
        out.println("envelope      sha256 " + sha256Hex(first.bytes()));
        out.println("files         " + m.files().size() + ", " + m.payloadBytes() + " bytes (not hashed here)");
        out.println(String.format("  %-4s %12s  %-64s  %s", "MODE", "SIZE", "SHA256", "PATH"));
        for (PayloadFile f : m.files()) {
            out.println(String.format("  %04o %12d  %s  %s", f.mode(), f.size(), f.sha256Hex(), f.path()));
        }
    }

    /** An ordered JSON object from alternating keys and values. */
    static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
