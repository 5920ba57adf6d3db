package io.waveos.bundles.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.signature.Ed25519;
import io.waveos.bundles.signature.Envelope;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrustRootFileTest {

    private static final KeyPair OLD1 = seeded(1);
    private static final KeyPair OLD2 = seeded(2);
    private static final KeyPair NEW1 = seeded(3);
    private static final KeyPair NEW2 = seeded(4);
    private static final Instant NOW = Instant.parse("2027-01-01T00:00:00Z");
    private static final Instant LATER = Instant.parse("2030-01-01T00:00:00Z");

    private final TrustRoot current = root(1, LATER, OLD1, OLD2);

    @Test
    void anInitialRootLoadsWhenItsOwnRootThresholdSignedIt() throws Exception {
        TrustRoot loaded = TrustRootFile.load(file(current, OLD1, OLD2));
        assertEquals(current, loaded);
        assertEquals(current, TrustRootCodec.parse(TrustRootCodec.write(current)));
    }

    @Test
    void anInitialRootBelowItsOwnThresholdIsRefused() {
        BundleRejected r = assertThrows(BundleRejected.class, () -> TrustRootFile.load(file(current, OLD1, NEW1)));
        assertEquals(BundleError.TRUST_ROOT_INVALID, r.error());
        assertTrue(r.rule().contains("its own root keys: 2 needed, 1 valid"), r.rule());
    }

    @Test
    void rotationNeedsTheCurrentThresholdAndTheNewOnesOwn() throws Exception {
        TrustRoot next = root(2, LATER, NEW1, NEW2);
        assertEquals(next, TrustRootFile.rotate(current, file(next, OLD1, OLD2, NEW1, NEW2), NOW));
        BundleRejected onlyNew = assertThrows(BundleRejected.class,
                () -> TrustRootFile.rotate(current, file(next, OLD1, NEW1, NEW2), NOW));
        assertTrue(onlyNew.rule().contains("the current (version 1) root keys: 2 needed, 1 valid"), onlyNew.rule());
        BundleRejected onlyOld = assertThrows(BundleRejected.class,
                () -> TrustRootFile.rotate(current, file(next, OLD1, OLD2, NEW2), NOW));
        assertTrue(onlyOld.rule().contains("the new root's own (version 2) root keys: 2 needed, 1 valid"), onlyOld.rule());
        assertEquals(BundleError.TRUST_ROOT_INVALID, onlyOld.error());
    }

    @Test
    void rotationRefusesTheSameOrAnOlderVersionAndAnExpiredRoot() {
        TrustRoot same = root(1, LATER, NEW1, NEW2);
        assertEquals(BundleError.TRUST_ROOT_INVALID, assertThrows(BundleRejected.class,
                () -> TrustRootFile.rotate(current, file(same, OLD1, OLD2, NEW1, NEW2), NOW)).error());
        TrustRoot expired = root(2, NOW, NEW1, NEW2);
        assertEquals(BundleError.TRUST_ROOT_EXPIRED, assertThrows(BundleRejected.class,
                () -> TrustRootFile.rotate(current, file(expired, OLD1, OLD2, NEW1, NEW2), NOW)).error());
    }

    @Test
    void aKeyidThatIsNotTheKeysHashIsRefused() throws Exception {
        Map<String, Object> payload = new LinkedHashMap<>(Json.parseObject(TrustRootCodec.write(current)));
        @SuppressWarnings("unchecked")
        Map<String, Object> key0 = new LinkedHashMap<>((Map<String, Object>) ((List<?>) payload.get("keys")).get(0));
        key0.put("keyid", "00".repeat(32));
        payload.put("keys", List.of(key0, ((List<?>) payload.get("keys")).get(1)));
        BundleRejected r = assertThrows(BundleRejected.class,
                () -> TrustRootCodec.parse(Json.write(payload).getBytes(StandardCharsets.UTF_8)));
        assertEquals("trust-root.keys[0].keyid", r.member());
    }

    @Test
    void aThresholdAboveTheKeysHoldingTheRoleIsRefused() throws Exception {
        Map<String, Object> payload = new LinkedHashMap<>(Json.parseObject(TrustRootCodec.write(current)));
        payload.put("thresholds", Map.of("root", 3L, "app", 1L, "config", 1L, "certs", 1L));
        BundleRejected r = assertThrows(BundleRejected.class,
                () -> TrustRootCodec.parse(Json.write(payload).getBytes(StandardCharsets.UTF_8)));
        assertEquals("trust-root.thresholds.root", r.member());
    }

    private static TrustRoot root(long version, Instant expires, KeyPair a, KeyPair b) {
        return new TrustRoot(version, expires,
                List.of(TrustedKey.of(a.getPublic(), Set.of(Role.values())), TrustedKey.of(b.getPublic(), Set.of(Role.values()))),
                Map.of(Role.ROOT, 2, Role.APP, 1, Role.CONFIG, 1, Role.CERTS, 1));
    }

    private static byte[] file(TrustRoot root, KeyPair... signers) {
        Envelope env = TrustRootFile.unsigned(root);
        for (KeyPair k : signers) {
            env = env.signedWith(k);
        }
        return TrustRootFile.write(env);
    }

    private static KeyPair seeded(int n) {
        byte[] seed = new byte[32];
        seed[0] = (byte) n;
        return Ed25519.fromSeed(seed);
    }
}
