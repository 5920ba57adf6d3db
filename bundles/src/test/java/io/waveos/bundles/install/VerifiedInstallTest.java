package io.waveos.bundles.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.platform.CrashingStorage;
import io.waveos.bundles.platform.SlotStorage;
import io.waveos.bundles.trust.Role;
import io.waveos.bundles.trust.TrustRoot;
import io.waveos.bundles.trust.TrustedKey;
import io.waveos.bundles.vectors.TestBundles;
import io.waveos.bundles.vectors.TestKeys;
import io.waveos.bundles.verify.BundleVerifier;
import io.waveos.bundles.verify.PayloadSink;
import io.waveos.bundles.verify.VerifiedManifest;
import io.waveos.bundles.verify.VerifiedPayload;
import io.waveos.bundles.verify.VerifyPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The installer fed by the library's own verifier: one SHA-256 pass, a CRC-32C read-back. */
class VerifiedInstallTest {
    private static final Path UPDATES = Path.of("/state/updates");
    private static final Map<String, byte[]> V1 = Payloads.files("bin/app", "one", "etc/conf", "c1");
    private static final Map<String, byte[]> V2 = Payloads.files("bin/app", "two", "etc/conf", "c2");

    private final CrashingStorage storage = new CrashingStorage();
    private final BundleVerifier verifier = new BundleVerifier(
            new TrustRoot(1, Instant.parse("2036-01-01T00:00:00Z"),
                    List.of(TrustedKey.of(TestKeys.A.getPublic(), Set.of(Role.values()))),
                    Map.of(Role.ROOT, 1, Role.APP, 1, Role.CONFIG, 1, Role.CERTS, 1)),
            VerifyPolicy.at(Instant.parse("2026-11-01T00:00:00Z")).withDeviceClass("gw-100").withAgentVersion("0.1.0"));

    @BeforeEach
    void updatesFolder() throws IOException {
        storage.createDirectories(UPDATES);
        storage.syncAll();
    }

    private static byte[] bundle(long version, Map<String, byte[]> files) {
        return TestBundles.bundle(TestBundles.manifest("app", "app", version, files), List.of(TestKeys.A), files);
    }

    private VerifiedPayload payload(byte[] preflightBundle, byte[] streamedBundle) throws Exception {
        VerifiedManifest vm = verifier.verifyManifest(new ByteArrayInputStream(preflightBundle));
        return verifier.payload(vm, () -> new ByteArrayInputStream(streamedBundle));
    }

    @Test
    void installsAVerifiedPayloadAndTheSlotHoldsExactlyTheManifestsFiles() throws Exception {
        byte[] b = bundle(1, V1);
        Activated a = new SlotInstaller(storage, UPDATES).install(payload(b, b), 0);
        assertEquals(Mark.TRIAL, a.slot().mark());
        for (Map.Entry<String, byte[]> f : V1.entrySet()) {
            assertEquals(new String(f.getValue(), StandardCharsets.UTF_8), new String(
                    storage.read(a.slot().dir().resolve(f.getKey())).orElseThrow(), StandardCharsets.UTF_8));
        }
        assertEquals(0755, storage.mode(a.slot().dir().resolve("bin/app")));
        assertEquals(List.of("bin", "etc"), storage.list(a.slot().dir()));
    }

    @Test
    void aBundleSwappedAfterPreflightIsRefusedBeforeAnyPayloadByteIsWritten() throws Exception {
        AtomicInteger created = new AtomicInteger();
        SlotStorage counting = counting(storage, created);
        BundleRejected r = assertThrows(BundleRejected.class, () ->
                new SlotInstaller(counting, UPDATES).install(payload(bundle(1, V1), bundle(1, V2)), 0));
        assertEquals(BundleError.HASH_MISMATCH, r.error());
        assertEquals("manifest.dsse.json", r.member());
        assertTrue(r.getMessage().contains("changed between preflight and install"), r.getMessage());
        assertEquals(0, created.get(), "no payload file may be created");
    }

    @Test
    void aByteTheStorageChangesAfterWritingIsCaughtByTheReadBack() throws Exception {
        byte[] b = bundle(1, V1);
        SlotStorage flipping = flippingOnRead(storage, "bin/app");
        BundleRejected r = assertThrows(BundleRejected.class, () ->
                new SlotInstaller(flipping, UPDATES).install(payload(b, b), 0));
        assertEquals(BundleError.WRITTEN_MISMATCH, r.error());
        assertTrue(r.member().endsWith("bin/app"), r.member());
        assertTrue(r.getMessage().contains("CRC-32C"), r.getMessage());
        assertFalse(new SlotInstaller(storage, UPDATES).active("app").isPresent());
    }

    @Test
    void theUntrustedStreamPathCatchesTheSameStorageFault() throws Exception {
        SlotStorage flipping = flippingOnRead(storage, "bin/app");
        var m = Payloads.manifest("app", 1, V1);
        BundleRejected r = assertThrows(BundleRejected.class, () ->
                new SlotInstaller(flipping, UPDATES).install(m, Payloads.stream(m, V1), 0));
        assertEquals(BundleError.WRITTEN_MISMATCH, r.error());
    }

    @Test
    void discardingSinkSeesTheSameVerification() throws Exception {
        byte[] b = bundle(1, V1);
        payload(b, b).streamTo(PayloadSink.discard(), io.waveos.bundles.verify.Progress.none());
        byte[] tampered = b.clone();
        int at = new String(b, StandardCharsets.ISO_8859_1).lastIndexOf("one");
        tampered[at] ^= 1;
        assertEquals(BundleError.HASH_MISMATCH, assertThrows(BundleRejected.class,
                () -> payload(b, tampered).streamTo(PayloadSink.discard(), io.waveos.bundles.verify.Progress.none()))
                .error());
    }

    /** Counts files created inside the slot folders (payload files). */
    private static SlotStorage counting(SlotStorage inner, AtomicInteger created) {
        return (SlotStorage) Proxy.newProxyInstance(SlotStorage.class.getClassLoader(), new Class<?>[] {SlotStorage.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("create") && ((Path) args[0]).startsWith(UPDATES.resolve("components/app/a"))) {
                        created.incrementAndGet();
                    }
                    return invoke(inner, method, args);
                });
    }

    /** Reads of files whose path ends with {@code suffix} come back with their first byte flipped. */
    private static SlotStorage flippingOnRead(SlotStorage inner, String suffix) {
        return (SlotStorage) Proxy.newProxyInstance(SlotStorage.class.getClassLoader(), new Class<?>[] {SlotStorage.class},
                (proxy, method, args) -> {
                    Object result = invoke(inner, method, args);
                    if (method.getName().equals("open") && ((Path) args[0]).toString().endsWith(suffix)) {
                        byte[] content = ((InputStream) result).readAllBytes();
                        content[0] ^= 0x20;
                        return new ByteArrayInputStream(content);
                    }
                    return result;
                });
    }

    private static Object invoke(SlotStorage inner, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(inner, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
