package io.waveos.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.ApiConfig;
import io.waveos.agent.config.ApiRole;
import io.waveos.agent.platform.fake.FakeStorage;
import io.waveos.agent.platform.fake.FakeTime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeySourceTest {
    static final String SECRET = "bundle-secret-0123456789";
    private final FakeStorage storage = new FakeStorage();
    private final Path slot = Path.of("/state/updates/certs/a");
    private final KeySource source = new KeySource(new ApiConfig.BundleFile("site-certs", "api-keys.json"),
            Set.of("local"), storage, component -> Optional.of(slot));

    private void write(String json) throws Exception {
        storage.createDirectories(slot);
        storage.writeAtomically(slot.resolve("api-keys.json"), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheKeysOfTheActiveSlot() throws Exception {
        write("{\"keys\": [{\"id\": \"fleet-2027\", \"secret\": \"" + SECRET + "\", \"role\": \"operator\"}]}");
        KeySource.Found f = assertInstanceOf(KeySource.Found.class, source.load());
        assertEquals(List.of(new ApiConfig.Key("fleet-2027", SECRET, ApiRole.OPERATOR)), f.keys());
    }

    @Test
    void refusesAShortSecretAnUnknownRoleADuplicateIdAndJunkWithoutShowingASecret() throws Exception {
        write("{\"keys\": [{\"id\": \"a\", \"secret\": \"short-one\", \"role\": \"admin\"}]}");
        assertTrue(assertInstanceOf(KeySource.Refused.class, source.load()).why().contains("keys[0]: secret must be"));
        write("{\"keys\": [{\"id\": \"a\", \"secret\": \"" + SECRET + "\", \"role\": \"root\"}]}");
        assertTrue(assertInstanceOf(KeySource.Refused.class, source.load()).why().contains("keys[0].role"));
        write("{\"keys\": [{\"id\": \"local\", \"secret\": \"" + SECRET + "\", \"role\": \"viewer\"}]}");
        assertTrue(assertInstanceOf(KeySource.Refused.class, source.load()).why().contains("already in api.keys"));
        write("{\"keys\": [{\"id\": \"a\", \"secret\": \"" + SECRET + "\", \"role\": \"viewer\",}]}");
        String why = assertInstanceOf(KeySource.Refused.class, source.load()).why();
        assertFalse(why.contains(SECRET), why);
    }

    @Test
    void aBundleKeySignsRequestsUntilTheNextBundleDropsIt() throws Exception {
        FakeTime time = new FakeTime();
        ApiConfig config = new ApiConfig("127.0.0.1", 0, Optional.empty(),
                List.of(new ApiConfig.Key("local", "local-secret-0123456789", ApiRole.ADMIN)),
                ApiConfig.Limits.defaults(), Map.of(), false);
        Authenticator auth = new Authenticator(config, time);
        long now = time.now().getEpochSecond();
        Map<String, String> headers = Map.of(RequestSigning.KEY_ID, "fleet-2027",
                RequestSigning.TIMESTAMP, Long.toString(now), RequestSigning.NONCE, "nonce-0123456789abcdef",
                RequestSigning.CONTENT_SHA256, RequestSigning.EMPTY_SHA256,
                RequestSigning.SIGNATURE, RequestSigning.sign(SECRET, RequestSigning.canonical("GET", "/v1/status", now,
                        "nonce-0123456789abcdef", RequestSigning.EMPTY_SHA256)));
        ApiFailure unknown = assertThrows(ApiFailure.class,
                () -> auth.verify("GET", "/v1/status", h -> Optional.ofNullable(headers.get(h))));
        assertEquals(ApiError.UNKNOWN_KEY, unknown.error());

        auth.bundleKeys(List.of(new ApiConfig.Key("fleet-2027", SECRET, ApiRole.OPERATOR)));
        assertEquals(ApiRole.OPERATOR, auth.verify("GET", "/v1/status", h -> Optional.ofNullable(headers.get(h))).role());

        auth.bundleKeys(List.of());
        assertEquals(ApiError.UNKNOWN_KEY, assertThrows(ApiFailure.class,
                () -> auth.verify("GET", "/v1/status", h -> Optional.ofNullable(headers.get(h)))).error());
    }
}
