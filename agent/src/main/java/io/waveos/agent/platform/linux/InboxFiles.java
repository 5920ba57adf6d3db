package io.waveos.agent.platform.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Puts a streamed bundle into the inbox whole or not at all. */
public final class InboxFiles {
    private InboxFiles() {
    }

    /**
     * Streams {@code in} to a hidden {@code .NAME.part} (the updater ignores dot files), fsyncs it,
     * renames it to {@code name} and fsyncs the folder. On any failure the partial file is deleted and
     * the failure rethrown.
     */
    public static void place(InputStream in, Path inbox, String name) throws IOException {
        Files.createDirectories(inbox);
        Path part = inbox.resolve("." + name + ".part");
        try {
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING); OutputStream out = Channels.newOutputStream(ch)) {
                in.transferTo(out);
                ch.force(true);
            }
            Files.move(part, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        try (FileChannel dir = FileChannel.open(inbox, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
