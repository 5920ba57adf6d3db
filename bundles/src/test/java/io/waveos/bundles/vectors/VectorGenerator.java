package io.waveos.bundles.vectors;

import static io.waveos.bundles.vectors.TestBundles.bundle;
import static io.waveos.bundles.vectors.TestBundles.manifest;

import io.waveos.bundles.json.Json;
import io.waveos.bundles.signature.PemKeys;
import io.waveos.bundles.trust.Role;
import io.waveos.bundles.trust.TrustRoot;
import io.waveos.bundles.trust.TrustRootFile;
import io.waveos.bundles.trust.TrustedKey;
import io.waveos.bundles.verify.BundleVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Generates every file in {@code bundles/src/test/resources/vectors/}. Deterministic (fixed keys,
 * deterministic Ed25519 and tar writer), so {@link VectorFilesTest} checks the committed files are
 * byte-identical to a fresh run. Regenerate with
 * {@code mvn -B -o -pl bundles test -Dtest=VectorFilesTest -Dwaveos.regenerateVectors=true}.
 */
public final class VectorGenerator {

    /** One vector: the bundle file, the trust root file to verify it against, and the expected outcome. */
    public record Vector(String file, String root, String expect, String what) {
    }

    static final String ROOT = "trust-root.dsse.json";
    static final String ROOT_EXPIRED = "trust-root-expired.dsse.json";
    /** The policy every vector is verified under (also in README.md). */
    static final Instant TRUSTED_NOW = Instant.parse("2027-01-01T00:00:00Z");
    static final String DEVICE_CLASS = "gw-100";
    static final String AGENT_VERSION = "1.2.0";
    static final String FLOOR_COMPONENT = "demo-app";
    static final long FLOOR = 5;
    static final long MAX_BUNDLE_BYTES = 256 * 1024;

    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final List<Vector> vectors = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/vectors");
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : generate().entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
    }

    /** File name to bytes, in generation order. */
    public static Map<String, byte[]> generate() {
        VectorGenerator g = new VectorGenerator();
        g.keysAndRoots();
        g.goodAndSignatures();
        g.manifestRules();
        g.members();
        g.files.put("vectors.json", g.tableJson());
        g.files.put("README.md", g.readme());
        return g.files;
    }

    static Map<String, byte[]> appFiles() {
        Map<String, byte[]> f = new LinkedHashMap<>();
        f.put("bin/app", "#!/bin/sh\necho hello from demo-app\n".getBytes(StandardCharsets.UTF_8));
        f.put("share/readme.txt", "demo-app: a test vector payload.\n".getBytes(StandardCharsets.UTF_8));
        f.put("share/motd.txt", "welcome to the demo device.\n".getBytes(StandardCharsets.UTF_8));
        return f;
    }

    static Map<String, Object> appManifest(long version) {
        Map<String, Object> m = manifest("app", "demo-app", version, appFiles());
        Map<String, Object> svc = new LinkedHashMap<>();
        svc.put("name", "demo-app");
        svc.put("command", List.of("bin/app"));
        m.put("services", List.of(svc));
        Map<String, Object> trial = new LinkedHashMap<>();
        trial.put("soak_seconds", 60L);
        trial.put("must_be_ready", List.of("demo-app"));
        trial.put("max_restarts", 2L);
        m.put("trial", trial);
        return m;
    }

    static Map<String, byte[]> configFiles() {
        Map<String, byte[]> f = new LinkedHashMap<>();
        f.put("policy.yaml", "max_restarts: 3\n".getBytes(StandardCharsets.UTF_8));
        return f;
    }

    static Map<String, Object> configManifest() {
        Map<String, Object> m = manifest("config", "demo-config", 3, configFiles());
        Map<String, Object> trial = new LinkedHashMap<>();
        trial.put("soak_seconds", 30L);
        trial.put("must_be_ready", List.of());
        trial.put("max_restarts", 0L);
        m.put("trial", trial);
        return m;
    }

    private void keysAndRoots() {
        key("test-key-a", TestKeys.A);
        key("test-key-b", TestKeys.B);
        key("test-key-c", TestKeys.C);
        TrustRoot root = new TrustRoot(1, Instant.parse("2036-01-01T00:00:00Z"), List.of(
                TrustedKey.of(TestKeys.A.getPublic(), Set.of(Role.ROOT, Role.APP, Role.CONFIG, Role.CERTS)),
                TrustedKey.of(TestKeys.B.getPublic(), Set.of(Role.APP, Role.CONFIG))),
                Map.of(Role.ROOT, 1, Role.APP, 2, Role.CONFIG, 1, Role.CERTS, 1));
        files.put(ROOT, TrustRootFile.write(TrustRootFile.unsigned(root).signedWith(TestKeys.A)));
        TrustRoot expired = root.withVersion(1, Instant.parse("2026-06-01T00:00:00Z"));
        files.put(ROOT_EXPIRED, TrustRootFile.write(TrustRootFile.unsigned(expired).signedWith(TestKeys.A)));
    }

    private void key(String name, KeyPair pair) {
        files.put(name + ".pem", PemKeys.writePrivate(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII));
        files.put(name + ".pub.pem", PemKeys.writePublic(pair.getPublic()).getBytes(StandardCharsets.US_ASCII));
    }

    private void goodAndSignatures() {
        List<KeyPair> ab = List.of(TestKeys.A, TestKeys.B);
        add("good-app.wbundle", ROOT, "ok", "app bundle signed by A and B (app threshold 2)",
                bundle(appManifest(7), ab, appFiles()));
        byte[] goodConfig = bundle(configManifest(), List.of(TestKeys.A), configFiles());
        add("good-config.wbundle", ROOT, "ok", "config bundle signed by A (config threshold 1)", goodConfig);
        add("good-config-expired-root.wbundle", ROOT_EXPIRED, "trust-root-expired",
                "good-config under a trust root that expired before the trusted time", goodConfig);
        add("unsigned.wbundle", ROOT, "unsigned", "empty signature list", bundle(appManifest(7), List.of(), appFiles()));
        add("below-threshold.wbundle", ROOT, "threshold-not-met", "app bundle signed by A only",
                bundle(appManifest(7), List.of(TestKeys.A), appFiles()));
        add("unknown-signer.wbundle", ROOT, "threshold-not-met", "config bundle signed only by C, not in the root",
                bundle(configManifest(), List.of(TestKeys.C), configFiles()));
        Map<String, Object> certs = manifest("certs", "demo-certs", 1, Map.of("ca.pem", "not really a CA\n".getBytes(StandardCharsets.UTF_8)));
        add("wrong-role.wbundle", ROOT, "threshold-not-met", "certs bundle signed by B, which lacks the certs role",
                bundle(certs, List.of(TestKeys.B), Map.of("ca.pem", "not really a CA\n".getBytes(StandardCharsets.UTF_8))));
        byte[] twoSigned = bundle(appManifest(7), ab, appFiles());
        add("bad-signature.wbundle", ROOT, "signature-invalid",
                "app bundle: A's signature valid, B's with one base64 character changed (hand-edited bytes)",
                corruptLastSignature(twoSigned));
        add("tampered-manifest.wbundle", ROOT, "signature-invalid",
                "good-config with one character of the base64 payload changed (hand-edited bytes)",
                tamperPayload(goodConfig));
        add("wrong-payload-type.wbundle", ROOT, "envelope-malformed", "validly signed, payloadType application/json",
                tarWith(TestBundles.envelope(Json.write(configManifest()).getBytes(StandardCharsets.UTF_8), "application/json",
                        List.of(TestKeys.A)), configFiles()));
        add("envelope-not-json.wbundle", ROOT, "envelope-malformed", "manifest.dsse.json is not JSON",
                tarWith("this is not json".getBytes(StandardCharsets.UTF_8), configFiles()));
    }

    private void manifestRules() {
        configVariant("expired.wbundle", "expired", "expires 2026-12-01, before the trusted time",
                m -> m.put("expires", "2026-12-01T00:00:00Z"));
        add("rollback.wbundle", ROOT, "rollback", "demo-app version 5 at floor 5",
                bundle(appManifest(5), List.of(TestKeys.A, TestKeys.B), appFiles()));
        configVariant("wrong-class.wbundle", "device-class", "device_classes [gw-200] on a gw-100",
                m -> compat(m).put("device_classes", List.of("gw-200")));
        configVariant("agent-too-old.wbundle", "agent-too-old", "min_agent_version 9.0.0, agent 1.2.0",
                m -> compat(m).put("min_agent_version", "9.0.0"));
        configVariant("format-2.wbundle", "format-unsupported", "format 2", m -> m.put("format", 2L));
        configVariant("manifest-unknown-field.wbundle", "manifest-malformed", "unknown key \"debug\"",
                m -> m.put("debug", Boolean.TRUE));
        configVariant("config-with-services.wbundle", "incompatible", "services in a config bundle",
                m -> m.put("services", List.of(Map.of("name", "x"))));
        configVariant("manifest-path-traversal.wbundle", "path-unsafe", "a listed path ../etc/passwd",
                m -> files(m).add(TestBundles.fileEntry("../etc/passwd", 0, TestBundles.sha256Hex(new byte[0]), "0644")));
        configVariant("manifest-duplicate-path.wbundle", "member-duplicate", "policy.yaml listed twice",
                m -> {
                    List<Object> f = files(m);
                    f.add(f.get(0));
                });
        configVariant("oversize-declared.wbundle", "too-large", "declares a 1 MiB file, the cap is 256 KiB",
                m -> files(m).add(TestBundles.fileEntry("big.bin", 1 << 20, TestBundles.sha256Hex(new byte[0]), "0644")));
    }

    private void members() {
        byte[] goodApp = files.get("good-app.wbundle");
        List<KeyPair> ab = List.of(TestKeys.A, TestKeys.B);
        add("tampered-payload.wbundle", ROOT, "hash-mismatch", "one bit of payload/bin/app flipped (hand-edited bytes)",
                TarPatch.flipByteAt(goodApp, "hello from demo-app"));
        Map<String, byte[]> swapped = new LinkedHashMap<>(appFiles());
        swapped.put("share/readme.txt", appFiles().get("share/motd.txt"));
        swapped.put("share/motd.txt", appFiles().get("share/readme.txt"));
        add("mixed-member.wbundle", ROOT, "size-mismatch", "readme.txt and motd.txt contents swapped",
                bundle(appManifest(7), ab, swapped));
        Map<String, byte[]> extra = new LinkedHashMap<>(appFiles());
        extra.put("bin/backdoor", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
        add("extra-member.wbundle", ROOT, "member-unlisted", "payload/bin/backdoor not in the manifest",
                bundle(appManifest(7), ab, extra));
        Map<String, byte[]> missing = new LinkedHashMap<>(appFiles());
        missing.remove("share/motd.txt");
        add("missing-member.wbundle", ROOT, "member-missing", "payload/share/motd.txt absent", bundle(appManifest(7), ab, missing));
        List<TestBundles.Member> dup = appMembers();
        dup.add(dup.get(1));
        add("duplicate-member.wbundle", ROOT, "member-duplicate", "payload/bin/app twice", TestBundles.tar(dup));
        add("symlink-member.wbundle", ROOT, "link-member", "a symlink payload/bin/link -> /etc/shadow (hand-edited header)",
                TarPatch.retype(withEmptyMember("payload/bin/link"), "payload/bin/link", '2', "/etc/shadow"));
        add("hardlink-member.wbundle", ROOT, "link-member", "a hard link payload/bin/link -> payload/bin/app (hand-edited header)",
                TarPatch.retype(withEmptyMember("payload/bin/link"), "payload/bin/link", '1', "payload/bin/app"));
        add("device-member.wbundle", ROOT, "special-member", "a character device payload/dev/mem (hand-edited header)",
                TarPatch.retype(withEmptyMember("payload/dev/mem"), "payload/dev/mem", '3', ""));
        add("directory-member.wbundle", ROOT, "special-member", "a directory entry payload/bin/ (hand-edited header)",
                TarPatch.retype(withEmptyMember("payload/bin/"), "payload/bin/", '5', ""));
        add("dotdot-member.wbundle", ROOT, "path-unsafe", "a member payload/../../etc/cron.d/x (hand-edited name)",
                TarPatch.rename(withEmptyMember("payload/xxxxxxxxxxxxxxxxxxxxxxxxx"), "payload/xxxxxxxxxxxxxxxxxxxxxxxxx",
                        "payload/../../etc/cron.d/x"));
        add("absolute-member.wbundle", ROOT, "path-unsafe", "a member /etc/cron.d/x", withEmptyMember("/etc/cron.d/x"));
        add("outside-payload-member.wbundle", ROOT, "path-unsafe", "a member evil.sh outside payload/", withEmptyMember("evil.sh"));
        add("control-char-member.wbundle", ROOT, "name-invalid", "a member name with a newline",
                withEmptyMember("payload/bin/a\nb"));
        List<TestBundles.Member> bigger = appMembers();
        bigger.set(1, new TestBundles.Member("payload/bin/app", 0755,
                "#!/bin/sh\necho hello from demo-app\nrm -rf /\n".getBytes(StandardCharsets.UTF_8)));
        add("size-mismatch.wbundle", ROOT, "size-mismatch", "payload/bin/app longer than declared", TestBundles.tar(bigger));
        List<TestBundles.Member> reordered = appMembers();
        reordered.add(0, reordered.remove(1));
        add("manifest-not-first.wbundle", ROOT, "manifest-missing", "payload/bin/app before manifest.dsse.json",
                TestBundles.tar(reordered));
        int cut = TarPatch.indexOf(goodApp, "demo-app: a test".getBytes(StandardCharsets.UTF_8)) + 5;
        add("truncated.wbundle", ROOT, "truncated", "good-app cut inside payload/share/readme.txt", Arrays.copyOf(goodApp, cut));
        add("not-a-tar.wbundle", ROOT, "archive-malformed", "a text file", "not a tar archive\n".repeat(64).getBytes(StandardCharsets.UTF_8));
    }

    private List<TestBundles.Member> appMembers() {
        List<TestBundles.Member> members = new ArrayList<>();
        members.add(new TestBundles.Member(BundleVerifier.MANIFEST_MEMBER, 0644,
                TestBundles.envelope(appManifest(7), List.of(TestKeys.A, TestKeys.B))));
        appFiles().forEach((p, c) -> members.add(new TestBundles.Member("payload/" + p, p.startsWith("bin/") ? 0755 : 0644, c)));
        return members;
    }

    /** The good app bundle plus one empty regular member {@code name} after the manifest. */
    private byte[] withEmptyMember(String name) {
        List<TestBundles.Member> members = appMembers();
        members.add(1, new TestBundles.Member(name, 0644, new byte[0]));
        return TestBundles.tar(members);
    }

    private void configVariant(String file, String expect, String what, Consumer<Map<String, Object>> edit) {
        Map<String, Object> m = configManifest();
        edit.accept(m);
        add(file, ROOT, expect, what, bundle(m, List.of(TestKeys.A), configFiles()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compat(Map<String, Object> m) {
        Map<String, Object> c = new LinkedHashMap<>((Map<String, Object>) m.get("compatibility"));
        m.put("compatibility", c);
        return c;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> files(Map<String, Object> m) {
        List<Object> f = new ArrayList<>((List<Object>) m.get("files"));
        m.put("files", f);
        return f;
    }

    private static byte[] tarWith(byte[] envelope, Map<String, byte[]> payload) {
        List<TestBundles.Member> members = new ArrayList<>();
        members.add(new TestBundles.Member(BundleVerifier.MANIFEST_MEMBER, 0644, envelope));
        payload.forEach((p, c) -> members.add(new TestBundles.Member("payload/" + p, 0644, c)));
        return TestBundles.tar(members);
    }

    /** Changes the 10th base64 character of the last signature in the archive (to another base64 character). */
    private static byte[] corruptLastSignature(byte[] tar) {
        String text = new String(tar, StandardCharsets.ISO_8859_1);
        int at = text.lastIndexOf("\"sig\":\"") + 7 + 10;
        byte[] out = tar.clone();
        out[at] = (byte) (out[at] == 'A' ? 'B' : 'A');
        return out;
    }

    /** Changes the 40th base64 character of the envelope's payload. */
    private static byte[] tamperPayload(byte[] tar) {
        String text = new String(tar, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\"payload\":\"") + 11 + 40;
        byte[] out = tar.clone();
        out[at] = (byte) (out[at] == 'A' ? 'B' : 'A');
        return out;
    }

    private void add(String file, String root, String expect, String what, byte[] bytes) {
        files.put(file, bytes);
        vectors.add(new Vector(file, root, expect, what));
    }

    private byte[] tableJson() {
        List<Object> rows = new ArrayList<>();
        for (Vector v : vectors) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("file", v.file());
            r.put("root", v.root());
            r.put("expect", v.expect());
            r.put("what", v.what());
            rows.add(r);
        }
        return (Json.write(rows).replace("},{", "},\n{") + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] readme() {
        StringBuilder s = new StringBuilder();
        s.append("# WaveOS bundle test vectors\n\n")
                .append("Generated by `io.waveos.bundles.vectors.VectorGenerator` (test scope); do not edit by hand.\n")
                .append("Regenerate: `mvn -B -o -pl bundles test -Dtest=VectorFilesTest -Dwaveos.regenerateVectors=true`.\n")
                .append("`VectorFilesTest` fails when a fresh generation differs from these files by one byte.\n")
                .append("The format is specified in [docs/bundle-format.md](../../../../../docs/bundle-format.md).\n\n")
                .append("**TEST-ONLY KEYS.** `test-key-*.pem` are fixed Ed25519 keys whose seeds are the SHA-256 of\n")
                .append("published sentences (see `TestKeys`). Anyone can sign with them. Never trust them on a device.\n\n")
                .append("- `" + ROOT + "`: version 1, expires 2036-01-01; key A (root, app, config, certs), key B (app, config);\n")
                .append("  thresholds root 1, app 2, config 1, certs 1; signed by A.\n")
                .append("- `" + ROOT_EXPIRED + "`: the same keys, expired 2026-06-01.\n")
                .append("- Policy for every vector: trusted time " + TRUSTED_NOW + ", device class `" + DEVICE_CLASS + "`, agent ")
                .append(AGENT_VERSION + ", floor " + FLOOR + " for `" + FLOOR_COMPONENT + "` (0 for others), bundle cap ")
                .append(MAX_BUNDLE_BYTES + " bytes.\n")
                .append("- `vectors.json` holds the same table for machines; `expect` is `ok` or the error code.\n\n")
                .append("| file | trust root | expected | what |\n|---|---|---|---|\n");
        for (Vector v : vectors) {
            s.append("| `").append(v.file()).append("` | `").append(v.root()).append("` | ")
                    .append(v.expect().equals("ok") ? "**ok**" : "`" + v.expect() + "`").append(" | ").append(v.what()).append(" |\n");
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }
}
