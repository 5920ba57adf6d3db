package io.waveos.bundles.install;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.manifest.Compatibility;
import io.waveos.bundles.manifest.Kind;
import io.waveos.bundles.manifest.Manifest;
import io.waveos.bundles.manifest.PayloadFile;
import io.waveos.bundles.manifest.TrialCriteria;
import io.waveos.bundles.platform.SlotStorage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Test bundles: manifests and payload streams built from a map of path to content, and hostile streams. */
final class Payloads {

    static final int MODE = 0640;
    static final int EXEC_MODE = 0750;

    private Payloads() {
    }

    static Map<String, byte[]> files(String... pathsAndContents) {
        Map<String, byte[]> files = new TreeMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            files.put(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    static int modeOf(String path) {
        return path.startsWith("bin/") ? EXEC_MODE : MODE;
    }

    static Manifest manifest(String component, long version, Map<String, byte[]> files) {
        return manifest(component, version, Kind.APP, files);
    }

    static Manifest manifest(String component, long version, Kind kind, Map<String, byte[]> files) {
        List<PayloadFile> listed = new ArrayList<>();
        files.forEach((p, b) -> listed.add(new PayloadFile(p, b.length, sha256(b), modeOf(p))));
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        return new Manifest(Manifest.FORMAT, component + "-" + version, kind, component, version,
                "1." + version, created, created.plus(Duration.ofDays(365)),
                new Compatibility(List.of("test-box"), "0.1.0"), listed, List.of(),
                kind == Kind.CERTS ? Optional.empty()
                        : Optional.of(new TrialCriteria(Duration.ofSeconds(30), List.of(), 2)));
    }

    /** Feeds each listed file's bytes in chunks of 16, as the verifier would. */
    static PayloadStream stream(Manifest m, Map<String, byte[]> content) {
        return sink -> {
            for (PayloadFile f : m.files()) {
                byte[] b = content.get(f.path());
                try (OutputStream out = sink.open(f)) {
                    for (int i = 0; i < b.length; i += 16) {
                        out.write(b, i, Math.min(16, b.length - i));
                    }
                }
                sink.completed(f);
            }
        };
    }

    /** Writes the first file, half of the second, then fails as the verifier does on a bad hash. */
    static PayloadStream failingMidStream(Manifest m, Map<String, byte[]> content) {
        return sink -> {
            PayloadFile first = m.files().get(0);
            try (OutputStream out = sink.open(first)) {
                out.write(content.get(first.path()));
            }
            sink.completed(first);
            PayloadFile second = m.files().get(1);
            OutputStream out = sink.open(second);
            byte[] b = content.get(second.path());
            out.write(b, 0, b.length / 2);
            throw new BundleRejected(BundleError.HASH_MISMATCH, second.memberName(), "SHA-256 differs");
        };
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every regular file under {@code dir}, by relative path. */
    static Map<String, byte[]> tree(SlotStorage s, Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        collect(s, dir, "", out);
        return out;
    }

    private static void collect(SlotStorage s, Path dir, String prefix, Map<String, byte[]> out) throws IOException {
        for (String name : s.list(dir)) {
            Path p = dir.resolve(name);
            if (s.isDirectory(p)) {
                collect(s, p, prefix + name + "/", out);
            } else {
                out.put(prefix + name, s.read(p).orElseThrow());
            }
        }
    }

    /** Whether the slot holds exactly these files with these bytes and modes. */
    static boolean sameTree(SlotStorage s, Path dir, Map<String, byte[]> expected) throws IOException {
        Map<String, byte[]> actual = tree(s, dir);
        if (!actual.keySet().equals(expected.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), actual.get(e.getKey()))
                    || s.mode(dir.resolve(e.getKey())) != modeOf(e.getKey())) {
                return false;
            }
        }
        return true;
    }
}
