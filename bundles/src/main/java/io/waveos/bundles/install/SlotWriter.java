package io.waveos.bundles.install;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.manifest.Manifest;
import io.waveos.bundles.manifest.PayloadFile;
import io.waveos.bundles.platform.SlotStorage;
import io.waveos.bundles.verify.PayloadSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * Steps 4 to 6 of an install, on a slot already marked bad: write the payload into the slot folder,
 * make files and folders durable, and read everything back.
 *
 * <p>What decides whether a slot can boot is checked here, not taken from the caller: paths, sizes
 * and, unless the stream is the library's own verifier ({@code streamVerified}, see
 * {@link io.waveos.bundles.verify.VerifiedPayload}), each file's SHA-256 as it is written. The
 * read-back of step 6 then compares a CRC-32C of each file as stored with the CRC-32C of the bytes
 * that were written: it catches what the write path lost or changed (a short write, a storage fault),
 * at about a tenth of the cost of hashing the slot again. It is not a defence against someone who can
 * rewrite the slot folder between write and read-back: such a party owns the device already.
 */
final class SlotWriter implements PayloadSink {

    private final SlotStorage storage;
    private final Path slotDir;
    private final Map<String, PayloadFile> listed = new LinkedHashMap<>();
    private final Set<String> opened = new HashSet<>();
    private final Set<String> completed = new HashSet<>();
    private final Set<Path> directories = new TreeSet<>();
    private final List<SlotStorage.WritableFile> open = new ArrayList<>();
    private final Map<String, BoundedFile> files = new HashMap<>();
    private final boolean streamVerified;

    SlotWriter(SlotStorage storage, Path slotDir, Manifest manifest, boolean streamVerified) {
        this.storage = storage;
        this.slotDir = slotDir;
        this.streamVerified = streamVerified;
        for (PayloadFile f : manifest.files()) {
            listed.put(f.path(), f);
        }
        directories.add(slotDir);
    }

    /** Steps 4 to 6; the slot must already be marked bad in {@code state.json}. */
    void write(PayloadStream payload) throws BundleRejected, IOException {
        // 4. Write in place, no temporary names: the slot is marked bad, so a half-written file is
        //    harmless, and a rename per file would only add cut points.
        storage.deleteTree(slotDir);
        storage.createDirectories(slotDir);
        try {
            payload.streamTo(this);
        } catch (IOException e) {
            closeAbandoned(e);
            Optional<BundleRejected> refusal = refusal(e);
            if (refusal.isPresent()) {
                throw refusal.get();
            }
            throw e;
        } catch (BundleRejected | RuntimeException e) {
            closeAbandoned(e);
            throw e;
        }
        for (PayloadFile f : listed.values()) {
            if (!completed.contains(f.path())) {
                throw new BundleRejected(BundleError.MEMBER_MISSING, f.memberName(),
                        "listed in the manifest but not streamed into the slot");
            }
        }
        // 5. Each file was synced as it was closed; now the names: deepest folders first, the slot
        //    folder last (its parent is synced by the installer). Until step 7 nothing points here.
        List<Path> deepestFirst = new ArrayList<>(directories);
        deepestFirst.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path d : deepestFirst) {
            storage.syncDirectory(d);
        }
        // 6. Read back through the storage: what a restart would see is what was written.
        for (PayloadFile f : listed.values()) {
            verifyWritten(f, files.get(f.path()).crc());
        }
    }

    @Override
    public OutputStream open(PayloadFile file) throws IOException {
        PayloadFile expected = listed.get(file.path());
        if (expected == null || !expected.equals(file)) {
            throw refuse(BundleError.MEMBER_UNLISTED, file, "not listed in the manifest as streamed");
        }
        if (!opened.add(file.path())) {
            throw refuse(BundleError.MEMBER_DUPLICATE, file, "streamed twice");
        }
        Path target = resolve(file.path())
                .orElseThrow(() -> refuse(BundleError.PATH_UNSAFE, file, "would leave the slot folder"));
        Path parent = target.getParent();
        if (!parent.equals(slotDir)) {
            storage.createDirectories(parent);
            for (Path d = parent; !d.equals(slotDir); d = d.getParent()) {
                directories.add(d);
            }
        }
        SlotStorage.WritableFile w = storage.create(target);
        open.add(w);
        storage.setMode(target, file.mode());
        BoundedFile out = new BoundedFile(w, file, streamVerified ? Optional.empty() : Optional.of(sha256()));
        files.put(file.path(), out);
        return out;
    }

    @Override
    public void completed(PayloadFile file) throws IOException {
        if (!opened.contains(file.path())) {
            throw refuse(BundleError.MEMBER_MISSING, file, "completed without being opened");
        }
        BoundedFile f = files.get(file.path());
        if (f.written != file.size()) {
            throw refuse(BundleError.WRITTEN_MISMATCH, file, "completed after " + f.written
                    + " bytes, the manifest lists " + file.size());
        }
        if (f.sha.isPresent() && !Arrays.equals(f.sha.get().digest(), file.sha256())) {
            throw refuse(BundleError.WRITTEN_MISMATCH, file, "streamed with a SHA-256 other than the manifest's "
                    + file.sha256Hex());
        }
        completed.add(file.path());
    }

    /** The file's place in the slot, or empty when the path is not a plain relative path. */
    Optional<Path> resolve(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.indexOf('\\') >= 0) {
            return Optional.empty();
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")
                    || part.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                return Optional.empty();
            }
        }
        Path p = slotDir.resolve(path).normalize();
        return p.startsWith(slotDir) && !p.equals(slotDir) ? Optional.of(p) : Optional.empty();
    }

    private void verifyWritten(PayloadFile f, int writtenCrc) throws BundleRejected, IOException {
        Path p = slotDir.resolve(f.path());
        long size = storage.size(p);
        if (size != f.size()) {
            throw new BundleRejected(BundleError.WRITTEN_MISMATCH, p.toString(),
                    "reads back " + size + " bytes, the manifest lists " + f.size());
        }
        CRC32C crc = new CRC32C();
        try (InputStream in = storage.open(p)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                crc.update(buffer, 0, n);
            }
        }
        if ((int) crc.getValue() != writtenCrc) {
            throw new BundleRejected(BundleError.WRITTEN_MISMATCH, p.toString(), String.format(
                    "reads back with CRC-32C %08x, the bytes written had %08x", (int) crc.getValue(), writtenCrc));
        }
        int mode = storage.mode(p);
        if (mode != f.mode()) {
            throw new BundleRejected(BundleError.WRITTEN_MISMATCH, p.toString(), "mode "
                    + Integer.toOctalString(mode) + ", the manifest lists " + Integer.toOctalString(f.mode()));
        }
    }

    /** Total bytes of the regular files under {@code dir}: what deleting it frees. */
    static long treeBytes(SlotStorage storage, Path dir) throws IOException {
        if (!storage.isDirectory(dir)) {
            return storage.exists(dir) ? storage.size(dir) : 0;
        }
        long sum = 0;
        for (String name : storage.list(dir)) {
            sum += treeBytes(storage, dir.resolve(name));
        }
        return sum;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private void closeAbandoned(Exception cause) {
        for (SlotStorage.WritableFile w : open) {
            try {
                w.close();
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }

    private static SinkRefusal refuse(BundleError error, PayloadFile file, String rule) {
        return new SinkRefusal(new BundleRejected(error, file.memberName(), rule));
    }

    private static Optional<BundleRejected> refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SinkRefusal r) {
                return Optional.of(r.rejection);
            }
        }
        return Optional.empty();
    }

    /** A refusal by the sink, carried through the verifier as the IOException the sink may throw. */
    private static final class SinkRefusal extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient BundleRejected rejection;

        SinkRefusal(BundleRejected rejection) {
            super(rejection.getMessage(), rejection);
            this.rejection = rejection;
        }
    }

    /**
     * Refuses bytes past the declared size; keeps the CRC-32C (and, for an untrusted stream, the
     * SHA-256) of what it wrote; syncs the file when it is closed.
     */
    private static final class BoundedFile extends OutputStream {
        private final SlotStorage.WritableFile file;
        private final PayloadFile listed;
        private final CRC32C crc = new CRC32C();
        private final Optional<MessageDigest> sha;
        private long written;
        private boolean closed;

        BoundedFile(SlotStorage.WritableFile file, PayloadFile listed, Optional<MessageDigest> sha) {
            this.file = file;
            this.listed = listed;
            this.sha = sha;
        }

        int crc() {
            return (int) crc.getValue();
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written + len > listed.size()) {
                throw refuse(BundleError.SIZE_MISMATCH, listed, "more than the listed " + listed.size() + " bytes");
            }
            file.write(b, off, len);
            crc.update(b, off, len);
            if (sha.isPresent()) {
                sha.get().update(b, off, len);
            }
            written += len;
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                // 5, per file: fsync as each file is finished, while its data is still in the cache.
                file.sync();
                file.close();
            }
        }
    }
}
