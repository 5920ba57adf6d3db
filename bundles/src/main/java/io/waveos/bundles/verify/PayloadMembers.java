package io.waveos.bundles.verify;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.archive.TarMember;
import io.waveos.bundles.archive.TruncatedArchiveException;
import io.waveos.bundles.manifest.Manifest;
import io.waveos.bundles.manifest.PayloadFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Checks the payload members of one bundle against its verified manifest, in archive order, and streams
 * each one's bytes through SHA-256 into the sink. Per member, in this order: type, name, listed, not
 * seen before, size equal to the manifest's (before any byte is read), then content and hash. Not
 * thread-safe; one instance per bundle.
 */
final class PayloadMembers {

    private static final int BUFFER = 64 * 1024;

    private final Map<String, PayloadFile> listed = new LinkedHashMap<>();
    private final Set<String> seen = new HashSet<>();
    private final Progress progress;
    private final long total;
    private final byte[] buffer = new byte[BUFFER];
    private long done;

    PayloadMembers(Manifest manifest, Progress progress) {
        manifest.files().forEach(f -> listed.put(f.path(), f));
        this.progress = progress;
        this.total = manifest.payloadBytes();
    }

    void accept(TarMember member, InputStream content, PayloadSink sink) throws BundleRejected, IOException {
        MemberRules.requireRegular(member);
        String path = MemberRules.payloadPath(member.name());
        String where = MemberRules.printable(member.name());
        PayloadFile file = listed.get(path);
        if (file == null) {
            throw new BundleRejected(BundleError.MEMBER_UNLISTED, where, "every payload member listed in manifest.files");
        }
        if (!seen.add(path)) {
            throw new BundleRejected(BundleError.MEMBER_DUPLICATE, where, "each payload member once");
        }
        if (member.size() != file.size()) {
            throw new BundleRejected(BundleError.SIZE_MISMATCH, where,
                    "the manifest's size " + file.size() + " bytes, the archive declares " + member.size());
        }
        byte[] digest = stream(file, content, sink, where);
        if (!MessageDigest.isEqual(digest, file.sha256())) {
            throw new BundleRejected(BundleError.HASH_MISMATCH, where,
                    "SHA-256 " + file.sha256Hex() + ", content hashes to " + HexFormat.of().formatHex(digest));
        }
        sink.completed(file);
    }

    /** Every listed file was seen; else {@link BundleError#MEMBER_MISSING} naming the first missing one. */
    void finish() throws BundleRejected {
        for (PayloadFile f : listed.values()) {
            if (!seen.contains(f.path())) {
                throw new BundleRejected(BundleError.MEMBER_MISSING, f.memberName(),
                        "every file in manifest.files present in the archive (" + (listed.size() - seen.size()) + " missing)");
            }
        }
    }

    /** Copies exactly {@code file.size()} bytes (the reader ends the content there) and returns their SHA-256. */
    private byte[] stream(PayloadFile file, InputStream content, PayloadSink sink, String where) throws BundleRejected, IOException {
        MessageDigest sha = sha256();
        long left = file.size();
        try (OutputStream out = sink.open(file)) {
            while (left > 0) {
                int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new BundleRejected(BundleError.TRUNCATED, where, "the archive ended inside the member");
                }
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
                left -= n;
                done += n;
                progress.advanced(done, total);
            }
        } catch (TruncatedArchiveException e) {
            throw e.getRejection();
        }
        return sha.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
