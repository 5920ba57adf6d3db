package io.waveos.agent.update.tool;

import io.waveos.bundles.signature.Ed25519;
import io.waveos.bundles.signature.PemKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Set;

/**
 * {@code bundle keygen --out NAME}: a new Ed25519 pair as {@code NAME.pem} (PKCS#8 v1, mode 0600) and
 * {@code NAME.pub.pem} (SPKI), the forms {@code openssl genpkey -algorithm ed25519} and
 * {@code openssl pkey -pubout} write. Refuses to overwrite either file. Prints the keyid.
 */
final class KeygenCommand {

    private KeygenCommand() {
    }

    static int run(String[] args, Invocation inv) throws BadInput, IOException {
        Options opts = Options.parse(args, Set.of("--out"), Set.of());
        opts.positionals(0, "no positional arguments");
        String name = opts.required("--out");
        Path priv = Path.of(name + ".pem");
        Path pub = Path.of(name + ".pub.pem");
        if (Files.exists(pub)) {
            throw new BadInput(pub + ": exists; refusing to overwrite a key");
        }
        KeyPair pair = Ed25519.generate();
        OperatorFiles.createPrivate(priv, PemKeys.writePrivate(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII));
        OperatorFiles.createNew(pub, PemKeys.writePublic(pair.getPublic()).getBytes(StandardCharsets.US_ASCII));
        inv.out().println("keyid " + Ed25519.keyid(pair.getPublic()));
        inv.out().println("private key " + priv + " (mode 0600: keep it offline), public key " + pub);
        return BundleTool.OK;
    }
}
