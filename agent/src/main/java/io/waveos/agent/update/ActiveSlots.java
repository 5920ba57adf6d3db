package io.waveos.agent.update;

import io.waveos.agent.platform.Storage;
import io.waveos.bundles.install.ActiveSlot;
import io.waveos.bundles.install.SlotInstaller;
import io.waveos.bundles.platform.SlotStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The folder of a component's active slot, and files read from it: how capabilities take what a
 * signed config or certs bundle carries (the policy, API flags, API keys). The slot was verified when
 * it was installed; reading it needs no new verification.
 */
@FunctionalInterface
public interface ActiveSlots {
    /** The active slot's folder of {@code component}; empty when it has none. */
    Optional<Path> dir(String component) throws IOException;

    /** The slots kept by the installer under {@code updatesDir}. */
    static ActiveSlots of(SlotStorage storage, Path updatesDir) {
        SlotInstaller installer = new SlotInstaller(storage, updatesDir);
        return component -> installer.active(component).map(ActiveSlot::dir);
    }

    /** What {@link #read} found. */
    sealed interface FileRead permits Found, Missing, Unreadable {
    }

    /** The file's bytes; {@code source} names the bundle and the file, for messages. */
    record Found(String source, byte[] bytes) implements FileRead {
    }

    /** The component has no active slot, or its slot holds no such file. */
    record Missing(String why) implements FileRead {
    }

    /** The slot or the file could not be read. */
    record Unreadable(String source, String why) implements FileRead {
    }

    /** Reads {@code file} (relative) from {@code component}'s active slot through {@code storage}. */
    default FileRead read(String component, String file, Storage storage) {
        String source = "bundle " + component;
        try {
            Optional<Path> dir = dir(component);
            if (dir.isEmpty()) {
                return new Missing(source + " has no active slot");
            }
            Path path = dir.get().resolve(file);
            source = source + ": " + path;
            Optional<byte[]> bytes = storage.read(path);
            if (bytes.isEmpty()) {
                return new Missing(source + " does not exist");
            }
            return new Found(source, bytes.get());
        } catch (IOException e) {
            return new Unreadable(source, "cannot read: " + e.getMessage());
        }
    }
}
