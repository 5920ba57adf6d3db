package io.waveos.bundles.signature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    @Test
    void paeIsExactlyDsseV1() {
        assertArrayEquals("DSSEv1 29 http://example.com/HelloWorld 11 hello world".getBytes(StandardCharsets.UTF_8),
                Pae.encode("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals("DSSEv1 0  0 ".getBytes(StandardCharsets.UTF_8), Pae.encode("", new byte[0]));
    }

    @Test
    void anEnvelopeRoundTripsThroughItsJsonForm() throws Exception {
        Envelope e = new Envelope("t", new byte[] {1, 2, 3}, List.of(new Envelope.Signature("ab", new byte[] {9})));
        byte[] json = EnvelopeCodec.write(e);
        assertEquals("{\"payloadType\":\"t\",\"payload\":\"AQID\",\"signatures\":[{\"keyid\":\"ab\",\"sig\":\"CQ==\"}]}",
                new String(json, StandardCharsets.UTF_8));
        assertEquals(e, EnvelopeCodec.parse(json, "m", BundleError.ENVELOPE_MALFORMED));
    }

    @Test
    void unknownFieldsAndNonCanonicalBase64AreRefusedNamingTheField() {
        assertRefused("{\"payloadType\":\"t\",\"payload\":\"AQID\",\"signatures\":[],\"extra\":1}", "m.extra");
        assertRefused("{\"payloadType\":\"t\",\"payload\":\"AQI\",\"signatures\":[]}", "m.payload");
        assertRefused("{\"payloadType\":\"t\",\"payload\":\"AQ-D\",\"signatures\":[]}", "m.payload");
        assertRefused("{\"payloadType\":\"t\",\"payload\":\"AQID\",\"signatures\":[{\"keyid\":\"a\",\"sig\":\"CQ==\",\"x\":1}]}",
                "m.signatures[0].x");
        assertRefused("{\"payloadType\":\"t\",\"payload\":\"AQID\"}", "m.signatures");
        assertRefused("[]", "m");
    }

    private static void assertRefused(String json, String member) {
        BundleRejected r = assertThrows(BundleRejected.class,
                () -> EnvelopeCodec.parse(json.getBytes(StandardCharsets.UTF_8), "m", BundleError.ENVELOPE_MALFORMED));
        assertEquals(BundleError.ENVELOPE_MALFORMED, r.error());
        assertEquals(member, r.member());
    }
}
