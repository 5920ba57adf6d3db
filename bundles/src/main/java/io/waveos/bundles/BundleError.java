package io.waveos.bundles;

/**
 * Why a bundle, a trust root or an install was refused. The {@link #code()} strings are stable: they
 * appear in events, evidence, the tools' output and exit status, and {@code docs/updates.md} explains
 * each one. Never rename a code; add new ones at the end.
 */
public enum BundleError {
    /** The bytes are not a well-formed POSIX tar archive (bad header checksum, bad number field...). */
    ARCHIVE_MALFORMED("archive-malformed"),
    /** The archive ended inside a member or before its end-of-archive marker. */
    TRUNCATED("truncated"),
    /** The first member is not {@code manifest.dsse.json}. */
    MANIFEST_MISSING("manifest-missing"),
    /** The DSSE envelope is not valid JSON of the documented shape, or has the wrong payload type. */
    ENVELOPE_MALFORMED("envelope-malformed"),
    /** The envelope carries no signature at all. */
    UNSIGNED("unsigned"),
    /** A signature from a trusted key does not verify over the envelope's PAE. */
    SIGNATURE_INVALID("signature-invalid"),
    /** Fewer distinct trusted keys signed than the trust root's threshold for this kind. */
    THRESHOLD_NOT_MET("threshold-not-met"),
    /** The manifest JSON is missing a field, has an unknown one, or a value breaks its rule. */
    MANIFEST_MALFORMED("manifest-malformed"),
    /** The manifest's format version is not one this library reads. */
    FORMAT_UNSUPPORTED("format-unsupported"),
    /** The version is at or below the component's installed floor (anti-rollback). */
    ROLLBACK("rollback"),
    /** The bundle's {@code expires} is not after the trusted time (freeze attack). */
    EXPIRED("expired"),
    /** The trust root itself has expired at the trusted time. */
    TRUST_ROOT_EXPIRED("trust-root-expired"),
    /** The device's class is not in the bundle's compatibility list. */
    DEVICE_CLASS("device-class"),
    /** The running agent is older than the bundle's minimum agent version. */
    AGENT_TOO_OLD("agent-too-old"),
    /** A payload member is not listed in the manifest. */
    MEMBER_UNLISTED("member-unlisted"),
    /** A listed payload file is not in the archive. */
    MEMBER_MISSING("member-missing"),
    /** A payload member appears twice. */
    MEMBER_DUPLICATE("member-duplicate"),
    /** A member's size differs from the manifest's. */
    SIZE_MISMATCH("size-mismatch"),
    /** A member's SHA-256 differs from the manifest's. */
    HASH_MISMATCH("hash-mismatch"),
    /** The bundle, the manifest or a member is larger than the configured cap. */
    TOO_LARGE("too-large"),
    /** A member name or manifest path is absolute, climbs out with {@code ..}, or is not under {@code payload/}. */
    PATH_UNSAFE("path-unsafe"),
    /** A member is a symbolic or hard link. */
    LINK_MEMBER("link-member"),
    /** A member is a device node, FIFO, directory or any type other than a regular file. */
    SPECIAL_MEMBER("special-member"),
    /** A name contains control characters, backslashes, empty or dot components, or is not UTF-8. */
    NAME_INVALID("name-invalid"),
    /** A trust root file is malformed, or a new root is not signed by both thresholds. */
    TRUST_ROOT_INVALID("trust-root-invalid"),
    /** The bundle's kind or content does not fit the target (for example services in a config bundle). */
    INCOMPATIBLE("incompatible"),
    /** Not enough free space in the state folder for the target slot. */
    NO_SPACE("no-space"),
    /** The Guardian (or the configured policy when it is absent) refused the install or the commit. */
    NOT_APPROVED("not-approved"),
    /** Writing, syncing or re-reading the target slot failed. */
    STORAGE_FAILED("storage-failed"),
    /** What was written to the slot does not read back as the manifest lists it. */
    WRITTEN_MISMATCH("written-mismatch");

    private final String code;

    BundleError(String code) {
        this.code = code;
    }

    /** The stable, lower-case code. */
    public String code() {
        return code;
    }
}
