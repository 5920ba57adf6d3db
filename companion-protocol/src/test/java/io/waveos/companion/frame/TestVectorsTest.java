package io.waveos.companion.frame;

import static io.waveos.companion.frame.TestLinks.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TextFormat;
import io.waveos.companion.proto.Envelope;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The normative test vectors under {@code src/test/resources/vectors}: every wire file is recomputed
 * from the manifest's inputs and must match byte for byte, and every frame in it must be accepted or
 * dropped exactly as the manifest says.
 */
class TestVectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    /** One vector of the manifest. */
    record Vector(String name, Map<String, String> fields) {

        String field(String key) {
            String value = fields.get(key);
            assertNotNull(value, name + ": missing field " + key);
            return value;
        }

        boolean has(String key) {
            return fields.containsKey(key);
        }
    }

    /** The manifest: the keys and the vectors in file order. */
    record Manifest(Map<String, byte[]> keys, Map<String, Vector> vectors) {

        LinkKeys generation(int id) {
            return new LinkKeys(new LinkKey(id, key(id, "device-to-guardian")), new LinkKey(id, key(id, "guardian-to-device")));
        }

        private byte[] key(int id, String direction) {
            byte[] key = keys.get("key." + id + "." + direction);
            assertNotNull(key, "no key " + id + " " + direction);
            return key;
        }

        Vector vector(String name) {
            Vector v = vectors.get(name);
            assertNotNull(v, "no vector " + name);
            return v;
        }
    }

    static Manifest load() {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        Map<String, Vector> vectors = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : resource("vectors.txt").split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.startsWith("[")) {
                String name = trimmed.substring(1, trimmed.length() - 1);
                current = new LinkedHashMap<>();
                vectors.put(name, new Vector(name, current));
                continue;
            }
            int eq = trimmed.indexOf('=');
            String key = trimmed.substring(0, eq).strip();
            String value = trimmed.substring(eq + 1).strip();
            if (current == null) {
                keys.put(key, HEX.parseHex(value));
            } else {
                current.put(key, value);
            }
        }
        return new Manifest(keys, vectors);
    }

    static String resource(String name) {
        try (InputStream in = TestVectorsTest.class.getResourceAsStream("/vectors/" + name)) {
            assertNotNull(in, "missing resource vectors/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The frozen wire bytes of a vector. */
    static byte[] frozenWire(String name) {
        return HEX.parseHex(resource(name + ".hex").replaceAll("\\s", ""));
    }

    static Envelope envelope(Vector v) {
        try {
            Envelope.Builder builder = Envelope.newBuilder();
            TextFormat.merge(v.field("envelope"), builder);
            return builder.build();
        } catch (TextFormat.ParseException e) {
            throw new IllegalArgumentException(v.name() + ": bad envelope text", e);
        }
    }

    static byte[] payload(Vector v) {
        return new EnvelopeCodec(FrameLimits.DEFAULT.maxPlainPayloadBytes()).encode(envelope(v));
    }

    private static Endpoint sender(Vector v) {
        return v.field("link").equals("guardian-to-device") ? Endpoint.GUARDIAN : Endpoint.DEVICE;
    }

    private static Endpoint receiver(Vector v) {
        return sender(v) == Endpoint.DEVICE ? Endpoint.GUARDIAN : Endpoint.DEVICE;
    }

    /** Encodes a vector that has an envelope, exactly as its fields say. */
    static byte[] encodeGood(Manifest m, Vector v) {
        byte[] payload = payload(v);
        if (v.field("link").equals("plain")) {
            return FrameEncoder.plain(FrameLimits.DEFAULT).encode(Frame.plain(payload));
        }
        int keyId = Integer.parseInt(v.field("key"));
        int tag = Integer.parseInt(v.field("tag"));
        FrameEncoder encoder = FrameEncoder.authenticated(FrameLimits.DEFAULT,
                LinkAuth.of(sender(v), tag, m.generation(keyId)));
        return encoder.encode(Frame.authenticated(keyId, Long.parseUnsignedLong(v.field("counter")), payload));
    }

    /** The wire bytes of any vector, computed: good vectors are encoded, bad ones derived as documented. */
    static byte[] computeWire(Manifest m, Vector v) {
        if (v.has("envelope")) {
            return encodeGood(m, v);
        }
        byte[] plain = encodeGood(m, m.vector("heartbeat-plain"));
        byte[] auth = encodeGood(m, m.vector("heartbeat-auth"));
        switch (v.name()) {
            case "bad-crc": {
                byte[] wire = plain.clone();
                wire[wire.length - 2] ^= 0x01;
                return wire;
            }
            case "bad-tag": {
                byte[] body = bodyOf(auth);
                int tagAt = body.length - 16;
                body[tagAt] ^= 0x01;
                return withCrc(body);
            }
            case "replay":
                return concat(auth, auth);
            case "unauthenticated":
                return plain;
            case "rotation":
                return concat(encodeGood(m, m.vector("unknown-key")), auth);
            case "unknown-version": {
                byte[] body = bodyOf(plain);
                body[0] = 0x20;
                return withCrc(body);
            }
            case "reserved-flag": {
                byte[] body = bodyOf(plain);
                body[0] = 0x12;
                return withCrc(body);
            }
            case "oversize-then-good": {
                byte[] flood = new byte[600];
                Arrays.fill(flood, (byte) 0x55);
                return concat(flood, new byte[1], auth);
            }
            default:
                throw new IllegalArgumentException("no derivation for vector " + v.name());
        }
    }

    /** The raw frame without its CRC, from wire bytes holding one frame. */
    private static byte[] bodyOf(byte[] wire) {
        byte[] raw = new byte[wire.length];
        int n = Cobs.decode(wire, wire.length - 1, raw);
        return Arrays.copyOf(raw, n - FrameLayout.CRC_BYTES);
    }

    private static byte[] withCrc(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        byte[] raw = Arrays.copyOf(body, body.length + 4);
        FrameLayout.putInt(raw, body.length, (int) crc.getValue());
        return concat(Cobs.encode(raw), new byte[1]);
    }

    private static FrameDecoder receiverOf(Manifest m, Vector v) {
        String spec = v.field("receiver");
        if (spec.equals("plain")) {
            return FrameDecoder.plain(FrameLimits.DEFAULT);
        }
        String[] parts = spec.split(" ");
        String[] ids = parts[1].split(",");
        LinkKeys active = m.generation(Integer.parseInt(ids[0]));
        LinkKeys[] also = new LinkKeys[ids.length - 1];
        for (int i = 1; i < ids.length; i++) {
            also[i - 1] = m.generation(Integer.parseInt(ids[i]));
        }
        return FrameDecoder.authenticated(FrameLimits.DEFAULT,
                LinkAuth.of(receiver(v), Integer.parseInt(parts[3]), active, also), 0);
    }

    /** Feeds the wire frame by frame and names what happened to each: "accept" or "drop REASON". */
    private static List<String> outcomes(FrameDecoder decoder, byte[] wire, List<Frame> accepted) {
        List<String> outcomes = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < wire.length; i++) {
            if (wire[i] != 0) {
                continue;
            }
            DropCounts before = decoder.dropCounts();
            List<Frame> frames = decoder.feed(wire, start, i + 1 - start);
            accepted.addAll(frames);
            if (!frames.isEmpty()) {
                outcomes.add("accept");
            }
            for (DropReason reason : DropReason.values()) {
                for (long k = before.of(reason); k < decoder.dropCounts().of(reason); k++) {
                    outcomes.add("drop " + reason);
                }
            }
            start = i + 1;
        }
        assertEquals(wire.length, start, "the wire must end with a delimiter");
        return outcomes;
    }

    @TestFactory
    Stream<DynamicTest> everyVectorIsReproducedByteForByteAndDecodedAsSpecified() {
        Manifest m = load();
        return m.vectors().values().stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> {
            byte[] frozen = frozenWire(v.name());
            byte[] computed = computeWire(m, v);
            assertEquals(HEX.formatHex(frozen), HEX.formatHex(computed), v.name() + ": wire bytes");
            if (v.has("payload")) {
                assertEquals(v.field("payload"), HEX.formatHex(payload(v)), v.name() + ": payload");
            }
            List<Frame> accepted = new ArrayList<>();
            List<String> expected = Arrays.stream(v.field("expect").split(",")).map(String::strip).toList();
            assertEquals(expected, outcomes(receiverOf(m, v), frozen, accepted), v.name() + ": outcomes");
            if (v.has("envelope") && !accepted.isEmpty()) {
                Frame frame = accepted.get(0);
                assertEquals(envelope(v), new EnvelopeCodec(FrameLimits.DEFAULT.maxPlainPayloadBytes()).decode(frame.payload()));
                if (v.has("counter")) {
                    assertEquals(Long.parseUnsignedLong(v.field("counter")), frame.counter());
                }
            }
        }));
    }

    @Test
    void everyGoodVectorListsItsPayloadAndEveryVectorHasAWireFile() {
        Manifest m = load();
        assertTrue(m.vectors().size() >= 15);
        for (Vector v : m.vectors().values()) {
            assertTrue(frozenWire(v.name()).length > 0, v.name());
            if (v.has("envelope")) {
                assertTrue(v.has("payload"), v.name() + " lists no payload");
            }
        }
    }

    @Test
    void crc32MatchesTheIeeeCheckValue() {
        CRC32 crc = new CRC32();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0xCBF43926L, crc.getValue());
    }
}
