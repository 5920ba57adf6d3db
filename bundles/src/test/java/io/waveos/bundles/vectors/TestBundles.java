package io.waveos.bundles.vectors;

import io.waveos.bundles.archive.TarWriter;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.signature.Envelope;
import io.waveos.bundles.signature.EnvelopeCodec;
import io.waveos.bundles.verify.BundleVerifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tests' own bundle builder: manifests as mutable JSON maps (so a test can break any field), signed
 * envelopes, and deterministic archives through {@link TarWriter}.
 */
public final class TestBundles {

    /** One archive member. */
    public record Member(String name, int mode, byte[] content) {
        public static Member text(String name, String content) {
            return new Member(name, 0644, content.getBytes(StandardCharsets.UTF_8));
        }
    }

    private TestBundles() {
    }

    /** A manifest map with the given files (path to content); mode 0755 under {@code bin/}, else 0644. */
    public static Map<String, Object> manifest(String kind, String component, long version, Map<String, byte[]> files) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", 1L);
        m.put("bundle_id", component + "-" + version);
        m.put("kind", kind);
        m.put("component", component);
        m.put("version", version);
        m.put("version_name", "1." + version + ".0");
        m.put("created", "2026-01-01T00:00:00Z");
        m.put("expires", "2036-01-01T00:00:00Z");
        Map<String, Object> compat = new LinkedHashMap<>();
        compat.put("device_classes", List.of("gw-100", "gw-110"));
        compat.put("min_agent_version", "0.1.0");
        m.put("compatibility", compat);
        List<Object> list = new ArrayList<>();
        files.forEach((path, content) -> list.add(fileEntry(path, content.length, sha256Hex(content), path.startsWith("bin/") ? "0755" : "0644")));
        m.put("files", list);
        return m;
    }

    public static Map<String, Object> fileEntry(String path, long size, String sha256, String mode) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("path", path);
        f.put("size", size);
        f.put("sha256", sha256);
        f.put("mode", mode);
        return f;
    }

    /** The envelope JSON for {@code manifestJson}, signed by each of {@code signers} in order. */
    public static byte[] envelope(byte[] manifestJson, String payloadType, List<KeyPair> signers) {
        Envelope env = new Envelope(payloadType, manifestJson, List.of());
        for (KeyPair k : signers) {
            env = env.signedWith(k);
        }
        return EnvelopeCodec.write(env);
    }

    public static byte[] envelope(Map<String, Object> manifest, List<KeyPair> signers) {
        return envelope(Json.write(manifest).getBytes(StandardCharsets.UTF_8), BundleVerifier.MANIFEST_PAYLOAD_TYPE, signers);
    }

    /** A complete bundle: the signed manifest, then {@code payload/<path>} for each file in order. */
    public static byte[] bundle(Map<String, Object> manifest, List<KeyPair> signers, Map<String, byte[]> files) {
        List<Member> members = new ArrayList<>();
        members.add(new Member(BundleVerifier.MANIFEST_MEMBER, 0644, envelope(manifest, signers)));
        files.forEach((path, content) -> members.add(new Member("payload/" + path, path.startsWith("bin/") ? 0755 : 0644, content)));
        return tar(members);
    }

    public static byte[] tar(List<Member> members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(out)) {
            for (Member m : members) {
                w.addFile(m.name(), m.mode(), m.content());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String sha256Hex(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
