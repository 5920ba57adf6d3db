package io.waveos.agent.evidence;

import io.waveos.agent.platform.Storage;
import io.waveos.bundles.signature.KeyFileException;
import io.waveos.bundles.signature.PemKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;

/**
 * The offline halves of {@code waveos evidence}: {@code list} (the packs in the evidence folder, oldest
 * first, with sizes) and {@code verify FILE [--key PUB.pem]}. ({@code export} asks the running agent
 * over the control socket.) Exit codes: 0 ok, 1 refused or unreadable.
 */
public final class EvidenceCommand {
    private EvidenceCommand() {
    }

    public static int list(Storage storage, Path dir, PrintStream out, PrintStream err) {
        try {
            List<String> names = EvidenceArchive.packFiles(storage, dir);
            for (String n : names) {
                out.println(n + "  " + storage.size(dir.resolve(n)).orElse(0L) + " bytes");
            }
            out.println(names.size() + " packs in " + dir);
            return 0;
        } catch (IOException e) {
            err.println(dir + ": cannot list: " + e.getMessage());
            return 1;
        }
    }

    public static int verify(Storage storage, Path file, Optional<Path> keyFile, PrintStream out, PrintStream err) {
        try {
            Optional<PublicKey> pinned = Optional.empty();
            if (keyFile.isPresent()) {
                Optional<byte[]> pem = storage.read(keyFile.get());
                if (pem.isEmpty()) {
                    err.println(keyFile.get() + ": no such file");
                    return 1;
                }
                pinned = Optional.of(PemKeys.readPublic(new String(pem.get(), StandardCharsets.US_ASCII),
                        keyFile.get().toString()));
            }
            Optional<byte[]> bytes = storage.read(file);
            if (bytes.isEmpty()) {
                err.println(file + ": no such file");
                return 1;
            }
            PackVerifier.Result r = PackVerifier.verify(bytes.get(), pinned);
            if (r instanceof PackVerifier.Verified v) {
                out.println(file + ": OK, pack " + v.packId() + " (" + v.kind() + " " + v.subject() + "), "
                        + v.members() + " members, " + v.events() + " events with an intact hash chain"
                        + (v.eventsFromGenesis() ? " from the run's first event" : "") + ", signed by key "
                        + v.keyid() + (pinned.isPresent() ? " (pinned)" : " (named in the pack: compare it with the "
                        + "device's evidence_key.pem.pub)"));
                return 0;
            }
            PackVerifier.Refused refused = (PackVerifier.Refused) r;
            out.println(file + ": REFUSED: member " + refused.member() + ": " + refused.why());
            return 1;
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
            return 1;
        } catch (KeyFileException e) {
            err.println(e.getMessage());
            return 1;
        }
    }
}
