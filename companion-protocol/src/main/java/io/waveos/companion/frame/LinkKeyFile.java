package io.waveos.companion.frame;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The link keys as delivered in a certs bundle: one or two key generations (two during a rotation),
 * and the one this end signs with. A properties text:
 *
 * <pre>
 * sign = 2
 * key.1.device_to_guardian = 000102...1f   (hex, 16..64 bytes)
 * key.1.guardian_to_device = 202122...3f
 * key.2.device_to_guardian = ...
 * key.2.guardian_to_device = ...
 * </pre>
 *
 * Both ends read the same file; each signs with its own direction of the {@code sign} generation and
 * accepts every listed generation. A file that is malformed, lacks a direction, has a key shorter than
 * 16 bytes or the same secret in both directions is refused with the file and the problem named
 * (spec section 8.4): the link never falls back to plain frames.
 *
 * @param sign the generation this end signs with
 * @param accepted every generation listed (including {@code sign}), ascending by key id
 */
public record LinkKeyFile(LinkKeys sign, List<LinkKeys> accepted) {
    private static final Pattern KEY = Pattern.compile("key\\.(\\d{1,3})\\.(device_to_guardian|guardian_to_device)");

    public LinkKeyFile {
        accepted = List.copyOf(accepted);
        if (!accepted.contains(sign)) {
            throw new IllegalArgumentException("the signing generation " + sign.keyId() + " must be listed");
        }
        if (accepted.size() > LinkAuth.MAX_RECEIVE_KEYS) {
            throw new IllegalArgumentException("at most " + LinkAuth.MAX_RECEIVE_KEYS + " key generations, got "
                    + accepted.size());
        }
    }

    /**
     * Parses the file's text; {@code source} names it in errors.
     *
     * @throws LinkKeyFileException naming the source and the problem (never the secret)
     */
    public static LinkKeyFile parse(String text, String source) throws LinkKeyFileException {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new LinkKeyFileException(source + ": not a key file: " + e.getMessage(), e);
        }
        int signId = signId(properties, source);
        List<LinkKeys> accepted = new ArrayList<>();
        LinkKeys sign = null;
        for (Map.Entry<Integer, byte[][]> entry : secrets(properties, source).entrySet()) {
            int id = entry.getKey();
            byte[][] pair = entry.getValue();
            if (pair[0] == null || pair[1] == null) {
                throw new LinkKeyFileException(source + ": key " + id + ": both device_to_guardian and"
                        + " guardian_to_device are required");
            }
            try {
                LinkKeys keys = new LinkKeys(new LinkKey(id, pair[0]), new LinkKey(id, pair[1]));
                accepted.add(keys);
                if (id == signId) {
                    sign = keys;
                }
            } catch (IllegalArgumentException e) {
                throw new LinkKeyFileException(source + ": " + e.getMessage(), e);
            }
        }
        if (sign == null) {
            throw new LinkKeyFileException(source + ": sign: key " + signId + " is not in the file");
        }
        try {
            return new LinkKeyFile(sign, accepted);
        } catch (IllegalArgumentException e) {
            throw new LinkKeyFileException(source + ": " + e.getMessage(), e);
        }
    }

    private static int signId(Properties properties, String source) throws LinkKeyFileException {
        String signText = properties.getProperty("sign");
        if (signText == null) {
            throw new LinkKeyFileException(source + ": sign: expected the key id to sign with, was missing");
        }
        try {
            return Integer.parseInt(signText.trim());
        } catch (NumberFormatException e) {
            throw new LinkKeyFileException(source + ": sign: expected a key id, was '" + signText + "'");
        }
    }

    /** Key id to {device_to_guardian, guardian_to_device} secrets (either may be missing). */
    private static TreeMap<Integer, byte[][]> secrets(Properties properties, String source)
            throws LinkKeyFileException {
        TreeMap<Integer, byte[][]> generations = new TreeMap<>();
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            if (name.equals("sign")) {
                continue;
            }
            Matcher m = KEY.matcher(name);
            if (!m.matches()) {
                throw new LinkKeyFileException(source + ": " + name
                        + ": expected sign or key.<id>.device_to_guardian|guardian_to_device");
            }
            byte[] secret;
            try {
                secret = HexFormat.of().parseHex(properties.getProperty(name).trim());
            } catch (IllegalArgumentException e) {
                throw new LinkKeyFileException(source + ": " + name + ": expected hex digits");
            }
            byte[][] pair = generations.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new byte[2][]);
            pair[m.group(2).equals("device_to_guardian") ? 0 : 1] = secret;
        }
        return generations;
    }

    /** The authentication settings of {@code self} with tags of {@code tagBytes}. */
    public LinkAuth auth(Endpoint self, int tagBytes) {
        List<LinkKeys> others = new ArrayList<>(accepted);
        others.remove(sign);
        return LinkAuth.of(self, tagBytes, sign, others.toArray(new LinkKeys[0]));
    }
}
