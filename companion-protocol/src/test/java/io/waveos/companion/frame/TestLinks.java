package io.waveos.companion.frame;

import java.util.HexFormat;

/** The keys of the test vectors (docs/companion-protocol.md, "Test vectors"), and links built on them. */
final class TestLinks {

    /** Device -> Guardian secret of key id 1: bytes 0x00..0x1f. */
    static final byte[] D2G_SECRET = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    /** Guardian -> device secret of key id 1: bytes 0x20..0x3f. */
    static final byte[] G2D_SECRET = HexFormat.of().parseHex(
            "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");

    static final LinkKeys KEYS_1 = new LinkKeys(new LinkKey(1, D2G_SECRET), new LinkKey(1, G2D_SECRET));
    static final LinkKeys KEYS_2 = new LinkKeys(
            new LinkKey(2, HexFormat.of().parseHex("404142434445464748494a4b4c4d4e4f")),
            new LinkKey(2, HexFormat.of().parseHex("505152535455565758595a5b5c5d5e5f")));

    private TestLinks() {}

    static LinkAuth device(int tagBytes) {
        return LinkAuth.of(Endpoint.DEVICE, tagBytes, KEYS_1);
    }

    static LinkAuth guardian(int tagBytes) {
        return LinkAuth.of(Endpoint.GUARDIAN, tagBytes, KEYS_1);
    }

    /** An encoder on the device, signing device -> Guardian frames with key 1. */
    static FrameEncoder deviceEncoder() {
        return FrameEncoder.authenticated(FrameLimits.DEFAULT, device(FrameLayout.DEFAULT_TAG_BYTES));
    }

    /** A decoder on the Guardian, verifying device -> Guardian frames with key 1. */
    static FrameDecoder guardianDecoder() {
        return FrameDecoder.authenticated(FrameLimits.DEFAULT, guardian(FrameLayout.DEFAULT_TAG_BYTES), 0);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
