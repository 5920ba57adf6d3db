package io.waveos.companion.frame;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The authentication settings of one end of a link.
 *
 * @param tagBytes the truncated tag length T, 8..32 bytes; both ends must agree
 * @param sendKey the key this end signs with
 * @param receiveKeys the keys this end accepts from its peer: one, or two (distinct ids) during a
 *     key rotation
 */
public record LinkAuth(int tagBytes, LinkKey sendKey, List<LinkKey> receiveKeys) {

    public static final int MAX_RECEIVE_KEYS = 2;

    public LinkAuth {
        FrameLayout.checkTagLength(tagBytes);
        if (sendKey == null) {
            throw new IllegalArgumentException("a send key is required");
        }
        receiveKeys = List.copyOf(receiveKeys);
        if (receiveKeys.isEmpty() || receiveKeys.size() > MAX_RECEIVE_KEYS) {
            throw new IllegalArgumentException(
                    "1.." + MAX_RECEIVE_KEYS + " receive keys are required, got " + receiveKeys.size());
        }
        Set<Integer> ids = new HashSet<>();
        for (LinkKey key : receiveKeys) {
            if (!ids.add(key.id())) {
                throw new IllegalArgumentException("receive key id " + key.id() + " appears twice");
            }
        }
    }

    /**
     * The settings of {@code self}: sign with {@code active}, accept {@code active} and, during a
     * rotation, the {@code alsoAccepted} generation.
     */
    public static LinkAuth of(Endpoint self, int tagBytes, LinkKeys active, LinkKeys... alsoAccepted) {
        List<LinkKey> receive = new ArrayList<>();
        receive.add(active.receiveKey(self));
        for (LinkKeys keys : alsoAccepted) {
            receive.add(keys.receiveKey(self));
        }
        return new LinkAuth(tagBytes, active.sendKey(self), receive);
    }
}
