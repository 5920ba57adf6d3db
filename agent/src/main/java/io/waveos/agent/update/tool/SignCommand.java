package io.waveos.agent.update.tool;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.archive.TarMember;
import io.waveos.bundles.archive.TarReader;
import io.waveos.bundles.archive.TarWriter;
import io.waveos.bundles.archive.TruncatedArchiveException;
import io.waveos.bundles.signature.Ed25519;
import io.waveos.bundles.signature.Envelope;
import io.waveos.bundles.signature.EnvelopeCodec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import java.util.Set;

/**
 * {@code bundle sign --bundle B.wbundle --key PRIV.pem [--out OUT]}: appends one signature to the
 * envelope, so that several key holders can each add theirs until a threshold is reached. The payload
 * members are copied as they stream (name, mode, size, bytes), the archive is rewritten into a
 * temporary file and renamed over the target (the bundle itself unless {@code --out}), so an
 * interrupted sign leaves the old bundle whole. Signatures already present stay valid: they cover the
 * manifest, which is unchanged. Refuses a key that already signed.
 */
final class SignCommand {

    private SignCommand() {
    }

    static int run(String[] args, Invocation inv) throws BadInput, BundleRejected, IOException {
        Options opts = Options.parse(args, Set.of("--bundle", "--key", "--out"), Set.of());
        opts.positionals(0, "no positional arguments");
        Path bundle = OperatorFiles.existing(opts.required("--bundle"), "the bundle to sign");
        KeyPair key = OperatorFiles.privateKey(opts.required("--key"));
        Path out = opts.optional("--out").map(Path::of).orElse(bundle);
        String keyid = Ed25519.keyid(key.getPublic());
        int[] count = {0};
        OperatorFiles.replace(out, stream -> {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(bundle), 1 << 16)) {
                count[0] = rewrite(in, stream, key, keyid, bundle);
            }
        });
        inv.out().println(out + ": signed by " + keyid + "; " + count[0] + " signature(s) now");
        return BundleTool.OK;
    }

    /** Copies the archive from {@code in} to {@code out} with one more signature; returns the signature count. */
    private static int rewrite(InputStream in, OutputStream out, KeyPair key, String keyid, Path bundle)
            throws BundleRejected, BadInput, IOException {
        TarReader reader = new TarReader(in, Long.MAX_VALUE);
        ManifestMember first = ManifestMember.read(reader);
        Envelope env = first.envelope();
        if (env.signatures().stream().anyMatch(s -> s.keyid().equals(keyid))) {
            throw new BadInput(bundle + ": already signed by key " + keyid);
        }
        Envelope signed = env.signedWith(key);
        TarWriter tar = new TarWriter(out);
        tar.addFile(BuildCommand.MANIFEST_MEMBER, BuildCommand.MANIFEST_MODE, EnvelopeCodec.write(signed));
        for (Optional<TarMember> m = reader.next(); m.isPresent(); m = reader.next()) {
            TarMember member = m.get();
            if (member.type() != TarMember.Type.REGULAR) {
                throw new BundleRejected(member.type() == TarMember.Type.SYMLINK || member.type() == TarMember.Type.HARDLINK
                        ? BundleError.LINK_MEMBER : BundleError.SPECIAL_MEMBER, member.name(),
                        "only regular files in a bundle; refusing to sign this archive");
            }
            try (InputStream content = reader.content()) {
                tar.addFile(member.name(), member.mode() & 07777, member.size(), content);
            } catch (TruncatedArchiveException e) {
                throw e.getRejection();
            }
        }
        tar.finish();
        return signed.signatures().size();
    }
}
