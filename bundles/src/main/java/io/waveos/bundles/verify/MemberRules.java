package io.waveos.bundles.verify;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.archive.TarMember;
import io.waveos.bundles.manifest.PayloadPath;

/** Type and name rules for archive members, shared by the manifest member and the payload members. */
final class MemberRules {

    static final String PAYLOAD_PREFIX = "payload/";

    private MemberRules() {
    }

    /** Only regular files: links are {@link BundleError#LINK_MEMBER}, anything else {@link BundleError#SPECIAL_MEMBER}. */
    static void requireRegular(TarMember member) throws BundleRejected {
        String where = printable(member.name());
        switch (member.type()) {
            case REGULAR -> {
                return;
            }
            case SYMLINK, HARDLINK -> throw new BundleRejected(BundleError.LINK_MEMBER, where,
                    "a regular file, found a " + member.type().name().toLowerCase(java.util.Locale.ROOT)
                            + " to \"" + printable(member.linkName()) + "\"");
            case DIRECTORY, CHAR_DEVICE, BLOCK_DEVICE, FIFO, OTHER -> throw new BundleRejected(BundleError.SPECIAL_MEMBER,
                    where, "a regular file, found a " + member.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
    }

    /**
     * The payload path of a member name {@code payload/<path>}: {@link PayloadPath} rules apply to the
     * whole name (so {@code /etc/x} and {@code ../x} are {@link BundleError#PATH_UNSAFE} and control
     * characters {@link BundleError#NAME_INVALID}), then to the part after the prefix; a name outside
     * {@code payload/} is {@link BundleError#PATH_UNSAFE}.
     */
    static String payloadPath(String name) throws BundleRejected {
        String where = printable(name);
        PayloadPath.check(name, where);
        if (!name.startsWith(PAYLOAD_PREFIX)) {
            throw new BundleRejected(BundleError.PATH_UNSAFE, where, "payload members under " + PAYLOAD_PREFIX);
        }
        String path = name.substring(PAYLOAD_PREFIX.length());
        PayloadPath.check(path, where);
        return path;
    }

    /** The name with control characters and backslashes escaped, safe to print in a refusal. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
