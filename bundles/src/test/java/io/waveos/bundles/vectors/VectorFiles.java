package io.waveos.bundles.vectors;

import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.trust.TrustRoot;
import io.waveos.bundles.trust.TrustRootFile;
import io.waveos.bundles.verify.VerifyPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the committed vectors: the folder, the table, the roots and the policy they are verified under. */
public final class VectorFiles {

    private VectorFiles() {
    }

    public static Path dir() {
        return Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/vectors");
    }

    public static byte[] read(String name) {
        try {
            return Files.readAllBytes(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TrustRoot root(String name) throws BundleRejected {
        return TrustRootFile.load(read(name));
    }

    /** The policy of README.md. */
    public static VerifyPolicy policy() {
        return VerifyPolicy.at(VectorGenerator.TRUSTED_NOW)
                .withDeviceClass(VectorGenerator.DEVICE_CLASS)
                .withAgentVersion(VectorGenerator.AGENT_VERSION)
                .withFloors(c -> c.equals(VectorGenerator.FLOOR_COMPONENT) ? VectorGenerator.FLOOR : 0)
                .withCaps(VectorGenerator.MAX_BUNDLE_BYTES, 64 * 1024, 100);
    }

    /** The rows of vectors.json. */
    public static List<VectorGenerator.Vector> table() throws Json.ParseException {
        List<VectorGenerator.Vector> out = new ArrayList<>();
        for (Object row : (List<?>) Json.parse(read("vectors.json"))) {
            Map<?, ?> r = (Map<?, ?>) row;
            out.add(new VectorGenerator.Vector((String) r.get("file"), (String) r.get("root"), (String) r.get("expect"),
                    (String) r.get("what")));
        }
        return out;
    }
}
