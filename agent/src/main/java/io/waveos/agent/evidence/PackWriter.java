package io.waveos.agent.evidence;

import io.waveos.bundles.archive.TarWriter;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.signature.Ed25519;
import io.waveos.bundles.signature.Envelope;
import io.waveos.bundles.signature.EnvelopeCodec;
import io.waveos.bundles.signature.PemKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a signed evidence pack (docs/evidence.md): a tar whose first member is
 * {@value PackFormat#ENVELOPE}, a DSSE envelope signed with the device key over the pack manifest
 * (incident, versions, the chain proof of the events, and the size and SHA-256 of every other member),
 * then the members in manifest order.
 *
 * <p>Capped: the pack never exceeds {@code maxPackBytes}. Members are cut from the front, on line
 * boundaries, so what is kept is the newest; every cut is listed under {@code truncated} in the manifest.
 * Pure; thread-safe.
 */
public final class PackWriter {
    /** Room kept for the envelope, tar headers and the archive's end. */
    static final int FIXED_RESERVE = 16 * 1024;
    static final int PER_MEMBER_RESERVE = 1536;

    private PackWriter() {
    }

    public static byte[] build(PackContent c, KeyPair key, long maxPackBytes) {
        List<String> truncated = new ArrayList<>();
        int memberCount = 4 + c.extra().size();
        long budget = maxPackBytes - FIXED_RESERVE - (long) PER_MEMBER_RESERVE * memberCount;
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put(PackFormat.RUN_META, c.runMeta());
        budget -= c.runMeta().length;
        byte[] events = frontCut(completeLines(c.events()), Math.max(0, budget / 2), 0);
        if (events.length < completeLines(c.events()).length) {
            truncated.add(PackFormat.EVENTS + ": kept the last " + events.length + " bytes of whole lines");
        }
        members.put(PackFormat.EVENTS, events);
        budget -= events.length;
        byte[] decisions = decisions(events);
        members.put(PackFormat.DECISIONS, decisions);
        budget -= decisions.length;
        long share = c.extra().isEmpty() ? 0 : Math.max(0, budget / 2) / c.extra().size();
        for (Map.Entry<String, byte[]> e : c.extra().entrySet()) {
            byte[] kept = frontCut(e.getValue(), share, 0);
            if (kept.length < e.getValue().length) {
                truncated.add(e.getKey() + ": kept the last " + kept.length + " bytes");
            }
            members.put(e.getKey(), kept);
            budget -= kept.length;
        }
        byte[] header = (firstLine(c.metricsCsv())).getBytes(StandardCharsets.US_ASCII);
        byte[] metrics = frontCut(c.metricsCsv(), Math.max(header.length, budget), header.length);
        if (metrics.length < c.metricsCsv().length) {
            truncated.add(PackFormat.METRICS + ": kept the last " + metrics.length + " bytes");
        }
        members.put(PackFormat.METRICS, metrics);

        Map<String, Object> manifest = manifest(c, key, members, events, truncated);
        byte[] payload = Json.write(manifest).getBytes(StandardCharsets.UTF_8);
        Envelope envelope = new Envelope(PackFormat.MANIFEST_TYPE, payload, List.of()).signedWith(key);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(out)) {
            tar.addFile(PackFormat.ENVELOPE, 0644, EnvelopeCodec.write(envelope));
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                tar.addFile(m.getKey(), 0644, m.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static Map<String, Object> manifest(PackContent c, KeyPair key, Map<String, byte[]> members,
            byte[] events, List<String> truncated) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", PackFormat.FORMAT);
        m.put("pack_id", c.packId());
        m.put("created", Json.time(c.created()));
        m.put("device_id", c.deviceId());
        m.put("run_id", c.runId());
        Map<String, Object> incident = new LinkedHashMap<>();
        incident.put("kind", c.incident().kind().wire());
        incident.put("subject", c.incident().subject());
        incident.put("reason", c.incident().reason());
        incident.put("services", c.incident().services());
        m.put("incident", incident);
        m.put("versions", c.versions());
        Map<String, Object> signer = new LinkedHashMap<>();
        signer.put("keyid", Ed25519.keyid(key.getPublic()));
        signer.put("public_key", PemKeys.writePublic(key.getPublic()));
        m.put("signer", signer);
        m.put("events", EventSegment.of(events).toJson());
        List<Object> list = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : members.entrySet()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", e.getKey());
            entry.put("size", (long) e.getValue().length);
            entry.put("sha256", EventSegment.sha256(e.getValue()));
            list.add(entry);
        }
        m.put("members", list);
        m.put("truncated", List.copyOf(truncated));
        return m;
    }

    /** The lines of {@code events} whose code starts with {@value PackFormat#DECISION_CODE_PREFIX}. */
    static byte[] decisions(byte[] events) {
        StringBuilder b = new StringBuilder();
        for (String line : new String(events, StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("\"code\":\"" + PackFormat.DECISION_CODE_PREFIX)) {
                b.append(line).append('\n');
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Everything up to and including the last newline. */
    static byte[] completeLines(byte[] text) {
        int end = text.length;
        while (end > 0 && text[end - 1] != '\n') {
            end--;
        }
        return Arrays.copyOf(text, end);
    }

    /**
     * At most {@code limit} bytes: the first {@code keepHead} bytes, then the newest whole lines
     * that fit (cut just after a newline).
     */
    static byte[] frontCut(byte[] text, long limit, int keepHead) {
        if (text.length <= limit) {
            return text;
        }
        int from = (int) Math.max(keepHead, text.length - (limit - keepHead));
        while (from < text.length && from > keepHead && text[from - 1] != '\n') {
            from++;
        }
        byte[] out = new byte[keepHead + text.length - from];
        System.arraycopy(text, 0, out, 0, keepHead);
        System.arraycopy(text, from, out, keepHead, text.length - from);
        return out;
    }

    private static String firstLine(byte[] csv) {
        String s = new String(csv, StandardCharsets.US_ASCII);
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl + 1);
    }
}
