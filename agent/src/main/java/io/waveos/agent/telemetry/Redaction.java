package io.waveos.agent.telemetry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Removes secrets from text the agent writes: every occurrence of a value marked secret in the
 * configuration (service {@code env} entries with {@code secret: true}) and every PEM private-key
 * block ({@code -----BEGIN ... PRIVATE KEY----- ... -----END ... PRIVATE KEY-----}) becomes
 * {@value #MASK}.
 *
 * <p>Applied by {@link EventLog} to every event's subject, reason and string fields before the line is
 * chained, and by evidence packs to service log tails and update evidence. Values shorter than
 * {@value #MIN_SECRET_LENGTH} characters are not searched for (masking every "1" would destroy the
 * text and still not hide a one-character secret); the config loader refuses such secrets. Immutable
 * and thread-safe.
 */
public final class Redaction {
    /** What a secret is replaced with. */
    public static final String MASK = "***";
    /** The shortest value searched for. */
    public static final int MIN_SECRET_LENGTH = 4;

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*?(-----END \\1PRIVATE KEY-----|\\z)", Pattern.DOTALL);

    private final List<String> secrets;

    /** @param secrets values to mask; blank and short ones are ignored */
    public Redaction(List<String> secrets) {
        List<String> kept = new ArrayList<>();
        for (String s : secrets) {
            Objects.requireNonNull(s, "secret");
            if (s.length() >= MIN_SECRET_LENGTH && !kept.contains(s)) {
                kept.add(s);
            }
        }
        // Longest first: a secret that contains another is masked whole.
        kept.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(kept);
    }

    /** Masks only key material. */
    public static Redaction none() {
        return new Redaction(List.of());
    }

    /** The same secrets plus {@code more}. */
    public Redaction with(List<String> more) {
        List<String> all = new ArrayList<>(secrets);
        all.addAll(more);
        return new Redaction(all);
    }

    public String apply(String text) {
        String out = text;
        if (out.contains("PRIVATE KEY-----")) {
            out = PRIVATE_KEY.matcher(out).replaceAll(MASK);
        }
        for (String s : secrets) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }

    /** Redacts UTF-8 bytes (bytes that are not UTF-8 come out as replacement characters). */
    public byte[] apply(byte[] utf8) {
        return apply(new String(utf8, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    /** How many values are searched for (for tests and diagnostics; never the values). */
    public int size() {
        return secrets.size();
    }
}
