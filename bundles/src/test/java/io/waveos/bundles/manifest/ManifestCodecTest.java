package io.waveos.bundles.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {

    private static Map<String, Object> base() throws Exception {
        String json = "{\"format\":1,\"bundle_id\":\"b-1\",\"kind\":\"app\",\"component\":\"demo\",\"version\":42,"
                + "\"version_name\":\"2.3.1\",\"created\":\"2026-01-01T01:00:00.5+01:00\",\"expires\":\"2036-01-01T00:00:00Z\","
                + "\"compatibility\":{\"device_classes\":[\"gw-100\"],\"min_agent_version\":\"0.1.0\"},"
                + "\"files\":[{\"path\":\"bin/app\",\"size\":3,\"sha256\":\"" + "ab".repeat(32) + "\",\"mode\":\"0755\"}],"
                + "\"services\":[{\"name\":\"svc\",\"command\":[\"bin/app\"]}],"
                + "\"trial\":{\"soak_seconds\":60,\"must_be_ready\":[\"svc\"],\"max_restarts\":2}}";
        return new LinkedHashMap<>(Json.parseObject(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aValidManifestParsesAndItsCanonicalFormRoundTrips() throws Exception {
        Manifest m = ManifestCodec.parse(Json.write(base()).getBytes(StandardCharsets.UTF_8));
        assertEquals(java.time.Instant.parse("2026-01-01T00:00:00.5Z"), m.created());
        assertEquals(0755, m.files().get(0).mode());
        byte[] canonical = ManifestCodec.write(m);
        assertEquals(m, ManifestCodec.parse(canonical));
        assertArrayEquals(canonical, ManifestCodec.write(ManifestCodec.parse(canonical)));
    }

    @Test
    void eachBrokenRuleNamesItsFieldAndCode() throws Exception {
        refused(m -> m.put("format", 2L), BundleError.FORMAT_UNSUPPORTED, "manifest.format");
        refused(m -> m.put("extra", 1L), BundleError.MANIFEST_MALFORMED, "manifest.extra");
        refused(m -> m.put("component", "Demo"), BundleError.MANIFEST_MALFORMED, "manifest.component");
        refused(m -> m.put("version", 0L), BundleError.MANIFEST_MALFORMED, "manifest.version");
        refused(m -> m.put("expires", "2025-01-01T00:00:00Z"), BundleError.MANIFEST_MALFORMED, "manifest.expires");
        refused(m -> m.put("created", "2026-01-01 00:00:00Z"), BundleError.MANIFEST_MALFORMED, "manifest.created");
        refused(m -> m.put("kind", "config"), BundleError.INCOMPATIBLE, "manifest.services");
        refused(m -> file(m, "sha256", "AB".repeat(32)), BundleError.MANIFEST_MALFORMED, "manifest.files[0].sha256");
        refused(m -> file(m, "mode", "4755"), BundleError.MANIFEST_MALFORMED, "manifest.files[0].mode");
        refused(m -> file(m, "size", -1L), BundleError.MANIFEST_MALFORMED, "manifest.files[0].size");
        refused(m -> file(m, "path", "/bin/app"), BundleError.PATH_UNSAFE, "manifest.files[0].path");
        refused(m -> file(m, "path", "bin/../app"), BundleError.PATH_UNSAFE, "manifest.files[0].path");
        refused(m -> file(m, "path", "bin//app"), BundleError.NAME_INVALID, "manifest.files[0].path");
        refused(m -> file(m, "path", "bin/./app"), BundleError.NAME_INVALID, "manifest.files[0].path");
        refused(m -> file(m, "path", "bin\\app"), BundleError.NAME_INVALID, "manifest.files[0].path");
        refused(m -> file(m, "path", "bin/a\u0007"), BundleError.NAME_INVALID, "manifest.files[0].path");
        refused(m -> file(m, "path", "x".repeat(256)), BundleError.NAME_INVALID, "manifest.files[0].path");
        refused(m -> addFile(m, "bin/app"), BundleError.MEMBER_DUPLICATE, "manifest.files[1].path");
        refused(m -> addFile(m, "bin/app/x"), BundleError.PATH_UNSAFE, "manifest.files[0].path");
    }

    @Test
    void moreThanTheFileCapIsTooLarge() throws Exception {
        refused(m -> {
            for (int i = 0; i < ManifestCodec.MAX_FILES; i++) {
                addFile(m, "f" + i);
            }
        }, BundleError.TOO_LARGE, "manifest.files");
    }

    @SuppressWarnings("unchecked")
    private static void file(Map<String, Object> m, String key, Object value) {
        List<Object> files = new ArrayList<>((List<Object>) m.get("files"));
        Map<String, Object> f = new LinkedHashMap<>((Map<String, Object>) files.get(0));
        f.put(key, value);
        files.set(0, f);
        m.put("files", files);
    }

    @SuppressWarnings("unchecked")
    private static void addFile(Map<String, Object> m, String path) {
        List<Object> files = new ArrayList<>((List<Object>) m.get("files"));
        Map<String, Object> f = new LinkedHashMap<>((Map<String, Object>) files.get(0));
        f.put("path", path);
        files.add(f);
        m.put("files", files);
    }

    private static void refused(Consumer<Map<String, Object>> edit, BundleError code, String member) throws Exception {
        Map<String, Object> m = base();
        edit.accept(m);
        BundleRejected r = assertThrows(BundleRejected.class,
                () -> ManifestCodec.parse(Json.write(m).getBytes(StandardCharsets.UTF_8)));
        assertEquals(code, r.error(), r.getMessage());
        assertEquals(member, r.member(), r.getMessage());
    }
}
