package io.waveos.bundles.signature;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.json.JsonFields;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict JSON form of a {@link Envelope}:
 * {@code {"payloadType":"...","payload":"<base64>","signatures":[{"keyid":"...","sig":"<base64>"}]}}.
 * Base64 is the standard alphabet with padding (RFC 4648 section 4); no line breaks, no URL-safe
 * alphabet. Unknown fields (top level or in a signature) are refused. Stateless.
 */
public final class EnvelopeCodec {

    /** The most signatures an envelope may carry; more is refused as malformed. */
    public static final int MAX_SIGNATURES = 64;

    private static final Set<String> TOP = Set.of("payloadType", "payload", "signatures");
    private static final Set<String> SIG = Set.of("keyid", "sig");

    private EnvelopeCodec() {
    }

    /**
     * Parses an envelope.
     *
     * @param source names the envelope in refusals ({@code manifest.dsse.json}, a file name)
     * @param code the error to refuse with ({@link BundleError#ENVELOPE_MALFORMED} for bundles,
     *     {@link BundleError#TRUST_ROOT_INVALID} for trust roots)
     */
    public static Envelope parse(byte[] json, String source, BundleError code) throws BundleRejected {
        try {
            JsonFields top = JsonFields.of(source, Json.parse(json)).onlyKeys(TOP);
            String type = top.string("payloadType");
            byte[] payload = base64(top, "payload");
            List<Object> items = top.array("signatures", MAX_SIGNATURES);
            List<Envelope.Signature> sigs = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                JsonFields s = JsonFields.of(top.pathOf("signatures") + "[" + i + "]", items.get(i)).onlyKeys(SIG);
                sigs.add(new Envelope.Signature(s.string("keyid"), base64(s, "sig")));
            }
            return new Envelope(type, payload, sigs);
        } catch (Json.ParseException e) {
            throw new BundleRejected(code, source, "strict JSON (" + e.getMessage() + ")", e);
        } catch (JsonFields.Violation v) {
            throw new BundleRejected(code, v.path(), v.expected(), v);
        }
    }

    /** The compact JSON form, UTF-8, with fields in the documented order. */
    public static byte[] write(Envelope envelope) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("payloadType", envelope.payloadType());
        top.put("payload", Base64.getEncoder().encodeToString(envelope.payload()));
        List<Object> sigs = new ArrayList<>();
        for (Envelope.Signature s : envelope.signatures()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("keyid", s.keyid());
            m.put("sig", Base64.getEncoder().encodeToString(s.sig()));
            sigs.add(m);
        }
        top.put("signatures", sigs);
        return Json.write(top).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] base64(JsonFields obj, String key) throws JsonFields.Violation {
        String text = obj.string(key);
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
                throw new JsonFields.Violation(obj.pathOf(key), "canonical standard base64 with padding");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new JsonFields.Violation(obj.pathOf(key), "standard base64 with padding (" + e.getMessage() + ")");
        }
    }
}
