package io.waveos.agent.api;

import io.waveos.agent.config.ApiRole;
import java.util.Objects;

/** Who signed a request: the key id and its role, and the body hash the signature covers. */
public record Principal(String keyId, ApiRole role, String bodySha256) {
    public Principal {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(bodySha256, "bodySha256");
    }
}
