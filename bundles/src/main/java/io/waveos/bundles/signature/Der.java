package io.waveos.bundles.signature;

/**
 * Just enough DER to name the algorithm of a key that is not Ed25519, for a helpful refusal. Never
 * used to accept a key: accepted keys are matched byte for byte against the RFC 8410 forms.
 */
final class Der {

    private Der() {
    }

    /**
     * The content bytes of the AlgorithmIdentifier's OID in a SubjectPublicKeyInfo ({@code pkcs8} false)
     * or a PKCS#8 PrivateKeyInfo ({@code pkcs8} true); empty when the bytes do not have that shape.
     */
    static byte[] algorithmOid(byte[] der, boolean pkcs8) {
        int[] pos = {0};
        if (!enter(der, pos, 0x30)) {
            return new byte[0];
        }
        if (pkcs8 && !skip(der, pos, 0x02)) {
            return new byte[0];
        }
        if (!enter(der, pos, 0x30)) {
            return new byte[0];
        }
        if (pos[0] >= der.length || der[pos[0]] != 0x06) {
            return new byte[0];
        }
        pos[0]++;
        int len = length(der, pos);
        if (len < 0 || pos[0] + len > der.length) {
            return new byte[0];
        }
        byte[] oid = new byte[len];
        System.arraycopy(der, pos[0], oid, 0, len);
        return oid;
    }

    private static boolean enter(byte[] der, int[] pos, int tag) {
        if (pos[0] >= der.length || (der[pos[0]] & 0xff) != tag) {
            return false;
        }
        pos[0]++;
        return length(der, pos) >= 0;
    }

    private static boolean skip(byte[] der, int[] pos, int tag) {
        if (pos[0] >= der.length || (der[pos[0]] & 0xff) != tag) {
            return false;
        }
        pos[0]++;
        int len = length(der, pos);
        if (len < 0) {
            return false;
        }
        pos[0] += len;
        return true;
    }

    /** Reads a definite length (short or long form up to 3 bytes); -1 when malformed. */
    private static int length(byte[] der, int[] pos) {
        if (pos[0] >= der.length) {
            return -1;
        }
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int n = first & 0x7f;
        if (n == 0 || n > 3 || pos[0] + n > der.length) {
            return -1;
        }
        int len = 0;
        for (int i = 0; i < n; i++) {
            len = (len << 8) | (der[pos[0]++] & 0xff);
        }
        return len;
    }
}
