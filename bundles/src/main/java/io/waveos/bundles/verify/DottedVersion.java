package io.waveos.bundles.verify;

/**
 * Compares dotted numeric versions ({@code 1.4.0}) part by part as numbers; a missing part is 0, so
 * {@code 1.4} equals {@code 1.4.0}. An agent version may carry a suffix after its numeric prefix
 * ({@code 0.1.0-SNAPSHOT}); only the prefix counts.
 */
final class DottedVersion {

    private DottedVersion() {
    }

    static int compare(String a, String b) {
        long[] x = parts(a);
        long[] y = parts(b);
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? x[i] : 0;
            long q = i < y.length ? y[i] : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    private static long[] parts(String version) {
        int end = 0;
        while (end < version.length() && isDigitOrDot(version.charAt(end))) {
            end++;
        }
        String[] items = version.substring(0, end).split("\\.");
        long[] out = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            String s = items[i];
            out[i] = s.isEmpty() ? 0 : Long.parseLong(s.length() > 18 ? s.substring(0, 18) : s);
        }
        return out;
    }

    private static boolean isDigitOrDot(char c) {
        return c >= '0' && c <= '9' || c == '.';
    }
}
