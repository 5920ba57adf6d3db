package io.waveos.agent.evidence;

import io.waveos.agent.platform.Storage;
import io.waveos.bundles.signature.Ed25519;
import io.waveos.bundles.signature.KeyFileException;
import io.waveos.bundles.signature.PemKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;

/**
 * The device's evidence signing key: an Ed25519 PKCS#8 PEM file ({@code openssl pkey} reads it),
 * created with mode 0600 on first use, with its public half beside it as {@code <name>.pub}.
 */
public final class DeviceKey {
    private DeviceKey() {
    }

    /**
     * @throws IOException when the file cannot be read or written, or holds something other than an
     *     Ed25519 private key (it is never overwritten then)
     */
    public static KeyPair loadOrCreate(Storage storage, Path file) throws IOException {
        Optional<byte[]> existing = storage.read(file);
        if (existing.isPresent()) {
            try {
                return PemKeys.readPrivate(new String(existing.get(), StandardCharsets.US_ASCII), file.toString());
            } catch (KeyFileException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        KeyPair key = Ed25519.generate();
        storage.createDirectories(file.getParent());
        storage.writePrivately(file, PemKeys.writePrivate(key.getPrivate()).getBytes(StandardCharsets.US_ASCII));
        storage.writeAtomically(file.resolveSibling(file.getFileName() + ".pub"),
                PemKeys.writePublic(key.getPublic()).getBytes(StandardCharsets.US_ASCII));
        return key;
    }
}
