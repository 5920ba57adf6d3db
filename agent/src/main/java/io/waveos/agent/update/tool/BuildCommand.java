package io.waveos.agent.update.tool;

import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.archive.TarWriter;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.manifest.Manifest;
import io.waveos.bundles.manifest.ManifestCodec;
import io.waveos.bundles.manifest.PayloadFile;
import io.waveos.bundles.signature.Ed25519;
import io.waveos.bundles.signature.Envelope;
import io.waveos.bundles.signature.EnvelopeCodec;
import io.waveos.bundles.verify.BundleVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code bundle build --dir DIR --manifest TEMPLATE.json --out B.wbundle [--key PRIV.pem]...}: the
 * template is the manifest without {@code files}; the tool lists every regular file under DIR
 * ({@link PayloadTree}), checks the whole manifest with the library's codec, signs it with each key (or
 * leaves it unsigned) and writes the deterministic archive: {@code manifest.dsse.json} first, then
 * {@code payload/<path>} in path order. The same tree, template and keys give the same bytes.
 */
final class BuildCommand {

    static final String MANIFEST_TYPE = BundleVerifier.MANIFEST_PAYLOAD_TYPE;
    static final String MANIFEST_MEMBER = BundleVerifier.MANIFEST_MEMBER;
    static final int MANIFEST_MODE = 0644;

    private BuildCommand() {
    }

    static int run(String[] args, Invocation inv) throws BadInput, BundleRejected, IOException {
        Options opts = Options.parse(args, Set.of("--dir", "--manifest", "--out", "--key"), Set.of("--progress"));
        opts.positionals(0, "no positional arguments");
        Path dir = Path.of(opts.required("--dir"));
        Path templateFile = Path.of(opts.required("--manifest"));
        Path out = Path.of(opts.required("--out"));
        if (out.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize())) {
            throw new BadInput(out + ": --out must not be inside --dir " + dir);
        }
        Map<String, Object> template = template(templateFile);
        List<KeyPair> keys = keys(opts.all("--key"));
        List<PayloadFile> files = PayloadTree.scan(dir, ProgressMeter.of(inv, opts, "build: hashing"));
        Manifest manifest = manifest(template, files, templateFile);
        Envelope env = new Envelope(MANIFEST_TYPE, ManifestCodec.write(manifest), List.of());
        for (KeyPair k : keys) {
            env = env.signedWith(k);
        }
        byte[] envelope = EnvelopeCodec.write(env);
        ProgressMeter progress = ProgressMeter.of(inv, opts, "build: writing");
        OperatorFiles.replace(out, stream -> write(stream, envelope, dir, files, progress, manifest.payloadBytes()));
        inv.out().println(out + ": built " + manifest.kind().wireName() + " " + manifest.component() + " version "
                + manifest.version() + ", " + files.size() + " files, " + manifest.payloadBytes() + " payload bytes, "
                + (keys.isEmpty() ? "unsigned" : "signed by " + keys.stream().map(k -> Ed25519.keyid(k.getPublic())).toList()));
        return BundleTool.OK;
    }

    private static Map<String, Object> template(Path file) throws BadInput {
        Map<String, Object> t;
        try {
            t = Json.parseObject(OperatorFiles.read(file, "a manifest template (JSON)"));
        } catch (Json.ParseException e) {
            throw new BadInput(file + ": not a JSON object: " + e.getMessage(), e);
        }
        Object files = t.get("files");
        if (files != null && !(files instanceof List<?> l && l.isEmpty())) {
            throw new BadInput(file + ": the template must not list files; build fills \"files\" from --dir");
        }
        return t;
    }

    private static List<KeyPair> keys(List<String> names) throws BadInput {
        List<KeyPair> keys = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String name : names) {
            KeyPair k = OperatorFiles.privateKey(name);
            if (!ids.add(Ed25519.keyid(k.getPublic()))) {
                throw new BadInput(name + ": the same key is given twice (keyid " + Ed25519.keyid(k.getPublic()) + ")");
            }
            keys.add(k);
        }
        return keys;
    }

    /** The template with {@code files} filled, checked by the library's codec. */
    private static Manifest manifest(Map<String, Object> template, List<PayloadFile> files, Path file) throws BadInput {
        Map<String, Object> m = new LinkedHashMap<>(template);
        List<Object> list = new ArrayList<>();
        for (PayloadFile f : files) {
            list.add(InspectCommand.object("path", f.path(), "size", f.size(), "sha256", f.sha256Hex(),
                    "mode", String.format("%04o", f.mode())));
        }
        m.put("files", list);
        try {
            return ManifestCodec.parse(Json.write(m).getBytes(StandardCharsets.UTF_8));
        } catch (BundleRejected e) {
            throw new BadInput(file + ": " + e.getMessage(), e);
        }
    }

    private static void write(OutputStream stream, byte[] envelope, Path dir, List<PayloadFile> files,
            ProgressMeter progress, long total) throws IOException {
        TarWriter tar = new TarWriter(stream);
        tar.addFile(MANIFEST_MEMBER, MANIFEST_MODE, envelope);
        long done = 0;
        for (PayloadFile f : files) {
            Path p = PayloadTree.fileOf(dir, f);
            MessageDigest sha = PayloadTree.sha256();
            try (InputStream in = new DigestInputStream(Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS), sha)) {
                tar.addFile(f.memberName(), f.mode(), f.size(), in);
                if (in.read() >= 0) {
                    throw new IOException(p + ": grew while the bundle was being built; build again");
                }
            }
            if (!MessageDigest.isEqual(sha.digest(), f.sha256())) {
                throw new IOException(p + ": changed while the bundle was being built; build again");
            }
            done += f.size();
            progress.advanced(done, total);
        }
        tar.finish();
    }
}
