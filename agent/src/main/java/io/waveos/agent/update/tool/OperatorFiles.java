package io.waveos.agent.update.tool;

import io.waveos.bundles.manifest.Rfc3339;
import io.waveos.bundles.signature.KeyFileException;
import io.waveos.bundles.signature.PemKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;

/**
 * The operator's input and output files: reading them with a one-line refusal naming the file, PEM
 * keys, RFC 3339 times, and atomic replacement (temporary file in the same folder, fsync, rename,
 * fsync of the folder) so that an interrupted tool never leaves a half-written bundle or root.
 * Stateless.
 */
final class OperatorFiles {

    /** The largest key, template or trust root file read whole. */
    static final int MAX_SMALL_FILE = 4 << 20;

    /** Writes the content of a file being replaced. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException, BadInput, io.waveos.bundles.BundleRejected;
    }

    private OperatorFiles() {
    }

    /** A small file's bytes; a missing, unreadable or oversized file is {@link BadInput} naming {@code what}. */
    static byte[] read(Path file, String what) throws BadInput {
        try {
            if (Files.isDirectory(file)) {
                throw new BadInput(file + ": is a folder, expected " + what);
            }
            if (Files.size(file) > MAX_SMALL_FILE) {
                throw new BadInput(file + ": larger than " + MAX_SMALL_FILE + " bytes, expected " + what);
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInput(file + ": no such file (" + what + ")", e);
        } catch (AccessDeniedException e) {
            throw new BadInput(file + ": permission denied (" + what + ")", e);
        } catch (IOException e) {
            throw new BadInput(file + ": cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    /** A regular file that must exist (a bundle), for streaming. */
    static Path existing(String name, String what) throws BadInput {
        Path p = Path.of(name);
        if (!Files.exists(p)) {
            throw new BadInput(p + ": no such file (" + what + ")");
        }
        if (!Files.isRegularFile(p)) {
            throw new BadInput(p + ": not a regular file (" + what + ")");
        }
        return p;
    }

    static KeyPair privateKey(String name) throws BadInput {
        Path p = Path.of(name);
        try {
            return PemKeys.readPrivate(new String(read(p, "an Ed25519 private key PEM"), StandardCharsets.UTF_8), p.toString());
        } catch (KeyFileException e) {
            throw new BadInput(e.getMessage(), e);
        }
    }

    static PublicKey publicKey(String name) throws BadInput {
        Path p = Path.of(name);
        try {
            return PemKeys.readPublic(new String(read(p, "an Ed25519 public key PEM"), StandardCharsets.UTF_8), p.toString());
        } catch (KeyFileException e) {
            throw new BadInput(e.getMessage(), e);
        }
    }

    /** An RFC 3339 time given as option {@code option}. */
    static Instant time(String text, String option) throws BadInput {
        try {
            return Rfc3339.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadInput(option + ": expected " + e.getMessage(), e);
        }
    }

    /** Creates a new file readable by its owner only (mode 0600); refuses to overwrite. */
    static void createPrivate(Path file, byte[] content) throws BadInput, IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new BadInput(file + ": exists; refusing to overwrite a key", e);
        }
        write(file, content);
    }

    /** Creates a new file with the default permissions; refuses to overwrite. */
    static void createNew(Path file, byte[] content) throws BadInput, IOException {
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new BadInput(file + ": exists; refusing to overwrite it", e);
        }
        write(file, content);
    }

    /** Replaces (or creates) {@code target} atomically with what {@code body} writes. */
    static void replace(Path target, Body body) throws IOException, BadInput, io.waveos.bundles.BundleRejected {
        Path folder = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                body.writeTo(out);
                out.flush();
                // fsync before the rename: a power cut must leave the old file or the complete new one.
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            syncFolder(folder);
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    static void replace(Path target, byte[] content) throws IOException, BadInput {
        try {
            replace(target, out -> out.write(content));
        } catch (io.waveos.bundles.BundleRejected e) {
            throw new IllegalStateException("writing bytes cannot be refused", e);
        }
    }

    private static void write(Path file, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(content));
            ch.force(true);
        }
    }

    private static void syncFolder(Path folder) throws IOException {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
