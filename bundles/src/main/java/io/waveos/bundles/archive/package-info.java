/**
 * Bounded POSIX tar: {@link io.waveos.bundles.archive.TarReader} streams members out of an untrusted
 * archive and {@link io.waveos.bundles.archive.TarWriter} writes deterministic ones. It owns only the
 * container format; which names and types a bundle may hold is the verifier's rule. Depends on the JDK
 * and {@code io.waveos.bundles.BundleError}/{@code BundleRejected} only; must not depend on manifests,
 * signatures, the verifier or storage.
 *
 * <h2>Reader rules</h2>
 * Every refusal is a {@link io.waveos.bundles.BundleRejected} naming the member (or
 * {@code header at byte N} before the name is known) and the rule.
 * <ul>
 * <li>Headers are 512-byte blocks. The checksum must equal the unsigned or the signed byte sum (chksum
 *     counted as spaces), else {@code ARCHIVE_MALFORMED}. Magic/version must be {@code "ustar\0" "00"}
 *     (POSIX ustar and pax) or GNU's {@code "ustar  \0"}; anything else (v7, garbage) is
 *     {@code ARCHIVE_MALFORMED}. GNU headers carry no prefix.</li>
 * <li>Numeric fields (mode, uid, gid, size, mtime, devmajor, devminor, chksum) are optional leading
 *     spaces, octal digits, then only NUL/space; an empty field is 0. GNU base-256 (high bit set) is
 *     accepted for all but chksum and mode; negative or over 63-bit values and any other byte are
 *     {@code ARCHIVE_MALFORMED}.</li>
 * <li>The name is {@code prefix + "/" + name} when the prefix is non-empty; names and link names are
 *     strict UTF-8, else {@code NAME_INVALID}.</li>
 * <li>Typeflags: {@code '0'}, NUL, {@code '7'} REGULAR; {@code '1'} HARDLINK; {@code '2'} SYMLINK;
 *     {@code '3'} CHAR_DEVICE; {@code '4'} BLOCK_DEVICE; {@code '5'} DIRECTORY; {@code '6'} FIFO;
 *     anything else OTHER, its content skipped by its size. HARDLINK, SYMLINK, devices, DIRECTORY and
 *     FIFO must declare size 0 ({@code ARCHIVE_MALFORMED} otherwise), so that framing never depends on
 *     how a tool treats their size.</li>
 * <li>pax {@code 'x'} headers: at most {@value io.waveos.bundles.archive.PaxRecords#MAX_BYTES} bytes
 *     ({@code TOO_LARGE}); records {@code "<len> <key>=<value>\n"} with a decimal length without leading
 *     zeros that must end exactly at the newline and tile the header; keys non-empty UTF-8, each at most
 *     once. {@code path}, {@code linkpath} (non-empty, strict UTF-8 else {@code NAME_INVALID}) and
 *     {@code size} (decimal) apply to the next member; {@code GNU.sparse.*} is refused; other keys are
 *     ignored. Two {@code 'x'} headers in a row, or an {@code 'x'} header followed by the end marker, are
 *     {@code ARCHIVE_MALFORMED}. Any violation is {@code ARCHIVE_MALFORMED}.</li>
 * <li>pax global headers ({@code 'g'}) and GNU long-name/long-link headers ({@code 'L'}, {@code 'K'})
 *     are {@code ARCHIVE_MALFORMED}: they are archive structure a bundle must not use, not members.</li>
 * <li>The end of the archive is the first zero block. A second block is read if the stream and the cap
 *     allow, and what of it is present must be zero ({@code ARCHIVE_MALFORMED}); nothing after it is
 *     read. End of stream at a header boundary (no end marker) or inside a header, a pax header, content
 *     or padding is {@code TRUNCATED}; from a content stream it is a
 *     {@link io.waveos.bundles.archive.TruncatedArchiveException} carrying that refusal.</li>
 * <li>Everything read counts against {@code maxArchiveBytes}. A header that would cross it, or a member
 *     whose declared content plus padding would, is {@code TOO_LARGE} before any of it is read.
 *     Padding bytes are not inspected. Memory is one header block, one pax header and an 8 KiB skip
 *     buffer, whatever the input.</li>
 * </ul>
 */
package io.waveos.bundles.archive;
