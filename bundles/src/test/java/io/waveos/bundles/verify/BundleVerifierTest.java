package io.waveos.bundles.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.vectors.VectorFiles;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BundleVerifierTest {

    private final byte[] good = VectorFiles.read("good-app.wbundle");

    private BundleVerifier verifier(VerifyPolicy policy) throws BundleRejected {
        return new BundleVerifier(VectorFiles.root("trust-root.dsse.json"), policy);
    }

    @Test
    void aBundleRefusedByItsManifestNeverReachesTheSink() throws Exception {
        List<String> opened = new ArrayList<>();
        PayloadSink sink = file -> {
            opened.add(file.path());
            return OutputStream.nullOutputStream();
        };
        BundleRejected r = assertThrows(BundleRejected.class, () -> verifier(VectorFiles.policy().withFloor(100))
                .verify(new ByteArrayInputStream(good), sink));
        assertEquals(BundleError.ROLLBACK, r.error());
        assertEquals(List.of(), opened);
    }

    @Test
    void completedIsCalledOnlyForFilesWhoseHashMatched() throws Exception {
        List<String> completed = new ArrayList<>();
        PayloadSink sink = new PayloadSink() {
            @Override
            public OutputStream open(io.waveos.bundles.manifest.PayloadFile file) {
                return OutputStream.nullOutputStream();
            }

            @Override
            public void completed(io.waveos.bundles.manifest.PayloadFile file) {
                completed.add(file.path());
            }
        };
        assertThrows(BundleRejected.class, () -> verifier(VectorFiles.policy())
                .verify(new ByteArrayInputStream(VectorFiles.read("tampered-payload.wbundle")), sink));
        assertEquals(List.of(), completed, "bin/app is the first member and its hash fails");
        verifier(VectorFiles.policy()).verify(new ByteArrayInputStream(good), sink);
        assertEquals(List.of("bin/app", "share/readme.txt", "share/motd.txt"), completed);
    }

    @Test
    void progressReachesTheDeclaredTotal() throws Exception {
        List<long[]> steps = new ArrayList<>();
        VerifiedManifest v = verifier(VectorFiles.policy())
                .verify(new ByteArrayInputStream(good), PayloadSink.discard(), (done, total) -> steps.add(new long[] {done, total}));
        long total = v.manifest().payloadBytes();
        assertEquals(total, steps.get(steps.size() - 1)[0]);
        assertTrue(steps.stream().allMatch(s -> s[1] == total));
    }

    @Test
    void theArchiveCapStopsReadingWithTooLarge() throws Exception {
        VerifyPolicy tiny = VectorFiles.policy().withCaps(3000, 64 * 1024, 100);
        BundleRejected r = assertThrows(BundleRejected.class,
                () -> verifier(tiny).verify(new ByteArrayInputStream(good), PayloadSink.discard()));
        assertEquals(BundleError.TOO_LARGE, r.error());
    }

    @Test
    void theManifestCapIsCheckedBeforeReadingIt() throws Exception {
        VerifyPolicy small = VectorFiles.policy().withCaps(1 << 20, 100, 100);
        assertEquals(BundleError.TOO_LARGE, assertThrows(BundleRejected.class,
                () -> verifier(small).verifyManifest(new ByteArrayInputStream(good))).error());
    }

    @Test
    void verifyManifestReadsNothingAfterTheManifestMember() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(good);
        verifier(VectorFiles.policy()).verifyManifest(in);
        assertTrue(in.available() > 0, "payload members were left unread");
    }

    @Test
    void trustedTimeIsTheLaterOfClockAndHighWaterMark() {
        Instant early = Instant.parse("2020-01-01T00:00:00Z");
        Instant late = Instant.parse("2027-01-01T00:00:00Z");
        assertEquals(late, TrustedTime.trustedNow(early, late));
        assertEquals(late, TrustedTime.trustedNow(late, early));
    }

    @Test
    void dottedVersionsCompareNumericallyWithMissingPartsAsZero() {
        assertTrue(DottedVersion.compare("1.10.0", "1.9.9") > 0);
        assertEquals(0, DottedVersion.compare("1.4", "1.4.0"));
        assertTrue(DottedVersion.compare("0.1.0-SNAPSHOT", "0.2") < 0);
    }
}
