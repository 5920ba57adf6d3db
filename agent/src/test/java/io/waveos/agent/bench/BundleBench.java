package io.waveos.agent.bench;

import io.waveos.agent.platform.linux.LinuxSlotStorage;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.archive.TarWriter;
import io.waveos.bundles.install.Activated;
import io.waveos.bundles.install.SlotInstaller;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.signature.Ed25519;
import io.waveos.bundles.signature.Envelope;
import io.waveos.bundles.signature.EnvelopeCodec;
import io.waveos.bundles.trust.Role;
import io.waveos.bundles.trust.TrustRoot;
import io.waveos.bundles.trust.TrustRootFile;
import io.waveos.bundles.trust.TrustedKey;
import io.waveos.bundles.verify.BundleVerifier;
import io.waveos.bundles.verify.PayloadSink;
import io.waveos.bundles.verify.VerifiedManifest;
import io.waveos.bundles.verify.VerifyPolicy;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bundle benchmarks of issue #3 (docs/benchmarks.md, "Signed bundles"), driven by
 * {@code bench/bundle-bench.sh}; a main, not a test, so {@code mvn verify} never runs it.
 *
 * <pre>
 *   BundleBench make DIR                 DIR/payload.bin -> DIR/app.wbundle + DIR/trust-root.dsse.json
 *   BundleBench verify DIR               one whole verify, as a CLI would (time it from outside)
 *   BundleBench verify-loop DIR W N      as the running agent: trust root loaded first (untimed, the agent
 *                                        loads it at start), then "first_ms X" for the first verify in this
 *                                        JVM, W warm-up verifies, N timed ones: "verify_ms X" lines
 *   BundleBench install DIR STATE        one install (preflight + verify, write, fsync, switch) into STATE
 *   BundleBench install-loop DIR BASE W N  as verify-loop for installs, each into a fresh state folder under
 *                                        BASE (made and deleted untimed): "first_ms X", then "install_ms X"
 * </pre>
 *
 * The signing key is a fixed test key derived from a public sentence: never trust it.
 */
public final class BundleBench {

    static final String COMPONENT = "bench-app";
    static final Instant NOW = Instant.parse("2027-01-01T00:00:00Z");

    private BundleBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: make DIR | verify DIR | verify-loop DIR W N | install DIR STATE | install-loop DIR BASE W N");
        }
        Path dir = Path.of(args[1]).toAbsolutePath();
        switch (args[0]) {
            case "make" -> make(dir);
            case "verify" -> {
                long t0 = System.nanoTime();
                verifyOnce(dir);
                System.out.printf("verify_ms %.1f%n", (System.nanoTime() - t0) / 1e6);
            }
            case "verify-loop" -> verifyLoop(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "install" -> install(dir, Path.of(args[2]).toAbsolutePath());
            case "install-loop" -> installLoop(dir, Path.of(args[2]).toAbsolutePath(), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException("unknown subcommand " + args[0]);
        }
    }

    static KeyPair key() throws Exception {
        byte[] seed = MessageDigest.getInstance("SHA-256")
                .digest("WaveOS bundle benchmark key. Public. Never trust it.".getBytes(StandardCharsets.UTF_8));
        return Ed25519.fromSeed(seed);
    }

    /** Writes the signed bundle of DIR/payload.bin (one file, {@code payload.bin}) and the trust root holding the key. */
    static void make(Path dir) throws Exception {
        KeyPair key = key();
        TrustRoot root = new TrustRoot(1, Instant.parse("2036-01-01T00:00:00Z"),
                List.of(TrustedKey.of(key.getPublic(), Set.of(Role.values()))),
                Map.of(Role.ROOT, 1, Role.APP, 1, Role.CONFIG, 1, Role.CERTS, 1));
        Files.write(dir.resolve("trust-root.dsse.json"), TrustRootFile.write(TrustRootFile.unsigned(root).signedWith(key)));
        Path payload = dir.resolve("payload.bin");
        long size = Files.size(payload);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(payload)) {
            byte[] buf = new byte[1 << 20];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                sha.update(buf, 0, n);
            }
        }
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("path", "payload.bin");
        file.put("size", size);
        file.put("sha256", HexFormat.of().formatHex(sha.digest()));
        file.put("mode", "0644");
        List<Object> files = new ArrayList<>();
        files.add(file);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", 1L);
        m.put("bundle_id", COMPONENT + "-2");
        m.put("kind", "app");
        m.put("component", COMPONENT);
        m.put("version", 2L);
        m.put("version_name", "1.2.0");
        m.put("created", "2026-01-01T00:00:00Z");
        m.put("expires", "2036-01-01T00:00:00Z");
        m.put("compatibility", Map.of("device_classes", List.of("gw-100"), "min_agent_version", "0.1.0"));
        m.put("files", files);
        Envelope env = new Envelope(BundleVerifier.MANIFEST_PAYLOAD_TYPE,
                Json.write(m).getBytes(StandardCharsets.UTF_8), List.of()).signedWith(key);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("app.wbundle")), 1 << 20);
             TarWriter tar = new TarWriter(out);
             InputStream in = Files.newInputStream(payload)) {
            tar.addFile(BundleVerifier.MANIFEST_MEMBER, 0644, EnvelopeCodec.write(env));
            tar.addFile(BundleVerifier.PAYLOAD_PREFIX + "payload.bin", 0644, size, in);
        }
    }

    /** The agent's verifier for this bundle: trust root loaded from its file, the device's policy. */
    static BundleVerifier verifier(Path dir) throws IOException, BundleRejected {
        TrustRoot root = TrustRootFile.load(Files.readAllBytes(dir.resolve("trust-root.dsse.json")));
        return new BundleVerifier(root, VerifyPolicy.at(NOW).withDeviceClass("gw-100").withAgentVersion("0.1.0"));
    }

    static VerifiedManifest verifyOnce(Path dir) throws IOException, BundleRejected {
        try (InputStream in = Files.newInputStream(dir.resolve("app.wbundle"))) {
            return verifier(dir).verify(in, PayloadSink.discard());
        }
    }

    static void verifyLoop(Path dir, int warmup, int runs) throws IOException, BundleRejected {
        BundleVerifier verifier = verifier(dir);
        timed("first_ms", () -> verifyWith(verifier, dir));
        for (int i = 0; i < warmup; i++) {
            verifyWith(verifier, dir);
        }
        for (int i = 0; i < runs; i++) {
            timed("verify_ms", () -> verifyWith(verifier, dir));
        }
    }

    static void installLoop(Path dir, Path base, int warmup, int runs) throws IOException, BundleRejected {
        BundleVerifier verifier = verifier(dir);
        timed("first_ms", () -> installWith(verifier, dir, fresh(base)));
        for (int i = 0; i < warmup; i++) {
            installWith(verifier, dir, fresh(base));
        }
        for (int i = 0; i < runs; i++) {
            Path state = fresh(base);
            timed("install_ms", () -> installWith(verifier, dir, state));
        }
        deleteTree(base.resolve("state"));
    }

    interface Step {
        void run() throws IOException, BundleRejected;
    }

    private static void timed(String label, Step step) throws IOException, BundleRejected {
        long t0 = System.nanoTime();
        step.run();
        System.out.printf("%s %.1f%n", label, (System.nanoTime() - t0) / 1e6);
    }

    private static void verifyWith(BundleVerifier verifier, Path dir) throws IOException, BundleRejected {
        try (InputStream in = Files.newInputStream(dir.resolve("app.wbundle"))) {
            verifier.verify(in, PayloadSink.discard());
        }
    }

    /** An empty state folder BASE/state, its old content deleted and the deletion synced (untimed). */
    private static Path fresh(Path base) throws IOException {
        Path state = base.resolve("state");
        deleteTree(state);
        Files.createDirectories(state);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(base)) {
            ch.force(true);
        }
        return state;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** One install in a fresh JVM, trust root loading included, as a CLI would. */
    static void install(Path dir, Path state) throws IOException, BundleRejected {
        long t0 = System.nanoTime();
        installWith(verifier(dir), dir, state);
        System.out.printf("install_ms %.1f%n", (System.nanoTime() - t0) / 1e6);
    }

    /** As the agent's Updater: manifest preflight, then the install re-verifying the whole bundle into the slot. */
    static void installWith(BundleVerifier verifier, Path dir, Path state) throws IOException, BundleRejected {
        Path bundle = dir.resolve("app.wbundle");
        VerifiedManifest vm;
        try (InputStream in = Files.newInputStream(bundle)) {
            vm = verifier.verifyManifest(in);
        }
        SlotInstaller installer = new SlotInstaller(new LinuxSlotStorage(), state);
        Activated a = installer.install(verifier.payload(vm, () -> Files.newInputStream(bundle)), 0);
        if (!a.slot().dir().startsWith(state)) {
            throw new IllegalStateException("installed outside " + state + ": " + a.slot().dir());
        }
    }
}
