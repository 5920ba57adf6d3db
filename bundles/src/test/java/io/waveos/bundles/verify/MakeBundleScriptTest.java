package io.waveos.bundles.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.bundles.signature.Openssl;
import io.waveos.bundles.signature.PemKeys;
import io.waveos.bundles.trust.Role;
import io.waveos.bundles.trust.TrustRoot;
import io.waveos.bundles.trust.TrustedKey;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spec's walk-through (Python tarfile + openssl only) makes a bundle the verifier accepts, and the spec quotes it verbatim. */
class MakeBundleScriptTest {

    private static final Path DOCS = Path.of(System.getProperty("basedir", ".")).resolve("../docs");

    @TempDir
    Path dir;

    @Test
    void aBundleBuiltWithPythonAndOpensslAloneVerifies() throws Exception {
        Path script = DOCS.resolve("examples/make-bundle.py").toAbsolutePath().normalize();
        Openssl.Result run = Openssl.run(dir, "python3", script.toString(), dir.toString()).ok();
        TrustedKey key = TrustedKey.of(PemKeys.readPublic(Files.readString(dir.resolve("key.pub.pem")), "key.pub.pem"),
                Set.of(Role.values()));
        assertEquals(key.keyid(), run.output().trim(), "the script prints the keyid the JDK computes");
        TrustRoot root = new TrustRoot(1, Instant.parse("2036-01-01T00:00:00Z"), List.of(key),
                Map.of(Role.ROOT, 1, Role.APP, 1, Role.CONFIG, 1, Role.CERTS, 1));
        VerifyPolicy policy = VerifyPolicy.at(Instant.parse("2027-01-01T00:00:00Z")).withDeviceClass("gw-100").withAgentVersion("0.1.0");
        try (InputStream in = Files.newInputStream(dir.resolve("demo.wbundle"))) {
            VerifiedManifest v = new BundleVerifier(root, policy).verify(in, PayloadSink.discard());
            assertEquals("hello", v.manifest().component());
            assertEquals(List.of(key.keyid()), v.signedBy());
            assertEquals(2, v.manifest().files().size());
        }
    }

    @Test
    void theSpecContainsTheScriptVerbatim() throws Exception {
        String script = Files.readString(DOCS.resolve("examples/make-bundle.py"));
        String spec = Files.readString(DOCS.resolve("bundle-format.md"));
        assertTrue(spec.contains("```python\n" + script + "```\n"), "docs/bundle-format.md must quote docs/examples/make-bundle.py verbatim");
    }
}
