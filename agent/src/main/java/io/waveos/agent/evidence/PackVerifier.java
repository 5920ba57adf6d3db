package io.waveos.agent.evidence;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.archive.TarMember;
import io.waveos.bundles.archive.TarReader;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.signature.Ed25519;
import io.waveos.bundles.signature.Envelope;
import io.waveos.bundles.signature.EnvelopeCodec;
import io.waveos.bundles.signature.KeyFileException;
import io.waveos.bundles.signature.PemKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an evidence pack offline: the envelope's signature (by the key the manifest names, or by a
 * pinned device key), that the members are exactly those listed, each with its size and SHA-256, in
 * order, and that {@code events.jsonl} matches the signed chain proof. Pure; thread-safe.
 */
public final class PackVerifier {
    /** Packs larger than this are refused unread. */
    public static final long MAX_PACK_BYTES = 1L << 30;

    private PackVerifier() {
    }

    /** The outcome. */
    public sealed interface Result permits Verified, Refused {
    }

    /** Everything checked out. */
    public record Verified(String packId, String kind, String subject, String keyid, int members, int events,
            boolean eventsFromGenesis) implements Result {
    }

    /** The first problem, naming the member it is in ({@value PackFormat#ENVELOPE} for the signature). */
    public record Refused(String member, String why) implements Result {
    }

    /**
     * @param pinned the device's public key, when the operator has it; otherwise the key named in the
     *     manifest is used, which proves integrity but not which device signed
     */
    public static Result verify(byte[] pack, Optional<PublicKey> pinned) {
        try {
            return check(pack, pinned);
        } catch (BundleRejected e) {
            return new Refused(e.member(), "not a valid archive: " + e.getMessage());
        } catch (IOException e) {
            return new Refused("(archive)", "cannot be read: " + e.getMessage());
        }
    }

    private static Result check(byte[] pack, Optional<PublicKey> pinned) throws BundleRejected, IOException {
        TarReader tar = new TarReader(new ByteArrayInputStream(pack), MAX_PACK_BYTES);
        Optional<TarMember> first = tar.next();
        if (first.isEmpty() || !first.get().name().equals(PackFormat.ENVELOPE)) {
            return new Refused(first.map(TarMember::name).orElse("(archive)"),
                    "the first member must be " + PackFormat.ENVELOPE);
        }
        Envelope envelope = EnvelopeCodec.parse(tar.content().readAllBytes(), PackFormat.ENVELOPE,
                BundleError.ENVELOPE_MALFORMED);
        if (!envelope.payloadType().equals(PackFormat.MANIFEST_TYPE)) {
            return new Refused(PackFormat.ENVELOPE, "payloadType is not " + PackFormat.MANIFEST_TYPE);
        }
        Map<String, Object> manifest;
        try {
            manifest = Json.parseObject(envelope.payload());
        } catch (Json.ParseException e) {
            return new Refused(PackFormat.ENVELOPE, "the manifest is not JSON: " + e.getMessage());
        }
        if (!PackFormat.FORMAT.equals(manifest.get("format"))) {
            return new Refused(PackFormat.ENVELOPE, "format is not " + PackFormat.FORMAT);
        }
        Optional<PublicKey> key = pinned.isPresent() ? pinned : manifestKey(manifest);
        if (key.isEmpty()) {
            return new Refused(PackFormat.ENVELOPE, "the manifest names no readable signer public_key");
        }
        String keyid = Ed25519.keyid(key.get());
        boolean signed = envelope.signatures().stream()
                .anyMatch(s -> Ed25519.verify(key.get(), envelope.pae(), s.sig()));
        if (!signed) {
            return new Refused(PackFormat.ENVELOPE, "no valid signature by key " + keyid
                    + (pinned.isPresent() ? " (the pinned device key)" : ""));
        }
        Map<String, Map<?, ?>> listed = new LinkedHashMap<>();
        if (!(manifest.get("members") instanceof List<?> members)) {
            return new Refused(PackFormat.ENVELOPE, "the manifest has no members list");
        }
        for (Object o : members) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("name") instanceof String name)) {
                return new Refused(PackFormat.ENVELOPE, "a members entry has no name");
            }
            listed.put(name, m);
        }
        Set<String> seen = new HashSet<>();
        List<String> order = List.copyOf(listed.keySet());
        Optional<EventSegment> proof = EventSegment.fromJson(manifest.get("events"));
        int events = 0;
        for (Optional<TarMember> m = tar.next(); m.isPresent(); m = tar.next()) {
            String name = m.get().name();
            Map<?, ?> entry = listed.get(name);
            if (entry == null) {
                return new Refused(name, "is not listed in the signed manifest");
            }
            if (!seen.add(name) || seen.size() > order.size() || !order.get(seen.size() - 1).equals(name)) {
                return new Refused(name, "is out of the signed order or repeated");
            }
            byte[] content = tar.content().readAllBytes();
            if (!Long.valueOf(content.length).equals(entry.get("size"))) {
                return new Refused(name, "size " + content.length + " differs from the signed " + entry.get("size"));
            }
            if (!EventSegment.sha256(content).equals(entry.get("sha256"))) {
                return new Refused(name, "SHA-256 differs from the signed manifest: the member was altered");
            }
            if (name.equals(PackFormat.EVENTS)) {
                if (proof.isEmpty()) {
                    return new Refused(PackFormat.ENVELOPE, "the manifest has no events chain proof");
                }
                Optional<String> broken = proof.get().check(content);
                if (broken.isPresent()) {
                    return new Refused(name, "hash chain broken: " + broken.get());
                }
                events = proof.get().lines();
            }
        }
        if (seen.size() != order.size()) {
            String missing = order.stream().filter(n -> !seen.contains(n)).findFirst().orElse("?");
            return new Refused(missing, "is listed in the signed manifest but missing from the pack");
        }
        Map<?, ?> incident = manifest.get("incident") instanceof Map<?, ?> i ? i : Map.of();
        return new Verified(String.valueOf(manifest.get("pack_id")), String.valueOf(incident.get("kind")),
                String.valueOf(incident.get("subject")), keyid, order.size(), events,
                proof.map(p -> p.firstSeq() == 1 && p.lines() > 0).orElse(false));
    }

    private static Optional<PublicKey> manifestKey(Map<String, Object> manifest) {
        if (manifest.get("signer") instanceof Map<?, ?> signer && signer.get("public_key") instanceof String pem) {
            try {
                return Optional.of(PemKeys.readPublic(pem, "signer.public_key"));
            } catch (KeyFileException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
