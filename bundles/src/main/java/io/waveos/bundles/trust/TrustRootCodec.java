package io.waveos.bundles.trust;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.json.JsonFields;
import io.waveos.bundles.manifest.Rfc3339;
import io.waveos.bundles.signature.Ed25519;
import io.waveos.bundles.signature.KeyFileException;
import io.waveos.bundles.signature.PemKeys;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict parse and canonical write of a trust root's payload JSON:
 * {@code {"format":1,"version":N,"expires":"RFC3339","keys":[{"keyid","public_key","roles"}],"thresholds":{...}}}.
 * Every broken rule is {@link BundleError#TRUST_ROOT_INVALID} naming the JSON path
 * ({@code trust-root.keys[1].keyid}). Stateless.
 */
public final class TrustRootCodec {

    /** The most keys a trust root may list. */
    public static final int MAX_KEYS = 64;

    private static final Set<String> TOP = Set.of("format", "version", "expires", "keys", "thresholds");
    private static final Set<String> KEY = Set.of("keyid", "public_key", "roles");
    private static final Set<String> THRESHOLDS = Set.of("root", "app", "config", "certs");

    private TrustRootCodec() {
    }

    public static TrustRoot parse(byte[] json) throws BundleRejected {
        try {
            JsonFields top = JsonFields.of("trust-root", Json.parse(json)).onlyKeys(TOP);
            top.integer("format", TrustRoot.FORMAT, TrustRoot.FORMAT);
            long version = top.integer("version", 1, Long.MAX_VALUE);
            Instant expires;
            try {
                expires = Rfc3339.parse(top.string("expires"));
            } catch (IllegalArgumentException e) {
                throw new JsonFields.Violation(top.pathOf("expires"), e.getMessage());
            }
            List<TrustedKey> keys = keys(top);
            JsonFields t = top.object("thresholds").onlyKeys(THRESHOLDS);
            Map<Role, Integer> thresholds = new EnumMap<>(Role.class);
            for (Role role : Role.values()) {
                long holders = keys.stream().filter(k -> k.roles().contains(role)).count();
                thresholds.put(role, (int) t.integer(role.wireName(), 1, Math.max(1, holders)));
                if (holders == 0) {
                    throw new JsonFields.Violation(t.pathOf(role.wireName()), "at least one key holding role " + role.wireName());
                }
            }
            return new TrustRoot(version, expires, keys, thresholds);
        } catch (Json.ParseException e) {
            throw new BundleRejected(BundleError.TRUST_ROOT_INVALID, "trust-root", "strict JSON (" + e.getMessage() + ")", e);
        } catch (JsonFields.Violation v) {
            throw new BundleRejected(BundleError.TRUST_ROOT_INVALID, v.path(), v.expected(), v);
        }
    }

    /** Canonical bytes: compact UTF-8 JSON, keys in the documented order, roles in role order. */
    public static byte[] write(TrustRoot root) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("format", (long) TrustRoot.FORMAT);
        top.put("version", root.version());
        top.put("expires", Rfc3339.format(root.expires()));
        List<Object> keys = new ArrayList<>();
        for (TrustedKey k : root.keys()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("keyid", k.keyid());
            m.put("public_key", PemKeys.writePublic(k.key()));
            m.put("roles", k.sortedRoles().stream().map(Role::wireName).toList());
            keys.add(m);
        }
        top.put("keys", keys);
        Map<String, Object> t = new LinkedHashMap<>();
        for (Role role : Role.values()) {
            t.put(role.wireName(), (long) root.threshold(role));
        }
        top.put("thresholds", t);
        return Json.write(top).getBytes(StandardCharsets.UTF_8);
    }

    private static List<TrustedKey> keys(JsonFields top) throws JsonFields.Violation {
        List<Object> items = top.array("keys", MAX_KEYS);
        List<TrustedKey> keys = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            JsonFields k = JsonFields.of("trust-root.keys[" + i + "]", items.get(i)).onlyKeys(KEY);
            String keyid = k.string("keyid");
            PublicKey key;
            try {
                key = PemKeys.readPublic(k.string("public_key"), k.pathOf("public_key"));
            } catch (KeyFileException e) {
                throw new JsonFields.Violation(k.pathOf("public_key"), e.getMessage());
            }
            if (!keyid.equals(Ed25519.keyid(key))) {
                throw new JsonFields.Violation(k.pathOf("keyid"), "the SHA-256 of the key's SPKI DER, " + Ed25519.keyid(key));
            }
            if (!ids.add(keyid)) {
                throw new JsonFields.Violation(k.pathOf("keyid"), "each key listed once, " + keyid + " is repeated");
            }
            List<String> names = k.strings("roles", Role.values().length);
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (int r = 0; r < names.size(); r++) {
                String name = names.get(r);
                Role role = Role.fromWire(name).orElseThrow(() -> new JsonFields.Violation(
                        k.pathOf("roles"), "roles among root, app, config, certs, found \"" + name + "\""));
                if (!roles.add(role)) {
                    throw new JsonFields.Violation(k.pathOf("roles"), "each role once, \"" + name + "\" is repeated");
                }
            }
            if (roles.isEmpty()) {
                throw new JsonFields.Violation(k.pathOf("roles"), "at least one role");
            }
            keys.add(new TrustedKey(keyid, key, roles));
        }
        return keys;
    }
}
