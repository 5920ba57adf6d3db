package io.waveos.agent.update.tool;

import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.manifest.PayloadFile;
import io.waveos.bundles.manifest.PayloadPath;
import io.waveos.bundles.verify.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The payload folder of {@code bundle build}: every regular file under it, walked without following
 * links, as {@link PayloadFile}s sorted by the UTF-8 bytes of their paths. A symbolic link, FIFO, socket
 * or device anywhere under the folder is {@link BadInput} naming it. Empty folders are not carried.
 *
 * <p>Modes are normalised, not copied: {@code 0755} when the owner may execute the file, else
 * {@code 0644}. The same tree then gives the same bundle whatever the umask or checkout tool (git keeps
 * only the executable bit), and no bundle can carry group- or world-writable files.
 */
final class PayloadTree {

    static final Comparator<String> UTF8_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private PayloadTree() {
    }

    /** The files under {@code root}, hashed (first read), in archive order. */
    static List<PayloadFile> scan(Path root, Progress progress) throws BadInput, IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new BadInput(root + ": not a folder (--dir)");
        }
        List<Path> found = new ArrayList<>();
        walk(root, found);
        List<PayloadFile> files = new ArrayList<>();
        long total = 0;
        for (Path p : found) {
            total += Files.size(p);
        }
        long[] done = {0};
        long totalBytes = total;
        for (Path p : found) {
            String rel = relative(root, p);
            try {
                PayloadPath.check(rel, p.toString());
            } catch (BundleRejected e) {
                throw new BadInput(p + ": cannot be a payload path: " + e.getMessage(), e);
            }
            long[] size = {0};
            byte[] sha = hash(p, n -> {
                size[0] += n;
                progress.advanced(done[0] += n, totalBytes);
            });
            files.add(new PayloadFile(rel, size[0], sha, mode(p)));
        }
        files.sort(Comparator.comparing(PayloadFile::path, UTF8_ORDER));
        return files;
    }

    static Path fileOf(Path root, PayloadFile f) {
        return root.resolve(f.path());
    }

    private static void walk(Path folder, List<Path> found) throws BadInput, IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
            ds.forEach(children::add);
        }
        for (Path child : children) {
            PosixFileAttributes a = Files.readAttributes(child, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                throw new BadInput(child + ": is a symbolic link; bundles carry regular files only (copy the target in)");
            } else if (a.isDirectory()) {
                walk(child, found);
            } else if (a.isRegularFile()) {
                found.add(child);
            } else {
                throw new BadInput(child + ": is a special file (FIFO, socket or device); bundles carry regular files only");
            }
        }
    }

    private static String relative(Path root, Path p) {
        List<String> parts = new ArrayList<>();
        root.relativize(p).forEach(part -> parts.add(part.toString()));
        return String.join("/", parts);
    }

    private static int mode(Path p) throws IOException {
        return Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE)
                ? 0755 : 0644;
    }

    /** Counts bytes as they are hashed. */
    @FunctionalInterface
    interface Counter {
        void add(long bytes);
    }

    static byte[] hash(Path p, Counter counter) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                sha.update(buf, 0, n);
                counter.add(n);
            }
        }
        return sha.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
