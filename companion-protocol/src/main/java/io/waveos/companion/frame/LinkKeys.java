package io.waveos.companion.frame;

import java.security.MessageDigest;

/**
 * One generation of link keys: a key per direction, both under the same key id. Separate keys per
 * direction mean a frame cannot be reflected back to its sender.
 *
 * @param deviceToGuardian the key of frames the device sends
 * @param guardianToDevice the key of frames the Guardian sends
 */
public record LinkKeys(LinkKey deviceToGuardian, LinkKey guardianToDevice) {

    public LinkKeys {
        if (deviceToGuardian == null || guardianToDevice == null) {
            throw new IllegalArgumentException("both directions need a key");
        }
        if (deviceToGuardian.id() != guardianToDevice.id()) {
            throw new IllegalArgumentException("both directions of one key generation share a key id, got "
                    + deviceToGuardian.id() + " and " + guardianToDevice.id());
        }
        if (MessageDigest.isEqual(deviceToGuardian.secret(), guardianToDevice.secret())) {
            throw new IllegalArgumentException(
                    "key " + deviceToGuardian.id() + ": the two directions must have different secrets");
        }
    }

    /** The key id of this generation. */
    public int keyId() {
        return deviceToGuardian.id();
    }

    /** The key that {@code self} signs its frames with. */
    public LinkKey sendKey(Endpoint self) {
        return switch (self) {
            case DEVICE -> deviceToGuardian;
            case GUARDIAN -> guardianToDevice;
        };
    }

    /** The key that {@code self} verifies its peer's frames with. */
    public LinkKey receiveKey(Endpoint self) {
        return switch (self) {
            case DEVICE -> guardianToDevice;
            case GUARDIAN -> deviceToGuardian;
        };
    }
}
