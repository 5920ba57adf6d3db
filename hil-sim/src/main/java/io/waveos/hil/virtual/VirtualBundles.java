package io.waveos.hil.virtual;

import io.waveos.agent.update.tool.BundleTool;
import io.waveos.agent.update.tool.Invocation;
import io.waveos.bundles.signature.Ed25519;
import io.waveos.bundles.signature.PemKeys;
import io.waveos.hil.rig.BundleRecipe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Signed bundles for tier 1, made as tier 2's {@code rig.UpdateBundles} makes them: with the
 * operator's own tool ({@code waveos bundle trust init|sign}, {@code build}), called in process. The
 * same manifest (component {@code app} at the pushed version, one service {@code app}, a 5 s trial with
 * {@code max_restarts: 2}) and the same kinds: {@code good}, {@code failing-trial} (the service crashes
 * 400 ms after every start), {@code tampered} (a payload byte changed after signing),
 * {@code partial} (cut inside its payload). The payload's {@code bin/app} is the same kind of script,
 * naming the tier-1 fake service and its actions; {@link ScriptedLauncher} reads it from the
 * installed slot.
 *
 * <p>Deterministic: the signing key is a fixed test key (from a constant Ed25519 seed, never a secret
 * of anything), the tool's clock is fixed and Ed25519 signatures are deterministic, so a bundle's bytes
 * depend only on its kind, version and device class. Built bundles are kept for the life of this object
 * (one rig), so seeded variations and sweeps build each bundle once. Not thread-safe.
 */
final class VirtualBundles {
    /** Where the tier-1 device's trust root is installed (in its slot storage). */
    static final Path TRUST_ROOT = Path.of("/sim/etc/trust/root.json");
    private static final byte[] TEST_KEY_SEED = "waveos hil tier-1 test key 00001".getBytes(StandardCharsets.US_ASCII);
    private final Map<String, byte[]> built = new HashMap<>();
    private Optional<byte[]> trustRoot = Optional.empty();

    /** The signed trust root (one key, threshold 1), built in {@code dir} the first time. */
    byte[] trustRoot(Path dir) throws IOException {
        if (trustRoot.isEmpty()) {
            keys(dir);
            Path root = dir.resolve("root.json");
            tool("trust", "init", "--out", root.toString(), "--key", dir.resolve("key.pub.pem").toString(),
                    "--threshold", "root=1,app=1", "--expires", "2036-01-01T00:00:00Z");
            tool("trust", "sign", "--root", root.toString(), "--key", dir.resolve("key.pem").toString());
            trustRoot = Optional.of(Files.readAllBytes(root));
        }
        return trustRoot.get().clone();
    }

    /**
     * The bytes of an {@code app} bundle of {@code kind} at {@code version} for {@code deviceClass},
     * built in {@code dir} the first time.
     *
     * @param fakeService the program the script execs (the tier-1 fake service)
     * @param control the service's control file, as tier 2's script names it
     */
    byte[] bundle(String kind, int version, String deviceClass, Path dir, String fakeService, Path control)
            throws IOException {
        String key = kind + "/" + version + "/" + deviceClass;
        byte[] bytes = built.get(key);
        if (bytes == null) {
            bytes = build(kind, version, deviceClass, dir, fakeService, control);
            built.put(key, bytes);
        }
        return bytes.clone();
    }

    private byte[] build(String kind, int version, String deviceClass, Path dir, String fakeService, Path control)
            throws IOException {
        keys(dir);
        Path payload = dir.resolve(kind + "-payload-" + version);
        Files.createDirectories(payload.resolve("bin"));
        String script = "#!/bin/sh\nexec '" + fakeService + "' app '" + control + "'"
                + (kind.equals("failing-trial") ? " crash:400:134:0" : "") + "\n";
        Files.writeString(payload.resolve("bin/app"), script, StandardCharsets.UTF_8);
        Files.writeString(payload.resolve("VERSION"), "app " + version + " " + kind + "\n");
        Path template = dir.resolve(kind + "-template-" + version + ".json");
        Files.writeString(template, BundleRecipe.manifest(version, deviceClass));
        Path bundle = dir.resolve(kind + "-app-" + version + ".wbundle");
        tool("build", "--dir", payload.toString(), "--manifest", template.toString(), "--out", bundle.toString(),
                "--key", dir.resolve("key.pem").toString());
        return BundleRecipe.asSent(kind, version, Files.readAllBytes(bundle));
    }

    private static void keys(Path dir) throws IOException {
        Files.createDirectories(dir);
        KeyPair pair = Ed25519.fromSeed(TEST_KEY_SEED);
        Files.writeString(dir.resolve("key.pem"), PemKeys.writePrivate(pair.getPrivate()), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("key.pub.pem"), PemKeys.writePublic(pair.getPublic()), StandardCharsets.US_ASCII);
    }

    private static void tool(String... args) throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(err, true, StandardCharsets.UTF_8);
        Clock fixed = Clock.fixed(VirtualRig.ORIGIN, ZoneOffset.UTC);
        int code = BundleTool.run(args, new Invocation(sink, sink, fixed, false));
        if (code != BundleTool.OK) {
            throw new IOException("waveos bundle " + String.join(" ", args) + " failed (" + code + "): "
                    + err.toString(StandardCharsets.UTF_8));
        }
    }
}
