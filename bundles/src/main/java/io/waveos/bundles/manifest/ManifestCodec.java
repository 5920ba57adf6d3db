package io.waveos.bundles.manifest;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.json.JsonFields;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict parse and canonical write of the manifest JSON ({@code docs/bundle-format.md}, "Manifest").
 * Every broken rule is a {@link BundleRejected} naming the JSON path ({@code manifest.files[3].sha256})
 * and what was expected: {@link BundleError#MANIFEST_MALFORMED} by default,
 * {@link BundleError#FORMAT_UNSUPPORTED} for a {@code format} other than 1,
 * {@link BundleError#INCOMPATIBLE} for {@code services} outside app bundles or {@code trial} in a
 * certs bundle, {@link BundleError#TOO_LARGE} for more than {@value #MAX_FILES} files, and the
 * {@link PayloadPath} and {@link PayloadFiles} codes for file paths. Stateless.
 */
public final class ManifestCodec {

    /** The most payload files a manifest may list. */
    public static final int MAX_FILES = 10_000;
    /** Names of components, services and device classes. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    static final Pattern BUNDLE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final Pattern DOTTED = Pattern.compile("\\d{1,9}(\\.\\d{1,9}){0,7}");
    static final int MAX_NAMES = 256;
    static final long MAX_SOAK_SECONDS = 7L * 24 * 3600;
    static final int MAX_RESTARTS = 1000;

    private static final Set<String> TOP = Set.of("format", "bundle_id", "kind", "component", "version",
            "version_name", "created", "expires", "compatibility", "files", "services", "trial");
    private static final Set<String> COMPAT = Set.of("device_classes", "min_agent_version");
    private static final Set<String> TRIAL = Set.of("soak_seconds", "must_be_ready", "max_restarts");

    private ManifestCodec() {
    }

    /** Parses and checks a manifest. */
    public static Manifest parse(byte[] json) throws BundleRejected {
        try {
            JsonFields top = JsonFields.of("manifest", Json.parse(json));
            long format = top.integer("format", Long.MIN_VALUE, Long.MAX_VALUE);
            if (format != Manifest.FORMAT) {
                throw new BundleRejected(BundleError.FORMAT_UNSUPPORTED, "manifest.format",
                        "format " + Manifest.FORMAT + " (this library reads only that), found " + format);
            }
            top.onlyKeys(TOP);
            String bundleId = matching(top, "bundle_id", BUNDLE_ID);
            String kindText = top.string("kind");
            Kind kind = Kind.fromWire(kindText).orElseThrow(
                    () -> new JsonFields.Violation("manifest.kind", "one of app, config, certs, found \"" + kindText + "\""));
            String component = matching(top, "component", NAME);
            long version = top.integer("version", 1, Long.MAX_VALUE);
            String versionName = top.string("version_name");
            if (versionName.isEmpty() || versionName.length() > 128 || versionName.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new JsonFields.Violation("manifest.version_name", "1 to 128 characters without control characters");
            }
            Instant created = time(top, "created");
            Instant expires = time(top, "expires");
            if (!expires.isAfter(created)) {
                throw new JsonFields.Violation("manifest.expires", "later than created (" + Rfc3339.format(created) + ")");
            }
            Compatibility compat = compatibility(top.object("compatibility"));
            List<PayloadFile> files = PayloadFiles.parse(top);
            List<ServiceDefinition> services = services(top, kind);
            Optional<TrialCriteria> trial = trial(top, kind);
            return new Manifest(Manifest.FORMAT, bundleId, kind, component, version, versionName, created, expires,
                    compat, files, services, trial);
        } catch (Json.ParseException e) {
            throw new BundleRejected(BundleError.MANIFEST_MALFORMED, "manifest", "strict JSON (" + e.getMessage() + ")", e);
        } catch (JsonFields.Violation v) {
            throw new BundleRejected(BundleError.MANIFEST_MALFORMED, v.path(), v.expected(), v);
        }
    }

    /**
     * The canonical bytes: compact UTF-8 JSON, keys in the documented order, times in UTC,
     * {@code services} only when non-empty, {@code trial} only when present.
     */
    public static byte[] write(Manifest m) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("format", (long) m.format());
        top.put("bundle_id", m.bundleId());
        top.put("kind", m.kind().wireName());
        top.put("component", m.component());
        top.put("version", m.version());
        top.put("version_name", m.versionName());
        top.put("created", Rfc3339.format(m.created()));
        top.put("expires", Rfc3339.format(m.expires()));
        Map<String, Object> compat = new LinkedHashMap<>();
        compat.put("device_classes", m.compatibility().deviceClasses());
        compat.put("min_agent_version", m.compatibility().minAgentVersion());
        top.put("compatibility", compat);
        top.put("files", PayloadFiles.write(m.files()));
        if (!m.services().isEmpty()) {
            List<Object> services = new ArrayList<>();
            m.services().forEach(s -> services.add(s.spec()));
            top.put("services", services);
        }
        m.trial().ifPresent(t -> {
            Map<String, Object> trial = new LinkedHashMap<>();
            trial.put("soak_seconds", t.soak().toSeconds());
            trial.put("must_be_ready", t.mustBeReady());
            trial.put("max_restarts", (long) t.maxRestarts());
            top.put("trial", trial);
        });
        return Json.write(top).getBytes(StandardCharsets.UTF_8);
    }

    private static Compatibility compatibility(JsonFields c) throws JsonFields.Violation {
        c.onlyKeys(COMPAT);
        List<String> classes = c.strings("device_classes", MAX_NAMES);
        if (classes.isEmpty()) {
            throw new JsonFields.Violation(c.pathOf("device_classes"), "at least one device class");
        }
        for (int i = 0; i < classes.size(); i++) {
            name(classes.get(i), c.pathOf("device_classes") + "[" + i + "]");
        }
        return new Compatibility(classes, matching(c, "min_agent_version", DOTTED));
    }

    private static List<ServiceDefinition> services(JsonFields top, Kind kind) throws JsonFields.Violation, BundleRejected {
        if (!top.has("services")) {
            return List.of();
        }
        if (kind != Kind.APP) {
            throw new BundleRejected(BundleError.INCOMPATIBLE, "manifest.services",
                    "services only in app bundles, this is a " + kind.wireName() + " bundle");
        }
        List<Object> items = top.array("services", MAX_NAMES);
        List<ServiceDefinition> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            JsonFields s = JsonFields.of("manifest.services[" + i + "]", items.get(i));
            String name = matching(s, "name", NAME);
            if (!names.add(name)) {
                throw new JsonFields.Violation(s.pathOf("name"), "service names listed once, \"" + name + "\" is repeated");
            }
            out.add(new ServiceDefinition(name, s.asMap()));
        }
        return out;
    }

    private static Optional<TrialCriteria> trial(JsonFields top, Kind kind) throws JsonFields.Violation, BundleRejected {
        Optional<JsonFields> maybe = top.optionalObject("trial");
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        if (kind == Kind.CERTS) {
            throw new BundleRejected(BundleError.INCOMPATIBLE, "manifest.trial", "a trial only in app and config bundles");
        }
        JsonFields t = maybe.get().onlyKeys(TRIAL);
        long soak = t.integer("soak_seconds", 0, MAX_SOAK_SECONDS);
        List<String> ready = t.strings("must_be_ready", MAX_NAMES);
        for (int i = 0; i < ready.size(); i++) {
            name(ready.get(i), t.pathOf("must_be_ready") + "[" + i + "]");
        }
        int restarts = (int) t.integer("max_restarts", 0, MAX_RESTARTS);
        return Optional.of(new TrialCriteria(Duration.ofSeconds(soak), ready, restarts));
    }

    private static Instant time(JsonFields obj, String key) throws JsonFields.Violation {
        try {
            return Rfc3339.parse(obj.string(key));
        } catch (IllegalArgumentException e) {
            throw new JsonFields.Violation(obj.pathOf(key), e.getMessage());
        }
    }

    static String matching(JsonFields obj, String key, Pattern pattern) throws JsonFields.Violation {
        String v = obj.string(key);
        if (!pattern.matcher(v).matches()) {
            throw new JsonFields.Violation(obj.pathOf(key), "matching " + pattern.pattern() + ", found \"" + v + "\"");
        }
        return v;
    }

    private static void name(String v, String path) throws JsonFields.Violation {
        if (!NAME.matcher(v).matches()) {
            throw new JsonFields.Violation(path, "matching " + NAME.pattern() + ", found \"" + v + "\"");
        }
    }
}
