package io.waveos.bundles.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.manifest.Manifest;
import io.waveos.bundles.manifest.ManifestCodec;
import io.waveos.bundles.verify.BundleVerifier;
import io.waveos.bundles.verify.PayloadSink;
import io.waveos.bundles.verify.VerifiedManifest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every committed vector, verified under the README's policy, ends exactly as the table says. */
class VectorTableTest {

    @TestFactory
    Stream<DynamicTest> everyVectorEndsWithItsExpectedResult() throws Json.ParseException {
        List<VectorGenerator.Vector> table = VectorFiles.table();
        return table.stream().map(v -> DynamicTest.dynamicTest(v.file() + " -> " + v.expect(), () -> check(v)));
    }

    @Test
    void theTableCoversEveryRuleWithAtLeastOneHostileVector() throws Json.ParseException {
        List<String> codes = VectorFiles.table().stream().map(VectorGenerator.Vector::expect).distinct().sorted().toList();
        assertEquals(List.of("agent-too-old", "archive-malformed", "device-class", "envelope-malformed", "expired",
                "format-unsupported", "hash-mismatch", "incompatible", "link-member", "manifest-malformed",
                "manifest-missing", "member-duplicate", "member-missing", "member-unlisted", "name-invalid", "ok",
                "path-unsafe", "rollback", "signature-invalid", "size-mismatch", "special-member", "threshold-not-met",
                "too-large", "truncated", "trust-root-expired", "unsigned"), codes);
    }

    @Test
    void theGoodAppBundleDeliversExactlyItsListedFilesAndManifest() throws Exception {
        Map<String, byte[]> got = new LinkedHashMap<>();
        PayloadSink sink = file -> new ByteArrayOutputStream() {
            @Override
            public void close() {
                got.put(file.path(), toByteArray());
            }
        };
        VerifiedManifest v = new BundleVerifier(VectorFiles.root(VectorGenerator.ROOT), VectorFiles.policy())
                .verify(new ByteArrayInputStream(VectorFiles.read("good-app.wbundle")), sink);
        Manifest expected = ManifestCodec.parse(Json.write(VectorGenerator.appManifest(7)).getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, v.manifest());
        assertEquals(List.of(TestKeysIds.A, TestKeysIds.B).stream().sorted().toList(), v.signedBy());
        assertEquals(VectorGenerator.appFiles().keySet(), got.keySet());
        VectorGenerator.appFiles().forEach((p, c) -> assertEquals(new String(c, StandardCharsets.UTF_8),
                new String(got.get(p), StandardCharsets.UTF_8)));
    }

    private static void check(VectorGenerator.Vector v) throws Exception {
        BundleVerifier verifier = new BundleVerifier(VectorFiles.root(v.root()), VectorFiles.policy());
        byte[] bundle = VectorFiles.read(v.file());
        if (v.expect().equals("ok")) {
            VerifiedManifest m = verifier.verify(new ByteArrayInputStream(bundle), PayloadSink.discard());
            assertEquals(m, verifier.verifyManifest(new ByteArrayInputStream(bundle)));
            return;
        }
        BundleRejected r = assertThrows(BundleRejected.class,
                () -> verifier.verify(new ByteArrayInputStream(bundle), PayloadSink.discard()), v.file());
        if (!r.error().code().equals(v.expect())) {
            fail(v.file() + ": expected " + v.expect() + ", got " + r.getMessage());
        }
    }

    /** Keyids of the fixed test keys. */
    static final class TestKeysIds {
        static final String A = io.waveos.bundles.signature.Ed25519.keyid(TestKeys.A.getPublic());
        static final String B = io.waveos.bundles.signature.Ed25519.keyid(TestKeys.B.getPublic());

        private TestKeysIds() {
        }
    }

}
