package io.waveos.bundles.archive;

import java.util.Objects;

/**
 * One archive member's header as read, after ustar {@code prefix}/{@code name} joining and pax
 * {@code path}/{@code linkpath}/{@code size} overrides. Names are not judged here: the verifier decides
 * which names and types a bundle may carry.
 *
 * @param name the member name exactly as stored (may be empty, absolute or contain {@code ..})
 * @param size the content length in bytes; always 0 for types that carry no content
 * @param mode the permission and mode bits from the header (at most seven octal digits)
 * @param linkName the link target for {@link Type#SYMLINK} and {@link Type#HARDLINK}, otherwise
 *     whatever the header holds (usually empty); never null
 */
public record TarMember(String name, TarMember.Type type, long size, int mode, String linkName) {

    /** The member's type, mapped exactly from the header's typeflag. */
    public enum Type {
        /** Typeflag {@code '0'}, NUL or {@code '7'} (contiguous file). */
        REGULAR,
        /** Typeflag {@code '5'}. */
        DIRECTORY,
        /** Typeflag {@code '2'}. */
        SYMLINK,
        /** Typeflag {@code '1'}. */
        HARDLINK,
        /** Typeflag {@code '3'}. */
        CHAR_DEVICE,
        /** Typeflag {@code '4'}. */
        BLOCK_DEVICE,
        /** Typeflag {@code '6'}. */
        FIFO,
        /** Any other typeflag (GNU sparse, volume label, vendor extensions...). Its content is skipped by size. */
        OTHER
    }

    public TarMember {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(linkName, "linkName");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        if (mode < 0) {
            throw new IllegalArgumentException("mode must be >= 0, was " + mode);
        }
    }

    /** The type for a header typeflag byte. */
    static Type typeOf(byte typeflag) {
        return switch (typeflag) {
            case '0', 0, '7' -> Type.REGULAR;
            case '1' -> Type.HARDLINK;
            case '2' -> Type.SYMLINK;
            case '3' -> Type.CHAR_DEVICE;
            case '4' -> Type.BLOCK_DEVICE;
            case '5' -> Type.DIRECTORY;
            case '6' -> Type.FIFO;
            default -> Type.OTHER;
        };
    }

    /** Whether members of this type carry content blocks after their header (regular files and unknown types). */
    static boolean carriesContent(Type type) {
        return switch (type) {
            case REGULAR, OTHER -> true;
            case DIRECTORY, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO -> false;
        };
    }
}
